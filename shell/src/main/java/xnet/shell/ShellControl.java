package xnet.shell;


/** State of the running shell that commands may change: a request to leave. */
public class ShellControl {

    private boolean exitRequested;
    private boolean interactive;
    private boolean exitWarned;
    /** The command that warned and waits to be given again ("lab destroy", "lab rebuild"), or null. */
    private String warned;

    public boolean exitRequested() {
        return exitRequested;
    }

    public void requestExit() {
        exitRequested = true;
    }

    public boolean exitWarned() {
        return exitWarned;
    }

    public void warnExit() {
        exitWarned = true;
    }

    /**
     * A command that removes what cannot come back (`lab destroy`, `lab rebuild`) warns first at
     * a prompt; the same command again goes on. Returns whether it had warned.
     */
    public boolean confirm(String command) {
        boolean confirmed = command.equals(warned);
        warned = confirmed ? null : command;
        return confirmed;
    }

    /**
     * A warning asks for the same command again as the very next one: any other command in
     * between (`exit`, `show candidate`, `exit`) makes the next `exit` or `lab destroy` warn anew.
     */
    public void ran(String command) {
        if (!command.equals("exit") && !command.equals("quit")) {
            exitWarned = false;
        }
        if (!command.equals(warned)) {
            warned = null;
        }
    }

    public boolean interactive() {
        return interactive;
    }

    public void setInteractive(boolean interactive) {
        this.interactive = interactive;
    }
}
