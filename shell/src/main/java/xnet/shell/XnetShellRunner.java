package xnet.shell;

import java.nio.file.Path;

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
    private final ShellAssembly shell;
    private final InteractiveShell interactive;
    private final ObjectProvider<Terminal> terminal;
    private int exitStatus;

    public XnetShellRunner(LaunchOptions options, ShellAssembly shell, InteractiveShell interactive,
                           ObjectProvider<Terminal> terminal) {
        this.options = options;
        this.shell = shell;
        this.interactive = interactive;
        this.terminal = terminal;
    }

    @Override
    public boolean run(String[] args) throws Exception {
        if (options.file() != null || options.commands() != null) {
            exitStatus = shell.runBatch(options);
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
