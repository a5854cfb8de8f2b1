package xnet.model;

/**
 * One filter rule. Null fields match anything. Addresses are IPv4 ({@code from}, {@code to}) or
 * IPv6 ({@code from6}, {@code to6}), never both: a rule with addresses, or with ICMP or ICMPv6,
 * applies to its family's packets only ({@link #family}), a rule without to both. {@code port} is the destination port and needs
 * proto tcp or udp; {@code states} the connection states it matches (null: any). Rules are kept in
 * order; the first that matches decides. {@code log} (drop rules only) makes the datapath report
 * each packet the rule drops to `monitor drops`.
 */
public record FilterRule(int id, Action action, Cidr from, Cidr to, Proto proto, PortRange port, ConnStates states,
                         boolean log, Cidr6 from6, Cidr6 to6) {

    public enum Action {
        ALLOW, DROP;

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    public FilterRule {
        proto = proto == null ? Proto.ANY : proto;
    }

    /** A rule with IPv4 addresses, or none. */
    public FilterRule(int id, Action action, Cidr from, Cidr to, Proto proto, PortRange port, ConnStates states,
                      boolean log) {
        this(id, action, from, to, proto, port, states, log, null, null);
    }

    /** A rule for any connection state that reports nothing. */
    public FilterRule(int id, Action action, Cidr from, Cidr to, Proto proto, PortRange port) {
        this(id, action, from, to, proto, port, null, false);
    }

    /** A rule for any connection state. */
    public FilterRule(int id, Action action, Cidr from, Cidr to, Proto proto, PortRange port, boolean log) {
        this(id, action, from, to, proto, port, null, log);
    }

    /** The same rule under another id. */
    public FilterRule withId(int newId) {
        return new FilterRule(newId, action, from, to, proto, port, states, log, from6, to6);
    }

    /** The family whose packets the rule applies to, or null for both. */
    public Family family() {
        if (from6 != null || to6 != null) {
            return Family.IPV6;
        }
        if (from != null || to != null) {
            return Family.IPV4;
        }
        return proto.family();
    }

    /** Whether packets of the family can match the rule. */
    public boolean appliesTo(Family family) {
        Family own = family();
        return own == null || own == family;
    }

    /** The rule as it is typed, without its id: "drop from 172.16.0.0/12 proto tcp port 80". */
    public String text() {
        return FilterRuleSyntax.text(this);
    }

    /** Same match and action; ids aside. */
    public boolean sameRule(FilterRule other) {
        return text().equals(other.text());
    }
}
