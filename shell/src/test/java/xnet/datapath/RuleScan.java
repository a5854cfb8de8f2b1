package xnet.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import xnet.compile.RuleTables;
import xnet.model.ConnStates;
import xnet.model.Cidr6;
import xnet.model.FilterRule;
import xnet.model.Ipv6;

/** Checks rule tables against a plain first-match scan of the rules, on packets aimed at the rules. */
public final class RuleScan {

    private RuleScan() {
    }

    /** The tables' slots must be the rules' ids. */
    public static void assertAgrees(List<FilterRule> rules, RuleTables tables, long seed, int packets, String what) {
        RuleTables.Index index = new RuleTables.Index(tables);
        Random random = new Random(seed);
        for (int i = 0; i < packets; i++) {
            FilterRule aim = rules.isEmpty() ? null : rules.get(random.nextInt(rules.size()));
            int src = aim != null && aim.from() != null && random.nextBoolean()
                    ? aim.from().network().bits() + random.nextInt(4) : (10 << 24) | random.nextInt(1 << 18);
            int dst = aim != null && aim.to() != null && random.nextBoolean()
                    ? aim.to().network().bits() + random.nextInt(4) : (10 << 24) | random.nextInt(1 << 18);
            int proto = new int[] {1, 6, 17, 47}[random.nextInt(4)];
            int port = aim != null && aim.port() != null && random.nextBoolean()
                    ? aim.port().from() + random.nextInt(3) - 1 : random.nextInt(65536);
            port = Math.max(0, Math.min(65535, port));
            boolean hasPorts = (proto == 6 || proto == 17) && random.nextInt(10) != 0;
            if (!hasPorts) {
                port = 0;
            }
            int state = new int[] {ConnStates.NEW, ConnStates.ESTABLISHED, ConnStates.RELATED}[random.nextInt(3)];
            // one packet in three is IPv6's, aimed at IPv6 prefixes in the same way
            boolean v6 = random.nextInt(3) == 0;
            Ipv6 src6 = v6 ? near(aim == null ? null : aim.from6(), random) : null;
            Ipv6 dst6 = v6 ? near(aim == null ? null : aim.to6(), random) : null;
            if (v6 && proto == 1) {
                proto = 58;
            }
            FilterRule expected = null;
            for (FilterRule r : rules) {
                if (v6 ? ReferenceDatapath.matches6(r, src6, dst6, proto, port, hasPorts, state)
                        : ReferenceDatapath.matches(r, src, dst, proto, port, hasPorts, state)) {
                    expected = r;
                    break;
                }
            }
            RuleTables.Entry found = v6 ? index.lookup6(src6, dst6, proto, port, hasPorts, state)
                    : index.lookup(src, dst, proto, port, hasPorts, state);
            assertThat(found == null ? null : found.slot()).as("%s, packet %d", what, i)
                    .isEqualTo(expected == null ? null : expected.id());
        }
    }

    private static Ipv6 near(Cidr6 prefix, Random random) {
        if (prefix != null && random.nextBoolean()) {
            return prefix.network().plus(random.nextInt(4));
        }
        return new Ipv6(0xfd00L << 48 | (1 + random.nextInt(3)), random.nextInt(1 << 10));
    }
}
