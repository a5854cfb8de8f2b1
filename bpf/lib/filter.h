/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rule matcher: ordered rules, first match wins, else the default action.
 *
 * Map strategy (tuple space search): rules are grouped by the bits they look at (their
 * "tuple": prefix lengths of source and destination, protocol or any, port block size). Each
 * rule becomes one hash entry per port block (and per connection state it names), keyed by the
 * masked fields. A packet costs one
 * lookup per tuple, whatever the number of rules; tuples are sorted by their best rule, so the
 * search stops as soon as no later tuple can beat the match found.
 *
 * IPv6 rules have tuples of their own (with IPv6 masks, after IPv4's in xnet_tuples) and their
 * entries in xnet_rules6; a packet searches only its family's tuples, so IPv6 rules cost IPv4
 * packets nothing. A rule for both families is in both.
 *
 * Inline strategy: the generated header defines xnet_inline_rules(), one `if` per rule, as the
 * study did. Fast for a few rules; its size is bounded by the verifier.
 */
#ifndef XNET_FILTER_H
#define XNET_FILTER_H

#include "../include/xnet_config.h"
#include "maps.h"
#include "packet.h"

/* The rule set in force: read once per packet, so a packet sees one whole set. */
static __always_inline __u32 xnet_active_set(void)
{
	__u32 zero = 0;
	__u32 *active = bpf_map_lookup_elem(&xnet_active, &zero);
	return active ? *active & 1 : 0;
}

/* The set's default as the match to beat; returns the set's flags (XNET_META_TRACK: connections
 * are tracked), read in the same lookup. */
static __always_inline __u32 xnet_default(struct xnet_match *m, __u32 set)
{
	struct xnet_meta *meta = bpf_map_lookup_elem(&xnet_meta, &set);
	m->action = meta ? meta->default_action : XNET_ACT_ALLOW;
	m->slot = 0;
	m->log = 0;
	return meta ? meta->flags : 0;
}

#if XNET_FILTER == XNET_FILTER_MAP
struct xnet_search {
	const struct xnet_pkt *p;
	struct xnet_match *m;
	__u32 best;
	__u32 base;	/* first tuple of the set */
};

/* One tuple per call of bpf_loop (kernel 5.17+): the verifier checks the body once, instead
 * of once per iteration as it would for an unrolled loop of 64. */
static long xnet_search_tuple(__u32 i, void *arg)
{
	struct xnet_search *s = arg;
	__u32 at = s->base + i;
	struct xnet_tuple *t = bpf_map_lookup_elem(&xnet_tuples, &at);
	if (!t || t->min_prio >= s->best)
		return 1;
	const struct xnet_pkt *p = s->p;
	if ((t->flags & XNET_TUPLE_NEEDS_PORT) && !p->has_ports)
		return 0;
	struct xnet_rule_value *v;
	if (p->v6) {
		struct xnet_rule_key6 key6 = {
			.port = p->dport & t->port_mask,
			.proto = p->proto & t->proto_mask,
			.tuple = t->id,
			.state = p->ct_state & t->state_mask,
		};
#pragma unroll
		for (int w = 0; w < 4; w++) {
			key6.src[w] = p->src6[w] & t->src_mask6[w];
			key6.dst[w] = p->dst6[w] & t->dst_mask6[w];
		}
		v = bpf_map_lookup_elem(&xnet_rules6, &key6);
	} else {
		struct xnet_rule_key key = {
			.src = p->src & t->src_mask,
			.dst = p->dst & t->dst_mask,
			.port = p->dport & t->port_mask,
			.proto = p->proto & t->proto_mask,
			.tuple = t->id,
			.state = p->ct_state & t->state_mask,
		};
		v = bpf_map_lookup_elem(&xnet_rules, &key);
	}
	if (v && v->prio < s->best) {
		s->best = v->prio;
		s->m->action = v->action & XNET_ACT_DROP;
		s->m->log = v->action & XNET_ACT_LOG;
		s->m->slot = v->slot;
	}
	return 0;
}

static __always_inline void xnet_match(const struct xnet_pkt *p, struct xnet_match *m, __u32 set)
{
	struct xnet_meta *meta = bpf_map_lookup_elem(&xnet_meta, &set);
	if (!meta)
		return;
	__u32 count = p->v6 ? meta->tuple_count6 : meta->tuple_count;
	if (count > XNET_MAX_TUPLES)
		count = XNET_MAX_TUPLES;
	__u32 base = ((p->v6 ? XNET_RULE_SETS : 0) + set) * XNET_MAX_TUPLES;
	struct xnet_search search = { .p = p, .m = m, .best = 0xffffffff, .base = base };
	bpf_loop(count, xnet_search_tuple, &search, 0);
}
#elif XNET_FILTER == XNET_FILTER_INLINE
/* The generated header defines the rule functions (see lib/inline.h) and XNET_INLINE_CALLS,
 * which calls them in order; the first that finds a rule decides. */
#define XNET_CALL(f) \
	{ \
		int found = f(p); \
		if (found >= 0) { \
			m->action = found & XNET_ACT_DROP; \
			m->log = found & XNET_ACT_LOG; \
			m->slot = (__u32)found >> 2; \
			return; \
		} \
	}

static __always_inline void xnet_match(const struct xnet_pkt *p, struct xnet_match *m, __u32 set)
{
	XNET_INLINE_CALLS
}
#else
static __always_inline void xnet_match(const struct xnet_pkt *p, struct xnet_match *m, __u32 set)
{
}
#endif

static __always_inline void xnet_count_rule(__u32 slot, __u32 len)
{
	struct xnet_counter *c = bpf_map_lookup_elem(&xnet_rule_stats, &slot);
	if (c) {
		c->packets++;
		c->bytes += len;
	}
}

static __always_inline void xnet_count_if(__u32 ifindex, __u32 stat)
{
	struct xnet_if_stats *s = bpf_map_lookup_elem(&xnet_if_stats, &ifindex);
	if (s && stat < XNET_STAT_COUNT)
		s->packets[stat]++;
}

#endif
