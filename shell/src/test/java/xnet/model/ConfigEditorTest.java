package xnet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ConfigEditorTest {

    private final Validator validator = new Validator(List.of(Cidr.parse("10.0.0.0/24")));
    private final ConfigEditor editor = new ConfigEditor(validator);

    private Config twoBridges() {
        Config c = editor.addBridge(Config.EMPTY, "br1", Cidr.parse("10.0.1.0/24"));
        return editor.addBridge(c, "br2", Cidr.parse("10.0.2.0/24"));
    }

    @Test
    void containersGetTheNextFreeAddressAfterTheGateway() {
        Config c = editor.addContainer(twoBridges(), "a", "br1", Optional.empty());
        c = editor.addContainer(c, "b", "br1", Optional.of(Ipv4.parse("10.0.1.3")));
        c = editor.addContainer(c, "d", "br1", Optional.empty());
        assertThat(c.containers().get("a").ip()).hasToString("10.0.1.2");
        assertThat(c.containers().get("d").ip()).hasToString("10.0.1.4");
        assertThat(validator.check(c)).isEmpty();
    }

    @Test
    void dualStackContainersGetAnAddressOfEachFamily() {
        Config c = editor.addBridge(Config.EMPTY, "br1", Cidr.parse("10.0.1.0/24"), Cidr6.parse("fd00:1::/64"));
        c = editor.addContainer(c, "a", "br1", Optional.empty());
        c = editor.addContainer(c, "b", "br1", Optional.empty(), Optional.of(Ipv6.parse("fd00:1::3")), null);
        c = editor.addContainer(c, "d", "br1", Optional.empty());
        assertThat(c.containers().get("a").ip6()).hasToString("fd00:1::2");
        assertThat(c.containers().get("d").ip6()).hasToString("fd00:1::4");
        assertThat(validator.check(c)).isEmpty();
        Config v4only = twoBridges();
        assertThat(editor.addContainer(v4only, "a", "br1", Optional.empty()).containers().get("a").ip6()).isNull();
        assertThatThrownBy(() -> editor.addContainer(v4only, "a", "br1", Optional.empty(),
                Optional.of(Ipv6.parse("fd00:1::2")), null)).hasMessageContaining("has no IPv6 subnet");
        Config dual = c;
        assertThatThrownBy(() -> editor.addContainer(dual, "e", "br1", Optional.empty(),
                Optional.of(Ipv6.parse("fd00:1::3")), null)).hasMessageContaining("already used by container b");
        assertThatThrownBy(() -> editor.addContainer(dual, "e", "br1", Optional.empty(),
                Optional.of(Ipv6.parse("fd00:1::1")), null)).hasMessageContaining("gateway");
        assertThatThrownBy(() -> editor.addContainer(dual, "e", "br1", Optional.empty(),
                Optional.of(Ipv6.parse("fd00:2::5")), null)).hasMessageContaining("outside bridge br1");
    }

    @Test
    void refusesIpv6SubnetsThatOverlapOrAreNotUnicast() {
        Config c = editor.addBridge(Config.EMPTY, "br1", Cidr.parse("10.0.1.0/24"), Cidr6.parse("fd00:1::/64"));
        assertThatThrownBy(() -> editor.addBridge(c, "br2", Cidr.parse("10.0.2.0/24"), Cidr6.parse("fd00:1::/48")))
                .hasMessageContaining("overlaps bridge br1");
        assertThatThrownBy(() -> editor.addBridge(c, "br2", Cidr.parse("10.0.2.0/24"), Cidr6.parse("fd00::a00:0/112")))
                .hasMessageContaining("overlaps the uplink subnet fd00::a00:0/120");
        for (String bad : new String[] {"fe80::/64", "ff02::/64", "::ffff:0:0/96"}) {
            assertThatThrownBy(() -> editor.addBridge(c, "br2", Cidr.parse("10.0.2.0/24"), Cidr6.parse(bad))).as(bad)
                    .hasMessageContaining("unique local");
        }
        assertThatThrownBy(() -> editor.addBridge(c, "br2", Cidr.parse("10.0.2.0/24"), Cidr6.parse("fd00:2::/126")))
                .hasMessageContaining("/124");
        assertThat(ConfigEditor.nextFreeSubnet6(c)).hasToString("fd00:2::/64");
    }

    @Test
    void refusesOverlappingAndReservedSubnets() {
        assertThatThrownBy(() -> editor.addBridge(twoBridges(), "br3", Cidr.parse("10.0.0.0/16")))
                .hasMessageContaining("overlaps");
        assertThatThrownBy(() -> editor.addBridge(Config.EMPTY, "br3", Cidr.parse("10.0.0.0/24")))
                .hasMessageContaining("uplink");
        assertThatThrownBy(() -> editor.addBridge(Config.EMPTY, "br3", Cidr.parse("10.9.0.0/31")))
                .hasMessageContaining("/30");
    }

    @Test
    void refusesBadNamesDuplicatesAndAddressesOutsideTheBridge() {
        Config c = twoBridges();
        assertThatThrownBy(() -> editor.addBridge(c, "br1", Cidr.parse("10.0.9.0/24"))).hasMessageContaining("already exists");
        assertThatThrownBy(() -> editor.addBridge(c, "uplink", Cidr.parse("10.0.9.0/24"))).hasMessageContaining("reserved");
        assertThatThrownBy(() -> editor.addBridge(c, "a-very-long-bridge", Cidr.parse("10.0.9.0/24")))
                .hasMessageContaining("at most 15");
        assertThatThrownBy(() -> editor.addContainer(c, "host", "br1", Optional.empty())).hasMessageContaining("reserved");
        assertThatThrownBy(() -> editor.addContainer(c, "x", "br9", Optional.empty()))
                .hasMessageContaining("no bridge named br9").hasMessageContaining("br1, br2");
        assertThatThrownBy(() -> editor.addContainer(c, "x", "br1", Optional.of(Ipv4.parse("10.0.2.5"))))
                .hasMessageContaining("outside bridge br1");
        assertThatThrownBy(() -> editor.addContainer(c, "x", "br1", Optional.of(Ipv4.parse("10.0.1.1"))))
                .hasMessageContaining("gateway");
        Config one = editor.addContainer(c, "x", "br1", Optional.empty());
        assertThatThrownBy(() -> editor.addContainer(one, "y", "br1", Optional.of(Ipv4.parse("10.0.1.2"))))
                .hasMessageContaining("already used by container x");
    }

    @Test
    void bridgeWithContainersCannotBeDeleted() {
        Config c = editor.addContainer(twoBridges(), "web", "br1", Optional.empty());
        assertThatThrownBy(() -> editor.deleteBridge(c, "br1")).hasMessageContaining("still has containers: web");
        Config later = editor.deleteBridge(editor.deleteContainer(c, "web"), "br1");
        assertThat(later.bridges()).containsOnlyKeys("br2");
    }

    @Test
    void fullBridgeSaysSo() {
        Config c = editor.addBridge(Config.EMPTY, "tiny", Cidr.parse("10.0.9.0/30"));
        Config full = editor.addContainer(c, "a", "tiny", Optional.empty());
        assertThatThrownBy(() -> editor.addContainer(full, "b", "tiny", Optional.empty()))
                .hasMessageContaining("no free address");
    }

    @Test
    void editsNeverChangeTheirInput() {
        Config c = twoBridges();
        editor.addContainer(c, "web", "br1", Optional.empty());
        assertThat(c.containers()).isEmpty();
    }

    @Test
    void tunnelsAreCheckedAsTheyAreAdded() {
        ConfigEditor editor = new ConfigEditor(new Validator(List.of(Cidr.parse("10.0.0.0/24"))));
        Config c = editor.addBridge(editor.addBridge(Config.EMPTY, "br1", Cidr.parse("10.1.1.0/24")), "br2",
                Cidr.parse("10.1.2.0/24"));
        Config one = editor.addTunnel(c, tunnel("t1", 4097, "br1"));

        assertThatThrownBy(() -> editor.addTunnel(one, tunnel("t2", 4098, "br1")))
                .hasMessageContaining("bridge br1 already has tunnel t1");
        assertThatThrownBy(() -> editor.addTunnel(one, tunnel("t2", 4097, "br2")))
                .hasMessageContaining("VNI 4097 is already tunnel t1");
        assertThatThrownBy(() -> editor.addTunnel(one, tunnel("t2", 1 << 24, "br2")))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> editor.addTunnel(one, tunnel("t2", 5, "br9")))
                .hasMessageContaining("no bridge named br9");
        assertThatThrownBy(() -> editor.addTunnel(one, tunnel("averylongname", 5, "br2")))
                .hasMessageContaining("at most 12");
        assertThatThrownBy(() -> editor.deleteBridge(one, "br1"))
                .hasMessageContaining("still has tunnel t1");
        assertThat(editor.deleteTunnel(one, "t1")).isEqualTo(c);
    }

    @Test
    void aTunnelOverAnIpv6UnderlayIsKeptAndTakesMoreRoom() throws Exception {
        Config c = editor.addBridge(Config.EMPTY, "br1", Cidr.parse("10.0.1.0/24"));
        Tunnel v6 = new Tunnel("t6", 7, IpAddress.parse("fd00::a00:3"), null, null, Tunnel.DEFAULT_PORT, "br1");
        Config with = editor.addTunnel(c, v6);
        assertThat(v6.overhead()).isEqualTo(70);
        assertThat(tunnel("t1", 5, "br1").overhead()).isEqualTo(50);
        assertThat(xnet.plan.TopologyPlanner.mtu(with, "br1")).isEqualTo(1430);
        assertThat(v6.text()).isEqualTo("t6 --vni 7 --remote fd00::a00:3 --bridge br1");
        // the state files keep it as text and read it back as the same family
        String json = xnet.state.Json.line(with);
        assertThat(xnet.state.Json.MAPPER.readValue(json, Config.class)).isEqualTo(with);
        assertThatThrownBy(() -> editor.addTunnel(c, new Tunnel("t6", 7, IpAddress.parse("fd00::a00:3"),
                Ipv4.parse("10.0.0.1"), null, Tunnel.DEFAULT_PORT, "br1"))).hasMessageContaining("different families");
    }

    private static Tunnel tunnel(String name, int vni, String bridge) {
        return new Tunnel(name, vni, Ipv4.parse("10.0.0.3"), null, null, Tunnel.DEFAULT_PORT, bridge);
    }
}
