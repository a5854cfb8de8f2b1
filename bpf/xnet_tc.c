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

/* The checksum helpers handle both full and partial (offloaded) checksums. */
static __always_inline void xnet_tc_rewrite(struct __sk_buff *skb, const struct xnet_pkt *p,
					    const struct xnet_rewrite *rw)
{
	int dst = rw->kind == XNET_REWRITE_DST;
	__u32 ip_off = p->l3_off + (dst ? offsetof(struct iphdr, daddr) : offsetof(struct iphdr, saddr));
	__u32 csum_off = 0;
	__u64 l4_flags = 0;

	if (p->proto == IPPROTO_TCP && p->has_ports) {
		csum_off = p->l4_off + offsetof(struct tcphdr, check);
	} else if (p->proto == IPPROTO_UDP && p->has_ports) {
		csum_off = p->l4_off + offsetof(struct udphdr, check);
		l4_flags = BPF_F_MARK_MANGLED_0;
	}

	bpf_l3_csum_replace(skb, p->l3_off + offsetof(struct iphdr, check), rw->old_ip, rw->new_ip, 4);
	if (csum_off)
		bpf_l4_csum_replace(skb, csum_off, rw->old_ip, rw->new_ip, l4_flags | BPF_F_PSEUDO_HDR | 4);
	bpf_skb_store_bytes(skb, ip_off, &rw->new_ip, 4, 0);

	if (csum_off && rw->old_port != rw->new_port) {
		__be16 old_port = bpf_htons(rw->old_port);
		__be16 new_port = bpf_htons(rw->new_port);
		__u32 port_off = p->l4_off + (dst ? offsetof(struct udphdr, dest) : offsetof(struct udphdr, source));
		bpf_l4_csum_replace(skb, csum_off, old_port, new_port, l4_flags | 2);
		bpf_skb_store_bytes(skb, port_off, &new_port, 2, 0);
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
	struct xnet_rewrite rw;
	/* a what-if packet (`test packet`): its test run's context carries the magic words */
	struct xnet_probe probe = { .on = skb->cb[0] == XNET_PROBE_MAGIC0 && skb->cb[1] == XNET_PROBE_MAGIC1 };
	int verdict = TC_ACT_SHOT;

	if (xnet_decide(data, data_end, skb->ifindex, &p, &rw, &probe) != XNET_ACT_DROP) {
		if (rw.kind != XNET_REWRITE_NONE)
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
