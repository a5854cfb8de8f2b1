package xnet.bench;

import java.util.ArrayList;
import java.util.List;

import xnet.model.Cidr;
import xnet.model.Cidr6;
import xnet.model.Ipv6;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.PortRange;
import xnet.model.Proto;

/** Rule sets for benchmarks: none of them matches the benchmark's packets (the worst case for a scan). */
public final class BenchRules {

    private BenchRules() {
    }

    /** The study's form: drop from A.B.C.D to E.F.G.H, all distinct. */
    public static List<FilterRule> studyForm(int count) {
        List<FilterRule> rules = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rules.add(new FilterRule(i + 1, FilterRule.Action.DROP, new Cidr(new Ipv4((11 << 24) + i), 32),
                    new Cidr(new Ipv4((12 << 24) + i), 32), Proto.ANY, null));
        }
        return rules;
    }

    /** The study's form over IPv6: drop from fd00:b::N to fd00:c::N, all distinct. */
    public static List<FilterRule> studyForm6(int count) {
        List<FilterRule> rules = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rules.add(new FilterRule(i + 1, FilterRule.Action.DROP, null, null, Proto.ANY, null, null, false,
                    host6(0xfd00_000bL, i), host6(0xfd00_000cL, i)));
        }
        return rules;
    }

    /** The four shapes of {@link #cidr} over IPv6: /64 sources; /48 to /64; /128 to /128 tcp port 22; udp 53 to /64. */
    public static List<FilterRule> cidr6(int count) {
        List<FilterRule> rules = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = i / 4;
            FilterRule rule = switch (i % 4) {
                case 0 -> rule6(i + 1, net6(0xfd00_0011L, n, 64), null, Proto.ANY, null);
                case 1 -> rule6(i + 1, new Cidr6(new Ipv6((0xfd00_0013L << 32) | ((long) n << 16), 0), 48),
                        net6(0xfd00_0012L, n, 64), Proto.ANY, null);
                case 2 -> rule6(i + 1, host6(0xfd00_0014L, n), host6(0xfd00_0015L, n), Proto.TCP, new PortRange(22, 22));
                default -> rule6(i + 1, null, net6(0xfd00_0016L, n, 64), Proto.UDP, new PortRange(53, 53));
            };
            rules.add(rule);
        }
        return rules;
    }

    private static FilterRule rule6(int id, Cidr6 from, Cidr6 to, Proto proto, PortRange port) {
        return new FilterRule(id, FilterRule.Action.DROP, null, null, proto, port, null, false, from, to);
    }

    /** TOP (the first 32 bits) then host N in the low bits, as a /128. */
    private static Cidr6 host6(long top, int n) {
        return new Cidr6(new Ipv6(top << 32, n), 128);
    }

    /** TOP then subnet N in bits 32-63, as a /64. */
    private static Cidr6 net6(long top, int n, int length) {
        return new Cidr6(new Ipv6((top << 32) | Integer.toUnsignedLong(n), 0), length);
    }

    /** Drop from a prefix to one address (the last rule of the packet-rate experiment). */
    public static FilterRule dropFrom(int id, String from, String to) {
        return new FilterRule(id, FilterRule.Action.DROP, Cidr.parse(from), new Cidr(Ipv4.parse(to), 32), Proto.ANY, null);
    }

    /** CIDR rules of four shapes: /24 sources; /16 to /24; /32 to /32 tcp port 22; udp 53 to /24. */
    public static List<FilterRule> cidr(int count) {
        List<FilterRule> rules = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = i / 4;
            FilterRule rule = switch (i % 4) {
                case 0 -> new FilterRule(i + 1, FilterRule.Action.DROP, new Cidr(new Ipv4((11 << 24) + (n << 8)), 24),
                        null, Proto.ANY, null);
                case 1 -> new FilterRule(i + 1, FilterRule.Action.DROP, new Cidr(new Ipv4((13 << 24) + (n << 16)), 16),
                        new Cidr(new Ipv4((12 << 24) + (n << 8)), 24), Proto.ANY, null);
                case 2 -> new FilterRule(i + 1, FilterRule.Action.DROP, new Cidr(new Ipv4((14 << 24) + n), 32),
                        new Cidr(new Ipv4((15 << 24) + n), 32), Proto.TCP, new PortRange(22, 22));
                default -> new FilterRule(i + 1, FilterRule.Action.DROP, null, new Cidr(new Ipv4((16 << 24) + (n << 8)), 24),
                        Proto.UDP, new PortRange(53, 53));
            };
            rules.add(rule);
        }
        return rules;
    }

    /** Prefix lengths of the shape experiment: a shape is a pair of them, 8 x 8 = 64 shapes. */
    private static final int[] LENGTHS = {16, 18, 20, 22, 24, 26, 28, 32};

    /**
     * {@code count} drop rules spread evenly over {@code shapes} (1-64) pairs of source and
     * destination prefix lengths, each prefix random in 10.0.0.0/8 (seeded).
     */
    public static List<FilterRule> shapes(int count, int shapes, long seed) {
        java.util.Random r = new java.util.Random(seed);
        List<FilterRule> rules = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int shape = i % shapes;
            int from = LENGTHS[shape % 8];
            int to = LENGTHS[(shape / 8) % 8];
            rules.add(new FilterRule(i + 1, FilterRule.Action.DROP, randomPrefix(r, from), randomPrefix(r, to), Proto.ANY,
                    null));
        }
        return rules;
    }

    private static Cidr randomPrefix(java.util.Random r, int length) {
        return new Cidr(new Ipv4(((10 << 24) | r.nextInt(1 << 24)) & Cidr.mask(length)), length);
    }

    /** {@code count} TCP SYNs like {@link #packet()}, each from and to a random address in 10.0.0.0/8 (seeded). */
    public static List<byte[]> randomPackets(int count, long seed) {
        java.util.Random r = new java.util.Random(seed);
        List<byte[]> packets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] p = packet();
            java.nio.ByteBuffer.wrap(p).putInt(26, (10 << 24) | r.nextInt(1 << 24)).putInt(30, (10 << 24) | r.nextInt(1 << 24));
            packets.add(p);
        }
        return packets;
    }

    /** An 84-byte IPv6 TCP SYN from fd00:200::1 to fd00:201::1 port 80, which no benchmark rule matches. */
    public static byte[] packet6() {
        byte[] p = new byte[14 + 40 + 20 + 10];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(p);
        b.putShort(12, (short) 0x86dd).put(14, (byte) 0x60).putShort(18, (short) (20 + 10)).put(20, (byte) 6)
                .put(21, (byte) 64);
        b.put(22, Ipv6.parse("fd00:200::1").bytes()).put(38, Ipv6.parse("fd00:201::1").bytes());
        b.putShort(54, (short) 50000).putShort(56, (short) 80).put(66, (byte) 0x50).put(67, (byte) 0x02);
        return p;
    }

    /** A 64-byte TCP SYN from 10.200.0.1 to 10.201.0.1:80, which no benchmark rule matches. */
    public static byte[] packet() {
        byte[] p = new byte[14 + 20 + 20 + 10];
        p[12] = 0x08;
        p[14] = 0x45;
        p[16] = 0;
        p[17] = (byte) (p.length - 14);
        p[22] = 64;
        p[23] = 6;
        p[26] = 10;
        p[27] = (byte) 200;
        p[29] = 1;
        p[30] = 10;
        p[31] = (byte) 201;
        p[33] = 1;
        p[34] = (byte) 0xc3;
        p[35] = 0x50;
        p[36] = 0;
        p[37] = 80;
        p[46] = 0x50;
        p[47] = 0x02;
        return p;
    }
}
