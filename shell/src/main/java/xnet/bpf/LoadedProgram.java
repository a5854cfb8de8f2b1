package xnet.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import xnet.datapath.MapEncoding;
import xnet.datapath.ProgramPlan;
import xnet.datapath.RuleTables;
import xnet.datapath.Shared;
import xnet.model.NatRule;

/**
 * A program loaded with its maps filled, not yet attached anywhere. Closing it releases what no
 * link holds. {@code reuse} lets counters and connection tracking carry over from the running
 * program (fds of its maps, or -1 for new ones).
 */
public final class LoadedProgram implements AutoCloseable {

    public record Reuse(int ruleStatsFd, int ifStatsFd, int conntrackFd) {
        public static final Reuse NONE = new Reuse(-1, -1, -1);
    }

    private final BpfObject object;
    private final int programFd;
    private final String programName;

    private LoadedProgram(BpfObject object, String programName) {
        this.object = object;
        this.programName = programName;
        this.programFd = object.programFd(programName);
    }

    /** Opens, sizes, loads and fills; on any failure nothing stays loaded. */
    public static LoadedProgram load(byte[] elf, String programName, ProgramPlan plan, Reuse reuse) {
        Bpf bpf = Bpf.get();
        BpfObject object = bpf.open(elf, programName);
        try {
            int entries = plan.tables().entries().size();
            object.setMaxEntries(Shared.XNET_MAP_RULES, Math.max(1024, entries + entries / 4));
            if (reuse.ruleStatsFd() >= 0) {
                object.reuseMap(Shared.XNET_MAP_RULE_STATS, reuse.ruleStatsFd());
            }
            if (reuse.ifStatsFd() >= 0) {
                object.reuseMap(Shared.XNET_MAP_IF_STATS, reuse.ifStatsFd());
            }
            if (reuse.conntrackFd() >= 0) {
                object.reuseMap(Shared.XNET_MAP_CT, reuse.conntrackFd());
            }
            object.load();
            LoadedProgram loaded = new LoadedProgram(object, programName);
            loaded.fill(plan);
            return loaded;
        } catch (RuntimeException failure) {
            object.close();
            throw failure;
        }
    }

    private void fill(ProgramPlan plan) {
        Bpf bpf = Bpf.get();
        RuleTables tables = plan.tables();
        int rules = object.mapFd(Shared.XNET_MAP_RULES);
        int batch = 65536;
        List<RuleTables.Entry> entries = tables.entries();
        for (int start = 0; start < entries.size(); start += batch) {
            int count = Math.min(batch, entries.size() - start);
            ByteBuffer keys = ByteBuffer.allocate(count * Shared.RULE_KEY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer values = ByteBuffer.allocate(count * Shared.RULE_VALUE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            for (RuleTables.Entry e : entries.subList(start, start + count)) {
                MapEncoding.ruleKey(keys, e);
                MapEncoding.ruleValue(values, e);
            }
            bpf.updateBatch(rules, keys.array(), values.array(), count);
        }
        int tuples = object.mapFd(Shared.XNET_MAP_TUPLES);
        for (RuleTables.Tuple t : tables.tuples()) {
            bpf.update(tuples, MapEncoding.u32(t.index()), MapEncoding.tuple(t), 0);
        }
        int nat = object.mapFd(Shared.XNET_MAP_NAT);
        for (NatRule rule : plan.nats()) {
            bpf.update(nat, MapEncoding.natKey(rule), MapEncoding.natValue(rule), 0);
        }
        // Counters of new or changed rules start from zero (their slot may have counted another rule).
        int stats = object.mapFd(Shared.XNET_MAP_RULE_STATS);
        List<Integer> reset = plan.slots().slotsToReset();
        int valueSize = Shared.COUNTER_SIZE * bpf.possibleCpus();
        for (int start = 0; start < reset.size(); start += batch) {
            int count = Math.min(batch, reset.size() - start);
            ByteBuffer keys = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
            reset.subList(start, start + count).forEach(keys::putInt);
            bpf.updateBatch(stats, keys.array(), new byte[count * valueSize], count);
        }
        // meta last: until it is written the program sees no tuples (and allows)
        bpf.update(object.mapFd(Shared.XNET_MAP_META), MapEncoding.u32(0),
                MapEncoding.meta(tables.tuples().size(), plan.defaultAction()), 0);
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
        return Bpf.get().programInfo(programFd);
    }

    @Override
    public void close() {
        object.close();
    }
}
