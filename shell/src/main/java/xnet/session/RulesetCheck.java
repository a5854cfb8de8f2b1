package xnet.session;

/**
 * What `preview` and `commit check` show under `datapath iptables|nftables`: the script that would
 * be loaded and the loader's own check of it (`nft -c -f`, `iptables-restore --test`), run in the
 * lab's host namespace; {@code checked} is false when that namespace does not exist yet.
 */
public record RulesetCheck(String kind, String script, boolean checked, boolean passed, String verdict) {
}
