package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import xnet.session.RunningState;
import xnet.state.FileStateStore;

/**
 * Two shells committing at once, 40 times: each commit is recorded, rebased onto the other, or
 * refused whole when both changed the same thing, and the kernel is always the running config.
 * Then 1,000 commits in one session of xnetd (in-place rule edits, with a NAT change, which loads
 * new programs, every 100th): its file descriptors, the kernel's BPF programs and maps and its
 * live heap after a full GC do not grow.
 */
class SessionsAndLeaksIT extends LabTest {

    private static final String LAB = "itsess";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The id of the last filter rule added (the setup's is 1; ids only grow). */
    private int lastRule = 1;

    @Override
    protected String lab() {
        return LAB;
    }


    @Test
    void twoShellsCommittingAtOnce() throws Exception {
        assertThat(xnet.c("bridge add br1 10.0.1.0/24; container add web --bridge br1; "
                + "filter add drop from 10.8.0.0/16; datapath strategy map; commit").status()).isZero();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int recorded = 0;
        int refused = 0;
        try {
            for (int round = 0; round < 40; round++) {
                // a rule here and a NAT rule there: different things, both must land; or the same
                // thing (two rules) every fourth round, where one may be refused
                String first = "filter add drop from 10.50." + round + ".0/24";
                String second = round % 4 == 3 ? "filter add drop from 10.60." + round + ".0/24"
                        : "nat add 10.0.0." + (10 + round) + ":80 -> 10.0.1.2:80";
                Future<Xnet.Result> a = pool.submit(() -> client(first + "; commit"));
                Future<Xnet.Result> b = pool.submit(() -> client(second + "; commit"));
                List<Xnet.Result> results = List.of(a.get(120, TimeUnit.SECONDS), b.get(120, TimeUnit.SECONDS));
                RunningState running = running();
                List<String> texts = new ArrayList<>();
                running.config().filters().forEach(r -> texts.add(r.text()));
                running.config().nats().forEach(n -> texts.add("nat " + n.text()));
                String context = "round " + round + ": " + results;
                for (int i = 0; i < 2; i++) {
                    Xnet.Result r = results.get(i);
                    String change = i == 0 ? first : second;
                    String wanted = change.startsWith("nat add ") ? "nat " + change.substring(8) : change.substring(11);
                    if (r.status() == 0) {
                        recorded++;
                        assertThat(String.join("\n", texts)).as(context).contains(wanted);
                    } else {
                        refused++;
                        assertThat(change).as(context + ": only the same thing is refused").startsWith("filter");
                        assertThat(r.err()).as(context).contains("both changed the same thing");
                        assertThat(String.join("\n", texts)).as(context).doesNotContain(wanted);
                    }
                }
                JsonNode status = JSON.readTree(client("lab status --json").out());
                assertThat(status.path("programProblems").size()).as(context + status.path("programProblems")).isZero();
                assertThat(status.path("drift").size()).as(context).isZero();
                ProgramCheck.attachedDecideAs(LAB, running, context);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("two shells, 40 races: %d commits recorded, %d refused (same rule list)%n", recorded, refused);
        assertThat(running().generation()).isEqualTo(1 + recorded);
        assertThat(recorded).isGreaterThanOrEqualTo(60);
    }

    @Test
    void aThousandCommitsLeakNothing() throws Exception {
        assertThat(xnet.c("bridge add br1 10.0.1.0/24; container add web --bridge br1; "
                + "filter add drop from 10.8.0.0/16; datapath strategy map; nat add 10.0.0.1:80 -> 10.0.1.2:80; commit")
                .status()).isZero();
        commits(0, 100); // warm up: classes, caches, the compile cache
        long pid = Long.parseLong(Files.readString(xnet.run().resolve(LAB + ".pid")).trim());
        Usage before = usage(pid);
        commits(100, 1_000);
        Usage after = usage(pid);
        System.out.printf("1,000 commits: fds %d -> %d, BPF programs %d -> %d, maps %d -> %d, live heap %d -> %d KiB%n",
                before.fds, after.fds, before.programs, after.programs, before.maps, after.maps, before.heapKib,
                after.heapKib);
        assertThat(after.fds).as("xnetd's open files").isLessThanOrEqualTo(before.fds + 2);
        assertThat(after.programs).as("BPF programs of the lab").isLessThanOrEqualTo(before.programs);
        assertThat(after.maps).as("BPF maps of the lab").isLessThanOrEqualTo(before.maps);
        assertThat(after.heapKib).as("xnetd's live heap").isLessThan(before.heapKib + 16 * 1024);
        assertThat(running().generation()).isEqualTo(1 + 1_000);
    }

    /**
     * Commits {@code from} to {@code to} (exclusive) in one session: a rule added, then taken out
     * again; every 100th a NAT rule added instead.
     */
    private void commits(int from, int to) throws Exception {
        StringBuilder script = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (i % 100 == 99) {
                script.append("nat add 10.0.0.").append(20 + i / 100).append(":80 -> 10.0.1.2:80\n");
            } else if (i % 2 == 0) {
                script.append("filter add drop from 10.70.").append(i % 250).append(".0/24\n");
                lastRule++;
            } else {
                script.append("filter del ").append(lastRule).append('\n');
            }
            script.append("commit\n");
        }
        Xnet.Result run = xnet.exec(List.of(Xnet.ROOT.resolve("shell/target/xnet-client").toString(), "--lab", LAB, "-f",
                "-"), Map.of(), script.toString());
        assertThat(run.status()).as(run.all()).isZero();
    }

    private record Usage(int fds, int programs, int maps, long heapKib) {
    }

    private static Usage usage(long pid) throws Exception {
        Kernel.sh("jcmd", Long.toString(pid), "GC.run");
        Thread.sleep(200); // freed programs and maps leave after an RCU grace period
        String heap = Kernel.sh("jcmd", Long.toString(pid), "GC.heap_info");
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(heap);
        assertThat(used.find()).as(heap).isTrue();
        int fds;
        try (var list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds = (int) list.count();
        }
        // the lab's programs and maps: what xnetd holds open, runs on its devices, or pinned
        var held = Kernel.bpfHeldBy(pid);
        int programs = held.getOrDefault("anon_inode:bpf-prog", 0)
                + (int) Kernel.linkPrograms(LAB).values().stream().distinct().count();
        int maps;
        try (var pinned = Files.list(Path.of("/sys/fs/bpf/xnet", LAB, "maps"))) {
            maps = held.getOrDefault("anon_inode:bpf-map", 0) + (int) pinned.count();
        }
        return new Usage(fds, programs, maps, Long.parseLong(used.group(1)));
    }

    private Xnet.Result client(String commands) throws Exception {
        return xnet.exec(List.of(Xnet.ROOT.resolve("shell/target/xnet-client").toString(), "--lab", LAB, "-c", commands),
                Map.of(), null);
    }

    private RunningState running() throws Exception {
        return new FileStateStore(xnet.home.resolve("targets").resolve(LAB)).running();
    }
}
