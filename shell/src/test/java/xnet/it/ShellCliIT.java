package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shell as users run it: batch files, -c, stdin, a real terminal, and the launcher script. */
class ShellCliIT {

    private Xnet xnet;

    @BeforeEach
    void setUp() throws Exception {
        xnet = new Xnet("itcli");
    }

    @AfterEach
    void tearDown() throws Exception {
        xnet.close();
    }

    @Test
    void batchFileWithABadLineStopsThereWithFileAndLine() throws Exception {
        Path file = xnet.home.resolve("broken.xnet");
        Files.writeString(file, "bridge add br1 10.0.1.0/24\ncontainer add a --bridge br1\n"
                + "container add b --bridge br1 --ip 10.0.2.7\ncommit\n");
        Xnet.Result result = xnet.f(file.toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err().trim()).isEqualTo(file + ":3: address 10.0.2.7 is outside bridge br1 (10.0.1.0/24)");
        assertThat(result.err()).doesNotContain("Exception");
        assertThat(xnet.c("history").out()).contains("no commits yet");
        assertThat(Kernel.namespaces("xnet.itcli.")).isEmpty();

        Xnet.Result stdin = xnet.run(Map.of(), "bridge add br1 10.0.1.0/24\nfrob\n", "--lab", "itcli", "-f", "-");
        assertThat(stdin.status()).isEqualTo(1);
        assertThat(stdin.err()).contains("<stdin>:2: unknown command 'frob'");

        Path latin1 = xnet.home.resolve("b.xnet");
        Files.write(latin1, "bridge add br1 10.0.1.0/24\nfilter add drop from 10.9.9.\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        for (List<String> how : List.of(List.of(Xnet.ROOT.resolve("xnet").toString()), List.of("java", "-jar", Xnet.JAR.toString()))) {
            List<String> command = new java.util.ArrayList<>(how);
            command.addAll(List.of("--lab", "itcli", "-f", latin1.toString()));
            Xnet.Result notUtf8 = xnet.exec(command, Map.of(), null);
            assertThat(notUtf8.status()).as(how + ": " + notUtf8.all()).isEqualTo(1);
            assertThat(notUtf8.err().strip()).as(how.toString())
                    .isEqualTo(latin1 + ":2: not valid UTF-8 (byte 0xE9 at column 29)");
        }
        // A NUL byte ends a C string: the client sends lines by length and xnetd refuses the script
        // at the NUL instead of running a shorter, wider rule, whether the script is a file or stdin.
        byte[] withNul = "filter add drop from 10.0.0.1\0 to 10.0.1.2 proto tcp port 80\nfilter list\n"
                .getBytes(StandardCharsets.UTF_8);
        Path nul = xnet.home.resolve("nul.xnet");
        Files.write(nul, withNul);
        String launcher = Xnet.ROOT.resolve("xnet").toString();
        for (List<String> how : List.of(List.of(launcher), List.of("java", "-jar", Xnet.JAR.toString()))) {
            List<String> command = new java.util.ArrayList<>(how);
            command.addAll(List.of("--lab", "itcli", "-f", nul.toString()));
            Xnet.Result refused = xnet.exec(command, Map.of(), null);
            assertThat(refused.status()).as(how + ": " + refused.all()).isEqualTo(1);
            assertThat(refused.err().strip()).as(how.toString()).isEqualTo(nul + ":1: NUL byte at column 30");
        }
        Xnet.Result nulStdin = xnet.execWithInput(List.of(launcher, "--lab", "itcli", "-f", "-"), Map.of(), withNul);
        assertThat(nulStdin.status()).as(nulStdin.all()).isEqualTo(1);
        assertThat(nulStdin.err().strip()).isEqualTo("<stdin>:1: NUL byte at column 30");
        assertThat(xnet.c("filter list").out()).doesNotContain("10.0.0.1");
        Xnet.Result closed = xnet.exec(List.of("sh", "-c", "exec \"$0\" --lab itcli -f - <&-",
                Xnet.ROOT.resolve("xnet").toString()), Map.of(), null);
        assertThat(closed.status()).as(closed.all()).isEqualTo(1);
        assertThat(closed.err()).contains("standard input is closed");
        Xnet.Result missing = xnet.f("no-such-file.xnet");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read no-such-file.xnet");
    }

    @Test
    void optionsAreCheckedAndRootIsRequired() throws Exception {
        Xnet.Result bad = xnet.run(Map.of(), null, "--frob");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown option '--frob'");
        assertThat(xnet.run(Map.of(), null, "--help").out()).contains("usage: xnet", "-f FILE", "--lab NAME");
        assertThat(xnet.run(Map.of(), null, "--version").out()).startsWith("xnet ");

        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        Xnet.Result java = xnet.exec(concat(asNobody, "java", "-jar", Xnet.JAR.toString(), "-c", "help"), Map.of(), null);
        assertThat(java.status()).isEqualTo(2);
        assertThat(java.err()).contains("must run as root");
        Xnet.Result launcher = xnet.exec(concat(asNobody, Xnet.ROOT.resolve("xnet").toString(), "-c", "help"), Map.of(), null);
        assertThat(launcher.status()).isEqualTo(2);
        assertThat(launcher.err()).contains("must run as root");
    }

    /**
     * Run and state folders that are not root's alone are refused before anything is written. An
     * unprivileged user (nobody, through setpriv) makes a folder in /tmp with links to a root file
     * where xnet writes its log and pid; a folder of root's that others may write, and one below
     * it, are refused too, and so is a link below targets/. The log is root's alone (0600).
     */
    @Test
    void runAndStateFoldersOfAnotherUserOrOpenToOthersAreRefused() throws Exception {
        Path victim = xnet.home.resolve("victim.txt");
        Files.writeString(victim, "root's\n");
        Path foreign = Path.of("/tmp/xnet-it-foreign-" + ProcessHandle.current().pid());
        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        Xnet.Result made = xnet.exec(concat(asNobody, "sh", "-c", "mkdir " + foreign + " && ln -s " + victim + " "
                + foreign + "/itcli.log && ln -s " + victim + " " + foreign + "/itcli.pid && mkdir " + foreign
                + "/targets"), Map.of(), null);
        assertThat(made.status()).as(made.all()).isZero();
        Path open = xnet.home.resolve("open");
        Files.createDirectories(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path linked = xnet.home.resolve("linked");
        Files.createDirectories(linked.resolve("targets"));
        Files.createDirectories(xnet.home.resolve("elsewhere"));
        Files.createSymbolicLink(linked.resolve("targets/itcli"), xnet.home.resolve("elsewhere"));
        try {
            Map<Map<String, String>, String> refused = new java.util.LinkedHashMap<>();
            refused.put(Map.of("XNET_RUN", foreign.toString()), "XNET_RUN " + foreign + " is owned by uid 65534");
            refused.put(Map.of("XNET_HOME", foreign.toString()), "XNET_HOME " + foreign + " is owned by uid 65534");
            refused.put(Map.of("XNET_RUN", open.toString()), "may be written by group or others (mode 0777)");
            refused.put(Map.of("XNET_HOME", open.resolve("home").toString()), "which group or others may write");
            refused.put(Map.of("XNET_HOME", linked.toString()), "targets/itcli is a symbolic link");
            String launcher = Xnet.ROOT.resolve("xnet").toString();
            for (Map.Entry<Map<String, String>, String> folder : refused.entrySet()) {
                for (List<String> how : List.of(List.of(launcher), List.of("java", "-jar", Xnet.JAR.toString()))) {
                    Xnet.Result run = xnet.exec(concat(how, "--lab", "itcli", "-c", "bridge list"), folder.getKey(), null);
                    assertThat(run.status()).as(folder.getKey() + " " + how + ": " + run.all()).isEqualTo(2);
                    assertThat(run.err()).as(folder.getKey() + " " + how).contains(folder.getValue());
                }
            }
            assertThat(Files.readString(victim)).as("the file the links point at").isEqualTo("root's\n");
            try (var left = Files.list(open)) {
                assertThat(left.toList()).as("nothing made in the open folder").isEmpty();
            }
        } finally {
            Kernel.sh("rm", "-rf", foreign.toString());
        }
        assertThat(xnet.c("help").status()).isZero();
        assertThat(Files.getPosixFilePermissions(xnet.run().resolve("itcli.log")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    /**
     * `daemon install` writes the target's systemd unit with this checkout's launcher in ExecStart
     * (to XNET_UNIT_DIR here: the suite never touches /etc/systemd), and systemd-analyze accepts
     * it where systemd is installed. Without systemd running it says how to enable it.
     */
    @Test
    void daemonInstallWritesAUnitSystemdAccepts() throws Exception {
        Path units = xnet.home.resolve("units");
        for (String target : List.of("--lab itcli", "--host")) {
            List<String> command = new java.util.ArrayList<>(List.of("java", "-jar", Xnet.JAR.toString()));
            command.addAll(List.of(target.split(" ")));
            command.addAll(List.of("daemon", "install"));
            Xnet.Result install = xnet.exec(command, Map.of("XNET_UNIT_DIR", units.toString()), null);
            assertThat(install.status()).as(install.all()).isZero();
            String file = target.equals("--host") ? "xnetd-host.service" : "xnetd@.service";
            String unit = Files.readString(units.resolve(file));
            assertThat(unit).contains("ExecStart=" + Xnet.ROOT.resolve("xnet") + " " + (target.equals("--host")
                    ? "--host" : "--lab %i") + " daemon run", "Restart=on-failure");
            if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
                assertThat(install.out()).contains("systemctl enable --now "
                        + (target.equals("--host") ? "xnetd-host.service" : "xnetd@itcli.service"));
            }
            if (Kernel.status("sh", "-c", "command -v systemd-analyze") == 0) {
                // a template is checked as an instance of it
                Path instance = units.resolve(file.replace("@.", "@itcli."));
                Files.copy(units.resolve(file), instance, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Xnet.Result verify = xnet.exec(List.of("systemd-analyze", "verify", instance.toString()), Map.of(), null);
                assertThat(verify.status()).as(verify.all()).isZero();
            }
        }
    }

    /**
     * The socket is root's (0600 in a 0700 directory); were it opened to all, the daemon would
     * still refuse another user by SO_PEERCRED. The test opens it, connects as nobody with the
     * C client, and puts the modes back.
     */
    @Test
    void theDaemonRefusesAnotherUserEvenThroughAnOpenSocket() throws Exception {
        assertThat(xnet.c("help").status()).isZero();
        Path run = xnet.run();
        Path socket = run.resolve("itcli.sock");
        assertThat(Files.getPosixFilePermissions(socket)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(run)).doesNotContain(PosixFilePermission.OTHERS_EXECUTE);
        var runModes = Files.getPosixFilePermissions(run);
        var socketModes = Files.getPosixFilePermissions(socket);
        List<Path> opened = List.of(xnet.home, run);
        var homeModes = Files.getPosixFilePermissions(xnet.home);
        try {
            for (Path dir : opened) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            Xnet.Result refused = xnet.exec(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    System.getProperty("xnet.client"), "--lab", "itcli", "-c", "help"), Map.of(), null);
            assertThat(refused.status()).as(refused.all()).isEqualTo(2);
            assertThat(refused.err()).contains("xnetd: user nobody may not use xnet's socket (only root)");
        } finally {
            Files.setPosixFilePermissions(socket, socketModes);
            Files.setPosixFilePermissions(run, runModes);
            Files.setPosixFilePermissions(xnet.home, homeModes);
        }
    }

    /** State, compile cache and pins are root's alone: folders 0700, files 0600, also those an older xnet left open. */
    @Test
    void whatXnetWritesIsRootsAlone() throws Exception {
        Path targets = Files.createDirectories(xnet.home.resolve("targets"));
        Files.setPosixFilePermissions(xnet.home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(targets, PosixFilePermissions.fromString("rwxr-xr-x"));
        Xnet.Result commit = xnet.c("bridge add br1 10.0.1.0/24; filter add drop from 10.9.0.0/16; commit");
        assertThat(commit.status()).as(commit.all()).isZero();
        for (Path folder : List.of(xnet.home, targets, targets.resolve("itcli"), xnet.home.resolve("cache"),
                Path.of("/sys/fs/bpf/xnet/itcli"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).as(folder.toString())
                    .isEqualTo("rwx------");
        }
        List<Path> files;
        try (var walk = Files.walk(xnet.home.resolve("targets"))) {
            files = new java.util.ArrayList<>(walk.filter(Files::isRegularFile).toList());
        }
        try (var walk = Files.list(xnet.home.resolve("cache"))) {
            files.addAll(walk.toList());
        }
        assertThat(files).anyMatch(f -> f.getFileName().toString().equals("running.json"))
                .anyMatch(f -> f.toString().endsWith(".o"));
        for (Path file : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void launcherRunsTheProfileAndThenACommandInTheLab() throws Exception {
        String launcher = Xnet.ROOT.resolve("xnet").toString();
        Xnet.Result build = xnet.exec(List.of(launcher, "--lab", "itcli", "-f", "profiles/single-host.xnet"), Map.of(), null);
        assertThat(build.status()).as(build.all()).isZero();
        Xnet.Result ping = xnet.exec(List.of(launcher, "--lab", "itcli", "-c", "exec client -- ping -c 2 -W 1 10.0.2.2"),
                Map.of(), null);
        assertThat(ping.status()).as(ping.all()).isZero();

        // standard input goes to a run's first exec: through the C client (xnetd runs), and
        // through the Java front end that starts xnetd; a second exec reads nothing
        Xnet.Result counted = xnet.exec(List.of(launcher, "--lab", "itcli", "-c", "exec server -- wc -c; exec server -- wc -c"),
                Map.of(), "hello\n");
        assertThat(counted.status()).as(counted.all()).isZero();
        assertThat(counted.out().lines().map(String::strip).toList()).as(counted.all()).containsExactly("6", "0");
        assertThat(xnet.run(Map.of(), null, "--lab", "itcli", "daemon", "stop").status()).isZero();
        Xnet.Result started = xnet.exec(List.of(launcher, "--lab", "itcli", "-c", "exec server -- wc -c"), Map.of(),
                "hello again\n");
        assertThat(started.out().strip()).as("through the Java front end: " + started.all()).isEqualTo("12");
        // sent as it comes: a standard input left open does not hold up a command that never reads it
        ProcessBuilder open = new ProcessBuilder(launcher, "--lab", "itcli", "-c", "exec server -- echo answered")
                .redirectErrorStream(true).redirectOutput(xnet.home.resolve("open.txt").toFile());
        open.environment().put("XNET_RUN", xnet.run().toString());
        open.environment().put("XNET_HOME", xnet.home.toString());
        Process client = open.start(); // its standard input: a pipe this test holds open
        try {
            assertThat(client.waitFor(60, TimeUnit.SECONDS)).as("-c ends with its input still open").isTrue();
            assertThat(Files.readString(xnet.home.resolve("open.txt"))).contains("answered");
        } finally {
            client.destroyForcibly();
        }
    }

    /**
     * A real pseudo-terminal (util-linux `script`): the prompt of a session in xnetd, Tab
     * completion of a command word and of a bridge name, colours, `exec` handed to the client's
     * terminal, a line of a million characters refused, and the second `exit` needed with
     * uncommitted changes.
     */
    @Test
    void interactiveSessionOnARealTerminal() throws Exception {
        assertThat(xnet.c("bridge add zz1 10.0.1.0/24; commit").status()).isZero();
        Path screen = xnet.home.resolve("screen.txt");
        Process shell = onTerminal(screen);
        try (OutputStream keys = shell.getOutputStream()) {
            waitFor(screen, "xnet[itcli]> ");
            type(keys, "exec host -- printf %s-%s-%s hand off ok\n");
            waitFor(screen, "hand-off-ok");
            // a million characters typed without bracketed paste: one line of refusal, the prompt back
            type(keys, "filter add drop from 10.0.0." + "1".repeat(1_000_000) + "\n");
            waitFor(screen, "line longer than 65536 characters");
            type(keys, "bri\t add br7 10.0.7.0/24\n");
            waitFor(screen, "bridge br7 10.0.7.0/24 added");
            type(keys, "container add web --bridge b\t\n");
            waitFor(screen, "container web added on br7 with 10.0.7.2");
            type(keys, "container add x --bridge nope\n");
            waitFor(screen, "no bridge named nope");
            type(keys, "exit\n");
            waitFor(screen, "uncommitted changes");
            type(keys, "exit\n");
            assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            shell.destroyForcibly();
        }
        String text = Files.readString(screen);
        assertThat(text).contains("xnet[itcli]*> ").contains("\u001b[");
    }

    /**
     * `show counters --watch | head -3` ends (status 141, as after SIGPIPE), and so does the watch
     * in xnetd: no client stays connected. `commit comment` takes the rest of the statement.
     */
    @Test
    void aWatchEndsWhenItsReaderGoes() throws Exception {
        Xnet.Result commit = xnet.c("bridge add br1 10.0.1.0/24; container add a --bridge br1; "
                + "filter add drop from 10.9.0.0/16; commit comment the first rule, at last");
        assertThat(commit.status()).as(commit.all()).isZero();
        assertThat(xnet.c("show history").out()).contains("the first rule, at last");
        for (String client : List.of("java -jar " + Xnet.JAR, System.getProperty("xnet.client"))) {
            Xnet.Result head = xnet.exec(List.of("sh", "-c", client + " --lab itcli -c 'show counters --watch' | head -3"),
                    Map.of(), null);
            assertThat(head.status()).as(client + ": " + head.all()).isZero();
            assertThat(head.out().lines().toList()).as(client).hasSize(3);
            String daemon = "";
            for (int i = 0; i < 50 && !daemon.contains(" 0 other client(s)"); i++) {
                Thread.sleep(100);
                daemon = xnet.run(Map.of(), null, "--lab", "itcli", "daemon", "status").all();
            }
            assertThat(daemon).as(client + ": the watch in xnetd ended too").contains(" 0 other client(s)");
        }
    }

    /** `-c` and `-f` that end with edits nobody committed say so; --strict makes that exit 1. */
    @Test
    void aBatchRunThatEndsWithUncommittedEditsSaysSo() throws Exception {
        Xnet.Result plain = xnet.c("bridge add br3 10.0.3.0/24");
        assertThat(plain.status()).as(plain.all()).isZero();
        assertThat(plain.err()).contains("1 uncommitted change(s) are dropped at the end of this run");
        Xnet.Result strict = xnet.run(Map.of(), null, "--lab", "itcli", "--strict", "-c", "bridge add br3 10.0.3.0/24");
        assertThat(strict.status()).as(strict.all()).isEqualTo(1);
        Xnet.Result file = xnet.run(Map.of(), "bridge add br3 10.0.3.0/24\n", "--lab", "itcli", "--strict", "-f", "-");
        assertThat(file.status()).as(file.all()).isEqualTo(1);
        Xnet.Result committed = xnet.run(Map.of(), null, "--lab", "itcli", "--strict", "-c",
                "bridge add br3 10.0.3.0/24; commit");
        assertThat(committed.status()).as(committed.all()).isZero();
        assertThat(committed.err()).doesNotContain("uncommitted");
        // the destroyed lab's config is no edit of the run that destroyed it
        Xnet.Result destroyed = xnet.run(Map.of(), null, "--lab", "itcli", "--strict", "-c", "lab destroy --yes");
        assertThat(destroyed.status()).as(destroyed.all()).isZero();
        assertThat(destroyed.err()).doesNotContain("uncommitted");
    }

    /**
     * On a real pseudo-terminal, through xnetd: Ctrl-C stops `show counters --watch` and an
     * `exec` whose command ignores SIGINT (it and its child are stopped by pid, none is left)
     * and the prompt comes back live; `lab destroy` warns first; Ctrl-D with uncommitted
     * changes warns, and the second one leaves.
     */
    @Test
    void ctrlCStopsTheCommandNotTheShellAndCtrlDIsExit() throws Exception {
        assertThat(xnet.c("bridge add br1 10.0.1.0/24; container add web --bridge br1; filter add drop from 10.9.0.0/16; "
                + "commit").status()).isZero();
        Path screen = xnet.home.resolve("keys.txt");
        Process shell = onTerminal(screen);
        try (OutputStream keys = shell.getOutputStream()) {
            waitFor(screen, "xnet[itcli]> ");
            int mark = screenLength(screen);
            type(keys, "show counters --watch\n");
            waitForNew(screen, mark, "ATTACH POINT");
            // redrawn in place (the screen cleared before each reading), with rates from the second one
            waitForNew(screen, mark, "\u001b[2J");
            waitForNew(screen, Files.readString(screen).lastIndexOf("PKT/S"), "counters of itcli at");
            mark = screenLength(screen);
            type(keys, "\u0003");
            waitForNew(screen, mark, "xnet[itcli]> ");

            mark = screenLength(screen);
            type(keys, "exec web -- sh -c 'trap \"\" INT; sleep 300; echo not-$((6*7))-stopped'\n");
            for (int i = 0; i < 100 && !sleeping(); i++) {
                Thread.sleep(100);
            }
            assertThat(sleeping()).as("the command runs").isTrue();
            // longer than a silent xnetd is waited for: a command this client runs for xnetd is no silence
            Thread.sleep(6000);
            type(keys, "\u0003");
            waitForNew(screen, mark, "xnet[itcli]> ");
            assertThat(Files.readString(screen).substring(mark)).doesNotContain("has not answered");
            // told to stop by its pid as the prompt comes back: it is gone a moment later, not at once
            for (int i = 0; i < 100 && sleeping(); i++) {
                Thread.sleep(100);
            }
            assertThat(sleeping()).as("no process of the command is left").isFalse();

            mark = screenLength(screen);
            type(keys, "lab destroy\n");
            waitForNew(screen, mark, "'lab destroy' again");
            assertThat(Kernel.namespaces("xnet.itcli.")).as("nothing removed yet").isNotEmpty();

            mark = screenLength(screen);
            type(keys, "bridge add br2 10.0.2.0/24\n");
            waitForNew(screen, mark, "xnet[itcli]*> ");
            type(keys, "\u0004");
            waitForNew(screen, mark, "uncommitted changes");
            // the prompt after the warning: the line editor reads raw keys again (a ^D typed before that
            // is the tty's end of file, and lost)
            waitForNew(screen, Files.readString(screen).indexOf("uncommitted changes", mark), "xnet[itcli]*> ");
            assertThat(shell.isAlive()).as("the first Ctrl-D only warns").isTrue();
            type(keys, "\u0004");
            assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            shell.destroyForcibly();
        }
        assertThat(Files.readString(screen)).doesNotContain("not-42-stopped", "Exception");

        // -c through the C client, interrupted (Ctrl-C, or timeout -s INT): what it started in
        // xnetd is stopped by pid when the client goes, not left to run as xnetd's child
        ProcessBuilder interrupted = new ProcessBuilder(System.getProperty("xnet.client"), "--lab", "itcli", "-c",
                "exec web -- sleep 300").redirectErrorStream(true).redirectOutput(xnet.home.resolve("c.txt").toFile())
                .redirectInput(new java.io.File("/dev/null"));
        interrupted.environment().put("XNET_RUN", xnet.run().toString());
        interrupted.environment().put("XNET_HOME", xnet.home.toString());
        Process client = interrupted.start();
        for (int i = 0; i < 100 && !sleeping(); i++) {
            Thread.sleep(100);
        }
        assertThat(sleeping()).as("-c runs the command").isTrue();
        Kernel.sh("kill", "-INT", Long.toString(client.pid()));
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 100 && sleeping(); i++) {
            Thread.sleep(100);
        }
        assertThat(sleeping()).as("no process of the interrupted -c is left").isFalse();
    }

    /**
     * On a real pseudo-terminal: unique prefixes (`sh run`), `?` listing what may come next while
     * keeping the line, and completion that never inserts a word that makes the line wrong,
     * showing placeholders, their meaning and the next free subnet and address instead.
     */
    @Test
    void abbreviationsHelpInPlaceAndCompletionOnARealTerminal() throws Exception {
        assertThat(xnet.c("bridge add br1 10.0.1.0/24; container add web --bridge br1; commit").status()).isZero();
        Path screen = xnet.home.resolve("help.txt");
        Process shell = onTerminal(screen);
        try (OutputStream keys = shell.getOutputStream()) {
            waitFor(screen, "xnet[itcli]> ");
            int mark = screenLength(screen);
            type(keys, "sh run\n");
            waitForNew(screen, mark, "running config of itcli");

            // `?` lists, with descriptions, and the line stays: finishing it runs the whole line
            mark = answer(keys, screen, "filter add ", "?", "allow");
            assertThat(Files.readString(screen).substring(mark)).contains("drop");
            mark = answer(keys, screen, "drop from ", "?", "an address or a prefix");
            assertThat(Files.readString(screen).substring(mark)).contains("10.0.1.0/24", "10.0.1.2");
            type(keys, "10.9.0.0/16\n");
            waitForNew(screen, mark, "filter 1 added: drop from 10.9.0.0/16");
            // at an empty prompt: every command word (more than a 24-line screen shows: JLine asks first)
            mark = answer(keys, screen, "", "?", "possibilities");
            type(keys, "y");
            waitForNew(screen, mark, "bridge commands");

            // nat add <TAB>: the placeholder and its meaning, not `proto`
            mark = answer(keys, screen, "nat add ", "\t", "PUBLIC");
            type(keys, "10.0.0.1:80->10.0.1.2:8080\n");
            waitForNew(screen, mark, "nat 1 added: 10.0.0.1:80 -> 10.0.1.2:8080");
            assertThat(Files.readString(screen).substring(mark)).doesNotContain("add proto");

            // container add <TAB>: not `--`; --ip <TAB> offers the next free address of its bridge
            mark = answer(keys, screen, "container add ", "\t", "a new name");
            type(keys, "db --bridge br1 --ip \t");
            waitForNew(screen, mark, "the next free address on br1");
            assertThat(Files.readString(screen).substring(mark)).contains("10.0.1.3").doesNotContain("container add --");
            type(keys, "10.0.1.3\n");
            waitForNew(screen, mark, "container db added on br1 with 10.0.1.3");

            // save profile <TAB>: not --force
            mark = answer(keys, screen, "save profile ", "\t", "NAME");
            type(keys, "mine\n");
            waitForNew(screen, mark, "profile mine saved");
            assertThat(Files.readString(screen).substring(mark)).doesNotContain("--force");

            // bridge add NAME <TAB>: the next free subnet
            mark = answer(keys, screen, "bridge add br2 ", "\t", "the next free /24");
            assertThat(Files.readString(screen).substring(mark)).contains("10.0.2.0/24");
            type(keys, "\u0015");

            // in free text `?` is a character
            mark = screenLength(screen);
            type(keys, "commit comment all good?\n");
            waitForNew(screen, mark, "xnet[itcli]> ");
            type(keys, "exit\n");
            assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            shell.destroyForcibly();
        }
        assertThat(xnet.c("show history").out()).contains("all good?");
        assertThat(Files.readString(screen)).doesNotContain("Exception", "ambiguous", "unknown");
    }

    /** Types {@code line}, waits until it is echoed, then types {@code key} and waits for {@code shown}. */
    private static int answer(OutputStream keys, Path screen, String line, String key, String shown) throws Exception {
        int mark = screenLength(screen);
        type(keys, line);
        if (!line.isEmpty()) {
            waitForNew(screen, mark, line.strip());
        }
        mark = screenLength(screen);
        type(keys, key);
        waitForNew(screen, mark, shown);
        return mark;
    }

    /**
     * Whether a `sleep 300` runs in web's namespace: only there, since another `sleep 300` on the
     * machine (a shell's wait beside the suite) is not the test's.
     */
    private static boolean sleeping() throws Exception {
        for (String pid : Kernel.sh("ip", "netns", "pids", "xnet.itcli.c.web").split("\\s+")) {
            try {
                if (!pid.isBlank() && Files.readString(java.nio.file.Path.of("/proc", pid, "cmdline"))
                        .equals("sleep\0" + "300\0")) {
                    return true;
                }
            } catch (java.io.IOException gone) {
                // it ended between the list and the read
            }
        }
        return false;
    }

    private Process onTerminal(Path screen) throws Exception {
        // SIGINT back to its default: a runner started in the background (as `cmd &` does) passes
        // it on ignored, and a JVM started with SIGINT ignored installs no handler for Ctrl-C
        ProcessBuilder builder = new ProcessBuilder("script", "-qfec",
                "env --default-signal=INT java -jar " + Xnet.JAR + " --lab itcli", "/dev/null").directory(Xnet.ROOT.toFile());
        builder.environment().put("XNET_HOME", xnet.home.toString());
        builder.environment().put("XNET_ROOT", Xnet.ROOT.toString());
        builder.environment().put("XNET_RUN", xnet.run().toString());
        builder.environment().put("TERM", "xterm");
        builder.environment().put("HOME", xnet.home.toString());
        builder.redirectErrorStream(true).redirectOutput(screen.toFile());
        return builder.start();
    }

    private static int screenLength(Path screen) throws Exception {
        return Files.readString(screen).length();
    }

    /** Waits for {@code text} to appear on the screen after position {@code mark}. */
    private static void waitForNew(Path screen, int mark, String text) throws Exception {
        for (int i = 0; i < 600; i++) {
            String all = Files.readString(screen);
            if (all.length() > mark && all.substring(mark).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        String all = Files.readString(screen);
        throw new AssertionError("the terminal never showed '" + text + "'; it shows:\n" + all.substring(Math.min(mark, all.length())));
    }

    private static void type(OutputStream keys, String text) throws Exception {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private static void waitFor(Path screen, String text) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (Files.readString(screen).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the terminal never showed '" + text + "'; it shows:\n" + Files.readString(screen));
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
