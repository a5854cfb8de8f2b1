package xnet.shell.commands;

import java.util.List;


import xnet.app.Workspace;
import xnet.bench.CommitCostBench;
import xnet.bench.ProgramCostBench;
import xnet.grammar.CommandSpec;
import xnet.grammar.Invocation;
import xnet.kernel.ClangCompiler;
import xnet.render.Table;
import xnet.shell.CommandDef;
import xnet.shell.CommandGroup;
import xnet.shell.Console;

/** Benchmarks of the datapath itself. They build what they need and leave the user's lab alone. */
public class BenchCommands implements CommandGroup {

    private final ClangCompiler compiler;

    public BenchCommands(ClangCompiler compiler) {
        this.compiler = compiler;
    }

    @Override
    public List<CommandDef> commands() {
        return List.of(
                CommandDef.of(CommandSpec.of("bench", "[--quick] [--smoke] [--out <dir:FILE>] [--only <experiments:TEXT>]",
                        "rerun the study: every dataplane side by side, results as CSV, PNG charts and Markdown",
                        "Throughput against rules on one host and on two over VXLAN (iptables-legacy, iptables-nft,\n"
                        + "nftables with a set, xnet tc and xdp with each strategy), latency against message size\n"
                        + "(NPtcp, sockperf), 64-byte packets forwarded and dropped, the fast path at 0 rules, loss\n"
                        + "during rule changes, program cost and commit cost. Each experiment builds a lab of its\n"
                        + "own and removes it; your labs are left alone. --quick takes a few minutes, --smoke about\n"
                        + "one (the test suite runs it: every experiment's code path, figures too short to mean\n"
                        + "anything); the full run takes about 90 minutes. --only runs some experiments, named\n"
                        + "with commas: " + String.join(",", xnet.bench.StudyBench.EXPERIMENTS) + ".\n"
                        + "Results go to --out, default $XNET_HOME/bench/DATE-TIME."),
                        this::study),
                CommandDef.of(CommandSpec.of("bench program", "[--quick]",
                        "ns per packet of the BPF program (BPF_PROG_TEST_RUN) against rule count, per strategy"),
                        this::program),
                CommandDef.of(CommandSpec.of("bench commit", "[--quick]",
                        "time of full and one-rule commits against nft -f, in a lab of the benchmark's own"),
                        this::commit));
    }

    private int study(Invocation in, Console console) throws Exception {
        Workspace workspace = Workspace.fromEnvironment();
        java.nio.file.Path out = in.optional("dir", String.class).map(java.nio.file.Path::of)
                .orElseGet(() -> workspace.home().resolve("bench").resolve(java.time.LocalDateTime.now()
                        .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        if (in.flag("quick") && in.flag("smoke")) {
            throw new xnet.grammar.UsageException("--quick and --smoke are two plans: give one",
                    "bench [--quick | --smoke] [--out DIR] [--only EXPERIMENT,...]");
        }
        xnet.bench.StudyBench.Plan plan = in.flag("quick") ? xnet.bench.StudyBench.Plan.quick()
                : in.flag("smoke") ? xnet.bench.StudyBench.Plan.smoke() : xnet.bench.StudyBench.Plan.full();
        List<String> experiments = xnet.bench.StudyBench.EXPERIMENTS;
        java.util.Set<String> only = in.optional("experiments", String.class)
                .map(list -> java.util.Set.copyOf(java.util.Arrays.asList(list.split(","))))
                .orElse(java.util.Set.copyOf(experiments));
        List<String> unknown = only.stream().filter(e -> !experiments.contains(e)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new xnet.grammar.UsageException("no experiment named " + String.join(", ", unknown) + "; there are "
                    + String.join(", ", experiments), "bench [--quick | --smoke] [--out DIR] [--only EXPERIMENT,...]");
        }
        try (xnet.bench.BenchLock lock = xnet.bench.BenchLock.take()) {
            if (lock == null) {
                console.error("another bench runs on this machine (" + xnet.bench.BenchLock.PATH + " is locked): its labs"
                        + " have the same names; wait for it to finish");
                return 1;
            }
            java.nio.file.Path dir = new xnet.bench.StudyBench(workspace.root(), compiler, console.err())
                    .run(plan, out, only);
            console.ok("results in " + dir + " (summary.md, one CSV and one PNG per experiment)");
            return 0;
        }
    }

    private int program(Invocation in, Console console) {
        boolean quick = in.flag("quick");
        int[] counts = quick ? new int[] {1, 1000, 10000} : new int[] {1, 1000, 100000, 1000000};
        List<ProgramCostBench.Cell> cells = new ProgramCostBench(compiler)
                .run(counts, quick ? 3 : 5, quick ? 20000 : 100000, s -> console.err().println("  ... " + s));
        Table table = new Table("RULES FORM", "STRATEGY", "HOOK", "RULES", "NS/PACKET MEDIAN (MIN-MAX)", "NOTE");
        cells.stream().sorted(java.util.Comparator.comparing(ProgramCostBench.Cell::form).reversed()
                .thenComparing(ProgramCostBench.Cell::strategy).thenComparing(ProgramCostBench.Cell::hook)
                .thenComparingInt(ProgramCostBench.Cell::rules)).forEach(c -> table.row(c.form(), c.strategy(), c.hook(), c.rules(),
                c.nsPerPacket() == null ? "-" : c.nsPerPacket().format("ns"), c.note()));
        console.println(table.render());
        return 0;
    }

    private int commit(Invocation in, Console console) throws Exception {
        boolean quick = in.flag("quick");
        int[] counts = quick ? new int[] {1000, 10000} : new int[] {1000, 10000, 100000};
        List<CommitCostBench.Row> rows = new CommitCostBench(Workspace.fromEnvironment().root())
                .run(counts, quick ? 10000 : 100000, quick ? 2 : 3, s -> console.err().println("  ... " + s));
        Table table = new Table("WHAT", "RULES", "XNET MS", "NFT MS", "IPTABLES-LEGACY MS", "IPTABLES-NFT MS", "XNET/NFT");
        rows.forEach(r -> table.row(r.what(), r.rules(), r.xnetMs().format("ms"), r.nftMs().format("ms"),
                iptables(r, "iptables-legacy"), iptables(r, "iptables-nft"),
                String.format("%.2f", r.xnetMs().median() / r.nftMs().median())));
        console.println(table.render());
        return 0;
    }

    /** A batch file is compared with nft only. */
    private static String iptables(CommitCostBench.Row row, String tool) {
        return row.ms().containsKey(tool) ? xnet.bench.Stats.of(row.ms().get(tool)).format("ms") : "-";
    }
}
