package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
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

    private java.util.List<String> runFiles() throws Exception {
        try (var files = Files.list(xnet.run())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("itkill.")).sorted().toList();
        }
    }
}
