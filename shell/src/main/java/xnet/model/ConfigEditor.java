package xnet.model;

import java.util.List;
import java.util.Optional;

/** The edits the shell offers, each checked as it is made; the input config is never changed. */
public final class ConfigEditor {

    private final Validator validator;

    public ConfigEditor(Validator validator) {
        this.validator = validator;
    }

    public Config addBridge(Config config, String name, Cidr subnet) {
        return addBridge(config, name, subnet, null);
    }

    /** {@code subnet6}: the bridge's IPv6 subnet, null for an IPv4-only bridge. */
    public Config addBridge(Config config, String name, Cidr subnet, Cidr6 subnet6) {
        Bridge existing = config.bridges().get(name);
        if (existing != null) {
            throw new ConfigException("bridge " + name + " already exists (" + existing.subnets() + ")");
        }
        Bridge bridge = new Bridge(name, subnet, subnet6);
        Config next = config.withBridge(bridge);
        refuseProblems(validator.checkBridge(next, bridge));
        refuseProblems(validator.checkNats(next));
        return next;
    }

    public Config deleteBridge(Config config, String name) {
        requireBridge(config, name);
        List<String> attached = config.containersOn(name).stream().map(Container::name).toList();
        if (!attached.isEmpty()) {
            throw new ConfigException("bridge " + name + " still has containers: " + String.join(", ", attached)
                    + "; delete them first");
        }
        config.tunnelOn(name).ifPresent(t -> {
            throw new ConfigException("bridge " + name + " still has tunnel " + t.name() + "; delete it first");
        });
        Bridge bridge = config.bridges().get(name);
        for (NatRule nat : config.nats()) {
            if (bridge.contains(nat.privateIp())) {
                throw new ConfigException("bridge " + name + " still has nat " + nat.id() + " (" + nat.text()
                        + ") pointing into it; delete it first");
            }
        }
        return config.withoutBridge(name);
    }

    public Config addTunnel(Config config, Tunnel tunnel) {
        Tunnel existing = config.tunnels().get(tunnel.name());
        if (existing != null) {
            throw new ConfigException("tunnel " + tunnel.name() + " already exists (VNI " + existing.vni() + " on "
                    + existing.bridge() + ")");
        }
        requireBridge(config, tunnel.bridge());
        Config next = config.withTunnel(tunnel);
        refuseProblems(validator.checkTunnel(next, tunnel));
        return next;
    }

    public Config deleteTunnel(Config config, String name) {
        if (!config.tunnels().containsKey(name)) {
            throw new ConfigException("no tunnel named " + name + known(config.tunnels().keySet()));
        }
        return config.withoutTunnel(name);
    }

    public Config addContainer(Config config, String name, String bridgeName, Optional<Ipv4> ip) {
        return addContainer(config, name, bridgeName, ip, null);
    }

    /** A container in a namespace xnet does not make (`container attach`); {@code foreign} null: xnet makes it. */
    public Config addContainer(Config config, String name, String bridgeName, Optional<Ipv4> ip,
                               Container.Foreign foreign) {
        return addContainer(config, name, bridgeName, ip, Optional.empty(), foreign);
    }

    /**
     * A container with an address of each family its bridge has: the given ones, or the next free
     * ones. {@code foreign} null: xnet makes its namespace.
     */
    public Config addContainer(Config config, String name, String bridgeName, Optional<Ipv4> ip, Optional<Ipv6> ip6,
                               Container.Foreign foreign) {
        Container existing = config.containers().get(name);
        if (existing != null) {
            throw new ConfigException("container " + name + " already exists (" + existing.bridge() + " "
                    + existing.ip() + ")");
        }
        Bridge bridge = requireBridge(config, bridgeName);
        Ipv4 address = ip.orElseGet(() -> nextFreeAddress(config, bridge));
        Ipv6 address6 = ip6.orElseGet(() -> bridge.subnet6() == null ? null : nextFreeAddress6(config, bridge));
        Container container = new Container(name, bridgeName, address, foreign, address6);
        Config next = config.withContainer(container);
        refuseProblems(validator.checkContainer(next, container));
        return next;
    }

    public Config deleteContainer(Config config, String name) {
        if (!config.containers().containsKey(name)) {
            throw new ConfigException("no container named " + name + known(config.containers().keySet()));
        }
        return config.withoutContainer(name);
    }

    /** The first 10.0.N.0/24 that overlaps no bridge and no reserved subnet, or null: what `bridge add` could take next. */
    public static Cidr nextFreeSubnet(Config config, java.util.List<Cidr> reserved) {
        for (int n = 1; n < 255; n++) {
            Cidr candidate = Cidr.parse("10.0." + n + ".0/24");
            boolean taken = reserved.stream().anyMatch(candidate::overlaps)
                    || config.bridges().values().stream().anyMatch(b -> b.subnet().overlaps(candidate));
            if (!taken) {
                return candidate;
            }
        }
        return null;
    }

    /** The first fd00:N::/64 that overlaps no bridge's IPv6 subnet, or null. */
    public static Cidr6 nextFreeSubnet6(Config config) {
        for (int n = 1; n < 0x10000; n++) {
            Cidr6 candidate = new Cidr6(new Ipv6((0xfd00L << 48) | ((long) n << 32), 0), 64);
            if (config.bridges().values().stream().noneMatch(b -> b.subnet6() != null && b.subnet6().overlaps(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    /** The lowest address of the bridge's subnet that is neither the gateway nor taken. */
    public static Ipv4 nextFreeAddress(Config config, Bridge bridge) {
        Cidr subnet = bridge.subnet();
        for (long i = 2; i < subnet.size() - 1; i++) {
            Ipv4 candidate = subnet.network().plus(i);
            boolean taken = config.containers().values().stream().anyMatch(c -> c.ip().equals(candidate));
            if (!taken) {
                return candidate;
            }
        }
        throw new ConfigException("bridge " + bridge.name() + " (" + subnet + ") has no free address left");
    }

    /** The lowest IPv6 address of the bridge's subnet above its gateway that no container has. */
    public static Ipv6 nextFreeAddress6(Config config, Bridge bridge) {
        Cidr6 subnet = bridge.subnet6();
        java.util.Set<Ipv6> taken = new java.util.HashSet<>();
        config.containers().values().forEach(c -> taken.add(c.ip6()));
        for (long i = 2; i < subnet.size(); i++) {
            Ipv6 candidate = subnet.network().plus(i);
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
        throw new ConfigException("bridge " + bridge.name() + " (" + subnet + ") has no free IPv6 address left");
    }

    private static Bridge requireBridge(Config config, String name) {
        Bridge bridge = config.bridges().get(name);
        if (bridge == null) {
            throw new ConfigException("no bridge named " + name + known(config.bridges().keySet()));
        }
        return bridge;
    }

    static String known(java.util.Collection<String> names) {
        return names.isEmpty() ? " (there are none)" : " (known: " + String.join(", ", names) + ")";
    }

    private static void refuseProblems(List<Problem> problems) {
        Validator.refuse(problems);
    }
}
