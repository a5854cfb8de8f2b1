package xnet.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One message on xnetd's socket: a type byte, a 4-byte big-endian length and that many bytes.
 * The format is small on purpose: the C client (xnet-cni and the launcher's `-c`) speaks it in a
 * few lines.
 *
 * <pre>
 * client -> xnetd   H hello ("key=value" lines: mode, cwd, name, colour), then by mode:
 *                     run:   L one script line each, then . (end)
 *                     shell: L a line, or T a completion (words so far and the partial word, NUL-separated)
 *                     cni:   E "NAME=value" each, I the config on stdin, then .
 *                     status, stop: nothing more
 * xnetd -> client   O stdout bytes, R stderr bytes, then
 *                     X the exit status (decimal), which ends the request, or in shell mode
 *                     D after each line ("1" if the shell should leave, else "0", then the prompt),
 *                     C a completion candidate ("value NUL description") before the D of a T
 *                   Q "run this on your terminal" (the command line, NUL-separated), in shell
 *                     mode with tty=1 (`exec web sh`); the client answers
 * client -> xnetd   S its exit status (decimal)
 * xnetd -> client   N "send your standard input", in run mode, when a command reads "-"
 *                     (`import iptables -`) or an exec runs; the client answers, while it goes
 *                     on reading frames
 * client -> xnetd   I a piece of its standard input each, as it reads it, then an empty I, or
 *                   U why it has none to give (it was the script, `-f -`, or a terminal)
 *                   A alive: a command still runs (every {@link #ALIVE_MS} ms while it does)
 *                   G the running commit's number as a run begins
 * client -> xnetd   K Ctrl-C, while a line or a run's command waits
 * </pre>
 */
public record Frame(char type, byte[] payload) {

    public static final char HELLO = 'H';
    public static final char LINE = 'L';
    public static final char COMPLETE = 'T';
    public static final char ENV = 'E';
    public static final char INPUT = 'I';
    public static final char END = '.';
    public static final char OUT = 'O';
    public static final char ERR = 'R';
    public static final char EXIT = 'X';
    public static final char DONE = 'D';
    public static final char CANDIDATE = 'C';
    public static final char RUN_HERE = 'Q';
    public static final char STATUS = 'S';
    /** Ctrl-C at the client while a line runs. */
    public static final char INTERRUPT = 'K';
    public static final char NEED_INPUT = 'N';
    public static final char NO_INPUT = 'U';
    /**
     * xnetd is alive and its command still runs: a client that hears nothing, not even this, for
     * {@link #SILENCE_MS} knows xnetd is stopped or hung rather than busy, and says so.
     */
    public static final char ALIVE = 'A';
    /**
     * At the start of a run: the running commit's number, so that a client whose xnetd dies
     * mid-run can ask the next one (hello mode=generation) whether the run's commit was recorded.
     */
    public static final char BASE = 'G';
    public static final long ALIVE_MS = 2_000;
    public static final long SILENCE_MS = 5_000;

    /** Larger than any config or script a client sends; a wrong peer cannot make the daemon allocate more. */
    static final int MAX_PAYLOAD = 16 << 20;

    public static Frame text(char type, String text) {
        return new Frame(type, text.getBytes(StandardCharsets.UTF_8));
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The next frame, or null at a clean end of the stream. */
    public static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("bad frame: " + length + " bytes");
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new EOFException("frame cut short");
        }
        return new Frame((char) type, payload);
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeByte(type);
        out.writeInt(payload.length);
        out.write(payload);
    }
}
