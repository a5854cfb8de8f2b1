package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The study's two-host topology on one machine: labs "itha" and "ithb" on the underlay "itu1",
 * built from the shipped profiles. Same VNI across hosts reaches, different VNIs do not, full
 * size TCP runs without a stall, and a filter on host b applies to what arrives through the
 * tunnel, in tc and in xdp mode; then one VNI moves to an IPv6 underlay (MTU 1430) and still
 * reaches, next to the other over IPv4.
 */
class MultiHostIT {

    private static final String UNDERLAY = "itu1";
    private Xnet a;
    private Xnet b;

    @BeforeEach
    void setUp() throws Exception {
        a = new Xnet("itha");
        b = new Xnet("ithb");
        removeUnderlay();
    }

    @AfterEach
    void tearDown() throws Exception {
        a.close();
        b.close();
        removeUnderlay();
    }

    private static void removeUnderlay() throws Exception {
        if (Kernel.namespaces("xnet-u." + UNDERLAY).contains("xnet-u." + UNDERLAY)) {
            Kernel.sh("ip", "netns", "del", "xnet-u." + UNDERLAY);
        }
    }

    private static Xnet.Result make(Xnet host, String uplink, String profile) throws Exception {
        return host.run(Map.of(), null, "--lab", host.lab, "--underlay", UNDERLAY, "--uplink", uplink, "-f", profile);
    }

    private static boolean reaches(Xnet host, String container, String address) throws Exception {
        return host.c("exec " + container + " -- ping -c 1 -W 1 " + address).status() == 0;
    }

    @Test
    void twoHostsOverVxlan() throws Exception {
        Xnet.Result hostA = make(a, "10.0.0.1/24", "profiles/multi-host-a.xnet");
        assertThat(hostA.status()).as(hostA.all()).isZero();
        Xnet.Result hostB = make(b, "10.0.0.3/24", "profiles/multi-host-b.xnet");
        assertThat(hostB.status()).as(hostB.all()).isZero();

        // same VNI across the hosts; later runs find the lab's network without the options
        Xnet.Result ping = a.c("exec c1 -- ping -c 2 -W 1 10.1.1.3");
        assertThat(ping.status()).as(ping.all()).isZero();
        assertThat(ping.out()).contains("2 received");
        assertThat(reaches(b, "c4", "10.1.2.2")).as("c4 -> c3 (VNI 4098)").isTrue();

        // tenants apart: not across hosts, not on one host
        assertThat(reaches(a, "c1", "10.1.2.3")).as("c1 -> c4").isFalse();
        assertThat(reaches(a, "c3", "10.1.1.2")).as("c3 -> c1 on the same host").isFalse();
        assertThat(reaches(b, "c2", "10.1.2.2")).as("c2 -> c3").isFalse();

        // full-size TCP for 5 s with no stall: the containers' MTU leaves room for VXLAN
        assertThat(Kernel.sh("ip", "-n", "xnet.itha.c.c1", "link", "show", "eth0")).contains("mtu 1450");
        transferWithoutStall();

        // a filter on host b applies to frames that arrive through the tunnel, in both modes
        for (String mode : new String[] {"tc", "xdp"}) {
            Xnet.Result filter = b.c("datapath " + mode + "; filter flush; filter add drop from 10.1.1.2 to 10.1.1.3;"
                    + " commit");
            assertThat(filter.status()).as(filter.all()).isZero();
            assertThat(reaches(a, "c1", "10.1.1.3")).as(mode + ": c1 -> c2 dropped on host b").isFalse();
            assertThat(reaches(a, "c3", "10.1.2.3")).as(mode + ": c3 -> c4").isTrue();
            assertThat(reaches(b, "c4", "10.1.2.2")).as(mode + ": c4 -> c3").isTrue();
            JsonNode counters = new ObjectMapper().readTree(b.c("show counters --json").out());
            JsonNode rule = counters.path("rules").get(0);
            assertThat(rule.path("text").asText()).isEqualTo("drop from 10.1.1.2/32 to 10.1.1.3/32");
            assertThat(rule.path("packets").asLong()).as(mode + ": the dropped ping counted").isEqualTo(1);
        }
        Xnet.Result lifted = b.c("filter flush; commit");
        assertThat(lifted.status()).as(lifted.all()).isZero();
        assertThat(reaches(a, "c1", "10.1.1.3")).as("c1 -> c2 again").isTrue();

        // VNI 4097 over an IPv6 underlay (the uplinks' IPv6 twins), 4098 still over IPv4
        Xnet.Result a6 = a.c("tunnel del t4097; tunnel add t4097 --vni 4097 --remote fd00::a00:3 --bridge br1; commit");
        assertThat(a6.status()).as(a6.all()).isZero();
        Xnet.Result b6 = b.c("tunnel del t4097; tunnel add t4097 --vni 4097 --remote fd00::a00:1 --bridge br1; commit");
        assertThat(b6.status()).as(b6.all()).isZero();
        assertThat(Kernel.sh("ip", "-n", "xnet.itha.host", "-d", "link", "show", "vx-t4097"))
                .contains("remote fd00::a00:3", "local fd00::a00:1");
        assertThat(Kernel.sh("ip", "-n", "xnet.itha.c.c1", "link", "show", "eth0")).as("70 bytes of VXLAN over IPv6")
                .contains("mtu 1430");
        assertThat(reaches(a, "c1", "10.1.1.3")).as("c1 -> c2 over the IPv6 underlay").isTrue();
        assertThat(a.c("exec c1 -- ping -c 1 -W 1 -M do -s 1402 10.1.1.3").status())
                .as("a full 1430-byte packet, not fragmented, over the IPv6 underlay").isZero();
        assertThat(reaches(a, "c3", "10.1.2.3")).as("c3 -> c4 over IPv4 beside it").isTrue();
        assertThat(reaches(a, "c1", "10.1.2.3")).as("tenants still apart").isFalse();

        // the last lab on the underlay takes it away
        assertThat(a.c("lab destroy").status()).isZero();
        assertThat(Kernel.namespaces("xnet-u.")).contains("xnet-u." + UNDERLAY);
        assertThat(b.c("lab destroy").status()).isZero();
        assertThat(Kernel.namespaces("xnet-u.")).doesNotContain("xnet-u." + UNDERLAY);
        assertThat(Kernel.namespaces("xnet.itha.")).isEmpty();
        assertThat(Kernel.namespaces("xnet.ithb.")).isEmpty();
    }

    /** iperf3 c1 -> c2 for 5 s with 16 KiB writes: every second moves data, and no second stalls. */
    private void transferWithoutStall() throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", "xnet.ithb.c.c2", "iperf3", "-s", "-1", "-p", "5301")
                .redirectErrorStream(true).redirectOutput(b.home.resolve("iperf3-server.log").toFile()).start();
        try {
            SingleHostLabIT.waitForListener("xnet.ithb.c.c2", 5301);
            Xnet.Result transfer = a.c("exec c1 -- iperf3 -c 10.1.1.3 -p 5301 -t 5 -l 16K -J");
            assertThat(transfer.status()).as(transfer.all()).isZero();
            JsonNode result = new ObjectMapper().readTree(transfer.out());
            JsonNode intervals = result.path("intervals");
            assertThat(intervals.size()).isGreaterThanOrEqualTo(5);
            for (JsonNode interval : intervals) {
                assertThat(interval.path("sum").path("bytes").asLong()).as("bytes in one second").isGreaterThan(1_000_000L);
            }
            System.out.printf("c1 -> c2 over VXLAN: %.2f Gbit/s, %d retransmits%n",
                    result.path("end").path("sum_received").path("bits_per_second").asDouble() / 1e9,
                    result.path("end").path("sum_sent").path("retransmits").asLong());
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
