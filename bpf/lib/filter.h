/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rule matcher: ordered rules, first match wins, else the default action.
 *
 * Map strategy (tuple space search): rules are grouped by the bits they look at (their
 * "tuple": prefix lengths of source and destination, protocol or any, port block size). Each
 * rule becomes one hash entry per port block, keyed by the masked fields. A packet costs one
 * lookup per tuple, whatever the number of rules; tuples are sorted by their best rule, so the
 * search stops as soon as no later tuple can beat the match found.
 *
 * Inline strategy: the generated header defines xnet_inline_rules(), one `if` per rule, as the
 * study did. Fast for a few rules; its size is bounded by the verifier.
 */
#ifndef XNET_FILTER_H
#define XNET_FILTER_H

static __always_inline void xnet_default(struct xnet_match *m)
{
	__u32 zero = 0;
	struct xnet_meta *meta = bpf_map_lookup_elem(&xnet_meta, &zero);
	m->action = meta ? meta->default_action : XNET_ACT_ALLOW;
	m->slot = 0;
}

#if XNET_FILTER == XNET_FILTER_MAP
struct xnet_search {
	const struct xnet_pkt *p;
	struct xnet_match *m;
	__u32 best;
};

/* One tuple per call of bpf_loop (kernel 5.17+): the verifier checks the body once, instead
 * of once per iteration as it would for an unrolled loop of 64. */
static long xnet_search_tuple(__u32 i, void *arg)
{
	struct xnet_search *s = arg;
	struct xnet_tuple *t = bpf_map_lookup_elem(&xnet_tuples, &i);
	if (!t || t->min_prio >= s->best)
		return 1;
	const struct xnet_pkt *p = s->p;
	if ((t->flags & XNET_TUPLE_NEEDS_PORT) && !p->has_ports)
		return 0;
	struct xnet_rule_key key = {
		.src = p->src & t->src_mask,
		.dst = p->dst & t->dst_mask,
		.port = p->dport & t->port_mask,
		.proto = p->proto & t->proto_mask,
		.tuple = i,
	};
	struct xnet_rule_value *v = bpf_map_lookup_elem(&xnet_rules, &key);
	if (v && v->prio < s->best) {
		s->best = v->prio;
		s->m->action = v->action;
		s->m->slot = v->slot;
	}
	return 0;
}

static __always_inline void xnet_match(const struct xnet_pkt *p, struct xnet_match *m)
{
	__u32 zero = 0;
	struct xnet_meta *meta = bpf_map_lookup_elem(&xnet_meta, &zero);
	if (!meta)
		return;
	__u32 count = meta->tuple_count;
	if (count > XNET_MAX_TUPLES)
		count = XNET_MAX_TUPLES;
	struct xnet_search search = { .p = p, .m = m, .best = 0xffffffff };
	bpf_loop(count, xnet_search_tuple, &search, 0);
}
#elif XNET_FILTER == XNET_FILTER_INLINE
#define XNET_IP4(a, b, c, d) bpf_htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))
#define XNET_MASK(len) bpf_htonl((len) == 0 ? 0 : 0xffffffffu << (32 - (len)))
#define XNET_RULE(act, s) return ((s) << 1) | (act)

/*
 * Each rule is one branch on a value that is 0 exactly when the rule matches. With a branch per
 * field, the verifier would carry what it learned ("src is 10.1.2.3 but dst was not...") into
 * every later rule and explore paths by the thousand; with one branch on an opaque value the
 * states after each rule are alike and pruned. The empty asm keeps clang from turning the
 * expression back into per-field compares.
 */
#define XNET_OPAQUE(v) ({ __u64 __o = (v); asm volatile("" : "+r"(__o)); __o; })
/* 0 when (field & mask) == value */
#define XNET_DIFF(field, mask, value) XNET_OPAQUE((__u64)(((__u32)(field) & (mask)) ^ (value)))
/* 0 when lo <= field <= hi: (hi - lo) - (field - lo) borrows (sets bit 63) exactly when outside */
#define XNET_OUTSIDE(field, lo, hi) \
	XNET_OPAQUE((((__u64)((hi) - (lo))) - (__u64)(__u32)((__u32)(field) - (lo))) >> 63)

/* A global function: the verifier checks it once on its own, not once per path of the caller.
 * Returns (slot << 1) | action of the first matching rule, or -1. */
__noinline int xnet_inline_rules(const struct xnet_pkt *p)
{
	if (!p)
		return -1;
	XNET_INLINE_RULES
	return -1;
}

static __always_inline void xnet_match(const struct xnet_pkt *p, struct xnet_match *m)
{
	int found = xnet_inline_rules(p);
	if (found >= 0) {
		m->action = found & 1;
		m->slot = (__u32)found >> 1;
	}
}
#else
static __always_inline void xnet_match(const struct xnet_pkt *p, struct xnet_match *m)
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
