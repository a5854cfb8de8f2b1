package xnet.datapath;

import java.util.List;
import java.util.Map;

import xnet.model.Cidr;
import xnet.model.FilterRule;
import xnet.model.Proto;

/**
 * The inline strategy: rules written as C, one `if` per rule in order, as the study did. Each
 * rule costs the verifier a few dozen instructions; {@link #MAX_RULES} keeps well inside its
 * one-million budget (the prototype verified about 5,000 and failed with E2BIG at about 6,500).
 */
public final class InlineRules {

    public static final int MAX_RULES = 4000;

    private InlineRules() {
    }

    public static String macro(List<FilterRule> rules, Map<Integer, Integer> slotOfRule) {
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException(rules.size() + " rules are too many for the inline strategy (at most "
                    + MAX_RULES + ", the verifier's budget); use 'datapath strategy map'");
        }
        StringBuilder out = new StringBuilder("#define XNET_INLINE_RULES \\\n");
        for (FilterRule rule : rules) {
            out.append("\t/* rule ").append(rule.id()).append(": ").append(rule.text().replace("*/", "* /"))
                    .append(" */ \\\n");
            out.append("\tif (").append(condition(rule)).append(") XNET_RULE(")
                    .append(rule.action() == FilterRule.Action.DROP ? "XNET_ACT_DROP" : "XNET_ACT_ALLOW")
                    .append(", ").append(slotOfRule.getOrDefault(rule.id(), 0)).append("); \\\n");
        }
        out.append("\t;\n");
        return out.toString();
    }

    static String condition(FilterRule rule) {
        StringBuilder c = new StringBuilder("1");
        prefix(c, "p->src", rule.from());
        prefix(c, "p->dst", rule.to());
        if (rule.proto() != Proto.ANY) {
            c.append(" && p->proto == ").append(rule.proto().number());
        }
        if (rule.port() != null) {
            c.append(" && p->has_ports");
            if (rule.port().from() == rule.port().to()) {
                c.append(" && p->dport == ").append(rule.port().from());
            } else {
                c.append(" && p->dport >= ").append(rule.port().from()).append(" && p->dport <= ").append(rule.port().to());
            }
        }
        return c.toString().replaceFirst("^1 && ", "");
    }

    private static void prefix(StringBuilder c, String field, Cidr cidr) {
        if (cidr == null || cidr.prefix() == 0) {
            return;
        }
        c.append(" && (").append(field).append(" & XNET_MASK(").append(cidr.prefix()).append(")) == XNET_IP4(")
                .append(cidr.network().toString().replace(".", ", ")).append(")");
    }
}
