package xnet.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** summary.md of a results folder: the environment, then a table per experiment. Pure. */
final class Summary {

    private Summary() {
    }

    static String markdown(Map<String, String> environment, Map<String, List<Measurement>> results) {
        StringBuilder out = new StringBuilder("# xnet bench\n\n| | |\n|---|---|\n");
        environment.forEach((k, v) -> out.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        for (Map.Entry<String, List<Measurement>> e : results.entrySet()) {
            out.append("\n## ").append(e.getKey()).append("\n\n![").append(e.getKey()).append("](").append(e.getKey())
                    .append(".png)\n\n");
            out.append(switch (e.getKey()) {
                case StudyBench.THROUGHPUT, StudyBench.THROUGHPUT_2HOSTS -> grid(e.getValue());
                case StudyBench.LATENCY_NETPIPE, StudyBench.LATENCY_SOCKPERF -> bySize(e.getValue());
                default -> list(e.getValue());
            });
        }
        return out.toString();
    }

    /** Rule counts down, dataplanes across: the ratio to the 0-rule baseline, median (min-max). */
    static String grid(List<Measurement> rows) {
        return table(rows, "rules", m -> Charts.label(m.x()), Measurement::dataplane,
                m -> m.ratio() != null ? range(m.ratio(), "") : m.note())
                + "\nThroughput as a ratio to the same round's 0-rule baseline, median (min-max).\n";
    }

    /**
     * Series down (dataplane and rule count), message sizes across: latency, median (min-max).
     * Sizes are those that are powers of 4 from 64 bytes, NetPIPE's sweep has more (the CSV holds all).
     */
    static String bySize(List<Measurement> rows) {
        List<Measurement> shown = rows.stream().filter(m -> shownSize(m.x())).toList();
        return table(shown, "series", Measurement::dataplane, m -> m.x() + " B",
                m -> m.ran() ? range(m.stats(), "") : m.note())
                + "\nOne-way latency in usec (half the round trip), median (min-max); series \"DATAPLANE @RULES\".\n";
    }

    /** Message sizes the summary and the charts show: powers of 4 from 64 bytes. */
    static boolean shownSize(long bytes) {
        return bytes >= 64 && Long.bitCount(bytes) == 1 && Long.numberOfTrailingZeros(bytes) % 2 == 0;
    }

    /** A Markdown table with a row per distinct {@code row} value and a column per distinct {@code column} value. */
    private static String table(List<Measurement> rows, String corner, Function<Measurement, String> row,
                                Function<Measurement, String> column, Function<Measurement, String> cell) {
        Set<String> columns = new LinkedHashSet<>();
        Set<String> lines = new LinkedHashSet<>();
        rows.forEach(m -> {
            columns.add(column.apply(m));
            lines.add(row.apply(m));
        });
        StringBuilder out = new StringBuilder("| ").append(corner).append(" | ").append(String.join(" | ", columns))
                .append(" |\n|---|");
        columns.forEach(c -> out.append("---|"));
        out.append('\n');
        for (String line : lines) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(rows.stream().filter(r -> row.apply(r).equals(line) && column.apply(r).equals(c)).findFirst()
                        .map(cell).orElse(""));
            }
            out.append("| ").append(line).append(" | ").append(String.join(" | ", cells)).append(" |\n");
        }
        return out.toString();
    }

    static String list(List<Measurement> rows) {
        StringBuilder out = new StringBuilder("| what | x | median (min-max) | note |\n|---|---|---|---|\n");
        for (Measurement m : rows) {
            out.append("| ").append(m.dataplane()).append(" | ").append(Charts.label(m.x())).append(" | ")
                    .append(m.ran() ? range(m.stats(), " " + m.unit()) : "-").append(" | ").append(m.note()).append(" |\n");
        }
        return out.toString();
    }

    private static String range(Stats s, String unit) {
        return String.format(Locale.ROOT, "%s%s (%s-%s)", ResultFiles.number(s.median()), unit,
                ResultFiles.number(s.min()), ResultFiles.number(s.max()));
    }
}
