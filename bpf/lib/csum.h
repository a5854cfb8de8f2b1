/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Incremental checksum updates (RFC 1624) for hooks without the kernel's csum helpers: XDP
 * rewrites addresses and ports in place and patches the IPv4 and L4 checksums word by word.
 */
#ifndef XNET_CSUM_H
#define XNET_CSUM_H

#include <linux/types.h>

static __always_inline __u16 xnet_csum_add(__u16 sum, __u16 addend)
{
	__u32 r = (__u32)sum + addend;
	return (__u16)(r + (r >> 16));
}

/* RFC 1624: HC' = ~(~HC + ~m + m') for one 16-bit word. */
static __always_inline void xnet_csum_replace2(__u16 *sum, __u16 from, __u16 to)
{
	*sum = ~xnet_csum_add(xnet_csum_add(~*sum, ~from), to);
}

static __always_inline void xnet_csum_replace4(__u16 *sum, __u32 from, __u32 to)
{
	xnet_csum_replace2(sum, (__u16)(from >> 16), (__u16)(to >> 16));
	xnet_csum_replace2(sum, (__u16)from, (__u16)to);
}

#endif
