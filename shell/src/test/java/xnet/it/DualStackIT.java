package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import xnet.datapath.Shared;

/**
 * Dual-stack containers on two bridges, on tc and on native XDP:
 * <ul>
 * <li>each container has an address of both families and default routes for both; over IPv6
 * they reach each other (routed by the host), the outside reaches them and they reach it, with
 * ping and with an HTTP page, and IPv4 works beside it;</li>
 * <li>an IPv6 deny rule between the bridges stops ping6 and TCP over IPv6 while IPv4 between the
 * same containers still works; `monitor drops --from PREFIX6` shows the dropped ping6, and
 * `test packet` with IPv6 addresses says which rule decides;</li>
 * <li>a port rule meets TCP whose packets carry a destination-options header (the program walks
 * to the TCP header: the connection is refused) and a UDP datagram the sender fragments (its
 * first fragment is dropped, its later ones pass without ports and are never reassembled, so
 * nothing arrives); without the rule both arrive, and a capture at the receiver shows the header
 * and the fragments were really on the wire;</li>
 * <li>IPv6 static NAT serves web's page to the outside at the uplink's address and port 80, while
 * a client reaches web directly and through the public address (hairpin), and a whole-address
 * rule carries ping6; both rules count both ways, and `monitor nat` shows the IPv6 connection
 * with its translation;</li>
 * <li>the kernel's tables datapaths (nftables' inet table, iptables with ip6tables) apply an
 * IPv6 deny rule the same way, translate IPv6 static NAT (a port rule and a whole address), and
 * let neighbour discovery through a default drop;</li>
 * <li>with {@code filter default drop} (and an IPv4 allow rule), IPv6 echo is dropped, yet
 * neighbour discovery still resolves: the host learns the container's link-layer address from
 * its advertisement and the container the gateway's from the host's answer to its
 * solicitation, both of which cross the container's attach point, and they are counted with
 * ARP there;</li>
 * <li>the usual stateful policy ({@code allow state established,related}, an allow from the
 * client's subnet of each family, default drop) lets ping, TCP and ICMP errors of both families
 * one way and not the other.</li>
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

    /** TCP to ADDRESS PORT, with a destination-options header (8 bytes of padding) on every packet when the third
     * argument says so; prints "connected" once the server answered, or the error. */
    private static final String TCP6 = """
            import socket, sys
            s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            if sys.argv[3] == 'dstopts':
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_DSTOPTS, bytes([0, 0, 1, 4, 0, 0, 0, 0]))
            s.settimeout(2)
            try:
                s.connect((sys.argv[1], int(sys.argv[2])))
                s.sendall(b'GET /single-host.xnet HTTP/1.0\\r\\n\\r\\n')
                print('connected' if s.recv(12).startswith(b'HTTP/1.0 200') else 'no page')
            except OSError as e:
                print(e)
            """;

    /** Sends one UDP datagram of SIZE bytes to ADDRESS PORT (the kernel fragments it to fit the MTU). */
    private static final String UDP6_SEND = """
            import socket, sys
            s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            s.sendto(b'x' * int(sys.argv[3]), (sys.argv[1], int(sys.argv[2])))
            """;

    /**
     * For SECONDS on DEVICE: IPv6 frames carrying TCP behind a destination-options header, first
     * and later fragments, and (on UDP port PORT) whole datagrams received; says "ready" first.
     */
    private static final String CAPTURE = """
            import socket, sys, time
            raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x86dd))
            raw.bind((sys.argv[1], 0))
            raw.settimeout(0.1)
            udp = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            udp.bind(('::', int(sys.argv[3])))
            udp.setblocking(False)
            print('ready', flush=True)
            end = time.time() + float(sys.argv[2])
            dstopts = first = later = datagrams = 0
            while time.time() < end:
                try:
                    while True:
                        udp.recv(65535)
                        datagrams += 1
                except BlockingIOError:
                    pass
                try:
                    f = raw.recv(65535)
                except socket.timeout:
                    continue
                if len(f) < 62:
                    continue
                if f[20] == 60 and f[54] == 6:
                    dstopts += 1
                if f[20] == 44:
                    if ((f[56] << 8) | f[57]) & 0xfff8:
                        later += 1
                    else:
                        first += 1
            print(dstopts, first, later, datagrams, flush=True)
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

    /** tc and native XDP (generic XDP meets IPv6 in EdgeTrafficIT; three modes here would cost the suite a minute). */
    @ParameterizedTest
    @ValueSource(strings = {"tc", "xdp mode native"})
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

        anIpv6DenyRuleStopsIpv6AndLeavesIpv4();
        aPortRuleMeetsExtensionHeadersAndFragments();
        ipv6NatServesTheOutsideBesideDirectClients(datapath.startsWith("xdp"));

        commit = xnet.c("filter flush; filter add allow from 10.0.0.0/8; filter default drop; commit");
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
        aStatefulPolicyLetsEachFamilyOneWay();
    }

    /**
     * The usual stateful policy, both families: under default drop, connections from the client's
     * bridge (an allow from each family's subnet) are answered through {@code allow state
     * established,related}, while web cannot open one back. An ICMP(v6) port unreachable from web
     * reaches the client as related (its UDP socket is refused, not left waiting).
     */
    private void aStatefulPolicyLetsEachFamilyOneWay() throws Exception {
        Xnet.Result commit = xnet.c("filter flush; filter add allow state established,related;"
                + " filter add allow from 10.0.2.0/24; filter add allow from fd00:2::/64; filter default drop; commit");
        assertThat(commit.status()).as(commit.all()).isZero();
        servers.add(Kernel.background(xnet.home, ns("client"), "python3", "-m", "http.server", "8081", "--bind", "::",
                "--directory", Xnet.ROOT.resolve("profiles").toString()));
        SingleHostLabIT.waitForListener(ns("client"), 8081);
        assertThat(xnet.c("exec client -- ping -c 2 -W 1 10.0.1.2").status()).as("IPv4 ping client -> web").isZero();
        assertThat(ping6("client", "fd00:1::2")).as("IPv6 ping client -> web").isZero();
        assertThat(get("client", "http://10.0.1.2:8080/single-host.xnet")).as("HTTP over IPv4 client -> web")
                .isEqualTo("200");
        assertThat(get("client", "http://[fd00:1::2]:8080/single-host.xnet")).as("HTTP over IPv6 client -> web")
                .isEqualTo("200");
        assertThat(Kernel.udpAnswer(ns("client"), "10.0.1.2", 9998)).as("IPv4 port unreachable, related").isEqualTo("refused");
        assertThat(Kernel.udpAnswer(ns("client"), "fd00:1::2", 9998)).as("ICMPv6 port unreachable, related").isEqualTo("refused");
        assertThat(xnet.c("exec web -- ping -c 2 -W 1 10.0.2.2").status()).as("IPv4 ping web -> client").isNotZero();
        assertThat(ping6("web", "fd00:2::2")).as("IPv6 ping web -> client").isNotZero();
        assertThat(get("web", "http://10.0.2.2:8081/single-host.xnet")).as("HTTP over IPv4 web -> client")
                .isNotEqualTo("200");
        assertThat(get("web", "http://[fd00:2::2]:8081/single-host.xnet")).as("HTTP over IPv6 web -> client")
                .isNotEqualTo("200");
        JsonNode rules = new ObjectMapper().readTree(xnet.c("show counters --json").out()).path("rules");
        assertThat(rules.get(0).path("packets").asLong()).as("replies counted by the state rule").isGreaterThan(0);
    }


    /**
     * The kernel's tables datapaths with the same rules: an IPv6 deny rule (in ip6tables' chain,
     * or nft's inet table) stops ping6 and TCP over IPv6 while IPv4 goes on, and is counted; under
     * a default drop, neighbour discovery with the host still resolves.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nftables", "iptables"})
    void theTablesDatapathsApplyIpv6RulesToo(String datapath) throws Exception {
        Xnet.Result commit = xnet.c(SETUP + "; datapath " + datapath + "; filter add drop from fd00:2::/64 to fd00:1::/64;"
                + " filter add allow proto tcp port 8080; commit");
        assertThat(commit.status()).as(commit.all()).isZero();
        servers.add(Kernel.background(xnet.home, ns("web"), "python3", "-m", "http.server", "8080", "--bind", "::",
                "--directory", Xnet.ROOT.resolve("profiles").toString()));
        SingleHostLabIT.waitForListener(ns("web"), 8080);
        assertThat(ping6("client", "fd00:1::2")).as("ping6 under the IPv6 deny rule").isNotZero();
        assertThat(get("client", "http://[fd00:1::2]:8080/single-host.xnet")).as("HTTP over IPv6").isNotEqualTo("200");
        assertThat(get("outside", "http://[fd00:1::2]:8080/single-host.xnet")).as("HTTP over IPv6 from outside")
                .isEqualTo("200");
        assertThat(get("client", "http://10.0.1.2:8080/single-host.xnet")).as("HTTP over IPv4").isEqualTo("200");
        JsonNode rules = new ObjectMapper().readTree(xnet.c("show counters --json").out()).path("rules");
        assertThat(rules.get(0).path("packets").asLong()).as("the IPv6 rule's counter").isGreaterThan(0);

        // IPv6 static NAT in the kernel's tables: a port rule and a whole-address one
        Xnet.Result nat = xnet.c("nat add [fd00::a00:1]:80 -> [fd00:1::2]:8080; nat add fd00::a00:9 -> fd00:1::2; commit");
        assertThat(nat.status()).as(nat.all()).isZero();
        assertThat(get("outside", "http://[fd00::a00:1]:80/single-host.xnet")).as("HTTP outside -> public [fd00::a00:1]:80")
                .isEqualTo("200");
        assertThat(ping6("outside", "fd00::a00:9")).as("ping6 outside -> whole-address NAT to web").isZero();
        assertThat(xnet.c("show ruleset " + datapath).out()).contains("fd00:1::2");

        commit = xnet.c("filter flush; filter add allow from 10.0.0.0/8; filter default drop; commit");
        assertThat(commit.status()).as(commit.all()).isZero();
        Kernel.sh("ip", "-n", ns("client"), "neigh", "flush", "all");
        assertThat(ping6("client", "fd00:2::1")).as("ping6 to the gateway under default drop").isNotZero();
        assertThat(neighbour("client", "fd00:2::1", "eth0")).as("client's entry for its gateway")
                .containsAnyOf("REACHABLE", "STALE", "DELAY", "PROBE");
    }

    /**
     * IPv6 static NAT: the outside fetches the page from the uplink's address and port 80, which
     * web serves on 8080; a client talking to web directly works beside it, and so does one going
     * through the public address (hairpin). A whole-address rule carries ping6, whose ICMPv6
     * checksum covers the addresses. Both rules count both ways; `test packet` names the rule.
     * At tc the senders keep checksum offload on (the kernel's helpers mend partial checksums);
     * XDP's rewrite assumes complete checksums (README, "Hooks"), so there the senders compute them.
     */
    private void ipv6NatServesTheOutsideBesideDirectClients(boolean xdp) throws Exception {
        if (xdp) {
            for (String sender : List.of("web", "client", "outside")) {
                Kernel.sh("ip", "netns", "exec", ns(sender), "ethtool", "-K", "eth0", "tx", "off");
            }
        }
        Xnet.Result nat = xnet.c("nat add [fd00::a00:1]:80 -> [fd00:1::2]:8080; nat add fd00::a00:9 -> fd00:2::2; commit");
        assertThat(nat.status()).as(nat.all()).isZero();
        assertThat(xnet.c("nat list").out()).contains("[fd00::a00:1]:80", "[fd00:1::2]:8080", "fd00::a00:9");
        icmpv6ErrorsFollowTheirConnectionThroughNat();
        try (MonitorClient nats = new MonitorClient(xnet, lab(), "monitor nat --json")) {
            MonitorClient.waitForListening(lab(), 1 << Shared.XNET_EVENT_NAT);
            assertThat(get("outside", "http://[fd00::a00:1]:80/single-host.xnet"))
                    .as("HTTP outside -> public [fd00::a00:1]:80").isEqualTo("200");
            MonitorClient.Line line = nats.next(10, new ArrayList<>());
            assertThat(line).as("the IPv6 connection's NAT event").isNotNull();
            JsonNode event = line.json();
            assertThat(event.path("kind").asText()).isEqualTo("nat");
            assertThat(event.path("rule").asInt()).as(event.toString()).isEqualTo(1);
            assertThat(event.path("src").asText()).isEqualTo("fd00::a00:2");
            assertThat(event.path("dst").asText()).isEqualTo("fd00::a00:1");
            assertThat(event.path("translatedTo").asText()).isEqualTo("[fd00:1::2]:8080");
        }
        assertThat(get("client", "http://[fd00:1::2]:8080/single-host.xnet")).as("HTTP client -> web directly, beside it")
                .isEqualTo("200");
        assertThat(get("client", "http://[fd00::a00:1]:80/single-host.xnet")).as("HTTP client -> public address (hairpin)")
                .isEqualTo("200");
        assertThat(get("outside", "http://[fd00::a00:1]:80/single-host.xnet")).as("HTTP outside again, after the direct client")
                .isEqualTo("200");
        assertThat(ping6("outside", "fd00::a00:9")).as("ping6 outside -> whole-address NAT to client").isZero();
        Xnet.Result probe = xnet.c("test packet from [fd00::a00:2]:40000 to [fd00::a00:1]:80");
        assertThat(probe.out()).as(probe.all())
                .contains("translated: destination [fd00::a00:1]:80 -> [fd00:1::2]:8080 (nat 1)");
        JsonNode nats = new ObjectMapper().readTree(xnet.c("show counters --json").out()).path("nat");
        assertThat(nats).as("NAT counters").hasSize(2);
        for (JsonNode rule : nats) {
            assertThat(rule.path("toPrivate").asLong()).as("to private, " + rule).isGreaterThan(0);
            assertThat(rule.path("toPublic").asLong()).as("back from public, " + rule).isGreaterThan(0);
        }
        Xnet.Result off = xnet.c("nat del 1; nat del 2; commit");
        assertThat(off.status()).as(off.all()).isZero();
        assertThat(Kernel.sh("ip", "-n", ns("host"), "-6", "addr", "show", "dev", "uplink")).as("public address released")
                .doesNotContain("fd00::a00:9");
    }

    /**
     * ICMPv6 errors follow their IPv6 NAT connection, as IPv4's (DatapathTrafficIT): a port
     * unreachable from a container reaches the outside client from the public address, through a
     * port rule and a whole-address one; a "packet too big" to the public address about a held
     * connection's reply reaches web with its private address and port in the quote, and a right
     * ICMPv6 checksum.
     */
    private void icmpv6ErrorsFollowTheirConnectionThroughNat() throws Exception {
        assertThat(xnet.c("nat add [fd00::a00:1]:53 -> [fd00:1::2]:5353 proto udp; commit").status()).isZero();
        assertThat(Kernel.udpAnswer(ns("outside"), "fd00::a00:1", 53)).as("port unreachable through a port rule")
                .isEqualTo("refused");
        assertThat(Kernel.udpAnswer(ns("outside"), "fd00::a00:9", 9997)).as("port unreachable through a whole address")
                .isEqualTo("refused");
        java.io.BufferedReader seen = Kernel.icmpErrorSeen(servers, ns("web"), "fd00:1::2");
        String port = Kernel.sh("ip", "netns", "exec", ns("outside"), "python3", "-c", TOO_BIG, "fd00::a00:1", "80").trim();
        assertThat(seen.readLine()).as("the error at web (the client used port " + port + ")")
                .isEqualTo("fd00::a00:2 fd00:1::2:8080 fd00::a00:2 ok");
        assertThat(xnet.c("nat del 3; commit").status()).isZero(); // errors are not counted: the counters below are 1's and 2's
    }

    /**
     * In outside: holds a TCP connection to PUBLIC:PORT and sends PUBLIC an ICMPv6 "packet too big"
     * (MTU 1280) quoting its reply as it left, as a router on the way would; prints this end's port.
     */
    private static final String TOO_BIG = """
            import socket, struct, sys, time
            pub, port = sys.argv[1], int(sys.argv[2])
            c = socket.create_connection((pub, port), timeout=3)
            me, cport = c.getsockname()[:2]
            a = lambda x: socket.inet_pton(socket.AF_INET6, x)
            quote = struct.pack('!IHBB16s16s', 0x60000000, 20, 6, 64, a(pub), a(me)) + struct.pack('!HHI', port, cport, 0)
            message = struct.pack('!BBHI', 2, 0, 0, 1280) + quote
            socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6).sendto(message, (pub, 0))
            print(cport, flush=True)
            time.sleep(2)
            """;


    private void anIpv6DenyRuleStopsIpv6AndLeavesIpv4() throws Exception {
        Xnet.Result deny = xnet.c("filter add drop log from fd00:2::/64 to fd00:1::/64; commit");
        assertThat(deny.status()).as(deny.all()).isZero();
        try (MonitorClient drops = new MonitorClient(xnet, lab(), "monitor drops --from fd00:2::/64 --json")) {
            MonitorClient.waitForListening(lab(), 1 << Shared.XNET_EVENT_DROP);
            assertThat(ping6("client", "fd00:1::2")).as("ping6 client -> web under the IPv6 deny rule").isNotZero();
            MonitorClient.Line line = drops.next(10, new ArrayList<>());
            assertThat(line).as("the dropped ping6's event").isNotNull();
            JsonNode event = line.json();
            assertThat(event.path("rule").asInt()).isEqualTo(1);
            assertThat(event.path("proto").asText()).isEqualTo("icmpv6");
            assertThat(event.path("src").asText()).isEqualTo("fd00:2::2");
            assertThat(event.path("dst").asText()).isEqualTo("fd00:1::2");
            assertThat(event.path("point").asText()).isEqualTo("client");
            assertThat(event.has("echoId")).as("the echo's identifier: " + event).isTrue();
        }
        assertThat(get("client", "http://[fd00:1::2]:8080/single-host.xnet")).as("HTTP over IPv6 under the deny rule")
                .isNotEqualTo("200");
        assertThat(ping6("outside", "fd00:1::2")).as("ping6 from outside: not the rule's source").isZero();
        Xnet.Result probe = xnet.c("test packet from [fd00:2::2]:40000 to [fd00:1::2]:8080");
        assertThat(probe.out()).as(probe.all()).contains("at client (", "): drop",
                "decided by filter 1: drop log from fd00:2::/64 to fd00:1::/64");
        assertThat(xnet.c("test packet from fd00::a00:2 to fd00:1::2").out()).contains("at uplink (", "): pass");
        assertThat(xnet.c("exec client -- ping -c 1 -W 1 10.0.1.2").status()).as("IPv4 ping beside it").isZero();
        assertThat(get("client", "http://10.0.1.2:8080/single-host.xnet")).as("HTTP over IPv4 beside it").isEqualTo("200");
        JsonNode rules = new ObjectMapper().readTree(xnet.c("show counters --json").out()).path("rules");
        assertThat(rules.get(0).path("packets").asLong()).as("the IPv6 rule's counter").isGreaterThan(0);
        assertThat(xnet.c("filter flush; commit").status()).isZero();
    }

    private void aPortRuleMeetsExtensionHeadersAndFragments() throws Exception {
        // without a rule: the destination options and the fragments are on the wire, and arrive
        String[] open = capture(() -> {
            assertThat(tcp6("client", "fd00:1::2", 8080, "dstopts")).as("TCP with destination options").isEqualTo("connected");
            udp6("client", "fd00:1::2", 9999, 3000);
        });
        assertThat(Long.parseLong(open[0])).as("TCP packets behind a destination-options header at web").isGreaterThan(0);
        assertThat(Long.parseLong(open[1])).as("first fragments at web").isEqualTo(1);
        assertThat(Long.parseLong(open[2])).as("later fragments at web").isGreaterThan(0);
        assertThat(open[3]).as("datagrams reassembled at web").isEqualTo("1");

        Xnet.Result rules = xnet.c("filter add drop to fd00:1::2 proto tcp port 8080; "
                + "filter add drop to fd00:1::2 proto udp port 9999; commit");
        assertThat(rules.status()).as(rules.all()).isZero();
        String[] closed = capture(() -> {
            assertThat(tcp6("client", "fd00:1::2", 8080, "dstopts")).as("TCP with destination options, port rule")
                    .isNotEqualTo("connected");
            udp6("client", "fd00:1::2", 9999, 3000);
        });
        assertThat(closed[0]).as("TCP behind destination options reaching web").isEqualTo("0");
        assertThat(closed[1]).as("first fragments reaching web").isEqualTo("0");
        assertThat(Long.parseLong(closed[2])).as("later fragments pass (no ports), harmless").isGreaterThan(0);
        assertThat(closed[3]).as("datagrams reassembled at web under the port rule").isEqualTo("0");
        assertThat(tcp6("client", "fd00:1::2", 8080, "plain")).as("plain TCP, port rule").isNotEqualTo("connected");
        assertThat(xnet.c("filter flush; commit").status()).isZero();
    }

    /** What CAPTURE counted at web's eth0 while {@code traffic} ran: dstopts TCP, first, later fragments, datagrams. */
    private String[] capture(Traffic traffic) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns("web"), "python3", "-c", CAPTURE, "eth0", "6", "9999")
                .redirectErrorStream(true).start();
        servers.add(p);
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        assertThat(out.readLine()).isEqualTo("ready");
        traffic.run();
        String last = out.readLine();
        p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(last).as("capture's counts").matches("\\d+ \\d+ \\d+ \\d+");
        return last.split(" ");
    }

    private interface Traffic {
        void run() throws Exception;
    }

    private static String tcp6(String from, String address, int port, String options) throws Exception {
        return Kernel.sh("ip", "netns", "exec", ns(from), "python3", "-c", TCP6, address, Integer.toString(port), options)
                .trim();
    }

    private static void udp6(String from, String address, int port, int size) throws Exception {
        Kernel.sh("ip", "netns", "exec", ns(from), "python3", "-c", UDP6_SEND, address, Integer.toString(port),
                Integer.toString(size));
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
