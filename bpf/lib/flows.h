/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connection states for rules that match them (`allow state established,related`), as iptables'
 * conntrack names them, kept in xnet_flows (IPv4) and xnet_flows6 (IPv6) while the active rule
 * set has such a rule.
 *
 * A connection is keyed as the rules see its first packet (after the NAT of the destination),
 * its opener's side first. A packet of it is ESTABLISHED once a packet of the other direction
 * has been let through (the reply itself included), else NEW; a TCP SYN without ACK is always
 * NEW (it opens the connection afresh). An ICMP error that quotes a packet of a known connection
 * (either direction) is RELATED, and so is an ICMPv6 error (unreachable, too big, time
 * exceeded, parameter problem) that quotes one. Everything else is NEW: a packet without ports (a later
 * fragment, ICMP(v6) other than echo, other protocols) is neither looked up nor recorded.
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

static __always_inline void xnet_flow_key6_of(struct xnet_flow_key6 *key, const __u32 *src, const __u32 *dst,
					      __u16 sport, __u16 dport, __u8 proto)
{
	__builtin_memcpy(key->src, src, sizeof(key->src));
	__builtin_memcpy(key->dst, dst, sizeof(key->dst));
	key->sport = sport;
	key->dport = dport;
	key->proto = proto;
	key->pad[0] = 0;
	key->pad[1] = 0;
	key->pad[2] = 0;
}

/* Whether a packet of this kind has a connection: TCP and UDP with ports, ICMP(v6) echo. */
static __always_inline int xnet_flow_tracked(const struct xnet_pkt *p)
{
	return (p->has_ports && (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP)) || p->is_echo;
}

/*
 * The family-free part of a tracked packet's classification, in the family's table (map): key
 * is its connection as it goes, back the same reversed; on a reply, key becomes back (size:
 * the key's). Sets p->ct_state, returns the XNET_FLOW_* change.
 */
static __always_inline __u32 xnet_flow_lookup(void *map, struct xnet_pkt *p, void *key, const void *back, __u32 size)
{
	if (p->proto == IPPROTO_TCP && (p->tcp_flags & (XNET_TCP_SYN | XNET_TCP_ACK)) == XNET_TCP_SYN)
		return XNET_FLOW_OPENS;
	struct xnet_flow_value *known = bpf_map_lookup_elem(map, key);
	if (known) {
		if (known->flags & XNET_FLOW_REPLIED)
			p->ct_state = XNET_STATE_ESTABLISHED;
		return XNET_FLOW_ORIGINAL;
	}
	if (bpf_map_lookup_elem(map, back)) {
		__builtin_memcpy(key, back, size);
		p->ct_state = XNET_STATE_ESTABLISHED;
		return XNET_FLOW_REPLY;
	}
	return XNET_FLOW_OPENS;
}

/* A packet the rules let through: the family's table (map) as the classification said it would change. */
static __always_inline void xnet_flow_change(void *map, const struct xnet_pkt *p, const void *key, __u32 how)
{
	if (how == XNET_FLOW_NONE)
		return;
	if (p->proto == IPPROTO_TCP && (p->tcp_flags & XNET_TCP_RST)) {
		bpf_map_delete_elem(map, key);
		return;
	}
	if (how == XNET_FLOW_OPENS) {
		struct xnet_flow_value fresh = { .flags = 0 };
		bpf_map_update_elem(map, key, &fresh, BPF_ANY);
	} else if (how == XNET_FLOW_REPLY) {
		struct xnet_flow_value *known = bpf_map_lookup_elem(map, key);
		if (known && !(known->flags & XNET_FLOW_REPLIED))
			known->flags |= XNET_FLOW_REPLIED;
	}
}

/* Sets p->ct_state of an IPv4 packet; *key and the returned XNET_FLOW_* say what xnet_flow_note is to change. */
static __always_inline __u32 xnet_flow_classify(struct xnet_pkt *p, struct xnet_flow_key *key)
{
	if (p->has_inner) {	/* an ICMP error: RELATED when it quotes a packet of a known connection, either way */
		struct xnet_flow_key quoted = xnet_flow_key_of(p->inner_src, p->inner_dst, p->inner_sport,
							       p->inner_dport, p->inner_proto);
		struct xnet_flow_key back = xnet_flow_key_of(p->inner_dst, p->inner_src, p->inner_dport,
							     p->inner_sport, p->inner_proto);
		int known = bpf_map_lookup_elem(&xnet_flows, &quoted) || bpf_map_lookup_elem(&xnet_flows, &back);
		p->ct_state = known ? XNET_STATE_RELATED : XNET_STATE_NEW;
		return XNET_FLOW_NONE;
	}
	p->ct_state = XNET_STATE_NEW;
	if (!xnet_flow_tracked(p))
		return XNET_FLOW_NONE;
	*key = xnet_flow_key_of(p->src, p->dst, p->sport, p->dport, p->proto);
	struct xnet_flow_key back = xnet_flow_key_of(p->dst, p->src, p->dport, p->sport, p->proto);
	return xnet_flow_lookup(&xnet_flows, p, key, &back, sizeof(back));
}

static __always_inline void xnet_flow_note(const struct xnet_pkt *p, const struct xnet_flow_key *key, __u32 how)
{
	xnet_flow_change(&xnet_flows, p, key, how);
}

/*
 * The same for an IPv6 packet (xnet_flows6), as global functions: the verifier checks each once,
 * beside the IPv6 chain walk's many states (see xnet_nat6_forward in lib/datapath.h).
 */
__attribute__((noinline)) __u32 xnet_flow_classify6(struct xnet_pkt *p, struct xnet_flow_key6 *key)
{
	if (!p || !key)	/* a global function's pointers may be null, as far as the verifier knows */
		return XNET_FLOW_NONE;
	struct xnet_flow_key6 back;
	if (p->has_inner) {
		xnet_flow_key6_of(key, p->inner_src6, p->inner_dst6, p->inner_sport, p->inner_dport, p->inner_proto);
		xnet_flow_key6_of(&back, p->inner_dst6, p->inner_src6, p->inner_dport, p->inner_sport, p->inner_proto);
		int known = bpf_map_lookup_elem(&xnet_flows6, key) || bpf_map_lookup_elem(&xnet_flows6, &back);
		p->ct_state = known ? XNET_STATE_RELATED : XNET_STATE_NEW;
		return XNET_FLOW_NONE;
	}
	p->ct_state = XNET_STATE_NEW;
	if (!xnet_flow_tracked(p))
		return XNET_FLOW_NONE;
	xnet_flow_key6_of(key, p->src6, p->dst6, p->sport, p->dport, p->proto);
	xnet_flow_key6_of(&back, p->dst6, p->src6, p->dport, p->sport, p->proto);
	return xnet_flow_lookup(&xnet_flows6, p, key, &back, sizeof(back));
}

__attribute__((noinline)) int xnet_flow_note6(const struct xnet_pkt *p, const struct xnet_flow_key6 *key, __u32 how)
{
	if (p && key)
		xnet_flow_change(&xnet_flows6, p, key, how);
	return 0;
}

#endif
