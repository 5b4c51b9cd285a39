// SPDX-License-Identifier: GPL-2.0
/*
 * expether frame and TLP codec: the one implementation of the wire format
 * described in Documentation/expether/protocol.rst.
 *
 * Shared by expether.ko and the user-space programs, so it uses nothing but
 * "ee_types.h" and memcpy/memset.  Every parser checks a length before it
 * reads, and all sizes involved are small (a TLP is at most 4116 bytes), so
 * no length arithmetic below can overflow.
 */
#include "ee_types.h"
#include "ee_codec.h"

#define EE_L2_TPID_OFF		12
#define EE_L2_TCI_OFF		14
#define EE_L2_TYPE_OFF		16
#define EE_TPID_8021Q		0x8100
#define EE_TLP_MIN		12	/* smallest TLP: a 3DW header */
#define EE_TLP_DIGEST		4
#define EE_4GB			0x100000000ULL

/* TLP Type field values (PCIe Base Spec 2.2.1). */
#define EE_TYPE_MEM		0x00
#define EE_TYPE_CFG0		0x04
#define EE_TYPE_CFG1		0x05
#define EE_TYPE_CPL		0x0a
#define EE_TYPE_MSG		0x10	/* 10rrr: r is the routing */
#define EE_TYPE_MSG_MASK	0x18

/* TLP byte 1: T9 TC[2:0] T8 Attr[2] LN TH */
#define EE_B1_TC_SHIFT		4
#define EE_B1_ATTR2		0x04
#define EE_B1_UNSUPP		0x8b	/* T9, T8, LN, TH: never enabled */
/* TLP byte 2: TD EP Attr[1:0] AT[1:0] Length[9:8] */
#define EE_B2_TD		0x80
#define EE_B2_EP		0x40
#define EE_B2_ATTR_SHIFT	4
#define EE_B2_AT		0x0c	/* no address translation services */

const char *ee_err_str(int err)
{
	static const char * const str[EE_ERR__MAX] = {
		[EE_OK]			= "ok",
		[EE_ERR_TRUNC]		= "truncated",
		[EE_ERR_NOTAG]		= "no 802.1Q tag",
		[EE_ERR_ETHERTYPE]	= "foreign EtherType",
		[EE_ERR_VERSION]	= "unknown version",
		[EE_ERR_TYPE]		= "unknown frame type",
		[EE_ERR_LENGTH]		= "bad length",
		[EE_ERR_FIELD]		= "forbidden field value",
		[EE_ERR_TLP_FMT]	= "unsupported TLP Fmt/Type",
		[EE_ERR_TLP_LEN]	= "TLP length mismatch",
		[EE_ERR_NOSPC]		= "no space",
	};
	unsigned int e = err < 0 ? 0u - (unsigned int)err : (unsigned int)err;

	return e < EE_ERR__MAX && str[e] ? str[e] : "unknown error";
}

/* ---- ExpEther header ------------------------------------------------- */

int ee_hdr_parse(const u8 *buf, size_t len, struct ee_hdr *h,
		 const u8 **payload)
{
	size_t room;
	u16 min;

	if (len < EXPETHER_HLEN)
		return -EE_ERR_TRUNC;
	h->version = buf[0];
	h->type = buf[1];
	h->flags = ee_get_be16(buf + 2);
	h->length = ee_get_be16(buf + 4);
	/* bytes 6-7 are reserved: ignored on receive */
	h->seq = ee_get_be32(buf + 8);
	h->ack = ee_get_be32(buf + 12);
	h->tsval = ee_get_be32(buf + 16);
	h->tsecr = ee_get_be32(buf + 20);

	if (h->version != EXPETHER_VERSION)
		return -EE_ERR_VERSION;
	switch (h->type) {
	case EXPETHER_FT_TLP:
		min = EE_TLP_MIN;
		break;
	case EXPETHER_FT_ACK:
		min = 0;
		break;
	case EXPETHER_FT_DIF:
		min = EXPETHER_DIF_LEN;
		break;
	case EXPETHER_FT_MGMT:
		min = EXPETHER_MGMT_LEN;
		break;
	case EXPETHER_FT_ECHO_REQ:
	case EXPETHER_FT_ECHO_REPLY:
		min = 0;
		break;
	default:
		return -EE_ERR_TYPE;
	}
	room = len - EXPETHER_HLEN;
	if (h->length > room || h->length > EXPETHER_MAX_PAYLOAD ||
	    h->length < min)
		return -EE_ERR_LENGTH;
	if (h->type == EXPETHER_FT_ACK && h->length != 0)
		return -EE_ERR_LENGTH;
	if (payload)
		*payload = buf + EXPETHER_HLEN;
	return 0;
}

void ee_hdr_put(u8 *buf, const struct ee_hdr *h)
{
	buf[0] = h->version;
	buf[1] = h->type;
	ee_put_be16(buf + 2, h->flags);
	ee_put_be16(buf + 4, h->length);
	ee_put_be16(buf + 6, 0);
	ee_put_be32(buf + 8, h->seq);
	ee_put_be32(buf + 12, h->ack);
	ee_put_be32(buf + 16, h->tsval);
	ee_put_be32(buf + 20, h->tsecr);
}

/* ---- Whole Ethernet frame -------------------------------------------- */

static bool ee_gid_ok(unsigned int gid)
{
	return gid >= EXPETHER_GID_MIN && gid <= EXPETHER_GID_MAX;
}

int ee_frame_parse(const u8 *buf, size_t len, u16 ethertype,
		   struct ee_frame *f)
{
	u16 tpid;

	if (len < EE_L2_TCI_OFF)
		return -EE_ERR_TRUNC;
	memcpy(f->dst, buf, 6);
	memcpy(f->src, buf + 6, 6);
	f->payload = NULL;
	tpid = ee_get_be16(buf + EE_L2_TPID_OFF);
	if (tpid != EE_TPID_8021Q)
		/* untagged: ours but malformed, or simply not ours */
		return tpid == ethertype ? -EE_ERR_NOTAG : -EE_ERR_ETHERTYPE;
	if (len < EXPETHER_L2_HLEN)
		return -EE_ERR_TRUNC;
	f->tci = ee_get_be16(buf + EE_L2_TCI_OFF);
	f->ethertype = ee_get_be16(buf + EE_L2_TYPE_OFF);
	if (f->ethertype != ethertype)
		return -EE_ERR_ETHERTYPE;
	if (!ee_gid_ok(ee_frame_gid(f)))
		return -EE_ERR_FIELD;
	return ee_hdr_parse(buf + EXPETHER_L2_HLEN, len - EXPETHER_L2_HLEN,
			    &f->hdr, &f->payload);
}

int ee_frame_build(u8 *buf, size_t cap, const struct ee_frame *f,
		   const u8 *payload, size_t payload_len)
{
	size_t off = EXPETHER_L2_HLEN + EXPETHER_HLEN;
	size_t total;
	struct ee_hdr h;

	if (payload_len > EXPETHER_MAX_PAYLOAD)
		return -EE_ERR_LENGTH;
	if (!ee_gid_ok(ee_frame_gid(f)))
		return -EE_ERR_FIELD;
	total = off + payload_len;
	if (total < EXPETHER_MIN_FRAME)
		total = EXPETHER_MIN_FRAME;
	if (cap < total)
		return -EE_ERR_NOSPC;

	memcpy(buf, f->dst, 6);
	memcpy(buf + 6, f->src, 6);
	ee_put_be16(buf + EE_L2_TPID_OFF, EE_TPID_8021Q);
	ee_put_be16(buf + EE_L2_TCI_OFF, f->tci);
	ee_put_be16(buf + EE_L2_TYPE_OFF, f->ethertype);
	h = f->hdr;
	h.length = (u16)payload_len;
	ee_hdr_put(buf + EXPETHER_L2_HLEN, &h);
	/* the payload may already be in place (built right after the header) */
	if (payload_len && payload != buf + off)
		memcpy(buf + off, payload, payload_len);
	if (off + payload_len < total)
		memset(buf + off + payload_len, 0, total - off - payload_len);
	return (int)total;
}

/* ---- Device Information Frame payload ------------------------------- */

int ee_dif_parse(const u8 *buf, size_t len, struct ee_dif *d)
{
	if (len < EXPETHER_DIF_LEN)
		return -EE_ERR_TRUNC;
	d->role = buf[0];
	d->flags = buf[1];
	d->interval_ms = ee_get_be16(buf + 2);
	memcpy(d->mac, buf + 4, 6);
	d->gid = ee_get_be16(buf + 10);
	d->bridge_id = ee_get_be64(buf + 12);
	d->epoch = ee_get_be32(buf + 20);
	d->vendor = ee_get_be16(buf + 24);
	d->device = ee_get_be16(buf + 26);
	d->class_rev = ee_get_be32(buf + 28);
	d->subsys_vendor = ee_get_be16(buf + 32);
	d->subsys_id = ee_get_be16(buf + 34);
	if (d->role != EXPETHER_ROLE_HOST && d->role != EXPETHER_ROLE_IO)
		return -EE_ERR_FIELD;
	if (!ee_gid_ok(d->gid) || d->interval_ms == 0)
		return -EE_ERR_FIELD;
	return 0;
}

void ee_dif_put(u8 *buf, const struct ee_dif *d)
{
	buf[0] = d->role;
	buf[1] = d->flags;
	ee_put_be16(buf + 2, d->interval_ms);
	memcpy(buf + 4, d->mac, 6);
	ee_put_be16(buf + 10, d->gid);
	ee_put_be64(buf + 12, d->bridge_id);
	ee_put_be32(buf + 20, d->epoch);
	ee_put_be16(buf + 24, d->vendor);
	ee_put_be16(buf + 26, d->device);
	ee_put_be32(buf + 28, d->class_rev);
	ee_put_be16(buf + 32, d->subsys_vendor);
	ee_put_be16(buf + 34, d->subsys_id);
}

/* ---- Management payload ---------------------------------------------- */

int ee_mgmt_parse(const u8 *buf, size_t len, struct ee_mgmt *m)
{
	if (len < EXPETHER_MGMT_LEN)
		return -EE_ERR_TRUNC;
	m->op = buf[0];
	m->new_gid = ee_get_be16(buf + 2);
	memcpy(m->target_mac, buf + 4, 6);
	m->target_id = ee_get_be64(buf + 12);
	m->counter = ee_get_be64(buf + 20);
	memcpy(m->hmac, buf + 28, sizeof(m->hmac));
	if (m->op != EXPETHER_MGMT_SET_GID || !ee_gid_ok(m->new_gid))
		return -EE_ERR_FIELD;
	return 0;
}

void ee_mgmt_put(u8 *buf, const struct ee_mgmt *m)
{
	buf[0] = m->op;
	buf[1] = 0;
	ee_put_be16(buf + 2, m->new_gid);
	memcpy(buf + 4, m->target_mac, 6);
	ee_put_be16(buf + 10, 0);
	ee_put_be64(buf + 12, m->target_id);
	ee_put_be64(buf + 20, m->counter);
	memcpy(buf + 28, m->hmac, sizeof(m->hmac));
}

/* ---- PCIe Transaction Layer Packets ---------------------------------- */

static bool ee_tlp_is_mem(unsigned int kind)
{
	return kind == EE_TLP_MRD || kind == EE_TLP_MWR;
}

static bool ee_tlp_is_cfg(unsigned int kind)
{
	return kind == EE_TLP_CFGRD0 || kind == EE_TLP_CFGWR0 ||
	       kind == EE_TLP_CFGRD1 || kind == EE_TLP_CFGWR1;
}

static bool ee_tlp_is_cpl(unsigned int kind)
{
	return kind == EE_TLP_CPL || kind == EE_TLP_CPLD;
}

static bool ee_tlp_is_msg(unsigned int kind)
{
	return kind == EE_TLP_MSG || kind == EE_TLP_MSGD;
}

/* Length is reserved in Cpl and Msg; t->length is 0 for them. */
static bool ee_tlp_has_length(unsigned int kind)
{
	return kind != EE_TLP_CPL && kind != EE_TLP_MSG;
}

/* Kind from the Fmt and Type fields, or -1 if we do not carry it. */
static int ee_tlp_kind_of(unsigned int fmt, unsigned int type)
{
	if ((type & EE_TYPE_MSG_MASK) == EE_TYPE_MSG) {
		if (fmt == EE_FMT_4DW)
			return EE_TLP_MSG;
		if (fmt == EE_FMT_4DW_DATA)
			return EE_TLP_MSGD;
		return -1;
	}
	switch (type) {
	case EE_TYPE_MEM:
		if (fmt == EE_FMT_3DW || fmt == EE_FMT_4DW)
			return EE_TLP_MRD;
		if (fmt == EE_FMT_3DW_DATA || fmt == EE_FMT_4DW_DATA)
			return EE_TLP_MWR;
		return -1;
	case EE_TYPE_CFG0:
		if (fmt == EE_FMT_3DW)
			return EE_TLP_CFGRD0;
		if (fmt == EE_FMT_3DW_DATA)
			return EE_TLP_CFGWR0;
		return -1;
	case EE_TYPE_CFG1:
		if (fmt == EE_FMT_3DW)
			return EE_TLP_CFGRD1;
		if (fmt == EE_FMT_3DW_DATA)
			return EE_TLP_CFGWR1;
		return -1;
	case EE_TYPE_CPL:
		if (fmt == EE_FMT_3DW)
			return EE_TLP_CPL;
		if (fmt == EE_FMT_3DW_DATA)
			return EE_TLP_CPLD;
		return -1;
	default:
		return -1;
	}
}

/* Byte-enable rules for memory requests (PCIe Base Spec 2.2.5): a 1-DW
 * request has Last BE 0; a longer one has both BEs non-zero.  A request
 * must not cross a 4 KiB boundary (2.2.7).
 */
static bool ee_tlp_mem_ok(const struct ee_tlp *t)
{
	if (t->length == 1 && t->last_be)
		return false;
	if (t->length > 1 && (!t->first_be || !t->last_be))
		return false;
	return (t->addr & 0xfff) + (u32)t->length * 4 <= 0x1000;
}

/* Configuration requests: Length 1, TC 0, Attr 0, Last BE 0 (2.2.7). */
static bool ee_tlp_cfg_ok(const struct ee_tlp *t)
{
	return t->length == 1 && t->tc == 0 && t->attr == 0 &&
	       t->last_be == 0;
}

int ee_tlp_parse(const u8 *buf, size_t len, struct ee_tlp *t)
{
	unsigned int fmt, type, hlen, raw_len, bc, kind;
	size_t need;
	int k;

	memset(t, 0, sizeof(*t));
	if (len < 4)
		return -EE_ERR_TRUNC;
	fmt = buf[0] >> 5;
	type = buf[0] & 0x1f;
	/* Fmt 100 is a TLP prefix; 101..111 are reserved */
	k = fmt <= EE_FMT_4DW_DATA ? ee_tlp_kind_of(fmt, type) : -1;
	if (k < 0)
		return -EE_ERR_TLP_FMT;
	kind = (unsigned int)k;
	t->kind = (u8)kind;
	hlen = (fmt & EE_FMT_4DW) ? 16 : 12;
	if (len < hlen)
		return -EE_ERR_TRUNC;

	if ((buf[1] & EE_B1_UNSUPP) || (buf[2] & EE_B2_AT))
		return -EE_ERR_FIELD;
	t->tc = (buf[1] >> EE_B1_TC_SHIFT) & 7;
	t->attr = (buf[1] & EE_B1_ATTR2) | ((buf[2] >> EE_B2_ATTR_SHIFT) & 3);
	t->ep = !!(buf[2] & EE_B2_EP);
	raw_len = (buf[2] & 3u) << 8 | buf[3];
	if (ee_tlp_has_length(kind))
		t->length = (u16)(raw_len ? raw_len : EE_TLP_MAX_DW);

	if (ee_tlp_is_cpl(kind)) {
		t->cpl_id = ee_get_be16(buf + 4);
		t->status = buf[6] >> 5;
		t->bcm = !!(buf[6] & 0x10);
		bc = (buf[6] & 0xfu) << 8 | buf[7];
		t->byte_count = (u16)(bc ? bc : 4096);
		t->req_id = ee_get_be16(buf + 8);
		t->tag = buf[10];
		t->lower_addr = buf[11] & 0x7f;
	} else {
		t->req_id = ee_get_be16(buf + 4);
		t->tag = buf[6];
	}

	if (ee_tlp_is_mem(kind)) {
		t->first_be = buf[7] & 0xf;
		t->last_be = buf[7] >> 4;
		if (hlen == 16)
			t->addr = ee_get_be64(buf + 8) & ~3ULL;
		else
			t->addr = ee_get_be32(buf + 8) & ~3U;
		if (!ee_tlp_mem_ok(t))
			return -EE_ERR_FIELD;
	} else if (ee_tlp_is_cfg(kind)) {
		t->first_be = buf[7] & 0xf;
		t->last_be = buf[7] >> 4;
		t->target_id = ee_get_be16(buf + 8);
		t->reg = (u16)((buf[10] & 0xfu) << 8 | (buf[11] & 0xfcu));
		/* Attr[2] is reserved for configuration requests */
		t->attr &= 3;
		if (raw_len != 1 || !ee_tlp_cfg_ok(t))
			return -EE_ERR_FIELD;
	} else if (ee_tlp_is_msg(kind)) {
		t->msg_code = buf[7];
		t->msg_routing = type & 7;
		memcpy(t->msg_bytes, buf + 8, sizeof(t->msg_bytes));
	}

	need = hlen;
	if (ee_tlp_has_data(t)) {
		t->data = buf + hlen;
		need += (size_t)t->length * 4;
	}
	if (buf[2] & EE_B2_TD)
		need += EE_TLP_DIGEST;	/* ECRC: carried, not checked */
	if (len < need) {
		t->data = NULL;
		return -EE_ERR_TLP_LEN;
	}
	return (int)need;
}

static size_t ee_tlp_hlen(const struct ee_tlp *t)
{
	if (ee_tlp_is_msg(t->kind))
		return 16;
	if (ee_tlp_is_mem(t->kind) && t->addr >= EE_4GB)
		return 16;
	return 12;
}

size_t ee_tlp_size(const struct ee_tlp *t)
{
	size_t n = ee_tlp_hlen(t);

	if (ee_tlp_has_data(t))
		n += (size_t)t->length * 4;
	return n;
}

/* Is @t something ee_tlp_build can encode and ee_tlp_parse gives back? */
static int ee_tlp_check(const struct ee_tlp *t)
{
	if (t->kind > EE_TLP_MSGD)
		return -EE_ERR_TLP_FMT;
	if (t->tc > 7 || t->attr > 7 || t->first_be > 0xf || t->last_be > 0xf)
		return -EE_ERR_FIELD;
	if (ee_tlp_has_length(t->kind)) {
		if (t->length < 1 || t->length > EE_TLP_MAX_DW)
			return -EE_ERR_TLP_LEN;
		if (ee_tlp_has_data(t) && !t->data)
			return -EE_ERR_TLP_LEN;
	} else if (t->length) {
		return -EE_ERR_TLP_LEN;
	}
	if (ee_tlp_is_mem(t->kind) && !ee_tlp_mem_ok(t))
		return -EE_ERR_FIELD;
	if (ee_tlp_is_cfg(t->kind) &&
	    (!ee_tlp_cfg_ok(t) || t->reg > 4092 || (t->reg & 3)))
		return -EE_ERR_FIELD;
	if (ee_tlp_is_cpl(t->kind) &&
	    (t->status > 7 || t->byte_count < 1 || t->byte_count > 4096 ||
	     t->lower_addr > 0x7f))
		return -EE_ERR_FIELD;
	if (ee_tlp_is_msg(t->kind) && t->msg_routing > 7)
		return -EE_ERR_FIELD;
	return 0;
}

static u8 ee_tlp_fmt_type(const struct ee_tlp *t)
{
	unsigned int fmt = ee_tlp_has_data(t) ? EE_FMT_3DW_DATA : EE_FMT_3DW;
	unsigned int type;

	if (ee_tlp_hlen(t) == 16)
		fmt |= EE_FMT_4DW;
	switch (t->kind) {
	case EE_TLP_CFGRD0:
	case EE_TLP_CFGWR0:
		type = EE_TYPE_CFG0;
		break;
	case EE_TLP_CFGRD1:
	case EE_TLP_CFGWR1:
		type = EE_TYPE_CFG1;
		break;
	case EE_TLP_CPL:
	case EE_TLP_CPLD:
		type = EE_TYPE_CPL;
		break;
	case EE_TLP_MSG:
	case EE_TLP_MSGD:
		type = EE_TYPE_MSG | t->msg_routing;
		break;
	default:
		type = EE_TYPE_MEM;
		break;
	}
	return (u8)(fmt << 5 | type);
}

int ee_tlp_build(u8 *buf, size_t cap, const struct ee_tlp *t)
{
	size_t hlen = ee_tlp_hlen(t);
	size_t size = ee_tlp_size(t);
	unsigned int len_field;
	int err;

	err = ee_tlp_check(t);
	if (err)
		return err;
	if (cap < size)
		return -EE_ERR_NOSPC;

	/* 1024 is encoded as 0 */
	len_field = ee_tlp_has_length(t->kind) ? t->length & 0x3ff : 0;
	buf[0] = ee_tlp_fmt_type(t);
	buf[1] = (u8)(t->tc << EE_B1_TC_SHIFT | (t->attr & EE_B1_ATTR2));
	buf[2] = (u8)((t->ep ? EE_B2_EP : 0u) |
		      (t->attr & 3u) << EE_B2_ATTR_SHIFT | len_field >> 8);
	buf[3] = (u8)len_field;

	if (ee_tlp_is_cpl(t->kind)) {
		ee_put_be16(buf + 4, t->cpl_id);
		buf[6] = (u8)(t->status << 5 | (t->bcm ? 0x10 : 0) |
			      ((t->byte_count & 0xfff) >> 8));
		buf[7] = (u8)t->byte_count;	/* 4096 is encoded as 0 */
		ee_put_be16(buf + 8, t->req_id);
		buf[10] = t->tag;
		buf[11] = t->lower_addr;
	} else {
		ee_put_be16(buf + 4, t->req_id);
		buf[6] = t->tag;
	}

	if (ee_tlp_is_mem(t->kind)) {
		buf[7] = (u8)(t->last_be << 4 | t->first_be);
		if (hlen == 16)
			ee_put_be64(buf + 8, t->addr & ~3ULL);
		else
			ee_put_be32(buf + 8, (u32)t->addr & ~3U);
	} else if (ee_tlp_is_cfg(t->kind)) {
		buf[7] = t->first_be;
		ee_put_be16(buf + 8, t->target_id);
		buf[10] = (u8)(t->reg >> 8);
		buf[11] = (u8)(t->reg & 0xfc);
	} else if (ee_tlp_is_msg(t->kind)) {
		buf[7] = t->msg_code;
		memcpy(buf + 8, t->msg_bytes, sizeof(t->msg_bytes));
	}

	if (ee_tlp_has_data(t))
		memcpy(buf + hlen, t->data, size - hlen);
	return (int)size;
}

/* ---- Helpers for the common requests and completions ---------------- */

void ee_tlp_init_cfg(struct ee_tlp *t, bool write, bool type1, u16 req_id,
		     u8 tag, u16 target_id, u16 reg, u8 first_be,
		     const u8 *data)
{
	memset(t, 0, sizeof(*t));
	if (type1)
		t->kind = write ? EE_TLP_CFGWR1 : EE_TLP_CFGRD1;
	else
		t->kind = write ? EE_TLP_CFGWR0 : EE_TLP_CFGRD0;
	t->length = 1;
	t->req_id = req_id;
	t->tag = tag;
	t->first_be = first_be & 0xf;
	t->target_id = target_id;
	t->reg = reg & 0xffc;
	t->data = write ? data : NULL;
}

void ee_tlp_init_cpl(struct ee_tlp *t, const struct ee_tlp *req,
		     u16 cpl_id, u8 status, const u8 *data, u16 length_dw,
		     u16 byte_count, u8 lower_addr)
{
	memset(t, 0, sizeof(*t));
	t->kind = data ? EE_TLP_CPLD : EE_TLP_CPL;
	t->tc = req->tc;
	t->attr = req->attr;
	t->length = data ? length_dw : 0;
	t->req_id = req->req_id;
	t->tag = req->tag;
	t->cpl_id = cpl_id;
	t->status = status;
	t->byte_count = byte_count;
	t->lower_addr = lower_addr & 0x7f;
	t->data = data;
}

/* ---- Device requests and read completions ---------------------------- */

int ee_tlp_init_mem(struct ee_tlp *t, bool write, u16 req_id, u8 tag,
		    u64 addr, u32 len, const u8 *data)
{
	u32 head = (u32)(addr & 3), dws;
	u32 tail = (u32)((addr + len) & 3);

	memset(t, 0, sizeof(*t));
	if (!len || len > 0x1000 || (addr & 0xfff) + len > 0x1000)
		return -EE_ERR_FIELD;
	dws = (head + len + 3) / 4;
	t->kind = write ? EE_TLP_MWR : EE_TLP_MRD;
	t->length = (u16)dws;
	t->req_id = req_id;
	t->tag = tag;
	t->addr = addr & ~3ULL;
	if (dws == 1) {
		t->first_be = (u8)(((1u << len) - 1) << head);
	} else {
		t->first_be = (u8)(0xf << head) & 0xf;
		t->last_be = tail ? (u8)((1u << tail) - 1) : 0xf;
	}
	t->data = write ? data : NULL;
	return 0;
}

bool ee_tlp_byte_enabled(const struct ee_tlp *t, u32 i)
{
	u32 nbytes = (u32)t->length * 4;

	if (i >= nbytes)
		return false;
	if (i < 4)
		return t->first_be & (1u << i);
	if (i >= nbytes - 4)
		return t->last_be & (1u << (i - (nbytes - 4)));
	return true;
}

void ee_tlp_init_msg(struct ee_tlp *t, u16 req_id, u8 code, u8 routing)
{
	memset(t, 0, sizeof(*t));
	t->kind = EE_TLP_MSG;
	t->req_id = req_id;
	t->msg_code = code;
	t->msg_routing = routing & 7;
}

/* First enabled byte and end of the last one, from the DW address. */
static void ee_mem_span(const struct ee_tlp *t, u32 *first, u32 *end)
{
	u32 nbytes = (u32)t->length * 4, lo = 0, hi;

	if (nbytes == 4) {
		if (!(t->first_be & 0xf)) {
			*first = 0;
			*end = 1;
			return;
		}
		while (!(t->first_be & (1u << lo)))
			lo++;
		hi = 4;
		while (!(t->first_be & (1u << (hi - 1))))
			hi--;
	} else {
		hi = nbytes;
		while (lo < 3 && !(t->first_be & (1u << lo)))
			lo++;
		while (hi > nbytes - 3 &&
		       !(t->last_be & (1u << (hi - 1 - (nbytes - 4)))))
			hi--;
	}
	*first = lo;
	*end = hi;
}

u32 ee_cpl_split(const struct ee_tlp *req, u32 pos, u32 rcb, u32 mps,
		 struct ee_cpl_part *p)
{
	u32 nbytes = (u32)req->length * 4, first, end, stop, fb;

	ee_mem_span(req, &first, &end);
	stop = (u32)(((req->addr + pos + mps) & ~(u64)(rcb - 1)) - req->addr);
	if (stop <= pos || stop > nbytes)
		stop = nbytes;
	fb = pos ? pos : first;
	p->offset = (u16)pos;
	p->length_dw = (u16)((stop - pos) / 4);
	p->byte_count = (u16)(end > fb ? end - fb : 1);
	p->lower_addr = (u8)((req->addr + fb) & 0x7f);
	return stop;
}

int ee_cpl_locate(u64 addr, u32 len, const struct ee_tlp *cpl, u32 *off)
{
	u32 bc = cpl->byte_count, o, avail;

	if (bc > len)
		return -EE_ERR_FIELD;
	o = len - bc;
	if (((addr + o) & 0x7f) != cpl->lower_addr)
		return -EE_ERR_FIELD;
	if (cpl->kind != EE_TLP_CPLD)
		return -EE_ERR_TLP_LEN;
	avail = (u32)cpl->length * 4 - (cpl->lower_addr & 3u);
	*off = o;
	return (int)(avail < bc ? avail : bc);
}

/* ---- Readable rendering ---------------------------------------------- */

const char *ee_tlp_kind_str(unsigned int kind)
{
	switch (kind) {
	case EE_TLP_MRD:
		return "MRd";
	case EE_TLP_MWR:
		return "MWr";
	case EE_TLP_CFGRD0:
		return "CfgRd0";
	case EE_TLP_CFGWR0:
		return "CfgWr0";
	case EE_TLP_CFGRD1:
		return "CfgRd1";
	case EE_TLP_CFGWR1:
		return "CfgWr1";
	case EE_TLP_CPL:
		return "Cpl";
	case EE_TLP_CPLD:
		return "CplD";
	case EE_TLP_MSG:
		return "Msg";
	case EE_TLP_MSGD:
		return "MsgD";
	default:
		return "?";
	}
}

const char *ee_frame_type_str(unsigned int type)
{
	switch (type) {
	case EXPETHER_FT_TLP:
		return "TLP";
	case EXPETHER_FT_ACK:
		return "ACK";
	case EXPETHER_FT_DIF:
		return "DIF";
	case EXPETHER_FT_MGMT:
		return "MGMT";
	case EXPETHER_FT_ECHO_REQ:
		return "ECHO_REQ";
	case EXPETHER_FT_ECHO_REPLY:
		return "ECHO_REPLY";
	default:
		return "?";
	}
}

/* A bounded string builder: always NUL-terminated, never past cap. */
struct ee_out {
	char *buf;
	size_t cap;		/* >= 1 */
	size_t pos;		/* < cap */
};

static void ee_out_char(struct ee_out *o, char c)
{
	if (o->pos + 1 < o->cap)
		o->buf[o->pos++] = c;
	o->buf[o->pos] = '\0';
}

static void ee_out_str(struct ee_out *o, const char *s)
{
	while (*s)
		ee_out_char(o, *s++);
}

/* Hex, at least @width digits. */
static void ee_out_hex(struct ee_out *o, u64 v, unsigned int width)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	unsigned int n = 0;

	do {
		tmp[n++] = digits[v & 0xf];
		v >>= 4;
	} while (v && n < sizeof(tmp));
	while (n < width && n < sizeof(tmp))
		tmp[n++] = '0';
	while (n)
		ee_out_char(o, tmp[--n]);
}

static void ee_out_dec(struct ee_out *o, unsigned int v)
{
	char tmp[10];
	unsigned int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < sizeof(tmp));
	while (n)
		ee_out_char(o, tmp[--n]);
}

/* " key=" */
static void ee_out_key(struct ee_out *o, const char *key)
{
	ee_out_char(o, ' ');
	ee_out_str(o, key);
	ee_out_char(o, '=');
}

/* bus:dev.fn */
static void ee_out_bdf(struct ee_out *o, const char *key, u16 id)
{
	ee_out_key(o, key);
	ee_out_hex(o, id >> 8, 2);
	ee_out_char(o, ':');
	ee_out_hex(o, (id >> 3) & 0x1f, 2);
	ee_out_char(o, '.');
	ee_out_hex(o, id & 7, 1);
}

static const char *ee_cpl_status_str(unsigned int status)
{
	switch (status) {
	case EE_CPL_SC:
		return "SC";
	case EE_CPL_UR:
		return "UR";
	case EE_CPL_CRS:
		return "CRS";
	case EE_CPL_CA:
		return "CA";
	default:
		return NULL;
	}
}

#define EE_FORMAT_MAX_DATA	16	/* data bytes shown before "..." */

/* Render @t as one line, e.g.
 *   CfgRd0 req=00:01.0 tag=12 target=01:00.0 reg=0x000 be=f
 *   CplD cpl=01:00.0 req=00:01.0 tag=12 st=SC bc=4 la=0x00 len=1 data=...
 *   MWr32 req=00:01.0 tag=00 addr=0xfe000010 len=2 be=f/f data=...
 * "be" is the first DW BE, then "/last DW BE" when the TLP is longer than
 * one DW.  Returns the length of the (possibly truncated) string.
 */
int ee_tlp_format(char *buf, size_t cap, const struct ee_tlp *t)
{
	struct ee_out out = { .buf = buf, .cap = cap, .pos = 0 };
	struct ee_out *o = &out;
	const char *st;
	unsigned int i, n;

	if (!cap)
		return 0;
	buf[0] = '\0';
	ee_out_str(o, ee_tlp_kind_str(t->kind));
	if (ee_tlp_is_mem(t->kind))
		ee_out_str(o, t->addr >= EE_4GB ? "64" : "32");

	if (ee_tlp_is_cpl(t->kind)) {
		ee_out_bdf(o, "cpl", t->cpl_id);
		ee_out_bdf(o, "req", t->req_id);
		ee_out_key(o, "tag");
		ee_out_hex(o, t->tag, 2);
		ee_out_key(o, "st");
		st = ee_cpl_status_str(t->status);
		if (st)
			ee_out_str(o, st);
		else
			ee_out_dec(o, t->status);
		if (t->bcm)
			ee_out_str(o, " bcm");
		ee_out_key(o, "bc");
		ee_out_dec(o, t->byte_count);
		ee_out_key(o, "la");
		ee_out_str(o, "0x");
		ee_out_hex(o, t->lower_addr, 2);
	} else {
		ee_out_bdf(o, "req", t->req_id);
		ee_out_key(o, "tag");
		ee_out_hex(o, t->tag, 2);
	}

	if (ee_tlp_is_cfg(t->kind)) {
		ee_out_bdf(o, "target", t->target_id);
		ee_out_key(o, "reg");
		ee_out_str(o, "0x");
		ee_out_hex(o, t->reg, 3);
	} else if (ee_tlp_is_mem(t->kind)) {
		ee_out_key(o, "addr");
		ee_out_str(o, "0x");
		ee_out_hex(o, t->addr, t->addr >= EE_4GB ? 16 : 8);
	} else if (ee_tlp_is_msg(t->kind)) {
		ee_out_key(o, "code");
		ee_out_str(o, "0x");
		ee_out_hex(o, t->msg_code, 2);
		ee_out_key(o, "route");
		ee_out_dec(o, t->msg_routing);
		ee_out_key(o, "hdr");
		for (i = 0; i < sizeof(t->msg_bytes); i++)
			ee_out_hex(o, t->msg_bytes[i], 2);
	}

	if ((ee_tlp_has_data(t) && !ee_tlp_is_cfg(t->kind)) ||
	    t->kind == EE_TLP_MRD) {
		ee_out_key(o, "len");
		ee_out_dec(o, t->length);
	}
	if (ee_tlp_is_mem(t->kind) || ee_tlp_is_cfg(t->kind)) {
		ee_out_key(o, "be");
		ee_out_hex(o, t->first_be, 1);
		if (t->length > 1) {
			ee_out_char(o, '/');
			ee_out_hex(o, t->last_be, 1);
		}
	}
	if (t->tc) {
		ee_out_key(o, "tc");
		ee_out_dec(o, t->tc);
	}
	if (t->attr) {
		ee_out_key(o, "attr");
		ee_out_dec(o, t->attr);
	}
	if (t->ep)
		ee_out_str(o, " ep");

	if (ee_tlp_has_data(t) && t->data) {
		n = (unsigned int)t->length * 4;
		ee_out_key(o, "data");
		for (i = 0; i < n && i < EE_FORMAT_MAX_DATA; i++) {
			if (i)
				ee_out_char(o, ' ');
			ee_out_hex(o, t->data[i], 2);
		}
		if (n > EE_FORMAT_MAX_DATA)
			ee_out_str(o, " ...");
	}
	return (int)out.pos;
}
