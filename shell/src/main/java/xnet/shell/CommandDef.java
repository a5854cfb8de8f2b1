package xnet.shell;

import xnet.grammar.CommandSpec;
import xnet.grammar.Invocation;

/**
 * A command: its spec and what it does. {@code editsConfig} marks commands that only change the
 * candidate; `load profile` runs those and skips the rest (such as `commit`).
 */
public record CommandDef(CommandSpec spec, Handler handler, boolean editsConfig) {

    @FunctionalInterface
    public interface Handler {
        /** Returns the exit status: 0 for success. */
        int run(Invocation invocation, Console console) throws Exception;
    }

    public static CommandDef of(CommandSpec spec, Handler handler) {
        return new CommandDef(spec, handler, false);
    }

    public static CommandDef edit(CommandSpec spec, Handler handler) {
        return new CommandDef(spec, handler, true);
    }
}
