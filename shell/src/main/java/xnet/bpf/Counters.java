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
            throw new IllegalStateException("no BPF datapath is running on " + layout.name()
                    + " (it starts with the first commit that has filter or NAT rules)");
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
        try {
            for (Map.Entry<String, Integer> e : new TreeMap<>(running.datapath().ifindexes()).entrySet()) {
                long[] sum = read(ifStats, e.getValue(), cpus, Shared.XNET_STAT_COUNT);
                points.add(new CounterSnapshot.PointCount(e.getKey(), sum[Shared.XNET_STAT_PASSED],
                        sum[Shared.XNET_STAT_DROPPED], sum[Shared.XNET_STAT_TRANSLATED], sum[Shared.XNET_STAT_ARP]));
            }
        } finally {
            bpf.close(ifStats);
        }
        return new CounterSnapshot(rules, points);
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
