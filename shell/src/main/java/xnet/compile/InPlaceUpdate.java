package xnet.compile;

import xnet.model.Config;
import xnet.model.Datapath;

/**
 * Whether a commit can go into the running programs' rule maps instead of loading new programs:
 * both configs use the map strategy and differ in filter rules and the default action only.
 * Anything else (NAT, the hook, the strategy, the topology) changes the programs or where they
 * run. The BPF adapter adds what only it knows: that the programs in the links are the ones it
 * loaded and that it holds their index.
 */
public final class InPlaceUpdate {

    private InPlaceUpdate() {
    }

    public static boolean possible(Config running, Config candidate) {
        return ProgramPlan.strategyFor(candidate) == Datapath.Strategy.MAP
                && ProgramPlan.strategyFor(running) == Datapath.Strategy.MAP
                && candidate.bridges().equals(running.bridges()) && candidate.containers().equals(running.containers())
                && candidate.nats().equals(running.nats()) && candidate.datapath().equals(running.datapath())
                && candidate.tunnels().equals(running.tunnels());
    }
}
