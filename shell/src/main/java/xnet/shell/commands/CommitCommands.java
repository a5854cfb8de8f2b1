package xnet.shell.commands;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import xnet.diff.ChangeSet;
import xnet.grammar.CommandSpec;
import xnet.grammar.Invocation;
import xnet.model.Config;
import xnet.plan.KernelAction;
import xnet.render.ChangeRenderer;
import xnet.render.Table;
import xnet.service.CommitCheck;
import xnet.service.TargetService;
import xnet.session.CommitRecord;
import xnet.session.PreviewReport;
import xnet.session.RunningState;
import xnet.shell.CommandDef;
import xnet.shell.CommandGroup;
import xnet.shell.Console;
import xnet.state.Json;

/** The candidate and the running config: show, compare, discard, commit, history, rollback. */
public class CommitCommands implements CommandGroup {

    private final TargetService target;

    public CommitCommands(TargetService target) {
        this.target = target;
    }

    @Override
    public List<CommandDef> commands() {
        return List.of(
                CommandDef.of(CommandSpec.of("show candidate", "[--json]", "show the configuration being edited"),
                        (in, c) -> showConfig(target.candidate(), in, c)),
                CommandDef.of(CommandSpec.of("show running", "[--json]", "show the committed configuration"),
                        this::showRunning),
                CommandDef.of(CommandSpec.of("compare", "[--json]",
                        "what a commit would change: + added, - removed, ~ changed"), this::compare),
                CommandDef.of(CommandSpec.of("discard", "",
                        "drop uncommitted changes; the candidate becomes the current running config"), this::discard),
                CommandDef.of(CommandSpec.of("commit", "[comment <text:REST>]",
                        "make the candidate running: validate, prepare in the kernel, apply; all or nothing",
                        "Any failure undoes every kernel change of the commit."), this::commit),
                CommandDef.of(CommandSpec.of("commit check", "[--json]",
                        "validate the candidate and list the kernel steps a commit would take, without taking them"),
                        this::check),
                CommandDef.of(CommandSpec.of("history", "[--json]", "list the commits of this target"), this::history),
                CommandDef.of(CommandSpec.of("show history", "[--json]", "list the commits of this target"),
                        this::history),
                CommandDef.of(CommandSpec.of("rollback", "<number:COMMIT>",
                        "make commit NUMBER's configuration the candidate; 'commit' then applies it"), this::rollback));
    }

    private int showConfig(Config config, Invocation in, Console console) {
        console.println(in.flag("json") ? Json.pretty(config) : TopologyCommands.configTables(config));
        return 0;
    }

    private int showRunning(Invocation in, Console console) throws IOException {
        RunningState state = target.running();
        if (in.flag("json")) {
            console.println(Json.pretty(state));
            return 0;
        }
        console.heading("running config of " + target.layout().name() + " (commit " + state.generation() + ")");
        console.println(TopologyCommands.configTables(state.config()));
        if (state.generation() != target.baseGeneration()) {
            console.warn("note: this session is based on commit " + target.baseGeneration()
                    + "; 'discard' takes the newer running config");
        }
        return 0;
    }

    private int compare(Invocation in, Console console) {
        ChangeSet changes = target.changes();
        if (in.flag("json")) {
            console.println(Json.pretty(changes));
        } else if (changes.isEmpty()) {
            console.println("no changes");
        } else {
            ChangeRenderer.lines(changes).forEach(console::println);
        }
        return 0;
    }

    private int discard(Invocation in, Console console) throws IOException {
        int dropped = target.discard();
        console.ok("discarded " + dropped + " change(s); the candidate is running commit " + target.baseGeneration());
        return 0;
    }

    private int commit(Invocation in, Console console) throws Exception {
        CommitRecord record = target.commit(in.optional("text", String.class).orElse(""));
        if (record == null) {
            console.println("nothing to commit");
        } else {
            console.ok("commit " + record.number() + " done (" + record.summary() + ")");
        }
        return 0;
    }

    private int check(Invocation in, Console console) throws IOException {
        CommitCheck check = target.check();
        if (in.flag("json")) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("changes", check.changes());
            view.put("steps", check.steps());
            console.println(Json.pretty(view));
            return 0;
        }
        if (!check.programsVerified()) {
            for (PreviewReport.Program p : check.programs().programs()) {
                if (!p.verified()) {
                    console.error("commit check failed: " + p.hook() + ": " + p.verdict());
                }
            }
            return 1;
        }
        String programs = check.programs() == null ? "no BPF programs" : "strategy " + check.programs().strategy()
                + ", " + check.programs().programs().size() + " program(s) verified";
        console.ok("commit check passed: " + check.changes().summary() + ", " + check.steps().size()
                + " kernel step(s), " + programs);
        int n = 1;
        for (KernelAction action : check.steps()) {
            console.println(String.format("%3d  %-40s %s", n++, action.what(), action.commandLine()));
        }
        return 0;
    }

    private int history(Invocation in, Console console) throws IOException {
        List<CommitRecord> records = target.history();
        if (in.flag("json")) {
            console.println(Json.pretty(records));
            return 0;
        }
        if (records.isEmpty()) {
            console.println("no commits yet");
            return 0;
        }
        Table table = new Table("COMMIT", "WHEN", "USER", "CHANGES", "COMMENT");
        for (CommitRecord r : records) {
            table.row(r.number(), r.at(), r.user(), r.summary(), r.comment());
        }
        console.println(table.render());
        return 0;
    }

    private int rollback(Invocation in, Console console) throws IOException {
        int number = in.get("number", Integer.class);
        ChangeSet changes = target.rollback(number);
        console.ok("the candidate is now commit " + number + " (" + changes.summary() + " against running); "
                + "'compare' shows it, 'commit' applies it");
        return 0;
    }
}
