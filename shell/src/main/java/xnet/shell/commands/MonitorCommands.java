package xnet.shell.commands;

import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;

import xnet.grammar.CommandSpec;
import xnet.grammar.Invocation;
import xnet.model.FilterRule;
import xnet.render.EventLines;
import xnet.render.JsonViews;
import xnet.service.TargetService;
import xnet.session.DatapathEvent;
import xnet.session.EventFeed;
import xnet.shell.CommandDef;
import xnet.shell.CommandGroup;
import xnet.shell.Console;
import xnet.state.Json;

/** `monitor drops` and `monitor nat`: the datapath's events as they happen, until Ctrl-C. */
public class MonitorCommands implements CommandGroup {

    private static final String OPTIONS = "[--rule <rule:INT>] [--from <from:PREFIX>] [--json]";
    /** How often the count of suppressed events is looked at. */
    private static final long SUPPRESSED_EVERY_NANOS = 1_000_000_000L;

    private final TargetService target;

    public MonitorCommands(TargetService target) {
        this.target = target;
    }

    @Override
    public List<CommandDef> commands() {
        return List.of(
                CommandDef.of(CommandSpec.of("monitor drops", OPTIONS,
                        "print the packets that logging rules drop, as they happen (Ctrl-C ends)",
                        "Only rules added with 'log' report (filter add drop log ...). Each line: time, attach point,"
                                + " rule, protocol, addresses and ports, TCP flags, size. --rule and --from keep the"
                                + " events of one rule or source prefix; --json prints one object per line. Each CPU"
                                + " sends at most 1000 events a second; what is held back is counted and said."),
                        (in, console) -> monitor(in, console, DatapathEvent.Kind.DROP)),
                CommandDef.of(CommandSpec.of("monitor nat", OPTIONS,
                        "print each connection a NAT rule translates, as it opens (Ctrl-C ends)",
                        "One line per new connection: time, attach point, NAT rule, the client, the public address"
                                + " and the private one it goes to. --rule keeps one NAT rule's, --from one client"
                                + " prefix's; --json prints one object per line."),
                        (in, console) -> monitor(in, console, DatapathEvent.Kind.NAT)));
    }

    private int monitor(Invocation in, Console console, DatapathEvent.Kind kind) throws Exception {
        Integer rule = in.optional("rule", Integer.class).orElse(null);
        Object from = in.optional("from", Object.class).orElse(null); // a Cidr or a Cidr6
        boolean json = in.flag("json");
        if (kind == DatapathEvent.Kind.DROP) {
            warnIfSilent(rule, console);
        }
        try (EventFeed feed = target.monitor(EnumSet.of(kind))) {
            if (!json) {
                console.heading("monitoring " + (kind == DatapathEvent.Kind.DROP ? "drops" : "NAT") + " of "
                        + target.layout().name() + " (Ctrl-C ends)");
            }
            return console.foreground().interruptible(() -> {
                long[] shownAndSuppressed = new long[2];
                try {
                    follow(feed, rule, from, json, console, shownAndSuppressed, target::notices);
                } catch (InterruptedException ctrlC) {
                    // the usual end
                }
                reportSuppressed(feed, json, console, shownAndSuppressed);
                if (!json) {
                    console.println(shownAndSuppressed[0] + " event(s) shown, " + shownAndSuppressed[1]
                            + " suppressed");
                }
                return 0;
            });
        }
    }

    /** Prints events until interrupted, or until nobody reads any more (`| head`, a client gone). */
    private static void follow(EventFeed feed, Integer rule, Object from, boolean json, Console console, long[] counts,
                               java.util.function.Supplier<List<String>> notices) throws InterruptedException {
        ZoneId zone = ZoneId.systemDefault();
        long checked = System.nanoTime();
        while (!Thread.currentThread().isInterrupted() && !console.out().checkError()) {
            for (DatapathEvent e : feed.next(250)) {
                if ((rule == null || rule.equals(e.rule())) && (from == null || e.sourceIn(from))) {
                    console.println(json ? Json.line(JsonViews.event(e)) : EventLines.line(e, zone));
                    counts[0]++;
                }
            }
            if (System.nanoTime() - checked > SUPPRESSED_EVERY_NANOS) {
                reportSuppressed(feed, json, console, counts);
                checked = System.nanoTime();
            }
            // what happened to the target that nobody typed (a confirmed commit rolled back): a line
            // among the packets, since it changes what they meet from here on
            for (String notice : notices.get()) {
                console.println(json ? Json.line(java.util.Map.of("notice", notice, "time",
                        JsonViews.time(java.time.Instant.now()))) : "-- " + notice);
            }
        }
    }

    /** Says how many events were held back since it last said so. */
    private static void reportSuppressed(EventFeed feed, boolean json, Console console, long[] counts) {
        long suppressed = feed.suppressed();
        if (suppressed > counts[1]) {
            long more = suppressed - counts[1];
            console.println(json ? Json.line(java.util.Map.of("suppressed", more))
                    : "-- " + more + " more event(s) suppressed (at most " + feed.ratePerCpu() + " per CPU a second)");
            counts[1] = suppressed;
        }
    }

    private void warnIfSilent(Integer rule, Console console) throws java.io.IOException {
        List<FilterRule> running = target.running().config().filters();
        if (rule != null) {
            FilterRule named = running.stream().filter(r -> r.id() == rule).findFirst().orElse(null);
            if (named == null) {
                throw new IllegalArgumentException("no running filter rule " + rule + "; 'show counters' lists them");
            }
            if (!named.log()) {
                console.warn("warning: rule " + rule + " does not log; add it again with 'log' to see its drops");
            }
        } else if (running.stream().noneMatch(FilterRule::log)) {
            console.warn("warning: no running rule logs; only rules added as 'filter add drop log ...' report drops");
        }
    }
}
