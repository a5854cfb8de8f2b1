package xnet.bench;

import java.util.List;

import xnet.model.FilterRule;

/**
 * The benchmark's rules for the kernel's own tables, as the files their loaders take: a linear
 * FORWARD chain for iptables-restore (the study's form), and one set with one rule for nft -f.
 * Each file replaces what the previous one loaded. Rules are the study's form: from A to B.
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
        if (!rules.isEmpty()) {
            out.append("    elements = { ");
            for (int i = 0; i < rules.size(); i++) {
                FilterRule r = rules.get(i);
                out.append(i == 0 ? "" : ", ").append(r.from().network()).append(" . ").append(r.to().network());
            }
            out.append(" }\n");
        }
        return out.append("  }\n  chain forward {\n    type filter hook forward priority 0; policy accept;\n")
                .append("    ip saddr . ip daddr @blocked drop\n  }\n}\n").toString();
    }

    /** What leaves the tables empty again. */
    static final String EMPTY_CHAIN = "*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n";
    static final String EMPTY_NFT = "flush ruleset\n";
}
