/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decision for one packet, shared by both hooks: parse, static NAT towards containers, the
 * connection state (when a rule asks for it), filter rules (on the translated destination, as
 * iptables' FORWARD sees it after PREROUTING DNAT), then replies of translated connections. An
 * ICMP error follows the connection it quotes instead (lib/nat.h, xnet_nat_error_*). The hooks
 * only apply the rewrite.
 *
 * IPv6 packets take the same steps (xnet_decide6), their connections in a table of their own
 * (xnet_flows6). Frames of other types meet the default
 * action, counted with the packets no rule matched, except the resolution of neighbours (ARP,
 * and IPv6 neighbour discovery and MLD, see lib/packet.h), which a network cannot work without:
 * it always passes and is counted per attach point.
 */
#ifndef XNET_DATAPATH_H
#define XNET_DATAPATH_H

#include "events.h"
#include "filter.h"
#include "flows.h"
#include "nat.h"
#include "packet.h"

/*
 * A what-if packet's run (`test packet`, see XNET_PROBE_* in the shared header): on is set by the
 * hook when the test run's context says so; the decision then counts nothing and changes no
 * connection entry, and slot and info say what it would have counted.
 */
struct xnet_probe {
	__u32 on;
	__u32 slot;
	__u32 info;
};

static __always_inline void xnet_note_rule(struct xnet_probe *probe, __u32 slot, __u32 len)
{
	if (probe->on)
		probe->slot = slot;
	else
		xnet_count_rule(slot, len);
}

static __always_inline void xnet_note_if(struct xnet_probe *probe, __u32 ifindex, __u32 stat)
{
	if (probe->on)
		probe->info |= stat & 0xff;
	else
		xnet_count_if(ifindex, stat);
}

static __always_inline void xnet_note_nat(struct xnet_probe *probe, __u32 way)
{
	probe->info |= (way + 1) << XNET_PROBE_NAT_SHIFT;
}

/* A packet the rules drop: reported when its rule logs (with where NAT sent it), not rewritten, counted. */
static __always_inline __u32 xnet_drop(struct xnet_probe *probe, __u32 ifindex, const struct xnet_pkt *p,
				       struct xnet_rewrite *rw, const struct xnet_match *m, __u32 new_ip, __u16 new_port)
{
	if (m->log && !probe->on)
		xnet_report(XNET_EVENT_DROP, p, ifindex, m->slot, new_ip, new_port, 0);
	rw->kind = XNET_REWRITE_NONE;
	xnet_note_if(probe, ifindex, XNET_STAT_DROPPED);
	return XNET_ACT_DROP;
}

/*
 * The rules (and the connection states) see a translated packet's new destination: set on the
 * packet while they look, then put back from the rewrite (translated 0), since NAT's own steps
 * and events need the packet as it arrived. A copy of the packet would cost the stack room that
 * the IPv6 path's call needs (the verifier allows 512 bytes for all frames together).
 */
static __always_inline void xnet_seen_translated(struct xnet_pkt *p, const struct xnet_rewrite *rw, int translated)
{
	if (p->v6)
		__builtin_memcpy(p->dst6, translated ? rw->new_ip6 : rw->old_ip6, sizeof(p->dst6));
	else
		p->dst = translated ? rw->new_ip : rw->old_ip;
	p->dport = translated ? rw->new_port : rw->old_port;
}

/*
 * IPv6 NAT's two steps, as global functions: the verifier checks each once, on its own. Inlined,
 * they were checked again for each of the many states the extension-header walk leaves, which
 * passed its million-instruction limit (with the inline strategy, and with no rules). The rules
 * stay in the caller: a rule function called from a NAT function would stack three frames,
 * beyond the 512 bytes all frames may take together.
 *
 * xnet_nat6_forward: the rule for a packet to a public address; fills rw, returns 1 if any.
 */
__attribute__((noinline)) int xnet_nat6_forward(const struct xnet_pkt *p, struct xnet_rewrite *rw)
{
	if (!p || !rw)	/* a global function's pointers may be null, as far as the verifier knows */
		return 0;
	/* an ICMPv6 error follows the connection it quotes (lib/nat.h), never a NAT rule of its own */
	return p->has_inner ? 0 : xnet_nat_forward6(p, rw);
}

/* An ICMPv6 error about a translated connection: inward (before the rules) or not; fills rw, returns 1 if so. */
__attribute__((noinline)) int xnet_nat6_error(const struct xnet_pkt *p, struct xnet_rewrite *rw, int inward)
{
	if (!p || !rw)
		return 0;
	return inward ? xnet_nat_error_inward6(p, rw) : xnet_nat_error_outward6(p, rw);
}

/*
 * After the rules let an IPv6 packet through: a forwarded connection is remembered (a new one
 * reported to `monitor nat`, at ifindex), a reply of one is translated back (rw filled), or a
 * direct packet takes its tuple back. Quiet (a what-if packet): nothing is counted or changed.
 * Returns the NAT direction plus one, 0 for none.
 */
__attribute__((noinline)) __u32 xnet_nat6_settle(const struct xnet_pkt *p, struct xnet_rewrite *rw, int forward,
						 __u32 quiet, __u32 ifindex)
{
	if (!p || !rw)
		return 0;
	if (forward) {
		if (!quiet && xnet_nat_remember6(p, rw))
			xnet_report(XNET_EVENT_NAT, p, ifindex, 0, 0, rw->new_port, rw->new_ip6);
		return XNET_NAT_TO_PRIVATE + 1;
	}
	if (xnet_nat_reverse6(p, rw, quiet))
		return XNET_NAT_TO_PUBLIC + 1;
	if (!quiet)
		xnet_nat_forget_direct6(p);
	return 0;
}

/*
 * An IPv6 packet: static NAT towards containers, the connection state (in xnet_flows6), the rules
 * on the translated destination, then replies of translated connections, as for IPv4. A logging
 * rule's drops and a NAT rule's new connections are reported, as for IPv4.
 */
static __always_inline __u32 xnet_decide6(__u32 ifindex, struct xnet_pkt *p, struct xnet_rewrite *rw,
					  struct xnet_probe *probe)
{
	/* without NAT no call at all: clang may leave an argument the empty callee ignores unset, and
	 * the verifier refuses a global function's argument that is not a scalar */
	int forward = XNET_NAT ? xnet_nat6_forward(p, rw) : 0;
	int error_in = XNET_NAT && p->has_inner ? xnet_nat6_error(p, rw, 1) : 0;
	if (forward)
		xnet_seen_translated(p, rw, 1);
	if (error_in)
		xnet_seen_error6(p, rw, 1);
	struct xnet_match m;
	__u32 set = xnet_active_set();
	struct xnet_flow_key6 flow = {};
	__u32 flow_change = XNET_FLOW_NONE;
	if (xnet_default(&m, set) & XNET_META_TRACK) {
		flow_change = xnet_flow_classify6(p, &flow);
		if (probe->on)
			probe->info |= (__u32)p->ct_state << XNET_PROBE_STATE_SHIFT;
	}
	xnet_match(p, &m, set);
	if (forward)
		xnet_seen_translated(p, rw, 0);
	if (error_in)
		xnet_seen_error6(p, rw, 0);
	xnet_note_rule(probe, m.slot, p->len);
	if (m.action == XNET_ACT_DROP)
		return xnet_drop(probe, ifindex, p, rw, &m, 0, 0);	/* no IPv6 "after NAT" in events yet */
	if (flow_change != XNET_FLOW_NONE && !probe->on)
		xnet_flow_note6(p, &flow, flow_change);
	__u32 way = 0;
	if (error_in)
		way = XNET_NAT_TO_PRIVATE + 1;
	else if (XNET_NAT && p->has_inner)
		way = xnet_nat6_error(p, rw, 0) ? XNET_NAT_TO_PUBLIC + 1 : 0;
	else if (XNET_NAT)
		way = xnet_nat6_settle(p, rw, forward, probe->on, ifindex);
	if (way && probe->on)
		xnet_note_nat(probe, way - 1);
	xnet_note_if(probe, ifindex, rw->kind ? XNET_STAT_TRANSLATED : XNET_STAT_PASSED);
	return XNET_ACT_ALLOW;
}

static __always_inline __u32 xnet_decide(void *data, void *data_end, __u32 ifindex,
					 struct xnet_pkt *p, struct xnet_rewrite *rw, struct xnet_probe *probe)
{
	rw->kind = XNET_REWRITE_NONE;
	int parsed = xnet_parse(data, data_end, p);
	if (parsed == XNET_NEIGH) {
		xnet_note_if(probe, ifindex, XNET_STAT_ARP);
		return XNET_ACT_ALLOW;
	}
	if (parsed == XNET_NOT_IPV4) {
		struct xnet_match other;
		xnet_default(&other, xnet_active_set());
		xnet_note_rule(probe, other.slot, p->len);
		xnet_note_if(probe, ifindex, other.action == XNET_ACT_DROP ? XNET_STAT_DROPPED : XNET_STAT_PASSED);
		return other.action == XNET_ACT_DROP ? XNET_ACT_DROP : XNET_ACT_ALLOW;
	}
	if (parsed == XNET_MALFORMED) {
		xnet_note_if(probe, ifindex, XNET_STAT_DROPPED);
		return XNET_ACT_DROP;
	}
	if (p->v6)
		return xnet_decide6(ifindex, p, rw, probe);

	/* an ICMP error follows the connection it quotes, never a NAT rule of its own */
	int forward = p->has_inner ? 0 : xnet_nat_forward(p, rw);
	int error_in = p->has_inner ? xnet_nat_error_inward(p, rw) : 0;
	if (forward)
		xnet_seen_translated(p, rw, 1);
	if (error_in)
		xnet_seen_error(p, rw, 1);

	struct xnet_match m;
	__u32 set = xnet_active_set();
	struct xnet_flow_key flow = {};
	__u32 flow_change = XNET_FLOW_NONE;
	if (xnet_default(&m, set) & XNET_META_TRACK) {
		flow_change = xnet_flow_classify(p, &flow);
		if (probe->on)
			probe->info |= (__u32)p->ct_state << XNET_PROBE_STATE_SHIFT;
	}
	xnet_match(p, &m, set);
	xnet_note_rule(probe, m.slot, p->len);
	if (error_in)
		xnet_seen_error(p, rw, 0);
	if (m.action == XNET_ACT_DROP) {
		if (forward)
			xnet_seen_translated(p, rw, 0);
		return xnet_drop(probe, ifindex, p, rw, &m, forward ? rw->new_ip : 0, forward ? rw->new_port : 0);
	}

	if (!probe->on)
		xnet_flow_note(p, &flow, flow_change);
	if (forward) {
		xnet_seen_translated(p, rw, 0);
		if (probe->on)
			xnet_note_nat(probe, XNET_NAT_TO_PRIVATE);
		else if (xnet_nat_remember(p, rw))
			xnet_report(XNET_EVENT_NAT, p, ifindex, m.slot, rw->new_ip, rw->new_port, 0);
	} else if (error_in) {
		if (probe->on)
			xnet_note_nat(probe, XNET_NAT_TO_PRIVATE);
	} else if (p->has_inner) {
		if (xnet_nat_error_outward(p, rw) && probe->on)
			xnet_note_nat(probe, XNET_NAT_TO_PUBLIC);
	} else if (xnet_nat_reverse(p, rw, probe->on)) {
		if (probe->on)
			xnet_note_nat(probe, XNET_NAT_TO_PUBLIC);
	} else if (!probe->on) {
		xnet_nat_forget_direct(p);
	}
	xnet_note_if(probe, ifindex, rw->kind ? XNET_STAT_TRANSLATED : XNET_STAT_PASSED);
	return XNET_ACT_ALLOW;
}

#endif
