package xnet.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import xnet.datapath.PacketFactory;
import xnet.datapath.Shared;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Datapath;
import xnet.model.FilterRule;
import xnet.model.Proto;

class ProgramPlanTest {

    private static Config rules(int n, Datapath.Strategy strategy) {
        return Config.EMPTY.withFilters(PacketFactory.randomRules(3, n))
                .withDatapath(new Datapath(Datapath.Hook.TC, null, strategy, null));
    }

    @Test
    void aLoggingRuleCarriesTheLogFlagBesideItsVerdict() {
        List<FilterRule> two = List.of(new FilterRule(1, FilterRule.Action.DROP, Cidr.parse("10.9.0.0/16"), null,
                Proto.ANY, null, true), new FilterRule(2, FilterRule.Action.DROP, Cidr.parse("10.8.0.0/16"), null,
                Proto.ANY, null));
        String functions = InlineRules.functions(two, java.util.Map.of(1, 1, 2, 2));
        assertThat(functions).contains("XNET_RULE(XNET_ACT_DROP | XNET_ACT_LOG, 1)", "XNET_RULE(XNET_ACT_DROP, 2)");
        RuleIndex index = RuleIndex.build(two, java.util.Map.of(1, 1, 2, 2));
        assertThat(index.tables().entries()).extracting(RuleTables.Entry::action)
                .containsExactlyInAnyOrder(Shared.XNET_ACT_DROP | Shared.XNET_ACT_LOG, Shared.XNET_ACT_DROP);
    }

    @Test
    void aRuleWithStatesTurnsTrackingOnAndMatchesTheStateBit() {
        FilterRule stateful = new FilterRule(1, FilterRule.Action.ALLOW, null, null, Proto.ANY, null,
                xnet.model.ConnStates.parse("established,related"), false);
        assertThat(InlineRules.condition(stateful)).isEqualTo("XNET_NOT_IN(p->ct_state, 6)");
        assertThat(ProgramPlan.metaFlags(List.of(stateful))).isEqualTo(Shared.XNET_META_TRACK);
        assertThat(ProgramPlan.metaFlags(List.of(new FilterRule(2, FilterRule.Action.DROP, null, null, Proto.ANY, null))))
                .isZero();
        // one entry per state, in a tuple that looks at the state: one for each family (the rule has no addresses)
        RuleTables tables = RuleIndex.build(List.of(stateful), java.util.Map.of(1, 1)).tables();
        assertThat(tables.entries()).extracting(RuleTables.Entry::state)
                .containsExactlyInAnyOrder(Shared.XNET_STATE_ESTABLISHED, Shared.XNET_STATE_RELATED,
                        Shared.XNET_STATE_ESTABLISHED, Shared.XNET_STATE_RELATED);
        assertThat(tables.tuples()).hasSize(2).allSatisfy(t -> assertThat(t.shape().stateMask()).isEqualTo(0xff));
        assertThat(tables.tuples()).extracting(t -> t.shape().v6()).containsExactlyInAnyOrder(false, true);
        assertThat(tables.lookup(1, 2, 6, 80, true, Shared.XNET_STATE_NEW)).isNull();
        assertThat(tables.lookup(1, 2, 6, 80, true, Shared.XNET_STATE_RELATED).slot()).isEqualTo(1);
    }

    @Test
    void inlineRulesTestTheFamilyAndIpv6PrefixesWordByWord() {
        FilterRule v6 = xnet.model.FilterRuleSyntax.parse(1, "drop from 2001:db8:1::/48 proto udp");
        assertThat(InlineRules.condition(v6)).isEqualTo("XNET_DIFF(p->v6, 0xff, 1)"
                + " | XNET_DIFF(p->src6[0], bpf_htonl(0xffffffffu), bpf_htonl(0x20010db8u))"
                + " | XNET_DIFF(p->src6[1], bpf_htonl(0xffff0000u), bpf_htonl(0x00010000u))"
                + " | XNET_DIFF(p->proto, 0xff, 17)");
        assertThat(InlineRules.condition(xnet.model.FilterRuleSyntax.parse(2, "drop from 0.0.0.0/0")))
                .isEqualTo("XNET_DIFF(p->v6, 0xff, 0)");
        assertThat(InlineRules.condition(xnet.model.FilterRuleSyntax.parse(3, "drop proto tcp")))
                .isEqualTo("XNET_DIFF(p->proto, 0xff, 6)");
    }

    @Test
    void autoPicksInlineForFewRulesAndMapForMany() {
        ProgramPlan few = ProgramPlan.of(rules(10, Datapath.Strategy.AUTO), SlotPlan.NONE);
        assertThat(few.strategy()).isEqualTo(Datapath.Strategy.INLINE);
        assertThat(few.reason()).contains("10 rule(s) <= 32");
        assertThat(few.header()).contains("#define XNET_FILTER XNET_FILTER_INLINE", "XNET_RULE(", "/* rule 1: ",
                "__noinline int xnet_rules_0(const struct xnet_pkt *p)", "#define XNET_INLINE_CALLS XNET_CALL(xnet_rules_0)");
        ProgramPlan many = ProgramPlan.of(rules(100, Datapath.Strategy.AUTO), SlotPlan.NONE);
        assertThat(many.strategy()).isEqualTo(Datapath.Strategy.MAP);
        assertThat(many.header()).contains("#define XNET_FILTER XNET_FILTER_MAP").doesNotContain("XNET_RULE(");
        assertThat(many.tables().entries()).isNotEmpty();
    }

    @Test
    void theFastPathIsASwitchInTheHeader() {
        Config config = rules(10, Datapath.Strategy.MAP);
        assertThat(ProgramPlan.of(config, SlotPlan.NONE).header()).doesNotContain("XNET_FASTPATH");
        assertThat(ProgramPlan.of(config.withDatapath(config.datapath().withFastpath(true)), SlotPlan.NONE).header())
                .contains("#define XNET_FASTPATH 1");
    }

    @Test
    void inlineStopsBeforeTheVerifierWould() {
        assertThatThrownBy(() -> ProgramPlan.of(rules(InlineRules.MAX_RULES + 1, Datapath.Strategy.INLINE), SlotPlan.NONE))
                .hasMessageContaining("too many for the inline strategy").hasMessageContaining("datapath strategy map");
    }

    @Test
    void inlineRuleIsOneTestOfAnOpaqueValue() {
        FilterRule rule = PacketFactory.randomRules(9, 50).stream().filter(r -> r.port() != null).findFirst().orElseThrow();
        String c = InlineRules.condition(rule);
        assertThat(c).contains("XNET_OUTSIDE(p->dport, " + rule.port().from() + ", " + rule.port().to() + ")")
                .contains("XNET_DIFF(p->has_ports, 0xff, 1)").doesNotContain("&&");
        assertThat(InlineRules.condition(new FilterRule(1, FilterRule.Action.DROP, null, null, null, null))).isEqualTo("0");
    }

    @Test
    void noRulesBuildsNoMatcherAndDefaultDropIsCarried() {
        ProgramPlan plan = ProgramPlan.of(Config.EMPTY.withDefaultAction(FilterRule.Action.DROP), SlotPlan.NONE);
        assertThat(plan.header()).contains("XNET_FILTER_NONE", "#define XNET_NAT 0");
        assertThat(plan.defaultAction()).isEqualTo(Shared.XNET_ACT_DROP);
        assertThat(List.of(plan.tables().tuples().size(), plan.tables().entries().size())).containsExactly(0, 0);
    }
}
