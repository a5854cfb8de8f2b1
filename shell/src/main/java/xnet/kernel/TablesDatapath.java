package xnet.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import xnet.compile.TablesRenderer;
import xnet.model.Config;
import xnet.model.Datapath;
import xnet.model.FilterRule;
import xnet.plan.TargetLayout;
import xnet.session.CounterSnapshot;
import xnet.session.DatapathPort;
import xnet.session.RunningState;

/**
 * `datapath iptables` and `datapath nftables`: the rules rendered for the kernel's own tables in
 * the lab's host namespace. Each load is one atomic step (iptables-restore replaces a table,
 * `nft -f` is one transaction). Prepare saves what runs, renders, and has both tools check the
 * result (iptables-restore --test, nft -c) without loading it; apply loads and remembers how to
 * go back (the saved rulesets).
 */
public final class TablesDatapath implements DatapathPort {

    private final TargetLayout layout;

    public TablesDatapath(TargetLayout layout) {
        this.layout = layout;
    }

    @Override
    public Prepared prepare(Config candidate, RunningState running, xnet.diff.FilterDelta filters) {
        Datapath.Hook now = running.config().datapath().hook();
        Datapath.Hook next = candidate.datapath().hook();
        boolean involved = !now.bpf() || !next.bpf();
        if (involved && !layout.lab()) {
            throw new IllegalStateException("datapath " + (next.bpf() ? now : next)
                    + " replaces whole tables and is offered in labs only, not with --host");
        }
        if (!involved) {
            return DatapathPort.unchanged(running.datapath());
        }
        // everything that can fail before apply: save what runs now, render, and let both tools check
        String savedIptables = inHost(List.of("iptables-save"), false);
        String savedIp6tables = inHost(List.of("ip6tables-save"), false);
        String savedNft = inHost(List.of("nft", "list", "table", "inet", TablesRenderer.NFT_TABLE), true);
        String iptables = next == Datapath.Hook.IPTABLES ? TablesRenderer.iptables(candidate)
                : TablesRenderer.iptablesEmpty();
        String ip6tables = next == Datapath.Hook.IPTABLES ? TablesRenderer.ip6tables(candidate)
                : TablesRenderer.ip6tablesEmpty();
        String nft = next == Datapath.Hook.NFTABLES ? TablesRenderer.nftables(candidate)
                : TablesRenderer.nftablesRemoval();
        load("iptables-restore --test", iptables);
        load("ip6tables-restore --test", ip6tables);
        load("nft -c -f", nft);
        return new Prepared() {
            private final List<Runnable> undo = new java.util.ArrayList<>();

            /** Each load replaces a whole table in one step: the swap of this datapath. */
            @Override
            public xnet.session.DatapathState apply() {
                load("iptables-restore", iptables);
                undo.add(() -> load("iptables-restore", savedIptables.isBlank() ? TablesRenderer.iptablesEmpty()
                        : savedIptables));
                load("ip6tables-restore", ip6tables);
                undo.add(() -> load("ip6tables-restore", savedIp6tables.isBlank() ? TablesRenderer.ip6tablesEmpty()
                        : savedIp6tables));
                load("nft -f", nft);
                undo.add(() -> load("nft -f", TablesRenderer.nftablesRemoval() + savedNft));
                return running.datapath();
            }

            @Override
            public List<String> revert() {
                List<String> left = new java.util.ArrayList<>();
                for (int i = undo.size() - 1; i >= 0; i--) {
                    try {
                        undo.get(i).run();
                    } catch (RuntimeException failure) {
                        left.add("restore the host's " + List.of("iptables", "ip6tables", "nftables").get(i) + " rules: "
                                + failure.getMessage());
                    }
                }
                undo.clear();
                return left;
            }

            @Override
            public void close() {
            }
        };
    }

    /** iptables and nftables count per rule only; there are no per-attach-point counters. */
    @Override
    public CounterSnapshot counters(RunningState running) {
        Map<String, long[]> counts = TablesCounters.read(layout, running.config().datapath().hook());
        List<CounterSnapshot.RuleCount> rules = new ArrayList<>();
        for (FilterRule rule : running.config().filters()) {
            long[] c = counts.getOrDefault("xnet " + rule.id(), new long[2]);
            rules.add(new CounterSnapshot.RuleCount(Integer.toString(rule.id()), rule.text(), c[0], c[1]));
        }
        long[] fallthrough = counts.getOrDefault("xnet default", new long[2]);
        rules.add(new CounterSnapshot.RuleCount("default", running.config().defaultAction().toString(),
                fallthrough[0], fallthrough[1]));
        return new CounterSnapshot(rules, List.of());
    }

    @Override
    public List<String> describe(Config candidate, RunningState running) {
        Datapath.Hook now = running.config().datapath().hook();
        Datapath.Hook next = candidate.datapath().hook();
        List<String> out = new ArrayList<>();
        if (!next.bpf() && (next != now || !script(next, candidate).equals(script(next, running.config())))) {
            out.add(next + ": load the rendered " + (next == Datapath.Hook.NFTABLES ? "table inet xnet (nft -f)"
                    : "filter and nat tables (iptables-restore) and IPv6 filter table (ip6tables-restore)")
                    + " in one step each: " + candidate.filters().size()
                    + " rule(s), " + candidate.nats().size() + " NAT rule(s)");
        }
        if (!now.bpf() && next != now) {
            out.add(now + ": remove xnet's rules (" + (now == Datapath.Hook.NFTABLES ? "delete table inet xnet"
                    : "restore empty chains") + ")");
        }
        return out;
    }

    @Override
    public xnet.session.RulesetCheck checkRuleset(Config candidate) {
        Datapath.Hook hook = candidate.datapath().hook();
        String script = script(hook, candidate);
        // each checker with what it checks, in order: nft has one file, iptables one per family
        List<Map.Entry<String, String>> loads = hook == Datapath.Hook.NFTABLES ? List.of(Map.entry("nft -c -f", script))
                : List.of(Map.entry("iptables-restore --test", TablesRenderer.iptables(candidate)),
                        Map.entry("ip6tables-restore --test", TablesRenderer.ip6tables(candidate)));
        if (!Netns.exists(layout.hostNamespace())) {
            return new xnet.session.RulesetCheck(hook.toString(), script, false, false,
                    "not checked: the lab's host namespace does not exist yet (the first commit makes it)");
        }
        for (Map.Entry<String, String> load : loads) {
            try {
                load(load.getKey(), load.getValue());
            } catch (RuntimeException refused) {
                return new xnet.session.RulesetCheck(hook.toString(), script, true, false, load.getKey() + ": "
                        + refused.getMessage());
            }
        }
        return new xnet.session.RulesetCheck(hook.toString(), script, true, true, String.join(" and ", loads.stream().map(Map.Entry::getKey).toList())
                + ": no errors");
    }

    /** What a tables datapath loads for a config: an nft script, or the iptables-restore and ip6tables-restore files. */
    private static String script(Datapath.Hook hook, Config config) {
        return hook == Datapath.Hook.NFTABLES ? TablesRenderer.nftables(config)
                : TablesRenderer.iptables(config) + TablesRenderer.ip6tables(config);
    }

    /** iptables -Z and nft reset zero a whole chain: one rule alone cannot be cleared there. */
    @Override
    public void clearCounters(RunningState running, Integer rule) {
        Datapath.Hook hook = running.config().datapath().hook();
        if (rule != null) {
            throw new IllegalArgumentException("clear counters ID is for the BPF datapaths (tc, xdp); under " + hook
                    + " 'clear counters' clears every rule");
        }
        if (hook == Datapath.Hook.NFTABLES) {
            // nft 1.0.6 has no `reset rules`: loading the same table again (one transaction) starts its counters at 0
            load("nft -f", TablesRenderer.nftables(running.config()));
        } else {
            ProcessRunner.run(List.of("ip", "netns", "exec", layout.hostNamespace(), "iptables", "-Z", "XNET"));
            ProcessRunner.run(List.of("ip", "netns", "exec", layout.hostNamespace(), "ip6tables", "-Z", "XNET"));
        }
    }

    /** Loads a ruleset file with the given loader ("iptables-restore" or "nft -f") in the host namespace. */
    private void load(String loader, String ruleset) {
        try {
            Path file = Files.createTempFile("xnet-tables", ".txt");
            try {
                Files.writeString(file, ruleset);
                List<String> command = new java.util.ArrayList<>(List.of(loader.split(" ")));
                command.add(file.toString());
                inHost(command, false);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new xnet.session.KernelException(loader + ": " + e.getMessage(), e);
        }
    }

    /** Runs a command in the host namespace; a failure throws unless tolerated (then: empty output). */
    private String inHost(List<String> command, boolean tolerateFailure) {
        List<String> argv = new java.util.ArrayList<>(List.of("ip", "netns", "exec", layout.hostNamespace()));
        argv.addAll(command);
        ProcessRunner.Result result = ProcessRunner.capture(argv);
        if (result.status() != 0 && !tolerateFailure) {
            throw new xnet.session.KernelException(String.join(" ", command) + ": " + result.err().trim());
        }
        return result.status() == 0 ? result.out() : "";
    }
}
