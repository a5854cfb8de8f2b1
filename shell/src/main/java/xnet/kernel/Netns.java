package xnet.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Named network namespaces as iproute2 keeps them: bind mounts under /run/netns. */
public final class Netns {

    static final Path DIR = Path.of("/run/netns");

    private Netns() {
    }

    public static boolean exists(String name) {
        return Files.exists(DIR.resolve(name));
    }

    public static List<String> withPrefix(String prefix) {
        if (!Files.isDirectory(DIR)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(DIR)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("list " + DIR + ": " + e.getMessage(), e);
        }
    }

    /** Pids of processes whose network namespace is the named one. */
    public static List<Long> pids(String name) {
        String out = ProcessRunner.run(List.of("ip", "netns", "pids", name));
        return out.lines().map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
    }
}
