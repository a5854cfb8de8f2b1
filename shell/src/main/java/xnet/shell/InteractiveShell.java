package xnet.shell;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;

/** The `xnet>` prompt: JLine line editing, history and completion around a {@link LineSession}. */
public final class InteractiveShell {

    private InteractiveShell() {
    }

    /** Reads lines until `exit` or end of input; returns 0, or 1 when the session was lost. */
    public static int run(Terminal terminal, LineSession session, Path historyFile) {
        if (terminal.getWidth() <= 0) {
            // Serial consoles and fresh pseudo-terminals may report 0x0, which makes JLine hide the prompt.
            terminal.setSize(new Size(80, 24));
        }
        DefaultParser parser = new DefaultParser();
        parser.setEscapeChars(new char[0]);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .appName("xnet")
                .terminal(terminal)
                .parser(parser)
                .completer(new GrammarCompleter(session.suggester()))
                // `?` at an empty prompt lists every command at once, as vtysh does, without asking first
                .variable(LineReader.LIST_MAX, 1000)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        LineReader reader = builder.build();
        LongLines.bound(reader, terminal);
        HelpKey.bind(reader);
        // Ctrl-C while a line runs stops that command, not the shell (readLine handles it at the prompt)
        terminal.handle(Terminal.Signal.INT, signal -> session.interrupt());
        PrintWriter screen = terminal.writer();
        screen.println(session.greeting());
        screen.flush();
        while (!session.exitRequested()) {
            String line;
            try {
                line = reader.readLine(session.prompt());
            } catch (UserInterruptException interrupted) {
                continue;
            } catch (EndOfFileException eof) {
                // Ctrl-D is `exit`: with uncommitted changes it warns, and the second one leaves
                screen.println("exit");
                screen.flush();
                line = "exit";
            }
            try {
                session.runLine(line);
            } catch (IOException lost) {
                screen.println("xnet: lost the session: " + lost.getMessage());
                screen.flush();
                return 1;
            }
        }
        return 0;
    }
}
