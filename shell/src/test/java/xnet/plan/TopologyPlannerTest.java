package xnet.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Cidr6;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Ipv4;
import xnet.model.Ipv6;

class TopologyPlannerTest {

    private final TargetLayout layout = TargetLayout.lab("t");
    private final TopologyPlanner planner = new TopologyPlanner(layout);

    static Config singleHost() {
        return Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
                .withBridge(new Bridge("br2", Cidr.parse("10.0.2.0/24")))
                .withContainer(new Container("client", "br1", Ipv4.parse("10.0.1.2")))
                .withContainer(new Container("server", "br2", Ipv4.parse("10.0.2.2")));
    }

    private static List<String> lines(List<KernelAction> actions) {
        return actions.stream().map(KernelAction::commandLine).toList();
    }

    @Test
    void firstCommitBuildsTheLabBaseThenBridgesThenContainers() {
        List<String> lines = lines(planner.plan(Config.EMPTY, singleHost(), false));
        assertThat(lines.get(0)).isEqualTo("ip netns add xnet.t.host");
        assertThat(lines).contains("ip -n xnet.t.host addr add 10.0.0.1/24 dev uplink",
                "ip -n xnet.t.outside route add 10.0.1.0/24 via 10.0.0.1",
                "ip -n xnet.t.host link add v-client type veth peer name eth0 netns xnet.t.c.client",
                "ip -n xnet.t.c.server route add default via 10.0.2.1");
        assertThat(lines.indexOf("ip -n xnet.t.host link add br1 type bridge"))
                .isLessThan(lines.indexOf("ip -n xnet.t.host link set v-client master br1 up"));
    }

    /** A whole public address answers the outside on the uplink: IPv4's as a /32, IPv6's as a /128 without DAD. */
    @Test
    void publicAddressesOfBothFamiliesGoOnTheUplink() {
        Config dual = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24"), Cidr6.parse("fd00:1::/64")))
                .withNat(new xnet.model.NatRule(1, Ipv6.parse("fd00::a00:9"), 0, Ipv6.parse("fd00:1::2"), 0, xnet.model.Proto.ANY))
                .withNat(new xnet.model.NatRule(2, Ipv6.parse("fd00::a00:1"), 80, Ipv6.parse("fd00:1::2"), 8080,
                        xnet.model.Proto.TCP))
                .withNat(new xnet.model.NatRule(3, Ipv4.parse("10.0.0.9"), 0, Ipv4.parse("10.0.1.2"), 0, xnet.model.Proto.ANY));
        List<KernelAction> actions = planner.publicAddresses(Config.EMPTY, dual);
        assertThat(lines(actions)).containsExactly("ip -n xnet.t.host addr add 10.0.0.9/32 dev uplink",
                "ip -n xnet.t.host -6 addr add fd00::a00:9/128 dev uplink nodad");
        assertThat(actions.get(1).undo().get(0)).containsExactly("ip", "-n", "xnet.t.host", "-6", "addr", "del",
                "fd00::a00:9/128", "dev", "uplink");
    }

    @Test
    void dualStackBridgesAndContainersGetIpv6AddressesAndRoutes() {
        Config dual = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24"), Cidr6.parse("fd00:1::/64")))
                .withContainer(new Container("web", "br1", Ipv4.parse("10.0.1.2"), null, Ipv6.parse("fd00:1::2")));
        List<String> lines = lines(planner.plan(Config.EMPTY, dual, false));
        assertThat(lines).contains("ip -n xnet.t.host -6 addr add fd00::a00:1/120 dev uplink nodad",
                "ip -n xnet.t.outside -6 addr add fd00::a00:2/120 dev eth0 nodad",
                "ip netns exec xnet.t.host sysctl -qw net.ipv6.conf.all.forwarding=1",
                "ip -n xnet.t.host -6 addr add fd00:1::1/64 dev br1 nodad",
                "ip -n xnet.t.outside -6 route add fd00:1::/64 via fd00::a00:1",
                "ip -n xnet.t.c.web -6 addr add fd00:1::2/64 dev eth0 nodad",
                "ip -n xnet.t.c.web -6 route add default via fd00:1::1");
        assertThat(lines.indexOf("ip -n xnet.t.c.web link set eth0 up"))
                .isLessThan(lines.indexOf("ip -n xnet.t.c.web -6 route add default via fd00:1::1"));
        List<String> gone = lines(planner.plan(dual, Config.EMPTY, true));
        assertThat(gone).contains("ip -n xnet.t.outside -6 route del fd00:1::/64 via fd00::a00:1");
        assertThat(lines(planner.plan(Config.EMPTY, singleHost(), true))).noneMatch(l -> l.contains(" -6 "));
    }

    @Test
    void baseIsNotBuiltTwiceAndNoChangeMeansNoAction() {
        assertThat(lines(planner.plan(Config.EMPTY, singleHost(), true))).noneMatch(l -> l.contains("xnet.t.host link add uplink"));
        assertThat(planner.plan(singleHost(), singleHost(), true)).isEmpty();
    }

    @Test
    void removalsComeBeforeAdditionsSoAnAddressCanMove() {
        Config moved = singleHost().withoutContainer("client")
                .withContainer(new Container("client2", "br1", Ipv4.parse("10.0.1.2")));
        List<String> lines = lines(planner.plan(singleHost(), moved, true));
        assertThat(lines.indexOf("ip netns del xnet.t.c.client")).isLessThan(lines.indexOf("ip netns add xnet.t.c.client2"));
    }

    @Test
    void changedBridgeRebuildsItsContainers() {
        Config renumbered = singleHost().withBridge(new Bridge("br2", Cidr.parse("10.0.20.0/24")))
                .withContainer(new Container("server", "br2", Ipv4.parse("10.0.20.2")));
        List<String> lines = lines(planner.plan(singleHost(), renumbered, true));
        assertThat(lines).containsSubsequence(
                "ip -n xnet.t.host link del v-server",
                "ip netns del xnet.t.c.server",
                "ip -n xnet.t.outside route del 10.0.2.0/24 via 10.0.0.1",
                "ip -n xnet.t.host link del br2",
                "ip -n xnet.t.host link add br2 type bridge",
                "ip -n xnet.t.c.server addr add 10.0.20.2/24 dev eth0");
        assertThat(lines).noneMatch(l -> l.contains("client"));
    }

    @Test
    void undoOfADeletionRecreatesWhatWasDeleted() {
        List<KernelAction> delete = planner.plan(singleHost(), singleHost().withoutContainer("server"), true);
        List<String> creation = lines(planner.plan(singleHost().withoutContainer("server"), singleHost(), true));
        List<String> undoInReverse = new java.util.ArrayList<>();
        for (int i = delete.size() - 1; i >= 0; i--) {
            delete.get(i).undo().forEach(cmd -> undoInReverse.add(String.join(" ", cmd)));
        }
        assertThat(undoInReverse).isEqualTo(creation);
    }

    @Test
    void everyCreatingActionIsUndone() {
        for (KernelAction action : planner.plan(Config.EMPTY, singleHost(), false)) {
            boolean creates = action.commandLine().matches("ip (-n \\S+ )?(netns add|link add|route add \\d).*");
            if (creates) {
                assertThat(action.undo()).as(action.what()).isNotEmpty();
            }
        }
    }

    private static Config stretched() {
        return Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.1.1.0/24")))
                .withBridge(new Bridge("br2", Cidr.parse("10.1.2.0/24")))
                .withTunnel(new xnet.model.Tunnel("t1", 4097, Ipv4.parse("10.0.0.3"), null, null, 4789, "br1"))
                .withContainer(new Container("c1", "br1", Ipv4.parse("10.1.1.2")))
                .withContainer(new Container("c3", "br2", Ipv4.parse("10.1.2.2")));
    }

    @Test
    void aLabOnAnUnderlayJoinsItsSegmentAndTheFirstOneMakesIt() {
        TargetLayout onUnderlay = TargetLayout.lab("ha", LabNetwork.of("10.0.0.1/24", "u1"));
        TopologyPlanner planner = new TopologyPlanner(onUnderlay);

        List<String> first = lines(planner.plan(Config.EMPTY, stretched(), false, false));
        assertThat(first).startsWith("ip netns add xnet-u.u1").contains(
                "ip -n xnet-u.u1 link add u0 type bridge",
                "ip -n xnet-u.u1 addr add 10.0.0.2/24 dev u0",
                "ip -n xnet.ha.host link add uplink type veth peer name u-ha netns xnet-u.u1",
                "ip -n xnet-u.u1 link set u-ha master u0 up");
        assertThat(first).noneMatch(l -> l.contains("xnet.ha.outside"))
                .noneMatch(l -> l.contains("route add 10.1.1.0/24")); // labs on an underlay share subnets
        assertThat(lines(planner.plan(Config.EMPTY, stretched(), false, true))).noneMatch(l -> l.contains("u0 type bridge"));
    }

    @Test
    void aTunnelIsAVxlanDeviceOnItsBridgeWhoseContainersLeaveRoomForVxlan() {
        List<String> lines = lines(planner.plan(Config.EMPTY, stretched(), true));
        assertThat(lines).contains(
                "ip -n xnet.t.host link add vx-t1 type vxlan id 4097 dstport 4789 remote 10.0.0.3 local 10.0.0.1 dev uplink",
                "ip -n xnet.t.host link set vx-t1 master br1 up",
                "ip -n xnet.t.host link add v-c1 mtu 1450 type veth peer name eth0 mtu 1450 netns xnet.t.c.c1",
                "ip -n xnet.t.host link add v-c3 type veth peer name eth0 netns xnet.t.c.c3");
        assertThat(lines.indexOf("ip -n xnet.t.host link add br1 type bridge"))
                .isLessThan(lines.indexOf("ip -n xnet.t.host link set vx-t1 master br1 up"));
    }

    @Test
    void aTunnelOverAnIpv6UnderlaySendsFromTheUplinksIpv6AddressAndLeavesMoreRoom() {
        Config v6 = stretched().withoutTunnel("t1").withTunnel(new xnet.model.Tunnel("t1", 4097,
                xnet.model.IpAddress.parse("fd00::a00:3"), null, null, xnet.model.Tunnel.DEFAULT_PORT, "br1"));
        List<String> lines = lines(planner.plan(Config.EMPTY, v6, true));
        assertThat(lines).contains(
                "ip -n xnet.t.host link add vx-t1 type vxlan id 4097 dstport 4789 remote fd00::a00:3 local fd00::a00:1"
                        + " dev uplink",
                "ip -n xnet.t.host link add v-c1 mtu 1430 type veth peer name eth0 mtu 1430 netns xnet.t.c.c1");
    }

    @Test
    void theHostDoesNotRouteBetweenATunnelsBridgeAndAnyOther() {
        List<String> lines = lines(planner.plan(Config.EMPTY, stretched(), true));
        assertThat(lines).contains("ip -n xnet.t.host rule add iif br1 to 10.1.2.0/24 prohibit",
                "ip -n xnet.t.host rule add iif br2 to 10.1.1.0/24 prohibit");

        List<String> removal = lines(planner.plan(stretched(), stretched().withoutTunnel("t1"), true));
        assertThat(removal).contains("ip -n xnet.t.host link del vx-t1",
                "ip -n xnet.t.host rule del iif br1 to 10.1.2.0/24 prohibit",
                // back to the full MTU: the bridge's containers are made anew
                "ip -n xnet.t.host link add v-c1 type veth peer name eth0 netns xnet.t.c.c1")
                .noneMatch(l -> l.contains("v-c3"));
    }

    @Test
    void anAttachedNamespaceIsOnlyNamedAndGetsTheVethUnderItsOwnDeviceName() {
        Config byPath = singleHost().withContainer(new Container("db", "br1", Ipv4.parse("10.0.1.3"),
                new Container.Foreign("/run/netns/db", null, "net0")));
        List<KernelAction> added = planner.plan(singleHost(), byPath, true);
        assertThat(lines(added)).containsExactly(
                "touch /run/netns/xnet.t.c.db",
                "mount --bind /run/netns/db /run/netns/xnet.t.c.db",
                "ip -n xnet.t.host link add v-db type veth peer name net0 netns xnet.t.c.db",
                "ip -n xnet.t.host link set v-db master br1 up",
                "ip -n xnet.t.c.db addr add 10.0.1.3/24 dev net0",
                "ip -n xnet.t.c.db link set net0 up",
                "ip -n xnet.t.c.db route add default via 10.0.1.1");
        assertThat(added.get(1).undo()).containsExactly(List.of("umount", "/run/netns/xnet.t.c.db"));
        List<String> removed = lines(planner.plan(byPath, singleHost(), true));
        assertThat(removed).containsExactly("ip -n xnet.t.host link del v-db", "ip netns del xnet.t.c.db");

        Config byPid = singleHost().withContainer(new Container("db", "br1", Ipv4.parse("10.0.1.3"),
                new Container.Foreign(null, 4242L, null)));
        assertThat(lines(planner.plan(singleHost(), byPid, true))).startsWith(
                "ip netns attach xnet.t.c.db 4242",
                "ip -n xnet.t.host link add v-db type veth peer name eth0 netns xnet.t.c.db");
    }
}
