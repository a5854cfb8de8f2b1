package xnet.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A Linux bridge in the target's host namespace; the host owns each subnet's first address. A
 * bridge has an IPv4 subnet and, when dual-stack, an IPv6 one ({@code subnet6}, null otherwise).
 */
public record Bridge(String name, Cidr subnet, @JsonInclude(JsonInclude.Include.NON_NULL) Cidr6 subnet6) {

    public Bridge(String name, Cidr subnet) {
        this(name, subnet, null);
    }

    public Ipv4 gateway() {
        return subnet.gateway();
    }

    /** The IPv6 gateway, or null on an IPv4-only bridge. */
    public Ipv6 gateway6() {
        return subnet6 == null ? null : subnet6.gateway();
    }

    /** Whether the address is on this bridge: in its subnet of the address's family. */
    public boolean contains(IpAddress address) {
        return address instanceof Ipv6 v6 ? subnet6 != null && subnet6.contains(v6) : subnet.contains((Ipv4) address);
    }

    /** Its subnet of a family (null: an IPv4-only bridge's IPv6 one), for messages. */
    public Object subnetOf(Family family) {
        return family == Family.IPV6 ? subnet6 : subnet;
    }

    /** "10.0.1.0/24" or "10.0.1.0/24 fd00:1::/64", as `bridge add` takes them. */
    public String subnets() {
        return subnet6 == null ? subnet.toString() : subnet + " " + subnet6;
    }
}
