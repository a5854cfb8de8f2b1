package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import xnet.bench.Dataplane;
import xnet.bench.ResultFiles;
import xnet.bench.StudyBench;

/**
 * `bench --smoke` as a user runs it (through -c): every experiment leaves a well-formed CSV with a
 * row for every dataplane it compares, a PNG chart, and the summary; its labs are gone afterwards.
 * The smoke plan runs each experiment's code path with the smallest sizes (the quick and full
 * plans differ from it in sizes and dataplanes only), so the check takes about a minute.
 */
class BenchSmokeIT {

    private Xnet xnet;

    @AfterEach
    void tearDown() throws Exception {
        if (xnet != null) {
            xnet.close();
        }
    }

    @Test
    void smokeBenchWritesEveryExperiment() throws Exception {
        xnet = new Xnet("itbench");
        Path out = xnet.home.resolve("results");
        // about two minutes alone; the limit only ends a bench that hangs
        Xnet.Result run = xnet.c("bench --smoke --out " + out, java.time.Duration.ofMinutes(15));
        assertThat(run.status()).as(run.all()).isZero();
        assertThat(run.err()).contains("] 0/", "about");

        Set<String> all = Set.of("iptables-legacy", "iptables-nft", "nftables-set", "xnet-tc-inline",
                "xnet-tc-map", "xnet-xdp-inline", "xnet-xdp-map");
        assertThat(dataplanesIn(out.resolve("throughput-1host.csv"))).isEqualTo(all);
        // after the first experiment, the smoke plan compares one kernel table and two xnet programs
        Set<String> dataplanes = StudyBench.Plan.smoke().dataplanes().stream().map(Dataplane::id)
                .collect(Collectors.toSet());
        assertThat(dataplanesIn(out.resolve("throughput-2hosts.csv"))).isEqualTo(dataplanes);
        for (String latency : List.of("latency-netpipe.csv", "latency-sockperf.csv")) {
            int most = java.util.Arrays.stream(StudyBench.Plan.smoke().latencyCounts()).max().orElseThrow();
            Set<String> series = dataplanes.stream().map(d -> d + " @" + most).collect(Collectors.toSet());
            assertThat(dataplanesIn(out.resolve(latency))).as(latency).containsAll(series).contains("plain @0");
            for (String line : rows(out.resolve(latency))) {
                assertThat(Double.parseDouble(field(line, 3))).as("latency of " + line).isPositive();
            }
        }
        assertThat(dataplanesIn(out.resolve("swap-loss.csv"))).containsAll(dataplanes).contains("none (no changes)");
        Set<String> fastCells = new java.util.HashSet<>();
        for (String setup : List.of("plain", "xnet-tc", "xnet-tc-fastpath", "xnet-xdp")) {
            for (String path : StudyBench.Plan.smoke().fastPaths()) {
                fastCells.add(setup + " " + path + " 16K");
            }
        }
        assertThat(dataplanesIn(out.resolve("fast-path.csv"))).isEqualTo(fastCells);
        for (String line : rows(out.resolve("fast-path.csv"))) {
            assertThat(Double.parseDouble(field(line, 3))).as("throughput of " + line).isPositive();
        }
        assertThat(dataplanesIn(out.resolve("fast-path-latency.csv"))).containsExactlyInAnyOrder("plain routed",
                "xnet-tc routed", "xnet-tc-fastpath routed", "xnet-xdp routed");
        assertThat(dataplanesIn(out.resolve("program-cost.csv"))).contains("xnet-tc-map study (A to B)",
                "xnet-xdp-inline cidr (4 shapes)", "xnet-tc-map 4 shapes (random mix)", "lpm-trie (random mix)");
        assertThat(dataplanesIn(out.resolve("commit-cost.csv"))).contains("xnet full", "nft full", "iptables-legacy full",
                "iptables-nft full", "xnet one rule", "nft one rule", "iptables-legacy one rule", "iptables-nft one rule",
                "xnet batch", "nft batch");
        for (String line : rows(out.resolve("commit-cost.csv"))) {
            assertThat(Double.parseDouble(field(line, 3))).as("milliseconds of " + line).isPositive();
        }
        Set<String> small = new java.util.HashSet<>(Set.of("plain forwarded", "xnet-xdp-native-map dropped"));
        dataplanes.forEach(d -> small.addAll(List.of(d + " forwarded", d + " dropped")));
        assertThat(dataplanesIn(out.resolve("small-packets.csv"))).isEqualTo(small);
        for (String line : rows(out.resolve("small-packets.csv"))) {
            // every flood moved packets: forwarded ones reached the server, dropped ones entered the host
            assertThat(Double.parseDouble(field(line, 3))).as("rate of " + line).isGreaterThan(1000);
            assertThat(field(line, 11)).as("note of " + line).doesNotContain("past the drop rule");
        }
        // the cost of monitoring: each drop rule setup, its rate and its ratio to the rule without log
        assertThat(dataplanesIn(out.resolve("monitor-cost.csv"))).containsExactlyInAnyOrder("xnet-tc-map drop",
                "xnet-tc-map drop log", "xnet-tc-map drop log monitored", "xnet-xdp-map drop", "xnet-xdp-map drop log",
                "xnet-xdp-map drop log monitored");
        for (String line : rows(out.resolve("monitor-cost.csv"))) {
            assertThat(Double.parseDouble(field(line, 3))).as("rate of " + line).isGreaterThan(1000);
            assertThat(Double.parseDouble(field(line, 7))).as("ratio of " + line).isPositive();
        }
        for (String experiment : List.of("throughput-1host", "throughput-2hosts", "latency-netpipe", "latency-sockperf",
                "fast-path", "fast-path-latency", "small-packets", "swap-loss", "program-cost", "commit-cost",
                "monitor-cost")) {
            assertThat(Files.size(out.resolve(experiment + ".png"))).as(experiment + " chart").isGreaterThan(5_000);
        }
        // every dataplane's throughput was measured at every rule count of the quick run
        for (String line : concat(rows(out.resolve("throughput-1host.csv")), rows(out.resolve("throughput-2hosts.csv")))) {
            assertThat(field(line, 3)).as("median of " + line).isNotEmpty();
            assertThat(Double.parseDouble(field(line, 7))).as("ratio of " + line).isPositive();
        }
        assertThat(Files.readString(out.resolve("summary.md"))).contains("## throughput-1host", "| kernel |");
        assertThat(Kernel.namespaces("xnet.xbench")).isEmpty();
        assertThat(Kernel.namespaces("xnet-u.xbench")).as("the two-host experiment's underlay").isEmpty();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Set<String> dataplanesIn(Path csv) throws Exception {
        return rows(csv).stream().map(l -> field(l, 1)).collect(Collectors.toSet());
    }

    /** The rows, after checking the header and that every row has as many fields as the header. */
    private static List<String> rows(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo(ResultFiles.CSV_HEADER);
        int columns = ResultFiles.CSV_HEADER.split(",").length;
        List<String> rows = lines.subList(1, lines.size());
        assertThat(rows).as(csv + " rows").isNotEmpty();
        for (String row : rows) {
            assertThat(fields(row)).as("fields of " + row).hasSize(columns);
        }
        return rows;
    }

    private static String field(String row, int index) {
        return fields(row).get(index);
    }

    /** CSV fields; a field in double quotes may hold commas. */
    private static List<String> fields(String row) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }
}
