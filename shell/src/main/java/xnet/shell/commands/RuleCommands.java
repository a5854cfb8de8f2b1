package xnet.shell.commands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import xnet.grammar.CommandSpec;
import xnet.grammar.Invocation;
import xnet.model.Choices;
import xnet.model.Config;
import xnet.model.Datapath;
import xnet.model.FilterRule;
import xnet.model.FilterRuleSyntax;
import xnet.model.NatEndpoint;
import xnet.model.NatRule;
import xnet.model.Proto;
import xnet.render.Table;
import xnet.service.TargetService;
import xnet.session.CounterSnapshot;
import xnet.session.PreviewReport;
import xnet.shell.CommandDef;
import xnet.shell.CommandGroup;
import xnet.shell.Console;
import xnet.render.CounterRows;
import xnet.render.JsonViews;
import xnet.state.Json;

/** Filter and NAT rules, the datapath settings, the dry run and the counters. */
public class RuleCommands implements CommandGroup {

    private static final String NAT_PROTOS = Choices.of(Proto.TCP, Proto.UDP);

    private final TargetService target;

    public RuleCommands(TargetService target) {
        this.target = target;
    }

    @Override
    public List<CommandDef> commands() {
        return List.of(
                CommandDef.edit(CommandSpec.of("filter add", FilterRuleSyntax.GRAMMAR + " [before <before:FILTER_RULE>]",
                        "add a filter rule (at the end, or before rule ID); the first matching rule decides",
                        "Addresses are A.B.C.D or A.B.C.D/LEN, or IPv6 ADDR or ADDR/LEN (a rule of one family applies to its"
                                + " packets; proto icmpv6 for ICMPv6); port is the destination port, N or N-M (1-65535),"
                                + " with proto tcp|udp."
                                + " state matches connection states (new, established, related; e.g. allow state"
                                + " established,related); log (drop rules) reports what the rule drops to 'monitor"
                                + " drops'. Example: filter add drop from 172.16.0.0/12 proto tcp port 22"), this::addFilter),
                CommandDef.edit(CommandSpec.of("filter del", "<id:FILTER_RULE>", "delete a filter rule"), this::deleteFilter),
                CommandDef.edit(CommandSpec.of("filter flush", "", "delete every filter rule"), this::flushFilters),
                CommandDef.edit(CommandSpec.of("filter default", "<action:" + Choices.of(FilterRule.Action.values()) + ">",
                        "what happens to packets no rule matches (allow unless set)"), this::setDefault),
                CommandDef.of(CommandSpec.of("filter list", "[--json]", "list the candidate's filter rules in order"),
                        this::listFilters),
                CommandDef.edit(CommandSpec.of("nat add", "<public:TEXT> -> <private:TEXT> [proto <proto:" + NAT_PROTOS + ">]",
                        "static NAT: traffic to PUBLIC goes to PRIVATE, its replies come back from PUBLIC",
                        "IP:PORT -> IP:PORT (tcp unless proto udp), or IP -> IP for the whole address;"
                                + " IPv6 as [ADDR]:PORT or ADDR, both sides of one family."
                                + " Example: nat add 10.0.0.1:80 -> 10.0.1.2:8080, nat add [fd00::a00:1]:80 -> [fd00:1::2]:8080"),
                        this::addNat),
                CommandDef.edit(CommandSpec.of("nat del", "<id:NAT_RULE>", "delete a NAT rule"), this::deleteNat),
                CommandDef.of(CommandSpec.of("nat list", "[--json]", "list the candidate's NAT rules"), this::listNats),
                CommandDef.edit(CommandSpec.of("datapath", "<hook:" + Choices.of(Datapath.Hook.values())
                                + "> [on <point:ATTACH>] [mode <mode:" + Choices.of(Datapath.XdpMode.values()) + ">]",
                        "where rules run: tc or xdp (BPF), or iptables/nftables; for all attach points or one",
                        "xdp mode generic (default) runs on the sk_buff, native in the veth driver; see README"),
                        this::setHook),
                CommandDef.edit(CommandSpec.of("datapath strategy", "<strategy:" + Choices.of(Datapath.Strategy.values()) + ">",
                        "how BPF matches rules: inline code, map lookups, or auto (preview says which and why)"),
                        this::setStrategy),
                CommandDef.edit(CommandSpec.of("datapath fastpath", "<state:on|off>",
                        "hand allowed packets straight to a container of this host, or out of the uplink (tc only)",
                        "bpf_redirect_peer into the container's namespace, bpf_redirect_neigh out of the uplink,"
                        + " after the rules and NAT; ARP, broadcast, traffic to the host and the rest take the normal"
                        + " path (see README)"),
                        this::setFastpath),
                CommandDef.of(CommandSpec.of("show datapath", "[--json]", "the datapath settings of the candidate"),
                        this::showDatapath),
                CommandDef.of(CommandSpec.of("show ruleset", "<kind:iptables|nftables> [--json]",
                        "the candidate's rules as an iptables-restore file or an nft script (an export)"),
                        this::showRuleset),
                CommandDef.of(CommandSpec.of("preview", "[--json]",
                        "dry run: generate, compile and load the candidate's programs, show them, attach nothing"),
                        this::preview),
                CommandDef.of(CommandSpec.of("clear counters", "[<id:FILTER_RULE>]",
                        "set the counters of rule ID, or of every rule and attach point, to zero"), this::clearCounters),
                CommandDef.of(CommandSpec.of("show counters", "[--json] [--watch] [--sort <sort:packets|bytes|rate>] [--top <top:INT>]",
                        "packets and bytes per rule, and passed/dropped/translated per attach point"),
                        this::counters));
    }

    private Config candidate() {
        return target.candidate();
    }

    private int addFilter(Invocation in, Console console) {
        FilterRule rule = FilterRuleSyntax.fromValues(0, in);
        Integer before = in.optional("before", Integer.class).orElse(null);
        target.edit(c -> target.editors().rules().addFilter(c, rule, before));
        List<FilterRule> filters = candidate().filters();
        // at the end unless placed before a rule: no scan of a long list for the common case
        int at = before == null ? filters.size() - 1 : positionOf(filters, candidate().nextFilterId() - 1);
        FilterRule added = filters.get(at);
        console.ok("filter " + added.id() + " added: " + added.text() + " (position " + (at + 1) + " of "
                + filters.size() + ")");
        // the new rule may be dead, or (with before ID) make later ones dead
        xnet.model.RuleShadows.involving(filters, at).forEach(s -> console.warn("warning: " + s.message()));
        return 0;
    }

    private static int positionOf(List<FilterRule> filters, int id) {
        for (int i = 0; i < filters.size(); i++) {
            if (filters.get(i).id() == id) {
                return i;
            }
        }
        throw new IllegalStateException("filter " + id + " is not in the candidate");
    }

    private int deleteFilter(Invocation in, Console console) {
        int id = in.get("id", Integer.class);
        target.edit(c -> target.editors().rules().deleteFilter(c, id));
        console.ok("filter " + id + " deleted");
        return 0;
    }

    private int flushFilters(Invocation in, Console console) {
        int count = candidate().filters().size();
        target.edit(c -> c.withFilters(List.of()));
        console.ok(count + " filter rule(s) deleted");
        return 0;
    }

    private int setDefault(Invocation in, Console console) {
        FilterRule.Action action = FilterRule.Action.valueOf(in.string("action").toUpperCase());
        target.edit(c -> c.withDefaultAction(action));
        console.ok("packets that match no rule: " + action);
        return 0;
    }

    private int listFilters(Invocation in, Console console) {
        if (in.flag("json")) {
            console.println(Json.pretty(JsonViews.filter(candidate())));
            return 0;
        }
        Table table = new Table("#", "ID", "RULE");
        int position = 1;
        for (FilterRule rule : candidate().filters()) {
            table.row(position++, rule.id(), rule.text());
        }
        table.row("", "default", candidate().defaultAction());
        console.println(table.render());
        return 0;
    }

    private int addNat(Invocation in, Console console) {
        NatEndpoint pub = endpoint(in.string("public"));
        NatEndpoint priv = endpoint(in.string("private"));
        Proto proto = in.optional("proto", String.class).map(Proto::parse).orElse(null);
        target.edit(c -> target.editors().rules().addNat(c, pub, priv, proto));
        NatRule added = candidate().nats().get(candidate().nats().size() - 1);
        console.ok("nat " + added.id() + " added: " + added.text());
        return 0;
    }

    private static NatEndpoint endpoint(String text) {
        try {
            return NatEndpoint.parse(text);
        } catch (IllegalArgumentException bad) {
            throw new xnet.grammar.UsageException(bad.getMessage(), "nat add PUBLIC -> PRIVATE [proto " + NAT_PROTOS + "]");
        }
    }

    private int deleteNat(Invocation in, Console console) {
        int id = in.get("id", Integer.class);
        target.edit(c -> target.editors().rules().deleteNat(c, id));
        console.ok("nat " + id + " deleted");
        return 0;
    }

    private int listNats(Invocation in, Console console) {
        if (in.flag("json")) {
            console.println(Json.pretty(candidate().nats().stream().map(JsonViews::natRule).toList()));
            return 0;
        }
        Table table = new Table("ID", "PUBLIC", "PRIVATE", "PROTO");
        for (NatRule r : candidate().nats()) {
            table.row(r.id(), NatEndpoint.text(r.publicIp(), r.publicPort()),
                    NatEndpoint.text(r.privateIp(), r.privatePort()), r.wholeAddress() ? "all" : r.proto());
        }
        console.println(table.isEmpty() ? "no NAT rules" : table.render());
        return 0;
    }

    private int setHook(Invocation in, Console console) {
        Datapath.Hook hook = Datapath.Hook.valueOf(in.string("hook").toUpperCase());
        Datapath.XdpMode mode = in.optional("mode", String.class).map(m -> Datapath.XdpMode.valueOf(m.toUpperCase()))
                .orElse(null);
        String point = in.optional("point", String.class).orElse(null);
        target.edit(c -> target.editors().rules().setHook(c, hook, point, mode));
        console.ok("datapath " + hook + (hook == Datapath.Hook.XDP ? " (" + candidate().datapath().xdpMode() + ")" : "")
                + (point == null ? " everywhere" : " on " + point));
        return 0;
    }

    private int setStrategy(Invocation in, Console console) {
        Datapath.Strategy strategy = Datapath.Strategy.valueOf(in.string("strategy").toUpperCase());
        target.edit(c -> target.editors().rules().setStrategy(c, strategy));
        console.ok("rule strategy " + strategy);
        return 0;
    }

    private int setFastpath(Invocation in, Console console) {
        boolean on = in.string("state").equals("on");
        target.edit(c -> target.editors().rules().setFastpath(c, on));
        console.ok("fast path " + (on ? "on" : "off"));
        return 0;
    }

    private int showDatapath(Invocation in, Console console) {
        Datapath d = candidate().datapath();
        if (in.flag("json")) {
            console.println(Json.pretty(JsonViews.datapath(d)));
            return 0;
        }
        console.println("hook      " + d.hook() + (d.hook() == Datapath.Hook.XDP ? " (" + d.xdpMode() + ")" : ""));
        console.println("xdp mode  " + d.xdpMode());
        console.println("strategy  " + d.strategy());
        console.println("fastpath  " + (d.fastpath() ? "on" : "off"));
        d.perInterface().forEach((point, hook) -> console.println("on " + point + "  " + hook));
        return 0;
    }

    private int showRuleset(Invocation in, Console console) {
        // iptables: both files, iptables-restore's then ip6tables-restore's (each begins with its comment)
        String script = (in.string("kind").equals("iptables") ? xnet.compile.TablesRenderer.iptables(candidate())
                + xnet.compile.TablesRenderer.ip6tables(candidate())
                : xnet.compile.TablesRenderer.nftables(candidate())).stripTrailing();
        if (in.flag("json")) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("kind", in.string("kind"));
            view.put("script", script + "\n");
            console.println(Json.pretty(view));
            return 0;
        }
        console.println(script);
        return 0;
    }

    private int preview(Invocation in, Console console) throws Exception {
        xnet.session.RulesetCheck ruleset = target.checkRuleset();
        if (ruleset != null) {
            return previewRuleset(ruleset, in, console);
        }
        PreviewReport report = target.preview();
        if (in.flag("json")) {
            console.println(Json.pretty(JsonViews.preview(report)));
            return report.allVerified() ? 0 : 1;
        }
        console.heading("strategy " + report.strategy() + " (" + report.reason() + ")");
        console.println("attach points:");
        report.attachPoints().forEach((point, where) -> console.println("  " + point + ": " + where));
        console.println("maps: " + report.ruleEntries() + " rule entries in " + report.tuples() + " tuple(s), "
                + report.natEntries() + " NAT entries, " + report.mapBytes() + " bytes of keys and values");
        console.heading("generated header:");
        console.println(report.header().stripTrailing());
        boolean ok = true;
        for (PreviewReport.Program p : report.programs()) {
            if (p.verified()) {
                console.ok(p.hook() + " (" + p.file() + "): " + p.verdict() + ", " + p.verifiedInstructions()
                        + " instructions verified, " + p.translatedBytes() + " bytes translated, " + p.jitedBytes()
                        + " bytes JIT");
            } else {
                ok = false;
                console.error(p.hook() + " (" + p.file() + "): " + p.verdict());
            }
        }
        console.println("nothing was attached; 'commit' applies it");
        return ok ? 0 : 1;
    }

    /** Under iptables or nftables there is no program: the script a commit would load, and its check. */
    private int previewRuleset(xnet.session.RulesetCheck check, Invocation in, Console console) {
        if (in.flag("json")) {
            console.println(Json.pretty(JsonViews.ruleset(check)));
        } else {
            console.heading("datapath " + check.kind() + ": the script a commit would load");
            console.println(check.script().stripTrailing());
            if (check.passed()) {
                console.ok(check.verdict());
            } else if (check.checked()) {
                console.error(check.verdict());
            } else {
                console.warn(check.verdict());
            }
            console.println("nothing was loaded; 'commit' applies it");
        }
        return check.checked() && !check.passed() ? 1 : 0;
    }

    private int clearCounters(Invocation in, Console console) throws Exception {
        Integer rule = in.optional("id", Integer.class).orElse(null);
        target.clearCounters(rule);
        console.ok(rule == null ? "counters cleared" : "counters of filter " + rule + " cleared");
        return 0;
    }

    private int counters(Invocation in, Console console) throws Exception {
        return console.foreground().interruptible(() -> {
            try {
                return countersUntilStopped(in, console);
            } catch (InterruptedException ctrlC) {
                return 0; // --watch ends with Ctrl-C
            }
        });
    }

    private int countersUntilStopped(Invocation in, Console console) throws Exception {
        boolean watch = in.flag("watch");
        CounterRows.Order order = in.optional("sort", String.class).map(s -> CounterRows.Order.valueOf(s.toUpperCase()))
                .orElse(null);
        if (order == CounterRows.Order.RATE && !watch) {
            throw new IllegalArgumentException("--sort rate needs --watch: a rate is measured between two readings");
        }
        int top = in.optional("top", Integer.class).orElse(0);
        // redrawn in place on a terminal, as top(1) does; a pipe or a file gets one reading after another
        boolean redraw = watch && !in.flag("json") && (console.terminal() || console.colour());
        CounterSnapshot previous = null;
        long previousAt = 0;
        do {
            CounterSnapshot snapshot = target.counters();
            long at = System.nanoTime();
            List<CounterRows.Row> rows = CounterRows.of(snapshot, previous, (at - previousAt) / 1e9, order, top);
            previous = snapshot;
            previousAt = at;
            if (in.flag("json") && watch) {
                // one object per line, for `| jq` or a log: each with the time it was read
                console.println(Json.line(JsonViews.counters(rows, snapshot, java.time.Instant.now())));
            } else if (in.flag("json")) {
                console.println(Json.pretty(JsonViews.counters(rows, snapshot, null)));
            } else if (snapshot.isEmpty()) {
                console.println("no counters: no BPF datapath is running (it starts with the first commit that has"
                        + " filter or NAT rules)");
            } else {
                if (redraw) {
                    console.out().print("\u001b[H\u001b[2J");
                    console.heading("counters of " + target.layout().name() + " at "
                            + java.time.LocalTime.now().withNano(0) + ", every 1 s (Ctrl-C ends)");
                }
                Table rules = watch ? new Table("RULE", "TEXT", "PACKETS", "BYTES", "PKT/S", "BYTES/S")
                        : new Table("RULE", "TEXT", "PACKETS", "BYTES");
                for (CounterRows.Row r : rows) {
                    if (watch) {
                        rules.row(r.rule(), r.text(), r.packets(), r.bytes(), CounterRows.rate(r.packetsPerSecond()),
                                CounterRows.rate(r.bytesPerSecond()));
                    } else {
                        rules.row(r.rule(), r.text(), r.packets(), r.bytes());
                    }
                }
                console.println(rules.render());
                console.println("");
                if (!snapshot.nats().isEmpty()) {
                    Table nats = new Table("NAT", "TEXT", "TO PRIVATE", "TO PUBLIC");
                    snapshot.nats().forEach(n -> nats.row(n.id(), n.text(), n.toPrivate(), n.toPublic()));
                    console.println(nats.render());
                    console.println("");
                }
                Table points = new Table("ATTACH POINT", "PASSED", "DROPPED", "TRANSLATED", "ARP", "FAST PATH");
                var containers = target.running().config().containers();
                snapshot.attachPoints().forEach(p -> points.row(withCniId(p.attachPoint(), containers), p.passed(),
                        p.dropped(), p.translated(), p.arp(), p.fast()));
                console.println(points.render());
            }
            if (watch) {
                Thread.sleep(1000);
                if (!in.flag("json") && !redraw) {
                    console.println("");
                }
            }
            // nobody reads any more (`| head -3`, or the client went away): stop, or this would run forever
        } while (in.flag("watch") && !Thread.currentThread().isInterrupted() && !console.out().checkError());
        return 0;
    }

    /** A container the runtime added through CNI is labelled with its container id too. */
    private static String withCniId(String point, java.util.Map<String, xnet.model.Container> containers) {
        xnet.model.Container c = containers.get(point);
        return c != null && c.attached() && c.foreign().cniId() != null
                ? point + " (CNI " + c.foreign().cniId() + ")" : point;
    }
}
