package xnet.service;

import java.io.IOException;

import xnet.plan.TargetLayout;
import xnet.session.CommitService;
import xnet.session.DatapathPort;
import xnet.session.KernelPort;
import xnet.session.StateStore;

/**
 * What all sessions of one target share: its state, kernel and datapath ports, the commit
 * service and the editors. xnetd holds one and gives every client connection its own session
 * (its own candidate) over it; a one-process front end makes one session.
 *
 * <p>The datapath keeps the loaded programs and the rule index in memory, and libbpf calls on
 * it are not safe from two threads at once, so every operation that touches the kernel or the
 * datapath holds {@link #guard()}: sessions edit their candidates in parallel and take turns at
 * the kernel.
 */
public final class TargetPorts {

    private final TargetLayout layout;
    private final StateStore store;
    private final KernelPort kernel;
    private final DatapathPort datapath;
    private final CommitService commits;
    private final Editors editors;
    private final Object guard = new Object();
    /** Set by a `lab destroy` through these ports; see {@link #destroyed()}. */
    private volatile boolean destroyRan;
    private final ConfirmedCommits confirms;
    private final Notices notices = new Notices();

    public TargetPorts(TargetLayout layout, StateStore store, KernelPort kernel, DatapathPort datapath,
                       CommitService commits, Editors editors) {
        this(layout, store, kernel, datapath, commits, editors, java.time.Clock.systemUTC());
    }

    /** With the clock the deadlines of confirmed commits are read by (a test's own). */
    public TargetPorts(TargetLayout layout, StateStore store, KernelPort kernel, DatapathPort datapath,
                       CommitService commits, Editors editors, java.time.Clock clock) {
        this.layout = layout;
        this.store = store;
        this.kernel = kernel;
        this.datapath = datapath;
        this.commits = commits;
        this.editors = editors;
        this.confirms = new ConfirmedCommits(layout, store, commits, guard, clock, message -> {
            System.err.println(java.time.Instant.now() + " " + message);
            notices.post(message);
        });
    }

    /**
     * Settles a commit whose process was killed in the middle (see CommitService#settle), then
     * honours a confirmed commit's deadline (rolls back if it passed, else arms the timer); the
     * owner of the target calls it once, before the first session. Returns what was done, or null.
     */
    public String settle() throws Exception {
        String settled;
        synchronized (guard) {
            settled = commits.settle();
        }
        String resumed = confirms.resume();
        return settled == null ? resumed : resumed == null ? settled : settled + "; " + resumed;
    }

    /** A user's session whose candidate starts as the running config; its commits confirm a confirmed commit. */
    public TargetService newSession() throws IOException {
        return new LocalTargetService(this, true);
    }

    /**
     * A session of the container runtime (CNI): its commits leave a commit that awaits
     * confirmation pending, since a container starting says nothing about whether a user can
     * still reach what they changed.
     */
    public TargetService newRuntimeSession() throws IOException {
        return new LocalTargetService(this, false);
    }

    public ConfirmedCommits confirms() {
        return confirms;
    }

    public TargetLayout layout() {
        return layout;
    }

    public StateStore store() {
        return store;
    }

    public KernelPort kernel() {
        return kernel;
    }

    public DatapathPort datapath() {
        return datapath;
    }

    public CommitService commits() {
        return commits;
    }

    public Editors editors() {
        return editors;
    }

    /** What happened to the target that no session typed, for each session's next line. */
    public Notices notices() {
        return notices;
    }

    /** A `lab destroy` removed the target's kernel objects and state through these ports. */
    public void markDestroyed() {
        destroyRan = true;
    }

    /**
     * Whether the target was destroyed through these ports and nothing was committed since: its
     * owner then holds nothing, and xnetd ends once its last client has gone.
     */
    public boolean destroyed() {
        if (!destroyRan) {
            return false;
        }
        try {
            return store.running().generation() == 0;
        } catch (IOException | RuntimeException unreadable) {
            return false; // a state is there again, even a damaged one: keep serving it
        }
    }

    public Object guard() {
        return guard;
    }
}
