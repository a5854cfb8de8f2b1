package xnet.bench;

import java.util.List;

/** Median and range of repeated measurements: benchmarks report these, never a single run. */
public record Stats(double median, double min, double max) {

    public static Stats of(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1));
    }

    public String format(String unit) {
        return String.format("%.1f %s (%.1f-%.1f)", median, unit, min, max);
    }
}
