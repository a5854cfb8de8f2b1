package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * `container attach`: namespaces the test makes itself (as an engine would) join the lab's
 * bridges; rules and counters apply to them; deleting the container or the lab leaves the
 * namespace and its processes.
 */
class ContainerAttachIT {

    private static final String FOREIGN = "itatt-x";
    private static final String FOREIGN_PID = "itatt-y";

    private Xnet xnet;
    private Process sleeper;

    @BeforeEach
    void setUp() throws Exception {
        xnet = new Xnet("itatt");
        for (String ns : List.of(FOREIGN, FOREIGN_PID)) {
            if (Kernel.status("ip", "netns", "pids", ns) == 0) {
                Kernel.sh("ip", "netns", "del", ns);
            }
            Kernel.sh("ip", "netns", "add", ns);
        }
        assertThat(xnet.f("profiles/single-host.xnet").status()).isZero();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sleeper != null) {
            sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        xnet.close();
        for (String ns : List.of(FOREIGN, FOREIGN_PID)) {
            Kernel.status("ip", "netns", "del", ns);
        }
    }

    private static int pingFrom(String ns, String address, int count) throws Exception {
        return Kernel.status("ip", "netns", "exec", ns, "ping", "-c", Integer.toString(count), "-i", "0.2", "-W", "1",
                address);
    }

    @Test
    void aNamespaceMadeElsewhereGetsAddressRulesAndCountersAndOutlivesItsContainer() throws Exception {
        Xnet.Result attach = xnet.c("container attach ext --bridge br1 --netns /run/netns/" + FOREIGN + "; commit");
        assertThat(attach.status()).as(attach.all()).isZero();
        assertThat(Kernel.sh("ip", "-n", FOREIGN, "-br", "addr", "show", "eth0")).contains("10.0.1.3/24");
        assertThat(pingFrom(FOREIGN, "10.0.2.2", 1)).as("through the gateway to the server").isZero();
        assertThat(xnet.c("exec ext -- ping -c 1 -W 1 10.0.1.2").status()).as("exec reaches it by name").isZero();

        assertThat(xnet.c("filter add drop from 10.0.1.3; commit").status()).isZero();
        assertThat(pingFrom(FOREIGN, "10.0.2.2", 3)).as("the rule drops it").isNotZero();
        JsonNode counters = new ObjectMapper().readTree(xnet.c("show counters --json").out());
        assertThat(counters.at("/rules/0/packets").asLong()).as(counters.toString()).isEqualTo(3);
        assertThat(Kernel.status("ip", "netns", "exec", "xnet.itatt.c.client", "ping", "-c", "1", "-W", "1",
                "10.0.2.2")).as("others still pass").isZero();

        assertThat(xnet.c("container del ext; commit").status()).isZero();
        assertThat(Kernel.namespaces(FOREIGN)).as("the namespace stays").contains(FOREIGN);
        assertThat(Kernel.namespaces("xnet.itatt.c.ext")).isEmpty();
        assertThat(Kernel.sh("ip", "-n", FOREIGN, "-br", "link")).doesNotContain("eth0");
    }

    @Test
    void aNamespaceFoundByItsProcessKeepsTheProcessWhenTheLabGoes() throws Exception {
        sleeper = new ProcessBuilder("ip", "netns", "exec", FOREIGN_PID, "sleep", "120").start();
        long pid = sleeper.pid();
        for (int i = 0; i < 50 && Kernel.sh("ip", "netns", "pids", FOREIGN_PID).isBlank(); i++) {
            Thread.sleep(50);
        }
        Xnet.Result attach = xnet.c("container attach job --bridge br2 --pid " + pid + " --ifname net0; commit");
        assertThat(attach.status()).as(attach.all()).isZero();
        assertThat(Kernel.sh("ip", "-n", FOREIGN_PID, "-br", "addr", "show", "net0")).contains("10.0.2.3/24");
        assertThat(pingFrom(FOREIGN_PID, "10.0.1.2", 1)).isZero();
        assertThat(xnet.c("container list").out()).contains("attached: --pid " + pid + " --ifname net0");

        assertThat(xnet.c("lab destroy").status()).isZero();
        assertThat(sleeper.isAlive()).as("lab destroy stops only processes xnet started").isTrue();
        assertThat(Kernel.namespaces(FOREIGN_PID)).contains(FOREIGN_PID);
        assertThat(Kernel.namespaces("xnet.itatt.")).isEmpty();
    }
}
