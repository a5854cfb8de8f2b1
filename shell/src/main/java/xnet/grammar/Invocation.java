package xnet.grammar;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A parsed statement: the command it names and its checked, typed values by key. */
public record Invocation(CommandSpec spec, Map<String, Object> values) implements xnet.model.FilterRuleSyntax.Values {

    public String string(String key) {
        return (String) values.get(key);
    }

    public <T> T get(String key, Class<T> type) {
        return type.cast(values.get(key));
    }

    public <T> Optional<T> optional(String key, Class<T> type) {
        return Optional.ofNullable(values.get(key)).map(type::cast);
    }

    public boolean flag(String key) {
        return Boolean.TRUE.equals(values.get(key));
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        Object value = values.get(key);
        return value == null ? List.of() : (List<String>) value;
    }
}
