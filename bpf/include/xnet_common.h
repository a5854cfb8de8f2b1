/* SPDX-License-Identifier: GPL-2.0 */
/* What both hook files need: the per-packet decision and the kernel's hook definitions. */
#ifndef XNET_COMMON_H
#define XNET_COMMON_H

#include <stddef.h>
#include <linux/pkt_cls.h>

#include "../lib/datapath.h"

#endif
