package xnet.compile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import xnet.datapath.Shared;
import xnet.diff.FilterDelta;
import xnet.model.FilterRule;
import xnet.model.Proto;

/**
 * The map strategy's entries, kept up to date one rule at a time, so that a commit that changes
 * a few rules of a million rewrites a few map entries.
 *
 * <p>Each rule has a priority: lower wins. Priorities are sparse ({@link #GAP} apart when the
 * index is built), so a rule inserted between two others takes a number between theirs and no
 * other rule is renumbered. Each rule becomes one entry per port block, keyed by its tuple's id
 * and the masked fields; several rules may want the same key, and the best of them is the
 * entry. Tuple ids stay with their shape while it has entries, because entries carry them.
 *
 * <p>With more shapes than {@link Shared#XNET_MAX_TUPLES} tuples, prefixes are expanded to
 * lengths that are multiples of a stride (a /12 becomes sixteen /16s), which trades entries for
 * tuples; the index keeps the stride it was built with. Ordinary rule sets fit at stride 1.
 *
 * <p>Pure and single-threaded. When an update cannot be done in place (no priority left
 * between two rules, more shapes than tuples) {@link #apply} says so; the index is then spent
 * and the caller builds everything anew.
 */
public final class RuleIndex {

    /** Distance between neighbouring priorities in a fresh index: room for 1023 insertions. */
    public static final int GAP = 1024;
    /** Priorities stay below this (the kernel compares them as u32 against 0xffffffff). */
    static final int MAX_PRIO = Integer.MAX_VALUE - 1;

    /** An entry's key: the tuple id and the masked fields (host order). */
    public record Key(int tuple, int src, int dst, int port, int proto, int state) {
    }

    /** One rule's claim on a key. */
    private record Claim(int prio, int slot, int action, int rule) {
    }

    private static final Comparator<Claim> BY_PRIO = Comparator.comparingInt(Claim::prio);

    private static final class TupleState {
        final int id;
        final RuleTables.Shape shape;
        int entries;
        /** A lower bound of the priorities of its entries (exact when built; removals leave it). */
        int minPrio;

        TupleState(int id, RuleTables.Shape shape, int minPrio) {
            this.id = id;
            this.shape = shape;
            this.minPrio = minPrio;
        }
    }

    private final Map<RuleTables.Shape, TupleState> tuples = new HashMap<>();
    private final TupleState[] byId = new TupleState[Shared.XNET_MAX_TUPLES];
    /** Key to its claims: one Claim, or a Claim[] sorted by priority when rules overlap exactly. */
    private final Map<Key, Object> claims;
    private final Map<Integer, Integer> prioOf;
    private final int addressStride;
    private final int portStride;

    /** Address and port strides to try, in order. */
    private static final int[][] STRIDES = {{1, 1}, {1, 4}, {1, 8}, {4, 8}, {8, 8}, {8, 16}, {16, 16}};

    private RuleIndex(int rules, int addressStride, int portStride) {
        claims = new HashMap<>(rules * 2);
        prioOf = new HashMap<>(rules * 2);
        this.addressStride = addressStride;
        this.portStride = portStride;
    }

    /**
     * A fresh index of the rules, priorities GAP apart, at the finest stride that fits.
     *
     * @throws IllegalArgumentException when no stride fits the rules into the tuples and entries
     */
    public static RuleIndex build(List<FilterRule> rules, Map<Integer, Integer> slotOfRule) {
        for (int[] stride : STRIDES) {
            RuleIndex index = build(rules, slotOfRule, stride[0], stride[1]);
            if (index != null) {
                return index;
            }
        }
        throw new IllegalArgumentException("the rules have too many different shapes (prefix lengths, protocol,"
                + " port blocks) for the map strategy's " + Shared.XNET_MAX_TUPLES + " tuples");
    }

    private static RuleIndex build(List<FilterRule> rules, Map<Integer, Integer> slotOfRule, int addressStride,
                                   int portStride) {
        if (rules.size() >= MAX_PRIO / GAP) {
            return null;
        }
        RuleIndex index = new RuleIndex(rules.size(), addressStride, portStride);
        for (int i = 0; i < rules.size(); i++) {
            FilterRule rule = rules.get(i);
            // from GAP, not 0: room for rules inserted above the first one
            if (!index.add(rule, (i + 1) * GAP, slotOfRule.getOrDefault(rule.id(), 0), null)) {
                return null;
            }
        }
        return index;
    }

    /**
     * Applies a delta of the rule list ({@code rules} is the new list). Returns the keys whose
     * entry changed, or null when the delta cannot be applied in place; the index is then no
     * longer usable.
     */
    public Set<Key> apply(FilterDelta delta, List<FilterRule> rules, Map<Integer, Integer> slotOfRule) {
        Set<Key> changed = new HashSet<>();
        for (FilterRule rule : delta.removed()) {
            Integer prio = prioOf.remove(rule.id());
            if (prio == null) {
                return null;
            }
            remove(rule, changed);
        }
        List<FilterDelta.Placed> added = delta.added();
        int i = 0;
        while (i < added.size()) {
            int j = i;
            while (j + 1 < added.size() && added.get(j + 1).index() == added.get(j).index() + 1) {
                j++;
            }
            if (!addChain(added.subList(i, j + 1), rules, slotOfRule, changed)) {
                return null;
            }
            i = j + 1;
        }
        return changed;
    }

    /** Rules placed one after another: priorities spread between their neighbours'. */
    private boolean addChain(List<FilterDelta.Placed> chain, List<FilterRule> rules, Map<Integer, Integer> slotOfRule,
                             Set<Key> changed) {
        int first = chain.get(0).index();
        int last = chain.get(chain.size() - 1).index();
        long low = first == 0 ? 0 : prio(rules.get(first - 1));
        long high = last + 1 < rules.size() ? prio(rules.get(last + 1)) : -2;
        if (low == -2 || (high == -2 && last + 1 < rules.size())) {
            return false; // a neighbour that the index does not know: the delta is not of this index
        }
        long step = high == -2 ? GAP : (high - low) / (chain.size() + 1);
        if (step < 1 || low + step * chain.size() > MAX_PRIO) {
            return false;
        }
        for (int k = 0; k < chain.size(); k++) {
            FilterRule rule = chain.get(k).rule();
            if (!add(rule, (int) (low + step * (k + 1)), slotOfRule.getOrDefault(rule.id(), 0), changed)) {
                return false;
            }
        }
        return true;
    }

    private int prio(FilterRule rule) {
        Integer prio = prioOf.get(rule.id());
        return prio == null ? -2 : prio;
    }

    private boolean add(FilterRule rule, int prio, int slot, Set<Key> changed) {
        int action = (rule.action() == FilterRule.Action.DROP ? Shared.XNET_ACT_DROP : Shared.XNET_ACT_ALLOW)
                | (rule.log() ? Shared.XNET_ACT_LOG : 0);
        Claim claim = new Claim(prio, slot, action, rule.id());
        prioOf.put(rule.id(), prio);
        for (Placement p : placements(rule)) {
            TupleState tuple = tuples.get(p.shape);
            if (tuple == null) {
                int id = freeTupleId();
                if (id < 0) {
                    return false;
                }
                tuple = new TupleState(id, p.shape, prio);
                tuples.put(p.shape, tuple);
                byId[id] = tuple;
            }
            tuple.minPrio = Math.min(tuple.minPrio, prio);
            Key key = new Key(tuple.id, p.src, p.dst, p.port, p.proto, p.state);
            Object had = claims.get(key);
            if (had == null) {
                claims.put(key, claim);
                tuple.entries++;
            } else {
                Claim[] all = had instanceof Claim one ? new Claim[] {one, claim} : append((Claim[]) had, claim);
                Arrays.sort(all, BY_PRIO);
                claims.put(key, all);
            }
            if (changed != null) {
                changed.add(key);
            }
        }
        return claims.size() <= Shared.XNET_MAX_RULE_ENTRIES;
    }

    private void remove(FilterRule rule, Set<Key> changed) {
        for (Placement p : placements(rule)) {
            TupleState tuple = tuples.get(p.shape);
            if (tuple == null) {
                continue;
            }
            Key key = new Key(tuple.id, p.src, p.dst, p.port, p.proto, p.state);
            Object had = claims.get(key);
            if (had instanceof Claim one) {
                if (one.rule() == rule.id()) {
                    claims.remove(key);
                    changed.add(key);
                    if (--tuple.entries == 0) {
                        tuples.remove(p.shape);
                        byId[tuple.id] = null;
                    }
                }
            } else if (had instanceof Claim[] all) {
                Claim[] rest = Arrays.stream(all).filter(c -> c.rule() != rule.id()).toArray(Claim[]::new);
                claims.put(key, rest.length == 1 ? rest[0] : rest);
                changed.add(key);
            }
        }
    }

    private static Claim[] append(Claim[] all, Claim claim) {
        Claim[] more = Arrays.copyOf(all, all.length + 1);
        more[all.length] = claim;
        return more;
    }

    private int freeTupleId() {
        for (int id = 0; id < byId.length; id++) {
            if (byId[id] == null) {
                return id;
            }
        }
        return -1;
    }

    /** Where a rule's entries go: one per port block (and connection state), all of one address shape. */
    private record Placement(RuleTables.Shape shape, int src, int dst, int port, int proto, int state) {
    }

    /** Where a rule's entries go: one per source, destination and port block after expansion to the strides. */
    private List<Placement> placements(FilterRule rule) {
        List<int[]> sources = expand(rule.from() == null ? 0 : rule.from().network().bits(),
                rule.from() == null ? 0 : rule.from().prefix(), addressStride, 32);
        List<int[]> destinations = expand(rule.to() == null ? 0 : rule.to().network().bits(),
                rule.to() == null ? 0 : rule.to().prefix(), addressStride, 32);
        List<int[]> ports = new ArrayList<>();
        if (rule.port() == null) {
            ports.add(new int[] {0, 0});
        } else {
            for (PortBlocks.Block block : PortBlocks.of(rule.port())) {
                ports.addAll(expand(block.value(), block.prefix(), portStride, 16));
            }
        }
        boolean anyProto = rule.proto() == Proto.ANY;
        int proto = rule.proto().number();
        List<Integer> states = rule.states() == null ? List.of(0) : rule.states().each();
        List<Placement> out = new ArrayList<>(sources.size() * destinations.size() * ports.size() * states.size());
        for (int[] src : sources) {
            for (int[] dst : destinations) {
                for (int[] port : ports) {
                    RuleTables.Shape shape = new RuleTables.Shape(src[1], dst[1], anyProto, port[1], rule.port() != null,
                            rule.states() != null);
                    for (int state : states) {
                        out.add(new Placement(shape, src[0], dst[0], port[0], proto, state));
                    }
                }
            }
        }
        return out;
    }

    /** A prefix (value, length) as prefixes whose length is a multiple of the stride (or the full width). */
    static List<int[]> expand(int value, int length, int stride, int width) {
        int target = length == 0 || stride == 1 ? length : Math.min(width, (length + stride - 1) / stride * stride);
        int extra = target - length;
        List<int[]> out = new ArrayList<>(1 << extra);
        for (int i = 0; i < (1 << extra); i++) {
            out.add(new int[] {value | (i << (width - target)), target});
        }
        return out;
    }

    /** The entry a key holds now, or null when no rule claims it. */
    public RuleTables.Entry entry(Key key) {
        Object had = claims.get(key);
        if (had == null) {
            return null;
        }
        Claim best = had instanceof Claim one ? one : ((Claim[]) had)[0];
        return new RuleTables.Entry(key.tuple(), key.src(), key.dst(), key.port(), key.proto(), best.prio(), best.slot(),
                best.action(), key.state());
    }

    /** The tuples that have entries, in the order the search visits them (by lowest priority). */
    public List<RuleTables.Tuple> tuples() {
        List<RuleTables.Tuple> out = new ArrayList<>();
        for (TupleState t : tuples.values()) {
            out.add(new RuleTables.Tuple(t.id, t.shape, t.minPrio));
        }
        out.sort(Comparator.comparingInt(RuleTables.Tuple::minPrio).thenComparingInt(RuleTables.Tuple::id));
        return out;
    }

    public int entryCount() {
        return claims.size();
    }

    /** Every entry and tuple: what a freshly loaded program's maps hold. */
    public RuleTables tables() {
        List<RuleTables.Entry> entries = new ArrayList<>(claims.size());
        for (Key key : claims.keySet()) {
            entries.add(entry(key));
        }
        return new RuleTables(tuples(), entries);
    }
}
