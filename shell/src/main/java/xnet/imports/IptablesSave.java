package xnet.imports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text `iptables-save` writes, read into tables, chains and rules, each rule with its line
 * number and its words (quotes removed, as the shell that iptables-restore mimics would). Only
 * the structure is checked here; what the rules mean is {@link IptablesImport}'s business.
 */
public final class IptablesSave {

    /** One `-A CHAIN ...` line: its number in the file, the chain, and the words after the chain. */
    public record Rule(int line, String chain, List<String> words, String text) {
    }

    /** A chain with the line that declares it, its policy (null for a user chain) and its rules in order. */
    public record Chain(String name, int line, String policy, List<Rule> rules) {
    }

    /** A `*table` section; chains in the order they were declared. */
    public record Table(String name, Map<String, Chain> chains) {
    }

    private IptablesSave() {
    }

    /** The tables of the file, in order; a line that is not iptables-save's throws with its number. */
    public static List<Table> parse(String text) {
        List<Table> tables = new ArrayList<>();
        String table = null;
        Map<String, String> policies = new LinkedHashMap<>();
        Map<String, Integer> declared = new LinkedHashMap<>();
        Map<String, List<Rule>> rules = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("*")) {
                if (table != null) {
                    throw problem(number, "table " + table + " has no COMMIT before *" + line.substring(1));
                }
                table = line.substring(1).strip();
                policies = new LinkedHashMap<>();
                declared = new LinkedHashMap<>();
                rules = new LinkedHashMap<>();
            } else if (table == null) {
                throw problem(number, "expected a table (*filter, *nat) first, found '" + line + "'");
            } else if (line.equals("COMMIT")) {
                Map<String, Chain> chains = new LinkedHashMap<>();
                for (Map.Entry<String, String> p : policies.entrySet()) {
                    chains.put(p.getKey(), new Chain(p.getKey(), declared.get(p.getKey()), p.getValue(),
                            List.copyOf(rules.get(p.getKey()))));
                }
                tables.add(new Table(table, chains));
                table = null;
            } else if (line.startsWith(":")) {
                String[] parts = line.substring(1).split("\\s+");
                if (parts.length < 2) {
                    throw problem(number, "a chain line is ':NAME POLICY [packets:bytes]', found '" + line + "'");
                }
                policies.put(parts[0], parts[1].equals("-") ? null : parts[1]);
                declared.put(parts[0], number);
                rules.put(parts[0], new ArrayList<>());
            } else if (line.startsWith("-A ")) {
                List<String> words = words(line, number);
                String chain = words.get(1);
                if (!rules.containsKey(chain)) {
                    throw problem(number, "chain " + chain + " is not declared in table " + table);
                }
                rules.get(chain).add(new Rule(number, chain, List.copyOf(words.subList(2, words.size())), line));
            } else {
                throw problem(number, "not a line of iptables-save: '" + line + "'");
            }
        }
        if (table != null) {
            throw problem(lines.length, "table " + table + " ends without COMMIT");
        }
        return tables;
    }

    /** Splits on blanks; "double quotes" hold blanks and \" a quote, as iptables-save writes comments. */
    static List<String> words(String line, int number) {
        List<String> out = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    out.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                if (c == '"') {
                    quoted = true;
                } else {
                    word.append(c);
                }
            }
        }
        if (quoted) {
            throw problem(number, "a quote is not closed");
        }
        if (word != null) {
            out.add(word.toString());
        }
        if (out.size() < 2) {
            throw problem(number, "-A needs a chain");
        }
        return out;
    }

    private static IllegalArgumentException problem(int line, String what) {
        return new IllegalArgumentException("line " + line + ": " + what);
    }
}
