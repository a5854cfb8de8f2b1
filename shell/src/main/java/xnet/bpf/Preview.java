package xnet.bpf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import xnet.datapath.ProgramPlan;
import xnet.datapath.Shared;
import xnet.kernel.ClangCompiler;
import xnet.model.Config;
import xnet.model.Datapath;
import xnet.plan.TargetLayout;

/**
 * The dry run: compile and load the candidate's programs with fresh maps, ask the verifier, and
 * close everything again. Nothing is attached and no pinned map is touched.
 */
public final class Preview {

    public record Program(String hook, String file, boolean verified, String verdict, int verifiedInstructions,
                          int translatedBytes, int jitedBytes) {
    }

    public record Report(String strategy, String reason, Map<String, String> attachPoints, String header,
                         int ruleEntries, int tuples, int natEntries, long mapBytes, List<Program> programs) {
    }

    private Preview() {
    }

    public static Report run(TargetLayout layout, Config candidate, xnet.session.RunningState running,
                             ClangCompiler compiler) {
        ProgramPlan plan = ProgramPlan.of(candidate, running.datapath().slots(), running.config().filters());
        Map<String, String> points = new LinkedHashMap<>();
        AttachPoints.devices(layout, candidate).forEach((point, device) ->
                points.put(point, device + " ingress, " + describe(candidate, point)));
        List<Program> programs = new ArrayList<>();
        List<Datapath.Hook> hooks = AttachPoints.hooksUsed(layout, candidate);
        if (hooks.isEmpty()) {
            hooks.add(candidate.datapath().hook().bpf() ? candidate.datapath().hook() : Datapath.Hook.TC);
        }
        for (Datapath.Hook hook : hooks) {
            String file = hook == Datapath.Hook.XDP ? "xnet_xdp.c" : "xnet_tc.c";
            try (LoadedProgram loaded = LoadedProgram.load(compiler.compile(file, plan.header()),
                    hook == Datapath.Hook.XDP ? "xnet_xdp" : "xnet_tc", plan, LoadedProgram.Reuse.NONE)) {
                Bpf.ProgramInfo info = loaded.info();
                programs.add(new Program(hook.toString(), file, true, "accepted by the verifier",
                        info.verifiedInstructions(), info.translatedBytes(), info.jitedBytes()));
            } catch (BpfException rejected) {
                programs.add(new Program(hook.toString(), file, false, rejected.getMessage() + "\n" + rejected.logTail(10),
                        0, 0, 0));
            } catch (RuntimeException failed) {
                programs.add(new Program(hook.toString(), file, false, failed.getMessage(), 0, 0, 0));
            }
        }
        int entries = plan.tables().entries().size();
        long bytes = (long) entries * (Shared.RULE_KEY_SIZE + Shared.RULE_VALUE_SIZE)
                + (long) plan.tables().tuples().size() * Shared.TUPLE_SIZE
                + (long) plan.nats().size() * (Shared.NAT_KEY_SIZE + Shared.NAT_VALUE_SIZE);
        return new Report(plan.strategy().toString(), plan.reason(), points, plan.header(), entries,
                plan.tables().tuples().size(), plan.nats().size(), bytes, programs);
    }

    private static String describe(Config config, String point) {
        Datapath.Hook hook = AttachPoints.hookOf(config, point);
        return hook == Datapath.Hook.XDP ? "xdp (" + config.datapath().xdpMode() + ")" : hook.toString();
    }
}
