package xnet.session;

import java.util.List;

/** Packets and bytes per rule (its id, or "default"), per attach point, and packets per NAT rule. */
public record CounterSnapshot(List<RuleCount> rules, List<PointCount> attachPoints, List<NatCount> nats) {

    /** No BPF datapath runs (nothing was committed with rules yet): nothing counts. */
    public static final CounterSnapshot EMPTY = new CounterSnapshot(List.of(), List.of(), List.of());

    /** Without NAT counters (the kernel's tables count connections there, not packets: none are shown). */
    public CounterSnapshot(List<RuleCount> rules, List<PointCount> attachPoints) {
        this(rules, attachPoints, List.of());
    }

    public boolean isEmpty() {
        return rules.isEmpty() && attachPoints.isEmpty();
    }

    public record RuleCount(String rule, String text, long packets, long bytes) {
    }

    /** Packets a NAT rule translated: towards its private address, and replies back from the public one. */
    public record NatCount(int id, String text, long toPrivate, long toPublic) {
    }

    /** Per attach point: IPv4 and other frames passed, dropped, translated; ARP frames (always passed). */
    /** {@code fast}: of the packets passed, those the fast path handed on itself. */
    public record PointCount(String attachPoint, long passed, long dropped, long translated, long arp, long fast) {
    }
}
