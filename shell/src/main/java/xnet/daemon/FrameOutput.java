package xnet.daemon;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Writes frames to one peer; a command's stdout and stderr (and an exec's two copy threads) share it.
 * Output of a script run may be held for a moment ({@link #holdOutput}): a 100,000-line batch says
 * "filter N added" 100,000 times, and a write to the socket for each (and one for the client to
 * read and pass on) cost more than the lines themselves.
 */
public final class FrameOutput {

    /** How long held output may wait: short enough that a long command's first lines still show at once. */
    private static final long HOLD_MS = 20;
    private static final java.util.concurrent.ScheduledExecutorService FLUSHER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "xnetd-flush");
                thread.setDaemon(true);
                return thread;
            });

    private final DataOutputStream out;
    private boolean hold; // guarded by this
    private boolean pending; // guarded by this: held output not yet flushed
    private boolean gone; // guarded by this: a held flush found the client gone

    public FrameOutput(OutputStream out) {
        this.out = new DataOutputStream(new java.io.BufferedOutputStream(out, 64 * 1024));
    }

    /** From now on OUT and ERR frames go out within {@value #HOLD_MS} ms, together, not one write each. */
    public synchronized void holdOutput() {
        hold = true;
    }

    public synchronized void send(Frame frame) throws IOException {
        if (gone) {
            // as an unheld write would have: the command learns now (a `--watch` ends)
            throw new IOException("the client went away");
        }
        frame.write(out);
        boolean output = frame.type() == Frame.OUT || frame.type() == Frame.ERR;
        if (!hold || !output) {
            pending = false;
            out.flush();
        } else if (!pending) {
            pending = true;
            FLUSHER.schedule(this::flushHeld, HOLD_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void flushHeld() {
        if (pending) {
            pending = false;
            try {
                out.flush();
            } catch (IOException closed) {
                gone = true; // the client went away; the next send says so to the command that writes
            }
        }
    }

    /**
     * While a command runs: an ALIVE frame every {@link Frame#ALIVE_MS} ms, so that a client can
     * tell a busy xnetd (a long commit, a silent `exec`) from a stopped or hung one. Closing ends it.
     */
    /** A running heartbeat; closing it stops the beats. */
    public interface Heartbeat extends AutoCloseable {
        @Override
        void close();
    }

    public Heartbeat heartbeat() {
        java.util.concurrent.ScheduledFuture<?> beat = FLUSHER.scheduleAtFixedRate(() -> {
            try {
                send(Frame.text(Frame.ALIVE, ""));
            } catch (IOException gone) {
                // the client went away: the command learns at its next write, or its watcher tells it
            }
        }, Frame.ALIVE_MS, Frame.ALIVE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> beat.cancel(false);
    }

    public void send(char type, String text) throws IOException {
        send(Frame.text(type, text));
    }

    /** A stream whose bytes go out as frames of {@code type} (OUT or ERR), one per write. */
    public OutputStream stream(char type) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (length == 0) {
                    return;
                }
                try {
                    send(new Frame(type, Arrays.copyOfRange(bytes, offset, offset + length)));
                } catch (IOException gone) {
                    throw new UncheckedIOException("the client went away", gone);
                }
            }
        };
    }
}
