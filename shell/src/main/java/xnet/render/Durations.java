package xnet.render;

import java.time.Duration;

/** A time span as a person reads it: "45s", "10m", "1h 5m 30s". */
public final class Durations {

    private Durations() {
    }

    public static String text(Duration span) {
        long seconds = Math.max(0, span.toSeconds());
        StringBuilder out = new StringBuilder();
        if (seconds >= 3600) {
            out.append(seconds / 3600).append("h");
        }
        if (seconds % 3600 >= 60) {
            out.append(out.length() > 0 ? " " : "").append(seconds % 3600 / 60).append("m");
        }
        if (seconds % 60 != 0 || seconds == 0) {
            out.append(out.length() > 0 ? " " : "").append(seconds % 60).append("s");
        }
        return out.toString();
    }
}
