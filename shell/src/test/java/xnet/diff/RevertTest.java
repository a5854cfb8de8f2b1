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

/** Taking one change back from a config that moved on since (the rollback of an unconfirmed commit). */
class RevertTest {

    private static final Config BEFORE = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")));
    private static final Config AFTER = BEFORE.withFilterAt(0, new FilterRule(1, FilterRule.Action.DROP,
            Cidr.parse("10.0.0.0/8"), null, null, null));

    @Test
    void withNothingLaterTheResultIsTheOldConfigWithoutReusingRuleIds() {
        Revert.Result result = Revert.of(BEFORE, AFTER, AFTER);
        assertThat(result.config().sameAs(BEFORE)).isTrue();
        assertThat(result.config().nextFilterId()).as("id 1 was given along this history").isEqualTo(2);
        assertThat(result.lost()).isEmpty();
    }

    @Test
    void aContainerAddedLaterIsKept() {
        Config now = AFTER.withContainer(new Container("cni-a", "br1", Ipv4.parse("10.0.1.2")));
        Revert.Result result = Revert.of(BEFORE, AFTER, now);
        assertThat(result.config().containers()).containsOnlyKeys("cni-a");
        assertThat(result.config().filters()).isEmpty();
        assertThat(result.lost()).isEmpty();
    }

    @Test
    void whenALaterCommitTouchedTheSameThingTheOldConfigComesBackWholeAndTheLossIsNamed() {
        Config now = AFTER.withFilters(List.of());
        Config later = now.withBridge(new Bridge("br2", Cidr.parse("10.0.2.0/24")))
                .withFilters(List.of(new FilterRule(2, FilterRule.Action.ALLOW, null, null, null, null)));
        Revert.Result result = Revert.of(BEFORE, AFTER, later);
        assertThat(result.config().sameAs(BEFORE)).isTrue();
        assertThat(result.lost()).containsExactly("the filter rules were changed here and by the other commit");
    }
}
