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
 * Writes one rule set (0 or 1) of a program's rule maps: entries in batches (IPv4 ones into
 * xnet_rules, IPv6 ones into xnet_rules6), then its tuples and its meta. The programs read only the set xnet_active names, so writing the other one is
 * invisible to traffic until {@link #activate}.
 */
final class RuleSetWriter {

    private static final int BATCH = 65_536;

    private final Bpf bpf;
    private final RuleMaps maps;

    /** The fds of a program's rule maps. */
    record RuleMaps(int rules, int rules6, int tuples, int meta) {

        int rulesOf(boolean v6) {
            return v6 ? rules6 : rules;
        }
    }

    RuleSetWriter(Bpf bpf, RuleMaps maps) {
        this.bpf = bpf;
        this.maps = maps;
    }

    void put(int set, Collection<RuleTables.Entry> entries) {
        for (boolean v6 : new boolean[] {false, true}) {
            List<RuleTables.Entry> family = entries.stream().filter(e -> e.v6() == v6).toList();
            int keySize = MapEncoding.ruleKeySize(v6);
            var it = family.iterator();
            int left = family.size();
            while (left > 0) {
                int count = Math.min(BATCH, left);
                ByteBuffer keys = buffer(count * keySize);
                ByteBuffer values = buffer(count * Shared.RULE_VALUE_SIZE);
                for (int i = 0; i < count; i++) {
                    RuleTables.Entry e = it.next();
                    MapEncoding.ruleKey(keys, e, set);
                    MapEncoding.ruleValue(values, e);
                }
                bpf.updateBatch(maps.rulesOf(v6), keys.array(), values.array(), count);
                left -= count;
            }
        }
    }

    /** Removes the keys from the set; keys it does not hold are skipped. */
    void delete(int set, Collection<RuleIndex.Key> gone) {
        for (boolean v6 : new boolean[] {false, true}) {
            List<RuleIndex.Key> family = gone.stream().filter(k -> k.v6() == v6).toList();
            int keySize = MapEncoding.ruleKeySize(v6);
            var it = family.iterator();
            int left = family.size();
            while (left > 0) {
                int count = Math.min(BATCH, left);
                ByteBuffer keys = buffer(count * keySize);
                for (int i = 0; i < count; i++) {
                    MapEncoding.ruleKey(keys, it.next(), set);
                }
                bpf.deleteBatch(maps.rulesOf(v6), keys.array(), keySize, count);
                left -= count;
            }
        }
    }

    /**
     * The set's tuples of each family in search order, then its meta (tuple counts, default
     * action, digest, flags).
     */
    void finish(int set, List<RuleTables.Tuple> all, int defaultAction, int digest, int flags) {
        int[] counts = new int[2];
        for (boolean v6 : new boolean[] {false, true}) {
            List<RuleTables.Tuple> list = all.stream().filter(t -> t.shape().v6() == v6).toList();
            counts[v6 ? 1 : 0] = list.size();
            if (!list.isEmpty()) {
                ByteBuffer keys = buffer(list.size() * 4);
                ByteBuffer values = buffer(list.size() * Shared.TUPLE_SIZE);
                for (int i = 0; i < list.size(); i++) {
                    keys.putInt(MapEncoding.tupleBase(set, v6) + i);
                    MapEncoding.tuple(values, list.get(i), set);
                }
                bpf.updateBatch(maps.tuples(), keys.array(), values.array(), list.size());
            }
        }
        bpf.update(maps.meta(), MapEncoding.u32(set), MapEncoding.meta(counts[0], counts[1], defaultAction, digest, flags),
                0);
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
