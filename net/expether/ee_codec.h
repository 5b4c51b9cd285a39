/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expether frame and TLP codec: the one implementation of the wire format
 * (Documentation/expether/protocol.rst).  Plain C, compiled into expether.ko,
 * eebox, the unit tests and the fuzzers.  Nothing here allocates, sleeps or
 * reads outside the buffer it is given.
 */
#ifndef _EE_CODEC_H
#define _EE_CODEC_H

#include "ee_types.h"
#include "../../include/uapi/linux/expether.h"

/* Parse errors.  Functions return 0 (or a positive length) on success and
 * the negative of one of these on failure, so callers can count each kind.
 */
enum ee_err {
	EE_OK = 0,
	EE_ERR_TRUNC = 1,	/* buffer shorter than the structure it holds */
	EE_ERR_NOTAG,		/* no 802.1Q tag where one is required */
	EE_ERR_ETHERTYPE,	/* not our EtherType (foreign, not malformed) */
	EE_ERR_VERSION,		/* unknown ExpEther version */
	EE_ERR_TYPE,		/* unknown frame type */
	EE_ERR_LENGTH,		/* header length field inconsistent */
	EE_ERR_FIELD,		/* a field holds a value the spec forbids */
	EE_ERR_TLP_FMT,		/* TLP with a reserved or unsupported Fmt/Type */
	EE_ERR_TLP_LEN,		/* TLP length disagrees with its payload */
	EE_ERR_NOSPC,		/* output buffer too small */
	EE_ERR__MAX
};

const char *ee_err_str(int err);

/* Big-endian accessors: the wire is big-endian, buffers may be unaligned. */
static inline u16 ee_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 ee_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u64 ee_get_be64(const u8 *p)
{
	return (u64)ee_get_be32(p) << 32 | ee_get_be32(p + 4);
}

/* The masks keep sparse quiet when a constant is stored. */
static inline void ee_put_be16(u8 *p, u16 v)
{
	p[0] = (u8)((v >> 8) & 0xff);
	p[1] = (u8)(v & 0xff);
}

static inline void ee_put_be32(u8 *p, u32 v)
{
	p[0] = (u8)((v >> 24) & 0xff);
	p[1] = (u8)((v >> 16) & 0xff);
	p[2] = (u8)((v >> 8) & 0xff);
	p[3] = (u8)(v & 0xff);
}

static inline void ee_put_be64(u8 *p, u64 v)
{
	ee_put_be32(p, (u32)(v >> 32));
	ee_put_be32(p + 4, (u32)(v & 0xffffffff));
}

/* ---- ExpEther header ------------------------------------------------- */

struct ee_hdr {
	u8 version;		/* EXPETHER_VERSION */
	u8 type;		/* enum expether_frame_type */
	u16 flags;		/* EXPETHER_F_* */
	u16 length;		/* payload bytes after the header */
	u32 seq;
	u32 ack;
	u32 tsval;		/* sender's clock, microseconds */
	u32 tsecr;		/* echoed tsval of the peer */
};

/* Parse the ExpEther header and bound its payload.  @buf starts at the
 * ExpEther header (right after the EtherType); trailing bytes past
 * hdr->length (Ethernet padding) are allowed and ignored.  On success
 * *payload points into @buf.
 */
int ee_hdr_parse(const u8 *buf, size_t len, struct ee_hdr *h,
		 const u8 **payload);
/* Write EXPETHER_HLEN bytes. */
void ee_hdr_put(u8 *buf, const struct ee_hdr *h);

/* ---- Whole Ethernet frame (user space, RTL vectors) ------------------ */

struct ee_frame {
	u8 dst[6];
	u8 src[6];
	u16 tci;		/* 802.1Q TCI: PCP/DEI/VID; VID is the GID */
	u16 ethertype;
	struct ee_hdr hdr;
	const u8 *payload;	/* hdr.length bytes */
};

static inline u16 ee_frame_gid(const struct ee_frame *f)
{
	return f->tci & 0x0fff;
}

/* Parse a frame from its destination MAC on, with the 802.1Q tag inline.
 * Returns 0, -EE_ERR_ETHERTYPE when the frame is not ours, or another error.
 */
int ee_frame_parse(const u8 *buf, size_t len, u16 ethertype,
		   struct ee_frame *f);
/* Write the L2 header, the ExpEther header (with hdr.length taken from
 * @payload_len) and the payload; pad to EXPETHER_MIN_FRAME.  @payload may
 * already sit at its place in @buf (offset EXPETHER_L2_HLEN +
 * EXPETHER_HLEN); otherwise it must not overlap @buf.  Returns the frame
 * length or -EE_ERR_NOSPC / -EE_ERR_LENGTH, or -EE_ERR_FIELD if the VID
 * of f->tci is not a valid GID.
 */
int ee_frame_build(u8 *buf, size_t cap, const struct ee_frame *f,
		   const u8 *payload, size_t payload_len);

/* ---- Device Information Frame payload ------------------------------- */

struct ee_dif {
	u8 role;		/* enum expether_role */
	u8 flags;		/* EXPETHER_DIF_F_* */
	u16 interval_ms;	/* sender's DIF period */
	u8 mac[6];		/* bridge MAC (equals the frame's source) */
	u16 gid;
	u64 bridge_id;		/* unique, stable across restarts */
	u32 epoch;		/* changes on every bridge restart */
	u16 vendor;		/* device summary (I/O bridges) */
	u16 device;
	u32 class_rev;		/* class code << 8 | revision */
	u16 subsys_vendor;
	u16 subsys_id;
};

int ee_dif_parse(const u8 *buf, size_t len, struct ee_dif *d);
/* Write EXPETHER_DIF_LEN bytes. */
void ee_dif_put(u8 *buf, const struct ee_dif *d);

/* ---- Management payload ---------------------------------------------- */

struct ee_mgmt {
	u8 op;			/* enum expether_mgmt_op */
	u16 new_gid;
	u8 target_mac[6];
	u64 target_id;		/* bridge_id of the target, 0 = any */
	u64 counter;		/* replay counter, strictly increasing */
	u8 hmac[32];		/* HMAC-SHA256 of bytes 0..27 (see spec) */
};

int ee_mgmt_parse(const u8 *buf, size_t len, struct ee_mgmt *m);
/* Write EXPETHER_MGMT_LEN bytes. */
void ee_mgmt_put(u8 *buf, const struct ee_mgmt *m);

/* ---- PCIe Transaction Layer Packets ---------------------------------- */

/* Fmt field values (PCIe Base Spec 2.2.1). */
#define EE_FMT_3DW		0
#define EE_FMT_4DW		1
#define EE_FMT_3DW_DATA		2
#define EE_FMT_4DW_DATA		3

/* Completion status. */
#define EE_CPL_SC		0	/* successful */
#define EE_CPL_UR		1	/* unsupported request */
#define EE_CPL_CRS		2	/* configuration request retry */
#define EE_CPL_CA		4	/* completer abort */

enum ee_tlp_kind {
	EE_TLP_MRD,		/* memory read, 32- or 64-bit address */
	EE_TLP_MWR,		/* memory write */
	EE_TLP_CFGRD0,
	EE_TLP_CFGWR0,
	EE_TLP_CFGRD1,
	EE_TLP_CFGWR1,
	EE_TLP_CPL,		/* completion without data */
	EE_TLP_CPLD,		/* completion with data */
	EE_TLP_MSG,		/* message without data */
	EE_TLP_MSGD,		/* message with data */
};

/* Common Msg codes. */
#define EE_MSG_ASSERT_INTA	0x20
#define EE_MSG_DEASSERT_INTA	0x24

#define EE_TLP_MAX_DW		1024
#define EE_TLP_MAX_HDR		16

struct ee_tlp {
	u8 kind;		/* enum ee_tlp_kind */
	u8 tc;			/* traffic class, 0..7 */
	u8 attr;		/* attributes: bit0 NS, bit1 RO, bit2 IDO */
	bool ep;		/* poisoned */
	u16 length;		/* DW: payload (data TLPs) or requested (MRd) */
	/* requests and messages */
	u16 req_id;
	u8 tag;
	u8 first_be;		/* 4 bits */
	u8 last_be;		/* 4 bits */
	/* memory requests */
	u64 addr;		/* DW aligned; 64-bit form iff >= 4 GiB */
	/* configuration requests */
	u16 target_id;		/* bus << 8 | dev << 3 | fn */
	u16 reg;		/* byte offset of the DW, 0..4092 */
	/* completions */
	u16 cpl_id;
	u8 status;		/* EE_CPL_* */
	bool bcm;
	u16 byte_count;		/* 1..4096 */
	u8 lower_addr;		/* 7 bits */
	/* messages */
	u8 msg_code;
	u8 msg_routing;		/* r[2:0] of the Type field */
	u8 msg_bytes[8];	/* header bytes 8..15, verbatim */
	/* data TLPs: length * 4 bytes in wire (address) order */
	const u8 *data;
};

static inline bool ee_tlp_has_data(const struct ee_tlp *t)
{
	return t->kind == EE_TLP_MWR || t->kind == EE_TLP_CFGWR0 ||
	       t->kind == EE_TLP_CFGWR1 || t->kind == EE_TLP_CPLD ||
	       t->kind == EE_TLP_MSGD;
}

/* Parse one TLP at @buf.  Returns its size on the wire (header, data and
 * digest if TD is set) or a negative error.  t->data points into @buf.
 */
int ee_tlp_parse(const u8 *buf, size_t len, struct ee_tlp *t);
/* Encode @t.  For data TLPs t->data supplies t->length * 4 bytes.
 * Returns the number of bytes written, -EE_ERR_NOSPC, or the error
 * ee_tlp_parse() would report for the result (a field out of range or
 * forbidden by Documentation/expether/protocol.rst): what is built parses
 * back to the same fields.
 */
int ee_tlp_build(u8 *buf, size_t cap, const struct ee_tlp *t);
/* Size @t will take on the wire. */
size_t ee_tlp_size(const struct ee_tlp *t);

/* Readable one-line rendering for logs (eebox -v, tracepoints).  Writes
 * at most @cap bytes, always NUL-terminated when @cap > 0, and returns the
 * length of the (possibly truncated) string.
 */
int ee_tlp_format(char *buf, size_t cap, const struct ee_tlp *t);
const char *ee_tlp_kind_str(unsigned int kind);
const char *ee_frame_type_str(unsigned int type);

/* Helpers for building the common requests and completions. */
void ee_tlp_init_cfg(struct ee_tlp *t, bool write, bool type1, u16 req_id,
		     u8 tag, u16 target_id, u16 reg, u8 first_be,
		     const u8 *data);
void ee_tlp_init_cpl(struct ee_tlp *t, const struct ee_tlp *req,
		     u16 cpl_id, u8 status, const u8 *data, u16 length_dw,
		     u16 byte_count, u8 lower_addr);

/* Device-side requests (DMA, interrupts) and read completions.
 *
 * ee_tlp_init_mem() makes the MRd or MWr for the @len bytes at byte
 * address @addr (1..4096 bytes, not crossing a 4 KiB boundary): DW
 * address, Length and First/Last DW BE per PCIe 2.2.5.  A write's @data
 * holds the Length DWs, the byte at @addr at data[addr & 3] (disabled
 * bytes are carried, not written).  0 or -EE_ERR_FIELD.
 */
int ee_tlp_init_mem(struct ee_tlp *t, bool write, u16 req_id, u8 tag,
		    u64 addr, u32 len, const u8 *data);

/* Is byte @i, counted from the DW address, of the memory request @t
 * enabled?  First DW BE covers bytes 0..3, Last DW BE the last DW of a
 * longer request, every byte between is enabled.
 */
bool ee_tlp_byte_enabled(const struct ee_tlp *t, u32 i);

/* Message routing r[2:0] (PCIe 2.2.8) and the INTx message codes. */
#define EE_MSG_ROUTE_LOCAL	4	/* local: terminate at the receiver */
#define EE_MSG_ASSERT_INTX(pin)		(EE_MSG_ASSERT_INTA + ((pin) & 3))
#define EE_MSG_DEASSERT_INTX(pin)	(EE_MSG_DEASSERT_INTA + ((pin) & 3))

/* A Msg without data (header bytes 8..15 zero). */
void ee_tlp_init_msg(struct ee_tlp *t, u16 req_id, u8 code, u8 routing);

/* One completion of a memory read, as ee_cpl_split() cuts them. */
struct ee_cpl_part {
	u16 offset;		/* first data byte - request's DW address */
	u16 length_dw;		/* its Length */
	u16 byte_count;		/* its Byte Count */
	u8 lower_addr;		/* its Lower Address */
};

/* Completer side (PCIe 2.3.1.1): the completions of the memory read
 * @req, none carrying more than @mps bytes and each but the last ending
 * at an @rcb boundary (@rcb 64 or 128, @mps a power of two >= @rcb).
 * Byte Count and Lower Address follow the byte enables (a 1 DW read
 * with no byte enabled counts as 1 byte).  Start with @pos 0 and go on
 * with the returned position until it is req->length * 4:
 *
 *	for (pos = 0; pos < req->length * 4; )
 *		pos = ee_cpl_split(req, pos, rcb, mps, &p);
 */
u32 ee_cpl_split(const struct ee_tlp *req, u32 pos, u32 rcb, u32 mps,
		 struct ee_cpl_part *p);

/* Requester side: a successful CplD @cpl answering a read of the @len
 * bytes at byte address @addr.  Stores in *off where its first valid
 * byte belongs (bytes from @addr) and returns how many valid bytes it
 * carries, from cpl->data + (cpl->lower_addr & 3); the request is
 * complete when that equals cpl->byte_count.  -EE_ERR_FIELD when Byte
 * Count or Lower Address do not fit the request, -EE_ERR_TLP_LEN when
 * it carries no data for it.
 */
int ee_cpl_locate(u64 addr, u32 len, const struct ee_tlp *cpl, u32 *off);

/* Byte-enable helpers for a sub-DW access at byte offset @where. */
static inline u8 ee_be_for(unsigned int where, unsigned int size)
{
	return (u8)(((1u << size) - 1) << (where & 3)) & 0xf;
}

#endif /* _EE_CODEC_H */
