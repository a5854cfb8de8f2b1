package xnet.session;

import java.time.Duration;
import java.time.Instant;

/**
 * A commit made with `commit confirmed` that is not confirmed yet: unless a user's commit (or
 * `commit confirm`) comes first, the running config goes back to commit {@code rollbackTo} at
 * {@code deadline}. {@code commit} is the newest confirmed-commit awaiting confirmation; a second
 * `commit confirmed` before the deadline moves the deadline and keeps {@code rollbackTo}, the last
 * config a user confirmed, as Junos does.
 */
public record PendingConfirm(int commit, int rollbackTo, String deadline, String user, String comment) {

    /** The comment of the commit that rolls the confirmed commits back; how a restarted owner knows it ran. */
    public String rollbackComment() {
        return "rollback of unconfirmed commit " + commit + ": not confirmed by " + deadline + ", back to commit "
                + rollbackTo;
    }

    public Instant deadlineInstant() {
        return Instant.parse(deadline);
    }

    public boolean overdue(Instant now) {
        return !now.isBefore(deadlineInstant());
    }

    /** Time left until the deadline, never negative. */
    public Duration remaining(Instant now) {
        Duration left = Duration.between(now, deadlineInstant());
        return left.isNegative() ? Duration.ZERO : left;
    }
}
