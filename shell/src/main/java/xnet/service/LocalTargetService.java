package xnet.service;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import java.util.function.UnaryOperator;

import xnet.datapath.AttachPoints;
import xnet.diff.ChangeSet;
import xnet.model.Config;
import xnet.plan.TargetLayout;
import xnet.session.CommitRecord;
import xnet.session.CommitService;
import xnet.session.CounterSnapshot;
import xnet.session.DamagedStateException;
import xnet.session.PendingConfirm;
import xnet.session.PreviewReport;
import xnet.session.RunningState;
import xnet.session.Session;

/** The target service over its shared ports: one session (the candidate) per instance. */
public final class LocalTargetService implements TargetService {

    private final TargetPorts ports;
    private final Session session;
    /** The commit the last `rollback` took the candidate to, until the next commit or discard: for its comment. */
    private CommitRecord rolledBackTo;
    /** Set while the state cannot be read: the session then started empty (see {@link #requireReadableState}). */
    private boolean damaged;
    /** A user's session: its commits confirm a commit awaiting confirmation (the container runtime's do not). */
    private final boolean confirmsPending;
    /** What this session's last commit confirmed, or null. */
    private PendingConfirm confirmedByLastCommit;

    /** The last of the target's notices this session has shown. */
    private long noticesSeen;

    LocalTargetService(TargetPorts ports, boolean confirmsPending) throws IOException {
        this.ports = ports;
        this.confirmsPending = confirmsPending;
        this.noticesSeen = ports.notices().newest();
        this.session = new Session(ports.layout(), runningOrNone());
    }

    @Override
    public List<String> notices() {
        List<String> unread = ports.notices().after(noticesSeen);
        noticesSeen = ports.notices().newest();
        return unread;
    }

    /**
     * A damaged state must not keep a shell from starting: `lab repair` and `lab destroy` need
     * one. The session then starts empty and other commands are refused until the state reads.
     */
    private RunningState runningOrNone() throws IOException {
        try {
            return ports.store().running();
        } catch (DamagedStateException e) {
            damaged = true;
            return RunningState.NONE;
        }
    }

    @Override
    public void requireReadableState() throws IOException {
        if (!damaged) {
            return;
        }
        RunningState now = ports.store().running(); // throws while still damaged
        damaged = false;
        if (!session.hasChanges()) {
            session.adopt(now);
        }
    }

    @Override
    public TargetLayout layout() {
        return ports.layout();
    }

    @Override
    public Editors editors() {
        return ports.editors();
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
    public boolean refresh() throws IOException {
        if (session.hasChanges()) {
            return false;
        }
        RunningState now;
        try {
            now = ports.store().running(session.baseGeneration(), session.runningState());
        } catch (DamagedStateException e) {
            damaged = true; // the next command says so
            return false;
        }
        if (now.generation() == session.baseGeneration()) {
            return false;
        }
        session.adopt(now);
        return true;
    }

    @Override
    public int discard() throws IOException {
        rolledBackTo = null;
        int dropped = changes().size();
        session.adopt(ports.store().running());
        return dropped;
    }

    @Override
    public RunningState running() throws IOException {
        return ports.store().running();
    }

    @Override
    public CommitRecord commit(String comment) throws Exception {
        synchronized (ports.guard()) {
            CommitRecord record = ports.commits().commit(session, commentFor(comment), confirmsPending);
            confirmedByLastCommit = confirmsPending ? ports.confirms().confirm() : null;
            rolledBackTo = null;
            return record;
        }
    }

    @Override
    public PendingConfirm confirmedByLastCommit() {
        return confirmedByLastCommit;
    }

    @Override
    public ConfirmedCommits.Outcome commitConfirmed(Duration window, String comment) throws Exception {
        ConfirmedCommits.Outcome outcome = ports.confirms().commit(session, window, commentFor(comment));
        rolledBackTo = null;
        return outcome;
    }

    @Override
    public PendingConfirm confirm() throws IOException {
        return ports.confirms().confirm();
    }

    @Override
    public Optional<PendingConfirm> pendingConfirm() throws IOException {
        return ports.confirms().pending();
    }

    @Override
    public CommitCheck check() throws IOException {
        synchronized (ports.guard()) {
            CommitService.Check check = ports.commits().check(session);
            PreviewReport programs = AttachPoints.wanted(session.candidate())
                    ? ports.datapath().preview(session.candidate(), ports.store().running()) : null;
            RunningState running = ports.store().running();
            return new CommitCheck(check.changes(), check.actions(), ports.datapath().describe(session.candidate(), running),
                    programs, ports.datapath().checkRuleset(session.candidate()));
        }
    }

    @Override
    public xnet.session.RulesetCheck checkRuleset() throws IOException {
        synchronized (ports.guard()) {
            return ports.datapath().checkRuleset(session.candidate());
        }
    }

    @Override
    public PreviewReport preview() throws IOException {
        synchronized (ports.guard()) {
            return ports.datapath().preview(session.candidate(), ports.store().running());
        }
    }

    @Override
    public CounterSnapshot counters() throws IOException {
        synchronized (ports.guard()) {
            return ports.datapath().counters(ports.store().running());
        }
    }

    @Override
    public xnet.session.EventFeed monitor(java.util.Set<xnet.session.DatapathEvent.Kind> kinds) throws IOException {
        synchronized (ports.guard()) {
            return ports.datapath().events(kinds, () -> {
                try {
                    return ports.store().running();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    @Override
    public xnet.datapath.WhatIf testPacket(xnet.datapath.ProbePacket packet, String point, boolean candidate)
            throws IOException {
        synchronized (ports.guard()) {
            RunningState running = ports.store().running();
            Config config = candidate ? session.candidate() : running.config();
            String at = point != null ? point : packet.v6() ? AttachPoints.entryOf(ports.layout(), config, packet.src6())
                    : AttachPoints.entryOf(ports.layout(), config, packet.src());
            if (at == null) {
                throw new IllegalArgumentException(packet.source() + " is no container's address: say where the packet "
                        + "enters with 'on POINT'");
            }
            return candidate ? ports.datapath().probeCandidate(config, running, at, packet.frame())
                    : ports.datapath().probe(running, at, packet.frame());
        }
    }

    @Override
    public void clearCounters(Integer rule) throws IOException {
        synchronized (ports.guard()) {
            RunningState running = ports.store().running();
            if (rule != null && running.config().filters().stream().noneMatch(r -> r.id() == rule)) {
                throw new IllegalArgumentException("no running filter rule " + rule + "; 'show counters' lists them");
            }
            ports.datapath().clearCounters(running, rule);
        }
    }

    @Override
    public TargetStatus status() throws IOException {
        synchronized (ports.guard()) {
            RunningState running = ports.store().running();
            List<String> drift = new java.util.ArrayList<>(ports.store().drift());
            ports.store().intent().ifPresent(cut -> drift.add("commit " + cut.to() + " was cut short and is not settled "
                    + "(the next start of xnetd or --no-daemon settles it)"));
            return new TargetStatus(ports.kernel().status(running.config(), running.generation() > 0), running.generation(),
                    running.config().datapath().hook().toString(), ports.datapath().attached(),
                    ports.datapath().verify(running), drift);
        }
    }

    @Override
    public List<String> destroy() throws IOException {
        List<String> removed;
        synchronized (ports.guard()) {
            removed = ports.kernel().destroy(runningForDestroy());
            ports.datapath().removeAll();
            ports.store().delete();
            ports.markDestroyed();
        }
        Config kept = session.candidate();
        damaged = false;
        session.adopt(RunningState.NONE);
        session.replaceCandidate(kept);
        return removed;
    }

    /**
     * What destroy goes by to spare the namespaces xnet only named (attached containers): the
     * running config, or with a damaged state the newest commit that reads whole.
     */
    private Config runningForDestroy() throws IOException {
        try {
            return ports.store().running().config();
        } catch (DamagedStateException e) {
            return ports.store().newestReadable().map(RunningState::config).orElse(Config.EMPTY);
        }
    }

    @Override
    public xnet.session.StateStore.Repair repair() throws IOException {
        xnet.session.StateStore.Repair repair;
        synchronized (ports.guard()) {
            repair = ports.store().repair();
        }
        damaged = false;
        if (!session.hasChanges()) {
            session.adopt(ports.store().running());
        }
        return repair;
    }

    @Override
    public int rebuild() throws Exception {
        synchronized (ports.guard()) {
            ports.kernel().destroy(ports.store().running().config());
            ports.datapath().removeAll();
            return ports.commits().rebuild(session);
        }
    }

    @Override
    public List<CommitRecord> history() throws IOException {
        return ports.store().history();
    }

    @Override
    public ChangeSet rollback(int number) throws IOException {
        CommitRecord record = commitRecord(number);
        session.replaceCandidate(record.config());
        rolledBackTo = record;
        return ChangeSet.between(session.running(), session.candidate());
    }

    @Override
    public CommitRecord commitRecord(int number) throws IOException {
        return ports.store().commit(number).orElseThrow(() -> new IllegalArgumentException(
                "no commit " + number + " in the history of " + ports.layout().name() + "; see 'history'"));
    }

    @Override
    public xnet.diff.Rebase.Result rebase() throws IOException {
        synchronized (ports.guard()) {
            RunningState now = ports.store().running();
            xnet.diff.Rebase.Result rebased = xnet.diff.Rebase.onto(session.running(), session.candidate(), now.config());
            if (rebased.merged()) {
                session.adopt(now);
                session.replaceCandidate(rebased.config());
            }
            return rebased;
        }
    }

    /**
     * The comment of a commit that applies a rollback and was given none: "rollback to commit N"
     * (with "and edits" when the candidate was changed after the rollback).
     */
    private String commentFor(String comment) {
        if (rolledBackTo == null || comment != null && !comment.isBlank()) {
            return comment;
        }
        return "rollback to commit " + rolledBackTo.number()
                + (session.candidate().sameAs(rolledBackTo.config()) ? "" : ", and edits");
    }

    @Override
    public int exec(String endpoint, List<String> command, boolean terminal, java.io.InputStream input,
                    OutputStream out, OutputStream err) throws IOException {
        return ports.kernel().exec(execNamespace(endpoint), command, terminal, input, out, err);
    }

    @Override
    public String execNamespace(String endpoint) throws IOException {
        boolean isLabNamespace = endpoint.equals("host") || endpoint.equals("outside");
        if (!isLabNamespace && !ports.store().running().config().containers().containsKey(endpoint)) {
            boolean pending = session.candidate().containers().containsKey(endpoint);
            throw new IllegalArgumentException("no running container named " + endpoint
                    + (pending ? " (it is in the candidate: commit first)" : "; exec targets a container, host or outside"));
        }
        String namespace = ports.layout().namespaceOf(endpoint);
        if (namespace == null) {
            throw new IllegalArgumentException("--host targets the machine itself: run the command directly");
        }
        if (!ports.kernel().namespaceExists(namespace)) {
            throw new IllegalStateException("namespace " + namespace + " does not exist; commit first, or 'lab rebuild'");
        }
        return namespace;
    }
}
