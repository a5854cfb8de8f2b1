/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Not part of xnet's datapath: the benchmark's baseline for rule matching, one lookup in a plain
 * LPM trie keyed by the packet's source address (the rules' source prefixes), drop on a hit.
 * `bench` measures it next to xnet's tuple search on the same rules (program-cost experiment).
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct xnet_lpm_key {
	__u32 prefixlen;
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1048576);
	__type(key, struct xnet_lpm_key);
	__type(value, __u32);
} xnet_lpm SEC(".maps");

SEC("tc")
int xnet_lpm_baseline(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	struct xnet_lpm_key key = { .prefixlen = 32, .addr = ip->saddr };
	__u32 *action = bpf_map_lookup_elem(&xnet_lpm, &key);
	return action && *action ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
