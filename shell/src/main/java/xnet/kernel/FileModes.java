package xnet.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jnr.ffi.LibraryLoader;

/**
 * What xnet writes is root's alone: the state holds the rules (running.json, the history, the
 * compile cache's objects with inline rules as immediates), the pins hold the maps. The process
 * runs with umask 077, so every folder it (or a tool it runs) makes is 0700 and every file 0600,
 * and folders and files left by an older xnet are tightened the same way at start.
 */
public final class FileModes {

    /** The one libc call this needs. */
    public interface Mask {
        int umask(int mask);
    }

    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private FileModes() {
    }

    /** Sets the umask and tightens what already exists below {@code roots}. */
    public static void restrict(List<Path> roots) throws IOException {
        LibraryLoader.create(Mask.class).load("c").umask(0077);
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : (Iterable<Path>) paths::iterator) {
                    if (Files.isSymbolicLink(path)) {
                        continue;
                    }
                    Set<PosixFilePermission> wanted = Files.isDirectory(path) ? FOLDER : FILE;
                    Set<PosixFilePermission> now = Files.getPosixFilePermissions(path);
                    if (!wanted.containsAll(now)) {
                        now.retainAll(wanted);
                        Files.setPosixFilePermissions(path, now);
                    }
                }
            }
        }
    }
}
