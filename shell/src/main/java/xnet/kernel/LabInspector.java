package xnet.kernel;

import java.util.ArrayList;
import java.util.List;

import xnet.model.Config;
import xnet.plan.TargetLayout;
import xnet.session.LabStatus;

/** Reads what of a target exists in the kernel, to show it and to spot drift from the running config. */
public final class LabInspector {

    private final TargetLayout layout;

    public LabInspector(TargetLayout layout) {
        this.layout = layout;
    }

    public LabStatus status(Config running) {
        List<String> present = Netns.withPrefix(layout.namespacePrefix());
        List<LabStatus.NamespaceState> namespaces = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        if (layout.lab()) {
            expected.add(layout.hostNamespace());
            expected.add(layout.outsideNamespace());
        }
        running.containers().keySet().forEach(c -> expected.add(layout.containerNamespace(c)));
        for (String ns : expected) {
            boolean here = present.contains(ns) || Netns.exists(ns); // an underlay has no lab prefix
            namespaces.add(new LabStatus.NamespaceState(ns, role(ns), here, here ? links(ns) : List.of()));
        }
        List<String> missing = expected.stream().filter(ns -> !present.contains(ns)).toList();
        List<String> unknown = present.stream().filter(ns -> !expected.contains(ns)).toList();
        return new LabStatus(layout.name(), namespaces, missing, unknown);
    }

    private String role(String ns) {
        if (ns.equals(layout.hostNamespace())) {
            return "host";
        }
        if (ns.equals(layout.outsideNamespace())) {
            return layout.underlay() == null ? "outside" : "outside (underlay " + layout.underlay() + ", shared)";
        }
        return "container " + ns.substring(layout.containerNamespace("").length());
    }

    /** `ip -br addr` lines: name, state, addresses. */
    private static List<String> links(String ns) {
        return ProcessRunner.run(List.of("ip", "-n", ns, "-br", "addr")).lines()
                .map(line -> line.replaceAll("\\s+", " ").trim())
                .filter(line -> !line.startsWith("lo "))
                .toList();
    }
}
