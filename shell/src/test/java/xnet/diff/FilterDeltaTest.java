package xnet.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import xnet.datapath.PacketFactory;
import xnet.datapath.RuleEdits;
import xnet.model.FilterRule;

class FilterDeltaTest {

    @Test
    void applyingTheDeltaGivesTheNewListAfterRandomEdits() {
        for (long seed = 1; seed <= 20; seed++) {
            RuleEdits edits = new RuleEdits(seed, 10_000);
            List<FilterRule> rules = PacketFactory.randomRules(seed, 50);
            for (int step = 0; step < 50; step++) {
                List<FilterRule> next = edits.edit(rules, 1 + step % 6);
                FilterDelta delta = FilterDelta.between(rules, next);
                assertThat(delta.applyTo(rules)).as("seed %d step %d", seed, step).isEqualTo(next);
                rules = next;
            }
        }
    }

    @Test
    void oneInsertedRuleIsOnePlacementWhateverTheListSize() {
        List<FilterRule> rules = PacketFactory.randomRules(3, 100_000);
        List<FilterRule> next = new ArrayList<>(rules);
        FilterRule added = new FilterRule(200_000, FilterRule.Action.DROP, null, null, xnet.model.Proto.ICMP, null);
        next.add(40_000, added);

        FilterDelta delta = FilterDelta.between(rules, next);

        assertThat(delta.removed()).isEmpty();
        assertThat(delta.added()).containsExactly(new FilterDelta.Placed(added, rules.get(39_999).id(), 40_000));
        assertThat(FilterDelta.between(rules, new ArrayList<>(rules))).isEqualTo(FilterDelta.NONE);
    }

    @Test
    void aChangedOrMovedRuleIsRemovedAndPlacedAgain() {
        List<FilterRule> rules = PacketFactory.randomRules(4, 10);
        List<FilterRule> moved = new ArrayList<>(rules);
        moved.add(0, moved.remove(5));

        FilterDelta delta = FilterDelta.between(rules, moved);

        assertThat(delta.removed()).containsExactly(rules.get(5));
        assertThat(delta.added()).containsExactly(new FilterDelta.Placed(rules.get(5), 0, 0));
    }

    @Test
    void aLongChainOfPlacementsNeedsNoDeepStack() {
        List<FilterRule> rules = PacketFactory.randomRules(5, 200_000);
        assertThat(FilterDelta.between(List.of(), rules).applyTo(List.of())).isEqualTo(rules);
    }
}
