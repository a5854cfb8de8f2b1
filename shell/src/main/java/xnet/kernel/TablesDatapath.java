package xnet.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import xnet.datapath.TablesRenderer;
import xnet.model.Config;
import xnet.model.Datapath;
import xnet.plan.TargetLayout;
import xnet.session.DatapathPort;
import xnet.session.RunningState;

/**
 * `datapath iptables` and `datapath nftables`: the rules rendered for the kernel's own tables in
 * the lab's host namespace. Each load is one atomic step (iptables-restore replaces a table,
 * `nft -f` is one transaction). Prepare only renders and checks; apply loads and remembers how
 * to go back (the previous ruleset, saved first).
 */
public final class TablesDatapath implements DatapathPort {

    private final TargetLayout layout;

    public TablesDatapath(TargetLayout layout) {
        this.layout = layout;
    }

    @Override
    public Prepared prepare(Config candidate, RunningState running) {
        Datapath.Hook now = running.config().datapath().hook();
        Datapath.Hook next = candidate.datapath().hook();
        boolean involved = !now.bpf() || !next.bpf();
        if (involved && !layout.lab()) {
            throw new IllegalStateException("datapath " + (next.bpf() ? now : next)
                    + " replaces whole tables and is offered in labs only, not with --host");
        }
        return new Prepared() {
            private Runnable undo = () -> { };

            @Override
            public xnet.session.DatapathState apply() {
                if (!involved) {
                    return running.datapath();
                }
                String savedIptables = run(List.of("iptables-save"), null, false);
                String savedNft = run(List.of("nft", "list", "table", "ip", TablesRenderer.NFT_TABLE), null, true);
                undo = () -> {
                    load(List.of("iptables-restore"), savedIptables.isBlank() ? TablesRenderer.iptablesEmpty() : savedIptables);
                    load(List.of("nft", "-f", "-"), TablesRenderer.nftablesRemoval()
                            + (savedNft.isBlank() ? "" : savedNft));
                };
                load(List.of("iptables-restore"), next == Datapath.Hook.IPTABLES ? TablesRenderer.iptables(candidate)
                        : TablesRenderer.iptablesEmpty());
                load(List.of("nft", "-f", "-"), next == Datapath.Hook.NFTABLES ? TablesRenderer.nftables(candidate)
                        : TablesRenderer.nftablesRemoval());
                return running.datapath();
            }

            @Override
            public void revert() {
                undo.run();
            }

            @Override
            public void close() {
            }
        };
    }

    private String load(List<String> command, String input) {
        return run(command, input, false);
    }

    /** Runs a command in the host namespace, with the input on stdin. */
    private String run(List<String> command, String input, boolean tolerateFailure) {
        try {
            Path file = Files.createTempFile("xnet-tables", ".txt");
            try {
                Files.writeString(file, input == null ? "" : input);
                List<String> argv = new java.util.ArrayList<>(List.of("ip", "netns", "exec", layout.hostNamespace()));
                argv.addAll(command.stream().map(a -> a.equals("-") ? file.toString() : a).toList());
                if (command.get(0).equals("iptables-restore")) {
                    argv.add(file.toString());
                }
                ProcessRunner.Result result = ProcessRunner.capture(argv);
                if (result.status() != 0 && !tolerateFailure) {
                    throw new xnet.session.KernelException(String.join(" ", command) + ": " + result.err().trim());
                }
                return result.status() == 0 ? result.out() : "";
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new xnet.session.KernelException(command.get(0) + ": " + e.getMessage(), e);
        }
    }
}
