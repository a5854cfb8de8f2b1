package xnet.shell;

import java.io.IOException;

/** What the `xnet>` prompt talks to: this shell's session in xnetd, or (with --no-daemon) one in this process. */
public interface LineSession {

    String greeting();

    String prompt();

    /** Runs one typed line; its output and errors go to the shell's console. */
    void runLine(String line) throws IOException;

    boolean exitRequested();

    /** Ctrl-C while a line runs: stops it if it is a command that waits (see Foreground). */
    void interrupt();

    GrammarCompleter.Suggester suggester();
}
