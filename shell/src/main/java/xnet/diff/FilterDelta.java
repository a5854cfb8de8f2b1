package xnet.diff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import xnet.model.FilterRule;

/**
 * How one ordered rule list becomes another, as removals and placed additions: what a commit
 * applies to the live rule maps and what the history stores instead of the whole list. A
 * changed or moved rule is removed and added again. Kept rules keep their relative order.
 *
 * <p>Finding it costs one pass of reference comparisons over the common head and tail (an edit
 * copies the list but not the rules), and hashing only for the part in between: a one-rule edit
 * of a million rules is cheap.
 */
public record FilterDelta(List<FilterRule> removed, List<Placed> added) {

    /**
     * A rule to insert right after the rule with id {@code after} (0: at the top); {@code index}
     * is its place in the new list (used to find its neighbours, not needed to apply the delta).
     */
    public record Placed(FilterRule rule, int after, int index) {
    }

    public static final FilterDelta NONE = new FilterDelta(List.of(), List.of());

    public FilterDelta {
        removed = List.copyOf(removed);
        added = List.copyOf(added);
    }

    public boolean isEmpty() {
        return removed.isEmpty() && added.isEmpty();
    }

    public int size() {
        return removed.size() + added.size();
    }

    public static FilterDelta between(List<FilterRule> before, List<FilterRule> after) {
        int head = 0;
        int limit = Math.min(before.size(), after.size());
        while (head < limit && same(before.get(head), after.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < limit - head && same(before.get(before.size() - 1 - tail), after.get(after.size() - 1 - tail))) {
            tail++;
        }
        List<FilterRule> oldMiddle = before.subList(head, before.size() - tail);
        List<FilterRule> newMiddle = after.subList(head, after.size() - tail);
        if (oldMiddle.isEmpty() && newMiddle.isEmpty()) {
            return NONE;
        }
        Map<Integer, Integer> oldIndex = new HashMap<>(oldMiddle.size() * 2);
        for (int i = 0; i < oldMiddle.size(); i++) {
            oldIndex.put(oldMiddle.get(i).id(), i);
        }
        // Rules present unchanged in both, as their old places in new order; the longest
        // increasing run of those places is the most rules that can stay where they are.
        int[] oldAt = new int[newMiddle.size()];
        for (int i = 0; i < newMiddle.size(); i++) {
            FilterRule rule = newMiddle.get(i);
            Integer at = oldIndex.get(rule.id());
            oldAt[i] = at != null && oldMiddle.get(at).equals(rule) ? at : -1;
        }
        boolean[] stays = longestIncreasing(oldAt);
        Set<Integer> kept = new HashSet<>();
        List<Placed> added = new ArrayList<>();
        for (int i = 0; i < newMiddle.size(); i++) {
            FilterRule rule = newMiddle.get(i);
            if (stays[i]) {
                kept.add(rule.id());
                continue;
            }
            int index = head + i;
            added.add(new Placed(rule, index == 0 ? 0 : after.get(index - 1).id(), index));
        }
        List<FilterRule> removed = new ArrayList<>();
        for (FilterRule rule : oldMiddle) {
            if (!kept.contains(rule.id())) {
                removed.add(rule);
            }
        }
        return new FilterDelta(removed, added);
    }

    /** Marks a longest strictly increasing subsequence of the values that are not negative (patience sorting). */
    static boolean[] longestIncreasing(int[] values) {
        int n = values.length;
        int[] tails = new int[n];
        int[] previous = new int[n];
        int length = 0;
        for (int i = 0; i < n; i++) {
            if (values[i] < 0) {
                continue;
            }
            int low = 0;
            int high = length;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (values[tails[mid]] < values[i]) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            previous[i] = low > 0 ? tails[low - 1] : -1;
            tails[low] = i;
            if (low == length) {
                length++;
            }
        }
        boolean[] marked = new boolean[n];
        for (int i = length == 0 ? -1 : tails[length - 1]; i >= 0; i = previous[i]) {
            marked[i] = true;
        }
        return marked;
    }

    private static boolean same(FilterRule a, FilterRule b) {
        return a == b || a.equals(b);
    }

    /** The list this delta makes of {@code base}. */
    public List<FilterRule> applyTo(List<FilterRule> base) {
        if (isEmpty()) {
            return base;
        }
        return apply(base, removed.stream().map(FilterRule::id).toList(), added);
    }

    /** The list made of {@code base} by removing the rules with these ids and inserting the placed rules. */
    public static List<FilterRule> apply(List<FilterRule> base, java.util.Collection<Integer> removedIds,
                                         List<Placed> added) {
        Set<Integer> gone = new HashSet<>(removedIds);
        Map<Integer, List<FilterRule>> after = new HashMap<>();
        for (Placed p : added) {
            after.computeIfAbsent(p.after(), k -> new ArrayList<>()).add(p.rule());
        }
        List<FilterRule> out = new ArrayList<>(base.size() + added.size());
        emitAfter(0, after, out);
        for (FilterRule rule : base) {
            if (!gone.contains(rule.id())) {
                out.add(rule);
                emitAfter(rule.id(), after, out);
            }
        }
        if (!after.isEmpty()) {
            throw new IllegalArgumentException("the change places rules after ids that do not exist: " + after.keySet());
        }
        return out;
    }

    /**
     * Adds the rules placed after {@code id}, each followed by the rules placed after it; with a
     * stack, not recursion, as a whole new list is one chain of 100,000 placements.
     */
    private static void emitAfter(int id, Map<Integer, List<FilterRule>> after, List<FilterRule> out) {
        java.util.ArrayDeque<java.util.Iterator<FilterRule>> stack = new java.util.ArrayDeque<>();
        List<FilterRule> first = after.remove(id);
        if (first != null) {
            stack.push(first.iterator());
        }
        while (!stack.isEmpty()) {
            java.util.Iterator<FilterRule> next = stack.peek();
            if (!next.hasNext()) {
                stack.pop();
                continue;
            }
            FilterRule rule = next.next();
            out.add(rule);
            List<FilterRule> followers = after.remove(rule.id());
            if (followers != null) {
                stack.push(followers.iterator());
            }
        }
    }
}
