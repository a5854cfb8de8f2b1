package xnet.daemon;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import xnet.grammar.Completion;
import xnet.grammar.Suggestion;
import xnet.service.TargetService;
import xnet.shell.Console;
import xnet.shell.ErrorReporter;
import xnet.shell.Prompt;
import xnet.shell.ScriptRunner;
import xnet.shell.ScriptText;
import xnet.shell.ShellAssembly;

/** One client of xnetd: checks who it is, reads its hello, and serves the request the hello names. */
final class Connection implements Runnable {

    private final Xnetd daemon;
    private final SocketChannel channel;

    Connection(Xnetd daemon, SocketChannel channel) {
        this.daemon = daemon;
        this.channel = channel;
    }

    @Override
    public void run() {
        daemon.openConnections().incrementAndGet();
        try (channel) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(ChannelStreams.in(channel)));
            FrameOutput out = new FrameOutput(ChannelStreams.out(channel));
            String refused = refusal();
            if (refused != null) {
                out.send(Frame.ERR, "xnetd: " + refused + "\n");
                out.send(Frame.EXIT, "2");
                return;
            }
            Frame hello = Frame.read(in);
            if (hello == null || hello.type() != Frame.HELLO) {
                return;
            }
            serve(header(hello.text()), in, out);
            daemon.served().incrementAndGet();
        } catch (IOException | UncheckedIOException gone) {
            // the client went away mid-request; its session ends with it
        } catch (RuntimeException bug) {
            Xnetd.log("client failed: " + bug);
        } finally {
            daemon.sessions().closed(this);
            daemon.openConnections().decrementAndGet();
            try {
                daemon.connectionEnded();
            } catch (IOException | RuntimeException stopping) {
                Xnetd.log("could not stop after the lab was destroyed: " + stopping);
            }
        }
    }

    /** Why this peer may not talk to xnetd, or null: only the daemon's own user (root) may. */
    private String refusal() throws IOException {
        UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String self = System.getProperty("user.name");
        return peer.user().getName().equals(self) ? null
                : "user " + peer.user().getName() + " may not use xnet's socket (only " + self + ")";
    }

    private void serve(Map<String, String> hello, DataInputStream in, FrameOutput out) throws IOException {
        String mode = hello.getOrDefault("mode", "");
        switch (mode) {
            case "run" -> runScript(hello, in, out);
            case "cni" -> cni(hello, in, out);
            case "shell" -> shell(hello, in, out);
            case "generation" -> {
                // after a lost connection: the client compares it with the BASE its run began at
                out.send(Frame.OUT, runningGeneration() + "\n");
                out.send(Frame.EXIT, "0");
            }
            case "status" -> {
                out.send(Frame.OUT, ("1".equals(hello.get("json")) ? xnet.state.Json.pretty(daemon.status())
                        : daemon.describe()) + "\n");
                out.send(Frame.EXIT, "0");
            }
            case "stop" -> {
                String name = daemon.ports().layout().name();
                String refused = "1".equals(hello.get("force")) ? null : daemon.sessions().editsThatWouldBeLost();
                if (refused != null) {
                    out.send(Frame.ERR, "xnetd: not stopped: " + refused + "; 'xnet --lab " + name
                            + " daemon stop --force' ends them and drops those edits\n");
                    out.send(Frame.EXIT, "1");
                    return;
                }
                int ended = daemon.sessions().endAll("xnetd for " + name + " was stopped by 'daemon stop' from another"
                        + " client");
                out.send(Frame.OUT, "xnetd for " + name + " (pid " + ProcessHandle.current().pid() + ") stopped"
                        + (ended == 0 ? "" : ", ending " + ended + " other session(s)")
                        + "; the running programs stay in place\n");
                out.send(Frame.EXIT, "0");
                daemon.stop();
            }
            default -> {
                out.send(Frame.ERR, "xnetd: unknown request '" + mode + "'\n");
                out.send(Frame.EXIT, "2");
            }
        }
    }

    /** `-c` and `-f`: the lines, then one exit status. */
    private void runScript(Map<String, String> hello, DataInputStream in, FrameOutput out) throws IOException {
        String name = hello.getOrDefault("name", "");
        List<String> lines = new ArrayList<>();
        RuntimeException unreadable = null;
        long bytes = 0;
        for (Frame frame = Frame.read(in); frame != null && frame.type() != Frame.END; frame = Frame.read(in)) {
            if (frame.type() != Frame.LINE || unreadable != null) {
                continue; // after the first bad line only read to the end, so the client gets its answer
            }
            bytes += frame.payload().length + 1;
            try {
                if (bytes > ScriptText.MAX_BYTES) {
                    throw ScriptText.tooLarge(name.isEmpty() ? "-c" : name);
                }
                lines.add(ScriptText.line(frame.payload(), (name.isEmpty() ? "-c" : name) + ":" + (lines.size() + 1)));
            } catch (ScriptText.Unreadable bad) {
                unreadable = bad;
            }
        }
        out.holdOutput(); // a batch's output goes out in bunches, not a write per line
        Console console = console(hello, out);
        if (unreadable != null) {
            ErrorReporter.report(unreadable, null, console);
            out.send(Frame.EXIT, "1");
            return;
        }
        ShellAssembly shell = session(hello, out, true);
        out.send(Frame.BASE, Integer.toString(runningGeneration()));
        ClientInput input = new ClientInput(out);
        console.withInput(input);
        watchClient(in, console, input);
        int status;
        try (FrameOutput.Heartbeat alive = out.heartbeat()) {
            status = shell.scripts().run(new ScriptRunner.Source(name.isEmpty() ? null : name, lines), console, false);
        }
        status = shell.endOfBatch(status, console, "1".equals(hello.get("strict")));
        // over before its client hears so: a `daemon stop` right after must not count its edits
        daemon.sessions().closed(this);
        out.send(Frame.EXIT, Integer.toString(status));
    }

    /**
     * While a script runs: an INTERRUPT from the client, or the client gone (Ctrl-C ends the `-c`
     * client), stops the command that waits in the foreground. A `monitor` that has nothing to print
     * would otherwise not learn that nobody reads, and keep the programs reporting to nobody. The
     * client's standard input, when a command asked for it, goes to {@code input}.
     */
    private static void watchClient(DataInputStream in, Console console, ClientInput input) {
        Thread watcher = new Thread(() -> {
            try {
                for (Frame frame = Frame.read(in); frame != null; frame = Frame.read(in)) {
                    switch (frame.type()) {
                        case Frame.INTERRUPT -> console.foreground().interrupt();
                        case Frame.INPUT, Frame.NO_INPUT -> input.accept(frame);
                        default -> {
                            // nothing else is expected once the script is read
                        }
                    }
                }
            } catch (IOException gone) {
                // as at the end of the stream
            }
            input.clientGone();
            console.foreground().abandon();
        }, "xnetd-client-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** A CNI call: the plugin's CNI_* environment and stdin; its stdout and exit status. */
    private void cni(Map<String, String> hello, DataInputStream in, FrameOutput out) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        byte[] stdin = new byte[0];
        for (Frame frame = Frame.read(in); frame != null && frame.type() != Frame.END; frame = Frame.read(in)) {
            if (frame.type() == Frame.ENV) {
                String variable = frame.text();
                int eq = variable.indexOf('=');
                if (eq > 0) {
                    env.put(variable.substring(0, eq), variable.substring(eq + 1));
                }
            } else if (frame.type() == Frame.INPUT) {
                stdin = frame.payload();
            }
        }
        long pid = Long.parseLong(hello.getOrDefault("pid", "0"));
        CniService.Reply reply = daemon.cni().handle(env, stdin, pid);
        if (!reply.out().isEmpty()) {
            out.send(Frame.OUT, reply.out() + "\n");
        }
        out.send(Frame.EXIT, Integer.toString(reply.status()));
    }

    /**
     * The interactive shell: a line at a time, or a completion, each answered with the prompt.
     * Frames are read on a thread of their own, so that an INTERRUPT (Ctrl-C at the client)
     * reaches the line while it runs.
     */
    private void shell(Map<String, String> hello, DataInputStream in, FrameOutput out) throws IOException {
        ShellAssembly shell = session(hello, out, false);
        shell.control().setInteractive(true);
        TargetService target = shell.target();
        Completion completion = new Completion(shell.dispatcher().grammar());
        boolean colour = "1".equals(hello.get("colour"));
        java.util.concurrent.BlockingQueue<Frame> frames = new java.util.concurrent.LinkedBlockingQueue<>();
        Console console = !"1".equals(hello.get("tty")) ? console(hello, out)
                : new Console(out.stream(Frame.OUT), out.stream(Frame.ERR), colour, true, command -> onClient(command, frames, out));
        Thread reader = new Thread(() -> readFrames(in, frames, console), "xnetd-frames");
        reader.setDaemon(true);
        reader.start();
        out.send(Frame.DONE, "0" + Prompt.greeting(target) + "\n" + Prompt.of(target));
        for (Frame frame = take(frames); frame.type() != Frame.END; frame = take(frames)) {
            target.refresh();
            if (frame.type() == Frame.LINE) {
                target.notices().forEach(n -> console.warn("xnet: " + n));
                try (FrameOutput.Heartbeat alive = out.heartbeat()) {
                    shell.scripts().runLine(ScriptText.line(frame.payload(), null), null, console, false);
                } catch (ScriptText.Unreadable bad) {
                    ErrorReporter.report(bad, null, console);
                }
            } else if (frame.type() == Frame.COMPLETE) {
                List<String> words = new ArrayList<>(Arrays.asList(frame.text().split("\0", -1)));
                String partial = words.remove(words.size() - 1);
                for (Suggestion s : completion.complete(words, partial, shell.values())) {
                    out.send(Frame.CANDIDATE, s.value() + "\0" + (s.description() == null ? "" : s.description())
                            + "\0" + s.kind().name());
                }
            } else {
                continue; // a STATUS or INTERRUPT that came after its command had ended
            }
            if (shell.control().exitRequested()) {
                daemon.sessions().closed(this); // as for a run: over before the client hears so
            }
            out.send(Frame.DONE, (shell.control().exitRequested() ? "1" : "0") + Prompt.of(target));
            if (shell.control().exitRequested()) {
                return;
            }
        }
    }

    /** Queues the client's frames; an INTERRUPT goes to the running command at once. END when the client is gone. */
    private static void readFrames(DataInputStream in, java.util.concurrent.BlockingQueue<Frame> frames, Console console) {
        try {
            for (Frame frame = Frame.read(in); frame != null && frame.type() != Frame.END; frame = Frame.read(in)) {
                if (frame.type() == Frame.INTERRUPT) {
                    console.foreground().interrupt();
                } else {
                    frames.add(frame);
                }
            }
        } catch (IOException gone) {
            // the client went away: the session ends
        } finally {
            console.foreground().abandon(); // a `monitor` that prints nothing would not notice
            frames.add(Frame.text(Frame.END, ""));
        }
    }

    private static Frame take(java.util.concurrent.BlockingQueue<Frame> frames) throws IOException {
        try {
            return frames.take();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            throw new IOException("the daemon is stopping", stopping);
        }
    }

    /** Has the client run {@code command} on its terminal; returns the command's exit status. */
    private static int onClient(List<String> command, java.util.concurrent.BlockingQueue<Frame> frames, FrameOutput out)
            throws IOException {
        out.send(Frame.RUN_HERE, String.join("\0", command));
        for (Frame frame = take(frames); frame.type() != Frame.END; frame = take(frames)) {
            if (frame.type() == Frame.STATUS) {
                return Integer.parseInt(frame.text().trim());
            }
        }
        throw new IOException("the client went away while it ran " + command.get(command.size() - 1));
    }

    /** The running commit's number; -1 while the state cannot be read. */
    private int runningGeneration() {
        try {
            return daemon.ports().store().running().generation();
        } catch (IOException | RuntimeException unreadable) {
            return -1;
        }
    }

    /** A session of its own for this client, known to the daemon until the connection ends. */
    private ShellAssembly session(Map<String, String> hello, FrameOutput out, boolean run) throws IOException {
        Path cwd = Path.of(hello.getOrDefault("cwd", "/"));
        ShellAssembly shell = new ShellAssembly(daemon.ports().newSession(), daemon.profiles(), daemon.compiler(),
                daemon.cniFiles(), cwd);
        daemon.sessions().opened(this, shell.target(), out, channel, run);
        return shell;
    }

    private static Console console(Map<String, String> hello, FrameOutput out) {
        boolean colour = "1".equals(hello.get("colour"));
        return new Console(out.stream(Frame.OUT), out.stream(Frame.ERR), colour, false);
    }

    static Map<String, String> header(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return fields;
    }

}
