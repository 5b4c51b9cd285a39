// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: device-initiated DMA (see dma.h for the design).
 */
#include <errno.h>
#include <linux/pci_regs.h>

#include "box.h"
#include "dma.h"
#include "host.h"

enum {
	DMA_TAG_FREE,
	DMA_TAG_BUSY,		/* sent, completions expected */
	DMA_TAG_DONE,		/* complete or failed: the caller collects it */
	DMA_TAG_QUAR,		/* timed out: waits for its completions */
};

static const char *const dma_err_names[DMA_ERR__MAX] = {
	[0] = "ok",
	[DMA_ERR_UR] = "unsupported request (not mapped)",
	[DMA_ERR_CA] = "completer abort",
	[DMA_ERR_TIMEOUT] = "completion timeout",
	[DMA_ERR_BME] = "bus master disabled",
	[DMA_ERR_NOHOST] = "no connection to the owning host",
	[DMA_ERR_ABORT] = "aborted",
	[DMA_ERR_BAD] = "malformed completion",
};

const char *dma_err_str(int err)
{
	if (err < 0)
		err = -err;
	return err < DMA_ERR__MAX ? dma_err_names[err] : "?";
}

void dma_init(struct eebox_dev *dev, u64 timeout_ns)
{
	memset(&dev->dma, 0, sizeof(dev->dma));
	dev->dma.timeout_ns = timeout_ns;
}

unsigned int dma_mps(const struct eebox_dev *dev)
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
	/* A TLP (header up to 4 DW) must fit in one frame. */
	while (mps > 128 && mps + EE_TLP_MAX_HDR > EXPETHER_MAX_PAYLOAD)
		mps >>= 1;
	return mps;
}

unsigned int dma_mrrs(const struct eebox_dev *dev)
{
	unsigned int exp = cfg_find_cap(&dev->cfg, PCI_CAP_ID_EXP);

	if (!exp)
		return 128;
	return 128u << ((cfg_read(&dev->cfg, exp + PCI_EXP_DEVCTL, 2) &
			 PCI_EXP_DEVCTL_READRQ) >> 12);
}

/* The owning host, if the device may reach it now: 0 or -DMA_ERR_*. */
static int dma_host(struct eebox_dev *dev, struct box_host **h, u64 *conn)
{
	if (!dev->box)
		return -DMA_ERR_NOHOST;
	if (!dev_bus_master(dev) && !dev->dma.ignore_bme)
		return -DMA_ERR_BME;
	*h = dev->owner;
	*conn = *h ? host_conn_id(*h) : 0;
	if (!*conn)
		return -DMA_ERR_NOHOST;
	if (dev->box->stopping)
		return -DMA_ERR_ABORT;
	return 0;
}

static int dma_fail(struct eebox_dev *dev, int err)
{
	dev->dma.st.err[-err]++;
	return err;
}

int dma_post(struct eebox_dev *dev, struct ee_tlp *t)
{
	struct box_host *h = dev->owner;

	if (!dev->box || !h || !host_conn_id(h))
		return -DMA_ERR_NOHOST;
	t->req_id = dev->bdf;
	return host_tx_tlp(h, t) ? -DMA_ERR_NOHOST : 0;
}

/* ---- reads ----------------------------------------------------------- */

/* A free tag (expired quarantines are freed on the way), or -1. */
static int dma_alloc_tag(struct dma_state *d, u64 now)
{
	unsigned int i, tag;
	struct dma_tag *t;

	for (i = 0; i < 256; i++) {
		tag = (u8)(d->next_tag + i);
		t = &d->tags[tag];
		if (t->state == DMA_TAG_QUAR && now >= t->issued)
			t->state = DMA_TAG_FREE;
		if (t->state == DMA_TAG_FREE) {
			d->next_tag = (u8)(tag + 1);
			return (int)tag;
		}
	}
	return -1;
}

/* Is the request answered by the completion @t complete with it? */
static bool dma_cpl_last(const struct ee_tlp *t)
{
	return t->status != EE_CPL_SC || t->kind != EE_TLP_CPLD ||
	       (t->lower_addr & 3u) + t->byte_count <= t->length * 4u;
}

static void dma_tag_done(struct dma_state *d, struct dma_tag *tag, int err)
{
	tag->state = DMA_TAG_DONE;
	tag->err = (u8)err;
	d->done++;
}

void dma_cpl(struct eebox_dev *dev, struct box_host *host,
	     const struct ee_tlp *t)
{
	struct dma_state *d = &dev->dma;
	struct dma_tag *tag = &d->tags[t->tag];
	u32 off;
	int n;

	if (t->req_id != dev->bdf) {
		d->st.cpl_unexpected++;
		return;
	}
	if (tag->state == DMA_TAG_QUAR) {
		d->st.cpl_late++;
		if (dma_cpl_last(t))
			tag->state = DMA_TAG_FREE;
		return;
	}
	if (tag->state != DMA_TAG_BUSY || host != tag->host) {
		d->st.cpl_unexpected++;
		return;
	}
	d->st.cpls++;
	if (t->status != EE_CPL_SC) {
		dma_tag_done(d, tag, t->status == EE_CPL_UR ? DMA_ERR_UR :
				     t->status == EE_CPL_CA ? DMA_ERR_CA :
				     DMA_ERR_BAD);
		return;
	}
	n = ee_cpl_locate(tag->addr, tag->len, t, &off);
	if (n <= 0 || off != tag->got || t->ep) {
		d->st.cpl_bad++;
		/* More of its completions may come: keep the tag aside. */
		dma_tag_done(d, tag, DMA_ERR_BAD);
		if (!dma_cpl_last(t))
			tag->quarantine = true;
		return;
	}
	memcpy(tag->buf + off, t->data + (t->lower_addr & 3u), (size_t)n);
	tag->got += (u32)n;
	d->st.read_bytes += (u32)n;
	if ((u32)n == t->byte_count)
		dma_tag_done(d, tag, 0);
}

struct dma_wait {
	struct eebox_dev *dev;
	struct box_host *host;
	u64 conn;
	u64 done;		/* d->done when the wait began */
	u32 backlog;		/* for writes: wait until at most this */
	bool write;
};

static bool dma_progress(void *arg)
{
	struct dma_wait *w = arg;

	if (host_conn_id(w->host) != w->conn)
		return true;
	if (w->write)
		return conn_backlog(&w->host->conn) <= w->backlog;
	return w->dev->dma.done != w->done;
}

/* Run nested turns until something happens: 0 or -DMA_ERR_*. */
static int dma_wait(struct eebox_dev *dev, struct dma_wait *w, u64 deadline)
{
	struct dma_state *d = &dev->dma;
	u64 t0 = conn_now();
	int ret;

	host_tx_flush(w->host, t0);
	d->st.waits++;
	ret = box_wait(dev->box, dma_progress, w, deadline);
	d->st.wait_ns += conn_now() - t0;
	if (host_conn_id(w->host) != w->conn)
		return host_conn_id(w->host) ? -DMA_ERR_ABORT :
		       -DMA_ERR_NOHOST;
	if (ret == -ETIMEDOUT)
		return -DMA_ERR_TIMEOUT;
	if (ret)
		return -DMA_ERR_ABORT;
	return 0;
}

/*
 * Give up on every request still out: quarantine them (their completions
 * may yet come), or free them when the connection they went on is gone
 * (then nothing of it can).
 */
static void dma_abandon(struct eebox_dev *dev, u64 conn, u64 now)
{
	struct dma_state *d = &dev->dma;
	struct dma_tag *t;
	unsigned int i;

	for (i = 0; i < 256; i++) {
		t = &d->tags[i];
		if (t->state != DMA_TAG_BUSY)
			continue;
		if (t->host && host_conn_id(t->host) == conn && conn) {
			t->state = DMA_TAG_QUAR;
			t->issued = now + DMA_QUARANTINE_NS;
		} else {
			t->state = DMA_TAG_FREE;
		}
		d->inflight--;
	}
}

/* Collect finished requests: the first error, or 0. */
static int dma_collect(struct dma_state *d, u64 now)
{
	struct dma_tag *t;
	unsigned int i;
	int err = 0;

	for (i = 0; i < 256; i++) {
		t = &d->tags[i];
		if (t->state != DMA_TAG_DONE)
			continue;
		if (t->err && !err)
			err = -(int)t->err;
		if (t->quarantine) {
			t->state = DMA_TAG_QUAR;
			t->issued = now + DMA_QUARANTINE_NS;
			t->quarantine = false;
		} else {
			t->state = DMA_TAG_FREE;
		}
		d->inflight--;
	}
	return err;
}

/* When the oldest request in flight times out. */
static u64 dma_deadline(const struct dma_state *d)
{
	u64 oldest = ~0ULL;
	unsigned int i;

	for (i = 0; i < 256; i++)
		if (d->tags[i].state == DMA_TAG_BUSY &&
		    d->tags[i].issued < oldest)
			oldest = d->tags[i].issued;
	return oldest == ~0ULL ? conn_now() + d->timeout_ns :
	       oldest + d->timeout_ns;
}

int dma_readv(struct eebox_dev *dev, const struct dma_sg *sg, unsigned int n)
{
	struct dma_state *d = &dev->dma;
	struct dma_wait w = { .dev = dev };
	unsigned int i = 0, mrrs;
	bool refill;
	u32 pos = 0, len;
	struct dma_tag *tag;
	struct ee_tlp t;
	u64 now, addr;
	int ret, id;

	d->st.reads++;
	ret = dma_host(dev, &w.host, &w.conn);
	if (ret)
		return dma_fail(dev, ret);
	mrrs = dma_mrrs(dev);
	for (;;) {
		/* Send what the tags allow, in batches of DMA_REFILL (unless
		 * nothing is in flight): one frame of requests, whose
		 * completions the host can send together.
		 */
		now = conn_now();
		refill = d->inflight + DMA_REFILL <= DMA_MAX_INFLIGHT ||
			 !d->inflight;
		while (refill && i < n && d->inflight < DMA_MAX_INFLIGHT) {
			if (pos == sg[i].len) {
				i++;
				pos = 0;
				continue;
			}
			id = dma_alloc_tag(d, now);
			if (id < 0)
				break;
			addr = sg[i].addr + pos;
			len = sg[i].len - pos;
			/* Length (whole DWs) within MRRS and the page. */
			if (len > mrrs - (addr & 3))
				len = mrrs - (u32)(addr & 3);
			if (len > 0x1000 - (addr & 0xfff))
				len = (u32)(0x1000 - (addr & 0xfff));
			if (ee_tlp_init_mem(&t, false, dev->bdf, (u8)id, addr,
					    len, NULL) ||
			    host_tx_tlp(w.host, &t)) {
				ret = -DMA_ERR_BAD;	/* cannot happen */
				break;
			}
			tag = &d->tags[id];
			tag->state = DMA_TAG_BUSY;
			tag->err = 0;
			tag->quarantine = false;
			tag->addr = addr;
			tag->len = len;
			tag->got = 0;
			tag->buf = (u8 *)sg[i].buf + pos;
			tag->issued = now;
			tag->host = w.host;
			d->inflight++;
			d->st.mrd_tlps++;
			pos += len;
		}
		if (!d->inflight) {
			if (i < n && !ret)
				ret = -DMA_ERR_TIMEOUT;	/* every tag stuck */
			break;
		}
		if (ret)
			break;
		w.done = d->done;
		ret = dma_wait(dev, &w, dma_deadline(d));
		if (!ret)
			ret = dma_collect(d, conn_now());
		if (ret)
			break;
	}
	if (ret) {
		dma_collect(d, conn_now());
		dma_abandon(dev, host_conn_id(w.host), conn_now());
		return dma_fail(dev, ret);
	}
	return 0;
}

int dma_read(struct eebox_dev *dev, u64 addr, void *buf, u32 len)
{
	struct dma_sg sg = { .addr = addr, .buf = buf, .len = len };

	return dma_readv(dev, &sg, 1);
}

/* ---- writes ---------------------------------------------------------- */

int dma_writev(struct eebox_dev *dev, const struct dma_sg *sg,
	       unsigned int n)
{
	struct dma_state *d = &dev->dma;
	struct dma_wait w = { .dev = dev, .write = true,
			      .backlog = DMA_TX_BACKLOG / 2 };
	u8 tmp[4 + EE_TLP_MAX_DW * 4];
	unsigned int i, mps;
	struct ee_tlp t;
	u32 pos, len;
	u64 addr;
	int ret;

	d->st.writes++;
	ret = dma_host(dev, &w.host, &w.conn);
	if (ret)
		return dma_fail(dev, ret);
	mps = dma_mps(dev);
	for (i = 0; i < n; i++) {
		for (pos = 0; pos < sg[i].len; pos += len) {
			if (host_conn_id(w.host) != w.conn)	/* gone */
				return dma_fail(dev, host_conn_id(w.host) ?
						-DMA_ERR_ABORT :
						-DMA_ERR_NOHOST);
			addr = sg[i].addr + pos;
			len = sg[i].len - pos;
			/* Length (whole DWs) within MPS and the page. */
			if (len > mps - (addr & 3))
				len = mps - (u32)(addr & 3);
			if (len > 0x1000 - (addr & 0xfff))
				len = (u32)(0x1000 - (addr & 0xfff));
			/* The data DWs, the first byte at addr & 3. */
			memset(tmp, 0, 4);
			memcpy(tmp + (addr & 3), (const u8 *)sg[i].buf + pos,
			       len);
			memset(tmp + (addr & 3) + len, 0, 4);
			if (ee_tlp_init_mem(&t, true, dev->bdf, 0, addr, len,
					    tmp) ||
			    host_tx_tlp(w.host, &t))
				return dma_fail(dev, -DMA_ERR_BAD);
			d->st.mwr_tlps++;
			d->st.write_bytes += len;
			if (conn_backlog(&w.host->conn) > DMA_TX_BACKLOG) {
				/* Flow control: let the link drain. */
				d->st.backlog_waits++;
				ret = dma_wait(dev, &w,
					       conn_now() + d->timeout_ns);
				if (ret)
					return dma_fail(dev, ret);
			}
		}
	}
	return 0;
}

int dma_write(struct eebox_dev *dev, u64 addr, const void *buf, u32 len)
{
	struct dma_sg sg = { .addr = addr, .buf = (void *)buf, .len = len };

	return dma_writev(dev, &sg, 1);
}

int dma_read_le16(struct eebox_dev *dev, u64 addr, u16 *v)
{
	u8 b[2];
	int ret = dma_read(dev, addr, b, 2);

	*v = (u16)(b[0] | b[1] << 8);
	return ret;
}

int dma_read_le32(struct eebox_dev *dev, u64 addr, u32 *v)
{
	u8 b[4];
	int ret = dma_read(dev, addr, b, 4);

	*v = (u32)b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
	return ret;
}

int dma_write_le16(struct eebox_dev *dev, u64 addr, u16 v)
{
	u8 b[2] = { (u8)v, (u8)(v >> 8) };

	return dma_write(dev, addr, b, 2);
}

int dma_write_le32(struct eebox_dev *dev, u64 addr, u32 v)
{
	u8 b[4] = { (u8)v, (u8)(v >> 8), (u8)(v >> 16), (u8)(v >> 24) };

	return dma_write(dev, addr, b, 4);
}

/* ---- counters -------------------------------------------------------- */

#define U(x)	((unsigned long long)(x))

void dma_print_stats(const struct eebox_dev *dev, FILE *f,
		     const char *prefix)
{
	const struct dma_stats *st = &dev->dma.st;
	unsigned int e;

	if (!st->reads && !st->writes && !st->cpl_unexpected)
		return;
	fprintf(f,
		"%sDMA: %llu reads (%llu bytes, %llu MRd), %llu writes (%llu bytes, %llu MWr), %llu completions, %llu late, %llu unexpected, %llu bad; %llu waits (%llu us), %llu for the link\n",
		prefix, U(st->reads), U(st->read_bytes), U(st->mrd_tlps),
		U(st->writes), U(st->write_bytes), U(st->mwr_tlps),
		U(st->cpls), U(st->cpl_late), U(st->cpl_unexpected),
		U(st->cpl_bad), U(st->waits), U(st->wait_ns / 1000),
		U(st->backlog_waits));
	for (e = 1; e < DMA_ERR__MAX; e++)
		if (st->err[e])
			fprintf(f, "%sDMA: %llu failed: %s\n", prefix,
				U(st->err[e]), dma_err_names[e]);
}

void dma_write_stats(const struct eebox_dev *dev, FILE *f)
{
	const struct dma_stats *st = &dev->dma.st;

	fprintf(f, "dma_reads %llu\n", U(st->reads));
	fprintf(f, "dma_read_bytes %llu\n", U(st->read_bytes));
	fprintf(f, "dma_writes %llu\n", U(st->writes));
	fprintf(f, "dma_write_bytes %llu\n", U(st->write_bytes));
	fprintf(f, "dma_mrd_tlps %llu\n", U(st->mrd_tlps));
	fprintf(f, "dma_mwr_tlps %llu\n", U(st->mwr_tlps));
	fprintf(f, "dma_cpls %llu\n", U(st->cpls));
	fprintf(f, "dma_cpl_late %llu\n", U(st->cpl_late));
	fprintf(f, "dma_cpl_unexpected %llu\n", U(st->cpl_unexpected));
	fprintf(f, "dma_cpl_bad %llu\n", U(st->cpl_bad));
	fprintf(f, "dma_err_ur %llu\n", U(st->err[DMA_ERR_UR]));
	fprintf(f, "dma_err_ca %llu\n", U(st->err[DMA_ERR_CA]));
	fprintf(f, "dma_err_timeout %llu\n", U(st->err[DMA_ERR_TIMEOUT]));
	fprintf(f, "dma_err_bme %llu\n", U(st->err[DMA_ERR_BME]));
	fprintf(f, "dma_err_nohost %llu\n", U(st->err[DMA_ERR_NOHOST]));
	fprintf(f, "dma_err_abort %llu\n", U(st->err[DMA_ERR_ABORT]));
	fprintf(f, "dma_err_bad %llu\n", U(st->err[DMA_ERR_BAD]));
	fprintf(f, "dma_waits %llu\n", U(st->waits));
}
