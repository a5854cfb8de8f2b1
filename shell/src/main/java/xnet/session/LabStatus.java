package xnet.session;

import java.util.List;

/**
 * What of a target exists in the kernel: its namespaces (present or missing) with their links,
 * namespaces of the target that the running config does not know, and the links, bridge ports,
 * addresses and routes of the running config that the kernel lacks ({@code differences}).
 */
public record LabStatus(String target, List<NamespaceState> namespaces, List<String> missing, List<String> unknown,
                        List<String> differences) {

    public record NamespaceState(String namespace, String role, boolean present, List<String> links) {
    }
}
