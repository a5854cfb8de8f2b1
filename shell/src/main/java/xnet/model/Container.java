package xnet.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A container endpoint: a network namespace joined to a bridge by a veth pair. xnet makes the
 * namespace, unless {@code foreign} names one it did not make (`container attach`): then xnet
 * makes only the veth, and deleting the container leaves the namespace. {@code ip6} is its IPv6
 * address on a dual-stack bridge, null on an IPv4-only one.
 */
public record Container(String name, String bridge, Ipv4 ip,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Foreign foreign,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Ipv6 ip6) {

    /** The device name inside a namespace xnet makes. */
    public static final String DEVICE = "eth0";

    /**
     * A namespace made by someone else: a path to it (a bind mount such as /run/netns/NAME, or
     * /proc/PID/ns/net) or the pid of a process in it; {@code ifname} is the device xnet adds there.
     * {@code cniId} is the container id of the runtime that asked for it through CNI, null for
     * `container attach`.
     */
    public record Foreign(String netns, Long pid, String ifname,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String cniId) {

        public Foreign {
            ifname = ifname == null ? DEVICE : ifname;
        }

        public Foreign(String netns, Long pid, String ifname) {
            this(netns, pid, ifname, null);
        }

        /** As typed after the bridge: "--netns /run/netns/web" or "--pid 4242", and "--ifname" if not eth0. */
        public String options() {
            return (netns != null ? "--netns " + netns : "--pid " + pid)
                    + (ifname.equals(DEVICE) ? "" : " --ifname " + ifname);
        }
    }

    public Container(String name, String bridge, Ipv4 ip) {
        this(name, bridge, ip, null, null);
    }

    public Container(String name, String bridge, Ipv4 ip, Foreign foreign) {
        this(name, bridge, ip, foreign, null);
    }

    /** The container's device in its namespace. */
    public String device() {
        return foreign == null ? DEVICE : foreign.ifname();
    }

    public boolean attached() {
        return foreign != null;
    }
}
