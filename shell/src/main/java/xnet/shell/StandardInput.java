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

    /** Standard input that cannot be read, and why. */
    static StandardInput refused(String why) {
        return (who, maxBytes) -> {
            throw new IllegalArgumentException(who + ": " + why + "; save the input to a file and give its name");
        };
    }

    /** The interactive shell's: its standard input is the terminal. */
    StandardInput TERMINAL = refused("standard input is the terminal the commands come from");

    /** A stream read once, at most {@code maxBytes}. */
    static StandardInput of(InputStream in) {
        return new StandardInput() {
            private boolean read;

            @Override
            public synchronized byte[] readAll(String who, long maxBytes) throws IOException {
                if (read) {
                    throw new IllegalArgumentException(who + ": standard input was read by an earlier command");
                }
                read = true;
                return bounded(who, in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)), maxBytes);
            }
        };
    }

    /** The bytes, unless there are more than {@code maxBytes}. */
    static byte[] bounded(String who, byte[] bytes, long maxBytes) {
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException(who + ": standard input is larger than " + (maxBytes >> 20) + " MB");
        }
        return bytes;
    }
}
