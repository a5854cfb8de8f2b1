package xnet.model;

/**
 * One filter rule. Null fields match anything. {@code port} is the destination port and needs
 * proto tcp or udp; {@code states} the connection states it matches (null: any). Rules are kept in
 * order; the first that matches decides. {@code log} (drop rules only) makes the datapath report
 * each packet the rule drops to `monitor drops`.
 */
public record FilterRule(int id, Action action, Cidr from, Cidr to, Proto proto, PortRange port, ConnStates states,
                         boolean log) {

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
        return new FilterRule(newId, action, from, to, proto, port, states, log);
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
