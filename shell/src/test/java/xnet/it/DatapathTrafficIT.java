package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import xnet.plan.TargetLayout;

/**
 * Real traffic through each datapath, tc, xdp, iptables and nftables: a denied source cannot ping or
 * connect, an allowed one can, outside fetches a page through static NAT, and the counters rise
 * by what was sent. Checksum offload is off on the senders, so every checksum is on the wire. With
 * BPF, `test packet` for the same flows meets what the traffic met, and counts nothing.
 */
class DatapathTrafficIT {

    private static final String SETUP = String.join("; ",
            "bridge add br1 10.0.1.0/24", "bridge add br2 10.0.2.0/24",
            "container add web --bridge br1 --ip 10.0.1.2",
            "container add good --bridge br2 --ip 10.0.2.2", "container add bad --bridge br2 --ip 10.0.2.3",
            "filter add drop from 10.0.2.3 to 10.0.1.0/24",
            "nat add 10.0.0.1:80 -> 10.0.1.2:8080", "nat add 10.0.0.5 -> 10.0.2.2",
            "nat add 10.0.0.1:53 -> 10.0.1.2:5353 proto udp");

    /**
     * In outside: holds a TCP connection to PUBLIC:PORT (through NAT) and sends PUBLIC an ICMP
     * "fragmentation needed" (MTU 1400) that quotes the connection's reply as it left: from
     * PUBLIC:PORT to this end, as a router on the way would. Prints this end's port.
     */
    private static final String FRAG_NEEDED = """
            import socket, struct, sys, time
            def csum(b):
                s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
                s = (s >> 16) + (s & 0xffff)
                return ~(s + (s >> 16)) & 0xffff
            pub, port = sys.argv[1], int(sys.argv[2])
            c = socket.create_connection((pub, port), timeout=3)
            me, cport = c.getsockname()
            ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 40, 0, 0x4000, 64, 6, 0, socket.inet_aton(pub), socket.inet_aton(me))
            ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
            quote = ip + struct.pack('!HHI', port, cport, 0)
            icmp = struct.pack('!BBHHH', 3, 4, 0, 0, 1400) + quote
            icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
            socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP).sendto(icmp, (pub, 0))
            print(cport, flush=True)
            time.sleep(2)
            """;


    private Xnet xnet;
    private Process web;

    @BeforeEach
    void setUp() throws Exception {
        xnet = new Xnet("itdp");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (web != null) {
            web.destroy();
            web.waitFor(5, TimeUnit.SECONDS);
        }
        xnet.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tc", "tc fastpath", "xdp", "iptables", "nftables"})
    void rulesAndNatHoldForRealTraffic(String datapath) throws Exception {
        boolean fast = datapath.endsWith("fastpath");
        String mode = datapath.split(" ")[0];
        Xnet.Result commit = xnet.c(SETUP + "; datapath " + mode + (fast ? "; datapath fastpath on" : "") + "; commit");
        assertThat(commit.status()).as(commit.all()).isZero();
        boolean bpf = mode.equals("tc") || mode.equals("xdp");
        if (bpf) {
            assertThat(Kernel.sh("ls", "/sys/fs/bpf/xnet/itdp/links")).contains("uplink+" + mode, "v-bad+" + mode);
        } else {
            assertThat(Kernel.sh("ls", "/sys/fs/bpf/xnet/itdp/links")).doesNotContain("+");
        }
        for (String ns : List.of("xnet.itdp.c.web", "xnet.itdp.c.good", "xnet.itdp.c.bad", "xnet.itdp.outside")) {
            Kernel.sh("ip", "netns", "exec", ns, "ethtool", "-K", "eth0", "tx", "off");
        }
        web = new ProcessBuilder("ip", "netns", "exec", "xnet.itdp.c.web", "python3", "-m", "http.server", "8080",
                "--bind", "10.0.1.2", "--directory", Xnet.ROOT.resolve("profiles").toString())
                .redirectErrorStream(true).redirectOutput(xnet.home.resolve("web.log").toFile()).start();
        SingleHostLabIT.waitForListener("xnet.itdp.c.web", 8080);

        assertThat(xnet.c("exec good -- ping -c 3 -W 1 10.0.1.2").status()).isZero();
        assertThat(xnet.c("exec bad -- ping -c 3 -W 1 10.0.1.2").status()).as("denied source pings").isNotZero();
        assertThat(curl("xnet.itdp.c.good", "http://10.0.1.2:8080/single-host.xnet")).contains("bridge add br1");
        assertThat(curl("xnet.itdp.c.bad", "http://10.0.1.2:8080/single-host.xnet")).as("denied source connects").isEmpty();
        // the bad container may still reach what the rule does not cover
        assertThat(xnet.c("exec bad -- ping -c 1 -W 1 10.0.2.2").status()).isZero();

        String page = curl("xnet.itdp.outside", "http://10.0.0.1:80/single-host.xnet");
        assertThat(page).as("outside fetches through 10.0.0.1:80").contains("bridge add br1");
        // hairpin: a container reaches another container's public address
        assertThat(curl("xnet.itdp.c.good", "http://10.0.0.1:80/single-host.xnet")).as("hairpin").contains("bridge add br1");
        // a whole-address rule: the public address answers for the container, ICMP included
        Xnet.Result whole = xnet.c("exec outside -- ping -c 2 -W 1 10.0.0.5");
        assertThat(whole.status()).as(whole.all()).isZero();
        assertThat(whole.out()).contains("from 10.0.0.5");
        icmpErrorsFollowTheirConnectionThroughNat();
        // a client talking to the container's own address is not translated
        assertThat(curl("xnet.itdp.outside", "http://10.0.1.2:8080/single-host.xnet")).contains("bridge add br1");

        if (mode.equals("xdp")) {
            // native and generic XDP cannot share a device: the mode change goes through a tcx bridge
            assertThat(xnet.c("datapath xdp mode native; commit").status()).isZero();
            assertThat(Kernel.sh("ls", "/sys/fs/bpf/xnet/itdp/links")).contains("v-bad+xdp-native")
                    .doesNotContain("generic");
            assertThat(Kernel.sh("ip", "-n", "xnet.itdp.host", "link", "show", "v-bad")).contains(" xdp ");
            assertThat(xnet.c("exec bad -- ping -c 1 -W 1 10.0.1.2").status()).isNotZero();
            assertThat(xnet.c("exec good -- ping -c 1 -W 1 10.0.1.2").status()).isZero();
            assertThat(xnet.c("datapath xdp mode generic; commit").status()).isZero();
            assertThat(Kernel.sh("ip", "-n", "xnet.itdp.host", "link", "show", "v-bad")).contains("xdpgeneric");
        }
        JsonNode counters = new ObjectMapper().readTree(xnet.c("show counters --json").out());
        JsonNode denyRule = counters.path("rules").get(0);
        assertThat(denyRule.path("text").asText()).isEqualTo("drop from 10.0.2.3/32 to 10.0.1.0/24");
        assertThat(denyRule.path("packets").asLong()).as("dropped pings and SYNs").isGreaterThanOrEqualTo(4);
        long before = denyRule.path("packets").asLong();
        long bytesBefore = denyRule.path("bytes").asLong();
        xnet.c("exec bad -- ping -c 5 -i 0.2 -W 1 10.0.1.2");
        JsonNode after = new ObjectMapper().readTree(xnet.c("show counters --json").out());
        assertThat(after.path("rules").get(0).path("packets").asLong() - before).as("5 pings counted").isEqualTo(5);
        // an echo request of ping's default size: 98 bytes with its Ethernet header (what BPF at
        // the device sees), 84 from the IP header on (what iptables and nftables count)
        assertThat(after.path("rules").get(0).path("bytes").asLong() - bytesBefore).isEqualTo(5 * (bpf ? 98 : 84));
        if (!bpf) {
            return; // the kernel's tables count per rule only
        }
        whatIfPacketsAgreeWithTheTraffic(after);
        Map<String, JsonNode> points = new java.util.HashMap<>();
        after.path("points").forEach(p -> points.put(p.path("point").asText(), p));
        assertThat(points.get("bad").path("dropped").asLong()).isGreaterThanOrEqualTo(9);
        assertThat(points.get("uplink").path("translated").asLong()).as("NATed requests").isGreaterThan(0);
        assertThat(points.get("web").path("translated").asLong()).as("NATed replies").isGreaterThan(0);
        // the fast path handed on what it could (pings between bridges, the page, the replies), and only then
        long handed = 0;
        for (JsonNode p : points.values()) {
            handed += p.path("fastPath").asLong();
        }
        if (fast) {
            assertThat(handed).as("packets the fast path handed on").isGreaterThan(10);
            assertThat(points.get("good").path("fastPath").asLong()).as("good's pings and requests").isPositive();
            assertThat(points.get("uplink").path("fastPath").asLong()).as("requests from outside").isPositive();
        } else {
            assertThat(handed).as("no fast path").isZero();
        }
        JsonNode nat = after.path("nat").get(0);
        assertThat(nat.path("id").asInt()).isEqualTo(1);
        assertThat(nat.path("toPrivate").asLong()).as("requests through NAT rule 1").isGreaterThan(0);
        assertThat(nat.path("toPublic").asLong()).as("its replies").isGreaterThan(0);
    }

    /**
     * ICMP errors about translated connections are translated with them, as conntrack does for
     * the kernel's tables: a port unreachable from a container reaches the outside client from
     * the public address and port (its socket is refused, not left waiting), through a port rule
     * and a whole-address rule; a "fragmentation needed" to the public address, about a reply of
     * a held connection, reaches the container with the private address and port in its quote and
     * valid checksums (path MTU discovery through NAT).
     */
    private void icmpErrorsFollowTheirConnectionThroughNat() throws Exception {
        assertThat(Kernel.udpAnswer("xnet.itdp.outside", "10.0.0.1", 53)).as("port unreachable through a port rule")
                .isEqualTo("refused");
        assertThat(Kernel.udpAnswer("xnet.itdp.outside", "10.0.0.5", 9999)).as("port unreachable through a whole address")
                .isEqualTo("refused");
        List<Process> started = new java.util.ArrayList<>();
        try {
            java.io.BufferedReader seen = Kernel.icmpErrorSeen(started, "xnet.itdp.c.web", null);
            String port = Kernel.sh("ip", "netns", "exec", "xnet.itdp.outside", "python3", "-c", FRAG_NEEDED, "10.0.0.1",
                    "80").trim();
            assertThat(seen.readLine()).as("the error at web (the client used port " + port + ")")
                    .isEqualTo("10.0.0.2 10.0.1.2:8080 10.0.0.2 ok");
        } finally {
            Kernel.stop(started);
        }
    }

    /**
     * `test packet` for the flows the traffic above took: the denied one, an allowed one and one
     * through NAT meet what the real packets met, and the rule and NAT counters do not move.
     */
    private void whatIfPacketsAgreeWithTheTraffic(JsonNode countersBefore) throws Exception {
        String outside = TargetLayout.lab("itdp").outsideAddress().toString();
        JsonNode denied = whatIf("from 10.0.2.3:40000 to 10.0.1.2:8080");
        assertThat(denied.path("point").asText()).isEqualTo("bad");
        assertThat(denied.path("verdict").asText()).isEqualTo("drop");
        assertThat(denied.path("rule").asInt()).isEqualTo(1);
        JsonNode allowed = whatIf("from 10.0.2.2:40000 to 10.0.1.2:8080");
        assertThat(allowed.path("point").asText()).isEqualTo("good");
        assertThat(allowed.path("verdict").asText()).startsWith("pass");
        assertThat(allowed.path("decidedBy").asText()).isEqualTo("default");
        JsonNode translated = whatIf("from " + outside + ":40000 to 10.0.0.1:80");
        assertThat(translated.path("point").asText()).isEqualTo("uplink");
        assertThat(translated.path("verdict").asText()).startsWith("pass");
        assertThat(translated.path("rewrite").asText()).isEqualTo("destination 10.0.0.1:80 -> 10.0.1.2:8080");
        assertThat(translated.path("natRule").asInt()).isEqualTo(1);
        // the candidate's program, loaded for the question: a rule not committed yet decides there only
        JsonNode wouldDrop = whatIf("from 10.0.2.2:40000 to 10.0.1.2:8080 --candidate",
                "filter add drop from 10.0.2.2 to 10.0.1.2 proto tcp port 8080; ");
        assertThat(wouldDrop.path("candidate").asBoolean()).isTrue();
        assertThat(wouldDrop.path("verdict").asText()).isEqualTo("drop");
        assertThat(wouldDrop.path("rule").asInt()).isEqualTo(2);
        assertThat(whatIf("from 10.0.2.2:40000 to 10.0.1.2:8080").path("verdict").asText()).as("running: still")
                .startsWith("pass");
        JsonNode countersAfter = new ObjectMapper().readTree(xnet.c("show counters --json").out());
        assertThat(countersAfter.path("rules").get(0).path("packets")).as("what-if packets count nothing")
                .isEqualTo(countersBefore.path("rules").get(0).path("packets"));
        assertThat(countersAfter.path("nat")).isEqualTo(countersBefore.path("nat"));
    }

    private JsonNode whatIf(String flow) throws Exception {
        return whatIf(flow, "");
    }

    /** `test packet FLOW --json` after {@code edits} of the candidate in the same session. */
    private JsonNode whatIf(String flow, String edits) throws Exception {
        Xnet.Result result = xnet.c(edits + "test packet " + flow + " --json");
        assertThat(result.status()).as(result.all()).isZero();
        String out = result.out();
        return new ObjectMapper().readTree(out.substring(out.indexOf('{')));
    }

    private String curl(String ns, String url) throws Exception {
        return Kernel.sh("ip", "netns", "exec", ns, "curl", "-s", "-m", "3", url);
    }
}
