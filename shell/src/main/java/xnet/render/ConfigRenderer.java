package xnet.render;

import java.util.ArrayList;
import java.util.List;

import xnet.model.Bridge;
import xnet.model.Config;
import xnet.model.Container;

/** Writes a configuration as the commands that build it: the form of saved profiles. */
public final class ConfigRenderer {

    private ConfigRenderer() {
    }

    public static List<String> commands(Config config) {
        List<String> lines = new ArrayList<>();
        for (Bridge bridge : config.bridges().values()) {
            lines.add("bridge add " + bridge.name() + " " + bridge.subnets());
        }
        config.tunnels().values().forEach(t -> lines.add("tunnel add " + t.text()));
        for (Container container : config.containers().values()) {
            if (container.attached() && container.foreign().cniId() != null) {
                // the container runtime adds and removes these through CNI; a profile cannot make them
                lines.add("# container " + container.name() + " (" + container.ip() + ") is CNI container "
                        + container.foreign().cniId() + "'s");
                continue;
            }
            lines.add("container " + (container.attached() ? "attach " : "add ") + container.name() + " --bridge "
                    + container.bridge() + " --ip " + container.ip()
                    + (container.ip6() == null ? "" : " --ip6 " + container.ip6())
                    + (container.attached() ? " " + container.foreign().options() : ""));
        }
        config.filters().forEach(r -> lines.add("filter add " + r.text()));
        if (config.defaultAction() != xnet.model.FilterRule.Action.ALLOW) {
            lines.add("filter default " + config.defaultAction());
        }
        java.util.Set<xnet.model.Ipv4> cniAddresses = config.containers().values().stream()
                .filter(c -> c.attached() && c.foreign().cniId() != null).map(Container::ip)
                .collect(java.util.stream.Collectors.toSet());
        // a CNI container's port mappings come and go with it
        config.nats().forEach(r -> lines.add((cniAddresses.contains(r.privateIp()) ? "# port mapping: " : "")
                + "nat add " + r.text()));
        xnet.model.Datapath d = config.datapath();
        if (!d.equals(xnet.model.Datapath.DEFAULT)) {
            lines.add("datapath " + d.hook() + (d.hook() == xnet.model.Datapath.Hook.XDP ? " mode " + d.xdpMode() : ""));
            d.perInterface().forEach((point, hook) -> lines.add("datapath " + hook + " on " + point));
            if (d.strategy() != xnet.model.Datapath.Strategy.AUTO) {
                lines.add("datapath strategy " + d.strategy());
            }
            if (d.fastpath()) {
                lines.add("datapath fastpath on");
            }
        }
        return lines;
    }
}
