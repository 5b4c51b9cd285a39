/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * expether: PCI Express over Ethernet.
 *
 * Wire constants shared by the kernel module, the software I/O box, the
 * control tools and the RTL bridge.  The frame layout is specified in
 * Documentation/expether/protocol.rst; this header is its machine-readable
 * half.  The generic netlink API is added here by the control-plane work.
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

/* Management operations (management byte 0). */
enum expether_mgmt_op {
	EXPETHER_MGMT_SET_GID	= 1,
};

/* PCI identity of the software parts (root ports, eebox models). */
#define EXPETHER_PCI_VENDOR_ID		0x1033	/* NEC Corporation */
#define EXPETHER_PCI_DEV_ROOT_PORT	0xee00
#define EXPETHER_PCI_DEV_TESTDEV	0xee01

#endif /* _UAPI_LINUX_EXPETHER_H */
