package xnet.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import xnet.bpf.Bpf;
import xnet.bpf.BpfObject;
import xnet.bpf.LoadedProgram;
import xnet.compile.ProgramPlan;
import xnet.compile.SlotPlan;
import xnet.kernel.ClangCompiler;
import xnet.model.Config;
import xnet.model.Datapath;
import xnet.model.FilterRule;

/**
 * What a packet pays for rule shapes: xnet's tc program (map strategy) holding N rules in 1, 4,
 * 16 or 64 shapes (pairs of prefix lengths), next to one rule and to a plain LPM trie on the same
 * rules' source prefixes (bpf/xnet_lpm_baseline.c). Each cell runs a mix of distinct packets with
 * random addresses once each (BPF_PROG_TEST_RUN, repeat 1), so lookups miss the caches as real
 * traffic does; one packet repeated would stay in cache. The mean ns per packet includes the test
 * run's own timing, alike for every cell. Cells interleave round by round.
 */
public final class ShapeCostBench {

    /** A cell's mean ns per packet in each round. */
    public record Cell(String name, int rules, List<Double> samples) {
    }

    private static final long SEED = 11;
    private final ClangCompiler compiler;

    public ShapeCostBench(ClangCompiler compiler) {
        this.compiler = compiler;
    }

    public List<Cell> run(int rules, int[] shapeCounts, int packets, int rounds, Consumer<String> progress) {
        Bpf bpf = Bpf.load();
        Map<String, Integer> programs = new LinkedHashMap<>();
        Map<String, Integer> ruleCounts = new LinkedHashMap<>();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            progress.accept("loading xnet with 1 rule");
            programs.put("xnet-tc-map 1 shape (random mix)", xnet(bpf, BenchRules.shapes(1, 1, SEED), open));
            ruleCounts.put("xnet-tc-map 1 shape (random mix)", 1);
            for (int shapes : shapeCounts) {
                progress.accept("loading xnet with " + rules + " rules in " + shapes + " shape(s)");
                String name = "xnet-tc-map " + shapes + " shape" + (shapes == 1 ? "" : "s") + " (random mix)";
                programs.put(name + " @" + rules, xnet(bpf, BenchRules.shapes(rules, shapes, SEED), open));
                ruleCounts.put(name + " @" + rules, rules);
            }
            for (int n : new int[] {1, rules}) {
                progress.accept("loading an LPM trie with " + n + " source prefixes");
                programs.put("lpm-trie (random mix) @" + n, lpm(bpf, BenchRules.shapes(n, shapeCounts[shapeCounts.length - 1],
                        SEED), open));
                ruleCounts.put("lpm-trie (random mix) @" + n, n);
            }
            List<byte[]> mix = BenchRules.randomPackets(packets, SEED + 1);
            Map<String, List<Double>> samples = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                progress.accept("round " + (round + 1) + " of " + rounds);
                for (Map.Entry<String, Integer> p : programs.entrySet()) {
                    long total = 0;
                    for (byte[] packet : mix) {
                        total += bpf.testRun(p.getValue(), packet, 1).durationNs();
                    }
                    samples.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add((double) total / mix.size());
                }
            }
            List<Cell> cells = new ArrayList<>();
            samples.forEach((name, values) -> cells.add(new Cell(name.replaceAll(" @[0-9]+$", ""), ruleCounts.get(name),
                    values)));
            return cells;
        } finally {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing a program the kernel frees anyway with this process
                }
            }
        }
    }

    private int xnet(Bpf bpf, List<FilterRule> rules, List<AutoCloseable> open) {
        Config config = Config.EMPTY.withFilters(rules)
                .withDatapath(new Datapath(Datapath.Hook.TC, null, Datapath.Strategy.MAP, null));
        ProgramPlan plan = ProgramPlan.of(config, SlotPlan.NONE);
        byte[] elf = compiler.compile(LoadedProgram.sourceOf(Datapath.Hook.TC), plan.header());
        LoadedProgram program = LoadedProgram.load(bpf, elf, LoadedProgram.programOf(Datapath.Hook.TC), plan,
                LoadedProgram.Reuse.NONE);
        open.add(program);
        return program.programFd();
    }

    /** The LPM baseline holding the rules' source prefixes (value 1: drop). */
    private int lpm(Bpf bpf, List<FilterRule> rules, List<AutoCloseable> open) {
        BpfObject object = bpf.open(compiler.compile("xnet_lpm_baseline.c", ""), "xnet_lpm_baseline");
        open.add(object);
        object.load();
        int map = object.mapFd("xnet_lpm");
        byte[] value = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(1).array();
        for (FilterRule r : rules) {
            byte[] key = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(r.from().prefix())
                    .order(ByteOrder.BIG_ENDIAN).putInt(r.from().network().bits()).array();
            bpf.update(map, key, value, Bpf.BPF_ANY);
        }
        return object.programFd("xnet_lpm_baseline");
    }
}
