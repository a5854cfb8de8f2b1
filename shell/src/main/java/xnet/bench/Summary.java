package xnet.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
            out.append(e.getKey().equals(StudyBench.THROUGHPUT) ? grid(e.getValue()) : list(e.getValue()));
        }
        return out.toString();
    }

    /** Rule counts down, dataplanes across: the ratio to the 0-rule baseline, median (min-max). */
    static String grid(List<Measurement> rows) {
        Set<String> dataplanes = new LinkedHashSet<>();
        Set<Long> counts = new LinkedHashSet<>();
        rows.forEach(m -> {
            dataplanes.add(m.dataplane());
            counts.add(m.x());
        });
        StringBuilder out = new StringBuilder("| rules | ").append(String.join(" | ", dataplanes)).append(" |\n|---|");
        dataplanes.forEach(d -> out.append("---|"));
        out.append('\n');
        for (long count : counts) {
            List<String> cells = new ArrayList<>();
            for (String d : dataplanes) {
                Measurement m = rows.stream().filter(r -> r.x() == count && r.dataplane().equals(d)).findFirst().orElse(null);
                cells.add(m == null ? "" : m.ratio() != null ? range(m.ratio(), "") : m.note());
            }
            out.append("| ").append(Charts.label(count)).append(" | ").append(String.join(" | ", cells)).append(" |\n");
        }
        out.append("\nThroughput as a ratio to the same round's 0-rule baseline, median (min-max).\n");
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
