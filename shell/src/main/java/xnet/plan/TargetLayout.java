package xnet.plan;

import java.util.ArrayList;
import java.util.List;

import xnet.model.Cidr;
import xnet.model.Ipv4;

/**
 * Where a target's objects live in the kernel: namespace and device names, and the uplink
 * addresses. A lab keeps everything in namespaces named "xnet.LAB.*"; lab and object names may
 * not contain '.', so two labs can never share a name.
 */
public record TargetLayout(String name, boolean lab, Cidr uplinkSubnet, Ipv4 uplinkAddress, Ipv4 outsideAddress) {

    public static final String UPLINK_DEVICE = "uplink";
    public static final String CONTAINER_DEVICE = "eth0";

    public static TargetLayout lab(String name) {
        return new TargetLayout(name, true, Cidr.parse("10.0.0.0/24"), Ipv4.parse("10.0.0.1"), Ipv4.parse("10.0.0.2"));
    }

    /** The machine's own network namespace; no uplink or outside is created there. */
    public static TargetLayout realHost() {
        return new TargetLayout("host", false, null, null, null);
    }

    public String namespacePrefix() {
        return "xnet." + name + ".";
    }

    /** The namespace playing the host, or null for the machine's own namespace. */
    public String hostNamespace() {
        return lab ? namespacePrefix() + "host" : null;
    }

    public String outsideNamespace() {
        return lab ? namespacePrefix() + "outside" : null;
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
