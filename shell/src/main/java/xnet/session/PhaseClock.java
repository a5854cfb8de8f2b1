package xnet.session;

import java.util.ArrayList;
import java.util.List;

/**
 * Times the phases of one commit. With XNET_TRACE set in the environment, the commit prints them
 * to stderr ("commit phases: plan 1.2 ms, prepare 3.4 ms, ..."): where a slow commit spends its
 * time, without a profiler.
 */
public final class PhaseClock {

    private final boolean enabled = System.getenv("XNET_TRACE") != null;
    private final List<String> phases = new ArrayList<>();
    private long last = System.nanoTime();

    public void mark(String phase) {
        if (enabled) {
            long now = System.nanoTime();
            phases.add(String.format("%s %.1f ms", phase, (now - last) / 1e6));
            last = now;
        }
    }

    public void print(String what) {
        if (enabled && !phases.isEmpty()) {
            System.err.println(what + ": " + String.join(", ", phases));
        }
    }
}
