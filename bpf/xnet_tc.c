/* SPDX-License-Identifier: GPL-2.0 */
/* xnet at the TC hook (tcx ingress, kernel 6.6+): filter and static NAT on sk_buffs. */
#include "include/xnet_common.h"
#if XNET_FASTPATH
#include "lib/fastpath.h"
#endif

/* Room for Ethernet with two VLAN tags, the largest IPv4 header and a TCP header. */
#define XNET_HEADERS (14 + 2 * 4 + 60 + 20)
/* IPv6: its header, extension headers and the upper-layer header must lie in the first 256 bytes
 * (a chain reaching further is dropped as malformed, see lib/packet.h). */
#define XNET_HEADERS6 256

/*
 * Where the L4 checksum of a translated packet is: TCP's and UDP's with a header, and ICMPv6's
 * (its checksum covers the IPv6 pseudo-header, unlike ICMP's); 0 for none (a later fragment, or
 * IPv4 ICMP, whose checksum does not cover the addresses).
 */
static __always_inline __u32 xnet_tc_csum_off(const struct xnet_pkt *p)
{
	if (p->proto == IPPROTO_TCP && p->has_ports)
		return p->l4_off + offsetof(struct tcphdr, check);
	if (p->proto == IPPROTO_UDP && p->has_ports)
		return p->l4_off + offsetof(struct udphdr, check);
	if (p->v6 && p->proto == XNET_IPPROTO_ICMPV6 && !p->later_frag)
		return p->l4_off + 2;
	return 0;
}

/* The checksum helpers handle both full and partial (offloaded) checksums. */
static __always_inline void xnet_tc_rewrite(struct __sk_buff *skb, const struct xnet_pkt *p,
					    const struct xnet_rewrite *rw)
{
	int dst = rw->kind == XNET_REWRITE_DST;
	__u32 csum_off = xnet_tc_csum_off(p);
	/* a UDP checksum of 0 (none, IPv4 only) stays 0 */
	__u64 l4_flags = p->proto == IPPROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0;

	if (p->v6) {
		__u32 ip_off = p->l3_off + (dst ? 24 : 8);
		if (csum_off) {
			__s64 diff = bpf_csum_diff((__be32 *)rw->old_ip6, 16, (__be32 *)rw->new_ip6, 16, 0);
			bpf_l4_csum_replace(skb, csum_off, 0, diff, l4_flags | BPF_F_PSEUDO_HDR);
		}
		bpf_skb_store_bytes(skb, ip_off, rw->new_ip6, 16, 0);
	} else {
		__u32 ip_off = p->l3_off + (dst ? offsetof(struct iphdr, daddr) : offsetof(struct iphdr, saddr));
		bpf_l3_csum_replace(skb, p->l3_off + offsetof(struct iphdr, check), rw->old_ip, rw->new_ip, 4);
		if (csum_off)
			bpf_l4_csum_replace(skb, csum_off, rw->old_ip, rw->new_ip, l4_flags | BPF_F_PSEUDO_HDR | 4);
		bpf_skb_store_bytes(skb, ip_off, &rw->new_ip, 4, 0);
	}

	if (p->has_ports && (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP) && rw->old_port != rw->new_port) {
		__be16 old_port = bpf_htons(rw->old_port);
		__be16 new_port = bpf_htons(rw->new_port);
		__u32 port_off = p->l4_off + (dst ? offsetof(struct udphdr, dest) : offsetof(struct udphdr, source));
		bpf_l4_csum_replace(skb, csum_off, old_port, new_port, l4_flags | 2);
		bpf_skb_store_bytes(skb, port_off, &new_port, 2, 0);
	}
}

/*
 * An ICMP error about a translated connection (XNET_REWRITE_ERR_*, IPv4): the outer address when
 * it is the translated one (a router's own stays), then the quoted header's address, its header
 * checksum and its port. ICMP's checksum covers the quoted bytes, not the outer header: it is
 * mended for each quoted change. The quoted TCP or UDP checksum is left as it is: a quote is
 * often cut short before it, and no receiver checks it.
 */
static __always_inline void xnet_tc_rewrite_error(struct __sk_buff *skb, const struct xnet_pkt *p,
						  const struct xnet_rewrite *rw)
{
	int inward = rw->kind == XNET_REWRITE_ERR_DST;
	__u32 icmp_check = p->l4_off + 2;
	if ((inward ? p->dst : p->src) == rw->old_ip) {
		bpf_l3_csum_replace(skb, p->l3_off + offsetof(struct iphdr, check), rw->old_ip, rw->new_ip, 4);
		bpf_skb_store_bytes(skb, p->l3_off + (inward ? offsetof(struct iphdr, daddr) : offsetof(struct iphdr, saddr)),
				    &rw->new_ip, 4, 0);
	}
	__u32 inner_check = p->inner_l3 + offsetof(struct iphdr, check);
	__u16 old_sum, new_sum;
	if (bpf_skb_load_bytes(skb, inner_check, &old_sum, 2))
		return;
	bpf_l3_csum_replace(skb, inner_check, rw->old_ip, rw->new_ip, 4);
	if (bpf_skb_load_bytes(skb, inner_check, &new_sum, 2))
		return;
	bpf_skb_store_bytes(skb, p->inner_l3 + (inward ? offsetof(struct iphdr, saddr) : offsetof(struct iphdr, daddr)),
			    &rw->new_ip, 4, 0);
	bpf_l4_csum_replace(skb, icmp_check, rw->old_ip, rw->new_ip, 4);
	bpf_l4_csum_replace(skb, icmp_check, old_sum, new_sum, 2);
	if ((p->inner_proto == IPPROTO_TCP || p->inner_proto == IPPROTO_UDP) && rw->old_port != rw->new_port) {
		__be16 old_port = bpf_htons(rw->old_port);
		__be16 new_port = bpf_htons(rw->new_port);
		bpf_skb_store_bytes(skb, p->inner_l4 + (inward ? 0 : 2), &new_port, 2, 0);
		bpf_l4_csum_replace(skb, icmp_check, old_port, new_port, 2);
	}
}

/*
 * The same for an ICMPv6 error: no header checksums, but ICMPv6's covers the pseudo-header (the
 * outer address) as well as the quoted bytes (address, port).
 */
static __always_inline void xnet_tc_rewrite_error6(struct __sk_buff *skb, const struct xnet_pkt *p,
						   const struct xnet_rewrite *rw)
{
	int inward = rw->kind == XNET_REWRITE_ERR_DST;
	__u32 check = p->l4_off + 2;
	__s64 diff = bpf_csum_diff((__be32 *)rw->old_ip6, 16, (__be32 *)rw->new_ip6, 16, 0);
	const __u32 *outer = inward ? p->dst6 : p->src6;
	if (outer[0] == rw->old_ip6[0] && outer[1] == rw->old_ip6[1] && outer[2] == rw->old_ip6[2]
	    && outer[3] == rw->old_ip6[3]) {
		bpf_l4_csum_replace(skb, check, 0, diff, BPF_F_PSEUDO_HDR);
		bpf_skb_store_bytes(skb, p->l3_off + (inward ? 24 : 8), rw->new_ip6, 16, 0);
	}
	bpf_l4_csum_replace(skb, check, 0, diff, 0);
	bpf_skb_store_bytes(skb, p->inner_l3 + (inward ? 8 : 24), rw->new_ip6, 16, 0);
	if ((p->inner_proto == IPPROTO_TCP || p->inner_proto == IPPROTO_UDP) && rw->old_port != rw->new_port) {
		__be16 old_port = bpf_htons(rw->old_port);
		__be16 new_port = bpf_htons(rw->new_port);
		bpf_skb_store_bytes(skb, p->inner_l4 + (inward ? 0 : 2), &new_port, 2, 0);
		bpf_l4_csum_replace(skb, check, old_port, new_port, 2);
	}
}

SEC("tc")
int xnet_tc(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u32 room = skb->protocol == bpf_htons(XNET_ETH_P_IPV6) ? XNET_HEADERS6 : XNET_HEADERS;
	__u32 wanted = skb->len < room ? skb->len : room;
	if (data + wanted > data_end) {
		/* headers not all in the linear part (rare on veth): pull them in */
		bpf_skb_pull_data(skb, wanted);
		data = (void *)(long)skb->data;
		data_end = (void *)(long)skb->data_end;
	}
	struct xnet_pkt p = { .len = skb->len };
	struct xnet_rewrite rw = {};	/* all of it: a path the verifier walks may read a family's fields the other left */
	/* a what-if packet (`test packet`): its test run's context carries the magic words */
	struct xnet_probe probe = { .on = skb->cb[0] == XNET_PROBE_MAGIC0 && skb->cb[1] == XNET_PROBE_MAGIC1 };
	int verdict = TC_ACT_SHOT;

	if (xnet_decide(data, data_end, skb->ifindex, &p, &rw, &probe) != XNET_ACT_DROP) {
		if ((rw.kind == XNET_REWRITE_ERR_DST || rw.kind == XNET_REWRITE_ERR_SRC) && p.v6)
			xnet_tc_rewrite_error6(skb, &p, &rw);
		else if (rw.kind == XNET_REWRITE_ERR_DST || rw.kind == XNET_REWRITE_ERR_SRC)
			xnet_tc_rewrite_error(skb, &p, &rw);
		else if (rw.kind != XNET_REWRITE_NONE)
			xnet_tc_rewrite(skb, &p, &rw);
#if XNET_FASTPATH
		verdict = xnet_fastpath(skb, probe.on);
#else
		verdict = TC_ACT_OK;
#endif
	}
	if (probe.on) {
		skb->cb[2] = probe.slot;
		skb->cb[3] = probe.info | XNET_PROBE_DONE;
	}
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
