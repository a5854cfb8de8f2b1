package xnet.datapath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import xnet.model.Config;
import xnet.model.IpAddress;
import xnet.model.Ipv4;
import xnet.model.Ipv6;
import xnet.model.NatEndpoint;
import xnet.model.NatRule;
import xnet.model.Proto;

/**
 * What a what-if packet met (`test packet`), read from a probe run of the program attached at
 * the point: the verdict from the program's return code, the rule from the counter slot it
 * reports (0: the default action), the NAT rewrite from the bytes it gave back, and the counters
 * a real packet would have moved. Pure: the run's numbers in, the answer out.
 */
public record WhatIf(String point, String hook, int programId, String verdict, Integer rule, String ruleText,
                     String rewrite, Integer nat, String natWay, List<String> counters, boolean candidate,
                     String connectionState) {

    /** tc's and XDP's return codes (linux/pkt_cls.h, linux/bpf.h). */
    static final int TC_ACT_OK = 0;
    static final int TC_ACT_SHOT = 2;
    static final int TC_ACT_REDIRECT = 7;
    static final int XDP_DROP = 1;
    static final int XDP_PASS = 2;
    private static final List<String> POINT_COUNTERS = List.of("passed", "dropped", "translated", "arp");
    private static final int L3 = 14;

    /**
     * The answer of a probe run. {@code slotOfRule}: the counter slots of {@code config}; {@code
     * in}, {@code out}: the frame given and the frame the program left; {@code candidate}: the
     * program was the candidate's, loaded for the question (else the one attached now).
     */
    public static WhatIf of(String point, String hook, int programId, int retval, int slot, int info, byte[] in,
                            byte[] out, Config running, Map<Integer, Integer> slotOfRule, boolean candidate) {
        if ((info & Shared.XNET_PROBE_DONE) == 0) {
            throw new IllegalStateException("the program at " + point + " does not answer what-if packets (it was "
                    + "built before them): commit a change that loads new programs, or 'lab rebuild'");
        }
        boolean tc = hook.equals("tc");
        String verdict;
        if (tc) {
            verdict = retval == TC_ACT_SHOT ? "drop" : retval == TC_ACT_REDIRECT ? "pass, handed on by the fast path"
                    : retval == TC_ACT_OK ? "pass" : "tc action " + retval;
        } else {
            verdict = retval == XDP_DROP ? "drop" : retval == XDP_PASS ? "pass" : "xdp action " + retval;
        }
        Integer rule = null;
        String ruleText = "the default action (" + running.defaultAction() + ")";
        if (slot != 0) {
            for (Map.Entry<Integer, Integer> e : slotOfRule.entrySet()) {
                if (e.getValue() == slot) {
                    rule = e.getKey();
                }
            }
            final Integer id = rule;
            ruleText = running.filters().stream().filter(r -> id != null && r.id() == id).findFirst()
                    .map(r -> "filter " + r.id() + ": " + r.text())
                    .orElse("counter slot " + slot + ", which no running rule has");
        }
        int wayPlusOne = (info >>> Shared.XNET_PROBE_NAT_SHIFT) & 0xff;
        String natWay = wayPlusOne == 0 ? null
                : wayPlusOne - 1 == Shared.XNET_NAT_TO_PRIVATE ? "to-private" : "to-public";
        String rewrite = rewrite(in, out);
        Integer nat = natWay == null ? null : natRule(in, out, natWay, running.nats());
        int stat = info & 0xff;
        String pointCounter = stat < POINT_COUNTERS.size() ? POINT_COUNTERS.get(stat) : "statistic " + stat;
        List<String> counters = new ArrayList<>();
        if (!pointCounter.equals("arp")) {
            counters.add(rule == null ? "default" : "filter " + rule);
        }
        counters.add(point + " " + pointCounter);
        if (nat != null) {
            counters.add("nat " + nat + " " + natWay);
        }
        int state = (info >>> Shared.XNET_PROBE_STATE_SHIFT) & 0xf;
        String connectionState = state == 0 ? null
                : state <= xnet.model.ConnStates.ALL ? new xnet.model.ConnStates(state).toString() : "state " + state;
        return new WhatIf(point, hook, programId, verdict, rule, ruleText, rewrite, nat, natWay, List.copyOf(counters),
                candidate, connectionState);
    }

    /**
     * Where a what-if frame keeps its addresses and ports: IPv4 (with its options), or IPv6 as
     * ProbePacket builds it (no extension headers); null for another frame.
     */
    private record Layout(boolean v6, int src, int dst, int proto, int l4) {

        static Layout of(byte[] p) {
            if (p.length >= L3 + 40 && ReferenceDatapath.u16(p, 12) == 0x86dd) {
                return new Layout(true, L3 + 8, L3 + 24, p[L3 + 6] & 0xff, L3 + 40);
            }
            if (p.length >= L3 + 20 && ReferenceDatapath.u16(p, 12) == 0x0800) {
                return new Layout(false, L3 + 12, L3 + 16, p[L3 + 9] & 0xff, L3 + (p[L3] & 0x0f) * 4);
            }
            return null;
        }

        boolean ports(byte[] p) {
            return (proto == 6 || proto == 17) && p.length >= l4 + 4;
        }

        IpAddress address(byte[] p, int at) {
            return v6 ? new Ipv6(ReferenceDatapath.u64(p, at), ReferenceDatapath.u64(p, at + 8))
                    : new Ipv4(ReferenceDatapath.u32(p, at));
        }
    }

    /** "destination 10.0.0.1:80 -> 10.0.1.2:8080" (IPv6: [fd00::a00:1]:80 -> ...), "source ... -> ...", or null when the addresses stayed. */
    static String rewrite(byte[] in, byte[] out) {
        Layout l = Layout.of(in);
        if (l == null || out.length < in.length) {
            return null;
        }
        boolean ports = l.ports(in);
        String from = endpoint(in, l, l.src(), ports ? l.l4() : -1);
        String to = endpoint(in, l, l.dst(), ports ? l.l4() + 2 : -1);
        String newFrom = endpoint(out, l, l.src(), ports ? l.l4() : -1);
        String newTo = endpoint(out, l, l.dst(), ports ? l.l4() + 2 : -1);
        if (!to.equals(newTo)) {
            return "destination " + to + " -> " + newTo;
        }
        if (!from.equals(newFrom)) {
            return "source " + from + " -> " + newFrom;
        }
        return null;
    }

    private static String endpoint(byte[] p, Layout l, int addressAt, int portAt) {
        IpAddress address = l.address(p, addressAt);
        return portAt < 0 ? address.toString() : NatEndpoint.text(address, ReferenceDatapath.u16(p, portAt));
    }

    /** The running NAT rule of the translation: by the public side the packet was sent to, or replied from. */
    private static Integer natRule(byte[] in, byte[] out, String way, List<NatRule> nats) {
        Layout l = Layout.of(in);
        if (l == null) {
            return null;
        }
        boolean ports = l.ports(in);
        boolean toPrivate = way.equals("to-private");
        byte[] publicSide = toPrivate ? in : out;
        IpAddress ip = l.address(publicSide, toPrivate ? l.dst() : l.src());
        int port = ports ? ReferenceDatapath.u16(publicSide, l.l4() + (toPrivate ? 2 : 0)) : 0;
        NatRule whole = null;
        for (NatRule r : nats) {
            if (!r.publicIp().equals(ip)) {
                continue;
            }
            if (r.wholeAddress()) {
                whole = r;
            } else if (ports && r.publicPort() == port && r.proto() == (l.proto() == 6 ? Proto.TCP : Proto.UDP)) {
                return r.id();
            }
        }
        return whole == null ? null : whole.id();
    }

    /** How `test packet` prints it. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("at " + point + " (" + hook + ", " + (candidate ? "the candidate's program " : "program ") + programId
                + "): " + verdict);
        out.add("decided by " + ruleText + (connectionState == null ? "" : "; connection state: " + connectionState));
        out.add(rewrite == null ? "no translation" : "translated: " + rewrite + (nat == null ? "" : " (nat " + nat + ")"));
        out.add("counters a real packet would move: " + String.join(", ", counters) + " (none moved)");
        return out;
    }
}
