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

    /**
     * The shadows a rule just placed in the list takes part in: the first earlier rule that covers
     * it, and each later rule it covers. One pass over the list (a `filter add` in a batch of
     * 100,000 must not cost the square of the list); a rule added at the end of a list made by
     * appending costs no pass at all (an index, see {@link FilterList#firstCovering}).
     */
    public static List<Shadow> involving(List<FilterRule> rules, int at) {
        FilterRule placed = rules.get(at);
        if (at == rules.size() - 1 && rules instanceof FilterList list) {
            return list.firstCovering(at).map(by -> List.of(new Shadow(placed, by))).orElse(List.of());
        }
        List<Shadow> out = new ArrayList<>();
        for (int j = 0; j < at; j++) {
            if (covers(rules.get(j), placed)) {
                out.add(new Shadow(placed, rules.get(j)));
                return out; // a dead rule makes no other rule dead
            }
        }
        for (int k = at + 1; k < rules.size(); k++) {
            if (covers(placed, rules.get(k))) {
                out.add(new Shadow(rules.get(k), placed));
            }
        }
        return out;
    }

    /** Whether every packet {@code later} matches is matched by {@code earlier}. */
    static boolean covers(FilterRule earlier, FilterRule later) {
        // a rule for one family never covers one for both, nor one of the other family
        return (earlier.family() == null || earlier.family() == later.family())
                && covers(earlier.from(), later.from()) && covers(earlier.to(), later.to())
                && covers(earlier.from6(), later.from6()) && covers(earlier.to6(), later.to6())
                && (earlier.proto() == Proto.ANY || earlier.proto() == later.proto())
                && (earlier.port() == null
                    || later.port() != null && earlier.port().from() <= later.port().from()
                       && later.port().to() <= earlier.port().to())
                && (ConnStates.bitsOf(earlier.states()) & ConnStates.bitsOf(later.states()))
                   == ConnStates.bitsOf(later.states());
    }

    /** A missing prefix is any address, as 0.0.0.0/0 is. */
    private static boolean covers(Cidr outer, Cidr inner) {
        return outer == null || outer.prefix() == 0 || inner != null && outer.prefix() <= inner.prefix() && outer.contains(inner.network());
    }

    private static boolean covers(Cidr6 outer, Cidr6 inner) {
        return outer == null || outer.prefix() == 0 || inner != null && outer.prefix() <= inner.prefix() && outer.contains(inner.network());
    }

    /** The NAT rules that send traffic to {@code address}: what a deleted container leaves pointing nowhere. */
    /** The NAT rules whose private side is one of {@code addresses} (a container's, of either family). */
    public static List<NatRule> natsTo(Config config, List<IpAddress> addresses) {
        return config.nats().stream().filter(n -> addresses.contains(n.privateIp())).toList();
    }
}
