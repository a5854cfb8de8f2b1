package xnet.session;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import xnet.diff.ChangeSet;
import xnet.diff.Rebase;
import xnet.diff.FilterDelta;
import xnet.model.Config;
import xnet.model.Problem;
import xnet.plan.KernelAction;
import xnet.plan.LinkDrift;
import xnet.plan.TopologyPlanner;

/**
 * A commit in phases: validate (pure), check the base is current, plan, prepare (reversible
 * kernel work, undone on any failure), then apply (record the new running state).
 */
public final class CommitService {

    private final StateStore store;
    private final KernelPort kernel;
    private final DatapathPort datapath;
    private final PrepareHook hook;

    public CommitService(StateStore store, KernelPort kernel, DatapathPort datapath, PrepareHook hook) {
        this.store = store;
        this.kernel = kernel;
        this.datapath = datapath;
        this.hook = hook;
    }

    public CommitService(StateStore store, KernelPort kernel, PrepareHook hook) {
        this(store, kernel, DatapathPort.NONE, hook);
    }

    /** What a commit of the session would do, without doing it. */
    public record Check(ChangeSet changes, List<KernelAction> actions, FilterDelta filters) {
    }

    public Check check(Session session) throws IOException {
        refuseProblems(session);
        RunningState current = store.running(session.baseGeneration(), session.runningState());
        // a check changes nothing: a stale session is rebased on a copy
        Session view = session;
        if (current.generation() != session.baseGeneration()) {
            view = new Session(session.layout(), session.runningState());
            view.replaceCandidate(session.candidate());
            rebase(view, current);
            refuseProblems(view);
        }
        return plan(view, current.config());
    }

    private Check plan(Session session, Config running) {
        FilterDelta filters = FilterDelta.between(running.filters(), session.candidate().filters());
        ChangeSet changes = ChangeSet.between(running, session.candidate(), filters);
        List<KernelAction> actions = new TopologyPlanner(session.layout())
                .plan(running, session.candidate(), kernel.baseExists(), kernel.underlayExists());
        return new Check(changes, actions, filters);
    }

    /** Returns the new history record, or null when there was nothing to commit. */
    public CommitRecord commit(Session session, String comment) throws Exception {
        return commit(session, comment, false);
    }

    /**
     * {@code refuseDrift}: a user's commit is refused over links the kernel lost or holds
     * differently (see {@link LinkDrift}); the container runtime's and a rollback's go ahead, since
     * refusing them would block a container's start or keep a lockout in place.
     */
    public CommitRecord commit(Session session, String comment, boolean refuseDrift) throws Exception {
        PhaseClock clock = new PhaseClock();
        refuseProblems(session);
        clock.mark("validate");
        try (AutoCloseable ignored = store.lock()) {
            RunningState current = store.running(session.baseGeneration(), session.runningState());
            if (current.generation() != session.baseGeneration()) {
                rebase(session, current);
                refuseProblems(session);
            }
            clock.mark("read state");
            Check check = plan(session, current.config());
            if (refuseDrift) {
                refuseDrift(current, session.candidate());
            }
            clock.mark("diff+plan");
            if (check.actions().isEmpty() && check.changes().isEmpty()) {
                return null;
            }
            CommitIntent intent = new CommitIntent(current.generation(), current.generation() + 1,
                    check.actions().isEmpty() ? CommitIntent.Phase.DATAPATH : CommitIntent.Phase.TOPOLOGY,
                    session.candidate(), check.filters(), List.of());
            store.writeIntent(intent);
            try {
                CommitRecord record = change(session, comment, current, check, intent, clock);
                store.clearIntent();
                return record;
            } catch (Exception failure) {
                store.clearIntent(); // taken back in this process (or recorded as drift)
                throw failure;
            }
        }
    }

    /** The kernel part of a commit, then its record; on failure the kernel is taken back. */
    private CommitRecord change(Session session, String comment, RunningState current, Check check,
                                CommitIntent intent, PhaseClock clock) throws Exception {
        PrepareTransaction prepare = new PrepareTransaction(kernel, hook, store::journalUndo);
        prepare.runAll(check.actions(), this::recordDrift);
        clock.mark("kernel steps");
        if (intent.phase() == CommitIntent.Phase.TOPOLOGY) {
            store.writeIntent(intent.inPhase(CommitIntent.Phase.DATAPATH));
        }
        DatapathPort.Prepared programs;
        try {
            programs = datapath.prepare(session.candidate(), current, check.filters());
        } catch (RuntimeException failure) {
            throw failed("commit failed preparing the BPF programs; nothing was changed", failure, prepare,
                    leftBehind(failure));
        }
        clock.mark("programs");
        try {
            DatapathState applied;
            try {
                applied = programs.apply();
            } catch (RuntimeException failure) {
                throw failed("commit failed swapping programs", failure, prepare, programs.revert());
            }
            clock.mark("apply");
            hook.beforeRecord();
            CommitRecord record = new CommitRecord(current.generation() + 1,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), user(), comment,
                    check.changes().summary(), session.candidate(), applied);
            try {
                store.record(record, check.filters());
            } catch (IOException | RuntimeException failure) {
                throw failed("commit failed while recording the running state", failure, prepare,
                        programs.revert());
            }
            clock.mark("record");
            session.adopt(new RunningState(record.number(), record.config(), applied));
            return record;
        } finally {
            programs.close();
            clock.print("commit phases");
        }
    }

    /**
     * Settles a commit whose process was killed in the middle (its intent is still recorded),
     * before anything else runs on the target: while only kernel steps had run, they are taken
     * back from the journal (the running config stays); once the programs began to change, the
     * topology was complete, so the programs are finished and the commit recorded. If finishing
     * fails, both are taken back to the running config. Returns what was done, or null.
     */
    public String settle() throws Exception {
        try (AutoCloseable ignored = store.lock()) {
            java.util.Optional<CommitIntent> found = store.intent();
            if (found.isEmpty()) {
                return null;
            }
            CommitIntent intent = found.get();
            RunningState current;
            try {
                current = store.running();
            } catch (DamagedStateException damaged) {
                return "commit " + intent.to() + " was cut short, and cannot be settled while the state is damaged: "
                        + damaged.getMessage();
            }
            if (current.generation() != intent.from()) {
                store.clearIntent();
                return "commit " + intent.to() + " had been recorded before its process ended; nothing to settle";
            }
            if (intent.phase() == CommitIntent.Phase.TOPOLOGY) {
                int steps = undoJournal(intent);
                reattach(current);
                store.clearIntent();
                return "commit " + intent.to() + " was cut short in its kernel steps: " + steps
                        + " step(s) taken back; the running config is still commit " + intent.from();
            }
            try {
                finish(intent, current);
                store.clearIntent();
                return "commit " + intent.to() + " was cut short while its programs changed: finished and recorded";
            } catch (Exception failure) {
                undoJournal(intent);
                reattach(current);
                store.clearIntent();
                return "commit " + intent.to() + " was cut short and could not be finished (" + failure.getMessage()
                        + "); taken back: the running config is still commit " + intent.from();
            }
        }
    }

    /**
     * The running config's programs again, after an undo: a device that the undo made anew (a
     * deleted veth or bridge put back) has a new ifindex, and its pinned link went with the old
     * one, so it would run no program. The datapath sees such links as defunct and attaches anew.
     */
    private void reattach(RunningState current) throws IOException {
        DatapathPort.Prepared programs = datapath.prepare(current.config(), current, null);
        try {
            store.updateDatapath(programs.apply());
        } finally {
            programs.close();
        }
    }

    /** The programs of an interrupted commit whose topology is in place, then its record. */
    private void finish(CommitIntent intent, RunningState current) throws IOException {
        FilterDelta filters = FilterDelta.between(current.config().filters(), intent.config().filters());
        DatapathPort.Prepared programs = datapath.prepare(intent.config(), current, filters);
        try {
            DatapathState applied = programs.apply();
            store.record(new CommitRecord(intent.to(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), user(),
                    "finished after its process was killed",
                    ChangeSet.between(current.config(), intent.config(), filters).summary(), intent.config(), applied),
                    filters);
        } finally {
            programs.close();
        }
    }

    /** Runs the journal's undo commands, newest step first; a step that never ran fails harmlessly. */
    private int undoJournal(CommitIntent intent) {
        List<List<List<String>>> steps = new ArrayList<>(intent.undo());
        java.util.Collections.reverse(steps);
        for (List<List<String>> step : steps) {
            for (List<String> command : step) {
                try {
                    kernel.run(command);
                } catch (RuntimeException notThere) {
                    // the step had not run (or its object went with an earlier undo)
                }
            }
        }
        return steps.size();
    }

    /**
     * Builds the running config in the kernel from nothing, for a lab whose namespaces are gone
     * (after a reboot, or removed by hand). The running state and the candidate are untouched.
     */
    public int rebuild(Session session) throws Exception {
        try (AutoCloseable ignored = store.lock()) {
            RunningState current = store.running();
            List<KernelAction> actions = new TopologyPlanner(session.layout())
                    .plan(Config.EMPTY, current.config(), kernel.baseExists(), kernel.underlayExists());
            PrepareTransaction prepare = new PrepareTransaction(kernel, hook);
            prepare.runAll(actions, this::recordDrift);
            // programs from scratch too: the devices (and their ifindexes) are new; rules keep
            // their counter slots, as the history has them
            RunningState fresh = new RunningState(current.generation(), current.config(),
                    new DatapathState(current.datapath().slots(), java.util.Map.of()));
            DatapathPort.Prepared programs;
            try {
                programs = datapath.prepare(current.config(), fresh, null);
            } catch (RuntimeException failure) {
                throw failed("rebuild failed preparing the BPF programs", failure, prepare, leftBehind(failure));
            }
            try {
                store.updateDatapath(programs.apply());
            } catch (RuntimeException failure) {
                throw failed("rebuild failed attaching the BPF programs", failure, prepare, programs.revert());
            } finally {
                programs.close();
            }
            store.clearDrift();
            return actions.size();
        }
    }

    /**
     * Undoes the topology steps and describes the failure, with the verifier's or compiler's
     * words. {@code datapathLeft} is what the datapath's own revert could not take back; with
     * that or a topology step that could not be undone, the target is recorded as drifted.
     */
    private CommitException failed(String message, Exception failure, PrepareTransaction prepare,
                                   List<String> datapathLeft) {
        List<String> details = new java.util.ArrayList<>();
        details.add(failure.getMessage());
        if (failure instanceof LogCarrying carrying && !carrying.logTail(15).isBlank()) {
            details.add("verifier / libbpf log (last lines):");
            carrying.logTail(15).lines().forEach(l -> details.add("  " + l));
        }
        List<String> left = new java.util.ArrayList<>(datapathLeft);
        left.addAll(prepare.abort());
        if (left.isEmpty()) {
            details.add("the kernel is as it was before the commit");
            return new CommitException(message, details);
        }
        details.add("UNDO WAS INCOMPLETE; the kernel may differ from the running config:");
        left.forEach(p -> details.add("  " + p));
        String recorded = recordDrift(left);
        details.add(recorded != null ? "the drift could not be recorded either: " + recorded
                : "the target is marked as drifted ('lab status' shows it; 'lab rebuild' makes it whole)");
        return new CommitException(message.replace("; nothing was changed", "") + "; UNDO WAS INCOMPLETE", details);
    }

    private static List<String> leftBehind(RuntimeException failure) {
        return failure instanceof UndoIncompleteException incomplete ? incomplete.leftBehind() : List.of();
    }

    /** Records what an undo left behind; returns why it could not, or null. */
    private String recordDrift(List<String> left) {
        try {
            store.recordDrift(left);
            return null;
        } catch (IOException | RuntimeException unrecorded) {
            return unrecorded.getMessage();
        }
    }

    /**
     * Links of the running config that the kernel lost or holds differently (a veth taken off its
     * bridge by hand): the commit would succeed over them and leave them so, silently. Refused,
     * unless the commit makes those objects anew itself.
     */
    private void refuseDrift(RunningState current, Config candidate) {
        if (current.generation() == 0 || current.config().containers().isEmpty() && current.config().bridges().isEmpty()
                || !kernel.baseExists()) {
            return; // nothing built yet, or the base is made anew with the rest by this commit
        }
        Map<String, LinkDrift.Link> links = kernel.hostLinks();
        if (links == null) {
            return;
        }
        List<LinkDrift.Finding> drift = LinkDrift.untouchedBy(
                LinkDrift.of(current.config(), links), current.config(), candidate);
        if (!drift.isEmpty()) {
            List<String> details = new ArrayList<>(drift.stream().map(LinkDrift.Finding::what).toList());
            details.add("put it back by hand, or 'lab rebuild' makes the kernel the running config again (it restarts"
                    + " the containers' processes); 'lab status' shows every difference");
            throw new CommitException("the kernel differs from the running config where this commit changes nothing;"
                    + " nothing was changed", details);
        }
    }

    private void refuseProblems(Session session) {
        List<Problem> problems = session.layout().validator().check(session.candidate());
        if (!problems.isEmpty()) {
            throw new CommitException("the candidate has " + problems.size() + " problem(s); nothing was changed",
                    problems.stream().map(Problem::toString).toList());
        }
    }

    /**
     * Another shell or the container runtime committed since this session started: its changes
     * are replayed on the new running config, or refused when both changed the same object.
     */
    private static void rebase(Session session, RunningState current) {
        Rebase.Result rebased = Rebase.onto(session.running(), session.candidate(), current.config());
        if (!rebased.merged()) {
            List<String> details = new ArrayList<>(rebased.conflicts());
            details.add("another shell (or the container runtime) committed to this target; 'compare' shows your"
                    + " changes, 'discard' takes the new running config as the base (your uncommitted changes are dropped)");
            throw new CommitException("the running config changed since this session started (it is now commit "
                    + current.generation() + ", this session is based on commit " + session.baseGeneration()
                    + ") and both changed the same thing; nothing was changed", details);
        }
        session.adopt(current);
        session.replaceCandidate(rebased.config());
    }

    public static String user() {
        String sudoUser = System.getenv("SUDO_USER");
        return sudoUser != null ? sudoUser : System.getProperty("user.name", "?");
    }
}
