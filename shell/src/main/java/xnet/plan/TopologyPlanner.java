package xnet.plan;

import static xnet.plan.TargetLayout.ip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import xnet.diff.Change;
import xnet.diff.ChangeSet;
import xnet.model.Bridge;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Ipv4;
import xnet.model.Tunnel;

/**
 * Turns a change from running to candidate into the ordered kernel actions of prepare.
 * Removals come first (a renamed address may be reused), then additions; a changed object is
 * removed and made anew, and so is every container on a changed bridge.
 */
public final class TopologyPlanner {

    private final TargetLayout layout;

    public TopologyPlanner(TargetLayout layout) {
        this.layout = layout;
    }

    public List<KernelAction> plan(Config running, Config candidate, boolean baseExists) {
        return plan(running, candidate, baseExists, true);
    }

    public List<KernelAction> plan(Config running, Config candidate, boolean baseExists, boolean underlayExists) {
        List<KernelAction> actions = new ArrayList<>();
        if (layout.lab() && layout.underlay() != null && !baseExists && !underlayExists) {
            actions.addAll(createUnderlay());
        }
        if (layout.lab() && !baseExists) {
            actions.addAll(createBase());
        }
        ChangeSet changes = ChangeSet.between(running, candidate);
        Isolation isolation = new Isolation(layout);
        actions.addAll(isolation.removed(running, candidate));

        Map<String, Container> toRemove = new LinkedHashMap<>();
        Map<String, Container> toCreate = new LinkedHashMap<>();
        split(changes.containers(), toRemove, toCreate);
        Map<String, Tunnel> tunnelsToRemove = new LinkedHashMap<>();
        Map<String, Tunnel> tunnelsToCreate = new LinkedHashMap<>();
        split(changes.tunnels(), tunnelsToRemove, tunnelsToCreate);
        // a changed bridge is made anew, and with it its containers and its tunnel
        for (Change<Bridge> change : changes.bridges()) {
            if (change.kind() == Change.Kind.CHANGED) {
                running.containersOn(change.name()).forEach(c -> toRemove.put(c.name(), c));
                candidate.containersOn(change.name()).forEach(c -> toCreate.put(c.name(), c));
                running.tunnelOn(change.name()).ifPresent(t -> tunnelsToRemove.put(t.name(), t));
                candidate.tunnelOn(change.name()).ifPresent(t -> tunnelsToCreate.put(t.name(), t));
            }
        }
        // a tunnel joining or leaving a bridge changes its containers' MTU: they are made anew
        for (Bridge bridge : candidate.bridges().values()) {
            if (running.bridges().containsKey(bridge.name()) && mtu(running, bridge.name()) != mtu(candidate, bridge.name())) {
                running.containersOn(bridge.name()).forEach(c -> toRemove.put(c.name(), c));
                candidate.containersOn(bridge.name()).forEach(c -> toCreate.put(c.name(), c));
            }
        }

        toRemove.values().forEach(c -> actions.addAll(deleteContainer(c, running.bridges().get(c.bridge()),
                mtu(running, c.bridge()))));
        tunnelsToRemove.values().forEach(t -> actions.add(deleteTunnel(t)));
        for (Change<Bridge> change : changes.bridges()) {
            if (change.before() != null) {
                actions.addAll(deleteBridge(change.before()));
            }
        }
        for (Change<Bridge> change : changes.bridges()) {
            if (change.after() != null) {
                actions.addAll(createBridge(change.after()));
            }
        }
        tunnelsToCreate.values().forEach(t -> actions.addAll(createTunnel(t)));
        toCreate.values().forEach(c -> actions.addAll(createContainer(c, candidate.bridges().get(c.bridge()),
                mtu(candidate, c.bridge()))));
        actions.addAll(publicAddresses(running, candidate));
        actions.addAll(isolation.added(running, candidate));
        return actions;
    }

    /** What the changes remove (the object before) and create (the object after); a changed one is both. */
    private static <T> void split(List<Change<T>> changes, Map<String, T> remove, Map<String, T> create) {
        for (Change<T> change : changes) {
            if (change.before() != null) {
                remove.put(change.name(), change.before());
            }
            if (change.after() != null) {
                create.put(change.name(), change.after());
            }
        }
    }

    /**
     * The MTU of a bridge's containers: a bridge stretched over VXLAN carries 50 bytes less than
     * its underlay (70 over IPv6), so its containers' links say so and TCP picks segments that
     * fit (0: default).
     */
    public static int mtu(Config config, String bridge) {
        return config.tunnelOn(bridge).map(t -> UNDERLAY_MTU - t.overhead()).orElse(0);
    }

    static final int UNDERLAY_MTU = 1500;

    /**
     * The VXLAN device, joined to its bridge. Its source is the uplink address (of the remote's
     * family) and device unless given.
     */
    List<KernelAction> createTunnel(Tunnel tunnel) {
        String host = layout.hostNamespace();
        List<String> add = new ArrayList<>(ip(host, "link", "add", tunnel.device(), "type", "vxlan", "id",
                Integer.toString(tunnel.vni()), "dstport", Integer.toString(tunnel.port()), "remote",
                tunnel.remote().toString()));
        xnet.model.IpAddress local = tunnel.local() != null ? tunnel.local()
                : tunnel.remote() instanceof xnet.model.Ipv6 ? layout.uplinkAddress6() : layout.uplinkAddress();
        if (local != null) {
            add.addAll(List.of("local", local.toString()));
        }
        String dev = tunnel.dev() != null ? tunnel.dev() : layout.lab() ? TargetLayout.UPLINK_DEVICE : null;
        if (dev != null) {
            add.addAll(List.of("dev", dev));
        }
        String who = "tunnel " + tunnel.name() + " (VNI " + tunnel.vni() + " to " + tunnel.remote() + ")";
        return List.of(
                KernelAction.of(who, add, ip(host, "link", "del", tunnel.device())),
                KernelAction.undoneByEarlierStep(who + " joins " + tunnel.bridge(),
                        ip(host, "link", "set", tunnel.device(), "master", tunnel.bridge(), "up")));
    }

    KernelAction deleteTunnel(Tunnel tunnel) {
        return new KernelAction("delete tunnel " + tunnel.name(), ip(layout.hostNamespace(), "link", "del",
                tunnel.device()), commands(createTunnel(tunnel)));
    }

    /**
     * A whole-address NAT rule's public address must answer ARP (IPv6: neighbour solicitation) on
     * the uplink: the host takes it as a /32 (/128). (Port rules use the host's own uplink address
     * of the family, or such an address.)
     */
    List<KernelAction> publicAddresses(Config running, Config candidate) {
        if (!layout.lab()) {
            return List.of();
        }
        java.util.Set<String> before = publicOnUplink(running);
        java.util.Set<String> after = publicOnUplink(candidate);
        List<KernelAction> actions = new ArrayList<>(KernelAction.forEachOnlyIn(before, after, ip -> KernelAction.of(
                "release public address " + ip, publicAddress("del", ip), publicAddress("add", ip))));
        actions.addAll(KernelAction.forEachOnlyIn(after, before, ip -> KernelAction.of(
                "public address " + ip + " on the uplink", publicAddress("add", ip), publicAddress("del", ip))));
        return actions;
    }

    /** A host route's worth of address: /32, or /128 for IPv6 (without duplicate detection, see address6). */
    private List<String> publicAddress(String verb, String ip) {
        if (ip.indexOf(':') >= 0) {
            return verb.equals("add") ? address6(layout.hostNamespace(), ip + "/128", TargetLayout.UPLINK_DEVICE)
                    : ip(layout.hostNamespace(), "-6", "addr", verb, ip + "/128", "dev", TargetLayout.UPLINK_DEVICE);
        }
        return ip(layout.hostNamespace(), "addr", verb, ip + "/32", "dev", TargetLayout.UPLINK_DEVICE);
    }

    /** The public addresses the uplink must answer for: every NAT rule's but the uplink's own (either family). */
    private java.util.Set<String> publicOnUplink(Config config) {
        java.util.Set<String> ips = new java.util.TreeSet<>();
        config.nats().stream().map(n -> n.publicIp())
                .filter(p -> !p.equals(layout.uplinkAddress()) && !p.equals(layout.uplinkAddress6()))
                .forEach(p -> ips.add(p.toString()));
        return ips;
    }

    List<KernelAction> createBase() {
        String host = layout.hostNamespace();
        String outside = layout.outsideNamespace();
        String peer = layout.uplinkPeer();
        String uplinkCidr = layout.uplinkAddress() + "/" + layout.uplinkSubnet().prefix();
        String outsideCidr = layout.outsideAddress() + "/" + layout.uplinkSubnet().prefix();
        String uplinkCidr6 = layout.uplinkAddress6() + "/" + layout.uplinkPrefix6();
        String outsideCidr6 = layout.outsideAddress6() + "/" + layout.uplinkPrefix6();
        List<KernelAction> actions = new ArrayList<>();
        actions.add(KernelAction.of("create host namespace", List.of("ip", "netns", "add", host),
                List.of("ip", "netns", "del", host)));
        if (layout.underlay() == null) {
            actions.add(KernelAction.of("create outside namespace", List.of("ip", "netns", "add", outside),
                    List.of("ip", "netns", "del", outside)));
            actions.add(KernelAction.undoneByEarlierStep("outside loopback up", ip(outside, "link", "set", "lo", "up")));
        }
        actions.add(KernelAction.undoneByEarlierStep("host loopback up", ip(host, "link", "set", "lo", "up")));
        actions.add(KernelAction.undoneByEarlierStep("host links skip IPv6 duplicate detection", noDad(host, "default")));
        if (layout.underlay() == null) {
            actions.add(KernelAction.undoneByEarlierStep("outside links skip IPv6 duplicate detection",
                    noDad(outside, "default")));
        }
        actions.add(KernelAction.of("uplink veth", ip(host, "link", "add", TargetLayout.UPLINK_DEVICE,
                "type", "veth", "peer", "name", peer, "netns", outside), ip(host, "link", "del", TargetLayout.UPLINK_DEVICE)));
        actions.add(KernelAction.undoneByEarlierStep("uplink address", ip(host, "addr", "add", uplinkCidr, "dev",
                TargetLayout.UPLINK_DEVICE)));
        actions.add(KernelAction.undoneByEarlierStep("uplink IPv6 address", address6(host, uplinkCidr6,
                TargetLayout.UPLINK_DEVICE)));
        actions.add(KernelAction.undoneByEarlierStep("uplink up", ip(host, "link", "set", TargetLayout.UPLINK_DEVICE, "up")));
        if (layout.underlay() == null) {
            actions.add(KernelAction.undoneByEarlierStep("outside address", ip(outside, "addr", "add", outsideCidr, "dev",
                    peer)));
            actions.add(KernelAction.undoneByEarlierStep("outside IPv6 address", address6(outside, outsideCidr6, peer)));
            actions.add(KernelAction.undoneByEarlierStep("outside link up", ip(outside, "link", "set", peer, "up")));
        } else {
            actions.add(KernelAction.undoneByEarlierStep("uplink joins underlay " + layout.underlay(),
                    ip(outside, "link", "set", peer, "master", TargetLayout.UNDERLAY_BRIDGE, "up")));
        }
        actions.add(KernelAction.undoneByEarlierStep("host forwards IPv4", List.of("ip", "netns", "exec", host,
                "sysctl", "-qw", "net.ipv4.ip_forward=1")));
        actions.add(KernelAction.undoneByEarlierStep("host forwards IPv6", List.of("ip", "netns", "exec", host,
                "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1")));
        // Replies translated back by static NAT leave a container with the host's own public
        // address as source; without accept_local the host would drop them as martians.
        actions.add(KernelAction.undoneByEarlierStep("host accepts its public addresses as source",
                List.of("ip", "netns", "exec", host, "sysctl", "-qw", "net.ipv4.conf.all.accept_local=1")));
        return actions;
    }

    /**
     * The underlay: a namespace with one bridge, the L2 segment that labs on it share, holding
     * the outside's address. The first lab on it makes it; `lab destroy` of the last removes it.
     */
    List<KernelAction> createUnderlay() {
        String ns = layout.underlayNamespace();
        String bridge = TargetLayout.UNDERLAY_BRIDGE;
        return List.of(
                KernelAction.of("create underlay " + layout.underlay(), List.of("ip", "netns", "add", ns),
                        List.of("ip", "netns", "del", ns)),
                KernelAction.undoneByEarlierStep("underlay loopback up", ip(ns, "link", "set", "lo", "up")),
                KernelAction.undoneByEarlierStep("underlay links skip IPv6 duplicate detection", noDad(ns, "default")),
                KernelAction.undoneByEarlierStep("underlay segment", ip(ns, "link", "add", bridge, "type", "bridge")),
                KernelAction.undoneByEarlierStep("underlay segment up", ip(ns, "link", "set", bridge, "up")),
                KernelAction.undoneByEarlierStep("outside address on the underlay", ip(ns, "addr", "add",
                        layout.outsideAddress() + "/" + layout.uplinkSubnet().prefix(), "dev", bridge)),
                KernelAction.undoneByEarlierStep("outside IPv6 address on the underlay", address6(ns,
                        layout.outsideAddress6() + "/" + layout.uplinkPrefix6(), bridge)));
    }

    /**
     * An IPv6 address without duplicate address detection: xnet hands out every address of its
     * namespaces itself, and a tentative address would refuse traffic for the first second or two.
     */
    private static List<String> address6(String namespace, String cidr, String device) {
        return ip(namespace, "-6", "addr", "add", cidr, "dev", device, "nodad");
    }

    /**
     * No duplicate address detection on a device (or on every device made later, "default"):
     * otherwise its link-local address stays tentative for a second or two after it comes up, and
     * neighbour discovery, which needs it, holds a container's first IPv6 packets that long.
     * The slash form of the key takes device names with dots.
     */
    private static List<String> noDad(String namespace, String device) {
        return List.of("ip", "netns", "exec", namespace, "sysctl", "-qw", "net/ipv6/conf/" + device + "/accept_dad=0");
    }

    List<KernelAction> createBridge(Bridge bridge) {
        String host = layout.hostNamespace();
        String gateway = bridge.gateway() + "/" + bridge.subnet().prefix();
        List<KernelAction> actions = new ArrayList<>();
        actions.add(KernelAction.of("bridge " + bridge.name(), ip(host, "link", "add", bridge.name(), "type", "bridge"),
                ip(host, "link", "del", bridge.name())));
        actions.add(KernelAction.undoneByEarlierStep("bridge " + bridge.name() + " gateway",
                ip(host, "addr", "add", gateway, "dev", bridge.name())));
        if (bridge.subnet6() != null) {
            actions.add(KernelAction.undoneByEarlierStep("bridge " + bridge.name() + " IPv6 gateway",
                    address6(host, bridge.gateway6() + "/" + bridge.subnet6().prefix(), bridge.name())));
        }
        actions.add(KernelAction.undoneByEarlierStep("bridge " + bridge.name() + " up",
                ip(host, "link", "set", bridge.name(), "up")));
        if (privateOutside()) {
            actions.add(KernelAction.of("outside routes " + bridge.subnet() + " to the host", outsideRoute("add", bridge),
                    outsideRoute("del", bridge)));
            if (bridge.subnet6() != null) {
                actions.add(KernelAction.of("outside routes " + bridge.subnet6() + " to the host",
                        outsideRoute6("add", bridge), outsideRoute6("del", bridge)));
            }
        }
        return actions;
    }

    /**
     * A lab's own outside routes the bridges' subnets to it. An underlay is shared by labs whose
     * bridges may have the same subnets (one segment stretched over VXLAN), so it routes none.
     */
    private boolean privateOutside() {
        return layout.lab() && layout.underlay() == null;
    }

    List<KernelAction> deleteBridge(Bridge bridge) {
        List<KernelAction> actions = new ArrayList<>();
        List<List<String>> recreate = commands(createBridge(bridge).stream()
                .filter(a -> !a.command().equals(outsideRoute("add", bridge))
                        && !a.command().equals(outsideRoute6("add", bridge))).toList());
        if (privateOutside()) {
            actions.add(KernelAction.of("outside forgets " + bridge.subnet(), outsideRoute("del", bridge),
                    outsideRoute("add", bridge)));
            if (bridge.subnet6() != null) {
                actions.add(KernelAction.of("outside forgets " + bridge.subnet6(), outsideRoute6("del", bridge),
                        outsideRoute6("add", bridge)));
            }
        }
        actions.add(new KernelAction("delete bridge " + bridge.name(),
                ip(layout.hostNamespace(), "link", "del", bridge.name()), recreate));
        return actions;
    }

    private List<String> outsideRoute(String verb, Bridge bridge) {
        return ip(layout.outsideNamespace(), "route", verb, bridge.subnet().toString(), "via",
                layout.uplinkAddress().toString());
    }

    private List<String> outsideRoute6(String verb, Bridge bridge) {
        return bridge.subnet6() == null ? List.of() : ip(layout.outsideNamespace(), "-6", "route", verb,
                bridge.subnet6().toString(), "via", layout.uplinkAddress6().toString());
    }

    List<KernelAction> createContainer(Container container, Bridge bridge, int mtu) {
        List<KernelAction> actions = new ArrayList<>(containerNamespace(container));
        actions.addAll(containerLink(container, bridge, mtu));
        return actions;
    }

    private List<KernelAction> containerNamespace(Container container) {
        String ns = layout.containerNamespace(container.name());
        String who = "container " + container.name();
        if (container.attached()) {
            return foreignNamespace(container.foreign(), ns, who);
        }
        return List.of(
                KernelAction.of(who + " namespace", List.of("ip", "netns", "add", ns), List.of("ip", "netns", "del", ns)),
                KernelAction.undoneByEarlierStep(who + " loopback up", ip(ns, "link", "set", "lo", "up")));
    }

    /**
     * A name under /run/netns for a namespace xnet did not make, so that every later step says
     * `ip -n NAME` as for its own. Deleting the name (`ip netns del`) unmounts it and leaves the
     * namespace to whoever made it; nothing else of it is touched (its loopback stays as it is).
     */
    private static List<KernelAction> foreignNamespace(Container.Foreign foreign, String ns, String who) {
        if (foreign.pid() != null) {
            return List.of(KernelAction.of(who + " names the namespace of process " + foreign.pid(),
                    List.of("ip", "netns", "attach", ns, foreign.pid().toString()), List.of("ip", "netns", "del", ns)));
        }
        String name = "/run/netns/" + ns;
        return List.of(
                KernelAction.of(who + " namespace name", List.of("touch", name), List.of("rm", "-f", name)),
                KernelAction.of(who + " names the namespace " + foreign.netns(),
                        List.of("mount", "--bind", foreign.netns(), name), List.of("umount", name)));
    }

    private List<KernelAction> containerLink(Container container, Bridge bridge, int mtu) {
        String host = layout.hostNamespace();
        String ns = layout.containerNamespace(container.name());
        String veth = TargetLayout.hostVeth(container.name());
        String dev = container.device();
        String who = "container " + container.name();
        List<String> pair = mtu == 0
                ? ip(host, "link", "add", veth, "type", "veth", "peer", "name", dev, "netns", ns)
                : ip(host, "link", "add", veth, "mtu", Integer.toString(mtu), "type", "veth", "peer", "name", dev,
                        "mtu", Integer.toString(mtu), "netns", ns);
        List<KernelAction> actions = new ArrayList<>(List.of(
                KernelAction.of(who + " veth pair", pair, ip(host, "link", "del", veth)),
                KernelAction.undoneByEarlierStep(who + " joins " + bridge.name(),
                        ip(host, "link", "set", veth, "master", bridge.name(), "up")),
                KernelAction.undoneByEarlierStep(who + " address", ip(ns, "addr", "add",
                        container.ip() + "/" + bridge.subnet().prefix(), "dev", dev))));
        boolean dual = container.ip6() != null && bridge.subnet6() != null;
        if (dual) {
            actions.add(KernelAction.undoneByEarlierStep(who + " skips IPv6 duplicate detection", noDad(ns, dev)));
            actions.add(KernelAction.undoneByEarlierStep(who + " IPv6 address", address6(ns,
                    container.ip6() + "/" + bridge.subnet6().prefix(), dev)));
        }
        actions.add(KernelAction.undoneByEarlierStep(who + " link up", ip(ns, "link", "set", dev, "up")));
        actions.add(KernelAction.undoneByEarlierStep(who + " default route", ip(ns, "route", "add", "default", "via",
                bridge.gateway().toString())));
        if (dual) {
            actions.add(KernelAction.undoneByEarlierStep(who + " IPv6 default route", ip(ns, "-6", "route", "add",
                    "default", "via", bridge.gateway6().toString())));
        }
        return actions;
    }

    /**
     * The host end is deleted first: a process still running in the namespace would keep it
     * alive after `netns del`, and its veth would stay on the bridge.
     */
    List<KernelAction> deleteContainer(Container container, Bridge bridge, int mtu) {
        String ns = layout.containerNamespace(container.name());
        String who = "delete container " + container.name();
        String veth = TargetLayout.hostVeth(container.name());
        KernelAction pair = new KernelAction(who + " veth pair", ip(layout.hostNamespace(), "link", "del", veth),
                commands(containerLink(container, bridge, mtu)));
        KernelAction name = new KernelAction(who + " namespace", List.of("ip", "netns", "del", ns),
                commands(containerNamespace(container)));
        if (container.attached()) {
            // its owner may have removed the namespace, and the veth with it, already
            return List.of(pair.onlyIf(ip(layout.hostNamespace(), "link", "show", veth)),
                    name.onlyIf(List.of("test", "-e", "/run/netns/" + ns)));
        }
        return List.of(pair, name);
    }

    private static List<List<String>> commands(List<KernelAction> actions) {
        return actions.stream().map(KernelAction::command).toList();
    }
}
