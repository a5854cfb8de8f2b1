package xnet.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import xnet.datapath.PacketFactory;
import xnet.datapath.RuleEdits;
import xnet.datapath.RuleScan;
import xnet.diff.FilterDelta;
import xnet.model.Cidr;
import xnet.model.FilterRule;
import xnet.model.Proto;

/** An index updated by deltas decides every packet as a plain scan of the new list does. */
class RuleIndexTest {

    private static Map<Integer, Integer> slotsAreIds(List<FilterRule> rules) {
        Map<Integer, Integer> slots = new HashMap<>();
        rules.forEach(r -> slots.put(r.id(), r.id()));
        return slots;
    }

    @Test
    void updatesInPlaceAgreeWithAPlainScanAfterRandomEdits() {
        for (long seed = 1; seed <= 6; seed++) {
            RuleEdits edits = new RuleEdits(seed, 10_000);
            List<FilterRule> rules = PacketFactory.randomRules(seed, 200);
            RuleIndex index = RuleIndex.build(rules, slotsAreIds(rules));
            int inPlace = 0;
            for (int step = 0; step < 40; step++) {
                List<FilterRule> next = edits.edit(rules, 1 + step % 5);
                Set<RuleIndex.Key> changed = index.apply(FilterDelta.between(rules, next), next, slotsAreIds(next));
                if (changed == null) { // no room between priorities: the caller builds anew
                    index = RuleIndex.build(next, slotsAreIds(next));
                } else {
                    inPlace++;
                }
                rules = next;
                RuleScan.assertAgrees(rules, index.tables(), seed * 100 + step, 2_000, "seed " + seed + " step " + step);
            }
            assertThat(inPlace).as("edits done in place, seed %d", seed).isGreaterThan(30);
        }
    }

    @Test
    void anEditTouchesOnlyItsOwnEntries() {
        // without port ranges these rules have few enough shapes for stride 1: one entry per rule
        List<FilterRule> rules = PacketFactory.randomRules(9, 10_000).stream()
                .map(r -> new FilterRule(r.id(), r.action(), r.from(), r.to(), r.proto(), null, null, false, r.from6(),
                        r.to6())).toList();
        RuleIndex index = RuleIndex.build(rules, slotsAreIds(rules));
        List<FilterRule> next = new ArrayList<>(rules);
        next.remove(5_000);
        next.add(100, new FilterRule(20_000, FilterRule.Action.ALLOW, Cidr.parse("10.9.0.0/16"), null, Proto.ANY, null));

        Set<RuleIndex.Key> changed = index.apply(FilterDelta.between(rules, next), next, slotsAreIds(next));

        assertThat(changed).isNotNull().hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void aRuleGoesAboveTheFirstInPlace() {
        List<FilterRule> rules = PacketFactory.randomRules(3, 50);
        RuleIndex index = RuleIndex.build(rules, slotsAreIds(rules));
        List<FilterRule> next = new ArrayList<>(rules);
        next.add(0, new FilterRule(99, FilterRule.Action.ALLOW, Cidr.parse("10.1.0.0/16"), null, Proto.ANY, null));

        assertThat(index.apply(FilterDelta.between(rules, next), next, slotsAreIds(next))).isNotNull();
        RuleScan.assertAgrees(next, index.tables(), 3, 2_000, "insert at the top");
    }

    @Test
    void saysSoWhenNoPriorityIsLeftBetweenTwoRules() {
        List<FilterRule> rules = PacketFactory.randomRules(2, 3);
        RuleIndex index = RuleIndex.build(rules, slotsAreIds(rules));
        int id = 100;
        Set<RuleIndex.Key> changed;
        do {
            List<FilterRule> next = new ArrayList<>(rules);
            next.add(1, new FilterRule(id++, FilterRule.Action.DROP, null, Cidr.parse("10.8.0." + (id % 250) + "/32"),
                    Proto.ANY, null));
            changed = index.apply(FilterDelta.between(rules, next), next, slotsAreIds(next));
            rules = next;
        } while (changed != null && id < 200);
        // halving a gap of 1024 leaves room for 10 inserts at one place, then the index gives up
        assertThat(changed).isNull();
        assertThat(id).isBetween(105, 120);
    }
}
