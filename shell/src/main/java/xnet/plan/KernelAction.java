package xnet.plan;

import java.util.List;

/**
 * One reversible step of prepare: a single command, and the commands that take it back.
 * An empty undo means the step disappears with an earlier step's undo (an address on a link
 * that is deleted, for example). A step with {@code onlyIf} runs only when that command
 * succeeds: deleting what its owner may have removed already (a namespace xnet did not make).
 */
public record KernelAction(String what, List<String> command, List<List<String>> undo, List<String> onlyIf) {

    public KernelAction {
        command = List.copyOf(command);
        undo = undo.stream().map(List::copyOf).toList();
        onlyIf = onlyIf == null ? null : List.copyOf(onlyIf);
    }

    public KernelAction(String what, List<String> command, List<List<String>> undo) {
        this(what, command, undo, null);
    }

    /** This step, run only when {@code check} succeeds. */
    public KernelAction onlyIf(List<String> check) {
        return new KernelAction(what, command, undo, check);
    }

    public static KernelAction of(String what, List<String> command, List<String> undo) {
        return new KernelAction(what, command, List.of(undo));
    }

    /**
     * An action for each element of {@code these} that {@code those} lacks: how a commit adds or
     * removes kernel objects the config implies as a set (call it both ways for both).
     */
    public static <T> List<KernelAction> forEachOnlyIn(java.util.Collection<T> these, java.util.Collection<T> those,
                                                       java.util.function.Function<T, KernelAction> action) {
        return these.stream().filter(t -> !those.contains(t)).map(action).toList();
    }

    public static KernelAction undoneByEarlierStep(String what, List<String> command) {
        return new KernelAction(what, command, List.of());
    }

    public String commandLine() {
        return String.join(" ", command);
    }
}
