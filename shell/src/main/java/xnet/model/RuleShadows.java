package xnet.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Rules that can never match because an earlier rule matches every packet they would: the first
 * match decides, so such a rule is dead (its action never applies, its counter stays at 0). Said
 * as a warning when the rule list changes, as `nft` and firewall linters do; the rule stays.
 */
public final class RuleShadows {

    /** A rule that can never match and the earlier rule that covers it. */
    public record Shadow(FilterRule shadowed, FilterRule by) {

        public String message() {
            return "filter " + shadowed.id() + " (" + shadowed.text() + ") can never match: filter " + by.id()
                    + " (" + by.text() + ") comes first and matches every packet it would";
        }
    }

    private RuleShadows() {
    }

    /** Every dead rule of the list, each with the first earlier rule that covers it. */
    public static List<Shadow> of(List<FilterRule> rules) {
        List<Shadow> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (covers(rules.get(j), rules.get(i))) {
                    out.add(new Shadow(rules.get(i), rules.get(j)));
                    break;
                }
            }
        }
        return out;
    }

    /** Whether every packet {@code later} matches is matched by {@code earlier}. */
    static boolean covers(FilterRule earlier, FilterRule later) {
        return covers(earlier.from(), later.from()) && covers(earlier.to(), later.to())
                && (earlier.proto() == Proto.ANY || earlier.proto() == later.proto())
                && (earlier.port() == null
                    || later.port() != null && earlier.port().from() <= later.port().from()
                       && later.port().to() <= earlier.port().to());
    }

    /** A missing prefix is any address. */
    private static boolean covers(Cidr outer, Cidr inner) {
        return outer == null || inner != null && outer.prefix() <= inner.prefix() && outer.contains(inner.network());
    }

    /** The NAT rules that send traffic to {@code address}: what a deleted container leaves pointing nowhere. */
    public static List<NatRule> natsTo(Config config, Ipv4 address) {
        return config.nats().stream().filter(n -> n.privateIp().equals(address)).toList();
    }
}
