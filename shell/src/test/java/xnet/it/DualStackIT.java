package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dual-stack containers on two bridges, on tc and on native and generic XDP:
 * <ul>
 * <li>each container has an address of both families and default routes for both; over IPv6
 * they reach each other (routed by the host), the outside reaches them and they reach it, with
 * ping and with an HTTP page, and IPv4 works beside it;</li>
 * <li>with {@code filter default drop} (and an IPv4 allow rule), IPv6 echo is dropped, yet
 * neighbour discovery still resolves: the host learns the container's link-layer address from
 * its advertisement and the container the gateway's from the host's answer to its
 * solicitation, both of which cross the container's attach point, and they are counted with
 * ARP there.</li>
 * </ul>
 */
class DualStackIT extends LabTest {

    private static final String SETUP = String.join("; ",
            "bridge add br1 10.0.1.0/24 fd00:1::/64", "bridge add br2 10.0.2.0/24 fd00:2::/64",
            "container add web --bridge br1", "container add client --bridge br2");

    /** Fetches URL; prints the HTTP status, or the error. */
    private static final String GET = """
            import sys, urllib.request
            try:
                print(urllib.request.urlopen(sys.argv[1], timeout=3).status)
            except Exception as e:
                print(e)
            """;

    private final List<Process> servers = new ArrayList<>();

    @Override
    protected String lab() {
        return "itdual";
    }

    @AfterEach
    void stopServers() throws Exception {
        Kernel.stop(servers);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tc", "xdp mode native", "xdp mode generic"})
    void dualStackContainersReachEachOtherAndTheOutsideAndResolveNeighboursUnderDefaultDrop(String datapath)
            throws Exception {
        Xnet.Result commit = xnet.c(SETUP + "; datapath " + datapath + "; commit");
        assertThat(commit.status()).as(commit.all()).isZero();
        String list = xnet.c("container list").out();
        assertThat(list).contains("fd00:1::2", "fd00:2::2");
        assertThat(Kernel.sh("ip", "-n", ns("web"), "-6", "route", "show", "default")).contains("via fd00:1::1");

        servers.add(Kernel.background(xnet.home, ns("web"), "python3", "-m", "http.server", "8080", "--bind", "::",
                "--directory", Xnet.ROOT.resolve("profiles").toString()));
        SingleHostLabIT.waitForListener(ns("web"), 8080);
        assertThat(ping6("client", "fd00:1::2")).as("client -> web over IPv6, through the host").isZero();
        assertThat(ping6("web", "fd00::a00:2")).as("web -> outside over IPv6").isZero();
        assertThat(ping6("outside", "fd00:2::2")).as("outside -> client over IPv6").isZero();
        assertThat(get("client", "http://[fd00:1::2]:8080/single-host.xnet")).as("HTTP client -> web").isEqualTo("200");
        assertThat(get("outside", "http://[fd00:1::2]:8080/single-host.xnet")).as("HTTP outside -> web").isEqualTo("200");
        assertThat(xnet.c("exec client -- ping -c 1 -W 1 10.0.1.2").status()).as("IPv4 beside it").isZero();

        commit = xnet.c("filter add allow from 10.0.0.0/8; filter default drop; commit");
        assertThat(commit.status()).as(commit.all()).isZero();
        Kernel.sh("ip", "-n", ns("client"), "neigh", "flush", "all");
        Kernel.sh("ip", "-n", ns("host"), "neigh", "flush", "all");
        assertThat(ping6("client", "fd00:1::2")).as("IPv6 echo under filter default drop").isNotZero();
        assertThat(get("client", "http://[fd00:1::2]:8080/single-host.xnet")).as("HTTP under default drop")
                .isNotEqualTo("200");
        // the client solicited its gateway and the host answered; the host solicited the
        // client (to answer its echo) and the client's advertisement came back
        assertThat(neighbour("client", "fd00:2::1", "eth0")).as("client's entry for its gateway")
                .containsAnyOf("REACHABLE", "STALE", "DELAY", "PROBE");
        ping6("host", "fd00:2::2");
        assertThat(neighbour("host", "fd00:2::2", "br2")).as("host's entry for the client")
                .containsAnyOf("REACHABLE", "STALE", "DELAY", "PROBE");
        assertThat(xnet.c("exec client -- ping -c 1 -W 1 10.0.1.2").status()).as("allowed IPv4").isZero();

        JsonNode counters = new ObjectMapper().readTree(xnet.c("show counters --json").out());
        for (JsonNode point : counters.path("points")) {
            if (point.path("point").asText().equals("client")) {
                assertThat(point.path("arp").asLong()).as("neighbour discovery counted at client").isGreaterThan(0);
                assertThat(point.path("dropped").asLong()).as("IPv6 echo dropped at client").isGreaterThan(0);
            }
        }
    }

    private static String ns(String name) {
        return name.equals("host") || name.equals("outside") ? "xnet.itdual." + name : "xnet.itdual.c." + name;
    }

    private static int ping6(String from, String address) throws Exception {
        return Kernel.status("ip", "netns", "exec", ns(from), "ping", "-6", "-c", "2", "-W", "1", address);
    }

    private static String get(String from, String url) throws Exception {
        return Kernel.sh("ip", "netns", "exec", ns(from), "python3", "-c", GET, url).trim();
    }

    /** The neighbour entry for ADDRESS on DEVICE, after a failed resolution has had its time. */
    private static String neighbour(String from, String address, String device) throws Exception {
        return Kernel.sh("ip", "-n", ns(from), "-6", "neigh", "show", address, "dev", device);
    }
}
