package xnet.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import xnet.model.FilterRule;
import xnet.model.Ipv6;
import xnet.model.NatEndpoint;
import xnet.model.NatRule;
import xnet.model.Proto;

/**
 * The reference's IPv6 static NAT, which the programs are held to: a connection to the public
 * side reaches the private one and its replies come back from the public side, with every
 * checksum whole (recomputed from scratch, since IPv6's transport checksums cover the addresses);
 * a client talking to the private side directly is left alone.
 */
class ReferenceNat6Test {

    private static final Ipv6 CLIENT = Ipv6.parse("fd00::a00:2");
    private static final Ipv6 PUBLIC = Ipv6.parse("fd00::a00:1");
    private static final Ipv6 WEB = Ipv6.parse("fd00:1::2");
    private static final Ipv6 WHOLE = Ipv6.parse("fd00::a00:9");
    private static final Ipv6 OTHER = Ipv6.parse("fd00:2::2");

    private final ReferenceDatapath reference = new ReferenceDatapath(List.of(), FilterRule.Action.ALLOW, List.of(
            new NatRule(1, PUBLIC, 80, WEB, 8080, Proto.TCP),
            new NatRule(2, PUBLIC, 53, WEB, 5353, Proto.UDP),
            new NatRule(3, WHOLE, 0, OTHER, 0, Proto.ANY)), Map.of());

    /** A whole frame, checksums computed; an ICMPv6 echo request's identifier is sport (dport is not given). */
    private static byte[] packet(Ipv6 src, int sport, Ipv6 dst, int dport, Proto proto, String... flags) {
        return new ProbePacket(null, sport, null, proto == Proto.ICMPV6 ? 0 : dport, proto, 90, List.of(flags), src, dst)
                .frame();
    }

    /** "[src]:sport > [dst]:dport", read back from the frame (the echo's identifier as both ports). */
    private static String seen(byte[] p) {
        int l4 = 14 + 40;
        boolean echo = (p[14 + 6] & 0xff) == 58;
        Ipv6 src = new Ipv6(ReferenceDatapath.u64(p, 22), ReferenceDatapath.u64(p, 30));
        Ipv6 dst = new Ipv6(ReferenceDatapath.u64(p, 38), ReferenceDatapath.u64(p, 46));
        int sport = ReferenceDatapath.u16(p, echo ? l4 + 4 : l4);
        int dport = echo ? sport : ReferenceDatapath.u16(p, l4 + 2);
        return NatEndpoint.text(src, sport) + " > " + NatEndpoint.text(dst, dport);
    }

    /** A checksum is whole when the sum over the segment, with its pseudo-header, comes to zero. */
    private static void assertChecksumWhole(byte[] p) {
        int proto = p[14 + 6] & 0xff;
        assertThat(Checksums.transport6(p, 14, 54, proto)).as("checksum of proto " + proto).isZero();
    }

    @Test
    void aConnectionToThePublicPortReachesTheServerAndItsRepliesComeBackFromThePublicSide() {
        ReferenceDatapath.Result syn = reference.process(packet(CLIENT, 40000, PUBLIC, 80, Proto.TCP, "syn"));
        assertThat(syn.drop()).isFalse();
        assertThat(seen(syn.out())).isEqualTo("[fd00::a00:2]:40000 > [fd00:1::2]:8080");
        assertChecksumWhole(syn.out());
        assertThat(reference.connections6()).containsEntry("fd00:1::2 fd00::a00:2 8080 40000 6", "fd00::a00:1 80 0");

        reference.process(packet(CLIENT, 40000, PUBLIC, 80, Proto.TCP, "fin", "ack"));
        assertThat(reference.connections6()).as("the client's FIN is noted on the same connection")
                .containsEntry("fd00:1::2 fd00::a00:2 8080 40000 6", "fd00::a00:1 80 " + Shared.XNET_CT_FIN_CLIENT);

        ReferenceDatapath.Result reply = reference.process(packet(WEB, 8080, CLIENT, 40000, Proto.TCP, "syn", "ack"));
        assertThat(seen(reply.out())).isEqualTo("[fd00::a00:1]:80 > [fd00::a00:2]:40000");
        assertChecksumWhole(reply.out());

        ReferenceDatapath.Result dns = reference.process(packet(CLIENT, 40001, PUBLIC, 53, Proto.UDP));
        assertThat(seen(dns.out())).isEqualTo("[fd00::a00:2]:40001 > [fd00:1::2]:5353");
        assertChecksumWhole(dns.out());
        assertThat(reference.natCounts()).containsEntry(1, List.of(2L, 1L)).containsEntry(2, List.of(1L, 0L));
    }

    @Test
    void aWholeAddressCarriesEchoWhoseChecksumCoversTheAddresses() {
        ReferenceDatapath.Result echo = reference.process(packet(CLIENT, 77, WHOLE, 77, Proto.ICMPV6));
        assertThat(seen(echo.out())).isEqualTo("[fd00::a00:2]:77 > [fd00:2::2]:77");
        assertChecksumWhole(echo.out());
        byte[] answer = packet(OTHER, 77, CLIENT, 77, Proto.ICMPV6);
        answer[54] = (byte) 129; // echo reply
        ReferenceDatapath.put16(answer, 56, 0);
        ReferenceDatapath.put16(answer, 56, Checksums.transport6(answer, 14, 54, 58));
        ReferenceDatapath.Result back = reference.process(answer);
        assertThat(seen(back.out())).isEqualTo("[fd00::a00:9]:77 > [fd00::a00:2]:77");
        assertChecksumWhole(back.out());
    }

    @Test
    void aDirectClientIsLeftAloneAndTakesItsTupleBack() {
        reference.process(packet(CLIENT, 40000, PUBLIC, 80, Proto.TCP, "syn"));
        byte[] direct = packet(CLIENT, 40000, WEB, 8080, Proto.TCP, "syn");
        assertThat(reference.process(direct).out()).as("a packet straight to the private side").isEqualTo(direct);
        assertThat(reference.connections6()).as("the old translated connection is over").isEmpty();
        byte[] reply = packet(WEB, 8080, CLIENT, 40000, Proto.TCP, "syn", "ack");
        assertThat(reference.process(reply).out()).as("its reply, untranslated").isEqualTo(reply);
    }
}
