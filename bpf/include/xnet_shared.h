/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants and structures shared by the BPF programs and the Java side (xnet.datapath.Shared).
 * A unit test parses this file and checks that every constant matches its Java twin.
 */
#ifndef XNET_SHARED_H
#define XNET_SHARED_H

#include <linux/types.h>

/* Verdicts of the rule matcher. */
#define XNET_ACT_ALLOW 0
#define XNET_ACT_DROP 1
/* A flag beside the verdict in a rule's action (map value, inline rule): the rule logs, i.e. the
 * packets it drops are reported to `monitor drops` (see the events below). */
#define XNET_ACT_LOG 2

/* Filter strategies (XNET_FILTER in the generated header). */
#define XNET_FILTER_NONE 0
#define XNET_FILTER_INLINE 1
#define XNET_FILTER_MAP 2

/* Capacities. Counter slot 0 counts packets that no rule matched (the default action). */
#define XNET_MAX_RULE_SLOTS 1048577
#define XNET_MAX_RULE_ENTRIES 4194304
#define XNET_MAX_TUPLES 64

/* The map strategy keeps two rule sets in the same maps: the programs read the one that
 * xnet_active names, and a commit rewrites the other, then names it. In a rule key the set is
 * the top bit of the tuple byte. Each family has its own tuples (up to XNET_MAX_TUPLES per set):
 * IPv4's of set s are at s * XNET_MAX_TUPLES, IPv6's at (XNET_RULE_SETS + s) * XNET_MAX_TUPLES. */
#define XNET_RULE_SETS 2
#define XNET_SET_BIT 128
#define XNET_MAX_NAT 65536
#define XNET_MAX_CT 262144
#define XNET_MAX_IFACES 4096
/* Containers of one host the fast path knows (xnet_fast entries, the uplink's included) */
#define XNET_MAX_FAST 65536

/* Per-interface counters (xnet_if_stats value index). */
#define XNET_STAT_PASSED 0
#define XNET_STAT_DROPPED 1
#define XNET_STAT_TRANSLATED 2
/* ARP frames, passed whatever the default action (see lib/datapath.h) */
#define XNET_STAT_ARP 3
#define XNET_STAT_COUNT 4

/* Per NAT rule (xnet_nat_stats value index): packets translated towards the private side, and
 * replies translated back from the public address. */
#define XNET_NAT_TO_PRIVATE 0
#define XNET_NAT_TO_PUBLIC 1
#define XNET_NAT_STAT_COUNT 2

/*
 * What-if packets (`test packet`): a test run whose context carries the two magic words (tc:
 * __sk_buff cb[0] and cb[1]; xdp: the first two words of XNET_PROBE_META_LEN bytes of metadata)
 * is a probe. The program decides as for any packet but changes no counter, connection entry or
 * fast-path count, and writes what it decided into the next two words (tc: cb[2], cb[3]; xdp:
 * the metadata's third and fourth): the counter slot of the rule (0: the default), and an info
 * word: the per-interface statistic it would count in bits 0-7, the NAT direction plus one in
 * bits 8-15 (0: no translation), the packet's connection state in bits 16-19 (0: connections are
 * not tracked), and XNET_PROBE_DONE, which says the program saw the probe.
 */
#define XNET_PROBE_MAGIC0 2020500852
#define XNET_PROBE_MAGIC1 1886547810
#define XNET_PROBE_META_LEN 16
#define XNET_PROBE_NAT_SHIFT 8
#define XNET_PROBE_STATE_SHIFT 16
#define XNET_PROBE_DONE (1 << 24)

/*
 * Events (`monitor drops`, `monitor nat`): the programs write a struct xnet_event into the ring
 * buffer xnet_events for each packet a logging rule drops and for each connection a NAT rule
 * opens, but only while a monitor listens for that kind (bit 1 << kind of xnet_monitor's
 * listening word, which xnetd sets), and at most xnet_monitor's rate per CPU, kind and second.
 * What the budget or a full ring refuses is counted in xnet_ev_budget's suppressed (per CPU).
 */
#define XNET_EVENT_DROP 0
#define XNET_EVENT_NAT 1
#define XNET_EVENT_KINDS 2
#define XNET_EVENT_RATE 1000
#define XNET_EVENT_RING_BYTES 262144

/*
 * Connection states (`state new,established,related`, xnet.model.ConnStates): a packet has one,
 * a rule matches a set. Tracked in xnet_flows only while the active rule set has a rule with
 * states (XNET_META_TRACK in its xnet_meta), so rules without them cost nothing more.
 */
#define XNET_STATE_NEW 1
#define XNET_STATE_ESTABLISHED 2
#define XNET_STATE_RELATED 4
#define XNET_META_TRACK 1
#define XNET_MAX_FLOWS 262144
/* xnet_flow_value.flags: a packet of the other direction was let through */
#define XNET_FLOW_REPLIED 1

/* Tuple flags. */
#define XNET_TUPLE_NEEDS_PORT 1

/* Map names, as libbpf sees them (at most 15 characters). */
#define XNET_MAP_RULES "xnet_rules"
#define XNET_MAP_RULES6 "xnet_rules6"
#define XNET_MAP_TUPLES "xnet_tuples"
#define XNET_MAP_META "xnet_meta"
#define XNET_MAP_ACTIVE "xnet_active"
#define XNET_MAP_RULE_STATS "xnet_rule_stats"
#define XNET_MAP_IF_STATS "xnet_if_stats"
#define XNET_MAP_NAT "xnet_nat"
#define XNET_MAP_CT "xnet_ct"
#define XNET_MAP_NAT_STATS "xnet_nat_stats"
#define XNET_MAP_NAT6 "xnet_nat6"
#define XNET_MAP_CT6 "xnet_ct6"
#define XNET_MAP_NAT_STATS6 "xnet_nat_stats6"
#define XNET_MAP_FAST "xnet_fast"
#define XNET_MAP_FAST_STATS "xnet_fast_stats"
#define XNET_MAP_EVENTS "xnet_events"
#define XNET_MAP_MONITOR "xnet_monitor"
#define XNET_MAP_EVENT_BUDGET "xnet_ev_budget"
#define XNET_MAP_FLOWS "xnet_flows"
#define XNET_MAP_FLOWS6 "xnet_flows6"

/* One entry of the rule map (map strategy): masked packet fields of one tuple. */
struct xnet_rule_key {
	__u32 src;
	__u32 dst;
	__u16 port;
	__u8 proto;
	__u8 tuple;	/* the tuple's id, with XNET_SET_BIT for set 1 */
	__u8 state;	/* one XNET_STATE_* (0 in a tuple whose rules match any state) */
	__u8 pad[3];
};

/* The same for IPv6 rules (map strategy): addresses in network order, as in the packet. */
struct xnet_rule_key6 {
	__u32 src[4];
	__u32 dst[4];
	__u16 port;
	__u8 proto;
	__u8 tuple;
	__u8 state;
	__u8 pad[3];
};

struct xnet_rule_value {
	__u32 prio;	/* the rule's place in the list: lower wins */
	__u32 slot;	/* counter slot */
	__u32 action;
};

/* A tuple: which bits of each field its rules look at. Tuples are sorted by min_prio (a lower
 * bound of their entries' priorities); id is what their entries' keys carry. */
struct xnet_tuple {
	__u32 src_mask;
	__u32 dst_mask;
	__u16 port_mask;
	__u8 proto_mask;
	__u8 flags;
	__u32 min_prio;
	__u8 id;
	__u8 state_mask;	/* 0xff when its rules match connection states, else 0 */
	__u8 pad[2];
	__u32 src_mask6[4];	/* an IPv6 tuple's address masks, network order (its entries are in xnet_rules6) */
	__u32 dst_mask6[4];
};

/* Runtime settings that change without recompiling; one per rule set. */
struct xnet_meta {
	__u32 tuple_count;
	__u32 default_action;
	__u32 digest;	/* what the set decides (xnet.compile.RuleDigest): read by lab status, not by programs */
	__u32 flags;	/* XNET_META_TRACK */
	__u32 tuple_count6;	/* IPv6 tuples */
};

/* Who listens (bit 1 << XNET_EVENT_*) and how many events each CPU may send per kind and second. */
struct xnet_monitor {
	__u32 listening;
	__u32 rate;
};

/* One CPU's budget for one kind of event: the second it counts, events sent in it, and all refused. */
struct xnet_event_budget {
	__u64 second;
	__u64 sent;
	__u64 suppressed;
};

/* A packet a logging rule dropped, or the first packet of a translated connection. */
struct xnet_event {
	__u64 time;		/* bpf_ktime_get_ns() */
	__u32 ifindex;		/* the attach point */
	__u32 slot;		/* the counter slot of the rule that dropped it (drops) */
	__u32 len;
	__u8 kind;		/* XNET_EVENT_* */
	__u8 proto;
	__u8 tcp_flags;
	__u8 v6;		/* an IPv6 packet: its addresses are src6 and dst6 (src and dst are 0) */
	__u32 src;		/* network order, as the packet arrived */
	__u32 dst;
	__u16 sport;		/* host order */
	__u16 dport;
	__u32 new_ip;		/* the destination after NAT (0: none) */
	__u16 new_port;
	__u16 pad2;
	__u32 pad3;
	__u32 src6[4];		/* network order */
	__u32 dst6[4];
	__u32 new_ip6[4];	/* IPv6: the destination after NAT (all 0: none); network order */
};

/* A connection, as the rules see its first packet (the destination after NAT): its opener's side first. */
struct xnet_flow_key {
	__u32 src;	/* network order */
	__u32 dst;
	__u16 sport;	/* host order; ICMP echo: the identifier */
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

/* The same for IPv6 connections (xnet_flows6): addresses in network order, as in the packet. */
struct xnet_flow_key6 {
	__u32 src[4];
	__u32 dst[4];
	__u16 sport;	/* host order; ICMPv6 echo: the identifier */
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct xnet_flow_value {
	__u32 flags;	/* XNET_FLOW_* */
};

struct xnet_counter {
	__u64 packets;
	__u64 bytes;
};

struct xnet_if_stats {
	__u64 packets[XNET_STAT_COUNT];
};

/* Static NAT: public address (and port, 0 for the whole address) to private. */
struct xnet_nat_key {
	__u32 ip;
	__u16 port;
	__u8 proto;
	__u8 pad;
};

struct xnet_nat_value {
	__u32 ip;
	__u16 port;
	__u16 pad;
};

/* The same for IPv6 rules (xnet_nat6, and xnet_nat_stats6's keys): addresses in network order. */
struct xnet_nat_key6 {
	__u32 ip[4];
	__u16 port;
	__u8 proto;
	__u8 pad;
};

struct xnet_nat_value6 {
	__u32 ip[4];
	__u16 port;
	__u16 pad;
};

/* Packets a NAT rule translated, per direction (XNET_NAT_TO_*), keyed by the rule's xnet_nat_key. */
struct xnet_nat_stats {
	__u64 packets[XNET_NAT_STAT_COUNT];
};

/*
 * The fast path's view of a host (lib/fastpath.h): a container's address (network order, as in
 * the packet) to its host-side veth and its bridge. Key 0 is the uplink: veth is its ifindex.
 */
struct xnet_fast_value {
	__u32 veth;
	__u32 bridge;	/* the bridge's ifindex */
	__u8 bridge_mac[6];	/* a frame to this MAC is routed by the host, not bridged */
	__u8 pad[2];
};

/* A translated connection, keyed as its replies look: from the private side to the client. */
struct xnet_ct_key {
	__u32 priv_ip;
	__u32 client_ip;
	__u16 priv_port;
	__u16 client_port;
	__u8 proto;
	__u8 pad[3];
};

/* Connection flags: which side has sent its FIN; whether its rule is a whole-address one (its
 * counters are then under the key with port and protocol 0). */
#define XNET_CT_FIN_CLIENT 1
#define XNET_CT_FIN_SERVER 2
#define XNET_CT_WHOLE 4

struct xnet_ct_value {
	__u32 pub_ip;
	__u16 pub_port;
	__u8 flags;
	__u8 pad;
};

/* An IPv6 translated connection (xnet_ct6), keyed and flagged as above. */
struct xnet_ct_key6 {
	__u32 priv_ip[4];
	__u32 client_ip[4];
	__u16 priv_port;
	__u16 client_port;
	__u8 proto;
	__u8 pad[3];
};

struct xnet_ct_value6 {
	__u32 pub_ip[4];
	__u16 pub_port;
	__u8 flags;
	__u8 pad;
};

#endif
