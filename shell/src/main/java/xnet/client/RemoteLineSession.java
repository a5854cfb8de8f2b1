package xnet.client;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import xnet.daemon.Frame;
import xnet.shell.GrammarCompleter;
import xnet.shell.LineSession;

/** The prompt's session in xnetd: each line and each Tab is a round trip on the one connection. */
public final class RemoteLineSession implements LineSession {

    private final DaemonClient client;
    private final OutputStream out;
    private final OutputStream err;
    private String greeting = "";
    private String prompt = "xnet> ";
    private boolean exitRequested;

    public RemoteLineSession(DaemonClient client, Map<String, String> hello, OutputStream out, OutputStream err)
            throws IOException {
        this.client = client;
        this.out = out;
        this.err = err;
        client.hello(hello);
        client.pump(out, err);
        String first = client.lastDone().substring(1);
        int end = first.lastIndexOf('\n');
        greeting = first.substring(0, end);
        prompt = first.substring(end + 1);
    }

    @Override
    public String greeting() {
        return greeting;
    }

    @Override
    public String prompt() {
        return prompt;
    }

    @Override
    public void runLine(String line) throws IOException {
        client.send(Frame.LINE, line);
        answer();
    }

    private void answer() throws IOException {
        client.pump(out, err);
        String done = client.lastDone();
        exitRequested = done.startsWith("1");
        prompt = done.substring(1);
    }

    /** Ctrl-C: the daemon stops the line's command; a daemon that has gone silent is given up on. */
    @Override
    public void interrupt() {
        try {
            if (client.silent()) {
                client.giveUp();
            } else {
                client.interrupt();
            }
        } catch (IOException gone) {
            // the next line finds the session lost and says so
        }
    }

    @Override
    public boolean exitRequested() {
        return exitRequested;
    }

    @Override
    public GrammarCompleter.Suggester suggester() {
        return (done, partial) -> {
            List<String> words = new ArrayList<>(done);
            words.add(partial);
            client.send(Frame.COMPLETE, String.join("\0", words));
            answer();
            return client.candidates();
        };
    }
}
