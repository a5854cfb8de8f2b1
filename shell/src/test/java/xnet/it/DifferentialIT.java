package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import xnet.bpf.Bpf;
import xnet.bpf.LoadedProgram;
import xnet.compile.ProgramPlan;
import xnet.compile.SlotPlan;
import xnet.datapath.PacketFactory;
import xnet.datapath.ReferenceDatapath;
import xnet.datapath.Shared;
import xnet.kernel.ClangCompiler;
import xnet.model.Config;
import xnet.model.Datapath;
import xnet.model.FilterRule;
import xnet.model.NatRule;

/**
 * Every program variant (tc/xdp x inline/map) runs 1,000,000 generated packets through
 * BPF_PROG_TEST_RUN, awkward ones included (see {@link PacketFactory#next}); verdicts, rewritten
 * bytes, rule counters and the NAT connection table must equal the Java reference. The default
 * action is allow for the first half and drop for the second (it lives in a map), so frames that
 * are not IPv4 meet both.
 */
class DifferentialIT {

    private static final int PACKETS = Integer.getInteger("xnet.differentialPackets", 1_000_000);
    private static final int PROBES = 10_000;

    @ParameterizedTest(name = "{0} {1} fastpath={2}")
    @CsvSource({"xnet_tc.c, INLINE, false", "xnet_tc.c, MAP, false", "xnet_tc.c, MAP, true", "xnet_xdp.c, INLINE, false",
            "xnet_xdp.c, MAP, false"})
    void bpfAgreesWithTheReference(String source, Datapath.Strategy strategy, boolean fastpath) throws Exception {
        Xnet.requireRoot("loading BPF programs needs root");
        // the fast path adds a case of tc map: half the packets keep the suite's time (its other cases run them all)
        int count = fastpath ? PACKETS / 2 : PACKETS;
        boolean xdp = source.contains("xdp");
        List<FilterRule> rules = PacketFactory.randomRules(42, strategy == Datapath.Strategy.INLINE ? 450 : 400);
        List<NatRule> nats = new java.util.ArrayList<>(PacketFactory.natRules());
        nats.addAll(PacketFactory.natRules6());
        Config config = Config.EMPTY.withFilters(rules).withNats(nats).withDefaultAction(FilterRule.Action.ALLOW)
                .withDatapath(new Datapath(Datapath.Hook.TC, null, strategy, null, fastpath));
        ProgramPlan plan = ProgramPlan.of(config, SlotPlan.NONE);
        assertThat(plan.strategy()).isEqualTo(strategy);

        Path cache = Files.createTempDirectory("xnet-diff");
        byte[] elf = new ClangCompiler(Xnet.ROOT.resolve("bpf"), cache).compile(source, plan.header());
        ReferenceDatapath reference = new ReferenceDatapath(rules, config.defaultAction(), nats, plan.slots().slotOfRule());
        if (xdp) {
            reference.atXdp();
        }
        PacketFactory packets = new PacketFactory(7, rules, nats);
        LoadedProgram loaded;
        try {
            loaded = LoadedProgram.load(Bpf.load(), elf, xdp ? "xnet_xdp" : "xnet_tc", plan, LoadedProgram.Reuse.NONE);
        } catch (xnet.bpf.BpfException e) {
            Files.writeString(cache.resolve("header.h"), plan.header());
            throw new AssertionError(e.getMessage() + "\n" + e.logTail(12) + "\nheader: " + cache.resolve("header.h"), e);
        }
        try (var paths = Files.walk(cache)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        ProgramCheck.Result result;
        List<String> probeMismatches;
        try (LoadedProgram program = loaded) {
            // with the fast path, allowed packets between "containers" of one bridge are handed on
            FastPathModel fast = fastpath ? FastPathModel.fill(program.mapFd(Shared.XNET_MAP_FAST)) : FastPathModel.OFF;
            int[] flows = {program.mapFd(Shared.XNET_MAP_FLOWS), program.mapFd(Shared.XNET_MAP_FLOWS6)};
            ProgramCheck.Result allowing = inChunks(program.programFd(), xdp, reference, packets, count / 2, fast, flows);
            ProgramCheck.defaultDrop(program.mapFd(Shared.XNET_MAP_META));
            reference.defaultAction(FilterRule.Action.DROP);
            result = allowing.and(inChunks(program.programFd(), xdp, reference, packets, count - count / 2, fast, flows));
            // the connection states of the last chunk, entry for entry
            assertThat(ProgramCheck.flows(flows[0])).as("the connection states (xnet_flows)").isEqualTo(reference.flows());
            assertThat(reference.flows()).as("the packets open connections").isNotEmpty();
            assertThat(ProgramCheck.flows6(flows[1])).as("the IPv6 connection states (xnet_flows6)")
                    .isEqualTo(reference.flows6());
            assertThat(reference.flows6()).as("IPv6 packets open connections").isNotEmpty();
            assertThat(java.util.Arrays.stream(reference.packetsInStates()).boxed().toList())
                    .as("packets in each state: new, established, related").allSatisfy(n -> assertThat(n).isPositive());
            assertThat(java.util.Arrays.stream(reference.packetsInStates6()).boxed().toList())
                    .as("IPv6 packets in each state: new, established, related").allSatisfy(n -> assertThat(n).isPositive());
            // what-if packets: 10,000 more, as probes, decided as the reference decides them and
            // counted by neither (the counters and connections below are still the run's)
            probeMismatches = ProgramCheck.probes(program.programFd(), xdp, reference, packets, PROBES, fast);
            // the rule counters saw what the reference matched
            Map<Integer, Long> counted = ProgramCheck.counted(program.mapFd(Shared.XNET_MAP_RULE_STATS),
                    result.expectedCounts().keySet());
            assertThat(counted).as("packets counted per slot").isEqualTo(result.expectedCounts());
            Map<String, String> connections = ProgramCheck.connections(program.mapFd(Shared.XNET_MAP_CT));
            assertThat(connections.size()).as("NAT connections remembered").isEqualTo(reference.connections().size());
            assertThat(connections).as("the NAT connection table").isEqualTo(reference.connections());
            Map<String, String> connections6 = ProgramCheck.connections6(program.mapFd(Shared.XNET_MAP_CT6));
            assertThat(connections6).as("the IPv6 NAT connection table").isEqualTo(reference.connections6());
            assertThat(reference.connections6()).as("IPv6 packets open NAT connections").isNotEmpty();
            assertThat(reference.natCounts()).as("the packets exercise every NAT rule").hasSize(nats.size());
            assertThat(ProgramCheck.natCounted(program::mapFd, nats))
                    .as("packets counted per NAT rule, each way").isEqualTo(reference.natCounts());
        }
        List<String> mismatches = result.mismatches();
        int drops = result.drops();
        int rewritten = result.rewritten();
        System.out.printf("%s %s fastpath=%s: %d packets, %d dropped, %d rewritten, %d handed on, %d NAT connections,"
                + " %d mismatches; %d what-if packets, %d mismatches; connection states new/established/related %s"
                + " (IPv6 %s); IPv6 %d, of them %d decided by a rule; %d translated past byte 511; ICMP errors translated"
                + " in/out, ICMPv6 in/out %s%n",
                source, strategy, fastpath, count, drops, rewritten, result.handedOn(),
                reference.connections().size() + reference.connections6().size(),
                mismatches.size(), PROBES, probeMismatches.size(), java.util.Arrays.toString(reference.packetsInStates()),
                java.util.Arrays.toString(reference.packetsInStates6()), reference.ipv6Decided()[0], reference.ipv6Decided()[1],
                reference.farTranslated(), java.util.Arrays.toString(reference.errorsTranslated()));
        assertThat(mismatches).as(String.join("\n", mismatches)).isEmpty();
        assertThat(probeMismatches).as("what-if packets\n" + String.join("\n", probeMismatches)).isEmpty();
        assertThat(drops).as("the packets exercise drops").isGreaterThan(count / 20);
        assertThat(rewritten).as("the packets exercise NAT").isGreaterThan(count / 100);
        assertThat(reference.ipv6Decided()[1]).as("IPv6 packets meet IPv6 rules").isGreaterThan(count / 1000);
        assertThat(reference.farTranslated()).as("translated IPv6 packets beyond XDP's rewrite reach (dropped there)")
                .isPositive();
        assertThat(java.util.Arrays.stream(reference.errorsTranslated()).boxed().toList())
                .as("ICMP errors translated with their connection: inward, outward; ICMPv6's the same").allSatisfy(n -> assertThat(n).isPositive());
        if (fastpath) {
            assertThat(result.handedOn()).as("the packets exercise the fast path").isGreaterThan(count / 100);
        }
    }

    /** Packets per chunk: the connection states it opens stay far below xnet_flows' size (an LRU map evicts). */
    private static final int CHUNK = 100_000;

    /**
     * {@code count} packets in chunks, the connection states emptied on both sides between them:
     * the random packets open a connection for most of those let through, and an evicted one
     * would answer differently from the reference, which never evicts.
     */
    private static ProgramCheck.Result inChunks(int programFd, boolean xdp, ReferenceDatapath reference,
                                                PacketFactory packets, int count, FastPathModel fast, int[] flows) {
        ProgramCheck.Result all = null;
        for (int done = 0; done < count; done += CHUNK) {
            if (done > 0) {
                ProgramCheck.empty(flows[0], Shared.FLOW_KEY_SIZE);
                ProgramCheck.empty(flows[1], Shared.FLOW_KEY6_SIZE);
                reference.forgetFlows();
            }
            ProgramCheck.Result chunk = ProgramCheck.run(programFd, xdp, reference, packets, Math.min(CHUNK, count - done),
                    fast);
            all = all == null ? chunk : all.and(chunk);
        }
        return all;
    }
}
