/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xnet at the XDP hook: filter and static NAT before an sk_buff exists. XDP cannot see whether
 * a checksum was left to offload, so NAT updates checksums as if they were complete (true when
 * the sender computes them, e.g. with tx checksum offload off). "xdp.frags" lets multi-buffer
 * packets through, which keeps large MTUs and GRO on veth working.
 */
#include "include/xnet_common.h"
#include "lib/csum.h"

static __always_inline int xnet_xdp_rewrite(void *data, void *data_end, const struct xnet_pkt *p,
					    const struct xnet_rewrite *rw)
{
	struct iphdr *ip = data + (p->l3_off & 0x1f); /* after at most two VLAN tags */
	if ((void *)(ip + 1) > data_end)
		return -1;
	int dst = rw->kind == XNET_REWRITE_DST;
	xnet_csum_replace4(&ip->check, rw->old_ip, rw->new_ip);
	if (dst)
		ip->daddr = rw->new_ip;
	else
		ip->saddr = rw->new_ip;

	if (!p->has_ports || (p->proto != IPPROTO_TCP && p->proto != IPPROTO_UDP))
		return 0;
	void *l4 = data + (p->l4_off & 0xff);
	struct udphdr *ports = l4;
	if ((void *)(ports + 1) > data_end)
		return -1;
	__u16 *check;
	if (p->proto == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;
		if ((void *)(tcp + 1) > data_end)
			return -1;
		check = &tcp->check;
	} else {
		check = &ports->check;
		if (*check == 0)	/* UDP without a checksum stays without */
			check = 0;
	}
	__be16 old_port = bpf_htons(rw->old_port);
	__be16 new_port = bpf_htons(rw->new_port);
	if (check) {
		xnet_csum_replace4(check, rw->old_ip, rw->new_ip);
		if (old_port != new_port)
			xnet_csum_replace2(check, old_port, new_port);
		if (p->proto == IPPROTO_UDP && *check == 0)
			*check = 0xffff;
	}
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
	struct xnet_rewrite rw;
	struct xnet_probe probe = { .on = xnet_xdp_probe_words(ctx) != NULL };
	int verdict = XDP_DROP;

	if (xnet_decide(data, data_end, ctx->ingress_ifindex, &p, &rw, &probe) != XNET_ACT_DROP
	    && (rw.kind == XNET_REWRITE_NONE || xnet_xdp_rewrite(data, data_end, &p, &rw) == 0))
		verdict = XDP_PASS;
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
