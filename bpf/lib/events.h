/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events for `monitor drops` and `monitor nat` (XNET_EVENT_* in the shared header). Nothing is
 * written unless a monitor listens for the kind; then each CPU sends at most xnet_monitor.rate
 * events of a kind per second (fixed one-second windows) and counts what it refuses, so a flood
 * of dropped packets costs a lookup, a compare and an increment per packet beyond the budget.
 */
#ifndef XNET_EVENTS_H
#define XNET_EVENTS_H

#include "maps.h"
#include "packet.h"

/* Reports packet p at ifindex: the rule slot that dropped it, the destination NAT gave it (0: none;
 * an IPv6 packet's in new_ip6, NULL: none). */
static __always_inline void xnet_report(__u32 kind, const struct xnet_pkt *p, __u32 ifindex, __u32 slot,
					__u32 new_ip, __u16 new_port, const __u32 *new_ip6)
{
	__u32 zero = 0;
	struct xnet_monitor *mon = bpf_map_lookup_elem(&xnet_monitor, &zero);
	if (!mon || !(mon->listening & (1u << kind)))
		return;
	struct xnet_event_budget *budget = bpf_map_lookup_elem(&xnet_ev_budget, &kind);
	if (!budget)
		return;
	__u64 now = bpf_ktime_get_ns();
	__u64 second = now / 1000000000ull;
	if (budget->second != second) {
		budget->second = second;
		budget->sent = 0;
	}
	if (budget->sent >= mon->rate) {
		budget->suppressed++;
		return;
	}
	struct xnet_event *ev = bpf_ringbuf_reserve(&xnet_events, sizeof(*ev), 0);
	if (!ev) {
		budget->suppressed++;
		return;
	}
	budget->sent++;
	ev->time = now;
	ev->ifindex = ifindex;
	ev->slot = slot;
	ev->len = p->len;
	ev->kind = kind;
	ev->proto = p->proto;
	ev->tcp_flags = p->tcp_flags;
	ev->v6 = p->v6;
	ev->src = p->src;
	ev->dst = p->dst;
	__builtin_memcpy(ev->src6, p->src6, sizeof(ev->src6));
	__builtin_memcpy(ev->dst6, p->dst6, sizeof(ev->dst6));
	ev->sport = p->has_ports || p->is_echo ? p->sport : 0;
	ev->dport = p->has_ports || p->is_echo ? p->dport : 0;
	ev->new_ip = new_ip;
	if (new_ip6)
		__builtin_memcpy(ev->new_ip6, new_ip6, sizeof(ev->new_ip6));
	else
		__builtin_memset(ev->new_ip6, 0, sizeof(ev->new_ip6));
	ev->new_port = new_port;
	ev->pad2 = 0;
	ev->pad3 = 0;
	bpf_ringbuf_submit(ev, 0);
}

#endif
