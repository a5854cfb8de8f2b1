package xnet.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import xnet.session.KernelException;

/** Runs a short system command (ip, sysctl) and turns a failure into an error naming the command. */
public final class ProcessRunner {

    private static final long TIMEOUT_SECONDS = 60;

    public record Result(int status, String out, String err) {
    }

    private ProcessRunner() {
    }

    public static Result capture(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            // Read both pipes fully; `ip` output is small, so reading err after out cannot dead-lock in practice,
            // but a reader thread keeps it safe for larger outputs.
            StreamDrain err = new StreamDrain(process.getErrorStream());
            err.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new KernelException(String.join(" ", command) + ": timed out after " + TIMEOUT_SECONDS + " s");
            }
            err.join();
            return new Result(process.exitValue(), out, err.text());
        } catch (IOException e) {
            throw new KernelException(command.get(0) + ": cannot run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException(String.join(" ", command) + ": interrupted", e);
        }
    }

    /** Runs the command and returns its output; a non-zero status becomes a {@link KernelException}. */
    public static String run(List<String> command) {
        Result result = capture(command);
        if (result.status() != 0) {
            String why = result.err().isBlank() ? result.out().trim() : result.err().trim();
            throw new KernelException(String.join(" ", command) + ": " + (why.isEmpty() ? "exit status " + result.status() : why));
        }
        return result.out();
    }

    private static final class StreamDrain extends Thread {
        private final java.io.InputStream in;
        private volatile String text = "";

        StreamDrain(java.io.InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException ignored) {
                // the process went away; whatever was read is all there is
            }
        }

        String text() {
            return text;
        }
    }
}
