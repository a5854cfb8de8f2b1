package xnet.shell;

import java.nio.file.Path;
import java.util.List;

import org.jline.terminal.Terminal;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.shell.ShellRunner;
import org.springframework.stereotype.Component;

import xnet.launch.LaunchOptions;

/**
 * Spring Shell's entry point for xnet: runs `-f`, `-c` or the interactive prompt. Spring Shell's
 * own runners are switched off because its option parser cannot take xnet's grammar
 * (`nat add A -> B`, `exec c -- ping -c 2`); all input goes through xnet's one parser instead.
 */
@Component
public class XnetShellRunner implements ShellRunner {

    private final LaunchOptions options;
    private final ScriptRunner scripts;
    private final InteractiveShell interactive;
    private final ObjectProvider<Terminal> terminal;
    private int exitStatus;

    public XnetShellRunner(LaunchOptions options, ScriptRunner scripts, InteractiveShell interactive,
                           ObjectProvider<Terminal> terminal) {
        this.options = options;
        this.scripts = scripts;
        this.interactive = interactive;
        this.terminal = terminal;
    }

    @Override
    public boolean run(String[] args) throws Exception {
        if (options.file() != null) {
            Console console = Console.system(false);
            try {
                exitStatus = scripts.run(ScriptRunner.Source.file(options.file()), console, false);
            } catch (IllegalArgumentException unreadable) {
                ErrorReporter.report(unreadable, null, console);
                exitStatus = 1;
            }
        } else if (options.commands() != null) {
            exitStatus = scripts.run(new ScriptRunner.Source(null, List.of(options.commands())), Console.system(false), false);
        } else {
            Terminal tty = terminal.getObject();
            Console console = new Console(tty.output(), System.err, Console.system(true).colour(), true);
            exitStatus = interactive.run(tty, console, Path.of(System.getProperty("user.home"), ".xnet_history"));
        }
        return true;
    }

    public int exitStatus() {
        return exitStatus;
    }
}
