package xnet.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import xnet.bpf.Bpf;
import xnet.bpf.LoadedProgram;
import xnet.compile.InlineRules;
import xnet.compile.ProgramPlan;
import xnet.compile.SlotPlan;
import xnet.kernel.ClangCompiler;
import xnet.model.Config;
import xnet.model.Datapath;
import xnet.model.FilterRule;

/**
 * (a) The program's own cost: ns per packet from BPF_PROG_TEST_RUN (the kernel's average over
 * {@code repeat} runs of one packet that no rule matches), per strategy, rule form and count.
 * Each form comes over IPv4 and over IPv6 (its rules and its packet of that family). Programs
 * for every cell are loaded first; then rounds run the cells interleaved.
 */
public final class ProgramCostBench {

    /** One program's ns per packet in each round; none when it could not load (see note). */
    public record Cell(String form, String strategy, String hook, int rules, List<Double> samples, String note) {

        public Stats nsPerPacket() {
            return samples == null || samples.isEmpty() ? null : Stats.of(samples);
        }
    }

    /** A rule form: its rules for a count, and the packet (of the rules' family) that none matches. */
    private record Form(IntFunction<List<FilterRule>> rules, byte[] packet) {
    }

    private final ClangCompiler compiler;

    public ProgramCostBench(ClangCompiler compiler) {
        this.compiler = compiler;
    }

    public List<Cell> run(int[] counts, int rounds, int repeat, java.util.function.Consumer<String> progress) {
        Map<String, Form> forms = new LinkedHashMap<>();
        forms.put("study (A to B)", new Form(BenchRules::studyForm, BenchRules.packet()));
        forms.put("cidr (4 shapes)", new Form(BenchRules::cidr, BenchRules.packet()));
        forms.put("IPv6 study (A to B)", new Form(BenchRules::studyForm6, BenchRules.packet6()));
        forms.put("IPv6 cidr (4 shapes)", new Form(BenchRules::cidr6, BenchRules.packet6()));
        List<Cell> cells = new ArrayList<>();
        Map<Integer, LoadedProgram> loaded = new LinkedHashMap<>();
        Map<Integer, String[]> keys = new LinkedHashMap<>();
        Map<Integer, byte[]> packets = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Form> form : forms.entrySet()) {
                for (Datapath.Strategy strategy : List.of(Datapath.Strategy.INLINE, Datapath.Strategy.MAP)) {
                    for (String hook : List.of("tc", "xdp")) {
                        for (int count : counts) {
                            String[] key = {form.getKey(), strategy.toString(), hook, Integer.toString(count)};
                            if (strategy == Datapath.Strategy.INLINE && count > InlineRules.MAX_RULES) {
                                cells.add(new Cell(key[0], key[1], hook, count, null,
                                        "n/a: inline stops at " + InlineRules.MAX_RULES + " rules (verifier limit)"));
                                continue;
                            }
                            progress.accept("loading " + String.join(" ", key) + " rules");
                            Config config = Config.EMPTY.withFilters(form.getValue().rules().apply(count))
                                    .withDatapath(new Datapath(Datapath.Hook.TC, null, strategy, null));
                            ProgramPlan plan = ProgramPlan.of(config, SlotPlan.NONE);
                            try {
                                Datapath.Hook at = Datapath.Hook.valueOf(hook.toUpperCase(java.util.Locale.ROOT));
                                byte[] elf = compiler.compile(LoadedProgram.sourceOf(at), plan.header());
                                loaded.put(keys.size(), LoadedProgram.load(Bpf.load(), elf, LoadedProgram.programOf(at),
                                        plan, LoadedProgram.Reuse.NONE));
                                packets.put(keys.size(), form.getValue().packet());
                                keys.put(keys.size(), key);
                            } catch (RuntimeException failed) {
                                cells.add(new Cell(key[0], key[1], hook, count, null, "n/a: " + failed.getMessage()));
                            }
                        }
                    }
                }
            }
            Map<Integer, List<Double>> samples = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                progress.accept("round " + (round + 1) + " of " + rounds);
                for (Map.Entry<Integer, LoadedProgram> e : loaded.entrySet()) {
                    double ns = Bpf.load().testRun(e.getValue().programFd(), packets.get(e.getKey()), repeat).durationNs();
                    samples.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(ns);
                }
            }
            for (Map.Entry<Integer, String[]> e : keys.entrySet()) {
                String[] key = e.getValue();
                cells.add(new Cell(key[0], key[1], key[2], Integer.parseInt(key[3]), samples.get(e.getKey()), ""));
            }
        } finally {
            loaded.values().forEach(LoadedProgram::close);
        }
        return cells;
    }
}
