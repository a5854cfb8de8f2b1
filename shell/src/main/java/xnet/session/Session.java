package xnet.session;

import java.util.function.UnaryOperator;

import xnet.model.Config;
import xnet.plan.TargetLayout;

/**
 * One shell's view of a target: the candidate being edited and the running configuration it was
 * started from. {@code baseGeneration} is what a commit checks to refuse a stale base.
 */
public final class Session {

    private final TargetLayout layout;
    private Config candidate;
    private RunningState running;

    public Session(TargetLayout layout, RunningState state) {
        this.layout = layout;
        adopt(state);
    }

    public TargetLayout layout() {
        return layout;
    }

    public Config candidate() {
        return candidate;
    }

    public Config running() {
        return running.config();
    }

    /** The running config with its commit number and datapath state, as this session last saw it. */
    public RunningState runningState() {
        return running;
    }

    public int baseGeneration() {
        return running.generation();
    }

    public boolean hasChanges() {
        return !candidate.sameAs(running.config());
    }

    /** Applies an edit; if it throws, the candidate stays as it was. */
    public void edit(UnaryOperator<Config> change) {
        candidate = change.apply(candidate);
    }

    public void replaceCandidate(Config config) {
        candidate = config;
    }

    public void discard() {
        candidate = running.config();
    }

    /** Takes a running state as the new base; the candidate becomes a copy of it. */
    public void adopt(RunningState state) {
        running = state;
        candidate = state.config();
    }
}
