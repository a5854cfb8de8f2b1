package xnet.datapath;

import java.util.LinkedHashMap;
import java.util.Map;

import xnet.model.Config;
import xnet.model.Datapath;
import xnet.plan.TargetLayout;

/**
 * Where the rules run, as the study placed them: the uplink's ingress and every container's
 * host-side veth; and every tunnel's VXLAN device, whose ingress sees the frames that arrive
 * from other hosts, decapsulated (they reach a container without crossing any veth ingress).
 */
public final class AttachPoints {

    private AttachPoints() {
    }

    /** Attach point name (uplink, or a container) to its device in the host namespace. */
    public static Map<String, String> devices(TargetLayout layout, Config config) {
        Map<String, String> devices = new LinkedHashMap<>();
        if (layout.lab()) {
            devices.put("uplink", TargetLayout.UPLINK_DEVICE);
        }
        config.containers().keySet().forEach(c -> devices.put(c, TargetLayout.hostVeth(c)));
        config.tunnels().values().forEach(t -> devices.put(t.device(), t.device()));
        return devices;
    }

    /**
     * The hook at an attach point: the config's, except that a tunnel's VXLAN device always
     * takes tc. It has no native XDP, and the kernel refuses any XDP program on a device whose
     * upper device has one: a VXLAN device is an upper device of the uplink it sends through,
     * so XDP there would keep XDP off the uplink.
     */
    public static Datapath.Hook hookOf(Config config, String point) {
        Datapath.Hook hook = config.datapath().hookOf(point);
        boolean tunnel = config.tunnels().values().stream().anyMatch(t -> t.device().equals(point));
        return tunnel && hook == Datapath.Hook.XDP ? Datapath.Hook.TC : hook;
    }

    /** The BPF hooks the config's attach points use, each once (a mutable list). */
    public static java.util.List<Datapath.Hook> hooksUsed(TargetLayout layout, Config config) {
        java.util.List<Datapath.Hook> hooks = new java.util.ArrayList<>();
        for (String point : devices(layout, config).keySet()) {
            Datapath.Hook hook = hookOf(config, point);
            if (hook.bpf() && !hooks.contains(hook)) {
                hooks.add(hook);
            }
        }
        return hooks;
    }

    /**
     * The BPF attachment of every attach point that runs a BPF hook, in the candidate's order;
     * none when the config asks for no programs ({@link #wanted}).
     */
    public static java.util.List<LinkPlan.Attachment> attachments(TargetLayout layout, Config config) {
        java.util.List<LinkPlan.Attachment> out = new java.util.ArrayList<>();
        if (!wanted(config)) {
            return out;
        }
        devices(layout, config).forEach((point, device) -> {
            Datapath.Hook hook = hookOf(config, point);
            if (hook.bpf()) {
                out.add(new LinkPlan.Attachment(point, device, hook, config.datapath().xdpMode()));
            }
        });
        return out;
    }

    /**
     * Where a packet from {@code source} enters xnet's programs: the container that has that
     * address, else the uplink (traffic from the outside); null on a target without an uplink.
     */
    public static String entryOf(TargetLayout layout, Config config, xnet.model.Ipv4 source) {
        return config.containers().values().stream().filter(c -> source.equals(c.ip())).map(xnet.model.Container::name)
                .findFirst().orElse(layout.lab() ? "uplink" : null);
    }

    /** The same for an IPv6 source: the container with that IPv6 address, else the uplink. */
    public static String entryOf(TargetLayout layout, Config config, xnet.model.Ipv6 source) {
        return config.containers().values().stream().filter(c -> source.equals(c.ip6())).map(xnet.model.Container::name)
                .findFirst().orElse(layout.lab() ? "uplink" : null);
    }

    /** Whether the config asks for BPF programs at all: rules, NAT, a drop default or the fast path, on a BPF hook. */
    public static boolean wanted(Config config) {
        boolean rules = !config.filters().isEmpty() || !config.nats().isEmpty()
                || config.defaultAction() == xnet.model.FilterRule.Action.DROP || config.datapath().fastpath();
        boolean bpfHook = config.datapath().hook().bpf()
                || config.datapath().perInterface().values().stream().anyMatch(Datapath.Hook::bpf);
        return rules && bpfHook;
    }
}
