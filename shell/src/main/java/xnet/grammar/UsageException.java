package xnet.grammar;

/** Input that does not fit the grammar; {@code usage} is the expected form, when a command was recognised. */
public class UsageException extends RuntimeException {

    private final String usage;

    public UsageException(String message, String usage) {
        super(message);
        this.usage = usage;
    }

    public String usage() {
        return usage;
    }

    /** One line: what is wrong, then the expected form. */
    public String oneLine() {
        return usage == null ? getMessage() : getMessage() + " (usage: " + usage + ")";
    }
}
