package xnet.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a whole configuration before commit, and single objects while they are edited, with the
 * same rules: an edit is refused exactly when the commit would be.
 */
public final class Validator {

    /** Subnets owned by the target itself (the lab's uplink), which no bridge may overlap. */
    private final List<Cidr> reserved;
    /** The lab's outside namespace's address (null on the host), which no NAT rule may take. */
    private final Ipv4 outsideAddress;

    public Validator(List<Cidr> reserved, Ipv4 outsideAddress) {
        this.reserved = List.copyOf(reserved);
        this.outsideAddress = outsideAddress;
    }

    public Validator(List<Cidr> reserved) {
        this(reserved, null);
    }

    /** A rule matches packets of one family: its addresses and its protocol must agree on which. */
    private static String familyProblem(FilterRule rule) {
        if ((rule.from() != null || rule.to() != null) && (rule.from6() != null || rule.to6() != null)) {
            return "from and to are of different families (IPv4 and IPv6): a rule matches packets of one";
        }
        Family addresses = rule.from6() != null || rule.to6() != null ? Family.IPV6
                : rule.from() != null || rule.to() != null ? Family.IPV4 : null;
        Family proto = rule.proto().family();
        if (addresses != null && proto != null && addresses != proto) {
            return "proto " + rule.proto() + " is " + proto + "'s, and the rule's addresses are " + addresses
                    + (proto == Family.IPV4 ? " (use proto icmpv6)" : " (use proto icmp)");
        }
        return null;
    }

    public List<Problem> check(Config config) {
        List<Problem> problems = new ArrayList<>();
        config.bridges().values().forEach(b -> problems.addAll(checkBridge(config, b)));
        config.containers().values().forEach(c -> problems.addAll(checkContainer(config, c)));
        config.tunnels().values().forEach(t -> problems.addAll(checkTunnel(config, t)));
        config.filters().forEach(r -> problems.addAll(checkFilter(r)));
        problems.addAll(checkNats(config));
        problems.addAll(checkDatapath(config.datapath()));
        return problems;
    }

    /**
     * The fast path runs at tc ingress, where a program can hand an sk_buff to another namespace;
     * an xdp or iptables/nftables attach point cannot take it (tunnels' devices always run tc).
     */
    public List<Problem> checkDatapath(Datapath datapath) {
        if (!datapath.fastpath()) {
            return List.of();
        }
        List<String> others = new ArrayList<>();
        if (datapath.hook() != Datapath.Hook.TC) {
            others.add("hook " + datapath.hook());
        }
        datapath.perInterface().forEach((point, hook) -> {
            if (hook != Datapath.Hook.TC) {
                others.add(point + " " + hook);
            }
        });
        return others.isEmpty() ? List.of() : List.of(new Problem("datapath", "fastpath needs the tc hook at every"
                + " attach point (" + String.join(", ", others) + "); set 'datapath tc' or 'datapath fastpath off'"));
    }

    /** A rule's fields together: a port needs a protocol that has ports; only drops are logged. */
    public List<Problem> checkFilter(FilterRule rule) {
        String family = familyProblem(rule);
        if (family != null) {
            return List.of(new Problem("filter " + rule.id(), family));
        }
        if (rule.port() != null && !rule.proto().hasPorts()) {
            return List.of(new Problem("filter " + rule.id(), "port needs proto tcp or udp (it is the destination port)"));
        }
        if (rule.states() != null && rule.states().bits() == ConnStates.RELATED && rule.proto() != Proto.ANY
                && rule.proto() != Proto.ICMP && rule.proto() != Proto.ICMPV6) {
            return List.of(new Problem("filter " + rule.id(), "state related is an ICMP error about a known connection:"
                    + " with proto " + rule.proto() + " the rule can never match"));
        }
        if (rule.log() && rule.action() != FilterRule.Action.DROP) {
            return List.of(new Problem("filter " + rule.id(), "log reports dropped packets: only a drop rule can log"));
        }
        return List.of();
    }

    /**
     * Every NAT rule against the topology (a bridge added or deleted can break one that was
     * fine) and against each other, in one pass over the rules (a commit may carry thousands).
     */
    public List<Problem> checkNats(Config config) {
        List<Problem> problems = new ArrayList<>();
        java.util.Map<String, NatRule> byPublic = new java.util.HashMap<>();
        for (NatRule rule : config.nats()) {
            problems.addAll(checkNatAlone(config, rule));
            NatRule first = byPublic.putIfAbsent(publicKey(rule), rule);
            if (first != null) {
                problems.add(clash(rule, first));
            }
        }
        return problems;
    }

    /**
     * A NAT rule against the topology and the other rules: the public address is one the outside
     * reaches (not on a bridge, not the outside's own; for a whole address, on the uplink subnet),
     * the private address is on a bridge, and no other rule translates the same address and port.
     */
    public List<Problem> checkNat(Config config, NatRule rule) {
        List<Problem> problems = new ArrayList<>(checkNatAlone(config, rule));
        config.nats().stream().filter(other -> other.id() != rule.id() && publicKey(other).equals(publicKey(rule)))
                .findFirst().ifPresent(other -> problems.add(clash(rule, other)));
        return problems;
    }

    /** The rule's addresses against the topology, in their family. */
    private List<Problem> checkNatAlone(Config config, NatRule rule) {
        List<Problem> problems = new ArrayList<>();
        String object = "nat " + rule.id();
        IpAddress pub = rule.publicIp();
        Family family = rule.family();
        if (rule.privateIp().family() != family) {
            return List.of(new Problem(object, "public address " + pub + " and private address " + rule.privateIp()
                    + " are of different families (IPv4 and IPv6): a NAT rule translates within one"));
        }
        for (Bridge bridge : config.bridges().values()) {
            if (bridge.contains(pub)) {
                problems.add(new Problem(object, "public address " + pub + " is inside bridge " + bridge.name()
                        + " (" + bridge.subnetOf(family) + "); a public address is one the outside reaches"));
            }
        }
        if (outsideAddress != null && pub.equals(family == Family.IPV6 ? Cidr6.uplinkTwin(outsideAddress) : outsideAddress)) {
            problems.add(new Problem(object, "public address " + pub + " belongs to the outside namespace"));
        }
        if (rule.wholeAddress() && !reserved.isEmpty() && !onUplink(pub)) {
            problems.add(new Problem(object, "public address " + pub + " must be on the uplink subnet "
                    + (family == Family.IPV6 ? Cidr6.uplinkTwin(reserved.get(0)) : reserved.get(0))
                    + " so that the outside can reach it"));
        }
        if (config.bridges().values().stream().noneMatch(b -> b.contains(rule.privateIp()))) {
            problems.add(new Problem(object, "private address " + rule.privateIp() + " is not on any bridge"
                    + (family == Family.IPV6 ? " with an IPv6 subnet" : "")));
        }
        return problems;
    }

    /** On the uplink subnet, or (IPv6) on its twin (see Cidr6.uplinkTwin). */
    private boolean onUplink(IpAddress address) {
        return address instanceof Ipv6 v6 ? reserved.stream().anyMatch(r -> Cidr6.uplinkTwin(r).contains(v6))
                : reserved.stream().anyMatch(r -> r.contains((Ipv4) address));
    }

    /** What two rules may not share: the public address and, unless whole, its port and protocol. */
    private static String publicKey(NatRule rule) {
        return rule.wholeAddress() ? rule.publicIp().toString()
                : NatEndpoint.text(rule.publicIp(), rule.publicPort()) + " " + rule.proto();
    }

    private static Problem clash(NatRule rule, NatRule other) {
        return new Problem("nat " + rule.id(), publicKey(rule) + " is already translated by nat " + other.id() + " ("
                + other.text() + ")");
    }

    public List<Problem> checkTunnel(Config config, Tunnel tunnel) {
        List<Problem> problems = new ArrayList<>();
        String object = "tunnel " + tunnel.name();
        String nameProblem = Names.tunnelNameProblem(tunnel.name());
        if (nameProblem != null) {
            problems.add(new Problem(object, nameProblem));
        }
        if (tunnel.vni() < 1 || tunnel.vni() > Tunnel.MAX_VNI) {
            problems.add(new Problem(object, "VNI " + tunnel.vni() + " is out of range 1.." + Tunnel.MAX_VNI));
        }
        if (tunnel.port() < 1 || tunnel.port() > 65535) {
            problems.add(new Problem(object, "port " + tunnel.port() + " is out of range 1..65535"));
        }
        if (tunnel.dev() != null && Names.deviceNameProblem(tunnel.dev()) != null) {
            problems.add(new Problem(object, Names.deviceNameProblem(tunnel.dev())));
        }
        if (tunnel.remote().equals(tunnel.local())) {
            problems.add(new Problem(object, "remote " + tunnel.remote() + " is its own local address"));
        }
        if (tunnel.local() != null && tunnel.local().family() != tunnel.remote().family()) {
            problems.add(new Problem(object, "local " + tunnel.local() + " and remote " + tunnel.remote()
                    + " are of different families: the underlay is one of them"));
        }
        if (!config.bridges().containsKey(tunnel.bridge())) {
            problems.add(new Problem(object, "bridge " + tunnel.bridge() + " does not exist"));
        }
        for (Tunnel other : config.tunnels().values()) {
            if (other.name().equals(tunnel.name())) {
                continue;
            }
            if (other.bridge().equals(tunnel.bridge())) {
                problems.add(new Problem(object, "bridge " + tunnel.bridge() + " already has tunnel " + other.name()
                        + " (a bridge carries one VNI)"));
            }
            if (other.vni() == tunnel.vni()) {
                problems.add(new Problem(object, "VNI " + tunnel.vni() + " is already tunnel " + other.name()
                        + " (on bridge " + other.bridge() + ")"));
            }
        }
        return problems;
    }

    public List<Problem> checkBridge(Config config, Bridge bridge) {
        List<Problem> problems = new ArrayList<>();
        String object = "bridge " + bridge.name();
        String nameProblem = Names.bridgeNameProblem(bridge.name());
        if (nameProblem != null) {
            problems.add(new Problem(object, nameProblem));
        }
        Cidr subnet = bridge.subnet();
        if (subnet.prefix() < 8 || subnet.prefix() > 30) {
            problems.add(new Problem(object, "subnet " + subnet + " must have a prefix length between /8 and /30"));
        }
        for (Cidr own : reserved) {
            if (own.overlaps(subnet)) {
                problems.add(new Problem(object, "subnet " + subnet + " overlaps the uplink subnet " + own));
            }
        }
        for (Bridge other : config.bridges().values()) {
            if (!other.name().equals(bridge.name()) && other.subnet().overlaps(subnet)) {
                problems.add(new Problem(object, "subnet " + subnet + " overlaps bridge " + other.name() + " ("
                        + other.subnet() + ")"));
            }
        }
        if (bridge.subnet6() != null) {
            problems.addAll(checkSubnet6(config, bridge, object));
        }
        return problems;
    }

    /**
     * An IPv6 subnet: unicast (global 2000::/3 or unique local fc00::/7, so never link-local,
     * multicast or IPv4-mapped, which hosts treat specially), between /16 and /124, apart from the
     * uplink's and every other bridge's.
     */
    private List<Problem> checkSubnet6(Config config, Bridge bridge, String object) {
        List<Problem> problems = new ArrayList<>();
        Cidr6 subnet = bridge.subnet6();
        int top = subnet.network().group(0);
        if ((top & 0xe000) != 0x2000 && (top & 0xfe00) != 0xfc00) {
            problems.add(new Problem(object, "subnet " + subnet + " must be global unicast (2000::/3) or unique local"
                    + " (fc00::/7)"));
        }
        if (subnet.prefix() < 16 || subnet.prefix() > 124) {
            problems.add(new Problem(object, "subnet " + subnet + " must have a prefix length between /16 and /124"));
        }
        for (Cidr own : reserved) {
            Cidr6 own6 = Cidr6.uplinkTwin(own);
            if (own6.overlaps(subnet)) {
                problems.add(new Problem(object, "subnet " + subnet + " overlaps the uplink subnet " + own6));
            }
        }
        for (Bridge other : config.bridges().values()) {
            if (!other.name().equals(bridge.name()) && other.subnet6() != null && other.subnet6().overlaps(subnet)) {
                problems.add(new Problem(object, "subnet " + subnet + " overlaps bridge " + other.name() + " ("
                        + other.subnet6() + ")"));
            }
        }
        return problems;
    }

    public List<Problem> checkContainer(Config config, Container container) {
        List<Problem> problems = new ArrayList<>();
        String object = "container " + container.name();
        String nameProblem = Names.containerNameProblem(container.name());
        if (nameProblem != null) {
            problems.add(new Problem(object, nameProblem));
        }
        if (container.attached()) {
            problems.addAll(checkForeign(object, container.foreign()));
        }
        Bridge bridge = config.bridges().get(container.bridge());
        if (bridge == null) {
            problems.add(new Problem(object, "bridge " + container.bridge() + " does not exist"));
            return problems;
        }
        Cidr subnet = bridge.subnet();
        Ipv4 ip = container.ip();
        if (!subnet.contains(ip)) {
            problems.add(new Problem(object, "address " + ip + " is outside bridge " + bridge.name() + " (" + subnet + ")"));
        } else if (ip.equals(subnet.network()) || ip.equals(subnet.broadcast())) {
            problems.add(new Problem(object, "address " + ip + " is the network or broadcast address of " + subnet));
        } else if (ip.equals(bridge.gateway())) {
            problems.add(new Problem(object, "address " + ip + " is the gateway of bridge " + bridge.name()));
        }
        for (Container other : config.containers().values()) {
            if (!other.name().equals(container.name()) && other.ip().equals(ip)) {
                problems.add(new Problem(object, "address " + ip + " is already used by container " + other.name()));
            }
        }
        if (container.ip6() != null) {
            problems.addAll(checkAddress6(config, container, bridge, object));
        }
        return problems;
    }

    private static List<Problem> checkAddress6(Config config, Container container, Bridge bridge, String object) {
        Ipv6 ip6 = container.ip6();
        Cidr6 subnet = bridge.subnet6();
        if (subnet == null) {
            return List.of(new Problem(object, "bridge " + bridge.name() + " has no IPv6 subnet for address " + ip6
                    + " (give it one: bridge add NAME IPV4-SUBNET IPV6-SUBNET)"));
        }
        if (!subnet.contains(ip6)) {
            return List.of(new Problem(object, "address " + ip6 + " is outside bridge " + bridge.name() + " (" + subnet + ")"));
        }
        if (ip6.equals(subnet.network())) {
            return List.of(new Problem(object, "address " + ip6 + " is the subnet-router anycast address of " + subnet));
        }
        if (ip6.equals(bridge.gateway6())) {
            return List.of(new Problem(object, "address " + ip6 + " is the gateway of bridge " + bridge.name()));
        }
        for (Container other : config.containers().values()) {
            if (!other.name().equals(container.name()) && ip6.equals(other.ip6())) {
                return List.of(new Problem(object, "address " + ip6 + " is already used by container " + other.name()));
            }
        }
        return List.of();
    }

    /** A namespace xnet did not make: exactly one way to find it, and a device name that fits. */
    private static List<Problem> checkForeign(String object, Container.Foreign foreign) {
        List<Problem> problems = new ArrayList<>();
        if ((foreign.netns() == null) == (foreign.pid() == null)) {
            problems.add(new Problem(object, "give the namespace as --netns PATH or --pid PID (one of them)"));
        }
        if (foreign.netns() != null && (!foreign.netns().startsWith("/") || foreign.netns().contains(" "))) {
            problems.add(new Problem(object, "--netns " + foreign.netns() + " must be an absolute path without spaces"
                    + " (for example /run/netns/NAME or /proc/PID/ns/net)"));
        }
        if (foreign.pid() != null && foreign.pid() < 1) {
            problems.add(new Problem(object, "--pid " + foreign.pid() + " is not a process id"));
        }
        String device = Names.deviceNameProblem(foreign.ifname());
        if (device != null) {
            problems.add(new Problem(object, "--ifname: " + device));
        }
        return problems;
    }

    /** How an edit is refused: with the first problem's message, the same words a commit would list. */
    static void refuse(List<Problem> problems) {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.get(0).message());
        }
    }
}
