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
        Bridge existing = config.bridges().get(name);
        if (existing != null) {
            throw new ConfigException("bridge " + name + " already exists (" + existing.subnet() + ")");
        }
        Bridge bridge = new Bridge(name, subnet);
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
        Cidr subnet = config.bridges().get(name).subnet();
        for (NatRule nat : config.nats()) {
            if (subnet.contains(nat.privateIp())) {
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
        Container existing = config.containers().get(name);
        if (existing != null) {
            throw new ConfigException("container " + name + " already exists (" + existing.bridge() + " "
                    + existing.ip() + ")");
        }
        Bridge bridge = requireBridge(config, bridgeName);
        Ipv4 address = ip.orElseGet(() -> nextFreeAddress(config, bridge));
        Container container = new Container(name, bridgeName, address, foreign);
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
