package xnet.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An IPv4 prefix. {@link #parse} rejects host bits so that a typo never silently becomes another subnet. */
public record Cidr(Ipv4 network, int prefix) {

    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length " + prefix + " is out of range 0..32");
        }
        if ((network.bits() & ~mask(prefix)) != 0) {
            Ipv4 fixed = new Ipv4(network.bits() & mask(prefix));
            throw new IllegalArgumentException(network + "/" + prefix + " has host bits set; did you mean "
                    + fixed + "/" + prefix + "?");
        }
    }

    @JsonCreator
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (expected A.B.C.D/LEN)");
        }
        Ipv4 address = Ipv4.parse(text.substring(0, slash));
        String len = text.substring(slash + 1);
        if (!Digits.ascii(len, 2)) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (expected A.B.C.D/LEN)");
        }
        return new Cidr(address, Integer.parseInt(len));
    }

    /** The netmask of a prefix length as 32 bits: the one place xnet computes one. */
    public static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** The prefix of the given length that holds the address ("10.0.0.3", 24 gives 10.0.0.0/24). */
    public static Cidr containing(Ipv4 address, int prefix) {
        return new Cidr(new Ipv4(address.bits() & mask(prefix)), prefix);
    }

    public boolean contains(Ipv4 address) {
        return (address.bits() & mask(prefix)) == network.bits();
    }

    public boolean overlaps(Cidr other) {
        int shorter = Math.min(prefix, other.prefix);
        return (network.bits() & mask(shorter)) == (other.network.bits() & mask(shorter));
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    /** The first usable address, which xnet gives to the bridge as the containers' gateway. */
    public Ipv4 gateway() {
        return network.plus(1);
    }

    public Ipv4 broadcast() {
        return network.plus(size() - 1);
    }

    /** Appends A.B.C.D/LEN without intermediate strings (state files write a million of them). */
    public StringBuilder appendTo(StringBuilder out) {
        int bits = network.bits();
        return out.append(bits >>> 24).append('.').append((bits >>> 16) & 0xff).append('.')
                .append((bits >>> 8) & 0xff).append('.').append(bits & 0xff).append('/').append(prefix);
    }

    @JsonValue
    @Override
    public String toString() {
        return appendTo(new StringBuilder(18)).toString();
    }
}
