package xnet.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import xnet.datapath.PacketFactory;
import xnet.datapath.RuleScan;
import xnet.model.Cidr;
import xnet.model.FilterRule;
import xnet.model.PortRange;
import xnet.model.Proto;

/** The tuple tables give, for every packet, the same first matching rule as a plain scan. */
class RuleTablesTest {

    @Test
    void portBlocksCoverExactlyTheRange() {
        for (int[] range : new int[][] {{0, 65535}, {80, 80}, {1000, 2000}, {1, 65534}, {1023, 1024}}) {
            List<PortBlocks.Block> blocks = PortBlocks.of(new PortRange(range[0], range[1]));
            for (int port = 0; port < 65536; port += port < 3000 ? 1 : 97) {
                final int p = port;
                long hits = blocks.stream().filter(b -> (p & b.mask()) == b.value()).count();
                assertThat(hits).as("port %d in %d-%d", port, range[0], range[1])
                        .isEqualTo(port >= range[0] && port <= range[1] ? 1 : 0);
            }
            assertThat(blocks.size()).isLessThanOrEqualTo(30);
        }
        assertThat(PortBlocks.of(new PortRange(0, 65535))).containsExactly(new PortBlocks.Block(0, 0));
    }

    @Test
    void tuplesAgreeWithAPlainScanOnRandomPackets() {
        for (long seed = 1; seed <= 5; seed++) {
            List<FilterRule> rules = PacketFactory.randomRules(seed, 300);
            Map<Integer, Integer> slots = new HashMap<>();
            rules.forEach(r -> slots.put(r.id(), r.id()));
            RuleTables tables = RuleTables.compile(rules, slots);
            RuleScan.assertAgrees(rules, tables, seed, 20_000, "seed " + seed);
        }
    }

    @Test
    void theStudysFormIsOneTupleAtAnyCount() {
        List<FilterRule> rules = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            rules.add(new FilterRule(i + 1, FilterRule.Action.DROP, Cidr.parse("10.1." + (i / 256) + "." + (i % 256) + "/32"),
                    Cidr.parse("10.2.0.1/32"), Proto.ANY, null));
        }
        RuleTables tables = RuleTables.compile(rules, Map.of());
        assertThat(tables.tuples()).hasSize(1);
        assertThat(tables.entries()).hasSize(10_000);
    }

    @Test
    void slotsSurviveUnchangedRulesAndNewRulesGetFreeOnes() {
        FilterRule a = new FilterRule(1, FilterRule.Action.DROP, Cidr.parse("10.0.0.0/8"), null, Proto.ANY, null);
        FilterRule b = new FilterRule(2, FilterRule.Action.ALLOW, null, null, Proto.TCP, PortRange.parse("80"));
        SlotPlan first = SlotPlan.assign(SlotPlan.NONE, List.of(), List.of(a, b));
        assertThat(first.slotsToReset()).containsExactly(1, 2);
        FilterRule changedB = new FilterRule(2, FilterRule.Action.DROP, null, null, Proto.TCP, PortRange.parse("80"));
        FilterRule c = new FilterRule(3, FilterRule.Action.DROP, null, null, Proto.UDP, null);
        SlotPlan second = SlotPlan.assign(first, List.of(a, b), List.of(c, a, changedB));
        assertThat(second.slotOfRule().get(1)).isEqualTo(first.slotOfRule().get(1));
        assertThat(second.slotsToReset()).containsExactlyInAnyOrder(2, 3);
    }
}
