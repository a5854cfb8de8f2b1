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
        List<KernelAction> actions = new ArrayList<>();
        if (layout.lab() && !baseExists) {
            actions.addAll(createBase());
        }
        ChangeSet changes = ChangeSet.between(running, candidate);

        Map<String, Container> toRemove = new LinkedHashMap<>();
        Map<String, Container> toCreate = new LinkedHashMap<>();
        for (Change<Container> change : changes.containers()) {
            if (change.before() != null) {
                toRemove.put(change.name(), change.before());
            }
            if (change.after() != null) {
                toCreate.put(change.name(), change.after());
            }
        }
        for (Change<Bridge> change : changes.bridges()) {
            if (change.kind() == Change.Kind.CHANGED) {
                running.containersOn(change.name()).forEach(c -> toRemove.put(c.name(), c));
                candidate.containersOn(change.name()).forEach(c -> toCreate.put(c.name(), c));
            }
        }

        toRemove.values().forEach(c -> actions.addAll(deleteContainer(c, running.bridges().get(c.bridge()))));
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
        toCreate.values().forEach(c -> actions.addAll(createContainer(c, candidate.bridges().get(c.bridge()))));
        actions.addAll(publicAddresses(running, candidate));
        return actions;
    }

    /**
     * A whole-address NAT rule's public address must answer ARP on the uplink: the host takes it
     * as a /32. (Port rules use the host's own uplink address or such an address.)
     */
    List<KernelAction> publicAddresses(Config running, Config candidate) {
        if (!layout.lab()) {
            return List.of();
        }
        java.util.Set<String> before = publicOnUplink(running);
        java.util.Set<String> after = publicOnUplink(candidate);
        List<KernelAction> actions = new ArrayList<>();
        String host = layout.hostNamespace();
        for (String ip : before) {
            if (!after.contains(ip)) {
                actions.add(KernelAction.of("release public address " + ip,
                        ip(host, "addr", "del", ip + "/32", "dev", TargetLayout.UPLINK_DEVICE),
                        ip(host, "addr", "add", ip + "/32", "dev", TargetLayout.UPLINK_DEVICE)));
            }
        }
        for (String ip : after) {
            if (!before.contains(ip)) {
                actions.add(KernelAction.of("public address " + ip + " on the uplink",
                        ip(host, "addr", "add", ip + "/32", "dev", TargetLayout.UPLINK_DEVICE),
                        ip(host, "addr", "del", ip + "/32", "dev", TargetLayout.UPLINK_DEVICE)));
            }
        }
        return actions;
    }

    private java.util.Set<String> publicOnUplink(Config config) {
        java.util.Set<String> ips = new java.util.TreeSet<>();
        config.nats().stream().map(n -> n.publicIp())
                .filter(p -> !p.equals(layout.uplinkAddress()))
                .forEach(p -> ips.add(p.toString()));
        return ips;
    }

    List<KernelAction> createBase() {
        String host = layout.hostNamespace();
        String outside = layout.outsideNamespace();
        String uplinkCidr = layout.uplinkAddress() + "/" + layout.uplinkSubnet().prefix();
        String outsideCidr = layout.outsideAddress() + "/" + layout.uplinkSubnet().prefix();
        return List.of(
                KernelAction.of("create host namespace", List.of("ip", "netns", "add", host),
                        List.of("ip", "netns", "del", host)),
                KernelAction.of("create outside namespace", List.of("ip", "netns", "add", outside),
                        List.of("ip", "netns", "del", outside)),
                KernelAction.undoneByEarlierStep("host loopback up", ip(host, "link", "set", "lo", "up")),
                KernelAction.undoneByEarlierStep("outside loopback up", ip(outside, "link", "set", "lo", "up")),
                KernelAction.of("uplink veth", ip(host, "link", "add", TargetLayout.UPLINK_DEVICE,
                        "type", "veth", "peer", "name", TargetLayout.CONTAINER_DEVICE, "netns", outside),
                        ip(host, "link", "del", TargetLayout.UPLINK_DEVICE)),
                KernelAction.undoneByEarlierStep("uplink address", ip(host, "addr", "add", uplinkCidr, "dev",
                        TargetLayout.UPLINK_DEVICE)),
                KernelAction.undoneByEarlierStep("uplink up", ip(host, "link", "set", TargetLayout.UPLINK_DEVICE, "up")),
                KernelAction.undoneByEarlierStep("outside address", ip(outside, "addr", "add", outsideCidr, "dev",
                        TargetLayout.CONTAINER_DEVICE)),
                KernelAction.undoneByEarlierStep("outside link up", ip(outside, "link", "set",
                        TargetLayout.CONTAINER_DEVICE, "up")),
                KernelAction.undoneByEarlierStep("host forwards IPv4", List.of("ip", "netns", "exec", host,
                        "sysctl", "-qw", "net.ipv4.ip_forward=1")),
                // Replies translated back by static NAT leave a container with the host's own public
                // address as source; without accept_local the host would drop them as martians.
                KernelAction.undoneByEarlierStep("host accepts its public addresses as source",
                        List.of("ip", "netns", "exec", host, "sysctl", "-qw", "net.ipv4.conf.all.accept_local=1")));
    }

    List<KernelAction> createBridge(Bridge bridge) {
        String host = layout.hostNamespace();
        String gateway = bridge.gateway() + "/" + bridge.subnet().prefix();
        List<KernelAction> actions = new ArrayList<>();
        actions.add(KernelAction.of("bridge " + bridge.name(), ip(host, "link", "add", bridge.name(), "type", "bridge"),
                ip(host, "link", "del", bridge.name())));
        actions.add(KernelAction.undoneByEarlierStep("bridge " + bridge.name() + " gateway",
                ip(host, "addr", "add", gateway, "dev", bridge.name())));
        actions.add(KernelAction.undoneByEarlierStep("bridge " + bridge.name() + " up",
                ip(host, "link", "set", bridge.name(), "up")));
        if (layout.lab()) {
            actions.add(KernelAction.of("outside routes " + bridge.subnet() + " to the host", outsideRoute("add", bridge),
                    outsideRoute("del", bridge)));
        }
        return actions;
    }

    List<KernelAction> deleteBridge(Bridge bridge) {
        List<KernelAction> actions = new ArrayList<>();
        List<List<String>> recreate = commands(createBridge(bridge).stream()
                .filter(a -> !a.command().equals(outsideRoute("add", bridge))).toList());
        if (layout.lab()) {
            actions.add(KernelAction.of("outside forgets " + bridge.subnet(), outsideRoute("del", bridge),
                    outsideRoute("add", bridge)));
        }
        actions.add(new KernelAction("delete bridge " + bridge.name(),
                ip(layout.hostNamespace(), "link", "del", bridge.name()), recreate));
        return actions;
    }

    private List<String> outsideRoute(String verb, Bridge bridge) {
        return ip(layout.outsideNamespace(), "route", verb, bridge.subnet().toString(), "via",
                layout.uplinkAddress().toString());
    }

    List<KernelAction> createContainer(Container container, Bridge bridge) {
        List<KernelAction> actions = new ArrayList<>(containerNamespace(container));
        actions.addAll(containerLink(container, bridge));
        return actions;
    }

    private List<KernelAction> containerNamespace(Container container) {
        String ns = layout.containerNamespace(container.name());
        String who = "container " + container.name();
        return List.of(
                KernelAction.of(who + " namespace", List.of("ip", "netns", "add", ns), List.of("ip", "netns", "del", ns)),
                KernelAction.undoneByEarlierStep(who + " loopback up", ip(ns, "link", "set", "lo", "up")));
    }

    private List<KernelAction> containerLink(Container container, Bridge bridge) {
        String host = layout.hostNamespace();
        String ns = layout.containerNamespace(container.name());
        String veth = TargetLayout.hostVeth(container.name());
        String dev = TargetLayout.CONTAINER_DEVICE;
        String who = "container " + container.name();
        return List.of(
                KernelAction.of(who + " veth pair", ip(host, "link", "add", veth, "type", "veth", "peer", "name", dev,
                        "netns", ns), ip(host, "link", "del", veth)),
                KernelAction.undoneByEarlierStep(who + " joins " + bridge.name(),
                        ip(host, "link", "set", veth, "master", bridge.name(), "up")),
                KernelAction.undoneByEarlierStep(who + " address", ip(ns, "addr", "add",
                        container.ip() + "/" + bridge.subnet().prefix(), "dev", dev)),
                KernelAction.undoneByEarlierStep(who + " link up", ip(ns, "link", "set", dev, "up")),
                KernelAction.undoneByEarlierStep(who + " default route", ip(ns, "route", "add", "default", "via",
                        bridge.gateway().toString())));
    }

    /**
     * The host end is deleted first: a process still running in the namespace would keep it
     * alive after `netns del`, and its veth would stay on the bridge.
     */
    List<KernelAction> deleteContainer(Container container, Bridge bridge) {
        String ns = layout.containerNamespace(container.name());
        String who = "delete container " + container.name();
        return List.of(
                new KernelAction(who + " veth pair", ip(layout.hostNamespace(), "link", "del",
                        TargetLayout.hostVeth(container.name())), commands(containerLink(container, bridge))),
                new KernelAction(who + " namespace", List.of("ip", "netns", "del", ns),
                        commands(containerNamespace(container))));
    }

    private static List<List<String>> commands(List<KernelAction> actions) {
        return actions.stream().map(KernelAction::command).toList();
    }
}
