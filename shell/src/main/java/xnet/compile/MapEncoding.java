package xnet.compile;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import xnet.datapath.Shared;
import xnet.model.Family;
import xnet.model.IpAddress;
import xnet.model.Ipv4;
import xnet.model.Ipv6;
import xnet.model.NatRule;

/**
 * The bytes of map keys and values, laid out as struct xnet_* in bpf/include/xnet_shared.h on a
 * little-endian machine: addresses in network order (as in the packet), other numbers native.
 */
public final class MapEncoding {

    private MapEncoding() {
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void putAddress(ByteBuffer b, int address) {
        b.order(ByteOrder.BIG_ENDIAN).putInt(address).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void putAddress(ByteBuffer b, Ipv6 address) {
        b.order(ByteOrder.BIG_ENDIAN).putLong(address.hi()).putLong(address.lo()).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void putAddress(ByteBuffer b, IpAddress address) {
        if (address instanceof Ipv6 v6) {
            putAddress(b, v6);
        } else {
            putAddress(b, ((Ipv4) address).bits());
        }
    }

    /** A rule entry's key in rule set {@code set} (0 or 1): struct xnet_rule_key, or xnet_rule_key6 for IPv6. */
    public static void ruleKey(ByteBuffer b, RuleTables.Entry e, int set) {
        ruleKey(b, e.tuple(), e.src(), e.dst(), e.port(), e.proto(), e.state(), set, e.src6(), e.dst6());
    }

    public static void ruleKey(ByteBuffer b, RuleIndex.Key k, int set) {
        ruleKey(b, k.tuple(), k.src(), k.dst(), k.port(), k.proto(), k.state(), set, k.src6(), k.dst6());
    }

    private static void ruleKey(ByteBuffer b, int tuple, int src, int dst, int port, int proto, int state, int set,
                                Ipv6 src6, Ipv6 dst6) {
        if (src6 != null) {
            putAddress(b, src6);
            putAddress(b, dst6);
        } else {
            putAddress(b, src);
            putAddress(b, dst);
        }
        b.putShort((short) port).put((byte) proto).put((byte) (tuple | (set == 0 ? 0 : Shared.XNET_SET_BIT)))
                .put((byte) state).put((byte) 0).putShort((short) 0);
    }

    /** The size of the key an entry of this family has. */
    public static int ruleKeySize(boolean v6) {
        return v6 ? Shared.RULE_KEY6_SIZE : Shared.RULE_KEY_SIZE;
    }

    public static void ruleValue(ByteBuffer b, RuleTables.Entry e) {
        b.putInt(e.prio()).putInt(e.slot()).putInt(e.action());
    }

    public static byte[] ruleKey(RuleTables.Entry e) {
        ByteBuffer b = buffer(ruleKeySize(e.v6()));
        ruleKey(b, e, 0);
        return b.array();
    }

    public static byte[] ruleValue(RuleTables.Entry e) {
        ByteBuffer b = buffer(Shared.RULE_VALUE_SIZE);
        ruleValue(b, e);
        return b.array();
    }

    public static void tuple(ByteBuffer b, RuleTables.Tuple t, int set) {
        putAddress(b, t.shape().srcMask());
        putAddress(b, t.shape().dstMask());
        b.putShort((short) t.shape().portMask()).put((byte) t.shape().protoMask())
                .put((byte) (t.shape().needsPort() ? Shared.XNET_TUPLE_NEEDS_PORT : 0)).putInt(t.minPrio())
                .put((byte) (t.id() | (set == 0 ? 0 : Shared.XNET_SET_BIT))).put((byte) t.shape().stateMask())
                .putShort((short) 0);
        putAddress(b, t.shape().srcMask6());
        putAddress(b, t.shape().dstMask6());
    }

    /** {@code flags}: XNET_META_TRACK when the set has a rule with connection states. */
    public static byte[] meta(int tupleCount, int tupleCount6, int defaultAction, int digest, int flags) {
        return buffer(Shared.META_SIZE).putInt(tupleCount).putInt(defaultAction).putInt(digest).putInt(flags)
                .putInt(tupleCount6).array();
    }

    /** Where a set's tuples of a family start in xnet_tuples. */
    public static int tupleBase(int set, boolean v6) {
        return ((v6 ? Shared.XNET_RULE_SETS : 0) + set) * Shared.XNET_MAX_TUPLES;
    }


    public static byte[] u32(int value) {
        return buffer(4).putInt(value).array();
    }

    /** struct xnet_nat_key, or xnet_nat_key6 for an IPv6 rule: the public side (address only for a whole one). */
    public static byte[] natKey(NatRule rule) {
        boolean v6 = rule.family() == Family.IPV6;
        ByteBuffer b = buffer(v6 ? Shared.NAT_KEY6_SIZE : Shared.NAT_KEY_SIZE);
        putAddress(b, rule.publicIp());
        if (rule.wholeAddress()) {
            b.putShort((short) 0).put((byte) 0).put((byte) 0);
        } else {
            b.putShort((short) rule.publicPort()).put((byte) rule.proto().number()).put((byte) 0);
        }
        return b.array();
    }

    /** struct xnet_nat_value, or xnet_nat_value6: the private side. */
    public static byte[] natValue(NatRule rule) {
        ByteBuffer b = buffer(rule.family() == Family.IPV6 ? Shared.NAT_VALUE6_SIZE : Shared.NAT_VALUE_SIZE);
        putAddress(b, rule.privateIp());
        b.putShort((short) rule.privatePort()).putShort((short) 0);
        return b.array();
    }

    /** The NAT map of a rule's family: xnet_nat or xnet_nat6 (their counters: xnet_nat_stats, xnet_nat_stats6). */
    public static String natMap(NatRule rule) {
        return rule.family() == Family.IPV6 ? Shared.XNET_MAP_NAT6 : Shared.XNET_MAP_NAT;
    }

    public static String natStatsMap(NatRule rule) {
        return rule.family() == Family.IPV6 ? Shared.XNET_MAP_NAT_STATS6 : Shared.XNET_MAP_NAT_STATS;
    }

    /** A fast path key: the address in network order, as the program reads it from the packet. */
    public static byte[] fastKey(xnet.datapath.FastPathTable.Entry e) {
        ByteBuffer b = buffer(4);
        putAddress(b, e.address().bits());
        return b.array();
    }

    /** struct xnet_fast_value. */
    public static byte[] fastValue(xnet.datapath.FastPathTable.Entry e) {
        return buffer(Shared.FAST_VALUE_SIZE).putInt(e.veth()).putInt(e.bridge()).put(e.mac(), 0, 6).array();
    }

    /** Sums a per-CPU counter value (packets, bytes), each CPU's slot rounded up to 8 bytes. */
    public static long[] sumCounters(byte[] perCpu, int cpus, int fields) {
        ByteBuffer b = ByteBuffer.wrap(perCpu).order(ByteOrder.LITTLE_ENDIAN);
        long[] sum = new long[fields];
        int stride = ((fields * 8) + 7) / 8 * 8;
        for (int cpu = 0; cpu < cpus; cpu++) {
            for (int f = 0; f < fields; f++) {
                sum[f] += b.getLong(cpu * stride + f * 8);
            }
        }
        return sum;
    }
}
