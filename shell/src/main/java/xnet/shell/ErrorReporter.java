package xnet.shell;

import java.io.UncheckedIOException;

import xnet.grammar.UsageException;
import xnet.model.ConfigException;
import xnet.session.CommitException;
import xnet.session.KernelException;

/**
 * The one place where failures become messages: one line for bad input, the details of a failed
 * commit below it, never a stack trace (unless XNET_DEBUG is set).
 */
public final class ErrorReporter {

    private ErrorReporter() {
    }

    /**
     * Control characters a message quotes from the input (a CR, an escape sequence) are shown as
     * \\xNN: they would move the cursor or recolour the user's terminal, and split the one line.
     */
    static String printable(String message) {
        StringBuilder out = new StringBuilder(message.length());
        message.codePoints().forEach(c -> {
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** The message, prefixed by where the input came from ("file:3: "), if known. */
    public static void report(Throwable failure, String where, Console console) {
        if (where == null && failure instanceof ScriptText.Unreadable unreadable && unreadable.where() != null) {
            where = unreadable.where();
        }
        String prefix = where == null ? "error: " : where + ": ";
        if (failure instanceof UsageException usage) {
            console.error(printable(prefix + usage.oneLine()));
        } else if (failure instanceof CommitException commit) {
            console.error(printable(prefix + commit.getMessage()));
            commit.details().forEach(d -> console.err().println("  " + d));
        } else if (failure instanceof xnet.session.DamagedStateException damaged) {
            console.error(printable(prefix + damaged.getMessage()));
        } else if (failure instanceof ConfigException || failure instanceof KernelException
                || failure instanceof IllegalArgumentException || failure instanceof IllegalStateException) {
            console.error(printable(prefix + failure.getMessage()));
        } else if (failure instanceof java.io.IOException || failure instanceof UncheckedIOException) {
            console.error(printable(prefix + "I/O: " + failure.getMessage()));
        } else {
            console.error(printable(prefix + "internal error: " + failure));
        }
        if (System.getenv("XNET_DEBUG") != null) {
            failure.printStackTrace(console.err());
        }
    }
}
