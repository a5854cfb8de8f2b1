package xnet.compile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import xnet.model.Cidr;
import xnet.model.FilterRule;

/**
 * The map strategy's tables: rules grouped into tuples (which bits they look at) and one hash
 * entry per rule and port block, keyed by the masked fields. Within a key the first rule wins;
 * across tuples the lowest priority wins (priorities follow the rules' order). Pure: the kernel
 * side writes these into xnet_tuples and xnet_rules.
 */
public record RuleTables(List<Tuple> tuples, List<Entry> entries) {

    /** Which bits a tuple's rules look at; addresses as unsigned 32-bit values in host order. */
    public record Shape(int srcLen, int dstLen, boolean anyProto, int portLen, boolean needsPort, boolean states) {

        /** A shape whose rules match any connection state. */
        public Shape(int srcLen, int dstLen, boolean anyProto, int portLen, boolean needsPort) {
            this(srcLen, dstLen, anyProto, portLen, needsPort, false);
        }

        public int srcMask() {
            return Cidr.mask(srcLen);
        }

        public int dstMask() {
            return Cidr.mask(dstLen);
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

    /** One hash entry; {@code src}/{@code dst} already masked, host order. */
    public record Entry(int tuple, int src, int dst, int port, int proto, int prio, int slot, int action, int state) {

        /** An entry of a tuple whose rules match any connection state. */
        public Entry(int tuple, int src, int dst, int port, int proto, int prio, int slot, int action) {
            this(tuple, src, dst, port, proto, prio, slot, action, 0);
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

    /** The tables as a Java hash index, for looking up many packets. */
    public static final class Index {
        private final RuleTables tables;
        private final Map<List<Integer>, Entry> index = new HashMap<>();

        public Index(RuleTables tables) {
            this.tables = tables;
            for (Entry e : tables.entries()) {
                index.put(List.of(e.tuple(), e.src(), e.dst(), e.port(), e.proto(), e.state()), e);
            }
        }

        /** {@code state}: the packet's connection state bit (xnet.model.ConnStates). */
        public Entry lookup(int src, int dst, int proto, int dport, boolean hasPorts, int state) {
            return tables.search(index, src, dst, proto, dport, hasPorts, state);
        }
    }

    private Entry search(Map<List<Integer>, Entry> index, int src, int dst, int proto, int dport, boolean hasPorts,
                         int state) {
        Entry best = null;
        for (Tuple t : tuples) {
            if (best != null && t.minPrio() >= best.prio()) {
                break;
            }
            Shape s = t.shape();
            if (s.needsPort() && !hasPorts) {
                continue;
            }
            Entry e = index.get(List.of(t.id(), src & s.srcMask(), dst & s.dstMask(), dport & s.portMask(),
                    proto & s.protoMask(), state & s.stateMask()));
            if (e != null && (best == null || e.prio() < best.prio())) {
                best = e;
            }
        }
        return best;
    }
}
