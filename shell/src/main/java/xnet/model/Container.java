package xnet.model;

/** A container endpoint: a network namespace joined to a bridge by a veth pair. */
public record Container(String name, String bridge, Ipv4 ip) {
}
