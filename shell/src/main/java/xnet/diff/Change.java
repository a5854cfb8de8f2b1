package xnet.diff;

/**
 * One object that differs between running and candidate. {@code before} is null for an added
 * object, {@code after} for a removed one.
 */
public record Change<T>(Kind kind, String name, T before, T after) {

    public enum Kind { ADDED, REMOVED, CHANGED }

    public String symbol() {
        return switch (kind) {
            case ADDED -> "+";
            case REMOVED -> "-";
            case CHANGED -> "~";
        };
    }
}
