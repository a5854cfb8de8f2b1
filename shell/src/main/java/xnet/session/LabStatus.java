package xnet.session;

import java.util.List;

/**
 * What of a target exists in the kernel: its namespaces (present or missing) with their links,
 * namespaces of the target that the running config does not know, and the BPF links pinned for it.
 */
public record LabStatus(String target, List<NamespaceState> namespaces, List<String> missing, List<String> unknown) {

    public record NamespaceState(String namespace, String role, boolean present, List<String> links) {
    }
}
