package xnet.plan;

import java.util.ArrayList;
import java.util.List;

import xnet.model.Cidr;
import xnet.model.Ipv4;

/**
 * Where a target's objects live in the kernel: namespace and device names, and the uplink
 * addresses. A lab keeps everything in namespaces named "xnet.LAB.*"; lab and object names may
 * not contain '.', so two labs can never share a name. Labs on an underlay share its namespace,
 * "xnet-u.NAME", as their outside: one L2 segment (the bridge u0), on which each lab's uplink
 * has a port named "u-LAB".
 */
public record TargetLayout(String name, boolean lab, Cidr uplinkSubnet, Ipv4 uplinkAddress, Ipv4 outsideAddress,
                           String underlay) {

    public static final String UPLINK_DEVICE = "uplink";
    public static final String CONTAINER_DEVICE = xnet.model.Container.DEVICE;
    public static final String UNDERLAY_BRIDGE = "u0";
    /** The port of a lab on an underlay is "u-" + the lab's name, an interface name of at most 15. */
    public static final int MAX_LAB_ON_UNDERLAY = 13;

    public static TargetLayout lab(String name) {
        return lab(name, LabNetwork.DEFAULT);
    }

    public static TargetLayout lab(String name, LabNetwork network) {
        if (network.underlay() != null && name.length() > MAX_LAB_ON_UNDERLAY) {
            throw new IllegalArgumentException("a lab on an underlay has a name of at most " + MAX_LAB_ON_UNDERLAY
                    + " characters ('" + name + "' is " + name.length() + ")");
        }
        return new TargetLayout(name, true, network.subnet(), network.uplinkAddress(), network.outsideAddress(),
                network.underlay());
    }

    /** The machine's own network namespace; no uplink or outside is created there. */
    public static TargetLayout realHost() {
        return new TargetLayout("host", false, null, null, null, null);
    }

    /** The namespace of the lab's underlay, or null when its outside is its own. */
    public String underlayNamespace() {
        return underlay == null ? null : "xnet-u." + underlay;
    }

    /** The uplink's other end: eth0 in the lab's own outside, or its port on the underlay's bridge. */
    public String uplinkPeer() {
        return underlay == null ? CONTAINER_DEVICE : "u-" + name;
    }

    public String namespacePrefix() {
        return "xnet." + name + ".";
    }

    /** The namespace playing the host, or null for the machine's own namespace. */
    public String hostNamespace() {
        return lab ? namespacePrefix() + "host" : null;
    }

    /** The lab's outside: a namespace of its own, or the underlay it shares. */
    public String outsideNamespace() {
        return !lab ? null : underlay != null ? underlayNamespace() : namespacePrefix() + "outside";
    }

    public String containerNamespace(String container) {
        return namespacePrefix() + "c." + container;
    }

    public static String hostVeth(String container) {
        return "v-" + container;
    }

    /** The namespace an `exec` target names: a container, "host" or "outside". */
    public String namespaceOf(String endpoint) {
        return switch (endpoint) {
            case "host" -> hostNamespace();
            case "outside" -> outsideNamespace();
            default -> containerNamespace(endpoint);
        };
    }

    /** The checks of this target's configs: its reserved subnets and its outside address. */
    public xnet.model.Validator validator() {
        return new xnet.model.Validator(reservedSubnets(), outsideAddress());
    }

    /** The uplink's IPv6 address (null on the host): the IPv4 one's twin, see Cidr6.uplinkTwin. */
    public xnet.model.Ipv6 uplinkAddress6() {
        return uplinkAddress == null ? null : xnet.model.Cidr6.uplinkTwin(uplinkAddress);
    }

    public xnet.model.Ipv6 outsideAddress6() {
        return outsideAddress == null ? null : xnet.model.Cidr6.uplinkTwin(outsideAddress);
    }

    /** The IPv6 twin of the uplink subnet's prefix length (96 + the IPv4 one). */
    public int uplinkPrefix6() {
        return 96 + uplinkSubnet.prefix();
    }

    public List<Cidr> reservedSubnets() {
        return uplinkSubnet == null ? List.of() : List.of(uplinkSubnet);
    }

    /** An `ip` command run in the given namespace (null: the machine's own). */
    public static List<String> ip(String namespace, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        if (namespace != null) {
            argv.add("-n");
            argv.add(namespace);
        }
        argv.addAll(List.of(args));
        return argv;
    }
}
