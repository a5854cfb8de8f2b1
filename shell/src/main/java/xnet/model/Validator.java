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

    public Validator(List<Cidr> reserved) {
        this.reserved = List.copyOf(reserved);
    }

    public List<Problem> check(Config config) {
        List<Problem> problems = new ArrayList<>();
        config.bridges().values().forEach(b -> problems.addAll(checkBridge(config, b)));
        config.containers().values().forEach(c -> problems.addAll(checkContainer(config, c)));
        config.tunnels().values().forEach(t -> problems.addAll(checkTunnel(config, t)));
        return problems;
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
        return problems;
    }

    public List<Problem> checkContainer(Config config, Container container) {
        List<Problem> problems = new ArrayList<>();
        String object = "container " + container.name();
        String nameProblem = Names.containerNameProblem(container.name());
        if (nameProblem != null) {
            problems.add(new Problem(object, nameProblem));
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
        return problems;
    }
}
