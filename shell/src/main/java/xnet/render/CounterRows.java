package xnet.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import xnet.session.CounterSnapshot;

/**
 * The rule rows of `show counters`: each rule's counts, its rates since the previous reading
 * (under --watch; null on the first), sorted and cut to the top N as asked. The default's row
 * stays last and is never cut: it is what no rule matched.
 */
public final class CounterRows {

    public enum Order { PACKETS, BYTES, RATE }

    /** One rule's row; the rates are per second, null when there is no earlier reading. */
    public record Row(String rule, String text, long packets, long bytes, Double packetsPerSecond, Double bytesPerSecond) {

        public boolean isDefault() {
            return rule.equals("default");
        }
    }

    private CounterRows() {
    }

    /**
     * @param previous the reading before, or null
     * @param seconds the time between the two readings
     * @param order null: the rules' order
     * @param top 0: every rule
     */
    public static List<Row> of(CounterSnapshot now, CounterSnapshot previous, double seconds, Order order, int top) {
        Map<String, CounterSnapshot.RuleCount> before = new HashMap<>();
        if (previous != null) {
            previous.rules().forEach(r -> before.put(r.rule(), r));
        }
        List<Row> rules = new ArrayList<>();
        Row fallthrough = null;
        for (CounterSnapshot.RuleCount r : now.rules()) {
            CounterSnapshot.RuleCount was = before.get(r.rule());
            boolean rated = was != null && seconds > 0;
            Row row = new Row(r.rule(), r.text(), r.packets(), r.bytes(),
                    rated ? Math.max(0, r.packets() - was.packets()) / seconds : null,
                    rated ? Math.max(0, r.bytes() - was.bytes()) / seconds : null);
            if (row.isDefault()) {
                fallthrough = row;
            } else {
                rules.add(row);
            }
        }
        if (order != null) {
            rules.sort(comparator(order).reversed());
        }
        if (top > 0 && rules.size() > top) {
            rules = new ArrayList<>(rules.subList(0, top));
        }
        if (fallthrough != null) {
            rules.add(fallthrough);
        }
        return rules;
    }

    private static Comparator<Row> comparator(Order order) {
        return switch (order) {
            case PACKETS -> Comparator.comparingLong(Row::packets);
            case BYTES -> Comparator.comparingLong(Row::bytes);
            case RATE -> Comparator.comparingDouble(r -> r.packetsPerSecond() == null ? 0 : r.packetsPerSecond());
        };
    }

    /** A rate as a person reads it: "0", "12", "3.4k", "1.2M". */
    public static String rate(Double perSecond) {
        if (perSecond == null) {
            return "-";
        }
        double v = perSecond;
        if (v >= 1e6) {
            return String.format("%.1fM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format("%.1fk", v / 1e3);
        }
        return String.format("%.0f", v);
    }
}
