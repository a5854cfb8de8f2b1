package xnet.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One benchmark at a time on a machine: the benchmark's labs have fixed names (xbench1, ...),
 * so a second run would tear down the first one's labs. An advisory lock on a file in /run
 * (tmpfs: gone after a reboot, whatever XNET_HOME each run uses); the kernel releases it when
 * the process ends, however it ends.
 */
public final class BenchLock implements AutoCloseable {

    public static final Path PATH = Path.of("/run/xnet-bench.lock");

    private final FileChannel channel;
    private final FileLock lock;

    private BenchLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or null when another process holds it. */
    public static BenchLock take() throws IOException {
        FileChannel channel = FileChannel.open(PATH, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            return null;
        }
        return new BenchLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        // remove the file while still holding the lock: a run that opened it meanwhile holds a lock
        // on a file no one else can find, and the next run creates a new one
        Files.deleteIfExists(PATH);
        lock.release();
        channel.close();
    }
}
