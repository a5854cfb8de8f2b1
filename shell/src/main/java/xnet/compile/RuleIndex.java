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
import xnet.model.Cidr;
import xnet.model.Cidr6;
import xnet.model.Family;
import xnet.model.FilterRule;
import xnet.model.Ipv6;
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

    /** An entry's key: the tuple id and the masked fields (host order); an IPv6 tuple's addresses in src6/dst6. */
    public record Key(int tuple, int src, int dst, int port, int proto, int state, Ipv6 src6, Ipv6 dst6) {

        public Key(int tuple, int src, int dst, int port, int proto, int state) {
            this(tuple, src, dst, port, proto, state, null, null);
        }

        public boolean v6() {
            return src6 != null;
        }
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
    /** Tuples by id, per family (IPv4's, IPv6's): each family's ids run from 0, in tuples of its own. */
    private final TupleState[][] byId = new TupleState[2][Shared.XNET_MAX_TUPLES];
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
                + " port blocks) for the map strategy's " + Shared.XNET_MAX_TUPLES + " tuples per family");
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
                int id = freeTupleId(p.shape.v6());
                if (id < 0) {
                    return false;
                }
                tuple = new TupleState(id, p.shape, prio);
                tuples.put(p.shape, tuple);
                byId[family(p.shape)][id] = tuple;
            }
            tuple.minPrio = Math.min(tuple.minPrio, prio);
            Key key = new Key(tuple.id, p.src, p.dst, p.port, p.proto, p.state, p.src6, p.dst6);
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
            Key key = new Key(tuple.id, p.src, p.dst, p.port, p.proto, p.state, p.src6, p.dst6);
            Object had = claims.get(key);
            if (had instanceof Claim one) {
                if (one.rule() == rule.id()) {
                    claims.remove(key);
                    changed.add(key);
                    if (--tuple.entries == 0) {
                        tuples.remove(p.shape);
                        byId[family(p.shape)][tuple.id] = null;
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

    private static int family(RuleTables.Shape shape) {
        return shape.v6() ? 1 : 0;
    }

    private int freeTupleId(boolean v6) {
        TupleState[] ids = byId[v6 ? 1 : 0];
        for (int id = 0; id < ids.length; id++) {
            if (ids[id] == null) {
                return id;
            }
        }
        return -1;
    }

    /** Where a rule's entries go: one per port block (and connection state), all of one address shape. */
    private record Placement(RuleTables.Shape shape, int src, int dst, int port, int proto, int state, Ipv6 src6,
                             Ipv6 dst6) {
    }

    /** An address prefix of either family as (value, length); {@code v6} null for IPv4. */
    private record Prefix(int v4, Ipv6 v6, int length) {
    }

    /**
     * Where a rule's entries go: one per source, destination and port block after expansion to
     * the strides, in the tuples of the rule's family; a rule for both families goes into both.
     */
    private List<Placement> placements(FilterRule rule) {
        List<Placement> out = new ArrayList<>();
        if (rule.appliesTo(Family.IPV4)) {
            placements(rule, ipv4(rule.from()), ipv4(rule.to()), false, out);
        }
        if (rule.appliesTo(Family.IPV6)) {
            placements(rule, ipv6(rule.from6()), ipv6(rule.to6()), true, out);
        }
        return out;
    }

    private List<Prefix> ipv4(Cidr cidr) {
        List<Prefix> out = new ArrayList<>();
        for (int[] p : expand(cidr == null ? 0 : cidr.network().bits(), cidr == null ? 0 : cidr.prefix(), addressStride, 32)) {
            out.add(new Prefix(p[0], null, p[1]));
        }
        return out;
    }

    private List<Prefix> ipv6(Cidr6 cidr) {
        List<Prefix> out = new ArrayList<>();
        Ipv6 network = cidr == null ? new Ipv6(0, 0) : cidr.network();
        int length = cidr == null ? 0 : cidr.prefix();
        int target = length == 0 || addressStride == 1 ? length : Math.min(128, (length + addressStride - 1)
                / addressStride * addressStride);
        for (int i = 0; i < (1 << (target - length)); i++) {
            // the i-th of the longer prefixes: i in the bits between length and target
            int shift = 128 - target;
            long hi = network.hi();
            long lo = network.lo();
            long bits = i;
            if (shift >= 64) {
                hi |= bits << (shift - 64);
            } else {
                lo |= bits << shift;
                if (shift > 0) {
                    hi |= bits >>> (64 - shift);
                }
            }
            out.add(new Prefix(0, new Ipv6(hi, lo), target));
        }
        return out;
    }

    private void placements(FilterRule rule, List<Prefix> sources, List<Prefix> destinations, boolean v6,
                            List<Placement> out) {
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
        for (Prefix src : sources) {
            for (Prefix dst : destinations) {
                for (int[] port : ports) {
                    RuleTables.Shape shape = new RuleTables.Shape(src.length(), dst.length(), anyProto, port[1],
                            rule.port() != null, rule.states() != null, v6);
                    for (int state : states) {
                        out.add(new Placement(shape, src.v4(), dst.v4(), port[0], proto, state, src.v6(), dst.v6()));
                    }
                }
            }
        }
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
                best.action(), key.state(), key.src6(), key.dst6());
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
