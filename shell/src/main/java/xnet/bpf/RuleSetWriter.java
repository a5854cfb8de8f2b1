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

    /** IPv4's rule map, then IPv6's. */
    static final boolean[] FAMILIES = {false, true};

    void put(int set, Collection<RuleTables.Entry> entries) {
        for (boolean v6 : FAMILIES) {
            int keySize = MapEncoding.ruleKeySize(v6);
            inBatches(entries.stream().filter(e -> e.v6() == v6).toList(), batch -> {
                ByteBuffer keys = buffer(batch.size() * keySize);
                ByteBuffer values = buffer(batch.size() * Shared.RULE_VALUE_SIZE);
                for (RuleTables.Entry e : batch) {
                    MapEncoding.ruleKey(keys, e, set);
                    MapEncoding.ruleValue(values, e);
                }
                bpf.updateBatch(maps.rulesOf(v6), keys.array(), values.array(), batch.size());
            });
        }
    }

    /** Removes the keys from the set; keys it does not hold are skipped. */
    void delete(int set, Collection<RuleIndex.Key> gone) {
        for (boolean v6 : FAMILIES) {
            int keySize = MapEncoding.ruleKeySize(v6);
            inBatches(gone.stream().filter(k -> k.v6() == v6).toList(), batch -> {
                ByteBuffer keys = buffer(batch.size() * keySize);
                batch.forEach(k -> MapEncoding.ruleKey(keys, k, set));
                bpf.deleteBatch(maps.rulesOf(v6), keys.array(), keySize, batch.size());
            });
        }
    }

    /** The items in batches of at most BATCH, one map call each. */
    private static <T> void inBatches(List<T> items, java.util.function.Consumer<List<T>> batch) {
        for (int start = 0; start < items.size(); start += BATCH) {
            batch.accept(items.subList(start, Math.min(items.size(), start + BATCH)));
        }
    }

    /**
     * The set's tuples of each family in search order, then its meta (tuple counts, default
     * action, digest, flags).
     */
    void finish(int set, List<RuleTables.Tuple> all, int defaultAction, int digest, int flags) {
        int[] counts = new int[2];
        for (boolean v6 : FAMILIES) {
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
        inBatches(slots, batch -> {
            ByteBuffer keys = buffer(batch.size() * 4);
            batch.forEach(keys::putInt);
            bpf.updateBatch(stats, keys.array(), new byte[batch.size() * valueSize], batch.size());
        });
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
