package xnet.shell.commands;

import java.util.List;

import java.util.function.Supplier;


import xnet.grammar.CommandSpec;
import xnet.grammar.Grammar;
import xnet.grammar.Invocation;
import xnet.service.TargetService;
import xnet.shell.CommandDef;
import xnet.shell.CommandGroup;
import xnet.shell.Console;
import xnet.shell.ShellControl;

/** help, exit and quit. */
public class HelpCommands implements CommandGroup {

    private final Supplier<Grammar> grammar;
    private final ShellControl control;
    private final TargetService target;

    public HelpCommands(Supplier<Grammar> grammar, ShellControl control, TargetService target) {
        this.grammar = grammar;
        this.control = control;
        this.target = target;
    }

    @Override
    public List<CommandDef> commands() {
        return List.of(
                CommandDef.of(CommandSpec.of("help", "[<topic:REST>]", "list the commands, or explain one: help bridge add"),
                        this::help),
                CommandDef.of(CommandSpec.of("exit", "", "leave the shell"), this::exit),
                CommandDef.of(CommandSpec.of("quit", "", "leave the shell"), this::exit));
    }

    private int help(Invocation in, Console console) {
        List<String> topic = in.list("topic").isEmpty() ? List.of() : grammar.get().expand(in.list("topic"));
        List<CommandSpec> specs = topic.isEmpty() ? grammar.get().specs() : grammar.get().startingWith(topic);
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("no command starts with '" + String.join(" ", topic)
                    + "'; 'help' lists them all");
        }
        // Usages longer than the column get a line of their own, the summary below them.
        int column = 46;
        for (CommandSpec spec : specs) {
            if (spec.usage().length() <= column) {
                console.println(String.format("  %-" + column + "s  %s", spec.usage(), spec.summary()));
            } else {
                console.println("  " + spec.usage());
                console.println(String.format("  %-" + column + "s  %s", "", spec.summary()));
            }
            if (!topic.isEmpty() && !spec.details().isEmpty()) {
                console.println(String.format("  %-" + column + "s  %s", "", spec.details()));
            }
        }
        if (topic.isEmpty()) {
            console.println("");
            console.println("Edits change the candidate; 'commit' makes it running. Tab completes commands and names;");
            console.println("'?' lists what may come next. A unique prefix of a word does: 'sh run' is 'show running'.");
        }
        return 0;
    }

    private int exit(Invocation in, Console console) {
        // Leaving an interactive shell with uncommitted edits takes a second 'exit', as in Junos.
        if (control.interactive() && target.hasChanges() && !control.exitWarned()) {
            control.warnExit();
            console.warn("the candidate has uncommitted changes ('compare' shows them); "
                    + "'commit' them, or 'exit' again to leave without them");
            return 0;
        }
        control.requestExit();
        return 0;
    }
}
