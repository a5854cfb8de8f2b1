package xnet.shell;


/** State of the running shell that commands may change: a request to leave. */
public class ShellControl {

    private boolean exitRequested;
    private boolean interactive;
    private boolean exitWarned;
    private boolean destroyWarned;

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

    /** `lab destroy` at a prompt warns first; the next one goes on. Returns whether it had warned. */
    public boolean confirmDestroy() {
        boolean warned = destroyWarned;
        destroyWarned = !warned;
        return warned;
    }

    /**
     * A warning asks for the same command again as the very next one: any other command in
     * between (`exit`, `show candidate`, `exit`) makes the next `exit` or `lab destroy` warn anew.
     */
    public void ran(String command) {
        if (!command.equals("exit") && !command.equals("quit")) {
            exitWarned = false;
        }
        if (!command.equals("lab destroy")) {
            destroyWarned = false;
        }
    }

    public boolean interactive() {
        return interactive;
    }

    public void setInteractive(boolean interactive) {
        this.interactive = interactive;
    }
}
