/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connection states for rules that match them (`allow state established,related`), as iptables'
 * conntrack names them, kept in xnet_flows while the active rule set has such a rule.
 *
 * A connection is keyed as the rules see its first packet (after the NAT of the destination),
 * its opener's side first. A packet of it is ESTABLISHED once a packet of the other direction
 * has been let through (the reply itself included), else NEW; a TCP SYN without ACK is always
 * NEW (it opens the connection afresh). An ICMP error that quotes a packet of a known connection
 * (either direction) is RELATED. Everything else is NEW: a packet without ports (a later
 * fragment, ICMP other than echo, other protocols) is neither looked up nor recorded.
 *
 * Only packets the rules let through change the table: a NEW one opens its connection (a SYN
 * resets it), the first reply marks it answered, a TCP RST ends it. Entries also leave when the
 * LRU map is full; there are no timeouts. What-if packets look, never write.
 */
#ifndef XNET_FLOWS_H
#define XNET_FLOWS_H

#include "maps.h"
#include "packet.h"

/* How a packet belongs to the table, for xnet_flow_note. */
#define XNET_FLOW_NONE 0	/* not tracked (no ports, or an ICMP error) */
#define XNET_FLOW_OPENS 1	/* a NEW packet: its connection is (re)opened */
#define XNET_FLOW_ORIGINAL 2	/* a packet of the opener's direction of a known connection */
#define XNET_FLOW_REPLY 3	/* a packet of the other direction */

static __always_inline struct xnet_flow_key xnet_flow_key_of(__u32 src, __u32 dst, __u16 sport, __u16 dport,
							     __u8 proto)
{
	struct xnet_flow_key key = { .src = src, .dst = dst, .sport = sport, .dport = dport, .proto = proto };
	return key;
}

/* Whether an ICMP error quotes a packet of a known connection, in either direction. */
static __always_inline int xnet_flow_related(const struct xnet_pkt *p)
{
	struct xnet_flow_key quoted = xnet_flow_key_of(p->inner_src, p->inner_dst, p->inner_sport, p->inner_dport,
						       p->inner_proto);
	if (bpf_map_lookup_elem(&xnet_flows, &quoted))
		return 1;
	struct xnet_flow_key back = xnet_flow_key_of(p->inner_dst, p->inner_src, p->inner_dport, p->inner_sport,
						     p->inner_proto);
	return bpf_map_lookup_elem(&xnet_flows, &back) != 0;
}

/* Sets p->ct_state; *key and the returned XNET_FLOW_* say what xnet_flow_note is to change. */
static __always_inline __u32 xnet_flow_classify(struct xnet_pkt *p, struct xnet_flow_key *key)
{
	int tracked = (p->has_ports && (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP)) || p->is_echo;
	if (p->has_inner) {
		p->ct_state = xnet_flow_related(p) ? XNET_STATE_RELATED : XNET_STATE_NEW;
		return XNET_FLOW_NONE;
	}
	p->ct_state = XNET_STATE_NEW;
	if (!tracked)
		return XNET_FLOW_NONE;
	*key = xnet_flow_key_of(p->src, p->dst, p->sport, p->dport, p->proto);
	if (p->proto == IPPROTO_TCP && (p->tcp_flags & (XNET_TCP_SYN | XNET_TCP_ACK)) == XNET_TCP_SYN)
		return XNET_FLOW_OPENS;
	struct xnet_flow_value *known = bpf_map_lookup_elem(&xnet_flows, key);
	if (known) {
		if (known->flags & XNET_FLOW_REPLIED)
			p->ct_state = XNET_STATE_ESTABLISHED;
		return XNET_FLOW_ORIGINAL;
	}
	struct xnet_flow_key back = xnet_flow_key_of(p->dst, p->src, p->dport, p->sport, p->proto);
	if (bpf_map_lookup_elem(&xnet_flows, &back)) {
		*key = back;
		p->ct_state = XNET_STATE_ESTABLISHED;
		return XNET_FLOW_REPLY;
	}
	return XNET_FLOW_OPENS;
}

/* A packet the rules let through: the table as xnet_flow_classify said it would change. */
static __always_inline void xnet_flow_note(const struct xnet_pkt *p, const struct xnet_flow_key *key, __u32 how)
{
	if (how == XNET_FLOW_NONE)
		return;
	if (p->proto == IPPROTO_TCP && (p->tcp_flags & XNET_TCP_RST)) {
		bpf_map_delete_elem(&xnet_flows, key);
		return;
	}
	if (how == XNET_FLOW_OPENS) {
		struct xnet_flow_value fresh = { .flags = 0 };
		bpf_map_update_elem(&xnet_flows, key, &fresh, BPF_ANY);
	} else if (how == XNET_FLOW_REPLY) {
		struct xnet_flow_value *known = bpf_map_lookup_elem(&xnet_flows, key);
		if (known && !(known->flags & XNET_FLOW_REPLIED))
			known->flags |= XNET_FLOW_REPLIED;
	}
}

#endif
