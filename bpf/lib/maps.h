/* SPDX-License-Identifier: GPL-2.0 */
/* The maps every program shares. Rule maps are made with each program and hold two rule sets
 * (see XNET_RULE_SETS): a commit that changes only filter rules rewrites the idle set and flips
 * xnet_active. Counters and connection tracking are pinned and reused, so they survive commits. */
#ifndef XNET_MAPS_H
#define XNET_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "../include/xnet_shared.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1024); /* sized by xnet before loading */
	__type(key, struct xnet_rule_key);
	__type(value, struct xnet_rule_value);
} xnet_rules SEC(".maps");

/* IPv6 rules (entries of the IPv6 tuples); sized by xnet too. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1024);
	__type(key, struct xnet_rule_key6);
	__type(value, struct xnet_rule_value);
} xnet_rules6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XNET_MAX_TUPLES * XNET_RULE_SETS * 2); /* both families */
	__type(key, __u32);
	__type(value, struct xnet_tuple);
} xnet_tuples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XNET_RULE_SETS);
	__type(key, __u32);
	__type(value, struct xnet_meta);
} xnet_meta SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} xnet_active SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XNET_MAX_RULE_SLOTS);
	__type(key, __u32);
	__type(value, struct xnet_counter);
} xnet_rule_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, XNET_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct xnet_if_stats);
} xnet_if_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XNET_MAX_NAT);
	__type(key, struct xnet_nat_key);
	__type(value, struct xnet_nat_value);
} xnet_nat SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, XNET_MAX_NAT);
	__type(key, struct xnet_nat_key);
	__type(value, struct xnet_nat_stats);
} xnet_nat_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XNET_MAX_CT);
	__type(key, struct xnet_ct_key);
	__type(value, struct xnet_ct_value);
} xnet_ct SEC(".maps");

/* IPv6 static NAT: its rules (made with each program, like xnet_nat), its counters and its
 * connections (pinned and shared, like xnet_nat_stats and xnet_ct). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XNET_MAX_NAT);
	__type(key, struct xnet_nat_key6);
	__type(value, struct xnet_nat_value6);
} xnet_nat6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, XNET_MAX_NAT);
	__type(key, struct xnet_nat_key6);
	__type(value, struct xnet_nat_stats);
} xnet_nat_stats6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XNET_MAX_CT);
	__type(key, struct xnet_ct_key6);
	__type(value, struct xnet_ct_value6);
} xnet_ct6 SEC(".maps");

/* Pinned and shared like the counters: filled by every commit, read by programs built with the
 * fast path (XNET_FASTPATH). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XNET_MAX_FAST);
	__type(key, __u32);
	__type(value, struct xnet_fast_value);
} xnet_fast SEC(".maps");

/* Packets the fast path handed on, per attach point (its ifindex). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, XNET_MAX_IFACES);
	__type(key, __u32);
	__type(value, __u64);
} xnet_fast_stats SEC(".maps");

/* Connections for rules with states (lib/flows.h); pinned and shared, so they outlive a commit. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XNET_MAX_FLOWS);
	__type(key, struct xnet_flow_key);
	__type(value, struct xnet_flow_value);
} xnet_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XNET_MAX_FLOWS);
	__type(key, struct xnet_flow_key6);
	__type(value, struct xnet_flow_value);
} xnet_flows6 SEC(".maps");

/* Events for `monitor` (see XNET_EVENT_* in the shared header); pinned and shared like the counters. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, XNET_EVENT_RING_BYTES);
} xnet_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xnet_monitor);
} xnet_monitor SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XNET_EVENT_KINDS);
	__type(key, __u32);
	__type(value, struct xnet_event_budget);
} xnet_ev_budget SEC(".maps");

#endif
