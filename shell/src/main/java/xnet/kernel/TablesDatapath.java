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
        String savedNft = inHost(List.of("nft", "list", "table", "ip", TablesRenderer.NFT_TABLE), true);
        String iptables = next == Datapath.Hook.IPTABLES ? TablesRenderer.iptables(candidate)
                : TablesRenderer.iptablesEmpty();
        String nft = next == Datapath.Hook.NFTABLES ? TablesRenderer.nftables(candidate)
                : TablesRenderer.nftablesRemoval();
        load("iptables-restore --test", iptables);
        load("nft -c -f", nft);
        return new Prepared() {
            private final List<Runnable> undo = new java.util.ArrayList<>();

            /** Each load replaces a whole table in one step: the swap of this datapath. */
            @Override
            public xnet.session.DatapathState apply() {
                load("iptables-restore", iptables);
                undo.add(() -> load("iptables-restore", savedIptables.isBlank() ? TablesRenderer.iptablesEmpty()
                        : savedIptables));
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
                        left.add("restore the host's " + (i == 0 ? "iptables" : "nftables") + " rules: "
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
