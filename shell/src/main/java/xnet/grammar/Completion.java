package xnet.grammar;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Completion from the same specs the parser uses: command words, keywords, then values. */
public final class Completion {

    private final Grammar grammar;

    public Completion(Grammar grammar) {
        this.grammar = grammar;
    }

    /**
     * @param done the words already typed in full
     * @param partial the word under the cursor (may be empty)
     */
    public List<Suggestion> complete(List<String> done, String partial, ValueSource source) {
        Map<String, Suggestion> out = new LinkedHashMap<>();
        for (CommandSpec spec : grammar.startingWith(done)) {
            if (spec.words().size() > done.size()) {
                String word = spec.words().get(done.size());
                String description = spec.words().size() == done.size() + 1 ? spec.summary() : word + " commands";
                out.putIfAbsent(word, new Suggestion(word, description));
            }
        }
        Optional<CommandSpec> matched = grammar.match(done);
        if (matched.isPresent()) {
            CommandSpec spec = matched.get();
            argumentSuggestions(spec, done.subList(spec.words().size(), done.size()), source)
                    .forEach(s -> out.putIfAbsent(s.value(), s));
        }
        return out.values().stream().filter(s -> s.value().startsWith(partial)).toList();
    }

    private static List<Suggestion> argumentSuggestions(CommandSpec spec, List<String> args, ValueSource source) {
        List<Element> positionals = spec.positionals();
        Set<String> usedKeywords = new HashSet<>();
        int next = 0;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (next < positionals.size() && positionals.get(next) instanceof Element.Value v && v.type() == ValueType.REST) {
                return List.of();
            }
            Element.Named named = spec.named().stream().filter(n -> n.keyword().equals(arg)).findFirst().orElse(null);
            if (named != null) {
                usedKeywords.add(arg);
                if (named.value() != null) {
                    if (i + 1 == args.size()) {
                        return valuesOf(named.value(), source);
                    }
                    i++;
                }
            } else {
                next++;
            }
        }
        List<Suggestion> suggestions = new ArrayList<>();
        if (next < positionals.size()) {
            Element expected = positionals.get(next);
            if (expected instanceof Element.Literal literal) {
                suggestions.add(new Suggestion(literal.word(), ""));
            } else {
                suggestions.addAll(valuesOf((Element.Value) expected, source));
            }
        }
        for (Element.Named named : spec.named()) {
            if (!usedKeywords.contains(named.keyword())) {
                String what = named.value() == null ? "flag" : named.value().metavar();
                suggestions.add(new Suggestion(named.keyword(), (named.required() ? "required: " : "option: ") + what));
            }
        }
        return suggestions;
    }

    private static List<Suggestion> valuesOf(Element.Value value, ValueSource source) {
        if (value.type() == ValueType.CHOICE) {
            return value.choices().stream().map(c -> new Suggestion(c, "")).toList();
        }
        return source.values(value.type());
    }
}
