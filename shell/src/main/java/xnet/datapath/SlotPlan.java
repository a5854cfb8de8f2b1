package xnet.datapath;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import xnet.model.FilterRule;

/**
 * Counter slots of rules. A rule keeps its slot (and so its counters) across commits while its
 * id and text stay the same; a new or changed rule gets the lowest free slot, which the commit
 * zeroes before the new program can count into it. Slot 0 is the default action's.
 */
public record SlotPlan(Map<Integer, Integer> slotOfRule, Map<Integer, String> textOfRule, List<Integer> slotsToReset) {

    public static final SlotPlan NONE = new SlotPlan(Map.of(), Map.of(), List.of());

    public static SlotPlan assign(SlotPlan previous, List<FilterRule> rules) {
        Map<Integer, Integer> slots = new HashMap<>();
        Map<Integer, String> texts = new HashMap<>();
        TreeSet<Integer> used = new TreeSet<>();
        for (FilterRule rule : rules) {
            Integer old = previous.slotOfRule.get(rule.id());
            if (old != null && rule.text().equals(previous.textOfRule.get(rule.id()))) {
                slots.put(rule.id(), old);
                texts.put(rule.id(), rule.text());
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
            texts.put(rule.id(), rule.text());
            used.add(next);
            reset.add(next);
        }
        return new SlotPlan(Map.copyOf(slots), Map.copyOf(texts), List.copyOf(reset));
    }
}
