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

#include "dma.h"
#include "host.h"
#include "irq.h"
#include "serve.h"

#define RCB		128	/* an endpoint's Read Completion Boundary */

/* The requests of one frame from one host. */
struct reply {
	struct box_host *host;
	struct eebox_dev *dev;
};

static void reply_cpl(struct reply *r, const struct ee_tlp *req, u16 cpl_id,
		      u8 status, const u8 *data, u16 length_dw,
		      u16 byte_count, u8 lower_addr)
{
	struct ee_tlp c;

	if (status != EE_CPL_SC)
		r->dev->st.cpl_ur++;
	ee_tlp_init_cpl(&c, req, cpl_id, status, data, length_dw, byte_count,
			lower_addr);
	host_tx_tlp(r->host, &c);
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
		/*
		 * Functions capture their bus and device number here; the
		 * host that configures the device owns it: its DMA and
		 * interrupts go there (dma.h).
		 */
		dev->bdf = t->target_id;
		dev->owner = r->host;
		dev->cfg_dirty = true;
		irq_cfg_written(dev, t->reg);
		if (dev->model->cfg_written)
			dev->model->cfg_written(dev, t->reg);
		reply_cpl(r, t, t->target_id, EE_CPL_SC, NULL, 0, 4, 0);
	} else {
		cfg_read_dw(&dev->cfg, t->reg, data);
		reply_cpl(r, t, t->target_id, EE_CPL_SC, data, 1, 4, 0);
	}
}

/* ---- memory requests ------------------------------------------------- */

static void serve_mrd(struct reply *r, const struct ee_tlp *t)
{
	struct eebox_dev *dev = r->dev;
	unsigned int nbytes = t->length * 4u, mps, pos;
	u8 buf[EE_TLP_MAX_DW * 4];
	struct ee_cpl_part p;
	unsigned int bar;
	u64 off;

	if (!cfg_bar_decode(&dev->cfg, t->addr, nbytes, &bar, &off)) {
		ee_cpl_split(t, 0, RCB, RCB, &p);
		reply_cpl(r, t, dev->bdf, EE_CPL_UR, NULL, 0, p.byte_count,
			  p.lower_addr);
		return;
	}
	dev->model->bar_read(dev, bar, off, buf, nbytes);

	/*
	 * Every completion but the last ends on an RCB boundary; none
	 * carries more than Max_Payload_Size.
	 */
	mps = dma_mps(dev);
	for (pos = 0; pos < nbytes; ) {
		pos = ee_cpl_split(t, pos, RCB, mps, &p);
		reply_cpl(r, t, dev->bdf, EE_CPL_SC, buf + p.offset,
			  p.length_dw, p.byte_count, p.lower_addr);
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
		     ee_tlp_byte_enabled(t, i + run); run++)
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
	case EE_TLP_CPL:
	case EE_TLP_CPLD:
		/* Answers to the device's reads (DMA). */
		dma_cpl(r->dev, r->host, t);
		break;
	default:
		/* Messages. */
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
	while (len) {
		n = ee_tlp_parse(p, len, &t);
		if (n <= 0)
			break;		/* cannot happen: validated */
		dev->st.rx_tlps++;
		serve_tlp(&r, &t);
		p += n;
		len -= (size_t)n;
	}
	host_tx_flush(host, conn_now());
	dev_save_state(dev);
}
