package xnet.grammar;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Spells out what a user abbreviated, the way vtysh and Junos do: a unique prefix of a command
 * word, a keyword (`from`, `--json`, `->`) or a choice (`tcp`) stands for it, so `sh cou` is
 * `show counters` and `fil add dr fr 10.0.0.0/8` is `filter add drop from 10.0.0.0/8`. An
 * ambiguous prefix is an error that lists the candidates. Only words where the grammar expects
 * a keyword or a choice are expanded: a value (a name, an address, a comment, exec's argv) is
 * taken as typed, so a container called "pro" never turns into "proto".
 */
final class Abbreviations {

    private final Grammar grammar;

    Abbreviations(Grammar grammar) {
        this.grammar = grammar;
    }

    /** The statement with every abbreviation spelled out; throws {@link UsageException} when one is ambiguous. */
    List<String> expand(List<String> words) {
        List<String> out = commandWords(words);
        Optional<CommandSpec> spec = grammar.match(out);
        if (spec.isEmpty()) {
            return out;
        }
        int first = spec.get().words().size();
        List<String> args = arrows(spec.get(), out.subList(first, out.size()));
        List<String> expanded = new ArrayList<>(out.subList(0, first));
        expanded.addAll(arguments(spec.get(), args));
        return expanded;
    }

    /** The same, but a word that is ambiguous or unknown stays as typed (for completion, which must not fail). */
    List<String> expandLeniently(List<String> words) {
        try {
            return expand(words);
        } catch (UsageException ambiguous) {
            return words;
        }
    }

    private List<String> commandWords(List<String> words) {
        List<String> out = new ArrayList<>();
        for (String word : words) {
            Set<String> next = grammar.nextWords(out);
            if (next.isEmpty() || word.isEmpty()) {
                break; // a whole command, or a quoted empty word: the arguments begin here
            }
            if (next.contains(word)) {
                out.add(word);
                continue;
            }
            List<String> matches = next.stream().filter(w -> w.startsWith(word)).toList();
            Optional<CommandSpec> here = grammar.exactly(out);
            // `commit c`: "check" is a subcommand, "comment" a keyword of `commit` itself
            List<String> keywords = here.map(s -> keywordsAt(s, 0).stream().filter(k -> k.startsWith(word)).toList())
                    .orElse(List.of());
            if (matches.size() == 1 && keywords.isEmpty()) {
                out.add(matches.get(0));
                continue;
            }
            if (matches.size() + keywords.size() > 1 && !matches.isEmpty()) {
                List<String> all = new ArrayList<>(matches);
                all.addAll(keywords);
                throw ambiguous(word, out, all);
            }
            break; // not a command word: the arguments begin here
        }
        out.addAll(words.subList(out.size(), words.size()));
        return out;
    }

    /** The keywords a spec takes as its first argument: its flags and options, a leading literal or choice. */
    private static List<String> keywordsAt(CommandSpec spec, int positional) {
        List<String> keywords = new ArrayList<>();
        List<Element> positionals = spec.positionals();
        if (positional < positionals.size()) {
            Element expected = positionals.get(positional);
            if (expected instanceof Element.Literal literal) {
                keywords.add(literal.word());
            } else if (expected instanceof Element.Value v && v.type() == ValueType.CHOICE) {
                keywords.addAll(v.choices());
            }
        }
        spec.named().forEach(n -> keywords.add(n.keyword()));
        return keywords;
    }

    /** `nat add 10.0.0.1:80->10.0.1.2:8080`: a literal "->" written without blanks still separates. */
    private static List<String> arrows(CommandSpec spec, List<String> args) {
        if (!spec.positionals().contains(new Element.Literal("->"))) {
            return args;
        }
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            int at = arg.indexOf("->");
            if (at < 0 || arg.equals("->")) {
                out.add(arg);
                continue;
            }
            if (at > 0) {
                out.add(arg.substring(0, at));
            }
            out.add("->");
            if (at + 2 < arg.length()) {
                out.add(arg.substring(at + 2));
            }
        }
        return out;
    }

    private static List<String> arguments(CommandSpec spec, List<String> args) {
        List<Element> positionals = spec.positionals();
        List<String> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        int next = 0;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            Element expected = next < positionals.size() ? positionals.get(next) : null;
            if (expected instanceof Element.Value rest && rest.type() == ValueType.REST) {
                out.addAll(args.subList(i, args.size()));
                return out;
            }
            boolean freeValue = expected instanceof Element.Value v && v.type() != ValueType.CHOICE;
            List<String> keywords = new ArrayList<>();
            if (!freeValue || arg.startsWith("--")) {
                if (!freeValue) {
                    keywords.addAll(keywordsAt(spec, next).stream()
                            .filter(k -> spec.named().stream().noneMatch(n -> n.keyword().equals(k))).toList());
                }
                spec.named().stream().map(Element.Named::keyword).filter(k -> !used.contains(k)).forEach(keywords::add);
            } else {
                spec.named().stream().map(Element.Named::keyword).filter(arg::equals).forEach(keywords::add);
            }
            String word = spell(arg, keywords, spec);
            out.add(word);
            Element.Named named = spec.named().stream().filter(n -> n.keyword().equals(word)).findFirst().orElse(null);
            if (named != null && !(expected instanceof Element.Literal l && l.word().equals(word))) {
                used.add(word);
                if (named.value() != null && i + 1 < args.size()) {
                    if (named.value().type() == ValueType.REST) {
                        out.addAll(args.subList(i + 1, args.size()));
                        return out;
                    }
                    String value = args.get(++i);
                    out.add(named.value().type() == ValueType.CHOICE ? spell(value, named.value().choices(), spec) : value);
                }
            } else if (expected != null) {
                next++;
            }
        }
        return out;
    }

    /** The keyword {@code typed} stands for: itself, or the one keyword it begins; as typed when none. */
    private static String spell(String typed, List<String> keywords, CommandSpec spec) {
        if (typed.isEmpty() || keywords.contains(typed)) {
            return typed;
        }
        List<String> matches = keywords.stream().filter(k -> k.startsWith(typed)).distinct().toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            throw new UsageException("ambiguous '" + typed + "' in '" + spec.name() + "': it may be "
                    + String.join(", ", matches), spec.usage());
        }
        return typed;
    }

    private static UsageException ambiguous(String typed, List<String> before, List<String> candidates) {
        String prefix = before.isEmpty() ? "" : String.join(" ", before) + " ";
        return new UsageException("ambiguous command '" + prefix + typed + "': it may be "
                + String.join(", ", candidates.stream().map(c -> prefix + c).toList()), null);
    }
}
