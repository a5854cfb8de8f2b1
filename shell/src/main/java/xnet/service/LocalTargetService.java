package xnet.service;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.UnaryOperator;

import xnet.datapath.AttachPoints;
import xnet.diff.ChangeSet;
import xnet.model.Config;
import xnet.plan.TargetLayout;
import xnet.session.CommitRecord;
import xnet.session.CommitService;
import xnet.session.CounterSnapshot;
import xnet.session.DatapathPort;
import xnet.session.KernelPort;
import xnet.session.PreviewReport;
import xnet.session.RunningState;
import xnet.session.Session;
import xnet.session.StateStore;

/** The target service over its shared ports: one session (the candidate) per instance. */
public final class LocalTargetService implements TargetService {

    private final TargetLayout layout;
    private final StateStore store;
    private final KernelPort kernel;
    private final DatapathPort datapath;
    private final CommitService commits;
    private final Editors editors;
    private final Session session;

    private final Object guard;

    LocalTargetService(TargetPorts ports) throws IOException {
        this.layout = ports.layout();
        this.store = ports.store();
        this.kernel = ports.kernel();
        this.datapath = ports.datapath();
        this.commits = ports.commits();
        this.editors = ports.editors();
        this.guard = ports.guard();
        this.session = new Session(layout, store.running());
    }

    @Override
    public TargetLayout layout() {
        return layout;
    }

    @Override
    public Editors editors() {
        return editors;
    }

    @Override
    public Config candidate() {
        return session.candidate();
    }

    @Override
    public int baseGeneration() {
        return session.baseGeneration();
    }

    @Override
    public boolean hasChanges() {
        return session.hasChanges();
    }

    @Override
    public ChangeSet changes() {
        return ChangeSet.between(session.running(), session.candidate());
    }

    @Override
    public void edit(UnaryOperator<Config> change) {
        session.edit(change);
    }

    @Override
    public void replaceCandidate(Config config) {
        session.replaceCandidate(config);
    }

    @Override
    public int discard() throws IOException {
        int dropped = changes().size();
        session.adopt(store.running());
        return dropped;
    }

    @Override
    public RunningState running() throws IOException {
        return store.running();
    }

    @Override
    public CommitRecord commit(String comment) throws Exception {
        synchronized (guard) {
            return commits.commit(session, comment);
        }
    }

    @Override
    public CommitCheck check() throws IOException {
        synchronized (guard) {
            CommitService.Check check = commits.check(session);
            PreviewReport programs = AttachPoints.wanted(session.candidate())
                    ? datapath.preview(session.candidate(), store.running()) : null;
            return new CommitCheck(check.changes(), check.actions(), programs);
        }
    }

    @Override
    public PreviewReport preview() throws IOException {
        synchronized (guard) {
            return datapath.preview(session.candidate(), store.running());
        }
    }

    @Override
    public CounterSnapshot counters() throws IOException {
        synchronized (guard) {
            return datapath.counters(store.running());
        }
    }

    @Override
    public TargetStatus status() throws IOException {
        synchronized (guard) {
            RunningState running = store.running();
            return new TargetStatus(kernel.status(running.config()), running.generation(),
                    running.config().datapath().hook().toString(), datapath.attached(), store.drift());
        }
    }

    @Override
    public List<String> destroy() throws IOException {
        List<String> removed;
        synchronized (guard) {
            removed = kernel.destroy(store.running().config());
            datapath.removeAll();
            store.delete();
        }
        Config kept = session.candidate();
        session.adopt(RunningState.NONE);
        session.replaceCandidate(kept);
        return removed;
    }

    @Override
    public int rebuild() throws Exception {
        synchronized (guard) {
            kernel.destroy(store.running().config());
            datapath.removeAll();
            return commits.rebuild(session);
        }
    }

    @Override
    public List<CommitRecord> history() throws IOException {
        return store.history();
    }

    @Override
    public ChangeSet rollback(int number) throws IOException {
        CommitRecord record = store.commit(number).orElseThrow(() -> new IllegalArgumentException(
                "no commit " + number + " in the history of " + layout.name() + "; see 'history'"));
        session.replaceCandidate(record.config());
        return ChangeSet.between(session.running(), session.candidate());
    }

    @Override
    public int exec(String endpoint, List<String> command, boolean terminal, OutputStream out, OutputStream err)
            throws IOException {
        return kernel.exec(execNamespace(endpoint), command, terminal, out, err);
    }

    @Override
    public String execNamespace(String endpoint) throws IOException {
        boolean isLabNamespace = endpoint.equals("host") || endpoint.equals("outside");
        if (!isLabNamespace && !store.running().config().containers().containsKey(endpoint)) {
            boolean pending = session.candidate().containers().containsKey(endpoint);
            throw new IllegalArgumentException("no running container named " + endpoint
                    + (pending ? " (it is in the candidate: commit first)" : "; exec targets a container, host or outside"));
        }
        String namespace = layout.namespaceOf(endpoint);
        if (namespace == null) {
            throw new IllegalArgumentException("--host targets the machine itself: run the command directly");
        }
        if (!kernel.namespaceExists(namespace)) {
            throw new IllegalStateException("namespace " + namespace + " does not exist; commit first, or 'lab rebuild'");
        }
        return namespace;
    }
}
