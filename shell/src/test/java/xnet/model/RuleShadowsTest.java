package xnet.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class RuleShadowsTest {

    private static FilterRule rule(int id, String from, String to, Proto proto, String port) {
        return new FilterRule(id, FilterRule.Action.DROP, from == null ? null : Cidr.parse(from),
                to == null ? null : Cidr.parse(to), proto, port == null ? null : PortRange.parse(port));
    }

    /** The shadows of the second of two rules, placed last. */
    private static List<RuleShadows.Shadow> second(FilterRule first, FilterRule second) {
        return RuleShadows.involving(List.of(first, second), second);
    }

    @Test
    void aRuleCoveredByAnEarlierOneIsReportedWithTheRuleThatCoversIt() {
        FilterRule wide = rule(1, "10.0.0.0/8", null, Proto.ANY, null);
        FilterRule inside = rule(2, "10.1.0.0/16", "10.0.1.0/24", Proto.TCP, "80");
        FilterRule outside = rule(3, "172.16.0.0/12", null, Proto.ANY, null);
        List<RuleShadows.Shadow> shadows = RuleShadows.involving(List.of(wide, inside, outside), inside);
        assertThat(shadows).containsExactly(new RuleShadows.Shadow(inside, wide));
        assertThat(shadows.get(0).message()).startsWith("filter 2 (").contains("can never match: filter 1 (");
    }

    @Test
    void aPlacedRuleIsCheckedAgainstTheRulesBeforeAndAfterIt() {
        FilterRule wide = rule(1, "10.0.0.0/8", null, Proto.ANY, null);
        FilterRule inside = rule(2, "10.1.0.0/16", null, Proto.TCP, null);
        FilterRule other = rule(3, "192.168.0.0/16", null, Proto.ANY, null);
        assertThat(RuleShadows.involving(List.of(wide, inside, other), inside))
                .containsExactly(new RuleShadows.Shadow(inside, wide));
        assertThat(RuleShadows.involving(List.of(wide, inside, other), wide)).as("placed before ID")
                .containsExactly(new RuleShadows.Shadow(inside, wide));
        assertThat(RuleShadows.involving(List.of(wide, inside, other), other)).isEmpty();
    }

    @Test
    void onlyAWholeCoverShadows() {
        FilterRule tcp80 = rule(1, null, null, Proto.TCP, "80-90");
        assertThat(second(tcp80, rule(2, null, null, Proto.TCP, "85"))).hasSize(1);
        assertThat(second(tcp80, rule(2, null, null, Proto.TCP, "85-95"))).as("ports reach beyond").isEmpty();
        assertThat(second(tcp80, rule(2, null, null, Proto.ANY, "85"))).as("udp too").isEmpty();
        assertThat(second(tcp80, rule(2, null, null, Proto.TCP, null))).as("every port").isEmpty();
        assertThat(second(rule(1, "10.1.0.0/16", null, Proto.ANY, null), rule(2, "10.0.0.0/8", null, Proto.ANY, null)))
                .as("the wider one comes later").isEmpty();
        assertThat(second(rule(1, null, "10.0.1.0/24", Proto.ANY, null), rule(2, "10.0.0.0/8", null, Proto.ANY, null)))
                .as("any destination is wider").isEmpty();
    }
}
