package xnet.session;

import java.util.List;

/**
 * What of a target exists in the kernel: its namespaces (present or missing) with their links,
 * namespaces of the target that the running config does not know, and the links, bridge ports,
 * addresses and routes of the running config that the kernel lacks ({@code differences}).
 */
public record LabStatus(String target, List<NamespaceState> namespaces, List<String> missing, List<String> unknown,
                        List<String> differences) {

    public record NamespaceState(String namespace, String role, boolean present, List<Link> links) {
    }

    /** A link as `ip -j addr` shows it: name, operational state, its bridge (null when none), addresses with prefix. */
    public record Link(String ifname, String operstate, String master, List<String> addresses) {

        /** One line, like `ip -br addr`: "v-web UP master br1 10.0.1.2/24". */
        public String line() {
            return ifname + " " + operstate + (master == null ? "" : " master " + master)
                    + (addresses.isEmpty() ? "" : " " + String.join(" ", addresses));
        }
    }
}
