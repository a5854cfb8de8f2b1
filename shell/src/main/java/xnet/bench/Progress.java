package xnet.bench;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A progress bar for long benchmark runs: what runs now, how far the run is, and how long is left
 * by the pace so far ("[#####.......] 12/40 throughput xnet-tc-map 1000 rules, about 2m10s left").
 */
final class Progress {

    private final PrintStream out;
    private final int total;
    private final long start = System.nanoTime();
    private int done;

    Progress(PrintStream out, int total) {
        this.out = out;
        this.total = Math.max(total, 1);
    }

    void step(String what) {
        int width = 24;
        int filled = done * width / total;
        String left = done == 0 ? "" : ", about " + format(Duration.ofNanos((System.nanoTime() - start) / done
                * (total - done))) + " left";
        out.println("[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + " " + what + left);
        done++;
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? s / 60 + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }
}
