package xnet.model;

/**
 * One filter rule. Null fields match anything. {@code port} is the destination port and needs
 * proto tcp or udp. Rules are kept in order; the first that matches decides.
 */
public record FilterRule(int id, Action action, Cidr from, Cidr to, Proto proto, PortRange port) {

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

    /** The rule as it is typed, without its id: "drop from 172.16.0.0/12 proto tcp port 80". */
    public String text() {
        return FilterRuleSyntax.text(this);
    }

    /** Same match and action; ids aside. */
    public boolean sameRule(FilterRule other) {
        return text().equals(other.text());
    }
}
