package xnet.session;

import java.util.List;

/** Packets and bytes per rule (its id, or "default"), and per attach point. */
public record CounterSnapshot(List<RuleCount> rules, List<PointCount> attachPoints) {

    /** No BPF datapath runs (nothing was committed with rules yet): nothing counts. */
    public static final CounterSnapshot EMPTY = new CounterSnapshot(List.of(), List.of());

    public boolean isEmpty() {
        return rules.isEmpty() && attachPoints.isEmpty();
    }

    public record RuleCount(String rule, String text, long packets, long bytes) {
    }

    /** Per attach point: IPv4 and other frames passed, dropped, translated; ARP frames (always passed). */
    public record PointCount(String attachPoint, long passed, long dropped, long translated, long arp) {
    }
}
