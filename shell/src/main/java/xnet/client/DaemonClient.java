package xnet.client;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import xnet.daemon.ChannelStreams;
import xnet.daemon.Frame;
import xnet.daemon.FrameOutput;
import xnet.grammar.Suggestion;

/**
 * A connection to a target's xnetd, from the Java front ends (the interactive shell, and `-c`
 * and `-f` when the launcher's C client is not used). One connection is one session.
 */
public final class DaemonClient implements Closeable {

    private final SocketChannel channel;
    private final DataInputStream in;
    private final FrameOutput out;
    private final List<Suggestion> candidates = new ArrayList<>();
    private String lastDone = "";
    /** Whether this client waits in pump, and when xnetd was last heard (any frame, ALIVE too). */
    private volatile boolean waiting;
    private volatile long lastHeard;
    private volatile OutputStream waitNotices;
    private volatile boolean told;
    private volatile boolean gaveUp;
    /** Set while this client reads its standard input for xnetd (which then waits for it). */

    /** Looks at every waiting client once a second: a silent xnetd is stopped or hung, and the user is told. */
    private static final java.util.concurrent.ScheduledExecutorService WATCH =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "xnet-daemon-watch");
                thread.setDaemon(true);
                return thread;
            });
    private final java.util.concurrent.ScheduledFuture<?> watch;

    private DaemonClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new DataInputStream(new BufferedInputStream(ChannelStreams.in(channel)));
        this.out = new FrameOutput(ChannelStreams.out(channel));
        this.watch = WATCH.scheduleAtFixedRate(this::watchSilence, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Connects to the socket; throws when no daemon listens there. */
    public static DaemonClient connect(java.nio.file.Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException refused) {
            channel.close();
            throw refused;
        }
        return new DaemonClient(channel);
    }

    /** Sends the hello; {@code fields} become its "key=value" lines. */
    public void hello(Map<String, String> fields) throws IOException {
        StringBuilder text = new StringBuilder();
        fields.forEach((k, v) -> text.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        out.send(Frame.HELLO, text.toString());
    }

    public void send(char type, String text) throws IOException {
        send(Frame.text(type, text));
    }

    public synchronized void send(Frame frame) throws IOException {
        out.send(frame);
    }

    /** Ctrl-C: a command this client runs for the daemon is stopped here; else the daemon is told. */
    public void interrupt() throws IOException {
        Process local = runningHere;
        if (local != null) {
            xnet.kernel.EndpointExec.stop(local);
        } else {
            send(Frame.text(Frame.INTERRUPT, ""));
        }
    }

    /**
     * Copies OUT and ERR frames to the two streams until an EXIT (returns its status) or, in shell
     * mode, a DONE (returns null, and its text is in {@link #lastDone()}). Candidates are collected.
     */
    public Integer pump(OutputStream stdout, OutputStream stderr) throws IOException {
        candidates.clear();
        waitNotices = stderr;
        lastHeard = System.currentTimeMillis();
        waiting = true;
        try {
            return frames(stdout, stderr);
        } catch (IOException lost) {
            if (gaveUp) {
                throw new IOException("stopped waiting for xnetd, which had not answered for "
                        + (System.currentTimeMillis() - lastHeard) / 1000 + " s", lost);
            }
            throw lost;
        } finally {
            waiting = false;
        }
    }

    /**
     * Whether xnetd has said nothing, not even ALIVE, for longer than a busy one would. Not while
     * this client runs a command of its own for xnetd (`exec` at the prompt, on this terminal):
     * then xnetd waits for the client, not the other way round. (Standard input goes on a thread
     * of its own, see {@link #sendInput}; xnetd says ALIVE meanwhile.)
     */
    public boolean silent() {
        return waiting && runningHere == null
                && System.currentTimeMillis() - lastHeard > Frame.SILENCE_MS;
    }

    /** Ctrl-C while xnetd is silent: this client stops waiting for it (the pump ends with an error). */
    public void giveUp() throws IOException {
        gaveUp = true;
        channel.close();
    }

    private void watchSilence() {
        if (silent() && !told && waitNotices != null) {
            told = true;
            try {
                waitNotices.write(("xnet: xnetd has not answered for " + Frame.SILENCE_MS / 1000 + " s: it is stopped"
                        + " or hung; still waiting (Ctrl-C ends the wait)\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                waitNotices.flush();
            } catch (IOException unwritable) {
                // nowhere to say it
            }
        }
    }

    private Integer frames(OutputStream stdout, OutputStream stderr) throws IOException {
        for (Frame frame = Frame.read(in); frame != null; frame = Frame.read(in)) {
            lastHeard = System.currentTimeMillis();
            told = false;
            switch (frame.type()) {
                case Frame.OUT -> {
                    stdout.write(frame.payload());
                    stdout.flush();
                    if (stdout instanceof java.io.PrintStream print && print.checkError()) {
                        // `| head -3` has what it wanted: end, and the daemon's command ends with the connection
                        throw new OutputClosed();
                    }
                }
                case Frame.ERR -> {
                    stderr.write(frame.payload());
                    stderr.flush();
                }
                case Frame.CANDIDATE -> {
                    String[] parts = frame.text().split("\0", 3);
                    candidates.add(new Suggestion(parts[0], parts.length > 1 ? parts[1] : "",
                            parts.length > 2 ? Suggestion.Kind.valueOf(parts[2]) : Suggestion.Kind.WORD));
                }
                case Frame.DONE -> {
                    lastDone = frame.text();
                    return null;
                }
                case Frame.EXIT -> {
                    return Integer.parseInt(frame.text().trim());
                }
                case Frame.RUN_HERE -> {
                    send(Frame.text(Frame.STATUS, Integer.toString(runHere(frame.text()))));
                    lastHeard = System.currentTimeMillis(); // the silence starts again from here
                }
                case Frame.NEED_INPUT -> sendInput();
                case Frame.BASE -> runBase = Long.parseLong(frame.text().trim());
                default -> {
                    // a newer daemon's frame this client does not know: skip it
                }
            }
        }
        throw new IOException("xnetd closed the connection");
    }

    /** The running commit as the run began (xnetd's BASE frame); null before it came. */
    private volatile Long runBase;

    /** The running commit's number as this run began, or null when the run had not begun. */
    public Long runBase() {
        return runBase;
    }

    /** Why this client's standard input cannot be sent when the daemon asks for it; null: it can. */
    private volatile String inputRefusal = xnet.shell.StandardInput.IS_TERMINAL;

    /** Lets a run's command read this process's standard input, or says why it cannot (null: it can). */
    public void standardInput(String refusal) {
        inputRefusal = refusal;
    }

    /**
     * A command of the run reads "-", or an exec runs: this process's standard input as it comes,
     * in pieces, then an empty piece. On a thread of its own, so that the run's output goes on
     * meanwhile (an exec's command answers while its input still flows) and an input that never
     * ends cannot hold the run up.
     */
    private void sendInput() throws IOException {
        String refusal = inputRefusal;
        inputRefusal = xnet.shell.StandardInput.READ_BEFORE;
        if (refusal != null) {
            send(Frame.text(Frame.NO_INPUT, refusal));
            return;
        }
        Thread forward = new Thread(() -> {
            byte[] piece = new byte[64 << 10];
            try {
                for (int n = System.in.read(piece); ; n = System.in.read(piece)) {
                    send(new Frame(Frame.INPUT, java.util.Arrays.copyOf(piece, Math.max(n, 0))));
                    if (n < 0) {
                        return;
                    }
                }
            } catch (IOException gone) {
                // the connection or standard input is gone: the run ends on its own
            }
        }, "xnet-input");
        forward.setDaemon(true);
        forward.start();
    }

    /** The command run here for the daemon, while it runs (Ctrl-C stops it by its pid). */
    private volatile Process runningHere;

    /** Runs a command the daemon hands over on this process's terminal (`exec web sh` at the prompt). */
    private int runHere(String command) {
        try {
            Process process = new ProcessBuilder(command.split("\0")).inheritIO().start();
            runningHere = process;
            try {
                return process.waitFor();
            } finally {
                runningHere = null;
            }
        } catch (IOException failed) {
            System.err.println("xnet: " + failed.getMessage());
            return 127;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** What reads this client's output has gone (`| head -3`): the run ends quietly, as after SIGPIPE. */
    public static final class OutputClosed extends IOException {
        public OutputClosed() {
            super("standard output is closed");
        }
    }

    public List<Suggestion> candidates() {
        return List.copyOf(candidates);
    }

    public String lastDone() {
        return lastDone;
    }

    @Override
    public void close() throws IOException {
        watch.cancel(false);
        channel.close();
    }
}
