package xnet.datapath;

import java.util.List;
import java.util.Locale;

import xnet.model.Family;
import xnet.model.Ipv4;
import xnet.model.Ipv6;
import xnet.model.Proto;

/**
 * The frame of a what-if packet (`test packet`): Ethernet, IPv4 (TTL 64, don't fragment) or IPv6
 * (hop limit 64; {@code src6} and {@code dst6} instead of {@code src} and {@code dst}), and a TCP
 * segment, a UDP datagram or an ICMP (ICMPv6) echo request, with right checksums, padded to
 * {@code size} bytes. An echo's identifier is the source port, as the datapath reads it for NAT.
 * The MACs are fixed, locally administered placeholders.
 */
public record ProbePacket(Ipv4 src, int sport, Ipv4 dst, int dport, Proto proto, int size, List<String> tcpFlags,
                          Ipv6 src6, Ipv6 dst6) {

    public static final int DEFAULT_SIZE = 64;
    public static final int LARGEST = 1514;
    public static final List<String> TCP_FLAGS = List.of("fin", "syn", "rst", "psh", "ack", "urg");
    private static final int ETH = 14;
    private static final int IP = 20;
    private static final int IP6 = 40;

    /** An IPv4 packet. */
    public ProbePacket(Ipv4 src, int sport, Ipv4 dst, int dport, Proto proto, int size, List<String> tcpFlags) {
        this(src, sport, dst, dport, proto, size, tcpFlags, null, null);
    }

    public ProbePacket {
        if ((src6 == null) != (dst6 == null) || (src6 == null) == (src == null)) {
            throw new IllegalArgumentException("from and to are of one family: both IPv4 or both IPv6");
        }
        if (proto == Proto.ANY) {
            throw new IllegalArgumentException("a packet has one protocol: tcp, udp or " + (src6 == null ? "icmp" : "icmpv6"));
        }
        Family family = src6 == null ? Family.IPV4 : Family.IPV6;
        if (proto.family() != null && proto.family() != family) {
            throw new IllegalArgumentException("proto " + proto + " is " + proto.family() + "'s; this packet is " + family);
        }
        if (proto.hasPorts() && (sport < 1 || sport > 65535 || dport < 1 || dport > 65535)) {
            throw new IllegalArgumentException("a " + proto + " packet needs ports from 1 to 65535 (FROM:PORT, TO:PORT)");
        }
        if (!proto.hasPorts() && dport != 0) {
            throw new IllegalArgumentException("an ICMP echo has no destination port");
        }
        int smallest = smallest(proto, src6 != null);
        if (size < smallest || size > LARGEST) {
            throw new IllegalArgumentException("size " + size + ": a " + proto + " frame here is " + smallest
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

    private static int smallest(Proto proto, boolean v6) {
        return Math.max(60, ETH + (v6 ? IP6 : IP) + (proto == Proto.TCP ? 20 : 8));
    }

    /** The size of a frame when none is asked for: 64 bytes, or the smallest an IPv6 one of the protocol can be. */
    public static int defaultSize(Proto proto, boolean v6) {
        return Math.max(DEFAULT_SIZE, smallest(proto, v6));
    }

    public boolean v6() {
        return src6 != null;
    }

    /** The source address, of either family, as typed. */
    public String source() {
        return v6() ? src6.toString() : src.toString();
    }

    public byte[] frame() {
        byte[] p = new byte[size];
        byte[] dstMac = {0x02, 0, 0, 0, 0, 0x02};
        byte[] srcMac = {0x02, 0, 0, 0, 0, 0x01};
        System.arraycopy(dstMac, 0, p, 0, 6);
        System.arraycopy(srcMac, 0, p, 6, 6);
        int ip = ETH;
        int l4 = v6() ? ipv6Header(p, ip) : ipv4Header(p, ip);
        switch (proto) {
            case TCP -> {
                ReferenceDatapath.put16(p, l4, sport);
                ReferenceDatapath.put16(p, l4 + 2, dport);
                p[l4 + 12] = 0x50;
                p[l4 + 13] = (byte) flagBits();
                ReferenceDatapath.put16(p, l4 + 14, 64240);
                ReferenceDatapath.put16(p, l4 + 16, transportChecksum(p, ip, l4, 6));
            }
            case UDP -> {
                ReferenceDatapath.put16(p, l4, sport);
                ReferenceDatapath.put16(p, l4 + 2, dport);
                ReferenceDatapath.put16(p, l4 + 4, size - l4);
                int sum = transportChecksum(p, ip, l4, 17);
                ReferenceDatapath.put16(p, l4 + 6, sum == 0 ? 0xffff : sum);
            }
            default -> {
                p[l4] = (byte) (v6() ? 128 : 8); // echo request
                ReferenceDatapath.put16(p, l4 + 4, sport);
                // ICMPv6's checksum covers the pseudo header, ICMP's only the message
                ReferenceDatapath.put16(p, l4 + 2, v6() ? transportChecksum(p, ip, l4, 58)
                        : Checksums.of(p, l4, size - l4, 0));
            }
        }
        return p;
    }

    /** The IPv4 header at {@code ip} (TTL 64, don't fragment); returns where the transport header goes. */
    private int ipv4Header(byte[] p, int ip) {
        ReferenceDatapath.put16(p, 12, 0x0800);
        p[ip] = 0x45;
        ReferenceDatapath.put16(p, ip + 2, size - ETH);
        ReferenceDatapath.put16(p, ip + 6, 0x4000);
        p[ip + 8] = 64;
        p[ip + 9] = (byte) proto.number();
        ReferenceDatapath.put32(p, ip + 12, src.bits());
        ReferenceDatapath.put32(p, ip + 16, dst.bits());
        ReferenceDatapath.put16(p, ip + 10, Checksums.of(p, ip, IP, 0));
        return ip + IP;
    }

    /** The IPv6 header at {@code ip} (hop limit 64, no extension headers); returns where the transport header goes. */
    private int ipv6Header(byte[] p, int ip) {
        ReferenceDatapath.put16(p, 12, 0x86dd);
        p[ip] = 0x60;
        ReferenceDatapath.put16(p, ip + 4, size - ip - IP6);
        p[ip + 6] = (byte) proto.number();
        p[ip + 7] = 64;
        System.arraycopy(src6.bytes(), 0, p, ip + 8, 16);
        System.arraycopy(dst6.bytes(), 0, p, ip + 24, 16);
        return ip + IP6;
    }

    private int transportChecksum(byte[] p, int ip, int l4, int number) {
        return v6() ? Checksums.transport6(p, ip, l4, number) : Checksums.transport(p, ip, l4, number);
    }

    private int flagBits() {
        int bits = 0;
        for (String flag : tcpFlags.isEmpty() ? List.of("syn") : tcpFlags) {
            bits |= 1 << TCP_FLAGS.indexOf(flag);
        }
        return bits;
    }
}
