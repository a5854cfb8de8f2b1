package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import xnet.app.Composition;
import xnet.app.Faults;
import xnet.app.Workspace;
import xnet.model.Cidr;
import xnet.model.Datapath;
import xnet.model.FilterRule;
import xnet.model.Proto;
import xnet.plan.TargetLayout;
import xnet.service.TargetService;

/**
 * 200 commits alternating between two rule sets while a UDP stream and a TCP transfer run between
 * two containers: no more datagrams lost and no more retransmits than the same run without
 * commits. Commits run in this JVM (a shell process each would take 200 JVM starts).
 */
class SwapUnderLoadIT {

    private Xnet xnet;
    private final List<Process> servers = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        xnet = new Xnet("itswap");
    }

    @AfterEach
    void tearDown() throws Exception {
        Kernel.stop(servers);
        xnet.close();
    }

    /** AUTO: few rules, inline code, each commit swaps programs; MAP: each commit rewrites the idle rule set and flips. */
    @ParameterizedTest
    @EnumSource(value = Datapath.Strategy.class, names = {"AUTO", "MAP"})
    void commitsUnderLoadLoseNothing(Datapath.Strategy strategy) throws Exception {
        assertThat(xnet.f("profiles/single-host.xnet").status()).isZero();
        TargetService target = Composition.target(TargetLayout.lab("itswap"), new Workspace(xnet.home, Xnet.ROOT), Faults.NONE);
        List<FilterRule> setA = List.of(rule(1, "10.7.0.0/16", Proto.TCP), rule(2, "10.8.0.0/16", Proto.UDP));
        List<FilterRule> setB = List.of(rule(3, "10.9.0.0/16", Proto.ANY), rule(4, "10.7.1.0/24", Proto.ICMP),
                rule(5, "10.8.8.8/32", Proto.TCP));
        target.edit(c -> c.withFilters(setA).withDatapath(new Datapath(c.datapath().hook(),
                c.datapath().xdpMode(), strategy, c.datapath().perInterface())));
        target.commit("set A");

        servers.add(start("xnet.itswap.c.server", "iperf3", "-s", "-p", "5201"));
        servers.add(start("xnet.itswap.c.server", "iperf3", "-s", "-p", "5202"));
        SingleHostLabIT.waitForListener("xnet.itswap.c.server", 5202);

        long[] quiet = run(null, target, setA, setB);
        int program = InPlaceCommitIT.attachedProgram(target.layout());
        long[] busy = run(200, target, setA, setB);
        if (strategy == Datapath.Strategy.MAP) {
            assertThat(InPlaceCommitIT.attachedProgram(target.layout())).as("the same program ran all along").isEqualTo(program);
        }
        System.out.printf(strategy + ": without commits: UDP lost %d of %d (%d of them dropped by the receiving socket), TCP"
                + " retransmits %d%nwith 200 commits: UDP lost %d of %d (%d dropped by the receiving socket), TCP"
                + " retransmits %d%n", quiet[0], quiet[1], quiet[4], quiet[2], busy[0], busy[1], busy[4], busy[2]);
        assertThat(busy[3]).as("commits done during the load").isEqualTo(200);
        // A datagram the receiving socket had no room for (its reader starved of CPU on two cores
        // while commits run the verifier) was delivered by the datapath: it is not a swap loss.
        assertThat(busy[0] - busy[4]).as("UDP datagrams lost on the way with commits")
                .isLessThanOrEqualTo(quiet[0] - quiet[4]);
        // retransmits on veth vary run to run even without commits; allow that noise, not a trend
        assertThat(busy[2]).as("TCP retransmits with commits").isLessThanOrEqualTo(Math.max(2 * quiet[2], quiet[2] + 50));
    }

    private static FilterRule rule(int id, String from, Proto proto) {
        return new FilterRule(id, FilterRule.Action.DROP, Cidr.parse(from), null, proto, null);
    }

    /**
     * Runs UDP and TCP load for 8 s, committing {@code commits} times meanwhile; returns UDP lost,
     * UDP sent, TCP retransmits, commits done, and UDP datagrams the server's socket dropped.
     */
    private long[] run(Integer commits, TargetService target, List<FilterRule> setA, List<FilterRule> setB) throws Exception {
        long socketDropsBefore = Kernel.udpReceiveErrors("xnet.itswap.c.server");
        // Rates well below what two cores carry, so that a loss would come from the swaps and not
        // from a receiver starved of CPU while the verifier runs.
        Process udp = client("-u", "-b", "50M", "-l", "1200", "-p", "5201");
        Process tcp = client("-b", "300M", "-p", "5202");
        int done = 0;
        if (commits != null) {
            Thread.sleep(500);
            for (int i = 0; i < commits; i++) {
                List<FilterRule> next = i % 2 == 0 ? setB : setA;
                target.edit(c -> c.withFilters(next));
                target.commit("");
                done++;
            }
        }
        JsonNode udpResult = new ObjectMapper().readTree(output(udp));
        JsonNode tcpResult = new ObjectMapper().readTree(output(tcp));
        JsonNode sum = udpResult.path("end").path("sum");
        return new long[] {sum.path("lost_packets").asLong(), sum.path("packets").asLong(),
                tcpResult.path("end").path("sum_sent").path("retransmits").asLong(), done,
                Kernel.udpReceiveErrors("xnet.itswap.c.server") - socketDropsBefore};
    }


    private Process client(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("ip", "netns", "exec", "xnet.itswap.c.client",
                "iperf3", "-c", "10.0.2.2", "-t", "8", "-J"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String output(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private Process start(String ns, String... command) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile(xnet.home, "server", ".log").toFile()).start();
    }
}
