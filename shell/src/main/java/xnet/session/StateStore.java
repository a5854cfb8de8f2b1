package xnet.session;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Where a target's running configuration and history are kept between shells. */
public interface StateStore {

    RunningState running() throws IOException;

    /**
     * The running state when the caller already holds the running config of {@code generation}:
     * a store may then skip reading the config again (a million rules are slow to parse). Returns
     * the full running state if the generation differs.
     */
    default RunningState running(int generation, RunningState known) throws IOException {
        return running();
    }

    /** The commits, oldest first, without their configs (see {@link #commit} for one whole). */
    List<CommitRecord> history() throws IOException;

    Optional<CommitRecord> commit(int number) throws IOException;

    /** Writes the record to history and makes it the running state, atomically for readers. */
    void record(CommitRecord record) throws IOException;

    /**
     * The same, for a commit whose rules differ from the previous commit's by {@code sincePrevious}:
     * a store may keep just that change instead of the whole list.
     */
    default void record(CommitRecord record, xnet.diff.FilterDelta sincePrevious) throws IOException {
        record(record);
    }

    /** Records the new interface indexes of the running commit's attach points (after `lab rebuild`). */
    void updateDatapath(DatapathState datapath) throws IOException;

    /**
     * Records that the kernel differs from the running config: an undo that could not finish
     * left what {@code problems} says. Kept until {@link #clearDrift}.
     */
    void recordDrift(List<String> problems) throws IOException;

    /** What the last incomplete undo left, empty when the kernel matches the running config. */
    List<String> drift() throws IOException;

    void clearDrift() throws IOException;

    /** Removes the running state, the history and the drift record (lab destroy). */
    void delete() throws IOException;

    /**
     * The newest commit of the history that reads whole, whatever running.json says: what `lab
     * destroy` goes by when the running state is damaged.
     */
    Optional<RunningState> newestReadable() throws IOException;

    /**
     * Makes the newest commit that reads whole the running one. Files that cannot be read, and
     * commits after the new running one, are moved aside (never deleted).
     */
    Repair repair() throws IOException;

    /**
     * {@code running}: the running commit now (0: none); {@code changed}: whether it is another
     * than running.json named; {@code aside}: where the moved files are.
     */
    record Repair(int running, boolean changed, List<String> movedAside, String aside) {
    }

    /**
     * Records a commit that is about to change the kernel (replacing any earlier intent's
     * phase, keeping its journal). It needs no flush to disk: it guards against a killed
     * process, and a machine that loses power loses the namespaces with it.
     */
    void writeIntent(CommitIntent intent) throws IOException;

    /** Journals the commands that take back a kernel step that is about to run (a step of the intent's undo). */
    void journalUndo(List<List<String>> step) throws IOException;

    /** The commit that was under way when its process ended, with its journal; empty when none. */
    Optional<CommitIntent> intent() throws IOException;

    /** The commit is recorded or fully taken back: forget its intent and journal. */
    void clearIntent() throws IOException;

    /**
     * Records the commit that awaits confirmation (`commit confirmed`) and its deadline, replacing
     * any earlier one; forced to disk, since an owner that starts after a crash must still roll
     * back a commit that locked its users out.
     */
    void writePending(PendingConfirm pending) throws IOException;

    /** The commit that awaits confirmation, empty when none does. */
    Optional<PendingConfirm> pending() throws IOException;

    /** Confirmed, or rolled back: nothing awaits confirmation any more. */
    void clearPending() throws IOException;

    /** Holds off other shells of the same target until closed. */
    AutoCloseable lock() throws IOException;
}
