package xnet.datapath;

/** The Internet checksum (RFC 1071) of an IPv4 header, and of a TCP/UDP/ICMP segment with its pseudo header. */
public final class Checksums {

    private Checksums() {
    }

    /** The one's complement of the one's complement sum of {@code length} bytes from {@code from}, plus {@code initial}. */
    public static int of(byte[] p, int from, int length, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ReferenceDatapath.u16(p, from + i);
        }
        if ((length & 1) == 1) {
            sum += (p[from + length - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /**
     * A TCP, UDP or ICMPv6 checksum over IPv6: the segment from {@code l4} to the end, with the
     * pseudo header of the IPv6 header at {@code ip} (its addresses, the length, the next header).
     */
    public static int transport6(byte[] p, int ip, int l4, int proto) {
        int length = p.length - l4;
        long pseudo = proto + (long) length;
        for (int at = ip + 8; at < ip + 40; at += 2) {
            pseudo += ReferenceDatapath.u16(p, at);
        }
        return of(p, l4, length, pseudo);
    }

    /** A TCP or UDP checksum: the segment from {@code l4} to the end, with the IPv4 pseudo header at {@code ip}. */
    public static int transport(byte[] p, int ip, int l4, int proto) {
        int length = p.length - l4;
        long pseudo = ReferenceDatapath.u16(p, ip + 12) + (long) ReferenceDatapath.u16(p, ip + 14)
                + ReferenceDatapath.u16(p, ip + 16) + ReferenceDatapath.u16(p, ip + 18) + proto + length;
        return of(p, l4, length, pseudo);
    }
}
