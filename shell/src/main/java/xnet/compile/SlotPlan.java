package xnet.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import xnet.datapath.Shared;
import xnet.model.FilterRule;

/**
 * Counter slots of rules. A rule keeps its slot (and so its counters) across commits while it
 * stays the same rule (same id, same match and action); a new or changed rule gets the lowest
 * free slot, which the commit zeroes before the new program can count into it. Slot 0 is the
 * default action's.
 */
public record SlotPlan(Map<Integer, Integer> slotOfRule, List<Integer> slotsToReset) {

    public static final SlotPlan NONE = new SlotPlan(Map.of(), List.of());

    public SlotPlan {
        slotOfRule = slotOfRule == null ? Map.of() : slotOfRule;
        slotsToReset = slotsToReset == null ? List.of() : slotsToReset;
    }

    /**
     * @param previous the running slots
     * @param running the running rules (to tell an unchanged rule from a changed one)
     * @param rules the candidate's rules
     */
    public static SlotPlan assign(SlotPlan previous, List<FilterRule> running, List<FilterRule> rules) {
        Map<Integer, FilterRule> before = new HashMap<>(running.size() * 2);
        running.forEach(r -> before.put(r.id(), r));
        Map<Integer, Integer> slots = new HashMap<>(rules.size() * 2);
        Set<Integer> used = new HashSet<>(rules.size() * 2);
        for (FilterRule rule : rules) {
            Integer old = previous.slotOfRule.get(rule.id());
            if (old != null && rule.equals(before.get(rule.id()))) {
                slots.put(rule.id(), old);
                used.add(old);
            }
        }
        List<Integer> reset = new ArrayList<>();
        int next = 1;
        for (FilterRule rule : rules) {
            if (slots.containsKey(rule.id())) {
                continue;
            }
            while (used.contains(next)) {
                next++;
            }
            if (next >= Shared.XNET_MAX_RULE_SLOTS) {
                throw new IllegalArgumentException("more than " + (Shared.XNET_MAX_RULE_SLOTS - 1) + " filter rules");
            }
            slots.put(rule.id(), next);
            used.add(next);
            reset.add(next);
        }
        return new SlotPlan(slots, reset);
    }
}
