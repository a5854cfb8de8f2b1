package xnet.shell;


/** State of the running shell that commands may change: a request to leave. */
public class ShellControl {

    private boolean exitRequested;
    private boolean interactive;
    private boolean exitWarned;

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

    public boolean interactive() {
        return interactive;
    }

    public void setInteractive(boolean interactive) {
        this.interactive = interactive;
    }
}
