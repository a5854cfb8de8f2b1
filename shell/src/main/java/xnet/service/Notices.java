package xnet.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What happened to a target that no session typed (a confirmed commit rolled back at its
 * deadline, or its rollback failing), for every session to read once, at its next line. Each
 * session keeps the number of the last notice it read; nothing is registered, so a session that
 * ends leaves nothing behind. Only the newest {@link #KEPT} are kept.
 */
public final class Notices {

    static final int KEPT = 100;

    private record Notice(long number, String text) {
    }

    private final Deque<Notice> recent = new ArrayDeque<>();
    private long last;

    public synchronized void post(String text) {
        recent.addLast(new Notice(++last, text));
        if (recent.size() > KEPT) {
            recent.removeFirst();
        }
    }

    /** The number of the newest notice: a new session starts from here, having read none. */
    public synchronized long newest() {
        return last;
    }

    /** The notices after {@code seen}, oldest first. */
    public synchronized List<String> after(long seen) {
        List<String> out = new ArrayList<>();
        for (Notice n : recent) {
            if (n.number() > seen) {
                out.add(n.text());
            }
        }
        return out;
    }
}
