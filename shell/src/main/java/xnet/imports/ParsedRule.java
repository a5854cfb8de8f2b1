package xnet.imports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import xnet.model.Cidr;
import xnet.model.ConnStates;
import xnet.model.Ipv4;
import xnet.model.PortRange;
import xnet.model.Proto;

/**
 * One iptables rule's matches and target, as far as xnet has them: source and destination
 * prefixes, protocol, destination ports (one range, or a multiport list), a comment, the
 * connection states of a conntrack or state match, and the target with its options. Anything else (another match
 * module, an interface, a source port, a negation) is refused with the reason, so that no rule
 * is imported meaning something else than it did.
 */
record ParsedRule(IptablesSave.Rule rule, Cidr from, Cidr to, Proto proto, List<PortRange> ports, String comment,
                  ConnStates states, String target, Map<String, String> targetOptions) {

    /** Why a rule cannot be imported. */
    static final class Untranslatable extends Exception {
        Untranslatable(String why) {
            super(why, null, false, false);
        }
    }

    /** Matches that load a module only, and what the module itself checks. */
    private static final List<String> PLAIN_MODULES = List.of("tcp", "udp", "icmp", "comment", "multiport", "conntrack",
            "state");

    /** Whether the two match the same packets (as written: the same prefixes, protocol, ports and states). */
    boolean sameMatches(ParsedRule other) {
        return java.util.Objects.equals(from, other.from) && java.util.Objects.equals(to, other.to)
                && proto == other.proto && ports.equals(other.ports) && java.util.Objects.equals(states, other.states);
    }

    boolean unconditional() {
        return from == null && to == null && proto == Proto.ANY && ports.isEmpty() && states == null;
    }

    /**
     * This rule as reached through a jump with conditions: it matches what both match. Prefixes
     * nest or are disjoint, and port ranges intersect, so the pair is one rule again (or a set of
     * them, one per port range: still one ParsedRule with a list). Empty when no packet can match
     * both. The rule keeps its own comment, target and line.
     */
    java.util.Optional<ParsedRule> within(ParsedRule jump) {
        Cidr[] from = {null};
        Cidr[] to = {null};
        if (!narrower(this.from, jump.from, from) || !narrower(this.to, jump.to, to)) {
            return java.util.Optional.empty();
        }
        Proto both = proto == Proto.ANY ? jump.proto : jump.proto == Proto.ANY || jump.proto == proto ? proto : null;
        if (both == null) {
            return java.util.Optional.empty();
        }
        List<PortRange> together = ports;
        if (!jump.ports.isEmpty()) {
            together = new ArrayList<>();
            for (PortRange mine : ports.isEmpty() ? jump.ports : ports) {
                for (PortRange theirs : ports.isEmpty() ? List.of(mine) : jump.ports) {
                    int low = Math.max(mine.from(), theirs.from());
                    int high = Math.min(mine.to(), theirs.to());
                    if (low <= high) {
                        together.add(new PortRange(low, high));
                    }
                }
            }
            if (together.isEmpty()) {
                return java.util.Optional.empty();
            }
        }
        ConnStates bothStates = states == null ? jump.states : states;
        if (states != null && jump.states != null) {
            int common = states.bits() & jump.states.bits();
            if (common == 0) {
                return java.util.Optional.empty();
            }
            bothStates = new ConnStates(common);
        }
        return java.util.Optional.of(new ParsedRule(rule, from[0], to[0], both, List.copyOf(together), comment, bothStates,
                target, targetOptions));
    }

    /** The narrower of two prefixes into {@code out[0]} (null: any); false when they are disjoint. */
    private static boolean narrower(Cidr a, Cidr b, Cidr[] out) {
        if (a == null || b == null) {
            out[0] = a == null ? b : a;
            return true;
        }
        if (!a.overlaps(b)) {
            return false;
        }
        out[0] = a.prefix() >= b.prefix() ? a : b;
        return true;
    }

    static ParsedRule parse(IptablesSave.Rule rule) throws Untranslatable {
        List<String> w = rule.words();
        Cidr from = null;
        Cidr to = null;
        Proto proto = Proto.ANY;
        List<PortRange> ports = new ArrayList<>();
        String comment = null;
        ConnStates states = null;
        String target = null;
        Map<String, String> options = new java.util.LinkedHashMap<>();
        for (int i = 0; i < w.size(); i++) {
            String word = w.get(i);
            if (target != null) {
                if (!word.startsWith("--")) {
                    throw new Untranslatable("target option '" + word + "'");
                }
                String value = i + 1 < w.size() && !w.get(i + 1).startsWith("--") ? w.get(++i) : "";
                options.put(word, value);
                continue;
            }
            switch (word) {
                case "!" -> throw new Untranslatable("a negation (!): xnet's rules match what they name");
                case "-s", "--source" -> from = prefix(value(w, ++i, word));
                case "-d", "--destination" -> to = prefix(value(w, ++i, word));
                case "-p", "--protocol" -> proto = protocol(value(w, ++i, word));
                case "-m", "--match" -> {
                    String module = value(w, ++i, word);
                    if (!PLAIN_MODULES.contains(module)) {
                        throw new Untranslatable("the match module '" + module + "'");
                    }
                }
                case "--dport", "--destination-port" -> ports.add(portRange(value(w, ++i, word)));
                case "--dports", "--destination-ports" -> {
                    for (String item : value(w, ++i, word).split(",")) {
                        ports.add(portRange(item));
                    }
                }
                case "--comment" -> comment = value(w, ++i, word);
                case "--ctstate", "--state" -> states = states(value(w, ++i, word));
                case "-j", "--jump" -> target = value(w, ++i, word);
                case "-i", "-o", "--in-interface", "--out-interface" ->
                        throw new Untranslatable("an interface (" + word + "): xnet's rules apply at every attach point");
                case "--sport", "--source-port", "--sports", "--source-ports" ->
                        throw new Untranslatable("a source port (" + word + "): xnet's rules match destination ports");
                case "-g", "--goto" -> throw new Untranslatable("a goto (" + word + ")");
                case "-f", "--fragment" -> throw new Untranslatable("a fragment match (-f)");
                default -> throw new Untranslatable("the option '" + word + "'");
            }
        }
        if (!ports.isEmpty() && !proto.hasPorts()) {
            throw new Untranslatable("a destination port without -p tcp or udp");
        }
        return new ParsedRule(rule, from, to, proto, List.copyOf(ports), comment, states, target, options);
    }

    /** NEW, ESTABLISHED and RELATED, as xnet tracks them; INVALID, UNTRACKED, SNAT and DNAT it does not. */
    private static ConnStates states(String text) throws Untranslatable {
        for (String state : text.split(",")) {
            try {
                ConnStates.parse(state);
            } catch (IllegalArgumentException unknown) {
                throw new Untranslatable("the connection state " + state + ": xnet tracks NEW, ESTABLISHED and RELATED");
            }
        }
        return ConnStates.parse(text);
    }

    private static String value(List<String> words, int i, String option) throws Untranslatable {
        if (i >= words.size()) {
            throw new Untranslatable("'" + option + "' has no value");
        }
        return words.get(i);
    }

    static Cidr prefix(String text) throws Untranslatable {
        try {
            return text.contains("/") ? Cidr.parse(text) : new Cidr(Ipv4.parse(text), 32);
        } catch (IllegalArgumentException bad) {
            throw new Untranslatable("the address '" + text + "': " + bad.getMessage());
        }
    }

    private static Proto protocol(String text) throws Untranslatable {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "tcp", "6" -> Proto.TCP;
            case "udp", "17" -> Proto.UDP;
            case "icmp", "1" -> Proto.ICMP;
            case "all", "0" -> Proto.ANY;
            default -> throw new Untranslatable("the protocol '" + text + "': xnet has tcp, udp and icmp");
        };
    }

    /** N, or N:M as iptables writes a range. */
    private static PortRange portRange(String text) throws Untranslatable {
        try {
            return PortRange.parse(text.replace(':', '-'));
        } catch (IllegalArgumentException bad) {
            throw new Untranslatable("the port '" + text + "': " + bad.getMessage());
        }
    }
}
