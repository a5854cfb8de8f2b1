package xnet.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import xnet.model.Config;
import xnet.plan.KernelFacts;
import xnet.plan.TargetLayout;
import xnet.session.LabStatus;

/** Reads what of a target exists in the kernel, to show it and to spot drift from the running config. */
public final class LabInspector {

    private final TargetLayout layout;

    public LabInspector(TargetLayout layout) {
        this.layout = layout;
    }

    public LabStatus status(Config running, boolean committed) {
        List<String> present = Netns.withPrefix(layout.namespacePrefix());
        List<LabStatus.NamespaceState> namespaces = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        if (layout.lab() && committed) {
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
        List<String> differences = new ArrayList<>();
        if (committed) {
            Map<String, Namespace> seen = new HashMap<>();
            for (KernelFacts.Fact fact : KernelFacts.of(layout, running)) {
                if (!missing.contains(fact.namespace()) && !seen.computeIfAbsent(fact.namespace(), Namespace::read).holds(fact)) {
                    differences.add("missing: " + fact.describe());
                }
            }
        }
        return new LabStatus(layout.name(), namespaces, missing, unknown, differences);
    }

    /** One namespace's links (with their bridge), addresses and default routes, from `ip -j`. */
    private record Namespace(Map<String, String> masters, Set<String> addresses, Set<String> defaultRoutes) {

        static Namespace read(String ns) {
            Map<String, String> masters = new HashMap<>();
            Set<String> addresses = new HashSet<>();
            Set<String> routes = new HashSet<>();
            try {
                for (JsonNode link : JSON.readTree(ProcessRunner.run(List.of("ip", "-j", "-n", ns, "addr", "show")))) {
                    String name = link.path("ifname").asText();
                    masters.put(name, link.path("master").asText(""));
                    for (JsonNode a : link.path("addr_info")) {
                        addresses.add(name + " " + a.path("local").asText() + "/" + a.path("prefixlen").asInt());
                    }
                }
                for (JsonNode r : JSON.readTree(ProcessRunner.run(List.of("ip", "-j", "-n", ns, "route", "show", "default")))) {
                    routes.add(r.path("dev").asText() + " " + r.path("gateway").asText());
                }
            } catch (java.io.IOException | RuntimeException unreadable) {
                // a namespace that vanished meanwhile holds nothing
            }
            return new Namespace(masters, addresses, routes);
        }

        boolean holds(KernelFacts.Fact fact) {
            return switch (fact.kind()) {
                case LINK -> masters.containsKey(fact.device())
                        && (fact.value() == null || fact.value().equals(masters.get(fact.device())));
                case ADDRESS -> addresses.contains(fact.device() + " " + fact.value());
                case ROUTE -> defaultRoutes.contains(fact.device() + " " + fact.value());
            };
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

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
