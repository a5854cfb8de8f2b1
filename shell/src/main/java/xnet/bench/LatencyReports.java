package xnet.bench;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the latency tools print, read into numbers. Pure. */
final class LatencyReports {

    private static final Pattern SOCKPERF = Pattern.compile("Summary: Latency is ([0-9.]+) usec");
    private static final Pattern SOCKPERF_MEDIAN = Pattern.compile("percentile 50\\.000 =\\s*([0-9.]+)");

    private LatencyReports() {
    }

    /**
     * NetPIPE's output file: one line per message size, "bytes Mbps seconds", the time being one
     * way (half the round trip). Returns bytes to microseconds.
     */
    static SortedMap<Integer, Double> parse(String npOut) {
        SortedMap<Integer, Double> usec = new TreeMap<>();
        for (String line : npOut.strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                throw new IllegalArgumentException("NetPIPE line without bytes, Mbps and time: '" + line + "'");
            }
            usec.put(Integer.parseInt(f[0]), Double.parseDouble(f[2]) * 1e6);
        }
        if (usec.isEmpty()) {
            throw new IllegalArgumentException("NetPIPE wrote no measurement");
        }
        return usec;
    }

    /** sockperf ping-pong's average one-way latency ("Summary: Latency is X usec"). */
    static double sockperfLatency(String output) {
        return sockperf(SOCKPERF, output);
    }

    /** sockperf's median one-way latency (its "percentile 50.000" line), usec. */
    static double sockperfMedian(String output) {
        return sockperf(SOCKPERF_MEDIAN, output);
    }

    private static double sockperf(Pattern pattern, String output) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            String trimmed = output.strip();
            throw new IllegalStateException("sockperf printed no latency: "
                    + trimmed.substring(Math.max(0, trimmed.length() - 200)));
        }
        return Double.parseDouble(m.group(1));
    }
}
