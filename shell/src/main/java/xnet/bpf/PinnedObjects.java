package xnet.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import xnet.plan.TargetLayout;

/**
 * Where a target's BPF objects are pinned: /sys/fs/bpf/xnet/TARGET/links/NAME for its links and
 * .../maps/NAME for the maps that outlive a program (counters, connections). Pinned objects
 * keep running after the process exits, and the next process finds them here.
 */
final class PinnedObjects {

    private final Path root;

    /** Every target's pins are below this folder of the bpf file system. */
    public static final Path ROOT = Path.of("/sys/fs/bpf/xnet");

    PinnedObjects(TargetLayout layout) {
        this.root = ROOT.resolve(layout.name());
    }

    String link(String name) {
        return root.resolve("links").resolve(name).toString();
    }

    String map(String name) {
        return root.resolve("maps").resolve(name).toString();
    }

    /** The names of the pinned links, sorted. */
    List<String> links() {
        Path dir = root.resolve("links");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("list " + dir + ": " + e.getMessage(), e);
        }
    }

    void makeFolders() {
        for (String dir : List.of("links", "maps")) {
            try {
                Files.createDirectories(root.resolve(dir));
            } catch (IOException e) {
                throw new IllegalStateException("create " + root.resolve(dir) + ": " + e.getMessage(), e);
            }
        }
    }

    static void unpin(String pin) {
        try {
            Files.deleteIfExists(Path.of(pin));
        } catch (IOException e) {
            throw new IllegalStateException("unpin " + pin + ": " + e.getMessage(), e);
        }
    }

    /** Removes every pin of the target (lab destroy): links detach, maps go with their last user. */
    void removeAll() {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("remove pins under " + root + ": " + e.getMessage(), e);
        }
        // the folder all targets share goes with the last of them (another target may pin into it meanwhile)
        try (var left = Files.list(root.getParent())) {
            if (left.findAny().isEmpty()) {
                Files.deleteIfExists(root.getParent());
            }
        } catch (IOException raced) {
            // not empty any more, or gone already: either way it is not ours to remove now
        }
    }

    /** Mounts bpffs at /sys/fs/bpf when it is not (it is not by default on this platform). */
    static void ensureBpffs() {
        try {
            boolean mounted = Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .anyMatch(l -> l.split(" ")[1].equals("/sys/fs/bpf") && l.split(" ")[2].equals("bpf"));
            if (!mounted) {
                xnet.kernel.ProcessRunner.run(List.of("mount", "-t", "bpf", "bpf", "/sys/fs/bpf"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("read /proc/mounts: " + e.getMessage(), e);
        }
    }
}
