package xnet.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import xnet.cni.CniConfig;

/**
 * Writes and removes the files a container runtime needs to call xnet: the plugin executable
 * (xnetd's C client, which acts as the plugin under the name xnet-cni) and the conflist.
 */
public final class CniFiles {

    public static final Path BIN_DIR = Path.of("/opt/cni/bin");
    public static final Path CONF_DIR = Path.of("/etc/cni/net.d");

    private final Path client;
    private final Path socket;

    /** {@code client}: the built xnet-client; {@code socket}: the target's xnetd socket the conflist names. */
    public CniFiles(Path client, Path socket) {
        this.client = client;
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /** Returns the paths written. */
    public List<Path> install(Path binDir, Path confDir, String network, String conflist) throws IOException {
        if (!Files.isExecutable(client)) {
            throw new IOException("the plugin executable " + client + " is missing: build xnet first (./xnet)");
        }
        Files.createDirectories(binDir);
        Files.createDirectories(confDir);
        Path plugin = binDir.resolve(CniConfig.PLUGIN);
        Path staged = binDir.resolve("." + CniConfig.PLUGIN + ".new");
        // a runtime may run the plugin while it is replaced: write aside, then rename over it
        Files.copy(client, staged, StandardCopyOption.REPLACE_EXISTING);
        staged.toFile().setExecutable(true, false);
        Files.move(staged, plugin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path conf = confDir.resolve(CniConfig.fileName(network));
        Files.writeString(conf, conflist);
        return List.of(plugin, conf);
    }

    /** Removes the network's conflist, and the plugin when no other xnet conflist is left there; returns what it removed. */
    public List<Path> remove(Path binDir, Path confDir, String network) throws IOException {
        List<Path> removed = new ArrayList<>();
        Path conf = confDir.resolve(CniConfig.fileName(network));
        if (Files.deleteIfExists(conf)) {
            removed.add(conf);
        }
        boolean othersLeft;
        try (var files = Files.list(confDir)) {
            othersLeft = files.anyMatch(f -> {
                try {
                    return f.toString().endsWith(".conflist") && Files.readString(f).contains("\"" + CniConfig.PLUGIN + "\"");
                } catch (IOException unreadable) {
                    return false;
                }
            });
        } catch (java.nio.file.NoSuchFileException none) {
            othersLeft = false;
        }
        Path plugin = binDir.resolve(CniConfig.PLUGIN);
        if (!othersLeft && Files.deleteIfExists(plugin)) {
            removed.add(plugin);
        }
        return removed;
    }
}
