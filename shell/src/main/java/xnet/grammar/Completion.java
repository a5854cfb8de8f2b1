package xnet.grammar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Completion from the same specs the parser uses: command words, keywords, then values. It
 * never offers a word that would make the line wrong: while a required value is still missing
 * only that value is offered (its placeholder and its meaning when the values cannot be listed),
 * not the options that may follow it.
 */
public final class Completion {

    private final Grammar grammar;

    public Completion(Grammar grammar) {
        this.grammar = grammar;
    }

    /**
     * @param typed the words already typed in full (abbreviations allowed: `sh cou`)
     * @param partial the word under the cursor (may be empty)
     */
    public List<Suggestion> complete(List<String> typed, String partial, ValueSource source) {
        List<String> done = grammar.expandLeniently(typed);
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
                    .forEach(s -> out.putIfAbsent(s.kind() + s.value(), s));
        }
        return out.values().stream().filter(s -> s.fits(partial)).toList();
    }

    private static List<Suggestion> argumentSuggestions(CommandSpec spec, List<String> args, ValueSource source) {
        List<Element> positionals = spec.positionals();
        Set<String> usedKeywords = new HashSet<>();
        Map<String, String> given = new HashMap<>();
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
                        return valuesOf(spec, named.value(), given, source);
                    }
                    if (named.value().type() == ValueType.REST) {
                        return List.of();
                    }
                    given.put(named.value().key(), args.get(++i));
                }
            } else {
                if (next < positionals.size() && positionals.get(next) instanceof Element.Value v) {
                    given.put(v.key(), arg);
                }
                next++;
            }
        }
        List<Suggestion> suggestions = new ArrayList<>();
        boolean required = false;
        if (next < positionals.size()) {
            Element expected = positionals.get(next);
            if (expected instanceof Element.Literal literal) {
                suggestions.add(new Suggestion(literal.word(), ""));
                required = true;
            } else {
                Element.Value value = (Element.Value) expected;
                suggestions.addAll(valuesOf(spec, value, given, source));
                required = value.required();
            }
        }
        if (!required) {
            for (Element.Named named : spec.named()) {
                // of a group, only while none of it is given
                if (!usedKeywords.contains(named.keyword()) && named.oneOf().stream().noneMatch(usedKeywords::contains)) {
                    String what = named.value() == null ? "flag" : named.value().metavar();
                    String kind = named.required() ? "required: " : !named.oneOf().isEmpty()
                            ? "one of " + String.join(", ", named.oneOf()) + ": " : "option: ";
                    suggestions.add(new Suggestion(named.keyword(), kind + what));
                }
            }
        }
        return suggestions;
    }

    private static List<Suggestion> valuesOf(CommandSpec spec, Element.Value value, Map<String, String> given,
                                             ValueSource source) {
        if (value.type() == ValueType.CHOICE) {
            return value.choices().stream().map(c -> new Suggestion(c, "")).toList();
        }
        List<Suggestion> values = new ArrayList<>(source.values(spec, value, given));
        boolean listed = values.stream().anyMatch(s -> s.kind() != Suggestion.Kind.HINT);
        if (!listed || Placeholders.open(value.type())) {
            values.add(0, Suggestion.hint(value.metavar(), Placeholders.meaning(spec, value)));
        }
        return values;
    }
}
