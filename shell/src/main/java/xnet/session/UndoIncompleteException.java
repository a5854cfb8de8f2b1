package xnet.session;

import java.util.List;

/**
 * A failure whose own undo could not finish: {@link #leftBehind} says what stays in the kernel,
 * and the commit records it as drift. Keeps the cause's message and log.
 */
public class UndoIncompleteException extends RuntimeException implements LogCarrying {

    private final List<String> leftBehind;

    public UndoIncompleteException(RuntimeException cause, List<String> leftBehind) {
        super(cause.getMessage(), cause);
        this.leftBehind = List.copyOf(leftBehind);
    }

    public List<String> leftBehind() {
        return leftBehind;
    }

    @Override
    public String logTail(int lines) {
        return getCause() instanceof LogCarrying carrying ? carrying.logTail(lines) : "";
    }

    /** Throws {@code failure}, wrapped when its undo left something behind. */
    public static RuntimeException of(RuntimeException failure, List<String> leftBehind) {
        return leftBehind.isEmpty() ? failure : new UndoIncompleteException(failure, leftBehind);
    }
}
