package xnet.session;

import java.io.OutputStream;
import java.util.List;
import java.util.Map;

import xnet.model.Config;
import xnet.plan.LinkDrift;

/** The side of a target that touches the kernel outside BPF: namespaces, links, processes. */
public interface KernelPort {

    /** Whether the target's base (host and outside namespaces, uplink) is present. */
    boolean baseExists();

    /** Whether the underlay the target shares with other labs is present (true when it has none). */
    default boolean underlayExists() {
        return true;
    }

    /** Runs one command of a plan; throws {@link KernelException} if it fails. */
    void run(List<String> command);

    /** Whether a command succeeds; for the checks of steps that run only if something is there. */
    boolean succeeds(List<String> command);

    /**
     * The links of the target's host namespace by name (see {@link LinkDrift}), or
     * null where they are not known (a port without a kernel).
     */
    default Map<String, LinkDrift.Link> hostLinks() {
        return null;
    }

    /** What of the target exists, against the running config. */
    /** {@code committed}: whether the target has a running commit (a lab never committed is empty, not missing). */
    LabStatus status(Config running, boolean committed);

    /**
     * Removes every namespace of a lab (its processes first); returns the namespaces removed.
     * Namespaces the running config attached but did not make only lose their name: their
     * processes are not ours to stop.
     */
    List<String> destroy(Config running);

    /** Whether a network namespace of the target exists. */
    boolean namespaceExists(String namespace);

    /** Runs a command in a namespace of the target and returns its exit status; {@code input} null: none. */
    int exec(String namespace, List<String> command, boolean terminal, java.io.InputStream input, OutputStream out,
             OutputStream err);
}
