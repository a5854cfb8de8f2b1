package xnet.grammar;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import xnet.model.Cidr;
import xnet.model.Ipv4;

/**
 * The one parser of xnet: the interactive shell, `-c`, batch files, `source` and profiles all
 * go through {@link #parse}, so a line means the same wherever it is typed.
 */
public final class Grammar {

    private final List<CommandSpec> specs;
    /** The specs by their first word: a line of a 100,000-line batch looks at its few, not at all. */
    private final Map<String, List<CommandSpec>> byFirstWord = new HashMap<>();
    /** The command words that may follow each whole-word prefix of a command ("bridge" -> add, delete, ...). */
    private final Map<List<String>, Set<String>> nextWords = new HashMap<>();
    private final Map<List<String>, CommandSpec> byWords = new HashMap<>();
    private final Abbreviations abbreviations = new Abbreviations(this);

    public Grammar(List<CommandSpec> specs) {
        this.specs = specs.stream().sorted(Comparator.comparing(CommandSpec::name)).toList();
        for (CommandSpec spec : this.specs) {
            byFirstWord.computeIfAbsent(spec.words().get(0), k -> new ArrayList<>()).add(spec);
            byWords.put(spec.words(), spec);
            for (int n = 0; n < spec.words().size(); n++) {
                nextWords.computeIfAbsent(List.copyOf(spec.words().subList(0, n)), k -> new LinkedHashSet<>())
                        .add(spec.words().get(n));
            }
        }
    }

    /** The command words that can follow these (empty after a whole command that has no subcommand). */
    Set<String> nextWords(List<String> prefix) {
        return nextWords.getOrDefault(prefix, Set.of());
    }

    /** The spec whose command words are exactly these. */
    Optional<CommandSpec> exactly(List<String> words) {
        return Optional.ofNullable(byWords.get(words));
    }

    private List<CommandSpec> candidates(List<String> words) {
        return words.isEmpty() ? specs : byFirstWord.getOrDefault(words.get(0), List.of());
    }

    /** The statement as it would be written in full: abbreviations spelled out, `A->B` split. */
    public List<String> expand(List<String> words) {
        return abbreviations.expand(words);
    }

    /** {@link #expand}, leaving what is ambiguous as typed. */
    List<String> expandLeniently(List<String> words) {
        return abbreviations.expandLeniently(words);
    }

    public List<CommandSpec> specs() {
        return specs;
    }

    /** The spec with the most command words that begin the given words. */
    public Optional<CommandSpec> match(List<String> words) {
        return candidates(words).stream()
                .filter(s -> s.words().size() <= words.size() && words.subList(0, s.words().size()).equals(s.words()))
                .max(Comparator.comparingInt(s -> s.words().size()));
    }

    /** Specs whose command words start with the given words (for `help bridge`, and errors). */
    public List<CommandSpec> startingWith(List<String> words) {
        return candidates(words).stream()
                .filter(s -> s.words().size() >= words.size() && s.words().subList(0, words.size()).equals(words))
                .toList();
    }

    public Invocation parse(List<String> typed) {
        List<String> words = expand(typed);
        Optional<CommandSpec> matched = match(words);
        // "bridge frob" must say which subcommands exist rather than claim "bridge" itself is unknown.
        if (matched.isEmpty() || matched.get().words().size() < deepestPrefix(words)) {
            throw unknown(words);
        }
        CommandSpec spec = matched.get();
        return new Invocation(spec, bind(spec, words.subList(spec.words().size(), words.size())));
    }

    private int deepestPrefix(List<String> words) {
        int depth = 0;
        for (int n = 1; n <= words.size(); n++) {
            if (!startingWith(words.subList(0, n)).isEmpty()) {
                depth = n;
            }
        }
        return depth;
    }

    private UsageException unknown(List<String> words) {
        for (int depth = words.size(); depth > 0; depth--) {
            final int n = depth;
            List<CommandSpec> group = startingWith(words.subList(0, n));
            if (!group.isEmpty()) {
                Set<String> next = new LinkedHashSet<>();
                group.forEach(s -> next.add(s.words().size() > n ? s.words().get(n) : "<end>"));
                String prefix = String.join(" ", words.subList(0, n));
                String typed = words.size() > n ? "unknown subcommand '" + words.get(n) + "' of '" + prefix + "'"
                        : "incomplete command '" + prefix + "'";
                return new UsageException(typed + "; expected one of: " + String.join(", ",
                        next.stream().map(w -> prefix + " " + w).toList()), null);
            }
        }
        return new UsageException("unknown command '" + words.get(0) + "'; type 'help' for the list of commands", null);
    }

    private static Map<String, Object> bind(CommandSpec spec, List<String> args) {
        Map<String, Object> values = new HashMap<>();
        List<Element> positionals = spec.positionals();
        int next = 0;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            Element expected = next < positionals.size() ? positionals.get(next) : null;
            if (expected instanceof Element.Value rest && rest.type() == ValueType.REST) {
                values.put(rest.key(), List.copyOf(args.subList(i, args.size())));
                next++;
                break;
            }
            Element.Named named = namedFor(spec, arg);
            if (named != null && !(expected instanceof Element.Literal literal && literal.word().equals(arg))) {
                String key = named.value() == null ? named.keyword().replaceFirst("^--", "") : named.value().key();
                if (values.containsKey(key)) {
                    throw new UsageException(named.keyword() + " is given twice", spec.usage());
                }
                if (named.value() == null) {
                    values.put(key, Boolean.TRUE);
                } else {
                    if (i + 1 >= args.size()) {
                        throw new UsageException(named.keyword() + " needs a value " + named.value().metavar(), spec.usage());
                    }
                    if (named.value().type() == ValueType.REST) {
                        // the rest of the statement, as typed: `commit comment fix the web rule`
                        values.put(key, String.join(" ", args.subList(i + 1, args.size())));
                        break;
                    }
                    values.put(key, convert(named.value(), args.get(++i), spec));
                }
                continue;
            }
            if (expected == null) {
                throw new UsageException("unexpected '" + arg + "'", spec.usage());
            }
            if (expected instanceof Element.Literal literal) {
                if (!literal.word().equals(arg)) {
                    throw new UsageException("expected '" + literal.word() + "' but found '" + arg + "'", spec.usage());
                }
            } else {
                Element.Value value = (Element.Value) expected;
                values.put(value.key(), convert(value, arg, spec));
            }
            next++;
        }
        for (int p = next; p < positionals.size(); p++) {
            Element missing = positionals.get(p);
            if (missing instanceof Element.Literal literal) {
                throw new UsageException("missing '" + literal.word() + "'", spec.usage());
            }
            Element.Value value = (Element.Value) missing;
            if (value.required()) {
                throw new UsageException("missing " + value.metavar(), spec.usage());
            }
        }
        for (Element.Named named : spec.named()) {
            if (named.required() && !values.containsKey(named.value().key())) {
                throw new UsageException("missing " + named.keyword() + " " + named.value().metavar(), spec.usage());
            }
            if (!named.oneOf().isEmpty() && named.keyword().equals(named.oneOf().get(0))) {
                List<String> given = spec.named().stream().filter(n -> n.oneOf().equals(named.oneOf())
                        && values.containsKey(n.value().key())).map(Element.Named::keyword).toList();
                if (given.size() != 1) {
                    throw new UsageException((given.isEmpty() ? "missing " : "give only one of ")
                            + String.join(" or ", named.oneOf()), spec.usage());
                }
            }
        }
        return values;
    }

    private static Element.Named namedFor(CommandSpec spec, String arg) {
        return spec.named().stream().filter(n -> n.keyword().equals(arg)).findFirst().orElse(null);
    }

    static Object convert(Element.Value value, String text, CommandSpec spec) {
        try {
            return switch (value.type()) {
                case CIDR -> Cidr.parse(text);
                case IPV4 -> Ipv4.parse(text);
                case CIDR6 -> xnet.model.Cidr6.parse(text);
                case IPV6 -> xnet.model.Ipv6.parse(text);
                case IP -> xnet.model.IpAddress.parse(text);
                case INT, COMMIT, FILTER_RULE, NAT_RULE -> parseCount(text);
                case PREFIX -> xnet.model.FilterRuleSyntax.prefix(text);
                case PORTS -> xnet.model.PortRange.parse(text);
                case STATES -> xnet.model.ConnStates.parse(text);
                case DURATION -> parseDuration(text);
                case CHOICE -> {
                    if (!value.choices().contains(text)) {
                        throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", value.choices()));
                    }
                    yield text;
                }
                default -> {
                    if (text.startsWith("--")) {
                        throw new IllegalArgumentException("expected " + value.metavar() + " but found option '" + text + "'");
                    }
                    yield text;
                }
            };
        } catch (IllegalArgumentException bad) {
            throw new UsageException(bad.getMessage(), spec.usage());
        }
    }

    private static Integer parseCount(String text) {
        if (!xnet.model.Digits.ascii(text, 9)) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
        return Integer.parseInt(text);
    }

    /** Whole minutes, or digits with a unit: s, m or h. */
    static java.time.Duration parseDuration(String text) {
        String digits = text.isEmpty() ? text : text.substring(0, text.length() - 1);
        char unit = text.isEmpty() ? ' ' : text.charAt(text.length() - 1);
        if (Character.isDigit(unit)) {
            digits = text;
            unit = 'm';
        }
        if (!xnet.model.Digits.ascii(digits, 7) || "smh".indexOf(unit) < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a time: give minutes, or a number with its unit "
                    + "(90s, 10m, 2h)");
        }
        long n = Long.parseLong(digits);
        return unit == 's' ? java.time.Duration.ofSeconds(n) : unit == 'm' ? java.time.Duration.ofMinutes(n)
                : java.time.Duration.ofHours(n);
    }

    /** Every distinct first word, for the help index. */
    public List<String> topWords() {
        List<String> words = new ArrayList<>();
        specs.forEach(s -> {
            if (!words.contains(s.words().get(0))) {
                words.add(s.words().get(0));
            }
        });
        return words;
    }
}
