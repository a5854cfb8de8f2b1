package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The installed xnet-cni called as a runtime calls it (CNI_* environment, the network
 * configuration on stdin, the result or error JSON on stdout): ADD, CHECK, DEL, DEL again,
 * VERSION, STATUS, GC, port mappings, bad input, a missing namespace, a stopped daemon, and 20
 * ADDs at once. The namespaces are the test's own (`ip netns add`), as a runtime's would be.
 */
class CniPluginIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LAB = "itcni";

    private Xnet xnet;
    private Path bin;
    private Path conf;
    private final List<String> namespaces = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        xnet = new Xnet(LAB);
        bin = xnet.home.resolve("bin");
        conf = xnet.home.resolve("net.d");
        Xnet.Result setup = xnet.c("bridge add br1 10.0.1.0/24; commit; cni install --bridge br1 --bin-dir " + bin
                + " --conf-dir " + conf);
        assertThat(setup.status()).as(setup.all()).isZero();
        assertThat(setup.out()).contains("wrote " + bin.resolve("xnet-cni"), "wrote " + conf.resolve("10-xnet-br1.conflist"));
    }

    @AfterEach
    void tearDown() throws Exception {
        xnet.close();
        for (String ns : namespaces) {
            Kernel.status("ip", "netns", "del", ns);
        }
    }

    private String netns(String name) throws Exception {
        String ns = LAB + "-" + name;
        if (Kernel.status("ip", "netns", "pids", ns) == 0) {
            Kernel.sh("ip", "netns", "del", ns);
        }
        Kernel.sh("ip", "netns", "add", ns);
        namespaces.add(ns);
        return "/run/netns/" + ns;
    }

    /** The plugin's configuration as a runtime hands it over: the conflist's plugin with name and version. */
    private ObjectNode config(String version) throws Exception {
        JsonNode list = JSON.readTree(Files.readString(conf.resolve("10-xnet-br1.conflist")));
        ObjectNode plugin = (ObjectNode) list.get("plugins").get(0).deepCopy();
        plugin.put("name", list.get("name").asText()).put("cniVersion", version);
        return plugin;
    }

    private Xnet.Result call(String command, String id, String netns, String stdin) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("CNI_COMMAND", command, "CNI_IFNAME", "eth0",
                "CNI_PATH", bin + ":/usr/lib/cni"));
        if (id != null) {
            env.put("CNI_CONTAINERID", id);
        }
        if (netns != null) {
            env.put("CNI_NETNS", netns);
        }
        return xnet.exec(List.of(bin.resolve("xnet-cni").toString()), env, stdin);
    }

    private static int code(Xnet.Result result) throws Exception {
        assertThat(result.status()).as(result.all()).isNotZero();
        return JSON.readTree(result.out()).get("code").asInt();
    }

    @Test
    void addCheckDelAndDelAgainWithAPortMappingToAWebServer() throws Exception {
        String netns = netns("web");
        ObjectNode add = config("1.0.0");
        add.putObject("runtimeConfig").putArray("portMappings").addObject()
                .put("hostPort", 8080).put("containerPort", 80).put("protocol", "tcp");
        Xnet.Result added = call("ADD", "web1", netns, add.toString());
        assertThat(added.status()).as(added.all()).isZero();
        JsonNode result = JSON.readTree(added.out());
        assertThat(result.get("cniVersion").asText()).isEqualTo("1.0.0");
        assertThat(result.at("/ips/0/address").asText()).isEqualTo("10.0.1.2/24");
        assertThat(result.at("/ips/0/gateway").asText()).isEqualTo("10.0.1.1");
        assertThat(result.at("/interfaces/2/name").asText()).isEqualTo("eth0");
        assertThat(result.at("/interfaces/2/sandbox").asText()).isEqualTo(netns);
        assertThat(Kernel.sh("ip", "-n", LAB + "-web", "-br", "addr", "show", "eth0")).contains("10.0.1.2/24");
        assertThat(xnet.c("container list").out()).contains("cni-web1", "CNI web1 eth0");
        assertThat(xnet.c("show running").out()).contains("10.0.0.1:8080 -> 10.0.1.2:80");

        Process server = new ProcessBuilder("ip", "netns", "exec", LAB + "-web", "python3", "-m", "http.server", "80",
                "--directory", xnet.home.toString()).redirectErrorStream(true).redirectOutput(xnet.home.resolve("web.log").toFile()).start();
        try {
            Files.writeString(xnet.home.resolve("hello.txt"), "hello from a CNI container\n");
            String got = "";
            for (int i = 0; i < 50 && !got.contains("hello"); i++) {
                Thread.sleep(100);
                got = xnet.c("exec outside -- curl -s -m 2 http://10.0.0.1:8080/hello.txt").out();
            }
            assertThat(got).as("the port mapping reaches the web server").contains("hello from a CNI container");
        } finally {
            server.destroyForcibly().waitFor();
        }

        assertThat(call("CHECK", "web1", netns, config("1.0.0").toString()).status()).isZero();
        Xnet.Result deleted = call("DEL", "web1", netns, add.toString());
        assertThat(deleted.status()).as(deleted.all()).isZero();
        assertThat(Kernel.status("ip", "-n", LAB + "-web", "link", "show", "eth0")).as("the veth is gone").isNotZero();
        assertThat(xnet.c("show running").out()).doesNotContain("8080").doesNotContain("cni-web1");
        assertThat(call("DEL", "web1", netns, add.toString()).status()).as("DEL again").isZero();
        assertThat(call("DEL", "web1", null, add.toString()).status()).as("DEL without a namespace").isZero();
        assertThat(code(call("CHECK", "web1", netns, config("1.0.0").toString()))).as("CHECK after DEL").isEqualTo(3);
        Kernel.sh("ip", "netns", "del", LAB + "-web");
        assertThat(call("DEL", "web1", netns, add.toString()).status()).as("DEL after the namespace is gone").isZero();
    }

    /**
     * An ADD that changes no rule attaches the programs already running to the new veth (no
     * compile, no load), and their rules and counters hold for the new container at once.
     */
    @Test
    void anAddJoinsTheRunningProgramsAndTheirRules() throws Exception {
        assertThat(xnet.c("filter add drop from 10.0.1.0/24 to 10.0.0.2; commit").status()).isZero();
        String first = netns("r1");
        assertThat(call("ADD", "r1", first, config("1.0.0").toString()).status()).isZero();
        java.util.TreeMap<String, Integer> before = Kernel.linkPrograms(LAB);
        String second = netns("r2");
        Xnet.Result added = call("ADD", "r2", second, config("1.0.0").toString());
        assertThat(added.status()).as(added.all()).isZero();
        java.util.TreeMap<String, Integer> after = Kernel.linkPrograms(LAB);
        assertThat(after).containsAllEntriesOf(before).containsKey("v-cni-r2+tc");
        assertThat(after.get("v-cni-r2+tc")).as("the running program, not a new one").isEqualTo(before.get("v-cni-r1+tc"));
        assertThat(Kernel.status("ip", "netns", "exec", LAB + "-r2", "ping", "-c", "1", "-W", "1", "10.0.1.1")).isZero();
        assertThat(Kernel.status("ip", "netns", "exec", LAB + "-r2", "ping", "-c", "4", "-i", "0.2", "-W", "1", "10.0.0.2"))
                .as("the rule drops the new container's pings").isNotZero();
        JsonNode rules = JSON.readTree(xnet.c("show counters --json").out()).get("rules");
        assertThat(rules.get(0).get("packets").asLong()).isEqualTo(4);
    }

    /** An IPAM plugin named in the configuration (Debian's host-local) hands out the address, and gets it back on DEL. */
    @Test
    void addressesFromAnIpamPlugin() throws Exception {
        String netns = netns("ipam");
        ObjectNode conf = config("1.0.0");
        ObjectNode range = conf.putObject("ipam").put("type", "host-local")
                .put("dataDir", xnet.home.resolve("ipam").toString())
                .putArray("ranges").addArray().addObject();
        range.put("subnet", "10.0.1.0/24").put("rangeStart", "10.0.1.100").put("gateway", "10.0.1.1");
        Xnet.Result added = call("ADD", "i1", netns, conf.toString());
        assertThat(added.status()).as(added.all()).isZero();
        assertThat(JSON.readTree(added.out()).at("/ips/0/address").asText()).isEqualTo("10.0.1.100/24");
        Path lease = xnet.home.resolve("ipam/xnet-br1/10.0.1.100");
        assertThat(lease).exists();
        assertThat(Kernel.sh("ip", "-n", LAB + "-ipam", "-br", "addr", "show", "eth0")).contains("10.0.1.100/24");
        assertThat(call("DEL", "i1", netns, conf.toString()).status()).isZero();
        assertThat(lease).as("host-local released it").doesNotExist();
    }

    /**
     * A dual-stack bridge: `cni install --ipam host-local` gives the IPAM plugin a range of each
     * family, the container gets both addresses, and a port mapping with hostIP "::" serves its
     * web server at the uplink's IPv6 address; DEL gives both leases back.
     */
    @Test
    void ipv6FromAnIpamPluginAndAnIpv6PortMapping() throws Exception {
        Xnet.Result setup = xnet.c("bridge add br6 10.0.6.0/24 fd00:6::/64; commit; cni install --bridge br6 --ipam"
                + " host-local --bin-dir " + bin + " --conf-dir " + conf);
        assertThat(setup.status()).as(setup.all()).isZero();
        JsonNode list = JSON.readTree(Files.readString(conf.resolve("10-xnet-br6.conflist")));
        ObjectNode plugin = (ObjectNode) list.get("plugins").get(0).deepCopy();
        plugin.put("name", list.get("name").asText()).put("cniVersion", "1.0.0");
        assertThat(plugin.at("/ipam/ranges/1/0/subnet").asText()).as("the IPv6 range").isEqualTo("fd00:6::/64");
        ((ObjectNode) plugin.get("ipam")).put("dataDir", xnet.home.resolve("ipam6").toString());
        plugin.putObject("runtimeConfig").putArray("portMappings").addObject()
                .put("hostPort", 8086).put("containerPort", 80).put("protocol", "tcp").put("hostIP", "::");
        String netns = netns("six");
        Xnet.Result added = call("ADD", "six1", netns, plugin.toString());
        assertThat(added.status()).as(added.all()).isZero();
        List<String> addresses = new ArrayList<>();
        JSON.readTree(added.out()).get("ips").forEach(ip -> addresses.add(ip.get("address").asText()));
        assertThat(addresses).as(added.out()).containsExactlyInAnyOrder("10.0.6.2/24", "fd00:6::2/64");
        assertThat(xnet.home.resolve("ipam6/xnet-br6/fd00:6::2")).as("host-local's IPv6 lease").exists();
        assertThat(Kernel.sh("ip", "-n", LAB + "-six", "-6", "addr", "show", "eth0")).contains("fd00:6::2/64");
        assertThat(xnet.c("nat list").out()).contains("[fd00::a00:1]:8086", "[fd00:6::2]:80");

        Process server = new ProcessBuilder("ip", "netns", "exec", LAB + "-six", "python3", "-m", "http.server", "80",
                "--bind", "::", "--directory", xnet.home.toString()).redirectErrorStream(true)
                .redirectOutput(xnet.home.resolve("six.log").toFile()).start();
        try {
            Files.writeString(xnet.home.resolve("hello6.txt"), "hello over IPv6\n");
            String got = "";
            for (int i = 0; i < 50 && !got.contains("hello"); i++) {
                Thread.sleep(100);
                got = xnet.c("exec outside -- curl -s -g -m 2 http://[fd00::a00:1]:8086/hello6.txt").out();
            }
            assertThat(got).as("the IPv6 port mapping reaches the web server").contains("hello over IPv6");
        } finally {
            server.destroyForcibly().waitFor();
        }
        assertThat(call("DEL", "six1", netns, plugin.toString()).status()).isZero();
        assertThat(xnet.home.resolve("ipam6/xnet-br6/fd00:6::2")).as("host-local released it").doesNotExist();
        assertThat(xnet.c("nat list").out()).doesNotContain("8086");
    }

    @Test
    void versionStatusGcAndTheErrorCodes() throws Exception {
        Xnet.Result version = call("VERSION", null, null, config("1.1.0").toString());
        assertThat(version.status()).isZero();
        assertThat(JSON.readTree(version.out()).get("supportedVersions").toString()).contains("1.0.0", "1.1.0");
        assertThat(call("STATUS", null, null, config("1.1.0").toString()).status()).isZero();

        String a = netns("a");
        String b = netns("b");
        assertThat(call("ADD", "a", a, config("1.1.0").toString()).status()).isZero();
        assertThat(call("ADD", "b", b, config("1.1.0").toString()).status()).isZero();
        ObjectNode gc = config("1.1.0");
        gc.putArray("cni.dev/valid-attachments").addObject().put("containerID", "a").put("ifname", "eth0");
        Xnet.Result collected = call("GC", null, null, gc.toString());
        assertThat(collected.status()).as(collected.all()).isZero();
        assertThat(xnet.c("container list").out()).contains("cni-a").doesNotContain("cni-b");
        assertThat(Kernel.status("ip", "-n", LAB + "-b", "link", "show", "eth0")).isNotZero();

        assertThat(code(call("ADD", "x", a, "{not json"))).isEqualTo(6);
        assertThat(code(call("ADD", "x", a, config("0.1.0").toString()))).isEqualTo(1);
        assertThat(code(call("ADD", "x", a, config("1.0.0").put("bridge", "nope").toString()))).isEqualTo(7);
        assertThat(code(call("ADD", "x", "/run/netns/" + LAB + "-missing", config("1.0.0").toString()))).isEqualTo(4);
        assertThat(code(call("ADD", "x", null, config("1.0.0").toString()))).isEqualTo(4);

        xnet.stopDaemon();
        assertThat(code(call("ADD", "c", b, config("1.0.0").toString()))).as("no daemon: try again later").isEqualTo(11);
        assertThat(code(call("STATUS", null, null, config("1.1.0").toString()))).as("no daemon: not available").isEqualTo(50);
        assertThat(call("VERSION", null, null, config("1.1.0").toString()).status()).isZero();
        assertThat(xnet.c("container list").out()).as("the next client starts the daemon").contains("cni-a");
    }

    @Test
    void twentyParallelAddsGetTwentyAddresses() throws Exception {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            paths.add(netns("p" + i));
        }
        String config = config("1.0.0").toString();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Xnet.Result>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = "p" + i;
                String path = paths.get(i);
                calls.add(pool.submit(() -> call("ADD", id, path, config)));
            }
            Set<String> addresses = new HashSet<>();
            for (Future<Xnet.Result> call : calls) {
                Xnet.Result result = call.get();
                assertThat(result.status()).as(result.all()).isZero();
                addresses.add(JSON.readTree(result.out()).at("/ips/0/address").asText());
            }
            assertThat(addresses).hasSize(20);
            for (int i = 0; i < 20; i++) {
                assertThat(Kernel.sh("ip", "-n", LAB + "-p" + i, "-br", "addr", "show", "eth0")).contains("10.0.1.");
            }
            assertThat(Kernel.status("ip", "netns", "exec", LAB + "-p0", "ping", "-c", "1", "-W", "2",
                    JSON.readTree(calls.get(19).get().out()).at("/ips/0/address").asText().replace("/24", ""))).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
