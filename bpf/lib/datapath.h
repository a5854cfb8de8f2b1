/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decision for one packet, shared by both hooks: parse, static NAT towards containers, the
 * connection state (when a rule asks for it), filter rules (on the translated destination, as
 * iptables' FORWARD sees it after PREROUTING DNAT), then replies of translated connections. The
 * hooks only apply the rewrite.
 *
 * IPv6 packets meet the rules (xnet_decide6); there is no NAT and no connection tracking for
 * them yet, so an IPv6 packet is always in state new. Frames of other types meet the default
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

/* An IPv6 packet: the rules only (its state is new when a rule asks), no NAT; a logging rule's drops are reported. */
static __always_inline __u32 xnet_decide6(__u32 ifindex, struct xnet_pkt *p, struct xnet_probe *probe)
{
	struct xnet_match m;
	__u32 set = xnet_active_set();
	if (xnet_default(&m, set) & XNET_META_TRACK) {
		p->ct_state = XNET_STATE_NEW;
		if (probe->on)
			probe->info |= (__u32)XNET_STATE_NEW << XNET_PROBE_STATE_SHIFT;
	}
	xnet_match(p, &m, set);
	xnet_note_rule(probe, m.slot, p->len);
	if (m.action == XNET_ACT_DROP && m.log && !probe->on)
		xnet_report(XNET_EVENT_DROP, p, ifindex, m.slot, 0, 0);
	xnet_note_if(probe, ifindex, m.action == XNET_ACT_DROP ? XNET_STAT_DROPPED : XNET_STAT_PASSED);
	return m.action == XNET_ACT_DROP ? XNET_ACT_DROP : XNET_ACT_ALLOW;
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
		return xnet_decide6(ifindex, p, probe);

	int forward = xnet_nat_forward(p, rw);
	struct xnet_pkt seen = *p;
	if (forward) {
		seen.dst = rw->new_ip;
		seen.dport = rw->new_port;
	}

	struct xnet_match m;
	__u32 set = xnet_active_set();
	struct xnet_flow_key flow = {};
	__u32 flow_change = XNET_FLOW_NONE;
	if (xnet_default(&m, set) & XNET_META_TRACK) {
		flow_change = xnet_flow_classify(&seen, &flow);
		if (probe->on)
			probe->info |= (__u32)seen.ct_state << XNET_PROBE_STATE_SHIFT;
	}
	xnet_match(&seen, &m, set);
	xnet_note_rule(probe, m.slot, p->len);
	if (m.action == XNET_ACT_DROP) {
		if (m.log && !probe->on)
			xnet_report(XNET_EVENT_DROP, p, ifindex, m.slot, forward ? rw->new_ip : 0,
				    forward ? rw->new_port : 0);
		rw->kind = XNET_REWRITE_NONE;
		xnet_note_if(probe, ifindex, XNET_STAT_DROPPED);
		return XNET_ACT_DROP;
	}

	if (!probe->on)
		xnet_flow_note(&seen, &flow, flow_change);
	if (forward) {
		if (probe->on)
			xnet_note_nat(probe, XNET_NAT_TO_PRIVATE);
		else if (xnet_nat_remember(p, rw))
			xnet_report(XNET_EVENT_NAT, p, ifindex, m.slot, rw->new_ip, rw->new_port);
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
