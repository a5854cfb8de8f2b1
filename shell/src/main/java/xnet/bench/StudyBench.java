package xnet.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import xnet.kernel.ClangCompiler;
import xnet.model.FilterRule;

/**
 * The study, rerun: every experiment builds a lab of its own, measures the dataplanes side by
 * side (interleaved within each round), and removes the lab; results go to a folder as CSV, PNG
 * and a Markdown summary. {@link Plan#quick()} finishes in a few minutes and is what the test
 * suite runs; {@link Plan#full()} is the run for the README.
 */
public final class StudyBench {

    /** Sizes and repetitions of one run. */
    public record Plan(String name, int[] counts, int rounds, int seconds, int swapCommits, int[] programCounts,
                       int programRounds, int[] commitCounts, int oneRuleAt, int[] smallCounts) {

        public static Plan quick() {
            return new Plan("quick", new int[] {0, 100, 1000}, 1, 1, 40, new int[] {1, 1000}, 1, new int[] {1000}, 1000,
                    new int[] {1000});
        }

        public static Plan full() {
            return new Plan("full", new int[] {0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 10_000, 100_000, 1_000_000},
                    3, 5, 1000, new int[] {1, 1000, 100_000, 1_000_000}, 5, new int[] {1000, 10_000, 100_000}, 100_000,
                    new int[] {100, 1000, 10_000, 100_000});
        }
    }

    static final String THROUGHPUT = "throughput-1host";
    static final String FAST_PATH = "fast-path";
    static final String SMALL_PACKETS = "small-packets";
    static final String SWAP_LOSS = "swap-loss";
    static final String PROGRAM_COST = "program-cost";
    static final String COMMIT_COST = "commit-cost";
    private static final int PORT = 5311;

    private final Path root;
    private final ClangCompiler compiler;
    private final PrintStream log;

    public StudyBench(Path root, ClangCompiler compiler, PrintStream log) {
        this.root = root;
        this.compiler = compiler;
        this.log = log;
    }

    /** Runs the plan; returns the results folder. */
    public Path run(Plan plan, Path out) throws Exception {
        ResultFiles files = new ResultFiles(out);
        Map<String, String> environment = Environment.facts();
        environment.put("plan", plan.name());
        files.environment(environment);
        Progress progress = new Progress(log, steps(plan));
        Map<String, List<Measurement>> results = new LinkedHashMap<>();
        results.put(THROUGHPUT, throughput(plan, progress));
        results.put(FAST_PATH, fastPath(plan, progress));
        results.put(SMALL_PACKETS, smallPackets(plan, progress));
        results.put(SWAP_LOSS, swapLoss(plan, progress));
        results.put(PROGRAM_COST, programCost(plan, progress));
        results.put(COMMIT_COST, commitCost(plan, progress));
        progress.step("writing results to " + files.dir());
        for (Map.Entry<String, List<Measurement>> e : results.entrySet()) {
            files.write(e.getKey(), e.getValue());
        }
        Charts.lines(files.chart(THROUGHPUT), "TCP throughput against rules, one host (16 KiB writes)",
                "throughput / 0-rule baseline", results.get(THROUGHPUT), true);
        Charts.bars(files.chart(FAST_PATH), "Container to container at 0 rules", "Gbit/s", results.get(FAST_PATH));
        Charts.lines(files.chart(SMALL_PACKETS), "64-byte UDP packets forwarded, against rules",
                "packets per second", results.get(SMALL_PACKETS), false);
        Charts.bars(files.chart(SWAP_LOSS), "UDP datagrams lost during " + plan.swapCommits() + " commits",
                "datagrams lost", results.get(SWAP_LOSS));
        Charts.lines(files.chart(PROGRAM_COST), "BPF program cost (BPF_PROG_TEST_RUN)", "ns per packet",
                results.get(PROGRAM_COST), false);
        Charts.lines(files.chart(COMMIT_COST), "Loading N rules", "ms", results.get(COMMIT_COST), false);
        files.summary(Summary.markdown(environment, results));
        return files.dir();
    }

    private static int steps(Plan plan) {
        int dataplanes = Dataplane.values().length;
        int throughput = plan.rounds() * (1 + (plan.counts().length - 1) * dataplanes);
        int fastPath = plan.rounds() * 3;
        int swapLoss = 1 + dataplanes;
        int small = plan.rounds() * (1 + plan.smallCounts().length * dataplanes);
        return throughput + fastPath + swapLoss + small + 3; // program cost, commit cost, writing
    }

    /** Experiment 1: TCP throughput against rules, every dataplane, as a ratio to the round's 0-rule baseline. */
    private List<Measurement> throughput(Plan plan, Progress progress) throws Exception {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, List<Double>> ratios = new HashMap<>();
        Map<String, String> notes = new HashMap<>();
        try (BenchLab lab = new BenchLab("xbench1", root)) {
            lab.startServer(PORT);
            for (int round = 0; round < plan.rounds(); round++) {
                progress.step("throughput round " + (round + 1) + ": baseline, no rules");
                lab.plain();
                double baseline = lab.tcpGbps(BenchLab.CLIENT, PORT, plan.seconds());
                for (Dataplane d : Dataplane.values()) {
                    add(values, ratios, key(d, 0), baseline, 1.0);
                    notes.put(key(d, 0), "0 rules: the plain path, nothing loaded");
                }
                for (int count : plan.counts()) {
                    if (count == 0) {
                        continue;
                    }
                    acrossDataplanes(lab, BenchRules.studyForm(count), "throughput round " + (round + 1), progress, notes,
                            d -> key(d, count), l -> l.tcpGbps(BenchLab.CLIENT, PORT, plan.seconds()),
                            (cell, gbps) -> add(values, ratios, cell, gbps, gbps / baseline));
                }
            }
        }
        List<Measurement> rows = new ArrayList<>();
        for (int count : plan.counts()) {
            for (Dataplane d : Dataplane.values()) {
                String key = key(d, count);
                rows.add(new Measurement(THROUGHPUT, d.id(), count, values.getOrDefault(key, List.of()), "Gbit/s",
                        ratios.get(key), notes.get(key)));
            }
        }
        return rows;
    }

    /** One measurement of a lab that holds rules. */
    @FunctionalInterface
    private interface Measure {
        double of(BenchLab lab) throws Exception;
    }

    /**
     * For every dataplane that can hold the rules: load them and measure; a refusal or a failure
     * becomes the cell's note (and a failed iperf3 gets fresh servers).
     */
    private static void acrossDataplanes(BenchLab lab, List<FilterRule> rules, String what, Progress progress,
                                         Map<String, String> notes, java.util.function.Function<Dataplane, String> key,
                                         Measure measure, java.util.function.BiConsumer<String, Double> record)
            throws Exception {
        for (Dataplane d : Dataplane.values()) {
            progress.step(what + ": " + d + ", " + rules.size() + " rules");
            String cell = key.apply(d);
            String refusal = d.refusal(rules.size());
            if (refusal != null) {
                notes.put(cell, refusal);
                continue;
            }
            try {
                lab.load(d, rules);
                record.accept(cell, measure.of(lab));
            } catch (RuntimeException failed) {
                notes.put(cell, "failed: " + failed.getMessage());
                lab.restartServers();
            }
        }
    }

    private static String key(Dataplane d, int count) {
        return d.id() + "/" + count;
    }

    private static void add(Map<String, List<Double>> values, Map<String, List<Double>> ratios, String key, double value,
                            double ratio) {
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        ratios.computeIfAbsent(key, k -> new ArrayList<>()).add(ratio);
    }

    /**
     * Experiment 7: container to container at 0 rules, bridged (same bridge) and routed (across
     * bridges), without any program and with xnet's programs attached (one rule, matching nothing).
     */
    private List<Measurement> fastPath(Plan plan, Progress progress) throws Exception {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        List<FilterRule> one = BenchRules.studyForm(1);
        try (BenchLab lab = new BenchLab("xbench7", root)) {
            lab.startServer(PORT);
            for (int round = 0; round < plan.rounds(); round++) {
                for (String setup : List.of("plain", "xnet-tc", "xnet-xdp")) {
                    progress.step("fast path round " + (round + 1) + ": " + setup);
                    switch (setup) {
                        case "plain" -> lab.plain();
                        case "xnet-tc" -> lab.load(Dataplane.XNET_TC_MAP, one);
                        default -> lab.load(Dataplane.XNET_XDP_MAP, one);
                    }
                    values.computeIfAbsent(setup + " bridged", k -> new ArrayList<>())
                            .add(lab.tcpGbps(BenchLab.NEIGHBOUR, PORT, plan.seconds()));
                    values.computeIfAbsent(setup + " routed", k -> new ArrayList<>())
                            .add(lab.tcpGbps(BenchLab.CLIENT, PORT, plan.seconds()));
                }
            }
        }
        List<Measurement> rows = new ArrayList<>();
        values.forEach((path, samples) -> rows.add(new Measurement(FAST_PATH, path, 0, samples, "Gbit/s", null,
                path.startsWith("plain") ? "no program" : "xnet's program on every veth, 1 rule")));
        return rows;
    }

    /**
     * Experiment 3: 64-byte frames (UDP, 18 bytes of payload) sent as fast as the client can, and
     * the rate the server receives with N rules that match nothing. Large TCP segments hide
     * classification cost behind GSO; these do not. (The rate a dataplane drops is not measured
     * yet: iperf3 needs an answer from the server before it sends, so it cannot send into a
     * drop rule.)
     */
    private List<Measurement> smallPackets(Plan plan, Progress progress) throws Exception {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, String> notes = new HashMap<>();
        try (BenchLab lab = new BenchLab("xbench3", root)) {
            lab.startServer(PORT);
            for (int round = 0; round < plan.rounds(); round++) {
                progress.step("small packets round " + (round + 1) + ": no rules");
                lab.plain();
                values.computeIfAbsent("plain forwarded/0", k -> new ArrayList<>()).add(udpRate(lab, plan));
                for (int count : plan.smallCounts()) {
                    acrossDataplanes(lab, BenchRules.studyForm(count), "small packets round " + (round + 1), progress,
                            notes, d -> d.id() + " forwarded/" + count, l -> udpRate(l, plan),
                            (cell, rate) -> values.computeIfAbsent(cell, k -> new ArrayList<>()).add(rate));
                }
            }
        }
        List<Measurement> rows = new ArrayList<>();
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(values.keySet());
        keys.addAll(notes.keySet());
        for (String key : keys) {
            String[] parts = key.split("/");
            rows.add(new Measurement(SMALL_PACKETS, parts[0], Long.parseLong(parts[1]), values.getOrDefault(key, List.of()),
                    "packets/s", null, notes.getOrDefault(key, "received by the server")));
        }
        return rows;
    }

    /** Packets per second received by the server. */
    private static double udpRate(BenchLab lab, Plan plan) throws Exception {
        JsonNode sum = lab.iperf(BenchLab.CLIENT, PORT, plan.seconds(), "-u", "-b", "0", "-l", "18").path("end").path("sum");
        double seconds = sum.path("seconds").asDouble(plan.seconds());
        long sent = sum.path("packets").asLong();
        long lost = sum.path("lost_packets").asLong();
        return (sent - lost) / seconds;
    }

    /**
     * Experiment 6: a UDP stream (iperf3 numbers its datagrams) while the rules change
     * {@code swapCommits} times between two sets of 100; datagrams lost, per dataplane, next to the
     * same stream without changes.
     */
    private List<Measurement> swapLoss(Plan plan, Progress progress) throws Exception {
        List<Measurement> rows = new ArrayList<>();
        List<FilterRule> setA = BenchRules.studyForm(100);
        List<FilterRule> setB = BenchRules.studyForm(101).subList(1, 101);
        try (BenchLab lab = new BenchLab("xbench6", root)) {
            lab.startServer(PORT);
            progress.step("swap loss: no changes");
            lab.plain();
            rows.add(udpLoss(lab, "none (no changes)", null, null, null, plan));
            for (Dataplane d : Dataplane.values()) {
                progress.step("swap loss: " + d + ", " + plan.swapCommits() + " changes");
                lab.load(d, setA);
                rows.add(udpLoss(lab, d.id(), d, setA, setB, plan));
            }
        }
        return rows;
    }

    private Measurement udpLoss(BenchLab lab, String name, Dataplane d, List<FilterRule> setA, List<FilterRule> setB,
                                Plan plan) throws Exception {
        int seconds = Math.max(2, plan.swapCommits() / 20);
        java.util.concurrent.CompletableFuture<JsonNode> stream = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return lab.iperf(BenchLab.CLIENT, PORT, seconds, "-u", "-b", "100M", "-l", "1200");
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        int done = 0;
        long drops = lab.socketDrops();
        long start = System.nanoTime();
        if (d != null) {
            Thread.sleep(300);
            for (int i = 0; i < plan.swapCommits() && System.nanoTime() - start < (seconds - 0.5) * 1e9; i++) {
                List<FilterRule> next = i % 2 == 0 ? setB : setA;
                if (d.xnet()) {
                    lab.commitRules(d, next);
                } else {
                    lab.loadTables(d, d == Dataplane.NFTABLES_SET ? TableFiles.nftSet(next) : TableFiles.iptablesChain(next));
                }
                done++;
            }
        }
        JsonNode sum = stream.get().path("end").path("sum");
        long lost = sum.path("lost_packets").asLong();
        long sent = sum.path("packets").asLong();
        long socket = lab.socketDrops() - drops;
        String note = (d == null ? "" : done + " changes during " + seconds + " s" + (done < plan.swapCommits()
                ? " (the stream ended first)" : "") + ", ") + sent + " datagrams sent, " + lost + " missing at the"
                + " receiver, of which " + socket + " dropped by its full socket (not the datapath's loss)";
        return new Measurement(SWAP_LOSS, name, done, List.of((double) Math.max(0, lost - socket)),
                "datagrams lost", null, note);
    }

    /** Experiment 4: ns per packet of xnet's programs alone, against rules (BPF programs only). */
    private List<Measurement> programCost(Plan plan, Progress progress) {
        progress.step("program cost: loading and running the programs");
        List<Measurement> rows = new ArrayList<>();
        for (ProgramCostBench.Cell c : new ProgramCostBench(compiler).run(plan.programCounts(), plan.programRounds(),
                plan.name().equals("quick") ? 20_000 : 100_000, s -> { })) {
            String dataplane = "xnet-" + c.hook() + "-" + c.strategy().toLowerCase() + " " + c.form();
            rows.add(new Measurement(PROGRAM_COST, dataplane, c.rules(), c.samples() == null ? List.of() : c.samples(),
                    "ns/packet", null, c.note()));
        }
        return rows;
    }

    /** Experiment 5: a full load of N rules and a one-rule change: xnet, nft -f, iptables-restore (both backends). */
    private List<Measurement> commitCost(Plan plan, Progress progress) throws Exception {
        progress.step("commit cost: xnet, nft and iptables, interleaved");
        List<Measurement> rows = new ArrayList<>();
        for (CommitCostBench.Row r : new CommitCostBench(root).run(plan.commitCounts(), plan.oneRuleAt(),
                Math.max(2, plan.rounds()), s -> { })) {
            boolean one = r.what().startsWith("one");
            for (String tool : CommitCostBench.TOOLS) {
                rows.add(new Measurement(COMMIT_COST, tool + (one ? " one rule" : " full"), r.rules(), r.ms().get(tool),
                        "ms", null, how(tool, one)));
            }
        }
        return rows;
    }

    private static String how(String tool, boolean one) {
        return switch (tool) {
            case "xnet" -> one ? "commit of one more rule (in place)" : "commit from 1 rule to N";
            case "nft" -> one ? "nft add element" : "nft -f, rules as a set";
            default -> one ? tool + " -A FORWARD" : tool + "-restore, a linear chain";
        };
    }
}
