package xnet.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jline.terminal.Terminal;

import xnet.daemon.Frame;
import xnet.daemon.RunFiles;
import xnet.launch.LaunchOptions;
import xnet.shell.Console;
import xnet.shell.ErrorReporter;
import xnet.shell.InteractiveShell;
import xnet.shell.ScriptRunner;

/** The front ends as xnetd's clients: `-c`, `-f`, the prompt, and `daemon status|stop`. */
public final class Frontends {

    /** Exit status of `daemon status` when no daemon runs (as `systemctl status` says "inactive"). */
    public static final int NOT_RUNNING = 3;

    private final LaunchOptions options;
    private final RunFiles files;

    public Frontends(LaunchOptions options, RunFiles files) {
        this.options = options;
        this.files = files;
    }

    /** `-c` or `-f` in the daemon: this process reads the file (relative to its directory) and sends the lines. */
    public int batch() {
        Console console = Console.system(false);
        ScriptRunner.Source source;
        try {
            source = options.file() != null ? ScriptRunner.Source.file(options.file())
                    : new ScriptRunner.Source(null, List.of(options.commands()));
        } catch (IOException | IllegalArgumentException unreadable) {
            ErrorReporter.report(unreadable, null, console);
            return 1;
        }
        DaemonClient running = null;
        try (DaemonClient client = DaemonStarter.connectOrStart(files, options.targetArgs())) {
            running = client;
            Map<String, String> hello = hello("run", console.colour());
            hello.put("name", source.name() == null ? "" : source.name());
            hello.put("strict", options.strict() ? "1" : "0");
            client.hello(hello);
            client.standardInput(xnet.shell.ShellAssembly.batchInputRefusal(options.file()));
            for (String line : source.lines()) {
                client.send(Frame.LINE, line);
            }
            client.send(Frame.END, "");
            return client.pump(System.out, System.err);
        } catch (DaemonClient.OutputClosed closed) {
            return 141; // what a shell reports for a command ended by SIGPIPE
        } catch (IOException lost) {
            console.error("xnet: " + lost.getMessage());
            if (running != null && running.runBase() != null) {
                reportAfterLoss(running.runBase(), console);
            }
            return 1;
        }
    }

    /**
     * xnetd went away while a run of ours was under way: start the next one (it settles a commit
     * cut short before it listens), as the C client does, and say whether the run's commit was
     * recorded, against the commit the run began at.
     */
    private void reportAfterLoss(long base, Console console) {
        try (DaemonClient again = DaemonStarter.connectOrStart(files, options.targetArgs())) {
            again.hello(Map.of("mode", "generation"));
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            again.pump(answer, java.io.OutputStream.nullOutputStream());
            long now = Long.parseLong(answer.toString(java.nio.charset.StandardCharsets.UTF_8).trim());
            console.error(now > base ? "xnet: the run's commit was recorded: the running config is now commit " + now
                    + " (it was " + base + " when the run began)"
                    : "xnet: not committed: the running config is still commit " + now);
        } catch (IOException | RuntimeException unknown) {
            console.error("xnet: no xnetd answered, so whether the run's commit was recorded is not known yet: the next"
                    + " xnet command starts one, which settles it ('history' shows it; the run began at commit " + base
                    + ")");
        }
    }

    public int interactive(Terminal terminal) {
        Console console = Console.system(true);
        try (DaemonClient client = DaemonStarter.connectOrStart(files, options.targetArgs())) {
            Map<String, String> hello = hello("shell", console.colour());
            hello.put("tty", console.terminal() ? "1" : "0");
            RemoteLineSession session = new RemoteLineSession(client, hello, terminal.output(), System.err);
            return InteractiveShell.run(terminal, session, history());
        } catch (IOException lost) {
            console.error("xnet: " + lost.getMessage());
            return 1;
        }
    }

    /** `daemon status` and `daemon stop`: they never start a daemon. */
    public int daemon(String action) {
        DaemonClient client;
        try {
            client = DaemonClient.connect(files.socket());
        } catch (IOException none) {
            Map<String, Object> absent = new LinkedHashMap<>();
            absent.put("target", options.target());
            absent.put("running", false);
            System.out.println(options.json() ? xnet.state.Json.pretty(absent) : "no xnetd runs for " + options.target());
            return action.equals("status") ? NOT_RUNNING : 0;
        }
        try (client) {
            Map<String, String> hello = new LinkedHashMap<>(Map.of("mode", action));
            if (options.force()) {
                hello.put("force", "1");
            }
            if (options.json()) {
                hello.put("json", "1");
            }
            client.hello(hello);
            return client.pump(System.out, System.err);
        } catch (IOException lost) {
            System.err.println("xnet: " + lost.getMessage());
            return 1;
        }
    }

    public static Path history() {
        return Path.of(System.getProperty("user.home"), ".xnet_history");
    }

    private static Map<String, String> hello(String mode, boolean colour) {
        Map<String, String> hello = new LinkedHashMap<>();
        hello.put("mode", mode);
        hello.put("cwd", Path.of("").toAbsolutePath().toString());
        hello.put("colour", colour ? "1" : "0");
        return hello;
    }
}
