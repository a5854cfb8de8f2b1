package xnet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import xnet.bpf.BpfDatapath;
import xnet.kernel.LabDestroyer;
import xnet.kernel.ProcessRunner;
import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.plan.TargetLayout;
import xnet.session.PrepareHook;
import xnet.shell.Target;
import xnet.shell.Workspace;
import xnet.state.Json;

/**
 * A lab of the benchmark's own, never the user's: the study's single host (client on br1,
 * server on br2, routed by the host) plus a neighbour on the server's bridge (the bridged path).
 * It puts N rules on one dataplane at a time, with every other dataplane empty, runs iperf3
 * between the containers, and removes everything it made when closed.
 */
final class BenchLab implements AutoCloseable {

    static final String CLIENT = "client";
    static final String SERVER = "server";
    static final String NEIGHBOUR = "neighbour";
    static final String SERVER_IP = "10.0.2.2";

    private final TargetLayout layout;
    private final Path home;
    private final Target target;
    private final Config base;
    private final List<Process> servers = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private Dataplane loaded;

    BenchLab(String name, Path root) throws Exception {
        layout = TargetLayout.lab(name);
        LabDestroyer.destroy(layout);
        BpfDatapath.unpinAll(layout);
        home = Files.createTempDirectory("xnet-bench-" + name);
        target = new Target(layout, new Workspace(home, root), PrepareHook.NONE);
        base = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
                .withBridge(new Bridge("br2", Cidr.parse("10.0.2.0/24")))
                .withContainer(new Container(CLIENT, "br1", Ipv4.parse("10.0.1.2")))
                .withContainer(new Container(SERVER, "br2", Ipv4.parse(SERVER_IP)))
                .withContainer(new Container(NEIGHBOUR, "br2", Ipv4.parse("10.0.2.3")));
        commit(base);
    }

    String namespace(String container) {
        return layout.containerNamespace(container);
    }

    private void commit(Config config) throws Exception {
        target.session().replaceCandidate(config);
        target.commits().commit(target.session(), "bench");
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

    /** Starts iperf3 servers anew: after a failed run a server may still be busy with it. */
    void restartServers() throws Exception {
        List<Integer> ports = new ArrayList<>(this.ports);
        for (Process p : servers) {
            p.destroy();
            p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        servers.clear();
        this.ports.clear();
        for (int port : ports) {
            startServer(port);
        }
    }

    /** Starts an iperf3 server in the server container; it serves every test until close. */
    void startServer(int port) throws Exception {
        ports.add(port);
        Process server = new ProcessBuilder("ip", "netns", "exec", namespace(SERVER), "iperf3", "-s", "-p",
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(home.resolve("iperf3-" + port + ".log")
                .toFile()).start();
        servers.add(server);
        for (int i = 0; i < 100; i++) {
            if (ProcessRunner.run(List.of("ip", "netns", "exec", namespace(SERVER), "ss", "-ltnH")).contains(":" + port)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("iperf3 does not listen on port " + port + " in " + namespace(SERVER));
    }

    /** iperf3's JSON report of a run from a container to the server; extra arguments as iperf3 takes them. */
    JsonNode iperf(String from, int port, int seconds, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace(from), "iperf3", "-c", SERVER_IP,
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

    /** Commits a config to the lab's own target (the swap-loss experiment alternates two). */
    void commitRules(Dataplane dataplane, List<FilterRule> rules) throws Exception {
        commit(base.withFilters(rules).withDatapath(dataplane.datapath()));
        loaded = dataplane;
    }

    @Override
    public void close() throws Exception {
        for (Process p : servers) {
            p.destroy();
            p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        LabDestroyer.destroy(layout);
        BpfDatapath.unpinAll(layout);
        try (var paths = Files.walk(home)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

}
