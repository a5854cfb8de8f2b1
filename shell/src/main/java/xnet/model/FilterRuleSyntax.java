package xnet.model;

import java.util.Locale;

/**
 * The one written form of a filter rule: "drop from 172.16.0.0/12 to 10.0.1.0/24 proto tcp port
 * 22", "allow state established,related", "drop log to 10.0.1.2", "drop from 2001:db8::/32 proto tcp port 443". `filter add` reads it (its
 * grammar is {@link #GRAMMAR}), `filter list`, profiles and the
 * shell print it ({@link #text}), and state files store it after the rule's id ({@link #parse}).
 * A new rule field is a new keyword here and a field of {@link FilterRule}.
 */
public final class FilterRuleSyntax {

    /** The rule's words after `filter add`, in the shell grammar's notation. */
    public static final String GRAMMAR = "<action:" + Choices.of(FilterRule.Action.values()) + "> [log]"
            + " [from <from:PREFIX>] [to <to:PREFIX>]"
            + " [proto <proto:" + Choices.of(Proto.TCP, Proto.UDP, Proto.ICMP, Proto.ICMPV6) + ">] [port <port:PORTS>]"
            + " [state <state:STATES>]";

    private FilterRuleSyntax() {
    }

    /** The rule as it is typed, without its id. */
    public static String text(FilterRule rule) {
        return append(new StringBuilder(64), rule).toString();
    }

    /** Appends the rule's text without intermediate strings (a state file holds up to a million). */
    public static StringBuilder append(StringBuilder out, FilterRule rule) {
        out.append(rule.action());
        if (rule.log()) {
            out.append(" log");
        }
        if (rule.from() != null) {
            rule.from().appendTo(out.append(" from "));
        } else if (rule.from6() != null) {
            out.append(" from ").append(rule.from6());
        }
        if (rule.to() != null) {
            rule.to().appendTo(out.append(" to "));
        } else if (rule.to6() != null) {
            out.append(" to ").append(rule.to6());
        }
        if (rule.proto() != Proto.ANY) {
            out.append(" proto ").append(rule.proto());
        }
        if (rule.port() != null) {
            out.append(" port ").append(rule.port());
        }
        if (rule.states() != null) {
            out.append(" state ").append(rule.states());
        }
        return out;
    }

    /** The typed values of a parsed command, by the names {@link #GRAMMAR} gives them. */
    public interface Values {
        <T> java.util.Optional<T> optional(String name, Class<T> type);

        boolean flag(String name);
    }

    /** The rule a `filter add` command describes, as rule {@code id}. */
    public static FilterRule fromValues(int id, Values values) {
        FilterRule.Action action = values.optional("action", String.class)
                .map(a -> FilterRule.Action.valueOf(a.toUpperCase(Locale.ROOT))).orElseThrow();
        Object from = values.optional("from", Object.class).orElse(null);
        Object to = values.optional("to", Object.class).orElse(null);
        return new FilterRule(id, action, from instanceof Cidr c ? c : null, to instanceof Cidr c ? c : null,
                values.optional("proto", String.class).map(Proto::parse).orElse(Proto.ANY),
                values.optional("port", PortRange.class).orElse(null), values.optional("state", ConnStates.class).orElse(null),
                values.flag("log"), from instanceof Cidr6 c ? c : null, to instanceof Cidr6 c ? c : null);
    }

    /**
     * A prefix as typed: IPv4 (A.B.C.D/LEN, or an address meaning /32) or IPv6 (ADDR/LEN, or an
     * address meaning /128); the family is the text's (a colon means IPv6).
     */
    public static Object prefix(String text) {
        if (text.indexOf(':') >= 0) {
            return text.contains("/") ? Cidr6.parse(text) : new Cidr6(Ipv6.parse(text), 128);
        }
        return text.contains("/") ? Cidr.parse(text) : new Cidr(Ipv4.parse(text), 32);
    }

    /** Reads the text {@link #text} writes, as rule {@code id}. */
    public static FilterRule parse(int id, String text) {
        String[] words = text.trim().split(" +");
        FilterRule.Action action = FilterRule.Action.valueOf(words[0].toUpperCase(Locale.ROOT));
        Object from = null;
        Object to = null;
        Proto proto = Proto.ANY;
        PortRange port = null;
        ConnStates states = null;
        boolean log = false;
        // "log" stands alone; every other keyword takes the word after it
        for (int i = 1; i < words.length; i++) {
            String word = words[i];
            if (word.equals("log")) {
                log = true;
                continue;
            }
            if (++i == words.length) {
                throw new IllegalArgumentException("'" + word + "' has no value");
            }
            switch (word) {
                case "from" -> from = prefix(words[i]);
                case "to" -> to = prefix(words[i]);
                case "proto" -> proto = Proto.parse(words[i]);
                case "port" -> port = PortRange.parse(words[i]);
                case "state" -> states = ConnStates.parse(words[i]);
                default -> throw new IllegalArgumentException("unknown word '" + word + "'");
            }
        }
        return new FilterRule(id, action, from instanceof Cidr c ? c : null, to instanceof Cidr c ? c : null, proto, port,
                states, log, from instanceof Cidr6 c ? c : null, to instanceof Cidr6 c ? c : null);
    }
}
