package xnet.plan;

import static xnet.plan.TargetLayout.ip;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import xnet.model.Bridge;
import xnet.model.Config;

/**
 * Tenant isolation on one host: a bridge stretched over VXLAN is its VNI's segment, and the host
 * does not route between it and any other bridge. The host routes between bridges (that is how
 * the single-host lab's client reaches its server), so each such pair gets two policy rules,
 * "from this bridge to that subnet: prohibit", one per direction and family. Traffic to and from the
 * outside is routed as before.
 */
final class Isolation {

    private final TargetLayout layout;

    Isolation(TargetLayout layout) {
        this.layout = layout;
    }

    /** The selectors of the policy rules a config needs, as `ip rule` arguments. */
    static Set<List<String>> rules(Config config) {
        Set<List<String>> rules = new LinkedHashSet<>();
        for (Bridge tenant : config.bridges().values()) {
            if (config.tunnelOn(tenant.name()).isEmpty()) {
                continue;
            }
            for (Bridge other : config.bridges().values()) {
                if (!other.name().equals(tenant.name())) {
                    rules.add(List.of("iif", tenant.name(), "to", other.subnet().toString(), "prohibit"));
                    rules.add(List.of("iif", other.name(), "to", tenant.subnet().toString(), "prohibit"));
                    if (tenant.subnet6() != null && other.subnet6() != null) {
                        // `ip rule` takes the family from the prefix
                        rules.add(List.of("iif", tenant.name(), "to", other.subnet6().toString(), "prohibit"));
                        rules.add(List.of("iif", other.name(), "to", tenant.subnet6().toString(), "prohibit"));
                    }
                }
            }
        }
        return rules;
    }

    List<KernelAction> removed(Config running, Config candidate) {
        return onlyIn(rules(running), rules(candidate), "stop isolating: ", "del", "add");
    }

    List<KernelAction> added(Config running, Config candidate) {
        return onlyIn(rules(candidate), rules(running), "isolate: ", "add", "del");
    }

    /** The rules of {@code these} missing from {@code those}: `ip rule VERB`, taken back with `ip rule UNDO`. */
    private List<KernelAction> onlyIn(Set<List<String>> these, Set<List<String>> those, String what, String verb,
                                      String undo) {
        return KernelAction.forEachOnlyIn(these, those, rule -> KernelAction.of(what + String.join(" ", rule),
                command(verb, rule), command(undo, rule)));
    }

    private List<String> command(String verb, List<String> rule) {
        List<String> argv = new ArrayList<>(ip(layout.hostNamespace(), "rule", verb));
        argv.addAll(rule);
        return argv;
    }
}
