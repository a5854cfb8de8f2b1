package xnet.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Ipv4;
import xnet.model.Tunnel;

class IsolationTest {

    private static final Config THREE_BRIDGES = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
            .withBridge(new Bridge("br2", Cidr.parse("10.0.2.0/24")))
            .withBridge(new Bridge("br3", Cidr.parse("10.0.3.0/24")));

    private static Tunnel tunnel(String bridge) {
        return new Tunnel("t-" + bridge, 42, Ipv4.parse("10.0.0.3"), null, null, Tunnel.DEFAULT_PORT, bridge);
    }

    @Test
    void bridgesWithoutTunnelsRouteFreely() {
        assertThat(Isolation.rules(THREE_BRIDGES)).isEmpty();
    }

    @Test
    void aStretchedBridgeIsCutOffFromEveryOtherBridgeBothWays() {
        assertThat(Isolation.rules(THREE_BRIDGES.withTunnel(tunnel("br1")))).containsExactly(
                List.of("iif", "br1", "to", "10.0.2.0/24", "prohibit"),
                List.of("iif", "br2", "to", "10.0.1.0/24", "prohibit"),
                List.of("iif", "br1", "to", "10.0.3.0/24", "prohibit"),
                List.of("iif", "br3", "to", "10.0.1.0/24", "prohibit"));
    }

    @Test
    void twoStretchedBridgesShareTheirPairOnce() {
        Config two = THREE_BRIDGES.withoutBridge("br3").withTunnel(tunnel("br1"))
                .withTunnel(new Tunnel("t-br2", 43, Ipv4.parse("10.0.0.3"), null, null, Tunnel.DEFAULT_PORT, "br2"));
        assertThat(Isolation.rules(two)).hasSize(2);
    }

    @Test
    void changesAddAndRemoveOnlyTheDifferenceEachWithItsUndo() {
        Isolation isolation = new Isolation(TargetLayout.lab("t"));
        Config before = THREE_BRIDGES.withoutBridge("br3");
        Config after = before.withTunnel(tunnel("br1"));
        List<KernelAction> added = isolation.added(before, after);
        assertThat(added).extracting(KernelAction::commandLine).containsExactly(
                "ip -n xnet.t.host rule add iif br1 to 10.0.2.0/24 prohibit",
                "ip -n xnet.t.host rule add iif br2 to 10.0.1.0/24 prohibit");
        assertThat(added.get(0).undo()).containsExactly(
                List.of("ip", "-n", "xnet.t.host", "rule", "del", "iif", "br1", "to", "10.0.2.0/24", "prohibit"));
        assertThat(isolation.removed(before, after)).isEmpty();
        assertThat(isolation.removed(after, before)).hasSize(2);
    }
}
