package xnet.shell;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import xnet.app.Composition;
import xnet.app.Faults;
import xnet.app.Workspace;
import xnet.plan.TargetLayout;
import xnet.service.TargetService;

/**
 * The shell as `-c` runs it (one {@link ShellAssembly}), on a state directory of the test's own.
 * Tests through it run edits, shows and checks only: nothing that touches the kernel.
 */
final class ShellHarness {

    final TargetService target;
    final ShellControl control;
    final Dispatcher dispatcher;
    final ScriptRunner scripts;
    final SessionValues values;
    final ShellAssembly assembly;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final Console console = new Console(out, err, false, false);

    ShellHarness(Path home, Path root) throws Exception {
        Workspace workspace = new Workspace(home, root);
        target = Composition.target(TargetLayout.lab("unit"), workspace, Faults.NONE);
        ShellAssembly shell = new ShellAssembly(target, Composition.profiles(workspace), Composition.compiler(workspace),
                Composition.cniFiles(workspace, target.layout()), Path.of(""));
        assembly = shell;
        control = shell.control();
        dispatcher = shell.dispatcher();
        scripts = shell.scripts();
        values = shell.values();
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
