package xnet.datapath;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import xnet.model.Cidr;
import xnet.model.FilterRule;
import xnet.model.Proto;

/**
 * The map strategy's tables: rules grouped into tuples (which bits they look at) and one hash
 * entry per rule and port block, keyed by the masked fields. Within a key the first rule wins;
 * across tuples the lowest priority (the rule's place in the list) wins. Pure: the kernel side
 * writes these into xnet_tuples and xnet_rules.
 */
public record RuleTables(List<Tuple> tuples, List<Entry> entries) {

    /** Which bits a tuple's rules look at; addresses as unsigned 32-bit values in host order. */
    public record Shape(int srcLen, int dstLen, boolean anyProto, int portLen, boolean needsPort) {

        public int srcMask() {
            return mask(srcLen);
        }

        public int dstMask() {
            return mask(dstLen);
        }

        public int portMask() {
            return portLen == 0 ? 0 : (0xffff << (16 - portLen)) & 0xffff;
        }

        public int protoMask() {
            return anyProto ? 0 : 0xff;
        }

        static int mask(int len) {
            return len == 0 ? 0 : -1 << (32 - len);
        }
    }

    public record Tuple(int index, Shape shape, int minPrio) {
    }

    /** The masked fields of an entry within its tuple. */
    private record Key(int src, int dst, int port, int proto) {
    }

    /** One hash entry; {@code src}/{@code dst} already masked, host order. */
    public record Entry(int tuple, int src, int dst, int port, int proto, int prio, int slot, int action) {
    }

    /**
     * Address and port strides to try, in order. With stride 1 every distinct prefix length is
     * its own tuple; when the rules have more shapes than {@link Shared#XNET_MAX_TUPLES}, prefixes
     * are expanded to lengths that are multiples of the stride (a /12 becomes sixteen /16s), which
     * trades entries for tuples. Ordinary rule sets fit at stride 1.
     */
    private static final int[][] STRIDES = {{1, 1}, {1, 4}, {1, 8}, {4, 8}, {8, 8}, {8, 16}, {16, 16}};

    public static RuleTables compile(List<FilterRule> rules, Map<Integer, Integer> slotOfRule) {
        int shapes = 0;
        for (int[] stride : STRIDES) {
            RuleTables tables = compile(rules, slotOfRule, stride[0], stride[1]);
            if (tables != null) {
                return tables;
            }
        }
        throw new IllegalArgumentException("the rules have too many different shapes (prefix lengths, protocol,"
                + " port blocks) for the map strategy's " + Shared.XNET_MAX_TUPLES + " tuples");
    }

    /** Returns null when the rules need more tuples than there are, or too many entries. */
    static RuleTables compile(List<FilterRule> rules, Map<Integer, Integer> slotOfRule, int addressStride,
                              int portStride) {
        Map<Shape, Map<Key, Entry>> byShape = new LinkedHashMap<>();
        Map<Shape, Integer> minPrio = new HashMap<>();
        long entryCount = 0;
        for (int prio = 0; prio < rules.size(); prio++) {
            FilterRule rule = rules.get(prio);
            int action = rule.action() == FilterRule.Action.DROP ? Shared.XNET_ACT_DROP : Shared.XNET_ACT_ALLOW;
            int slot = slotOfRule.getOrDefault(rule.id(), 0);
            int proto = rule.proto().number();
            List<int[]> sources = expand(network(rule.from()), length(rule.from()), addressStride, 32);
            List<int[]> destinations = expand(network(rule.to()), length(rule.to()), addressStride, 32);
            List<int[]> ports = new ArrayList<>();
            if (rule.port() == null) {
                ports.add(new int[] {0, 0});
            } else {
                for (PortBlocks.Block block : PortBlocks.of(rule.port())) {
                    ports.addAll(expand(block.value(), block.prefix(), portStride, 16));
                }
            }
            entryCount += (long) sources.size() * destinations.size() * ports.size();
            if (entryCount > Shared.XNET_MAX_RULE_ENTRIES) {
                return null;
            }
            for (int[] src : sources) {
                for (int[] dst : destinations) {
                    for (int[] port : ports) {
                        Shape shape = new Shape(src[1], dst[1], rule.proto() == Proto.ANY, port[1], rule.port() != null);
                        Map<Key, Entry> entries = byShape.computeIfAbsent(shape, s -> new LinkedHashMap<>());
                        if (byShape.size() > Shared.XNET_MAX_TUPLES) {
                            return null;
                        }
                        // an earlier rule with the same key shadows this one entirely
                        entries.putIfAbsent(new Key(src[0], dst[0], port[0], proto),
                                new Entry(-1, src[0], dst[0], port[0], proto, prio, slot, action));
                        minPrio.merge(shape, prio, Math::min);
                    }
                }
            }
        }
        List<Shape> order = new ArrayList<>(byShape.keySet());
        order.sort(Comparator.comparingInt(minPrio::get));
        List<Tuple> tuples = new ArrayList<>();
        List<Entry> all = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            Shape shape = order.get(i);
            tuples.add(new Tuple(i, shape, minPrio.get(shape)));
            for (Entry e : byShape.get(shape).values()) {
                all.add(new Entry(i, e.src(), e.dst(), e.port(), e.proto(), e.prio(), e.slot(), e.action()));
            }
        }
        return new RuleTables(tuples, all);
    }

    /** A prefix (value, length) as prefixes whose length is a multiple of the stride (or the full width). */
    static List<int[]> expand(int value, int length, int stride, int width) {
        int target = length == 0 || stride == 1 ? length : Math.min(width, (length + stride - 1) / stride * stride);
        List<int[]> out = new ArrayList<>();
        int extra = target - length;
        for (int i = 0; i < (1 << extra); i++) {
            out.add(new int[] {value | (i << (width - target)), target});
        }
        return out;
    }

    private static int length(Cidr cidr) {
        return cidr == null ? 0 : cidr.prefix();
    }

    private static int network(Cidr cidr) {
        return cidr == null ? 0 : cidr.network().bits();
    }

    /** The lookup the BPF map strategy does, in Java: used to test the compiler against the rules. */
    public Entry lookup(int src, int dst, int proto, int dport, boolean hasPorts) {
        return new Index(this).lookup(src, dst, proto, dport, hasPorts);
    }

    /** The tables as a Java hash index, for looking up many packets. */
    public static final class Index {
        private final RuleTables tables;
        private final Map<List<Integer>, Entry> index = new HashMap<>();

        public Index(RuleTables tables) {
            this.tables = tables;
            for (Entry e : tables.entries()) {
                index.put(List.of(e.tuple(), e.src(), e.dst(), e.port(), e.proto()), e);
            }
        }

        public Entry lookup(int src, int dst, int proto, int dport, boolean hasPorts) {
            return tables.search(index, src, dst, proto, dport, hasPorts);
        }
    }

    private Entry search(Map<List<Integer>, Entry> index, int src, int dst, int proto, int dport, boolean hasPorts) {
        Entry best = null;
        for (Tuple t : tuples) {
            if (best != null && t.minPrio() >= best.prio()) {
                break;
            }
            Shape s = t.shape();
            if (s.needsPort() && !hasPorts) {
                continue;
            }
            Entry e = index.get(List.of(t.index(), src & s.srcMask(), dst & s.dstMask(), dport & s.portMask(),
                    proto & s.protoMask()));
            if (e != null && (best == null || e.prio() < best.prio())) {
                best = e;
            }
        }
        return best;
    }
}
