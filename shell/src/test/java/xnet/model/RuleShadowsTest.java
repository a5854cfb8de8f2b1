package xnet.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class RuleShadowsTest {

    private static FilterRule rule(int id, String from, String to, Proto proto, String port) {
        return new FilterRule(id, FilterRule.Action.DROP, from == null ? null : Cidr.parse(from),
                to == null ? null : Cidr.parse(to), proto, port == null ? null : PortRange.parse(port));
    }

    /** The shadows of the second of two rules, placed last: by the index and by the scan, which agree. */
    private static List<RuleShadows.Shadow> second(FilterRule first, FilterRule second) {
        List<RuleShadows.Shadow> indexed = RuleShadows.involving(FilterList.of(List.of(first)).plus(second), 1);
        assertThat(RuleShadows.involving(List.of(first, second), 1)).isEqualTo(indexed);
        return indexed;
    }

    @Test
    void aRuleCoveredByAnEarlierOneIsReportedWithTheRuleThatCoversIt() {
        FilterRule wide = rule(1, "10.0.0.0/8", null, Proto.ANY, null);
        FilterRule inside = rule(2, "10.1.0.0/16", "10.0.1.0/24", Proto.TCP, "80");
        FilterRule outside = rule(3, "172.16.0.0/12", null, Proto.ANY, null);
        List<RuleShadows.Shadow> shadows = RuleShadows.involving(List.of(wide, inside, outside), 1);
        assertThat(shadows).containsExactly(new RuleShadows.Shadow(inside, wide));
        assertThat(shadows.get(0).message()).startsWith("filter 2 (").contains("can never match: filter 1 (");
    }

    @Test
    void aRuleCoversOnlyRulesOfItsFamilyAndARuleForBothCoversBoth() {
        FilterRule anyV4 = FilterRuleSyntax.parse(1, "drop from 0.0.0.0/0");
        FilterRule tcpBoth = FilterRuleSyntax.parse(2, "drop proto tcp");
        FilterRule tcpV6 = FilterRuleSyntax.parse(3, "drop from fd00::/16 proto tcp port 80");
        FilterRule wideV6 = FilterRuleSyntax.parse(4, "drop from fd00::/8");
        assertThat(second(anyV4, tcpBoth)).as("an IPv4 rule does not cover one for both").isEmpty();
        assertThat(second(anyV4, tcpV6)).as("nor an IPv6 one").isEmpty();
        assertThat(second(tcpBoth, tcpV6)).as("a rule for both covers an IPv6 one").hasSize(1);
        assertThat(second(wideV6, tcpV6)).as("a shorter IPv6 prefix covers a longer one").hasSize(1);
        assertThat(second(tcpV6, wideV6)).isEmpty();
    }

    @Test
    void aPlacedRuleIsCheckedAgainstTheRulesBeforeAndAfterIt() {
        FilterRule wide = rule(1, "10.0.0.0/8", null, Proto.ANY, null);
        FilterRule inside = rule(2, "10.1.0.0/16", null, Proto.TCP, null);
        FilterRule other = rule(3, "192.168.0.0/16", null, Proto.ANY, null);
        assertThat(RuleShadows.involving(List.of(wide, inside, other), 1))
                .containsExactly(new RuleShadows.Shadow(inside, wide));
        assertThat(RuleShadows.involving(List.of(wide, inside, other), 0)).as("placed before ID")
                .containsExactly(new RuleShadows.Shadow(inside, wide));
        assertThat(RuleShadows.involving(List.of(wide, inside, other), 2)).isEmpty();
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

    @Test
    void anEarlierRuleCoversOnlyTheConnectionStatesItNames() {
        FilterRule established = new FilterRule(1, FilterRule.Action.ALLOW, null, null, Proto.ANY, null,
                ConnStates.parse("established,related"), false);
        FilterRule estTcp = new FilterRule(2, FilterRule.Action.ALLOW, null, null, Proto.TCP, PortRange.parse("80"),
                ConnStates.parse("established"), false);
        FilterRule newTcp = new FilterRule(2, FilterRule.Action.DROP, null, null, Proto.TCP, PortRange.parse("80"),
                ConnStates.parse("new"), false);
        assertThat(second(established, estTcp)).hasSize(1);
        assertThat(second(established, newTcp)).as("new is not among them").isEmpty();
        assertThat(second(established, rule(2, null, null, Proto.TCP, "80"))).as("any state is wider").isEmpty();
        assertThat(second(rule(1, null, null, Proto.TCP, "80-90"), estTcp)).as("a rule without states: all").hasSize(1);
        FilterRule range = new FilterRule(1, FilterRule.Action.DROP, null, null, Proto.TCP, PortRange.parse("70-90"),
                ConnStates.parse("new,established"), false);
        assertThat(second(range, estTcp)).as("a port range with states").hasSize(1);
        assertThat(second(range, new FilterRule(2, FilterRule.Action.DROP, null, null, Proto.TCP, PortRange.parse("80"),
                ConnStates.parse("related"), false))).isEmpty();
    }

    @Test
    void statesAreTypedAndWrittenInOneOrder() {
        FilterRule rule = FilterRuleSyntax.parse(4, "allow from 10.0.1.0/24 state RELATED,established");
        assertThat(rule.text()).isEqualTo("allow from 10.0.1.0/24 state established,related");
        assertThat(rule.states().bits()).isEqualTo(ConnStates.ESTABLISHED | ConnStates.RELATED);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ConnStates.parse("established,invalid")))
                .hasMessage("'invalid' is no connection state; there are new, established, related");
        assertThat(new Validator(List.of()).checkFilter(new FilterRule(5, FilterRule.Action.ALLOW, null, null,
                Proto.TCP, null, ConnStates.parse("related"), false))).extracting(Problem::toString).containsExactly(
                "filter 5: state related is an ICMP error about a known connection: with proto tcp the rule can never"
                        + " match");
    }

    /**
     * The index a batch of appends uses finds the same first covering rule as a scan of the list,
     * over random rules on a small address space (so that covers are common), built by appending
     * to lists of several branches (an older list appended to again copies its array).
     */
    @Test
    void theIndexOfAppendedRulesAgreesWithAScan() {
        java.util.Random random = new java.util.Random(7);
        Proto[] protos = {Proto.ANY, Proto.TCP, Proto.UDP};
        for (int trial = 0; trial < 20; trial++) {
            FilterList list = FilterList.of(List.of());
            FilterList older = list;
            for (int i = 0; i < 400; i++) {
                Proto proto = protos[random.nextInt(3)];
                String port = proto == Proto.ANY || random.nextBoolean() ? null
                        : random.nextBoolean() ? String.valueOf(80 + random.nextInt(4))
                        : (80 + random.nextInt(2)) + "-" + (82 + random.nextInt(3));
                FilterRule plain = rule(i + 1, randomPrefix(random), randomPrefix(random), proto, port);
                FilterRule next = random.nextInt(3) != 0 ? plain : new FilterRule(plain.id(), plain.action(),
                        plain.from(), plain.to(), plain.proto(), plain.port(), new ConnStates(1 + random.nextInt(7)), false);
                if (random.nextInt(50) == 0) {
                    list = older; // a branch: the older list is appended to a second time
                }
                if (random.nextInt(10) == 0) {
                    older = list;
                }
                list = list.plus(next);
                int at = list.size() - 1;
                assertThat(RuleShadows.involving(list, at)).as("rule %s", next.text())
                        .isEqualTo(RuleShadows.involving(new java.util.ArrayList<>(list), at));
            }
        }
    }

    private static String randomPrefix(java.util.Random random) {
        int length = new int[] {0, 8, 16, 24, 30, 32}[random.nextInt(6)];
        if (length == 0 && random.nextBoolean()) {
            return null;
        }
        int bits = 0x0A000000 | (random.nextInt(4) << 16) | (random.nextInt(4) << 8) | random.nextInt(4);
        return new Ipv4(bits & Cidr.mask(length)) + "/" + length;
    }

    @Test
    void anAppendedListSharesItsArrayAndAnOlderOneCopies() {
        FilterRule a = rule(1, "10.0.0.0/8", null, Proto.ANY, null);
        FilterRule b = rule(2, "10.1.0.0/16", null, Proto.ANY, null);
        FilterRule c = rule(3, "10.2.0.0/16", null, Proto.ANY, null);
        FilterList one = FilterList.of(List.of(a));
        FilterList two = one.plus(b);
        FilterList other = one.plus(c); // one is no longer the longest on its array
        assertThat(one).containsExactly(a);
        assertThat(two).containsExactly(a, b);
        assertThat(other).containsExactly(a, c);
        assertThat(two).isNotEqualTo(other).isEqualTo(List.of(a, b));
        assertThat(two.insert(0, c)).containsExactly(c, a, b);
        assertThat(two).containsExactly(a, b);
    }
}
