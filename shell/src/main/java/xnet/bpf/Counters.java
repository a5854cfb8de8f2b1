package xnet.bpf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import xnet.compile.MapEncoding;
import xnet.datapath.Shared;
import xnet.model.FilterRule;
import xnet.model.NatRule;
import xnet.plan.TargetLayout;
import xnet.session.CounterSnapshot;
import xnet.session.RunningState;

/** Reads the pinned counter maps: per rule (by its slot) and per attach point (by ifindex). */
final class Counters {

    private final Bpf bpf;
    private final PinnedObjects pins;

    Counters(Bpf bpf, PinnedObjects pins) {
        this.bpf = bpf;
        this.pins = pins;
    }

    CounterSnapshot read(TargetLayout layout, RunningState running) {
        String rulePin = pins.map(Shared.XNET_MAP_RULE_STATS);
        if (!Files.exists(Path.of(rulePin))) {
            return CounterSnapshot.EMPTY; // nothing counts yet: an empty answer, not an error
        }
        int cpus = bpf.possibleCpus();
        List<CounterSnapshot.RuleCount> rules = new ArrayList<>();
        int ruleStats = bpf.pinned(rulePin);
        try {
            Map<Integer, Integer> slots = running.datapath().slots().slotOfRule();
            for (FilterRule rule : running.config().filters()) {
                long[] sum = read(ruleStats, slots.getOrDefault(rule.id(), -1), cpus, 2);
                rules.add(new CounterSnapshot.RuleCount(Integer.toString(rule.id()), rule.text(), sum[0], sum[1]));
            }
            long[] fallthrough = read(ruleStats, 0, cpus, 2);
            rules.add(new CounterSnapshot.RuleCount("default", running.config().defaultAction().toString(),
                    fallthrough[0], fallthrough[1]));
        } finally {
            bpf.close(ruleStats);
        }
        List<CounterSnapshot.PointCount> points = new ArrayList<>();
        int ifStats = bpf.pinned(pins.map(Shared.XNET_MAP_IF_STATS));
        String fastPin = pins.map(Shared.XNET_MAP_FAST_STATS);
        int fastStats = Files.exists(Path.of(fastPin)) ? bpf.pinned(fastPin) : -1; // made by a later version
        try {
            for (Map.Entry<String, Integer> e : new TreeMap<>(running.datapath().ifindexes()).entrySet()) {
                long[] sum = read(ifStats, e.getValue(), cpus, Shared.XNET_STAT_COUNT);
                points.add(new CounterSnapshot.PointCount(e.getKey(), sum[Shared.XNET_STAT_PASSED],
                        sum[Shared.XNET_STAT_DROPPED], sum[Shared.XNET_STAT_TRANSLATED], sum[Shared.XNET_STAT_ARP],
                        read(fastStats, e.getValue(), cpus, 1)[0]));
            }
        } finally {
            bpf.close(ifStats);
            if (fastStats >= 0) {
                bpf.close(fastStats);
            }
        }
        return new CounterSnapshot(rules, points, nats(running, cpus));
    }

    /** Each running NAT rule's packets, each way; none before the first commit that made its family's map. */
    private List<CounterSnapshot.NatCount> nats(RunningState running, int cpus) {
        List<CounterSnapshot.NatCount> out = new ArrayList<>();
        Map<String, Integer> statsOf = new java.util.HashMap<>();
        byte[] value = new byte[Shared.XNET_NAT_STAT_COUNT * 8 * cpus];
        try {
            for (NatRule rule : running.config().nats()) {
                int stats = statsOf.computeIfAbsent(MapEncoding.natStatsMap(rule), this::pinnedOrNone);
                long[] sum = stats >= 0 && bpf.lookup(stats, MapEncoding.natKey(rule), value)
                        ? MapEncoding.sumCounters(value, cpus, Shared.XNET_NAT_STAT_COUNT) : new long[Shared.XNET_NAT_STAT_COUNT];
                out.add(new CounterSnapshot.NatCount(rule.id(), rule.text(), sum[Shared.XNET_NAT_TO_PRIVATE],
                        sum[Shared.XNET_NAT_TO_PUBLIC]));
            }
        } finally {
            statsOf.values().stream().filter(fd -> fd >= 0).forEach(bpf::close);
        }
        return out;
    }

    /** The pinned map's fd, or -1 when no commit has made it yet. */
    private int pinnedOrNone(String map) {
        String pin = pins.map(map);
        return Files.exists(Path.of(pin)) ? bpf.pinned(pin) : -1;
    }

    /**
     * Zeroes one rule's slot, or (rule null) every rule's, the default's and every attach point's.
     * A packet counted on another CPU at the same moment may be lost to the reset, as with `nft reset counters`.
     */
    void clear(RunningState running, Integer rule) {
        String rulePin = pins.map(Shared.XNET_MAP_RULE_STATS);
        if (!Files.exists(Path.of(rulePin))) {
            return; // nothing counts yet
        }
        int cpus = bpf.possibleCpus();
        Map<Integer, Integer> slots = running.datapath().slots().slotOfRule();
        List<Integer> ruleSlots = new ArrayList<>();
        if (rule == null) {
            ruleSlots.add(0);
            running.config().filters().forEach(r -> ruleSlots.add(slots.getOrDefault(r.id(), -1)));
        } else {
            ruleSlots.add(slots.getOrDefault(rule, -1));
        }
        zero(rulePin, ruleSlots.stream().filter(k -> k >= 0).map(MapEncoding::u32).toList(), cpus, 2);
        if (rule == null) {
            // ifindex 0: a device that was not there, with no entry (an update would make one)
            zero(pins.map(Shared.XNET_MAP_IF_STATS), running.datapath().ifindexes().values().stream()
                    .filter(i -> i > 0).map(MapEncoding::u32).toList(), cpus, Shared.XNET_STAT_COUNT);
            String fastPin = pins.map(Shared.XNET_MAP_FAST_STATS);
            if (Files.exists(Path.of(fastPin))) {
                zero(fastPin, running.datapath().ifindexes().values().stream()
                        .filter(i -> i > 0).map(MapEncoding::u32).toList(), cpus, 1);
            }
            for (String map : List.of(Shared.XNET_MAP_NAT_STATS, Shared.XNET_MAP_NAT_STATS6)) {
                String natPin = pins.map(map);
                if (Files.exists(Path.of(natPin))) {
                    zero(natPin, running.config().nats().stream().filter(n -> MapEncoding.natStatsMap(n).equals(map))
                            .map(MapEncoding::natKey).toList(), cpus, Shared.XNET_NAT_STAT_COUNT);
                }
            }
        }
    }

    /** Sets the per-CPU values of {@code keys} in the pinned map to zero. */
    private void zero(String pin, List<byte[]> keys, int cpus, int fields) {
        int fd = bpf.pinned(pin);
        try {
            byte[] zeros = new byte[fields * 8 * cpus];
            keys.forEach(key -> bpf.update(fd, key, zeros, 0));
        } finally {
            bpf.close(fd);
        }
    }

    private long[] read(int fd, int key, int cpus, int fields) {
        if (fd < 0 || key < 0) {
            return new long[fields];
        }
        byte[] value = new byte[fields * 8 * cpus];
        if (!bpf.lookup(fd, MapEncoding.u32(key), value)) {
            return new long[fields];
        }
        return MapEncoding.sumCounters(value, cpus, fields);
    }
}
