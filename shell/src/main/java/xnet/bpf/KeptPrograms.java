package xnet.bpf;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import xnet.compile.ProgramPlan;
import xnet.model.Datapath;

/**
 * The programs of this process's last full load, held open while the links run them. A commit
 * that changes only where programs run (a container added or removed) attaches these to the new
 * points instead of compiling and loading again, and the rule maps (and their index) stay.
 */
final class KeptPrograms implements AutoCloseable {

    private final ProgramPlan plan;
    private final Map<Datapath.Hook, LoadedProgram> programs;
    private final Set<Integer> ids = new HashSet<>();

    KeptPrograms(ProgramPlan plan, Map<Datapath.Hook, LoadedProgram> programs) {
        this.plan = plan;
        this.programs = programs;
        programs.values().forEach(p -> ids.add(p.id()));
    }

    /**
     * Whether they can serve a commit: same generated code and NAT entries (the only things a
     * load writes that the maps do not keep up to date), every hook it needs, and they are what
     * the links run now (no other process swapped them).
     */
    boolean serves(ProgramPlan next, List<Datapath.Hook> hooks, Set<Integer> attachedProgramIds) {
        return plan.header().equals(next.header()) && plan.nats().equals(next.nats())
                && plan.strategy() == next.strategy() && programs.keySet().containsAll(hooks)
                && !attachedProgramIds.isEmpty() && ids.containsAll(attachedProgramIds);
    }

    Map<Datapath.Hook, LoadedProgram> programs() {
        return programs;
    }

    @Override
    public void close() {
        programs.values().forEach(LoadedProgram::close);
    }
}
