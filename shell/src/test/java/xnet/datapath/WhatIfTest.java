package xnet.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.NatRule;
import xnet.model.PortRange;
import xnet.model.Proto;

/** A what-if packet's frame, and how a probe run's numbers read (the program side is DifferentialIT's). */
class WhatIfTest {

    private static final NatRule WEB = new NatRule(1, Ipv4.parse("10.0.0.1"), 80, Ipv4.parse("10.0.1.2"), 8080, Proto.TCP);
    private static final FilterRule DROP_SSH = new FilterRule(4, FilterRule.Action.DROP, Cidr.parse("172.16.0.0/12"), null,
            Proto.TCP, PortRange.parse("22"));
    private static final Config RUNNING = Config.EMPTY.withFilterAt(0, DROP_SSH).withNat(WEB);

    private static ProbePacket tcp(String from, int sport, String to, int dport) {
        return new ProbePacket(Ipv4.parse(from), sport, Ipv4.parse(to), dport, Proto.TCP, 64, List.of());
    }

    @Test
    void theFrameIsWhatTheReferenceReadsWithRightChecksums() {
        byte[] frame = tcp("172.16.1.9", 40000, "10.0.1.2", 22).frame();
        assertThat(frame).hasSize(64);
        assertThat(Checksums.of(frame, 14, 20, 0)).as("IPv4 header checksum").isZero();
        assertThat(Checksums.transport(frame, 14, 34, 6)).as("TCP checksum").isZero();
        assertThat(frame[34 + 13]).as("a SYN unless told").isEqualTo((byte) 0x02);
        ReferenceDatapath reference = new ReferenceDatapath(RUNNING.filters(), RUNNING.defaultAction(), RUNNING.nats(),
                Map.of(4, 7));
        ReferenceDatapath.Result result = reference.peek(frame);
        assertThat(result.drop()).isTrue();
        assertThat(result.slot()).isEqualTo(7);

        byte[] udp = new ProbePacket(Ipv4.parse("10.9.0.1"), 5000, Ipv4.parse("10.0.1.2"), 53, Proto.UDP, 100, List.of())
                .frame();
        assertThat(Checksums.transport(udp, 14, 34, 17)).isZero();
        byte[] ping = new ProbePacket(Ipv4.parse("10.9.0.1"), 7, Ipv4.parse("10.0.1.2"), 0, Proto.ICMP, 64, List.of())
                .frame();
        assertThat(Checksums.of(ping, 34, 30, 0)).isZero();
        assertThat(tcp("10.9.0.1", 1, "10.0.1.2", 2).frame()).isEqualTo(tcp("10.9.0.1", 1, "10.0.1.2", 2).frame());
    }

    @Test
    void aPeekDecidesAndRewritesButRemembersNothing() {
        ReferenceDatapath reference = new ReferenceDatapath(RUNNING.filters(), RUNNING.defaultAction(), RUNNING.nats(),
                Map.of(4, 7));
        byte[] toPublic = tcp("10.9.0.1", 40000, "10.0.0.1", 80).frame();
        ReferenceDatapath.Result peeked = reference.peek(toPublic);
        assertThat(WhatIf.rewrite(toPublic, peeked.out())).isEqualTo("destination 10.0.0.1:80 -> 10.0.1.2:8080");
        assertThat(reference.connections()).isEmpty();
        assertThat(reference.natCounts()).isEmpty();
        reference.process(toPublic);
        assertThat(reference.connections()).hasSize(1);
        byte[] reply = tcp("10.0.1.2", 8080, "10.9.0.1", 40000).frame();
        assertThat(WhatIf.rewrite(reply, reference.peek(reply).out())).isEqualTo("source 10.0.1.2:8080 -> 10.0.0.1:80");
        assertThat(reference.natCounts()).containsExactly(Map.entry(1, List.of(1L, 0L)));
    }

    @Test
    void aProbeRunReadsAsVerdictRuleRewriteAndCounters() {
        byte[] in = tcp("10.9.0.1", 40000, "10.0.0.1", 80).frame();
        byte[] out = new ReferenceDatapath(RUNNING.filters(), RUNNING.defaultAction(), RUNNING.nats(), Map.of(4, 7))
                .peek(in).out();
        int translated = Shared.XNET_STAT_TRANSLATED | (Shared.XNET_NAT_TO_PRIVATE + 1) << Shared.XNET_PROBE_NAT_SHIFT
                | Shared.XNET_PROBE_DONE;
        WhatIf passed = WhatIf.of("uplink", "tc", 31, WhatIf.TC_ACT_OK, 0, translated, in, out, RUNNING, Map.of(4, 7), false);
        assertThat(passed.lines()).containsExactly(
                "at uplink (tc, program 31): pass",
                "decided by the default action (allow)",
                "translated: destination 10.0.0.1:80 -> 10.0.1.2:8080 (nat 1)",
                "counters a real packet would move: default, uplink translated, nat 1 to-private (none moved)");

        byte[] ssh = tcp("172.16.1.9", 40000, "10.0.1.2", 22).frame();
        WhatIf dropped = WhatIf.of("web", "xdp", 32, WhatIf.XDP_DROP, 7, Shared.XNET_STAT_DROPPED | Shared.XNET_PROBE_DONE,
                ssh, ssh, RUNNING, Map.of(4, 7), false);
        assertThat(dropped.verdict()).isEqualTo("drop");
        assertThat(dropped.rule()).isEqualTo(4);
        assertThat(dropped.ruleText()).isEqualTo("filter 4: drop from 172.16.0.0/12 proto tcp port 22");
        assertThat(dropped.counters()).containsExactly("filter 4", "web dropped");

        assertThatThrownBy(() -> WhatIf.of("web", "tc", 33, 0, 0, 0, ssh, ssh, RUNNING, Map.of(), false))
                .hasMessageContaining("does not answer what-if packets");
    }

    @Test
    void anIpv6ProbeIsWhatTheReferenceReadsWithRightChecksums() {
        List<xnet.model.FilterRule> rules = List.of(xnet.model.FilterRuleSyntax.parse(1,
                "drop from fd00:2::/64 to fd00:1::/64 proto tcp port 8080"));
        ReferenceDatapath reference = new ReferenceDatapath(rules, xnet.model.FilterRule.Action.ALLOW, List.of(), Map.of(1, 1));
        xnet.model.Ipv6 client = xnet.model.Ipv6.parse("fd00:2::2");
        xnet.model.Ipv6 web = xnet.model.Ipv6.parse("fd00:1::2");
        byte[] tcp = new ProbePacket(null, 40000, null, 8080, Proto.TCP, 80, List.of(), client, web).frame();
        assertThat(tcp).hasSize(80);
        assertThat(Checksums.transport6(tcp, 14, 54, 6)).as("TCP checksum over IPv6").isZero();
        assertThat(reference.peek(tcp).slot()).isEqualTo(1);
        assertThat(reference.peek(tcp).drop()).isTrue();
        byte[] udp = new ProbePacket(null, 5000, null, 8080, Proto.UDP, 90, List.of(), client, web).frame();
        assertThat(Checksums.transport6(udp, 14, 54, 17)).isZero();
        assertThat(reference.peek(udp).drop()).isFalse();
        byte[] ping = new ProbePacket(null, 7, null, 0, Proto.ICMPV6, 70, List.of(), client, web).frame();
        assertThat(Checksums.transport6(ping, 14, 54, 58)).isZero();
        assertThat(ping[54]).as("an echo request").isEqualTo((byte) 128);
        assertThatThrownBy(() -> new ProbePacket(null, 7, null, 0, Proto.ICMP, 70, List.of(), client, web))
                .hasMessage("proto icmp is IPv4's; this packet is IPv6");
        assertThatThrownBy(() -> new ProbePacket(Ipv4.parse("10.0.1.2"), 7, null, 0, Proto.ICMP, 70, List.of(), null, web))
                .hasMessage("from and to are of one family: both IPv4 or both IPv6");
    }

    @Test
    void aPacketThatCannotBeBuiltSaysWhy() {
        assertThatThrownBy(() -> tcp("10.9.0.1", 0, "10.0.1.2", 80)).hasMessageContaining("needs ports from 1 to 65535");
        assertThatThrownBy(() -> new ProbePacket(Ipv4.parse("10.9.0.1"), 1, Ipv4.parse("10.0.1.2"), 2, Proto.TCP, 40,
                List.of())).hasMessage("size 40: a tcp frame here is 60 to 1514 bytes");
        assertThatThrownBy(() -> new ProbePacket(Ipv4.parse("10.9.0.1"), 1, Ipv4.parse("10.0.1.2"), 2, Proto.TCP, 64,
                ProbePacket.flags("syn,nope"))).hasMessageContaining("'nope' is no TCP flag");
        assertThatThrownBy(() -> new ProbePacket(Ipv4.parse("10.9.0.1"), 1, Ipv4.parse("10.0.1.2"), 2, Proto.UDP, 64,
                ProbePacket.flags("syn"))).hasMessage("flags are TCP's");
    }
}
