package xnet.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import xnet.app.Workspace;
import xnet.kernel.ProcessRunner;
import xnet.launch.DaemonUnit;

/**
 * `xnet daemon install`: writes the target's systemd unit (packaging/systemd, with this
 * checkout's launcher in ExecStart) to /etc/systemd/system, or XNET_UNIT_DIR, and when systemd
 * runs the machine reloads it and enables the unit now and at boot. Where it does not (a
 * container, a chroot) the file is written and the command to enable it is printed.
 */
public final class DaemonInstall {

    private DaemonInstall() {
    }

    public static int install(String target, Workspace workspace) throws IOException {
        Path shipped = workspace.root().resolve("packaging/systemd").resolve(DaemonUnit.shippedFile(target));
        DaemonUnit unit = DaemonUnit.of(target, Files.readString(shipped), workspace.root().resolve("xnet"));
        String dir = System.getenv("XNET_UNIT_DIR");
        Path into = Path.of(dir != null && !dir.isBlank() ? dir : "/etc/systemd/system");
        Files.createDirectories(into);
        Path file = into.resolve(unit.file());
        Files.writeString(file, unit.text());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        System.out.println("wrote " + file);
        if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
            System.out.println("systemd does not run this machine: on one where it does, 'systemctl daemon-reload &&"
                    + " systemctl enable --now " + unit.unit() + "' starts xnetd now and at every boot");
            return 0;
        }
        ProcessRunner.run(List.of("systemctl", "daemon-reload"));
        ProcessRunner.run(List.of("systemctl", "enable", "--now", unit.unit()));
        System.out.println(unit.unit() + " enabled: xnetd runs now, at every boot, and again after a crash");
        return 0;
    }
}
