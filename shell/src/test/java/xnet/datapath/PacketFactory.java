package xnet.datapath;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import xnet.model.Cidr;
import xnet.model.Cidr6;
import xnet.model.Ipv6;
import xnet.model.ConnStates;
import xnet.model.Family;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.NatRule;
import xnet.model.PortRange;
import xnet.model.Proto;

/**
 * Random rules and packets aimed at them: addresses inside and just outside rule prefixes, ports
 * on range edges, NAT public addresses and the replies of translated connections, fragments,
 * IP options, truncated headers, non-IPv4 frames. Seeded, so a failure can be replayed.
 */
public final class PacketFactory {

    private final Random random;
    private final List<FilterRule> rules;
    /** IPv4's NAT rules and IPv6's: each family's packets aim at their own. */
    private final List<NatRule> nats;
    private final List<NatRule> nats6;
    private final List<int[]> flows = new ArrayList<>(); // client ip, client port, private ip, private port, proto
    private final List<Flow6> flows6 = new ArrayList<>();
    /** Recent TCP, UDP and ICMP echo packets (src, dst, sport, dport, proto): their replies and errors follow. */
    private final int[][] recent = new int[512][];
    private int recentCount;
    /** The same for IPv6 (TCP, UDP and ICMPv6 echo whose header the programs reach). */
    private final Flow6[] recent6 = new Flow6[512];
    private int recent6Count;

    public PacketFactory(long seed, List<FilterRule> rules, List<NatRule> nats) {
        this.random = new Random(seed);
        this.rules = rules;
        this.nats = nats.stream().filter(n -> n.family() == Family.IPV4).toList();
        this.nats6 = nats.stream().filter(n -> n.family() == Family.IPV6).toList();
    }

    /** An IPv6 connection through a NAT rule, for its replies: the client's side and the private one. */
    private record Flow6(Ipv6 client, int clientPort, Ipv6 priv, int privPort, int proto) {
    }

    public static List<FilterRule> randomRules(long seed, int count) {
        Random r = new Random(seed);
        List<FilterRule> rules = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            FilterRule.Action action = r.nextInt(3) == 0 ? FilterRule.Action.ALLOW : FilterRule.Action.DROP;
            int shape = r.nextInt(4);
            boolean broad = r.nextInt(8) == 0; // a rule with no address: rare, or it would catch everything
            Cidr from = null;
            Cidr to = null;
            Proto proto = Proto.ANY;
            PortRange port = null;
            if (shape == 0) { // the study's form: drop from A to B
                from = cidr(r, 32);
                to = cidr(r, 32);
            } else {
                from = broad ? null : cidr(r, new int[] {16, 20, 24, 28, 32}[r.nextInt(5)]);
                to = broad || r.nextInt(3) == 0 ? null : cidr(r, new int[] {16, 24, 32}[r.nextInt(3)]);
                int p = r.nextInt(5);
                proto = p == 0 ? Proto.TCP : p == 1 ? Proto.UDP : p == 2 ? Proto.ICMP : Proto.ANY;
                if (broad) {
                    proto = Proto.TCP;
                }
                if (proto.hasPorts() && (broad || r.nextBoolean())) {
                    int low = r.nextInt(3000);
                    port = r.nextBoolean() ? new PortRange(low, low) : new PortRange(low, low + r.nextInt(2000));
                }
            }
            // some drops log: their action carries XNET_ACT_LOG beside the verdict, which must not change it
            boolean log = action == FilterRule.Action.DROP && r.nextInt(4) == 0;
            // some rules match connection states: then every packet is tracked
            int stateBits = r.nextInt(6) == 0 ? 1 + r.nextInt(ConnStates.ALL) : 0;
            if (stateBits == ConnStates.RELATED && proto.hasPorts()) {
                stateBits |= ConnStates.NEW; // related alone is an ICMP error: the validator refuses it with tcp or udp
            }
            ConnStates states = stateBits == 0 ? null : new ConnStates(stateBits);
            if (r.nextInt(4) == 0 && from != null) {
                // one rule in four is IPv6's: the same shape with IPv6 prefixes (ICMP becomes ICMPv6)
                Cidr6 from6 = cidr6(r, from.prefix() + 96);
                Cidr6 to6 = to == null ? null : cidr6(r, to.prefix() + 96 - 32 * r.nextInt(2));
                rules.add(new FilterRule(i + 1, action, null, null, proto == Proto.ICMP ? Proto.ICMPV6 : proto, port,
                        states, log, from6, to6));
            } else {
                rules.add(new FilterRule(i + 1, action, from, to, proto, port, states, log));
            }
        }
        return rules;
    }

    /** IPv6 rules live in fd00:0:0:1::/64 to fd00:0:0:3::/64, with the IPv4 rules' host bits. */
    private static Cidr6 cidr6(Random r, int prefix) {
        Ipv6 address = new Ipv6(0xfd00L << 48 | (1 + r.nextInt(3)), ((long) r.nextInt(4) << 8) | r.nextInt(256));
        return new Cidr6(Cidr6.masked(address, prefix), prefix);
    }

    private static Cidr cidr(Random r, int prefix) {
        // rules live in 10.1.0.0-10.3.255.255; NAT's addresses are in 10.0.0.0/16
        int base = (10 << 24) | ((1 + r.nextInt(3)) << 16) | (r.nextInt(4) << 8) | r.nextInt(256);
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return new Cidr(new Ipv4(base & mask), prefix);
    }

    public static List<NatRule> natRules() {
        return List.of(
                new NatRule(1, Ipv4.parse("10.0.0.1"), 80, Ipv4.parse("10.0.1.2"), 8080, Proto.TCP),
                new NatRule(2, Ipv4.parse("10.0.0.1"), 53, Ipv4.parse("10.0.1.3"), 5353, Proto.UDP),
                new NatRule(3, Ipv4.parse("10.0.0.5"), 0, Ipv4.parse("10.0.2.2"), 0, Proto.ANY));
    }

    /** IPv6 NAT rules beside them: a port rule of each protocol and a whole address, into the IPv6 rules' space. */
    public static List<NatRule> natRules6() {
        return List.of(
                new NatRule(4, Ipv6.parse("fd00::a00:1"), 80, Ipv6.parse("fd00:0:0:1::2"), 8080, Proto.TCP),
                new NatRule(5, Ipv6.parse("fd00::a00:1"), 53, Ipv6.parse("fd00:0:0:1::3"), 5353, Proto.UDP),
                new NatRule(6, Ipv6.parse("fd00::a00:5"), 0, Ipv6.parse("fd00:0:0:2::2"), 0, Proto.ANY));
    }

    private int address() {
        int pick = random.nextInt(10);
        if (pick < 5 && !rules.isEmpty()) {
            FilterRule rule = rules.get(random.nextInt(rules.size()));
            Cidr cidr = random.nextBoolean() ? rule.from() : rule.to();
            if (cidr != null) {
                long size = cidr.size();
                int inside = cidr.network().bits() + (int) (random.nextLong() & Long.MAX_VALUE) % (int) Math.min(size, Integer.MAX_VALUE);
                return random.nextInt(8) == 0 ? cidr.network().bits() + (int) size : inside; // sometimes just past
            }
        }
        if (pick < 7 && !nats.isEmpty()) {
            NatRule nat = nats.get(random.nextInt(nats.size()));
            return ((Ipv4) (random.nextBoolean() ? nat.publicIp() : nat.privateIp())).bits();
        }
        return (10 << 24) | random.nextInt(1 << 18);
    }

    /** An IPv6 address: in or just past a rule's prefix, or anywhere in the rules' space. */
    private Ipv6 address6() {
        if (random.nextInt(10) < 6 && !rules.isEmpty()) {
            FilterRule rule = rules.get(random.nextInt(rules.size()));
            Cidr6 cidr = random.nextBoolean() ? rule.from6() : rule.to6();
            if (cidr != null) {
                long size = cidr.size();
                long offset = size == Long.MAX_VALUE ? random.nextInt(1 << 16) : (random.nextLong() & Long.MAX_VALUE) % size;
                return random.nextInt(8) == 0 && size != Long.MAX_VALUE ? cidr.network().plus(size) : cidr.network().plus(offset);
            }
        }
        return new Ipv6(0xfd00L << 48 | random.nextInt(4), random.nextInt(1 << 10));
    }

    private int port() {
        int pick = random.nextInt(10);
        if (pick < 5 && !rules.isEmpty()) {
            PortRange range = rules.get(random.nextInt(rules.size())).port();
            if (range != null) {
                int[] edges = {range.from() - 1, range.from(), range.to(), range.to() + 1};
                return Math.max(0, Math.min(65535, edges[random.nextInt(4)]));
            }
        }
        if (pick < 7 && !nats.isEmpty()) {
            NatRule nat = nats.get(random.nextInt(nats.size()));
            return random.nextBoolean() ? nat.publicPort() : nat.privatePort();
        }
        return pick == 7 ? 0 : random.nextInt(65536);
    }

    /**
     * One Ethernet frame. Besides plain packets aimed at the rules and NAT: ARP, IPv6 with
     * extension headers, other ethertypes, IP options of every length, bad IHL, first, later,
     * overlapping and tiny first fragments, truncated headers, zero-length payloads, port 0,
     * random TCP flags (SYN, FIN, RST end or start NAT connections), and up to three VLAN tags
     * around any of them.
     */
    public byte[] next() {
        byte[] frame = untagged();
        int tags = random.nextInt(100);
        if (tags < 8 && frame.length >= 14) {
            return tagged(frame, tags < 4 ? 1 : tags < 7 ? 2 : 3);
        }
        return frame;
    }

    private byte[] untagged() {
        if (!flows.isEmpty() && random.nextInt(100) < 2) {
            return natError(flows.get(random.nextInt(flows.size())));
        }
        if (recentCount > 0 && random.nextInt(100) < 12) {
            return conversation(recent[random.nextInt(Math.min(recentCount, recent.length))]);
        }
        int kind = random.nextInt(100);
        if (kind < 3) {
            return arp();
        }
        if (kind < 13) {
            return ipv6();
        }
        if (kind < 14) {
            return other();
        }
        if (kind < 23 && !flows.isEmpty()) {
            int[] f = flows.get(random.nextInt(flows.size()));
            return ipv4(f[2], f[0], f[4], f[3], f[1], 0, ihl());
        }
        int protoPick = random.nextInt(10);
        int proto = protoPick < 4 ? 6 : protoPick < 7 ? 17 : protoPick < 9 ? 1 : 47;
        int src = address();
        int dst = address();
        int sport = port();
        int dport = port();
        if (kind >= 75 && !nats.isEmpty()) {
            // a client outside the rules' space talking to a public address (from a bounded set
            // of clients and ports, so the connection table stays far from full)
            NatRule nat = nats.get(random.nextInt(nats.size()));
            src = (10 << 24) | (random.nextInt(64) + 2);
            sport = 40000 + random.nextInt(64);
            dst = ((Ipv4) nat.publicIp()).bits();
            if (!nat.wholeAddress()) {
                proto = nat.proto().number();
                dport = random.nextInt(10) == 0 ? port() : nat.publicPort();
            } else {
                dport = 1 + random.nextInt(64);
            }
            if (random.nextInt(20) == 0) {
                // the same client port straight to the private address: a direct flow
                dst = ((Ipv4) nat.privateIp()).bits();
                dport = nat.wholeAddress() ? dport : nat.privatePort();
            }
        }
        int fragOffset = random.nextInt(20) == 0 ? 1 + random.nextInt(random.nextBoolean() ? 8 : 100) : 0;
        int ihl = random.nextInt(100) == 0 ? random.nextInt(5) : ihl(); // 0-4: a bad IHL
        byte[] frame = ipv4(src, dst, proto, sport, dport, fragOffset, ihl);
        int l4 = 14 + Math.max(5, ihl) * 4;
        if (kind < 26) {
            // truncated inside the L4 header (the kernel's test run wants a whole IPv4 header)
            return Arrays.copyOf(frame, 34 + random.nextInt(frame.length - 34));
        }
        if (kind < 28 && (proto == 6 || proto == 17) && fragOffset == 0) {
            // a tiny first fragment: more fragments follow, the transport header is cut short
            put16(frame, 14 + 6, 0x2000);
            return Arrays.copyOf(frame, Math.min(frame.length, l4 + 1 + random.nextInt(proto == 6 ? 19 : 7)));
        }
        if (fragOffset == 0 && (proto == 6 || proto == 17 || proto == 1)) {
            recent[recentCount++ % recent.length] = new int[] {src, dst, sport, dport, proto};
        }
        for (NatRule nat : nats) {
            if (((Ipv4) nat.publicIp()).bits() == dst && flows.size() < 2000) {
                int privPort = nat.wholeAddress() ? dport : nat.privatePort();
                flows.add(new int[] {src, sport, ((Ipv4) nat.privateIp()).bits(), privPort, proto});
            }
        }
        return frame;
    }

    /**
     * A packet of a recent packet's connection, for the connection states: its reply (TCP: SYN+ACK,
     * ACK or RST), the same direction again (a SYN one time in four), or an ICMP error that quotes
     * it (either direction, sometimes of a later fragment or cut short: then about nothing known).
     */
    private byte[] conversation(int[] q) {
        int src = q[0];
        int dst = q[1];
        int sport = q[2];
        int dport = q[3];
        int proto = q[4];
        int pick = random.nextInt(4);
        if (pick == 3) {
            return icmpError(random.nextBoolean() ? q : new int[] {dst, src, dport, sport, proto});
        }
        boolean reply = pick < 2;
        byte[] frame = reply ? ipv4(dst, src, proto, dport, sport, 0, 5) : ipv4(src, dst, proto, sport, dport, 0, 5);
        int l4 = 14 + 20;
        if (proto == 6) {
            int[] flags = reply ? new int[] {0x12, 0x10, 0x10, 0x14} : new int[] {0x02, 0x10, 0x18, 0x11};
            frame[l4 + 13] = (byte) flags[random.nextInt(flags.length)];
            put16(frame, l4 + 16, 0);
            put16(frame, l4 + 16, l4Checksum(frame, 14, l4, proto));
        } else if (proto == 1) {
            frame[l4] = (byte) (reply ? 0 : 8);
            put16(frame, l4 + 4, sport); // the echo's identifier: both "ports"
            put16(frame, l4 + 2, 0);
            put16(frame, l4 + 2, checksum(frame, l4, frame.length - l4, 0));
        }
        return frame;
    }

    /**
     * An ICMP error about a translated connection f (client, client port, private address, private
     * port, protocol): from the private side about the packet it got (it quotes the private
     * address), or to the public address about a reply as it left (it quotes the public one).
     */
    private byte[] natError(int[] f) {
        if (random.nextBoolean()) {
            for (NatRule nat : nats) {
                boolean same = nat.wholeAddress() || nat.privatePort() == f[3] && nat.proto().number() == f[4];
                if (((Ipv4) nat.privateIp()).bits() == f[2] && same) {
                    int publicPort = nat.wholeAddress() ? f[3] : nat.publicPort();
                    return icmpError(new int[] {((Ipv4) nat.publicIp()).bits(), f[0], publicPort, f[1], f[4]});
                }
            }
        }
        return icmpError(new int[] {f[0], f[2], f[1], f[3], f[4]});
    }

    /** An ICMP error (unreachable, time exceeded, ...) to q's sender that quotes q. */
    private byte[] icmpError(int[] q) {
        int innerL4 = q[4] == 6 ? 20 : 8;
        byte[] p = new byte[14 + 20 + 8 + 20 + innerL4];
        random.nextBytes(p);
        p[12] = 0x08;
        p[13] = 0x00;
        int ip = 14;
        p[ip] = 0x45;
        p[ip + 1] = 0;
        put16(p, ip + 2, p.length - 14);
        put16(p, ip + 6, 0);
        p[ip + 8] = 64;
        p[ip + 9] = 1;
        int from = random.nextInt(3) == 0 ? (10 << 24) | random.nextInt(1 << 18) : q[1]; // a router, or the peer
        put32(p, ip + 12, from);
        put32(p, ip + 16, q[0]);
        put16(p, ip + 10, 0);
        put16(p, ip + 10, checksum(p, ip, 20, 0));
        int icmp = ip + 20;
        p[icmp] = (byte) new int[] {3, 3, 11, 4, 5, 12}[random.nextInt(6)];
        int inner = icmp + 8;
        p[inner] = 0x45;
        put16(p, inner + 6, random.nextInt(10) == 0 ? 1 + random.nextInt(100) : 0);
        p[inner + 9] = (byte) q[4];
        put32(p, inner + 12, q[0]);
        put32(p, inner + 16, q[1]);
        int l4 = inner + 20;
        if (q[4] == 1) {
            p[l4] = 8;
            put16(p, l4 + 4, q[2]);
        } else {
            put16(p, l4, q[2]);
            put16(p, l4 + 2, q[3]);
        }
        put16(p, icmp + 2, 0);
        put16(p, icmp + 2, checksum(p, icmp, p.length - icmp, 0));
        if (random.nextInt(10) == 0) {
            return Arrays.copyOf(p, icmp + 8 + random.nextInt(28)); // the quote cut short
        }
        return p;
    }

    /** An IHL of 5, or 6-15 (IP options of every length) one time in ten. */
    private int ihl() {
        return random.nextInt(10) == 0 ? 6 + random.nextInt(10) : 5;
    }

    private byte[] arp() {
        byte[] frame = new byte[42];
        random.nextBytes(frame);
        frame[12] = 0x08;
        frame[13] = 0x06;
        return frame;
    }

    /**
     * IPv6 with a chain of extension headers (hop-by-hop, routing, destination options of several
     * lengths, fragment with offset 0 or later, AH), sometimes longer than the programs' bound or
     * cut short, ending in TCP, UDP or ICMPv6 (echo, neighbour discovery, MLD, errors, redirects);
     * some aimed at the IPv6 NAT rules' public addresses, and replies of those connections.
     */
    private byte[] ipv6() {
        if (!flows6.isEmpty() && random.nextInt(100) < 4) {
            return natError6(flows6.get(random.nextInt(flows6.size())));
        }
        if (recent6Count > 0 && random.nextInt(100) < 25) {
            return conversation6(recent6[random.nextInt(Math.min(recent6Count, recent6.length))]);
        }
        int[] chain = {0, 43, 60, 44, 51};
        int extensions = random.nextInt(10) == 0 ? 7 + random.nextInt(4) : random.nextInt(4);
        int[] kinds = new int[extensions];
        int[] lengths = new int[extensions];
        int size = 14 + 40;
        // now and then a long options header: the upper-layer header lands near and past byte 511,
        // the XDP rewrite's reach
        boolean far = extensions <= 3 && random.nextInt(16) == 0;
        for (int i = 0; i < extensions; i++) {
            kinds[i] = chain[random.nextInt(chain.length)];
            lengths[i] = kinds[i] == 44 ? 0 : far && kinds[i] != 51 ? 40 + random.nextInt(30) : random.nextInt(3);
            size += kinds[i] == 44 ? 8 : kinds[i] == 51 ? (lengths[i] + 2) * 4 : (lengths[i] + 1) * 8;
        }
        byte[] p = new byte[size + 20 + random.nextInt(32)];
        random.nextBytes(p);
        p[12] = (byte) 0x86;
        p[13] = (byte) 0xdd;
        p[14] = 0x60;
        int at = 14 + 40;
        int next = 14 + 6;
        boolean laterFragment = false;
        for (int i = 0; i < extensions; i++) {
            p[next] = (byte) kinds[i];
            next = at;
            if (kinds[i] == 44) {
                boolean later = random.nextInt(3) == 0;
                laterFragment |= later;
                p[at + 2] = later ? p[at + 2] : 0;
                p[at + 3] = (byte) (later ? p[at + 3] | 0x08 : p[at + 3] & 0x07);
                at += 8;
            } else {
                p[at + 1] = (byte) lengths[i];
                at += kinds[i] == 51 ? (lengths[i] + 2) * 4 : (lengths[i] + 1) * 8;
            }
        }
        int[] protos = {6, 6, 17, 17, 58, 47};
        int proto = protos[random.nextInt(protos.length)];
        int[] types = {128, 129, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 143, 1, 2, 3, 4};
        int icmpType = types[random.nextInt(types.length)];
        Ipv6 src = address6();
        Ipv6 dst = address6();
        int sport = port();
        int dport = port();
        int aim = nats6.isEmpty() ? 9 : random.nextInt(9);
        if (aim < 2) {
            // a client talking to a public address (a bounded set of clients and ports), sometimes
            // straight to the private one: as for IPv4
            NatRule nat = nats6.get(random.nextInt(nats6.size()));
            src = new Ipv6(0xfd00L << 48 | 9, 2 + random.nextInt(64));
            sport = 40000 + random.nextInt(64);
            dst = (Ipv6) nat.publicIp();
            if (!nat.wholeAddress()) {
                proto = nat.proto().number();
                dport = random.nextInt(10) == 0 ? port() : nat.publicPort();
            } else {
                dport = proto == 58 ? sport : 1 + random.nextInt(64);
                icmpType = proto == 58 ? 128 : icmpType;
            }
            if (random.nextInt(20) == 0) {
                dst = (Ipv6) nat.privateIp();
                dport = nat.wholeAddress() ? dport : nat.privatePort();
            } else if (flows6.size() < 2000) {
                flows6.add(new Flow6(src, sport, (Ipv6) nat.privateIp(), nat.wholeAddress() ? dport : nat.privatePort(), proto));
            }
        } else if (aim < 4 && !flows6.isEmpty()) {
            // a reply from the private side of one of those connections
            Flow6 f = flows6.get(random.nextInt(flows6.size()));
            src = f.priv();
            dst = f.client();
            sport = f.privPort();
            dport = f.clientPort();
            proto = f.proto();
            icmpType = 129;
        }
        System.arraycopy(src.bytes(), 0, p, 14 + 8, 16);
        System.arraycopy(dst.bytes(), 0, p, 14 + 24, 16);
        p[next] = (byte) proto;
        if (proto == 58) {
            p[at] = (byte) icmpType;
            put16(p, at + 4, sport); // an echo's identifier
        } else if (proto == 6 || proto == 17) {
            put16(p, at, sport);
            put16(p, at + 2, dport);
        }
        // cut short within the chain, never inside the fixed header: a tc test run refuses to make an
        // sk_buff of a shorter IPv6 frame (EINVAL), so the program could not be asked about one
        if (random.nextInt(12) == 0) {
            return java.util.Arrays.copyOf(p, 14 + 40 + random.nextInt(at + 8 - 54));
        }
        boolean tracked = proto == 6 || proto == 17 || proto == 58 && (icmpType == 128 || icmpType == 129);
        if (tracked && !laterFragment && extensions <= Ipv6Chain.MAX_EXT_HEADERS) {
            recent6[recent6Count++ % recent6.length] = new Flow6(src, sport, dst, proto == 58 ? sport : dport, proto);
        }
        return p;
    }

    /**
     * A packet of a recent IPv6 packet's connection (client: its sender, priv: its receiver), as
     * {@link #conversation} for IPv4: its reply, the same direction again, or an ICMPv6 error
     * (unreachable, too big, time exceeded, parameter problem) that quotes it, sometimes cut short.
     */
    private byte[] conversation6(Flow6 q) {
        int pick = random.nextInt(4);
        boolean reply = pick < 2;
        if (pick == 3) {
            return icmp6Error(random.nextBoolean() ? q : new Flow6(q.priv(), q.privPort(), q.client(), q.clientPort(), q.proto()));
        }
        int l4Length = q.proto() == 6 ? 20 : 8;
        byte[] p = ipv6Header(reply ? q.priv() : q.client(), reply ? q.client() : q.priv(), q.proto(),
                l4Length + random.nextInt(24));
        int l4 = 14 + 40;
        int sport = reply ? q.privPort() : q.clientPort();
        int dport = reply ? q.clientPort() : q.privPort();
        if (q.proto() == 58) {
            p[l4] = (byte) (reply ? 129 : 128);
            put16(p, l4 + 4, sport);
        } else {
            put16(p, l4, sport);
            put16(p, l4 + 2, dport);
            if (q.proto() == 6) {
                int[] flags = reply ? new int[] {0x12, 0x10, 0x10, 0x14} : new int[] {0x02, 0x10, 0x18, 0x11};
                p[l4 + 12] = 0x50;
                p[l4 + 13] = (byte) flags[random.nextInt(flags.length)];
            }
        }
        return p;
    }

    /** As {@link #natError} for an IPv6 NAT connection: from the private side, or to the public address. */
    private byte[] natError6(Flow6 f) {
        if (random.nextBoolean()) {
            for (NatRule nat : nats6) {
                boolean same = nat.wholeAddress() || nat.privatePort() == f.privPort() && nat.proto().number() == f.proto();
                if (nat.privateIp().equals(f.priv()) && same) {
                    int publicPort = nat.wholeAddress() ? f.privPort() : nat.publicPort();
                    return icmp6Error(new Flow6((Ipv6) nat.publicIp(), publicPort, f.client(), f.clientPort(), f.proto()));
                }
            }
        }
        return icmp6Error(f);
    }

    /** An ICMPv6 error to q's client that quotes q (from a router, or from q's peer). */
    private byte[] icmp6Error(Flow6 q) {
        int innerL4 = q.proto() == 6 ? 20 : 8;
        Ipv6 from = random.nextInt(3) == 0 ? new Ipv6(0xfd00L << 48 | 7, 1 + random.nextInt(16)) : q.priv();
        byte[] p = ipv6Header(from, q.client(), 58, 8 + 40 + innerL4);
        int icmp = 14 + 40;
        p[icmp] = (byte) (1 + random.nextInt(4));
        int inner = icmp + 8;
        p[inner] = 0x60;
        p[inner + 6] = (byte) (random.nextInt(10) == 0 ? 60 : q.proto()); // a quote with an extension header: about nothing known
        System.arraycopy(q.client().bytes(), 0, p, inner + 8, 16);
        System.arraycopy(q.priv().bytes(), 0, p, inner + 24, 16);
        int l4 = inner + 40;
        if (q.proto() == 58) {
            p[l4] = (byte) 128;
            put16(p, l4 + 4, q.clientPort());
        } else {
            put16(p, l4, q.clientPort());
            put16(p, l4 + 2, q.privPort());
        }
        if (random.nextInt(10) == 0) {
            return Arrays.copyOf(p, icmp + 8 + random.nextInt(48)); // the quote cut short
        }
        return p;
    }

    /** An IPv6 frame with no extension headers and {@code payload} random bytes after its fixed header. */
    private byte[] ipv6Header(Ipv6 src, Ipv6 dst, int proto, int payload) {
        byte[] p = new byte[14 + 40 + payload];
        random.nextBytes(p);
        p[12] = (byte) 0x86;
        p[13] = (byte) 0xdd;
        p[14] = 0x60;
        put16(p, 14 + 4, payload);
        p[14 + 6] = (byte) proto;
        p[14 + 7] = 64;
        System.arraycopy(src.bytes(), 0, p, 14 + 8, 16);
        System.arraycopy(dst.bytes(), 0, p, 14 + 24, 16);
        return p;
    }

    /** A frame of some other ethertype (below 0x0600 it is an 802.3 length). */
    private byte[] other() {
        byte[] p = new byte[60 + random.nextInt(40)];
        random.nextBytes(p);
        return p;
    }

    /** The frame with 1-3 VLAN tags (802.1Q or 802.1ad, VLAN 0 often) after its addresses. */
    private byte[] tagged(byte[] frame, int count) {
        byte[] out = new byte[frame.length + 4 * count];
        System.arraycopy(frame, 0, out, 0, 12);
        for (int i = 0; i < count; i++) {
            int at = 12 + 4 * i;
            put16(out, at, random.nextBoolean() ? 0x8100 : 0x88a8);
            put16(out, at + 2, random.nextBoolean() ? random.nextInt(8) << 13 : random.nextInt(1 << 16));
        }
        System.arraycopy(frame, 12, out, 12 + 4 * count, frame.length - 12);
        if (random.nextInt(10) == 0) {
            return Arrays.copyOf(out, 14 + random.nextInt(out.length - 14)); // cut anywhere
        }
        return out;
    }

    byte[] ipv4(int src, int dst, int proto, int sport, int dport, int fragOffset, int ihl) {
        int headerWords = Math.max(5, ihl);
        int l4len = proto == 6 ? 20 : 8;
        int payload = random.nextInt(5) == 0 ? 0 : random.nextInt(48);
        int total = headerWords * 4 + l4len + payload;
        byte[] p = new byte[14 + total];
        random.nextBytes(p);
        p[12] = 0x08;
        p[13] = 0x00;
        int ip = 14;
        p[ip] = (byte) (0x40 | ihl);
        p[ip + 1] = 0;
        put16(p, ip + 2, total);
        put16(p, ip + 6, fragOffset == 0 && random.nextInt(20) == 0 ? 0x2000 : fragOffset);
        p[ip + 8] = 64;
        p[ip + 9] = (byte) proto;
        put16(p, ip + 10, 0);
        put32(p, ip + 12, src);
        put32(p, ip + 16, dst);
        put16(p, ip + 10, checksum(p, ip, headerWords * 4, 0));
        int l4 = ip + headerWords * 4;
        if (proto == 6 || proto == 17) {
            put16(p, l4, sport);
            put16(p, l4 + 2, dport);
            if (proto == 6) {
                p[l4 + 12] = 0x50;
                put16(p, l4 + 16, 0);
                put16(p, l4 + 16, l4Checksum(p, ip, l4, proto));
            } else {
                put16(p, l4 + 4, l4len + payload);
                put16(p, l4 + 6, 0);
                if (random.nextInt(5) != 0) {
                    int sum = l4Checksum(p, ip, l4, proto);
                    put16(p, l4 + 6, sum == 0 ? 0xffff : sum);
                }
            }
        } else if (proto == 1) {
            p[l4] = (byte) (random.nextInt(4) == 0 ? 3 : random.nextBoolean() ? 8 : 0);
            p[l4 + 1] = 0;
            put16(p, l4 + 4, sport);
            put16(p, l4 + 2, 0);
            put16(p, l4 + 2, checksum(p, l4, p.length - l4, 0));
        }
        return p;
    }

    private static int l4Checksum(byte[] p, int ip, int l4, int proto) {
        return Checksums.transport(p, ip, l4, proto);
    }

    static int checksum(byte[] p, int from, int length, long initial) {
        return Checksums.of(p, from, length, initial);
    }

    private static void put16(byte[] p, int at, int v) {
        ReferenceDatapath.put16(p, at, v);
    }

    private static void put32(byte[] p, int at, int v) {
        ReferenceDatapath.put32(p, at, v);
    }
}
