package xnet.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Datapath;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.NatRule;
import xnet.model.Proto;
import xnet.model.Tunnel;
import xnet.plan.TargetLayout;

class AttachPointsTest {

    private static final Config TOPOLOGY = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
            .withContainer(new Container("web", "br1", Ipv4.parse("10.0.1.2")))
            .withTunnel(new Tunnel("t1", 42, Ipv4.parse("10.0.0.3"), null, null, Tunnel.DEFAULT_PORT, "br1"));

    private static Config withHook(Config config, Datapath.Hook hook, Map<String, Datapath.Hook> per) {
        return config.withDatapath(new Datapath(hook, Datapath.XdpMode.NATIVE, Datapath.Strategy.AUTO, per));
    }

    @Test
    void aLabHasItsUplinkEveryContainerAndEveryTunnel() {
        assertThat(AttachPoints.devices(TargetLayout.lab("t"), TOPOLOGY))
                .containsExactly(Map.entry("uplink", "uplink"), Map.entry("web", "v-web"), Map.entry("vx-t1", "vx-t1"));
        assertThat(AttachPoints.devices(TargetLayout.realHost(), TOPOLOGY)).doesNotContainKey("uplink");
    }

    @Test
    void tunnelsKeepTcWhereTheConfigSaysXdp() {
        Config xdp = withHook(TOPOLOGY, Datapath.Hook.XDP, Map.of());
        assertThat(AttachPoints.hookOf(xdp, "web")).isEqualTo(Datapath.Hook.XDP);
        assertThat(AttachPoints.hookOf(xdp, "vx-t1")).isEqualTo(Datapath.Hook.TC);
        assertThat(AttachPoints.hooksUsed(TargetLayout.lab("t"), xdp)).containsExactly(Datapath.Hook.XDP, Datapath.Hook.TC);
    }

    @Test
    void perInterfaceHooksOverrideTheTargetsHook() {
        Config mixed = withHook(TOPOLOGY, Datapath.Hook.TC, Map.of("uplink", Datapath.Hook.XDP));
        assertThat(AttachPoints.hookOf(mixed, "uplink")).isEqualTo(Datapath.Hook.XDP);
        assertThat(AttachPoints.hookOf(mixed, "web")).isEqualTo(Datapath.Hook.TC);
    }

    @Test
    void programsAreWantedForRulesNatOrADropDefaultOnABpfHook() {
        assertThat(AttachPoints.wanted(TOPOLOGY)).isFalse();
        assertThat(AttachPoints.attachments(TargetLayout.lab("t"), TOPOLOGY)).isEmpty();
        Config rule = TOPOLOGY.withFilters(List.of(new FilterRule(1, FilterRule.Action.DROP, null, null, null, null)));
        assertThat(AttachPoints.wanted(rule)).isTrue();
        assertThat(AttachPoints.wanted(TOPOLOGY.withDefaultAction(FilterRule.Action.DROP))).isTrue();
        assertThat(AttachPoints.wanted(TOPOLOGY.withNat(new NatRule(1, Ipv4.parse("10.0.0.1"), 0,
                Ipv4.parse("10.0.1.2"), 0, Proto.ANY)))).isTrue();
        assertThat(AttachPoints.wanted(withHook(rule, Datapath.Hook.NFTABLES, Map.of()))).isFalse();
        assertThat(AttachPoints.attachments(TargetLayout.lab("t"), rule)).extracting(LinkPlan.Attachment::linkName)
                .containsExactly("uplink+tc", "v-web+tc", "vx-t1+tc");
    }
}
