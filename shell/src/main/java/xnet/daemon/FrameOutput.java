package xnet.daemon;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** Writes frames to one peer; a command's stdout and stderr (and an exec's two copy threads) share it. */
public final class FrameOutput {

    private final DataOutputStream out;

    public FrameOutput(OutputStream out) {
        this.out = new DataOutputStream(new java.io.BufferedOutputStream(out, 64 * 1024));
    }

    public synchronized void send(Frame frame) throws IOException {
        frame.write(out);
        out.flush();
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
