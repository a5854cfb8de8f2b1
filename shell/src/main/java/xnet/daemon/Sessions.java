package xnet.daemon;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import xnet.service.TargetService;

/**
 * The sessions of xnetd's connected clients (a shell, a -c or -f run), so that `daemon stop`
 * knows whose uncommitted edits it would drop, and tells each session why it ends instead of
 * leaving it to find the connection gone.
 */
final class Sessions {

    /** {@code run}: a -c or -f run, which waits for an EXIT; a shell waits for DONE and learns at its next line. */
    private record Open(TargetService target, FrameOutput out, SocketChannel channel, boolean run) {
    }

    private final Map<Connection, Open> open = new ConcurrentHashMap<>();

    void opened(Connection connection, TargetService target, FrameOutput out, SocketChannel channel, boolean run) {
        open.put(connection, new Open(target, out, channel, run));
    }

    void closed(Connection connection) {
        open.remove(connection);
    }

    /** Why stopping now would lose edits ("2 session(s) have 5 uncommitted change(s)"), or null. */
    String editsThatWouldBeLost() {
        List<Open> editing = open.values().stream().filter(o -> o.target().hasChanges()).toList();
        if (editing.isEmpty()) {
            return null;
        }
        int changes = editing.stream().mapToInt(o -> o.target().changes().size()).sum();
        return editing.size() + " other session(s) have " + changes + " uncommitted change(s)";
    }

    /** Tells every session why it ends (with the edits it drops), and closes it; returns how many. */
    int endAll(String why) {
        int ended = 0;
        for (Open session : open.values()) {
            int changes = session.target().hasChanges() ? session.target().changes().size() : 0;
            try {
                session.out().send(Frame.ERR, "xnet: " + why + "; this session ended" + (changes == 0 ? ""
                        : ", and its " + changes + " uncommitted change(s) were dropped") + "\n");
                if (session.run()) {
                    // a run's client then ends with status 1, knowing why: a lost connection would
                    // make it start the next xnetd to learn about its commit, undoing the stop
                    session.out().send(Frame.EXIT, "1");
                }
                session.channel().shutdownOutput();
            } catch (IOException gone) {
                // that client had gone already
            }
            ended++;
        }
        return ended;
    }
}
