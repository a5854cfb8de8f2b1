package xnet.session;

import java.util.List;

import xnet.diff.FilterDelta;
import xnet.model.Config;

/**
 * A commit under way, recorded before it changes the kernel, so that a process killed in the
 * middle leaves enough for the next start to settle it (see CommitService#settle): roll back
 * while only kernel steps ran ({@link Phase#TOPOLOGY}: {@code undo} holds, for each step that
 * may have run, the commands that take it back; oldest step first), roll forward once the programs began to change
 * ({@link Phase#DATAPATH}: the topology is the new config's by then).
 *
 * @param filters the rule change from commit {@code from}, so a store can keep it small; null
 *                when unknown
 */
public record CommitIntent(int from, int to, Phase phase, Config config, FilterDelta filters,
                           List<List<List<String>>> undo) {

    public enum Phase { TOPOLOGY, DATAPATH }

    public CommitIntent {
        undo = undo == null ? List.of() : undo.stream().map(step -> step.stream().map(List::copyOf).toList()).toList();
    }

    public CommitIntent inPhase(Phase next) {
        return new CommitIntent(from, to, next, config, filters, undo);
    }
}
