package xnet.grammar;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command's words and syntax, written once as text and used for parsing, completion, usage
 * lines and help. Syntax: {@code <key:TYPE>} a value, {@code <key:a|b>} a choice, a bare word a
 * literal, {@code --opt <key:TYPE>} a required keyword, {@code [kw <key:TYPE>]} an optional
 * keyword, {@code [--flag]} a flag, {@code [<key:TYPE>]} an optional value.
 */
public record CommandSpec(List<String> words, String syntax, String summary, String details,
                          List<Element> elements, List<Element> positionals, List<Element.Named> named,
                          String name) {

    private static final Pattern VALUE = Pattern.compile("<([a-z][a-zA-Z0-9]*):([A-Za-z0-9|_-]+)>");

    public static CommandSpec of(String words, String syntax, String summary) {
        return of(words, syntax, summary, "");
    }

    public static CommandSpec of(String words, String syntax, String summary, String details) {
        List<Element> elements = parseSyntax(syntax);
        // the positional and named elements apart, once: the parser asks for them on every line
        return new CommandSpec(List.of(words.split(" ")), syntax, summary, details, elements,
                elements.stream().filter(e -> !(e instanceof Element.Named)).toList(),
                elements.stream().filter(e -> e instanceof Element.Named).map(e -> (Element.Named) e).toList(),
                words);
    }

    public String usage() {
        StringBuilder out = new StringBuilder(name());
        for (int i = 0; i < elements.size(); i++) {
            Element element = elements.get(i);
            if (element instanceof Element.Named named && !named.oneOf().isEmpty()) {
                // a group: (--a A | --b B), once, at its first member
                List<String> alternatives = new ArrayList<>();
                for (; i < elements.size() && elements.get(i) instanceof Element.Named member
                        && member.oneOf().equals(named.oneOf()); i++) {
                    alternatives.add(member.keyword() + (member.value() == null ? "" : " " + member.value().metavar()));
                }
                i--;
                out.append(" (").append(String.join(" | ", alternatives)).append(')');
                continue;
            }
            out.append(' ').append(render(element));
        }
        return out.toString();
    }

    private static String render(Element element) {
        if (element instanceof Element.Literal literal) {
            return literal.word();
        }
        if (element instanceof Element.Value value) {
            if (value.type() == ValueType.REST) {
                return value.required() ? value.metavar() + "..." : "[" + value.metavar() + "...]";
            }
            return value.required() ? value.metavar() : "[" + value.metavar() + "]";
        }
        Element.Named named = (Element.Named) element;
        String text = named.value() == null ? named.keyword() : named.keyword() + " " + named.value().metavar()
                + (named.value().type() == ValueType.REST ? "..." : "");
        return named.required() ? text : "[" + text + "]";
    }

    static List<Element> parseSyntax(String syntax) {
        List<Element> elements = new ArrayList<>();
        List<String> parts = syntax.isBlank() ? List.of() : List.of(syntax.trim().split("\\s+"));
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            if (part.startsWith("(")) {
                i = oneOf(parts, i, elements);
                continue;
            }
            boolean optional = part.startsWith("[");
            String inner = optional ? part.substring(1) : part;
            boolean closes = inner.endsWith("]");
            if (closes) {
                inner = inner.substring(0, inner.length() - 1);
            }
            if (inner.startsWith("<")) {
                elements.add(value(inner, !optional));
            } else if (optional && !closes) {
                String next = parts.get(++i);
                elements.add(new Element.Named(inner, value(next.substring(0, next.length() - 1), true), false));
            } else if (optional) {
                elements.add(new Element.Named(inner, null, false));
            } else if (inner.startsWith("--") && inner.length() > 2 && i + 1 < parts.size()
                    && parts.get(i + 1).startsWith("<")) {
                elements.add(new Element.Named(inner, value(parts.get(++i), true), true));
            } else {
                elements.add(new Element.Literal(inner));
            }
        }
        return elements;
    }

    /**
     * {@code (--a <a:T> | --b <b:T>)}: keywords of which exactly one is given. Adds them from
     * {@code start}; returns the index of the group's last part.
     */
    private static int oneOf(List<String> parts, int start, List<Element> elements) {
        List<String> keywords = new ArrayList<>();
        List<Element.Value> values = new ArrayList<>();
        int i = start;
        while (true) {
            String keyword = parts.get(i).startsWith("(") ? parts.get(i).substring(1) : parts.get(i);
            String value = parts.get(++i);
            boolean last = value.endsWith(")");
            keywords.add(keyword);
            values.add(value(last ? value.substring(0, value.length() - 1) : value, true));
            if (last) {
                break;
            }
            if (!parts.get(++i).equals("|")) {
                throw new IllegalArgumentException("bad group in command spec: expected '|' after " + value);
            }
            i++;
        }
        for (int k = 0; k < keywords.size(); k++) {
            elements.add(new Element.Named(keywords.get(k), values.get(k), false, List.copyOf(keywords)));
        }
        return i;
    }

    private static Element.Value value(String text, boolean required) {
        Matcher m = VALUE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad value syntax in command spec: " + text);
        }
        String type = m.group(2);
        if (type.contains("|") || type.equals(type.toLowerCase())) {
            return new Element.Value(m.group(1), ValueType.CHOICE, List.of(type.split("\\|")), required);
        }
        return new Element.Value(m.group(1), ValueType.valueOf(type), List.of(), required);
    }
}
