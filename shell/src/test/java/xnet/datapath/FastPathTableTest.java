package xnet.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import xnet.compile.MapEncoding;
import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Ipv4;

class FastPathTableTest {

    private final Config config = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
            .withContainer(new Container("web", "br1", Ipv4.parse("10.0.1.2"), null))
            .withContainer(new Container("gone", "br1", Ipv4.parse("10.0.1.3"), null));
    private final byte[] mac = {0x52, 0x54, 0, 0x12, 0x34, 0x56};

    @Test
    void theUplinkIsKeyZeroAndAContainerWithoutItsDeviceIsLeftOut() {
        List<FastPathTable.Entry> entries = FastPathTable.of(config, Map.of("uplink", 2, "web", 7, "gone", 0),
                Map.of("br1", new FastPathTable.BridgeDevice(5, mac)));
        assertThat(entries).extracting(e -> e.address().toString(), FastPathTable.Entry::veth, FastPathTable.Entry::bridge)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("0.0.0.0", 2, 0),
                        org.assertj.core.groups.Tuple.tuple("10.0.1.2", 7, 5));
        assertThat(FastPathTable.of(config, Map.of("web", 7), Map.of())).as("no bridge device: no entry").isEmpty();
    }

    @Test
    void keysAreInNetworkOrderAndValuesAsTheStruct() {
        FastPathTable.Entry web = FastPathTable.of(config, Map.of("web", 7), Map.of("br1", new FastPathTable.BridgeDevice(5, mac)))
                .get(0);
        assertThat(MapEncoding.fastKey(web)).containsExactly(10, 0, 1, 2);
        assertThat(MapEncoding.fastValue(web)).hasSize(Shared.FAST_VALUE_SIZE)
                .containsExactly(7, 0, 0, 0, 5, 0, 0, 0, 0x52, 0x54, 0, 0x12, 0x34, 0x56, 0, 0);
    }
}
