package xnet.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the first earlier rule that matches every packet a rule would (see {@link RuleShadows})
 * without scanning the list: rules are filed by their two prefixes, and a query looks up only the
 * prefixes around the rule's own, for each pair of prefix lengths the list holds (a few in
 * practice), then its protocol and port. Positions are those in the list; the index grows by
 * appending and answers for any position it has reached.
 */
final class CoverIndex {

    /** Two prefixes, a missing one as 0.0.0.0/0 (which is what it matches). */
    private record Key(int from, int fromLength, int to, int toLength) {
    }

    /** The rules filed under one pair of prefixes: first position per protocol and port. */
    private static final class Bucket {
        private final Map<Long, Integer> firstByMatch = new HashMap<>();
        /** Port ranges of more than one port: few in practice, checked one by one. */
        private final List<int[]> ranges = new ArrayList<>(); // {proto ordinal, from, to, position, state bits}
    }

    private static final long NO_PORT = 0xFFFF_FFFFL;

    private final Map<Key, Bucket> buckets = new HashMap<>();
    /** The pairs of prefix lengths present, as fromLength * 33 + toLength, in the order first seen. */
    private final List<Integer> shapes = new ArrayList<>();
    private final boolean[] shapeSeen = new boolean[33 * 33];
    private int indexed;

    int indexed() {
        return indexed;
    }

    /** Files the rule at the next position. */
    void add(FilterRule rule) {
        int position = indexed++;
        int fromLength = length(rule.from());
        int toLength = length(rule.to());
        int shape = fromLength * 33 + toLength;
        if (!shapeSeen[shape]) {
            shapeSeen[shape] = true;
            shapes.add(shape);
        }
        Bucket bucket = buckets.computeIfAbsent(new Key(bits(rule.from()), fromLength, bits(rule.to()), toLength),
                k -> new Bucket());
        int states = ConnStates.bitsOf(rule.states());
        bucket.firstByMatch.putIfAbsent(match(rule.proto(), rule.port(), states), position);
        PortRange port = rule.port();
        if (port != null && port.from() < port.to()
                && bucket.firstByMatch.get(match(rule.proto(), port, states)) == position) {
            bucket.ranges.add(new int[] {rule.proto().ordinal(), port.from(), port.to(), position, states});
        }
    }

    /** The position of the first rule before {@code before} that covers the rule, or -1. */
    int firstCovering(FilterRule rule, int before) {
        int best = Integer.MAX_VALUE;
        int fromLength = length(rule.from());
        int toLength = length(rule.to());
        for (int shape : shapes) {
            int f = shape / 33;
            int t = shape % 33;
            if (f > fromLength || t > toLength) {
                continue; // a longer prefix cannot hold this rule's
            }
            Bucket bucket = buckets.get(new Key(bits(rule.from()) & Cidr.mask(f), f, bits(rule.to()) & Cidr.mask(t), t));
            if (bucket != null) {
                best = Math.min(best, first(bucket, rule));
            }
        }
        return best < before ? best : -1;
    }

    /** The first position in the bucket whose protocol, port and states take in the rule's. */
    private static int first(Bucket bucket, FilterRule rule) {
        int best = Integer.MAX_VALUE;
        int states = ConnStates.bitsOf(rule.states());
        // every set of states that holds the rule's (at most 8 of them)
        for (int wider = states; wider <= ConnStates.ALL; wider = (wider + 1) | states) {
            best = min(best, bucket.firstByMatch.get(match(Proto.ANY, null, wider)));
            best = min(best, bucket.firstByMatch.get(match(rule.proto(), null, wider)));
            if (rule.port() != null) {
                best = min(best, bucket.firstByMatch.get(match(rule.proto(), rule.port(), wider)));
            }
        }
        if (rule.port() != null) {
            for (int[] range : bucket.ranges) {
                boolean proto = range[0] == Proto.ANY.ordinal() || range[0] == rule.proto().ordinal();
                if (proto && range[1] <= rule.port().from() && rule.port().to() <= range[2]
                        && (range[4] & states) == states) {
                    best = Math.min(best, range[3]);
                }
            }
        }
        return best;
    }

    private static int min(int best, Integer position) {
        return position == null ? best : Math.min(best, position);
    }

    private static long match(Proto proto, PortRange port, int states) {
        long ports = port == null ? NO_PORT : ((long) port.from() << 16) | port.to();
        return ((long) states << 40) | ((long) proto.ordinal() << 32) | ports;
    }

    private static int length(Cidr cidr) {
        return cidr == null ? 0 : cidr.prefix();
    }

    private static int bits(Cidr cidr) {
        return cidr == null ? 0 : cidr.network().bits();
    }
}
