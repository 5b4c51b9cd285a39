// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: serving the TLPs a host sends to a device (see serve.h).
 *
 * Configuration requests go to the config-space model, memory requests to
 * the model's BARs.  Completions follow the PCI Express Base Specification:
 * Completer ID = the function's ID, config completions carry Byte Count 4
 * and Lower Address 0, and read data is split at the 128-byte Read
 * Completion Boundary with no completion larger than Max_Payload_Size.
 */
#include <errno.h>
#include <linux/pci_regs.h>

#include "host.h"
#include "serve.h"

#define RCB		128	/* an endpoint's Read Completion Boundary */

/* Completions for one request frame, batched into payloads for the link. */
struct reply {
	struct box_host *host;
	struct eebox_dev *dev;
	size_t len;
	unsigned int ntlps;
	u8 payload[EXPETHER_MAX_PAYLOAD];
};

static void reply_flush(struct reply *r)
{
	struct eebox_dev *dev = r->dev;
	int ret;

	if (!r->ntlps)
		return;

	/* The host may look at the state file as soon as it has the reply. */
	dev_save_state(dev);

	/* The link numbers, keeps and (re)sends it; pumped by the caller. */
	ret = conn_queue(&r->host->conn, r->payload, r->len);
	if (ret) {
		fprintf(stderr, "eebox: %s: cannot queue a reply: %s\n",
			r->host->conn.name,
			ret == -ENOMEM ? strerror(ENOMEM) : "no connection");
		dev->st.tx_errors++;
	} else {
		dev->st.tx_frames++;
		dev->st.tx_tlps += r->ntlps;
	}
	r->len = 0;
	r->ntlps = 0;
}

static void reply_add(struct reply *r, const struct ee_tlp *t)
{
	int n;

	if (r->len + ee_tlp_size(t) > sizeof(r->payload))
		reply_flush(r);
	n = ee_tlp_build(r->payload + r->len, sizeof(r->payload) - r->len, t);
	if (n < 0) {
		fprintf(stderr, "eebox: dev %u: cannot build completion: %s\n",
			r->dev->index, ee_err_str(-n));
		r->dev->st.tx_errors++;
		return;
	}
	r->len += (size_t)n;
	r->ntlps++;
}

static void reply_cpl(struct reply *r, const struct ee_tlp *req, u16 cpl_id,
		      u8 status, const u8 *data, u16 length_dw,
		      u16 byte_count, u8 lower_addr)
{
	struct ee_tlp c;

	if (status != EE_CPL_SC)
		r->dev->st.cpl_ur++;
	ee_tlp_init_cpl(&c, req, cpl_id, status, data, length_dw, byte_count,
			lower_addr);
	reply_add(r, &c);
}

/* Max_Payload_Size in force for completions of @dev, in bytes. */
static unsigned int serve_max_payload(const struct eebox_dev *dev)
{
	unsigned int exp = cfg_find_cap(&dev->cfg, PCI_CAP_ID_EXP);
	unsigned int mps = 128, cap_mps;

	if (exp) {
		mps = 128u << ((cfg_read(&dev->cfg, exp + PCI_EXP_DEVCTL, 2) &
				PCI_EXP_DEVCTL_PAYLOAD) >> 5);
		cap_mps = 128u << (cfg_read(&dev->cfg, exp + PCI_EXP_DEVCAP,
					    4) & PCI_EXP_DEVCAP_PAYLOAD);
		if (mps > cap_mps)
			mps = cap_mps;
	}
	/* A completion (header up to 4 DW) must fit in one frame. */
	while (mps > 128 && mps + EE_TLP_MAX_HDR > EXPETHER_MAX_PAYLOAD)
		mps >>= 1;
	return mps;
}

/* ---- configuration requests ------------------------------------------ */

static void serve_cfg(struct reply *r, const struct ee_tlp *t)
{
	struct eebox_dev *dev = r->dev;
	bool write = ee_tlp_has_data(t);
	u8 data[4];

	/*
	 * We are device 0, function 0, a single-function endpoint with
	 * nothing below it: Type 1 requests, other device or function
	 * numbers and poisoned writes (discarded) complete with UR.
	 */
	if (t->kind == EE_TLP_CFGRD1 || t->kind == EE_TLP_CFGWR1 ||
	    (t->target_id & 0xff) != 0 || (write && t->ep)) {
		reply_cpl(r, t, t->target_id, EE_CPL_UR, NULL, 0, 4, 0);
		return;
	}

	if (write) {
		cfg_write_dw(&dev->cfg, t->reg, t->first_be, t->data);
		/* Functions capture their bus and device number here. */
		dev->bdf = t->target_id;
		dev->cfg_dirty = true;
		if (dev->model->cfg_written)
			dev->model->cfg_written(dev, t->reg);
		reply_cpl(r, t, t->target_id, EE_CPL_SC, NULL, 0, 4, 0);
	} else {
		cfg_read_dw(&dev->cfg, t->reg, data);
		reply_cpl(r, t, t->target_id, EE_CPL_SC, data, 1, 4, 0);
	}
}

/* ---- memory requests ------------------------------------------------- */

/* Is byte @i of the @nbytes a memory request covers enabled? */
static bool mem_byte_enabled(const struct ee_tlp *t, unsigned int i,
			     unsigned int nbytes)
{
	if (i < 4)
		return t->first_be & (1u << i);
	if (i >= nbytes - 4)
		return t->last_be & (1u << (i - (nbytes - 4)));
	return true;
}

/*
 * First enabled byte and end of the last enabled one, as offsets from the
 * request's DW address (PCIe Base Spec, Byte Count and Lower Address
 * rules).  A zero-length read (one DW, no byte enabled) counts as 1 byte.
 */
static void mem_span(const struct ee_tlp *t, unsigned int nbytes,
		     unsigned int *first, unsigned int *end)
{
	unsigned int lo = 0, hi = nbytes;

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
		while (lo < 3 && !(t->first_be & (1u << lo)))
			lo++;
		while (hi > nbytes - 3 &&
		       !(t->last_be & (1u << (hi - 1 - (nbytes - 4)))))
			hi--;
	}
	*first = lo;
	*end = hi;
}

static void serve_mrd(struct reply *r, const struct ee_tlp *t)
{
	struct eebox_dev *dev = r->dev;
	unsigned int nbytes = t->length * 4u;
	unsigned int first, end, pos, stop, mps, fb;
	u8 buf[EE_TLP_MAX_DW * 4];
	unsigned int bar;
	u64 off;

	mem_span(t, nbytes, &first, &end);
	if (!cfg_bar_decode(&dev->cfg, t->addr, nbytes, &bar, &off)) {
		reply_cpl(r, t, dev->bdf, EE_CPL_UR, NULL, 0,
			  (u16)(end - first), (u8)((t->addr + first) & 0x7f));
		return;
	}
	dev->model->bar_read(dev, bar, off, buf, nbytes);

	/*
	 * Every completion but the last ends on an RCB boundary; none
	 * carries more than Max_Payload_Size.
	 */
	mps = serve_max_payload(dev);
	for (pos = 0; pos < nbytes; pos = stop) {
		stop = (unsigned int)(((t->addr + pos + mps) & ~(u64)(RCB - 1)) -
				      t->addr);
		if (stop > nbytes)
			stop = nbytes;
		fb = pos ? pos : first;
		reply_cpl(r, t, dev->bdf, EE_CPL_SC, buf + pos,
			  (u16)((stop - pos) / 4), (u16)(end - fb),
			  (u8)((t->addr + fb) & 0x7f));
	}
}

static void serve_mwr(struct reply *r, const struct ee_tlp *t)
{
	struct eebox_dev *dev = r->dev;
	unsigned int nbytes = t->length * 4u;
	unsigned int i, run;
	unsigned int bar;
	u64 off;

	dev->st.mwr_tlps++;
	dev->st.mwr_bytes += nbytes;
	if (t->ep || !cfg_bar_decode(&dev->cfg, t->addr, nbytes, &bar, &off)) {
		dev->st.mwr_dropped++;
		return;
	}
	/* Write each run of enabled bytes. */
	for (i = 0; i < nbytes; i += run) {
		for (run = 0; i + run < nbytes &&
		     mem_byte_enabled(t, i + run, nbytes); run++)
			;
		if (run)
			dev->model->bar_write(dev, bar, off + i, t->data + i,
					      run);
		else
			run = 1;
	}
}

/* ---- frames ---------------------------------------------------------- */

/*
 * Parse every TLP of the payload (the codec also enforces the PCIe rules
 * on byte enables and 4 KiB boundaries).  0 or the first error.
 */
int serve_validate(const struct ee_frame *f)
{
	const u8 *p = f->payload;
	size_t len = f->hdr.length;
	struct ee_tlp t;
	int n;

	while (len) {
		n = ee_tlp_parse(p, len, &t);
		if (n <= 0)
			return n < 0 ? n : -EE_ERR_TLP_LEN;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void serve_tlp(struct reply *r, const struct ee_tlp *t)
{
	switch (t->kind) {
	case EE_TLP_CFGRD0:
	case EE_TLP_CFGWR0:
	case EE_TLP_CFGRD1:
	case EE_TLP_CFGWR1:
		serve_cfg(r, t);
		break;
	case EE_TLP_MRD:
		serve_mrd(r, t);
		break;
	case EE_TLP_MWR:
		serve_mwr(r, t);
		break;
	default:
		/* Messages; completions we never asked for. */
		r->dev->st.tlp_ignored++;
		break;
	}
}

void serve_payload(struct box_host *host, const struct ee_frame *f)
{
	struct eebox_dev *dev = host->dev;
	const u8 *p = f->payload;
	size_t len = f->hdr.length;
	struct reply r;
	struct ee_tlp t;
	int n;

	r.host = host;
	r.dev = dev;
	r.len = 0;
	r.ntlps = 0;
	while (len) {
		n = ee_tlp_parse(p, len, &t);
		if (n <= 0)
			break;		/* cannot happen: validated */
		dev->st.rx_tlps++;
		serve_tlp(&r, &t);
		p += n;
		len -= (size_t)n;
	}
	reply_flush(&r);
	dev_save_state(dev);
}
