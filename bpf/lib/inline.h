/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building blocks of the inline strategy's generated rules.
 *
 * Each rule is one branch on a value that is 0 exactly when the rule matches. With a branch per
 * field, the verifier would carry what it learned ("src is 10.1.2.3 but dst was not...") into
 * every later rule and explore paths by the thousand; with one branch on an opaque value the
 * states after each rule are alike and pruned. The empty asm keeps clang from turning the
 * expression back into per-field compares.
 *
 * Rules come in global functions of at most a few hundred rules: the verifier checks each once
 * on its own, and each stays within the 16-bit jump range of BPF branches (clang 16 has no
 * long jumps), which a single function of thousands of rules would exceed.
 */
#ifndef XNET_INLINE_H
#define XNET_INLINE_H

#include <linux/types.h>
#include <bpf/bpf_endian.h>

#define XNET_IP4(a, b, c, d) bpf_htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))
#define XNET_MASK(len) bpf_htonl((len) == 0 ? 0 : 0xffffffffu << (32 - (len)))
/* A rule function returns (slot << 2) | action (with XNET_ACT_LOG) of the first rule that matches, or -1. */
#define XNET_RULE(act, s) return ((s) << 2) | (act)

#define XNET_OPAQUE(v) ({ __u64 __o = (v); asm volatile("" : "+r"(__o)); __o; })
/* 0 when (field & mask) == value */
#define XNET_DIFF(field, mask, value) XNET_OPAQUE((__u64)(((__u32)(field) & (mask)) ^ (value)))
/* 0 when the one bit of field is in set (a packet's connection state among a rule's; none: not in) */
#define XNET_NOT_IN(field, set) \
	XNET_OPAQUE((__u64)(((((__u32)(field)) & (set)) ^ (__u32)(field)) | ((__u32)(field) == 0)))
/* 0 when lo <= field <= hi: (hi - lo) - (field - lo) borrows (sets bit 63) exactly when outside */
#define XNET_OUTSIDE(field, lo, hi) \
	XNET_OPAQUE((((__u64)((hi) - (lo))) - (__u64)(__u32)((__u32)(field) - (lo))) >> 63)

#endif
