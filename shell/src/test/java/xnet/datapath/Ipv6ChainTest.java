package xnet.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Ipv6ChainTest {

    /** An Ethernet frame with an IPv6 header whose chain is {@code headers} (type, then its bytes), then {@code tail}. */
    private static byte[] frame(int first, byte[] chain, int tailBytes) {
        byte[] p = new byte[14 + 40 + chain.length + tailBytes];
        p[12] = (byte) 0x86;
        p[13] = (byte) 0xdd;
        p[14] = 0x60;
        p[14 + 6] = (byte) first;
        System.arraycopy(chain, 0, p, 54, chain.length);
        return p;
    }

    private static byte[] ext(int next, int len, int totalBytes) {
        byte[] h = new byte[totalBytes];
        h[0] = (byte) next;
        h[1] = (byte) len;
        return h;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    @Test
    void findsTheTransportHeaderBehindDestinationOptionsAndAh() {
        byte[] f = frame(60, concat(ext(51, 1, 16), ext(6, 1, 12)), 20);
        Ipv6Chain c = Ipv6Chain.walk(f, 14);
        assertThat(c.kind()).isEqualTo(Ipv6Chain.Kind.PACKET);
        assertThat(c.proto()).isEqualTo(6);
        assertThat(c.l4()).isEqualTo(14 + 40 + 16 + 12);
    }

    @Test
    void mldBehindHopByHopIsANeighbourButARedirectIsNot() {
        byte[] mld = frame(0, ext(58, 0, 8), 8);
        mld[14 + 48] = (byte) 143;
        assertThat(Ipv6Chain.walk(mld, 14).kind()).isEqualTo(Ipv6Chain.Kind.NEIGHBOUR);
        byte[] redirect = frame(58, new byte[0], 8);
        redirect[54] = (byte) 137;
        assertThat(Ipv6Chain.walk(redirect, 14).kind()).isEqualTo(Ipv6Chain.Kind.PACKET);
        for (int type : new int[] {130, 131, 132, 133, 134, 135, 136}) {
            byte[] nd = frame(58, new byte[0], 8);
            nd[54] = (byte) type;
            assertThat(Ipv6Chain.walk(nd, 14).kind()).as("type " + type).isEqualTo(Ipv6Chain.Kind.NEIGHBOUR);
        }
    }

    @Test
    void aLaterFragmentStopsTheWalkAndAFirstOneGoesOn() {
        byte[] later = ext(17, 0, 8);
        later[3] = 0x08; // offset 1 (8 bytes)
        Ipv6Chain c = Ipv6Chain.walk(frame(44, later, 8), 14);
        assertThat(c.laterFragment()).isTrue();
        assertThat(c.proto()).isEqualTo(17);
        byte[] first = ext(17, 0, 8);
        first[3] = 0x01; // more fragments, offset 0
        Ipv6Chain f = Ipv6Chain.walk(frame(44, first, 8), 14);
        assertThat(f.laterFragment()).isFalse();
        assertThat(f.l4()).isEqualTo(14 + 48);
    }

    @Test
    void aChainLongerThanTheBoundOrCutShortIsMalformed() {
        byte[] chain = new byte[0];
        for (int i = 0; i < Ipv6Chain.MAX_EXT_HEADERS; i++) {
            chain = concat(chain, ext(i == Ipv6Chain.MAX_EXT_HEADERS - 1 ? 6 : 60, 0, 8));
        }
        assertThat(Ipv6Chain.walk(frame(60, chain, 20), 14).kind()).isEqualTo(Ipv6Chain.Kind.PACKET);
        byte[] longer = concat(ext(60, 0, 8), chain);
        assertThat(Ipv6Chain.walk(frame(60, longer, 20), 14).kind()).isEqualTo(Ipv6Chain.Kind.MALFORMED);
        assertThat(Ipv6Chain.walk(frame(60, ext(6, 3, 8), 0), 14).kind()).isEqualTo(Ipv6Chain.Kind.PACKET);
        assertThat(Ipv6Chain.walk(java.util.Arrays.copyOf(frame(60, ext(6, 0, 8), 0), 58), 14).kind())
                .isEqualTo(Ipv6Chain.Kind.MALFORMED);
    }
}
