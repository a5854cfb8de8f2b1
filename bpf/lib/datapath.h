/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decision for one packet, shared by both hooks: parse, static NAT towards containers,
 * filter rules (on the translated destination, as iptables' FORWARD sees it after PREROUTING
 * DNAT), then replies of translated connections. The hooks only apply the rewrite.
 *
 * Frames that are not IPv4 meet the default action (there are no rules for them yet), counted
 * with the packets no rule matched, except ARP, which an IPv4 network cannot work without: it
 * always passes and is counted per attach point.
 */
#ifndef XNET_DATAPATH_H
#define XNET_DATAPATH_H

#include "filter.h"
#include "nat.h"
#include "packet.h"

static __always_inline __u32 xnet_decide(void *data, void *data_end, __u32 ifindex,
					 struct xnet_pkt *p, struct xnet_rewrite *rw)
{
	rw->kind = XNET_REWRITE_NONE;
	int parsed = xnet_parse(data, data_end, p);
	if (parsed == XNET_ARP) {
		xnet_count_if(ifindex, XNET_STAT_ARP);
		return XNET_ACT_ALLOW;
	}
	if (parsed == XNET_NOT_IPV4) {
		struct xnet_match other;
		xnet_default(&other, xnet_active_set());
		xnet_count_rule(other.slot, p->len);
		xnet_count_if(ifindex, other.action == XNET_ACT_DROP ? XNET_STAT_DROPPED : XNET_STAT_PASSED);
		return other.action == XNET_ACT_DROP ? XNET_ACT_DROP : XNET_ACT_ALLOW;
	}
	if (parsed == XNET_MALFORMED) {
		xnet_count_if(ifindex, XNET_STAT_DROPPED);
		return XNET_ACT_DROP;
	}

	int forward = xnet_nat_forward(p, rw);
	struct xnet_pkt seen = *p;
	if (forward) {
		seen.dst = rw->new_ip;
		seen.dport = rw->new_port;
	}

	struct xnet_match m;
	__u32 set = xnet_active_set();
	xnet_default(&m, set);
	xnet_match(&seen, &m, set);
	xnet_count_rule(m.slot, p->len);
	if (m.action == XNET_ACT_DROP) {
		rw->kind = XNET_REWRITE_NONE;
		xnet_count_if(ifindex, XNET_STAT_DROPPED);
		return XNET_ACT_DROP;
	}

	if (forward)
		xnet_nat_remember(p, rw);
	else if (!xnet_nat_reverse(p, rw))
		xnet_nat_forget_direct(p);
	xnet_count_if(ifindex, rw->kind ? XNET_STAT_TRANSLATED : XNET_STAT_PASSED);
	return XNET_ACT_ALLOW;
}

#endif
