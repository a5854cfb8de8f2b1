package xnet.grammar;

/**
 * A completion candidate and a short description shown beside it. A {@link Kind#HINT} is never
 * inserted: it shows what kind of value goes here ("NAME", "CIDR") when the grammar cannot list
 * the values themselves.
 */
public record Suggestion(String value, String description, Kind kind) {

    public enum Kind {
        /** A whole word: inserted, followed by a blank. */
        WORD,
        /** The start of a word, such as "10.0.1.2:" before a port: inserted, the cursor stays in the word. */
        PART,
        /** A placeholder with its meaning: shown, never inserted. */
        HINT
    }

    public Suggestion(String value, String description) {
        this(value, description, Kind.WORD);
    }

    public static Suggestion hint(String placeholder, String meaning) {
        return new Suggestion(placeholder, meaning, Kind.HINT);
    }

    public static Suggestion part(String value, String description) {
        return new Suggestion(value, description, Kind.PART);
    }

    /** Whether this candidate fits the word typed so far; a hint fits only an empty word. */
    public boolean fits(String partial) {
        return kind == Kind.HINT ? partial.isEmpty() : value.startsWith(partial);
    }
}
