package xnet.datapath;

/**
 * An IPv6 header chain as the programs walk it (bpf/lib/packet.h, xnet_parse6): extension headers
 * (hop-by-hop, routing, destination options, fragment, AH) up to {@link #MAX_EXT_HEADERS}, then the
 * upper-layer header. Pure: the reference datapath and tests read frames through it.
 */
public record Ipv6Chain(Kind kind, int proto, int l4, boolean laterFragment) {

    public enum Kind {
        /** neighbour discovery or MLD: passes whatever the rules say */
        NEIGHBOUR,
        /** any other IPv6 packet */
        PACKET,
        /** cut short, or more extension headers than the bound: dropped */
        MALFORMED
    }

    public static final int MAX_EXT_HEADERS = 8;
    public static final int HOPOPTS = 0;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int AH = 51;
    public static final int DSTOPTS = 60;
    public static final int ICMPV6 = 58;

    private static final Ipv6Chain MALFORMED = new Ipv6Chain(Kind.MALFORMED, -1, -1, false);

    static boolean extension(int next) {
        return next == HOPOPTS || next == ROUTING || next == FRAGMENT || next == AH || next == DSTOPTS;
    }

    /** MLD (130-132, 143), router and neighbour solicitation and advertisement (133-136). */
    public static boolean neighbour(int icmpType) {
        return icmpType >= 130 && icmpType <= 136 || icmpType == 143;
    }

    /** The chain of the IPv6 header at {@code l3}. */
    public static Ipv6Chain walk(byte[] frame, int l3) {
        if (l3 + 40 > frame.length) {
            return MALFORMED;
        }
        int next = frame[l3 + 6] & 0xff;
        int at = l3 + 40;
        for (int i = 0; i < MAX_EXT_HEADERS && extension(next); i++) {
            if (at + 8 > frame.length) {
                return MALFORMED;
            }
            int kind = next;
            next = frame[at] & 0xff;
            if (kind == FRAGMENT) {
                at += 8;
                if ((ReferenceDatapath.u16(frame, at - 6) & 0xfff8) != 0) {
                    return new Ipv6Chain(Kind.PACKET, next, at, true);
                }
            } else {
                int len = frame[at + 1] & 0xff;
                at += kind == AH ? (len + 2) * 4 : (len + 1) * 8;
            }
        }
        if (extension(next)) {
            return MALFORMED;
        }
        if (next == ICMPV6) {
            if (at + 8 > frame.length) {
                return MALFORMED;
            }
            if (neighbour(frame[at] & 0xff)) {
                return new Ipv6Chain(Kind.NEIGHBOUR, next, at, false);
            }
        }
        return new Ipv6Chain(Kind.PACKET, next, at, false);
    }
}
