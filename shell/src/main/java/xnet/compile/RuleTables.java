package xnet.compile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import xnet.model.Cidr;
import xnet.model.Cidr6;
import xnet.model.Ipv6;
import xnet.model.FilterRule;

/**
 * The map strategy's tables: rules grouped into tuples (which bits they look at) and one hash
 * entry per rule and port block, keyed by the masked fields. Within a key the first rule wins;
 * across tuples the lowest priority wins (priorities follow the rules' order). Pure: the kernel
 * side writes these into xnet_tuples and xnet_rules.
 */
public record RuleTables(List<Tuple> tuples, List<Entry> entries) {

    /**
     * Which bits a tuple's rules look at; addresses as unsigned 32-bit values in host order, or
     * for an IPv6 tuple ({@code v6}) as 128 bits, whose masks {@link #srcMask6} and {@link #dstMask6} give.
     */
    public record Shape(int srcLen, int dstLen, boolean anyProto, int portLen, boolean needsPort, boolean states,
                        boolean v6) {

        /** An IPv4 shape. */
        public Shape(int srcLen, int dstLen, boolean anyProto, int portLen, boolean needsPort, boolean states) {
            this(srcLen, dstLen, anyProto, portLen, needsPort, states, false);
        }

        /** An IPv4 shape whose rules match any connection state. */
        public Shape(int srcLen, int dstLen, boolean anyProto, int portLen, boolean needsPort) {
            this(srcLen, dstLen, anyProto, portLen, needsPort, false, false);
        }

        public int srcMask() {
            return v6 ? 0 : Cidr.mask(srcLen);
        }

        public int dstMask() {
            return v6 ? 0 : Cidr.mask(dstLen);
        }

        public Ipv6 srcMask6() {
            return Cidr6.mask(v6 ? srcLen : 0);
        }

        public Ipv6 dstMask6() {
            return Cidr6.mask(v6 ? dstLen : 0);
        }

        public int portMask() {
            return PortBlocks.mask(portLen);
        }

        public int protoMask() {
            return anyProto ? 0 : 0xff;
        }

        /** Rules with states look at the packet's one state bit (xnet_tuple.state_mask). */
        public int stateMask() {
            return states ? 0xff : 0;
        }
    }

    /** A tuple: its id (which its entries' keys carry), shape and lowest priority; listed in search order. */
    public record Tuple(int id, Shape shape, int minPrio) {
    }

    /**
     * One hash entry; {@code src}/{@code dst} already masked, host order. An IPv6 tuple's entry
     * has its masked addresses in {@code src6}/{@code dst6} (non-null) and 0 in src and dst.
     */
    public record Entry(int tuple, int src, int dst, int port, int proto, int prio, int slot, int action, int state,
                        Ipv6 src6, Ipv6 dst6) {

        public Entry(int tuple, int src, int dst, int port, int proto, int prio, int slot, int action, int state) {
            this(tuple, src, dst, port, proto, prio, slot, action, state, null, null);
        }

        /** An entry of a tuple whose rules match any connection state. */
        public Entry(int tuple, int src, int dst, int port, int proto, int prio, int slot, int action) {
            this(tuple, src, dst, port, proto, prio, slot, action, 0, null, null);
        }

        public boolean v6() {
            return src6 != null;
        }
    }

    /** The tables of the rules; see {@link RuleIndex} for how they are made. */
    public static RuleTables compile(List<FilterRule> rules, Map<Integer, Integer> slotOfRule) {
        return RuleIndex.build(rules, slotOfRule).tables();
    }

    /** The lookup the BPF map strategy does, in Java: used to test the compiler against the rules. */
    public Entry lookup(int src, int dst, int proto, int dport, boolean hasPorts, int state) {
        return new Index(this).lookup(src, dst, proto, dport, hasPorts, state);
    }

    /** The same for an IPv6 packet. */
    public Entry lookup6(Ipv6 src, Ipv6 dst, int proto, int dport, boolean hasPorts, int state) {
        return new Index(this).lookup6(src, dst, proto, dport, hasPorts, state);
    }

    /** The tables as a Java hash index, for looking up many packets. */
    public static final class Index {
        private final RuleTables tables;
        private final Map<List<Object>, Entry> index = new HashMap<>();

        public Index(RuleTables tables) {
            this.tables = tables;
            for (Entry e : tables.entries()) {
                index.put(key(e.tuple(), e.src(), e.dst(), e.port(), e.proto(), e.state(), e.src6(), e.dst6()), e);
            }
        }

        /** {@code state}: the packet's connection state bit (xnet.model.ConnStates). */
        public Entry lookup(int src, int dst, int proto, int dport, boolean hasPorts, int state) {
            return tables.search(index, src, dst, null, null, proto, dport, hasPorts, state);
        }

        public Entry lookup6(Ipv6 src, Ipv6 dst, int proto, int dport, boolean hasPorts, int state) {
            return tables.search(index, 0, 0, src, dst, proto, dport, hasPorts, state);
        }

        private static List<Object> key(int tuple, int src, int dst, int port, int proto, int state, Ipv6 src6,
                                        Ipv6 dst6) {
            return java.util.Arrays.asList(tuple, src, dst, port, proto, state, src6, dst6);
        }
    }

    /** A packet's search: IPv6 when {@code src6} is not null, through its family's tuples only. */
    private Entry search(Map<List<Object>, Entry> index, int src, int dst, Ipv6 src6, Ipv6 dst6, int proto, int dport,
                         boolean hasPorts, int state) {
        Entry best = null;
        for (Tuple t : tuples) {
            if (best != null && t.minPrio() >= best.prio()) {
                break;
            }
            Shape s = t.shape();
            if (s.needsPort() && !hasPorts || s.v6() != (src6 != null)) {
                continue;
            }
            Entry e = index.get(Index.key(t.id(), src & s.srcMask(), dst & s.dstMask(), dport & s.portMask(),
                    proto & s.protoMask(), state & s.stateMask(), src6 == null ? null : and(src6, s.srcMask6()),
                    dst6 == null ? null : and(dst6, s.dstMask6())));
            if (e != null && (best == null || e.prio() < best.prio())) {
                best = e;
            }
        }
        return best;
    }

    static Ipv6 and(Ipv6 a, Ipv6 mask) {
        return new Ipv6(a.hi() & mask.hi(), a.lo() & mask.lo());
    }
}
