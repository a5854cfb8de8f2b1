package xnet.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An IPv6 prefix. As with {@link Cidr}, host bits are refused so that a typo never becomes another subnet. */
public record Cidr6(Ipv6 network, int prefix) {

    public Cidr6 {
        if (prefix < 0 || prefix > 128) {
            throw new IllegalArgumentException("prefix length " + prefix + " is out of range 0..128");
        }
        if (!masked(network, prefix).equals(network)) {
            throw new IllegalArgumentException(network + "/" + prefix + " has host bits set; did you mean "
                    + masked(network, prefix) + "/" + prefix + "?");
        }
    }

    @JsonCreator
    public static Cidr6 parse(String text) {
        int slash = text.indexOf('/');
        String len = slash < 0 ? "" : text.substring(slash + 1);
        if (slash < 0 || !Digits.ascii(len, 3)) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 prefix (expected ADDR/LEN, e.g. fd00:1::/64)");
        }
        return new Cidr6(Ipv6.parse(text.substring(0, slash)), Integer.parseInt(len));
    }

    /** The mask of {@code bits} leading ones (0..64) in a 64-bit half. */
    static long halfMask(int bits) {
        return bits <= 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    /** The netmask of a prefix length as an address (64 gives ffff:ffff:ffff:ffff::). */
    public static Ipv6 mask(int prefix) {
        return new Ipv6(halfMask(prefix), halfMask(prefix - 64));
    }

    /** The address with all but its first {@code prefix} bits cleared. */
    public static Ipv6 masked(Ipv6 address, int prefix) {
        return new Ipv6(address.hi() & halfMask(prefix), address.lo() & halfMask(prefix - 64));
    }

    public boolean contains(Ipv6 address) {
        return masked(address, prefix).equals(network);
    }

    public boolean overlaps(Cidr6 other) {
        int shorter = Math.min(prefix, other.prefix);
        return masked(network, shorter).equals(masked(other.network, shorter));
    }

    /** The first address after the subnet-router anycast one, which xnet gives the bridge as gateway. */
    public Ipv6 gateway() {
        return network.plus(1);
    }

    /** How many addresses it holds, capped at Long.MAX_VALUE (a /64 holds more than any allocation walks). */
    public long size() {
        return prefix <= 65 ? Long.MAX_VALUE : 1L << (128 - prefix);
    }

    /**
     * The IPv6 twin of a lab's IPv4 uplink subnet: fd00::/96 with the IPv4 subnet in its low 32
     * bits (10.0.0.0/24 gives fd00::a00:0/120), so labs that share an underlay with distinct IPv4
     * uplinks get distinct IPv6 ones without another option.
     */
    public static Cidr6 uplinkTwin(Cidr v4) {
        return new Cidr6(uplinkTwin(v4.network()), 96 + v4.prefix());
    }

    /** fd00:: with the IPv4 address in the low 32 bits: a lab host's or outside's IPv6 address. */
    public static Ipv6 uplinkTwin(Ipv4 v4) {
        return new Ipv6(0xfd00L << 48, v4.unsigned());
    }

    @JsonValue
    @Override
    public String toString() {
        return network + "/" + prefix;
    }
}
