package xnet.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import xnet.session.KernelException;

/**
 * Runs a user's command inside a namespace with `ip netns exec` and returns its exit status.
 * On a terminal the child gets the terminal; otherwise its output is copied to the given streams
 * (so tests and batch runs capture it), and its input comes from the given stream as it arrives
 * (a run's client's standard input), or is empty.
 */
public final class EndpointExec {

    private EndpointExec() {
    }

    public static int run(String namespace, List<String> argv, boolean terminal, InputStream input, OutputStream out,
                          OutputStream err) {
        ProcessBuilder builder = new ProcessBuilder(command(namespace, argv));
        if (terminal) {
            builder.inheritIO();
        } else if (input == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new KernelException("exec " + argv.get(0) + ": " + e.getMessage(), e);
        }
        try {
            // the output is copied on threads of its own: this one waits in waitFor, where Ctrl-C
            // or a client gone reaches it (a thread blocked reading a pipe would not notice)
            List<Thread> copies = terminal ? List.of()
                    : List.of(copy(process.getInputStream(), out), copy(process.getErrorStream(), err));
            if (!terminal && input != null) {
                feed(input, process.getOutputStream());
            }
            int status = process.waitFor();
            for (Thread copy : copies) {
                copy.join();
            }
            return status;
        } catch (InterruptedException ctrlC) {
            return stop(process);
        } finally {
            closeQuietly(input); // what the command did not read is not its any more
        }
    }

    /** The command's standard input, as it arrives; closed at its end, so the command sees EOF. */
    private static void feed(InputStream from, OutputStream to) {
        Thread thread = new Thread(() -> {
            try (to) {
                byte[] piece = new byte[64 << 10];
                for (int n = from.read(piece); n >= 0; n = from.read(piece)) {
                    to.write(piece, 0, n);
                    to.flush();
                }
            } catch (IOException ignored) {
                // the command ended or closed its input (a broken pipe): the rest is not wanted
            }
        }, "exec-input");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(InputStream input) {
        if (input == null) {
            return;
        }
        try {
            input.close();
        } catch (IOException ignored) {
            // nothing more to read from it either way
        }
    }

    /**
     * Ctrl-C: the command (a terminal's Ctrl-C reached it too, unless it ignores it) and what it
     * started are told to stop by their pids, and killed if they do not within two seconds; 130
     * is what a shell reports for SIGINT.
     */
    public static int stop(Process process) {
        List<ProcessHandle> started = process.descendants().toList();
        process.destroy(); // first, or a shell would go on to its next line when its child ends
        started.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException again) {
            process.destroyForcibly();
        }
        started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        return 130;
    }

    /** The command line that runs {@code argv} in {@code namespace}. */
    public static List<String> command(String namespace, List<String> argv) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(argv);
        return command;
    }

    private static Thread copy(InputStream from, OutputStream to) {
        Thread thread = new Thread(() -> {
            try {
                from.transferTo(to);
                to.flush();
            } catch (IOException ignored) {
                // the reader side is gone; nothing more to copy
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
