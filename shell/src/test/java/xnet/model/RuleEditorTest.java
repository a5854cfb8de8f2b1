package xnet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import xnet.diff.ChangeSet;

class RuleEditorTest {

    private final RuleEditor rules = new RuleEditor(new Validator(List.of(Cidr.parse("10.0.0.0/24")), Ipv4.parse("10.0.0.2")));
    private final Config lab = new ConfigEditor(new Validator(List.of())).addContainer(
            Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24"))), "web", "br1", Optional.empty());

    private Config drop(Config c, String from, Integer before) {
        return rules.addFilter(c, new FilterRule(0, FilterRule.Action.DROP, from == null ? null : Cidr.parse(from), null, Proto.ANY, null), before);
    }

    @Test
    void idsAreStableAndNeverReused() {
        Config c = drop(drop(lab, "10.9.0.0/16", null), "10.8.0.0/16", null);
        c = rules.deleteFilter(c, 2);
        c = drop(c, "10.7.0.0/16", 1);
        assertThat(c.filters()).extracting(FilterRule::id).containsExactly(3, 1);
        assertThatThrownBy(() -> rules.deleteFilter(lab, 9)).hasMessageContaining("no filter rule 9 (there are none)");
    }

    @Test
    void portNeedsTcpOrUdp() {
        assertThatThrownBy(() -> rules.addFilter(lab, new FilterRule(0, FilterRule.Action.DROP, null, null, Proto.ICMP, PortRange.parse("80")), null)).hasMessageContaining("port needs proto tcp or udp");
        assertThatThrownBy(() -> PortRange.parse("90-80")).hasMessageContaining("low to high");
        assertThatThrownBy(() -> PortRange.parse("70000")).hasMessage("port 70000 must lie within 1-65535");
        assertThatThrownBy(() -> PortRange.parse("80-70000")).hasMessage("port range 80-70000 must lie within 1-65535,"
                + " low to high");
    }

    @Test
    void natRulesAreCheckedAgainstTheTopology() {
        Config c = rules.addNat(lab, NatEndpoint.parse("10.0.0.1:80"), NatEndpoint.parse("10.0.1.2:8080"), null);
        assertThat(c.nats().get(0).text()).isEqualTo("10.0.0.1:80 -> 10.0.1.2:8080 proto tcp");
        assertThatThrownBy(() -> rules.addNat(c, NatEndpoint.parse("10.0.0.1:80"), NatEndpoint.parse("10.0.1.3:80"), null))
                .hasMessageContaining("already translated by nat 1");
        assertThat(rules.addNat(c, NatEndpoint.parse("10.0.0.1:80"), NatEndpoint.parse("10.0.1.3:80"), Proto.UDP).nats())
                .hasSize(2);
        assertThatThrownBy(() -> rules.addNat(lab, NatEndpoint.parse("10.0.0.1:80"), NatEndpoint.parse("10.0.1.2"), null))
                .hasMessageContaining("both sides");
        assertThatThrownBy(() -> rules.addNat(lab, NatEndpoint.parse("10.0.0.9"), NatEndpoint.parse("10.0.1.2"), Proto.TCP))
                .hasMessageContaining("drop 'proto'");
        assertThatThrownBy(() -> rules.addNat(lab, NatEndpoint.parse("10.0.1.7"), NatEndpoint.parse("10.0.1.2"), null))
                .hasMessageContaining("inside bridge br1");
        assertThatThrownBy(() -> rules.addNat(lab, NatEndpoint.parse("10.5.0.9"), NatEndpoint.parse("10.0.1.2"), null))
                .hasMessageContaining("uplink subnet");
        assertThatThrownBy(() -> rules.addNat(lab, NatEndpoint.parse("10.0.0.5"), NatEndpoint.parse("10.0.9.2"), null))
                .hasMessageContaining("not on any bridge");
        assertThatThrownBy(() -> NatEndpoint.parse("10.0.0.1:0")).hasMessageContaining("port 1-65535");
    }

    @Test
    void datapathPerInterfaceAndItsLimits() {
        Config c = rules.setHook(lab, Datapath.Hook.XDP, "web", Datapath.XdpMode.NATIVE);
        assertThat(c.datapath().hookOf("web")).isEqualTo(Datapath.Hook.XDP);
        assertThat(c.datapath().hookOf("uplink")).isEqualTo(Datapath.Hook.TC);
        assertThatThrownBy(() -> rules.setHook(lab, Datapath.Hook.IPTABLES, "web", null)).hasMessageContaining("whole target");
        assertThatThrownBy(() -> rules.setHook(lab, Datapath.Hook.TC, null, Datapath.XdpMode.NATIVE))
                .hasMessageContaining("xdp only");
        assertThatThrownBy(() -> rules.setHook(lab, Datapath.Hook.XDP, "nope", null)).hasMessageContaining("no attach point");
    }

    @Test
    void theFastPathNeedsTcEverywhereAndOutlivesOtherDatapathEdits() {
        Config on = rules.setFastpath(lab, true);
        assertThat(on.datapath().fastpath()).isTrue();
        assertThat(rules.setStrategy(on, Datapath.Strategy.MAP).datapath().fastpath()).as("kept by a strategy change").isTrue();
        assertThatThrownBy(() -> rules.setHook(on, Datapath.Hook.XDP, null, null))
                .hasMessageContaining("fastpath needs the tc hook at every attach point (hook xdp)")
                .hasMessageContaining("set 'datapath tc' or 'datapath fastpath off'"); // commands that exist
        assertThatThrownBy(() -> rules.setHook(on, Datapath.Hook.XDP, "web", null)).hasMessageContaining("web xdp");
        Config xdp = rules.setHook(lab, Datapath.Hook.NFTABLES, null, null);
        assertThatThrownBy(() -> rules.setFastpath(xdp, true)).hasMessageContaining("'datapath fastpath off'");
        assertThat(rules.setFastpath(xdp, false).datapath().fastpath()).isFalse();
        assertThat(new Validator(List.of()).check(on.withDatapath(on.datapath().withFastpath(true)))).isEmpty();
    }

    @Test
    void compareReportsRuleChangesAndMoves() {
        Config running = drop(drop(lab, "10.9.0.0/16", null), "10.8.0.0/16", null);
        Config candidate = drop(rules.deleteFilter(running, 1), "10.9.0.0/16", 2)
                .withDefaultAction(FilterRule.Action.DROP);
        ChangeSet changes = ChangeSet.between(running, candidate);
        assertThat(xnet.render.ChangeRenderer.lines(changes)).containsExactly(
                "- filter 1 drop from 10.9.0.0/16", "+ filter 3 drop from 10.9.0.0/16", "~ filter default allow -> drop");
    }
}
