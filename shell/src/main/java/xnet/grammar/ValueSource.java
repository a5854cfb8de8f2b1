package xnet.grammar;

import java.util.List;

/** Where completion finds the names a value may take: the session model, history, profiles. */
public interface ValueSource {

    List<Suggestion> values(ValueType type);
}
