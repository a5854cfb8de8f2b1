package xnet.bench;

import java.util.List;

/**
 * One cell of a benchmark's results: what ran ({@code dataplane}), at what size ({@code x}, e.g.
 * the rule count), its repeated values, their unit, and a ratio to the same round's baseline
 * where the experiment has one. A cell that could not run has no values and says why in
 * {@code note}.
 */
public record Measurement(String experiment, String dataplane, long x, List<Double> samples, String unit,
                          List<Double> ratios, String note) {

    public Measurement {
        samples = List.copyOf(samples);
        ratios = ratios == null ? List.of() : List.copyOf(ratios);
        note = note == null ? "" : note;
    }

    public static Measurement refused(String experiment, String dataplane, long x, String unit, String why) {
        return new Measurement(experiment, dataplane, x, List.of(), unit, List.of(), why);
    }

    public boolean ran() {
        return !samples.isEmpty();
    }

    public Stats stats() {
        return Stats.of(samples);
    }

    public Stats ratio() {
        return ratios.isEmpty() ? null : Stats.of(ratios);
    }
}
