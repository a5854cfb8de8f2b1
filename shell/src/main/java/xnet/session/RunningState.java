package xnet.session;

import xnet.model.Config;

/** The running configuration of a target and the commit that made it (0: none yet). */
public record RunningState(int generation, Config config, DatapathState datapath) {

    public static final RunningState NONE = new RunningState(0, Config.EMPTY, DatapathState.NONE);

    public RunningState {
        datapath = datapath == null ? DatapathState.NONE : datapath;
    }

    public RunningState(int generation, Config config) {
        this(generation, config, DatapathState.NONE);
    }
}
