package xnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import xnet.app.Composition;
import xnet.app.Faults;
import xnet.app.Workspace;
import xnet.client.Frontends;
import xnet.daemon.RunFiles;
import xnet.daemon.Xnetd;
import xnet.kernel.FileModes;
import xnet.launch.LaunchOptions;
import xnet.plan.TargetLayout;
import xnet.service.TargetService;
import xnet.shell.Console;
import xnet.shell.InteractiveShell;
import xnet.shell.LocalLineSession;
import xnet.shell.ShellAssembly;
import xnet.shell.XnetVersion;

/**
 * Starts xnet: options first (so --help is instant), then one of: the daemon (`daemon run`), a
 * client of the target's daemon (the prompt, `-c`, `-f`, `daemon status|stop`), or with
 * --no-daemon the same shell in this process. Everything is wired by hand; a Spring context
 * cost about 2 s of every start (bench/startup.sh) and gave nothing the shell uses.
 */
public final class XnetApplication {

    private XnetApplication() {
    }

    public static void main(String[] args) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(List.of(args));
        } catch (IllegalArgumentException bad) {
            System.err.println("xnet: " + bad.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(LaunchOptions.USAGE);
            System.exit(0);
        }
        if (options.man()) {
            // the launcher installs this after each build: `man xnet`
            System.out.print(xnet.render.ManPage.render(xnet.shell.ShellAssembly.grammar(), LaunchOptions.USAGE,
                    XnetVersion.get()));
            System.exit(0);
        }
        if (options.version()) {
            System.out.println("xnet " + XnetVersion.get());
            System.exit(0);
        }
        if (!isRoot()) {
            System.err.println("xnet: must run as root: it creates network namespaces and loads BPF programs"
                    + " (try: sudo ./xnet)");
            System.exit(2);
        }
        Workspace workspace = Workspace.fromEnvironment();
        TargetLayout layout;
        try {
            xnet.state.TrustedFolders.check(workspace.run(), workspace.home(), options.target());
            layout = layout(options, workspace);
        } catch (IllegalArgumentException | IOException bad) {
            System.err.println("xnet: " + bad.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(options, layout, workspace));
    }

    private static int run(LaunchOptions options, TargetLayout layout, Workspace workspace) {
        RunFiles files = new RunFiles(workspace.run(), layout.name());
        Frontends frontends = new Frontends(options, files);
        boolean batch = options.file() != null || options.commands() != null;
        try {
            if ("run".equals(options.daemon())) {
                restrictFileModes(workspace);
                return Xnetd.run(layout, workspace, Faults.fromEnvironment());
            }
            if ("install".equals(options.daemon())) {
                return xnet.client.DaemonInstall.install(options.target(), workspace);
            }
            if (options.daemon() != null) {
                return frontends.daemon(options.daemon());
            }
            if (!options.noDaemon() && batch) {
                return frontends.batch();
            }
            if (!options.noDaemon()) {
                try (Terminal terminal = terminal()) {
                    return frontends.interactive(terminal);
                }
            }
            Optional<AutoCloseable> owner = files.own();
            if (owner.isEmpty()) {
                System.err.println("xnet: xnetd owns " + options.target() + " (pid "
                        + files.pid().map(String::valueOf).orElse("unknown")
                        + "): drop --no-daemon, or stop it first with 'xnet daemon stop'");
                return 2;
            }
            try (AutoCloseable held = owner.get()) {
                restrictFileModes(workspace);
                return inProcess(layout, workspace, options, batch);
            }
        } catch (Exception failed) {
            System.err.println("xnet: " + failed.getMessage());
            return 1;
        }
    }

    /** --no-daemon: the shell's parts in this process, as xnetd would run them. */
    private static int inProcess(TargetLayout layout, Workspace workspace, LaunchOptions options, boolean batch)
            throws Exception {
        TargetService target = Composition.target(layout, workspace, Faults.fromEnvironment(),
                done -> System.err.println("xnet: " + done));
        ShellAssembly shell = new ShellAssembly(target, Composition.profiles(workspace), Composition.compiler(workspace),
                Composition.cniFiles(workspace, layout), Path.of(""));
        if (batch) {
            return shell.runBatch(options);
        }
        try (Terminal terminal = terminal()) {
            Console console = new Console(terminal.output(), System.err, Console.system(true).colour(), true);
            return InteractiveShell.run(terminal, new LocalLineSession(shell, console), Frontends.history());
        }
    }

    /** Only the processes that write state (the daemon, --no-daemon) pay for the libc binding this loads. */
    private static void restrictFileModes(Workspace workspace) throws IOException {
        FileModes.restrict(List.of(workspace.home(), xnet.bpf.BpfDatapath.PIN_ROOT));
    }

    private static Terminal terminal() throws IOException {
        return TerminalBuilder.builder().name("xnet").system(true).build();
    }

    /** The target's layout; a lab's network comes from its lab.json, or from the options that make it. */
    static TargetLayout layout(LaunchOptions options, Workspace workspace) throws IOException {
        if (options.host()) {
            return TargetLayout.realHost();
        }
        if (options.uplink() != null || options.underlay() != null) {
            // refused here, before lab.json keeps them
            TargetLayout.lab(options.lab(), xnet.plan.LabNetwork.of(options.uplink(), options.underlay()));
        }
        xnet.plan.LabNetwork network = new xnet.state.LabFile(workspace.stateDir(options.lab()))
                .resolve(options.lab(), options.uplink(), options.underlay());
        return TargetLayout.lab(options.lab(), network);
    }

    static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:"))
                    .anyMatch(l -> l.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }
}
