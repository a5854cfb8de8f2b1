package xnet.shell;

import java.io.IOException;

import org.jline.reader.LineReader;
import org.jline.reader.Widget;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingReader;

/**
 * Typed or pasted text at the prompt without the cost of redrawing per character. JLine redraws
 * the whole line after every key, so a line pasted without bracketed-paste markers costs the
 * square of its length (20,000 characters took two minutes here). Printable characters that are
 * already waiting are inserted with the key that precedes them, one redraw per batch; the
 * line is held to one character more than {@link ScriptText#MAX_LINE}: the rest is dropped, and
 * the line is refused as too long when entered, never run cut short.
 */
final class LongLines {

    private LongLines() {
    }

    static void bound(LineReader reader, Terminal terminal) {
        Widget insert = reader.getWidgets().get(LineReader.SELF_INSERT);
        reader.getWidgets().put(LineReader.SELF_INSERT, () -> {
            if (reader.getBuffer().length() > ScriptText.MAX_LINE) {
                return false; // a beep
            }
            boolean done = insert.apply();
            StringBuilder waiting = new StringBuilder();
            try {
                takeWaiting(terminal.reader(), waiting, ScriptText.MAX_LINE + 1 - reader.getBuffer().length());
            } catch (IOException gone) {
                // the terminal went away: the next read says so
            }
            reader.getBuffer().write(waiting.toString());
            return done;
        });
    }

    /** Printable characters already waiting (no wait for more), up to {@code room}; the rest stays. */
    private static void takeWaiting(NonBlockingReader in, StringBuilder out, int room) throws IOException {
        while (out.length() < room) {
            int next = in.peek(1);
            if (next < 0x20 || next == 0x7f || next == HelpKey.KEY) {
                return; // nothing waiting (a timeout is negative), or a key with a binding of its own
            }
            out.append((char) in.read(1));
        }
        // over the limit: what is still waiting up to the end of the line is dropped
        while (true) {
            int next = in.peek(1);
            if (next < 0x20 || next == 0x7f) {
                return;
            }
            in.read(1);
        }
    }
}
