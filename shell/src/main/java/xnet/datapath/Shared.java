package xnet.datapath;

/**
 * The Java twins of bpf/include/xnet_shared.h. SharedHeaderTest parses the header and checks
 * that every value here matches it.
 */
public final class Shared {

    public static final int XNET_ACT_ALLOW = 0;
    public static final int XNET_ACT_DROP = 1;
    public static final int XNET_ACT_LOG = 2;
    public static final int XNET_FILTER_NONE = 0;
    public static final int XNET_FILTER_INLINE = 1;
    public static final int XNET_FILTER_MAP = 2;
    public static final int XNET_MAX_RULE_SLOTS = 1048577;
    public static final int XNET_MAX_RULE_ENTRIES = 4194304;
    public static final int XNET_MAX_TUPLES = 64;
    public static final int XNET_RULE_SETS = 2;
    public static final int XNET_SET_BIT = 128;
    public static final int XNET_MAX_NAT = 65536;
    public static final int XNET_MAX_CT = 262144;
    public static final int XNET_MAX_IFACES = 4096;
    public static final int XNET_MAX_FAST = 65536;
    public static final int XNET_STAT_PASSED = 0;
    public static final int XNET_STAT_DROPPED = 1;
    public static final int XNET_STAT_TRANSLATED = 2;
    public static final int XNET_STAT_ARP = 3;
    public static final int XNET_STAT_COUNT = 4;
    public static final int XNET_NAT_TO_PRIVATE = 0;
    public static final int XNET_NAT_TO_PUBLIC = 1;
    public static final int XNET_NAT_STAT_COUNT = 2;
    public static final int XNET_TUPLE_NEEDS_PORT = 1;
    public static final int XNET_PROBE_MAGIC0 = 2020500852;
    public static final int XNET_PROBE_MAGIC1 = 1886547810;
    public static final int XNET_PROBE_META_LEN = 16;
    public static final int XNET_PROBE_NAT_SHIFT = 8;
    public static final int XNET_PROBE_STATE_SHIFT = 16;
    public static final int XNET_PROBE_DONE = 1 << 24;
    public static final int XNET_STATE_NEW = 1;
    public static final int XNET_STATE_ESTABLISHED = 2;
    public static final int XNET_STATE_RELATED = 4;
    public static final int XNET_META_TRACK = 1;
    public static final int XNET_MAX_FLOWS = 262144;
    public static final int XNET_FLOW_REPLIED = 1;
    public static final int XNET_EVENT_DROP = 0;
    public static final int XNET_EVENT_NAT = 1;
    public static final int XNET_EVENT_KINDS = 2;
    public static final int XNET_EVENT_RATE = 1000;
    public static final int XNET_EVENT_RING_BYTES = 262144;
    public static final int XNET_CT_FIN_CLIENT = 1;
    public static final int XNET_CT_FIN_SERVER = 2;
    public static final int XNET_CT_WHOLE = 4;
    public static final String XNET_MAP_RULES = "xnet_rules";
    public static final String XNET_MAP_RULES6 = "xnet_rules6";
    public static final String XNET_MAP_TUPLES = "xnet_tuples";
    public static final String XNET_MAP_META = "xnet_meta";
    public static final String XNET_MAP_ACTIVE = "xnet_active";
    public static final String XNET_MAP_RULE_STATS = "xnet_rule_stats";
    public static final String XNET_MAP_IF_STATS = "xnet_if_stats";
    public static final String XNET_MAP_NAT = "xnet_nat";
    public static final String XNET_MAP_CT = "xnet_ct";
    public static final String XNET_MAP_NAT_STATS = "xnet_nat_stats";
    public static final String XNET_MAP_NAT6 = "xnet_nat6";
    public static final String XNET_MAP_CT6 = "xnet_ct6";
    public static final String XNET_MAP_NAT_STATS6 = "xnet_nat_stats6";
    public static final String XNET_MAP_FAST = "xnet_fast";
    public static final String XNET_MAP_FAST_STATS = "xnet_fast_stats";
    public static final String XNET_MAP_EVENTS = "xnet_events";
    public static final String XNET_MAP_MONITOR = "xnet_monitor";
    public static final String XNET_MAP_EVENT_BUDGET = "xnet_ev_budget";
    public static final String XNET_MAP_FLOWS = "xnet_flows";
    public static final String XNET_MAP_FLOWS6 = "xnet_flows6";

    /** Sizes of the shared structs, as laid out by clang for BPF (checked against BTF in a kernel test). */
    public static final int RULE_KEY_SIZE = 16;
    /** Where a rule key holds its tuple byte (with XNET_SET_BIT for set 1). */
    public static final int RULE_KEY_TUPLE_AT = 11;
    public static final int RULE_KEY6_SIZE = 40;
    /** Where an IPv6 rule key holds its tuple byte. */
    public static final int RULE_KEY6_TUPLE_AT = 35;
    public static final int RULE_VALUE_SIZE = 12;
    public static final int TUPLE_SIZE = 52;
    public static final int META_SIZE = 20;
    public static final int COUNTER_SIZE = 16;
    public static final int IF_STATS_SIZE = 32;
    public static final int NAT_KEY_SIZE = 8;
    public static final int NAT_VALUE_SIZE = 8;
    public static final int CT_KEY_SIZE = 16;
    public static final int CT_VALUE_SIZE = 8;
    public static final int NAT_KEY6_SIZE = 20;
    public static final int NAT_VALUE6_SIZE = 20;
    public static final int CT_KEY6_SIZE = 40;
    public static final int CT_VALUE6_SIZE = 20;
    /** struct xnet_fast_value: veth, bridge, bridge_mac[6], pad[2]. */
    public static final int FAST_VALUE_SIZE = 16;
    public static final int FLOW_KEY_SIZE = 16;
    public static final int FLOW_KEY6_SIZE = 40;
    public static final int FLOW_VALUE_SIZE = 4;
    public static final int MONITOR_SIZE = 8;
    public static final int EVENT_BUDGET_SIZE = 24;
    /** struct xnet_event; programs built before IPv6 NAT events wrote EVENT_SIZE_V4 bytes (no new_ip6). */
    public static final int EVENT_SIZE = 96;
    public static final int EVENT_SIZE_V4 = 80;

    private Shared() {
    }
}
