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

/* A NAT rule's key: the public address, with port and protocol unless it is a whole-address rule. */
static __always_inline struct xnet_nat_key xnet_nat_key_of(__u32 ip, __u16 port, __u8 proto, int whole)
{
	struct xnet_nat_key key = { .ip = ip };
	if (!whole) {
		key.port = port;
		key.proto = proto;
	}
	return key;
}

/* A connection's key, as its replies look: from the private side to the client. */
static __always_inline struct xnet_ct_key xnet_ct_key_of(__u32 priv_ip, __u32 client_ip, __u16 priv_port,
							 __u16 client_port, __u8 proto)
{
	struct xnet_ct_key key = {
		.priv_ip = priv_ip,
		.client_ip = client_ip,
		.priv_port = priv_port,
		.client_port = client_port,
		.proto = proto,
	};
	return key;
}

/* Finds the rule for a packet to a public address; fills the rewrite, returns 1 if any. */
static __always_inline int xnet_nat_forward(const struct xnet_pkt *p, struct xnet_rewrite *rw)
{
#if XNET_NAT
	struct xnet_nat_value *v = 0;
	if (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP) {
		if (p->has_ports) {
			struct xnet_nat_key exact = xnet_nat_key_of(p->dst, p->dport, p->proto, 0);
			v = bpf_map_lookup_elem(&xnet_nat, &exact);
		}
	}
	rw->whole = 0;
	if (!v) {
		struct xnet_nat_key whole = xnet_nat_key_of(p->dst, 0, 0, 1);
		v = bpf_map_lookup_elem(&xnet_nat, &whole);
		rw->whole = 1;
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

/*
 * Counts a translated packet for its NAT rule, whose key is the public address and port (both
 * 0 with the protocol for a whole-address rule). xnet makes the entry with the rule.
 */
static __always_inline void xnet_nat_count(__u32 pub_ip, __u16 pub_port, __u8 proto, int whole, int way)
{
#if XNET_NAT
	struct xnet_nat_key key = xnet_nat_key_of(pub_ip, pub_port, proto, whole);
	struct xnet_nat_stats *s = bpf_map_lookup_elem(&xnet_nat_stats, &key);
	if (s)
		s->packets[way & 1]++;
#endif
}


static __always_inline int xnet_tcp_has(const struct xnet_pkt *p, __u8 flag)
{
	return p->proto == IPPROTO_TCP && (p->tcp_flags & flag);
}

/* A TCP SYN without ACK: a connection opens (a translated one starts its entry afresh). */
static __always_inline int xnet_tcp_opens(const struct xnet_pkt *p)
{
	return p->proto == IPPROTO_TCP && (p->tcp_flags & (XNET_TCP_SYN | XNET_TCP_ACK)) == XNET_TCP_SYN;
}

/*
 * A reply of a translated connection, either family (map: xnet_ct or xnet_ct6, key its entry's,
 * flags the entry's): the server's RST ends the entry, its FIN is noted.
 */
static __always_inline void xnet_ct_reply_seen(const struct xnet_pkt *p, void *map, const void *key, __u8 *flags)
{
	if (xnet_tcp_has(p, XNET_TCP_RST))
		bpf_map_delete_elem(map, key);
	else if (xnet_tcp_has(p, XNET_TCP_FIN) && !(*flags & XNET_CT_FIN_SERVER))
		*flags |= XNET_CT_FIN_SERVER;
}

/*
 * Remembers a forwarded connection so that its replies are translated back. A TCP SYN starts
 * the entry afresh, a FIN is noted, an RST ends it. The entry is written only when it is new or
 * changes, not for every packet. Returns 1 when it wrote a new entry (a connection opened, for
 * `monitor nat`).
 */
static __always_inline int xnet_nat_remember(const struct xnet_pkt *p, const struct xnet_rewrite *rw)
{
#if XNET_NAT
	struct xnet_ct_key key = xnet_ct_key_of(rw->new_ip, p->src, rw->new_port, p->sport, p->proto);
	xnet_nat_count(rw->old_ip, rw->old_port, p->proto, rw->whole, XNET_NAT_TO_PRIVATE);
	if (xnet_tcp_has(p, XNET_TCP_RST)) {
		bpf_map_delete_elem(&xnet_ct, &key);
		return 0;
	}
	__u8 fin = xnet_tcp_has(p, XNET_TCP_FIN) ? XNET_CT_FIN_CLIENT : 0;
	int opening = xnet_tcp_opens(p);
	struct xnet_ct_value *known = bpf_map_lookup_elem(&xnet_ct, &key);
	if (known && !opening && known->pub_ip == rw->old_ip && known->pub_port == rw->old_port) {
		if ((known->flags & fin) != fin)
			known->flags |= fin;
		return 0;
	}
	struct xnet_ct_value value = { .pub_ip = rw->old_ip, .pub_port = rw->old_port,
				       .flags = fin | (rw->whole ? XNET_CT_WHOLE : 0) };
	bpf_map_update_elem(&xnet_ct, &key, &value, BPF_ANY);
	return 1;
#else
	return 0;
#endif
}

/*
 * A reply of a translated connection: its source goes back to the public address. The reply
 * side's FIN is noted and its RST ends the entry (after this packet is translated). A closed
 * connection (FIN both ways) keeps its entry for late ACKs and retransmissions, as a TIME_WAIT
 * would, until the tuple is used again: a new SYN through the public address starts it afresh
 * and a packet straight to the private address ends it (xnet_nat_forget_direct). With quiet
 * (a what-if packet): the rewrite is made, but nothing is counted and the entry stays as it is.
 */
static __always_inline int xnet_nat_reverse(const struct xnet_pkt *p, struct xnet_rewrite *rw, __u32 quiet)
{
#if XNET_NAT
	struct xnet_ct_key key = xnet_ct_key_of(p->src, p->dst, p->sport, p->dport, p->proto);
	struct xnet_ct_value *v = bpf_map_lookup_elem(&xnet_ct, &key);
	if (!v)
		return 0;
	rw->kind = XNET_REWRITE_SRC;
	rw->old_ip = p->src;
	rw->new_ip = v->pub_ip;
	rw->old_port = p->sport;
	rw->new_port = v->pub_port;
	if (quiet)	/* a what-if packet: the rewrite only */
		return 1;
	xnet_nat_count(v->pub_ip, v->pub_port, p->proto, v->flags & XNET_CT_WHOLE, XNET_NAT_TO_PUBLIC);
	xnet_ct_reply_seen(p, &xnet_ct, &key, &v->flags);
	return 1;
#else
	return 0;
#endif
}

/*
 * A packet from a client straight to a private address and port that an earlier translated
 * connection used: that connection is over (the tuple is taken again), so its entry goes, or the
 * direct connection's replies would be rewritten to the public address and never be accepted.
 */
static __always_inline void xnet_nat_forget_direct(const struct xnet_pkt *p)
{
#if XNET_NAT
	struct xnet_ct_key key = xnet_ct_key_of(p->dst, p->src, p->dport, p->sport, p->proto);
	if (bpf_map_lookup_elem(&xnet_ct, &key))
		bpf_map_delete_elem(&xnet_ct, &key);
#endif
}

/*
 * ICMP errors about translated connections (IPv4). An error quoting a reply as it left, from the
 * public address (a router's "fragmentation needed" on the way to the client), is addressed to
 * the public address: it goes to the private side, its quoted source made private again
 * (XNET_REWRITE_ERR_DST, decided before the rules, which see it so, as they see a forwarded
 * packet). An error from the private side about a packet it got (a port unreachable) quotes the
 * private address: the client gets it from the public one (XNET_REWRITE_ERR_SRC, after the
 * rules, as a reply). Only for a remembered connection, and only an error to the quoted packet's
 * sender; nothing is counted or remembered.
 */
static __always_inline int xnet_nat_error_inward(const struct xnet_pkt *p, struct xnet_rewrite *rw)
{
#if XNET_NAT
	if (!p->has_inner || p->v6 || p->dst != p->inner_src)
		return 0;
	struct xnet_nat_value *v = 0;
	if (p->inner_proto == IPPROTO_TCP || p->inner_proto == IPPROTO_UDP) {
		struct xnet_nat_key exact = xnet_nat_key_of(p->inner_src, p->inner_sport, p->inner_proto, 0);
		v = bpf_map_lookup_elem(&xnet_nat, &exact);
	}
	if (!v) {
		struct xnet_nat_key whole = xnet_nat_key_of(p->inner_src, 0, 0, 1);
		v = bpf_map_lookup_elem(&xnet_nat, &whole);
	}
	if (!v)
		return 0;
	__u16 priv_port = v->port ? v->port : p->inner_sport;
	struct xnet_ct_key key = xnet_ct_key_of(v->ip, p->inner_dst, priv_port, p->inner_dport, p->inner_proto);
	struct xnet_ct_value *c = bpf_map_lookup_elem(&xnet_ct, &key);
	if (!c || c->pub_ip != p->inner_src || c->pub_port != p->inner_sport)
		return 0;
	rw->kind = XNET_REWRITE_ERR_DST;
	rw->old_ip = p->inner_src;
	rw->new_ip = v->ip;
	rw->old_port = p->inner_sport;
	rw->new_port = priv_port;
	return 1;
#else
	return 0;
#endif
}

static __always_inline int xnet_nat_error_outward(const struct xnet_pkt *p, struct xnet_rewrite *rw)
{
#if XNET_NAT
	if (!p->has_inner || p->v6 || p->dst != p->inner_src)
		return 0;
	struct xnet_ct_key key = xnet_ct_key_of(p->inner_dst, p->inner_src, p->inner_dport, p->inner_sport,
						p->inner_proto);
	struct xnet_ct_value *c = bpf_map_lookup_elem(&xnet_ct, &key);
	if (!c)
		return 0;
	rw->kind = XNET_REWRITE_ERR_SRC;
	rw->old_ip = p->inner_dst;
	rw->new_ip = c->pub_ip;
	rw->old_port = p->inner_dport;
	rw->new_port = c->pub_port;
	return 1;
#else
	return 0;
#endif
}

/* The rules see an inward error translated (on) or as it came (off), as xnet_seen_translated. */
static __always_inline void xnet_seen_error(struct xnet_pkt *p, const struct xnet_rewrite *rw, int on)
{
	p->dst = on ? rw->new_ip : rw->old_ip;
	p->inner_src = on ? rw->new_ip : rw->old_ip;
	p->inner_sport = on ? rw->new_port : rw->old_port;
}

/*
 * IPv6: the same static NAT with the IPv6 maps (xnet_nat6, xnet_ct6, xnet_nat_stats6), the same
 * connection life (SYN afresh, FINs noted, RST ends, a direct packet takes the tuple back) and the
 * same counting. Addresses are 16 bytes in network order, in the rewrite's old_ip6 and new_ip6.
 * These functions mirror IPv4's above line by line, with the IPv6 keys and maps; what decides a
 * connection's life (xnet_tcp_opens, xnet_ct_reply_seen) is shared, so the families cannot drift.
 */
static __always_inline int xnet_ip6_equal(const __u32 *a, const __u32 *b)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

static __always_inline struct xnet_nat_key6 xnet_nat_key6_of(const __u32 *ip, __u16 port, __u8 proto, int whole)
{
	struct xnet_nat_key6 key = {};
	__builtin_memcpy(key.ip, ip, sizeof(key.ip));
	if (!whole) {
		key.port = port;
		key.proto = proto;
	}
	return key;
}

static __always_inline struct xnet_ct_key6 xnet_ct_key6_of(const __u32 *priv_ip, const __u32 *client_ip,
							   __u16 priv_port, __u16 client_port, __u8 proto)
{
	struct xnet_ct_key6 key = { .priv_port = priv_port, .client_port = client_port, .proto = proto };
	__builtin_memcpy(key.priv_ip, priv_ip, sizeof(key.priv_ip));
	__builtin_memcpy(key.client_ip, client_ip, sizeof(key.client_ip));
	return key;
}

static __always_inline int xnet_nat_forward6(const struct xnet_pkt *p, struct xnet_rewrite *rw)
{
#if XNET_NAT
	struct xnet_nat_value6 *v = 0;
	if ((p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP) && p->has_ports) {
		struct xnet_nat_key6 exact = xnet_nat_key6_of(p->dst6, p->dport, p->proto, 0);
		v = bpf_map_lookup_elem(&xnet_nat6, &exact);
	}
	rw->whole = 0;
	if (!v) {
		struct xnet_nat_key6 whole = xnet_nat_key6_of(p->dst6, 0, 0, 1);
		v = bpf_map_lookup_elem(&xnet_nat6, &whole);
		rw->whole = 1;
	}
	if (!v)
		return 0;
	rw->kind = XNET_REWRITE_DST;
	__builtin_memcpy(rw->old_ip6, p->dst6, sizeof(rw->old_ip6));
	__builtin_memcpy(rw->new_ip6, v->ip, sizeof(rw->new_ip6));
	rw->old_port = p->dport;
	rw->new_port = v->port ? v->port : p->dport;
	return 1;
#else
	return 0;
#endif
}

static __always_inline void xnet_nat_count6(const __u32 *pub_ip, __u16 pub_port, __u8 proto, int whole, int way)
{
#if XNET_NAT
	struct xnet_nat_key6 key = xnet_nat_key6_of(pub_ip, pub_port, proto, whole);
	struct xnet_nat_stats *s = bpf_map_lookup_elem(&xnet_nat_stats6, &key);
	if (s)
		s->packets[way & 1]++;
#endif
}

/* As xnet_nat_remember: returns 1 when it wrote a new connection entry (a NAT event's moment). */
static __always_inline int xnet_nat_remember6(const struct xnet_pkt *p, const struct xnet_rewrite *rw)
{
#if XNET_NAT
	struct xnet_ct_key6 key = xnet_ct_key6_of(rw->new_ip6, p->src6, rw->new_port, p->sport, p->proto);
	xnet_nat_count6(rw->old_ip6, rw->old_port, p->proto, rw->whole, XNET_NAT_TO_PRIVATE);
	if (xnet_tcp_has(p, XNET_TCP_RST)) {
		bpf_map_delete_elem(&xnet_ct6, &key);
		return 0;
	}
	__u8 fin = xnet_tcp_has(p, XNET_TCP_FIN) ? XNET_CT_FIN_CLIENT : 0;
	int opening = xnet_tcp_opens(p);
	struct xnet_ct_value6 *known = bpf_map_lookup_elem(&xnet_ct6, &key);
	if (known && !opening && xnet_ip6_equal(known->pub_ip, rw->old_ip6) && known->pub_port == rw->old_port) {
		if ((known->flags & fin) != fin)
			known->flags |= fin;
		return 0;
	}
	struct xnet_ct_value6 value = { .pub_port = rw->old_port, .flags = fin | (rw->whole ? XNET_CT_WHOLE : 0) };
	__builtin_memcpy(value.pub_ip, rw->old_ip6, sizeof(value.pub_ip));
	bpf_map_update_elem(&xnet_ct6, &key, &value, BPF_ANY);
	return 1;
#else
	return 0;
#endif
}

/* ICMPv6 errors about translated connections: as xnet_nat_error_inward and _outward, with xnet_nat6 and xnet_ct6. */
static __always_inline int xnet_nat_error_inward6(const struct xnet_pkt *p, struct xnet_rewrite *rw)
{
#if XNET_NAT
	if (!p->has_inner || !p->v6 || !xnet_ip6_equal(p->dst6, p->inner_src6))
		return 0;
	struct xnet_nat_value6 *v = 0;
	if (p->inner_proto == IPPROTO_TCP || p->inner_proto == IPPROTO_UDP) {
		struct xnet_nat_key6 exact = xnet_nat_key6_of(p->inner_src6, p->inner_sport, p->inner_proto, 0);
		v = bpf_map_lookup_elem(&xnet_nat6, &exact);
	}
	if (!v) {
		struct xnet_nat_key6 whole = xnet_nat_key6_of(p->inner_src6, 0, 0, 1);
		v = bpf_map_lookup_elem(&xnet_nat6, &whole);
	}
	if (!v)
		return 0;
	__u16 priv_port = v->port ? v->port : p->inner_sport;
	struct xnet_ct_key6 key = xnet_ct_key6_of(v->ip, p->inner_dst6, priv_port, p->inner_dport, p->inner_proto);
	struct xnet_ct_value6 *c = bpf_map_lookup_elem(&xnet_ct6, &key);
	if (!c || !xnet_ip6_equal(c->pub_ip, p->inner_src6) || c->pub_port != p->inner_sport)
		return 0;
	rw->kind = XNET_REWRITE_ERR_DST;
	__builtin_memcpy(rw->old_ip6, p->inner_src6, sizeof(rw->old_ip6));
	__builtin_memcpy(rw->new_ip6, v->ip, sizeof(rw->new_ip6));
	rw->old_port = p->inner_sport;
	rw->new_port = priv_port;
	return 1;
#else
	return 0;
#endif
}

static __always_inline int xnet_nat_error_outward6(const struct xnet_pkt *p, struct xnet_rewrite *rw)
{
#if XNET_NAT
	if (!p->has_inner || !p->v6 || !xnet_ip6_equal(p->dst6, p->inner_src6))
		return 0;
	struct xnet_ct_key6 key = xnet_ct_key6_of(p->inner_dst6, p->inner_src6, p->inner_dport, p->inner_sport,
						  p->inner_proto);
	struct xnet_ct_value6 *c = bpf_map_lookup_elem(&xnet_ct6, &key);
	if (!c)
		return 0;
	rw->kind = XNET_REWRITE_ERR_SRC;
	__builtin_memcpy(rw->old_ip6, p->inner_dst6, sizeof(rw->old_ip6));
	__builtin_memcpy(rw->new_ip6, c->pub_ip, sizeof(rw->new_ip6));
	rw->old_port = p->inner_dport;
	rw->new_port = c->pub_port;
	return 1;
#else
	return 0;
#endif
}

/* As xnet_seen_error, for an IPv6 error. */
static __always_inline void xnet_seen_error6(struct xnet_pkt *p, const struct xnet_rewrite *rw, int on)
{
	__builtin_memcpy(p->dst6, on ? rw->new_ip6 : rw->old_ip6, sizeof(p->dst6));
	__builtin_memcpy(p->inner_src6, on ? rw->new_ip6 : rw->old_ip6, sizeof(p->inner_src6));
	p->inner_sport = on ? rw->new_port : rw->old_port;
}

static __always_inline int xnet_nat_reverse6(const struct xnet_pkt *p, struct xnet_rewrite *rw, __u32 quiet)
{
#if XNET_NAT
	struct xnet_ct_key6 key = xnet_ct_key6_of(p->src6, p->dst6, p->sport, p->dport, p->proto);
	struct xnet_ct_value6 *v = bpf_map_lookup_elem(&xnet_ct6, &key);
	if (!v)
		return 0;
	rw->kind = XNET_REWRITE_SRC;
	__builtin_memcpy(rw->old_ip6, p->src6, sizeof(rw->old_ip6));
	__builtin_memcpy(rw->new_ip6, v->pub_ip, sizeof(rw->new_ip6));
	rw->old_port = p->sport;
	rw->new_port = v->pub_port;
	if (quiet)
		return 1;
	xnet_nat_count6(v->pub_ip, v->pub_port, p->proto, v->flags & XNET_CT_WHOLE, XNET_NAT_TO_PUBLIC);
	xnet_ct_reply_seen(p, &xnet_ct6, &key, &v->flags);
	return 1;
#else
	return 0;
#endif
}

static __always_inline void xnet_nat_forget_direct6(const struct xnet_pkt *p)
{
#if XNET_NAT
	struct xnet_ct_key6 key = xnet_ct_key6_of(p->dst6, p->src6, p->dport, p->sport, p->proto);
	if (bpf_map_lookup_elem(&xnet_ct6, &key))
		bpf_map_delete_elem(&xnet_ct6, &key);
#endif
}

#endif
