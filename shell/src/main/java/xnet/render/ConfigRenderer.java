package xnet.render;

import java.util.ArrayList;
import java.util.List;

import xnet.model.Bridge;
import xnet.model.Config;
import xnet.model.Container;

/** Writes a configuration as the commands that build it: the form of saved profiles. */
public final class ConfigRenderer {

    private ConfigRenderer() {
    }

    public static List<String> commands(Config config) {
        List<String> lines = new ArrayList<>();
        for (Bridge bridge : config.bridges().values()) {
            lines.add("bridge add " + bridge.name() + " " + bridge.subnet());
        }
        for (Container container : config.containers().values()) {
            lines.add("container add " + container.name() + " --bridge " + container.bridge() + " --ip " + container.ip());
        }
        return lines;
    }
}
