package xnet.launch;

import java.nio.file.Path;

/**
 * The systemd unit that runs a target's xnetd at boot and after a crash (packaging/systemd): a
 * template instance per lab, xnetd@LAB.service, or xnetd-host.service for the host. Plain text
 * work; {@code xnet.client.DaemonInstall} writes and enables it.
 */
public record DaemonUnit(String file, String unit, String text) {

    /** The placeholder the shipped files have for the launcher's absolute path. */
    static final String LAUNCHER = "@XNET@";

    /** The shipped file to read for {@code target} ("host" or a lab's name). */
    public static String shippedFile(String target) {
        return target.equals("host") ? "xnetd-host.service" : "xnetd@.service";
    }

    /** The unit for {@code target}, from the shipped {@code template}, running {@code launcher}. */
    public static DaemonUnit of(String target, String template, Path launcher) {
        if (!template.contains(LAUNCHER)) {
            throw new IllegalArgumentException("the shipped unit has no " + LAUNCHER + " to put the launcher's path in");
        }
        String file = shippedFile(target);
        String unit = target.equals("host") ? file : "xnetd@" + target + ".service";
        return new DaemonUnit(file, unit, template.replace(LAUNCHER, launcher.toAbsolutePath().normalize().toString()));
    }
}
