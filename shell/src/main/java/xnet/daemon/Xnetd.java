package xnet.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import xnet.app.Composition;
import xnet.app.Faults;
import xnet.app.Workspace;
import xnet.kernel.ClangCompiler;
import xnet.plan.TargetLayout;
import xnet.profile.ProfileLibrary;
import xnet.service.TargetPorts;
import xnet.shell.XnetVersion;
import xnet.state.CniFiles;

/**
 * xnetd: the one owner of a target (a lab, or the host). It holds the target's ports (state,
 * kernel, datapath with its loaded programs and rule index) for as long as it runs, and serves
 * clients on a unix socket under the run directory: the shell, `-c` and `-f`, and the CNI
 * plugin. Every connection is a session with its own candidate; commits take turns.
 *
 * <p>The socket is root's alone: the run directory is 0700, the socket 0600, and a peer whose
 * SO_PEERCRED user is not the daemon's own is refused even if it got through.
 */
public final class Xnetd {

    private final TargetLayout layout;
    private final RunFiles files;
    private final TargetPorts ports;
    private final ProfileLibrary profiles;
    private final ClangCompiler compiler;
    private final CniService cni;
    private final CniFiles cniFiles;
    private final Instant started = Instant.now();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private final Sessions sessions = new Sessions();
    private ServerSocketChannel server;

    private Xnetd(TargetLayout layout, RunFiles files, TargetPorts ports, ProfileLibrary profiles,
                  ClangCompiler compiler, CniFiles cniFiles) {
        this.layout = layout;
        this.files = files;
        this.ports = ports;
        this.profiles = profiles;
        this.compiler = compiler;
        this.cni = new CniService(ports);
        this.cniFiles = cniFiles;
    }

    /** Runs the daemon for {@code layout} until a client stops it; returns the exit status. */
    public static int run(TargetLayout layout, Workspace workspace, Faults faults) throws Exception {
        RunFiles files = new RunFiles(workspace.run(), layout.name());
        Optional<AutoCloseable> owner = files.own();
        if (owner.isEmpty()) {
            System.err.println("xnetd: " + layout.name() + " already has an owner (xnetd pid "
                    + files.pid().map(String::valueOf).orElse("unknown") + ")");
            return 1;
        }
        try (AutoCloseable held = owner.get()) {
            TargetPorts ports = Composition.ports(layout, workspace, faults);
            ports.confirms().heldByDaemon();
            settle(ports);
            return new Xnetd(layout, files, ports,
                    Composition.profiles(workspace), Composition.compiler(workspace),
                    Composition.cniFiles(workspace, layout)).serve();
        }
    }

    /**
     * A commit its killed predecessor left half done is settled before the first client, and a
     * confirmed commit's deadline that passed meanwhile is honoured.
     */
    private static void settle(TargetPorts ports) {
        try {
            String done = ports.settle();
            if (done != null) {
                log(done);
            }
        } catch (Exception failed) {
            log("an interrupted commit, or an unconfirmed one, could not be settled: " + failed.getMessage());
        }
    }

    private int serve() throws IOException {
        Files.deleteIfExists(files.socket());
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(files.socket()));
        Files.setPosixFilePermissions(files.socket(), PosixFilePermissions.fromString("rw-------"));
        files.writePid(ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(new Thread(files::removeRunFiles));
        log("xnetd " + XnetVersion.get() + " owns " + layout.name() + ", listening on " + files.socket());
        ExecutorService clients = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "xnetd-client");
            thread.setDaemon(true);
            return thread;
        });
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException stopped) {
                break;
            }
            clients.submit(new Connection(this, channel));
        }
        if (ports.destroyed()) {
            log("xnetd for " + layout.name() + " stopped: its lab was destroyed; its run files go with it");
            files.removeAll();
        } else {
            log("xnetd for " + layout.name() + " stopped");
            files.removeRunFiles();
        }
        return 0;
    }

    /**
     * After each connection: a daemon whose lab was destroyed (and not committed to since) has
     * nothing left to own, so it stops once no client is connected, rather than outlive its lab.
     * An interactive shell that destroyed the lab keeps it until that shell ends.
     */
    void connectionEnded() throws IOException {
        if (open.get() == 0 && ports.destroyed()) {
            stop();
        }
    }

    /** Stops accepting; sessions in progress finish on their own threads (they are daemon threads). */
    void stop() throws IOException {
        server.close();
    }

    /** `daemon status --json`: as {@link #describe}, in the JSON style (docs/json/xnet.schema.json, daemonStatus). */
    java.util.Map<String, Object> status() {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("target", layout.name());
        out.put("running", true);
        out.put("pid", ProcessHandle.current().pid());
        out.put("started", xnet.render.JsonViews.time(started));
        out.put("upSeconds", Duration.between(started, Instant.now()).toSeconds());
        out.put("otherClients", open.get() - 1);
        out.put("served", served.get());
        out.put("socket", files.socket().toString());
        return out;
    }

    String describe() {
        Duration up = Duration.between(started, Instant.now()).withNanos(0);
        return "xnetd for " + layout.name() + ": pid " + ProcessHandle.current().pid() + ", up "
                + up.toString().substring(2).toLowerCase() + ", " + (open.get() - 1) + " other client(s) connected, "
                + served.get() + " served; socket " + files.socket();
    }

    TargetPorts ports() {
        return ports;
    }

    ProfileLibrary profiles() {
        return profiles;
    }

    CniFiles cniFiles() {
        return cniFiles;
    }

    CniService cni() {
        return cni;
    }

    ClangCompiler compiler() {
        return compiler;
    }

    AtomicInteger openConnections() {
        return open;
    }

    AtomicInteger served() {
        return served;
    }

    Sessions sessions() {
        return sessions;
    }

    static void log(String message) {
        System.err.println(Instant.now() + " " + message);
    }
}
