package xnet.bpf;

import java.util.List;

import jnr.constants.platform.Errno;

import xnet.compile.MapEncoding;
import xnet.compile.ProgramPlan;
import xnet.compile.RuleTables;
import xnet.datapath.Shared;
import xnet.model.NatRule;

/**
 * A program loaded with its maps filled, not yet attached anywhere. Closing it releases what no
 * link holds. {@code reuse} names maps to take from elsewhere instead of creating them (by name,
 * fds; -1 or absent: create): counters and connection tracking carry over from the running
 * program, and a second hook's program shares the first one's rule maps.
 */
public final class LoadedProgram implements AutoCloseable {

    public record Reuse(java.util.Map<String, Integer> maps) {
        public static final Reuse NONE = new Reuse(java.util.Map.of());

        /** The rule maps of a loaded program (its rule set, NAT entries), for another hook's program. */
        public static Reuse rulesOf(LoadedProgram program, Reuse shared) {
            java.util.Map<String, Integer> maps = new java.util.HashMap<>(shared.maps());
            for (String map : RULE_MAPS) {
                maps.put(map, program.mapFd(map));
            }
            // counters not pinned yet (a target's first programs): the first program's, or each
            // hook would count into maps of its own and the second's counts would never be read
            shared.maps().forEach((map, fd) -> {
                if (fd < 0) {
                    maps.put(map, program.mapFd(map));
                }
            });
            return new Reuse(maps);
        }

        boolean sharesRules() {
            return maps.containsKey(Shared.XNET_MAP_RULES);
        }
    }

    /** The maps that hold a commit's rules (as opposed to counters and connections). */
    static final List<String> RULE_MAPS = List.of(Shared.XNET_MAP_RULES, Shared.XNET_MAP_RULES6, Shared.XNET_MAP_TUPLES,
            Shared.XNET_MAP_META, Shared.XNET_MAP_ACTIVE, Shared.XNET_MAP_NAT, Shared.XNET_MAP_NAT6);

    private final Bpf bpf;
    private final BpfObject object;
    private final int programFd;
    private final String programName;
    private int id;

    private LoadedProgram(Bpf bpf, BpfObject object, String programName) {
        this.bpf = bpf;
        this.object = object;
        this.programName = programName;
        this.programFd = object.programFd(programName);
    }

    /** The C file of a hook's program. */
    public static String sourceOf(xnet.model.Datapath.Hook hook) {
        return hook == xnet.model.Datapath.Hook.XDP ? "xnet_xdp.c" : "xnet_tc.c";
    }

    /** The SEC function of a hook's program. */
    public static String programOf(xnet.model.Datapath.Hook hook) {
        return hook == xnet.model.Datapath.Hook.XDP ? "xnet_xdp" : "xnet_tc";
    }

    /** Opens, sizes, loads and fills; on any failure nothing stays loaded. */
    public static LoadedProgram load(Bpf bpf, byte[] elf, String programName, ProgramPlan plan, Reuse reuse) {
        BpfObject object = bpf.open(elf, programName);
        try {
            // both families' maps take the whole capacity: an in-place update may move entries between them
            object.setMaxEntries(Shared.XNET_MAP_RULES, ruleCapacity(plan.tables().entries().size()));
            object.setMaxEntries(Shared.XNET_MAP_RULES6, ruleCapacity(plan.tables().entries().size()));
            for (java.util.Map.Entry<String, Integer> map : reuse.maps().entrySet()) {
                if (map.getValue() >= 0) {
                    object.reuseMap(map.getKey(), map.getValue());
                }
            }
            object.load();
            LoadedProgram loaded = new LoadedProgram(bpf, object, programName);
            if (!reuse.sharesRules()) {
                loaded.fill(plan);
            }
            loaded.resetCounters(plan.slots().slotsToReset());
            return loaded;
        } catch (RuntimeException failure) {
            object.close();
            throw failure;
        }
    }

    /**
     * Room in the rule map for both rule sets and for growth in place: a commit that needs more
     * loads a new program with a bigger map. Entries are allocated as they are added
     * (BPF_F_NO_PREALLOC); the bucket array (16 bytes per slot) is what this size costs up front.
     */
    static int ruleCapacity(int entries) {
        return (int) Math.min(2L * Shared.XNET_MAX_RULE_ENTRIES, Math.max(262_144L, 2L * entries + 131_072));
    }

    /** Set 0 of a new program's rule maps, and its NAT entries; xnet_active starts at 0. */
    private void fill(ProgramPlan plan) {
        RuleTables tables = plan.tables();
        RuleSetWriter writer = new RuleSetWriter(bpf, new RuleSetWriter.RuleMaps(object.mapFd(Shared.XNET_MAP_RULES),
                object.mapFd(Shared.XNET_MAP_RULES6), object.mapFd(Shared.XNET_MAP_TUPLES),
                object.mapFd(Shared.XNET_MAP_META)));
        writer.put(0, tables.entries());
        byte[] zeros = new byte[Shared.XNET_NAT_STAT_COUNT * 8 * bpf.possibleCpus()];
        for (NatRule rule : plan.nats()) {
            bpf.update(object.mapFd(MapEncoding.natMap(rule)), MapEncoding.natKey(rule), MapEncoding.natValue(rule), 0);
            // the rule's counters: made here (the program only counts into entries that exist), kept if present
            try {
                bpf.update(object.mapFd(MapEncoding.natStatsMap(rule)), MapEncoding.natKey(rule), zeros, Bpf.BPF_NOEXIST);
            } catch (BpfException exists) {
                if (!exists.is(Errno.EEXIST)) {
                    throw exists;
                }
            }
        }
        // meta last: until it is written the program sees no tuples (and allows)
        writer.finish(0, tables.tuples(), plan.defaultAction(), plan.digest(), ProgramPlan.metaFlags(plan.rules()));
    }

    /** Counters of new or changed rules start from zero (their slot may have counted another rule). */
    private void resetCounters(List<Integer> slots) {
        RuleSetWriter.resetCounters(bpf, object.mapFd(Shared.XNET_MAP_RULE_STATS), slots);
    }

    public int programFd() {
        return programFd;
    }

    public int mapFd(String map) {
        return object.mapFd(map);
    }

    public String programName() {
        return programName;
    }

    public Bpf.ProgramInfo info() {
        return bpf.programInfo(programFd);
    }

    /** The kernel's id of the program: fixed for its life, read once (a commit compares it per link). */
    public int id() {
        if (id == 0) {
            id = info().id();
        }
        return id;
    }

    @Override
    public void close() {
        object.close();
    }
}
