package xnet.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A destination port or an inclusive range of them, written N or N-M. */
public record PortRange(int from, int to) {

    public PortRange {
        if (from < 0 || to > 65535 || from > to) {
            throw new IllegalArgumentException((from == to ? "port " + from : "port range " + from + "-" + to)
                    + " must lie within 1-65535" + (from == to ? "" : ", low to high"));
        }
    }

    @JsonCreator
    public static PortRange parse(String text) {
        String[] parts = text.split("-", -1);
        if (parts.length > 2 || java.util.Arrays.stream(parts).anyMatch(p -> !Digits.ascii(p, 5))) {
            throw new IllegalArgumentException("'" + text + "' is not a port or port range (expected N or N-M)");
        }
        int from = Integer.parseInt(parts[0]);
        int to = parts.length == 2 ? Integer.parseInt(parts[1]) : from;
        if (from == 0) {
            // no packet goes to port 0: a rule on it would match nothing, or stray probes
            throw new IllegalArgumentException("port 0 is no destination port: give ports from 1 to 65535");
        }
        return new PortRange(from, to);
    }

    public boolean contains(int port) {
        return port >= from && port <= to;
    }

    @JsonValue
    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
