package xnet.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.List;

import xnet.compile.MapEncoding;
import xnet.compile.RuleIndex;
import xnet.compile.RuleTables;
import xnet.datapath.Shared;

/**
 * Writes one rule set (0 or 1) of a program's rule maps: entries in batches, then its tuples and
 * its meta. The programs read only the set xnet_active names, so writing the other one is
 * invisible to traffic until {@link #activate}.
 */
final class RuleSetWriter {

    private static final int BATCH = 65_536;

    private final Bpf bpf;
    private final int rules;
    private final int tuples;
    private final int meta;

    RuleSetWriter(Bpf bpf, int rules, int tuples, int meta) {
        this.bpf = bpf;
        this.rules = rules;
        this.tuples = tuples;
        this.meta = meta;
    }

    void put(int set, Collection<RuleTables.Entry> entries) {
        var it = entries.iterator();
        int left = entries.size();
        while (left > 0) {
            int count = Math.min(BATCH, left);
            ByteBuffer keys = buffer(count * Shared.RULE_KEY_SIZE);
            ByteBuffer values = buffer(count * Shared.RULE_VALUE_SIZE);
            for (int i = 0; i < count; i++) {
                RuleTables.Entry e = it.next();
                MapEncoding.ruleKey(keys, e, set);
                MapEncoding.ruleValue(values, e);
            }
            bpf.updateBatch(rules, keys.array(), values.array(), count);
            left -= count;
        }
    }

    /** Removes the keys from the set; keys it does not hold are skipped. */
    void delete(int set, Collection<RuleIndex.Key> gone) {
        var it = gone.iterator();
        int left = gone.size();
        while (left > 0) {
            int count = Math.min(BATCH, left);
            ByteBuffer keys = buffer(count * Shared.RULE_KEY_SIZE);
            for (int i = 0; i < count; i++) {
                MapEncoding.ruleKey(keys, it.next(), set);
            }
            bpf.deleteBatch(rules, keys.array(), Shared.RULE_KEY_SIZE, count);
            left -= count;
        }
    }

    /** The set's tuples in search order, then its meta (tuple count, default action, digest, flags). */
    void finish(int set, List<RuleTables.Tuple> list, int defaultAction, int digest, int flags) {
        if (!list.isEmpty()) {
            ByteBuffer keys = buffer(list.size() * 4);
            ByteBuffer values = buffer(list.size() * Shared.TUPLE_SIZE);
            for (int i = 0; i < list.size(); i++) {
                keys.putInt(set * Shared.XNET_MAX_TUPLES + i);
                MapEncoding.tuple(values, list.get(i), set);
            }
            bpf.updateBatch(tuples, keys.array(), values.array(), list.size());
        }
        bpf.update(meta, MapEncoding.u32(set), MapEncoding.meta(list.size(), defaultAction, digest, flags), 0);
    }

    /** Makes the programs read {@code set} from the next packet on: one word, written at once. */
    static void activate(Bpf bpf, int active, int set) {
        bpf.update(active, MapEncoding.u32(0), MapEncoding.u32(set), 0);
    }

    static void resetCounters(Bpf bpf, int stats, List<Integer> slots) {
        int valueSize = Shared.COUNTER_SIZE * bpf.possibleCpus();
        for (int start = 0; start < slots.size(); start += BATCH) {
            int count = Math.min(BATCH, slots.size() - start);
            ByteBuffer keys = buffer(count * 4);
            slots.subList(start, start + count).forEach(keys::putInt);
            bpf.updateBatch(stats, keys.array(), new byte[count * valueSize], count);
        }
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
