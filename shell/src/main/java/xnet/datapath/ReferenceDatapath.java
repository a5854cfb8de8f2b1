package xnet.datapath;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import xnet.model.Family;
import xnet.model.FilterRule;
import xnet.model.IpAddress;
import xnet.model.Ipv4;
import xnet.model.Ipv6;
import xnet.model.NatRule;
import xnet.model.Proto;

/**
 * What the BPF programs must do to a packet, written plainly in Java: rules scanned in order
 * (no tuples, no maps), NAT and its connection table in a HashMap. The differential tests run the
 * same packets through both and compare verdicts and bytes.
 */
public final class ReferenceDatapath {

    /** {@code state}: the packet's connection state (XNET_STATE_*), 0 when no rule asks for one. */
    public record Result(boolean drop, int slot, byte[] out, int state) {

        Result(boolean drop, int slot, byte[] out) {
            this(drop, slot, out, 0);
        }
    }

    /** Keys and values of both families' maps (xnet_nat and xnet_nat6, xnet_ct and xnet_ct6) in one. */
    private record NatKey(IpAddress ip, int port, int proto) {
    }

    private record CtKey(IpAddress privIp, IpAddress clientIp, int privPort, int clientPort, int proto) {
    }

    private record CtValue(IpAddress pubIp, int pubPort, int flags) {
        CtValue withFlags(int more) {
            return new CtValue(pubIp, pubPort, flags | more);
        }
    }

    /** A translation to make: the destination (towards the private side) or the source (a reply). */
    private record Rewrite(boolean destination, IpAddress oldIp, IpAddress newIp, int oldPort, int newPort) {
    }

    /** The packet an ICMP(v6) error quotes: its connection's key, and where its IP header and ports are. */
    private record Quote(FlowTable.Key key, int l3, int l4) {
    }

    /**
     * An ICMP(v6) error about a translated connection (bpf/lib/nat.h, xnet_nat_error_*): inward
     * (to the private side: outer destination, quoted source) or not (to the client: outer source,
     * quoted destination); the address and quoted port that change.
     */
    private record ErrorRewrite(boolean inward, IpAddress oldIp, IpAddress newIp, int oldPort, int newPort) {

        int oldBits() {
            return ((Ipv4) oldIp).bits();
        }

        int newBits() {
            return ((Ipv4) newIp).bits();
        }
    }

    private final List<FilterRule> rules;
    private boolean defaultDrop;
    private final Map<Integer, Integer> slots;
    private final Map<NatKey, NatRule> nat = new HashMap<>();
    private final Map<CtKey, CtValue> conntrack = new HashMap<>();
    /** Connection states, kept only when a rule matches them (as the programs do). */
    private final FlowTable flows = new FlowTable();
    private final boolean tracking;
    /** Packets decided in each connection state (index: the state bit), for a test to see it covered them. */
    private final long[] inState = new long[xnet.model.ConnStates.ALL + 1];
    /** The same for IPv6 packets alone. */
    private final long[] inState6 = new long[xnet.model.ConnStates.ALL + 1];
    /** Per NAT rule: packets translated to the private side and back (as xnet_nat_stats counts them). */
    private final Map<Integer, long[]> natCounts = new HashMap<>();
    /** IPv6 packets decided, and those of them a rule decided (not the default): {packets, byRule}. */
    private final long[] ipv6Decided = new long[2];
    /** The XDP program's: a translated IPv6 packet whose upper-layer header starts past {@link #XDP_REACH} is dropped. */
    private boolean xdp;
    /** The last offset at which bpf/xnet_xdp.c's rewrite mends an upper-layer header (XNET_XDP_REACH). */
    static final int XDP_REACH = 0x1ff;
    /** ICMP errors translated with the connection they quote: IPv4's {inward, outward}, then ICMPv6's. */
    private final long[] errorsTranslated = new long[4];
    /** Translated IPv6 packets whose upper-layer header starts past {@link #XDP_REACH} (XDP drops them). */
    private long farTranslated;
    /** Set while {@link #peek} runs: decide and rewrite, but count and remember nothing. */
    private boolean quiet;

    public ReferenceDatapath(List<FilterRule> rules, FilterRule.Action defaultAction, List<NatRule> nats,
                             Map<Integer, Integer> slots) {
        this.rules = List.copyOf(rules);
        this.defaultDrop = defaultAction == FilterRule.Action.DROP;
        this.slots = slots;
        this.tracking = rules.stream().anyMatch(r -> r.states() != null);
        for (NatRule r : nats) {
            nat.put(r.wholeAddress() ? new NatKey(r.publicIp(), 0, 0)
                    : new NatKey(r.publicIp(), r.publicPort(), r.proto().number()), r);
        }
    }

    /** Decides as the XDP program does (see {@link #xdp}); tc's helpers reach any offset. */
    public ReferenceDatapath atXdp() {
        xdp = true;
        return this;
    }

    /** VLAN tags looked through (802.1Q, 802.1ad); a frame with more is dropped. */
    static final int MAX_VLAN_TAGS = 2;
    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int ACK = 0x10;

    /** What a what-if packet (`test packet`) meets: {@link #process}, leaving the counts and connections alone. */
    public Result peek(byte[] frame) {
        quiet = true;
        try {
            return process(frame);
        } finally {
            quiet = false;
        }
    }

    public Result process(byte[] frame) {
        byte[] out = frame.clone();
        if (frame.length < 14) {
            return new Result(true, -1, out);
        }
        int l3 = 14;
        int type = u16(frame, 12);
        for (int tags = 0; tags < MAX_VLAN_TAGS && isVlan(type); tags++) {
            if (l3 + 4 > frame.length) {
                return new Result(true, -1, out);
            }
            type = u16(frame, l3 + 2);
            l3 += 4;
        }
        if (isVlan(type)) {
            return new Result(true, -1, out);
        }
        if (type == 0x0806) {
            return new Result(false, -1, out); // ARP: always passes
        }
        if (type == 0x86dd) {
            Ipv6Chain chain = Ipv6Chain.walk(frame, l3);
            return switch (chain.kind()) {
                case NEIGHBOUR -> new Result(false, -1, out);
                case MALFORMED -> new Result(true, -1, out);
                case PACKET -> ipv6(frame, l3, chain, out);
            };
        }
        if (type != 0x0800) {
            return new Result(defaultDrop, 0, out); // other frames meet the default action
        }
        if (frame.length < l3 + 20 || (frame[l3] & 0x0f) < 5) {
            return new Result(true, -1, out);
        }
        int l4 = l3 + (frame[l3] & 0x0f) * 4;
        int proto = frame[l3 + 9] & 0xff;
        int src = u32(frame, l3 + 12);
        int dst = u32(frame, l3 + 16);
        boolean fragment = (u16(frame, l3 + 6) & 0x1fff) != 0;
        boolean hasPorts = false;
        boolean echo = false;
        int sport = 0;
        int dport = 0;
        int tcpFlags = 0;
        Quote quote = null;
        if (!fragment) {
            if (proto == 6 || proto == 17) {
                if (l4 + (proto == 6 ? 20 : 8) > frame.length) {
                    return new Result(true, -1, out);
                }
                sport = u16(frame, l4);
                dport = u16(frame, l4 + 2);
                tcpFlags = proto == 6 ? frame[l4 + 13] & 0xff : 0;
                hasPorts = true;
            } else if (proto == 1) {
                if (l4 + 8 > frame.length) {
                    return new Result(true, -1, out);
                }
                int icmpType = frame[l4] & 0xff;
                if (icmpType == 0 || icmpType == 8) {
                    sport = u16(frame, l4 + 4);
                    dport = sport;
                    echo = true;
                } else if (icmpType == 3 || icmpType == 4 || icmpType == 5 || icmpType == 11 || icmpType == 12) {
                    quote = quoted(frame, l4 + 8);
                }
            }
        }

        // an ICMP error follows the connection it quotes, never a NAT rule of its own
        NatRule forward = quote != null ? null : forwardRule(new Ipv4(dst), dport, proto, hasPorts);
        ErrorRewrite inward = quote != null ? inwardError(new Ipv4(dst), quote) : null;
        int seenDst = forward != null ? ((Ipv4) forward.privateIp()).bits() : inward != null ? inward.newBits() : dst;
        int seenPort = forward == null || forward.privatePort() == 0 ? dport : forward.privatePort();
        FlowTable.Key seenQuote = seenQuote(quote, inward);

        FlowTable.Seen seen = tracking ? flows.classify(new FlowTable.Key(src, seenDst, sport, seenPort, proto),
                hasPorts || echo, tcpFlags, seenQuote) : null;
        int state = seen == null ? 0 : seen.state();
        if (!quiet) {
            inState[state]++;
        }
        boolean ports = hasPorts; // for the lambda: hasPorts is set where the header is read
        FilterRule decided = firstMatch(r -> matches(r, src, seenDst, proto, seenPort, ports, state));
        int slot = slotOf(decided);
        if (drops(decided)) {
            return new Result(true, slot, out, state);
        }
        if (seen != null && !quiet) {
            flows.note(seen, proto, tcpFlags);
        }
        if (quote != null) {
            ErrorRewrite error = inward != null ? inward : outwardError(new Ipv4(dst), quote);
            if (error != null) {
                rewriteError(out, l3, l4, quote, error);
                countError(error);
            }
            return new Result(false, slot, out, state);
        }
        Rewrite rw = translate(forward, new Ipv4(src), new Ipv4(dst), sport, dport, proto, tcpFlags);
        if (rw != null) {
            rewrite(out, l3, rw.destination(), ((Ipv4) rw.oldIp()).bits(), ((Ipv4) rw.newIp()).bits(), rw.oldPort(),
                    rw.newPort(), proto, hasPorts, l4);
        }
        return new Result(false, slot, out, state);
    }

    /** The quote as the rules see it: an inward error's made private, as a forwarded packet is. */
    private static FlowTable.Key seenQuote(Quote quote, ErrorRewrite inward) {
        if (quote == null || inward == null) {
            return quote == null ? null : quote.key();
        }
        FlowTable.Key k = quote.key();
        return new FlowTable.Key(inward.newIp(), k.dst(), inward.newPort(), k.dport(), k.proto());
    }

    private void countError(ErrorRewrite error) {
        if (!quiet) {
            errorsTranslated[(error.oldIp() instanceof Ipv6 ? 2 : 0) + (error.inward() ? 0 : 1)]++;
        }
    }

    /** An error to a public address quoting a remembered connection's reply as it left: made private. */
    private ErrorRewrite inwardError(IpAddress dst, Quote q) {
        FlowTable.Key k = q.key();
        if (!dst.equals(k.src())) {
            return null;
        }
        NatRule rule = k.proto() == 6 || k.proto() == 17 ? nat.get(new NatKey(k.src(), k.sport(), k.proto())) : null;
        if (rule == null) {
            rule = nat.get(new NatKey(k.src(), 0, 0));
        }
        if (rule == null) {
            return null;
        }
        int privPort = rule.privatePort() != 0 ? rule.privatePort() : k.sport();
        CtValue known = conntrack.get(new CtKey(rule.privateIp(), k.dst(), privPort, k.dport(), k.proto()));
        if (known == null || !known.pubIp().equals(k.src()) || known.pubPort() != k.sport()) {
            return null;
        }
        return new ErrorRewrite(true, k.src(), rule.privateIp(), k.sport(), privPort);
    }

    /** An error from the private side quoting a packet of a remembered connection: made public. */
    private ErrorRewrite outwardError(IpAddress dst, Quote q) {
        FlowTable.Key k = q.key();
        if (!dst.equals(k.src())) {
            return null;
        }
        CtValue known = conntrack.get(new CtKey(k.dst(), k.src(), k.dport(), k.sport(), k.proto()));
        return known == null ? null : new ErrorRewrite(false, k.dst(), known.pubIp(), k.dport(), known.pubPort());
    }

    /**
     * As xnet_tc_rewrite_error: the outer address when it is the translated one, then the quoted
     * address, its header checksum and its TCP or UDP port, ICMP's checksum mended for each quoted
     * change (in that order); the quoted transport checksum stays.
     */
    private static void rewriteError(byte[] p, int l3, int l4, Quote q, ErrorRewrite e) {
        int outer = l3 + (e.inward() ? 16 : 12);
        if (u32(p, outer) == e.oldBits()) {
            put16(p, l3 + 10, replace(u16(p, l3 + 10), e.oldBits(), e.newBits(), 0, 0));
            put32(p, outer, e.newBits());
        }
        int oldSum = u16(p, q.l3() + 10);
        int newSum = replace(oldSum, e.oldBits(), e.newBits(), 0, 0);
        put16(p, q.l3() + 10, newSum);
        put32(p, q.l3() + (e.inward() ? 12 : 16), e.newBits());
        int check = replace(u16(p, l4 + 2), e.oldBits(), e.newBits(), 0, 0);
        check = replace(check, new int[] {oldSum}, new int[] {newSum});
        int proto = q.key().proto();
        if ((proto == 6 || proto == 17) && e.oldPort() != e.newPort()) {
            put16(p, q.l4() + (e.inward() ? 0 : 2), e.newPort());
            check = replace(check, new int[] {e.oldPort()}, new int[] {e.newPort()});
        }
        put16(p, l4 + 2, check);
    }

    /** The NAT rule for a packet to {@code dst}: by its port and protocol, else the whole address's. */
    private NatRule forwardRule(IpAddress dst, int dport, int proto, boolean hasPorts) {
        NatRule forward = null;
        if ((proto == 6 || proto == 17) && hasPorts) {
            forward = nat.get(new NatKey(dst, dport, proto));
        }
        return forward != null ? forward : nat.get(new NatKey(dst, 0, 0));
    }

    /**
     * A packet the rules let through, either family: translated towards the private side (forward
     * not null) and its connection remembered, or a reply of a remembered connection translated
     * back, or (neither) a direct packet that takes its tuple back from an old translated
     * connection. Returns the rewrite to make, or null.
     */
    private Rewrite translate(NatRule forward, IpAddress src, IpAddress dst, int sport, int dport, int proto, int tcpFlags) {
        boolean tcp = proto == 6;
        if (forward != null) {
            int newPort = forward.privatePort() != 0 ? forward.privatePort() : dport;
            if (!quiet) {
                count(forward, Shared.XNET_NAT_TO_PRIVATE);
                int whole = forward.wholeAddress() ? Shared.XNET_CT_WHOLE : 0;
                remember(new CtKey(forward.privateIp(), src, newPort, sport, proto), new CtValue(dst, dport, whole),
                        tcp ? tcpFlags : 0);
            }
            return new Rewrite(true, dst, forward.privateIp(), dport, newPort);
        }
        CtKey reply = new CtKey(src, dst, sport, dport, proto);
        CtValue back = conntrack.get(reply);
        if (back == null) {
            if (!quiet) {
                conntrack.remove(new CtKey(dst, src, dport, sport, proto)); // a direct flow takes the tuple
            }
            return null;
        }
        if (!quiet) {
            NatRule rule = (back.flags() & Shared.XNET_CT_WHOLE) != 0 ? nat.get(new NatKey(back.pubIp(), 0, 0))
                    : nat.get(new NatKey(back.pubIp(), back.pubPort(), proto));
            if (rule != null) {
                count(rule, Shared.XNET_NAT_TO_PUBLIC);
            }
            if (tcp && (tcpFlags & RST) != 0) {
                conntrack.remove(reply);
            } else if (tcp && (tcpFlags & FIN) != 0) {
                conntrack.put(reply, back.withFlags(Shared.XNET_CT_FIN_SERVER));
            }
        }
        return new Rewrite(false, src, back.pubIp(), sport, back.pubPort());
    }

    private static boolean isVlan(int type) {
        return type == 0x8100 || type == 0x88a8;
    }

    /** A translated packet: a SYN starts the connection afresh, a FIN is noted, an RST ends it. */
    private void remember(CtKey key, CtValue value, int tcpFlags) {
        if ((tcpFlags & RST) != 0) {
            conntrack.remove(key);
            return;
        }
        int fin = (tcpFlags & FIN) != 0 ? Shared.XNET_CT_FIN_CLIENT : 0;
        boolean opening = (tcpFlags & (SYN | ACK)) == SYN;
        CtValue known = conntrack.get(key);
        if (known != null && !opening && known.pubIp().equals(value.pubIp()) && known.pubPort() == value.pubPort()) {
            conntrack.put(key, known.withFlags(fin));
        } else {
            conntrack.put(key, value.withFlags(fin));
        }
    }

    private void count(NatRule rule, int way) {
        natCounts.computeIfAbsent(rule.id(), id -> new long[Shared.XNET_NAT_STAT_COUNT])[way]++;
    }

    /** Packets each NAT rule translated (by id): {to the private side, back from the public address}. */
    public Map<Integer, List<Long>> natCounts() {
        Map<Integer, List<Long>> out = new HashMap<>();
        natCounts.forEach((id, c) -> out.put(id, List.of(c[0], c[1])));
        return out;
    }

    /** The default action from now on (the programs read it from a map, so it changes without a reload). */
    public void defaultAction(FilterRule.Action action) {
        defaultDrop = action == FilterRule.Action.DROP;
    }

    /**
     * The IPv4 connection table as the kernel's xnet_ct map would print it: "privIp clientIp
     * privPort clientPort proto" to "pubIp pubPort flags" (addresses as unsigned numbers).
     */
    public Map<String, String> connections() {
        Map<String, String> out = new HashMap<>();
        conntrack.forEach((k, v) -> {
            if (k.privIp() instanceof Ipv4 priv) {
                out.put(connectionKey(priv.bits(), ((Ipv4) k.clientIp()).bits(), k.privPort(), k.clientPort(), k.proto()),
                        connectionValue(((Ipv4) v.pubIp()).bits(), v.pubPort(), v.flags()));
            }
        });
        return out;
    }

    /** The IPv6 connection table as xnet_ct6 would print it: the same, with addresses in their text form. */
    public Map<String, String> connections6() {
        Map<String, String> out = new HashMap<>();
        conntrack.forEach((k, v) -> {
            if (k.privIp() instanceof Ipv6) {
                out.put(k.privIp() + " " + k.clientIp() + " " + k.privPort() + " " + k.clientPort() + " " + k.proto(),
                        v.pubIp() + " " + v.pubPort() + " " + v.flags());
            }
        });
        return out;
    }

    public static String connectionKey(int privIp, int clientIp, int privPort, int clientPort, int proto) {
        return Integer.toUnsignedString(privIp) + " " + Integer.toUnsignedString(clientIp) + " " + privPort + " "
                + clientPort + " " + proto;
    }

    public static String connectionValue(int pubIp, int pubPort, int flags) {
        return Integer.toUnsignedString(pubIp) + " " + pubPort + " " + flags;
    }

    /**
     * The packet an ICMP error quotes at {@code at} (its IPv4 header, then 8 bytes of ports or an
     * echo's identifier), as lib/packet.h reads it; null when cut short or of another kind.
     */
    private static Quote quoted(byte[] frame, int at) {
        if (at + 20 > frame.length) {
            return null;
        }
        int ihl = (frame[at] & 0x0f) * 4;
        if (ihl < 20 || (u16(frame, at + 6) & 0x1fff) != 0 || at + ihl + 8 > frame.length) {
            return null;
        }
        int l4 = at + ihl;
        int proto = frame[at + 9] & 0xff;
        int src = u32(frame, at + 12);
        int dst = u32(frame, at + 16);
        if (proto == 6 || proto == 17) {
            return new Quote(new FlowTable.Key(src, dst, u16(frame, l4), u16(frame, l4 + 2), proto), at, l4);
        }
        int type = frame[l4] & 0xff;
        if (proto == 1 && (type == 0 || type == 8)) {
            return new Quote(new FlowTable.Key(src, dst, u16(frame, l4 + 4), u16(frame, l4 + 4), proto), at, l4);
        }
        return null;
    }

    /** The connection table as xnet_flows would print it (see {@link FlowTable#entries}); empty when untracked. */
    public Map<String, Integer> flows() {
        return flows.entries();
    }

    /** The IPv6 connection table as xnet_flows6 would print it (see {@link FlowTable#entries6}). */
    public Map<String, Integer> flows6() {
        return flows.entries6();
    }

    /**
     * The packet an ICMPv6 error quotes at {@code at} (its IPv6 header, then 8 bytes of ports or an
     * echo's identifier), as lib/packet.h's xnet_parse_quoted6 reads it: null when cut short, of
     * another kind, or with extension headers.
     */
    private static Quote quoted6(byte[] frame, int at) {
        if (at + 48 > frame.length) {
            return null;
        }
        int next = frame[at + 6] & 0xff;
        int l4 = at + 40;
        Ipv6 src = new Ipv6(u64(frame, at + 8), u64(frame, at + 16));
        Ipv6 dst = new Ipv6(u64(frame, at + 24), u64(frame, at + 32));
        if (next == 6 || next == 17) {
            return new Quote(new FlowTable.Key(src, dst, u16(frame, l4), u16(frame, l4 + 2), next), at, l4);
        }
        int type = frame[l4] & 0xff;
        if (next == Ipv6Chain.ICMPV6 && (type == 128 || type == 129)) {
            return new Quote(new FlowTable.Key(src, dst, u16(frame, l4 + 4), u16(frame, l4 + 4), next), at, l4);
        }
        return null;
    }

    /**
     * As xnet_tc_rewrite_error6: the outer address when it is the translated one, then the quoted
     * address and its TCP or UDP port, ICMPv6's checksum mended for each (it covers the
     * pseudo-header as well as the quote).
     */
    private static void rewriteError6(byte[] p, int l3, int l4, Quote q, ErrorRewrite e) {
        int[] from = words((Ipv6) e.oldIp());
        int[] to = words((Ipv6) e.newIp());
        int check = u16(p, l4 + 2);
        int outer = l3 + (e.inward() ? 24 : 8);
        if (new Ipv6(u64(p, outer), u64(p, outer + 8)).equals(e.oldIp())) {
            check = replace(check, from, to);
            System.arraycopy(((Ipv6) e.newIp()).bytes(), 0, p, outer, 16);
        }
        check = replace(check, from, to);
        System.arraycopy(((Ipv6) e.newIp()).bytes(), 0, p, q.l3() + (e.inward() ? 8 : 24), 16);
        int proto = q.key().proto();
        if ((proto == 6 || proto == 17) && e.oldPort() != e.newPort()) {
            put16(p, q.l4() + (e.inward() ? 0 : 2), e.newPort());
            check = replace(check, new int[] {e.oldPort()}, new int[] {e.newPort()});
        }
        put16(p, l4 + 2, check);
    }

    /** Packets decided so far in each connection state: {new, established, related}. */
    public long[] packetsInStates() {
        return new long[] {inState[xnet.model.ConnStates.NEW], inState[xnet.model.ConnStates.ESTABLISHED],
                inState[xnet.model.ConnStates.RELATED]};
    }

    /** IPv6 packets decided so far in each connection state: {new, established, related}. */
    public long[] packetsInStates6() {
        return new long[] {inState6[xnet.model.ConnStates.NEW], inState6[xnet.model.ConnStates.ESTABLISHED],
                inState6[xnet.model.ConnStates.RELATED]};
    }

    /** Empties the connection states (as a test empties xnet_flows and xnet_flows6 beside it). */
    public void forgetFlows() {
        flows.clear();
    }

    /**
     * An IPv6 packet, as bpf/lib/datapath.h's xnet_decide6: NAT towards the private side, the
     * connection state (as for IPv4, in the same table), the rules on the translated destination, then
     * replies of translated connections. A TCP or UDP header cut short is dropped, and a later
     * fragment has no ports; an ICMPv6 echo's identifier stands for both ports, as in IPv4.
     */
    private Result ipv6(byte[] frame, int l3, Ipv6Chain chain, byte[] out) {
        Ipv6 src = new Ipv6(u64(frame, l3 + 8), u64(frame, l3 + 16));
        Ipv6 dst = new Ipv6(u64(frame, l3 + 24), u64(frame, l3 + 32));
        int proto = chain.proto();
        int l4 = chain.l4();
        boolean hasPorts = false;
        int sport = 0;
        int dport = 0;
        int tcpFlags = 0;
        if (!chain.laterFragment() && (proto == 6 || proto == 17)) {
            if (l4 + (proto == 6 ? 20 : 8) > frame.length) {
                return new Result(true, -1, out);
            }
            sport = u16(frame, l4);
            dport = u16(frame, l4 + 2);
            tcpFlags = proto == 6 ? frame[l4 + 13] & 0xff : 0;
            hasPorts = true;
        }
        boolean echo = false;
        Quote quote = null;
        if (!chain.laterFragment() && proto == Ipv6Chain.ICMPV6) {
            int icmpType = frame[l4] & 0xff;
            if (icmpType == 128 || icmpType == 129) {
                sport = u16(frame, l4 + 4);
                dport = sport;
                echo = true;
            } else if (icmpType >= 1 && icmpType <= 4) {
                quote = quoted6(frame, l4 + 8);
            }
        }
        // an ICMPv6 error follows the connection it quotes, never a NAT rule of its own
        NatRule forward = quote != null ? null : forwardRule(dst, dport, proto, hasPorts);
        ErrorRewrite inward = quote != null ? inwardError(dst, quote) : null;
        Ipv6 seenDst = forward != null ? (Ipv6) forward.privateIp() : inward != null ? (Ipv6) inward.newIp() : dst;
        int seenPort = forward == null || forward.privatePort() == 0 ? dport : forward.privatePort();
        FlowTable.Seen seen = tracking ? flows.classify(new FlowTable.Key(src, seenDst, sport, seenPort, proto),
                hasPorts || echo, tcpFlags, seenQuote(quote, inward)) : null;
        int state = seen == null ? 0 : seen.state();
        if (!quiet) {
            inState[state]++;
            inState6[state]++;
            ipv6Decided[0]++;
        }
        boolean ports = hasPorts; // for the lambda: hasPorts is set where the header is read
        FilterRule decided = firstMatch(r -> matches6(r, src, seenDst, proto, seenPort, ports, state));
        if (decided != null && !quiet) {
            ipv6Decided[1]++;
        }
        int slot = slotOf(decided);
        if (drops(decided)) {
            return new Result(true, slot, out, state);
        }
        if (seen != null && !quiet) {
            flows.note(seen, proto, tcpFlags);
        }
        // an ICMPv6 error follows its connection (if any); any other packet its NAT rule or connection
        ErrorRewrite error = quote == null ? null : inward != null ? inward : outwardError(dst, quote);
        Rewrite rw = quote == null ? translate(forward, src, dst, sport, dport, proto, tcpFlags) : null;
        if ((error != null || rw != null) && l4 > XDP_REACH) {
            if (!quiet) {
                farTranslated++;
            }
            if (xdp) {
                return new Result(true, slot, out, state); // beyond the XDP rewrite's reach: dropped, not mended wrongly
            }
        }
        if (error != null) {
            rewriteError6(out, l3, l4, quote, error);
            countError(error);
        } else if (rw != null) {
            rewrite6(out, l3, rw, proto, hasPorts, chain.laterFragment() ? -1 : l4);
        }
        return new Result(false, slot, out, state);
    }

    /**
     * An IPv6 rewrite: the address (no header checksum), and the L4 checksum over the pseudo-header
     * when the packet carries one: TCP's and UDP's (a UDP checksum of 0 stays 0, as in IPv4) and
     * ICMPv6's; {@code l4} -1 for a later fragment, which has none.
     */
    private static void rewrite6(byte[] p, int l3, Rewrite rw, int proto, boolean hasPorts, int l4) {
        int[] oldWords = words((Ipv6) rw.oldIp());
        int[] newWords = words((Ipv6) rw.newIp());
        int at = l3 + (rw.destination() ? 24 : 8);
        for (int i = 0; i < 8; i++) {
            put16(p, at + 2 * i, newWords[i]);
        }
        boolean ports = hasPorts && (proto == 6 || proto == 17);
        int check = ports ? l4 + (proto == 6 ? 16 : 6) : l4 >= 0 && proto == Ipv6Chain.ICMPV6 ? l4 + 2 : -1;
        if (ports) {
            put16(p, l4 + (rw.destination() ? 2 : 0), rw.newPort());
        }
        if (check < 0 || proto == 17 && u16(p, check) == 0) {
            return;
        }
        int sum = replace(u16(p, check), oldWords, newWords);
        if (ports && rw.oldPort() != rw.newPort()) {
            sum = replace(sum, new int[] {rw.oldPort()}, new int[] {rw.newPort()});
        }
        put16(p, check, proto == 17 && sum == 0 ? 0xffff : sum);
    }

    private static int[] words(Ipv6 a) {
        int[] w = new int[8];
        for (int i = 0; i < 4; i++) {
            w[i] = (int) (a.hi() >>> (48 - 16 * i)) & 0xffff;
            w[i + 4] = (int) (a.lo() >>> (48 - 16 * i)) & 0xffff;
        }
        return w;
    }

    /** Incremental checksum update (RFC 1624) over 16-bit words. */
    static int replace(int checksum, int[] oldWords, int[] newWords) {
        long sum = ~checksum & 0xffff;
        for (int i = 0; i < oldWords.length; i++) {
            sum += ~oldWords[i] & 0xffff;
            sum += newWords[i] & 0xffff;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** ICMP errors translated so far with the connection they quote: IPv4's {inward, outward}, then ICMPv6's. */
    public long[] errorsTranslated() {
        return errorsTranslated.clone();
    }

    /** Translated IPv6 packets so far whose upper-layer header starts beyond the XDP rewrite's reach. */
    public long farTranslated() {
        return farTranslated;
    }

    /** IPv6 packets decided so far, and how many of them a rule (not the default) decided. */
    public long[] ipv6Decided() {
        return ipv6Decided.clone();
    }

    static long u64(byte[] p, int at) {
        return (Integer.toUnsignedLong(u32(p, at)) << 32) | Integer.toUnsignedLong(u32(p, at + 4));
    }

    public static String flowKey(int src, int dst, int sport, int dport, int proto) {
        return FlowTable.key(src, dst, sport, dport, proto);
    }

    static boolean matches(FilterRule rule, int src, int dst, int proto, int dport, boolean hasPorts, int state) {
        return rule.appliesTo(Family.IPV4) && (rule.from() == null || rule.from().contains(new Ipv4(src)))
                && (rule.to() == null || rule.to().contains(new Ipv4(dst))) && matchesBeyondAddresses(rule, proto, dport,
                hasPorts, state);
    }

    static boolean matches6(FilterRule rule, Ipv6 src, Ipv6 dst, int proto, int dport, boolean hasPorts, int state) {
        return rule.appliesTo(Family.IPV6) && (rule.from6() == null || rule.from6().contains(src))
                && (rule.to6() == null || rule.to6().contains(dst)) && matchesBeyondAddresses(rule, proto, dport, hasPorts,
                state);
    }

    /** What a rule asks besides addresses, the same for both families: states, protocol, destination port. */
    private static boolean matchesBeyondAddresses(FilterRule rule, int proto, int dport, boolean hasPorts, int state) {
        if (rule.states() != null && (state == 0 || !rule.states().has(state))) {
            return false;
        }
        if (rule.proto() != Proto.ANY && rule.proto().number() != proto) {
            return false;
        }
        return rule.port() == null || (hasPorts && rule.port().contains(dport));
    }

    /** The first rule that matches, in order; null when none does and the default decides. */
    private FilterRule firstMatch(java.util.function.Predicate<FilterRule> matching) {
        for (FilterRule rule : rules) {
            if (matching.test(rule)) {
                return rule;
            }
        }
        return null;
    }

    private boolean drops(FilterRule decided) {
        return decided == null ? defaultDrop : decided.action() == FilterRule.Action.DROP;
    }

    private int slotOf(FilterRule decided) {
        return decided == null ? 0 : slots.getOrDefault(decided.id(), 0);
    }

    private static void rewrite(byte[] p, int l3, boolean destination, int oldIp, int newIp, int oldPort, int newPort, int proto,
                                boolean hasPorts, int l4) {
        int ipField = l3 + (destination ? 16 : 12);
        put32(p, ipField, newIp);
        put16(p, l3 + 10, replace(u16(p, l3 + 10), oldIp, newIp, oldPort, oldPort));
        if (!hasPorts || (proto != 6 && proto != 17)) {
            return;
        }
        int check = l4 + (proto == 6 ? 16 : 6);
        int portField = l4 + (destination ? 2 : 0);
        put16(p, portField, newPort);
        int sum = u16(p, check);
        if (proto == 17 && sum == 0) {
            return;
        }
        sum = replace(sum, oldIp, newIp, oldPort, newPort);
        if (proto == 17 && sum == 0) {
            sum = 0xffff;
        }
        put16(p, check, sum);
    }

    /** Incremental checksum update (RFC 1624) for an address and a port (when it changes), as the kernel's helpers do. */
    static int replace(int checksum, int oldIp, int newIp, int oldPort, int newPort) {
        int[] from = oldPort != newPort ? new int[] {oldIp >>> 16, oldIp & 0xffff, oldPort}
                : new int[] {oldIp >>> 16, oldIp & 0xffff};
        int[] to = oldPort != newPort ? new int[] {newIp >>> 16, newIp & 0xffff, newPort}
                : new int[] {newIp >>> 16, newIp & 0xffff};
        return replace(checksum, from, to);
    }

    static int u16(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    static int u32(byte[] p, int at) {
        return (u16(p, at) << 16) | u16(p, at + 2);
    }

    static void put16(byte[] p, int at, int v) {
        p[at] = (byte) (v >>> 8);
        p[at + 1] = (byte) v;
    }

    static void put32(byte[] p, int at, int v) {
        put16(p, at, v >>> 16);
        put16(p, at + 2, v);
    }

    @Override
    public String toString() {
        return "ReferenceDatapath" + Arrays.asList(rules.size(), nat.size(), conntrack.size());
    }
}
