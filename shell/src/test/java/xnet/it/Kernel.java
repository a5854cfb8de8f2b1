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
     * In namespace {@code ns}, for 5 s: the first "fragmentation needed" (ICMP 3/4), or with
     * {@code own6} (the namespace's IPv6 address, for the pseudo-header) the first "packet too big"
     * (ICMPv6 2), as "FROM QUOTED_SRC:QUOTED_SPORT QUOTED_DST ok|bad-checksum" (ICMP's checksum and
     * the quoted IPv4 header's, or ICMPv6's), else "none". Started when its first line, "ready", is read.
     */
    static java.io.BufferedReader icmpErrorSeen(List<Process> started, String ns, String own6) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns, "python3", "-c",
                ICMP_ERROR_SEEN));
        if (own6 != null) {
            command.add(own6);
        }
        Process seen = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(seen);
        java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(seen.getInputStream()));
        if (!"ready".equals(lines.readLine())) {
            throw new IllegalStateException("the ICMP listener in " + ns + " did not start");
        }
        return lines;
    }

    private static final String ICMP_ERROR_SEEN = """
            import socket, struct, sys, time
            def csum(b):
                if len(b) % 2:
                    b += b'\\0'
                s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
                s = (s >> 16) + (s & 0xffff)
                return (s + (s >> 16)) & 0xffff
            v6 = len(sys.argv) > 1
            n6 = lambda x: socket.inet_ntop(socket.AF_INET6, x)
            r = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_RAW,
                              socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
            r.settimeout(0.5)
            print('ready', flush=True)
            end = time.time() + 5
            while time.time() < end:
                try:
                    m, sender = r.recvfrom(2048)
                except socket.timeout:
                    continue
                if not v6:
                    m = m[(m[0] & 15) * 4:]
                if (m[0], m[1]) != ((2, 0) if v6 else (3, 4)):
                    continue
                q = m[8:]
                if v6:
                    pseudo = socket.inet_pton(socket.AF_INET6, sender[0]) + socket.inet_pton(socket.AF_INET6, sys.argv[1])
                    good = csum(pseudo + struct.pack('!IxxxB', len(m), 58) + m) == 0xffff
                    quote = n6(q[8:24]) + ':' + str(struct.unpack('!H', q[40:42])[0]) + ' ' + n6(q[24:40])
                else:
                    good = csum(m) == 0xffff and csum(q[:20]) == 0xffff
                    quote = socket.inet_ntoa(q[12:16]) + ':' + str(struct.unpack('!H', q[20:22])[0]) + ' ' + socket.inet_ntoa(q[16:20])
                print(sender[0], quote, 'ok' if good else 'bad-checksum', flush=True)
                break
            else:
                print('none', flush=True)
            """;

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
