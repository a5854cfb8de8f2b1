package xnet.bpf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jnr.constants.platform.Errno;
import xnet.compile.MapEncoding;
import xnet.compile.ProgramPlan;
import xnet.datapath.FastPathTable;
import xnet.datapath.LinkPlan;
import xnet.datapath.Shared;
import xnet.model.Datapath;
import xnet.plan.TargetLayout;
import xnet.session.DatapathFaults;
import xnet.session.DatapathPort;
import xnet.session.DatapathState;
import xnet.session.UndoIncompleteException;

/**
 * Executes a {@link LinkPlan} for freshly loaded programs. Everything that can fail is done in
 * {@link #prepare}: devices resolved, maps pinned, new links created and pinned, the pinned
 * links to swap opened. {@link #apply} only swaps programs on links and unpins links nobody
 * wants (their fds are held, so they still run until the commit is done). Every step is logged
 * with its undo; {@link #revert} takes back all of them and says what it could not.
 */
final class ProgramSwap implements DatapathPort.Prepared {

    /** The maps that outlive a program: counters and connections, pinned once per target. */
    static final List<String> SHARED_MAPS = List.of(Shared.XNET_MAP_RULE_STATS, Shared.XNET_MAP_IF_STATS,
            Shared.XNET_MAP_CT, Shared.XNET_MAP_NAT_STATS, Shared.XNET_MAP_CT6, Shared.XNET_MAP_NAT_STATS6,
            Shared.XNET_MAP_FAST, Shared.XNET_MAP_FAST_STATS,
            Shared.XNET_MAP_EVENTS, Shared.XNET_MAP_MONITOR, Shared.XNET_MAP_EVENT_BUDGET, Shared.XNET_MAP_FLOWS,
            Shared.XNET_MAP_FLOWS6);

    /** How long a mode switch waits for the kernel to release the old XDP program (see {@link #createWhenFree}). */
    private static final int FREE_ATTEMPTS = 200;

    private final Bpf bpf;
    private final TargetLayout layout;
    private final PinnedObjects pins;
    private final ProgramPlan plan;
    private final Map<Datapath.Hook, LoadedProgram> programs;
    private final List<LinkPlan.Step> steps;
    private final DatapathFaults faults;
    private final UndoLog undo;
    /** Fds held until the commit is done: old programs (for a revert) and links unpinned at apply. */
    private final List<Integer> held = new ArrayList<>();
    /** For each Update and Detach step: the pinned link's fd, opened in prepare. */
    private final Map<String, Integer> openLinks = new HashMap<>();
    /** For each Update step: the program the link runs now, for a revert. */
    private final Map<String, Integer> oldPrograms = new HashMap<>();
    private Map<String, Integer> ifindexes = Map.of();

    ProgramSwap(Bpf bpf, TargetLayout layout, PinnedObjects pins, ProgramPlan plan,
                Map<Datapath.Hook, LoadedProgram> programs, List<LinkPlan.Step> steps, DatapathFaults faults) {
        this.bpf = bpf;
        this.layout = layout;
        this.pins = pins;
        this.plan = plan;
        this.programs = programs;
        this.steps = steps;
        this.faults = faults;
        this.undo = new UndoLog(faults);
    }

    /** Does every step that can fail; on failure takes them back and throws. */
    ProgramSwap prepare(Map<String, Integer> devices, List<FastPathTable.Entry> fast) {
        try {
            this.ifindexes = devices;
            if (!programs.isEmpty()) {
                pins.makeFolders();
                pinSharedMaps();
                addInterfaceCounters();
                writeFastPath(fast);
            }
            for (LinkPlan.Step step : steps) {
                if (step instanceof LinkPlan.Create c) {
                    createPinned(c.at(), programFor(c.at()));
                } else if (step instanceof LinkPlan.Replace r) {
                    replace(r.at());
                } else if (step instanceof LinkPlan.SwitchMode s) {
                    switchMode(s.at(), s.oldLink());
                } else if (step instanceof LinkPlan.Update u) {
                    openForUpdate(u.at());
                } else if (step instanceof LinkPlan.Detach d) {
                    openForDetach(d.link());
                }
            }
            return this;
        } catch (RuntimeException failure) {
            List<String> left = undo.undoAll();
            close();
            throw UndoIncompleteException.of(failure, left);
        }
    }

    @Override
    public DatapathState apply() {
        int swap = 0;
        for (LinkPlan.Step step : steps) {
            if (!step.atApply()) {
                continue; // done in prepare
            }
            if (step instanceof LinkPlan.Update u && openLinks.containsKey(u.at().linkName())) {
                String what = u.at().device() + " " + u.at().hook();
                faults.beforeSwap(swap++, "swap program of " + what);
                int link = openLinks.get(u.at().linkName());
                bpf.linkUpdate(link, programFor(u.at()).programFd(), what);
                int old = oldPrograms.get(u.at().linkName());
                undo.add("swap program of " + what + " back", () -> bpf.linkUpdate(link, old, what));
            } else if (step instanceof LinkPlan.Detach d && openLinks.containsKey(d.link())) {
                faults.beforeSwap(swap++, "unpin link " + d.link());
                String pin = pins.link(d.link());
                int link = openLinks.get(d.link());
                PinnedObjects.unpin(pin);
                undo.add("pin link " + d.link() + " again", () -> bpf.pin(link, pin));
            }
        }
        return new DatapathState(plan.slots(), ifindexes);
    }

    @Override
    public List<String> revert() {
        return undo.undoAll();
    }

    /** Closes what the swap held; the programs are the caller's, who keeps those that run. */
    @Override
    public void close() {
        held.forEach(bpf::close);
        held.clear();
    }

    private LoadedProgram programFor(LinkPlan.Attachment at) {
        return programs.get(at.hook());
    }

    private void pinSharedMaps() {
        LoadedProgram any = programs.values().iterator().next();
        for (String map : SHARED_MAPS) {
            String pin = pins.map(map);
            if (!java.nio.file.Files.exists(java.nio.file.Path.of(pin))) {
                bpf.pin(any.mapFd(map), pin);
                undo.add("unpin new map " + map, () -> PinnedObjects.unpin(pin));
            }
        }
    }

    /**
     * The fast path's table, made to match the candidate: its entries written, the others deleted.
     * The old programs may read it before the swap; an entry they find is as true for them (the
     * devices are the same), and one they miss sends a packet the normal way. Not undone: after
     * a failed commit it still describes the devices there are.
     */
    private void writeFastPath(List<FastPathTable.Entry> entries) {
        int fd = programs.values().iterator().next().mapFd(Shared.XNET_MAP_FAST);
        java.util.Set<java.nio.ByteBuffer> wanted = new java.util.HashSet<>();
        for (FastPathTable.Entry e : entries) {
            byte[] key = MapEncoding.fastKey(e);
            wanted.add(java.nio.ByteBuffer.wrap(key));
            bpf.update(fd, key, MapEncoding.fastValue(e), Bpf.BPF_ANY);
        }
        for (byte[] key : bpf.keys(fd, 4)) {
            if (!wanted.contains(java.nio.ByteBuffer.wrap(key))) {
                bpf.delete(fd, key);
            }
        }
    }

    /** The per-point counters: of the hook, and of the fast path. */
    private void addInterfaceCounters() {
        addPointCounters(Shared.XNET_MAP_IF_STATS, Shared.XNET_STAT_COUNT);
        addPointCounters(Shared.XNET_MAP_FAST_STATS, 1);
    }

    /** A zeroed per-CPU entry of {@code fields} counters per attach point (kept if present: it is the point's running count). */
    private void addPointCounters(String map, int fields) {
        int stats = programs.values().iterator().next().mapFd(map);
        for (int ifindex : ifindexes.values()) {
            if (ifindex == 0) {
                continue; // a device that is not there has no link either (see ifindex)
            }
            try {
                bpf.update(stats, MapEncoding.u32(ifindex), new byte[fields * 8 * bpf.possibleCpus()], Bpf.BPF_NOEXIST);
            } catch (BpfException exists) {
                if (!exists.is(Errno.EEXIST)) {
                    throw exists;
                }
            }
        }
    }

    private int ifindex(LinkPlan.Attachment at) {
        Integer ifindex = ifindexes.get(at.point());
        if (ifindex == null || ifindex == 0) {
            throw new BpfException("find device " + at.device() + " in " + layout.hostNamespace(),
                    Errno.ENODEV.intValue(), null);
        }
        return ifindex;
    }

    private int create(LoadedProgram program, LinkPlan.Attachment at, Datapath.Hook hook) {
        AttachType type = hook == Datapath.Hook.XDP ? AttachType.XDP : AttachType.TCX_INGRESS;
        int flags = hook == Datapath.Hook.XDP ? xdpFlags(at.mode()) : 0;
        int ifindex = ifindex(at);
        return bpf.inNamespace(layout.hostNamespace(),
                () -> bpf.linkCreate(program.programFd(), ifindex, type, flags, at.device() + " " + hook));
    }

    private static int xdpFlags(Datapath.XdpMode mode) {
        return mode == Datapath.XdpMode.NATIVE ? XdpFlags.DRV_MODE : XdpFlags.SKB_MODE;
    }

    /** Creates and pins a link; its undo unpins it and closes the fd, which detaches it at once. */
    private void createPinned(LinkPlan.Attachment at, LoadedProgram program) {
        pinNew(create(program, at, at.hook()), at.linkName());
    }

    private void pinNew(int link, String name) {
        String pin = pins.link(name);
        try {
            bpf.pin(link, pin);
        } catch (RuntimeException failure) {
            bpf.close(link);
            throw failure;
        }
        held.add(link);
        undo.add("detach new link " + name, () -> {
            PinnedObjects.unpin(pin);
            held.remove(Integer.valueOf(link));
            bpf.close(link);
        });
    }

    /** The device was made anew in this commit: its old link went with the old device. */
    private void replace(LinkPlan.Attachment at) {
        String pin = pins.link(at.linkName());
        PinnedObjects.unpin(pin);
        createPinned(at, programFor(at));
    }

    /**
     * The kernel will not run native and generic XDP on one device at once. A tcx link with the
     * new rules covers the device while the XDP link changes mode; it goes when the new XDP link
     * is in place. Taken back, the device briefly has no program between the two undo steps.
     */
    private void switchMode(LinkPlan.Attachment at, String oldName) {
        int bridge = create(programs.get(Datapath.Hook.TC), at, Datapath.Hook.TC);
        try {
            String oldPin = pins.link(oldName);
            int oldLink = bpf.pinned(oldPin);
            int oldProgram;
            try {
                oldProgram = bpf.programById(bpf.linkProgramId(oldLink));
            } finally {
                bpf.close(oldLink);
            }
            held.add(oldProgram);
            PinnedObjects.unpin(oldPin);
            Datapath.XdpMode oldMode = at.mode() == Datapath.XdpMode.NATIVE ? Datapath.XdpMode.GENERIC
                    : Datapath.XdpMode.NATIVE;
            int ifindex = ifindex(at);
            undo.add("attach the old XDP program of " + at.device() + " in " + oldMode + " mode again", () ->
                    pinAgain(createWhenFree(oldProgram, ifindex, oldMode, at.device()), oldPin));
            pinNew(createWhenFree(programFor(at).programFd(), ifindex, at.mode(), at.device()), at.linkName());
        } finally {
            bpf.close(bridge);
        }
    }

    private void pinAgain(int link, String pin) {
        try {
            bpf.pin(link, pin);
        } finally {
            bpf.close(link);
        }
    }

    /**
     * The kernel releases an unpinned link from a work queue, a moment after the unpin: until
     * then the device still has the old XDP program and refuses a new one (EEXIST). This waits
     * up to a second for the device to be free.
     */
    private int createWhenFree(int programFd, int ifindex, Datapath.XdpMode mode, String device) {
        for (int attempt = 0; ; attempt++) {
            try {
                return bpf.inNamespace(layout.hostNamespace(), () -> bpf.linkCreate(programFd, ifindex,
                        AttachType.XDP, xdpFlags(mode), device + " xdp"));
            } catch (BpfException busy) {
                if (!busy.is(Errno.EEXIST) || attempt >= FREE_ATTEMPTS) {
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

    /**
     * Opens the pinned link and the program it runs, so apply only has to swap; a link that
     * runs the program already (kept programs, a new container elsewhere) is left alone.
     */
    private void openForUpdate(LinkPlan.Attachment at) {
        ifindex(at); // the device must be there: its counters are keyed by it
        String name = at.linkName();
        int link = bpf.pinned(pins.link(name));
        if (link < 0) {
            throw new BpfException("open pinned link " + name, Errno.ENOENT.intValue(), null);
        }
        int running = bpf.linkProgramId(link);
        if (running == programFor(at).id()) {
            bpf.close(link);
            return;
        }
        held.add(link);
        openLinks.put(name, link);
        int oldProgram = bpf.programById(running);
        held.add(oldProgram);
        oldPrograms.put(name, oldProgram);
    }

    /** Holds the link, so that unpinning it at apply can be taken back until the commit is done. */
    private void openForDetach(String name) {
        int link = bpf.pinned(pins.link(name));
        if (link >= 0) {
            held.add(link);
            openLinks.put(name, link);
        }
    }
}
