package xnet.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import xnet.kernel.ClangCompiler;
import xnet.model.FilterRule;

/**
 * The study, rerun: every experiment builds a lab of its own, measures the dataplanes side by
 * side (interleaved within each round), and removes the lab; results go to a folder as CSV, PNG
 * and a Markdown summary. {@link Plan#full()} is the run for the README, {@link Plan#quick()} a
 * look in a few minutes, and {@link Plan#smoke()} what the test suite runs: every experiment's
 * code path in about a minute, with figures too short to mean anything.
 */
public final class StudyBench {

    /**
     * Sizes and repetitions of one run. {@code dataplanes} are compared in every experiment after
     * the first; the first (throughput on one host) always compares all of them, so that each
     * dataplane's loading is run by every plan.
     */
    public record Plan(String name, int[] counts, int rounds, int seconds, int swapCommits, int[] programCounts,
                       int programRounds, int programRuns, int[] commitCounts, int oneRuleAt, int[] smallCounts,
                       double floodSeconds, int[] twoHostCounts, int[] latencyCounts, int[] sockperfSizes,
                       int netpipeRepeats, int netpipeLargest, List<String> fastPathWrites, List<String> fastPaths,
                       int shapeRules, int[] shapeCounts, int shapePackets, List<Dataplane> dataplanes) {

        public static Plan quick() {
            return new Plan("quick", new int[] {0, 1000}, 1, 1, 40, new int[] {1, 1000}, 1, 20_000, new int[] {1000},
                    1000, new int[] {1000}, 0.5, new int[] {0, 1000}, new int[] {0, 800}, new int[] {64}, 50,
                    NETPIPE_LARGEST, List.of("16K"), List.of("routed", "outbound"), 10_000, new int[] {1, 4}, 5_000,
                    List.of(Dataplane.values()));
        }

        /**
         * The suite's run: small rule sets, the shortest measurements the tools take, and one
         * kernel table and one xnet program beside the plain path after the first experiment.
         */
        public static Plan smoke() {
            return new Plan("smoke", new int[] {0, 10}, 1, 1, 4, new int[] {10}, 1, 1_000, new int[] {100}, 100,
                    new int[] {10}, 0.2, new int[] {0, 10}, new int[] {0, 10}, new int[] {64}, 3, 1024, List.of("16K"),
                    List.of("routed"), 100, new int[] {4}, 500,
                    List.of(Dataplane.IPTABLES_NFT, Dataplane.XNET_TC_MAP, Dataplane.XNET_XDP_INLINE));
        }

        public static Plan full() {
            return new Plan("full", new int[] {0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 10_000, 100_000, 1_000_000},
                    3, 5, 1000, new int[] {1, 1000, 100_000, 1_000_000}, 5, 100_000,
                    new int[] {1000, 10_000, 100_000, 1_000_000}, 100_000, new int[] {100, 1000, 10_000, 100_000}, 2,
                    new int[] {0, 300, 600, 900, 10_000, 100_000, 1_000_000}, new int[] {0, 200, 400, 600, 800},
                    new int[] {64, 1024, 16384}, 200, NETPIPE_LARGEST, List.of("16K", "128K"),
                    List.copyOf(FAST_PATHS.keySet()), 1_000_000, new int[] {1, 4, 16, 64}, 20_000,
                    List.of(Dataplane.values()));
        }
    }

    static final String THROUGHPUT = "throughput-1host";
    static final String THROUGHPUT_2HOSTS = "throughput-2hosts";
    static final String LATENCY_NETPIPE = "latency-netpipe";
    static final String LATENCY_SOCKPERF = "latency-sockperf";
    static final String FAST_PATH = "fast-path";
    static final String FAST_PATH_LATENCY = "fast-path-latency";
    static final String SMALL_PACKETS = "small-packets";
    static final String SWAP_LOSS = "swap-loss";
    static final String PROGRAM_COST = "program-cost";
    static final String COMMIT_COST = "commit-cost";
    static final String MONITOR_COST = "monitor-cost";
    /** Every experiment, in the order a run takes them. */
    public static final List<String> EXPERIMENTS = List.of(THROUGHPUT, THROUGHPUT_2HOSTS, LATENCY_NETPIPE,
            LATENCY_SOCKPERF, FAST_PATH, FAST_PATH_LATENCY, SMALL_PACKETS, SWAP_LOSS, PROGRAM_COST, COMMIT_COST,
            MONITOR_COST);
    private static final int PORT = 5311;
    private static final int NETPIPE_SMALLEST = 64;
    private static final int NETPIPE_LARGEST = 65536;

    private final Path root;
    private final ClangCompiler compiler;
    private final PrintStream log;

    public StudyBench(Path root, ClangCompiler compiler, PrintStream log) {
        this.root = root;
        this.compiler = compiler;
        this.log = log;
    }

    /** Runs every experiment of the plan; returns the results folder. */
    public Path run(Plan plan, Path out) throws Exception {
        return run(plan, out, Set.copyOf(EXPERIMENTS));
    }

    /**
     * Runs the named experiments of the plan (the two latency experiments share their runs);
     * returns the results folder.
     */
    public Path run(Plan plan, Path out, Set<String> only) throws Exception {
        for (String name : only) {
            if (!EXPERIMENTS.contains(name)) {
                throw new IllegalArgumentException("no experiment '" + name + "'; there are " + String.join(", ", EXPERIMENTS));
            }
        }
        ResultFiles files = new ResultFiles(out);
        Map<String, String> environment = Environment.facts();
        environment.put("plan", plan.name() + (only.containsAll(EXPERIMENTS) ? "" : ", only " + EXPERIMENTS.stream()
                .filter(only::contains).collect(java.util.stream.Collectors.joining(", "))));
        files.environment(environment);
        Progress progress = new Progress(log, steps(plan, only));
        // Each experiment's files are written as soon as it ends (and the summary rewritten), so
        // that a failure late in a long run keeps what the earlier experiments measured.
        Finished finished = new Finished(files, environment, plan);
        if (only.contains(THROUGHPUT)) {
            finished.add(THROUGHPUT, throughput(THROUGHPUT, plan.counts(), List.of(Dataplane.values()), plan, progress,
                    () -> BenchLab.oneHost("xbench1", root)));
        }
        if (only.contains(THROUGHPUT_2HOSTS)) {
            finished.add(THROUGHPUT_2HOSTS, throughput(THROUGHPUT_2HOSTS, plan.twoHostCounts(), plan.dataplanes(), plan,
                    progress,
                    () -> BenchLab.twoHosts("xbench4", root)));
        }
        if (only.contains(LATENCY_NETPIPE) || only.contains(LATENCY_SOCKPERF)) {
            finished.addAll(latency(plan, progress));
        }
        if (only.contains(FAST_PATH) || only.contains(FAST_PATH_LATENCY)) {
            finished.addAll(fastPath(plan, progress));
        }
        if (only.contains(SMALL_PACKETS)) {
            finished.add(SMALL_PACKETS, smallPackets(plan, progress));
        }
        if (only.contains(SWAP_LOSS)) {
            finished.add(SWAP_LOSS, swapLoss(plan, progress));
        }
        if (only.contains(PROGRAM_COST)) {
            finished.add(PROGRAM_COST, programCost(plan, progress));
        }
        if (only.contains(COMMIT_COST)) {
            finished.add(COMMIT_COST, commitCost(plan, progress));
        }
        if (only.contains(MONITOR_COST)) {
            finished.add(MONITOR_COST, monitorCost(plan, progress));
        }
        progress.step("results written to " + files.dir());
        return files.dir();
    }

    /** The experiments that have ended, each written to the results folder as it is added. */
    private static final class Finished {
        private final ResultFiles files;
        private final Map<String, String> environment;
        private final Plan plan;
        private final Map<String, List<Measurement>> results = new LinkedHashMap<>();

        Finished(ResultFiles files, Map<String, String> environment, Plan plan) {
            this.files = files;
            this.environment = environment;
            this.plan = plan;
        }

        void addAll(Map<String, List<Measurement>> experiments) throws java.io.IOException {
            for (Map.Entry<String, List<Measurement>> e : experiments.entrySet()) {
                add(e.getKey(), e.getValue());
            }
        }

        void add(String experiment, List<Measurement> rows) throws java.io.IOException {
            results.put(experiment, rows);
            files.write(experiment, rows);
            chart(files.chart(experiment), experiment, rows, plan);
            files.summary(Summary.markdown(environment, results));
        }
    }

    private static void chart(Path png, String experiment, List<Measurement> rows, Plan plan) throws java.io.IOException {
        switch (experiment) {
            case THROUGHPUT -> Charts.lines(png, "TCP throughput against rules, one host (16 KiB writes)", "rules",
                    "throughput / 0-rule baseline", rows, true);
            case THROUGHPUT_2HOSTS -> Charts.lines(png, "TCP throughput against rules, two hosts over VXLAN (16 KiB writes)",
                    "rules", "throughput / 0-rule baseline", rows, true);
            case LATENCY_NETPIPE, LATENCY_SOCKPERF -> {
                int most = java.util.Arrays.stream(plan.latencyCounts()).max().orElse(0);
                Charts.lines(png, (experiment.equals(LATENCY_NETPIPE) ? "NetPIPE (NPtcp)" : "sockperf ping-pong")
                        + ": one-way latency at " + most + " rules", "message size (bytes)", "usec",
                        rows.stream().filter(m -> (m.dataplane().endsWith(" @" + most) || m.dataplane().endsWith(" @0"))
                                && Summary.shownSize(m.x())).toList(), false);
            }
            case FAST_PATH -> Charts.bars(png, "Container to container and through the uplink, 1 rule", "Gbit/s", rows);
            case FAST_PATH_LATENCY -> Charts.bars(png, "64-byte TCP ping-pong, p50 one-way (sockperf)", "usec", rows);
            case SMALL_PACKETS -> Charts.lines(png, "64-byte UDP packets forwarded and dropped, against rules", "rules",
                    "packets per second", rows, false);
            case SWAP_LOSS -> Charts.bars(png, "UDP datagrams lost during " + plan.swapCommits() + " commits",
                    "datagrams lost", rows);
            case MONITOR_COST -> Charts.bars(png, "64-byte UDP packets dropped by a rule: without log, logging to"
                    + " nobody, logging to a monitor", "packets/s", rows);
            case PROGRAM_COST -> Charts.lines(png, "BPF program cost (BPF_PROG_TEST_RUN)", "rules", "ns per packet", rows,
                    false);
            default -> Charts.lines(png, "Loading N rules", "rules", "ms", rows, false);
        }
    }

    private static int steps(Plan plan, Set<String> only) {
        int all = Dataplane.values().length;
        int dataplanes = plan.dataplanes().size();
        int steps = (only.contains(PROGRAM_COST) ? 2 : 0) + (only.contains(COMMIT_COST) ? 1 : 0);
        if (only.contains(THROUGHPUT)) {
            steps += plan.rounds() * (1 + (plan.counts().length - 1) * all);
        }
        if (only.contains(THROUGHPUT_2HOSTS)) {
            steps += plan.rounds() * (1 + (plan.twoHostCounts().length - 1) * dataplanes);
        }
        if (only.contains(LATENCY_NETPIPE) || only.contains(LATENCY_SOCKPERF)) {
            steps += plan.rounds() * (1 + (plan.latencyCounts().length - 1) * dataplanes);
        }
        if (only.contains(FAST_PATH) || only.contains(FAST_PATH_LATENCY)) {
            steps += plan.rounds() * FAST_SETUPS.size();
        }
        if (only.contains(SMALL_PACKETS)) {
            steps += plan.rounds() * (1 + plan.smallCounts().length * (dataplanes + 1)); // + native XDP
        }
        if (only.contains(SWAP_LOSS)) {
            steps += 1 + dataplanes;
        }
        if (only.contains(MONITOR_COST)) {
            steps += plan.rounds() * MONITOR_DATAPLANES.size() * MONITOR_SETUPS.size();
        }
        return steps + 1;
    }

    /** Builds an experiment's lab. */
    @FunctionalInterface
    private interface LabFactory {
        BenchLab open() throws Exception;
    }

    /**
     * Experiment 1: TCP throughput against rules, every dataplane, as a ratio to the round's 0-rule
     * baseline; on one host, or on two (the rules on the client's).
     */
    private List<Measurement> throughput(String experiment, int[] counts, List<Dataplane> dataplanes, Plan plan,
                                         Progress progress, LabFactory factory) throws Exception {
        Cells cells = new Cells();
        try (BenchLab lab = factory.open()) {
            lab.startServer(PORT);
            for (int round = 0; round < plan.rounds(); round++) {
                String what = experiment + " round " + (round + 1);
                progress.step(what + ": baseline, no rules");
                lab.plain();
                double baseline = lab.tcpGbps(BenchLab.CLIENT, PORT, plan.seconds());
                for (Dataplane d : dataplanes) {
                    cells.add(d.id(), 0, baseline, 1.0);
                    cells.note(d.id(), 0, "0 rules: the plain path, nothing loaded");
                }
                for (int count : counts) {
                    if (count == 0) {
                        continue;
                    }
                    acrossDataplanes(lab, dataplanes, BenchRules.studyForm(count), what, progress,
                            (d, why) -> cells.note(d.id(), count, why),
                            (d, l) -> {
                                double gbps = l.tcpGbps(BenchLab.CLIENT, PORT, plan.seconds());
                                cells.add(d.id(), count, gbps, gbps / baseline);
                            });
                }
            }
        }
        return cells.rows(experiment, "Gbit/s", "");
    }

    /** One measurement of a lab that holds a dataplane's rules. */
    @FunctionalInterface
    private interface Measure {
        void of(Dataplane dataplane, BenchLab lab) throws Exception;
    }

    /** Where a dataplane's cell says why it has no value. */
    @FunctionalInterface
    private interface Note {
        void why(Dataplane dataplane, String text);
    }

    /**
     * For every dataplane that can hold the rules: load them and measure; a refusal or a failure
     * becomes the cell's note (and a failed run gets fresh servers).
     */
    private static void acrossDataplanes(BenchLab lab, List<Dataplane> dataplanes, List<FilterRule> rules, String what,
                                         Progress progress, Note note, Measure measure) throws Exception {
        for (Dataplane d : dataplanes) {
            progress.step(what + ": " + d + ", " + rules.size() + " rules");
            String refusal = d.refusal(rules.size());
            if (refusal != null) {
                note.why(d, refusal);
                continue;
            }
            try {
                lab.load(d, rules);
                measure.of(d, lab);
            } catch (RuntimeException failed) {
                note.why(d, "failed: " + failed.getMessage());
                lab.restartServers();
            }
        }
    }

    /**
     * Experiment 2: one-way latency (half the round trip) against message size, NetPIPE's sweep
     * and sockperf ping-pong over TCP, at the study's rule counts; a series per dataplane and
     * rule count ("xnet-tc-map @800"), the plain path as "plain @0".
     */
    private Map<String, List<Measurement>> latency(Plan plan, Progress progress) throws Exception {
        Cells netpipe = new Cells();
        Cells sockperf = new Cells();
        try (BenchLab lab = BenchLab.oneHost("xbench5", root)) {
            lab.startSockperfServer();
            for (int round = 0; round < plan.rounds(); round++) {
                String what = "latency round " + (round + 1);
                progress.step(what + ": no rules");
                lab.plain();
                latencies(lab, "plain @0", plan, netpipe, sockperf);
                for (int count : plan.latencyCounts()) {
                    if (count == 0) {
                        continue;
                    }
                    acrossDataplanes(lab, plan.dataplanes(), BenchRules.studyForm(count), what, progress, (d, why) -> {
                        netpipe.note(d.id() + " @" + count, NETPIPE_SMALLEST, why);
                        sockperf.note(d.id() + " @" + count, plan.sockperfSizes()[0], why);
                    }, (d, l) -> latencies(l, d.id() + " @" + count, plan, netpipe, sockperf));
                }
            }
        }
        Map<String, List<Measurement>> results = new LinkedHashMap<>();
        results.put(LATENCY_NETPIPE, netpipe.rows(LATENCY_NETPIPE, "usec", "NPtcp, " + plan.netpipeRepeats()
                + " round trips per size"));
        results.put(LATENCY_SOCKPERF, sockperf.rows(LATENCY_SOCKPERF, "usec", "sockperf ping-pong --tcp, 1 s per size"));
        return results;
    }

    private static void latencies(BenchLab lab, String series, Plan plan, Cells netpipe, Cells sockperf) throws Exception {
        lab.netpipeUsec(BenchLab.CLIENT, NETPIPE_SMALLEST, plan.netpipeLargest(), plan.netpipeRepeats())
                .forEach((size, usec) -> netpipe.add(series, size, usec));
        for (int size : plan.sockperfSizes()) {
            sockperf.add(series, size, lab.sockperfUsec(BenchLab.CLIENT, size, 1));
        }
    }

    /** The fast-path experiment's setups: no program, xnet's tc and xdp programs, tc with the fast path. */
    static final List<String> FAST_SETUPS = List.of("plain", "xnet-tc", "xnet-tc-fastpath", "xnet-xdp");
    /** Its paths: the sender and the receiver's address. */
    private static final Map<String, String[]> FAST_PATHS = new LinkedHashMap<>(Map.of());

    static {
        FAST_PATHS.put("bridged", new String[] {BenchLab.NEIGHBOUR, BenchLab.SERVER_IP});
        FAST_PATHS.put("routed", new String[] {BenchLab.CLIENT, BenchLab.SERVER_IP});
        FAST_PATHS.put("outbound", new String[] {BenchLab.CLIENT, BenchLab.OUTSIDE_IP});
        FAST_PATHS.put("inbound", new String[] {BenchLab.OUTSIDE, BenchLab.SERVER_IP});
    }

    /**
     * Experiment 7: TCP between containers (bridged: one bridge; routed: across bridges) and
     * through the uplink (a container to the outside and back), with 16 and 128 KiB writes; and
     * 64-byte TCP ping-pong between bridges (sockperf, both ends on one CPU, p50). Without any
     * program, with xnet's programs (one rule, matching nothing), and with tc's fast path; each
     * cell also as a ratio to the plain path of the same round.
     */
    private Map<String, List<Measurement>> fastPath(Plan plan, Progress progress) throws Exception {
        Cells cells = new Cells();
        Cells latency = new Cells();
        List<FilterRule> one = BenchRules.studyForm(1);
        try (BenchLab lab = BenchLab.oneHost("xbench7", root)) {
            lab.startServer(PORT);
            lab.startOutsideServer(PORT);
            lab.startSockperfServer();
            for (int round = 0; round < plan.rounds(); round++) {
                Map<String, Double> plain = new HashMap<>();
                for (String setup : FAST_SETUPS) {
                    progress.step("fast path round " + (round + 1) + ": " + setup);
                    switch (setup) {
                        case "plain" -> lab.plain();
                        case "xnet-tc" -> lab.load(Dataplane.XNET_TC_MAP, one);
                        case "xnet-tc-fastpath" -> lab.loadWithFastPath(one);
                        default -> lab.load(Dataplane.XNET_XDP_MAP, one);
                    }
                    String how = setup.equals("plain") ? "no program" : "xnet's program on every veth, 1 rule"
                            + (setup.endsWith("fastpath") ? ", fast path on" : "");
                    for (Map.Entry<String, String[]> path : FAST_PATHS.entrySet()) {
                        if (!plan.fastPaths().contains(path.getKey())) {
                            continue;
                        }
                        for (String write : plan.fastPathWrites()) {
                            String cell = path.getKey() + " " + write;
                            double gbps = lab.tcpGbps(path.getValue()[0], path.getValue()[1], PORT, plan.seconds(), write);
                            plain.putIfAbsent(cell, gbps);
                            cells.add(setup + " " + cell, 0, gbps, gbps / plain.get(cell));
                            cells.note(setup + " " + cell, 0, how + ", " + write + " writes");
                        }
                    }
                    double usec = lab.sockperfMedianUsec(BenchLab.CLIENT, 64, Math.max(1, plan.seconds()));
                    plain.putIfAbsent("latency", usec);
                    latency.add(setup + " routed", 64, usec, usec / plain.get("latency"));
                    latency.note(setup + " routed", 64, how + "; both ends on CPU " + BenchLab.LATENCY_CPU);
                }
            }
        }
        Map<String, List<Measurement>> out = new LinkedHashMap<>();
        out.put(FAST_PATH, cells.rows(FAST_PATH, "Gbit/s", ""));
        out.put(FAST_PATH_LATENCY, latency.rows(FAST_PATH_LATENCY, "usec", ""));
        return out;
    }

    /**
     * Experiment 3: 64-byte frames (UDP, 18 bytes of payload) sent as fast as one thread can,
     * against N rules and a last one that drops the dropper's packets: the rate the server
     * receives from the client ("forwarded", the N rules match nothing), and the rate at which
     * the host takes in the dropper's packets, every one of which the last rule drops
     * ("dropped"). Large TCP segments hide classification cost behind GSO; these do not.
     */
    private List<Measurement> smallPackets(Plan plan, Progress progress) throws Exception {
        Cells cells = new Cells();
        try (BenchLab lab = BenchLab.oneHost("xbench3", root)) {
            for (int round = 0; round < plan.rounds(); round++) {
                progress.step("small packets round " + (round + 1) + ": no rules");
                lab.plain();
                cells.add("plain forwarded", 0, forwardedRate(lab, plan));
                cells.note("plain forwarded", 0, FORWARDED + " (the plain path's ceiling here)");
                for (int count : plan.smallCounts()) {
                    List<FilterRule> rules = new ArrayList<>(BenchRules.studyForm(count));
                    rules.add(BenchRules.dropFrom(count + 1, BenchLab.DROPPED_SOURCES, BenchLab.SERVER_IP));
                    String what = "small packets round " + (round + 1);
                    acrossDataplanes(lab, plan.dataplanes(), rules, what, progress, (d, why) -> {
                        cells.note(d.id() + " forwarded", count, why);
                        cells.note(d.id() + " dropped", count, why);
                    }, (d, l) -> {
                        cells.add(d.id() + " forwarded", count, forwardedRate(l, plan));
                        cells.note(d.id() + " forwarded", count, FORWARDED);
                        cells.note(d.id() + " dropped", count, d.xnet() ? DROPPED_AT_HOOK : DROPPED);
                        droppedCell(cells, d.id(), count, l, plan, d.xnet());
                    });
                    // native XDP on the dropping interface: the drop before any sk_buff is made
                    progress.step(what + ": xnet-xdp-native-map, " + rules.size() + " rules");
                    try {
                        lab.loadNativeXdp(rules);
                        cells.note("xnet-xdp-native-map dropped", count, DROPPED_AT_HOOK + ", xdp mode native");
                        droppedCell(cells, "xnet-xdp-native-map", count, lab, plan, true);
                    } catch (RuntimeException failed) {
                        cells.note("xnet-xdp-native-map dropped", count, "failed: " + failed.getMessage());
                    }
                }
            }
        }
        return cells.rows(SMALL_PACKETS, "packets/s", "");
    }

    /** The monitor-cost experiment's setups of the dropping rule, the first the others are compared with. */
    static final List<String> MONITOR_SETUPS = List.of("drop", "drop log", "drop log monitored");
    private static final List<Dataplane> MONITOR_DATAPLANES = List.of(Dataplane.XNET_TC_MAP, Dataplane.XNET_XDP_MAP);

    /**
     * Experiment: what `monitor drops` costs the path. The dropper floods into one drop rule that
     * does not log, that logs while no monitor listens (a lookup of xnet_monitor per drop), and
     * that logs to a running monitor (the per-CPU budget: at most 1000 events a second reach the
     * ring, the rest are counted). Setups alternate within each round; the ratio is to the same
     * round's rule without log.
     */
    private List<Measurement> monitorCost(Plan plan, Progress progress) throws Exception {
        Cells cells = new Cells();
        try (BenchLab lab = BenchLab.oneHost("xbench8", root)) {
            for (int round = 0; round < plan.rounds(); round++) {
                for (Dataplane d : MONITOR_DATAPLANES) {
                    double plain = 0;
                    for (String setup : MONITOR_SETUPS) {
                        progress.step("monitor cost round " + (round + 1) + ": " + d + ", " + setup);
                        lab.commitRules(d, List.of(new FilterRule(1, FilterRule.Action.DROP,
                                xnet.model.Cidr.parse(BenchLab.DROPPED_SOURCES), null, xnet.model.Proto.ANY, null,
                                !setup.equals("drop"))));
                        String name = d.id() + " " + setup;
                        double rate;
                        if (setup.endsWith("monitored")) {
                            try (BenchLab.Drain drain = lab.monitorDrops()) {
                                rate = droppedRate(lab, plan, true);
                                cells.note(name, 1, DROPPED_AT_HOOK + "; " + drain.summary());
                            }
                        } else {
                            rate = droppedRate(lab, plan, true);
                            cells.note(name, 1, DROPPED_AT_HOOK);
                        }
                        plain = setup.equals("drop") ? rate : plain;
                        cells.add(name, 1, rate, plain > 0 ? rate / plain : 0);
                    }
                }
            }
        }
        return cells.rows(MONITOR_COST, "packets/s", "");
    }

    private static final String FORWARDED = "trafgen, random sources and ports: received by the server, the N rules"
            + " matching nothing";
    private static final String DROPPED = "trafgen, random sources and ports: taken in by the host from the dropper,"
            + " every one dropped by the last rule";
    private static final String DROPPED_AT_HOOK = "trafgen, random sources and ports: dropped by the last rule, as the"
            + " hook's counter says";

    /** The dropped flood's rate, and a note if any of it reached the server past the drop rule. */
    private static void droppedCell(Cells cells, String id, int count, BenchLab lab, Plan plan, boolean xnet)
            throws Exception {
        long serverBefore = lab.receivedBy(BenchLab.SERVER);
        cells.add(id + " dropped", count, droppedRate(lab, plan, xnet));
        long leaked = lab.receivedBy(BenchLab.SERVER) - serverBefore;
        if (leaked > 100) {
            cells.note(id + " dropped", count, leaked + " packets reached the server past the drop rule");
        }
    }

    /** Packets per second the server received from the client's flood. */
    private static double forwardedRate(BenchLab lab, Plan plan) throws Exception {
        long before = lab.receivedBy(BenchLab.SERVER);
        BenchLab.Flood flood = lab.flood(BenchLab.CLIENT, BenchLab.FORWARDED_SOURCES, PORT, plan.floodSeconds());
        return (lab.receivedBy(BenchLab.SERVER) - before) / flood.seconds();
    }

    /**
     * Packets per second the last rule dropped of the dropper's flood: xnet's hook counter (it
     * sees even what native XDP drops before the device counts it), or, for the kernel's
     * tables, what the host took in from the dropper (each one meets the rule).
     */
    private static double droppedRate(BenchLab lab, Plan plan, boolean xnet) throws Exception {
        long before = xnet ? lab.droppedAt(BenchLab.DROPPER) : lab.receivedFrom(BenchLab.DROPPER);
        BenchLab.Flood flood = lab.flood(BenchLab.DROPPER, BenchLab.DROPPED_SOURCES, PORT, plan.floodSeconds());
        long after = xnet ? lab.droppedAt(BenchLab.DROPPER) : lab.receivedFrom(BenchLab.DROPPER);
        return (after - before) / flood.seconds();
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
        try (BenchLab lab = BenchLab.oneHost("xbench6", root)) {
            lab.startServer(PORT);
            progress.step("swap loss: no changes");
            lab.plain();
            rows.add(udpLoss(lab, "none (no changes)", null, null, null, plan));
            for (Dataplane d : plan.dataplanes()) {
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
                plan.programRuns(), s -> { })) {
            String dataplane = "xnet-" + c.hook() + "-" + c.strategy().toLowerCase() + " " + c.form();
            rows.add(new Measurement(PROGRAM_COST, dataplane, c.rules(), c.samples() == null ? List.of() : c.samples(),
                    "ns/packet", null, c.note()));
        }
        progress.step("program cost: rule shapes with a random packet mix, and an LPM trie");
        for (ShapeCostBench.Cell c : new ShapeCostBench(compiler).run(plan.shapeRules(), plan.shapeCounts(),
                plan.shapePackets(), plan.programRounds(), s -> { })) {
            rows.add(new Measurement(PROGRAM_COST, c.name(), c.rules(), c.samples(), "ns/packet", null,
                    c.name().startsWith("lpm") ? "one LPM trie lookup on the source address (the rules' source prefixes)"
                            : "distinct packets, random addresses in 10.0.0.0/8, each run once"));
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
            boolean batch = r.what().startsWith("batch");
            for (String tool : CommitCostBench.TOOLS) {
                if (r.ms().containsKey(tool)) {
                    rows.add(new Measurement(COMMIT_COST, tool + (one ? " one rule" : batch ? " batch" : " full"), r.rules(),
                            r.ms().get(tool), "ms", null, batch ? batchHow(tool) : how(tool, one)));
                }
            }
        }
        return rows;
    }

    private static String batchHow(String tool) {
        return tool.equals("xnet") ? "xnet -f: N filter add lines and commit, warm xnetd" : "nft -f, the same pairs as a set";
    }

    private static String how(String tool, boolean one) {
        return switch (tool) {
            case "xnet" -> one ? "commit of one more rule (in place)" : "commit from 1 rule to N";
            case "nft" -> one ? "nft add element" : "nft -f, rules as a set";
            default -> one ? tool + " -A FORWARD" : tool + "-restore, a linear chain";
        };
    }
}
