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

    /**
     * Returns the namespaces removed. {@code foreign}: namespaces of the lab that xnet only named
     * (attached containers); their processes are left alone and only their name goes.
     */
    public static List<String> destroy(TargetLayout layout, java.util.Set<String> foreign) {
        if (!layout.lab()) {
            throw new IllegalStateException("only a lab can be destroyed; --host targets the machine itself");
        }
        List<String> removed = new ArrayList<>();
        List<String> namespaces = Netns.withPrefix(layout.namespacePrefix());
        namespaces.stream().filter(ns -> !foreign.contains(ns)).forEach(LabDestroyer::stopProcesses);
        // Containers first, so that their veth peers go with their own namespace, then host and outside.
        List<String> ordered = new ArrayList<>(namespaces);
        ordered.sort((a, b) -> Boolean.compare(isBase(layout, a), isBase(layout, b)));
        for (String ns : ordered) {
            ProcessRunner.run(List.of("ip", "netns", "del", ns));
            removed.add(ns);
        }
        String underlay = layout.underlayNamespace();
        if (underlay != null && Netns.exists(underlay) && underlayPorts(layout).isBlank()) {
            // the last lab on the underlay is gone
            stopProcesses(underlay);
            ProcessRunner.run(List.of("ip", "netns", "del", underlay));
            removed.add(underlay);
        }
        return removed;
    }

    /**
     * The ports left on the underlay's segment, once this lab's own has gone: the kernel takes
     * a deleted namespace (and the veth peer in it) down in the background, so it waits for
     * that, up to 5 s.
     */
    private static String underlayPorts(TargetLayout layout) {
        List<String> show = TargetLayout.ip(layout.underlayNamespace(), "-o", "link", "show", "master",
                TargetLayout.UNDERLAY_BRIDGE);
        String ports = ProcessRunner.run(show);
        for (int i = 0; i < 100 && ports.contains(layout.uplinkPeer() + "@"); i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            ports = ProcessRunner.run(show);
        }
        return ports;
    }

    private static void stopProcesses(String ns) {
        for (long pid : Netns.pids(ns)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean isBase(TargetLayout layout, String ns) {
        return ns.equals(layout.hostNamespace()) || ns.equals(layout.outsideNamespace());
    }
}
