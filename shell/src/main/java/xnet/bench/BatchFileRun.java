package xnet.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import xnet.model.FilterRule;

/**
 * Rules entered the way a user does: a batch file of `filter add` lines and a `commit`, run with
 * `xnet -f` (the launcher and its C client) against a warm xnetd, next to `nft -f` loading the
 * same pairs as a set, alternating in every round. The daemon is this bench's own (its own
 * XNET_HOME and XNET_RUN), started before the first round and stopped by its pid at the end.
 */
final class BatchFileRun {

    private static final long DAEMON_START_MS = 120_000;
    private static final int LINES_PER_FILE = 200_000;

    private final Path root;
    private final Path home;
    private final String lab;

    BatchFileRun(Path root, Path home, String lab) {
        this.root = root;
        this.home = home;
        this.lab = lab;
    }

    /** Milliseconds per round: "xnet" for the whole `xnet -f` run, "nft" for `nft -f`. */
    Map<String, List<Double>> run(List<FilterRule> rules, int rounds, Callable<Double> nft) throws Exception {
        Path file = batchFiles(rules);
        Path run = home.resolve("run");
        Files.createDirectories(run);
        Process daemon = startDaemon(run);
        try {
            awaitSocket(run.resolve(lab + ".sock"), daemon);
            // warm: the daemon measured is one that has run this batch before, as nft is compiled
            flush(run);
            xnet(run, file);
            Map<String, List<Double>> ms = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                flush(run);
                ms.computeIfAbsent("xnet", k -> new ArrayList<>()).add(xnet(run, file));
                ms.computeIfAbsent("nft", k -> new ArrayList<>()).add(nft.call());
            }
            flush(run);
            return ms;
        } finally {
            daemon.destroy(); // SIGTERM to the pid this run started: xnetd leaves the programs in place
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * The batch: one file of `filter add` lines and `commit`, or, past {@link #LINES_PER_FILE}
     * lines, a file that runs parts of that size with `source` and then commits, as a user must
     * (one script may hold 16 MiB, about 300,000 such lines). Returns the file to run.
     */
    private Path batchFiles(List<FilterRule> rules) throws java.io.IOException {
        StringBuilder main = new StringBuilder();
        for (int from = 0, part = 1; from < rules.size(); from += LINES_PER_FILE, part++) {
            StringBuilder text = new StringBuilder();
            for (FilterRule rule : rules.subList(from, Math.min(rules.size(), from + LINES_PER_FILE))) {
                text.append("filter add ").append(rule.text()).append('\n');
            }
            if (rules.size() <= LINES_PER_FILE) {
                main = text;
                break;
            }
            Path piece = home.resolve("rules-" + part + ".xnet");
            Files.writeString(piece, text);
            main.append("source ").append(piece).append('\n');
        }
        Path file = home.resolve("rules.xnet");
        Files.writeString(file, main.append("commit\n"));
        return file;
    }

    private Process startDaemon(Path run) throws Exception {
        List<String> command = new ArrayList<>(xnet.client.DaemonStarter.javaCommand());
        command.addAll(List.of("daemon", "run", "--lab", lab));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("xnetd.log").toFile()))
                .redirectErrorStream(true);
        environment(builder, run);
        return builder.start();
    }

    private static void awaitSocket(Path socket, Process daemon) throws Exception {
        long deadline = System.currentTimeMillis() + DAEMON_START_MS;
        while (!Files.exists(socket)) {
            if (!daemon.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the bench's xnetd did not start (exit "
                        + (daemon.isAlive() ? "none" : daemon.exitValue()) + ")");
            }
            Thread.sleep(50);
        }
    }

    private void flush(Path run) throws Exception {
        launch(run, List.of("-c", "filter flush; commit"));
    }

    private double xnet(Path run, Path file) throws Exception {
        long start = System.nanoTime();
        launch(run, List.of("-f", file.toString()));
        return (System.nanoTime() - start) / 1e6;
    }

    private void launch(Path run, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("xnet").toString(), "--lab", lab));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(home.resolve("batch.err").toFile()));
        environment(builder, run);
        int status = builder.start().waitFor();
        if (status != 0) {
            throw new IllegalStateException("xnet " + String.join(" ", arguments) + " exited with " + status
                    + ": " + Files.readString(home.resolve("batch.err")));
        }
    }

    private void environment(ProcessBuilder builder, Path run) {
        builder.environment().put("XNET_HOME", home.toString());
        builder.environment().put("XNET_RUN", run.toString());
    }
}
