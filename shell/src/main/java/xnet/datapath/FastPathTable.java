package xnet.datapath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Ipv4;

/**
 * What the fast path (bpf/lib/fastpath.h) knows of a host: each container's address with its
 * host-side veth and its bridge, and the uplink. Computed from the config and the devices as the
 * kernel numbers them; a device that is not there (index 0) leaves its container out, so its
 * packets take the normal path.
 */
public final class FastPathTable {

    /** A bridge as the kernel has it: its index and MAC (the gateway's, which routed frames are sent to). */
    public record BridgeDevice(int ifindex, byte[] mac) {
    }

    /** One entry; address 0.0.0.0 is the uplink (veth: its index, bridge 0). */
    public record Entry(Ipv4 address, int veth, int bridge, byte[] mac) {
    }

    private FastPathTable() {
    }

    /**
     * @param points the index of every attach point's device (AttachPoints.devices)
     * @param bridges the bridges of the host namespace by name
     */
    public static List<Entry> of(Config config, Map<String, Integer> points, Map<String, BridgeDevice> bridges) {
        List<Entry> entries = new ArrayList<>();
        int uplink = points.getOrDefault("uplink", 0);
        if (uplink > 0) {
            entries.add(new Entry(new Ipv4(0), uplink, 0, new byte[6]));
        }
        for (Container c : config.containers().values()) {
            int veth = points.getOrDefault(c.name(), 0);
            BridgeDevice bridge = bridges.get(c.bridge());
            if (veth > 0 && bridge != null && bridge.ifindex() > 0) {
                entries.add(new Entry(c.ip(), veth, bridge.ifindex(), bridge.mac()));
            }
        }
        return entries;
    }
}
