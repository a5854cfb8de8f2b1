package xnet.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Generated command lines: valid lines of the grammar mutated token by token (replaced by a
 * keyword or an awkward value, dropped, doubled, swapped, joined with ';'), and raw bytes.
 * Lines never hold a word that would act beyond the candidate (commit, exec, lab, source...):
 * a fuzz run must leave the running config as it was.
 */
final class CommandFuzzer {

    private static final List<String> VALID = List.of(
            "bridge add br3 10.0.3.0/24", "bridge del br2", "bridge list", "bridge list --json",
            "container add api --bridge br1", "container add api --bridge br1 --ip 10.0.1.50",
            "container del db", "container list --json",
            "filter add drop from 10.1.0.0/16", "filter add allow from 10.2.0.0/24 to 10.0.1.0/24 proto tcp port 443",
            "filter add drop proto udp port 1000-2000", "filter add drop from 10.3.3.3 before 1",
            "filter del 1", "filter default drop", "filter default allow", "filter flush", "filter list",
            "nat add 10.0.0.9:443 -> 10.0.1.2:8443 proto tcp", "nat add 10.0.0.7 -> 10.0.2.2", "nat del 1", "nat list",
            "datapath xdp", "datapath tc on web", "datapath xdp mode generic", "datapath strategy map",
            "datapath iptables", "show running", "show candidate --json", "show datapath", "show counters --json",
            "show history", "show profiles", "show ruleset nftables", "compare", "discard", "history", "rollback 1",
            "tunnel add t1 --vni 42 --remote 10.0.0.3", "tunnel del t1", "tunnel list", "help filter", "help");

    private static final List<String> VALUES = List.of(
            "br1", "br2", "web", "db", "1", "2", "0", "-1", "65535", "65536", "99999999999999999999", "0x10", "1e3",
            "10.0.0.1", "10.0.1.2", "10.0.0.256", "256.1.1.1", "10.0.0", "10.0.0.1.1", "0.0.0.0/0", "10.0.0.0/33",
            "10.0.1.5/24", "10.0.0.0/-1", "::1", "fe80::1/64", "1000-2000", "2000-1000", "80-", "-80", ":80",
            "10.0.0.1:80", "10.0.0.1:0", "10.0.0.1:99999", "->", "-", "--", "--bridge", "--ip", "--json", "--watch",
            "proto", "tcp", "udp", "icmp", "sctp", "port", "from", "to", "before", "drop", "allow", "any", "on",
            "mode", "native", "generic", "strategy", "inline", "auto", "default", "all", ".", "..", "uplink",
            "a-very-long-interface-name", "\u0661\u0660.\u0660.\u0660.\u0661", "\uff11", "\u00e9t\u00e9", "\ud83d\ude00",
            "\"", "'", "\"unterminated", "'x y'", "\\", "$(id)", "`id`", "%s%n", "{}", "[]", "#", "# comment", ";",
            ";;", "\t", "\u0000", "\u001b[31m", "\r", "null", "NaN");

    /** Words whose commands reach beyond the candidate, or never end (--watch). */
    private static final Set<String> BEYOND = Set.of("commit", "exec", "lab", "source", "save", "load", "daemon",
            "bench", "cni", "quit", "exit", "preview", "--watch", "attach", "check");

    private final Random random;
    private final List<String> keywords = new ArrayList<>();

    CommandFuzzer(long seed) {
        random = new Random(seed);
        for (String line : VALID) {
            for (String word : line.split(" ")) {
                if (!keywords.contains(word)) {
                    keywords.add(word);
                }
            }
        }
    }

    /** A line for -c: no NUL (an argument cannot hold one) and no newline. */
    String commandLine() {
        String line;
        do {
            line = random.nextInt(10) == 0 ? rawText() : mutated();
        } while (reachesBeyond(line) || line.indexOf('\0') >= 0 || line.indexOf('\n') >= 0);
        return line;
    }

    /** A line's bytes for -f -: sometimes not UTF-8 at all. */
    byte[] scriptLine() {
        if (random.nextInt(20) == 0) {
            byte[] raw = new byte[1 + random.nextInt(40)];
            random.nextBytes(raw);
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == '\n') {
                    raw[i] = ' ';
                }
            }
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            if (!reachesBeyond(text)) {
                return raw;
            }
        }
        String line;
        do {
            line = random.nextInt(10) == 0 ? rawText() : mutated();
        } while (reachesBeyond(line) || line.indexOf('\n') >= 0);
        return line.getBytes(StandardCharsets.UTF_8);
    }

    private String mutated() {
        List<String> tokens = new ArrayList<>(List.of(VALID.get(random.nextInt(VALID.size())).split(" ")));
        int edits = random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(tokens.size());
            switch (random.nextInt(7)) {
                case 0 -> tokens.set(at, VALUES.get(random.nextInt(VALUES.size())));
                case 1 -> tokens.set(at, keywords.get(random.nextInt(keywords.size())));
                case 2 -> {
                    if (tokens.size() > 1) {
                        tokens.remove(at);
                    }
                }
                case 3 -> tokens.add(at, tokens.get(at));
                case 4 -> java.util.Collections.swap(tokens, at, random.nextInt(tokens.size()));
                case 5 -> tokens.add(at, VALUES.get(random.nextInt(VALUES.size())));
                default -> tokens.set(at, tokens.get(at).repeat(1 + random.nextInt(random.nextInt(50) == 0 ? 5000 : 3)));
            }
        }
        String line = String.join(random.nextInt(15) == 0 ? "\t" : " ", tokens);
        if (random.nextInt(12) == 0) {
            line = line + "; " + VALID.get(random.nextInt(VALID.size()));
        }
        return line;
    }

    private String rawText() {
        StringBuilder out = new StringBuilder();
        int length = random.nextInt(60);
        for (int i = 0; i < length; i++) {
            out.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x3000) : 0x20 + random.nextInt(0x5f));
        }
        return out.toString();
    }

    static boolean reachesBeyond(String line) {
        for (String word : line.toLowerCase(Locale.ROOT).split("[\\s;\"'`]+")) {
            if (BEYOND.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
