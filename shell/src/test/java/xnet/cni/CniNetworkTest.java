package xnet.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.ConfigEditor;
import xnet.model.ConfigException;
import xnet.model.Container;
import xnet.model.Ipv4;
import xnet.model.RuleEditor;
import xnet.plan.TargetLayout;

/** ADD, DEL and GC as config edits: names, addresses, port mappings as NAT, and what goes with a container. */
class CniNetworkTest {

    private final TargetLayout layout = TargetLayout.lab("t");
    private final CniNetwork network = new CniNetwork(new ConfigEditor(layout.validator()),
            new RuleEditor(layout.validator()), layout.uplinkAddress(), layout.uplinkAddress6());
    private final Config base = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
            .withContainer(new Container("web", "br1", Ipv4.parse("10.0.1.2")));

    private static CniRequest add(String id, String ifname, String mappings) {
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"bridge\":\"br1\",\"runtimeConfig\":{\"portMappings\":["
                + mappings + "]}}";
        return CniRequest.parse(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", id, "CNI_NETNS", "/run/netns/x",
                "CNI_IFNAME", ifname), conf.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void addJoinsTheNextFreeAddressAndMapsPortsOnTheUplink() {
        Config next = network.add(base, add("default-Web_1", "eth0", "{\"hostPort\":8080,\"containerPort\":80}"),
                "/proc/9/root/run/netns/x", Optional.empty(), Optional.empty());
        Container added = CniNetwork.find(next, new Attachment("default-Web_1", "eth0")).orElseThrow();
        assertThat(added.name()).isEqualTo("cni-web1");
        assertThat(added.ip()).isEqualTo(Ipv4.parse("10.0.1.3"));
        assertThat(added.foreign().netns()).isEqualTo("/proc/9/root/run/netns/x");
        assertThat(next.nats()).singleElement().satisfies(n -> assertThat(n.text())
                .isEqualTo(layout.uplinkAddress() + ":8080 -> 10.0.1.3:80 proto tcp"));
        assertThatThrownBy(() -> network.add(next, add("default-Web_1", "eth0", ""), "/x", Optional.empty(), Optional.empty()))
                .isInstanceOf(CniError.class).hasMessageContaining("already has eth0");
    }

    @Test
    void longOrSecondInterfacesGetHashedNamesThatNeverClash() {
        String k8s = "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b";
        Config one = network.add(base, add(k8s, "eth0", ""), "/x", Optional.empty(), Optional.empty());
        Config two = network.add(one, add(k8s, "net1", ""), "/x", Optional.empty(), Optional.empty());
        List<String> names = two.containers().keySet().stream().filter(n -> n.startsWith("cni-")).toList();
        assertThat(names).hasSize(2).allMatch(n -> n.length() <= 13);
    }

    @Test
    void anAddressFromIpamMustBeOnTheBridge() {
        assertThatThrownBy(() -> network.add(base, add("a", "eth0", ""), "/x", Optional.of(Ipv4.parse("10.0.9.5")), Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("outside bridge br1");
    }

    /**
     * A dual-stack bridge: IPAM's IPv6 address is kept, hostIP "::" maps on the uplink's IPv6
     * twin and an IPv6 hostIP on itself, both to the container's IPv6 address; DEL takes both NAT
     * rules. On an IPv4-only bridge an IPv6 mapping is refused with the reason.
     */
    @Test
    void ipv6FromIpamAndIpv6HostIpsMapToTheContainersIpv6Address() {
        Config dual = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24"),
                xnet.model.Cidr6.parse("fd00:1::/64")));
        Config next = network.add(dual, add("default-v6", "eth0", "{\"hostPort\":8080,\"containerPort\":80,\"hostIP\":\"::\"},"
                + "{\"hostPort\":8443,\"containerPort\":443,\"hostIP\":\"" + layout.uplinkAddress6() + "\"},"
                + "{\"hostPort\":8080,\"containerPort\":80}"), "/x", Optional.of(Ipv4.parse("10.0.1.7")),
                Optional.of(xnet.model.Ipv6.parse("fd00:1::7")));
        Container added = CniNetwork.find(next, new Attachment("default-v6", "eth0")).orElseThrow();
        assertThat(added.ip6()).isEqualTo(xnet.model.Ipv6.parse("fd00:1::7"));
        assertThat(next.nats()).extracting(n -> n.text()).containsExactly(
                "[" + layout.uplinkAddress6() + "]:8080 -> [fd00:1::7]:80 proto tcp",
                "[" + layout.uplinkAddress6() + "]:8443 -> [fd00:1::7]:443 proto tcp",
                layout.uplinkAddress() + ":8080 -> 10.0.1.7:80 proto tcp");
        assertThat(CniNetwork.delete(next, new Attachment("default-v6", "eth0")).nats()).isEmpty();
        assertThatThrownBy(() -> network.add(base, add("v4only", "eth0", "{\"hostPort\":8080,\"containerPort\":80,"
                + "\"hostIP\":\"::\"}"), "/x", Optional.empty(), Optional.empty()))
                .isInstanceOf(CniError.class).hasMessageContaining("has no IPv6 address");
    }

    @Test
    void delAndGcRemoveTheContainerWithItsNatAndLeaveTheRest() {
        Config two = network.add(network.add(base, add("a", "eth0", "{\"hostPort\":8080,\"containerPort\":80}"), "/x",
                Optional.empty(), Optional.empty()), add("b", "eth0", "{\"hostPort\":8081,\"containerPort\":80}"), "/x", Optional.empty(), Optional.empty());
        Config withoutA = CniNetwork.delete(two, new Attachment("a", "eth0"));
        assertThat(withoutA.containers()).containsOnlyKeys("web", "cni-b");
        assertThat(withoutA.nats()).extracting(n -> n.publicPort()).containsExactly(8081);
        assertThat(CniNetwork.delete(withoutA, new Attachment("a", "eth0"))).as("DEL again").isSameAs(withoutA);
        Config collected = CniNetwork.collect(two, "br1", List.of(new Attachment("b", "eth0")));
        assertThat(collected.containers()).as("xnet's own container stays").containsOnlyKeys("web", "cni-b");
    }
}
