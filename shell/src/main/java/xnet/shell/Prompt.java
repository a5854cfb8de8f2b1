package xnet.shell;

import xnet.launch.LaunchOptions;
import xnet.service.TargetService;

/** The prompt and the greeting: the lab's name unless it is the default one, and '*' while the candidate has changes. */
public final class Prompt {

    private Prompt() {
    }

    public static String of(TargetService target) {
        String name = target.layout().name();
        String where = name.equals(LaunchOptions.DEFAULT_LAB) ? "" : "[" + name + "]";
        return "xnet" + where + (target.hasChanges() ? "*" : "") + "> ";
    }

    public static String greeting(TargetService target) {
        String on = target.layout().lab() ? "lab '" + target.layout().name() + "'" : "this machine (--host)";
        return "xnet " + XnetVersion.get() + " on " + on + ". Type 'help' for commands, Tab to complete.";
    }
}
