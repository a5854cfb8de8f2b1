package xnet.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A target's files under the run directory (/run/xnet): the socket xnetd listens on, its pid,
 * and the owner lock. Whoever holds the lock owns the target's kernel objects: one xnetd, or a
 * `--no-daemon` run while none is up. The kernel drops the lock when its holder dies, however
 * it dies, so a SIGKILLed daemon never blocks the next one.
 */
public final class RunFiles {

    private final Path dir;
    private final String target;

    public RunFiles(Path dir, String target) {
        this.dir = dir;
        this.target = target;
    }

    public Path socket() {
        return dir.resolve(target + ".sock");
    }

    public Path pidFile() {
        return dir.resolve(target + ".pid");
    }

    /** Where a daemon that a client started writes its output. */
    public Path log() {
        return dir.resolve(target + ".log");
    }

    /**
     * The log, made root's alone (0600) before the daemon's output is appended to it: it names
     * rules and addresses. A link there is refused, not followed.
     */
    public Path openLog() throws IOException {
        makeDir();
        try (FileChannel made = FileChannel.open(log(), java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            Files.setPosixFilePermissions(log(), PosixFilePermissions.fromString("rw-------"));
        }
        return log();
    }

    /** The run folder, root's alone. */
    private void makeDir() throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private Path lockFile() {
        return dir.resolve(target + ".lock");
    }

    /** The pid the running daemon wrote, if any. */
    public Optional<Long> pid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile()).trim()));
        } catch (IOException | NumberFormatException none) {
            return Optional.empty();
        }
    }

    /** Takes the owner lock, or returns empty when another process holds it. */
    public Optional<AutoCloseable> own() throws IOException {
        makeDir();
        FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            lock = null; // this very process owns it already
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        FileLock held = lock;
        return Optional.of(() -> {
            held.release();
            channel.close();
        });
    }

    void writePid(long pid) throws IOException {
        Files.writeString(pidFile(), pid + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Everything of the target here, for a daemon whose lab was destroyed: socket, pid, log and
     * the lock, which the caller still holds (a process waiting for it uses tryLock, so it finds
     * the next daemon's new file, never this one).
     */
    void removeAll() {
        removeRunFiles();
        try {
            Files.deleteIfExists(log());
        } catch (IOException ignored) {
            // a leftover is harmless: the next daemon reuses both
        }
    }

    /** The socket, the pid and the lock (still held by the caller); the log stays. */
    void removeRunFiles() {
        try {
            Files.deleteIfExists(socket());
            Files.deleteIfExists(pidFile());
            Files.deleteIfExists(lockFile());
        } catch (IOException ignored) {
            // the next daemon replaces both
        }
    }
}
