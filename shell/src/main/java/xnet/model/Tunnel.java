package xnet.model;

/**
 * A VXLAN device joined to a bridge: the bridge's segment stretched to the same VNI on another
 * host, over an IPv4 or an IPv6 underlay (the remote's family). {@code local} (the source
 * address) defaults to the target's uplink address of that family, {@code dev} (the underlay
 * device) to its uplink; null means that default.
 */
public record Tunnel(String name, int vni, IpAddress remote, IpAddress local, String dev, int port, String bridge) {

    public static final int DEFAULT_PORT = 4789;
    public static final int MAX_VNI = (1 << 24) - 1;
    /** What VXLAN adds to each frame over IPv4: outer IP 20, UDP 8, VXLAN 8, inner Ethernet 14. */
    public static final int OVERHEAD = 50;
    /** Over IPv6 the outer header is 40 bytes, not 20. */
    public static final int OVERHEAD6 = 70;

    /** The bytes VXLAN adds to each frame on this tunnel's underlay. */
    public int overhead() {
        return remote.family() == Family.IPV6 ? OVERHEAD6 : OVERHEAD;
    }

    /** The VXLAN device in the host namespace. */
    public String device() {
        return "vx-" + name;
    }

    /** The command that adds it, without defaults: what `save profile` writes. */
    public String text() {
        return name + " --vni " + vni + " --remote " + remote + (local == null ? "" : " --local " + local)
                + (dev == null ? "" : " --dev " + dev) + (port == DEFAULT_PORT ? "" : " --port " + port)
                + " --bridge " + bridge;
    }
}
