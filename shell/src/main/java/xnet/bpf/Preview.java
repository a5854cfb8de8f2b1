package xnet.bpf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import xnet.compile.ProgramPlan;
import xnet.datapath.AttachPoints;
import xnet.datapath.Shared;
import xnet.kernel.ClangCompiler;
import xnet.model.Config;
import xnet.model.Datapath;
import xnet.plan.TargetLayout;
import xnet.session.PreviewReport;
import xnet.session.RunningState;

/**
 * The dry run: compile and load the candidate's programs with fresh maps, ask the verifier, and
 * close everything again. Nothing is attached and no pinned map is touched.
 */
final class Preview {

    private final Bpf bpf;
    private final ClangCompiler compiler;

    Preview(Bpf bpf, ClangCompiler compiler) {
        this.bpf = bpf;
        this.compiler = compiler;
    }

    PreviewReport run(TargetLayout layout, Config candidate, RunningState running) {
        ProgramPlan plan = ProgramPlan.of(candidate, running.datapath().slots(), running.config().filters());
        Map<String, String> points = new LinkedHashMap<>();
        AttachPoints.devices(layout, candidate).forEach((point, device) ->
                points.put(point, device + " ingress, " + describe(candidate, point)));
        List<PreviewReport.Program> programs = new ArrayList<>();
        List<Datapath.Hook> hooks = AttachPoints.hooksUsed(layout, candidate);
        if (hooks.isEmpty()) {
            hooks.add(candidate.datapath().hook().bpf() ? candidate.datapath().hook() : Datapath.Hook.TC);
        }
        for (Datapath.Hook hook : hooks) {
            programs.add(verify(plan, hook));
        }
        int entries = plan.tables().entries().size();
        long bytes = plan.tables().entries().stream()
                .mapToLong(e -> xnet.compile.MapEncoding.ruleKeySize(e.v6()) + Shared.RULE_VALUE_SIZE).sum()
                + (long) plan.tables().tuples().size() * Shared.TUPLE_SIZE
                + plan.nats().stream().mapToLong(n -> n.family() == xnet.model.Family.IPV6
                        ? Shared.NAT_KEY6_SIZE + Shared.NAT_VALUE6_SIZE : Shared.NAT_KEY_SIZE + Shared.NAT_VALUE_SIZE).sum();
        return new PreviewReport(plan.strategy().toString(), plan.reason(), points, plan.header(), entries,
                plan.tables().tuples().size(), plan.nats().size(), bytes, programs);
    }

    private PreviewReport.Program verify(ProgramPlan plan, Datapath.Hook hook) {
        String file = LoadedProgram.sourceOf(hook);
        try (LoadedProgram loaded = LoadedProgram.load(bpf, compiler.compile(file, plan.header()),
                LoadedProgram.programOf(hook), plan, LoadedProgram.Reuse.NONE)) {
            Bpf.ProgramInfo info = loaded.info();
            return new PreviewReport.Program(hook.toString(), file, true, "accepted by the verifier",
                    info.verifiedInstructions(), info.translatedBytes(), info.jitedBytes());
        } catch (BpfException rejected) {
            return new PreviewReport.Program(hook.toString(), file, false,
                    rejected.getMessage() + "\n" + rejected.logTail(10), 0, 0, 0);
        } catch (RuntimeException failed) {
            return new PreviewReport.Program(hook.toString(), file, false, failed.getMessage(), 0, 0, 0);
        }
    }

    /**
     * `test packet --candidate`: the candidate's program for the point's hook, loaded with fresh
     * maps holding the candidate's rules and NAT (no connections, an empty fast-path table), a
     * what-if packet through it, and everything closed again. Nothing is attached.
     */
    xnet.datapath.WhatIf probe(TargetLayout layout, Config candidate, RunningState running, String point, byte[] frame) {
        if (!AttachPoints.devices(layout, candidate).containsKey(point)) {
            throw new IllegalArgumentException("the candidate has no attach point " + point + "; it has "
                    + String.join(", ", AttachPoints.devices(layout, candidate).keySet()));
        }
        Datapath.Hook hook = AttachPoints.hookOf(candidate, point);
        ProgramPlan plan = ProgramPlan.of(candidate, running.datapath().slots(), running.config().filters());
        try (LoadedProgram loaded = LoadedProgram.load(bpf, compiler.compile(LoadedProgram.sourceOf(hook), plan.header()),
                LoadedProgram.programOf(hook), plan, LoadedProgram.Reuse.NONE)) {
            Bpf.Probe run = hook == Datapath.Hook.TC ? bpf.probeTc(loaded.programFd(), frame, 0)
                    : bpf.probeXdp(loaded.programFd(), frame);
            return xnet.datapath.WhatIf.of(point, hook.toString(), loaded.info().id(), run.retval(), run.slot(),
                    run.info(), frame, run.out(), candidate, plan.slots().slotOfRule(), true);
        }
    }

    private static String describe(Config config, String point) {
        Datapath.Hook hook = AttachPoints.hookOf(config, point);
        return hook == Datapath.Hook.XDP ? "xdp (" + config.datapath().xdpMode() + ")" : hook.toString();
    }
}
