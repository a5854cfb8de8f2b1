package xnet.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import xnet.datapath.MapEncoding;
import xnet.datapath.ProgramPlan;
import xnet.datapath.Shared;
import xnet.kernel.ClangCompiler;
import xnet.kernel.ProcessRunner;
import xnet.model.Config;
import xnet.model.Datapath;
import xnet.plan.TargetLayout;
import xnet.session.DatapathPort;
import xnet.session.DatapathState;

/**
 * The BPF datapath of a target. Prepare compiles and loads new programs and fills new rule maps,
 * reusing the pinned counter and connection maps. Apply swaps every pinned link to its new
 * program with bpf_link_update (atomic: no packet sees no program), creating links for new
 * attach points. Links and shared maps are pinned under /sys/fs/bpf/xnet/TARGET, so programs
 * keep running after the shell exits and the next shell finds them.
 */
public final class BpfDatapath implements DatapathPort {

    /** Attach types, passed as numbers: libbpf 1.1 has no names for tcx (kernel 6.6+). */
    static final int BPF_TCX_INGRESS = 46;
    static final int BPF_XDP = 37;
    static final int XDP_FLAGS_SKB_MODE = 1 << 1;
    static final int XDP_FLAGS_DRV_MODE = 1 << 2;

    private static final List<String> SHARED_MAPS = List.of(Shared.XNET_MAP_RULE_STATS, Shared.XNET_MAP_IF_STATS,
            Shared.XNET_MAP_CT);

    private final TargetLayout layout;
    private final ClangCompiler compiler;
    private final Path pins;
    /** The running rule maps as this process last wrote them; null until it loads programs. */
    private LiveRuleSets live;

    public BpfDatapath(TargetLayout layout, ClangCompiler compiler) {
        this.layout = layout;
        this.compiler = compiler;
        this.pins = pinRoot(layout);
    }

    public static Path pinRoot(TargetLayout layout) {
        return Path.of("/sys/fs/bpf/xnet", layout.name());
    }

    /** "v-web+tc", "v-web+xdp-generic": bpffs refuses names with a dot; device names never contain "+". */
    static String linkName(String device, Datapath.Hook hook, Datapath.XdpMode mode) {
        return device + "+" + hook + (hook == Datapath.Hook.XDP ? "-" + mode : "");
    }

    String linkPin(String name) {
        return pins.resolve("links").resolve(name).toString();
    }

    String mapPin(String map) {
        return pins.resolve("maps").resolve(map).toString();
    }

    /**
     * Changes of filter rules alone go into the running programs' maps (see {@link LiveRuleSets});
     * anything else, or a shell that did not load the running programs, loads new programs.
     */
    @Override
    public Prepared prepare(Config candidate, xnet.session.RunningState running, xnet.diff.FilterDelta filters) {
        if (filters != null && live != null && live.usable()
                && live.covers(candidate, running, attachedProgramIds())) {
            Prepared inPlace = live.prepare(candidate, running, filters);
            if (inPlace != null) {
                return inPlace;
            }
        }
        dropLive();
        return load(candidate, running);
    }

    private void dropLive() {
        if (live != null) {
            live.close();
            live = null;
        }
    }

    /** The ids of the programs that the pinned links run. */
    private java.util.Set<Integer> attachedProgramIds() {
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        Path dir = pins.resolve("links");
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        Bpf bpf = Bpf.get();
        try (var files = Files.list(dir)) {
            for (Path pin : files.toList()) {
                int link = bpf.pinned(pin.toString());
                if (link >= 0) {
                    try {
                        ids.add(bpf.linkProgramId(link));
                    } finally {
                        bpf.close(link);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("list " + dir + ": " + e.getMessage(), e);
        }
        return ids;
    }

    private Prepared load(Config candidate, xnet.session.RunningState running) {
        boolean wanted = AttachPoints.wanted(candidate);
        Map<Datapath.Hook, LoadedProgram> programs = new EnumMap<>(Datapath.Hook.class);
        ProgramPlan plan = ProgramPlan.of(candidate, running.datapath().slots(), running.config().filters());
        if (wanted) {
            ensureBpffs();
            Bpf bpf = Bpf.get();
            Map<String, Integer> shared = new HashMap<>();
            for (String map : SHARED_MAPS) {
                shared.put(map, bpf.pinned(mapPin(map)));
            }
            LoadedProgram.Reuse reuse = new LoadedProgram.Reuse(shared);
            try {
                List<Datapath.Hook> hooks = AttachPoints.hooksUsed(layout, candidate);
                if (hooks.contains(Datapath.Hook.XDP) && !hooks.contains(Datapath.Hook.TC)
                        && running.config().datapath().xdpMode() != candidate.datapath().xdpMode()) {
                    hooks.add(Datapath.Hook.TC); // bridges the moment an XDP link changes mode (see attach)
                }
                for (Datapath.Hook hook : hooks) {
                    byte[] elf = compiler.compile(hook == Datapath.Hook.XDP ? "xnet_xdp.c" : "xnet_tc.c", plan.header());
                    // the second hook's program shares the first one's rule maps: one rule set to update
                    LoadedProgram.Reuse maps = programs.isEmpty() ? reuse
                            : LoadedProgram.Reuse.rulesOf(programs.values().iterator().next(), reuse);
                    programs.put(hook, LoadedProgram.load(elf, hook == Datapath.Hook.XDP ? "xnet_xdp" : "xnet_tc", plan,
                            maps));
                }
            } catch (RuntimeException failure) {
                programs.values().forEach(LoadedProgram::close);
                throw failure;
            } finally {
                shared.values().forEach(bpf::close);
            }
        }
        return new Swap(candidate, plan, programs, running.generation() + 1);
    }

    private static void ensureBpffs() {
        try {
            boolean mounted = Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .anyMatch(l -> l.split(" ")[1].equals("/sys/fs/bpf") && l.split(" ")[2].equals("bpf"));
            if (!mounted) {
                ProcessRunner.run(List.of("mount", "-t", "bpf", "bpf", "/sys/fs/bpf"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("read /proc/mounts: " + e.getMessage(), e);
        }
    }

    /** One commit's swap: what it created and what it replaced, so that it can be taken back. */
    private final class Swap implements Prepared {
        private final Config candidate;
        private final ProgramPlan plan;
        private final Map<Datapath.Hook, LoadedProgram> programs;
        private final int nextGeneration;
        private final List<Runnable> undo = new ArrayList<>();
        /** Fds held for a possible revert; closed when the commit is done. */
        private final List<Integer> held = new ArrayList<>();

        Swap(Config candidate, ProgramPlan plan, Map<Datapath.Hook, LoadedProgram> programs, int nextGeneration) {
            this.candidate = candidate;
            this.plan = plan;
            this.programs = programs;
            this.nextGeneration = nextGeneration;
        }

        @Override
        public DatapathState apply() {
            try {
                Map<String, Integer> ifindexes = programs.isEmpty() ? Map.of() : swapAll();
                removeStaleLinks(programs.isEmpty() ? Map.of() : AttachPoints.devices(layout, candidate));
                live = LiveRuleSets.adopt(plan, new ArrayList<>(programs.values()), nextGeneration);
                return new DatapathState(plan.slots(), ifindexes);
            } catch (RuntimeException failure) {
                revert();
                throw failure;
            }
        }

        private Map<String, Integer> swapAll() {
            Bpf bpf = Bpf.get();
            pinSharedMaps();
            Map<String, String> devices = AttachPoints.devices(layout, candidate);
            Map<String, Integer> ifindexes = bpf.inNamespace(layout.hostNamespace(), () -> {
                Map<String, Integer> found = new HashMap<>();
                for (Map.Entry<String, String> e : devices.entrySet()) {
                    found.put(e.getKey(), bpf.ifindex(e.getValue()));
                }
                return found;
            });
            int ifStats = programs.values().iterator().next().mapFd(Shared.XNET_MAP_IF_STATS);
            for (Map.Entry<String, String> e : devices.entrySet()) {
                int ifindex = ifindexes.get(e.getKey());
                if (ifindex == 0) {
                    throw new BpfException("find device " + e.getValue() + " in " + layout.hostNamespace(), 19, null);
                }
                try {
                    bpf.update(ifStats, MapEncoding.u32(ifindex), new byte[24 * bpf.possibleCpus()], 1); // BPF_NOEXIST
                } catch (BpfException exists) {
                    if (exists.errno() != 17) {
                        throw exists;
                    }
                }
                attach(e.getValue(), ifindex, AttachPoints.hookOf(candidate, e.getKey()), candidate.datapath().xdpMode());
            }
            return ifindexes;
        }

        private void attach(String device, int ifindex, Datapath.Hook hook, Datapath.XdpMode mode) {
            Bpf bpf = Bpf.get();
            LoadedProgram program = programs.get(hook);
            String pin = linkPin(linkName(device, hook, mode));
            int pinned = bpf.pinned(pin);
            if (pinned >= 0 && bpf.linkIfindex(pinned) != ifindex) {
                // the device was made anew in this commit (a changed container or tunnel): its
                // old link went with the old device and cannot take a program any more
                bpf.close(pinned);
                unpin(pin);
                pinned = -1;
            }
            int link = pinned;
            if (link >= 0) {
                held.add(link);
                int oldProgram = bpf.programById(bpf.linkProgramId(link));
                held.add(oldProgram);
                bpf.linkUpdate(link, program.programFd(), device + " " + hook);
                undo.add(() -> bpf.linkUpdate(link, oldProgram, device + " " + hook));
                return;
            }
            String otherMode = linkPin(linkName(device, hook, mode == Datapath.XdpMode.NATIVE
                    ? Datapath.XdpMode.GENERIC : Datapath.XdpMode.NATIVE));
            if (hook == Datapath.Hook.XDP && Files.exists(Path.of(otherMode))) {
                // The kernel will not run native and generic XDP on one device at once. A tcx link
                // with the new rules covers the device while the XDP link changes mode.
                int bridge = create(programs.get(Datapath.Hook.TC), ifindex, Datapath.Hook.TC, mode, device);
                try {
                    Datapath.XdpMode oldMode = mode == Datapath.XdpMode.NATIVE ? Datapath.XdpMode.GENERIC
                            : Datapath.XdpMode.NATIVE;
                    int oldLink = bpf.pinned(otherMode);
                    int oldProgram = bpf.programById(bpf.linkProgramId(oldLink));
                    bpf.close(oldLink);
                    held.add(oldProgram);
                    unpin(otherMode);
                    // taken back newest first: the new link goes (its undo), then the old one returns
                    undo.add(() -> createPinnedWhenFree(oldProgram, ifindex, oldMode, device, otherMode));
                    createPinnedWhenFree(program.programFd(), ifindex, mode, device, pin);
                } finally {
                    bpf.close(bridge);
                }
                return;
            }
            createPinned(program, ifindex, hook, mode, device, pin);
        }

        /**
         * The kernel releases an unpinned link from a work queue, a moment after the unpin: until
         * then the device still has the old XDP program and refuses a new one (EEXIST). The tcx
         * bridge carries the rules meanwhile; this waits up to a second for the device to be free.
         */
        private void createPinnedWhenFree(int programFd, int ifindex, Datapath.XdpMode mode, String device, String pin) {
            for (int attempt = 0; ; attempt++) {
                try {
                    int created = Bpf.get().inNamespace(layout.hostNamespace(), () -> Bpf.get().linkCreate(programFd,
                            ifindex, BPF_XDP, mode == Datapath.XdpMode.NATIVE ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE,
                            device + " xdp"));
                    pinLink(created, pin);
                    return;
                } catch (BpfException busy) {
                    if (busy.errno() != 17 || attempt >= 200) {
                        throw busy;
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw busy;
                    }
                }
            }
        }

        private void createPinned(LoadedProgram program, int ifindex, Datapath.Hook hook, Datapath.XdpMode mode,
                                  String device, String pin) {
            pinLink(create(program, ifindex, hook, mode, device), pin);
        }

        private void pinLink(int created, String pin) {
            held.add(created);
            mkdirs(Path.of(pin).getParent());
            Bpf.get().pin(created, pin);
            undo.add(() -> unpin(pin));
        }

        private int create(LoadedProgram program, int ifindex, Datapath.Hook hook, Datapath.XdpMode mode, String device) {
            Bpf bpf = Bpf.get();
            int attachType = hook == Datapath.Hook.XDP ? BPF_XDP : BPF_TCX_INGRESS;
            int flags = hook == Datapath.Hook.XDP ? (mode == Datapath.XdpMode.NATIVE
                    ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE) : 0;
            return bpf.inNamespace(layout.hostNamespace(),
                    () -> bpf.linkCreate(program.programFd(), ifindex, attachType, flags, device + " " + hook));
        }

        /** Links pinned for devices or hooks the candidate no longer uses: unpinning detaches them. */
        private void removeStaleLinks(Map<String, String> devices) {
            Path dir = pins.resolve("links");
            if (!Files.isDirectory(dir)) {
                return;
            }
            List<String> keep = new ArrayList<>();
            devices.forEach((point, device) -> keep.add(linkName(device, AttachPoints.hookOf(candidate, point),
                    candidate.datapath().xdpMode())));
            try (var files = Files.list(dir)) {
                for (Path pin : files.toList()) {
                    if (!keep.contains(pin.getFileName().toString())) {
                        unpin(pin.toString());
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("list " + dir + ": " + e.getMessage(), e);
            }
        }

        private void pinSharedMaps() {
            Bpf bpf = Bpf.get();
            LoadedProgram any = programs.values().iterator().next();
            for (String map : SHARED_MAPS) {
                String pin = mapPin(map);
                if (!Files.exists(Path.of(pin))) {
                    mkdirs(Path.of(pin).getParent());
                    bpf.pin(any.mapFd(map), pin);
                }
            }
        }

        @Override
        public void revert() {
            dropLive();
            for (int i = undo.size() - 1; i >= 0; i--) {
                try {
                    undo.get(i).run();
                } catch (RuntimeException ignored) {
                    // keep taking back the rest; the commit reports the first failure
                }
            }
            undo.clear();
        }

        @Override
        public void close() {
            held.forEach(Bpf.get()::close);
            held.clear();
            programs.values().forEach(LoadedProgram::close);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("create " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void unpin(String pin) {
        try {
            Files.deleteIfExists(Path.of(pin));
        } catch (IOException e) {
            throw new IllegalStateException("unpin " + pin + ": " + e.getMessage(), e);
        }
    }

    /** Removes every pin of the target (lab destroy): links detach, maps go with the last user. */
    public static void unpinAll(TargetLayout layout) {
        Path root = pinRoot(layout);
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("remove pins under " + root + ": " + e.getMessage(), e);
        }
        // the folder all targets share goes with the last of them (another target may pin into it meanwhile)
        try (var left = Files.list(root.getParent())) {
            if (left.findAny().isEmpty()) {
                Files.deleteIfExists(root.getParent());
            }
        } catch (IOException raced) {
            // not empty any more, or gone already: either way it is not ours to remove now
        }
    }
}
