package xnet.client;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import xnet.daemon.RunFiles;

/**
 * Finds the target's xnetd, or starts it: the user never has to. The daemon is this same
 * program (`daemon run`), started with this JVM's options in a session of its own (setsid), so
 * it outlives the client and a Ctrl-C at the terminal does not reach it.
 */
public final class DaemonStarter {

    private static final long START_TIMEOUT_MS = 120_000;

    private DaemonStarter() {
    }

    public static DaemonClient connectOrStart(RunFiles files, List<String> targetArgs) throws IOException {
        try {
            return DaemonClient.connect(files.socket());
        } catch (IOException none) {
            // nobody listens: start one below
        }
        java.nio.file.Path log = files.openLog();
        List<String> command = new ArrayList<>(List.of("setsid"));
        command.addAll(javaCommand());
        command.addAll(List.of("daemon", "run"));
        command.addAll(targetArgs);
        Process daemon = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            try {
                return DaemonClient.connect(files.socket());
            } catch (IOException notYet) {
                // a daemon that exits at once lost the race to one another client started: wait for that one
                if (!daemon.isAlive() && !ownedByAnother(files)) {
                    throw new IOException("xnetd did not start (exit " + daemon.exitValue() + "); see " + files.log());
                }
                sleep();
            }
        }
        throw new IOException("xnetd did not answer within " + START_TIMEOUT_MS / 1000 + " s; see " + files.log());
    }

    /** The java command and options this process runs with, up to and including its jar or main class. */
    public static List<String> javaCommand() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> command = new ArrayList<>();
        command.add(info.command().orElse("java"));
        List<String> arguments = List.of(info.arguments().orElse(new String[0]));
        int jar = arguments.indexOf("-jar");
        if (jar >= 0 && jar + 1 < arguments.size()) {
            command.addAll(arguments.subList(0, jar + 2));
        } else {
            command.addAll(List.of("-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
                    "xnet.XnetApplication"));
        }
        return command;
    }

    private static boolean ownedByAnother(RunFiles files) throws IOException {
        var owner = files.own();
        if (owner.isEmpty()) {
            return true;
        }
        try {
            owner.get().close();
        } catch (Exception ignored) {
            // released either way when this process ends
        }
        return false;
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
