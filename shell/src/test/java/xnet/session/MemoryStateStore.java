package xnet.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** State kept in memory, for commit tests that need no files. */
public final class MemoryStateStore implements StateStore {

    public final List<CommitRecord> records = new ArrayList<>();
    public boolean failWrites;

    @Override
    public RunningState running() {
        if (records.isEmpty()) {
            return RunningState.NONE;
        }
        CommitRecord last = records.get(records.size() - 1);
        return new RunningState(last.number(), last.config(), last.datapath());
    }

    public CommitIntent intent;

    @Override
    public void writeIntent(CommitIntent next) {
        intent = intent == null ? next : new CommitIntent(next.from(), next.to(), next.phase(), next.config(),
                next.filters(), intent.undo());
    }

    @Override
    public void journalUndo(List<List<String>> step) {
        List<List<List<String>>> all = new ArrayList<>(intent.undo());
        all.add(step);
        intent = new CommitIntent(intent.from(), intent.to(), intent.phase(), intent.config(), intent.filters(), all);
    }

    public PendingConfirm pending;

    @Override
    public void writePending(PendingConfirm next) {
        pending = next;
    }

    @Override
    public Optional<PendingConfirm> pending() {
        return Optional.ofNullable(pending);
    }

    @Override
    public void clearPending() {
        pending = null;
    }

    @Override
    public Optional<CommitIntent> intent() {
        return Optional.ofNullable(intent);
    }

    @Override
    public void clearIntent() {
        intent = null;
    }

    @Override
    public Optional<RunningState> newestReadable() {
        return records.isEmpty() ? Optional.empty() : Optional.of(running());
    }

    @Override
    public Repair repair() {
        return new Repair(running().generation(), false, List.of(), null); // memory is never damaged
    }

    @Override
    public List<CommitRecord> history() {
        return List.copyOf(records);
    }

    @Override
    public Optional<CommitRecord> commit(int number) {
        return records.stream().filter(r -> r.number() == number).findFirst();
    }

    @Override
    public void record(CommitRecord record) throws java.io.IOException {
        if (failWrites) {
            throw new java.io.IOException("No space left on device");
        }
        records.add(record);
    }

    @Override
    public void updateDatapath(DatapathState datapath) {
        CommitRecord last = records.remove(records.size() - 1);
        records.add(new CommitRecord(last.number(), last.at(), last.user(), last.comment(), last.summary(), last.config(),
                datapath));
    }

    final List<String> drift = new ArrayList<>();

    @Override
    public void recordDrift(List<String> problems) {
        drift.addAll(problems);
    }

    @Override
    public List<String> drift() {
        return List.copyOf(drift);
    }

    @Override
    public void clearDrift() {
        drift.clear();
    }

    @Override
    public void delete() {
        records.clear();
        drift.clear();
    }

    @Override
    public AutoCloseable lock() {
        return () -> { };
    }
}
