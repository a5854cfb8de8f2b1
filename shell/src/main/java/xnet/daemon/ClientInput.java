package xnet.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import xnet.shell.StandardInput;

/**
 * A run's standard input, at its client: asked for (NEED_INPUT) when a command reads "-", then
 * taken from the INPUT frames the connection's reader hands over, up to the empty one that ends
 * it, or a NO_INPUT that says why there is none. Bytes past the command's limit are not kept.
 */
final class ClientInput implements StandardInput {

    private final FrameOutput out;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private long limit;
    private boolean asked;
    private boolean ended;
    private boolean overflow;
    private boolean gone;
    private String refusal;

    ClientInput(FrameOutput out) {
        this.out = out;
    }

    @Override
    public synchronized byte[] readAll(String who, long maxBytes) throws IOException {
        if (asked) {
            throw StandardInput.unavailable(who, StandardInput.READ_BEFORE);
        }
        asked = true;
        limit = maxBytes;
        out.send(Frame.text(Frame.NEED_INPUT, ""));
        while (!ended) {
            try {
                wait();
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
                throw new IOException("stopped while reading standard input", stopped);
            }
        }
        if (gone) {
            throw new IOException("the client went away before it sent its standard input");
        }
        if (refusal != null) {
            throw StandardInput.unavailable(who, refusal);
        }
        if (overflow) {
            throw StandardInput.tooLarge(who, maxBytes);
        }
        return data.toByteArray();
    }

    /** An INPUT or NO_INPUT frame from the client. */
    synchronized void accept(Frame frame) {
        if (!asked || ended) {
            return; // not asked for: a confused client's, ignored
        }
        if (frame.type() == Frame.NO_INPUT) {
            refusal = frame.text();
            ended = true;
        } else if (frame.payload().length == 0) {
            ended = true;
        } else if (data.size() + (long) frame.payload().length > limit) {
            overflow = true;
        } else {
            data.writeBytes(frame.payload());
        }
        notifyAll();
    }

    synchronized void clientGone() {
        gone = !ended;
        ended = true;
        notifyAll();
    }
}
