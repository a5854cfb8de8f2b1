package xnet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The pure parts of the benchmark: reading the tools' output, gathering cells, writing tables. */
class BenchResultsTest {

    @Test
    void netpipeFileIsBytesToOneWayMicroseconds() {
        var usec = LatencyReports.parse("""
                      64 69.611041   0.00000701
                    1024 225.454301   0.00003465
                   65536 9564.346201   0.00005228
                """);
        assertThat(usec.keySet()).containsExactly(64, 1024, 65536);
        assertThat(usec.get(64)).isCloseTo(7.01, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(usec.get(65536)).isCloseTo(52.28, org.assertj.core.data.Offset.offset(1e-9));
        assertThatThrownBy(() -> LatencyReports.parse("64 69.6\n")).hasMessageContaining("bytes, Mbps and time");
    }

    @Test
    void sockperfSummaryIsItsLatency() {
        String out = "sockperf: [Valid Duration] RunTime=0.550 sec; SentMessages=15808; ReceivedMessages=15808\n"
                + "sockperf: ====> avg-latency=34.682 (std-dev=9.1)\nsockperf: Summary: Latency is 34.682 usec\n";
        assertThat(LatencyReports.sockperfLatency(out)).isEqualTo(34.682);
        assertThatThrownBy(() -> LatencyReports.sockperfLatency("sockperf: ERROR: connection refused"))
                .hasMessageContaining("connection refused");
    }

    @Test
    void nftablesTakesPairsIntoTheSetAndAPrefixAsARuleAfterIt() {
        String nft = TableFiles.nftSet(List.of(BenchRules.studyForm(2).get(0), BenchRules.studyForm(2).get(1),
                BenchRules.dropFrom(3, "10.1.0.0/16", "10.0.2.2")));
        assertThat(nft).contains("elements = { 11.0.0.0 . 12.0.0.0, 11.0.0.1 . 12.0.0.1 }")
                .contains("ip saddr . ip daddr @blocked drop\n    ip saddr 10.1.0.0/16 ip daddr 10.0.2.2/32 drop\n");
        assertThat(TableFiles.iptablesChain(List.of(BenchRules.dropFrom(3, "10.1.0.0/16", "10.0.2.2"))))
                .contains("-A FORWARD -s 10.1.0.0/16 -d 10.0.2.2/32 -j DROP");
    }

    @Test
    void shapesSpreadRulesOverPairsOfPrefixLengths() {
        List<xnet.model.FilterRule> rules = BenchRules.shapes(640, 64, 1);
        assertThat(rules.stream().map(r -> r.from().prefix() + "/" + r.to().prefix()).distinct()).hasSize(64);
        assertThat(BenchRules.shapes(100, 4, 1).stream().map(r -> r.from().prefix() + "/" + r.to().prefix()).distinct())
                .containsExactly("16/16", "18/16", "20/16", "22/16");
        assertThat(BenchRules.shapes(10, 4, 1)).isEqualTo(BenchRules.shapes(10, 4, 1)).as("seeded");
        assertThat(BenchRules.randomPackets(50, 2).stream().map(p -> p[26] + "." + p[30]).distinct()).containsOnly("10.10");
    }

    @Test
    void sockperfMedianIsItsFiftiethPercentile() {
        String out = "sockperf: Summary: Latency is 127.597 usec\n"
                + "sockperf: ---> percentile 75.000 =  195.017\nsockperf: ---> percentile 50.000 =   72.824\n"
                + "sockperf: ---> percentile 25.000 =   17.422\n";
        assertThat(LatencyReports.sockperfMedian(out)).isEqualTo(72.824);
        assertThatThrownBy(() -> LatencyReports.sockperfMedian("sockperf: Summary: Latency is 1.0 usec"))
                .hasMessageContaining("no latency");
    }

    @Test
    void cellsBecomeRowsByXThenFirstAppearanceAndKeepNotesOfCellsThatDidNotRun() {
        Cells cells = new Cells();
        cells.add("b", 100, 2.0, 0.5);
        cells.add("a", 0, 4.0, 1.0);
        cells.add("b", 0, 4.0, 1.0);
        cells.add("b", 100, 3.0, 0.75);
        cells.note("c", 100, "n/a: verifier limit");
        cells.note("b", 0, "the plain path");
        List<Measurement> rows = cells.rows("x", "Gbit/s", "default note");
        assertThat(rows).extracting(m -> m.dataplane() + "/" + m.x()).containsExactly("b/0", "a/0", "b/100", "c/100");
        assertThat(rows.get(2).samples()).containsExactly(2.0, 3.0);
        assertThat(rows.get(2).ratio().median()).isEqualTo(0.625);
        assertThat(rows.get(0).note()).isEqualTo("the plain path");
        assertThat(rows.get(1).note()).isEqualTo("default note");
        assertThat(rows.get(3).ran()).isFalse();
        assertThat(rows.get(3).note()).isEqualTo("n/a: verifier limit");
    }

    @Test
    void latencyTableHasASeriesPerLineAndPowersOfFourAcross() {
        List<Measurement> rows = List.of(
                new Measurement("latency-netpipe", "plain @0", 64, List.of(7.0, 9.0, 8.0), "usec", null, ""),
                new Measurement("latency-netpipe", "plain @0", 96, List.of(7.5), "usec", null, ""),
                new Measurement("latency-netpipe", "plain @0", 256, List.of(10.0), "usec", null, ""),
                new Measurement("latency-netpipe", "xnet-tc-map @800", 64, List.of(), "usec", null, "failed: x"));
        String table = Summary.bySize(rows);
        assertThat(table).contains("| series | 64 B | 256 B |", "| plain @0 | 8.000 (7.000-9.000) | 10.00 (10.00-10.00) |",
                "| xnet-tc-map @800 | failed: x |  |").doesNotContain("96 B");
    }

    @Test
    void throughputGridHasRulesDownAndDataplanesAcross() {
        List<Measurement> rows = List.of(
                new Measurement("t", "iptables-legacy", 0, List.of(10.0), "Gbit/s", List.of(1.0), ""),
                new Measurement("t", "xnet-tc-inline", 0, List.of(10.0), "Gbit/s", List.of(1.0), ""),
                new Measurement("t", "iptables-legacy", 1_000_000, List.of(0.1), "Gbit/s", List.of(0.01), ""),
                Measurement.refused("t", "xnet-tc-inline", 1_000_000, "Gbit/s", "n/a: verifier limit"));
        assertThat(Summary.grid(rows)).contains("| rules | iptables-legacy | xnet-tc-inline |",
                "| 1M | 0.01000 (0.01000-0.01000) | n/a: verifier limit |");
    }

    @Test
    void summaryNamesTheEnvironmentAndEveryExperiment() {
        String md = Summary.markdown(Map.of("kernel", "6.1"), Map.of(StudyBench.SMALL_PACKETS, List.of(
                new Measurement(StudyBench.SMALL_PACKETS, "plain forwarded", 0, List.of(1e5), "packets/s", null, "n"))));
        assertThat(md).contains("| kernel | 6.1 |", "## small-packets", "![small-packets](small-packets.png)",
                "| plain forwarded | 0 | 1.000e+05 packets/s (1.000e+05-1.000e+05) | n |");
    }
}
