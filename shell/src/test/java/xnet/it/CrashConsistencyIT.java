package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import xnet.session.RunningState;
import xnet.state.FileStateStore;

/**
 * SIGKILL in the middle of 20 commits (topology, rules, NAT, datapath switches). A first pass
 * commits them undisturbed and keeps what the kernel held after each. The second pass kills
 * each commit's process: half at a chosen point (XNET_STALL_AT: before a kernel step, a program
 * swap or the in-place flip, or the record), half after a random delay. After each kill the next
 * start settles the commit, and then the running config is the old or the new commit, and the
 * kernel is exactly that commit's: namespaces, links, addresses and routes as the first pass
 * left them, the same links pinned, `lab status` without a difference, and the attached
 * programs decide 2,000 generated packets as the Java reference does for that commit. A commit
 * then works (the killed one again, when it was taken back).
 */
class CrashConsistencyIT extends LabTest {

    private static final String LAB = "itcrash";
    private static final String BASE = "bridge add br1 10.0.1.0/24; container add c1 --bridge br1; "
            + "container add c2 --bridge br1; filter add drop from 10.8.0.0/16";

    private record Step(String commands, boolean topology) {
    }

    private static final List<Step> STEPS = List.of(
            new Step("container add c3 --bridge br1", true),
            new Step("filter add drop from 10.9.0.0/16", false),
            new Step("nat add 10.0.0.1:80 -> 10.0.1.2:8080", false),
            new Step("filter add drop proto tcp port 22", false),
            new Step("bridge add br2 10.0.2.0/24; container add c4 --bridge br2", true),
            new Step("datapath xdp", false),
            new Step("filter add allow from 10.0.2.0/24 to 10.0.1.0/24", false),
            new Step("filter del 1", false),
            new Step("datapath strategy map", false),
            new Step("nat add 10.0.0.5 -> 10.0.2.2", false),
            new Step("container del c3", true),
            new Step("filter default drop", false),
            new Step("datapath tc", false),
            new Step("filter add drop from 10.1.0.0/16 proto udp port 53", false),
            new Step("nat del 1", false),
            new Step("container add c5 --bridge br2", true),
            new Step("datapath xdp mode native", false),
            new Step("filter default allow; filter add allow from 10.3.0.0/16", false),
            new Step("nat del 2; container del c4; container del c5; bridge del br2", true),
            new Step("datapath strategy inline; filter add drop from 10.4.0.0/16", false));


    @Override
    protected String lab() {
        return LAB;
    }


    @Test
    void aKilledCommitLeavesTheOldOrTheNewConfigNeverAMix() throws Exception {
        // first pass: what the kernel holds after each commit, undisturbed
        Map<Integer, String> kernelAt = new HashMap<>();
        Map<Integer, Long> millis = new HashMap<>();
        assertThat(commit(BASE).status()).isZero();
        int base = running().generation();
        kernelAt.put(base, kernelView());
        for (int k = 0; k < STEPS.size(); k++) {
            long start = System.nanoTime();
            Xnet.Result done = commit(STEPS.get(k).commands());
            assertThat(done.status()).as(STEPS.get(k) + "\n" + done.all()).isZero();
            millis.put(k, (System.nanoTime() - start) / 1_000_000);
            kernelAt.put(base + k + 1, kernelView());
        }
        assertThat(xnet.c("lab destroy").status()).isZero();
        xnet.stopDaemon();

        // second pass: each commit killed once
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("crash test seed " + seed);
        assertThat(commit(BASE).status()).isZero();
        int settledForward = 0;
        int settledBack = 0;
        int finished = 0;
        for (int k = 0; k < STEPS.size(); k++) {
            Step step = STEPS.get(k);
            int before = base + k;
            String point = null;
            long delay = 0;
            if (k % 2 == 0) {
                List<String> points = step.topology() ? List.of("step:1", "step:2", "step:4", "swap:1", "record")
                        : List.of("swap:1", "swap:2", "record");
                point = points.get(random.nextInt(points.size()));
            } else {
                // the first ~40% is the JVM starting and reading the state: kill later than that
                delay = (long) ((0.4 + 0.7 * random.nextDouble()) * millis.get(k));
            }
            String how = point != null ? "at " + point : "after " + delay + " ms";
            boolean killed = killedCommit(step.commands(), point, delay);

            Xnet.Result status = xnet.run(Map.of(), null, "--lab", LAB, "--no-daemon", "-c", "lab status --json");
            assertThat(status.status()).as(step + " killed " + how + ": " + status.all()).isZero();
            JsonNode view = new ObjectMapper().readTree(status.out());
            int now = running().generation();
            String context = "commit " + (before + 1) + " (" + step.commands() + ") killed " + how + ", settled: "
                    + status.err().strip();
            assertThat(now).as(context).isIn(before, before + 1);
            assertThat(view.path("programProblems").size()).as(context + ": " + view.path("programProblems")).isZero();
            assertThat(view.path("drift").size()).as(context + ": " + view.path("drift")).isZero();
            assertThat(view.path("status").path("missing").size()).as(context).isZero();
            assertThat(view.path("status").path("unknown").size()).as(context).isZero();
            assertThat(kernelView()).as(context + ": the kernel is commit " + now + "'s").isEqualTo(kernelAt.get(now));
            ProgramCheck.attachedDecideAs(LAB, running(), context);
            if (!killed) {
                finished++;
            } else if (now == before) {
                settledBack++;
                Xnet.Result again = commit(step.commands());
                assertThat(again.status()).as(context + ": committing again\n" + again.all()).isZero();
                assertThat(kernelView()).as(context + ": committed again").isEqualTo(kernelAt.get(before + 1));
            } else {
                settledForward++;
            }
            System.out.println(context);
        }
        System.out.printf("crash test: %d commits killed and taken back, %d finished on the next start, %d ended before "
                + "the kill%n", settledBack, settledForward, finished);
        assertThat(settledBack + settledForward).as("commits that were really cut short").isGreaterThanOrEqualTo(10);
        assertThat(commit("filter add drop from 10.5.0.0/16").status()).as("a commit works at the end").isZero();
    }

    /**
     * A topology change killed at its last kernel step is taken back at the next start: what it
     * deleted is made anew, with new ifindexes, and must run its programs again (a pinned link
     * stays bound to the ifindex it was made for). `lab status` checks each pinned link against
     * the live device of its name, and the running drop rule must still stop the container.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tc", "xdp"})
    void aDeleteOrAttachTakenBackLeavesEveryDeviceRunningItsProgram(String hook) throws Exception {
        String foreign = "xnet-itcrash-foreign"; // made by the test, as a container engine would
        Kernel.status("ip", "netns", "del", foreign);
        Kernel.sh("ip", "netns", "add", foreign);
        try {
            assertThat(commit("bridge add br1 10.0.1.0/24; container add c1 --bridge br1; bridge add br3 10.0.3.0/24; "
                    + "container add extra --bridge br3; datapath " + hook
                    + "; filter add drop from 10.0.3.2 to 10.0.1.0/24 proto icmp").status()).isZero();
            assertThat(extraIsFiltered()).as("before any kill").isTrue();
            takenBack("container del extra; bridge del br3", hook);
            assertThat(extraIsFiltered()).as(hook + ": extra after its delete was taken back").isTrue();

            takenBack("container attach ext --bridge br1 --netns /run/netns/" + foreign, hook);
            assertThat(commit("container attach ext --bridge br1 --netns /run/netns/" + foreign).status()).isZero();
            takenBack("container del ext", hook);
            assertThat(Kernel.status("ip", "netns", "exec", foreign, "ping", "-c", "1", "-W", "1", "10.0.1.2"))
                    .as(hook + ": the attached container reaches c1 after its delete was taken back").isZero();
        } finally {
            Kernel.status("ip", "netns", "del", foreign);
        }
    }

    /** extra reaches its gateway, and the drop rule stops its ping to c1. */
    private static boolean extraIsFiltered() throws Exception {
        String ns = "xnet." + LAB + ".c.extra";
        return Kernel.status("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", "10.0.3.1") == 0
                && Kernel.status("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", "10.0.1.2") != 0;
    }

    /**
     * Kills a commit of {@code commands} before its last kernel step, lets the next start take it
     * back, and checks that the running config is still the one before, with nothing amiss.
     */
    private void takenBack(String commands, String hook) throws Exception {
        Xnet.Result check = xnet.run(Map.of(), null, "--lab", LAB, "--no-daemon", "-c", commands + "; commit check");
        java.util.regex.Matcher steps = java.util.regex.Pattern.compile("(\\d+) ip step\\(s\\)").matcher(check.out());
        assertThat(steps.find()).as(check.all()).isTrue();
        int before = running().generation();
        String context = hook + ": " + commands + " killed before step " + steps.group(1) + " of " + steps.group(1);
        assertThat(killedCommit(commands, "step:" + steps.group(1), 0)).as(context).isTrue();
        Xnet.Result status = xnet.run(Map.of(), null, "--lab", LAB, "--no-daemon", "-c", "lab status --json");
        JsonNode view = new ObjectMapper().readTree(status.out());
        assertThat(status.err()).as(context).contains("taken back");
        assertThat(view.path("programProblems").size()).as(context + ": " + view.path("programProblems")).isZero();
        assertThat(status.status()).as(context + ": " + status.all()).isZero();
        assertThat(running().generation()).as(context).isEqualTo(before);
    }

    private Xnet.Result commit(String commands) throws Exception {
        return xnet.run(Map.of(), null, "--lab", LAB, "--no-daemon", "-c", commands + "; commit");
    }

    /**
     * Runs a commit in a process of its own and kills it (SIGKILL) once it says it stalled at
     * {@code point}, or after {@code delay} ms. Returns false when it ended before the kill.
     */
    private boolean killedCommit(String commands, String point, long delay) throws Exception {
        List<String> command = List.of("java", "-jar", Xnet.JAR.toString(), "--lab", LAB, "--no-daemon", "-c",
                commands + "; commit");
        ProcessBuilder builder = new ProcessBuilder(command).directory(Xnet.ROOT.toFile());
        builder.environment().put("XNET_HOME", xnet.home.toString());
        builder.environment().put("XNET_ROOT", Xnet.ROOT.toString());
        builder.environment().put("XNET_RUN", xnet.run().toString());
        if (point != null) {
            builder.environment().put("XNET_STALL_AT", point);
        }
        Path err = Files.createTempFile(xnet.home, "crash", ".err");
        builder.redirectOutput(new File("/dev/null")).redirectError(err.toFile()).redirectInput(new File("/dev/null"));
        Process process = builder.start();
        if (point != null) {
            for (int i = 0; i < 600 && process.isAlive(); i++) {
                if (Files.readString(err, StandardCharsets.UTF_8).contains("stalled at " + point)) {
                    break;
                }
                Thread.sleep(50);
            }
        } else {
            process.waitFor(delay, TimeUnit.MILLISECONDS);
        }
        boolean killed = process.isAlive();
        process.destroyForcibly(); // SIGKILL
        process.waitFor(30, TimeUnit.SECONDS);
        return killed;
    }

    private RunningState running() throws Exception {
        return new FileStateStore(xnet.home.resolve("targets").resolve(LAB)).running();
    }

    /** Namespaces with their links, addresses and routes, and the names of the pinned links. */
    private static String kernelView() throws Exception {
        Path links = Path.of("/sys/fs/bpf/xnet", LAB, "links");
        TreeSet<String> pinned = new TreeSet<>();
        if (Files.isDirectory(links)) {
            try (var files = Files.list(links)) {
                files.forEach(f -> pinned.add(f.getFileName().toString()));
            }
        }
        return Kernel.snapshot(LAB) + "\npinned links " + pinned;
    }
}
