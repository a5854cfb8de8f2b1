package xnet.shell;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one way xnet turns the bytes of a script into lines, wherever they come from (`-f FILE`,
 * `-f -`, `source`, a line from a client): strict UTF-8, and bounded, so that a stray byte is a
 * clear error with its line instead of a replacement character or a stack trace, and a huge
 * input is refused before it fills the heap.
 */
public final class ScriptText {

    /** Characters in one line: far above any command, far below what slows the parser down. */
    public static final int MAX_LINE = 65_536;
    /** Bytes in one script. */
    public static final int MAX_BYTES = 16 << 20;

    /** A script that cannot be read as lines; {@code where} names the source and line ("b.xnet:3"). */
    public static final class Unreadable extends IllegalArgumentException {
        private final String where;

        Unreadable(String where, String message) {
            super(message);
            this.where = where;
        }

        public String where() {
            return where;
        }
    }

    private ScriptText() {
    }

    /** The lines of a whole script named {@code name}. */
    public static List<String> lines(byte[] bytes, String name) {
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(name);
        }
        String text = decode(bytes, name, 1);
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).length() > MAX_LINE) {
                throw tooLong(name + ":" + (i + 1));
            }
        }
        return lines;
    }

    /** One line, {@code where} being its source and number. */
    public static String line(byte[] bytes, String where) {
        if (bytes.length > 4 * MAX_LINE) {
            throw tooLong(where);
        }
        String line = decode(bytes, where, 0);
        if (line.length() > MAX_LINE) {
            throw tooLong(where);
        }
        return line;
    }

    public static Unreadable tooLarge(String name) {
        return new Unreadable(name, "larger than " + (MAX_BYTES >> 20) + " MiB: split it into files run with 'source'");
    }

    static Unreadable tooLong(String where) {
        return new Unreadable(where, "line longer than " + MAX_LINE + " characters");
    }

    /** {@code firstLine}: the number of the first line, for the error's place; 0 when the bytes are one known line. */
    private static String decode(byte[] bytes, String name, int firstLine) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            throw unreadableAt(bytes, at, name, firstLine,
                    String.format("not valid UTF-8 (byte 0x%02X at column %%d)", bytes[at] & 0xff));
        }
        decoder.flush(out);
        out.flip();
        // A NUL byte is valid UTF-8 but never part of a command: a reader that stops at it (a C
        // string) would see a shorter, wider rule, so it is refused with its place, like a stray byte.
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw unreadableAt(bytes, i, name, firstLine, "NUL byte at column %d");
            }
        }
        return out.toString();
    }

    /** The error for the byte at {@code at}: its line in the place, its column in the message's %d. */
    private static Unreadable unreadableAt(byte[] bytes, int at, String name, int firstLine, String message) {
        int line = firstLine;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Unreadable(firstLine == 0 ? name : name + ":" + line, String.format(message, at - lineStart + 1));
    }

    /** Reads a script's bytes, refusing more than {@link #MAX_BYTES}. */
    public static byte[] readBounded(java.io.InputStream in, String name) throws java.io.IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(name);
        }
        return bytes;
    }

}
