package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Damaged state files: an empty, cut short, garbage or stamp-less running.json, a history file
 * cut short, of the wrong types or deleted, the history folder removed. Each gives a one-line
 * error naming the file (from a new process and through xnetd), leaves the kernel alone,
 * `lab repair` goes back to the newest commit that reads whole, and `lab destroy` works.
 */
class DamagedStateIT {

    private Xnet xnet;
    private Path state;
    private Path good;

    @BeforeEach
    void setUp() throws Exception {
        xnet = new Xnet("itdmg");
        state = xnet.home.resolve("targets/itdmg");
        good = xnet.home.resolve("good-state");
    }

    @AfterEach
    void tearDown() throws Exception {
        xnet.close();
    }

    @Test
    void damagedStateFilesGiveOneLineAndARepair() throws Exception {
        Xnet.Result built = xnet.c("bridge add br1 10.0.1.0/24; container add a --bridge br1; "
                + "filter add drop from 10.9.0.0/16; commit; filter add drop from 10.8.0.0/16; commit");
        assertThat(built.status()).as(built.all()).isZero();
        xnet.stopDaemon(); // the checks below start new processes, which must own the target
        copy(state, good);
        Map<String, String> kernel = kernelView();

        Map<String, Damage> damages = new LinkedHashMap<>();
        damages.put("empty running.json", s -> Files.writeString(s.resolve("running.json"), ""));
        damages.put("running.json cut short", s -> cut(s.resolve("running.json"), 30));
        damages.put("garbage running.json", s -> Files.writeString(s.resolve("running.json"), "\u0000\u00ffgarbage{"));
        damages.put("running.json without its stamp", s -> Files.writeString(s.resolve("running.json"),
                Files.readString(s.resolve("running.json")).replaceAll("\"stamp\" : \"[^\"]*\",", "")));
        damages.put("history file cut short", s -> cut(s.resolve("history/000002.json"), 60));
        damages.put("history file of the wrong types", s -> Files.writeString(s.resolve("history/000002.json"),
                Files.readString(s.resolve("history/000002.json")).replace("\"number\":2", "\"number\":[\"two\"]")));
        damages.put("history file deleted", s -> Files.delete(s.resolve("history/000002.json")));
        damages.put("history folder removed", s -> {
            try (var files = Files.walk(s.resolve("history"))) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        });
        Map<String, Integer> repairedTo = Map.of("history file cut short", 1, "history file of the wrong types", 1,
                "history file deleted", 1, "history folder removed", 0);

        for (Map.Entry<String, Damage> damage : damages.entrySet()) {
            String what = damage.getKey();
            restore();
            damage.getValue().apply(state);
            for (String command : List.of("show running", "filter list", "lab status", "filter add drop from 10.7.0.0/16; commit")) {
                Xnet.Result refused = xnet.run(Map.of(), null, "--lab", "itdmg", "--no-daemon", "-c", command);
                assertThat(refused.status()).as(what + ": " + command + "\n" + refused.all()).isEqualTo(1);
                assertThat(refused.err().lines().toList()).as(what + ": " + command).hasSize(1);
                assertThat(refused.err()).as(what).contains("is damaged", state.toString(), "lab repair")
                        .doesNotContain("Exception", "\tat ");
            }
            // xnetd says the same (it reads running.json for every command)
            Xnet.Result viaDaemon = xnet.c("show running");
            assertThat(viaDaemon.status()).as(what + " through xnetd: " + viaDaemon.all()).isEqualTo(1);
            assertThat(viaDaemon.err()).contains("is damaged");
            assertThat(kernelView()).as(what + ": the kernel is left alone").isEqualTo(kernel);

            Xnet.Result repair = xnet.c("lab repair");
            assertThat(repair.status()).as(what + ": " + repair.all()).isZero();
            int running = repairedTo.getOrDefault(what, 2);
            assertThat(repair.out()).as(what).contains("running commit is " + (running == 0 ? "none" : running));
            Xnet.Result show = xnet.c("show running");
            assertThat(show.status()).as(what + ": " + show.all()).isZero();
            assertThat(show.out()).contains("(commit " + running + ")");
            if (running == 2) {
                assertThat(show.out()).contains("drop from 10.8.0.0/16");
            }
            xnet.stopDaemon();
        }

        // removed under a running daemon: found at its next command, as at a start
        for (String what : List.of("history", "history/000002.json")) {
            restore();
            assertThat(xnet.c("show running").status()).as("xnetd up, reading the state whole").isZero();
            try (var files = Files.walk(state.resolve(what))) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            for (String command : List.of("history", "show running", "filter add drop from 10.7.0.0/16; commit")) {
                Xnet.Result refused = xnet.c(command);
                assertThat(refused.status()).as(what + " removed under xnetd: " + command + "\n" + refused.all())
                        .isEqualTo(1);
                assertThat(refused.err()).as(what + ": " + command).contains("is damaged", "lab repair");
            }
            xnet.stopDaemon();
        }

        restore();
        Files.writeString(state.resolve("running.json"), "{\"generation\":");
        Xnet.Result destroy = xnet.c("lab destroy");
        assertThat(destroy.status()).as(destroy.all()).isZero();
        assertThat(Kernel.namespaces("xnet.itdmg.")).isEmpty();
        assertThat(state).doesNotExist();
    }

    private interface Damage {
        void apply(Path state) throws Exception;
    }

    /** The lab's namespaces, links, addresses and routes, and which programs its links run. */
    private static Map<String, String> kernelView() throws Exception {
        return Map.of("snapshot", Kernel.snapshot("itdmg").toString(), "programs", Kernel.linkPrograms("itdmg").toString());
    }

    private void restore() throws Exception {
        delete(state);
        copy(good, state);
    }

    private static void cut(Path file, int bytes) throws Exception {
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, Math.min(bytes, all.length - 1)));
    }

    private static void copy(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void delete(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
