package xnet.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import xnet.datapath.Shared;
import xnet.model.Ipv4;
import xnet.model.NatRule;
import xnet.model.Proto;

/** The bytes of every map key and value, as struct xnet_* of bpf/include/xnet_shared.h lays them out. */
class MapEncodingTest {

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static int ip(String text) {
        return Ipv4.parse(text).bits();
    }

    @Test
    void ruleKeysHoldAddressesInNetworkOrderAndTheSetInTheTupleByte() {
        RuleTables.Entry entry = new RuleTables.Entry(5, ip("10.1.2.0"), ip("192.168.0.1"), 80, 6, 2048, 7, 1);
        assertThat(hex(MapEncoding.ruleKey(entry))).isEqualTo("0a010200" + "c0a80001" + "5000" + "06" + "05" + "00"
                + "000000");
        ByteBuffer set1 = ByteBuffer.allocate(Shared.RULE_KEY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        MapEncoding.ruleKey(set1, entry, 1);
        assertThat(hex(set1.array())).endsWith("06" + "85" + "00" + "000000");
        assertThat(set1.array()[Shared.RULE_KEY_TUPLE_AT]).isEqualTo((byte) 0x85);
        ByteBuffer byKey = ByteBuffer.allocate(Shared.RULE_KEY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        MapEncoding.ruleKey(byKey, new RuleIndex.Key(5, ip("10.1.2.0"), ip("192.168.0.1"), 80, 6, 0), 0);
        assertThat(byKey.array()).as("an index key encodes like its entry").isEqualTo(MapEncoding.ruleKey(entry));
        RuleTables.Entry established = new RuleTables.Entry(5, 0, 0, 0, 0, 2048, 7, 0, Shared.XNET_STATE_ESTABLISHED);
        assertThat(hex(MapEncoding.ruleKey(established))).endsWith("05" + "02" + "000000");
    }

    @Test
    void ruleValuesAreNativeNumbers() {
        RuleTables.Entry entry = new RuleTables.Entry(5, 0, 0, 0, 0, 2048, 7, Shared.XNET_ACT_DROP);
        assertThat(hex(MapEncoding.ruleValue(entry))).isEqualTo("00080000" + "07000000" + "01000000");
    }

    @Test
    void tuplesCarryMasksFlagsAndTheirId() {
        RuleTables.Tuple tuple = new RuleTables.Tuple(3, new RuleTables.Shape(8, 32, false, 16, true), 1024);
        ByteBuffer b = ByteBuffer.allocate(Shared.TUPLE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        MapEncoding.tuple(b, tuple, 1);
        assertThat(hex(b.array())).isEqualTo("ff000000" + "ffffffff" + "ffff" + "ff" + "01" + "00040000" + "83"
                + "00" + "0000" + "00".repeat(32));
        RuleTables.Tuple withStates = new RuleTables.Tuple(3, new RuleTables.Shape(0, 0, true, 0, false, true), 1024);
        ByteBuffer c = ByteBuffer.allocate(Shared.TUPLE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        MapEncoding.tuple(c, withStates, 0);
        assertThat(hex(c.array())).endsWith("03" + "ff" + "0000" + "00".repeat(32));
        // an IPv6 tuple: 128-bit masks after the IPv4 fields (which are 0)
        RuleTables.Tuple v6 = new RuleTables.Tuple(4, new RuleTables.Shape(48, 128, false, 16, true, false, true), 2048);
        ByteBuffer d = ByteBuffer.allocate(Shared.TUPLE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        MapEncoding.tuple(d, v6, 0);
        assertThat(hex(d.array())).isEqualTo("00000000" + "00000000" + "ffff" + "ff" + "01" + "00080000" + "04" + "00"
                + "0000" + "ffffffffffff" + "00".repeat(10) + "ff".repeat(16));
    }

    @Test
    void ipv6RuleKeysCarryBothAddressesInNetworkOrder() {
        RuleTables.Entry entry = new RuleTables.Entry(2, 0, 0, 443, 6, 1024, 3, Shared.XNET_ACT_DROP, 0,
                xnet.model.Ipv6.parse("2001:db8::"), xnet.model.Ipv6.parse("fd00:1::2"));
        byte[] key = MapEncoding.ruleKey(entry);
        assertThat(key).hasSize(Shared.RULE_KEY6_SIZE);
        assertThat(hex(key)).isEqualTo("20010db8" + "00".repeat(12) + "fd000001" + "00".repeat(10) + "0002"
                + "bb01" + "06" + "02" + "00" + "000000");
        assertThat(key[Shared.RULE_KEY6_TUPLE_AT]).isEqualTo((byte) 2);
    }

    @Test
    void metaAndNatEntries() {
        assertThat(hex(MapEncoding.meta(2, 3, Shared.XNET_ACT_DROP, 0x01020304, Shared.XNET_META_TRACK)))
                .isEqualTo("02000000" + "01000000" + "04030201" + "01000000" + "03000000");
        assertThat(MapEncoding.tupleBase(1, true)).isEqualTo(3 * Shared.XNET_MAX_TUPLES);
        NatRule port = new NatRule(1, Ipv4.parse("10.0.0.1"), 80, Ipv4.parse("10.0.1.2"), 8080, Proto.TCP);
        assertThat(hex(MapEncoding.natKey(port))).isEqualTo("0a000001" + "5000" + "06" + "00");
        assertThat(hex(MapEncoding.natValue(port))).isEqualTo("0a000102" + "901f" + "0000");
        NatRule whole = new NatRule(2, Ipv4.parse("10.0.0.5"), 0, Ipv4.parse("10.0.1.3"), 0, Proto.ANY);
        assertThat(hex(MapEncoding.natKey(whole))).isEqualTo("0a000005" + "0000" + "00" + "00");
    }

    @Test
    void perCpuCountersAreSummed() {
        ByteBuffer values = ByteBuffer.allocate(3 * 16).order(ByteOrder.LITTLE_ENDIAN);
        values.putLong(1).putLong(100).putLong(2).putLong(200).putLong(4).putLong(400);
        assertThat(MapEncoding.sumCounters(values.array(), 3, 2)).containsExactly(7, 700);
        assertThat(hex(MapEncoding.u32(258))).isEqualTo("02010000");
    }
}
