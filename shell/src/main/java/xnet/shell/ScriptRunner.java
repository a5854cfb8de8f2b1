package xnet.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;


import xnet.grammar.Tokenizer;

/**
 * Runs lines from a file, stdin, `-c` or a profile. The first failing line stops the run: its
 * message reads "FILE:LINE: message" and nothing after it runs.
 */
public class ScriptRunner {

    private static final int MAX_DEPTH = 8;

    /** Lines and the name that errors should cite; {@code null} name: cite nothing (for -c). */
    public record Source(String name, List<String> lines) {

        public static Source file(String name) throws IOException {
            return file(Path.of(""), name);
        }

        /** A file named as the user typed it, relative to their working directory {@code cwd}. */
        public static Source file(Path cwd, String name) throws IOException {
            if (name.equals("-")) {
                if (standardInputClosed()) {
                    throw new IllegalArgumentException("-f -: standard input is closed");
                }
                return new Source("<stdin>", ScriptText.lines(ScriptText.readBounded(System.in, "<stdin>"), "<stdin>"));
            }
            Path path = cwd.resolve(name);
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("cannot read " + name + ": no such file");
            }
            if (Files.size(path) > ScriptText.MAX_BYTES) {
                throw ScriptText.tooLarge(name);
            }
            return new Source(name, ScriptText.lines(Files.readAllBytes(path), name));
        }
    }

    /**
     * Whether fd 0 was closed when this JVM started: the JVM then opens files of its own at the
     * lowest free descriptor, and reading "stdin" would read its class library.
     */
    public static boolean standardInputClosed() {
        try {
            Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
            return target.startsWith(Path.of(System.getProperty("java.home")).toRealPath());
        } catch (IOException gone) {
            return true;
        }
    }

    private final Dispatcher dispatcher;
    private final ShellControl control;
    private int depth;

    public ScriptRunner(Dispatcher dispatcher, ShellControl control) {
        this.dispatcher = dispatcher;
        this.control = control;
    }

    /** Returns 0, or the status of the statement that stopped the run. */
    public int run(Source source, Console console, boolean editsOnly) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalStateException("sources nested deeper than " + MAX_DEPTH + " (a file sources itself?)");
        }
        depth++;
        try {
            for (int i = 0; i < source.lines().size() && !control.exitRequested(); i++) {
                String where = source.name() == null ? null : source.name() + ":" + (i + 1);
                int status = runLine(source.lines().get(i), where, console, editsOnly);
                if (status != 0) {
                    return status;
                }
            }
            return 0;
        } finally {
            depth--;
        }
    }

    /** Runs every statement of one line; a failure is reported here and ends the line. */
    public int runLine(String line, String where, Console console, boolean editsOnly) {
        try {
            for (List<String> words : Tokenizer.statements(line)) {
                int status = dispatcher.execute(words, console, editsOnly);
                control.ran(dispatcher.lastCommand());
                if (status != 0) {
                    if (where != null) {
                        console.error(where + ": '" + String.join(" ", words) + "' exited with status " + status);
                    }
                    return status;
                }
                if (control.exitRequested()) {
                    break;
                }
            }
            return 0;
        } catch (Exception failure) {
            ErrorReporter.report(failure, where, console);
            return 1;
        }
    }
}
