package xnet.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Streams over a blocking socket channel that one thread may read while another writes. The
 * JDK's Channels.newInputStream and newOutputStream both hold the channel's blocking lock for
 * the whole of a read or write (Java 17), so a thread blocked reading (waiting for the client's
 * next frame, or a Ctrl-C) would keep every write out; the channel's own read and write take
 * separate locks.
 */
public final class ChannelStreams {

    private ChannelStreams() {
    }

    public static InputStream in(SocketChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return length == 0 ? 0 : channel.read(ByteBuffer.wrap(bytes, offset, length));
            }
        };
    }

    public static OutputStream out(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            /**
             * Ctrl-C interrupts the thread of the command it stops, and a socket channel closes
             * itself when a thread with its interrupt set writes to it: the interrupt is put aside
             * for the write (the client would lose its session, not just the command), then put back.
             */
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                boolean interrupted = Thread.interrupted();
                try {
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
    }
}
