package xnet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import xnet.app.Composition;
import xnet.app.Faults;
import xnet.app.Workspace;
import xnet.kernel.ProcessRunner;
import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Datapath;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.plan.LabNetwork;
import xnet.plan.TargetLayout;
import xnet.service.TargetService;
import xnet.state.Json;

/**
 * A lab of the benchmark's own, never the user's: the study's single host (client on br1,
 * server on br2, routed by the host) plus a neighbour on the server's bridge (the bridged path)
 * and a "dropper", a second client whose packets the last rule of every set drops. It puts N
 * rules on one dataplane at a time, with every other dataplane empty, runs traffic between the
 * containers, and removes everything it made when closed.
 *
 * <p>{@link #twoHosts} splits it over two labs on an underlay, as the study's two hosts: the client
 * side (br1, holding the rules) and the server side (br2), joined by a routed VXLAN link the
 * benchmark makes itself. Routed rather than a stretched bridge, because iptables sees only
 * routed traffic (bridged traffic reaches it only through br_netfilter, a module that would
 * change every bridge on the machine), and the study's iptables filtered this path.
 */
final class BenchLab implements AutoCloseable {

    static final String CLIENT = "client";
    static final String SERVER = "server";
    static final String NEIGHBOUR = "neighbour";
    static final String DROPPER = "dropper";
    static final String SERVER_IP = "10.0.2.2";
    static final String DROPPER_IP = "10.0.1.3";
    static final int SOCKPERF_PORT = 11111;
    private static final String TRANSIT = "xtransit";
    /**
     * Both ends of a latency test run on this CPU, and with them the whole path (veth delivers in
     * the sender's softirq): a round trip then never waits for another CPU to wake up, which on a
     * VM costs tens of microseconds and varies more than 800 rules do.
     */
    static final String LATENCY_CPU = "0";
    /** The lab's outside, as a sender or receiver of the fast-path experiment. */
    static final String OUTSIDE = "outside";
    static final String OUTSIDE_IP = TargetLayout.lab("any").outsideAddress().toString();

    private final TargetLayout layout;
    private final TargetLayout serverLayout;
    private final Path home;
    private final TargetService target;
    private final TargetService serverTarget;
    private final Config base;
    private final List<Process> servers = new ArrayList<>();
    /** Each server's namespace and command, to start them anew. */
    private final List<List<String>> serverCommands = new ArrayList<>();
    private final List<String> serverNamespaces = new ArrayList<>();
    private Dataplane loaded;

    /** The study's single host. */
    static BenchLab oneHost(String name, Path root) throws Exception {
        BenchLab lab = new BenchLab(TargetLayout.lab(name), null, root);
        return lab.built(() -> lab.commit(lab.target, oneHostConfig()));
    }

    private BenchLab(TargetLayout layout, TargetLayout serverLayout, Path root) throws Exception {
        this.layout = layout;
        this.serverLayout = serverLayout == null ? layout : serverLayout;
        home = Files.createTempDirectory("xnet-bench-" + layout.name());
        Workspace workspace = new Workspace(home, root);
        target = Composition.target(layout, workspace, Faults.NONE);
        serverTarget = serverLayout == null ? target : Composition.target(serverLayout, workspace, Faults.NONE);
        // whatever an earlier bench left of these labs
        for (TargetService t : serverLayout == null ? List.of(target) : List.of(target, serverTarget)) {
            t.destroy();
        }
        base = serverLayout == null ? oneHostConfig() : clientSideConfig();
    }

    /**
     * The study's two hosts: labs NAMEa (client, dropper and the rules) and NAMEb (server and
     * neighbour) on underlay NAME, routing each other's subnet over VXLAN (VNI 4242).
     */
    static BenchLab twoHosts(String name, Path root) throws Exception {
        TargetLayout client = TargetLayout.lab(name + "a", new LabNetwork(Ipv4.parse("10.0.0.1"), 24, name));
        TargetLayout server = TargetLayout.lab(name + "b", new LabNetwork(Ipv4.parse("10.0.0.3"), 24, name));
        BenchLab lab = new BenchLab(client, server, root);
        return lab.built(() -> {
            lab.commit(lab.target, lab.base);
            lab.commit(lab.serverTarget, withServerSide(Config.EMPTY));
            transit(client, "10.0.0.3", "10.0.9.1/30", "10.0.2.0/24", "10.0.9.2");
            transit(server, "10.0.0.1", "10.0.9.2/30", "10.0.1.0/24", "10.0.9.1");
        });
    }

    /** A step of building the lab. */
    @FunctionalInterface
    private interface Build {
        void run() throws Exception;
    }

    /** This lab once built; if building fails, what was made of it is removed. */
    private BenchLab built(Build build) throws Exception {
        try {
            build.run();
            return this;
        } catch (Exception | Error failed) {
            try {
                close();
            } catch (Exception cleanup) {
                failed.addSuppressed(cleanup);
            }
            throw failed;
        }
    }

    private static Config oneHostConfig() {
        return withServerSide(clientSideConfig());
    }

    /** The server's bridge, the server and its neighbour. */
    private static Config withServerSide(Config config) {
        return config.withBridge(new Bridge("br2", Cidr.parse("10.0.2.0/24")))
                .withContainer(new Container(SERVER, "br2", Ipv4.parse(SERVER_IP)))
                .withContainer(new Container(NEIGHBOUR, "br2", Ipv4.parse("10.0.2.3")));
    }

    private static Config clientSideConfig() {
        return Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
                .withContainer(new Container(CLIENT, "br1", Ipv4.parse("10.0.1.2")))
                .withContainer(new Container(DROPPER, "br1", Ipv4.parse(DROPPER_IP)));
    }

    /** One end of the routed VXLAN link between the two hosts, over the underlay. */
    private static void transit(TargetLayout host, String remote, String address, String otherSubnet, String via) {
        String ns = host.hostNamespace();
        ProcessRunner.run(TargetLayout.ip(ns, "link", "add", TRANSIT, "type", "vxlan", "id", "4242", "remote", remote,
                "local", host.uplinkAddress().toString(), "dstport", "4789", "dev", TargetLayout.UPLINK_DEVICE));
        ProcessRunner.run(TargetLayout.ip(ns, "addr", "add", address, "dev", TRANSIT));
        ProcessRunner.run(TargetLayout.ip(ns, "link", "set", TRANSIT, "up"));
        ProcessRunner.run(TargetLayout.ip(ns, "route", "add", otherSubnet, "via", via));
    }

    String namespace(String container) {
        if (container.equals(OUTSIDE)) {
            return layout.outsideNamespace();
        }
        return container.equals(SERVER) || container.equals(NEIGHBOUR) ? serverLayout.containerNamespace(container)
                : layout.containerNamespace(container);
    }

    private static void commit(TargetService target, Config config) throws Exception {
        target.replaceCandidate(config);
        target.commit("bench");
    }

    private void commit(Config config) throws Exception {
        commit(target, config);
    }

    /** The rules on one dataplane, the others empty; returns the seconds loading took. */
    double load(Dataplane dataplane, List<FilterRule> rules) throws Exception {
        clear(dataplane);
        long start = System.nanoTime();
        if (dataplane.xnet()) {
            commit(base.withFilters(rules).withDatapath(dataplane.datapath()));
        } else {
            loadTables(dataplane, dataplane == Dataplane.NFTABLES_SET ? TableFiles.nftSet(rules)
                    : TableFiles.iptablesChain(rules));
        }
        loaded = dataplane;
        return (System.nanoTime() - start) / 1e9;
    }

    /** No rules anywhere: the plain bridge and routing path. */
    void plain() throws Exception {
        clear(null);
        loaded = null;
    }

    /** Empties the dataplane that holds rules, unless it is the one about to be loaded. */
    private void clear(Dataplane next) throws Exception {
        if (loaded == null || loaded == next) {
            return;
        }
        if (loaded.xnet()) {
            commit(base);
        } else if (loaded == Dataplane.NFTABLES_SET || loaded == Dataplane.IPTABLES_NFT) {
            loadTables(Dataplane.NFTABLES_SET, TableFiles.EMPTY_NFT);
        } else {
            loadTables(Dataplane.IPTABLES_LEGACY, TableFiles.EMPTY_CHAIN);
        }
    }

    void loadTables(Dataplane dataplane, String content) throws IOException {
        Path file = home.resolve("rules.txt");
        Files.writeString(file, content);
        String loader = switch (dataplane) {
            case IPTABLES_LEGACY -> "iptables-legacy-restore";
            case IPTABLES_NFT -> "iptables-nft-restore";
            default -> "nft";
        };
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", layout.hostNamespace(), loader));
        if (loader.equals("nft")) {
            command.add("-f");
        }
        command.add(file.toString());
        ProcessRunner.run(command);
    }

    /**
     * UDP datagrams the server's sockets had no room for (RcvbufErrors of its namespace): they
     * crossed the datapath, so they are not a datapath's loss.
     */
    long socketDrops() {
        List<String> udp = ProcessRunner.run(List.of("ip", "netns", "exec", namespace(SERVER), "cat", "/proc/net/snmp"))
                .lines().filter(l -> l.startsWith("Udp:")).toList();
        List<String> names = List.of(udp.get(0).split("\\s+"));
        return Long.parseLong(udp.get(1).split("\\s+")[names.indexOf("RcvbufErrors")]);
    }

    /** Starts the servers anew: after a failed run a server may still be busy with it. */
    void restartServers() throws Exception {
        List<List<String>> commands = new ArrayList<>(serverCommands);
        List<String> namespaces = new ArrayList<>(serverNamespaces);
        stopServers();
        for (int i = 0; i < commands.size(); i++) {
            serve(namespaces.get(i), commands.get(i));
        }
    }

    private void stopServers() throws InterruptedException {
        for (Process p : servers) {
            p.destroy();
            p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        servers.clear();
        serverCommands.clear();
        serverNamespaces.clear();
    }

    /** Starts an iperf3 server in the server container; it serves every test until close. */
    void startServer(int port) throws Exception {
        serve(namespace(SERVER), List.of("iperf3", "-s", "-p", Integer.toString(port)));
    }

    /** Starts an iperf3 server in the lab's outside (the far end of the uplink). */
    void startOutsideServer(int port) throws Exception {
        serve(namespace(OUTSIDE), List.of("iperf3", "-s", "-p", Integer.toString(port)));
    }

    /** Starts a sockperf server (TCP) in the server container, for {@link #sockperfUsec}. */
    void startSockperfServer() throws Exception {
        serve(namespace(SERVER), List.of("taskset", "-c", LATENCY_CPU, "sockperf", "server", "--tcp", "-i", SERVER_IP, "-p",
                Integer.toString(SOCKPERF_PORT)));
    }

    /** Runs a server in a namespace until close, once it listens on its TCP port (the last argument). */
    private void serve(String namespace, List<String> command) throws Exception {
        serverCommands.add(command);
        serverNamespaces.add(namespace);
        servers.add(start(namespace, command, "server-" + serverCommands.size()));
        awaitListening(namespace, command.get(command.size() - 1));
    }

    private Process start(String namespace, List<String> command, String log) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        argv.addAll(command);
        return new ProcessBuilder(argv).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve(log + ".log").toFile()).start();
    }

    private void awaitListening(String namespace, String port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (ProcessRunner.run(List.of("ip", "netns", "exec", namespace, "ss", "-ltnH")).contains(":" + port + " ")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("nothing listens on port " + port + " in " + namespace);
    }

    /**
     * NetPIPE's sweep from a container to the server: message size to one-way latency in
     * microseconds (half the round trip), {@code repeats} round trips per size. Its receiver
     * serves one run and must be given the same sizes, so each run starts one.
     */
    java.util.SortedMap<Integer, Double> netpipeUsec(String from, int smallest, int largest, int repeats) throws Exception {
        List<String> sizes = List.of("-l", Integer.toString(smallest), "-u", Integer.toString(largest), "-p", "0", "-n",
                Integer.toString(repeats));
        List<String> receiverArgs = new ArrayList<>(List.of("taskset", "-c", LATENCY_CPU, "NPtcp"));
        receiverArgs.addAll(sizes);
        Process receiver = start(namespace(SERVER), receiverArgs, "nptcp-receiver");
        try {
            awaitListening(namespace(SERVER), "5002");
            Path out = home.resolve("np.out");
            Files.deleteIfExists(out);
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace(from), "taskset", "-c", LATENCY_CPU, "NPtcp", "-h", SERVER_IP,
                    "-o", out.toString()));
            command.addAll(sizes);
            ProcessRunner.Result result = ProcessRunner.capture(command);
            if (result.status() != 0 || !Files.exists(out)) {
                throw new IllegalStateException("NPtcp: " + result.err().trim() + " " + result.out().trim());
            }
            return LatencyReports.parse(Files.readString(out));
        } finally {
            receiver.destroy();
            receiver.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** sockperf ping-pong (TCP) from a container to the server: its one-way latency (half the round trip) in usec. */
    double sockperfUsec(String from, int size, int seconds) {
        ProcessRunner.Result result = ProcessRunner.capture(List.of("ip", "netns", "exec", namespace(from), "taskset", "-c", LATENCY_CPU, "sockperf",
                "ping-pong", "--tcp", "-i", SERVER_IP, "-p", Integer.toString(SOCKPERF_PORT), "-t",
                Integer.toString(seconds), "-m", Integer.toString(size)));
        return LatencyReports.sockperfLatency(result.out() + result.err());
    }

    /** The same, its median (p50) instead of its mean: one slow round trip moves a mean far. */
    double sockperfMedianUsec(String from, int size, int seconds) {
        ProcessRunner.Result result = ProcessRunner.capture(List.of("ip", "netns", "exec", namespace(from), "taskset", "-c", LATENCY_CPU, "sockperf",
                "ping-pong", "--tcp", "-i", SERVER_IP, "-p", Integer.toString(SOCKPERF_PORT), "-t",
                Integer.toString(seconds), "-m", Integer.toString(size)));
        return LatencyReports.sockperfMedian(result.out() + result.err());
    }

    /** What a flood sent, and for how long. */
    record Flood(long sent, double seconds) {
    }

    /** The sources of the forwarded flood: random in 10.3.0.0/16, which no benchmark rule covers. */
    static final String FORWARDED_SOURCES = "10.3.0.0/16";
    /** The sources of the dropped flood: random in 10.1.0.0/16, which the last rule drops. */
    static final String DROPPED_SOURCES = "10.1.0.0/16";

    /**
     * 64-byte frames (UDP, 18 bytes of payload) from a container to the server, made by trafgen
     * (netsniff-ng), one process, for the given time: random source addresses in {@code sources}
     * (a /16) and random source ports, so rule maps see a new key for nearly every packet, as with
     * real traffic; the IP checksum is right. Routed: the frames go to the gateway's MAC.
     */
    Flood flood(String from, String sources, int port, double seconds) throws Exception {
        Cidr net = Cidr.parse(sources);
        int[] a = octets(net.network().bits());
        int[] s = octets(Ipv4.parse(SERVER_IP).bits());
        String bridge = base.containers().get(from).bridge();
        String config = "{\n  " + mac(gatewayMac(bridge)) + ",\n  0x02, 0x00, 0x00, 0x00, 0x00, 0x01,\n  0x08, 0x00,\n"
                + "  0x45, 0x00, const16(46), drnd(2), const16(0x4000), 64, 17, csumip(14, 33),\n"
                + "  " + a[0] + ", " + a[1] + ", drnd(2),\n"
                + "  " + s[0] + ", " + s[1] + ", " + s[2] + ", " + s[3] + ",\n"
                + "  drnd(2), const16(" + port + "), const16(26), const16(0),\n  fill(0x00, 18)\n}\n";
        Path file = home.resolve("flood.cfg");
        Files.writeString(file, config);
        long start = System.nanoTime();
        // one process (-P 1): with a fork per CPU, a veth whose peer runs native XDP pushes back and
        // both forks spin, leaving no CPU to drain it (and a fork outlives the timeout's signals);
        // -Q: leave IRQ affinity alone; KILL if INT does not end it
        ProcessRunner.Result result = ProcessRunner.capture(List.of("timeout", "-k", "3", "-s", "INT",
                String.format(java.util.Locale.ROOT, "%.2f", seconds), "ip", "netns", "exec", namespace(from), "trafgen",
                "--dev", TargetLayout.CONTAINER_DEVICE, "--conf", file.toString(), "-P", "1", "-Q"));
        double took = (System.nanoTime() - start) / 1e9;
        java.util.regex.Matcher sent = java.util.regex.Pattern.compile("([0-9]+) packets outgoing")
                .matcher(result.out() + result.err());
        long packets = 0;
        while (sent.find()) {
            packets += Long.parseLong(sent.group(1));
        }
        if (packets == 0) {
            throw new IllegalStateException("trafgen sent nothing: " + (result.out() + result.err()).strip());
        }
        return new Flood(packets, took);
    }

    private static int[] octets(int bits) {
        return new int[] {bits >>> 24, (bits >>> 16) & 0xff, (bits >>> 8) & 0xff, bits & 0xff};
    }

    private static String mac(String text) {
        return "0x" + text.replace(":", ", 0x");
    }

    /** The bridge's MAC in the host namespace: where a container sends what it routes. */
    private String gatewayMac(String bridge) throws IOException {
        return Json.MAPPER.readTree(ProcessRunner.run(TargetLayout.ip(layout.hostNamespace(), "-j", "link", "show",
                "dev", bridge))).path(0).path("address").asText();
    }

    /** Packets the rules at a container's attach point dropped so far (xnet's hook counters). */
    long droppedAt(String container) throws IOException {
        return target.counters().attachPoints().stream().filter(p -> p.attachPoint().equals(container))
                .mapToLong(xnet.session.CounterSnapshot.PointCount::dropped).sum();
    }

    /** Packets a container's eth0 has received (what crossed the datapath to it). */
    long receivedBy(String container) {
        return rxPackets(namespace(container), TargetLayout.CONTAINER_DEVICE);
    }

    /** Packets the host has received from a container (its host-side veth): what entered the datapath. */
    long receivedFrom(String container) {
        return rxPackets(layout.hostNamespace(), TargetLayout.hostVeth(container));
    }

    private static long rxPackets(String namespace, String device) {
        try {
            JsonNode link = Json.MAPPER.readTree(ProcessRunner.run(TargetLayout.ip(namespace, "-s", "-j", "link", "show",
                    "dev", device))).path(0);
            return link.path("stats64").path("rx").path("packets").asLong();
        } catch (IOException e) {
            throw new IllegalStateException("read counters of " + device + ": " + e.getMessage(), e);
        }
    }

    /** iperf3's JSON report of a run from a container to the server; extra arguments as iperf3 takes them. */
    JsonNode iperf(String from, int port, int seconds, String... extra) throws Exception {
        return iperfTo(from, SERVER_IP, port, seconds, extra);
    }

    private JsonNode iperfTo(String from, String address, int port, int seconds, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace(from), "iperf3", "-c", address,
                "-p", Integer.toString(port), "-t", Integer.toString(seconds), "-J"));
        command.addAll(List.of(extra));
        ProcessRunner.Result result = ProcessRunner.capture(command);
        JsonNode report = Json.MAPPER.readTree(result.out().isBlank() ? "{}" : result.out());
        if (result.status() != 0 || report.has("error")) {
            throw new IllegalStateException("iperf3: " + (report.has("error") ? report.get("error").asText()
                    : result.err().trim()));
        }
        return report;
    }

    /** TCP throughput in Gbit/s, 16 KiB writes (the study's netperf message size). */
    double tcpGbps(String from, int port, int seconds) throws Exception {
        return iperf(from, port, seconds, "-l", "16K").path("end").path("sum_received").path("bits_per_second")
                .asDouble() / 1e9;
    }

    /** TCP throughput in Gbit/s to an address, with writes of the given size (iperf3's -l: 16K, 128K). */
    double tcpGbps(String from, String address, int port, int seconds, String write) throws Exception {
        return iperfTo(from, address, port, seconds, "-l", write).path("end").path("sum_received").path("bits_per_second")
                .asDouble() / 1e9;
    }

    /** The rules at tc (map strategy) with the fast path on. */
    void loadWithFastPath(List<FilterRule> rules) throws Exception {
        loadXnet(Dataplane.XNET_TC_MAP, Dataplane.XNET_TC_MAP.datapath().withFastpath(true), rules);
    }

    /** The rules at xdp (map strategy) in native mode: in the veth driver, before any sk_buff. */
    void loadNativeXdp(List<FilterRule> rules) throws Exception {
        Datapath generic = Dataplane.XNET_XDP_MAP.datapath();
        loadXnet(Dataplane.XNET_XDP_MAP, new Datapath(generic.hook(), Datapath.XdpMode.NATIVE, generic.strategy(), null),
                rules);
    }

    private void loadXnet(Dataplane kind, Datapath datapath, List<FilterRule> rules) throws Exception {
        clear(kind);
        commit(base.withFilters(rules).withDatapath(datapath));
        loaded = kind;
    }

    /** Commits a config to the lab's own target (the swap-loss experiment alternates two). */
    void commitRules(Dataplane dataplane, List<FilterRule> rules) throws Exception {
        commit(base.withFilters(rules).withDatapath(dataplane.datapath()));
        loaded = dataplane;
    }

    /** A `monitor drops` on the lab while it is open, its events taken as fast as they come. */
    Drain monitorDrops() throws Exception {
        return new Drain(target.monitor(java.util.EnumSet.of(xnet.session.DatapathEvent.Kind.DROP)));
    }

    /** Reads a monitor's events on a thread of its own, counting them, until closed. */
    static final class Drain implements AutoCloseable {
        private final xnet.session.EventFeed feed;
        private final Thread reader;
        private final java.util.concurrent.atomic.AtomicLong events = new java.util.concurrent.atomic.AtomicLong();
        private volatile boolean stop;

        Drain(xnet.session.EventFeed feed) {
            this.feed = feed;
            this.reader = new Thread(() -> {
                try {
                    while (!stop) {
                        events.addAndGet(feed.next(100).size());
                    }
                } catch (InterruptedException ended) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-monitor");
            reader.setDaemon(true);
            reader.start();
        }

        String summary() {
            return events.get() + " events read, " + feed.suppressed() + " suppressed";
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            reader.join(5_000);
            feed.close();
        }
    }

    @Override
    public void close() throws Exception {
        stopServers();
        for (TargetService t : layout == serverLayout ? List.of(target) : List.of(target, serverTarget)) {
            t.destroy();
        }
        removeTree(home);
    }

    /** A bench's temporary home, with everything in it. */
    static void removeTree(java.nio.file.Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

}
