package xnet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A results folder: one CSV per experiment (a row per dataplane and size, with median, min,
 * max, the ratio to the baseline where there is one, every sample, and a note), a PNG chart per
 * experiment, environment.csv, and summary.md with a table per experiment.
 */
public final class ResultFiles {

    public static final String CSV_HEADER = "experiment,dataplane,x,median,min,max,unit,ratio_median,ratio_min,"
            + "ratio_max,samples,note";

    private final Path dir;

    public ResultFiles(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public Path dir() {
        return dir;
    }

    static String csv(List<Measurement> rows) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (Measurement m : rows) {
            Stats s = m.ran() ? m.stats() : null;
            Stats r = m.ratio();
            out.append(m.experiment()).append(',').append(m.dataplane()).append(',').append(m.x()).append(',')
                    .append(s == null ? "" : number(s.median())).append(',').append(s == null ? "" : number(s.min()))
                    .append(',').append(s == null ? "" : number(s.max())).append(',').append(m.unit()).append(',')
                    .append(r == null ? "" : number(r.median())).append(',').append(r == null ? "" : number(r.min()))
                    .append(',').append(r == null ? "" : number(r.max())).append(',')
                    .append(m.samples().stream().map(ResultFiles::number).collect(Collectors.joining(";"))).append(',')
                    .append(quote(m.note())).append('\n');
        }
        return out.toString();
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }

    private static String quote(String text) {
        return text.isEmpty() ? "" : "\"" + text.replace("\"", "\"\"") + "\"";
    }

    public void write(String experiment, List<Measurement> rows) throws IOException {
        Files.writeString(dir.resolve(experiment + ".csv"), csv(rows));
    }

    public void environment(Map<String, String> facts) throws IOException {
        StringBuilder out = new StringBuilder("key,value\n");
        facts.forEach((k, v) -> out.append(k).append(',').append(quote(v)).append('\n'));
        Files.writeString(dir.resolve("environment.csv"), out.toString());
    }

    public Path chart(String experiment) {
        return dir.resolve(experiment + ".png");
    }

    public void summary(String markdown) throws IOException {
        Files.writeString(dir.resolve("summary.md"), markdown);
    }
}
