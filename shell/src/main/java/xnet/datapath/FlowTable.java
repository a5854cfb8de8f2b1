package xnet.datapath;

import java.util.HashMap;
import java.util.Map;

import xnet.model.ConnStates;
import xnet.model.IpAddress;
import xnet.model.Ipv4;
import xnet.model.Ipv6;

/**
 * The Java twin of bpf/lib/flows.h: the connection state of a packet as the rules see it, and
 * the table of connections it keeps (see that file for the rules: ESTABLISHED once the other
 * direction has been let through, RELATED for an ICMP error quoting a known connection, NEW
 * otherwise; a SYN reopens, an RST ends). Both families in one table, as xnet_flows and
 * xnet_flows6 beside each other. No eviction: the tests stay below the maps' size.
 */
final class FlowTable {

    /** A connection as its opener's first packet showed it to the rules. */
    record Key(IpAddress src, IpAddress dst, int sport, int dport, int proto) {

        Key(int src, int dst, int sport, int dport, int proto) {
            this(new Ipv4(src), new Ipv4(dst), sport, dport, proto);
        }

        Key reversed() {
            return new Key(dst, src, dport, sport, proto);
        }
    }

    /** What a packet is to the table: its state, and the change a pass would make ({@code how}, to {@code key}). */
    record Seen(int state, int how, Key key) {
    }

    static final int NONE = 0;
    static final int OPENS = 1;
    static final int ORIGINAL = 2;
    static final int REPLY = 3;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int ACK = 0x10;

    private final Map<Key, Integer> flows = new HashMap<>();

    /**
     * {@code packet}: the fields after the NAT of the destination; {@code quoted}: the packet an ICMP
     * error quotes, or null; {@code tracked}: TCP/UDP with ports, or an ICMP echo.
     */
    Seen classify(Key packet, boolean tracked, int tcpFlags, Key quoted) {
        if (quoted != null) {
            boolean known = flows.containsKey(quoted) || flows.containsKey(quoted.reversed());
            return new Seen(known ? ConnStates.RELATED : ConnStates.NEW, NONE, null);
        }
        if (!tracked) {
            return new Seen(ConnStates.NEW, NONE, null);
        }
        if (packet.proto() == 6 && (tcpFlags & (SYN | ACK)) == SYN) {
            return new Seen(ConnStates.NEW, OPENS, packet);
        }
        Integer known = flows.get(packet);
        if (known != null) {
            return new Seen((known & Shared.XNET_FLOW_REPLIED) != 0 ? ConnStates.ESTABLISHED : ConnStates.NEW, ORIGINAL,
                    packet);
        }
        if (flows.containsKey(packet.reversed())) {
            return new Seen(ConnStates.ESTABLISHED, REPLY, packet.reversed());
        }
        return new Seen(ConnStates.NEW, OPENS, packet);
    }

    /** A packet the rules let through. */
    void note(Seen seen, int proto, int tcpFlags) {
        if (seen.how() == NONE) {
            return;
        }
        if (proto == 6 && (tcpFlags & RST) != 0) {
            flows.remove(seen.key());
        } else if (seen.how() == OPENS) {
            flows.put(seen.key(), 0);
        } else if (seen.how() == REPLY) {
            flows.computeIfPresent(seen.key(), (k, flags) -> flags | Shared.XNET_FLOW_REPLIED);
        }
    }

    void clear() {
        flows.clear();
    }

    /** The IPv4 table as the kernel's xnet_flows prints: "src dst sport dport proto" (unsigned addresses) to flags. */
    Map<String, Integer> entries() {
        Map<String, Integer> out = new HashMap<>();
        flows.forEach((k, flags) -> {
            if (k.src() instanceof Ipv4 src) {
                out.put(key(src.bits(), ((Ipv4) k.dst()).bits(), k.sport(), k.dport(), k.proto()), flags);
            }
        });
        return out;
    }

    /** The IPv6 table as xnet_flows6 prints: the same, with addresses in their text form. */
    Map<String, Integer> entries6() {
        Map<String, Integer> out = new HashMap<>();
        flows.forEach((k, flags) -> {
            if (k.src() instanceof Ipv6) {
                out.put(k.src() + " " + k.dst() + " " + k.sport() + " " + k.dport() + " " + k.proto(), flags);
            }
        });
        return out;
    }

    static String key(int src, int dst, int sport, int dport, int proto) {
        return Integer.toUnsignedString(src) + " " + Integer.toUnsignedString(dst) + " " + sport + " " + dport + " "
                + proto;
    }
}
