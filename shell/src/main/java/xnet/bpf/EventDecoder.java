package xnet.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import xnet.datapath.Shared;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.NatRule;
import xnet.session.DatapathEvent;
import xnet.session.RunningState;

/**
 * Turns a struct xnet_event (bpf/include/xnet_shared.h) into a {@link DatapathEvent}, naming the
 * attach point, the rule and the NAT rule as the running config has them. Built once per
 * running state: it knows only the rules that log, so a million-rule config costs no more.
 */
final class EventDecoder {

    private final RunningState running;
    private final Map<Integer, String> pointOf = new HashMap<>();
    private final Map<Integer, Integer> ruleOfSlot = new HashMap<>();
    private final Map<Long, Integer> natOfPublic = new HashMap<>();
    /** IPv6 NAT rules by public address, port and protocol (port and protocol 0: a whole address). */
    private final Map<java.util.List<Object>, Integer> natOfPublic6 = new HashMap<>();
    /** Wall-clock nanoseconds minus CLOCK_MONOTONIC (bpf_ktime_get_ns and System.nanoTime both read it). */
    private final long wallMinusMonotonic;

    EventDecoder(RunningState running, long wallMinusMonotonic) {
        this.running = running;
        this.wallMinusMonotonic = wallMinusMonotonic;
        running.datapath().ifindexes().forEach((point, ifindex) -> pointOf.put(ifindex, point));
        Map<Integer, Integer> slots = running.datapath().slots().slotOfRule();
        for (FilterRule rule : running.config().filters()) {
            if (rule.log() && slots.containsKey(rule.id())) {
                ruleOfSlot.put(slots.get(rule.id()), rule.id());
            }
        }
        for (NatRule nat : running.config().nats()) {
            int proto = nat.wholeAddress() ? 0 : nat.proto().number();
            if (nat.publicIp() instanceof xnet.model.Ipv4 pub) {
                natOfPublic.put(natKey(pub.bits(), nat.publicPort(), proto), nat.id());
            } else {
                natOfPublic6.put(java.util.List.of(nat.publicIp(), nat.publicPort(), proto), nat.id());
            }
        }
    }

    /** Whether this decoder names things as that running state does (the same commit, the same devices). */
    boolean isFor(RunningState state) {
        return state.generation() == running.generation()
                && state.datapath().ifindexes().equals(running.datapath().ifindexes());
    }

    /** The offset between the two clocks now. */
    static long wallMinusMonotonicNow() {
        return System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    }

    static int kindOf(byte[] raw) {
        return raw[20] & 0xff;
    }

    DatapathEvent decode(byte[] raw) {
        if (raw.length < Shared.EVENT_SIZE_V4) {
            throw new IllegalArgumentException("an event of " + raw.length + " bytes (" + Shared.EVENT_SIZE + " expected)");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long nanos = b.getLong(0) + wallMinusMonotonic;
        int ifindex = b.getInt(8);
        int slot = b.getInt(12);
        int length = b.getInt(16);
        int kind = raw[20] & 0xff;
        int proto = raw[21] & 0xff;
        int tcpFlags = raw[22] & 0xff;
        boolean v6 = raw[23] != 0;
        Ipv4 src = v6 ? null : address(raw, 24);
        Ipv4 dst = v6 ? null : address(raw, 28);
        int sport = b.getShort(32) & 0xffff;
        int dport = b.getShort(34) & 0xffff;
        int newIp = address(raw, 36).bits();
        int newPort = b.getShort(40) & 0xffff;
        xnet.model.Ipv6 dst6 = v6 ? address6(raw, 64) : null;
        // an older program's event ends before new_ip6: its IPv6 events are drops, with no NAT destination
        xnet.model.Ipv6 newIp6 = v6 && raw.length >= Shared.EVENT_SIZE ? address6(raw, 80) : null;
        xnet.model.IpAddress translated = v6 ? (newIp6 == null || newIp6.equals(new xnet.model.Ipv6(0, 0)) ? null : newIp6)
                : newIp == 0 ? null : new Ipv4(newIp);
        DatapathEvent.Kind type = kind == Shared.XNET_EVENT_NAT ? DatapathEvent.Kind.NAT : DatapathEvent.Kind.DROP;
        Integer rule = type == DatapathEvent.Kind.DROP ? ruleOfSlot.get(slot)
                : v6 ? natRule6(dst6, dport, proto) : natRule(dst.bits(), dport, proto);
        return new DatapathEvent(Instant.ofEpochSecond(0, nanos), type, pointOf.getOrDefault(ifindex, "ifindex " + ifindex),
                rule, proto, src, sport, dst, dport, translated, newPort, length, tcpFlags,
                v6 ? address6(raw, 48) : null, dst6);
    }

    private Integer natRule(int ip, int port, int proto) {
        Integer exact = natOfPublic.get(natKey(ip, port, proto));
        return exact != null ? exact : natOfPublic.get(natKey(ip, 0, 0));
    }

    private Integer natRule6(xnet.model.Ipv6 ip, int port, int proto) {
        Integer exact = natOfPublic6.get(java.util.List.of(ip, port, proto));
        return exact != null ? exact : natOfPublic6.get(java.util.List.of(ip, 0, 0));
    }

    private static long natKey(int ip, int port, int proto) {
        return ((ip & 0xffffffffL) << 24) | ((long) port << 8) | proto;
    }

    private static xnet.model.Ipv6 address6(byte[] raw, int at) {
        ByteBuffer b = ByteBuffer.wrap(raw, at, 16).order(ByteOrder.BIG_ENDIAN);
        return new xnet.model.Ipv6(b.getLong(), b.getLong());
    }

    /** An address as the packet carries it (network order). */
    private static Ipv4 address(byte[] raw, int at) {
        return new Ipv4(ByteBuffer.wrap(raw, at, 4).order(ByteOrder.BIG_ENDIAN).getInt());
    }
}
