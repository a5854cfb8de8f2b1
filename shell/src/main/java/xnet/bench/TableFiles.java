package xnet.bench;

import java.util.List;

import xnet.model.FilterRule;

/**
 * The benchmark's rules for the kernel's own tables, as the files their loaders take: a linear
 * FORWARD chain for iptables-restore (the study's form), and one set with one rule for nft -f.
 * Each file replaces what the previous one loaded. Rules of the study's form (from A to B, two
 * addresses) go into the set; any other (a prefix) becomes a rule of its own after the set's.
 */
final class TableFiles {

    private TableFiles() {
    }

    static String iptablesChain(List<FilterRule> rules) {
        StringBuilder out = new StringBuilder(64 + rules.size() * 56).append("*filter\n:FORWARD ACCEPT [0:0]\n");
        for (FilterRule r : rules) {
            out.append("-A FORWARD -s ").append(r.from()).append(" -d ").append(r.to()).append(" -j DROP\n");
        }
        return out.append("COMMIT\n").toString();
    }

    static String nftSet(List<FilterRule> rules) {
        StringBuilder out = new StringBuilder(256 + rules.size() * 32).append("flush ruleset\ntable ip xbench {\n")
                .append("  set blocked {\n    type ipv4_addr . ipv4_addr\n");
        List<FilterRule> pairs = rules.stream().filter(TableFiles::pair).toList();
        if (!pairs.isEmpty()) {
            out.append("    elements = { ");
            for (int i = 0; i < pairs.size(); i++) {
                FilterRule r = pairs.get(i);
                out.append(i == 0 ? "" : ", ").append(r.from().network()).append(" . ").append(r.to().network());
            }
            out.append(" }\n");
        }
        out.append("  }\n  chain forward {\n    type filter hook forward priority 0; policy accept;\n")
                .append("    ip saddr . ip daddr @blocked drop\n");
        for (FilterRule r : rules) {
            if (!pair(r)) {
                out.append("    ip saddr ").append(r.from()).append(" ip daddr ").append(r.to()).append(" drop\n");
            }
        }
        return out.append("  }\n}\n").toString();
    }

    private static boolean pair(FilterRule r) {
        return r.from().prefix() == 32 && r.to().prefix() == 32;
    }

    /** What leaves the tables empty again. */
    static final String EMPTY_CHAIN = "*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n";
    static final String EMPTY_NFT = "flush ruleset\n";
}
