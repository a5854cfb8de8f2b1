package xnet.service;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.UnaryOperator;

import xnet.diff.ChangeSet;
import xnet.model.Config;
import xnet.plan.TargetLayout;
import xnet.session.CommitRecord;
import xnet.session.CounterSnapshot;
import xnet.session.PreviewReport;
import xnet.session.RunningState;

/**
 * Everything a front end does with one target (a lab, or the host): edit the candidate, check,
 * preview and commit it, read counters and status, take the lab down or build it again, walk
 * the history. The shell, `-c`/`-f` and the bench are its clients; front ends parse, call and
 * render, and nothing else.
 */
public interface TargetService {

    TargetLayout layout();

    /** The pure editors that check an edit against this target's topology rules. */
    Editors editors();

    Config candidate();

    /** The commit the candidate is based on. */
    int baseGeneration();

    boolean hasChanges();

    /** How the candidate differs from the running config it is based on. */
    ChangeSet changes();

    /** Applies an edit to the candidate; if it throws, the candidate stays as it was. */
    void edit(UnaryOperator<Config> change);

    void replaceCandidate(Config config);

    /**
     * A session without uncommitted changes follows the running config: when another session
     * (or the container runtime) committed, it takes the new one as its base. Returns whether it did.
     */
    boolean refresh() throws IOException;

    /**
     * What happened to the target since this session last asked that nobody typed in it (a
     * confirmed commit rolled back at its deadline): each notice once, for its next line.
     */
    List<String> notices();

    /** Drops the uncommitted changes; returns how many there were. */
    int discard() throws IOException;

    /** The running config as the target's state has it now (another client may have committed). */
    RunningState running() throws IOException;

    /**
     * Returns the new history record, or null when there was nothing to commit. A user's commit
     * also confirms a commit awaiting confirmation, even with nothing to commit.
     */
    CommitRecord commit(String comment) throws Exception;

    /** What the last {@link #commit} of this session confirmed, or null. */
    xnet.session.PendingConfirm confirmedByLastCommit();

    /**
     * `commit confirmed`: commits, and rolls back by itself after {@code window} unless confirmed
     * (see {@link ConfirmedCommits}). Null when there was nothing to commit and nothing pending.
     */
    ConfirmedCommits.Outcome commitConfirmed(java.time.Duration window, String comment) throws Exception;

    /** `commit confirm`: keeps the commit awaiting confirmation; returns it, or null when none was. */
    xnet.session.PendingConfirm confirm() throws IOException;

    java.util.Optional<xnet.session.PendingConfirm> pendingConfirm() throws IOException;

    /** Validation, the change set and the kernel steps of a commit, and its programs verified; nothing applied. */
    CommitCheck check() throws IOException;

    /** The dry run of the candidate's programs. */
    PreviewReport preview() throws IOException;

    /** Under datapath iptables|nftables: the script a commit would load and the loader's check; else null. */
    xnet.session.RulesetCheck checkRuleset() throws IOException;

    /**
     * A what-if packet through the running program at {@code point} (null: where a packet from its
     * source enters), counting and remembering nothing; with {@code candidate}, through the
     * candidate's program, loaded for it and not attached.
     */
    xnet.datapath.WhatIf testPacket(xnet.datapath.ProbePacket packet, String point, boolean candidate) throws IOException;

    CounterSnapshot counters() throws IOException;

    /** A monitor of the running datapath's events of these kinds, until it is closed (`monitor`). */
    xnet.session.EventFeed monitor(java.util.Set<xnet.session.DatapathEvent.Kind> kinds) throws IOException;

    /** Zeroes the counters of one filter rule, or of every rule and attach point (null). */
    void clearCounters(Integer rule) throws IOException;

    TargetStatus status() throws IOException;

    /** Removes every namespace, link and state file of the lab; the candidate is kept. Returns the namespaces removed. */
    List<String> destroy() throws IOException;

    /** Builds the running config in the kernel from nothing; returns the number of kernel steps. */
    int rebuild() throws Exception;

    /**
     * Throws {@link xnet.session.DamagedStateException} while the target's state cannot be read:
     * commands other than `lab repair` and `lab destroy` would act on a config that is not the
     * running one.
     */
    default void requireReadableState() throws IOException {
    }

    /** Goes back to the newest commit whose state reads whole (see StateStore#repair); the kernel is left alone. */
    xnet.session.StateStore.Repair repair() throws IOException;

    List<CommitRecord> history() throws IOException;

    /** Makes commit {@code number}'s config the candidate; returns how it differs from running. */
    ChangeSet rollback(int number) throws IOException;

    /** One commit of the history with its config; refuses a number the history does not have. */
    CommitRecord commitRecord(int number) throws IOException;

    /**
     * Replays this session's edits on the newest running config (when another shell or the
     * container runtime committed since it started); on conflicts nothing changes.
     */
    xnet.diff.Rebase.Result rebase() throws IOException;

    /** The namespace `exec` runs in for a running container, "host" or "outside"; refuses any other. */
    String execNamespace(String endpoint) throws IOException;

    /** Runs a command in a running container, in "host" or in "outside"; returns its exit status. */
    int exec(String endpoint, List<String> command, boolean terminal, java.io.InputStream input, OutputStream out,
             OutputStream err) throws IOException;
}
