package xnet.grammar;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits input into statements and words, as a POSIX shell would for the simple cases: words are
 * separated by blanks, quotes group, a backslash escapes, an unquoted ';' ends a statement and an
 * unquoted '#' at the start of a word comments out the rest of the line.
 */
public final class Tokenizer {

    private Tokenizer() {
    }

    public static List<List<String>> statements(String line) {
        List<List<String>> statements = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (c == '\\' && i + 1 < line.length()) {
                word = word == null ? new StringBuilder() : word;
                word.append(line.charAt(++i));
            } else if (Character.isWhitespace(c) || c == ';') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                if (c == ';') {
                    statements.add(words);
                    words = new ArrayList<>();
                }
            } else if (c == '#' && word == null) {
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new UsageException("unclosed " + (quote == '"' ? "double" : "single") + " quote", null);
        }
        if (word != null) {
            words.add(word.toString());
        }
        statements.add(words);
        statements.removeIf(List::isEmpty);
        return statements;
    }
}
