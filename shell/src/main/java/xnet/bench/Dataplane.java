package xnet.bench;

import xnet.compile.InlineRules;
import xnet.model.Datapath;

/**
 * The dataplanes the study benchmark compares, side by side in one run: the kernel's tables as
 * the study used them (iptables as a linear chain, through both backends), nftables with a set
 * (the strongest kernel baseline), and xnet at tc and xdp with each strategy.
 */
public enum Dataplane {
    IPTABLES_LEGACY("iptables-legacy", null, null),
    IPTABLES_NFT("iptables-nft", null, null),
    NFTABLES_SET("nftables-set", null, null),
    XNET_TC_INLINE("xnet-tc-inline", Datapath.Hook.TC, Datapath.Strategy.INLINE),
    XNET_TC_MAP("xnet-tc-map", Datapath.Hook.TC, Datapath.Strategy.MAP),
    XNET_XDP_INLINE("xnet-xdp-inline", Datapath.Hook.XDP, Datapath.Strategy.INLINE),
    XNET_XDP_MAP("xnet-xdp-map", Datapath.Hook.XDP, Datapath.Strategy.MAP);

    private final String id;
    private final Datapath.Hook hook;
    private final Datapath.Strategy strategy;

    Dataplane(String id, Datapath.Hook hook, Datapath.Strategy strategy) {
        this.id = id;
        this.hook = hook;
        this.strategy = strategy;
    }

    public String id() {
        return id;
    }

    public boolean xnet() {
        return hook != null;
    }

    public Datapath datapath() {
        return new Datapath(hook, Datapath.XdpMode.GENERIC, strategy, null);
    }

    /** Why this dataplane cannot hold that many rules, or null when it can. */
    public String refusal(int rules) {
        if (strategy == Datapath.Strategy.INLINE && rules > InlineRules.MAX_RULES) {
            return "n/a: verifier limit (inline stops at " + InlineRules.MAX_RULES + " rules)";
        }
        return null;
    }

    @Override
    public String toString() {
        return id;
    }
}
