package xnet.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged xnet jar as a user would, on a lab and state directory of the test's own.
 * Kernel tests need root; they are skipped, loudly, without it.
 */
final class Xnet {

    record Result(int status, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static final Path ROOT = Path.of(System.getProperty("xnet.root", "..")).toAbsolutePath().normalize();
    static final Path JAR = Path.of(System.getProperty("xnet.jar", "target/xnet.jar")).toAbsolutePath();

    final String lab;
    final Path home;

    Xnet(String lab) throws Exception {
        requireRoot("kernel tests need root");
        this.lab = lab;
        this.home = Files.createTempDirectory("xnet-it-" + lab);
        destroyLeftovers();
    }

    /**
     * Skips a kernel test that cannot run (not root), loudly; fails it instead where kernel tests
     * are required: under CI=true and in `./xnet --test` (-Dxnet.requireKernel=true), so that a
     * green run there always means the kernel tests ran.
     */
    static void requireRoot(String why) {
        if (isRoot()) {
            return;
        }
        boolean required = "true".equalsIgnoreCase(System.getenv("CI"))
                || Boolean.parseBoolean(System.getProperty("xnet.requireKernel", "false"));
        if (required) {
            throw new AssertionError(why + ", and kernel tests are required here (CI=true or ./xnet --test)");
        }
        assumeTrue(false, why);
    }

    static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
        } catch (Exception e) {
            return false;
        }
    }

    Result c(String commands) throws Exception {
        return run(Map.of(), null, "--lab", lab, "-c", commands);
    }

    /** A command whose work is long by design (a bench): {@code limit} sized from that work. */
    Result c(String commands, java.time.Duration limit) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString(), "--lab", lab, "-c", commands));
        return execWithInput(command, Map.of(), null, limit);
    }

    Result f(String file) throws Exception {
        return run(Map.of(), null, "--lab", lab, "-f", file);
    }

    Result run(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return exec(command, env, stdin);
    }

    Result exec(List<String> command, Map<String, String> env, String stdin) throws Exception {
        return execWithInput(command, env, stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8));
    }

    /** Output is decoded leniently: a test may feed bytes that are not UTF-8 and see them echoed. */
    Result execWithInput(List<String> command, Map<String, String> env, byte[] stdin) throws Exception {
        return execWithInput(command, env, stdin, DEFAULT_LIMIT);
    }

    /**
     * Ends a command that hangs. Every command of the tests takes seconds, the longest about a
     * minute alone and twice that beside another test class: five minutes is a margin, not a timer.
     */
    static final java.time.Duration DEFAULT_LIMIT = java.time.Duration.ofMinutes(5);

    Result execWithInput(List<String> command, Map<String, String> env, byte[] stdin, java.time.Duration limit)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        ourEnvironment(builder);
        builder.environment().putAll(env);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) {
            builder.redirectInput(new File("/dev/null"));
        }
        Process process = builder.start();
        if (stdin != null) {
            try (var input = process.getOutputStream()) {
                input.write(stdin);
            } catch (java.io.IOException unread) {
                // the command ended without reading all of its input; its output says why
            }
        }
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        Result result = new Result(process.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
                new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    /** Starts a command that runs until stopped (`monitor`, `show counters --watch`): its output is read as it comes. */
    Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectInput(new File("/dev/null")).redirectError(Files.createTempFile(home, "err", ".txt").toFile());
        ourEnvironment(builder);
        return builder.start();
    }

    private void ourEnvironment(ProcessBuilder builder) {
        builder.environment().put("XNET_HOME", home.toString());
        builder.environment().put("XNET_ROOT", ROOT.toString());
        builder.environment().put("XNET_RUN", run().toString());
    }

    /** The test's own run directory: its xnetd's socket, pid and log. */
    Path run() {
        return home.resolve("run");
    }

    /**
     * Runs with injected failures (XNET_FAIL_*): they are the daemon's settings, so the daemon
     * is stopped and the command runs in this process (--no-daemon).
     */
    Result withFaults(Map<String, String> faults, String... args) throws Exception {
        stopDaemon();
        List<String> all = new ArrayList<>(List.of("--no-daemon"));
        all.addAll(List.of(args));
        return run(faults, null, all.toArray(String[]::new));
    }

    void stopDaemon() throws Exception {
        run(Map.of(), null, "--lab", lab, "daemon", "stop");
    }

    /** Removes the lab whatever state a failed test left it in. */
    void destroyLeftovers() throws Exception {
        for (String ns : Kernel.namespaces("xnet." + lab + ".")) {
            Kernel.sh("ip", "netns", "del", ns);
        }
    }

    void close() throws Exception {
        c("lab destroy");
        stopDaemon();
        destroyLeftovers();
        try (var paths = Files.walk(home)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
