package xnet.session;

import java.util.List;

/** The side of a commit that touches the kernel. */
public interface KernelPort {

    /** Whether the target's base (host and outside namespaces, uplink) is present. */
    boolean baseExists();

    /** Whether the underlay the target shares with other labs is present (true when it has none). */
    default boolean underlayExists() {
        return true;
    }

    /** Runs one command of a plan; throws {@link KernelException} if it fails. */
    void run(List<String> command);
}
