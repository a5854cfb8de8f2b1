package xnet.session;

import java.util.List;

import xnet.diff.FilterDelta;
import xnet.model.Config;

/**
 * The side of a target where rules run (BPF programs, or the kernel's tables): prepared aside in
 * a commit and swapped in at apply, previewed without attaching, and read for counters.
 */
public interface DatapathPort {

    /**
     * Builds everything the candidate needs without touching what traffic sees. {@code filters}
     * is how the candidate's rules differ from the running ones, or null to build from nothing
     * (`lab rebuild`).
     */
    Prepared prepare(Config candidate, RunningState running, FilterDelta filters);

    interface Prepared {
        /**
         * Makes the prepared datapath the one traffic sees. Only swaps (a link's program, the
         * active rule set): on failure it swaps back what it swapped and throws.
         */
        DatapathState apply();

        /**
         * Takes back an applied swap (used when recording the commit fails). Returns what could
         * not be taken back, empty when the kernel is as it was.
         */
        List<String> revert();

        /** Releases what was prepared; after apply, only what no link holds. */
        void close();
    }

    /** The dry run: the candidate's programs generated, compiled, loaded and verified, attached nowhere. */
    default PreviewReport preview(Config candidate, RunningState running) {
        throw new UnsupportedOperationException("this datapath has no programs to preview");
    }

    /** The running datapath's counters. */
    default CounterSnapshot counters(RunningState running) {
        throw new UnsupportedOperationException("this datapath keeps no counters");
    }

    /**
     * What a commit of {@code candidate} would do here, in words, without doing it: which rule maps
     * and links change (for `commit check`). Empty when this datapath has nothing to do.
     */
    default List<String> describe(Config candidate, RunningState running) {
        return List.of();
    }

    /** The script of a tables datapath and the loader's check of it; null for the BPF hooks. */
    default RulesetCheck checkRuleset(Config candidate) {
        return null;
    }

    /** Sets the counters of one filter rule ({@code rule}), or of every rule and attach point (null), to zero. */
    default void clearCounters(RunningState running, Integer rule) {
        throw new UnsupportedOperationException("this datapath keeps no counters");
    }

    /** What runs in the kernel for the target, one line per attached program ("v-web+tc"). */
    default List<String> attached() {
        return List.of();
    }

    /**
     * How the attached programs differ from what the running config asks for: a missing or
     * extra link, a hook or XDP mode other than the config's, an active rule set that is not
     * the config's. Empty when they match.
     */
    default List<String> verify(RunningState running) {
        return List.of();
    }

    /** Detaches and forgets everything of the target (lab destroy, before a rebuild). */
    default void removeAll() {
    }

    /** A datapath with nothing to do: apply keeps {@code state}, and there is nothing to take back. */
    /**
     * A what-if packet (`test packet`) through the program attached at {@code point} now, with
     * nothing counted or remembered: what it decides, by which rule, and what it rewrites.
     */
    default xnet.datapath.WhatIf probe(RunningState running, String point, byte[] frame) {
        throw new IllegalStateException("test packet runs the BPF programs; this datapath has none");
    }

    /** The same through the candidate's program for the point, loaded but not attached (`test packet --candidate`). */
    default xnet.datapath.WhatIf probeCandidate(Config candidate, RunningState running, String point, byte[] frame) {
        throw new IllegalStateException("test packet runs the BPF programs; this datapath has none");
    }

    /**
     * A monitor of this datapath's events of these kinds (`monitor drops`, `monitor nat`), from now
     * until it is closed; {@code running} names points and rules as the config in force has them.
     */
    default EventFeed events(java.util.Set<DatapathEvent.Kind> kinds, java.util.function.Supplier<RunningState> running) {
        throw new IllegalStateException("monitor reads the events of xnet's BPF programs; this datapath has none");
    }

    static Prepared unchanged(DatapathState state) {
        return new Prepared() {
            @Override
            public DatapathState apply() {
                return state;
            }

            @Override
            public List<String> revert() {
                return List.of();
            }

            @Override
            public void close() {
            }
        };
    }

    DatapathPort NONE = (candidate, running, filters) -> unchanged(running.datapath());
}
