package xnet.app;

import java.nio.file.Path;

/**
 * Where xnet keeps files. XNET_HOME (default /var/lib/xnet) holds each target's state and the
 * user's saved profiles; XNET_ROOT (set by the launcher) is the checkout with the shipped profiles;
 * XNET_RUN (default /run/xnet) holds each target's xnetd socket and pid file.
 */
public record Workspace(Path home, Path root, Path run) {

    public Workspace(Path home, Path root) {
        this(home, root, Path.of("/run/xnet"));
    }

    public static Workspace fromEnvironment() {
        String home = System.getenv("XNET_HOME");
        String root = System.getenv("XNET_ROOT");
        String run = System.getenv("XNET_RUN");
        return new Workspace(Path.of(home != null ? home : "/var/lib/xnet"),
                Path.of(root != null ? root : System.getProperty("user.dir")),
                Path.of(run != null ? run : "/run/xnet"));
    }

    public Path stateDir(String target) {
        return home.resolve("targets").resolve(target);
    }

    public Path savedProfiles() {
        return home.resolve("profiles");
    }

    public Path shippedProfiles() {
        return root.resolve("profiles");
    }
}
