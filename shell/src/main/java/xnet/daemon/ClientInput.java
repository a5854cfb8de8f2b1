package xnet.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import xnet.shell.StandardInput;

/**
 * A run's standard input, at its client: asked for (NEED_INPUT) when a command reads "-" or an
 * `exec` runs, then taken from the INPUT frames the connection's reader hands over (the client
 * sends them as it reads them), up to the empty one that ends it, or a NO_INPUT that says why
 * there is none. For "-", bytes past the command's limit are not kept; for `exec`, the frames are
 * a stream the command reads as they come (see {@link #stream}).
 */
final class ClientInput implements StandardInput {

    /** What an `exec`'s stream holds that its command has not read yet, at most: beyond it the client waits. */
    static final int STREAM_BUFFER = 16 << 20;

    private final FrameOutput out;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private long limit;
    private boolean asked;
    private boolean ended;
    private boolean overflow;
    private boolean gone;
    private String refusal;
    /** An `exec`'s: the pieces not read yet, and whether its command is done with them. */
    private java.util.ArrayDeque<byte[]> pieces;
    private int buffered;
    private int offset;
    private boolean closed;

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

    @Override
    public synchronized java.io.InputStream stream(String who) throws IOException {
        if (asked) {
            return null;
        }
        asked = true;
        pieces = new java.util.ArrayDeque<>();
        out.send(Frame.text(Frame.NEED_INPUT, ""));
        return new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] into, int at, int length) throws IOException {
                return take(into, at, length);
            }

            @Override
            public void close() {
                closeStream();
            }
        };
    }

    /** What the stream's reader gets: what is there, or -1 once the input ended, was refused, or the client went. */
    private synchronized int take(byte[] into, int at, int length) throws IOException {
        while (pieces.isEmpty() && !ended && !closed) {
            try {
                wait();
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("stopped while reading standard input");
            }
        }
        if (pieces.isEmpty() || closed) {
            return -1;
        }
        byte[] head = pieces.peek();
        int n = Math.min(length, head.length - offset);
        System.arraycopy(head, offset, into, at, n);
        offset += n;
        buffered -= n;
        if (offset == head.length) {
            pieces.remove();
            offset = 0;
        }
        notifyAll();
        return n;
    }

    private synchronized void closeStream() {
        closed = true;
        pieces.clear();
        buffered = 0;
        notifyAll();
    }

    /** An INPUT or NO_INPUT frame from the client. */
    synchronized void accept(Frame frame) {
        if (!asked || ended) {
            return; // not asked for: a confused client's, ignored
        }
        if (pieces != null) {
            acceptPiece(frame);
            return;
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

    /**
     * A piece for an `exec`'s stream. Past {@link #STREAM_BUFFER} unread bytes the connection's
     * reader waits here until the command reads or ends: the client then waits on the socket, as a
     * pipe's writer waits on a slow reader.
     */
    private void acceptPiece(Frame frame) {
        if (frame.type() == Frame.NO_INPUT || frame.payload().length == 0) {
            ended = true;
        } else if (!closed) {
            while (buffered > STREAM_BUFFER && !closed) {
                try {
                    wait();
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!closed) {
                pieces.add(frame.payload());
                buffered += frame.payload().length;
            }
        }
        notifyAll();
    }

    synchronized void clientGone() {
        gone = !ended;
        ended = true;
        notifyAll();
    }
}
