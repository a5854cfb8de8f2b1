package xnet.model;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * The filter rules of one config: an immutable list whose append costs the same at any length.
 * A batch of 100,000 `filter add` lines makes 100,000 configs, each one rule longer than the one
 * before; copying the list for each would cost the square of its length. Lists made by appending
 * share one growing array, the way slices share theirs: each list sees only its own length of it,
 * and a slot below some list's length is never written again. Appending to a list that is not the
 * longest on its array (an older config, appended to a second time) copies first. Inserting
 * elsewhere than at the end copies too.
 */
public final class FilterList extends AbstractList<FilterRule> implements RandomAccess {

    private static final FilterList EMPTY = new FilterList(new Store(new FilterRule[0], 0), new FilterRule[0], 0);

    /** The array lists share, how much of it is taken, and the dead-rule index over it. */
    private static final class Store {
        private FilterRule[] items; // guarded by this
        private int used; // guarded by this
        private CoverIndex covers; // guarded by this; built when first asked

        Store(FilterRule[] items, int used) {
            this.items = items;
            this.used = used;
        }
    }

    private final Store store;
    private final FilterRule[] items; // this list's view: slots below size never change
    private final int size;

    private FilterList(Store store, FilterRule[] items, int size) {
        this.store = store;
        this.items = items;
        this.size = size;
    }

    /** The list itself when it is one, else a copy. */
    public static FilterList of(List<FilterRule> rules) {
        if (rules instanceof FilterList list) {
            return list;
        }
        if (rules == null || rules.isEmpty()) {
            return EMPTY;
        }
        FilterRule[] copy = rules.toArray(new FilterRule[0]);
        for (FilterRule rule : copy) {
            java.util.Objects.requireNonNull(rule, "filter rule");
        }
        return new FilterList(new Store(copy, copy.length), copy, copy.length);
    }

    @Override
    public FilterRule get(int index) {
        java.util.Objects.checkIndex(index, size);
        return items[index];
    }

    @Override
    public int size() {
        return size;
    }

    /** This list with the rule at the end: in place on the shared array when this list is its longest. */
    public FilterList plus(FilterRule rule) {
        java.util.Objects.requireNonNull(rule, "filter rule");
        synchronized (store) {
            if (store.used == size && store != EMPTY.store) {
                if (store.items.length == size) {
                    store.items = Arrays.copyOf(store.items, Math.max(16, size + (size >> 1)));
                }
                store.items[size] = rule;
                store.used = size + 1;
                return new FilterList(store, store.items, size + 1);
            }
        }
        FilterRule[] copy = Arrays.copyOf(items, Math.max(16, size + (size >> 1) + 1));
        copy[size] = rule;
        return new FilterList(new Store(copy, size + 1), copy, size + 1);
    }

    /** This list with the rule at {@code index} (a copy unless it is the end). */
    public FilterList insert(int index, FilterRule rule) {
        if (index == size) {
            return plus(rule);
        }
        java.util.Objects.checkIndex(index, size);
        FilterRule[] copy = new FilterRule[size + 1];
        System.arraycopy(items, 0, copy, 0, index);
        copy[index] = rule;
        System.arraycopy(items, index, copy, index + 1, size - index);
        return new FilterList(new Store(copy, copy.length), copy, copy.length);
    }

    /**
     * The first rule before {@code at} that matches every packet the rule at {@code at} would, by
     * an index kept with the shared array (so a batch of appends pays for each rule once, not for
     * the whole list on every line).
     */
    public Optional<FilterRule> firstCovering(int at) {
        java.util.Objects.checkIndex(at, size);
        synchronized (store) {
            if (store.covers == null) {
                store.covers = new CoverIndex();
            }
            // slots below this list's size are the same on every list of the store
            while (store.covers.indexed() < at) {
                store.covers.add(store.items[store.covers.indexed()]);
            }
            int position = store.covers.firstCovering(items[at], at);
            return position < 0 ? Optional.empty() : Optional.of(items[position]);
        }
    }

    @Override
    public boolean equals(Object other) {
        if (other instanceof FilterList list && list.store == store) {
            return list.size == size; // one array: the same length is the same rules
        }
        if (other instanceof List<?> list && list.size() != size) {
            return false;
        }
        return super.equals(other);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
