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

    public boolean interactive() {
        return interactive;
    }

    public void setInteractive(boolean interactive) {
        this.interactive = interactive;
    }
}
