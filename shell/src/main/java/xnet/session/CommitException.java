package xnet.session;

import java.util.List;

/** A commit that was refused or failed; the kernel and the running state are as they were. */
public class CommitException extends RuntimeException {

    private final List<String> details;

    public CommitException(String message, List<String> details) {
        super(message);
        this.details = List.copyOf(details);
    }

    public CommitException(String message) {
        this(message, List.of());
    }

    public List<String> details() {
        return details;
    }
}
