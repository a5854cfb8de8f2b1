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

    public TargetPorts(TargetLayout layout, StateStore store, KernelPort kernel, DatapathPort datapath,
                       CommitService commits, Editors editors) {
        this.layout = layout;
        this.store = store;
        this.kernel = kernel;
        this.datapath = datapath;
        this.commits = commits;
        this.editors = editors;
    }

    /**
     * Settles a commit whose process was killed in the middle (see CommitService#settle); the
     * owner of the target calls it once, before the first session. Returns what was done, or null.
     */
    public String settle() throws Exception {
        synchronized (guard) {
            return commits.settle();
        }
    }

    /** A new session whose candidate starts as the running config. */
    public TargetService newSession() throws IOException {
        return new LocalTargetService(this);
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

    public Object guard() {
        return guard;
    }
}
