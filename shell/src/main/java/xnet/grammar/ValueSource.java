package xnet.grammar;

import java.util.List;
import java.util.Map;

/** Where completion finds the names a value may take: the session model, history, profiles. */
public interface ValueSource {

    List<Suggestion> values(ValueType type);

    /**
     * Values for one place in one command, knowing what the statement gave so far ({@code given}:
     * keyword values by key, such as bridge=br1), for suggestions that depend on it: the next free
     * address of the container's bridge.
     */
    default List<Suggestion> values(CommandSpec spec, Element.Value value, Map<String, String> given) {
        return values(value.type());
    }
}
