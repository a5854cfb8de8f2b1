package xnet.shell.commands;

import java.nio.file.Path;
import java.util.List;

import xnet.cni.CniConfig;
import xnet.grammar.CommandSpec;
import xnet.grammar.Invocation;
import xnet.model.Bridge;
import xnet.service.TargetService;
import xnet.shell.CommandDef;
import xnet.shell.CommandGroup;
import xnet.shell.Console;
import xnet.state.CniFiles;

/** `cni install` and `cni remove`: the files that let a container runtime (containerd, a kubelet) use a bridge. */
public class CniCommands implements CommandGroup {

    private final TargetService target;
    private final CniFiles files;

    public CniCommands(TargetService target, CniFiles files) {
        this.target = target;
        this.files = files;
    }

    @Override
    public List<CommandDef> commands() {
        String dirs = " [--bin-dir <bin:TEXT>] [--conf-dir <conf:TEXT>] [--name <network:NAME>]";
        return List.of(
                CommandDef.of(CommandSpec.of("cni install", "--bridge <bridge:BRIDGE>" + dirs + " [--ipam <ipam:NAME>]",
                        "let a container runtime put its containers on a bridge: install xnet-cni and a conflist",
                        "Writes the plugin xnet-cni to --bin-dir (/opt/cni/bin) and NAME.conflist (network\n"
                        + "xnet-BRIDGE) to --conf-dir (/etc/cni/net.d). The runtime's ADD then joins a\n"
                        + "container to the bridge through this target's xnetd: an address from the bridge\n"
                        + "(or from --ipam, e.g. host-local), its port mappings as static NAT, and every\n"
                        + "filter rule and counter. The bridge must be running (committed).\n"
                        + "Example: cni install --bridge br1"), this::install),
                CommandDef.of(CommandSpec.of("cni remove", "--bridge <bridge:BRIDGE>" + dirs,
                        "remove the bridge's conflist (and xnet-cni when no other xnet network uses it)"),
                        this::remove));
    }

    private int install(Invocation in, Console console) throws Exception {
        String bridgeName = in.string("bridge");
        Bridge bridge = target.running().config().bridges().get(bridgeName);
        if (bridge == null) {
            throw new IllegalArgumentException("bridge " + bridgeName + " is not running on " + target.layout().name()
                    + (target.candidate().bridges().containsKey(bridgeName) ? " (it is in the candidate: commit first)" : ""));
        }
        String network = network(in, bridgeName);
        String conflist = CniConfig.conflist(network, bridge, files.socket().toString(),
                in.optional("ipam", String.class).orElse(null));
        for (Path written : files.install(dir(in, "bin", CniFiles.BIN_DIR), dir(in, "conf", CniFiles.CONF_DIR),
                network, conflist)) {
            console.ok("wrote " + written);
        }
        console.println("network " + network + ": containers get addresses on " + bridge.name() + " (" + bridge.subnet()
                + ") through xnetd at " + files.socket());
        return 0;
    }

    private int remove(Invocation in, Console console) throws Exception {
        String network = network(in, in.string("bridge"));
        List<Path> removed = files.remove(dir(in, "bin", CniFiles.BIN_DIR), dir(in, "conf", CniFiles.CONF_DIR), network);
        if (removed.isEmpty()) {
            console.warn("no conflist for network " + network + " there; nothing removed");
        }
        removed.forEach(p -> console.ok("removed " + p));
        return 0;
    }

    private static String network(Invocation in, String bridge) {
        return in.optional("network", String.class).orElse("xnet-" + bridge);
    }

    private static Path dir(Invocation in, String option, Path fallback) {
        return in.optional(option, String.class).map(Path::of).orElse(fallback);
    }
}
