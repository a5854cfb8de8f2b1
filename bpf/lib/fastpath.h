/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fast path (`datapath fastpath on`), at tc ingress, after the filter and NAT decision
 * allowed the packet and any rewrite was made. It hands the packet on itself where the kernel
 * would only forward it:
 *
 * - to a container of this host: bpf_redirect_peer into the container's namespace, skipping the
 *   bridge (and, between bridges or from the uplink, the host's routing: the MACs then come from
 *   the host's neighbour entry and the TTL goes down by one, as forwarding does);
 * - from a container to the outside: bpf_redirect_neigh out of the uplink, skipping the host's
 *   forwarding path (the kernel fills in the MACs, resolving the neighbour if it must).
 *
 * Everything else takes the normal path, unchanged: frames that are not plain IPv4 (ARP, VLAN,
 * IPv6), broadcast and multicast, traffic to the host itself, a TTL that would expire, IP options
 * when routing, a destination whose neighbour the host has not resolved yet (the kernel resolves
 * it, and the next packet goes fast), and frames from anywhere but a container's own veth or the
 * uplink (a tunnel's, or a container's with a source address that is not its own).
 */
#ifndef XNET_FASTPATH_H
#define XNET_FASTPATH_H

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "maps.h"

#ifndef AF_INET
#define AF_INET 2
#endif
#ifndef PACKET_HOST
#define PACKET_HOST 0
#endif

static __always_inline void xnet_count_fast(__u32 ifindex, __u32 quiet)
{
	if (quiet)	/* a what-if packet counts nothing */
		return;
	__u64 *n = bpf_map_lookup_elem(&xnet_fast_stats, &ifindex);
	if (n)
		(*n)++;
}

static __always_inline int xnet_same_mac(const __u8 *a, const __u8 *b)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3] && a[4] == b[4] && a[5] == b[5];
}

/* One hop of forwarding: TTL down by one, the checksum updated as the kernel's ip_decrease_ttl. */
static __always_inline void xnet_ttl_decrease(struct iphdr *ip)
{
	__u32 check = ip->check;
	check += bpf_htons(0x0100);
	ip->check = (__u16)(check + (check >= 0xFFFF));
	ip->ttl--;
}

/* The route to the packet's destination, as the host would forward it from this interface. */
static __always_inline int xnet_route(struct __sk_buff *skb, const struct iphdr *ip, __u32 in,
				      struct bpf_fib_lookup *fib)
{
	__builtin_memset(fib, 0, sizeof(*fib));
	fib->family = AF_INET;
	fib->tos = ip->tos;
	fib->l4_protocol = ip->protocol;
	fib->tot_len = 0; /* 0: the kernel checks the length itself, GSO aware */
	fib->ipv4_src = ip->saddr;
	fib->ipv4_dst = ip->daddr;
	fib->ifindex = in;
	return bpf_fib_lookup(skb, fib, sizeof(*fib), 0);
}

/* TC_ACT_REDIRECT when the packet was handed on, else TC_ACT_OK (the normal path); quiet: a
 * what-if packet, decided the same way but not counted. */
static __always_inline int xnet_fastpath(struct __sk_buff *skb, __u32 quiet)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || (eth->h_dest[0] & 1))
		return TC_ACT_OK;

	__u32 in = skb->ingress_ifindex;
	__u32 saddr = ip->saddr;
	__u32 daddr = ip->daddr;
	__u32 uplink_key = 0;
	struct xnet_fast_value *from = saddr ? bpf_map_lookup_elem(&xnet_fast, &saddr) : NULL;
	struct xnet_fast_value *uplink = bpf_map_lookup_elem(&xnet_fast, &uplink_key);
	if (from && from->veth != in)
		from = NULL; /* not sent by that container */
	int from_uplink = uplink && uplink->veth == in;
	if (!from && !from_uplink)
		return TC_ACT_OK;

	struct bpf_fib_lookup fib;
	struct xnet_fast_value *to = daddr ? bpf_map_lookup_elem(&xnet_fast, &daddr) : NULL;
	if (to) {
		if (from && from->bridge == to->bridge && !xnet_same_mac(eth->h_dest, to->bridge_mac)) {
			/* bridged: the frame is addressed to the container already */
			bpf_skb_change_type(skb, PACKET_HOST);
			xnet_count_fast(in, quiet);
			return bpf_redirect_peer(to->veth, 0);
		}
		if (ip->ttl <= 1 || ip->ihl != 5)
			return TC_ACT_OK;
		if (xnet_route(skb, ip, in, &fib) != BPF_FIB_LKUP_RET_SUCCESS || fib.ifindex != to->bridge)
			return TC_ACT_OK;
		/* the lookup does not move the packet, but the verifier wants the bounds again */
		data = (void *)(long)skb->data;
		data_end = (void *)(long)skb->data_end;
		eth = data;
		ip = data + sizeof(*eth);
		if ((void *)(ip + 1) > data_end)
			return TC_ACT_OK;
		xnet_ttl_decrease(ip);
		__builtin_memcpy(eth->h_dest, fib.dmac, ETH_ALEN);
		__builtin_memcpy(eth->h_source, fib.smac, ETH_ALEN);
		bpf_skb_change_type(skb, PACKET_HOST);
		xnet_count_fast(in, quiet);
		return bpf_redirect_peer(to->veth, 0);
	}

	if (from_uplink || !uplink || ip->ttl <= 1 || ip->ihl != 5)
		return TC_ACT_OK;
	int rc = xnet_route(skb, ip, in, &fib);
	if ((rc != BPF_FIB_LKUP_RET_SUCCESS && rc != BPF_FIB_LKUP_RET_NO_NEIGH) || fib.ifindex != uplink->veth)
		return TC_ACT_OK;
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	ip = data + sizeof(struct ethhdr);
	if ((void *)(ip + 1) > data_end)
		return TC_ACT_OK;
	xnet_ttl_decrease(ip);
	xnet_count_fast(in, quiet);
	return bpf_redirect_neigh(uplink->veth, NULL, 0, 0);
}

#endif
