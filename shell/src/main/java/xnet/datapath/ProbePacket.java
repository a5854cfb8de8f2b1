package xnet.datapath;

import java.util.List;
import java.util.Locale;

import xnet.model.Ipv4;
import xnet.model.Proto;

/**
 * The frame of a what-if packet (`test packet`): Ethernet, IPv4 (TTL 64, don't fragment), and a
 * TCP segment, a UDP datagram or an ICMP echo request, with right checksums, padded to
 * {@code size} bytes. An ICMP echo's identifier is the source port, as the datapath reads it for
 * NAT. The MACs are fixed, locally administered placeholders.
 */
public record ProbePacket(Ipv4 src, int sport, Ipv4 dst, int dport, Proto proto, int size, List<String> tcpFlags) {

    public static final int DEFAULT_SIZE = 64;
    public static final int LARGEST = 1514;
    public static final List<String> TCP_FLAGS = List.of("fin", "syn", "rst", "psh", "ack", "urg");
    private static final int ETH = 14;
    private static final int IP = 20;

    public ProbePacket {
        if (proto == Proto.ANY) {
            throw new IllegalArgumentException("a packet has one protocol: tcp, udp or icmp");
        }
        if (proto.hasPorts() && (sport < 1 || sport > 65535 || dport < 1 || dport > 65535)) {
            throw new IllegalArgumentException("a " + proto + " packet needs ports from 1 to 65535 (FROM:PORT, TO:PORT)");
        }
        if (proto == Proto.ICMP && dport != 0) {
            throw new IllegalArgumentException("an ICMP echo has no destination port");
        }
        if (size < smallest(proto) || size > LARGEST) {
            throw new IllegalArgumentException("size " + size + ": a " + proto + " frame here is " + smallest(proto)
                    + " to " + LARGEST + " bytes");
        }
        for (String flag : tcpFlags) {
            if (!TCP_FLAGS.contains(flag)) {
                throw new IllegalArgumentException("'" + flag + "' is no TCP flag; there are " + String.join(", ", TCP_FLAGS));
            }
        }
        if (!tcpFlags.isEmpty() && proto != Proto.TCP) {
            throw new IllegalArgumentException("flags are TCP's");
        }
        tcpFlags = List.copyOf(tcpFlags);
    }

    /** Flags as typed: "syn,ack" (none given: a SYN, the first packet of a connection). */
    public static List<String> flags(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.toLowerCase(Locale.ROOT).split(","));
    }

    private static int smallest(Proto proto) {
        return Math.max(60, ETH + IP + (proto == Proto.TCP ? 20 : 8));
    }

    public byte[] frame() {
        byte[] p = new byte[size];
        byte[] dstMac = {0x02, 0, 0, 0, 0, 0x02};
        byte[] srcMac = {0x02, 0, 0, 0, 0, 0x01};
        System.arraycopy(dstMac, 0, p, 0, 6);
        System.arraycopy(srcMac, 0, p, 6, 6);
        ReferenceDatapath.put16(p, 12, 0x0800);
        int ip = ETH;
        p[ip] = 0x45;
        ReferenceDatapath.put16(p, ip + 2, size - ETH);
        ReferenceDatapath.put16(p, ip + 6, 0x4000);
        p[ip + 8] = 64;
        p[ip + 9] = (byte) proto.number();
        ReferenceDatapath.put32(p, ip + 12, src.bits());
        ReferenceDatapath.put32(p, ip + 16, dst.bits());
        ReferenceDatapath.put16(p, ip + 10, Checksums.of(p, ip, IP, 0));
        int l4 = ip + IP;
        switch (proto) {
            case TCP -> {
                ReferenceDatapath.put16(p, l4, sport);
                ReferenceDatapath.put16(p, l4 + 2, dport);
                p[l4 + 12] = 0x50;
                int bits = 0;
                for (String flag : tcpFlags.isEmpty() ? List.of("syn") : tcpFlags) {
                    bits |= 1 << TCP_FLAGS.indexOf(flag);
                }
                p[l4 + 13] = (byte) bits;
                ReferenceDatapath.put16(p, l4 + 14, 64240);
                ReferenceDatapath.put16(p, l4 + 16, Checksums.transport(p, ip, l4, 6));
            }
            case UDP -> {
                ReferenceDatapath.put16(p, l4, sport);
                ReferenceDatapath.put16(p, l4 + 2, dport);
                ReferenceDatapath.put16(p, l4 + 4, size - l4);
                int sum = Checksums.transport(p, ip, l4, 17);
                ReferenceDatapath.put16(p, l4 + 6, sum == 0 ? 0xffff : sum);
            }
            default -> {
                p[l4] = 8; // echo request
                ReferenceDatapath.put16(p, l4 + 4, sport);
                ReferenceDatapath.put16(p, l4 + 2, Checksums.of(p, l4, size - l4, 0));
            }
        }
        return p;
    }
}
