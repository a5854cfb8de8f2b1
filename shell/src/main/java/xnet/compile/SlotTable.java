package xnet.compile;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import xnet.datapath.Shared;
import xnet.diff.FilterDelta;
import xnet.model.FilterRule;

/**
 * Counter slots of the running rules, changed in place by deltas (a copy of a million slots per
 * commit would cost more than the rest of a one-rule commit). An added rule gets the lowest free
 * slot, to be zeroed; a rule that only moved keeps its own; a removed rule's slot is freed, after
 * the new ones are handed out, so that no packet the old rules count lands in a new rule's zeroed
 * counter. Each change can be taken back.
 */
public final class SlotTable {

    private final Map<Integer, Integer> slots;
    private final BitSet used = new BitSet();
    /** No slot below this is free: the search starts here (from 1 each time would cost O(n) per rule). */
    private int lowestFree = 1;

    public SlotTable(Map<Integer, Integer> initial) {
        slots = new HashMap<>(initial);
        used.set(0);
        slots.values().forEach(used::set);
    }

    /** The slots as they are now: a live view, which later changes show through. */
    public Map<Integer, Integer> view() {
        return Collections.unmodifiableMap(slots);
    }

    /** What one delta did, to be taken back if its commit fails. */
    public record Change(List<Integer> reset, Map<Integer, Integer> before) {
    }

    public Change apply(FilterDelta delta) {
        Map<Integer, FilterRule> removed = new HashMap<>();
        delta.removed().forEach(r -> removed.put(r.id(), r));
        Map<Integer, Integer> before = new HashMap<>();
        List<Integer> reset = new ArrayList<>();
        Set<Integer> readded = new HashSet<>();
        for (FilterDelta.Placed placed : delta.added()) {
            FilterRule rule = placed.rule();
            readded.add(rule.id());
            if (rule.equals(removed.get(rule.id())) && slots.containsKey(rule.id())) {
                continue;
            }
            int slot = used.nextClearBit(lowestFree);
            lowestFree = slot + 1;
            if (slot >= Shared.XNET_MAX_RULE_SLOTS) {
                undo(new Change(reset, before));
                throw new IllegalArgumentException("more than " + (Shared.XNET_MAX_RULE_SLOTS - 1) + " filter rules");
            }
            used.set(slot);
            before.putIfAbsent(rule.id(), slots.get(rule.id()));
            slots.put(rule.id(), slot);
            reset.add(slot);
        }
        for (FilterRule rule : delta.removed()) {
            if (readded.contains(rule.id()) && !before.containsKey(rule.id())) {
                continue; // moved only: it keeps its slot
            }
            Integer old = before.containsKey(rule.id()) ? before.get(rule.id()) : slots.get(rule.id());
            if (old != null && old != 0) {
                used.clear(old); // freed now, handed out from the next delta on
                freed(old);
            }
            if (!readded.contains(rule.id())) {
                before.putIfAbsent(rule.id(), slots.remove(rule.id()));
            }
        }
        return new Change(reset, before);
    }

    private void freed(int slot) {
        lowestFree = Math.min(lowestFree, slot);
    }

    public void undo(Change change) {
        change.reset().forEach(slot -> {
            used.clear(slot);
            freed(slot);
        });
        change.before().forEach((id, slot) -> {
            if (slot == null) {
                slots.remove(id);
            } else {
                slots.put(id, slot);
                used.set(slot);
            }
        });
    }
}
