package xnet.session;

import java.util.List;

/** Packets and bytes per rule (its id, or "default"), and per attach point. */
public record CounterSnapshot(List<RuleCount> rules, List<PointCount> attachPoints) {

    public record RuleCount(String rule, String text, long packets, long bytes) {
    }

    public record PointCount(String attachPoint, long passed, long dropped, long translated) {
    }
}
