package xnet.session;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A state file that cannot be read whole: empty, cut short, not JSON, of the wrong types, or
 * missing from the chain of the running commit. One line names the file, the problem and the
 * way out; the kernel is left alone.
 */
public final class DamagedStateException extends IOException {

    private final transient Path file;

    public DamagedStateException(Path file, String problem) {
        super("state file " + file + " is damaged: " + problem
                + " ('lab repair' goes back to the newest commit that reads whole; 'lab destroy' still works)");
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
