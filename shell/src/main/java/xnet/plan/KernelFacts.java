package xnet.plan;

import java.util.ArrayList;
import java.util.List;

import xnet.model.Bridge;
import xnet.model.Config;
import xnet.model.Container;

/**
 * What the kernel must hold for a running config, as facts `lab status` checks one by one: each
 * link (on its bridge), address and default route that a commit creates. Pure: read from the
 * config and the layout, as the topology planner builds them.
 */
public final class KernelFacts {

    public enum Kind { LINK, ADDRESS, ROUTE, POLICY }

    /**
     * One fact: in {@code namespace}, {@code device} exists (LINK; on {@code value}, a bridge, when
     * set), holds the address {@code value} (ADDRESS, "A.B.C.D/LEN") or routes default via {@code value}
     * (ROUTE).
     */
    public record Fact(String namespace, Kind kind, String device, String value) {

        /** A POLICY fact as `ip rule` selectors. */
        public String policy() {
            return "iif " + device + " " + value;
        }

        public String describe() {
            return switch (kind) {
                case LINK -> "link " + device + (value == null ? "" : " on bridge " + value) + " in " + namespace;
                case ADDRESS -> "address " + value + " on " + device + " in " + namespace;
                case ROUTE -> "default route via " + value + " in " + namespace;
                case POLICY -> "policy rule " + policy() + " in " + namespace;
            };
        }
    }

    private KernelFacts() {
    }

    /** A POLICY fact's rule as `ip rule` shows it: "iif br1 to 10.0.2.0/24 prohibit". */
    public static String policy(List<String> selector) {
        return String.join(" ", selector);
    }

    public static List<Fact> of(TargetLayout layout, Config config) {
        List<Fact> facts = new ArrayList<>();
        String host = layout.hostNamespace();
        if (layout.lab()) {
            facts.add(new Fact(host, Kind.LINK, TargetLayout.UPLINK_DEVICE, null));
            facts.add(new Fact(host, Kind.ADDRESS, TargetLayout.UPLINK_DEVICE,
                    layout.uplinkAddress() + "/" + layout.uplinkSubnet().prefix()));
        }
        for (Bridge bridge : config.bridges().values()) {
            facts.add(new Fact(host, Kind.LINK, bridge.name(), null));
            facts.add(new Fact(host, Kind.ADDRESS, bridge.name(), bridge.gateway() + "/" + bridge.subnet().prefix()));
        }
        for (Container c : config.containers().values()) {
            Bridge bridge = config.bridges().get(c.bridge());
            String ns = layout.containerNamespace(c.name());
            facts.add(new Fact(host, Kind.LINK, TargetLayout.hostVeth(c.name()), c.bridge()));
            facts.add(new Fact(ns, Kind.LINK, c.device(), null));
            facts.add(new Fact(ns, Kind.ADDRESS, c.device(), c.ip() + "/" + bridge.subnet().prefix()));
            facts.add(new Fact(ns, Kind.ROUTE, c.device(), bridge.gateway().toString()));
        }
        // tenant isolation (see Isolation): device is the iif bridge, value the rest of the selector
        for (List<String> rule : Isolation.rules(config)) {
            facts.add(new Fact(host, Kind.POLICY, rule.get(1), policy(rule.subList(2, rule.size()))));
        }
        return facts;
    }
}
