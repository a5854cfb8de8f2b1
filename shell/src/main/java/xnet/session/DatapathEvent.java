package xnet.session;

import java.time.Instant;

import xnet.model.Ipv4;

/**
 * One event of the datapath (`monitor drops`, `monitor nat`): a packet a logging rule dropped, or
 * the first packet of a connection a NAT rule translated. {@code rule} is the filter rule that
 * dropped it, or for NAT the NAT rule that translated it (null when the running config no longer
 * has it); {@code proto} is the IP protocol number; {@code translatedTo} is the destination NAT
 * gave the packet (null: none). Ports are 0 for a packet without them; for ICMP echo both are its
 * identifier.
 */
public record DatapathEvent(Instant time, Kind kind, String point, Integer rule, int proto, Ipv4 src, int sport,
                            Ipv4 dst, int dport, Ipv4 translatedTo, int translatedPort, int length, int tcpFlags) {

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

    /** The ports to show: TCP's and UDP's (ICMP echo carries its identifier in both: {@link #echoId}). */
    public boolean showsPorts() {
        return proto != 1 && (sport != 0 || dport != 0);
    }

    /** An ICMP echo's identifier; null for other packets. */
    public Integer echoId() {
        return proto == 1 && sport != 0 ? sport : null;
    }

    /** An endpoint as the event shows it: the address, with ":port" when the packet has ports. */
    public static String endpoint(Ipv4 ip, int port) {
        return port == 0 ? ip.toString() : ip + ":" + port;
    }

    public enum Kind {
        DROP, NAT;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
