package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import xnet.app.Composition;
import xnet.app.Faults;
import xnet.app.Workspace;
import xnet.bpf.Bpf;
import xnet.datapath.PacketFactory;
import xnet.datapath.ReferenceDatapath;
import xnet.datapath.RuleEdits;
import xnet.datapath.Shared;
import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Datapath;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.NatRule;
import xnet.plan.TargetLayout;
import xnet.service.TargetService;

/**
 * Commits that change only filter rules go into the running programs' maps (the programs stay the
 * same) and the running programs then decide every packet as the Java reference does for the new
 * rules, counters included: 25 commits of random edits (add, insert, delete, change, move, the
 * default action) on 300 rules with NAT, checked with 1,500 packets each through the live program.
 */
class InPlaceCommitIT {

    private static final String LAB = "itinpl";
    private Xnet xnet;

    @AfterEach
    void tearDown() throws Exception {
        if (xnet != null) {
            xnet.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Datapath.Hook.class, names = {"TC", "XDP"})
    void filterEditsGoIntoTheRunningMapsAndTheProgramsObeyThem(Datapath.Hook hook) throws Exception {
        Xnet.requireRoot("loading BPF programs needs root");
        xnet = new Xnet(LAB);
        TargetLayout layout = TargetLayout.lab(LAB);
        TargetService target = Composition.target(layout, new Workspace(xnet.home, Xnet.ROOT), Faults.NONE);
        List<NatRule> nats = PacketFactory.natRules();
        List<FilterRule> rules = PacketFactory.randomRules(11, 300);
        // br2 holds the private address of the whole-address NAT rule
        Config config = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
                .withBridge(new Bridge("br2", Cidr.parse("10.0.2.0/24")))
                .withContainer(new Container("c1", "br1", Ipv4.parse("10.0.1.2")))
                .withNats(nats).withFilters(rules).withDatapath(new Datapath(hook, null, Datapath.Strategy.MAP, null));
        target.replaceCandidate(config);
        target.commit("start");
        int program = attachedProgram(layout);
        // frames that are not IPv4 count with the default (slot 0): keep the lab's own IPv6
        // (router solicitations, MLD) off the attach points while the test counts
        for (String ns : Kernel.namespaces("xnet." + LAB + ".")) {
            Kernel.sh("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        }

        Bpf bpf = Bpf.load();
        Path maps = Kernel.pinRoot(layout).resolve("maps");
        int stats = bpf.pinned(maps.resolve(Shared.XNET_MAP_RULE_STATS).toString());
        int conntrack = bpf.pinned(maps.resolve(Shared.XNET_MAP_CT).toString());
        int flows = bpf.pinned(maps.resolve(Shared.XNET_MAP_FLOWS).toString());
        int flows6 = bpf.pinned(maps.resolve(Shared.XNET_MAP_FLOWS6).toString());
        RuleEdits edits = new RuleEdits(hook.ordinal() + 3, 10_000);
        int inPlace = 0;
        try {
            for (int step = 0; step < 25; step++) {
                config = config.withFilters(edits.edit(config.filters(), 1 + step % 5))
                        .withDefaultAction(step % 5 == 4 ? FilterRule.Action.DROP : FilterRule.Action.ALLOW);
                target.replaceCandidate(config);
                target.commit("step " + step);
                int now = attachedProgram(layout);
                inPlace += now == program ? 1 : 0;
                program = now;

                Map<Integer, Integer> slots = target.running().datapath().slots().slotOfRule();
                ReferenceDatapath reference = new ReferenceDatapath(config.filters(), config.defaultAction(), nats, slots);
                if (hook == Datapath.Hook.XDP) {
                    reference.atXdp();
                }
                // each step's reference starts with no connections, translated or tracked; so does the program
                ProgramCheck.empty(conntrack, Shared.CT_KEY_SIZE);
                ProgramCheck.empty(flows, Shared.FLOW_KEY_SIZE);
                ProgramCheck.empty(flows6, Shared.FLOW_KEY6_SIZE);
                Map<Integer, Long> before = ProgramCheck.counted(stats, slotsOf(slots));
                int fd = bpf.programById(program);
                ProgramCheck.Result result;
                try {
                    result = ProgramCheck.run(fd, hook == Datapath.Hook.XDP, reference,
                            new PacketFactory(step, config.filters(), nats), 1_500);
                } finally {
                    bpf.close(fd);
                }
                assertThat(result.mismatches()).as("step %d:%n%s", step, String.join("\n", result.mismatches())).isEmpty();
                Map<Integer, Long> after = ProgramCheck.counted(stats, slotsOf(slots));
                Map<Integer, Long> counted = new HashMap<>();
                after.forEach((slot, n) -> {
                    if (n - before.get(slot) != 0) {
                        counted.put(slot, n - before.get(slot));
                    }
                });
                assertThat(counted).as("packets counted per slot at step %d", step).isEqualTo(result.expectedCounts());
            }
        } finally {
            bpf.close(stats);
            bpf.close(conntrack);
            bpf.close(flows);
            bpf.close(flows6);
        }
        System.out.printf("%s: %d of 25 commits updated the running maps in place%n", hook, inPlace);
        // an insert with no priority left between its neighbours reloads; most edits must not
        assertThat(inPlace).as("commits done in place").isGreaterThanOrEqualTo(20);
    }

    private static List<Integer> slotsOf(Map<Integer, Integer> slots) {
        List<Integer> all = new java.util.ArrayList<>(slots.values());
        all.add(0);
        return all;
    }

    /** The id of the program the lab's links run (all links of one hook run the same program). */
    static int attachedProgram(TargetLayout layout) throws Exception {
        Path links = Kernel.pinRoot(layout).resolve("links");
        try (Stream<Path> pins = Files.list(links)) {
            Path pin = pins.sorted().findFirst().orElseThrow();
            Bpf bpf = Bpf.load();
            int link = bpf.pinned(pin.toString());
            try {
                return bpf.linkProgramId(link);
            } finally {
                bpf.close(link);
            }
        }
    }
}
