package xnet.shell;

import java.util.concurrent.Callable;

/**
 * What Ctrl-C may stop: the command a session runs in the foreground, when it is one that waits
 * (`exec`, `show counters --watch`). Everything else (a commit above all) runs to its end: an
 * interrupt there could leave a half-written file or map.
 */
public final class Foreground {

    private volatile Thread waiting;
    /** Nobody reads any more (the client went away): every waiting command ends at once, now or later. */
    private volatile boolean abandoned;

    /** Runs {@code task}, letting {@link #interrupt} cut it short; the interrupt status is cleared after. */
    public <T> T interruptible(Callable<T> task) throws Exception {
        waiting = Thread.currentThread();
        if (abandoned) {
            Thread.currentThread().interrupt();
        }
        try {
            return task.call();
        } finally {
            waiting = null;
            Thread.interrupted();
        }
    }

    /** The client is gone: stops the foreground command, and any that would wait after it. */
    public void abandon() {
        abandoned = true;
        interrupt();
    }

    /** Ctrl-C: stops the foreground command if it may be stopped; otherwise nothing happens. */
    public void interrupt() {
        Thread thread = waiting;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
