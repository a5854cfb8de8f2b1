package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Runs after every other kernel test class (failsafe's second execution, see shell/pom.xml):
 * nothing the suite made is left. No xnetd or other process of the suite's (the test jar's
 * daemons, servers and containerd under the tests' folders), no namespace of a test lab, a bench
 * lab or an underlay, no pinned BPF object of theirs, and no folder of theirs in /tmp (each
 * test's state, run files and logs live there).
 */
class SuiteLeftoversIT {

    /** Names the suite gives its labs, underlays, benches and own namespaces. */
    private static final List<String> NAMESPACES = List.of("xnet.it", "xnet-u.it", "xnet.xbench", "xnet-u.xbench",
            "xnet-it");
    private static final List<String> PINS = List.of("it", "xbench");
    private static final List<String> FOLDERS = List.of("xnet-it-", "xnet-bench", "xnet-diff", "xnet-bpf-build");

    @Test
    void theSuiteLeavesNoDaemonRunFileNamespaceOrPin() throws Exception {
        Xnet.requireRoot("the leftover check reads every process's command line");
        List<String> namespaces = new ArrayList<>();
        for (String prefix : NAMESPACES) {
            namespaces.addAll(Kernel.namespaces(prefix));
        }
        assertThat(namespaces).as("namespaces of the suite").isEmpty();
        assertThat(list(Path.of("/sys/fs/bpf/xnet"), PINS)).as("pins of the suite").isEmpty();
        assertThat(list(Path.of(System.getProperty("java.io.tmpdir")), FOLDERS)).as("folders of the suite in /tmp")
                .isEmpty();
        assertThat(processes()).as("processes of the suite").isEmpty();
    }

    /** The names in {@code dir} that start with one of {@code prefixes}. */
    private static List<String> list(Path dir, List<String> prefixes) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> prefixes.stream().anyMatch(n::startsWith))
                    .sorted().toList();
        }
    }

    /**
     * Processes whose command line names the suite's jar (xnetd, a shell, a -c run) or one of its
     * folders in /tmp (containerd's --root, a server's log), this JVM aside.
     */
    private static List<String> processes() throws Exception {
        String jar = Xnet.JAR.toString();
        String tmp = Path.of(System.getProperty("java.io.tmpdir"), "xnet-it-").toString();
        long self = ProcessHandle.current().pid();
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                if (Long.parseLong(proc.getFileName().toString()) == self) {
                    continue;
                }
                String line;
                try {
                    line = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ').strip();
                } catch (java.io.IOException gone) {
                    continue;
                }
                if (line.contains(jar) || line.contains(tmp)) {
                    found.add(proc.getFileName() + ": " + line);
                }
            }
        }
        return found;
    }
}
