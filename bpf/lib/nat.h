/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static NAT. Traffic to a public address (and port) is sent to the private one, and the
 * connection is remembered as its replies will look. Only replies of remembered connections
 * are translated back: a client that talks to the private address directly is left alone.
 */
#ifndef XNET_NAT_H
#define XNET_NAT_H

#include "../include/xnet_config.h"
#include "maps.h"
#include "packet.h"

/* Finds the rule for a packet to a public address; fills the rewrite, returns 1 if any. */
static __always_inline int xnet_nat_forward(const struct xnet_pkt *p, struct xnet_rewrite *rw)
{
#if XNET_NAT
	struct xnet_nat_value *v = 0;
	if (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP) {
		if (p->has_ports) {
			struct xnet_nat_key exact = { .ip = p->dst, .port = p->dport, .proto = p->proto };
			v = bpf_map_lookup_elem(&xnet_nat, &exact);
		}
	}
	if (!v) {
		struct xnet_nat_key whole = { .ip = p->dst };
		v = bpf_map_lookup_elem(&xnet_nat, &whole);
	}
	if (!v)
		return 0;
	rw->kind = XNET_REWRITE_DST;
	rw->old_ip = p->dst;
	rw->new_ip = v->ip;
	rw->old_port = p->dport;
	rw->new_port = v->port ? v->port : p->dport;
	return 1;
#else
	return 0;
#endif
}

/* Remembers a forwarded connection so that its replies are translated back. */
static __always_inline void xnet_nat_remember(const struct xnet_pkt *p, const struct xnet_rewrite *rw)
{
#if XNET_NAT
	struct xnet_ct_key key = {
		.priv_ip = rw->new_ip,
		.client_ip = p->src,
		.priv_port = rw->new_port,
		.client_port = p->sport,
		.proto = p->proto,
	};
	struct xnet_ct_value value = { .pub_ip = rw->old_ip, .pub_port = rw->old_port };
	bpf_map_update_elem(&xnet_ct, &key, &value, BPF_ANY);
#endif
}

/* A reply of a translated connection: its source goes back to the public address. */
static __always_inline int xnet_nat_reverse(const struct xnet_pkt *p, struct xnet_rewrite *rw)
{
#if XNET_NAT
	struct xnet_ct_key key = {
		.priv_ip = p->src,
		.client_ip = p->dst,
		.priv_port = p->sport,
		.client_port = p->dport,
		.proto = p->proto,
	};
	struct xnet_ct_value *v = bpf_map_lookup_elem(&xnet_ct, &key);
	if (!v)
		return 0;
	rw->kind = XNET_REWRITE_SRC;
	rw->old_ip = p->src;
	rw->new_ip = v->pub_ip;
	rw->old_port = p->sport;
	rw->new_port = v->pub_port;
	return 1;
#else
	return 0;
#endif
}

#endif
