package xnet.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What the kernel really holds, read with iproute2, for tests that check more than the model. */
final class Kernel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Kernel() {
    }

    static List<String> namespaces(String prefix) throws Exception {
        Path dir = Path.of("/run/netns");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        }
    }

    static String sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** Starts COMMAND in namespace NS, its output in a new file under {@code logs}; stop it with {@link #stop}. */
    static Process background(Path logs, String ns, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile(logs, "server", ".log").toFile()).start();
    }

    /** Stops processes a test started (servers in the lab's namespaces), each by its own handle. */
    static void stop(List<Process> processes) throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * From namespace {@code ns}: a UDP datagram to a closed port, on a connected socket. "refused"
     * when the ICMP(v6) port unreachable came back and matched the socket (translated right, when
     * it crossed NAT), "timeout" when nothing did.
     */
    static String udpAnswer(String ns, String address, int port) throws Exception {
        return sh("ip", "netns", "exec", ns, "python3", "-c", UDP_ANSWER, address, Integer.toString(port)).trim();
    }

    private static final String UDP_ANSWER = """
            import socket, sys
            s = socket.socket(socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(2)
            s.connect((sys.argv[1], int(sys.argv[2])))
            s.send(b'x')
            try:
                s.recv(16)
                print('answer')
            except ConnectionRefusedError:
                print('refused')
            except socket.timeout:
                print('timeout')
            """;

    static int status(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        return p.exitValue();
    }

    /**
     * Every namespace of the lab with its links (name, admin state, master), IPv4 addresses and
     * routes. Interface indexes and MAC addresses are left out: a link that was deleted and made
     * again during an undo has new ones but is the same configuration.
     */
    static TreeMap<String, List<String>> snapshot(String lab) throws Exception {
        TreeMap<String, List<String>> state = new TreeMap<>();
        for (String ns : namespaces("xnet." + lab + ".")) {
            List<String> lines = new ArrayList<>();
            for (JsonNode link : JSON.readTree(sh("ip", "-n", ns, "-j", "link", "show"))) {
                boolean up = false;
                for (JsonNode flag : link.path("flags")) {
                    up |= flag.asText().equals("UP");
                }
                lines.add("link " + link.path("ifname").asText() + (up ? " up" : " down")
                        + (link.has("master") ? " master " + link.path("master").asText() : ""));
            }
            for (JsonNode link : JSON.readTree(sh("ip", "-n", ns, "-j", "-4", "addr", "show"))) {
                for (JsonNode addr : link.path("addr_info")) {
                    lines.add("addr " + link.path("ifname").asText() + " " + addr.path("local").asText() + "/"
                            + addr.path("prefixlen").asInt());
                }
            }
            for (JsonNode route : JSON.readTree(sh("ip", "-n", ns, "-j", "-4", "route", "show"))) {
                lines.add("route " + route.path("dst").asText() + " via " + route.path("gateway").asText("-")
                        + " dev " + route.path("dev").asText());
            }
            lines.sort(null);
            state.put(ns, lines);
        }
        return state;
    }

    /** Where xnet pins the BPF links and maps of a target. */
    static java.nio.file.Path pinRoot(xnet.plan.TargetLayout layout) {
        return java.nio.file.Path.of("/sys/fs/bpf/xnet", layout.name());
    }

    /** The program each pinned link of a lab runs, by link name ("v-web+tc" to a program id). */
    static TreeMap<String, Integer> linkPrograms(String lab) throws Exception {
        xnet.bpf.Bpf bpf = xnet.bpf.Bpf.load();
        TreeMap<String, Integer> programs = new TreeMap<>();
        java.nio.file.Path links = java.nio.file.Path.of("/sys/fs/bpf/xnet", lab, "links");
        try (var pins = java.nio.file.Files.list(links)) {
            for (java.nio.file.Path pin : pins.toList()) {
                int link = bpf.pinned(pin.toString());
                try {
                    programs.put(pin.getFileName().toString(), bpf.linkProgramId(link));
                } finally {
                    bpf.close(link);
                }
            }
        }
        return programs;
    }

    /**
     * The BPF objects a process holds open, by kind ("anon_inode:bpf-prog" to a count). Other
     * test classes load programs at the same time, so the kernel's whole list measures nothing
     * of one lab; an object a lab's daemon leaked would stay open in it (or pinned, or attached).
     */
    static TreeMap<String, Integer> bpfHeldBy(long pid) throws Exception {
        TreeMap<String, Integer> open = new TreeMap<>();
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + pid + "/fd"))) {
            for (java.nio.file.Path fd : fds.toList()) {
                try {
                    String target = java.nio.file.Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("anon_inode:bpf")) {
                        open.merge(target, 1, Integer::sum);
                    }
                } catch (java.io.IOException closedMeanwhile) {
                    // the listing's own fd, or one closed since
                }
            }
        }
        return open;
    }

    /**
     * Udp RcvbufErrors of a namespace (/proc/net/snmp): datagrams the datapath delivered that a
     * receiving socket had no room for, which a loss test must not blame on the datapath.
     */
    static long udpReceiveErrors(String namespace) throws Exception {
        List<String> udp = sh("ip", "netns", "exec", namespace, "cat", "/proc/net/snmp").lines()
                .filter(l -> l.startsWith("Udp:")).toList();
        List<String> names = List.of(udp.get(0).split("\\s+"));
        return Long.parseLong(udp.get(1).split("\\s+")[names.indexOf("RcvbufErrors")]);
    }
}
