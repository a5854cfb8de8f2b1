package xnet.shell;

import java.nio.file.Path;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.springframework.stereotype.Component;

import xnet.service.TargetService;

/** The `xnet>` prompt: JLine line editing, history and completion around the script runner. */
@Component
public class InteractiveShell {

    private final ScriptRunner runner;
    private final Dispatcher dispatcher;
    private final SessionValues values;
    private final ShellControl control;
    private final TargetService target;

    public InteractiveShell(ScriptRunner runner, Dispatcher dispatcher, SessionValues values, ShellControl control,
                            TargetService target) {
        this.runner = runner;
        this.dispatcher = dispatcher;
        this.values = values;
        this.control = control;
        this.target = target;
    }

    public int run(Terminal terminal, Console console, Path historyFile) {
        control.setInteractive(true);
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
                .completer(new GrammarCompleter(dispatcher.grammar(), values))
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        LineReader reader = builder.build();
        console.println("xnet " + XnetVersion.get() + " on " + describeTarget() + ". Type 'help' for commands, Tab to complete.");
        while (!control.exitRequested()) {
            String line;
            try {
                line = reader.readLine(prompt());
            } catch (UserInterruptException interrupted) {
                continue;
            } catch (EndOfFileException eof) {
                break;
            }
            runner.runLine(line, null, console, false);
        }
        return 0;
    }

    private String describeTarget() {
        return target.layout().lab() ? "lab '" + target.layout().name() + "'" : "this machine (--host)";
    }

    private String prompt() {
        String name = target.layout().name();
        String where = name.equals(xnet.launch.LaunchOptions.DEFAULT_LAB) ? "" : "[" + name + "]";
        return "xnet" + where + (target.hasChanges() ? "*" : "") + "> ";
    }
}
