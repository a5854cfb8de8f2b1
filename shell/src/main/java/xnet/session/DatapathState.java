package xnet.session;

import java.util.Map;

import xnet.compile.SlotPlan;

/**
 * What the running BPF datapath needs remembered between commits and shells: each rule's
 * counter slot, and the interface index of each attach point (for per-interface counters).
 */
public record DatapathState(SlotPlan slots, Map<String, Integer> ifindexes) {

    public static final DatapathState NONE = new DatapathState(SlotPlan.NONE, Map.of());

    public DatapathState {
        slots = slots == null ? SlotPlan.NONE : slots;
        ifindexes = ifindexes == null ? Map.of() : Map.copyOf(ifindexes);
    }
}
