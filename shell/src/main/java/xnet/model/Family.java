package xnet.model;

/** An address family. A filter rule has one when its addresses or its protocol say so, else it applies to both. */
public enum Family {
    IPV4, IPV6;

    @Override
    public String toString() {
        return this == IPV4 ? "IPv4" : "IPv6";
    }
}
