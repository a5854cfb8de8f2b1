package xnet.grammar;

import java.util.List;

/** One part of a command's syntax after its command words. */
public sealed interface Element {

    /** A word that must appear as written at its place, such as "->" or "--". */
    record Literal(String word) implements Element {
    }

    /** A value at its place; {@code choices} is set for {@link ValueType#CHOICE}. */
    record Value(String key, ValueType type, List<String> choices, boolean required) implements Element {

        public String metavar() {
            return switch (type) {
                case CHOICE -> String.join("|", choices);
                case PREFIX -> "ADDR[/LEN]";
                case PORTS -> "N[-M]";
                case STATES -> "STATE[,STATE...]";
                case FILTER_RULE, NAT_RULE -> "ID";
                default -> key.toUpperCase();
            };
        }
    }

    /**
     * A keyword that may appear anywhere after the positionals it follows; {@code value} is null
     * for a flag. {@code oneOf} names the keywords of its group, of which exactly one must be
     * given (`(--netns PATH | --pid PID)`); empty when it stands alone.
     */
    record Named(String keyword, Value value, boolean required, List<String> oneOf) implements Element {

        public Named(String keyword, Value value, boolean required) {
            this(keyword, value, required, List.of());
        }
    }
}
