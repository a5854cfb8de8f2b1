package xnet.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import xnet.model.Cidr;
import xnet.model.FilterRule;
import xnet.model.PortRange;
import xnet.model.Proto;

/** Filter rules in state files: the id and the rule as typed, both ways. */
class RuleLinesTest {

    private static final FilterRule FULL = new FilterRule(7, FilterRule.Action.DROP, Cidr.parse("172.16.0.0/12"),
            Cidr.parse("10.0.1.2/32"), Proto.TCP, PortRange.parse("8000-8080"));

    @Test
    void aRuleIsItsIdAndItsText() {
        assertThat(RuleLines.format(FULL)).isEqualTo("7 drop from 172.16.0.0/12 to 10.0.1.2/32 proto tcp port 8000-8080");
        assertThat(RuleLines.format(FULL)).isEqualTo(FULL.id() + " " + FULL.text());
        assertThat(RuleLines.format(new FilterRule(1, FilterRule.Action.ALLOW, null, null, null, null)))
                .isEqualTo("1 allow");
    }

    @Test
    void everyFieldReadsBack() {
        for (FilterRule rule : List.of(FULL, new FilterRule(2, FilterRule.Action.ALLOW, null, Cidr.parse("0.0.0.0/0"),
                Proto.ICMP, null), new FilterRule(3, FilterRule.Action.DROP, Cidr.parse("10.0.0.0/8"), null, Proto.UDP,
                PortRange.parse("53")))) {
            assertThat(RuleLines.parse(RuleLines.format(rule))).isEqualTo(rule);
        }
    }

    @Test
    void theJsonModuleWritesOneStringPerRule() throws Exception {
        ObjectMapper json = new ObjectMapper().registerModule(RuleLines.module());
        String text = json.writeValueAsString(List.of(FULL));
        assertThat(text).isEqualTo("[\"7 drop from 172.16.0.0/12 to 10.0.1.2/32 proto tcp port 8000-8080\"]");
        assertThat(json.readValue(text, FilterRule[].class)).containsExactly(FULL);
    }

    @Test
    void aDamagedLineSaysWhichAndWhy() {
        assertThatThrownBy(() -> RuleLines.parse("7 drop from 10.0.0.1/8"))
                .hasMessageContaining("bad filter rule in state file: '7 drop from 10.0.0.1/8'")
                .hasMessageContaining("host bits");
        assertThatThrownBy(() -> RuleLines.parse("7 drop via 10.0.0.0/8")).hasMessageContaining("unknown word 'via'");
        assertThatThrownBy(() -> RuleLines.parse("7 drop from")).hasMessageContaining("'from' has no value");
    }
}
