package xnet.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import xnet.datapath.LinkPlan.Attachment;
import xnet.datapath.LinkPlan.PinnedLink;
import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Datapath;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.Tunnel;
import xnet.plan.TargetLayout;

class LinkPlanTest {

    private static final TargetLayout LAB = TargetLayout.lab("t");
    private static final Datapath.XdpMode GENERIC = Datapath.XdpMode.GENERIC;
    private static final Datapath.XdpMode NATIVE = Datapath.XdpMode.NATIVE;

    private static Config config(Datapath.Hook hook, Datapath.XdpMode mode, String... containers) {
        Config config = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
                .withFilters(List.of(new FilterRule(1, FilterRule.Action.DROP, Cidr.parse("10.9.0.0/16"), null,
                        null, null)))
                .withDatapath(new Datapath(hook, mode, Datapath.Strategy.MAP, null));
        for (int i = 0; i < containers.length; i++) {
            config = config.withContainer(new Container(containers[i], "br1", Ipv4.parse("10.0.1." + (i + 2))));
        }
        return config;
    }

    private static List<Attachment> wanted(Config config) {
        return AttachPoints.attachments(LAB, config);
    }

    private static PinnedLink live(String name) {
        return new PinnedLink(name, false);
    }

    @Test
    void aFirstCommitCreatesALinkPerAttachPoint() {
        List<Attachment> wanted = wanted(config(Datapath.Hook.TC, GENERIC, "web"));
        List<LinkPlan.Step> steps = LinkPlan.steps(wanted, List.of());
        assertThat(steps).containsExactly(new LinkPlan.Create(wanted.get(0)), new LinkPlan.Create(wanted.get(1)));
        assertThat(wanted).extracting(Attachment::linkName).containsExactly("uplink+tc", "v-web+tc");
        assertThat(steps).noneMatch(LinkPlan.Step::atApply);
        assertThat(LinkPlan.programs(wanted, steps)).containsExactly(Datapath.Hook.TC);
    }

    @Test
    void theSameAttachPointsSwapTheirProgramsAtApply() {
        List<Attachment> wanted = wanted(config(Datapath.Hook.XDP, NATIVE, "web"));
        List<LinkPlan.Step> steps = LinkPlan.steps(wanted, List.of(live("uplink+xdp-native"), live("v-web+xdp-native")));
        assertThat(steps).containsExactly(new LinkPlan.Update(wanted.get(0)), new LinkPlan.Update(wanted.get(1)));
        assertThat(steps).allMatch(LinkPlan.Step::atApply);
        assertThat(LinkPlan.programs(wanted, steps)).containsExactly(Datapath.Hook.XDP);
    }

    @Test
    void aNewContainerGetsANewLinkAndARemovedOneLosesIts() {
        List<Attachment> wanted = wanted(config(Datapath.Hook.TC, GENERIC, "db"));
        List<LinkPlan.Step> steps = LinkPlan.steps(wanted, List.of(live("uplink+tc"), live("v-web+tc")));
        assertThat(steps).containsExactly(new LinkPlan.Update(wanted.get(0)), new LinkPlan.Create(wanted.get(1)),
                new LinkPlan.Detach("v-web+tc"));
    }

    @Test
    void aDeviceMadeAnewReplacesItsDefunctLink() {
        List<Attachment> wanted = wanted(config(Datapath.Hook.TC, GENERIC, "web"));
        List<LinkPlan.Step> steps = LinkPlan.steps(wanted, List.of(live("uplink+tc"),
                new PinnedLink("v-web+tc", true)));
        assertThat(steps).containsExactly(new LinkPlan.Update(wanted.get(0)), new LinkPlan.Replace(wanted.get(1)));
    }

    @Test
    void tcToXdpCreatesTheXdpLinksInPrepareAndDetachesTheTcOnesAtApply() {
        List<Attachment> wanted = wanted(config(Datapath.Hook.XDP, GENERIC, "web"));
        List<LinkPlan.Step> steps = LinkPlan.steps(wanted, List.of(live("uplink+tc"), live("v-web+tc")));
        assertThat(steps).containsExactly(new LinkPlan.Create(wanted.get(0)), new LinkPlan.Create(wanted.get(1)),
                new LinkPlan.Detach("uplink+tc"), new LinkPlan.Detach("v-web+tc"));
        assertThat(LinkPlan.programs(wanted, steps)).containsExactly(Datapath.Hook.XDP);
    }

    @Test
    void anXdpModeSwitchIsBridgedByATcProgram() {
        List<Attachment> wanted = wanted(config(Datapath.Hook.XDP, NATIVE, "web"));
        List<LinkPlan.Step> steps = LinkPlan.steps(wanted,
                List.of(live("uplink+xdp-generic"), live("v-web+xdp-generic")));
        assertThat(steps).containsExactly(new LinkPlan.SwitchMode(wanted.get(0), "uplink+xdp-generic"),
                new LinkPlan.SwitchMode(wanted.get(1), "v-web+xdp-generic"));
        assertThat(LinkPlan.programs(wanted, steps)).containsExactly(Datapath.Hook.XDP, Datapath.Hook.TC);
    }

    @Test
    void aModeSwitchOnADeviceMadeAnewIsAPlainCreate() {
        List<Attachment> wanted = wanted(config(Datapath.Hook.XDP, GENERIC, "web"));
        List<LinkPlan.Step> steps = LinkPlan.steps(wanted,
                List.of(live("uplink+xdp-native"), new PinnedLink("v-web+xdp-native", true)));
        assertThat(steps).containsExactly(new LinkPlan.SwitchMode(wanted.get(0), "uplink+xdp-native"),
                new LinkPlan.Create(wanted.get(1)), new LinkPlan.Detach("v-web+xdp-native"));
    }

    @Test
    void perInterfaceHooksMixTcAndXdpWithOneProgramEach() {
        Config base = config(Datapath.Hook.TC, GENERIC, "web");
        Config mixed = base.withDatapath(new Datapath(Datapath.Hook.TC, GENERIC, Datapath.Strategy.MAP,
                java.util.Map.of("web", Datapath.Hook.XDP)));
        List<Attachment> wanted = wanted(mixed);
        assertThat(wanted).extracting(Attachment::linkName).containsExactly("uplink+tc", "v-web+xdp-generic");
        List<LinkPlan.Step> steps = LinkPlan.steps(wanted, List.of(live("uplink+tc"), live("v-web+tc")));
        assertThat(steps).containsExactly(new LinkPlan.Update(wanted.get(0)), new LinkPlan.Create(wanted.get(1)),
                new LinkPlan.Detach("v-web+tc"));
        assertThat(LinkPlan.programs(wanted, steps)).containsExactly(Datapath.Hook.TC, Datapath.Hook.XDP);
    }

    @Test
    void aHookLeavingBpfDetachesEverything() {
        Config tables = config(Datapath.Hook.IPTABLES, GENERIC, "web");
        assertThat(wanted(tables)).isEmpty();
        List<LinkPlan.Step> steps = LinkPlan.steps(wanted(tables), List.of(live("uplink+tc"), live("v-web+tc")));
        assertThat(steps).containsExactly(new LinkPlan.Detach("uplink+tc"), new LinkPlan.Detach("v-web+tc"));
        assertThat(LinkPlan.programs(List.of(), steps)).isEmpty();
    }

    @Test
    void noRulesMeansNoProgramsAndTheLinksGo() {
        Config empty = config(Datapath.Hook.TC, GENERIC, "web").withFilters(List.of());
        assertThat(wanted(empty)).isEmpty();
        assertThat(LinkPlan.steps(wanted(empty), List.of(live("uplink+tc"))))
                .containsExactly(new LinkPlan.Detach("uplink+tc"));
    }

    @Test
    void aTunnelDeviceKeepsTcInXdpMode() {
        Config config = config(Datapath.Hook.XDP, NATIVE, "web")
                .withTunnel(new Tunnel("t1", 42, Ipv4.parse("10.0.0.3"), null, null, Tunnel.DEFAULT_PORT, "br1"));
        List<Attachment> wanted = wanted(config);
        assertThat(wanted).extracting(Attachment::linkName)
                .containsExactly("uplink+xdp-native", "v-web+xdp-native", "vx-t1+tc");
        assertThat(LinkPlan.programs(wanted, LinkPlan.steps(wanted, List.of())))
                .containsExactly(Datapath.Hook.XDP, Datapath.Hook.TC);
    }

    @Test
    void linkNamesCarryTheirDevice() {
        assertThat(LinkPlan.linkName("v-web", Datapath.Hook.XDP, NATIVE)).isEqualTo("v-web+xdp-native");
        assertThat(LinkPlan.deviceOf("v-web+xdp-native")).isEqualTo("v-web");
        assertThat(LinkPlan.deviceOf("uplink+tc")).isEqualTo("uplink");
    }
}
