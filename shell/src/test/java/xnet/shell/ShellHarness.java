package xnet.shell;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import xnet.app.Composition;
import xnet.app.Faults;
import xnet.app.Workspace;
import xnet.plan.TargetLayout;
import xnet.profile.ProfileLibrary;
import xnet.service.TargetService;
import xnet.shell.commands.CommitCommands;
import xnet.shell.commands.HelpCommands;
import xnet.shell.commands.LabCommands;
import xnet.shell.commands.ProfileCommands;
import xnet.shell.commands.TopologyCommands;

/**
 * The shell's beans wired by hand, as Spring wires them, on a state directory of the test's own.
 * Tests through it run edits, shows and checks only: nothing that touches the kernel.
 */
final class ShellHarness {

    final TargetService target;
    final ShellControl control = new ShellControl();
    final Dispatcher dispatcher;
    final ScriptRunner scripts;
    final SessionValues values;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final Console console = new Console(out, err, false, false);

    ShellHarness(Path home, Path root) throws Exception {
        Workspace workspace = new Workspace(home, root);
        target = Composition.target(TargetLayout.lab("unit"), workspace, Faults.NONE);
        ProfileLibrary profiles = Composition.profiles(workspace);
        ScriptRunner[] runner = new ScriptRunner[1];
        Dispatcher[] late = new Dispatcher[1];
        dispatcher = new Dispatcher(List.of(
                new TopologyCommands(target),
                new CommitCommands(target),
                new LabCommands(target),
                new xnet.shell.commands.RuleCommands(target),
                new ProfileCommands(target, profiles, () -> runner[0]),
                new HelpCommands(() -> late[0].grammar(), control, target)));
        late[0] = dispatcher;
        scripts = new ScriptRunner(dispatcher, control);
        runner[0] = scripts;
        values = new SessionValues(target, profiles);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
