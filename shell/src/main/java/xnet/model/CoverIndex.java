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

    /**
     * A family and two prefixes of it, a missing one as the family's /0 (which is what it
     * matches); addresses as 128 bits (an IPv4 one in the low half). Family 0 is a rule for both,
     * which has no addresses; 1 is IPv4, 2 IPv6 (see {@link #family}).
     */
    private record Key(int family, long fromHi, long fromLo, int fromLength, long toHi, long toLo, int toLength) {
    }

    /** Prefix lengths run to 128: a shape is family * 129 * 129 + fromLength * 129 + toLength. */
    private static final int LENGTHS = 129;

    /** The rules filed under one pair of prefixes: first position per protocol and port. */
    private static final class Bucket {
        private final Map<Long, Integer> firstByMatch = new HashMap<>();
        /** Port ranges of more than one port: few in practice, checked one by one. */
        private final List<int[]> ranges = new ArrayList<>(); // {proto ordinal, from, to, position, state bits}
    }

    private static final long NO_PORT = 0xFFFF_FFFFL;

    private final Map<Key, Bucket> buckets = new HashMap<>();
    /** The families and pairs of prefix lengths present (see {@link #LENGTHS}), in the order first seen. */
    private final List<Integer> shapes = new ArrayList<>();
    private final boolean[] shapeSeen = new boolean[3 * LENGTHS * LENGTHS];
    private int indexed;

    int indexed() {
        return indexed;
    }

    /** Files the rule at the next position. */
    void add(FilterRule rule) {
        int position = indexed++;
        Key own = key(rule);
        int shape = (own.family() * LENGTHS + own.fromLength()) * LENGTHS + own.toLength();
        if (!shapeSeen[shape]) {
            shapeSeen[shape] = true;
            shapes.add(shape);
        }
        Bucket bucket = buckets.computeIfAbsent(own, k -> new Bucket());
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
        Key own = key(rule);
        for (int shape : shapes) {
            int family = shape / (LENGTHS * LENGTHS);
            int f = shape / LENGTHS % LENGTHS;
            int t = shape % LENGTHS;
            // a rule for both families is covered only by one for both (which has no addresses);
            // one of a family by those and by its family's, with shorter prefixes holding its own
            if (family != 0 && (family != own.family() || f > own.fromLength() || t > own.toLength())) {
                continue;
            }
            Bucket bucket = buckets.get(family == 0 ? new Key(0, 0, 0, 0, 0, 0, 0) : masked(own, f, t));
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

    private static int family(FilterRule rule) {
        Family family = rule.family();
        return family == null ? 0 : family == Family.IPV4 ? 1 : 2;
    }

    private static Key key(FilterRule rule) {
        int family = family(rule);
        if (family == 2) {
            Cidr6 from = rule.from6();
            Cidr6 to = rule.to6();
            return new Key(2, from == null ? 0 : from.network().hi(), from == null ? 0 : from.network().lo(),
                    from == null ? 0 : from.prefix(), to == null ? 0 : to.network().hi(), to == null ? 0 : to.network().lo(),
                    to == null ? 0 : to.prefix());
        }
        Cidr from = rule.from();
        Cidr to = rule.to();
        return new Key(family, 0, from == null ? 0 : from.network().unsigned(), from == null ? 0 : from.prefix(),
                0, to == null ? 0 : to.network().unsigned(), to == null ? 0 : to.prefix());
    }

    /** The key's prefixes cut to lengths f and t. */
    private static Key masked(Key key, int f, int t) {
        if (key.family() == 2) {
            Ipv6 from = Cidr6.masked(new Ipv6(key.fromHi(), key.fromLo()), f);
            Ipv6 to = Cidr6.masked(new Ipv6(key.toHi(), key.toLo()), t);
            return new Key(2, from.hi(), from.lo(), f, to.hi(), to.lo(), t);
        }
        return new Key(key.family(), 0, key.fromLo() & Integer.toUnsignedLong(Cidr.mask(f)), f, 0,
                key.toLo() & Integer.toUnsignedLong(Cidr.mask(t)), t);
    }
}
