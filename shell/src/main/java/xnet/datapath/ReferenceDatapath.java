package xnet.datapath;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import xnet.model.FilterRule;
import xnet.model.NatRule;
import xnet.model.Proto;

/**
 * What the BPF programs must do to a packet, written plainly in Java: rules scanned in order
 * (no tuples, no maps), NAT and its connection table in a HashMap. The differential tests run the
 * same packets through both and compare verdicts and bytes.
 */
public final class ReferenceDatapath {

    public record Result(boolean drop, int slot, byte[] out) {
    }

    private record NatKey(int ip, int port, int proto) {
    }

    private record CtKey(int privIp, int clientIp, int privPort, int clientPort, int proto) {
    }

    private record CtValue(int pubIp, int pubPort) {
    }

    private final List<FilterRule> rules;
    private final boolean defaultDrop;
    private final Map<Integer, Integer> slots;
    private final Map<NatKey, NatRule> nat = new HashMap<>();
    private final Map<CtKey, CtValue> conntrack = new HashMap<>();

    public ReferenceDatapath(List<FilterRule> rules, FilterRule.Action defaultAction, List<NatRule> nats,
                             Map<Integer, Integer> slots) {
        this.rules = List.copyOf(rules);
        this.defaultDrop = defaultAction == FilterRule.Action.DROP;
        this.slots = slots;
        for (NatRule r : nats) {
            nat.put(r.wholeAddress() ? new NatKey(r.publicIp().bits(), 0, 0)
                    : new NatKey(r.publicIp().bits(), r.publicPort(), r.proto().number()), r);
        }
    }

    public Result process(byte[] frame) {
        byte[] out = frame.clone();
        if (frame.length < 14) {
            return new Result(true, -1, out);
        }
        if (u16(frame, 12) != 0x0800) {
            return new Result(false, -1, out);
        }
        if (frame.length < 14 + 20 || (frame[14] & 0x0f) < 5) {
            return new Result(true, -1, out);
        }
        int l4 = 14 + (frame[14] & 0x0f) * 4;
        int proto = frame[14 + 9] & 0xff;
        int src = u32(frame, 14 + 12);
        int dst = u32(frame, 14 + 16);
        boolean fragment = (u16(frame, 14 + 6) & 0x1fff) != 0;
        boolean hasPorts = false;
        int sport = 0;
        int dport = 0;
        if (!fragment) {
            if (proto == 6 || proto == 17) {
                if (l4 + (proto == 6 ? 20 : 8) > frame.length) {
                    return new Result(true, -1, out);
                }
                sport = u16(frame, l4);
                dport = u16(frame, l4 + 2);
                hasPorts = true;
            } else if (proto == 1) {
                if (l4 + 8 > frame.length) {
                    return new Result(true, -1, out);
                }
                int type = frame[l4] & 0xff;
                if (type == 0 || type == 8) {
                    sport = u16(frame, l4 + 4);
                    dport = sport;
                }
            }
        }

        NatRule forward = null;
        if ((proto == 6 || proto == 17) && hasPorts) {
            forward = nat.get(new NatKey(dst, dport, proto));
        }
        if (forward == null) {
            forward = nat.get(new NatKey(dst, 0, 0));
        }
        int seenDst = dst;
        int seenPort = dport;
        int newPort = dport;
        if (forward != null) {
            seenDst = forward.privateIp().bits();
            newPort = forward.privatePort() != 0 ? forward.privatePort() : dport;
            seenPort = newPort;
        }

        int slot = 0;
        boolean drop = defaultDrop;
        for (FilterRule rule : rules) {
            if (matches(rule, src, seenDst, proto, seenPort, hasPorts)) {
                drop = rule.action() == FilterRule.Action.DROP;
                slot = slots.getOrDefault(rule.id(), 0);
                break;
            }
        }
        if (drop) {
            return new Result(true, slot, out);
        }
        if (forward != null) {
            conntrack.put(new CtKey(seenDst, src, newPort, sport, proto), new CtValue(dst, dport));
            rewrite(out, true, dst, seenDst, dport, newPort, proto, hasPorts, l4);
        } else {
            CtValue back = conntrack.get(new CtKey(src, dst, sport, dport, proto));
            if (back != null) {
                rewrite(out, false, src, back.pubIp(), sport, back.pubPort(), proto, hasPorts, l4);
            }
        }
        return new Result(false, slot, out);
    }

    static boolean matches(FilterRule rule, int src, int dst, int proto, int dport, boolean hasPorts) {
        if (rule.from() != null && !rule.from().contains(new xnet.model.Ipv4(src))) {
            return false;
        }
        if (rule.to() != null && !rule.to().contains(new xnet.model.Ipv4(dst))) {
            return false;
        }
        if (rule.proto() != Proto.ANY && rule.proto().number() != proto) {
            return false;
        }
        return rule.port() == null || (hasPorts && rule.port().contains(dport));
    }

    private static void rewrite(byte[] p, boolean destination, int oldIp, int newIp, int oldPort, int newPort, int proto,
                                boolean hasPorts, int l4) {
        int ipField = 14 + (destination ? 16 : 12);
        put32(p, ipField, newIp);
        put16(p, 14 + 10, replace(u16(p, 14 + 10), oldIp, newIp, oldPort, oldPort));
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

    /** Incremental checksum update (RFC 1624) for an address and a port, as the kernel's helpers do. */
    static int replace(int checksum, int oldIp, int newIp, int oldPort, int newPort) {
        long sum = ~checksum & 0xffff;
        sum += (~oldIp >>> 16) & 0xffff;
        sum += ~oldIp & 0xffff;
        sum += (newIp >>> 16) & 0xffff;
        sum += newIp & 0xffff;
        if (oldPort != newPort) {
            sum += ~oldPort & 0xffff;
            sum += newPort & 0xffff;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
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
