/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * expether: PCI Express over Ethernet.
 *
 * Wire constants shared by the kernel module, the software I/O box, the
 * control tools and the RTL bridge.  The frame layout is specified in
 * Documentation/expether/protocol.rst; this header is its machine-readable
 * half.  The generic netlink control plane (family "expether", used by
 * eectl(8)) is declared at the end and described in
 * Documentation/expether/design.rst, "Control plane".
 */
#ifndef _UAPI_LINUX_EXPETHER_H
#define _UAPI_LINUX_EXPETHER_H

#include <linux/types.h>

/* IEEE 802 "local experimental" EtherType; configurable per deployment. */
#define EXPETHER_ETHERTYPE_DEFAULT	0x88B5

/* A GID is an 802.1Q VLAN id. */
#define EXPETHER_GID_MIN		1
#define EXPETHER_GID_MAX		4094
/* NEC's manager parks unassigned I/O bridges in group 4093. */
#define EXPETHER_GID_UNASSIGNED		4093

/* Protocol version carried in every ExpEther header. */
#define EXPETHER_VERSION		1

/* Sizes, in bytes, on the wire. */
#define EXPETHER_L2_HLEN		18	/* DA, SA, 802.1Q tag, EtherType */
#define EXPETHER_HLEN			24	/* ExpEther header */
#define EXPETHER_DIF_LEN		36	/* DIF payload */
#define EXPETHER_MGMT_LEN		60	/* management payload */
#define EXPETHER_MIN_FRAME		60	/* Ethernet minimum, without FCS */
#define EXPETHER_MAX_PAYLOAD		1476	/* 1500-byte MTU minus EXPETHER_HLEN */

/* Frame types (header byte 1). */
enum expether_frame_type {
	EXPETHER_FT_TLP		= 1,	/* one or more PCIe TLPs */
	EXPETHER_FT_ACK		= 2,	/* acknowledgment only, no payload */
	EXPETHER_FT_DIF		= 3,	/* Device Information Frame */
	EXPETHER_FT_MGMT	= 4,	/* management (e.g. set GID) */
	EXPETHER_FT_ECHO_REQ	= 5,	/* echo request: any payload, answered */
	EXPETHER_FT_ECHO_REPLY	= 6,	/* echo reply: the request's payload */
};

/* Header flags (header bytes 2-3). Reserved bits are sent as zero. */
#define EXPETHER_F_SEQ		0x0001	/* seq is valid: frame is sequenced */
#define EXPETHER_F_ACK		0x0002	/* ack is valid: cumulative ack */
#define EXPETHER_F_TS		0x0004	/* tsval is valid */
#define EXPETHER_F_TSECR	0x0008	/* tsecr is valid */
#define EXPETHER_F_SYN		0x0010	/* first frame of a connection */
#define EXPETHER_F_PROBE	0x0020	/* rate-probe frame */
#define EXPETHER_F_KNOWN	0x003f

/* DIF roles (DIF byte 0). */
enum expether_role {
	EXPETHER_ROLE_HOST	= 1,	/* host-side bridge (root complex) */
	EXPETHER_ROLE_IO	= 2,	/* I/O-side bridge with a device */
};

/* DIF flags (DIF byte 1). */
#define EXPETHER_DIF_F_PRESENT	0x01	/* a device is behind the bridge */

/* Management frames are signed with HMAC-SHA256 under a key of 1..32
 * bytes shared by the manager and the bridge.
 */
#define EXPETHER_MGMT_KEY_MAX		32

/* Management operations (management byte 0). */
enum expether_mgmt_op {
	EXPETHER_MGMT_SET_GID	= 1,
};

/* PCI identity of the software parts (root ports, eebox models). */
#define EXPETHER_PCI_VENDOR_ID		0x1033	/* NEC Corporation */
#define EXPETHER_PCI_DEV_ROOT_PORT	0xee00
#define EXPETHER_PCI_DEV_TESTDEV	0xee01

/* ---- Generic netlink control plane ------------------------------------
 *
 * Family EXPETHER_GENL_NAME, one host bridge per module load.  Requests
 * that change anything need CAP_NET_ADMIN, and so does joining the
 * "events" group.  Errors come with an extended-ack message.
 *
 * Every message carries top-level EXPETHER_A_* attributes; dumps send one
 * message per I/O bridge (PEER_GET) or per slot (SLOT_GET).  Counters are
 * a nest EXPETHER_A_STATS of EXPETHER_A_STAT nests, each a name and a
 * value, so that new counters need no new attribute.
 */
#define EXPETHER_GENL_NAME		"expether"
#define EXPETHER_GENL_VERSION		1
#define EXPETHER_GENL_MCGRP_EVENTS	"events"

enum expether_cmd {
	EXPETHER_CMD_UNSPEC,
	EXPETHER_CMD_BRIDGE_GET,	/* do: the host bridge */
	EXPETHER_CMD_BRIDGE_SET,	/* do: GID, DIF_*, WINDOW, RTO_MIN_US, MGMT_KEY */
	EXPETHER_CMD_PEER_GET,		/* dump: every I/O bridge seen */
	EXPETHER_CMD_PEER_SET,		/* do: MAC, GID [, PEER_GID]: move a bridge */
	EXPETHER_CMD_SLOT_GET,		/* dump: every slot */
	EXPETHER_CMD_SLOT_SET,		/* do: SLOT, SLOT_ADMIN: detach/attach */
	EXPETHER_CMD_STATS_GET,		/* do: the host bridge's counters */
	EXPETHER_CMD_EVENT,		/* notification in group "events" */
	__EXPETHER_CMD_MAX,
};

#define EXPETHER_CMD_MAX	(__EXPETHER_CMD_MAX - 1)

enum expether_attr {
	EXPETHER_A_UNSPEC,
	EXPETHER_A_PAD,
	EXPETHER_A_IFNAME,		/* string: the Ethernet device */
	EXPETHER_A_IFINDEX,		/* u32 */
	EXPETHER_A_MAC,			/* binary[6]: our MAC, or the peer's */
	EXPETHER_A_GID,			/* u16: our group, a peer's, a new one */
	EXPETHER_A_ETHERTYPE,		/* u16 */
	EXPETHER_A_DOMAIN,		/* u32: PCI domain of the host bridge */
	EXPETHER_A_NR_SLOTS,		/* u32 */
	EXPETHER_A_EPOCH,		/* u32: ours, or the peer's */
	EXPETHER_A_BRIDGE_ID,		/* u64 */
	EXPETHER_A_CPL_TIMEOUT_MS,	/* u32 */
	EXPETHER_A_DIF_INTERVAL_MS,	/* u32: our DIF period, or the peer's */
	EXPETHER_A_DIF_TIMEOUT_MS,	/* u32: 0 = three of each bridge's
					 * intervals; of a peer: in effect
					 */
	EXPETHER_A_WINDOW,		/* u32: Go-Back-N window (frames) */
	EXPETHER_A_RTO_MIN_US,		/* u32: retransmission timeout floor */
	EXPETHER_A_MGMT_KEY,		/* binary[0..32], set only; empty: none */
	EXPETHER_A_MGMT_KEY_SET,	/* u8: 1 when a key is configured */
	EXPETHER_A_MGMT_COUNTER,	/* u64: replay counter last sent */
	EXPETHER_A_SLOT,		/* u32: slot number, 1-based */
	EXPETHER_A_SLOT_STATE,		/* u8: enum expether_slot_state */
	EXPETHER_A_SLOT_ADMIN,		/* u8: enum expether_admin */
	EXPETHER_A_SLOT_DEVFN,		/* u32: the root port's devfn on bus 0 */
	EXPETHER_A_SLOT_BUS,		/* u32: its secondary bus */
	EXPETHER_A_PEER_STATE,		/* u8: enum expether_peer_state */
	EXPETHER_A_PEER_GID,		/* u16: PEER_SET: the bridge's group now */
	EXPETHER_A_VENDOR,		/* u16: device summary from the DIF */
	EXPETHER_A_DEVICE,		/* u16 */
	EXPETHER_A_CLASS,		/* u32: class code << 8 | revision */
	EXPETHER_A_SUBSYS_VENDOR,	/* u16 */
	EXPETHER_A_SUBSYS_DEVICE,	/* u16 */
	EXPETHER_A_DIF_AGE_MS,		/* u32: since the peer's last DIF */
	EXPETHER_A_LINK_STATE,		/* u8: enum expether_link_state */
	EXPETHER_A_REASON,		/* string: why (detach, event) */
	EXPETHER_A_STATS,		/* nest of EXPETHER_A_STAT */
	EXPETHER_A_STAT,		/* nest: STAT_NAME, STAT_VALUE */
	EXPETHER_A_STAT_NAME,		/* string */
	EXPETHER_A_STAT_VALUE,		/* u64 */
	EXPETHER_A_EVENT,		/* u8: enum expether_event */
	EXPETHER_A_OLD_GID,		/* u16: GID_CHANGED */
	EXPETHER_A_ADDR,		/* u64: DMA_VIOLATION: bus address */
	EXPETHER_A_LEN,			/* u32: DMA_VIOLATION: bytes */
	EXPETHER_A_TIMESTAMP_NS,	/* u64: CLOCK_BOOTTIME of the event */
	__EXPETHER_A_MAX,
};

#define EXPETHER_A_MAX		(__EXPETHER_A_MAX - 1)

enum expether_slot_state {
	EXPETHER_SLOT_EMPTY,		/* no I/O bridge */
	EXPETHER_SLOT_UP,		/* a bridge, link up */
	EXPETHER_SLOT_LINK_DISABLED,	/* a bridge, Link Disable set by software */
	EXPETHER_SLOT_ADMIN_DOWN,	/* detached administratively */
};

enum expether_admin {
	EXPETHER_ADMIN_DOWN,		/* detach; the bridge stays out */
	EXPETHER_ADMIN_UP,		/* attach again */
};

enum expether_peer_state {
	EXPETHER_PEER_UP,		/* attached to its slot */
	EXPETHER_PEER_DOWN,		/* seen before, not attached now */
	EXPETHER_PEER_HELD,		/* alive, its slot administratively down */
};

enum expether_link_state {
	EXPETHER_LINK_CLOSED,
	EXPETHER_LINK_OPEN,
	EXPETHER_LINK_DEAD,		/* stopped acknowledging */
};

enum expether_event {
	EXPETHER_EVENT_UNSPEC,
	EXPETHER_EVENT_PEER_UP,		/* a bridge of our group appeared */
	EXPETHER_EVENT_PEER_DOWN,	/* its DIFs stopped, left, or restarted */
	EXPETHER_EVENT_PEER_DEAD,	/* the transport gave up on it */
	EXPETHER_EVENT_SLOT_ATTACHED,
	EXPETHER_EVENT_SLOT_DETACHED,
	EXPETHER_EVENT_DMA_VIOLATION,	/* a device reached outside its mappings */
	EXPETHER_EVENT_GID_CHANGED,	/* our group changed */
	EXPETHER_EVENT_MGMT_SENT,	/* we asked a bridge to move */
	__EXPETHER_EVENT_MAX,
};

#define EXPETHER_EVENT_MAX	(__EXPETHER_EVENT_MAX - 1)

#endif /* _UAPI_LINUX_EXPETHER_H */
