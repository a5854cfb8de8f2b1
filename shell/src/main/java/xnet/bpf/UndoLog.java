package xnet.bpf;

import java.util.ArrayList;
import java.util.List;

import xnet.session.DatapathFaults;

/** What a prepare or apply did, each with how to take it back; taken back newest first. */
final class UndoLog {

    private record Entry(String what, Runnable undo) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final DatapathFaults faults;

    UndoLog(DatapathFaults faults) {
        this.faults = faults;
    }

    void add(String what, Runnable undo) {
        entries.add(new Entry(what, undo));
    }

    /**
     * Runs every undo, newest first, going on past failures; returns what could not be undone
     * ("swap program of v-web tc back: ..."), empty when everything was. The log is empty after.
     */
    List<String> undoAll() {
        List<String> problems = new ArrayList<>();
        for (int i = entries.size() - 1, n = 0; i >= 0; i--, n++) {
            Entry entry = entries.get(i);
            try {
                faults.beforeUndo(n, entry.what());
                entry.undo().run();
            } catch (RuntimeException failure) {
                problems.add(entry.what() + ": " + failure.getMessage());
            }
        }
        entries.clear();
        return problems;
    }
}
