package xnet.grammar;

/** A completion candidate and a short description shown beside it. */
public record Suggestion(String value, String description) {
}
