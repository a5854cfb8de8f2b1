package xnet.grammar;

import java.util.Map;

/** What a value's placeholder means, shown by completion and `?` where the value cannot be listed. */
final class Placeholders {

    /** Meanings of free-text values, by their key in the command's syntax. */
    private static final Map<String, String> TEXT = Map.of(
            "public", "IP:PORT (or IP) where traffic arrives, e.g. 10.0.0.1:80",
            "private", "the container IP:PORT (or IP) it goes to",
            "text", "free text to the end of the line",
            "experiments", "comma-separated experiment names",
            "ipam", "a CNI IPAM plugin name",
            "topic", "a command, such as: bridge add",
            "command", "a command and its arguments, run in the endpoint's namespace");

    private Placeholders() {
    }

    /** Whether a user may type a value that completion did not list (a new name, any address). */
    static boolean open(ValueType type) {
        return switch (type) {
            case NAME, CIDR, IPV4, CIDR6, IPV6, IP, INT, PREFIX, PORTS, STATES, DURATION, FILE, TEXT, REST -> true;
            default -> false;
        };
    }

    static String meaning(CommandSpec spec, Element.Value value) {
        return switch (value.type()) {
            case NAME -> "a new name: a letter, then letters, digits, '-' or '_'";
            case CIDR -> "a subnet, ADDR/LEN, e.g. 10.0.3.0/24";
            case IPV4 -> "an IPv4 address, A.B.C.D";
            case CIDR6 -> "an IPv6 subnet, ADDR/LEN, e.g. fd00:3::/64";
            case IPV6 -> "an IPv6 address, e.g. fd00:1::2";
            case IP -> "an IPv4 or IPv6 address, e.g. 10.0.0.3 or fd00::a00:3";
            case INT -> "a whole number";
            case PREFIX -> "an address or a prefix, e.g. 10.0.1.2, 172.16.0.0/12 or 2001:db8::/32";
            case PORTS -> "a port, or a range N-M";
            case STATES -> "connection states, comma-separated: new, established, related";
            case DURATION -> "minutes, or a number with its unit: 90s, 10m, 2h";
            case FILTER_RULE -> "a filter rule id (none in the candidate yet)";
            case NAT_RULE -> "a NAT rule id (none in the candidate yet)";
            case COMMIT -> "a commit number (no commits yet)";
            case BRIDGE -> "a bridge of the candidate (none yet: bridge add)";
            case CONTAINER -> "a container of the candidate (none yet: container add)";
            case TUNNEL -> "a tunnel of the candidate (none yet: tunnel add)";
            case ENDPOINT -> "a container, host or outside";
            case ATTACH -> "an attach point: uplink or a container";
            case PROFILE -> "a profile name (show profiles)";
            case FILE -> "a file name";
            default -> TEXT.getOrDefault(value.key(), spec.usage());
        };
    }
}
