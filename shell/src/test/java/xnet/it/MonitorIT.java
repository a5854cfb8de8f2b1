package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import xnet.bpf.Bpf;
import xnet.datapath.Shared;
import xnet.plan.TargetLayout;

/**
 * `monitor drops` and `monitor nat` on a real lab, both open at once through xnetd (one ring
 * buffer reader, two monitors): a dropped ping arrives with its rule id; a translated web
 * request arrives on the NAT monitor only; then, after a switch to XDP under the running
 * monitors, a UDP flood into a logging drop rule is cut to the per-CPU budget and the rest is
 * counted as suppressed. When the monitors' clients are gone, the programs are told nobody
 * listens any more.
 */
class MonitorIT extends LabTest {

    private static final String CLIENT = "10.0.1.2";
    private static final String SERVER = "10.0.2.2";

    @Override
    protected String lab() {
        return "itmon";
    }

    @Test
    void aDroppedPingShowsItsRuleAndAFloodStaysWithinTheBudget() throws Exception {
        assertThat(xnet.f("profiles/single-host.xnet").status()).isZero();
        Xnet.Result rules = xnet.c("filter add drop log from " + CLIENT + " to " + SERVER + " proto icmp; "
                + "filter add drop log to " + SERVER + " proto udp port 5201; "
                + "filter add drop from " + CLIENT + " to " + SERVER + " proto tcp port 9; "
                + "nat add 10.0.0.1:80 -> " + SERVER + ":80; commit comment logging rules");
        assertThat(rules.status()).as(rules.all()).isZero();
        assertThat(rules.out()).contains("filter 1 added: drop log from 10.0.1.2/32 to 10.0.2.2/32 proto icmp",
                "filter 2 added: drop log to 10.0.2.2/32 proto udp port 5201");
        Path www = Files.createDirectories(xnet.home.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello\n");
        List<Process> servers = new ArrayList<>();
        try (MonitorClient drops = new MonitorClient(xnet, lab(), "monitor drops --json");
                MonitorClient nat = new MonitorClient(xnet, lab(), "monitor nat --json")) {
            servers.add(background("server", "busybox", "httpd", "-f", "-p", "80", "-h", www.toString()));
            SingleHostLabIT.waitForListener("xnet.itmon.c.server", 80);
            waitForListening(1 << Shared.XNET_EVENT_DROP | 1 << Shared.XNET_EVENT_NAT);
            List<Long> suppressed = new ArrayList<>();

            Instant sent = Instant.now();
            assertThat(Kernel.status("ip", "netns", "exec", "xnet.itmon.c.client", "ping", "-c", "1", "-W", "1", SERVER))
                    .as("rule 1 drops the ping").isNotZero();
            MonitorClient.Line ping = drops.next(10, suppressed);
            assertThat(ping).as("the dropped ping's event").isNotNull();
            JsonNode event = ping.json();
            assertThat(event.path("kind").asText()).isEqualTo("drop");
            assertThat(event.path("rule").asInt()).isEqualTo(1);
            assertThat(event.path("proto").asText()).isEqualTo("icmp");
            assertThat(event.path("src").asText()).isEqualTo(CLIENT);
            assertThat(event.path("dst").asText()).isEqualTo(SERVER);
            assertThat(event.path("point").asText()).isEqualTo("client");
            assertThat(event.has("echoId")).as("the echo's identifier: " + event).isTrue();
            Instant seen = Instant.parse(event.path("time").asText());
            // measured and reported, not asserted: this machine is noisy (see README, "Tests")
            System.out.printf("monitor: the dropped ping's event reached the client %d ms after the program saw it"
                    + " (%d ms after ping started)%n", java.time.Duration.between(seen, ping.read()).toMillis(),
                    java.time.Duration.between(sent, ping.read()).toMillis());

            String page = new String(new ProcessBuilder("ip", "netns", "exec", "xnet.itmon.outside", "curl", "-s",
                    "-m", "5", "http://10.0.0.1/").start().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(page.strip()).as("outside through NAT").isEqualTo("hello");
            JsonNode opened = nat.next(10, suppressed).json();
            assertThat(opened.path("kind").asText()).isEqualTo("nat");
            assertThat(opened.path("rule").asInt()).as(opened.toString()).isEqualTo(1);
            assertThat(opened.path("dst").asText() + ":" + opened.path("dport").asInt()).isEqualTo("10.0.0.1:80");
            assertThat(opened.path("translatedTo").asText()).isEqualTo(SERVER + ":80");
            assertThat(opened.path("tcpFlags").toString()).isEqualTo("[\"syn\"]");

            // the flood meets rule 2 in XDP, loaded under the running monitors
            Xnet.Result xdp = xnet.c("datapath xdp; commit comment xdp");
            assertThat(xdp.status()).as(xdp.all()).isZero();
            long floodPackets = flood(3);

            List<Instant> floodEvents = new ArrayList<>();
            for (MonitorClient.Line line = drops.next(5, suppressed); line != null; line = drops.next(3, suppressed)) {
                assertThat(line.json().path("rule").asInt()).as(line.json().toString()).isIn(1, 2);
                if (line.json().path("rule").asInt() == 2) {
                    floodEvents.add(Instant.parse(line.json().path("time").asText()));
                }
            }
            long held = suppressed.stream().mapToLong(Long::longValue).sum();
            int cpus = Bpf.load().possibleCpus();
            double span = floodEvents.isEmpty() ? 0
                    : java.time.Duration.between(floodEvents.get(0), floodEvents.get(floodEvents.size() - 1)).toNanos() / 1e9;
            // the programs' windows are whole seconds: events spanning S seconds touch at most floor(S) + 2 of them
            long budget = (long) Shared.XNET_EVENT_RATE * cpus * ((long) Math.floor(span) + 2);
            System.out.printf("monitor: flood of %d UDP packets into a logging drop rule: %d events shown over %.1f s,"
                    + " %d suppressed (budget %d per CPU a second, %d CPUs: at most %d)%n", floodPackets,
                    floodEvents.size(), span, held, Shared.XNET_EVENT_RATE, cpus, budget);
            assertThat(floodPackets).as("the flood ran").isGreaterThan(10L * Shared.XNET_EVENT_RATE * cpus);
            assertThat(floodEvents).as("events of the flood").isNotEmpty();
            assertThat((long) floodEvents.size()).as("events within the per-CPU budget").isLessThanOrEqualTo(budget);
            assertThat(held).as("what the budget held back is counted").isPositive();
            assertThat(floodEvents.size() + held).as("no more events than dropped packets")
                    .isLessThanOrEqualTo(floodPackets);

            // a confirmed commit nobody confirms: its rollback is a line among the events (in the schema)
            Xnet.Result probation = xnet.c("filter add drop from 10.77.0.0/16; commit confirmed 5s");
            assertThat(probation.status()).as(probation.all()).isZero();
            MonitorClient.Line notice = drops.next(30, suppressed);
            while (notice != null && !notice.json().has("notice")) {
                notice = drops.next(30, suppressed);
            }
            assertThat(notice).as("the rollback told to the monitor").isNotNull();
            assertThat(notice.json().path("notice").asText()).contains("was not confirmed", "rolled back to commit");
        } finally {
            servers.forEach(Process::destroy);
        }
        waitForListening(0); // both clients gone: nothing is written for nobody
    }

    /**
     * UDP from the client to the server's port 5201 as fast as one trafgen process sends it, for
     * the seconds given: 64-byte frames with random source ports, all dropped by rule 2 at the
     * client's attach point. Returns the packets sent.
     */
    private long flood(int seconds) throws Exception {
        Path config = xnet.home.resolve("flood.cfg");
        Files.writeString(config, """
                {
                  0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
                  0x45, 0x00, const16(46), drnd(2), const16(0x4000), 64, 17, csumip(14, 33),
                  10, 0, 1, 2,
                  10, 0, 2, 2,
                  drnd(2), const16(5201), const16(26), const16(0),
                  fill(0x00, 18)
                }
                """);
        String out = Kernel.sh("timeout", "-k", "3", "-s", "INT", Integer.toString(seconds), "ip", "netns", "exec",
                "xnet.itmon.c.client", "trafgen", "--dev", TargetLayout.CONTAINER_DEVICE, "--conf", config.toString(),
                "-P", "1", "-Q");
        java.util.regex.Matcher sent = java.util.regex.Pattern.compile("([0-9]+) packets outgoing").matcher(out);
        long packets = 0;
        while (sent.find()) {
            packets += Long.parseLong(sent.group(1));
        }
        return packets;
    }

    /** Waits (up to 20 s) until xnet_monitor says exactly these kinds are listened for. */
    private void waitForListening(int kinds) throws Exception {
        MonitorClient.waitForListening(lab(), kinds);
    }

    private Process background(String container, String... command) throws Exception {
        return Kernel.background(xnet.home, "xnet.itmon.c." + container, command);
    }
}
