package xnet.it;

import java.util.HashMap;
import java.util.Map;

import xnet.bpf.Bpf;
import xnet.compile.MapEncoding;
import xnet.datapath.FastPathTable;
import xnet.model.Ipv4;

/**
 * The fast path (bpf/lib/fastpath.h) as a test sees it under BPF_PROG_TEST_RUN: a table of
 * "containers" on two bridges, every one behind the interface packets enter by, and no uplink.
 * A packet is handed on (TC_ACT_REDIRECT) when it is plain IPv4 to a unicast MAC between two
 * addresses of the table on one bridge, not sent to the bridge's MAC; between bridges the route
 * lookup finds no such interface in the test's namespace, and the normal path takes it.
 */
final class FastPathModel {

    /** No fast path: the program was built without it. */
    static final FastPathModel OFF = new FastPathModel(Map.of());
    /** The interface test packets enter by (no device has it: the route lookup fails). */
    static final int INGRESS = 0x7ff00001;

    private final Map<Integer, FastPathTable.Entry> table;

    private FastPathModel(Map<Integer, FastPathTable.Entry> table) {
        this.table = table;
    }

    /**
     * The /24s the packet factory aims at (NAT's 10.0.0-2.x, the rules' 10.1-3.0-3.x), on bridge
     * 100 or 101 by the parity of the third octet, written into the program's xnet_fast map.
     */
    static FastPathModel fill(int mapFd) {
        Map<Integer, FastPathTable.Entry> table = new HashMap<>();
        int[][] nets = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}, {1, 3}, {2, 0}, {2, 1}, {2, 2}, {2, 3},
                {3, 0}, {3, 1}, {3, 2}, {3, 3}};
        Bpf bpf = Bpf.load();
        for (int[] net : nets) {
            for (int host = 0; host < 256; host++) {
                int address = (10 << 24) | (net[0] << 16) | (net[1] << 8) | host;
                if (address == (10 << 24)) {
                    continue; // 10.0.0.0 is fine as an address, but keep key 0 (the uplink) far away
                }
                int bridge = 100 + (net[1] & 1);
                byte[] mac = {0x02, 0, 0, 0, 0, (byte) bridge};
                FastPathTable.Entry e = new FastPathTable.Entry(new Ipv4(address), INGRESS, bridge, mac);
                table.put(address, e);
                bpf.update(mapFd, MapEncoding.fastKey(e), MapEncoding.fastValue(e), Bpf.BPF_ANY);
            }
        }
        return new FastPathModel(table);
    }

    /** Whether the program hands this frame (as it leaves the decision, rewritten) on. */
    boolean handsOn(byte[] frame) {
        if (table.isEmpty() || frame.length < 34 || frame[12] != 0x08 || frame[13] != 0x00 || (frame[0] & 1) != 0) {
            return false;
        }
        FastPathTable.Entry from = table.get(address(frame, 26));
        FastPathTable.Entry to = table.get(address(frame, 30));
        if (from == null || to == null || from.bridge() != to.bridge()) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (frame[i] != to.mac()[i]) {
                return true;
            }
        }
        return false; // sent to the bridge: routed (a hairpin), which the test's route lookup refuses
    }

    private static int address(byte[] frame, int at) {
        return ((frame[at] & 0xff) << 24) | ((frame[at + 1] & 0xff) << 16) | ((frame[at + 2] & 0xff) << 8)
                | (frame[at + 3] & 0xff);
    }
}
