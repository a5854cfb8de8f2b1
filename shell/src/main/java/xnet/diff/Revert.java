package xnet.diff;

import java.util.List;

import xnet.model.Config;

/**
 * Takes a change back from a config that may have moved on since: the change from {@code before}
 * to {@code after} is undone on {@code now}, keeping what others committed in between (the
 * container runtime adding a container). It is a rebase of "after back to before" onto now.
 * Where the change and the later commits touched the same thing, undoing it alone cannot be
 * done, and the result is {@code before} whole: a revert exists to get back to a known-good
 * config, so it does not guess (the notes say what the later commits lose).
 */
public final class Revert {

    /** The config to commit, and what the revert could not keep. */
    public record Result(Config config, List<String> lost) {
    }

    private Revert() {
    }

    public static Result of(Config before, Config after, Config now) {
        if (now.sameAs(after)) {
            return new Result(keepCounters(before, now), List.of());
        }
        Rebase.Result undone = Rebase.onto(after, before, now);
        if (undone.merged()) {
            return new Result(keepCounters(undone.config(), now), List.of());
        }
        return new Result(keepCounters(before, now), undone.conflicts());
    }

    /** Rule ids are never given twice along one history: the next ids stay where {@code now} has them. */
    private static Config keepCounters(Config config, Config now) {
        return new Config(config.bridges(), config.containers(), config.filters(), config.defaultAction(), config.nats(),
                config.datapath(), Math.max(config.nextFilterId(), now.nextFilterId()),
                Math.max(config.nextNatId(), now.nextNatId()), config.tunnels());
    }
}
