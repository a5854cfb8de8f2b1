package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The study's single-host topology committed in a real lab, checked with real traffic. */
class SingleHostLabIT {

    private Xnet xnet;

    @BeforeEach
    void setUp() throws Exception {
        xnet = new Xnet("itsh");
    }

    @AfterEach
    void tearDown() throws Exception {
        xnet.close();
    }

    @Test
    void profileCommitsAndTrafficCrossesTheBridges() throws Exception {
        Xnet.Result commit = xnet.f("profiles/single-host.xnet");
        assertThat(commit.status()).as(commit.all()).isZero();
        assertThat(commit.out()).contains("commit 1 done (+4 ~0 -0)");
        assertThat(Kernel.namespaces("xnet.itsh.")).containsExactly("xnet.itsh.c.client", "xnet.itsh.c.server",
                "xnet.itsh.host", "xnet.itsh.outside");

        Xnet.Result ping = xnet.c("exec client -- ping -c 2 -W 1 10.0.2.2");
        assertThat(ping.status()).as(ping.all()).isZero();
        assertThat(ping.out()).contains("2 received");
        assertThat(xnet.c("exec server -- ping -c 1 -W 1 10.0.1.2").status()).isZero();
        assertThat(xnet.c("exec outside -- ping -c 1 -W 1 10.0.2.2").status()).isZero();
        // a command that fails inside the container gives its own status back
        assertThat(xnet.c("exec client -- ping -c 1 -W 1 10.0.9.9").status()).isEqualTo(1);

        // TCP transfer client -> server: an iperf3 server of this test's own, then the client through xnet exec
        Process server = new ProcessBuilder("ip", "netns", "exec", "xnet.itsh.c.server", "iperf3", "-s", "-1", "-p", "5201")
                .redirectErrorStream(true).redirectOutput(xnet.home.resolve("iperf3-server.log").toFile()).start();
        try {
            waitForListener("xnet.itsh.c.server", 5201);
            Xnet.Result transfer = xnet.c("exec client -- iperf3 -c 10.0.2.2 -p 5201 -t 2 -J");
            assertThat(transfer.status()).as(transfer.all()).isZero();
            JsonNode result = new ObjectMapper().readTree(transfer.out());
            long received = result.path("end").path("sum_received").path("bytes").asLong();
            assertThat(received).as("bytes received by the server").isGreaterThan(10_000_000L);
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }

        Xnet.Result status = xnet.c("lab status");
        assertThat(status.out()).contains("container client", "br1 UP 10.0.1.1/24").doesNotContain("MISSING");

        Xnet.Result destroy = xnet.c("lab destroy");
        assertThat(destroy.status()).as(destroy.all()).isZero();
        assertThat(Kernel.namespaces("xnet.itsh.")).isEmpty();
        assertThat(Files.exists(xnet.home.resolve("targets/itsh"))).isFalse();
        assertThat(xnet.c("show running").out()).contains("commit 0").contains("(empty)");
    }

    @Test
    void rollbackOfARemovedContainerBringsItBackInTheKernel() throws Exception {
        assertThat(xnet.f("profiles/single-host.xnet").status()).isZero();
        Xnet.Result removal = xnet.c("container del server; commit comment 'no server'");
        assertThat(removal.status()).as(removal.all()).isZero();
        assertThat(Kernel.namespaces("xnet.itsh.c.")).containsExactly("xnet.itsh.c.client");
        assertThat(Kernel.sh("ip", "-n", "xnet.itsh.host", "-br", "link")).doesNotContain("v-server");
        assertThat(xnet.c("exec client -- ping -c 1 -W 1 10.0.2.2").status()).isNotZero();

        Xnet.Result rollback = xnet.c("rollback 1; compare; commit comment 'server back'");
        assertThat(rollback.status()).as(rollback.all()).isZero();
        assertThat(rollback.out()).contains("+ container server br2 10.0.2.2", "commit 3 done");
        assertThat(Kernel.namespaces("xnet.itsh.c.")).containsExactly("xnet.itsh.c.client", "xnet.itsh.c.server");
        assertThat(Kernel.sh("ip", "-n", "xnet.itsh.c.server", "-br", "addr")).contains("10.0.2.2/24");
        assertThat(Kernel.sh("ip", "-n", "xnet.itsh.host", "-d", "link", "show", "v-server")).contains("master br2");
        assertThat(xnet.c("exec client -- ping -c 1 -W 1 10.0.2.2").status()).isZero();
        assertThat(xnet.c("history").out()).contains("no server", "server back");
    }

    static void waitForListener(String ns, int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (Kernel.sh("ip", "netns", "exec", ns, "ss", "-ltnH").contains(":" + port)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing listens on port " + port + " in " + ns);
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }
}
