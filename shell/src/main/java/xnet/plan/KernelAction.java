package xnet.plan;

import java.util.List;

/**
 * One reversible step of prepare: a single command, and the commands that take it back.
 * An empty undo means the step disappears with an earlier step's undo (an address on a link
 * that is deleted, for example).
 */
public record KernelAction(String what, List<String> command, List<List<String>> undo) {

    public KernelAction {
        command = List.copyOf(command);
        undo = undo.stream().map(List::copyOf).toList();
    }

    public static KernelAction of(String what, List<String> command, List<String> undo) {
        return new KernelAction(what, command, List.of(undo));
    }

    public static KernelAction undoneByEarlierStep(String what, List<String> command) {
        return new KernelAction(what, command, List.of());
    }

    public String commandLine() {
        return String.join(" ", command);
    }
}
