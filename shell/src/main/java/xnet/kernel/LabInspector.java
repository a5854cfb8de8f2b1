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
        Map<String, Namespace> seen = new HashMap<>();
        for (String ns : expected) {
            boolean here = present.contains(ns) || Netns.exists(ns); // an underlay has no lab prefix
            namespaces.add(new LabStatus.NamespaceState(ns, role(ns), here,
                    here ? seen.computeIfAbsent(ns, Namespace::read).links() : List.of()));
        }
        List<String> missing = expected.stream().filter(ns -> !present.contains(ns)).toList();
        List<String> unknown = present.stream().filter(ns -> !expected.contains(ns)).toList();
        List<String> differences = new ArrayList<>();
        if (committed) {
            List<KernelFacts.Fact> facts = KernelFacts.of(layout, running);
            for (KernelFacts.Fact fact : facts) {
                if (!missing.contains(fact.namespace()) && !seen.computeIfAbsent(fact.namespace(), Namespace::read).holds(fact)) {
                    differences.add("missing: " + fact.describe());
                }
            }
            // a policy rule added by hand changes routing as much as a missing one: name each
            seen.forEach((ns, state) -> state.policies().stream()
                    .filter(p -> facts.stream().noneMatch(f -> f.kind() == KernelFacts.Kind.POLICY
                            && f.namespace().equals(ns) && f.policy().equals(p)))
                    .forEach(p -> differences.add("unexpected: policy rule " + p + " in " + ns)));
        }
        return new LabStatus(layout.name(), namespaces, missing, unknown, differences);
    }

    /** One namespace's links (with their bridge), addresses and default routes, from `ip -j`. */
    private record Namespace(Map<String, String> masters, Set<String> addresses, Set<String> defaultRoutes,
                             List<LabStatus.Link> links, Set<String> policies) {

        static Namespace read(String ns) {
            Map<String, String> masters = new HashMap<>();
            Set<String> addresses = new HashSet<>();
            Set<String> routes = new HashSet<>();
            List<LabStatus.Link> links = new ArrayList<>();
            Set<String> policies = new java.util.LinkedHashSet<>();
            try {
                for (JsonNode link : JSON.readTree(ProcessRunner.run(List.of("ip", "-j", "-n", ns, "addr", "show")))) {
                    String name = link.path("ifname").asText();
                    masters.put(name, link.path("master").asText(""));
                    List<String> own = new ArrayList<>();
                    for (JsonNode a : link.path("addr_info")) {
                        String address = a.path("local").asText() + "/" + a.path("prefixlen").asInt();
                        addresses.add(name + " " + address);
                        own.add(address);
                    }
                    if (!name.equals("lo")) {
                        links.add(new LabStatus.Link(name, link.path("operstate").asText(),
                                link.hasNonNull("master") ? link.path("master").asText() : null, own));
                    }
                }
                for (JsonNode r : JSON.readTree(ProcessRunner.run(List.of("ip", "-j", "-n", ns, "route", "show", "default")))) {
                    routes.add(r.path("dev").asText() + " " + r.path("gateway").asText());
                }
                for (JsonNode r : JSON.readTree(ProcessRunner.run(List.of("ip", "-j", "-n", ns, "rule", "show")))) {
                    String rule = policy(r);
                    if (!rule.isEmpty()) {
                        policies.add(rule);
                    }
                }
            } catch (java.io.IOException | RuntimeException unreadable) {
                // a namespace that vanished meanwhile holds nothing
            }
            return new Namespace(masters, addresses, routes, links, policies);
        }

        boolean holds(KernelFacts.Fact fact) {
            return switch (fact.kind()) {
                case LINK -> masters.containsKey(fact.device())
                        && (fact.value() == null || fact.value().equals(masters.get(fact.device())));
                case ADDRESS -> addresses.contains(fact.device() + " " + fact.value());
                case ROUTE -> defaultRoutes.contains(fact.device() + " " + fact.value());
                case POLICY -> policies.contains(fact.policy());
            };
        }
    }

    /** The kernel's own three rules (local, main, default) are every namespace's: not reported. */
    private static final Set<String> KERNEL_TABLES = Set.of("local", "main", "default");

    /** A policy rule in `ip rule` words ("iif br1 to 10.0.2.0/24 prohibit"); empty for the kernel's own. */
    private static String policy(JsonNode r) {
        if (r.has("table") && KERNEL_TABLES.contains(r.path("table").asText()) && r.path("src").asText().equals("all")
                && !r.has("iif") && !r.has("dst") && !r.has("oif") && !r.has("fwmark")) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        if (r.has("iif")) {
            out.append("iif ").append(r.path("iif").asText()).append(' ');
        }
        if (!r.path("src").asText("all").equals("all")) {
            out.append("from ").append(r.path("src").asText()).append('/').append(r.path("srclen").asInt(32)).append(' ');
        }
        if (r.has("dst")) {
            out.append("to ").append(r.path("dst").asText()).append('/').append(r.path("dstlen").asInt(32)).append(' ');
        }
        if (r.has("oif")) {
            out.append("oif ").append(r.path("oif").asText()).append(' ');
        }
        if (r.has("fwmark")) {
            out.append("fwmark ").append(r.path("fwmark").asText()).append(' ');
        }
        out.append(r.has("table") ? "lookup " + r.path("table").asText() : r.path("action").asText());
        return out.toString();
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

}
