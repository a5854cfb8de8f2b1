package xnet.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import xnet.plan.KernelAction;

/**
 * Runs the actions of prepare and remembers how to take each back. If one fails, or the caller
 * aborts later, the done actions are undone in reverse order, so the kernel ends as it began.
 */
final class PrepareTransaction {

    /** Takes the undo commands of a step before it runs (a journal that outlives a killed process). */
    @FunctionalInterface
    interface Journal {
        void before(List<List<String>> undo) throws java.io.IOException;
    }

    private final KernelPort kernel;
    private final PrepareHook hook;
    private final Journal journal;
    private final Deque<KernelAction> done = new ArrayDeque<>();

    PrepareTransaction(KernelPort kernel, PrepareHook hook, Journal journal) {
        this.kernel = kernel;
        this.hook = hook;
        this.journal = journal;
    }

    PrepareTransaction(KernelPort kernel, PrepareHook hook) {
        this(kernel, hook, undo -> { });
    }

    /**
     * Runs the actions in order. If one fails, the done ones are undone and a CommitException
     * says so; what could not be undone is handed to {@code leftBehind} first (the target drifted).
     */
    void runAll(List<KernelAction> actions, java.util.function.Consumer<List<String>> leftBehind) {
        for (int i = 0; i < actions.size(); i++) {
            KernelAction action = actions.get(i);
            try {
                hook.before(i, action);
                if (action.onlyIf() != null && !kernel.succeeds(action.onlyIf())) {
                    continue; // already gone: nothing done, nothing to undo
                }
                journal.before(action.undo());
                kernel.run(action.command());
            } catch (RuntimeException | java.io.IOException failure) {
                List<String> undoProblems = abort();
                List<String> details = new ArrayList<>();
                details.add("failed step " + (i + 1) + " of " + actions.size() + ": " + action.what());
                details.add("  " + action.commandLine());
                details.add("  " + failure.getMessage());
                if (undoProblems.isEmpty()) {
                    details.add("undid " + done.size() + " earlier steps; the kernel is as it was before the commit");
                } else {
                    details.add("UNDO WAS INCOMPLETE; the kernel may differ from the running config:");
                    undoProblems.forEach(p -> details.add("  " + p));
                    leftBehind.accept(undoProblems);
                }
                throw new CommitException("commit failed in prepare; nothing was changed", details);
            }
            done.push(action);
        }
    }

    /** Undoes every done action, newest first; returns what could not be undone. */
    List<String> abort() {
        List<String> problems = new ArrayList<>();
        for (KernelAction action : done) {
            for (List<String> undo : action.undo()) {
                try {
                    kernel.run(undo);
                } catch (RuntimeException failure) {
                    problems.add(String.join(" ", undo) + ": " + failure.getMessage());
                }
            }
        }
        return problems;
    }

    int doneCount() {
        return done.size();
    }
}
