package xnet.cni;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import xnet.model.Bridge;

/**
 * The network configuration list `cni install` writes (pure): one xnet-cni plugin for one
 * bridge, with the socket of the target's xnetd and the portMappings capability. With an IPAM
 * type (host-local), addresses come from it over the bridge's subnet instead of from xnet.
 */
public final class CniConfig {

    public static final String PLUGIN = "xnet-cni";
    /** What containerd 1.6's CNI library speaks; STATUS and GC callers send 1.1.0 themselves. */
    public static final String VERSION = "1.0.0";

    private CniConfig() {
    }

    public static String fileName(String network) {
        return "10-" + network + ".conflist";
    }

    public static String conflist(String network, Bridge bridge, String socket, String ipamType) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode list = json.createObjectNode().put("cniVersion", VERSION).put("name", network);
        ObjectNode plugin = list.putArray("plugins").addObject()
                .put("type", PLUGIN).put("bridge", bridge.name()).put("socket", socket);
        plugin.putObject("capabilities").put("portMappings", true);
        if (ipamType != null) {
            // one range set per family: host-local then gives a dual-stack bridge's container both
            com.fasterxml.jackson.databind.node.ArrayNode ranges = plugin.putObject("ipam").put("type", ipamType)
                    .putArray("ranges");
            ranges.addArray().addObject().put("subnet", bridge.subnet().toString())
                    .put("gateway", bridge.gateway().toString());
            if (bridge.subnet6() != null) {
                ranges.addArray().addObject().put("subnet", bridge.subnet6().toString())
                        .put("gateway", bridge.gateway6().toString());
            }
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(list) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
