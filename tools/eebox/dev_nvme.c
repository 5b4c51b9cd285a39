// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: "nvme", an NVM Express 1.3 controller with one namespace, enough
 * for the stock Linux driver (drivers/nvme/host/pci.c and core.c).
 *
 * Identity: 1033:ee02 rev 01, class 010802 (NVM Express), subsystem
 * 1033:ee02, Interrupt Pin INTA.  BAR0/1: 64-bit non-prefetchable, 16 KiB:
 *
 *   0x0000  controller registers: CAP, VS, INTMS, INTMC, CC, CSTS, NSSR
 *           (0: not supported), AQA, ASQ, ACQ, CMBLOC/CMBSZ (0: no CMB)
 *   0x1000  doorbells, CAP.DSTRD 0: SQ y tail at 0x1000 + 8y, CQ y head
 *           at 0x1004 + 8y
 *   0x2000  MSI-X table (queues + 1 vectors)
 *   0x3000  MSI-X PBA
 *
 * Configuration: 0x40 PCI PM, 0x48 PCI Express v2 endpoint, 0x84 MSI-X,
 * 0x90 MSI (64-bit, per-vector masking, queues + 1 vectors rounded up to
 * a power of two, at most 32).  Interrupts: MSI-X, else MSI (INTMS/INTMC
 * mask vectors, what they held back is sent on INTMC), else INTx.
 * No I/O BAR, no CMB, no SGLs.
 *
 * Options: size=SIZE (namespace bytes, K/M/G/T suffix, a multiple of 4K,
 * 1M..16T; default 64M, or the file's size), file=PATH (backing file,
 * created if missing and extended to size=; without it, memory),
 * queues=N (I/O queue pairs, 1..64, default 8), serial=STR (20 chars).
 *
 * CAP: MQES 1023, CQR (contiguous queues), TO 30 (15 s), DSTRD 0, CSS
 * NVM, MPSMIN = MPSMAX = 4 KiB.  VS 1.3.0.  Identify: MDTS 5 (128 KiB),
 * ACL 3, AERL 3, VWC present, SQES 0x66, CQES 0x44, NN 1, ONCS 0, SGLS 0,
 * WCTEMP/CCTEMP set (hwmon reads the SMART log).  Namespace 1: 512-byte
 * LBAs, no metadata, EUI-64, NGUID and UUID derived from the bridge MAC.
 *
 * Admin commands: Delete/Create I/O SQ and CQ, Get Log Page (error
 * information, SMART / health, firmware slot), Identify (CNS 0, 1, 2, 3,
 * and 5/6 for the NVM command set: zeros), Abort (never aborts: commands
 * run to completion before the next is fetched), Set/Get Features
 * (Arbitration, Power Management, Temperature Threshold, Error Recovery,
 * Volatile Write Cache, Number of Queues, Interrupt Coalescing, Interrupt
 * Vector Configuration, Write Atomicity, Async Event Configuration,
 * Timestamp; others Invalid Field), Asynchronous Event Request (kept
 * outstanding: no events are ever reported).  I/O: Flush, Write, Read
 * with PRP1/PRP2 and PRP lists (chained), DMA through dma.h; a failed
 * DMA completes the command with Data Transfer Error.
 *
 * Commands run as model work: one SQ entry after the other, admin queue
 * first, then the I/O queues round robin, at most a batch per queue per
 * turn; completions are posted after the data, the interrupt after the
 * completions.  CC.EN 1 -> 0 resets the controller (queues deleted,
 * outstanding AERs dropped) and CC.SHN reports shutdown complete in
 * CSTS.SHST; both take effect between commands, CSTS tells when.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <linux/pci_regs.h>

#include "device.h"
#include "dma.h"
#include "irq.h"
#include "parse.h"
#include "pcicap.h"

#define NVME_DEVICE_ID		0xee02
#define NVME_CLASS		0x010802u
#define NVME_BAR_SIZE		0x4000
#define NVME_MSIX_TABLE		0x2000
#define NVME_MSIX_PBA		0x3000
#define NVME_QUEUES_MAX		64
#define NVME_QUEUES_DEFAULT	8
#define NVME_SIZE_DEFAULT	(64ULL << 20)
#define NVME_SIZE_MIN		(1ULL << 20)
#define NVME_SIZE_MAX		(16ULL << 40)
#define NVME_MQES		1023
#define NVME_MDTS		5		/* 2^5 pages: 128 KiB */
#define NVME_PAGE		4096u
#define NVME_MAX_XFER		(NVME_PAGE << NVME_MDTS)
#define NVME_LBA_SHIFT		9
#define NVME_AERL		3		/* 0-based: 4 outstanding */
#define NVME_BATCH		16		/* SQ entries per queue per turn */

/* Registers */
#define REG_CAP			0x00
#define REG_VS			0x08
#define REG_INTMS		0x0c
#define REG_INTMC		0x10
#define REG_CC			0x14
#define REG_CSTS		0x1c
#define REG_NSSR		0x20
#define REG_AQA			0x24
#define REG_ASQ			0x28
#define REG_ACQ			0x30
#define REG_DBS			0x1000

#define CC_EN			0x1
#define CC_CSS(cc)		(((cc) >> 4) & 7)
#define CC_MPS(cc)		(((cc) >> 7) & 0xf)
#define CC_AMS(cc)		(((cc) >> 11) & 7)
#define CC_SHN(cc)		(((cc) >> 14) & 3)
#define CC_IOSQES(cc)		(((cc) >> 16) & 0xf)
#define CC_IOCQES(cc)		(((cc) >> 20) & 0xf)
#define CC_RW			0x00fffff1u
#define CSTS_RDY		0x1
#define CSTS_CFS		0x2
#define CSTS_SHST_OCCUR		0x4
#define CSTS_SHST_CMPLT		0x8

/* Status: SCT << 8 | SC; DNR added on posting errors */
#define SC_SUCCESS		0x000
#define SC_INVALID_OPCODE	0x001
#define SC_INVALID_FIELD	0x002
#define SC_DATA_XFER_ERROR	0x004
#define SC_INVALID_NS		0x00b
#define SC_PRP_INVALID_OFFSET	0x013
#define SC_LBA_RANGE		0x080
#define SC_CQ_INVALID		0x100
#define SC_QID_INVALID		0x101
#define SC_QUEUE_SIZE		0x102
#define SC_ASYNC_LIMIT		0x105
#define SC_INVALID_VECTOR	0x108
#define SC_INVALID_LOG_PAGE	0x109
#define SC_QUEUE_DELETE		0x10c
#define SC_DNR			0x4000

/* Opcodes */
#define ADM_DELETE_SQ		0x00
#define ADM_CREATE_SQ		0x01
#define ADM_GET_LOG		0x02
#define ADM_DELETE_CQ		0x04
#define ADM_CREATE_CQ		0x05
#define ADM_IDENTIFY		0x06
#define ADM_ABORT		0x08
#define ADM_SET_FEATURES	0x09
#define ADM_GET_FEATURES	0x0a
#define ADM_AER			0x0c
#define IO_FLUSH		0x00
#define IO_WRITE		0x01
#define IO_READ			0x02

/* Features */
#define FEAT_ARBITRATION	0x01
#define FEAT_POWER_MGMT		0x02
#define FEAT_TEMP_THRESH	0x04
#define FEAT_ERR_RECOVERY	0x05
#define FEAT_VOLATILE_WC	0x06
#define FEAT_NUM_QUEUES		0x07
#define FEAT_IRQ_COALESCE	0x08
#define FEAT_IRQ_CONFIG		0x09
#define FEAT_WRITE_ATOMIC	0x0a
#define FEAT_ASYNC_EVENT	0x0b
#define FEAT_TIMESTAMP		0x0e
#define NFEAT			0x10

struct nvme_sq {
	bool live;
	u64 base;
	u16 size;		/* entries */
	u16 head, tail;
	u16 cqid;
};

struct nvme_cq {
	bool live;
	u64 base;
	u16 size;
	u16 head, tail;
	bool phase;		/* the phase tag of the next entry */
	bool ien;
	u16 iv;
	u16 nsq;		/* SQs that post here */
	bool notify;		/* entries posted since the last interrupt */
};

struct nvme {
	/* options */
	u64 size;
	const char *file;
	unsigned int queues;
	char serial[21];

	/* backing store */
	int fd;			/* file, or -1 */
	u8 *mem;		/* memory backing, or NULL */

	/* registers */
	u32 cc, csts, intms, aqa;
	u32 msi_pend;		/* MSI vectors raised while INTMS masked them */
	u64 asq, acq;

	/* controller state */
	bool enabled;		/* CC.EN took effect: queues exist */
	bool shut;		/* shutdown processed */
	struct nvme_sq sq[NVME_QUEUES_MAX + 1];
	struct nvme_cq cq[NVME_QUEUES_MAX + 1];
	u16 aer_cids[NVME_AERL + 1];
	unsigned int naer;
	u32 feat[NFEAT];
	u16 temp_over, temp_under;
	u16 nsqa, ncqa;		/* Number of Queues allocated (0-based) */
	unsigned int rr;	/* next I/O SQ for round robin */
	u8 *buf;		/* NVME_MAX_XFER bytes of data */

	/* counters */
	u64 cmds, admin_cmds, reads, writes, flushes;
	u64 read_bytes, written_bytes, errors, resets, shutdowns;
	u64 xfer_errors, doorbell_bad;
};

/* ---- options --------------------------------------------------------- */

static int nvme_alloc(struct eebox_dev *dev)
{
	struct nvme *n = calloc(1, sizeof(*n));

	if (!n)
		return -ENOMEM;
	n->queues = NVME_QUEUES_DEFAULT;
	n->fd = -1;
	dev->priv = n;
	return 0;
}

static int nvme_set_opt(struct eebox_dev *dev, const char *key,
			const char *val, char *err, size_t errlen)
{
	struct nvme *n = dev->priv;
	u64 v;

	if (strcmp(key, "size") && strcmp(key, "file") &&
	    strcmp(key, "queues") && strcmp(key, "serial"))
		return MODEL_OPT_UNKNOWN;
	if (!val)
		return MODEL_OPT_NOVALUE;
	if (!strcmp(key, "size")) {
		if (parse_size(val, &v) || v < NVME_SIZE_MIN ||
		    v > NVME_SIZE_MAX || (v & (NVME_PAGE - 1))) {
			snprintf(err, errlen,
				 "size must be a multiple of 4K from 1M to 16T");
			return MODEL_OPT_INVALID;
		}
		n->size = v;
	} else if (!strcmp(key, "file")) {
		if (!*val) {
			snprintf(err, errlen, "file needs a path");
			return MODEL_OPT_INVALID;
		}
		n->file = val;
	} else if (!strcmp(key, "queues")) {
		if (parse_u64(val, &v) || v < 1 || v > NVME_QUEUES_MAX) {
			snprintf(err, errlen, "queues must be from 1 to %d",
				 NVME_QUEUES_MAX);
			return MODEL_OPT_INVALID;
		}
		n->queues = (unsigned int)v;
	} else {
		if (!*val || strlen(val) > 20) {
			snprintf(err, errlen,
				 "serial must be 1 to 20 characters");
			return MODEL_OPT_INVALID;
		}
		snprintf(n->serial, sizeof(n->serial), "%s", val);
	}
	return 0;
}

static int nvme_open_backing(struct nvme *n, char *err, size_t errlen)
{
	struct stat st;

	if (!n->file) {
		if (!n->size)
			n->size = NVME_SIZE_DEFAULT;
		n->mem = mmap(NULL, n->size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			      0);
		if (n->mem == MAP_FAILED) {
			n->mem = NULL;
			snprintf(err, errlen, "cannot map %llu bytes: %s",
				 (unsigned long long)n->size, strerror(errno));
			return -ENOMEM;
		}
		return 0;
	}
	n->fd = open(n->file, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (n->fd < 0 || fstat(n->fd, &st)) {
		snprintf(err, errlen, "file %s: %s", n->file, strerror(errno));
		return -errno;
	}
	if (!n->size)
		n->size = (u64)st.st_size & ~(u64)(NVME_PAGE - 1);
	if (!n->size)
		n->size = NVME_SIZE_DEFAULT;
	if (n->size < NVME_SIZE_MIN) {
		snprintf(err, errlen, "file %s: smaller than 1M", n->file);
		return -EINVAL;
	}
	if ((u64)st.st_size < n->size && ftruncate(n->fd, (off_t)n->size)) {
		snprintf(err, errlen, "file %s: cannot extend to %llu bytes: %s",
			 n->file, (unsigned long long)n->size,
			 strerror(errno));
		return -errno;
	}
	return 0;
}

static int nvme_realize(struct eebox_dev *dev, char *err, size_t errlen)
{
	struct nvme *n = dev->priv;
	struct cfgspace *cs = &dev->cfg;
	int ret, pm, exp, msix, msi;
	unsigned int nmsi = 1;

	pcicap_header(cs, EXPETHER_PCI_VENDOR_ID, NVME_DEVICE_ID,
		      NVME_CLASS << 8 | 0x01, EXPETHER_PCI_VENDOR_ID,
		      NVME_DEVICE_ID);
	cfg_add_bar(cs, 0, NVME_BAR_SIZE, CFG_BAR_MEM64);
	pm = pcicap_pm(cs);
	exp = pcicap_exp(cs);
	msix = irq_add_msix(dev, n->queues + 1, 0, NVME_MSIX_TABLE, 0,
			    NVME_MSIX_PBA);
	while (nmsi < n->queues + 1 && nmsi < 32)
		nmsi <<= 1;
	msi = irq_add_msi(dev, nmsi, true);
	if (pm < 0 || exp < 0 || msix < 0 || msi < 0) {
		snprintf(err, errlen, "capabilities do not fit");
		return -ENOMEM;
	}
	irq_add_intx(dev, 1);
	ret = nvme_open_backing(n, err, errlen);
	if (ret)
		return ret;
	n->buf = malloc(NVME_MAX_XFER);
	if (!n->buf)
		return -ENOMEM;
	n->temp_over = 343;		/* 70 C */
	return 0;
}

static void nvme_release(struct eebox_dev *dev)
{
	struct nvme *n = dev->priv;

	if (!n)
		return;
	if (n->mem)
		munmap(n->mem, n->size);
	if (n->fd >= 0)
		close(n->fd);
	free(n->buf);
	free(n);
	dev->priv = NULL;
}

/* ---- little-endian helpers ------------------------------------------- */

static void le16_put(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void le32_put(u8 *p, u32 v)
{
	le16_put(p, (u16)v);
	le16_put(p + 2, (u16)(v >> 16));
}

static void le64_put(u8 *p, u64 v)
{
	le32_put(p, (u32)v);
	le32_put(p + 4, (u32)(v >> 32));
}

static u32 le32_get(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 le64_get(const u8 *p)
{
	return le32_get(p) | (u64)le32_get(p + 4) << 32;
}

/* ---- registers ------------------------------------------------------- */

static u64 nvme_cap(void)
{
	return NVME_MQES |
	       1ULL << 16 |		/* CQR: contiguous queues required */
	       30ULL << 24 |		/* TO: 15 s */
	       1ULL << 37;		/* CSS: NVM command set */
}

/* Registers 0x00..0x3f as the host reads them. */
static void nvme_regs_image(const struct nvme *n, u8 *r)
{
	memset(r, 0, 0x40);
	le64_put(r + REG_CAP, nvme_cap());
	le32_put(r + REG_VS, 0x00010300);	/* 1.3.0 */
	le32_put(r + REG_INTMS, n->intms);
	le32_put(r + REG_INTMC, n->intms);
	le32_put(r + REG_CC, n->cc);
	le32_put(r + REG_CSTS, n->csts);
	le32_put(r + REG_AQA, n->aqa);
	le64_put(r + REG_ASQ, n->asq);
	le64_put(r + REG_ACQ, n->acq);
	/* NSSR, CMBLOC, CMBSZ: 0 */
}

/* INTx: asserted while a CQ with interrupts has entries not consumed. */
static void nvme_intx_update(struct eebox_dev *dev)
{
	struct nvme *n = dev->priv;
	bool level = false;
	unsigned int q;

	for (q = 0; q <= n->queues && !level; q++)
		level = n->cq[q].live && n->cq[q].ien &&
			n->cq[q].head != n->cq[q].tail;
	irq_intx(dev, level && !(n->intms & 1));
}

/* MSI: INTMS masks vectors; what was raised meanwhile goes on INTMC. */
static void nvme_msi_unpend(struct eebox_dev *dev)
{
	struct nvme *n = dev->priv;
	unsigned int v;

	for (v = 0; v < 32; v++) {
		if (!(n->msi_pend & (1u << v)) || (n->intms & (1u << v)))
			continue;
		n->msi_pend &= ~(1u << v);
		irq_notify(dev, v);
	}
}

static bool touched(u64 off, size_t len, unsigned int reg, unsigned int sz)
{
	return off < reg + sz && reg < off + len;
}

static void nvme_regs_write(struct eebox_dev *dev, u64 off, const u8 *buf,
			    size_t len)
{
	struct nvme *n = dev->priv;
	u8 r[0x40];
	u32 v;

	nvme_regs_image(n, r);
	memcpy(r + off, buf, len);
	if (touched(off, len, REG_INTMS, 4)) {
		n->intms |= le32_get(r + REG_INTMS);
		nvme_intx_update(dev);
	}
	if (touched(off, len, REG_INTMC, 4)) {
		n->intms &= ~le32_get(r + REG_INTMC);
		nvme_msi_unpend(dev);
		nvme_intx_update(dev);
	}
	if (touched(off, len, REG_CC, 4)) {
		v = le32_get(r + REG_CC) & CC_RW;
		if (v != n->cc) {
			n->cc = v;
			/* EN and SHN take effect between commands */
			dev_kick(dev);
		}
	}
	/* CSTS.NSSRO is not implemented (no NSSR): nothing to clear */
	if (touched(off, len, REG_AQA, 4))
		n->aqa = le32_get(r + REG_AQA) & 0x0fff0fff;
	if (touched(off, len, REG_ASQ, 8))
		n->asq = le64_get(r + REG_ASQ) & ~0xfffULL;
	if (touched(off, len, REG_ACQ, 8))
		n->acq = le64_get(r + REG_ACQ) & ~0xfffULL;
}

/* A 32-bit doorbell write: SQ tail or CQ head of queue @q. */
static void nvme_doorbell(struct eebox_dev *dev, unsigned int db, u32 v)
{
	struct nvme *n = dev->priv;
	unsigned int q = db / 2;

	if (q > n->queues)
		return;
	if (!(db & 1)) {
		if (!n->sq[q].live || v >= n->sq[q].size) {
			n->doorbell_bad++;
			return;
		}
		n->sq[q].tail = (u16)v;
	} else {
		if (!n->cq[q].live || v >= n->cq[q].size) {
			n->doorbell_bad++;
			return;
		}
		n->cq[q].head = (u16)v;
		nvme_intx_update(dev);
	}
	dev_kick(dev);
}

static void nvme_run(struct eebox_dev *dev, u64 off, u8 *buf, size_t len,
		     bool write)
{
	struct nvme *n = dev->priv;
	u8 r[0x40];
	size_t k;

	if (off < 0x40) {
		if (len > 0x40 - off)
			len = 0x40 - off;	/* cannot happen: split below */
		if (write) {
			nvme_regs_write(dev, off, buf, len);
		} else {
			nvme_regs_image(n, r);
			memcpy(buf, r + off, len);
		}
		return;
	}
	if (off >= REG_DBS && off < REG_DBS + 0x1000) {
		/* Doorbells are write-only 32-bit registers: read 0. */
		if (!write) {
			memset(buf, 0, len);
			return;
		}
		for (k = 0; k + 4 <= len; k += 4)
			if (!((off + k) & 3))
				nvme_doorbell(dev,
					      (unsigned int)(off + k - REG_DBS) / 4,
					      le32_get(buf + k));
		return;
	}
	if (!write)
		memset(buf, 0, len);	/* reserved */
}

static void nvme_bar_rw(struct eebox_dev *dev, u64 off, u8 *buf, size_t len,
			bool write)
{
	long m;
	size_t k;

	while (len) {
		m = irq_bar_rw(dev, 0, off, buf, len, write);
		if (m < 0) {
			m = -m;
			/* registers, doorbells and the rest apart */
			k = (size_t)m;
			if (off < 0x40 && off + k > 0x40)
				k = 0x40 - off;
			else if (off < REG_DBS && off + k > REG_DBS)
				k = REG_DBS - off;
			else if (off < REG_DBS + 0x1000 &&
				 off + k > REG_DBS + 0x1000)
				k = REG_DBS + 0x1000 - off;
			nvme_run(dev, off, buf, k, write);
			m = (long)k;
		}
		off += (u64)m;
		buf += m;
		len -= (size_t)m;
	}
}

static void nvme_bar_read(struct eebox_dev *dev, unsigned int bar, u64 off,
			  u8 *buf, size_t len)
{
	(void)bar;
	nvme_bar_rw(dev, off, buf, len, false);
}

static void nvme_bar_write(struct eebox_dev *dev, unsigned int bar, u64 off,
			   const u8 *buf, size_t len)
{
	(void)bar;
	nvme_bar_rw(dev, off, (u8 *)buf, len, true);
}

/* ---- controller state ------------------------------------------------ */

static void nvme_queues_clear(struct nvme *n)
{
	memset(n->sq, 0, sizeof(n->sq));
	memset(n->cq, 0, sizeof(n->cq));
	n->naer = 0;
	n->rr = 1;
}

/* CC.EN 1 -> 0: everything back to the state after reset. */
static void nvme_ctrl_reset(struct eebox_dev *dev)
{
	struct nvme *n = dev->priv;

	nvme_queues_clear(n);
	n->enabled = false;
	n->shut = false;
	n->csts = 0;
	n->intms = 0;
	n->msi_pend = 0;
	memset(n->feat, 0, sizeof(n->feat));
	n->nsqa = n->ncqa = 0;
	n->temp_over = 343;
	n->temp_under = 0;
	n->resets++;
	irq_intx(dev, false);
}

/* The bridge restarted (moved to another group): the controller as after
 * a reset, with no admin queue programmed; the namespace is kept.
 */
static void nvme_reset(struct eebox_dev *dev)
{
	struct nvme *n = dev->priv;

	n->cc = 0;
	n->aqa = 0;
	n->asq = 0;
	n->acq = 0;
	nvme_ctrl_reset(dev);
}

/* CC.EN 0 -> 1: the admin queues from AQA, ASQ, ACQ. */
static void nvme_ctrl_enable(struct eebox_dev *dev)
{
	struct nvme *n = dev->priv;
	u16 sqs = (u16)((n->aqa & 0xfff) + 1), cqs = (u16)((n->aqa >> 16) + 1);

	nvme_queues_clear(n);
	n->csts = 0;
	if (sqs < 2 || cqs < 2 || CC_CSS(n->cc) != 0 || CC_MPS(n->cc) != 0 ||
	    CC_AMS(n->cc) != 0 || !n->asq || !n->acq) {
		n->csts = CSTS_CFS;	/* a controller that cannot start */
		return;
	}
	n->sq[0] = (struct nvme_sq){ .live = true, .base = n->asq,
				     .size = sqs, .cqid = 0 };
	n->cq[0] = (struct nvme_cq){ .live = true, .base = n->acq,
				     .size = cqs, .phase = true, .ien = true,
				     .iv = 0, .nsq = 1 };
	n->enabled = true;
	n->csts = CSTS_RDY;
}

/* Act on CC: reset, enable, shutdown.  Work context, between commands. */
static void nvme_cc_update(struct eebox_dev *dev)
{
	struct nvme *n = dev->priv;

	if (!(n->cc & CC_EN)) {
		if (n->enabled || n->csts)
			nvme_ctrl_reset(dev);
		return;
	}
	if (!n->enabled && !(n->csts & CSTS_CFS))
		nvme_ctrl_enable(dev);
	if (CC_SHN(n->cc) && !n->shut) {
		/* Nothing is in flight between commands: done at once. */
		n->shut = true;
		n->shutdowns++;
		n->csts = (n->csts & ~0xcu) | CSTS_SHST_CMPLT;
	} else if (!CC_SHN(n->cc) && n->shut) {
		n->shut = false;
		n->csts &= ~0xcu;
	}
}

/* ---- PRPs -------------------------------------------------------------- */

#define PRP_MAX_SEGS	(NVME_MAX_XFER / NVME_PAGE + 1)

struct prp {
	struct dma_sg sg[PRP_MAX_SEGS];
	unsigned int n;
};

/*
 * The data pointer of a command moving @len bytes into/out of n->buf:
 * PRP1 (any DW-aligned offset), then PRP2 as the second page or a PRP
 * list (qword aligned; its last entry in a page chains to the next list
 * page when more entries follow).  0 or an NVMe status.
 */
static int nvme_prps(struct eebox_dev *dev, const u8 *sqe, u32 len,
		     struct prp *p)
{
	struct nvme *n = dev->priv;
	u64 prp1 = le64_get(sqe + 24), prp2 = le64_get(sqe + 32), list;
	u8 ent[NVME_PAGE];
	u32 first, rest, pages, fit, take, i;

	p->n = 0;
	if (prp1 & 3)
		return SC_PRP_INVALID_OFFSET;
	first = NVME_PAGE - (u32)(prp1 & (NVME_PAGE - 1));
	if (first > len)
		first = len;
	p->sg[p->n++] = (struct dma_sg){ prp1, n->buf, first };
	rest = len - first;
	if (!rest)
		return 0;
	if (rest <= NVME_PAGE) {
		if (prp2 & (NVME_PAGE - 1))
			return SC_PRP_INVALID_OFFSET;
		p->sg[p->n++] = (struct dma_sg){ prp2, n->buf + first, rest };
		return 0;
	}
	pages = (rest + NVME_PAGE - 1) / NVME_PAGE;
	list = prp2;
	if (list & 7)
		return SC_PRP_INVALID_OFFSET;
	while (pages) {
		fit = (NVME_PAGE - (u32)(list & (NVME_PAGE - 1))) / 8;
		/* all that is left fits: no chain entry */
		take = pages <= fit ? pages : fit;
		if (dma_read(dev, list, ent, take * 8))
			return SC_DATA_XFER_ERROR;
		for (i = 0; i < take; i++) {
			u64 a = le64_get(ent + 8 * i);

			if (pages > fit && i == take - 1) {
				/* the chain pointer to the next list page */
				if (a & 7)
					return SC_PRP_INVALID_OFFSET;
				list = a;
				break;
			}
			if (a & (NVME_PAGE - 1))
				return SC_PRP_INVALID_OFFSET;
			p->sg[p->n++] = (struct dma_sg){
				a, n->buf + (len - rest),
				rest < NVME_PAGE ? rest : NVME_PAGE };
			rest -= p->sg[p->n - 1].len;
			pages--;
		}
	}
	return 0;
}

/* ---- backing store ----------------------------------------------------- */

static int nvme_store(struct nvme *n, bool write, u64 off, u8 *buf, u32 len)
{
	ssize_t r;
	u32 done = 0;

	if (n->mem) {
		if (write)
			memcpy(n->mem + off, buf, len);
		else
			memcpy(buf, n->mem + off, len);
		return 0;
	}
	while (done < len) {
		r = write ? pwrite(n->fd, buf + done, len - done,
				   (off_t)(off + done)) :
			    pread(n->fd, buf + done, len - done,
				  (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (u32)r;
	}
	return 0;
}

/* ---- identify and logs -------------------------------------------------- */

static void pad_ascii(u8 *dst, const char *s, size_t n)
{
	size_t l = strlen(s);

	memset(dst, ' ', n);
	memcpy(dst, s, l < n ? l : n);
}

static void nvme_id_ctrl(struct eebox_dev *dev, u8 *d)
{
	struct nvme *n = dev->priv;
	char nqn[256];

	if (!n->serial[0])	/* default: from the bridge MAC */
		snprintf(n->serial, sizeof(n->serial),
			 "EE%02X%02X%02X%02X%02X%02X", dev->mac[0],
			 dev->mac[1], dev->mac[2], dev->mac[3], dev->mac[4],
			 dev->mac[5]);
	le16_put(d + 0, EXPETHER_PCI_VENDOR_ID);	/* VID */
	le16_put(d + 2, EXPETHER_PCI_VENDOR_ID);	/* SSVID */
	pad_ascii(d + 4, n->serial, 20);		/* SN */
	pad_ascii(d + 24, "eebox NVMe over ExpEther", 40);	/* MN */
	pad_ascii(d + 64, "1.0", 8);			/* FR */
	d[72] = 0;					/* RAB */
	d[73] = 0x00;					/* IEEE OUI */
	d[74] = 0x40;
	d[75] = 0x4c;
	d[77] = NVME_MDTS;
	le16_put(d + 78, 1);				/* CNTLID */
	le32_put(d + 80, 0x00010300);			/* VER */
	d[258] = 3;					/* ACL */
	d[259] = NVME_AERL;				/* AERL */
	d[260] = 0x02;					/* FRMW: 1 slot */
	d[261] = 0;					/* LPA */
	d[262] = 0;					/* ELPE: 1 entry */
	le16_put(d + 266, 343);				/* WCTEMP */
	le16_put(d + 268, 358);				/* CCTEMP */
	d[512] = 0x66;					/* SQES */
	d[513] = 0x44;					/* CQES */
	le32_put(d + 516, 1);				/* NN */
	d[525] = 1;					/* VWC */
	d[530] = 1;					/* NVSCC */
	snprintf(nqn, sizeof(nqn), "nqn.2014-08.org.nvmexpress:uuid:eebox-%s",
		 n->serial);
	memcpy(d + 768, nqn, strlen(nqn));		/* SUBNQN */
	le16_put(d + 2048, 2500);			/* PSD0 MP: 25 W */
}

static void nvme_ns_ids(const struct eebox_dev *dev, u8 *eui, u8 *nguid,
			u8 *uuid)
{
	unsigned int i;

	/* EUI-64 from the bridge MAC (02:ee:.. -> 02:ee:..:ff:fe:..) */
	memcpy(eui, dev->mac, 3);
	eui[3] = 0xff;
	eui[4] = 0xfe;
	memcpy(eui + 5, dev->mac + 3, 3);
	for (i = 0; i < 16; i++)
		nguid[i] = (u8)(dev->mac[i % 6] ^ (0x5a + i));
	memcpy(uuid, nguid, 16);
	uuid[6] = (u8)((uuid[6] & 0x0f) | 0x40);	/* version 4 */
	uuid[8] = (u8)((uuid[8] & 0x3f) | 0x80);	/* variant */
}

static void nvme_id_ns(struct eebox_dev *dev, u8 *d)
{
	struct nvme *n = dev->priv;
	u64 nlba = n->size >> NVME_LBA_SHIFT;
	u8 uuid[16];

	le64_put(d + 0, nlba);			/* NSZE */
	le64_put(d + 8, nlba);			/* NCAP */
	le64_put(d + 16, nlba);			/* NUSE */
	d[25] = 0;				/* NLBAF: one format */
	d[26] = 0;				/* FLBAS: format 0 */
	nvme_ns_ids(dev, d + 120, d + 104, uuid);
	d[128 + 2] = NVME_LBA_SHIFT;		/* LBAF0: LBADS 9, MS 0 */
}

static void nvme_ns_descs(struct eebox_dev *dev, u8 *d)
{
	u8 eui[8], nguid[16], uuid[16];

	nvme_ns_ids(dev, eui, nguid, uuid);
	d[0] = 1;			/* EUI-64 */
	d[1] = 8;
	memcpy(d + 4, eui, 8);
	d[12] = 2;			/* NGUID */
	d[13] = 16;
	memcpy(d + 16, nguid, 16);
	d[32] = 3;			/* UUID */
	d[33] = 16;
	memcpy(d + 36, uuid, 16);
	d[52] = 4;			/* CSI: NVM */
	d[53] = 1;
	d[56] = 0;
}

/* Move @len bytes of n->buf to the host by the command's PRPs. */
static int nvme_to_host(struct eebox_dev *dev, const u8 *sqe, u32 len)
{
	struct prp p;
	int st = nvme_prps(dev, sqe, len, &p);

	if (st)
		return st;
	if (dma_writev(dev, p.sg, p.n)) {
		((struct nvme *)dev->priv)->xfer_errors++;
		return SC_DATA_XFER_ERROR;
	}
	return 0;
}

static int nvme_identify(struct eebox_dev *dev, const u8 *sqe)
{
	struct nvme *n = dev->priv;
	u32 nsid = le32_get(sqe + 4), cdw10 = le32_get(sqe + 40);
	u32 csi = le32_get(sqe + 44) >> 24;
	u8 *d = n->buf;

	memset(d, 0, NVME_PAGE);
	switch (cdw10 & 0xff) {
	case 0x00:		/* namespace */
		if (nsid == 1)
			nvme_id_ns(dev, d);
		else if (!nsid || nsid == 0xffffffff)
			return SC_INVALID_NS;
		break;		/* other NSIDs: inactive, zeros */
	case 0x01:		/* controller */
		nvme_id_ctrl(dev, d);
		break;
	case 0x02:		/* active namespace list */
		if (nsid >= 0xfffffffe)
			return SC_INVALID_NS;
		if (nsid < 1)
			le32_put(d, 1);
		break;
	case 0x03:		/* namespace identification descriptors */
		if (nsid != 1)
			return SC_INVALID_NS;
		nvme_ns_descs(dev, d);
		break;
	case 0x05:		/* I/O command set specific namespace */
	case 0x06:		/* ... controller */
		if (csi != 0)
			return SC_INVALID_FIELD;
		if ((cdw10 & 0xff) == 0x05 && nsid != 1)
			return SC_INVALID_NS;
		break;		/* NVM: nothing beyond the defaults */
	default:
		return SC_INVALID_FIELD;
	}
	return nvme_to_host(dev, sqe, NVME_PAGE);
}

static int nvme_get_log(struct eebox_dev *dev, const u8 *sqe)
{
	struct nvme *n = dev->priv;
	u32 cdw10 = le32_get(sqe + 40), cdw11 = le32_get(sqe + 44);
	u64 off = le32_get(sqe + 48) | (u64)le32_get(sqe + 52) << 32;
	u32 len = ((cdw10 >> 16 | (cdw11 & 0xffff) << 16) + 1) * 4;
	u8 log[512];
	u32 loglen;
	u64 units;

	memset(log, 0, sizeof(log));
	switch (cdw10 & 0xff) {
	case 0x01:		/* error information: one empty entry */
		loglen = 64;
		break;
	case 0x02:		/* SMART / health information */
		loglen = 512;
		le16_put(log + 1, 313);			/* 40 C */
		log[3] = 100;				/* available spare */
		log[4] = 10;				/* threshold */
		units = (n->read_bytes + 511999) / 512000;
		le64_put(log + 32, units);		/* data units read */
		units = (n->written_bytes + 511999) / 512000;
		le64_put(log + 48, units);
		le64_put(log + 64, n->reads);		/* host reads */
		le64_put(log + 80, n->writes);
		le64_put(log + 112, 1);			/* power cycles */
		break;
	case 0x03:		/* firmware slot information */
		loglen = 512;
		log[0] = 1;				/* AFI: slot 1 */
		pad_ascii(log + 8, "1.0", 8);
		break;
	default:
		return SC_INVALID_LOG_PAGE;
	}
	if (off & 3 || len > NVME_MAX_XFER)
		return SC_INVALID_FIELD;
	memset(n->buf, 0, len);
	if (off < loglen)
		memcpy(n->buf, log + off, len < loglen - off ? len :
		       loglen - off);
	return nvme_to_host(dev, sqe, len);
}

/* ---- admin commands ---------------------------------------------------- */

static int nvme_create_cq(struct eebox_dev *dev, const u8 *sqe)
{
	struct nvme *n = dev->priv;
	u32 cdw10 = le32_get(sqe + 40), cdw11 = le32_get(sqe + 44);
	u16 qid = (u16)cdw10, size = (u16)((cdw10 >> 16) + 1);
	u16 iv = (u16)(cdw11 >> 16);
	u64 base = le64_get(sqe + 24);

	if (!qid || qid > n->queues || n->cq[qid].live)
		return SC_QID_INVALID;
	if (size < 2 || size > NVME_MQES + 1)
		return SC_QUEUE_SIZE;
	if (!(cdw11 & 1))
		return SC_INVALID_FIELD;	/* CAP.CQR: contiguous only */
	if (base & (NVME_PAGE - 1))
		return SC_PRP_INVALID_OFFSET;
	if ((cdw11 & 2) && iv > n->queues)
		return SC_INVALID_VECTOR;
	n->cq[qid] = (struct nvme_cq){ .live = true, .base = base,
				       .size = size, .phase = true,
				       .ien = !!(cdw11 & 2), .iv = iv };
	return 0;
}

static int nvme_create_sq(struct eebox_dev *dev, const u8 *sqe)
{
	struct nvme *n = dev->priv;
	u32 cdw10 = le32_get(sqe + 40), cdw11 = le32_get(sqe + 44);
	u16 qid = (u16)cdw10, size = (u16)((cdw10 >> 16) + 1);
	u16 cqid = (u16)(cdw11 >> 16);
	u64 base = le64_get(sqe + 24);

	if (!qid || qid > n->queues || n->sq[qid].live)
		return SC_QID_INVALID;
	if (size < 2 || size > NVME_MQES + 1)
		return SC_QUEUE_SIZE;
	if (!cqid || cqid > n->queues || !n->cq[cqid].live)
		return SC_CQ_INVALID;
	if (!(cdw11 & 1))
		return SC_INVALID_FIELD;
	if (base & (NVME_PAGE - 1))
		return SC_PRP_INVALID_OFFSET;
	n->sq[qid] = (struct nvme_sq){ .live = true, .base = base,
				       .size = size, .cqid = cqid };
	n->cq[cqid].nsq++;
	return 0;
}

static int nvme_delete_sq(struct eebox_dev *dev, const u8 *sqe)
{
	struct nvme *n = dev->priv;
	u16 qid = (u16)le32_get(sqe + 40);

	if (!qid || qid > n->queues || !n->sq[qid].live)
		return SC_QID_INVALID;
	n->cq[n->sq[qid].cqid].nsq--;
	memset(&n->sq[qid], 0, sizeof(n->sq[qid]));
	return 0;
}

static int nvme_delete_cq(struct eebox_dev *dev, const u8 *sqe)
{
	struct nvme *n = dev->priv;
	u16 qid = (u16)le32_get(sqe + 40);

	if (!qid || qid > n->queues || !n->cq[qid].live)
		return SC_QID_INVALID;
	if (n->cq[qid].nsq)
		return SC_QUEUE_DELETE;
	memset(&n->cq[qid], 0, sizeof(n->cq[qid]));
	nvme_intx_update(dev);
	return 0;
}

static int nvme_features(struct eebox_dev *dev, const u8 *sqe, bool set,
			 u32 *dw0)
{
	struct nvme *n = dev->priv;
	u32 cdw10 = le32_get(sqe + 40), cdw11 = le32_get(sqe + 44);
	u32 fid = cdw10 & 0xff, sel = (cdw10 >> 8) & 7;
	u32 nsq, ncq;
	u8 ts[8];
	struct prp p;

	if (!set && sel == 3) {		/* supported capabilities */
		*dw0 = (fid == FEAT_TEMP_THRESH || fid == FEAT_VOLATILE_WC ||
			fid == FEAT_NUM_QUEUES) ? 0x4 : 0;	/* changeable */
		return 0;
	}
	switch (fid) {
	case FEAT_NUM_QUEUES:
		if (set) {
			nsq = (cdw11 & 0xffff) + 1;
			ncq = (cdw11 >> 16) + 1;
			if ((cdw11 & 0xffff) == 0xffff ||
			    (cdw11 >> 16) == 0xffff)
				return SC_INVALID_FIELD;
			n->nsqa = (u16)((nsq < n->queues ? nsq : n->queues) - 1);
			n->ncqa = (u16)((ncq < n->queues ? ncq : n->queues) - 1);
		} else if (!n->nsqa && !n->ncqa && !n->feat[fid]) {
			/* not set yet: what the controller supports */
			*dw0 = (n->queues - 1) | (n->queues - 1) << 16;
			return 0;
		}
		n->feat[fid] = 1;
		*dw0 = n->nsqa | (u32)n->ncqa << 16;
		return 0;
	case FEAT_TEMP_THRESH:
		/* TMPSEL 0 (composite) only; THSEL 0 over, 1 under */
		if (((cdw11 >> 16) & 0xf) != 0 || ((cdw11 >> 20) & 3) > 1)
			return SC_INVALID_FIELD;
		if (set) {
			if ((cdw11 >> 20) & 3)
				n->temp_under = (u16)cdw11;
			else
				n->temp_over = (u16)cdw11;
		}
		*dw0 = (cdw11 >> 20) & 3 ? n->temp_under : n->temp_over;
		return 0;
	case FEAT_TIMESTAMP:
		if (!set) {
			memset(n->buf, 0, 8);
			return nvme_to_host(dev, sqe, 8);
		}
		/* accept it: read the 8 bytes, keep nothing */
		if (nvme_prps(dev, sqe, 8, &p) || dma_read(dev, p.sg[0].addr,
							   ts, 8))
			return SC_DATA_XFER_ERROR;
		*dw0 = 0;
		return 0;
	case FEAT_ARBITRATION:
	case FEAT_POWER_MGMT:
	case FEAT_ERR_RECOVERY:
	case FEAT_VOLATILE_WC:
	case FEAT_IRQ_COALESCE:
	case FEAT_IRQ_CONFIG:
	case FEAT_WRITE_ATOMIC:
	case FEAT_ASYNC_EVENT:
		if (set) {
			if (fid == FEAT_POWER_MGMT && (cdw11 & 0x1f))
				return SC_INVALID_FIELD;	/* PS 0 only */
			n->feat[fid] = fid == FEAT_VOLATILE_WC ? cdw11 & 1 :
				       cdw11;
		}
		*dw0 = n->feat[fid];
		if (fid == FEAT_IRQ_CONFIG && !set)
			*dw0 = cdw11 & 0xffff;		/* the vector asked */
		return 0;
	default:
		return SC_INVALID_FIELD;
	}
}

/* Execute one admin command: an NVMe status, *dw0 the result. */
static int nvme_admin(struct eebox_dev *dev, const u8 *sqe, u32 *dw0,
		      bool *post)
{
	struct nvme *n = dev->priv;
	u16 cid = (u16)(sqe[2] | sqe[3] << 8);

	n->admin_cmds++;
	switch (sqe[0]) {
	case ADM_DELETE_SQ:
		return nvme_delete_sq(dev, sqe);
	case ADM_CREATE_SQ:
		return nvme_create_sq(dev, sqe);
	case ADM_GET_LOG:
		return nvme_get_log(dev, sqe);
	case ADM_DELETE_CQ:
		return nvme_delete_cq(dev, sqe);
	case ADM_CREATE_CQ:
		return nvme_create_cq(dev, sqe);
	case ADM_IDENTIFY:
		return nvme_identify(dev, sqe);
	case ADM_ABORT:
		*dw0 = 1;	/* not aborted: it ran to completion already */
		return 0;
	case ADM_SET_FEATURES:
		return nvme_features(dev, sqe, true, dw0);
	case ADM_GET_FEATURES:
		return nvme_features(dev, sqe, false, dw0);
	case ADM_AER:
		if (n->naer > NVME_AERL)
			return SC_ASYNC_LIMIT;
		/* Outstanding until an event (there are none) or reset. */
		n->aer_cids[n->naer++] = cid;
		*post = false;
		return 0;
	default:
		return SC_INVALID_OPCODE;
	}
}

/* ---- I/O commands ------------------------------------------------------ */

static int nvme_rw(struct eebox_dev *dev, const u8 *sqe, bool write)
{
	struct nvme *n = dev->priv;
	u64 slba = le64_get(sqe + 40), nlb = (le32_get(sqe + 48) & 0xffff) + 1;
	u64 off = slba << NVME_LBA_SHIFT;
	u32 len = (u32)(nlb << NVME_LBA_SHIFT);
	struct prp p;
	int st;

	if (slba >= n->size >> NVME_LBA_SHIFT ||
	    nlb > (n->size >> NVME_LBA_SHIFT) - slba)
		return SC_LBA_RANGE;
	if (len > NVME_MAX_XFER)
		return SC_INVALID_FIELD;
	st = nvme_prps(dev, sqe, len, &p);
	if (st)
		return st;
	if (write) {
		if (dma_readv(dev, p.sg, p.n)) {
			n->xfer_errors++;
			return SC_DATA_XFER_ERROR;
		}
		if (nvme_store(n, true, off, n->buf, len))
			return 0x281;	/* media: write fault */
		n->writes++;
		n->written_bytes += len;
		return 0;
	}
	if (nvme_store(n, false, off, n->buf, len))
		return 0x281 + 1;	/* media: unrecovered read error */
	if (dma_writev(dev, p.sg, p.n)) {
		n->xfer_errors++;
		return SC_DATA_XFER_ERROR;
	}
	n->reads++;
	n->read_bytes += len;
	return 0;
}

static int nvme_io(struct eebox_dev *dev, const u8 *sqe)
{
	struct nvme *n = dev->priv;
	u32 nsid = le32_get(sqe + 4);

	if (sqe[0] == IO_FLUSH && nsid == 0xffffffff)
		nsid = 1;
	if (nsid != 1)
		return SC_INVALID_NS;
	switch (sqe[0]) {
	case IO_FLUSH:
		n->flushes++;
		if (n->fd >= 0 && fdatasync(n->fd))
			return 0x281;
		return 0;
	case IO_WRITE:
		return nvme_rw(dev, sqe, true);
	case IO_READ:
		return nvme_rw(dev, sqe, false);
	default:
		return SC_INVALID_OPCODE;
	}
}

/* ---- queues ------------------------------------------------------------ */

/* Post a completion entry; false when the CQ could not be written. */
static bool nvme_post(struct eebox_dev *dev, u16 sqid, u16 cid, int st,
		      u32 dw0)
{
	struct nvme *n = dev->priv;
	struct nvme_sq *sq = &n->sq[sqid];
	struct nvme_cq *cq = &n->cq[sq->cqid];
	u8 cqe[16];

	if (st)
		st |= SC_DNR;
	le32_put(cqe, dw0);
	le32_put(cqe + 4, 0);
	le16_put(cqe + 8, sq->head);
	le16_put(cqe + 10, sqid);
	le16_put(cqe + 12, cid);
	le16_put(cqe + 14, (u16)((cq->phase ? 1 : 0) | (u16)st << 1));
	if (dma_write(dev, cq->base + (u64)cq->tail * 16, cqe, 16))
		return false;
	if (++cq->tail == cq->size) {
		cq->tail = 0;
		cq->phase = !cq->phase;
	}
	cq->notify = true;
	return true;
}

static bool nvme_cq_full(const struct nvme_cq *cq)
{
	return (u16)((cq->tail + 1) % cq->size) == cq->head;
}

static void nvme_fatal(struct eebox_dev *dev, const char *why)
{
	struct nvme *n = dev->priv;

	if (!(n->csts & CSTS_CFS))
		fprintf(stderr, "eebox: dev %u: nvme: controller fatal: %s\n",
			dev->index, why);
	n->csts |= CSTS_CFS;
}

/*
 * Run up to NVME_BATCH commands of SQ @q.  Returns true if it consumed
 * any.  Stops early when CC changed (reset, shutdown) or the CQ is full.
 */
static bool nvme_run_sq(struct eebox_dev *dev, unsigned int q)
{
	struct nvme *n = dev->priv;
	struct nvme_sq *sq = &n->sq[q];
	u8 sqes[NVME_BATCH * 64];
	u32 cc = n->cc, dw0;
	unsigned int i, cnt;
	bool post, did = false;
	u16 cid;
	int st;

	if (!sq->live || sq->head == sq->tail ||
	    nvme_cq_full(&n->cq[sq->cqid]))
		return false;
	/* The entries up to the tail or the wrap, in one read. */
	cnt = (u16)((sq->tail + sq->size - sq->head) % sq->size);
	if (cnt > (unsigned int)(sq->size - sq->head))
		cnt = sq->size - sq->head;
	if (cnt > NVME_BATCH)
		cnt = NVME_BATCH;
	if (dma_read(dev, sq->base + (u64)sq->head * 64, sqes, cnt * 64)) {
		nvme_fatal(dev, "cannot fetch submission queue entries");
		return false;
	}
	for (i = 0; i < cnt; i++) {
		if (n->cc != cc || !sq->live || (n->csts & CSTS_CFS))
			break;		/* reset, shutdown, queue deleted */
		if (nvme_cq_full(&n->cq[sq->cqid]))
			break;		/* wait for the host to consume */
		did = true;
		sq->head = (u16)((sq->head + 1) % sq->size);
		cid = (u16)(sqes[i * 64 + 2] | sqes[i * 64 + 3] << 8);
		dw0 = 0;
		post = true;
		n->cmds++;
		if (sqes[i * 64 + 1] & 0xc0)
			st = SC_INVALID_FIELD;	/* PSDT: SGLs unsupported */
		else if (q == 0)
			st = nvme_admin(dev, sqes + i * 64, &dw0, &post);
		else
			st = nvme_io(dev, sqes + i * 64);
		if (st)
			n->errors++;
		if (!post)
			continue;
		if (n->cc != cc || !n->sq[q].live)
			break;		/* reset or deleted meanwhile */
		if (!nvme_post(dev, (u16)q, cid, st, dw0)) {
			nvme_fatal(dev, "cannot write a completion entry");
			break;
		}
	}
	return did;
}

static void nvme_interrupts(struct eebox_dev *dev)
{
	struct nvme *n = dev->priv;
	enum irq_mode mode = irq_mode(dev);
	unsigned int q;

	for (q = 0; q <= n->queues; q++) {
		struct nvme_cq *cq = &n->cq[q];

		if (!cq->live || !cq->notify)
			continue;
		cq->notify = false;
		if (!cq->ien)
			continue;
		if (mode == IRQ_MODE_MSIX) {
			irq_notify(dev, cq->iv);
		} else if (mode == IRQ_MODE_MSI) {
			/* vectors beyond those enabled share the last one */
			unsigned int nv = irq_msi_vectors(dev);
			unsigned int v = cq->iv < nv ? cq->iv : nv - 1;

			if (n->intms & (1u << v))
				n->msi_pend |= 1u << v;
			else
				irq_notify(dev, v);
		}
	}
	nvme_intx_update(dev);
}

static void nvme_work(struct eebox_dev *dev)
{
	struct nvme *n = dev->priv;
	unsigned int k, q;
	bool more = false;
	u32 cc;

	nvme_cc_update(dev);
	cc = n->cc;
	if (!n->enabled || n->shut || (n->csts & CSTS_CFS))
		return;
	/* Admin first, then every I/O queue once, round robin. */
	more |= nvme_run_sq(dev, 0);
	for (k = 0; k < n->queues && n->cc == cc; k++) {
		q = 1 + (n->rr + k - 1) % n->queues;
		more |= nvme_run_sq(dev, q);
	}
	n->rr = n->rr % n->queues + 1;
	nvme_interrupts(dev);
	/* More to do (or CC changed meanwhile): another turn. */
	if (more || n->cc != cc)
		dev_kick(dev);
}

static void nvme_print_stats(const struct eebox_dev *dev, FILE *f,
			     const char *prefix)
{
	const struct nvme *n = dev->priv;

	if (!n->cmds && !n->resets)
		return;
	fprintf(f,
		"%snvme: %llu commands (%llu admin), %llu reads (%llu bytes), %llu writes (%llu bytes), %llu flushes, %llu errors (%llu data transfer), %llu resets, %llu shutdowns, %llu bad doorbell writes\n",
		prefix, (unsigned long long)n->cmds,
		(unsigned long long)n->admin_cmds,
		(unsigned long long)n->reads,
		(unsigned long long)n->read_bytes,
		(unsigned long long)n->writes,
		(unsigned long long)n->written_bytes,
		(unsigned long long)n->flushes,
		(unsigned long long)n->errors,
		(unsigned long long)n->xfer_errors,
		(unsigned long long)n->resets,
		(unsigned long long)n->shutdowns,
		(unsigned long long)n->doorbell_bad);
}

const struct eebox_model nvme_model = {
	.name = "nvme",
	.summary = "NVM Express 1.3 controller 1033:ee02, one namespace",
	.options = "size=SIZE (default 64M), file=PATH, queues=N (1..64, default 8), serial=STR",
	.alloc = nvme_alloc,
	.set_opt = nvme_set_opt,
	.realize = nvme_realize,
	.release = nvme_release,
	.bar_read = nvme_bar_read,
	.bar_write = nvme_bar_write,
	.work = nvme_work,
	.reset = nvme_reset,
	.print_stats = nvme_print_stats,
};
