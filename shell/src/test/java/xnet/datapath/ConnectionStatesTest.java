package xnet.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import xnet.model.Cidr;
import xnet.model.ConnStates;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.Proto;

/**
 * The reference's connection states (the twin of bpf/lib/flows.h, which the differential test
 * holds to it): a stateful policy, as `iptables -m conntrack` writes one, over one conversation.
 */
class ConnectionStatesTest {

    private static final Ipv4 CLIENT = Ipv4.parse("10.0.1.2");
    private static final Ipv4 SERVER = Ipv4.parse("10.0.2.2");

    /** allow state established,related; allow from 10.0.1.0/24 state new; default drop. */
    private final ReferenceDatapath reference = new ReferenceDatapath(List.of(
            new FilterRule(1, FilterRule.Action.ALLOW, null, null, Proto.ANY, null, ConnStates.parse("established,related"),
                    false),
            new FilterRule(2, FilterRule.Action.ALLOW, Cidr.parse("10.0.1.0/24"), null, Proto.ANY, null,
                    ConnStates.parse("new"), false)), FilterRule.Action.DROP, List.of(), Map.of(1, 1, 2, 2));

    private static byte[] tcp(Ipv4 from, int sport, Ipv4 to, int dport, String flags) {
        return new ProbePacket(from, sport, to, dport, Proto.TCP, ProbePacket.DEFAULT_SIZE, ProbePacket.flags(flags)).frame();
    }

    /** Port unreachable from {@code from} about a TCP packet {@code quotedFrom} -> {@code quotedTo}. */
    private static byte[] unreachable(Ipv4 from, Ipv4 to, Ipv4 quotedFrom, int sport, Ipv4 quotedTo, int dport) {
        byte[] p = new byte[14 + 20 + 8 + 20 + 8];
        ReferenceDatapath.put16(p, 12, 0x0800);
        p[14] = 0x45;
        ReferenceDatapath.put16(p, 16, p.length - 14);
        p[14 + 9] = 1;
        ReferenceDatapath.put32(p, 14 + 12, from.bits());
        ReferenceDatapath.put32(p, 14 + 16, to.bits());
        p[34] = 3;
        p[34 + 3] = 3;
        p[42] = 0x45;
        p[42 + 9] = 6;
        ReferenceDatapath.put32(p, 42 + 12, quotedFrom.bits());
        ReferenceDatapath.put32(p, 42 + 16, quotedTo.bits());
        ReferenceDatapath.put16(p, 62, sport);
        ReferenceDatapath.put16(p, 64, dport);
        return p;
    }

    @Test
    void aConnectionOpenedFromInsideIsAnsweredAndEndsWithItsReset() {
        ReferenceDatapath.Result open = reference.process(tcp(CLIENT, 40000, SERVER, 80, "syn"));
        assertThat(open.drop()).isFalse();
        assertThat(open.state()).isEqualTo(ConnStates.NEW);
        assertThat(reference.flows()).containsExactly(Map.entry(ReferenceDatapath.flowKey(CLIENT.bits(), SERVER.bits(),
                40000, 80, 6), 0));

        ReferenceDatapath.Result answer = reference.process(tcp(SERVER, 80, CLIENT, 40000, "syn,ack"));
        assertThat(answer.drop()).as("the reply of a connection the client opened").isFalse();
        assertThat(answer.state()).isEqualTo(ConnStates.ESTABLISHED);
        assertThat(answer.slot()).isEqualTo(1);
        assertThat(reference.flows()).containsValue(1); // answered
        assertThat(reference.process(tcp(CLIENT, 40000, SERVER, 80, "ack")).state()).isEqualTo(ConnStates.ESTABLISHED);

        ReferenceDatapath.Result error = reference.process(unreachable(SERVER, CLIENT, CLIENT, 40000, SERVER, 80));
        assertThat(error.state()).as("an ICMP error about the connection").isEqualTo(ConnStates.RELATED);
        assertThat(error.drop()).isFalse();
        ReferenceDatapath.Result stray = reference.process(unreachable(SERVER, CLIENT, CLIENT, 40001, SERVER, 80));
        assertThat(stray.state()).isEqualTo(ConnStates.NEW);
        assertThat(stray.drop()).as("about nothing known: NEW, and not from inside").isTrue();

        assertThat(reference.process(tcp(SERVER, 80, CLIENT, 40000, "rst")).drop()).isFalse();
        assertThat(reference.flows()).as("the reset ended it").isEmpty();
        assertThat(reference.process(tcp(SERVER, 80, CLIENT, 40000, "ack")).drop()).as("no longer established").isTrue();
    }

    @Test
    void aConnectionFromOutsideIsNewAndDroppedAndRemembersNothing() {
        ReferenceDatapath.Result in = reference.process(tcp(SERVER, 80, CLIENT, 40000, "syn"));
        assertThat(in.drop()).isTrue();
        assertThat(in.state()).isEqualTo(ConnStates.NEW);
        assertThat(reference.flows()).isEmpty();
        assertThat(reference.peek(tcp(CLIENT, 40000, SERVER, 80, "syn")).drop()).isFalse();
        assertThat(reference.flows()).as("a what-if packet opens nothing").isEmpty();
    }

    @Test
    void theModelsStatesAreTheProgramsBits() {
        assertThat(List.of(ConnStates.NEW, ConnStates.ESTABLISHED, ConnStates.RELATED))
                .containsExactly(Shared.XNET_STATE_NEW, Shared.XNET_STATE_ESTABLISHED, Shared.XNET_STATE_RELATED);
    }

    @Test
    void withoutARuleForStatesNothingIsTracked() {
        ReferenceDatapath plain = new ReferenceDatapath(List.of(new FilterRule(1, FilterRule.Action.DROP, null, null,
                Proto.UDP, null)), FilterRule.Action.ALLOW, List.of(), Map.of(1, 1));
        ReferenceDatapath.Result result = plain.process(tcp(CLIENT, 40000, SERVER, 80, "syn"));
        assertThat(result.state()).isZero();
        assertThat(plain.flows()).isEmpty();
    }
}
