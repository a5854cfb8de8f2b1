package xnet.service;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import xnet.diff.Revert;
import xnet.plan.TargetLayout;
import xnet.session.CommitRecord;
import xnet.session.CommitService;
import xnet.session.PendingConfirm;
import xnet.session.RunningState;
import xnet.session.Session;
import xnet.session.StateStore;

/**
 * `commit confirmed`, as Junos has it but on the datapath: a commit that goes back by itself at
 * a deadline unless a user confirms it. The rollback is a commit like any other (new programs
 * swapped in atomically, no packet without one), made by the owner of the target, so it happens
 * with the shell that asked gone: xnetd holds the timer, and the deadline is in the target's
 * state, so an owner that starts after it passed (a restarted xnetd) rolls back at once.
 *
 * <p>A user's commit confirms; the container runtime's commits (CNI) do not, and the rollback
 * keeps what they did where it can (see {@link Revert}). Every step holds the target's guard,
 * so a confirmation and the timer cannot cross.
 */
public final class ConfirmedCommits {

    /** Shortest and longest windows: a rollback a user cannot react to is no use; Junos stops at 65,535 minutes. */
    public static final Duration SHORTEST = Duration.ofSeconds(5);
    public static final Duration LONGEST = Duration.ofMinutes(65_535);
    /** After a rollback commit failed (the kernel refused), the next try. */
    private static final Duration RETRY = Duration.ofSeconds(10);

    private final TargetLayout layout;
    private final StateStore store;
    private final CommitService commits;
    private final Object guard;
    private final Clock clock;
    private final Consumer<String> log;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> armed;
    /** Set by xnetd: the timer outlives the shell that asked. In a one-process shell it lives as long as the shell. */
    private volatile boolean heldByDaemon;

    public ConfirmedCommits(TargetLayout layout, StateStore store, CommitService commits, Object guard, Clock clock,
                            Consumer<String> log) {
        this.layout = layout;
        this.store = store;
        this.commits = commits;
        this.guard = guard;
        this.clock = clock;
        this.log = log;
    }

    /**
     * A commit awaiting confirmation, the commit that was made (null when the call only moved the
     * deadline), and whether a daemon holds the timer (else this process does, while it runs).
     */
    public record Outcome(CommitRecord record, PendingConfirm pending, boolean heldByDaemon) {
    }

    /** xnetd owns the target: its timer runs whether or not the shell that asked is still there. */
    public void heldByDaemon() {
        heldByDaemon = true;
    }

    /**
     * Commits the session's candidate and sets the deadline. With a commit already awaiting
     * confirmation, the deadline moves and the rollback still goes back to the last confirmed
     * commit; with nothing to commit, that is all it does. Returns null when there was neither a
     * change nor a pending commit.
     */
    public Outcome commit(Session session, Duration window, String comment) throws Exception {
        if (window.compareTo(SHORTEST) < 0 || window.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("a confirmation window is from " + SHORTEST.toSeconds() + " s to "
                    + LONGEST.toMinutes() + " minutes; got " + window.toSeconds() + " s");
        }
        synchronized (guard) {
            Optional<PendingConfirm> earlier = store.pending();
            int confirmed = earlier.map(PendingConfirm::rollbackTo).orElse(store.running().generation());
            if (confirmed == 0) {
                throw new IllegalStateException("commit confirmed needs a commit to go back to: the target has none "
                        + "yet; commit once, then commit confirmed");
            }
            CommitRecord record = commits.commit(session, comment, true);
            if (record == null && earlier.isEmpty()) {
                return null;
            }
            int newest = record != null ? record.number() : earlier.get().commit();
            PendingConfirm pending = new PendingConfirm(newest, confirmed,
                    clock.instant().plus(window).truncatedTo(ChronoUnit.SECONDS).toString(), CommitService.user(),
                    comment);
            store.writePending(pending);
            arm(pending);
            return new Outcome(record, pending, heldByDaemon);
        }
    }

    /** A user's commit or `commit confirm`: the pending commit stays. Returns what was confirmed, or null. */
    public PendingConfirm confirm() throws IOException {
        synchronized (guard) {
            Optional<PendingConfirm> pending = store.pending();
            if (pending.isEmpty()) {
                return null;
            }
            store.clearPending();
            disarm();
            return pending.get();
        }
    }

    public Optional<PendingConfirm> pending() throws IOException {
        return store.pending();
    }

    /**
     * The owner's start: a deadline that passed while no owner ran is honoured now; one still
     * ahead is armed. Returns what was done, or null.
     */
    public String resume() throws Exception {
        Optional<PendingConfirm> pending = store.pending();
        if (pending.isEmpty()) {
            return null;
        }
        if (pending.get().overdue(clock.instant())) {
            return expire(pending.get());
        }
        arm(pending.get());
        return "commit " + pending.get().commit() + " awaits confirmation until " + pending.get().deadline();
    }

    /** Stops the timer thread (the pending commit stays recorded for the next owner). */
    public void close() {
        synchronized (guard) {
            if (timer != null) {
                timer.shutdownNow();
                timer = null;
            }
        }
    }

    /**
     * The deadline passed: unless the commit was confirmed or the deadline moved meanwhile, the
     * confirmed commits are taken back by a new commit. Returns what was done, or null.
     */
    String expire(PendingConfirm due) throws Exception {
        synchronized (guard) {
            if (!store.pending().equals(Optional.of(due))) {
                return null; // confirmed, or a newer `commit confirmed` moved the deadline
            }
            if (alreadyRolledBack(due)) {
                store.clearPending(); // an owner that rolled back was stopped before it could forget the deadline
                return null;
            }
            RunningState running = store.running();
            Revert.Result revert = Revert.of(config(due.rollbackTo()), config(due.commit()), running.config());
            Session session = new Session(layout, running);
            session.replaceCandidate(revert.config());
            CommitRecord record = commits.commit(session, due.rollbackComment());
            store.clearPending();
            String done = "commit " + due.commit() + " was not confirmed by " + due.deadline() + ": "
                    + (record == null ? "the running config was already commit " + due.rollbackTo() + "'s"
                    : "rolled back to commit " + due.rollbackTo() + "'s config as commit " + record.number());
            return revert.lost().isEmpty() ? done : done + " (later changes it could not keep: "
                    + String.join("; ", revert.lost()) + ")";
        }
    }

    private boolean alreadyRolledBack(PendingConfirm due) throws IOException {
        return store.history().stream().anyMatch(r -> r.number() > due.commit()
                && due.rollbackComment().equals(r.comment()));
    }

    private xnet.model.Config config(int number) throws IOException {
        return store.commit(number).orElseThrow(() -> new IllegalStateException("commit " + number
                + " is not in the history")).config();
    }

    private void arm(PendingConfirm pending) {
        synchronized (guard) {
            disarm();
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "xnet-confirm-" + layout.name());
                    thread.setDaemon(true);
                    return thread;
                });
            }
            armed = timer.schedule(() -> fire(pending), pending.remaining(clock.instant()).toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void disarm() {
        if (armed != null) {
            armed.cancel(false);
            armed = null;
        }
    }

    /** On the timer's thread: the rollback, or, if the kernel refused it, another try a little later. */
    private void fire(PendingConfirm pending) {
        try {
            String done = expire(pending);
            if (done != null) {
                log.accept(done);
            }
        } catch (Exception failed) {
            log.accept("the rollback of unconfirmed commit " + pending.commit() + " failed (" + failed.getMessage()
                    + "); trying again in " + RETRY.toSeconds() + " s");
            synchronized (guard) {
                if (timer != null) {
                    armed = timer.schedule(() -> fire(pending), RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }
}
