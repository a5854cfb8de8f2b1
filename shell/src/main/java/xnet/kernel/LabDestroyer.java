package xnet.kernel;

import java.util.ArrayList;
import java.util.List;

import xnet.plan.TargetLayout;

/**
 * Removes every namespace of a lab. Processes still inside a lab namespace (started there with
 * `exec`) are stopped first by pid, since they would keep the namespace and its links alive.
 */
public final class LabDestroyer {

    private LabDestroyer() {
    }

    /** Returns the namespaces removed. */
    public static List<String> destroy(TargetLayout layout) {
        if (!layout.lab()) {
            throw new IllegalStateException("only a lab can be destroyed; --host targets the machine itself");
        }
        List<String> removed = new ArrayList<>();
        List<String> namespaces = Netns.withPrefix(layout.namespacePrefix());
        for (String ns : namespaces) {
            for (long pid : Netns.pids(ns)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        // Containers first, so that their veth peers go with their own namespace, then host and outside.
        List<String> ordered = new ArrayList<>(namespaces);
        ordered.sort((a, b) -> Boolean.compare(isBase(layout, a), isBase(layout, b)));
        for (String ns : ordered) {
            ProcessRunner.run(List.of("ip", "netns", "del", ns));
            removed.add(ns);
        }
        return removed;
    }

    private static boolean isBase(TargetLayout layout, String ns) {
        return ns.equals(layout.hostNamespace()) || ns.equals(layout.outsideNamespace());
    }
}
