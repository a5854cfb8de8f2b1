package xnet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import xnet.datapath.ReferenceDatapath;
import xnet.model.Config;
import xnet.model.Family;
import xnet.model.FilterRule;
import xnet.model.Validator;

/** The program benchmark's rule forms: valid, of the family they claim, and matching nothing of its packets. */
class BenchRulesTest {

    @Test
    void noRuleOfAFormMatchesItsPacketAndIpv6FormsAreIpv6s() {
        Map<String, List<FilterRule>> forms = Map.of("study", BenchRules.studyForm(1000), "cidr", BenchRules.cidr(1000),
                "study6", BenchRules.studyForm6(1000), "cidr6", BenchRules.cidr6(1000));
        forms.forEach((name, rules) -> {
            assertThat(new Validator(List.of()).check(Config.EMPTY.withFilters(rules))).as(name).isEmpty();
            boolean v6 = name.endsWith("6");
            assertThat(rules).as(name).allMatch(r -> r.family() == (v6 ? Family.IPV6 : Family.IPV4));
            byte[] packet = v6 ? BenchRules.packet6() : BenchRules.packet();
            ReferenceDatapath reference = new ReferenceDatapath(rules, FilterRule.Action.ALLOW, List.of(),
                    rules.stream().collect(Collectors.toMap(FilterRule::id, FilterRule::id)));
            ReferenceDatapath.Result result = reference.process(packet);
            assertThat(result.drop()).as(name + ": the packet passes").isFalse();
            assertThat(result.slot()).as(name + ": no rule matched it").isZero();
        });
        // the distinct rules are distinct
        assertThat(BenchRules.cidr6(1000).stream().map(FilterRule::text).collect(Collectors.toSet())).hasSize(1000);
        assertThat(BenchRules.studyForm6(1000).stream().collect(Collectors.groupingBy(FilterRule::text, Collectors.counting())))
                .allSatisfy((text, n) -> assertThat(n).isEqualTo(1L));
    }
}
