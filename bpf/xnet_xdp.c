/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xnet at the XDP hook: filter and static NAT before an sk_buff exists. XDP cannot see whether
 * a checksum was left to offload, so NAT updates checksums as if they were complete (true when
 * the sender computes them, e.g. with tx checksum offload off). "xdp.frags" lets multi-buffer
 * packets through, which keeps large MTUs and GRO on veth working.
 */
#include "include/xnet_common.h"
#include "lib/csum.h"

/* The last byte offset at which the rewrite mends an upper-layer header (see xnet_xdp_rewrite). */
#define XNET_XDP_REACH 0x1ff

/*
 * The L4 checksum a rewrite must mend, within bounds: TCP's and UDP's with a header, ICMPv6's
 * (it covers the pseudo-header); NULL for none, or for UDP without a checksum (IPv4 only), which
 * stays without. *room says whether the header was within bounds.
 */
static __always_inline __u16 *xnet_xdp_l4_csum(void *data, void *data_end, const struct xnet_pkt *p, int *room)
{
	void *l4 = data + (p->l4_off & XNET_XDP_REACH); /* the caller refused offsets beyond it */
	*room = 1;
	if (p->has_ports && p->proto == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;
		if ((void *)(tcp + 1) > data_end)
			return *room = 0, NULL;
		return &tcp->check;
	}
	if (p->has_ports && p->proto == IPPROTO_UDP) {
		struct udphdr *udp = l4;
		if ((void *)(udp + 1) > data_end)
			return *room = 0, NULL;
		return udp->check ? &udp->check : NULL;
	}
	if (p->v6 && p->proto == XNET_IPPROTO_ICMPV6 && !p->later_frag) {
		__u16 *icmp6 = l4;
		if ((void *)(icmp6 + 2) > data_end)
			return *room = 0, NULL;
		return &icmp6[1];
	}
	return NULL;
}

/*
 * An ICMP error about a translated connection (IPv4), as xnet_tc_rewrite_error in xnet_tc.c: the
 * outer address when it is the translated one, the quoted address, header checksum and port, and
 * ICMP's checksum for each quoted change. Its headers end by byte 82 + 8 + 60 + 4.
 */
static __always_inline int xnet_xdp_rewrite_error(void *data, void *data_end, const struct xnet_pkt *p,
						  const struct xnet_rewrite *rw)
{
	int inward = rw->kind == XNET_REWRITE_ERR_DST;
	struct iphdr *ip = data + (p->l3_off & 0x1f);
	__u16 *icmp = data + (p->l4_off & 0x7f);
	struct iphdr *inner = data + (p->inner_l3 & 0xff);
	__u16 *ports = data + (p->inner_l4 & 0xff);
	if ((void *)(ip + 1) > data_end || (void *)(icmp + 2) > data_end || (void *)(inner + 1) > data_end
	    || (void *)(ports + 2) > data_end)
		return -1;
	__u32 *outer = inward ? &ip->daddr : &ip->saddr;
	if (*outer == rw->old_ip) {
		xnet_csum_replace4(&ip->check, rw->old_ip, rw->new_ip);
		*outer = rw->new_ip;
	}
	__u16 old_sum = inner->check;
	xnet_csum_replace4(&inner->check, rw->old_ip, rw->new_ip);
	if (inward)
		inner->saddr = rw->new_ip;
	else
		inner->daddr = rw->new_ip;
	xnet_csum_replace4(&icmp[1], rw->old_ip, rw->new_ip);
	xnet_csum_replace2(&icmp[1], old_sum, inner->check);
	if ((p->inner_proto == IPPROTO_TCP || p->inner_proto == IPPROTO_UDP) && rw->old_port != rw->new_port) {
		__be16 new_port = bpf_htons(rw->new_port);
		xnet_csum_replace2(&icmp[1], bpf_htons(rw->old_port), new_port);
		ports[inward ? 0 : 1] = new_port;
	}
	return 0;
}

/* The same for an ICMPv6 error, as xnet_tc_rewrite_error6; the quote lies within 10 bits of offset. */
static __always_inline int xnet_xdp_rewrite_error6(void *data, void *data_end, const struct xnet_pkt *p,
						   const struct xnet_rewrite *rw)
{
	int inward = rw->kind == XNET_REWRITE_ERR_DST;
	__u8 *ip6 = data + (p->l3_off & 0x1f);
	__u16 *icmp6 = data + (p->l4_off & XNET_XDP_REACH);
	__u8 *inner = data + (p->inner_l3 & 0x3ff);
	__u16 *ports = data + (p->inner_l4 & 0x3ff);
	if ((void *)(ip6 + 40) > data_end || (void *)(icmp6 + 2) > data_end || (void *)(inner + 40) > data_end
	    || (void *)(ports + 2) > data_end)
		return -1;
	__u32 *outer = (__u32 *)(ip6 + (inward ? 24 : 8));
	__u32 *quoted = (__u32 *)(inner + (inward ? 8 : 24));
	int same = outer[0] == rw->old_ip6[0] && outer[1] == rw->old_ip6[1] && outer[2] == rw->old_ip6[2]
		   && outer[3] == rw->old_ip6[3];
#pragma unroll
	for (int i = 0; i < 4; i++) {
		if (same) {
			xnet_csum_replace4(&icmp6[1], rw->old_ip6[i], rw->new_ip6[i]);
			outer[i] = rw->new_ip6[i];
		}
	}
#pragma unroll
	for (int i = 0; i < 4; i++) {
		xnet_csum_replace4(&icmp6[1], rw->old_ip6[i], rw->new_ip6[i]);
		quoted[i] = rw->new_ip6[i];
	}
	if ((p->inner_proto == IPPROTO_TCP || p->inner_proto == IPPROTO_UDP) && rw->old_port != rw->new_port) {
		__be16 new_port = bpf_htons(rw->new_port);
		xnet_csum_replace2(&icmp6[1], bpf_htons(rw->old_port), new_port);
		ports[inward ? 0 : 1] = new_port;
	}
	return 0;
}

/*
 * A global function: the verifier checks it once, for any packet, instead of again for each
 * state the IPv6 header walk leaves (the offsets it reaches the packet by differ in each).
 */
__attribute__((noinline)) int xnet_xdp_rewrite(struct xdp_md *ctx, const struct xnet_pkt *p,
					       const struct xnet_rewrite *rw)
{
	if (!ctx || !p || !rw)	/* as far as the verifier knows, a global function's pointers may be null */
		return -1;
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	/* The verifier is shown offsets within 9 bits: an IPv6 chain that puts the upper-layer header
	 * past byte 511 cannot be mended here without mending the wrong bytes, so the packet is
	 * dropped instead (counted as dropped at its attach point; the README's edge-packet table).
	 * IPv4's headers end by byte 82; tc's helpers take any offset. */
	if (p->l4_off > XNET_XDP_REACH)
		return -1;
	if ((rw->kind == XNET_REWRITE_ERR_DST || rw->kind == XNET_REWRITE_ERR_SRC) && p->v6)
		return xnet_xdp_rewrite_error6(data, data_end, p, rw);
	if (rw->kind == XNET_REWRITE_ERR_DST || rw->kind == XNET_REWRITE_ERR_SRC)
		return xnet_xdp_rewrite_error(data, data_end, p, rw);
	int dst = rw->kind == XNET_REWRITE_DST;
	int room;
	__u16 *check = xnet_xdp_l4_csum(data, data_end, p, &room);
	if (!room)
		return -1;
	if (p->v6) {
		__u8 *ip6 = data + (p->l3_off & 0x1f); /* after at most two VLAN tags */
		if ((void *)(ip6 + 40) > data_end)
			return -1;
		__u32 *addr = (__u32 *)(ip6 + (dst ? 24 : 8));
#pragma unroll
		for (int i = 0; i < 4; i++) {
			if (check)
				xnet_csum_replace4(check, rw->old_ip6[i], rw->new_ip6[i]);
			addr[i] = rw->new_ip6[i];
		}
	} else {
		struct iphdr *ip = data + (p->l3_off & 0x1f);
		if ((void *)(ip + 1) > data_end)
			return -1;
		xnet_csum_replace4(&ip->check, rw->old_ip, rw->new_ip);
		if (dst)
			ip->daddr = rw->new_ip;
		else
			ip->saddr = rw->new_ip;
		if (check)
			xnet_csum_replace4(check, rw->old_ip, rw->new_ip);
	}

	if (!p->has_ports || (p->proto != IPPROTO_TCP && p->proto != IPPROTO_UDP))
		return 0;
	struct udphdr *ports = data + (p->l4_off & XNET_XDP_REACH);
	if ((void *)(ports + 1) > data_end)
		return -1;
	__be16 old_port = bpf_htons(rw->old_port);
	__be16 new_port = bpf_htons(rw->new_port);
	if (check && old_port != new_port)
		xnet_csum_replace2(check, old_port, new_port);
	if (check && p->proto == IPPROTO_UDP && *check == 0)
		*check = 0xffff;
	if (dst)
		ports->dest = new_port;
	else
		ports->source = new_port;
	return 0;
}

/* A what-if packet (`test packet`): the metadata before the frame starts with the magic words. */
static __always_inline __u32 *xnet_xdp_probe_words(struct xdp_md *ctx)
{
	void *meta = (void *)(long)ctx->data_meta;
	void *data = (void *)(long)ctx->data;
	__u32 *words = meta;
	if (meta + XNET_PROBE_META_LEN > data)
		return NULL;
	return words[0] == XNET_PROBE_MAGIC0 && words[1] == XNET_PROBE_MAGIC1 ? words : NULL;
}

SEC("xdp.frags")
int xnet_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct xnet_pkt p = { .len = bpf_xdp_get_buff_len(ctx) };
	struct xnet_rewrite rw = {};	/* all of it: a path the verifier walks may read a family's fields the other left */
	struct xnet_probe probe = { .on = xnet_xdp_probe_words(ctx) != NULL };
	int verdict = XDP_DROP;

	if (xnet_decide(data, data_end, ctx->ingress_ifindex, &p, &rw, &probe) != XNET_ACT_DROP) {
		if (rw.kind == XNET_REWRITE_NONE || xnet_xdp_rewrite(ctx, &p, &rw) == 0)
			verdict = XDP_PASS;
		else if (!probe.on)
			xnet_count_if(ctx->ingress_ifindex, XNET_STAT_DROPPED);	/* beyond the rewrite's reach */
	}
	if (probe.on) {
		__u32 *words = xnet_xdp_probe_words(ctx);
		if (words) {
			words[2] = probe.slot;
			words[3] = probe.info | XNET_PROBE_DONE;
		}
	}
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
