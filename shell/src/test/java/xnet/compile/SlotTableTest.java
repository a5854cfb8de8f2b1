package xnet.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import xnet.datapath.PacketFactory;
import xnet.diff.FilterDelta;
import xnet.model.FilterRule;

class SlotTableTest {

    private final List<FilterRule> rules = PacketFactory.randomRules(1, 5);

    private SlotTable table() {
        Map<Integer, Integer> slots = new HashMap<>();
        rules.forEach(r -> slots.put(r.id(), r.id()));
        return new SlotTable(slots);
    }

    @Test
    void aMovedRuleKeepsItsSlotAndAChangedOneGetsANewOne() {
        SlotTable table = table();
        List<FilterRule> next = new ArrayList<>(rules);
        next.add(0, next.remove(3)); // rule 4 moves to the top
        FilterRule r2 = rules.get(1);
        next.set(next.indexOf(r2), new FilterRule(2, FilterRule.Action.ALLOW, null, null, xnet.model.Proto.ICMP, null));

        SlotTable.Change change = table.apply(FilterDelta.between(rules, next));

        assertThat(table.view()).containsEntry(4, 4).containsEntry(2, 6);
        assertThat(change.reset()).containsExactly(6);
    }

    @Test
    void aFreedSlotIsNotHandedOutByTheSameChangeAndUndoRestores() {
        SlotTable table = table();
        List<FilterRule> next = new ArrayList<>(rules);
        next.remove(0); // frees slot 1
        next.add(new FilterRule(9, FilterRule.Action.DROP, null, null, xnet.model.Proto.UDP, null));

        SlotTable.Change change = table.apply(FilterDelta.between(rules, next));
        assertThat(table.view()).doesNotContainKey(1).containsEntry(9, 6);

        List<FilterRule> later = new ArrayList<>(next);
        later.add(new FilterRule(10, FilterRule.Action.DROP, null, null, xnet.model.Proto.TCP, null));
        SlotTable.Change second = table.apply(FilterDelta.between(next, later));
        assertThat(table.view()).containsEntry(10, 1); // free again from the next change on

        table.undo(second);
        table.undo(change);
        assertThat(table.view()).isEqualTo(table().view());
    }
}
