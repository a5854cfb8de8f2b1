package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import xnet.client.DaemonClient;
import xnet.daemon.Frame;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * xnetd killed with SIGKILL: the pinned programs keep filtering and counting without it, the
 * next command starts a new one, and that one takes over the running rule maps, so its first
 * rule-only commit goes into them in place (the links keep their programs).
 */
class DaemonRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Xnet xnet;

    @BeforeEach
    void setUp() throws Exception {
        xnet = new Xnet("itkill");
        assertThat(xnet.f("profiles/single-host.xnet").status()).isZero();
    }

    @AfterEach
    void tearDown() throws Exception {
        xnet.close();
    }

    private long pid() throws Exception {
        return Long.parseLong(Files.readString(xnet.run().resolve("itkill.pid")).trim());
    }

    private int ping(String from, String to, int count) throws Exception {
        return xnet.c("exec " + from + " -- ping -c " + count + " -i 0.2 -W 1 " + to).status();
    }

    private static int pingInNamespace(String container, String to, int count) throws Exception {
        return Kernel.status("ip", "netns", "exec", "xnet.itkill.c." + container, "ping", "-c", Integer.toString(count),
                "-i", "0.2", "-W", "1", to);
    }

    private long packets(String rule) throws Exception {
        for (JsonNode r : JSON.readTree(xnet.c("show counters --json").out()).get("rules")) {
            if (r.get("id").asText().equals(rule)) {
                return r.get("packets").asLong();
            }
        }
        throw new AssertionError("no rule " + rule);
    }

    @Test
    void killedDaemonLeavesTrafficFilteredAndItsSuccessorUpdatesTheMapsInPlace() throws Exception {
        Xnet.Result rules = xnet.c("datapath strategy map; filter add drop from 10.0.1.2 to 10.0.0.2; commit");
        assertThat(rules.status()).as(rules.all()).isZero();
        TreeMap<String, Integer> programs = Kernel.linkPrograms("itkill");
        assertThat(programs).containsKeys("v-client+tc", "v-server+tc", "uplink+tc");

        long first = pid();
        ProcessHandle daemon = ProcessHandle.of(first).orElseThrow();
        assertThat(daemon.info().commandLine().orElse("")).contains("daemon run");
        Kernel.sh("kill", "-KILL", Long.toString(first));
        daemon.onExit().get(10, TimeUnit.SECONDS);

        // nobody owns the lab now: the pinned programs still forward and drop
        assertThat(pingInNamespace("client", "10.0.2.2", 3)).as("client -> server still flows").isZero();
        assertThat(pingInNamespace("client", "10.0.0.2", 3)).as("client -> outside still dropped").isNotZero();
        assertThat(Kernel.linkPrograms("itkill")).isEqualTo(programs);

        // the next command starts a new daemon, which reads the counters kept meanwhile
        assertThat(packets("1")).as("the 3 pings dropped while no daemon ran").isEqualTo(3);
        assertThat(pid()).isNotEqualTo(first);

        Xnet.Result inPlace = xnet.c("filter add drop from 10.0.1.2 to 10.0.2.2; commit");
        assertThat(inPlace.status()).as(inPlace.all()).isZero();
        assertThat(Kernel.linkPrograms("itkill")).as("the rule went into the running maps: same programs")
                .isEqualTo(programs);
        assertThat(ping("client", "10.0.2.2", 3)).as("the new rule drops client -> server").isNotZero();
        assertThat(packets("2")).isEqualTo(3);
        assertThat(xnet.c("filter del 2; commit").status()).isZero();
        assertThat(Kernel.linkPrograms("itkill")).isEqualTo(programs);
        assertThat(ping("client", "10.0.2.2", 2)).as("both sets were rewritten whole: the old one too").isZero();
        assertThat(ping("client", "10.0.0.2", 1)).isNotZero();
    }

    /**
     * A lab's daemon does not outlive the lab: `lab destroy` through it ends it once its client
     * has gone, and its socket, pid, lock and log go with it. `daemon stop` leaves only the log
     * (why the daemon stopped, appended to by the next one).
     */
    @Test
    void labDestroyEndsItsDaemonAndDaemonStopLeavesOnlyTheLog() throws Exception {
        assertThat(xnet.c("help").status()).isZero();
        long running = pid();
        Xnet.Result stop = xnet.run(java.util.Map.of(), null, "--lab", "itkill", "daemon", "stop");
        assertThat(stop.status()).as(stop.all()).isZero();
        ProcessHandle.of(running).ifPresent(p -> p.onExit().join());
        assertThat(runFiles()).containsExactly("itkill.log");

        assertThat(xnet.c("help").status()).isZero();
        long daemon = pid();
        Xnet.Result destroy = xnet.c("lab destroy");
        assertThat(destroy.status()).as(destroy.all()).isZero();
        ProcessHandle handle = ProcessHandle.of(daemon).orElse(null);
        if (handle != null) {
            handle.onExit().get(30, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(daemon).map(ProcessHandle::isAlive)).as("xnetd after lab destroy")
                .isNotEqualTo(java.util.Optional.of(true));
        assertThat(runFiles()).as("run files after lab destroy").isEmpty();
        assertThat(Kernel.namespaces("xnet.itkill.")).isEmpty();
    }

    /**
     * `daemon stop` refuses while another session has uncommitted edits (the C client and the
     * Java front end alike), `--force` stops it anyway, and the session it ends is told why and
     * what it lost, instead of finding the connection gone at its next line.
     */
    @Test
    void daemonStopRefusesWhileAnotherSessionHasEditsAndTellsItWhyItEnds() throws Exception {
        assertThat(xnet.c("help").status()).isZero();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        try (DaemonClient shell = DaemonClient.connect(xnet.run().resolve("itkill.sock"))) {
            shell.hello(java.util.Map.of("mode", "shell", "cwd", "/", "colour", "0"));
            shell.pump(out, err);
            shell.send(Frame.LINE, "bridge add br9 10.0.9.0/24");
            shell.pump(out, err);
            assertThat(out.toString()).contains("bridge br9");

            for (java.util.List<String> how : java.util.List.of(java.util.List.of(Xnet.ROOT.resolve("xnet").toString()),
                    java.util.List.of("java", "-jar", Xnet.JAR.toString()))) {
                java.util.List<String> command = new java.util.ArrayList<>(how);
                command.addAll(java.util.List.of("--lab", "itkill", "daemon", "stop"));
                Xnet.Result refused = xnet.exec(command, java.util.Map.of(), null);
                assertThat(refused.status()).as(how + ": " + refused.all()).isEqualTo(1);
                assertThat(refused.err()).contains("not stopped: 1 other session(s) have 1 uncommitted change(s)",
                        "daemon stop --force");
            }
            long daemon = pid();
            // a -c run under way is ended too, with status 1 and why; it does not start xnetd again
            java.nio.file.Path watchOut = Files.createTempFile(xnet.home, "watch", ".txt");
            ProcessBuilder watching = new ProcessBuilder(System.getProperty("xnet.client"), "--lab", "itkill", "-c",
                    "show counters --watch").redirectErrorStream(true).redirectOutput(watchOut.toFile())
                    .redirectInput(new java.io.File("/dev/null"));
            watching.environment().put("XNET_RUN", xnet.run().toString());
            watching.environment().put("XNET_HOME", xnet.home.toString());
            watching.environment().put("XNET_ROOT", Xnet.ROOT.toString());
            Process watch = watching.start();
            for (int i = 0; i < 100 && Files.size(watchOut) == 0; i++) {
                Thread.sleep(100);
            }
            Xnet.Result forced = xnet.run(java.util.Map.of(), null, "--lab", "itkill", "daemon", "stop", "--force");
            assertThat(forced.status()).as(forced.all()).isZero();
            assertThat(forced.out()).contains("ending 2 other session(s)");
            ProcessHandle.of(daemon).ifPresent(p -> p.onExit().join());
            assertThat(watch.waitFor(20, TimeUnit.SECONDS)).as("the run ends").isTrue();
            assertThat(watch.exitValue()).isEqualTo(1);
            assertThat(Files.readString(watchOut)).contains("was stopped by 'daemon stop' from another client")
                    .doesNotContain("closed the connection");
            Thread.sleep(3000);
            assertThat(runFiles()).as("no xnetd started again").doesNotContain("itkill.pid", "itkill.sock");
            try {
                shell.pump(out, err); // what xnetd said before it went, then the end of the connection
            } catch (java.io.IOException ended) {
                assertThat(ended).hasMessage("xnetd closed the connection");
            }
        }
        assertThat(err.toString()).contains("was stopped by 'daemon stop' from another client; this session ended,"
                + " and its 1 uncommitted change(s) were dropped");
    }

    /**
     * A stopped (SIGSTOP) xnetd: a client hears nothing, not even the ALIVE frames a busy one
     * sends, says so after a few seconds and goes on waiting; Ctrl-C (SIGINT) ends the wait. The
     * C client and the Java front end alike; the daemon works again once continued.
     */
    @Test
    void aClientFacingAStoppedDaemonSaysSoAndCtrlCEndsTheWait() throws Exception {
        assertThat(xnet.c("help").status()).isZero();
        long daemon = pid();
        Kernel.sh("kill", "-STOP", Long.toString(daemon));
        try {
            for (java.util.List<String> how : java.util.List.of(java.util.List.of(System.getProperty("xnet.client")),
                    java.util.List.of("java", "-jar", Xnet.JAR.toString()))) {
                java.util.List<String> command = new java.util.ArrayList<>(how);
                command.addAll(java.util.List.of("--lab", "itkill", "-c", "show running"));
                java.nio.file.Path err = Files.createTempFile(xnet.home, "wait", ".txt");
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(err.toFile()).redirectInput(new java.io.File("/dev/null"));
                builder.environment().put("XNET_RUN", xnet.run().toString());
                builder.environment().put("XNET_HOME", xnet.home.toString());
                Process client = builder.start();
                try {
                    for (int i = 0; i < 300 && !Files.readString(err).contains("has not answered"); i++) {
                        Thread.sleep(100);
                    }
                    assertThat(Files.readString(err)).as(how.toString())
                            .contains("xnetd has not answered for 5 s: it is stopped or hung; still waiting");
                    assertThat(client.isAlive()).as(how + " goes on waiting").isTrue();
                    Kernel.sh("kill", "-INT", Long.toString(client.pid()));
                    assertThat(client.waitFor(20, TimeUnit.SECONDS)).as(how + ": Ctrl-C ends the wait").isTrue();
                } finally {
                    client.destroyForcibly();
                }
            }
        } finally {
            Kernel.sh("kill", "-CONT", Long.toString(daemon));
        }
        assertThat(xnet.c("show running").status()).as("xnetd once continued").isZero();
        assertThat(pid()).isEqualTo(daemon);
    }

    /**
     * xnetd killed in the middle of a `-c` run: the client starts the next one (it settles a
     * commit cut short before it listens), asks it for the running commit, and says whether the
     * run's commit was recorded, against the commit the run began at. The C client (a daemon ran
     * when the run began) both ways, and the Java front end (the one that starts a daemon).
     */
    @Test
    void aClientWhoseDaemonDiesMidRunSaysWhetherItsCommitWasRecorded() throws Exception {
        assertThat(xnet.c("help").status()).isZero();
        record Case(java.util.List<String> client, boolean commitFirst) {
        }
        java.util.List<String> cClient = java.util.List.of(System.getProperty("xnet.client"));
        java.util.List<String> javaClient = java.util.List.of("java", "-jar", Xnet.JAR.toString());
        for (Case each : java.util.List.of(new Case(cClient, true), new Case(cClient, false), new Case(javaClient, true))) {
            boolean commitFirst = each.commitFirst();
            int before = new xnet.state.FileStateStore(xnet.home.resolve("targets/itkill")).running().generation();
            String run = commitFirst ? "filter add drop from 10.66.0.0/16; commit; exec client -- sleep 30"
                    : "exec client -- sleep 30; filter add drop from 10.67.0.0/16; commit";
            java.nio.file.Path err = Files.createTempFile(xnet.home, "lost", ".txt");
            java.util.List<String> command = new java.util.ArrayList<>(each.client());
            command.addAll(java.util.List.of("--lab", "itkill", "-c", run));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(err.toFile()).redirectInput(new java.io.File("/dev/null"));
            builder.environment().put("XNET_RUN", xnet.run().toString());
            builder.environment().put("XNET_HOME", xnet.home.toString());
            builder.environment().put("XNET_ROOT", Xnet.ROOT.toString());
            Process client = builder.start();
            ProcessHandle daemon = ProcessHandle.of(pid()).orElseThrow();
            java.util.List<ProcessHandle> started = java.util.List.of();
            for (int i = 0; i < 200 && started.isEmpty(); i++) {
                started = daemon.descendants().filter(p -> p.info().commandLine().orElse("").contains("sleep 30"))
                        .toList();
                Thread.sleep(100);
            }
            assertThat(started).as("the run's exec is under way").isNotEmpty();
            Kernel.sh("kill", "-KILL", Long.toString(daemon.pid()));
            try {
                assertThat(client.waitFor(90, TimeUnit.SECONDS)).isTrue();
            } finally {
                started.forEach(ProcessHandle::destroy); // the killed daemon's child, ours to stop
                client.destroyForcibly();
            }
            String said = Files.readString(err);
            assertThat(said).as(command + ": " + run).contains("xnetd closed the connection", commitFirst
                    ? "the run's commit was recorded: the running config is now commit " + (before + 1)
                    : "not committed: the running config is still commit " + before);
            assertThat(pid()).as("the client started the next xnetd").isNotEqualTo(daemon.pid());
        }
    }

    private java.util.List<String> runFiles() throws Exception {
        try (var files = Files.list(xnet.run())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("itkill.")).sorted().toList();
        }
    }
}
