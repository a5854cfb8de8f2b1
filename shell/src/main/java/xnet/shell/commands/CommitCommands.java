package xnet.shell.commands;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;


import xnet.diff.ChangeSet;
import xnet.diff.Rebase;
import xnet.grammar.CommandSpec;
import xnet.grammar.Invocation;
import xnet.model.Config;
import xnet.plan.KernelAction;
import xnet.render.ChangeRenderer;
import xnet.render.Durations;
import xnet.render.JsonViews;
import xnet.render.Table;
import xnet.service.CommitCheck;
import xnet.service.ConfirmedCommits;
import xnet.service.TargetService;
import xnet.session.CommitRecord;
import xnet.session.PendingConfirm;
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
                        this::showCandidate),
                CommandDef.of(CommandSpec.of("show running", "[--json]", "show the committed configuration"),
                        this::showRunning),
                CommandDef.of(CommandSpec.of("compare", "[<from:COMMIT>] [<to:COMMIT>] [--json]",
                        "what a commit would change: + added, - removed, ~ changed",
                        "compare: running -> candidate; compare N: commit N -> candidate; compare N M: commit N -> commit M"),
                        this::compare),
                CommandDef.of(CommandSpec.of("show commit", "<number:COMMIT> [--json]",
                        "one commit of the history: when, who, why, what it changed and its configuration"),
                        this::showCommit),
                CommandDef.of(CommandSpec.of("rebase", "",
                        "replay this session's edits on the newest running config (another shell or CNI committed)"),
                        this::rebase),
                CommandDef.of(CommandSpec.of("discard", "",
                        "drop uncommitted changes; the candidate becomes the current running config"), this::discard),
                CommandDef.of(CommandSpec.of("commit", "[comment <text:REST>]",
                        "make the candidate running: validate, prepare in the kernel, apply; all or nothing",
                        "Any failure undoes every kernel change of the commit."), this::commit),
                CommandDef.of(CommandSpec.of("commit confirmed", "<window:DURATION> [comment <text:REST>]",
                        "commit, and roll back by itself after WINDOW unless 'commit' or 'commit confirm' follows",
                        "WINDOW is minutes (as Junos takes it), or a number with its unit: 90s, 10m, 2h (5 s to 65535 m)."
                        + " The rollback is a commit like any other, made by xnetd, so it happens with this shell gone;"
                        + " a commit confirmed while one is pending moves the deadline and still goes back to the last"
                        + " confirmed commit. Commits of the container runtime (CNI) do not confirm."),
                        this::commitConfirmed),
                CommandDef.of(CommandSpec.of("commit confirm", "",
                        "keep the commit that awaits confirmation; unlike 'commit', commits nothing else"),
                        this::confirm),
                CommandDef.of(CommandSpec.of("show commit pending", "[--json]",
                        "the commit that awaits confirmation, its deadline and what it rolls back to"),
                        this::showPending),
                CommandDef.of(CommandSpec.of("commit check", "[--json]",
                        "validate the candidate and list the kernel steps a commit would take, without taking them"),
                        this::check),
                CommandDef.of(CommandSpec.of("history", "[--json]", "list the commits of this target"), this::history),
                CommandDef.of(CommandSpec.of("show history", "[--json]", "list the commits of this target"),
                        this::history),
                CommandDef.of(CommandSpec.of("rollback", "<number:COMMIT>",
                        "make commit NUMBER's configuration the candidate; 'commit' then applies it"), this::rollback));
    }

    private int showCandidate(Invocation in, Console console) {
        Config config = target.candidate();
        console.println(in.flag("json") ? Json.pretty(JsonViews.candidate(target.baseGeneration(), config))
                : TopologyCommands.configTables(config));
        return 0;
    }

    private int showRunning(Invocation in, Console console) throws IOException {
        RunningState state = target.running();
        if (in.flag("json")) {
            console.println(Json.pretty(JsonViews.running(state.generation(), state.config())));
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

    private int compare(Invocation in, Console console) throws IOException {
        Optional<Integer> from = in.optional("from", Integer.class);
        Optional<Integer> to = in.optional("to", Integer.class);
        ChangeSet changes = from.isEmpty() ? target.changes()
                : ChangeSet.between(target.commitRecord(from.get()).config(),
                        to.isEmpty() ? target.candidate() : target.commitRecord(to.get()).config());
        if (!in.flag("json") && from.isPresent()) {
            console.heading("from commit " + from.get() + " to " + to.map(n -> "commit " + n).orElse("the candidate"));
        }
        if (in.flag("json")) {
            console.println(Json.pretty(JsonViews.changes(changes)));
        } else if (changes.isEmpty()) {
            console.println("no changes");
        } else {
            ChangeRenderer.lines(changes).forEach(console::println);
        }
        return 0;
    }

    private int showCommit(Invocation in, Console console) throws IOException {
        int number = in.get("number", Integer.class);
        CommitRecord record = target.commitRecord(number);
        if (in.flag("json")) {
            Map<String, Object> view = new LinkedHashMap<>(JsonViews.commit(record));
            view.put("config", JsonViews.config(record.config()));
            console.println(Json.pretty(view));
            return 0;
        }
        console.heading("commit " + number + " at " + record.at() + " by " + record.user() + " (" + record.summary() + ")"
                + (record.comment() == null || record.comment().isEmpty() ? "" : ": " + record.comment()));
        if (number > 1) {
            ChangeSet changes = ChangeSet.between(target.commitRecord(number - 1).config(), record.config());
            ChangeRenderer.lines(changes).forEach(console::println);
            console.println("");
        }
        console.println(TopologyCommands.configTables(record.config()));
        return 0;
    }

    private int rebase(Invocation in, Console console) throws IOException {
        int before = target.baseGeneration();
        Rebase.Result result = target.rebase();
        if (!result.merged()) {
            console.error("rebase refused: both this session and the running config changed the same thing; nothing changed");
            result.conflicts().forEach(c -> console.error("    " + c));
            return 1;
        }
        result.notes().forEach(console::println);
        console.ok(target.baseGeneration() == before ? "already based on the newest commit (" + before + ")"
                : "rebased onto commit " + target.baseGeneration() + " (was " + before + "); 'compare' shows your changes");
        return 0;
    }

    private int discard(Invocation in, Console console) throws IOException {
        int dropped = target.discard();
        console.ok("discarded " + dropped + " change(s); the candidate is running commit " + target.baseGeneration());
        return 0;
    }

    private int commit(Invocation in, Console console) throws Exception {
        CommitRecord record = target.commit(in.optional("text", String.class).orElse(""));
        PendingConfirm confirmed = target.confirmedByLastCommit();
        if (record == null) {
            console.println(confirmed == null ? "nothing to commit" : "nothing else to commit");
        } else {
            console.ok("commit " + record.number() + " done (" + record.summary() + ")");
        }
        if (confirmed != null) {
            console.ok(confirmedText(confirmed));
        }
        return 0;
    }

    private static String confirmedText(PendingConfirm confirmed) {
        return "commit " + confirmed.commit() + " confirmed: it stays (it would have rolled back to commit "
                + confirmed.rollbackTo() + " at " + confirmed.deadline() + ")";
    }

    private int commitConfirmed(Invocation in, Console console) throws Exception {
        java.time.Duration window = in.get("window", java.time.Duration.class);
        ConfirmedCommits.Outcome outcome = target.commitConfirmed(window, in.optional("text", String.class).orElse(""));
        if (outcome == null) {
            console.println("nothing to commit");
            return 0;
        }
        PendingConfirm pending = outcome.pending();
        if (outcome.record() != null) {
            console.ok("commit " + outcome.record().number() + " done (" + outcome.record().summary() + ")");
        } else {
            console.println("nothing else to commit; the deadline moves");
        }
        console.warn("commit " + pending.commit() + " rolls back to commit " + pending.rollbackTo() + " at "
                + pending.deadline() + " (in " + Durations.text(window) + ") unless 'commit' or 'commit confirm' follows");
        if (!outcome.heldByDaemon()) {
            console.warn("note: no xnetd holds the timer: the rollback happens while this shell runs, or when the "
                    + "next xnet starts on " + target.layout().name());
        }
        return 0;
    }

    private int confirm(Invocation in, Console console) throws IOException {
        PendingConfirm confirmed = target.confirm();
        if (confirmed == null) {
            console.println("no commit awaits confirmation");
        } else {
            console.ok(confirmedText(confirmed));
        }
        if (target.hasChanges()) {
            console.println("the candidate's own changes are not committed: 'commit' does that");
        }
        return 0;
    }

    private int showPending(Invocation in, Console console) throws IOException {
        Optional<PendingConfirm> pending = target.pendingConfirm();
        if (in.flag("json")) {
            console.println(Json.pretty(JsonViews.pending(pending, java.time.Instant.now())));
            return 0;
        }
        if (pending.isEmpty()) {
            console.println("no commit awaits confirmation");
            return 0;
        }
        PendingConfirm p = pending.get();
        console.println("commit " + p.commit() + " awaits confirmation until " + p.deadline() + " ("
                + Durations.text(p.remaining(java.time.Instant.now())) + " left), by " + p.user()
                + (p.comment() == null || p.comment().isEmpty() ? "" : ": " + p.comment()));
        console.println("unless 'commit' or 'commit confirm' comes first, the running config goes back to commit "
                + p.rollbackTo() + "'s");
        return 0;
    }

    private int check(Invocation in, Console console) throws IOException {
        CommitCheck check = target.check();
        if (in.flag("json")) {
            Map<String, Object> view = new LinkedHashMap<>(JsonViews.changes(check.changes()));
            view.put("steps", check.steps().stream().map(JsonViews::step).toList());
            view.put("datapathSteps", check.datapath());
            if (check.programs() != null) {
                view.put("preview", JsonViews.preview(check.programs()));
            }
            if (check.ruleset() != null) {
                view.put("ruleset", JsonViews.ruleset(check.ruleset()));
            }
            console.println(Json.pretty(view));
            return check.programsVerified() ? 0 : 1;
        }
        if (!check.programsVerified()) {
            if (check.programs() != null) {
                check.programs().programs().stream().filter(p -> !p.verified())
                        .forEach(p -> console.error("commit check failed: " + p.hook() + ": " + p.verdict()));
            }
            if (check.ruleset() != null && !check.ruleset().passed()) {
                console.error("commit check failed: " + check.ruleset().verdict());
            }
            return 1;
        }
        String programs = check.programs() != null ? "strategy " + check.programs().strategy() + ", "
                + check.programs().programs().size() + " program(s) verified"
                : check.ruleset() != null ? check.ruleset().verdict() : "no BPF programs";
        console.ok("commit check passed: " + check.changes().summary() + ", " + check.steps().size()
                + " ip step(s), " + check.datapath().size() + " datapath step(s), " + programs);
        int n = 1;
        for (KernelAction action : check.steps()) {
            console.println(String.format("%3d  %-40s %s", n++, action.what(), action.commandLine()));
        }
        for (String step : check.datapath()) {
            console.println(String.format("%3d  %s", n++, step));
        }
        return 0;
    }

    private int history(Invocation in, Console console) throws IOException {
        List<CommitRecord> records = target.history();
        if (in.flag("json")) {
            console.println(Json.pretty(records.stream().map(JsonViews::commit).toList()));
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
        Optional<PendingConfirm> pending = target.pendingConfirm();
        if (pending.isPresent()) {
            PendingConfirm p = pending.get();
            console.warn("note: commit " + p.commit() + " awaits confirmation and goes back to commit " + p.rollbackTo()
                    + " by itself at " + p.deadline() + "; 'commit' of this rollback confirms it first, "
                    + "'commit confirmed' applies it with a new deadline");
        }
        return 0;
    }
}
