package xnet.compile;

import java.util.List;
import java.util.Map;

import xnet.model.Cidr;
import xnet.model.Cidr6;
import xnet.model.Family;
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

    /** Rules per generated function: each function must stay within BPF's 16-bit branch range. */
    static final int RULES_PER_FUNCTION = 400;

    /** The rule functions and XNET_INLINE_CALLS, for the generated header. */
    public static String functions(List<FilterRule> rules, Map<Integer, Integer> slotOfRule) {
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException(rules.size() + " rules are too many for the inline strategy (at most "
                    + MAX_RULES + ", the verifier's budget); use 'datapath strategy map'");
        }
        StringBuilder out = new StringBuilder();
        StringBuilder calls = new StringBuilder("#define XNET_INLINE_CALLS");
        for (int start = 0, n = 0; start < rules.size(); start += RULES_PER_FUNCTION, n++) {
            String name = "xnet_rules_" + n;
            calls.append(" XNET_CALL(").append(name).append(')');
            out.append("__noinline int ").append(name).append("(const struct xnet_pkt *p)\n{\n\tif (!p)\n\t\treturn -1;\n");
            for (FilterRule rule : rules.subList(start, Math.min(rules.size(), start + RULES_PER_FUNCTION))) {
                out.append("\t/* rule ").append(rule.id()).append(": ").append(rule.text().replace("*/", "* /"))
                        .append(" */\n");
                out.append("\tif ((").append(condition(rule)).append(") == 0)\n\t\tXNET_RULE(")
                        .append(rule.action() == FilterRule.Action.DROP ? "XNET_ACT_DROP" : "XNET_ACT_ALLOW")
                        .append(rule.log() ? " | XNET_ACT_LOG" : "")
                        .append(", ").append(slotOfRule.getOrDefault(rule.id(), 0)).append(");\n");
            }
            out.append("\treturn -1;\n}\n\n");
        }
        return out.append(calls).append('\n').toString();
    }

    /** An expression that is 0 exactly when the rule matches (see XNET_DIFF in bpf/lib/inline.h). */
    static String condition(FilterRule rule) {
        List<String> terms = new java.util.ArrayList<>();
        // a rule of one family looks at the packet's; a rule for both does not
        if (rule.family() != null) {
            terms.add("XNET_DIFF(p->v6, 0xff, " + (rule.family() == Family.IPV6 ? 1 : 0) + ")");
        }
        prefix(terms, "p->src", rule.from());
        prefix(terms, "p->dst", rule.to());
        prefix6(terms, "p->src6", rule.from6());
        prefix6(terms, "p->dst6", rule.to6());
        if (rule.proto() != Proto.ANY) {
            terms.add("XNET_DIFF(p->proto, 0xff, " + rule.proto().number() + ")");
        }
        if (rule.port() != null) {
            terms.add("XNET_DIFF(p->has_ports, 0xff, 1)");
            terms.add("XNET_OUTSIDE(p->dport, " + rule.port().from() + ", " + rule.port().to() + ")");
        }
        if (rule.states() != null) {
            terms.add("XNET_NOT_IN(p->ct_state, " + rule.states().bits() + ")");
        }
        return terms.isEmpty() ? "0" : String.join(" | ", terms);
    }

    /** An IPv6 prefix: one term per 32-bit word its mask touches. */
    private static void prefix6(List<String> terms, String field, Cidr6 cidr) {
        if (cidr == null || cidr.prefix() == 0) {
            return;
        }
        byte[] value = cidr.network().bytes();
        byte[] mask = Cidr6.mask(cidr.prefix()).bytes();
        for (int w = 0; w < 4 && w * 32 < cidr.prefix(); w++) {
            terms.add("XNET_DIFF(" + field + "[" + w + "], bpf_htonl(0x" + word(mask, w) + "), bpf_htonl(0x"
                    + word(value, w) + "))");
        }
    }

    private static String word(byte[] bytes, int w) {
        return String.format("%02x%02x%02x%02xu", bytes[4 * w], bytes[4 * w + 1], bytes[4 * w + 2], bytes[4 * w + 3]);
    }

    private static void prefix(List<String> terms, String field, Cidr cidr) {
        if (cidr == null || cidr.prefix() == 0) {
            return;
        }
        terms.add("XNET_DIFF(" + field + ", XNET_MASK(" + cidr.prefix() + "), XNET_IP4("
                + cidr.network().toString().replace(".", ", ") + "))");
    }
}
