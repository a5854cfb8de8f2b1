package xnet.bpf;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import xnet.compile.InPlaceUpdate;
import xnet.compile.MapEncoding;
import xnet.compile.ProgramPlan;
import xnet.compile.RuleIndex;
import xnet.compile.RuleTables;
import xnet.compile.SlotPlan;
import xnet.compile.SlotTable;
import xnet.datapath.Shared;
import xnet.diff.FilterDelta;
import xnet.model.Config;
import xnet.model.FilterRule;
import xnet.session.DatapathPort;
import xnet.session.DatapathState;
import xnet.session.RunningState;

/**
 * The running map-strategy programs' rule maps, as this process last wrote them, so that a
 * commit that changes only filter rules rewrites a few entries instead of loading new programs.
 *
 * <p>The maps hold two rule sets. Traffic reads the active one; a commit writes the idle one,
 * then flips xnet_active (one word: each packet reads it once, so it sees the old set or the
 * new one, whole). After a flip the set that went idle lacks that commit's changes
 * ({@code lagging}). A background task catches it up, once the programs that may still read it
 * from before the flip have finished (an RCU grace period: a few ms, up to ~20 here); the next
 * commit waits for that task, which has usually finished while the commit was recorded.
 *
 * <p>A new process (xnetd after a restart) finds the running programs' maps through their
 * links ({@link #recover}) and rebuilds the index from the running config. Its priorities may
 * differ from those the maps hold (in-place edits insert between neighbours), so each set is
 * emptied and written whole the first time it is written: the idle one before the first flip,
 * the other in the catch-up after it.
 */
final class LiveRuleSets implements AutoCloseable {

    private final Bpf bpf;
    private final int rules;
    private final int rules6;
    private final int tuples;
    private final int meta;
    private final int active;
    private final int ruleStats;
    private final RuleSetWriter.RuleMaps ruleMaps;
    private final int capacity;
    private final Set<Integer> programIds;
    private final SlotTable slots;
    private RuleIndex index;
    private int generation;
    private int activeSet;
    private int[] entriesInSet = new int[2];
    /** Keys whose idle-set entry is behind the index; null: the idle set was never written. */
    private Set<RuleIndex.Key> lagging;
    /** Sets whose contents this process does not know (after {@link #recover}): emptied and written whole. */
    private final boolean[] unknown = new boolean[2];
    /** Done when no program that read the idle set before the last flip still runs. */
    private java.util.concurrent.CompletableFuture<Void> settled = java.util.concurrent.CompletableFuture.completedFuture(null);

    /** {@code maps}: the rule maps by name, fds this object now owns. */
    private LiveRuleSets(Bpf bpf, java.util.Map<String, Integer> maps, RuleIndex index, int generation,
                         Set<Integer> programIds, int capacity, SlotTable slots) {
        this.bpf = bpf;
        this.rules = maps.get(Shared.XNET_MAP_RULES);
        this.rules6 = maps.get(Shared.XNET_MAP_RULES6);
        this.tuples = maps.get(Shared.XNET_MAP_TUPLES);
        this.meta = maps.get(Shared.XNET_MAP_META);
        this.ruleMaps = new RuleSetWriter.RuleMaps(rules, rules6, tuples, meta);
        this.active = maps.get(Shared.XNET_MAP_ACTIVE);
        this.ruleStats = maps.get(Shared.XNET_MAP_RULE_STATS);
        this.index = index;
        this.generation = generation;
        this.programIds = programIds;
        this.capacity = capacity;
        this.slots = slots;
        this.entriesInSet[0] = index.entryCount();
    }

    /** After a full load: the new programs' maps hold the plan's rules in set 0. Null when they cannot be updated in place. */
    static LiveRuleSets adopt(Bpf bpf, ProgramPlan plan, List<LoadedProgram> programs, int generation) {
        if (plan.index() == null || programs.isEmpty()) {
            return null;
        }
        Set<Integer> ids = new HashSet<>();
        programs.forEach(p -> ids.add(p.id()));
        java.util.Map<String, Integer> maps = new java.util.HashMap<>();
        for (String name : RULE_MAPS) {
            maps.put(name, bpf.dup(programs.get(0).mapFd(name)));
        }
        return new LiveRuleSets(bpf, maps, plan.index(), generation, ids,
                LoadedProgram.ruleCapacity(plan.tables().entries().size()), new SlotTable(plan.slots().slotOfRule()));
    }

    private static final List<String> RULE_MAPS = List.of(Shared.XNET_MAP_RULES, Shared.XNET_MAP_RULES6,
            Shared.XNET_MAP_TUPLES, Shared.XNET_MAP_META, Shared.XNET_MAP_ACTIVE, Shared.XNET_MAP_RULE_STATS);

    /**
     * In a process that did not load the running programs: their rule maps, found through the
     * programs the links run. {@code plan} is the running config's, whose index is rebuilt.
     * Null when the programs do not all share one set of rule maps (then a full load follows).
     */
    static LiveRuleSets recover(Bpf bpf, ProgramPlan plan, Set<Integer> programIds, int generation) {
        if (plan.index() == null || programIds.isEmpty()) {
            return null;
        }
        java.util.Map<String, Integer> shared = null;
        Integer rulesId = null;
        for (int id : programIds) {
            int program = bpf.programById(id);
            java.util.Map<String, Integer> maps;
            try {
                maps = bpf.programMaps(program);
            } finally {
                bpf.close(program);
            }
            Integer fd = maps.get(Shared.XNET_MAP_RULES);
            int mapId = fd == null ? -1 : bpf.mapDescription(fd).id();
            // programs built before connection states (no xnet_flows) have keys of another size, and
            // would read a logging drop as allow; those before IPv6 rules (no xnet_rules6) have
            // smaller tuples, and those before IPv6 connection states (no xnet_flows6) would keep
            // every IPv6 packet new: they are replaced, not written into
            boolean same = maps.keySet().containsAll(RULE_MAPS) && maps.containsKey(Shared.XNET_MAP_FLOWS)
                    && maps.containsKey(Shared.XNET_MAP_FLOWS6)
                    && (rulesId == null || rulesId == mapId);
            if (shared == null && same) {
                shared = maps;
                rulesId = mapId;
            } else {
                maps.values().forEach(bpf::close);
                if (!same) {
                    if (shared != null) {
                        shared.values().forEach(bpf::close);
                    }
                    return null;
                }
            }
        }
        for (var extra : shared.entrySet()) {
            if (!RULE_MAPS.contains(extra.getKey())) {
                bpf.close(extra.getValue());
            }
        }
        shared.keySet().retainAll(RULE_MAPS);
        LiveRuleSets live = new LiveRuleSets(bpf, shared, plan.index(), generation, programIds,
                bpf.mapDescription(shared.get(Shared.XNET_MAP_RULES)).maxEntries(),
                new SlotTable(plan.slots().slotOfRule()));
        byte[] set = new byte[4];
        bpf.lookup(live.active, MapEncoding.u32(0), set);
        live.activeSet = set[0] & 1;
        live.unknown[0] = true;
        live.unknown[1] = true;
        live.entriesInSet[live.activeSet] = live.keysOf(live.activeSet, false).size()
                + live.keysOf(live.activeSet, true).size();
        live.entriesInSet[1 - live.activeSet] = 0;
        return live;
    }

    /** The keys of one set in a rule map (IPv4 or IPv6), as the map holds them. */
    private List<byte[]> keysOf(int set, boolean v6) {
        List<byte[]> keys = new ArrayList<>();
        int tupleAt = v6 ? Shared.RULE_KEY6_TUPLE_AT : Shared.RULE_KEY_TUPLE_AT;
        for (byte[] key : bpf.keys(ruleMaps.rulesOf(v6), MapEncoding.ruleKeySize(v6))) {
            boolean inSetOne = (key[tupleAt] & Shared.XNET_SET_BIT) != 0;
            if (inSetOne == (set == 1)) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** Empties a set this process does not know and writes the index into it whole. */
    private void rewriteWhole(int set) {
        for (boolean v6 : RuleSetWriter.FAMILIES) {
            List<byte[]> stale = keysOf(set, v6);
            int size = MapEncoding.ruleKeySize(v6);
            if (!stale.isEmpty()) {
                byte[] keys = new byte[stale.size() * size];
                for (int i = 0; i < stale.size(); i++) {
                    System.arraycopy(stale.get(i), 0, keys, i * size, size);
                }
                bpf.deleteBatch(ruleMaps.rulesOf(v6), keys, size, stale.size());
            }
        }
        new RuleSetWriter(bpf, ruleMaps).put(set, index.tables().entries());
        unknown[set] = false;
    }

    /**
     * Whether the candidate differs from the running config in filter rules and the default
     * action only, and the programs in the links are still the ones this process loaded.
     */
    boolean covers(Config candidate, RunningState running, Set<Integer> attachedProgramIds) {
        return running.generation() == generation && index != null && programIds.equals(attachedProgramIds)
                && InPlaceUpdate.possible(running.config(), candidate);
    }

    /**
     * Writes the candidate's rules into the idle set. Returns null (having changed nothing the
     * traffic sees) when that cannot be done in place; this object is then spent.
     */
    DatapathPort.Prepared prepare(Config candidate, RunningState running, FilterDelta delta) {
        xnet.session.PhaseClock clock = new xnet.session.PhaseClock();
        settled.join();
        clock.mark("catch-up wait");
        SlotTable.Change slotChange = slots.apply(delta);
        clock.mark("slots");
        Set<RuleIndex.Key> changed = index.apply(delta, candidate.filters(), slots.view());
        clock.mark("index");
        if (changed == null || entriesInSet[activeSet] + index.entryCount() > capacity) {
            slots.undo(slotChange);
            index = null;
            return null;
        }
        int idle = 1 - activeSet;
        try {
            if (unknown[idle]) {
                rewriteWhole(idle);
            } else if (lagging == null) {
                new RuleSetWriter(bpf, ruleMaps).put(idle, index.tables().entries());
            } else {
                Set<RuleIndex.Key> keys = new HashSet<>(lagging);
                keys.addAll(changed);
                write(idle, keys);
            }
            int defaultAction = candidate.defaultAction() == FilterRule.Action.DROP ? Shared.XNET_ACT_DROP
                    : Shared.XNET_ACT_ALLOW;
            new RuleSetWriter(bpf, ruleMaps).finish(idle, index.tuples(), defaultAction,
                    xnet.compile.RuleDigest.of(candidate.filters(), candidate.nats(), defaultAction),
                    ProgramPlan.metaFlags(candidate.filters()));
            RuleSetWriter.resetCounters(bpf, ruleStats, slotChange.reset());
            clock.mark("write " + changed.size() + " keys");
            clock.print("in-place rule update");
        } catch (RuntimeException failure) {
            slots.undo(slotChange);
            index = null; // the idle set is half written; the next commit loads anew
            throw failure;
        }
        DatapathState state = new DatapathState(new SlotPlan(slots.view(), slotChange.reset()),
                running.datapath().ifindexes());
        return new Flip(idle, changed, slotChange, state, running.generation() + 1);
    }

    /** Brings the keys of a set to what the index holds: deletes first, so the set never outgrows the map. */
    private void write(int set, Set<RuleIndex.Key> keys) {
        List<RuleTables.Entry> puts = new ArrayList<>();
        List<RuleIndex.Key> deletes = new ArrayList<>();
        for (RuleIndex.Key key : keys) {
            RuleTables.Entry entry = index.entry(key);
            if (entry == null) {
                deletes.add(key);
            } else {
                puts.add(entry);
            }
        }
        RuleSetWriter writer = new RuleSetWriter(bpf, ruleMaps);
        writer.delete(set, deletes);
        writer.put(set, puts);
    }

    /** After a flip: wait out the programs that read the set that went idle, then bring it up to date. */
    private void catchUp(int set) {
        bpf.waitForRunningPrograms();
        if (index != null && unknown[set]) {
            rewriteWhole(set);
            lagging = Set.of();
        } else if (index != null && lagging != null) {
            write(set, lagging);
            lagging = Set.of();
        }
    }

    /** Flipping xnet_active is the whole apply; flipping back is the whole revert. */
    private final class Flip implements DatapathPort.Prepared {
        private final int idle;
        private final Set<RuleIndex.Key> changed;
        private final SlotTable.Change slotChange;
        private final DatapathState state;
        private final int nextGeneration;
        private boolean applied;

        Flip(int idle, Set<RuleIndex.Key> changed, SlotTable.Change slotChange, DatapathState state, int nextGeneration) {
            this.idle = idle;
            this.changed = changed;
            this.slotChange = slotChange;
            this.state = state;
            this.nextGeneration = nextGeneration;
        }

        @Override
        public DatapathState apply() {
            RuleSetWriter.activate(bpf, active, idle);
            entriesInSet[idle] = index.entryCount();
            entriesInSet[1 - idle] = index.entryCount();
            activeSet = idle;
            lagging = changed;
            generation = nextGeneration;
            applied = true;
            return state;
        }

        @Override
        public List<String> revert() {
            if (!applied) {
                // prepare wrote only the idle set, which no packet reads
                slots.undo(slotChange);
                index = null;
                return List.of();
            }
            index = null; // it holds the rules that are being taken back
            applied = false;
            slots.undo(slotChange);
            try {
                RuleSetWriter.activate(bpf, active, 1 - idle);
                return List.of();
            } catch (RuntimeException failure) {
                return List.of("make rule set " + (1 - idle) + " active again: " + failure.getMessage());
            }
        }

        /** The commit is recorded (or taken back): only now may the set that went idle catch up. */
        @Override
        public void close() {
            if (applied) {
                settled = java.util.concurrent.CompletableFuture.runAsync(() -> catchUp(1 - idle));
            }
        }
    }

    boolean usable() {
        return index != null;
    }

    /** A commit that changed no rule moved the running config from one generation to the next. */
    void advance(int from, int to) {
        if (generation == from) {
            generation = to;
        }
    }

    @Override
    public void close() {
        for (int fd : new int[] {rules, rules6, tuples, meta, active, ruleStats}) {
            bpf.close(fd);
        }
    }
}
