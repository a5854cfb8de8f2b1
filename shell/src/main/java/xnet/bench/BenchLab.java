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

    /**
     * Sends 64-byte frames (UDP, 18 bytes of payload) from a container to the server for the
     * given time, as fast as one thread can, from a socket opened in the container's namespace.
     * No answer is needed, so it also sends into a drop rule (iperf3 cannot). Nothing listens on
     * the port: the server's "port unreachable" answers (rate-limited by its kernel) come back
     * as exceptions on the connected socket and are ignored.
     */
    Flood flood(String from, int port, double seconds) {
        return xnet.bpf.Bpf.load().inNamespace(namespace(from), () -> {
            try (java.nio.channels.DatagramChannel channel = java.nio.channels.DatagramChannel.open()) {
                channel.connect(new java.net.InetSocketAddress(SERVER_IP, port));
                java.nio.ByteBuffer payload = java.nio.ByteBuffer.allocateDirect(18);
                long start = System.nanoTime();
                long end = start + (long) (seconds * 1e9);
                long sent = 0;
                long now;
                while ((now = System.nanoTime()) < end) {
                    for (int i = 0; i < 256; i++) {
                        payload.rewind();
                        try {
                            sent += channel.write(payload) > 0 ? 1 : 0;
                        } catch (java.net.PortUnreachableException answered) {
                            // the server's ICMP answer to an earlier datagram; this one was not sent
                        }
                    }
                }
                return new Flood(sent, (now - start) / 1e9);
            }
        });
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
        clear(Dataplane.XNET_TC_MAP);
        commit(base.withFilters(rules).withDatapath(Dataplane.XNET_TC_MAP.datapath().withFastpath(true)));
        loaded = Dataplane.XNET_TC_MAP;
    }

    /** Commits a config to the lab's own target (the swap-loss experiment alternates two). */
    void commitRules(Dataplane dataplane, List<FilterRule> rules) throws Exception {
        commit(base.withFilters(rules).withDatapath(dataplane.datapath()));
        loaded = dataplane;
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
