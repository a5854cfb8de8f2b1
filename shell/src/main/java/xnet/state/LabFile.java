package xnet.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import xnet.plan.LabNetwork;

/**
 * lab.json in a lab's state directory: the network the lab was made with (--uplink,
 * --underlay), so that later runs without those options find the same lab. Options that
 * contradict it are refused: the lab's namespaces already carry the old addresses.
 */
public final class LabFile {

    private final Path file;

    public LabFile(Path stateDir) {
        this.file = stateDir.resolve("lab.json");
    }

    /**
     * The lab's network: the one on file, or the one asked for (then written down), or the
     * default. {@code uplink} and {@code underlay} are the options as given (null: not given).
     */
    public LabNetwork resolve(String lab, String uplink, String underlay) throws IOException {
        LabNetwork asked = uplink == null && underlay == null ? null : LabNetwork.of(uplink, underlay);
        if (!Files.exists(file)) {
            if (asked == null) {
                return LabNetwork.DEFAULT;
            }
            // a lab made without the options has no lab.json, yet its namespaces carry the defaults
            if (!Files.exists(file.resolveSibling("running.json"))) {
                FileStateStore.writeAtomically(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(asked));
                return asked;
            }
        }
        LabNetwork known = Files.exists(file) ? Json.MAPPER.readValue(file.toFile(), LabNetwork.class) : LabNetwork.DEFAULT;
        boolean differs = uplink != null && !(known.uplinkAddress().equals(asked.uplinkAddress())
                && known.prefix() == asked.prefix())
                || underlay != null && !underlay.equals(known.underlay());
        if (differs) {
            throw new IllegalArgumentException("lab " + lab + " was made with " + known.options()
                    + (Files.exists(file) ? "" : " (the default)")
                    + "; run it without those options, or 'lab destroy' it first to change them");
        }
        return known;
    }
}
