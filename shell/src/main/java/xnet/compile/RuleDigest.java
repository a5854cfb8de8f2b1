package xnet.compile;

import java.util.List;

import xnet.model.Cidr;
import xnet.model.Cidr6;
import xnet.model.FilterRule;
import xnet.model.IpAddress;
import xnet.model.Ipv4;
import xnet.model.Ipv6;
import xnet.model.NatRule;
import xnet.model.PortRange;

/**
 * A 32-bit fingerprint of what a rule set decides: the filter rules in order, the default
 * action and the NAT rules. Each rule set in the kernel carries the one it was written from
 * (in xnet_meta), so `lab status` can tell whether the active set is the running config's.
 * Built from the fields themselves (not Java hash codes, which differ between processes), in
 * one pass of integer arithmetic: a million rules cost a few milliseconds.
 */
public final class RuleDigest {

    private RuleDigest() {
    }

    public static int of(List<FilterRule> rules, List<NatRule> nats, int defaultAction) {
        int d = 17;
        for (FilterRule r : rules) {
            d = mix(d, r.id());
            d = mix(d, r.action().ordinal() | (r.log() ? 2 : 0));
            d = mix(d, cidr(r.from()));
            d = mix(d, cidr(r.to()));
            d = mix(d, r.proto().ordinal());
            d = mix(d, ports(r.port()));
            if (r.states() != null) {
                d = mix(d, r.states().bits() << 8); // mixed only when set: digests of rules without states stay as they were
            }
            if (r.from6() != null || r.to6() != null) {
                d = mix(mix(d, cidr6(r.from6())), cidr6(r.to6())); // likewise for IPv6 addresses
            }
        }
        d = mix(d, defaultAction);
        for (NatRule n : nats) {
            d = mix(d, address(n.publicIp()));
            d = mix(d, n.publicPort());
            d = mix(d, address(n.privateIp()));
            d = mix(d, n.privatePort());
            d = mix(d, n.proto().ordinal());
        }
        return d;
    }

    private static int cidr(Cidr c) {
        return c == null ? -1 : c.network().bits() * 31 + c.prefix();
    }

    private static int cidr6(Cidr6 c) {
        if (c == null) {
            return -1;
        }
        return address(c.network()) * 31 + c.prefix();
    }

    /** An IPv4 address as its bits (so IPv4 digests stay as they were), an IPv6 one folded. */
    private static int address(IpAddress a) {
        if (a instanceof Ipv4 v4) {
            return v4.bits();
        }
        Ipv6 v6 = (Ipv6) a;
        long folded = v6.hi() * 31 + v6.lo();
        return (int) (folded ^ (folded >>> 32));
    }

    private static int ports(PortRange p) {
        return p == null ? -1 : (p.from() << 16) | p.to();
    }

    /** One step of an order-sensitive hash (multiply, xor-shift: the murmur3 finalizer's moves). */
    private static int mix(int d, int value) {
        int h = (d ^ value) * 0x85ebca6b;
        return h ^ (h >>> 13);
    }
}
