package xnet.shell.commands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import xnet.grammar.CommandSpec;
import xnet.kernel.EndpointExec;
import xnet.grammar.Invocation;
import xnet.service.TargetService;
import xnet.service.TargetStatus;
import xnet.session.LabStatus;
import xnet.shell.CommandDef;
import xnet.shell.CommandGroup;
import xnet.shell.Console;
import xnet.render.JsonViews;
import xnet.state.Json;

/** The lab itself: what exists in the kernel, running commands inside it, taking it down. */
public class LabCommands implements CommandGroup {

    private final TargetService target;
    private final xnet.shell.ShellControl control;

    public LabCommands(TargetService target, xnet.shell.ShellControl control) {
        this.target = target;
        this.control = control;
    }

    @Override
    public List<CommandDef> commands() {
        return List.of(
                CommandDef.of(CommandSpec.of("lab status", "[--json]",
                        "show the lab's namespaces and links in the kernel, and any drift from the running config"),
                        this::status),
                CommandDef.of(CommandSpec.of("show lab", "[--json]", "same as 'lab status'"), this::status),
                CommandDef.of(CommandSpec.of("lab destroy", "[--yes]",
                        "remove every namespace, link and state file of this lab (the candidate is kept)",
                        "At a prompt it says what it would remove and goes on when repeated (or with --yes); "
                                + "-c and -f runs go on at once."), this::destroy),
                CommandDef.of(CommandSpec.of("lab rebuild", "[--yes]",
                        "re-create the running config in the kernel from scratch (after a reboot)",
                        "It removes the lab's namespaces first: processes in its containers are stopped. At a"
                                + " prompt it says so and goes on when repeated (or with --yes); -c and -f runs go"
                                + " on at once."), this::rebuild),
                CommandDef.of(CommandSpec.of("lab repair", "",
                        "after a damaged state file: make the newest commit that reads whole the running one",
                        "Unreadable files, and commits after that one, are moved to a damaged-* folder of the "
                                + "target's state. The kernel is left alone: 'lab status' compares it, "
                                + "'lab rebuild' builds the running config again."), this::repair),
                CommandDef.of(CommandSpec.of("exec", "<endpoint:ENDPOINT> -- <command:REST>",
                        "run a command in a container, in 'host' or in 'outside'; returns its exit status",
                        "Example: exec client -- ping -c 2 10.0.2.2"), this::exec));
    }

    /** Exits 1 when the kernel lacks or differs from anything of the running config (a way to script checks). */
    private int status(Invocation in, Console console) throws Exception {
        TargetStatus status = target.status();
        LabStatus lab = status.lab();
        boolean whole = lab.missing().isEmpty() && lab.unknown().isEmpty() && lab.differences().isEmpty()
                && status.programs().isEmpty() && status.drift().isEmpty();
        if (in.flag("json")) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("lab", lab.target());
            view.put("commit", status.generation());
            view.put("ok", whole);
            view.put("hook", status.datapath());
            view.put("attachments", status.links().stream().map(LabCommands::attached).toList());
            view.put("namespaces", lab.namespaces().stream().map(JsonViews::namespace).toList());
            view.put("missing", lab.missing());
            view.put("unknown", lab.unknown());
            view.put("differences", lab.differences());
            view.put("programProblems", status.programs());
            view.put("drift", status.drift());
            console.println(Json.pretty(view));
            return whole ? 0 : 1;
        }
        if (status.generation() == 0 && lab.namespaces().isEmpty()) {
            console.heading("lab " + lab.target() + ": empty (nothing committed yet)");
            return whole ? 0 : 1;
        }
        console.heading("lab " + lab.target() + ": running commit " + status.generation() + ", datapath "
                + status.datapath() + (status.links().isEmpty() ? "" : ", programs on " + String.join(" ", status.links())));
        for (LabStatus.NamespaceState ns : lab.namespaces()) {
            console.println(String.format("%-12s %-36s %s", ns.role(), ns.namespace(), ns.present() ? "present" : "MISSING"));
            ns.links().forEach(link -> console.println("    " + link.line()));
        }
        if (!lab.missing().isEmpty()) {
            console.warn(lab.missing().size() + " namespace(s) of the running config are missing; 'lab rebuild' re-creates them");
        }
        if (!lab.unknown().isEmpty()) {
            console.warn("namespaces of this lab not in the running config: " + String.join(", ", lab.unknown()));
        }
        if (!lab.differences().isEmpty()) {
            console.warn("the kernel differs from the running config:");
            lab.differences().forEach(d -> console.warn("    " + d));
        }
        if (!status.programs().isEmpty()) {
            console.warn("the attached programs differ from the running config:");
            status.programs().forEach(p -> console.warn("    " + p));
        }
        if (!status.drift().isEmpty()) {
            console.warn("DRIFT: an undo could not finish; the kernel may differ from the running config:");
            status.drift().forEach(d -> console.warn("    " + d));
        }
        if (!whole) {
            console.warn("'lab rebuild' builds the running config again from nothing");
        }
        return whole ? 0 : 1;
    }

    private int destroy(Invocation in, Console console) throws Exception {
        if (control.interactive() && !in.flag("yes") && !control.confirm("lab destroy")) {
            int commits = target.history().size();
            console.warn("'lab destroy' removes every namespace of lab " + target.layout().name()
                    + ", its programs and its history of " + commits + " commit(s); 'lab destroy' again "
                    + "(or 'lab destroy --yes') to go on");
            return 1;
        }
        List<String> removed = target.destroy();
        console.ok("lab " + target.layout().name() + " destroyed: removed " + removed.size() + " namespace(s) and its state");
        if (control.interactive() && !target.candidate().isEmpty()) {
            console.println("the candidate is kept; 'commit' builds it again, 'discard' empties it");
        } else if (!control.interactive()) {
            // a -c or -f run ends with its candidate dropped: the destroyed lab's config is no
            // uncommitted change of that run (and --strict must not fail over it)
            target.discard();
        }
        return 0;
    }

    private int rebuild(Invocation in, Console console) throws Exception {
        if (control.interactive() && !in.flag("yes") && !control.confirm("lab rebuild")) {
            console.warn("'lab rebuild' removes every namespace of lab " + target.layout().name() + " and makes the"
                    + " running config anew: processes still running in its containers are stopped (SIGKILL);"
                    + " 'lab rebuild' again (or 'lab rebuild --yes') to go on");
            return 1;
        }
        int steps = target.rebuild();
        console.ok("lab " + target.layout().name() + " rebuilt from the running config (" + steps + " steps)");
        return 0;
    }

    private int repair(Invocation in, Console console) throws Exception {
        xnet.session.StateStore.Repair repair = target.repair();
        String name = target.layout().name();
        if (!repair.changed() && repair.movedAside().isEmpty()) {
            console.ok("the state of " + name + " reads whole: nothing to repair (running commit " + repair.running() + ")");
            return 0;
        }
        console.ok("the state of " + name + " repaired: running commit is " + (repair.running() == 0 ? "none"
                : Integer.toString(repair.running())) + " now" + (repair.movedAside().isEmpty() ? ""
                : "; moved to " + repair.aside() + ": " + String.join(" ", repair.movedAside())));
        console.println("the kernel still runs what it ran: 'lab status' compares, 'lab rebuild' builds the running config");
        return 0;
    }

    private int exec(Invocation in, Console console) throws Exception {
        if (console.handoff() != null) {
            // xnetd's prompt: the client's terminal runs the command, so `exec web sh` is interactive
            String namespace = target.execNamespace(in.string("endpoint"));
            return console.handoff().run(EndpointExec.command(namespace, in.list("command")));
        }
        // a run's first exec takes its standard input, streamed as the client reads it
        java.io.InputStream input = console.terminal() ? null : console.input().stream("exec");
        return console.foreground().interruptible(() -> target.exec(in.string("endpoint"), in.list("command"),
                console.terminal(), input, console.out(), console.err()));
    }

    /** A pinned link's name, "v-web+tc", as the device and hook it attaches to. */
    private static Map<String, Object> attached(String link) {
        int plus = link.lastIndexOf('+');
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("device", plus < 0 ? link : link.substring(0, plus));
        out.put("hook", plus < 0 ? "" : link.substring(plus + 1));
        return out;
    }
}
