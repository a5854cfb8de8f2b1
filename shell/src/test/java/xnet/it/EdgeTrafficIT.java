package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Traffic that tried to slip past the policy, on tc and on native and generic XDP:
 * <ul>
 * <li>UDP from a denied container inside a VLAN-0 tag or two tags (QinQ), sent with a raw
 * socket, to a neighbour and through the gateway to another bridge: none arrives, while the
 * same frames from an allowed container do (the tags are looked through, not just dropped);</li>
 * <li>a translated connection followed by a direct one from the same client port, TCP from
 * outside and from a container (hairpin first), and UDP: the direct one's replies are not
 * rewritten to the public address;</li>
 * <li>with {@code filter default drop}, IPv6 between two containers (ping and TCP over link-local
 * addresses) stops, while IPv4 that a rule allows still works: ARP passes, and is counted.</li>
 * </ul>
 */
class EdgeTrafficIT {

    private static final String LAB = "itedge";
    private static final String SETUP = String.join("; ",
            "bridge add br1 10.0.1.0/24", "bridge add br2 10.0.2.0/24",
            "container add web --bridge br1 --ip 10.0.1.2", "container add bad --bridge br1 --ip 10.0.1.3",
            "container add far --bridge br2 --ip 10.0.2.2",
            "filter add drop from 10.0.1.3/32",
            "nat add 10.0.0.1:80 -> 10.0.1.2:8080", "nat add 10.0.0.1:53 -> 10.0.1.2:5353 proto udp");

    /** Sends COUNT UDP datagrams in one raw Ethernet frame each, with the given VLAN tags (TPIDs). */
    private static final String RAW_UDP = """
            import socket, struct, sys
            dev, dmac, src, dst, port, tags, count = sys.argv[1:8]
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind((dev, 0))
            smac = s.getsockname()[4]
            payload = b'xnet-probe'
            udp = struct.pack('!HHHH', 40000, int(port), 8 + len(payload), 0) + payload
            ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                             socket.inet_aton(src), socket.inet_aton(dst))
            c = sum(struct.unpack('!10H', ip))
            c = (c & 0xffff) + (c >> 16)
            c = (c & 0xffff) + (c >> 16)
            ip = ip[:10] + struct.pack('!H', ~c & 0xffff) + ip[12:]
            vlan = b''.join(struct.pack('!HH', int(t, 16), 0) for t in tags.split(',') if t != '-')
            frame = bytes.fromhex(dmac.replace(':', '')) + smac + vlan + b'\\x08\\x00' + ip + udp
            for i in range(int(count)):
                s.send(frame)
            """;

    /** Counts the UDP datagrams that arrive on PORT for SECONDS; says "ready" first. */
    private static final String UDP_COUNT = """
            import socket, sys, time
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(('0.0.0.0', int(sys.argv[1])))
            s.settimeout(0.1)
            print('ready', flush=True)
            end = time.time() + float(sys.argv[2])
            n = 0
            while time.time() < end:
                try:
                    s.recv(2048)
                    n += 1
                except socket.timeout:
                    pass
            print(n, flush=True)
            """;

    /** Echoes UDP datagrams on ADDRESS:PORT. */
    private static final String UDP_ECHO = """
            import socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((sys.argv[1], int(sys.argv[2])))
            while True:
                data, peer = s.recvfrom(2048)
                s.sendto(data, peer)
            """;

    /** From one local port, one datagram to each IP:PORT; prints where each answer came from. */
    private static final String UDP_ASK = """
            import socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(('0.0.0.0', int(sys.argv[1])))
            s.settimeout(2)
            for target in sys.argv[2:]:
                host, port = target.split(':')
                s.sendto(b'x', (host, int(port)))
                try:
                    data, peer = s.recvfrom(2048)
                    print('%s:%d' % peer, flush=True)
                except socket.timeout:
                    print('timeout', flush=True)
            """;

    /**
     * From LOCAL_PORT, GET PATH from IP:PORT over HTTP/1.0; prints the status code. It reads until
     * the server closes first, so the TIME_WAIT is the server's and the port can be used again.
     */
    private static final String HTTP_GET = """
            import socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(('0.0.0.0', int(sys.argv[1])))
            s.settimeout(3)
            try:
                s.connect((sys.argv[2], int(sys.argv[3])))
                s.sendall(b'GET ' + sys.argv[4].encode() + b' HTTP/1.0\\r\\n\\r\\n')
                reply = b''
                while True:
                    data = s.recv(65536)
                    if not data:
                        break
                    reply += data
                print(reply.split(b' ')[1].decode())
            except OSError as e:
                print('failed: %s' % e)
            """;

    /** Connects over TCP to ADDRESS (IPv6 link-local with %eth0) and PORT; exit 0 when it could. */
    private static final String TCP6_CONNECT = """
            import socket, sys
            try:
                socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()
            except OSError as e:
                print(e)
                sys.exit(1)
            """;

    private Xnet xnet;
    private final List<Process> servers = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        xnet = new Xnet(LAB);
    }

    @AfterEach
    void tearDown() throws Exception {
        Kernel.stop(servers);
        xnet.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tc", "xdp mode native", "xdp mode generic"})
    void taggedNatReusedAndNonIpv4TrafficMeetThePolicy(String datapath) throws Exception {
        Xnet.Result commit = xnet.c(SETUP + "; datapath " + datapath + "; commit");
        assertThat(commit.status()).as(commit.all()).isZero();
        for (String c : List.of("web", "bad", "far")) {
            Kernel.sh("ip", "netns", "exec", ns(c), "ethtool", "-K", "eth0", "tx", "off");
        }
        Kernel.sh("ip", "netns", "exec", ns("outside"), "ethtool", "-K", "eth0", "tx", "off");

        vlanTagsDoNotHideADeniedSource();
        natEntriesEndWhenTheClientPortIsReused();
        nonIpv4FramesMeetTheDefaultAction();
    }

    private void vlanTagsDoNotHideADeniedSource() throws Exception {
        String webMac = mac(ns("web"), "eth0");
        String gatewayMac = mac(ns("host"), "br1");
        for (String tags : List.of("8100", "88a8,8100")) { // VLAN 0; QinQ with VLAN 0 twice
            assertThat(udpArriving("web", 9999, () -> rawUdp("bad", webMac, "10.0.1.3", "10.0.1.2", 9999, tags)))
                    .as("denied source to its neighbour inside tags " + tags).isZero();
            assertThat(udpArriving("far", 9999, () -> rawUdp("bad", gatewayMac, "10.0.1.3", "10.0.2.2", 9999, tags)))
                    .as("denied source through the gateway inside tags " + tags).isZero();
        }
        // the same frames from a source no rule denies arrive: the receiver takes VLAN 0 as no tag
        String farGatewayMac = mac(ns("host"), "br2");
        assertThat(udpArriving("web", 9999, () -> rawUdp("far", farGatewayMac, "10.0.2.2", "10.0.1.2", 9999, "8100")))
                .as("allowed source inside a VLAN-0 tag").isEqualTo(5);
    }

    private void natEntriesEndWhenTheClientPortIsReused() throws Exception {
        servers.add(background(ns("web"), "python3", "-m", "http.server", "8080", "--bind", "10.0.1.2", "--directory",
                Xnet.ROOT.resolve("profiles").toString()));
        servers.add(background(ns("web"), "python3", "-c", UDP_ECHO, "10.0.1.2", "5353"));
        SingleHostLabIT.waitForListener(ns("web"), 8080);

        // outside: through the public address, then straight to the container, from port 46000
        assertThat(httpCode("outside", 46000, "10.0.0.1", 80)).isEqualTo("200");
        assertThat(httpCode("outside", 46000, "10.0.1.2", 8080))
                .as("a direct connection reusing a translated one's client port").isEqualTo("200");
        // a container: hairpin first, then direct
        assertThat(httpCode("far", 46001, "10.0.0.1", 80)).isEqualTo("200");
        assertThat(httpCode("far", 46001, "10.0.1.2", 8080))
                .as("direct after hairpin, same client port").isEqualTo("200");
        // and back: translated again after the direct one
        assertThat(httpCode("far", 46001, "10.0.0.1", 80)).isEqualTo("200");

        String udp = Kernel.sh("ip", "netns", "exec", ns("outside"), "python3", "-c", UDP_ASK, "46002", "10.0.0.1:53",
                "10.0.1.2:5353", "10.0.0.1:53");
        assertThat(udp.lines().toList()).as("who answered each datagram from port 46002")
                .containsExactly("10.0.0.1:53", "10.0.1.2:5353", "10.0.0.1:53");
    }

    private void nonIpv4FramesMeetTheDefaultAction() throws Exception {
        String webLinkLocal = linkLocal(ns("web"));
        servers.add(background(ns("web"), "python3", "-m", "http.server", "8081", "--bind", "::"));
        SingleHostLabIT.waitForListener(ns("web"), 8081);
        // the default allows: IPv6 works (so what follows can fail)
        assertThat(ping6("bad", webLinkLocal)).as("IPv6 ping while the default allows").isZero();
        assertThat(tcp6("bad", webLinkLocal, 8081)).as("TCP over IPv6 while the default allows").isZero();

        Xnet.Result commit = xnet.c("filter add allow from 10.0.0.0/8; filter default drop; commit");
        assertThat(commit.status()).as(commit.all()).isZero();
        Kernel.sh("ip", "netns", "exec", ns("far"), "ip", "neigh", "flush", "all");
        Kernel.sh("ip", "netns", "exec", ns("web"), "ip", "neigh", "flush", "all");
        assertThat(ping6("bad", webLinkLocal)).as("IPv6 ping with filter default drop").isNotZero();
        assertThat(tcp6("bad", webLinkLocal, 8081)).as("TCP over IPv6 with filter default drop").isNotZero();
        // IPv4 that a rule allows still flows, which needs ARP
        Xnet.Result ping = xnet.c("exec far -- ping -c 2 -W 1 10.0.1.2");
        assertThat(ping.status()).as(ping.all()).isZero();

        JsonNode counters = new ObjectMapper().readTree(xnet.c("show counters --json").out());
        Map<String, JsonNode> points = new HashMap<>();
        counters.path("points").forEach(p -> points.put(p.path("point").asText(), p));
        assertThat(points.get("far").path("arp").asLong()).as("ARP passed at far").isGreaterThan(0);
        assertThat(points.get("bad").path("dropped").asLong()).as("IPv6 dropped at bad").isGreaterThan(0);
        JsonNode fallthrough = counters.path("unmatched");
        assertThat(fallthrough.path("packets").asLong()).as("IPv6 counted with the default").isGreaterThan(0);
    }

    private static String ns(String name) {
        return name.equals("host") || name.equals("outside") ? "xnet." + LAB + "." + name : "xnet." + LAB + ".c." + name;
    }

    private static String mac(String ns, String device) throws Exception {
        JsonNode link = new ObjectMapper().readTree(Kernel.sh("ip", "-n", ns, "-j", "link", "show", device)).get(0);
        return link.path("address").asText();
    }

    private static String linkLocal(String ns) throws Exception {
        Pattern address = Pattern.compile("inet6 (fe80::[0-9a-f:]+)/64 scope link(.*)");
        for (int i = 0; i < 50; i++) {
            Matcher m = address.matcher(Kernel.sh("ip", "-n", ns, "-6", "-o", "addr", "show", "dev", "eth0"));
            if (m.find() && !m.group(2).contains("tentative")) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no usable link-local address in " + ns);
    }

    private int ping6(String from, String address) throws Exception {
        return Kernel.status("ip", "netns", "exec", ns(from), "ping", "-6", "-c", "2", "-W", "1", address + "%eth0");
    }

    private int tcp6(String from, String address, int port) throws Exception {
        return Kernel.status("ip", "netns", "exec", ns(from), "python3", "-c", TCP6_CONNECT, address + "%eth0",
                Integer.toString(port));
    }

    private String httpCode(String from, int localPort, String address, int port) throws Exception {
        return Kernel.sh("ip", "netns", "exec", ns(from), "python3", "-c", HTTP_GET, Integer.toString(localPort),
                address, Integer.toString(port), "/single-host.xnet").trim();
    }

    private void rawUdp(String from, String dstMac, String src, String dst, int port, String tags) throws Exception {
        String out = Kernel.sh("ip", "netns", "exec", ns(from), "python3", "-c", RAW_UDP, "eth0", dstMac, src, dst,
                Integer.toString(port), tags, "5");
        assertThat(out).as("raw send from " + from).isEmpty();
    }

    private interface Send {
        void run() throws Exception;
    }

    /** How many datagrams reach a UDP socket in a container while {@code send} runs. */
    private int udpArriving(String container, int port, Send send) throws Exception {
        Process counter = new ProcessBuilder("ip", "netns", "exec", ns(container), "python3", "-c", UDP_COUNT,
                Integer.toString(port), "2").redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(counter.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");
            send.run();
            String count = out.readLine();
            counter.waitFor(10, TimeUnit.SECONDS);
            return Integer.parseInt(count.trim());
        }
    }

    private Process background(String ns, String... command) throws Exception {
        return Kernel.background(xnet.home, ns, command);
    }
}
