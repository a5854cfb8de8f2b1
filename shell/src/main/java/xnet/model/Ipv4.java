package xnet.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An IPv4 address held as an unsigned 32-bit value; parsing is strict (four decimal octets). */
public record Ipv4(int bits) implements Comparable<Ipv4>, IpAddress {

    @Override
    public Family family() {
        return Family.IPV4;
    }

    @JsonCreator
    public static Ipv4 parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (expected A.B.C.D)");
        }
        int value = 0;
        for (String part : parts) {
            if (!Digits.ascii(part, 3)) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (expected A.B.C.D)");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (octet " + octet + " > 255)");
            }
            value = (value << 8) | octet;
        }
        return new Ipv4(value);
    }

    public Ipv4 plus(long offset) {
        return new Ipv4((int) (Integer.toUnsignedLong(bits) + offset));
    }

    public long unsigned() {
        return Integer.toUnsignedLong(bits);
    }

    @Override
    public int compareTo(Ipv4 other) {
        return Integer.compareUnsigned(bits, other.bits);
    }

    @JsonValue
    @Override
    public String toString() {
        return ((bits >>> 24) & 0xff) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
