package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A real container engine: Debian's containerd and runc, containers on a busybox-static root
 * file system, started with `ctr run --cni` in the lab's host namespace, so the CNI plugin ADDs
 * them to the lab's bridge through xnetd. containerd runs with its own root, state and
 * address; ctr reads CNI files from the fixed /etc/cni/net.d and /opt/cni/bin, which the test
 * binds (inside ctr's own mount namespace only) to the files `cni install` wrote in the test's
 * directory, so nothing is written to the machine's CNI directories.
 */
class ContainerdIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LAB = "itctr";
    private static final String HOST = "xnet." + LAB + ".host";
    private static final List<Path> CNI_DIRS = List.of(Path.of("/etc/cni/net.d"), Path.of("/opt/cni/bin"));

    private Xnet xnet;
    private Path dir;
    private Process containerd;
    private final List<Process> containers = new ArrayList<>();
    private final List<Path> madeDirs = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        xnet = new Xnet(LAB);
        dir = xnet.home.resolve("ctr");
        Files.createDirectories(dir);
        Xnet.Result setup = xnet.c("bridge add br1 10.0.1.0/24; commit; cni install --bridge br1 --bin-dir "
                + dir.resolve("bin") + " --conf-dir " + dir.resolve("net.d"));
        assertThat(setup.status()).as(setup.all()).isZero();
        for (Path cni : CNI_DIRS) {
            // mount points for ctr's private view; made (and removed) only if the machine lacks them
            for (Path p = cni; p != null && !Files.exists(p); p = p.getParent()) {
                madeDirs.add(0, p);
            }
            Files.createDirectories(cni);
        }
        Files.writeString(dir.resolve("config.toml"), "version = 2\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n");
        // nsenter, not `ip netns exec`: that one remounts /sys, and runc needs the cgroup mounts under it
        containerd = new ProcessBuilder("nsenter", "--net=/run/netns/" + HOST, "containerd", "--config",
                dir.resolve("config.toml").toString(),
                "--root", dir.resolve("root").toString(), "--state", dir.resolve("state").toString(),
                "--address", socket().toString()).redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile())
                .start();
        for (int i = 0; i < 200 && !Files.exists(socket()); i++) {
            Thread.sleep(50);
        }
        assertThat(socket()).as("containerd's socket").exists();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (String id : List.of("web", "client")) {
            if (containerd != null) {
                ctr("task", "kill", "-s", "KILL", id);
            }
        }
        for (Process container : containers) {
            if (!container.waitFor(20, TimeUnit.SECONDS)) {
                container.destroyForcibly().waitFor();
            }
        }
        if (containerd != null) {
            containerd.destroy();
            if (!containerd.waitFor(20, TimeUnit.SECONDS)) {
                containerd.destroyForcibly().waitFor();
            }
            Kernel.status("umount", "-R", dir.resolve("state").toString());
        }
        xnet.close();
        for (int i = madeDirs.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(madeDirs.get(i));
        }
    }

    private Path socket() {
        return dir.resolve("containerd.sock");
    }

    /** ctr in the lab's host namespace, seeing the test's CNI files at ctr's fixed paths. */
    private List<String> ctrCommand(String... args) {
        String binds = "mount --bind " + dir.resolve("net.d") + " /etc/cni/net.d && mount --bind " + dir.resolve("bin")
                + " /opt/cni/bin && exec ctr --address " + socket() + " \"$@\"";
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", HOST, "sh", "-c", binds, "ctr"));
        command.addAll(List.of(args));
        return command;
    }

    private Xnet.Result ctr(String... args) throws Exception {
        return xnet.exec(ctrCommand(args), Map.of(), null);
    }

    /** A root file system of busybox-static: /bin/busybox and its applets, and a page to serve. */
    private Path rootfs(String name) throws Exception {
        Path root = dir.resolve("rootfs-" + name);
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("www"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        for (String applet : Kernel.sh("/bin/busybox", "--list").split("\\s+")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
            }
        }
        Files.writeString(root.resolve("www/index.html"), "hello from " + name + "\n");
        return root;
    }

    private void run(String id, Path rootfs, String script) throws Exception {
        List<String> command = ctrCommand("run", "--rm", "--cni", "--env", "PATH=/bin", "--rootfs", rootfs.toString(),
                id, "/bin/sh", "-c", script);
        containers.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(id + ".log").toFile()).start());
    }

    private JsonNode containerCalled(String cniId) throws Exception {
        Process ctr = containers.get(containers.size() - 1);
        for (int i = 0; i < 200 && ctr.isAlive(); i++) {
            for (JsonNode c : JSON.readTree(xnet.c("container list --json").out())) {
                if (cniId.equals(c.at("/attached/cniId").asText())) {
                    return c;
                }
            }
            Thread.sleep(100);
        }
        String id = cniId.substring(cniId.indexOf('-') + 1);
        throw new AssertionError("container " + cniId + " never appeared; ctr says: " + Files.readString(dir.resolve(id + ".log")));
    }

    private void setPortMapping(boolean on) throws Exception {
        Path conflist = dir.resolve("net.d/10-xnet-br1.conflist");
        ObjectNode list = (ObjectNode) JSON.readTree(Files.readString(conflist));
        ObjectNode plugin = (ObjectNode) list.get("plugins").get(0);
        if (on) {
            // ctr has no -p: the mapping a runtime passes in runtimeConfig (capability portMappings)
            // is written where libcni passes it through unchanged
            plugin.putObject("runtimeConfig").putArray("portMappings").addObject()
                    .put("hostPort", 8080).put("containerPort", 80).put("protocol", "tcp");
        } else {
            plugin.remove("runtimeConfig");
        }
        Files.writeString(conflist, list.toString());
    }

    private long rulePackets(int rule) throws Exception {
        JsonNode counters = JSON.readTree(xnet.c("show counters --json").out());
        for (JsonNode r : counters.get("rules")) {
            if (r.get("id").asInt() == rule) {
                return r.get("packets").asLong();
            }
        }
        throw new AssertionError("no counter for rule " + rule + ": " + counters);
    }

    @Test
    void containersFromCtrGetAddressesRulesCountersAndPortMappingsAndLeaveNothingBehind() throws Exception {
        setPortMapping(true);
        run("web", rootfs("web"), "httpd -f -p 80 -h /www");
        // ctr names a container to CNI with its namespace: "default-web"
        JsonNode web = containerCalled("default-web");
        setPortMapping(false);
        run("client", rootfs("client"), "sleep 600");
        JsonNode client = containerCalled("default-client");
        String webIp = web.get("ip").asText();
        String clientIp = client.get("ip").asText();
        assertThat(webIp).startsWith("10.0.1.");
        assertThat(clientIp).startsWith("10.0.1.").isNotEqualTo(webIp);

        Xnet.Result ping = ctr("task", "exec", "--exec-id", "ping1", "client", "ping", "-c", "3", "-W", "2", webIp);
        assertThat(ping.status()).as(ping.all()).isZero();

        String page = "";
        for (int i = 0; i < 50 && !page.contains("hello"); i++) {
            page = xnet.c("exec outside -- curl -s -m 2 http://10.0.0.1:8080/").out();
            Thread.sleep(100);
        }
        assertThat(page).as("the port mapping reaches httpd in the web container").contains("hello from web");

        Xnet.Result drop = xnet.c("filter add drop from " + clientIp + "; commit");
        assertThat(drop.status()).as(drop.all()).isZero();
        long before = rulePackets(1);
        Xnet.Result blocked = ctr("task", "exec", "--exec-id", "ping2", "client", "ping", "-c", "5", "-W", "1", webIp);
        assertThat(blocked.status()).as("the rule stops the client").isNotZero();
        assertThat(rulePackets(1) - before).as("the rule counted what the client sent").isEqualTo(5);

        for (String id : List.of("web", "client")) {
            assertThat(ctr("task", "kill", "-s", "KILL", id).status()).isZero();
        }
        for (Process container : containers) {
            assertThat(container.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        String running = xnet.c("show running").out();
        assertThat(running).doesNotContain("cni-").doesNotContain("8080");
        assertThat(Kernel.sh("ip", "-n", HOST, "-br", "link")).doesNotContain("v-cni-");
        Xnet.Result reused = xnet.c("container add again --bridge br1; show candidate");
        assertThat(reused.out()).as("the addresses are free again").contains("again      br1     10.0.1.2");
    }
}
