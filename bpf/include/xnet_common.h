/* SPDX-License-Identifier: GPL-2.0 */
/* Everything a hook file needs, in the order the pieces depend on each other. */
#ifndef XNET_COMMON_H
#define XNET_COMMON_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <stddef.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xnet_shared.h"
#include "../lib/packet.h"
#include "../lib/inline.h"
#include "xnet_config.h"
#include "../lib/maps.h"
#include "../lib/filter.h"
#include "../lib/nat.h"
#include "../lib/datapath.h"

#endif
