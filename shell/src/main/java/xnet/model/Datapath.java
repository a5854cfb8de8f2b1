package xnet.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where and how rules run. {@code hook}: tc or xdp (BPF), or iptables / nftables (the kernel's
 * own tables, the study's baseline). {@code perInterface} overrides the hook for one attach point
 * (the uplink, or a container's host-side veth, named by the container).
 */
public record Datapath(Hook hook, XdpMode xdpMode, Strategy strategy, Map<String, Hook> perInterface, boolean fastpath) {

    public enum Hook {
        TC, XDP, IPTABLES, NFTABLES;

        public boolean bpf() {
            return this == TC || this == XDP;
        }

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    /** Native XDP runs in the driver; generic runs on the sk_buff (cheaper for TCP on veth, see README). */
    public enum XdpMode {
        NATIVE, GENERIC;

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    public enum Strategy {
        AUTO, INLINE, MAP;

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    public static final Datapath DEFAULT = new Datapath(Hook.TC, XdpMode.GENERIC, Strategy.AUTO, Map.of());

    public Datapath {
        hook = hook == null ? Hook.TC : hook;
        xdpMode = xdpMode == null ? XdpMode.GENERIC : xdpMode;
        strategy = strategy == null ? Strategy.AUTO : strategy;
        perInterface = java.util.Collections.unmodifiableMap(new TreeMap<>(perInterface == null ? Map.of() : perInterface));
    }

    /** Without the fast path (see bpf/lib/fastpath.h): the normal kernel path after the rules. */
    public Datapath(Hook hook, XdpMode xdpMode, Strategy strategy, Map<String, Hook> perInterface) {
        this(hook, xdpMode, strategy, perInterface, false);
    }

    public Datapath withFastpath(boolean on) {
        return new Datapath(hook, xdpMode, strategy, perInterface, on);
    }

    public Hook hookOf(String attachPoint) {
        return perInterface.getOrDefault(attachPoint, hook);
    }
}
