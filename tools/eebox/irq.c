// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: MSI-X, MSI and INTx of device models (see irq.h).
 */
#include <stdlib.h>
#include <linux/pci_regs.h>

#include "device.h"
#include "dma.h"
#include "host.h"
#include "irq.h"

#define PBA_BYTES(n)	((((n) + 63) / 64) * 8)

static u32 le32_at(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* ---- setup ----------------------------------------------------------- */

int irq_add_msix(struct eebox_dev *dev, unsigned int nvec,
		 unsigned int table_bar, u64 table_off,
		 unsigned int pba_bar, u64 pba_off)
{
	struct irq_state *q = &dev->irq;
	struct cfgspace *cs = &dev->cfg;
	unsigned int i;
	int cap;

	if (!nvec || nvec > IRQ_MSIX_MAX || (table_off & 7) || (pba_off & 7) ||
	    table_bar > 5 || pba_bar > 5 || table_off > 0xfffffff8u ||
	    pba_off > 0xfffffff8u)
		return -1;
	if (table_bar == pba_bar &&
	    table_off < pba_off + PBA_BYTES(nvec) &&
	    pba_off < table_off + (u64)nvec * IRQ_MSIX_ENTRY)
		return -1;
	cap = cfg_add_cap(cs, PCI_CAP_ID_MSIX, PCI_CAP_MSIX_SIZEOF);
	if (cap < 0)
		return -1;
	q->table = calloc(nvec, IRQ_MSIX_ENTRY);
	q->pba = calloc(1, PBA_BYTES(nvec));
	if (!q->table || !q->pba) {
		irq_release(dev);
		return -1;
	}
	q->msix_cap = (unsigned int)cap;
	q->msix_nvec = nvec;
	q->table_bar = table_bar;
	q->table_off = table_off;
	q->pba_bar = pba_bar;
	q->pba_off = pba_off;
	cfg_set(cs, cap + PCI_MSIX_FLAGS, 2, nvec - 1);
	cfg_set_rw(cs, cap + PCI_MSIX_FLAGS, 2,
		   PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	cfg_set(cs, cap + PCI_MSIX_TABLE, 4, (u32)table_off | table_bar);
	cfg_set(cs, cap + PCI_MSIX_PBA, 4, (u32)pba_off | pba_bar);
	/* Vectors come out of reset masked. */
	for (i = 0; i < nvec; i++)
		q->table[i * IRQ_MSIX_ENTRY + PCI_MSIX_ENTRY_VECTOR_CTRL] =
			PCI_MSIX_ENTRY_CTRL_MASKBIT;
	return cap;
}

int irq_add_msi(struct eebox_dev *dev, unsigned int nvec, bool maskable)
{
	struct irq_state *q = &dev->irq;
	struct cfgspace *cs = &dev->cfg;
	unsigned int mmc = 0, len = maskable ? 24 : 14;
	int cap;

	if (!nvec || nvec > 32 || (nvec & (nvec - 1)))
		return -1;
	while ((1u << mmc) < nvec)
		mmc++;
	cap = cfg_add_cap(cs, PCI_CAP_ID_MSI, len);
	if (cap < 0)
		return -1;
	q->msi_cap = (unsigned int)cap;
	q->msi_nvec = nvec;
	q->msi_64 = true;
	q->msi_mask = maskable;
	cfg_set(cs, cap + PCI_MSI_FLAGS, 2,
		mmc << 1 | PCI_MSI_FLAGS_64BIT |
		(maskable ? PCI_MSI_FLAGS_MASKBIT : 0));
	cfg_set_rw(cs, cap + PCI_MSI_FLAGS, 2,
		   PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
	cfg_set_rw(cs, cap + PCI_MSI_ADDRESS_LO, 4, 0xfffffffc);
	cfg_set_rw(cs, cap + PCI_MSI_ADDRESS_HI, 4, 0xffffffff);
	cfg_set_rw(cs, cap + PCI_MSI_DATA_64, 2, 0xffff);
	if (maskable)
		cfg_set_rw(cs, cap + PCI_MSI_MASK_64, 4,
			   nvec == 32 ? 0xffffffffu : (1u << nvec) - 1);
	return cap;
}

void irq_add_intx(struct eebox_dev *dev, u8 pin)
{
	dev->irq.pin = pin;
	cfg_set(&dev->cfg, PCI_INTERRUPT_PIN, 1, pin);
	cfg_set_rw(&dev->cfg, PCI_INTERRUPT_LINE, 1, 0xff);
}

void irq_release(struct eebox_dev *dev)
{
	free(dev->irq.table);
	free(dev->irq.pba);
	dev->irq.table = NULL;
	dev->irq.pba = NULL;
}

/* ---- state ----------------------------------------------------------- */

static u16 cmd(const struct eebox_dev *dev)
{
	return (u16)cfg_read(&dev->cfg, PCI_COMMAND, 2);
}

static u16 msix_ctrl(const struct eebox_dev *dev)
{
	if (!dev->irq.msix_cap)
		return 0;
	return (u16)cfg_read(&dev->cfg, dev->irq.msix_cap + PCI_MSIX_FLAGS,
			     2);
}

static u16 msi_ctrl(const struct eebox_dev *dev)
{
	if (!dev->irq.msi_cap)
		return 0;
	return (u16)cfg_read(&dev->cfg, dev->irq.msi_cap + PCI_MSI_FLAGS, 2);
}

enum irq_mode irq_mode(const struct eebox_dev *dev)
{
	if (msix_ctrl(dev) & PCI_MSIX_FLAGS_ENABLE)
		return IRQ_MODE_MSIX;
	if (msi_ctrl(dev) & PCI_MSI_FLAGS_ENABLE)
		return IRQ_MODE_MSI;
	if (dev->irq.pin && !(cmd(dev) & PCI_COMMAND_INTX_DISABLE))
		return IRQ_MODE_INTX;
	return IRQ_MODE_NONE;
}

/* One DW write of @data to @addr: an MSI or MSI-X message. */
static bool irq_send(struct eebox_dev *dev, u64 addr, u32 data)
{
	u8 b[4] = { (u8)data, (u8)(data >> 8), (u8)(data >> 16),
		    (u8)(data >> 24) };
	struct ee_tlp t;

	if (!dev_bus_master(dev)) {
		dev->irq.st.blocked++;
		return false;
	}
	if (!addr || (addr & 3)) {
		dev->irq.st.bad_addr++;
		return false;
	}
	if (ee_tlp_init_mem(&t, true, dev->bdf, 0, addr, 4, b) ||
	    dma_post(dev, &t)) {
		dev->irq.st.blocked++;
		return false;
	}
	return true;
}

/* ---- MSI-X ----------------------------------------------------------- */

static bool msix_pending(const struct irq_state *q, unsigned int v)
{
	return q->pba[v / 8] & (1u << (v % 8));
}

static void msix_set_pending(struct irq_state *q, unsigned int v, bool on)
{
	if (on)
		q->pba[v / 8] |= (u8)(1u << (v % 8));
	else
		q->pba[v / 8] &= (u8)~(1u << (v % 8));
}

bool irq_msix_pending(const struct eebox_dev *dev, unsigned int vector)
{
	return vector < dev->irq.msix_nvec && msix_pending(&dev->irq, vector);
}

static bool msix_masked(const struct eebox_dev *dev, unsigned int v)
{
	const u8 *e = dev->irq.table + v * IRQ_MSIX_ENTRY;

	return (msix_ctrl(dev) & PCI_MSIX_FLAGS_MASKALL) ||
	       (e[PCI_MSIX_ENTRY_VECTOR_CTRL] & PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

static void msix_send(struct eebox_dev *dev, unsigned int v)
{
	const u8 *e = dev->irq.table + v * IRQ_MSIX_ENTRY;
	u64 addr = le32_at(e + PCI_MSIX_ENTRY_LOWER_ADDR) |
		   (u64)le32_at(e + PCI_MSIX_ENTRY_UPPER_ADDR) << 32;

	if (irq_send(dev, addr, le32_at(e + PCI_MSIX_ENTRY_DATA)))
		dev->irq.st.msix_sent++;
}

/* Deliver what is pending and no longer masked. */
static void msix_unpend(struct eebox_dev *dev)
{
	struct irq_state *q = &dev->irq;
	unsigned int v;

	if (!q->msix_cap || !(msix_ctrl(dev) & PCI_MSIX_FLAGS_ENABLE) ||
	    (msix_ctrl(dev) & PCI_MSIX_FLAGS_MASKALL))
		return;
	for (v = 0; v < q->msix_nvec; v++) {
		if (!msix_pending(q, v) || msix_masked(dev, v))
			continue;
		msix_set_pending(q, v, false);
		q->st.msix_unpended++;
		msix_send(dev, v);
	}
}

/* Write one byte of the table, as its field allows. */
static void msix_table_write(struct irq_state *q, u64 o, u8 val)
{
	unsigned int field = (unsigned int)(o % IRQ_MSIX_ENTRY);

	if (field == PCI_MSIX_ENTRY_LOWER_ADDR)
		val &= 0xfc;			/* DW aligned */
	else if (field == PCI_MSIX_ENTRY_VECTOR_CTRL)
		val &= PCI_MSIX_ENTRY_CTRL_MASKBIT;
	else if (field > PCI_MSIX_ENTRY_VECTOR_CTRL)
		val = 0;			/* reserved */
	q->table[o] = val;
}

long irq_bar_rw(struct eebox_dev *dev, unsigned int bar, u64 off, u8 *buf,
		size_t len, bool write)
{
	struct irq_state *q = &dev->irq;
	u64 tend = q->table_off + (u64)q->msix_nvec * IRQ_MSIX_ENTRY;
	u64 pend = q->pba_off + PBA_BYTES(q->msix_nvec);
	u64 next = off + len, n, i;

	if (!q->msix_cap)
		return -(long)len;
	if (bar == q->table_bar && off >= q->table_off && off < tend) {
		n = tend - off < len ? tend - off : len;
		for (i = 0; i < n; i++) {
			if (write)
				msix_table_write(q, off - q->table_off + i,
						 buf[i]);
			else
				buf[i] = q->table[off - q->table_off + i];
		}
		if (write)
			msix_unpend(dev);
		return (long)n;
	}
	if (bar == q->pba_bar && off >= q->pba_off && off < pend) {
		n = pend - off < len ? pend - off : len;
		if (!write)		/* the PBA is read-only */
			memcpy(buf, q->pba + (off - q->pba_off), n);
		return (long)n;
	}
	/* Not ours: how far the model's part goes. */
	if (bar == q->table_bar && q->table_off > off && q->table_off < next)
		next = q->table_off;
	if (bar == q->pba_bar && q->pba_off > off && q->pba_off < next)
		next = q->pba_off;
	return -(long)(next - off);
}

/* ---- MSI ------------------------------------------------------------- */

static unsigned int msi_enabled_vectors(const struct eebox_dev *dev)
{
	unsigned int n = 1u << ((msi_ctrl(dev) & PCI_MSI_FLAGS_QSIZE) >> 4);

	return n > dev->irq.msi_nvec ? dev->irq.msi_nvec : n;
}

unsigned int irq_msi_vectors(const struct eebox_dev *dev)
{
	if (!(msi_ctrl(dev) & PCI_MSI_FLAGS_ENABLE))
		return 0;
	return msi_enabled_vectors(dev);
}

static void msi_send(struct eebox_dev *dev, unsigned int v)
{
	unsigned int cap = dev->irq.msi_cap, n = msi_enabled_vectors(dev);
	u64 addr = cfg_read(&dev->cfg, cap + PCI_MSI_ADDRESS_LO, 4) |
		   (u64)cfg_read(&dev->cfg, cap + PCI_MSI_ADDRESS_HI, 4) << 32;
	u32 data = cfg_read(&dev->cfg, cap + PCI_MSI_DATA_64, 2);

	data = (data & ~(n - 1)) | v;
	if (irq_send(dev, addr, data))
		dev->irq.st.msi_sent++;
}

static void msi_notify(struct eebox_dev *dev, unsigned int v)
{
	struct irq_state *q = &dev->irq;
	unsigned int n = msi_enabled_vectors(dev);
	u32 mask, pend;

	if (v >= n)
		v = n - 1;
	if (q->msi_mask) {
		mask = cfg_read(&dev->cfg, q->msi_cap + PCI_MSI_MASK_64, 4);
		if (mask & (1u << v)) {
			pend = cfg_read(&dev->cfg,
					q->msi_cap + PCI_MSI_PENDING_64, 4);
			cfg_set(&dev->cfg, q->msi_cap + PCI_MSI_PENDING_64, 4,
				pend | 1u << v);
			q->st.msi_pended++;
			return;
		}
	}
	msi_send(dev, v);
}

static void msi_unpend(struct eebox_dev *dev)
{
	struct irq_state *q = &dev->irq;
	u32 mask, pend, v;

	if (!q->msi_mask || !(msi_ctrl(dev) & PCI_MSI_FLAGS_ENABLE))
		return;
	mask = cfg_read(&dev->cfg, q->msi_cap + PCI_MSI_MASK_64, 4);
	pend = cfg_read(&dev->cfg, q->msi_cap + PCI_MSI_PENDING_64, 4);
	for (v = 0; v < q->msi_nvec; v++) {
		if (!(pend & (1u << v)) || (mask & (1u << v)))
			continue;
		pend &= ~(1u << v);
		cfg_set(&dev->cfg, q->msi_cap + PCI_MSI_PENDING_64, 4, pend);
		msi_send(dev, v);
	}
}

/* ---- INTx ------------------------------------------------------------ */

static void intx_update(struct eebox_dev *dev)
{
	struct irq_state *q = &dev->irq;
	bool eff = q->intx_cond && irq_mode(dev) == IRQ_MODE_INTX;
	u64 conn = dev->owner ? host_conn_id(dev->owner) : 0;
	struct ee_tlp t;
	u8 code;

	/* A new host (or connection) knows of no assertion. */
	if (conn != q->intx_conn) {
		q->intx_sent = false;
		q->intx_conn = conn;
	}
	if (!q->pin || eff == q->intx_sent)
		return;
	code = eff ? EE_MSG_ASSERT_INTX(q->pin - 1) :
		     EE_MSG_DEASSERT_INTX(q->pin - 1);
	ee_tlp_init_msg(&t, dev->bdf, code, EE_MSG_ROUTE_LOCAL);
	if (dma_post(dev, &t))
		return;		/* no host: try again at the next change */
	q->intx_sent = eff;
	if (eff)
		q->st.intx_assert++;
	else
		q->st.intx_deassert++;
}

void irq_intx(struct eebox_dev *dev, bool level)
{
	u16 st = (u16)cfg_get(&dev->cfg, PCI_STATUS, 2);

	dev->irq.intx_cond = level;
	if (level)
		st |= PCI_STATUS_INTERRUPT;
	else
		st &= (u16)~PCI_STATUS_INTERRUPT;
	cfg_set(&dev->cfg, PCI_STATUS, 2, st);
	intx_update(dev);
}

/* ---- events ---------------------------------------------------------- */

void irq_notify(struct eebox_dev *dev, unsigned int vector)
{
	struct irq_state *q = &dev->irq;

	switch (irq_mode(dev)) {
	case IRQ_MODE_MSIX:
		if (vector >= q->msix_nvec) {
			q->st.dropped++;
			return;
		}
		if (msix_masked(dev, vector)) {
			msix_set_pending(q, vector, true);
			q->st.msix_pended++;
			return;
		}
		msix_send(dev, vector);
		return;
	case IRQ_MODE_MSI:
		msi_notify(dev, vector);
		return;
	default:
		q->st.dropped++;
		return;
	}
}

void irq_cfg_written(struct eebox_dev *dev, unsigned int reg)
{
	(void)reg;	/* cheap enough to look at everything */
	msix_unpend(dev);
	msi_unpend(dev);
	intx_update(dev);
}

/* ---- counters -------------------------------------------------------- */

#define U(x)	((unsigned long long)(x))

void irq_print_stats(const struct eebox_dev *dev, FILE *f,
		     const char *prefix)
{
	const struct irq_stats *st = &dev->irq.st;

	if (!st->msix_sent && !st->msix_pended && !st->msi_sent &&
	    !st->intx_assert && !st->blocked && !st->dropped &&
	    !st->bad_addr)
		return;
	fprintf(f,
		"%sinterrupts: MSI-X %llu sent, %llu pended, %llu delivered on unmask; MSI %llu sent, %llu pended; INTx %llu asserts, %llu deasserts; %llu blocked (bus master off), %llu bad address, %llu with no mode enabled\n",
		prefix, U(st->msix_sent), U(st->msix_pended),
		U(st->msix_unpended), U(st->msi_sent), U(st->msi_pended),
		U(st->intx_assert), U(st->intx_deassert), U(st->blocked),
		U(st->bad_addr), U(st->dropped));
}

void irq_write_stats(const struct eebox_dev *dev, FILE *f)
{
	const struct irq_stats *st = &dev->irq.st;

	fprintf(f, "irq_msix_sent %llu\n", U(st->msix_sent));
	fprintf(f, "irq_msix_pended %llu\n", U(st->msix_pended));
	fprintf(f, "irq_msix_unpended %llu\n", U(st->msix_unpended));
	fprintf(f, "irq_msi_sent %llu\n", U(st->msi_sent));
	fprintf(f, "irq_msi_pended %llu\n", U(st->msi_pended));
	fprintf(f, "irq_intx_assert %llu\n", U(st->intx_assert));
	fprintf(f, "irq_intx_deassert %llu\n", U(st->intx_deassert));
	fprintf(f, "irq_blocked %llu\n", U(st->blocked));
	fprintf(f, "irq_bad_addr %llu\n", U(st->bad_addr));
	fprintf(f, "irq_dropped %llu\n", U(st->dropped));
}
