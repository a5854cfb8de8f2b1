package xnet.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The folders xnet writes as root must be root's alone. XNET_RUN and XNET_HOME may point
 * anywhere; were one of them (or a folder above it) another user's, or open to group or others,
 * that user could put a symbolic link where xnet writes its log or pid (root would append to or
 * overwrite the link's target) or move root's socket away. So such a folder is refused before
 * anything is written, the folders above it must be root's and writable by others only with the
 * sticky bit (as /tmp), and nothing below {@code targets/} is followed as a link.
 */
public final class TrustedFolders {

    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int STICKY = 01000;

    /** Thrown with the folder and why it is not root's alone. */
    public static final class Untrusted extends IllegalArgumentException {
        Untrusted(String message) {
            super(message);
        }
    }

    private TrustedFolders() {
    }

    /** Checks the run folder, the home folder and {@code home/targets/TARGET}. */
    public static void check(Path run, Path home, String target) throws IOException {
        folder(run, "XNET_RUN");
        folder(home, "XNET_HOME");
        Path targets = home.toAbsolutePath().normalize().resolve("targets");
        for (Path below : List.of(targets, targets.resolve(target))) {
            if (Files.isSymbolicLink(below)) {
                throw new Untrusted(below + " is a symbolic link: xnet follows no link in its state (make it a folder"
                        + " of root's)");
            }
            if (Files.exists(below, LinkOption.NOFOLLOW_LINKS)) {
                itself(below, "its state");
            }
        }
    }

    /** The folder itself when it exists, and every folder above it. */
    static void folder(Path dir, String name) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isSymbolicLink(absolute)) {
                throw new Untrusted(name + " " + absolute + " is a symbolic link: give the folder itself, one of root's");
            }
            itself(absolute, name);
        }
        for (Path above = absolute.getParent(); above != null; above = above.getParent()) {
            if (!Files.exists(above)) {
                continue; // made later, as root's, with the folder
            }
            int uid = (Integer) Files.getAttribute(above, "unix:uid");
            int mode = (Integer) Files.getAttribute(above, "unix:mode");
            if (uid != 0 || (mode & GROUP_OR_OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
                throw new Untrusted(name + " " + absolute + " is below " + above + ", which " + (uid != 0
                        ? "uid " + uid + " owns" : "group or others may write (mode " + octal(mode) + ")")
                        + ": another user could replace what xnet keeps there");
            }
        }
    }

    /** A folder xnet writes in: a folder, root's, and not writable by group or others. */
    private static void itself(Path dir, String name) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new Untrusted(name + " " + dir + " is not a folder");
        }
        int uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (uid != 0) {
            throw new Untrusted(name + " " + dir + " is owned by uid " + uid + ", not root: that user could replace"
                    + " what xnet keeps there; give a folder of root's");
        }
        if ((mode & GROUP_OR_OTHERS_WRITE) != 0) {
            throw new Untrusted(name + " " + dir + " may be written by group or others (mode " + octal(mode)
                    + "): they could replace what xnet keeps there; make it 0700 (chmod go-w)");
        }
    }

    private static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }
}
