package xnet.session;

import java.time.Instant;

import xnet.model.Ipv4;
import xnet.model.Ipv6;

/**
 * One event of the datapath (`monitor drops`, `monitor nat`): a packet a logging rule dropped, or
 * the first packet of a connection a NAT rule translated. {@code rule} is the filter rule that
 * dropped it, or for NAT the NAT rule that translated it (null when the running config no longer
 * has it); {@code proto} is the IP protocol number; {@code translatedTo} is the destination NAT
 * gave the packet (null: none). Ports are 0 for a packet without them; for ICMP echo both are its
 * identifier. An IPv6 packet's addresses are {@code src6} and {@code dst6}, and src and dst are null.
 */
public record DatapathEvent(Instant time, Kind kind, String point, Integer rule, int proto, Ipv4 src, int sport,
                            Ipv4 dst, int dport, xnet.model.IpAddress translatedTo, int translatedPort, int length, int tcpFlags,
                            Ipv6 src6, Ipv6 dst6) {

    /** An IPv4 packet's event. */
    public DatapathEvent(Instant time, Kind kind, String point, Integer rule, int proto, Ipv4 src, int sport, Ipv4 dst,
                         int dport, Ipv4 translatedTo, int translatedPort, int length, int tcpFlags) {
        this(time, kind, point, rule, proto, src, sport, dst, dport, translatedTo, translatedPort, length, tcpFlags,
                null, null);
    }

    public boolean v6() {
        return src6 != null;
    }

    /** The source address, of either family. */
    public String source() {
        return v6() ? src6.toString() : src.toString();
    }

    public String destination() {
        return v6() ? dst6.toString() : dst.toString();
    }

    /** Whether the source is in the prefix (a Cidr or a Cidr6; one of the other family holds none). */
    public boolean sourceIn(Object prefix) {
        if (prefix instanceof xnet.model.Cidr6 six) {
            return v6() && six.contains(src6);
        }
        return !v6() && ((xnet.model.Cidr) prefix).contains(src);
    }

    /** The protocol's name for tcp, udp and icmp, else its number. */
    public String protoName() {
        for (xnet.model.Proto known : xnet.model.Proto.values()) {
            if (known != xnet.model.Proto.ANY && known.number() == proto) {
                return known.toString();
            }
        }
        return Integer.toString(proto);
    }

    /** The TCP flags the packet carried, by name ("syn", "ack"); empty for other protocols. */
    public java.util.List<String> tcpFlagNames() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int bit = 0; bit < xnet.datapath.ProbePacket.TCP_FLAGS.size(); bit++) {
            if ((tcpFlags & (1 << bit)) != 0) {
                names.add(xnet.datapath.ProbePacket.TCP_FLAGS.get(bit));
            }
        }
        return names;
    }

    /** The ports to show: TCP's and UDP's (an ICMP or ICMPv6 echo carries its identifier in both: {@link #echoId}). */
    public boolean showsPorts() {
        return !icmp() && (sport != 0 || dport != 0);
    }

    private boolean icmp() {
        return proto == xnet.model.Proto.ICMP.number() || proto == xnet.model.Proto.ICMPV6.number();
    }

    /** An ICMP or ICMPv6 echo's identifier; null for other packets. */
    public Integer echoId() {
        return icmp() && sport != 0 ? sport : null;
    }

    /** An endpoint as the event shows it: the address, with ":port" when the packet has ports ("[ADDR]:PORT" for IPv6). */
    public static String endpoint(xnet.model.IpAddress ip, int port) {
        return port == 0 ? ip.toString() : ip instanceof Ipv6 ? "[" + ip + "]:" + port : ip + ":" + port;
    }

    /** The source or destination ({@code source}) as the event shows it, "[ADDR]:PORT" for IPv6 with a port. */
    public String endpoint(boolean source, boolean withPort) {
        String address = source ? source() : destination();
        int port = withPort ? (source ? sport : dport) : 0;
        return port == 0 ? address : v6() ? "[" + address + "]:" + port : address + ":" + port;
    }

    public enum Kind {
        DROP, NAT;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
