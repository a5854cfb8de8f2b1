/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of Ethernet (with up to two VLAN tags) / IPv4 / TCP, UDP, ICMP echo: the fields rules
 * and NAT look at. Rules apply to what is inside the tags: a receiving kernel treats a VLAN-0
 * (priority) tag as no tag, so a tag must not hide a packet from the rules.
 *
 * IPv6: the header chain is walked (hop-by-hop, routing, destination options, fragment, AH) to
 * the upper-layer header, at most XNET_MAX_EXT_HEADERS of them. Neighbour discovery and MLD are
 * recognised there (see xnet_is_neighbour6); a chain longer than the bound, or cut short, is
 * malformed: the receiving kernel would walk further and find a transport header that the rules
 * never saw, so passing it could bypass a port rule.
 */
#ifndef XNET_PACKET_H
#define XNET_PACKET_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* ICMP echo header; linux/icmp.h would pull in libc headers. */
struct xnet_icmp {
	__u8 type;
	__u8 code;
	__u16 checksum;
	__be16 id;
	__be16 sequence;
};

#define XNET_ICMP_ECHOREPLY 0
#define XNET_ICMP_ECHO 8
/* Errors that quote the packet they are about: unreachable, source quench, redirect, time
 * exceeded, parameter problem. */
#define XNET_ICMP_IS_ERROR(t) ((t) == 3 || (t) == 4 || (t) == 5 || (t) == 11 || (t) == 12)

struct xnet_pkt {
	__u32 src;		/* network order */
	__u32 dst;		/* network order */
	__u16 sport;		/* host order; ICMP echo: the identifier */
	__u16 dport;		/* host order; ICMP echo: the identifier */
	__u8 proto;
	__u8 has_ports;		/* TCP/UDP with a header (not a later fragment), or ICMP echo */
	__u8 is_echo;		/* ICMP echo request or reply */
	__u8 tcp_flags;		/* TCP: the flags byte (FIN, SYN, RST, ACK...), else 0 */
	__u32 l3_off;		/* offset of the IPv4 header */
	__u32 l4_off;		/* offset of the L4 header */
	__u32 len;		/* bytes, for counters */
	/* An ICMP error (XNET_ICMP_IS_ERROR): the packet it quotes, when its ports or echo id are there. */
	__u32 inner_src;
	__u32 inner_dst;
	__u16 inner_sport;
	__u16 inner_dport;
	__u8 inner_proto;
	__u8 has_inner;
	__u8 ct_state;		/* XNET_STATE_*, set by lib/flows.h when connections are tracked */
	__u8 v6;		/* an IPv6 packet: its addresses are src6 and dst6 (src and dst are 0) */
	__u8 later_frag;	/* a fragment other than the first: no L4 header, so no L4 checksum to mend */
	__u32 src6[4];		/* network order */
	__u32 dst6[4];
	/* An ICMPv6 error (XNET_ICMPV6_IS_ERROR): the addresses of the packet it quotes (has_inner) */
	__u32 inner_src6[4];
	__u32 inner_dst6[4];
	/* An ICMP error (has_inner): where the quoted packet's IP header and its ports are, for NAT */
	__u16 inner_l3;
	__u16 inner_l4;
};

/* What the rules decided for a packet: the action, the counter slot of the rule, whether it logs. */
struct xnet_match {
	__u32 action;
	__u32 slot;
	__u32 log;
};

/* A NAT rewrite to apply: the destination (forward) or the source (replies). */
#define XNET_REWRITE_NONE 0
#define XNET_REWRITE_DST 1
#define XNET_REWRITE_SRC 2
/* An ICMP error about a translated connection (lib/nat.h, xnet_nat_error_*): to the private side,
 * the outer destination and the quoted source; to the client, the outer source and the quoted
 * destination. old_ip/new_ip and old_port/new_port are the address and quoted port that change. */
#define XNET_REWRITE_ERR_DST 3
#define XNET_REWRITE_ERR_SRC 4

struct xnet_rewrite {
	__u32 kind;
	__u32 old_ip;		/* network order */
	__u32 new_ip;		/* network order */
	__u16 old_port;		/* host order */
	__u16 new_port;		/* host order */
	__u8 whole;		/* a forward rewrite: its NAT rule is a whole-address one */
	__u32 old_ip6[4];	/* IPv6 (p->v6): the addresses instead of old_ip and new_ip */
	__u32 new_ip6[4];
};

#define XNET_TCP_FIN 0x01
#define XNET_TCP_SYN 0x02
#define XNET_TCP_RST 0x04
#define XNET_TCP_ACK 0x10

/* VLAN tags looked through (802.1Q and 802.1ad, i.e. QinQ); a frame with more is dropped. */
#define XNET_MAX_VLAN_TAGS 2
#define XNET_ETH_P_8021Q 0x8100
#define XNET_ETH_P_8021AD 0x88A8
#define XNET_ETH_P_ARP 0x0806

struct xnet_vlan {
	__be16 tci;
	__be16 encapsulated;
};

#define XNET_ETH_P_IPV6 0x86DD

#define XNET_NOT_IPV4 1
#define XNET_MALFORMED 2
/* ARP, and the ICMPv6 of neighbour discovery and MLD: the resolution of neighbours that a
 * network cannot work without, passed whatever the rules say. */
#define XNET_NEIGH 3

/* Extension headers walked before the upper-layer header, and the IPv6 next-header values. */
#define XNET_MAX_EXT_HEADERS 8
#define XNET_IP6_HOPOPTS 0
#define XNET_IP6_ROUTING 43
#define XNET_IP6_FRAGMENT 44
#define XNET_IP6_AH 51
#define XNET_IP6_DSTOPTS 60
#define XNET_IPPROTO_ICMPV6 58
#define XNET_ICMPV6_ECHO 128
#define XNET_ICMPV6_ECHOREPLY 129
/* Errors that quote the packet they are about: destination unreachable, packet too big, time
 * exceeded, parameter problem. */
#define XNET_ICMPV6_IS_ERROR(t) ((t) >= 1 && (t) <= 4)

static __always_inline int xnet_is_vlan(__be16 type)
{
	return type == bpf_htons(XNET_ETH_P_8021Q) || type == bpf_htons(XNET_ETH_P_8021AD);
}

/*
 * The packet an ICMP error quotes: its IPv4 header, then the first 8 bytes of its L4 header (ports,
 * or an echo's identifier). A quote cut short, of a later fragment, or of another protocol leaves
 * has_inner 0: the error is then about no known connection (NEW), never dropped for it.
 */
static __always_inline void xnet_parse_quoted(void *data, void *data_end, struct xnet_pkt *p, void *at)
{
	struct iphdr *inner = at;
	p->inner_l3 = (__u16)((__u8 *)at - (__u8 *)data);
	if ((void *)(inner + 1) > data_end)
		return;
	__u32 ihl = inner->ihl * 4;
	if (ihl < sizeof(*inner) || (inner->frag_off & bpf_htons(0x1fff)))
		return;
	__u8 *l4 = (__u8 *)inner + ihl;
	if ((void *)(l4 + 8) > data_end)
		return;
	if (inner->protocol == IPPROTO_TCP || inner->protocol == IPPROTO_UDP) {
		p->inner_sport = ((__u16)l4[0] << 8) | l4[1];
		p->inner_dport = ((__u16)l4[2] << 8) | l4[3];
	} else if (inner->protocol == IPPROTO_ICMP && (l4[0] == XNET_ICMP_ECHO || l4[0] == XNET_ICMP_ECHOREPLY)) {
		p->inner_sport = ((__u16)l4[4] << 8) | l4[5];
		p->inner_dport = p->inner_sport;
	} else {
		return;
	}
	p->inner_src = inner->saddr;
	p->inner_dst = inner->daddr;
	p->inner_proto = inner->protocol;
	p->inner_l4 = p->inner_l3 + (__u16)ihl;
	p->has_inner = 1;
}

/*
 * The packet an ICMPv6 error quotes: its IPv6 header, then the first 8 bytes of its upper-layer
 * header (ports, or an echo's identifier). As for IPv4, a quote cut short or of another kind,
 * and one whose quoted header has extension headers (a sender's error about such a packet is
 * rare, and its walk would cost the verifier a second chain), leaves has_inner 0: NEW.
 */
static __always_inline void xnet_parse_quoted6(void *data, void *data_end, struct xnet_pkt *p, __u8 *inner)
{
	if ((void *)(inner + 48) > data_end)
		return;
	__u8 next = inner[6];
	__u8 *l4 = inner + 40;
	if (next == IPPROTO_TCP || next == IPPROTO_UDP) {
		p->inner_sport = ((__u16)l4[0] << 8) | l4[1];
		p->inner_dport = ((__u16)l4[2] << 8) | l4[3];
	} else if (next == XNET_IPPROTO_ICMPV6 && (l4[0] == XNET_ICMPV6_ECHO || l4[0] == XNET_ICMPV6_ECHOREPLY)) {
		p->inner_sport = ((__u16)l4[4] << 8) | l4[5];
		p->inner_dport = p->inner_sport;
	} else {
		return;
	}
	__builtin_memcpy(p->inner_src6, inner + 8, 16);
	__builtin_memcpy(p->inner_dst6, inner + 24, 16);
	p->inner_proto = next;
	p->inner_l3 = (__u16)(inner - (__u8 *)data);
	p->inner_l4 = p->inner_l3 + 40;
	p->has_inner = 1;
}

static __always_inline int xnet_is_ext6(__u8 next)
{
	return next == XNET_IP6_HOPOPTS || next == XNET_IP6_ROUTING || next == XNET_IP6_FRAGMENT
	       || next == XNET_IP6_AH || next == XNET_IP6_DSTOPTS;
}

/*
 * The ICMPv6 a host needs from its neighbours before any rule can matter: MLD query, report and
 * done (130, 131, 132) and MLDv2 report (143), which multicast snooping on a bridge learns from;
 * router solicitation and advertisement (133, 134); neighbour solicitation and advertisement
 * (135, 136). Redirects (137) are not among them. A receiver accepts ND only with hop limit 255,
 * so these cannot come from beyond the link.
 */
static __always_inline int xnet_is_neighbour6(__u8 type)
{
	return (type >= 130 && type <= 136) || type == 143;
}

/* The L4 fields a parse sets once it knows where the L4 header is: none yet, and no state. */
static __always_inline void xnet_clear_l4(struct xnet_pkt *p)
{
	p->has_ports = 0;
	p->is_echo = 0;
	p->tcp_flags = 0;
	p->sport = 0;
	p->dport = 0;
	p->has_inner = 0;
	p->ct_state = 0;
	p->later_frag = 0;
}

/* The ports of TCP and UDP (either family); XNET_MALFORMED when their header is cut short. */
static __always_inline int xnet_parse_ports(void *data_end, struct xnet_pkt *p, void *l4)
{
	if (p->proto == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;
		if ((void *)(tcp + 1) > data_end)
			return XNET_MALFORMED;
		p->sport = bpf_ntohs(tcp->source);
		p->dport = bpf_ntohs(tcp->dest);
		p->tcp_flags = ((__u8 *)tcp)[13];
		p->has_ports = 1;
	} else if (p->proto == IPPROTO_UDP) {
		struct udphdr *udp = l4;
		if ((void *)(udp + 1) > data_end)
			return XNET_MALFORMED;
		p->sport = bpf_ntohs(udp->source);
		p->dport = bpf_ntohs(udp->dest);
		p->has_ports = 1;
	}
	return 0;
}

/*
 * The IPv6 header at l3 and its chain. Returns XNET_NEIGH for neighbour discovery and MLD, 0 for
 * any other packet (p->v6 set), XNET_MALFORMED for a chain cut short or longer than the bound, or
 * a TCP or UDP header cut short. A later fragment (offset not 0) stops the walk: what follows its
 * fragment header is payload, so it has no ports, as an IPv4 later fragment.
 */
static __always_inline int xnet_parse6(void *data, void *data_end, struct xnet_pkt *p, __u32 l3)
{
	__u8 *ip6 = data + l3;
	if ((void *)(ip6 + 40) > data_end)
		return XNET_MALFORMED;
	__u8 next = ip6[6];
	__u32 off = l3 + 40;
	p->l3_off = l3;
	p->v6 = 1;
	p->src = 0;
	p->dst = 0;
	__builtin_memcpy(p->src6, ip6 + 8, 16);
	__builtin_memcpy(p->dst6, ip6 + 24, 16);
	xnet_clear_l4(p);
#pragma unroll
	for (int i = 0; i < XNET_MAX_EXT_HEADERS; i++) {
		if (!xnet_is_ext6(next))
			break;
		__u8 *ext = data + off;
		if ((void *)(ext + 8) > data_end)
			return XNET_MALFORMED;
		if (next == XNET_IP6_FRAGMENT) {
			next = ext[0];
			off += 8;
			if (((ext[2] << 8) | ext[3]) & 0xfff8) {
				p->proto = next;	/* a later fragment */
				p->later_frag = 1;
				p->l4_off = off;
				return 0;
			}
			continue;
		}
		__u32 len = next == XNET_IP6_AH ? ((__u32)ext[1] + 2) * 4 : ((__u32)ext[1] + 1) * 8;
		next = ext[0];
		off += len;
	}
	if (xnet_is_ext6(next))
		return XNET_MALFORMED;
	p->proto = next;
	p->l4_off = off;
	if (next == XNET_IPPROTO_ICMPV6) {
		__u8 *icmp6 = data + off;
		if ((void *)(icmp6 + 8) > data_end)
			return XNET_MALFORMED;
		if (xnet_is_neighbour6(icmp6[0]))
			return XNET_NEIGH;
		if (icmp6[0] == XNET_ICMPV6_ECHO || icmp6[0] == XNET_ICMPV6_ECHOREPLY) {
			p->is_echo = 1;
			p->sport = ((__u16)icmp6[4] << 8) | icmp6[5];
			p->dport = p->sport;
		} else if (XNET_ICMPV6_IS_ERROR(icmp6[0])) {
			xnet_parse_quoted6(data, data_end, p, icmp6 + 8);
		}
		return 0;
	}
	return xnet_parse_ports(data_end, p, data + off);
}

/* Returns 0 for an IPv4 or IPv6 packet (p->v6 says which), XNET_NEIGH for ARP (and IPv6
 * neighbour discovery, see xnet_parse6), XNET_NOT_IPV4 for any other frame (it meets the default
 * action), XNET_MALFORMED when headers are cut short or tags nest too deep (dropped). */
static __always_inline int xnet_parse(void *data, void *data_end, struct xnet_pkt *p)
{
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return XNET_MALFORMED;
	__be16 type = eth->h_proto;
	__u32 l3 = sizeof(*eth);
#pragma unroll
	for (int i = 0; i < XNET_MAX_VLAN_TAGS; i++) {
		if (!xnet_is_vlan(type))
			break;
		struct xnet_vlan *tag = data + l3;
		if ((void *)(tag + 1) > data_end)
			return XNET_MALFORMED;
		type = tag->encapsulated;
		l3 += sizeof(*tag);
	}
	if (xnet_is_vlan(type))
		return XNET_MALFORMED;
	if (type == bpf_htons(XNET_ETH_P_ARP))
		return XNET_NEIGH;
	if (type == bpf_htons(XNET_ETH_P_IPV6))
		return xnet_parse6(data, data_end, p, l3);
	if (type != bpf_htons(ETH_P_IP))
		return XNET_NOT_IPV4;

	struct iphdr *ip = data + l3;
	if ((void *)(ip + 1) > data_end)
		return XNET_MALFORMED;
	__u32 ihl = ip->ihl * 4;
	if (ihl < sizeof(*ip))
		return XNET_MALFORMED;
	p->src = ip->saddr;
	p->dst = ip->daddr;
	p->proto = ip->protocol;
	p->l3_off = l3;
	p->l4_off = l3 + ihl;
	p->v6 = 0;
	xnet_clear_l4(p);

	/* A later fragment has no L4 header: rules with ports never match it. */
	if (ip->frag_off & bpf_htons(0x1fff)) {
		p->later_frag = 1;
		return 0;
	}

	void *l4 = data + p->l4_off;
	if (p->proto == IPPROTO_ICMP) {
		struct xnet_icmp *icmp = l4;
		if ((void *)(icmp + 1) > data_end)
			return XNET_MALFORMED;
		if (icmp->type == XNET_ICMP_ECHO || icmp->type == XNET_ICMP_ECHOREPLY) {
			p->is_echo = 1;
			p->sport = bpf_ntohs(icmp->id);
			p->dport = p->sport;
		} else if (XNET_ICMP_IS_ERROR(icmp->type)) {
			xnet_parse_quoted(data, data_end, p, (void *)(icmp + 1));
		}
		return 0;
	}
	return xnet_parse_ports(data_end, p, l4);
}

#endif
