package xnet.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import xnet.app.Composition;
import xnet.app.Faults;
import xnet.app.Workspace;
import xnet.kernel.ProcessRunner;
import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Datapath;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.plan.TargetLayout;
import xnet.service.TargetService;

/**
 * (b) A full commit of N rules (the study's form, map strategy) next to `nft -f` loading the same
 * rules as a set and iptables-restore loading them as a chain (both backends), and (c) a one-rule
 * commit when many rules exist, next to `nft add element` and `iptables -A`.
 * It builds a lab of its own ("xbench"), alternates xnet and nft in every round, and removes the
 * lab at the end.
 */
public final class CommitCostBench {

    /** Loaders compared with xnet's commit: nft with a set, and iptables-restore with a chain, both backends. */
    public static final List<String> TOOLS = List.of("xnet", "nft", "iptables-legacy", "iptables-nft");

    /** Milliseconds of each round, per tool (see {@link #TOOLS}). */
    public record Row(String what, int rules, Map<String, List<Double>> ms) {

        public Stats xnetMs() {
            return Stats.of(ms.get("xnet"));
        }

        public Stats nftMs() {
            return Stats.of(ms.get("nft"));
        }
    }

    private static final String LAB = "xbench";

    private final Path root;

    public CommitCostBench(Path root) {
        this.root = root;
    }

    public List<Row> run(int[] counts, int oneRuleAt, int rounds, Consumer<String> progress) throws Exception {
        TargetLayout layout = TargetLayout.lab(LAB);
        Path home = Files.createTempDirectory("xnet-bench");
        TargetService target = Composition.target(layout, new Workspace(home, root), Faults.NONE);
        target.destroy(); // whatever an earlier bench left
        List<Row> rows = new ArrayList<>();
        try {
            Config base = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
                    .withBridge(new Bridge("br2", Cidr.parse("10.0.2.0/24")))
                    .withContainer(new Container("client", "br1", Ipv4.parse("10.0.1.2")))
                    .withContainer(new Container("server", "br2", Ipv4.parse("10.0.2.2")))
                    .withDatapath(new Datapath(Datapath.Hook.TC, null, Datapath.Strategy.MAP, null));
            progress.accept("building the bench lab");
            commit(target, base.withFilters(BenchRules.studyForm(1)));
            String ns = layout.hostNamespace();
            Map<Integer, Map<String, List<Double>>> full = new LinkedHashMap<>();
            // An unmeasured round first: the shell measured is one that has run a commit before
            // (its code compiled by the JIT), as nft is a compiled program.
            for (int count : counts) {
                progress.accept("warm-up: full commit of " + count + " rules");
                commit(target, base.withFilters(BenchRules.studyForm(count)));
                commit(target, base.withFilters(BenchRules.studyForm(1)));
            }
            for (int round = 0; round < rounds; round++) {
                for (int count : counts) {
                    progress.accept("round " + (round + 1) + "/" + rounds + ": full commit of " + count + " rules");
                    List<FilterRule> rules = BenchRules.studyForm(count);
                    commit(target, base.withFilters(BenchRules.studyForm(1)));
                    // Start from a settled state, as nft does: the commit above finishes bringing
                    // its idle rule set up to date in the background (up to ~0.1 s after removing
                    // 100,000 rules), and that is its cost, not the measured commit's.
                    Thread.sleep(300);
                    Map<String, List<Double>> times = full.computeIfAbsent(count, k -> new LinkedHashMap<>());
                    add(times, "xnet", commit(target, base.withFilters(rules)));
                    add(times, "nft", nftLoad(ns, home, rules));
                    add(times, "iptables-legacy", iptablesLoad("iptables-legacy", ns, home, rules));
                    add(times, "iptables-nft", iptablesLoad("iptables-nft", ns, home, rules));
                }
            }
            for (int count : counts) {
                rows.add(new Row("full commit", count, full.get(count)));
            }

            progress.accept("one-rule commits at " + oneRuleAt + " rules");
            List<FilterRule> many = BenchRules.studyForm(oneRuleAt);
            commit(target, base.withFilters(many));
            nftLoad(ns, home, many);
            iptablesLoad("iptables-legacy", ns, home, many);
            iptablesLoad("iptables-nft", ns, home, many);
            Map<String, List<Double>> one = new LinkedHashMap<>();
            for (int round = 0; round < Math.max(rounds, 5); round++) {
                List<FilterRule> plusOne = new ArrayList<>(many);
                plusOne.addAll(BenchRules.studyForm(oneRuleAt + 1).subList(oneRuleAt, oneRuleAt + 1));
                add(one, "xnet", commit(target, base.withFilters(plusOne)));
                add(one, "nft", nftOne(ns, oneRuleAt + round));
                add(one, "iptables-legacy", iptablesOne("iptables-legacy", ns, oneRuleAt + round));
                add(one, "iptables-nft", iptablesOne("iptables-nft", ns, oneRuleAt + round));
                commit(target, base.withFilters(many));
            }
            rows.add(new Row("one-rule commit", oneRuleAt, one));

            int batch = counts[counts.length - 1];
            progress.accept("batch files of " + batch + " filter add lines, through xnetd");
            rows.add(new Row("batch file", batch, new BatchFileRun(root, home, LAB).run(
                    BenchRules.studyForm(batch), rounds, () -> nftLoad(ns, home, BenchRules.studyForm(batch)))));
        } finally {
            target.destroy();
            BenchLab.removeTree(home);
        }
        return rows;
    }

    /** Commits the config and returns the milliseconds it took. */
    private static double commit(TargetService target, Config config) throws Exception {
        target.replaceCandidate(config);
        long start = System.nanoTime();
        target.commit("");
        return (System.nanoTime() - start) / 1e6;
    }

    private static void add(Map<String, List<Double>> times, String tool, double ms) {
        times.computeIfAbsent(tool, k -> new ArrayList<>()).add(ms);
    }

    /** iptables-restore of the rules as one FORWARD chain, replacing the table (the study's form). */
    private static double iptablesLoad(String iptables, String ns, Path home, List<FilterRule> rules) throws Exception {
        Path path = home.resolve("rules.iptables");
        Files.writeString(path, TableFiles.iptablesChain(rules));
        return timed(List.of("ip", "netns", "exec", ns, iptables + "-restore", path.toString()));
    }

    private static double iptablesOne(String iptables, String ns, int n) {
        return timed(List.of("ip", "netns", "exec", ns, iptables, "-A", "FORWARD", "-s",
                new Ipv4((11 << 24) + n + 100) + "/32", "-d", new Ipv4((12 << 24) + n + 100) + "/32", "-j", "DROP"));
    }

    private static double timed(List<String> command) {
        long start = System.nanoTime();
        ProcessRunner.run(command);
        return (System.nanoTime() - start) / 1e6;
    }

    static double nftLoad(String ns, Path home, List<FilterRule> rules) throws Exception {
        Path path = home.resolve("rules.nft");
        Files.writeString(path, TableFiles.nftSet(rules));
        return timed(List.of("ip", "netns", "exec", ns, "nft", "-f", path.toString()));
    }

    private static double nftOne(String ns, int n) {
        return timed(List.of("ip", "netns", "exec", ns, "nft", "add", "element", "ip", "xbench", "blocked",
                "{ " + new Ipv4((11 << 24) + n + 100) + " . " + new Ipv4((12 << 24) + n + 100) + " }"));
    }
}
