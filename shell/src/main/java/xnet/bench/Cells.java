package xnet.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cells of one experiment while it runs: samples (and ratios) per name and x, gathered over
 * the rounds, and a note for cells that could not run. Becomes the experiment's rows, ordered by
 * x, then by when a name first appeared. Pure.
 */
final class Cells {

    private record Key(String name, long x) {
    }

    private final Map<Key, List<Double>> samples = new LinkedHashMap<>();
    private final Map<Key, List<Double>> ratios = new LinkedHashMap<>();
    private final Map<Key, String> notes = new LinkedHashMap<>();
    private final Map<String, Integer> order = new LinkedHashMap<>();

    void add(String name, long x, double value) {
        samples.computeIfAbsent(key(name, x), k -> new ArrayList<>()).add(value);
    }

    void add(String name, long x, double value, double ratio) {
        add(name, x, value);
        ratios.computeIfAbsent(key(name, x), k -> new ArrayList<>()).add(ratio);
    }

    void note(String name, long x, String text) {
        notes.put(key(name, x), text);
    }

    private Key key(String name, long x) {
        order.putIfAbsent(name, order.size());
        return new Key(name, x);
    }

    /** One row per cell; a cell without samples keeps its note (why it did not run). */
    List<Measurement> rows(String experiment, String unit, String note) {
        List<Key> keys = new ArrayList<>(order.isEmpty() ? List.of() : samples.keySet());
        notes.keySet().stream().filter(k -> !samples.containsKey(k)).forEach(keys::add);
        keys.sort(Comparator.comparingLong(Key::x).thenComparing(k -> order.get(k.name())));
        List<Measurement> rows = new ArrayList<>();
        for (Key k : keys) {
            rows.add(new Measurement(experiment, k.name(), k.x(), samples.getOrDefault(k, List.of()), unit,
                    ratios.get(k), notes.getOrDefault(k, note)));
        }
        return rows;
    }
}
