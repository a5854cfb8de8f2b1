package xnet.shell;

import java.io.IOException;
import java.io.InputStream;

/**
 * The user's standard input, for a command that reads a file named "-" (`import iptables -`):
 * this process's own in a batch run here, the client's through xnetd, and none where standard
 * input is the terminal the commands come from or the script itself (`-f -`). Read once: a
 * second reader would get nothing and take it for an empty file.
 */
public interface StandardInput {

    /** All of it, at most {@code maxBytes} (more is an error); {@code who} names the command that asks. */
    byte[] readAll(String who, long maxBytes) throws IOException;

    /**
     * For a command that runs with it as its own standard input (`exec` in a run): the stream, to
     * be read as it comes and closed when the command ends, or null when there is none (the
     * terminal the commands come from, the script, closed, or taken by an earlier command): the
     * command then reads nothing. Taking it counts as the one read.
     */
    default InputStream stream(String who) throws IOException {
        return null;
    }

    /** Standard input that cannot be read, and why. */
    static StandardInput refused(String why) {
        return (who, maxBytes) -> {
            throw unavailable(who, why);
        };
    }

    /** What {@code who} is told when it cannot have standard input. */
    static IllegalArgumentException unavailable(String who, String why) {
        return new IllegalArgumentException(who + ": " + why + "; save the input to a file and give its name");
    }

    /** What {@code who} is told when standard input holds more than it takes. */
    static IllegalArgumentException tooLarge(String who, long maxBytes) {
        return new IllegalArgumentException(who + ": standard input is larger than " + (maxBytes >> 20) + " MB");
    }

    /** Why the interactive shell has none: its standard input is the terminal. */
    String IS_TERMINAL = "standard input is the terminal the commands come from";

    /** The interactive shell's. */
    StandardInput TERMINAL = refused(IS_TERMINAL);

    /** A stream read once, at most {@code maxBytes}. */
    static StandardInput of(InputStream in) {
        return new StandardInput() {
            private boolean read;

            @Override
            public synchronized byte[] readAll(String who, long maxBytes) throws IOException {
                if (read) {
                    throw unavailable(who, READ_BEFORE);
                }
                read = true;
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (bytes.length > maxBytes) {
                    throw tooLarge(who, maxBytes);
                }
                return bytes;
            }

            @Override
            public synchronized InputStream stream(String who) {
                if (read) {
                    return null;
                }
                read = true;
                return in;
            }
        };
    }

    /** Why a second command gets none: a second read would find nothing and take it for an empty file. */
    String READ_BEFORE = "standard input was read by an earlier command";
}
