package xnet.shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


import xnet.grammar.CommandSpec;
import xnet.grammar.Grammar;
import xnet.grammar.Invocation;

/** Collects every command group's commands into one grammar and runs parsed statements. */
public class Dispatcher {

    /** Commands that work while the target's state is damaged: the way out, and help. */
    private static final java.util.Set<String> WITH_DAMAGED_STATE = java.util.Set.of("lab repair", "lab destroy",
            "help", "quit", "exit");

    /** Throws when the target's state cannot be read (a damaged state file). */
    @FunctionalInterface
    public interface StateCheck {
        void requireReadable() throws Exception;
    }

    private final Grammar grammar;
    // by identity: a spec's record hash walks all its elements, on every line of a batch
    private final Map<CommandSpec, CommandDef> defs = new java.util.IdentityHashMap<>();
    private final StateCheck state;
    /** The command of the last statement parsed, for {@link ShellControl#ran}. */
    private String last = "";

    public Dispatcher(List<CommandGroup> groups) {
        this(groups, () -> { });
    }

    public Dispatcher(List<CommandGroup> groups, StateCheck state) {
        this.state = state;
        List<CommandSpec> specs = new ArrayList<>();
        for (CommandGroup group : groups) {
            for (CommandDef def : group.commands()) {
                if (defs.put(def.spec(), def) != null || specs.stream().anyMatch(s -> s.name().equals(def.spec().name()))) {
                    throw new IllegalStateException("command defined twice: " + def.spec().name());
                }
                specs.add(def.spec());
            }
        }
        this.grammar = new Grammar(specs);
    }

    public Grammar grammar() {
        return grammar;
    }

    public String lastCommand() {
        return last;
    }

    /** Parses and runs one statement; failures are thrown to the caller, which knows where they came from. */
    public int execute(List<String> words, Console console, boolean editsOnly) throws Exception {
        Invocation invocation = grammar.parse(words);
        last = invocation.spec().name();
        CommandDef def = defs.get(invocation.spec());
        if (editsOnly && !def.editsConfig()) {
            return 0;
        }
        if (!WITH_DAMAGED_STATE.contains(invocation.spec().name())) {
            state.requireReadable();
        }
        return def.handler().run(invocation, console);
    }
}
