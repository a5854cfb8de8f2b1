package xnet.imports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import xnet.model.Cidr;
import xnet.model.Ipv4;
import xnet.model.PortRange;
import xnet.model.Proto;

/**
 * One iptables rule's matches and target, as far as xnet has them: source and destination
 * prefixes, protocol, destination ports (one range, or a multiport list), a comment, a
 * connection-state match, and the target with its options. Anything else (another match
 * module, an interface, a source port, a negation) is refused with the reason, so that no rule
 * is imported meaning something else than it did.
 */
record ParsedRule(IptablesSave.Rule rule, Cidr from, Cidr to, Proto proto, List<PortRange> ports, String comment,
                  String states, String target, Map<String, String> targetOptions) {

    /** Why a rule cannot be imported. */
    static final class Untranslatable extends Exception {
        Untranslatable(String why) {
            super(why, null, false, false);
        }
    }

    /** Matches that load a module only, and what the module itself checks. */
    private static final List<String> PLAIN_MODULES = List.of("tcp", "udp", "icmp", "comment", "multiport", "conntrack",
            "state");

    boolean unconditional() {
        return from == null && to == null && proto == Proto.ANY && ports.isEmpty() && states == null;
    }

    static ParsedRule parse(IptablesSave.Rule rule) throws Untranslatable {
        List<String> w = rule.words();
        Cidr from = null;
        Cidr to = null;
        Proto proto = Proto.ANY;
        List<PortRange> ports = new ArrayList<>();
        String comment = null;
        String states = null;
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
                case "--ctstate", "--state" -> states = value(w, ++i, word);
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
