package xnet.bpf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import xnet.datapath.MapEncoding;
import xnet.datapath.Shared;
import xnet.model.FilterRule;
import xnet.plan.TargetLayout;
import xnet.session.RunningState;

/** Reads the pinned counter maps: per rule (by its slot) and per attach point (by ifindex). */
public final class Counters {

    public record RuleCount(String rule, String text, long packets, long bytes) {
    }

    public record PointCount(String attachPoint, long passed, long dropped, long translated) {
    }

    public record Snapshot(List<RuleCount> rules, List<PointCount> attachPoints) {
    }

    private Counters() {
    }

    public static Snapshot read(TargetLayout layout, RunningState running) {
        xnet.model.Datapath.Hook hook = running.config().datapath().hook();
        if (!hook.bpf()) {
            return fromTables(layout, running, hook);
        }
        Path root = BpfDatapath.pinRoot(layout);
        String rulePin = root.resolve("maps").resolve(Shared.XNET_MAP_RULE_STATS).toString();
        String ifPin = root.resolve("maps").resolve(Shared.XNET_MAP_IF_STATS).toString();
        if (!Files.exists(Path.of(rulePin))) {
            throw new IllegalStateException("no BPF datapath is running on " + layout.name()
                    + " (it starts with the first commit that has filter or NAT rules)");
        }
        Bpf bpf = Bpf.get();
        int cpus = bpf.possibleCpus();
        List<RuleCount> rules = new ArrayList<>();
        int ruleStats = bpf.pinned(rulePin);
        try {
            Map<Integer, Integer> slots = running.datapath().slots().slotOfRule();
            for (FilterRule rule : running.config().filters()) {
                long[] sum = read(bpf, ruleStats, slots.getOrDefault(rule.id(), -1), cpus, 2);
                rules.add(new RuleCount(Integer.toString(rule.id()), rule.text(), sum[0], sum[1]));
            }
            long[] fallthrough = read(bpf, ruleStats, 0, cpus, 2);
            rules.add(new RuleCount("default", running.config().defaultAction().toString(), fallthrough[0], fallthrough[1]));
        } finally {
            bpf.close(ruleStats);
        }
        List<PointCount> points = new ArrayList<>();
        int ifStats = bpf.pinned(ifPin);
        try {
            for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(running.datapath().ifindexes()).entrySet()) {
                long[] sum = read(bpf, ifStats, e.getValue(), cpus, Shared.XNET_STAT_COUNT);
                points.add(new PointCount(e.getKey(), sum[Shared.XNET_STAT_PASSED], sum[Shared.XNET_STAT_DROPPED],
                        sum[Shared.XNET_STAT_TRANSLATED]));
            }
        } finally {
            bpf.close(ifStats);
        }
        return new Snapshot(rules, points);
    }

    /** iptables and nftables count per rule only; there are no per-attach-point counters. */
    private static Snapshot fromTables(TargetLayout layout, RunningState running, xnet.model.Datapath.Hook hook) {
        Map<String, long[]> counts = xnet.kernel.TablesCounters.read(layout, hook);
        List<RuleCount> rules = new ArrayList<>();
        for (FilterRule rule : running.config().filters()) {
            long[] c = counts.getOrDefault("xnet " + rule.id(), new long[2]);
            rules.add(new RuleCount(Integer.toString(rule.id()), rule.text(), c[0], c[1]));
        }
        long[] fallthrough = counts.getOrDefault("xnet default", new long[2]);
        rules.add(new RuleCount("default", running.config().defaultAction().toString(), fallthrough[0], fallthrough[1]));
        return new Snapshot(rules, List.of());
    }

    private static long[] read(Bpf bpf, int fd, int key, int cpus, int fields) {
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
