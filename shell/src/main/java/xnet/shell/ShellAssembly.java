package xnet.shell;

import java.nio.file.Path;
import java.util.List;

import xnet.kernel.ClangCompiler;
import xnet.launch.LaunchOptions;
import xnet.profile.ProfileLibrary;
import xnet.service.TargetService;
import xnet.shell.commands.BenchCommands;
import xnet.shell.commands.CniCommands;
import xnet.state.CniFiles;
import xnet.shell.commands.CommitCommands;
import xnet.shell.commands.ImportCommands;
import xnet.shell.commands.HelpCommands;
import xnet.shell.commands.LabCommands;
import xnet.shell.commands.ProfileCommands;
import xnet.shell.commands.RuleCommands;
import xnet.shell.commands.MonitorCommands;
import xnet.shell.commands.TestPacketCommands;
import xnet.shell.commands.TopologyCommands;

/**
 * The shell's parts wired by hand, once: every command group, the dispatcher, the script
 * runner and the completion values. `-c` and `-f` run on it without Spring (a one-line command
 * then skips the Spring context, about half its start-up); the interactive shell gets the same
 * parts as Spring beans; tests build it too.
 */
public final class ShellAssembly {

    private final ShellControl control = new ShellControl();
    private final Dispatcher dispatcher;
    private final ScriptRunner scripts;
    private final SessionValues values;
    private final TargetService target;

    /** {@code cwd}: the user's working directory (xnetd's sessions get their client's). */
    public ShellAssembly(TargetService target, ProfileLibrary profiles, ClangCompiler compiler, CniFiles cni,
                         Path cwd) {
        this.target = target;
        // commands that run or describe other commands get the runner and the grammar late
        ScriptRunner[] runner = new ScriptRunner[1];
        Dispatcher[] late = new Dispatcher[1];
        dispatcher = new Dispatcher(List.of(
                new TopologyCommands(target),
                new CommitCommands(target),
                new LabCommands(target, control),
                new RuleCommands(target),
                new ImportCommands(target, cwd),
                new TestPacketCommands(target),
                new MonitorCommands(target),
                new ProfileCommands(target, profiles, () -> runner[0], cwd),
                new HelpCommands(() -> late[0].grammar(), control, target),
                new BenchCommands(compiler),
                new CniCommands(target, cni)), () -> target.requireReadableState());
        late[0] = dispatcher;
        scripts = new ScriptRunner(dispatcher, control);
        runner[0] = scripts;
        values = new SessionValues(target, profiles, cwd);
    }

    /** The grammar alone, with no target behind it: for the man page. */
    public static xnet.grammar.Grammar grammar() {
        return new ShellAssembly(null, null, null, null, Path.of("")).dispatcher.grammar();
    }

    /** What "-" reads in a batch run in this process: standard input, unless it is the script or closed. */
    private static StandardInput batchInput(String scriptFile) {
        String refusal = batchInputRefusal(scriptFile);
        return refusal != null ? StandardInput.refused(refusal) : StandardInput.of(System.in);
    }

    /** Why a batch's commands cannot read this process's standard input; null when they can. */
    public static String batchInputRefusal(String scriptFile) {
        if ("-".equals(scriptFile)) {
            return "standard input is the script (-f -)";
        }
        return ScriptRunner.standardInputClosed() ? "standard input is closed" : null;
    }

    /** Runs `-f FILE` or `-c "CMD; CMD"`; returns the exit status. */
    public int runBatch(LaunchOptions options) {
        Console console = Console.system(false).withInput(batchInput(options.file()));
        if (options.file() != null) {
            try {
                return endOfBatch(scripts.run(ScriptRunner.Source.file(options.file()), console, false), console,
                        options.strict());
            } catch (java.io.IOException | IllegalArgumentException unreadable) {
                ErrorReporter.report(unreadable, null, console);
                return 1;
            }
        }
        return endOfBatch(scripts.run(new ScriptRunner.Source(null, List.of(options.commands())), console, false),
                console, options.strict());
    }

    /**
     * A batch run that ends with edits nobody committed says so (they go with the run), and
     * with {@code strict} fails: `-c "bridge add ..."` alone changes nothing.
     */
    public int endOfBatch(int status, Console console, boolean strict) {
        if (status != 0 || !target.hasChanges()) {
            return status;
        }
        int changes = target.changes().size();
        console.warn("warning: " + changes + " uncommitted change(s) are dropped at the end of this run ('commit' makes them"
                + " running)" + (strict ? "; --strict: exit 1" : ""));
        return strict ? 1 : 0;
    }

    public TargetService target() {
        return target;
    }

    public ShellControl control() {
        return control;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public ScriptRunner scripts() {
        return scripts;
    }

    public SessionValues values() {
        return values;
    }
}
