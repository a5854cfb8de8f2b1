package xnet.bpf;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import xnet.compile.MapEncoding;
import xnet.compile.ProgramPlan;
import xnet.datapath.AttachPoints;
import xnet.datapath.LinkPlan;
import xnet.datapath.Shared;
import xnet.datapath.WhatIf;
import xnet.diff.FilterDelta;
import xnet.kernel.ClangCompiler;
import xnet.model.Config;
import xnet.model.Datapath;
import xnet.model.FilterRule;
import xnet.plan.TargetLayout;
import xnet.session.CounterSnapshot;
import xnet.session.DatapathFaults;
import xnet.session.DatapathPort;
import xnet.session.DatapathState;
import xnet.session.PreviewReport;
import xnet.session.RunningState;

/**
 * The BPF datapath of a target. A commit that changes only filter rules goes into the running
 * programs' maps ({@link LiveRuleSets}); one that changes only where programs run (a container
 * added or removed: the CNI case) attaches the running programs to the new points
 * ({@link KeptPrograms}); any other compiles and loads new programs, reusing the pinned counter
 * and connection maps. Links move as {@link LinkPlan} decides ({@link ProgramSwap} executes it). Links and shared maps are pinned ({@link PinnedObjects}),
 * so programs keep running after the process exits and the next process finds them.
 */
public final class BpfDatapath implements DatapathPort {

    /** Where every target's programs and maps are pinned. */
    public static final java.nio.file.Path PIN_ROOT = PinnedObjects.ROOT;

    private final TargetLayout layout;
    private final ClangCompiler compiler;
    private final Supplier<Bpf> binding;
    private final DatapathFaults faults;
    private final PinnedObjects pins;
    /** The running rule maps as this process last wrote them; null until it loads or recovers them. */
    private LiveRuleSets live;
    /** The running commit this process last tried to recover the rule maps of (once per commit). */
    private int recoveryTried = -1;
    /** The programs this process loaded last and that run now; null until it loads some. */
    private KeptPrograms kept;
    /** The reader of the target's events, shared by its monitors. */
    private final EventHub events;

    /** {@code binding} is asked for the libbpf binding only when a BPF call is needed. */
    public BpfDatapath(TargetLayout layout, ClangCompiler compiler, Supplier<Bpf> binding, DatapathFaults faults) {
        this.layout = layout;
        this.compiler = compiler;
        this.binding = binding;
        this.faults = faults;
        this.pins = new PinnedObjects(layout);
        this.events = new EventHub(binding, pins, layout.name());
    }

    @Override
    public Prepared prepare(Config candidate, RunningState running, FilterDelta filters) {
        if (filters != null && live == null && recoveryTried != running.generation()) {
            recoveryTried = running.generation();
            live = recover(running);
        }
        if (filters != null && live != null && live.usable()
                && live.covers(candidate, running, attachedProgramIds())) {
            Prepared inPlace = live.prepare(candidate, running, filters);
            if (inPlace != null) {
                return withFlipHook(inPlace);
            }
        }
        return load(candidate, running);
    }

    /** The flip of an in-place update is its one swap: injected faults and stalls reach it as swap 1. */
    private Prepared withFlipHook(Prepared inPlace) {
        return new Prepared() {
            @Override
            public DatapathState apply() {
                faults.beforeSwap(0, "flip the active rule set");
                return inPlace.apply();
            }

            @Override
            public List<String> revert() {
                return inPlace.revert();
            }

            @Override
            public void close() {
                inPlace.close();
            }
        };
    }

    @Override
    public PreviewReport preview(Config candidate, RunningState running) {
        return new Preview(binding.get(), compiler).run(layout, candidate, running);
    }

    @Override
    public CounterSnapshot counters(RunningState running) {
        return new Counters(binding.get(), pins).read(layout, running);
    }

    /** Mirrors {@link #prepare}'s choice: an in-place rule update, or programs loaded and swapped link by link. */
    @Override
    public List<String> describe(Config candidate, RunningState running) {
        List<LinkPlan.Attachment> wanted = AttachPoints.attachments(layout, candidate);
        if (wanted.isEmpty() && pins.links().isEmpty()) {
            return List.of();
        }
        List<LinkPlan.Step> steps = LinkPlan.steps(wanted, pinnedLinks(binding.get()));
        FilterDelta delta = FilterDelta.between(running.config().filters(), candidate.filters());
        boolean rulesOnly = xnet.compile.InPlaceUpdate.possible(running.config(), candidate)
                && steps.stream().allMatch(s -> s instanceof LinkPlan.Update);
        List<String> out = new ArrayList<>();
        if (rulesOnly && (live == null || live.usable())) {
            if (!delta.isEmpty() || candidate.defaultAction() != running.config().defaultAction()) {
                out.add("rule maps: " + delta.added().size() + " rule(s) added, " + delta.removed().size()
                        + " removed, written into the idle rule set; one flip of xnet_active makes them live"
                        + " (programs and links stay)");
            }
            return out;
        }
        out.add("programs: load " + LinkPlan.programs(wanted, steps) + " with the candidate's " + candidate.filters().size()
                + " rule(s) and " + candidate.nats().size() + " NAT rule(s)");
        steps.forEach(step -> out.add("link: " + describe(step)));
        return out;
    }

    private static String describe(LinkPlan.Step step) {
        if (step instanceof LinkPlan.Create c) {
            return "attach to " + c.at().device() + " (new link " + c.at().linkName() + ")";
        }
        if (step instanceof LinkPlan.Update u) {
            return "swap the program of " + u.at().linkName() + " (atomic)";
        }
        if (step instanceof LinkPlan.Replace r) {
            return r.at().device() + " is made anew: new link " + r.at().linkName();
        }
        if (step instanceof LinkPlan.SwitchMode m) {
            return "switch " + m.at().device() + " to " + m.at().linkName() + " (a tcx link carries traffic meanwhile), drop "
                    + m.oldLink();
        }
        return "detach " + ((LinkPlan.Detach) step).link();
    }

    @Override
    public void clearCounters(RunningState running, Integer rule) {
        new Counters(binding.get(), pins).clear(running, rule);
    }

    @Override
    public WhatIf probe(RunningState running, String point, byte[] frame) {
        Config config = running.config();
        LinkPlan.Attachment at = AttachPoints.attachments(layout, config).stream().filter(a -> a.point().equals(point))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(AttachPoints.wanted(config)
                        ? "no program runs at " + point + "; the attach points are "
                        + String.join(", ", AttachPoints.devices(layout, config).keySet())
                        : "no program runs: the running config has no rules, NAT, drop default or fast path"));
        Bpf bpf = binding.get();
        return bpf.inNamespace(layout.hostNamespace(), () -> {
            int link = bpf.pinned(pins.link(at.linkName()));
            if (link < 0) {
                throw new IllegalStateException("no program is attached as " + at.linkName() + "; 'lab status' says more");
            }
            try {
                int id = bpf.linkProgramId(link);
                int program = bpf.programById(id);
                try {
                    Bpf.Probe run = at.hook() == Datapath.Hook.TC ? bpf.probeTc(program, frame, bpf.linkIfindex(link))
                            : bpf.probeXdp(program, frame);
                    return WhatIf.of(point, at.hook().toString(), id, run.retval(), run.slot(), run.info(), frame,
                            run.out(), config, running.datapath().slots().slotOfRule(), false);
                } finally {
                    bpf.close(program);
                }
            } finally {
                bpf.close(link);
            }
        });
    }

    @Override
    public xnet.session.EventFeed events(java.util.Set<xnet.session.DatapathEvent.Kind> kinds,
                                         Supplier<RunningState> running) {
        return events.subscribe(kinds, running);
    }

    @Override
    public WhatIf probeCandidate(Config candidate, RunningState running, String point, byte[] frame) {
        return new Preview(binding.get(), compiler).probe(layout, candidate, running, point, frame);
    }

    @Override
    public List<String> attached() {
        return pins.links();
    }

    @Override
    public List<String> verify(RunningState running) {
        Config config = running.config();
        List<String> problems = new ArrayList<>();
        Set<String> expected = new java.util.TreeSet<>();
        AttachPoints.attachments(layout, config).forEach(at -> expected.add(at.linkName()));
        Set<String> present = new java.util.TreeSet<>(pins.links());
        for (String name : expected) {
            if (!present.contains(name)) {
                problems.add("no program attached as " + name + ", which the running config asks for");
            }
        }
        for (String name : present) {
            if (!expected.contains(name)) {
                problems.add("a program is attached as " + name + ", which the running config does not ask for");
            }
        }
        int defaultAction = config.defaultAction() == FilterRule.Action.DROP ? Shared.XNET_ACT_DROP : Shared.XNET_ACT_ALLOW;
        int wanted = xnet.compile.RuleDigest.of(config.filters(), config.nats(), defaultAction);
        Bpf bpf = binding.get();
        // a pin outlives its device: a link whose device was deleted, or deleted and made anew
        // (another ifindex), is pinned and yet that device runs no program
        for (LinkPlan.PinnedLink link : pinnedLinks(bpf)) {
            if (link.defunct() && expected.contains(link.name())) {
                problems.add(link.name() + " is pinned but not attached to the device " + LinkPlan.deviceOf(link.name())
                        + " that is there now (ifindex changed or device gone): it runs no program");
            }
        }
        for (String name : present) {
            if (!expected.contains(name)) {
                continue;
            }
            int link = bpf.pinned(pins.link(name));
            if (link < 0) {
                continue;
            }
            try {
                Integer digest = activeDigest(bpf, bpf.linkProgramId(link));
                if (digest == null || digest != wanted) {
                    problems.add(name + " runs a rule set that is not commit " + running.generation() + "'s");
                }
            } finally {
                bpf.close(link);
            }
        }
        return problems;
    }

    /** The digest of the rule set a program reads now (xnet_active names it), or null if unreadable. */
    private static Integer activeDigest(Bpf bpf, int programId) {
        int program = bpf.programById(programId);
        Map<String, Integer> maps;
        try {
            maps = bpf.programMaps(program);
        } finally {
            bpf.close(program);
        }
        try {
            Integer active = maps.get(Shared.XNET_MAP_ACTIVE);
            Integer meta = maps.get(Shared.XNET_MAP_META);
            if (active == null || meta == null) {
                return null;
            }
            byte[] set = new byte[4];
            byte[] value = new byte[Shared.META_SIZE];
            if (!bpf.lookup(active, MapEncoding.u32(0), set) || !bpf.lookup(meta, MapEncoding.u32(set[0] & 1), value)) {
                return null;
            }
            return java.nio.ByteBuffer.wrap(value).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(8);
        } finally {
            maps.values().forEach(bpf::close);
        }
    }

    @Override
    public void removeAll() {
        dropLive();
        dropKept();
        pins.removeAll();
    }

    private void dropKept() {
        if (kept != null) {
            kept.close();
            kept = null;
        }
    }

    private void dropLive() {
        if (live != null) {
            live.close();
            live = null;
        }
    }

    /**
     * The rule maps of programs another process loaded (xnetd before a restart), with the index
     * rebuilt from the running config; null when there are none to take over.
     */
    private LiveRuleSets recover(RunningState running) {
        if (pins.links().isEmpty()) {
            return null;
        }
        ProgramPlan plan = ProgramPlan.of(running.config(), running.datapath().slots(), running.config().filters());
        if (plan.index() == null) {
            return null;
        }
        return LiveRuleSets.recover(binding.get(), plan, attachedProgramIds(), running.generation());
    }

    /** The ids of the programs that the pinned links run. */
    private Set<Integer> attachedProgramIds() {
        Bpf bpf = binding.get();
        Set<Integer> ids = new HashSet<>();
        for (String name : pins.links()) {
            int link = bpf.pinned(pins.link(name));
            if (link >= 0) {
                try {
                    ids.add(bpf.linkProgramId(link));
                } finally {
                    bpf.close(link);
                }
            }
        }
        return ids;
    }

    private Prepared load(Config candidate, RunningState running) {
        ProgramPlan plan = ProgramPlan.of(candidate, running.datapath().slots(), running.config().filters());
        List<LinkPlan.Attachment> wanted = AttachPoints.attachments(layout, candidate);
        if (wanted.isEmpty() && pins.links().isEmpty()) {
            // no program wanted and none running: nothing to do, and no need to load libbpf
            dropLive();
            dropKept();
            return DatapathPort.unchanged(new DatapathState(plan.slots(), Map.of()));
        }
        xnet.session.PhaseClock clock = new xnet.session.PhaseClock();
        Bpf bpf = binding.get();
        Map<String, Integer> devices = wanted.isEmpty() ? Map.of() : deviceIndexes(bpf, candidate);
        clock.mark("device indexes");
        List<LinkPlan.Step> steps = LinkPlan.steps(wanted, pinnedLinks(bpf));
        clock.mark("link plan");
        List<Datapath.Hook> hooks = LinkPlan.programs(wanted, steps);
        // the running maps hold the running rules: the kept programs serve only a commit that keeps them
        boolean rulesKept = candidate.filters().equals(running.config().filters())
                && candidate.defaultAction() == running.config().defaultAction();
        boolean reuse = rulesKept && kept != null && kept.serves(plan, hooks, attachedProgramIds());
        if (!reuse) {
            dropLive();
        }
        Map<Datapath.Hook, LoadedProgram> programs = reuse ? kept.programs() : loadPrograms(bpf, plan, hooks);
        clock.mark(reuse ? "reuse" : "load");
        List<xnet.datapath.FastPathTable.Entry> fast = candidate.datapath().fastpath()
                ? xnet.datapath.FastPathTable.of(candidate, devices, bridgeDevices()) : List.of();
        ProgramSwap swap;
        try {
            swap = new ProgramSwap(bpf, layout, pins, plan, programs, steps, faults).prepare(devices, fast);
        } catch (RuntimeException failure) {
            if (!reuse) {
                programs.values().forEach(LoadedProgram::close);
            }
            throw failure;
        }
        clock.mark("swap prepare");
        clock.print("program load");
        int nextGeneration = running.generation() + 1;
        return new Prepared() {
            private boolean applied;

            @Override
            public DatapathState apply() {
                DatapathState state = swap.apply();
                applied = true;
                if (!reuse) {
                    live = LiveRuleSets.adopt(bpf, plan, new ArrayList<>(programs.values()), nextGeneration);
                } else if (live != null) {
                    live.advance(running.generation(), nextGeneration); // the rules did not change
                }
                return state;
            }

            @Override
            public List<String> revert() {
                if (!reuse) {
                    dropLive();
                } else if (live != null && applied) {
                    live.advance(nextGeneration, running.generation());
                }
                applied = false;
                return swap.revert();
            }

            /** The programs that run after this commit are kept; those that do not, closed. */
            @Override
            public void close() {
                swap.close();
                if (reuse) {
                    return;
                }
                if (applied) {
                    dropKept();
                    kept = new KeptPrograms(plan, programs);
                } else {
                    programs.values().forEach(LoadedProgram::close);
                }
            }
        };
    }

    /** The interface index of each attach point's device in the host namespace (0: absent). */
    private Map<String, Integer> deviceIndexes(Bpf bpf, Config candidate) {
        Map<String, String> devices = AttachPoints.devices(layout, candidate);
        return bpf.inNamespace(layout.hostNamespace(), () -> {
            Map<String, Integer> found = new HashMap<>();
            devices.forEach((point, device) -> found.put(point, bpf.ifindex(device)));
            return found;
        });
    }

    /** The host namespace's bridges: index and MAC, as `ip -j link` says. */
    private Map<String, xnet.datapath.FastPathTable.BridgeDevice> bridgeDevices() {
        String json = xnet.kernel.ProcessRunner.run(TargetLayout.ip(layout.hostNamespace(), "-j", "link", "show",
                "type", "bridge"));
        Map<String, xnet.datapath.FastPathTable.BridgeDevice> bridges = new HashMap<>();
        try {
            for (com.fasterxml.jackson.databind.JsonNode link : xnet.state.Json.MAPPER.readTree(json.isBlank() ? "[]" : json)) {
                byte[] mac = java.util.HexFormat.ofDelimiter(":").parseHex(link.path("address").asText("00:00:00:00:00:00"));
                bridges.put(link.path("ifname").asText(), new xnet.datapath.FastPathTable.BridgeDevice(
                        link.path("ifindex").asInt(), mac));
            }
        } catch (java.io.IOException | IllegalArgumentException unreadable) {
            throw new IllegalStateException("cannot read the bridges of " + layout.hostNamespace() + ": " + json, unreadable);
        }
        return bridges;
    }

    /** The pinned links; defunct when the device they were attached to is gone or was made anew. */
    private List<LinkPlan.PinnedLink> pinnedLinks(Bpf bpf) {
        List<String> names = pins.links();
        if (names.isEmpty()) {
            return List.of();
        }
        return bpf.inNamespace(layout.hostNamespace(), () -> {
            List<LinkPlan.PinnedLink> links = new ArrayList<>();
            for (String name : names) {
                int link = bpf.pinned(pins.link(name));
                if (link < 0) {
                    continue;
                }
                try {
                    int attachedTo = bpf.linkIfindex(link);
                    links.add(new LinkPlan.PinnedLink(name,
                            attachedTo == 0 || attachedTo != bpf.ifindex(LinkPlan.deviceOf(name))));
                } finally {
                    bpf.close(link);
                }
            }
            return links;
        });
    }

    /** Compiles and loads one program per hook; the second shares the first one's rule maps. */
    private Map<Datapath.Hook, LoadedProgram> loadPrograms(Bpf bpf, ProgramPlan plan, List<Datapath.Hook> hooks) {
        Map<Datapath.Hook, LoadedProgram> programs = new EnumMap<>(Datapath.Hook.class);
        if (hooks.isEmpty()) {
            return programs;
        }
        PinnedObjects.ensureBpffs();
        Map<String, Integer> shared = new HashMap<>();
        for (String map : ProgramSwap.SHARED_MAPS) {
            shared.put(map, bpf.pinned(pins.map(map)));
        }
        LoadedProgram.Reuse reuse = new LoadedProgram.Reuse(shared);
        try {
            for (Datapath.Hook hook : hooks) {
                byte[] elf = compiler.compile(LoadedProgram.sourceOf(hook), plan.header());
                LoadedProgram.Reuse maps = programs.isEmpty() ? reuse
                        : LoadedProgram.Reuse.rulesOf(programs.values().iterator().next(), reuse);
                programs.put(hook, LoadedProgram.load(bpf, elf, LoadedProgram.programOf(hook), plan, maps));
            }
            return programs;
        } catch (RuntimeException failure) {
            programs.values().forEach(LoadedProgram::close);
            throw failure;
        } finally {
            shared.values().forEach(bpf::close);
        }
    }
}
