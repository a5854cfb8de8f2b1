package xnet.model;

/** IP protocols a rule may name; ANY matches every protocol. ICMP is IPv4's, ICMPV6 IPv6's. */
public enum Proto {
    ANY(0), ICMP(1), TCP(6), UDP(17), ICMPV6(58);

    private final int number;

    Proto(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The family a protocol belongs to, or null when it runs over both. */
    public Family family() {
        return this == ICMP ? Family.IPV4 : this == ICMPV6 ? Family.IPV6 : null;
    }

    public boolean hasPorts() {
        return this == TCP || this == UDP;
    }

    public static Proto parse(String text) {
        return valueOf(text.toUpperCase());
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
