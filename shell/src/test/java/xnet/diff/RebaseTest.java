package xnet.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.NatRule;
import xnet.model.Proto;

/** A session's changes on a running config that moved on: merged by object, refused on overlap. */
class RebaseTest {

    private static final Config BASE = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")));

    private static NatRule nat(int id, int port, String to) {
        return new NatRule(id, Ipv4.parse("10.0.0.1"), port, Ipv4.parse(to), 80, Proto.TCP);
    }

    @Test
    void aRuleTypedInTheShellMergesWithAContainerTheRuntimeAdded() {
        Config mine = BASE.withFilters(List.of(new FilterRule(1, FilterRule.Action.DROP, Cidr.parse("10.9.0.0/16"),
                null, null, null)));
        Config theirs = BASE.withContainer(new Container("cni-a", "br1", Ipv4.parse("10.0.1.2")));
        Rebase.Result result = Rebase.onto(BASE, mine, theirs);
        assertThat(result.merged()).isTrue();
        assertThat(result.config().containers()).containsOnlyKeys("cni-a");
        assertThat(result.config().filters()).isEqualTo(mine.filters());
        assertThat(result.config().nextFilterId()).isEqualTo(mine.nextFilterId());
    }

    @Test
    void natRulesAddedOnBothSidesUnderOneIdAreKeptAndMineIsRenumbered() {
        Config base = BASE.withContainer(new Container("web", "br1", Ipv4.parse("10.0.1.2")))
                .withContainer(new Container("cni-a", "br1", Ipv4.parse("10.0.1.3")));
        Config mine = base.withNat(nat(base.nextNatId(), 8080, "10.0.1.2"));
        Config theirs = base.withNat(nat(base.nextNatId(), 9090, "10.0.1.3"));
        Rebase.Result result = Rebase.onto(base, mine, theirs);
        assertThat(result.merged()).isTrue();
        assertThat(result.config().nats()).extracting(NatRule::id, NatRule::publicPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 9090), org.assertj.core.groups.Tuple.tuple(2, 8080));
        assertThat(result.notes()).containsExactly("NAT rule 1 (10.0.0.1:8080 -> 10.0.1.2:80 proto tcp) is now NAT rule 2");
        assertThat(result.config().nextNatId()).isEqualTo(3);
    }

    @Test
    void bothChangingTheSameObjectOrTheFilterListIsAConflict() {
        Config mine = BASE.withBridge(new Bridge("br1", Cidr.parse("10.0.7.0/24")))
                .withFilters(List.of(new FilterRule(1, FilterRule.Action.DROP, Cidr.parse("10.9.0.0/16"), null, null, null)));
        Config theirs = BASE.withoutBridge("br1")
                .withFilters(List.of(new FilterRule(1, FilterRule.Action.DROP, Cidr.parse("10.8.0.0/16"), null, null, null)));
        Rebase.Result result = Rebase.onto(BASE, mine, theirs);
        assertThat(result.conflicts()).containsExactly("bridge br1 was changed here and by the other commit",
                "the filter rules were changed here and by the other commit");
    }

    @Test
    void theSameChangeOnBothSidesIsNoConflict() {
        Config both = BASE.withBridge(new Bridge("br2", Cidr.parse("10.0.2.0/24")));
        assertThat(Rebase.onto(BASE, both, both).config().sameAs(both)).isTrue();
    }
}
