package xnet.cni;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import xnet.model.Config;
import xnet.model.ConfigEditor;
import xnet.model.Container;
import xnet.model.Ipv4;
import xnet.model.NatEndpoint;
import xnet.model.Names;
import xnet.model.RuleEditor;

/**
 * What a CNI call does to a config (pure): ADD adds a container in the runtime's namespace and a
 * static NAT rule per port mapping; DEL removes the container and the NAT rules to its address;
 * GC removes the network's containers the runtime no longer knows.
 */
public final class CniNetwork {

    private static final String PREFIX = "cni-";

    private final ConfigEditor topology;
    private final RuleEditor rules;
    private final Ipv4 uplinkAddress;
    private final xnet.model.Ipv6 uplinkAddress6;

    /**
     * {@code uplinkAddress}, {@code uplinkAddress6}: where port mappings without a hostIP listen
     * (the lab's uplink, its IPv6 twin for hostIP "::"); null on --host.
     */
    public CniNetwork(ConfigEditor topology, RuleEditor rules, Ipv4 uplinkAddress, xnet.model.Ipv6 uplinkAddress6) {
        this.topology = topology;
        this.rules = rules;
        this.uplinkAddress = uplinkAddress;
        this.uplinkAddress6 = uplinkAddress6;
    }

    public static Optional<Container> find(Config config, Attachment attachment) {
        return config.containers().values().stream()
                .filter(c -> c.attached() && attachment.containerId().equals(c.foreign().cniId())
                        && attachment.ifname().equals(c.foreign().ifname()))
                .findFirst();
    }

    /**
     * The config with the call's container added; {@code netns} is the path xnet binds it from,
     * {@code ip} and {@code ip6} what a delegated IPAM gave (empty: xnet's own allocation).
     */
    public Config add(Config config, CniRequest request, String netns, Optional<Ipv4> ip, Optional<xnet.model.Ipv6> ip6) {
        Optional<Container> existing = find(config, request.attachment());
        if (existing.isPresent()) {
            throw new CniError(CniError.XNET_FAILED, "container " + request.containerId() + " already has "
                    + request.ifname() + " on this node (xnet container " + existing.get().name() + ")");
        }
        String name = nameFor(config, request.attachment());
        Container.Foreign foreign = new Container.Foreign(netns, null, request.ifname(), request.containerId());
        Config next = topology.addContainer(config, name, request.bridge(), ip, ip6, foreign);
        Container added = next.containers().get(name);
        for (PortMapping mapping : request.portMappings()) {
            boolean v6 = mapping.family() == xnet.model.Family.IPV6;
            xnet.model.IpAddress publicIp = mapping.hostIp() != null ? mapping.hostIp() : v6 ? uplinkAddress6 : uplinkAddress;
            if (publicIp == null) {
                throw new CniError(CniError.INVALID_CONFIG, "on --host a port mapping needs its hostIP");
            }
            xnet.model.IpAddress address = v6 ? added.ip6() : added.ip();
            if (address == null) {
                throw new CniError(CniError.INVALID_CONFIG, "port mapping to " + publicIp + ": the container has no IPv6"
                        + " address (bridge " + request.bridge() + " has no IPv6 subnet)");
            }
            next = rules.addNat(next, new NatEndpoint(publicIp, mapping.hostPort()),
                    new NatEndpoint(address, mapping.containerPort()), mapping.proto());
        }
        return next;
    }

    /** The config without the attachment's container and the NAT rules to its address; unchanged if it has none. */
    public static Config delete(Config config, Attachment attachment) {
        return find(config, attachment).map(c -> without(config, c)).orElse(config);
    }

    /** The config without the containers on {@code bridge} that CNI made and {@code valid} does not name. */
    public static Config collect(Config config, String bridge, List<Attachment> valid) {
        Config next = config;
        for (Container c : config.containers().values()) {
            boolean ours = c.attached() && c.foreign().cniId() != null && c.bridge().equals(bridge);
            if (ours && !valid.contains(new Attachment(c.foreign().cniId(), c.foreign().ifname()))) {
                next = without(next, c);
            }
        }
        return next;
    }

    private static Config without(Config config, Container container) {
        return config.withoutContainer(container.name()).withNats(config.nats().stream()
                .filter(n -> !n.privateIp().equals(container.ip()) && !n.privateIp().equals(container.ip6())).toList());
    }

    /**
     * A readable name when the id allows: "cni-" and the letters and digits of its last
     * dash-separated part (ctr's "default-web" gives cni-web), cut to fit; else "cni-" and a hash
     * of id and interface. Always a valid container name that no other container has.
     */
    static String nameFor(Config config, Attachment attachment) {
        String id = attachment.containerId();
        String last = id.substring(id.lastIndexOf('-') + 1);
        String readable = (last.isEmpty() ? id : last).toLowerCase().replaceAll("[^a-z0-9]", "");
        readable = readable.substring(0, Math.min(readable.length(), Names.MAX_CONTAINER - PREFIX.length()));
        if (!readable.isEmpty() && attachment.ifname().equals(Container.DEVICE)
                && !config.containers().containsKey(PREFIX + readable)) {
            return PREFIX + readable;
        }
        String hash = sha256(attachment.containerId() + "/" + attachment.ifname());
        for (int i = 0; ; i++) {
            String name = PREFIX + hash.substring(i, i + Names.MAX_CONTAINER - PREFIX.length());
            if (!config.containers().containsKey(name)) {
                return name;
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
