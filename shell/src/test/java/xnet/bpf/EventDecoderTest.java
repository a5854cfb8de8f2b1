package xnet.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import xnet.compile.SlotPlan;
import xnet.datapath.Shared;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.NatRule;
import xnet.model.Proto;
import xnet.render.EventLines;
import xnet.session.DatapathEvent;
import xnet.session.DatapathState;
import xnet.session.RunningState;

/** struct xnet_event (bpf/include/xnet_shared.h) read back, named as the running config names things. */
class EventDecoderTest {

    private static final RunningState RUNNING = new RunningState(7, Config.EMPTY
            .withFilterAt(0, new FilterRule(3, FilterRule.Action.DROP, Cidr.parse("10.9.0.0/16"), null, Proto.ANY, null, true))
            .withFilterAt(1, new FilterRule(4, FilterRule.Action.DROP, null, null, Proto.UDP, null))
            .withNat(new NatRule(2, Ipv4.parse("10.0.0.1"), 80, Ipv4.parse("10.0.1.2"), 8080, Proto.TCP)),
            new DatapathState(new SlotPlan(Map.of(3, 5, 4, 6), List.of()), Map.of("web", 41, "uplink", 12)));

    /** An event as the program lays it out: little-endian numbers, addresses in network order. */
    private static byte[] event(int kind, int ifindex, int slot, int proto, int flags, String src, String dst, int sport,
                                int dport, String newIp, int newPort) {
        ByteBuffer b = ByteBuffer.allocate(Shared.EVENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 2_000_000_123L).putInt(8, ifindex).putInt(12, slot).putInt(16, 74);
        b.put(20, (byte) kind).put(21, (byte) proto).put(22, (byte) flags);
        b.order(ByteOrder.BIG_ENDIAN).putInt(24, Ipv4.parse(src).bits()).putInt(28, Ipv4.parse(dst).bits());
        b.order(ByteOrder.LITTLE_ENDIAN).putShort(32, (short) sport).putShort(34, (short) dport);
        b.order(ByteOrder.BIG_ENDIAN).putInt(36, newIp == null ? 0 : Ipv4.parse(newIp).bits());
        b.order(ByteOrder.LITTLE_ENDIAN).putShort(40, (short) newPort);
        return b.array();
    }

    @Test
    void aDropNamesItsPointAndLoggingRule() {
        EventDecoder decoder = new EventDecoder(RUNNING, 1_000_000_000L);
        DatapathEvent drop = decoder.decode(event(Shared.XNET_EVENT_DROP, 41, 5, 6, 0x02, "10.9.3.4", "10.0.1.2", 40312,
                22, null, 0));
        assertThat(drop).isEqualTo(new DatapathEvent(Instant.ofEpochSecond(3, 123), DatapathEvent.Kind.DROP, "web", 3,
                6, Ipv4.parse("10.9.3.4"), 40312, Ipv4.parse("10.0.1.2"), 22, null, 0, 74, 0x02));
        assertThat(EventLines.line(drop, java.time.ZoneOffset.UTC))
                .isEqualTo("00:00:03.000 web drop rule 3: tcp 10.9.3.4:40312 -> 10.0.1.2:22 [syn] 74 bytes");
        DatapathEvent ping = decoder.decode(event(Shared.XNET_EVENT_DROP, 41, 5, 1, 0, "10.9.3.4", "10.0.1.2", 17, 17,
                null, 0));
        assertThat(EventLines.line(ping, java.time.ZoneOffset.UTC))
                .isEqualTo("00:00:03.000 web drop rule 3: icmp 10.9.3.4 -> 10.0.1.2 echo id 17 74 bytes");
        // a rule that does not log has no events: its slot names nothing
        assertThat(decoder.decode(event(Shared.XNET_EVENT_DROP, 12, 6, 17, 0, "1.2.3.4", "5.6.7.8", 1, 2, null, 0))
                .rule()).isNull();
    }

    @Test
    void anIpv6DropCarriesItsAddressesAfterTheIpv4Fields() {
        ByteBuffer b = ByteBuffer.wrap(event(Shared.XNET_EVENT_DROP, 41, 5, 6, 0x02, "0.0.0.0", "0.0.0.0", 40312, 443,
                null, 0));
        b.put(23, (byte) 1).put(48, xnet.model.Ipv6.parse("fd00:2::2").bytes()).put(64, xnet.model.Ipv6.parse("fd00:1::2").bytes());
        DatapathEvent drop = new EventDecoder(RUNNING, 1_000_000_000L).decode(b.array());
        assertThat(drop.v6()).isTrue();
        assertThat(drop.src()).isNull();
        assertThat(drop.sourceIn(xnet.model.Cidr6.parse("fd00:2::/64"))).isTrue();
        assertThat(drop.sourceIn(Cidr.parse("0.0.0.0/0"))).as("an IPv4 prefix holds no IPv6 source").isFalse();
        assertThat(EventLines.line(drop, java.time.ZoneOffset.UTC))
                .isEqualTo("00:00:03.000 web drop rule 3: tcp [fd00:2::2]:40312 -> [fd00:1::2]:443 [syn] 74 bytes");
        ByteBuffer ping = ByteBuffer.wrap(event(Shared.XNET_EVENT_DROP, 41, 5, 58, 0, "0.0.0.0", "0.0.0.0", 9, 9, null, 0));
        ping.put(23, (byte) 1).put(48, xnet.model.Ipv6.parse("fd00:2::2").bytes()).put(64, xnet.model.Ipv6.parse("fd00:1::2").bytes());
        assertThat(EventLines.line(new EventDecoder(RUNNING, 1_000_000_000L).decode(ping.array()), java.time.ZoneOffset.UTC))
                .isEqualTo("00:00:03.000 web drop rule 3: icmpv6 fd00:2::2 -> fd00:1::2 echo id 9 74 bytes");
    }

    /** An IPv6 NAT event: the destination NAT gave it after both address blocks; an older program's event has none. */
    @Test
    void anIpv6NatEventNamesItsRuleAndTranslation() {
        RunningState running = new RunningState(8, Config.EMPTY.withNat(new NatRule(5, xnet.model.Ipv6.parse("fd00::a00:1"),
                80, xnet.model.Ipv6.parse("fd00:1::2"), 8080, Proto.TCP)), RUNNING.datapath());
        ByteBuffer b = ByteBuffer.wrap(event(Shared.XNET_EVENT_NAT, 12, 0, 6, 0x02, "0.0.0.0", "0.0.0.0", 40000, 80, null,
                8080));
        b.put(23, (byte) 1).put(48, xnet.model.Ipv6.parse("fd00::a00:2").bytes())
                .put(64, xnet.model.Ipv6.parse("fd00::a00:1").bytes()).put(80, xnet.model.Ipv6.parse("fd00:1::2").bytes());
        DatapathEvent nat = new EventDecoder(running, 0).decode(b.array());
        assertThat(nat.rule()).isEqualTo(5);
        assertThat(EventLines.line(nat, java.time.ZoneOffset.UTC)).endsWith(
                "uplink nat 5: tcp [fd00::a00:2]:40000 -> [fd00::a00:1]:80 => [fd00:1::2]:8080 [syn] 74 bytes");
        DatapathEvent older = new EventDecoder(running, 0).decode(java.util.Arrays.copyOf(b.array(), Shared.EVENT_SIZE_V4));
        assertThat(older.translatedTo()).as("an event without new_ip6").isNull();
    }

    @Test
    void aNatEventNamesTheNatRuleByItsPublicSide() {
        DatapathEvent nat = new EventDecoder(RUNNING, 0).decode(event(Shared.XNET_EVENT_NAT, 12, 0, 6, 0x02,
                "10.0.2.1", "10.0.0.1", 40000, 80, "10.0.1.2", 8080));
        assertThat(nat.kind()).isEqualTo(DatapathEvent.Kind.NAT);
        assertThat(nat.rule()).isEqualTo(2);
        assertThat(nat.point()).isEqualTo("uplink");
        assertThat(EventLines.line(nat, java.time.ZoneOffset.UTC))
                .endsWith("uplink nat 2: tcp 10.0.2.1:40000 -> 10.0.0.1:80 => 10.0.1.2:8080 [syn] 74 bytes");
    }

    @Test
    void itIsRebuiltOnlyForAnotherCommitOrOtherDevices() {
        EventDecoder decoder = new EventDecoder(RUNNING, 0);
        assertThat(decoder.isFor(new RunningState(7, RUNNING.config(), RUNNING.datapath()))).isTrue();
        assertThat(decoder.isFor(new RunningState(8, RUNNING.config(), RUNNING.datapath()))).isFalse();
    }
}
