package xnet.shell.commands;

import java.util.List;

import org.springframework.stereotype.Component;

import xnet.grammar.CommandSpec;
import xnet.grammar.Invocation;
import xnet.kernel.EndpointExec;
import xnet.kernel.LabDestroyer;
import xnet.kernel.LabInspector;
import xnet.kernel.Netns;
import xnet.model.Config;
import xnet.plan.TargetLayout;
import xnet.session.RunningState;
import xnet.shell.CommandDef;
import xnet.shell.CommandGroup;
import xnet.shell.Console;
import xnet.shell.Target;
import xnet.state.Json;

/** The lab itself: what exists in the kernel, running commands inside it, taking it down. */
@Component
public class LabCommands implements CommandGroup {

    private final Target target;

    public LabCommands(Target target) {
        this.target = target;
    }

    @Override
    public List<CommandDef> commands() {
        return List.of(
                CommandDef.of(CommandSpec.of("lab status", "[--json]",
                        "show the lab's namespaces and links in the kernel, and any drift from the running config"),
                        this::status),
                CommandDef.of(CommandSpec.of("show lab", "[--json]", "same as 'lab status'"), this::status),
                CommandDef.of(CommandSpec.of("lab destroy", "",
                        "remove every namespace, link and state file of this lab (the candidate is kept)"), this::destroy),
                CommandDef.of(CommandSpec.of("lab rebuild", "",
                        "re-create the running config in the kernel from scratch (after a reboot)"), this::rebuild),
                CommandDef.of(CommandSpec.of("exec", "<endpoint:ENDPOINT> -- <command:REST>",
                        "run a command in a container, in 'host' or in 'outside'; returns its exit status",
                        "Example: exec client -- ping -c 2 10.0.2.2"), this::exec));
    }

    private int status(Invocation in, Console console) throws Exception {
        RunningState running = target.store().running();
        LabInspector.Status status = new LabInspector(target.layout()).status(running.config());
        List<String> links = attachedPrograms();
        if (in.flag("json")) {
            java.util.Map<String, Object> view = new java.util.LinkedHashMap<>();
            view.put("status", status);
            view.put("datapath", running.config().datapath().hook().toString());
            view.put("links", links);
            console.println(Json.pretty(view));
            return 0;
        }
        console.heading("lab " + status.target() + ": running commit " + running.generation() + ", datapath "
                + running.config().datapath().hook() + (links.isEmpty() ? "" : ", programs on " + String.join(" ", links)));
        for (LabInspector.NamespaceState ns : status.namespaces()) {
            console.println(String.format("%-12s %-36s %s", ns.role(), ns.namespace(), ns.present() ? "present" : "MISSING"));
            ns.links().forEach(link -> console.println("    " + link));
        }
        if (!status.missing().isEmpty()) {
            console.warn(status.missing().size() + " namespace(s) of the running config are missing; 'lab rebuild' re-creates them");
        }
        if (!status.unknown().isEmpty()) {
            console.warn("namespaces of this lab not in the running config: " + String.join(", ", status.unknown()));
        }
        return 0;
    }

    /** The pinned bpf links of this target ("v-web+tc"), which are the programs in the kernel. */
    private List<String> attachedPrograms() throws java.io.IOException {
        java.nio.file.Path dir = xnet.bpf.BpfDatapath.pinRoot(target.layout()).resolve("links");
        if (!java.nio.file.Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = java.nio.file.Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private int destroy(Invocation in, Console console) throws Exception {
        TargetLayout layout = target.layout();
        List<String> removed = LabDestroyer.destroy(layout);
        xnet.bpf.BpfDatapath.unpinAll(layout);
        target.store().delete();
        Config kept = target.session().candidate();
        target.session().adopt(RunningState.NONE);
        target.session().replaceCandidate(kept);
        console.ok("lab " + layout.name() + " destroyed: removed " + removed.size() + " namespace(s) and its state");
        if (!kept.isEmpty()) {
            console.println("the candidate is kept; 'commit' builds it again, 'discard' empties it");
        }
        return 0;
    }

    private int rebuild(Invocation in, Console console) throws Exception {
        LabDestroyer.destroy(target.layout());
        xnet.bpf.BpfDatapath.unpinAll(target.layout());
        int steps = target.commits().rebuild(target.session());
        console.ok("lab " + target.layout().name() + " rebuilt from the running config (" + steps + " steps)");
        return 0;
    }

    private int exec(Invocation in, Console console) throws Exception {
        String endpoint = in.string("endpoint");
        TargetLayout layout = target.layout();
        boolean isLabNamespace = endpoint.equals("host") || endpoint.equals("outside");
        if (!isLabNamespace && !target.store().running().config().containers().containsKey(endpoint)) {
            boolean pending = target.session().candidate().containers().containsKey(endpoint);
            throw new IllegalArgumentException("no running container named " + endpoint
                    + (pending ? " (it is in the candidate: commit first)" : "; exec targets a container, host or outside"));
        }
        String namespace = layout.namespaceOf(endpoint);
        if (namespace == null) {
            throw new IllegalArgumentException("--host targets the machine itself: run the command directly");
        }
        if (!Netns.exists(namespace)) {
            throw new IllegalStateException("namespace " + namespace + " does not exist; commit first, or 'lab rebuild'");
        }
        return EndpointExec.run(namespace, in.list("command"), console.terminal(), console.out(), console.err());
    }
}
