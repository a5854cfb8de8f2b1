/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Build configuration. xnet generates a header per attach point and passes it with
 * -DXNET_CONFIG_HEADER='"file"'; without it these defaults apply, so every program compiles on
 * its own: map strategy, NAT on, counters on.
 */
#ifndef XNET_CONFIG_H
#define XNET_CONFIG_H

/* The generated header may hold inline rules, which use these. */
#include "xnet_shared.h"
#include "../lib/packet.h"
#include "../lib/inline.h"

#ifdef XNET_CONFIG_HEADER
#include XNET_CONFIG_HEADER
#endif

/* Which rule matcher is built: XNET_FILTER_NONE, _INLINE (rules as code) or _MAP. */
#ifndef XNET_FILTER
#define XNET_FILTER XNET_FILTER_MAP
#endif

/* Static NAT and its connection tracking. */
#ifndef XNET_NAT
#define XNET_NAT 1
#endif

/* The fast path at tc (lib/fastpath.h): off unless `datapath fastpath on`. */
#ifndef XNET_FASTPATH
#define XNET_FASTPATH 0
#endif

/* The inline strategy's rules: generated functions, called in order; the default has none. */
#ifndef XNET_INLINE_CALLS
#define XNET_INLINE_CALLS
#endif

#endif
