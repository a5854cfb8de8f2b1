package xnet.shell.commands;

import java.util.List;


import xnet.grammar.CommandSpec;
import xnet.grammar.Invocation;
import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Cidr6;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Ipv4;
import xnet.model.Ipv6;
import xnet.render.JsonViews;
import xnet.render.Table;
import xnet.service.TargetService;
import xnet.shell.CommandDef;
import xnet.shell.CommandGroup;
import xnet.shell.Console;
import xnet.state.Json;

/** bridge, container and tunnel: edits of the candidate, and listings of it. */
public class TopologyCommands implements CommandGroup {

    private final TargetService target;

    public TopologyCommands(TargetService target) {
        this.target = target;
    }

    @Override
    public List<CommandDef> commands() {
        return List.of(
                CommandDef.edit(CommandSpec.of("bridge add", "<name:NAME> <cidr:CIDR> [<cidr6:CIDR6>]",
                        "add a bridge; the host takes each subnet's first address as gateway",
                        "An IPv6 subnet after the IPv4 one makes the bridge dual-stack: its containers get an\n"
                        + "address of each family and a default route for both.\n"
                        + "Example: bridge add br1 10.0.1.0/24 fd00:1::/64"), this::addBridge),
                CommandDef.edit(CommandSpec.of("bridge del", "<name:BRIDGE>", "delete a bridge that has no containers"),
                        this::deleteBridge),
                CommandDef.of(CommandSpec.of("bridge list", "[--json]", "list the candidate's bridges"), this::listBridges),
                CommandDef.edit(CommandSpec.of("container add", "<name:NAME> --bridge <bridge:BRIDGE> [--ip <ip:IPV4>]"
                                + " [--ip6 <ip6:IPV6>]",
                        "add a container on a bridge; without --ip (--ip6) it gets the next free address",
                        "Example: container add web --bridge br1"), this::addContainer),
                CommandDef.edit(CommandSpec.of("container attach", "<name:NAME> --bridge <bridge:BRIDGE> [--ip <ip:IPV4>]"
                                + " [--ip6 <ip6:IPV6>] (--netns <netns:TEXT> | --pid <pid:INT>) [--ifname <ifname:NAME>]",
                        "join a network namespace xnet did not make to a bridge (xnet adds only the veth)",
                        "Give the namespace as --netns PATH (a bind mount such as /run/netns/NAME, or\n"
                        + "/proc/PID/ns/net) or --pid PID (a process in it). --ifname names the device\n"
                        + "inside it (eth0). Rules, NAT and counters apply as to any container;\n"
                        + "'container del' removes the veth and leaves the namespace and its processes.\n"
                        + "Example: container attach db --bridge br1 --netns /run/netns/db"), this::attachContainer),
                CommandDef.edit(CommandSpec.of("container del", "<name:CONTAINER>", "delete a container"),
                        this::deleteContainer),
                CommandDef.of(CommandSpec.of("container list", "[--json]", "list the candidate's containers"),
                        this::listContainers),
                CommandDef.edit(CommandSpec.of("tunnel add", "<name:NAME> --vni <vni:INT> --remote <remote:IP>"
                        + " [--local <local:IP>] [--dev <dev:NAME>] [--port <port:INT>] --bridge <bridge:BRIDGE>",
                        "stretch a bridge to another host over VXLAN (device vx-NAME)",
                        "The bridge's segment becomes VNI N, shared with the same VNI on the remote host. --local\n"
                        + "(source address) and --dev (underlay device) default to the uplink's, --port to 4789.\n"
                        + "Containers on the bridge get MTU 1450 (VXLAN takes 50 bytes; 1430 over an IPv6\n"
                        + "underlay, whose outer header is 20 bytes longer), and the host does not route between\n"
                        + "the bridge and its other bridges (tenants stay apart). The remote's family is the\n"
                        + "underlay's: an IPv6 remote sends from the uplink's IPv6 address.\n"
                        + "Example: tunnel add t4097 --vni 4097 --remote 10.0.0.3 --bridge br1"), this::addTunnel),
                CommandDef.edit(CommandSpec.of("tunnel del", "<name:TUNNEL>", "delete a tunnel"), this::deleteTunnel),
                CommandDef.of(CommandSpec.of("tunnel list", "[--json]", "list the candidate's tunnels"), this::listTunnels));
    }

    private int addTunnel(Invocation in, Console console) {
        String name = in.string("name");
        xnet.model.Tunnel tunnel = new xnet.model.Tunnel(name, in.get("vni", Integer.class),
                in.get("remote", xnet.model.IpAddress.class),
                in.optional("local", xnet.model.IpAddress.class).orElse(null),
                in.optional("dev", String.class).orElse(null),
                in.optional("port", Integer.class).orElse(xnet.model.Tunnel.DEFAULT_PORT), in.string("bridge"));
        target.edit(c -> target.editors().topology().addTunnel(c, tunnel));
        console.ok("tunnel " + name + " added: " + tunnel.bridge() + " is VNI " + tunnel.vni() + " with "
                + tunnel.remote() + " (device " + tunnel.device() + ")");
        return 0;
    }

    private int deleteTunnel(Invocation in, Console console) {
        String name = in.string("name");
        target.edit(c -> target.editors().topology().deleteTunnel(c, name));
        console.ok("tunnel " + name + " deleted");
        return 0;
    }

    private int listTunnels(Invocation in, Console console) {
        return list(in, console, c -> c.tunnels().values().stream().map(JsonViews::tunnel).toList(),
                TopologyCommands::tunnelTable);
    }

    static String tunnelTable(Config config) {
        Table table = new Table("TUNNEL", "VNI", "REMOTE", "LOCAL", "DEV", "PORT", "BRIDGE");
        for (xnet.model.Tunnel t : config.tunnels().values()) {
            table.row(t.name(), t.vni(), t.remote(), t.local() == null ? "(uplink)" : t.local(),
                    t.dev() == null ? "(uplink)" : t.dev(), t.port(), t.bridge());
        }
        return table.render();
    }

    private int addBridge(Invocation in, Console console) {
        String name = in.string("name");
        Cidr cidr = in.get("cidr", Cidr.class);
        Cidr6 cidr6 = in.optional("cidr6", Cidr6.class).orElse(null);
        target.edit(c -> target.editors().topology().addBridge(c, name, cidr, cidr6));
        console.ok("bridge " + name + " " + cidr + (cidr6 == null ? "" : " " + cidr6) + " added (gateway "
                + cidr.gateway() + (cidr6 == null ? "" : " " + cidr6.gateway()) + ")");
        return 0;
    }

    private int deleteBridge(Invocation in, Console console) {
        String name = in.string("name");
        target.edit(c -> target.editors().topology().deleteBridge(c, name));
        console.ok("bridge " + name + " deleted");
        return 0;
    }

    private int addContainer(Invocation in, Console console) {
        String name = in.string("name");
        target.edit(c -> target.editors().topology().addContainer(c, name, in.string("bridge"),
                in.optional("ip", Ipv4.class), in.optional("ip6", Ipv6.class), null));
        Container added = target.candidate().containers().get(name);
        console.ok("container " + name + " added on " + added.bridge() + " with " + addresses(added));
        return 0;
    }

    private int attachContainer(Invocation in, Console console) {
        String name = in.string("name");
        Container.Foreign foreign = new Container.Foreign(in.optional("netns", String.class).orElse(null),
                in.optional("pid", Integer.class).map(Integer::longValue).orElse(null),
                in.optional("ifname", String.class).orElse(null));
        target.edit(c -> target.editors().topology().addContainer(c, name, in.string("bridge"),
                in.optional("ip", Ipv4.class), in.optional("ip6", Ipv6.class), foreign));
        Container added = target.candidate().containers().get(name);
        console.ok("container " + name + " attached on " + added.bridge() + " with " + addresses(added) + " ("
                + foreign.options() + ")");
        return 0;
    }

    private static String addresses(Container c) {
        return c.ip6() == null ? c.ip().toString() : c.ip() + " and " + c.ip6();
    }

    private int deleteContainer(Invocation in, Console console) {
        String name = in.string("name");
        Container gone = target.candidate().containers().get(name);
        target.edit(c -> target.editors().topology().deleteContainer(c, name));
        console.ok("container " + name + " deleted");
        if (gone != null) {
            // the addresses of either family that no container holds any more
            List<xnet.model.IpAddress> freed = new java.util.ArrayList<>();
            freed.add(gone.ip());
            if (gone.ip6() != null) {
                freed.add(gone.ip6());
            }
            target.candidate().containers().values().forEach(c -> freed.removeAll(java.util.Arrays.asList(c.ip(), c.ip6())));
            xnet.model.RuleShadows.natsTo(target.candidate(), freed).forEach(n -> console.warn("warning: nat " + n.id()
                    + " (" + n.text() + ") now points at no container; 'nat del " + n.id() + "' removes it"));
        }
        return 0;
    }

    private int listBridges(Invocation in, Console console) {
        return list(in, console, c -> c.bridges().values().stream().map(JsonViews::bridge).toList(),
                TopologyCommands::bridgeTable);
    }

    private int listContainers(Invocation in, Console console) {
        return list(in, console, c -> c.containers().values().stream().map(JsonViews::container).toList(),
                TopologyCommands::containerTable);
    }

    private int list(Invocation in, Console console, java.util.function.Function<Config, List<?>> views,
                     java.util.function.Function<Config, String> table) {
        Config config = target.candidate();
        console.println(in.flag("json") ? Json.pretty(views.apply(config)) : table.apply(config));
        return 0;
    }

    static String bridgeTable(Config config) {
        boolean dual = config.bridges().values().stream().anyMatch(b -> b.subnet6() != null);
        Table table = dual ? new Table("BRIDGE", "SUBNET", "GATEWAY", "SUBNET6", "GATEWAY6", "CONTAINERS")
                : new Table("BRIDGE", "SUBNET", "GATEWAY", "CONTAINERS");
        for (Bridge b : config.bridges().values()) {
            int containers = config.containersOn(b.name()).size();
            if (dual) {
                table.row(b.name(), b.subnet(), b.gateway(), orDash(b.subnet6()), orDash(b.gateway6()), containers);
            } else {
                table.row(b.name(), b.subnet(), b.gateway(), containers);
            }
        }
        return table.render();
    }

    static String containerTable(Config config) {
        boolean dual = config.containers().values().stream().anyMatch(c -> c.ip6() != null);
        Table table = dual ? new Table("CONTAINER", "BRIDGE", "ADDRESS", "ADDRESS6", "NAMESPACE")
                : new Table("CONTAINER", "BRIDGE", "ADDRESS", "NAMESPACE");
        for (Container c : config.containers().values()) {
            if (dual) {
                table.row(c.name(), c.bridge(), c.ip(), orDash(c.ip6()), namespaceOf(c));
            } else {
                table.row(c.name(), c.bridge(), c.ip(), namespaceOf(c));
            }
        }
        return table.render();
    }

    /** An IPv6 column's value; "-" where a bridge or container has none. */
    private static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }

    private static String namespaceOf(Container c) {
        if (!c.attached()) {
            return "xnet's";
        }
        return c.foreign().cniId() != null ? "CNI " + c.foreign().cniId() + " " + c.foreign().ifname()
                : "attached: " + c.foreign().options();
    }

    /** The whole configuration as tables, for `show candidate` and `show running`. */
    static String configTables(Config config) {
        if (config.isEmpty()) {
            return "(empty)";
        }
        StringBuilder out = new StringBuilder(bridgeTable(config) + "\n\n" + containerTable(config));
        if (!config.tunnels().isEmpty()) {
            out.append("\n\n").append(tunnelTable(config));
        }
        if (!config.filters().isEmpty() || config.defaultAction() != xnet.model.FilterRule.Action.ALLOW) {
            Table rules = new Table("FILTER", "RULE");
            config.filters().forEach(r -> rules.row(r.id(), r.text()));
            rules.row("default", config.defaultAction());
            out.append("\n\n").append(rules.render());
        }
        if (!config.nats().isEmpty()) {
            Table nats = new Table("NAT", "RULE");
            config.nats().forEach(r -> nats.row(r.id(), r.text()));
            out.append("\n\n").append(nats.render());
        }
        return out.toString();
    }
}
