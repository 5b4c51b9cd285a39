// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: "testdev", a minimal PCI Express endpoint for bring-up and tests,
 * with a DMA engine.
 *
 * Identity: 1033:ee01 rev 01, class ff0000, subsystem 1033:ee01, type 0
 * header, Interrupt Pin 0.  BAR0/1: one 64-bit prefetchable memory BAR of
 * bar= bytes (default 1M), backed by RAM.  Options: bar=SIZE (power of two,
 * 4K..64G), vectors=N (MSI-X table size, 1..128), rogue (the ROGUE
 * command, below).
 *
 * Configuration layout (fixed):
 *
 *   0x40  PCI Power Management (v1.2, D0 only, No_Soft_Reset)
 *   0x48  PCI Express v2, Endpoint (0x3c bytes): MPS 256B supported,
 *         no FLR, link x1 2.5 GT/s
 *   0x84  MSI-X: table BAR0 + 0x0, PBA BAR0 + 0x800
 *   0x90  Vendor-specific (ID 0x09), length 8:
 *         0x93  layout version (1)
 *         0x94  scratch dword, fully read-write, reset 0
 *   0x100 extended space: empty (dword 0x100 reads 0)
 *
 * BAR0 layout:
 *
 *   0x000  MSI-X table (vectors x 16 bytes; irq.c)
 *   0x800  MSI-X PBA (read-only)
 *   0xc00  DMA engine registers (below), 0x40 bytes
 *   else   RAM: what MWr writes, MRd reads back
 *
 * DMA engine registers (little-endian; any access size):
 *
 *   0xc00  ID       RO  0x4d444545 ("EEDM")
 *   0xc04  VERSION  RO  1
 *   0xc08  SRC      RW  64-bit source bus address (COPY, CRC)
 *   0xc10  DST      RW  64-bit destination bus address (COPY, FILL, ROGUE)
 *   0xc18  LEN      RW  bytes, 1..16 MiB
 *   0xc1c  PATTERN  RW  FILL/ROGUE: the 32-bit pattern, byte i of the
 *                       destination gets byte (i % 4) of it
 *   0xc20  CMD      RW  writing starts a command (when not busy):
 *                       bits 3:0 op: 1 COPY SRC -> DST, 2 FILL DST,
 *                       3 CRC: CRC32C (Castagnoli, reflected, init and
 *                       final xor 0xffffffff) of SRC into RESULT,
 *                       4 ROGUE: like FILL, only with the rogue option;
 *                       bit 8 IRQ: MSI-X vector 0 on completion;
 *                       bit 9 NOBME: ROGUE even with Bus Master disabled
 *   0xc24  STATUS   RW  bit 0 BUSY (RO), bit 1 DONE and bit 2 ERROR
 *                       (write 1 to clear), bit 3 OVERRUN (a CMD write
 *                       while busy was ignored; write 1 to clear),
 *                       bits 15:8 error code (RO): the DMA_ERR_* of
 *                       dma.h (1 UR: not mapped by the host, 2 CA,
 *                       3 completion timeout, 4 bus master disabled,
 *                       5 no host, 6 aborted, 7 bad completion),
 *                       16 bad op, 17 bad length
 *   0xc28  RESULT   RO  CRC of the last CRC command
 *   0xc2c  COUNT    RO  commands finished (done or failed)
 *   0xc30  BYTES    RO  bytes the last command moved (read for CRC)
 *   0xc34  RAISE    WO  writing N raises MSI-X vector N at once (masked:
 *                       pending; for interrupt tests)
 *
 * A command runs as model work (dma.h): COPY reads and writes 64 KiB at a
 * time, the host's MMIO is served meanwhile.  Completion: STATUS gets DONE
 * or ERROR (and the code), COUNT goes up, then, with IRQ, vector 0 fires
 * after the data writes.  A failed DMA stops the command; BYTES says how
 * far it got (whole 64 KiB steps for COPY and CRC).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <linux/pci_regs.h>

#include "device.h"
#include "dma.h"
#include "irq.h"
#include "parse.h"
#include "pcicap.h"

#define TESTDEV_REVISION	0x01
#define TESTDEV_CLASS		0xff0000u	/* unassigned class */

#define TESTDEV_BAR_DEFAULT	(1ull << 20)
#define TESTDEV_BAR_MIN		(4ull << 10)
#define TESTDEV_BAR_MAX		(64ull << 30)

#define TESTDEV_MSIX_TABLE	0x000
#define TESTDEV_MSIX_PBA	0x800
#define TESTDEV_VECTORS_DEFAULT	4
/* The table must end where the PBA begins. */
#define TESTDEV_VECTORS_MAX	(TESTDEV_MSIX_PBA / IRQ_MSIX_ENTRY)

/* Vendor-specific capability: ID, next, length, version, scratch dword. */
#define TESTDEV_VNDR_LEN	8
#define TESTDEV_VNDR_VERSION	3	/* byte offset in the capability */
#define TESTDEV_VNDR_SCRATCH	4

/* DMA engine registers, offsets from TD_REGS. */
#define TD_REGS			0xc00
#define TD_REGS_LEN		0x40
#define TD_ID			0x00
#define TD_VERSION		0x04
#define TD_SRC			0x08
#define TD_DST			0x10
#define TD_LEN			0x18
#define TD_PATTERN		0x1c
#define TD_CMD			0x20
#define TD_STATUS		0x24
#define TD_RESULT		0x28
#define TD_COUNT		0x2c
#define TD_BYTES		0x30
#define TD_RAISE		0x34

#define TD_ID_VALUE		0x4d444545u	/* "EEDM" */
#define TD_OP_MASK		0xf
#define TD_OP_COPY		1
#define TD_OP_FILL		2
#define TD_OP_CRC		3
#define TD_OP_ROGUE		4
#define TD_CMD_IRQ		0x100
#define TD_CMD_NOBME		0x200
#define TD_ST_BUSY		0x1
#define TD_ST_DONE		0x2
#define TD_ST_ERROR		0x4
#define TD_ST_OVERRUN		0x8
#define TD_ERR_OP		16
#define TD_ERR_LEN		17
#define TD_LEN_MAX		(16u << 20)
#define TD_CHUNK		(64u << 10)

struct testdev {
	u64 bar_size;
	unsigned int vectors;
	bool rogue;
	u8 *ram;			/* BAR0 backing, bar_size bytes */
	u8 *chunk;			/* TD_CHUNK bytes for the engine */

	/* the DMA engine */
	u64 src, dst;
	u32 len, pattern, cmd, status, result, count, bytes;
	bool start;			/* CMD written: run it */
	u64 commands[5];		/* by op, for the summary */
};

static u32 crc32c_table[256];

static void crc32c_init(void)
{
	u32 i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		crc32c_table[i] = c;
	}
}

/* Raw CRC32C update (no inversion: the caller starts at ~0, ends with ~). */
static u32 crc32c(u32 crc, const u8 *p, size_t n)
{
	while (n--)
		crc = crc32c_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

static int testdev_alloc(struct eebox_dev *dev)
{
	struct testdev *td = calloc(1, sizeof(*td));

	if (!td)
		return -ENOMEM;
	td->bar_size = TESTDEV_BAR_DEFAULT;
	td->vectors = TESTDEV_VECTORS_DEFAULT;
	dev->priv = td;
	return 0;
}

static int testdev_set_opt(struct eebox_dev *dev, const char *key,
			   const char *val, char *err, size_t errlen)
{
	struct testdev *td = dev->priv;
	u64 v;

	if (!strcmp(key, "rogue")) {
		if (val) {
			snprintf(err, errlen, "rogue takes no value");
			return MODEL_OPT_INVALID;
		}
		td->rogue = true;
		return 0;
	}
	if (strcmp(key, "bar") && strcmp(key, "vectors"))
		return MODEL_OPT_UNKNOWN;
	if (!val)
		return MODEL_OPT_NOVALUE;
	if (!strcmp(key, "bar")) {
		if (parse_size(val, &v) || (v & (v - 1)) ||
		    v < TESTDEV_BAR_MIN || v > TESTDEV_BAR_MAX) {
			snprintf(err, errlen,
				 "bar must be a power of two from 4K to 64G");
			return MODEL_OPT_INVALID;
		}
		td->bar_size = v;
		return 0;
	}
	if (parse_u64(val, &v) || v < 1 || v > TESTDEV_VECTORS_MAX) {
		snprintf(err, errlen, "vectors must be from 1 to %d",
			 TESTDEV_VECTORS_MAX);
		return MODEL_OPT_INVALID;
	}
	td->vectors = (unsigned int)v;
	return 0;
}

static void testdev_vndr(struct cfgspace *cs, unsigned int cap)
{
	cfg_set(cs, cap + PCI_CAP_FLAGS, 1, TESTDEV_VNDR_LEN);
	cfg_set(cs, cap + TESTDEV_VNDR_VERSION, 1, 1);
	cfg_set_rw(cs, cap + TESTDEV_VNDR_SCRATCH, 4, 0xffffffff);
}

static int testdev_realize(struct eebox_dev *dev, char *err, size_t errlen)
{
	struct testdev *td = dev->priv;
	struct cfgspace *cs = &dev->cfg;
	int pm, exp, msix, vndr;

	pcicap_header(cs, EXPETHER_PCI_VENDOR_ID, EXPETHER_PCI_DEV_TESTDEV,
		      TESTDEV_CLASS << 8 | TESTDEV_REVISION,
		      EXPETHER_PCI_VENDOR_ID, EXPETHER_PCI_DEV_TESTDEV);
	cfg_add_bar(cs, 0, td->bar_size, CFG_BAR_MEM64 | CFG_BAR_PREFETCH);

	pm = pcicap_pm(cs);
	exp = pcicap_exp(cs);
	msix = irq_add_msix(dev, td->vectors, 0, TESTDEV_MSIX_TABLE, 0,
			    TESTDEV_MSIX_PBA);
	vndr = cfg_add_cap(cs, PCI_CAP_ID_VNDR, TESTDEV_VNDR_LEN);
	if (pm < 0 || exp < 0 || msix < 0 || vndr < 0) {
		snprintf(err, errlen, "capabilities do not fit");
		return msix < 0 ? -ENOMEM : -EINVAL;
	}
	testdev_vndr(cs, (unsigned int)vndr);

	/* Lazily allocated: untouched pages of a big BAR cost nothing. */
	td->ram = mmap(NULL, td->bar_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (td->ram == MAP_FAILED) {
		td->ram = NULL;
		snprintf(err, errlen, "cannot map %llu bytes for BAR0: %s",
			 (unsigned long long)td->bar_size, strerror(errno));
		return -ENOMEM;
	}
	td->chunk = malloc(TD_CHUNK);
	if (!td->chunk)
		return -ENOMEM;
	crc32c_init();
	return 0;
}

static void testdev_release(struct eebox_dev *dev)
{
	struct testdev *td = dev->priv;

	if (!td)
		return;
	if (td->ram)
		munmap(td->ram, td->bar_size);
	free(td->chunk);
	free(td);
	dev->priv = NULL;
}

/* ---- the DMA engine -------------------------------------------------- */

static void put32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* The register block as the host reads it. */
static void regs_image(const struct testdev *td, u8 *r)
{
	memset(r, 0, TD_REGS_LEN);
	put32(r + TD_ID, TD_ID_VALUE);
	put32(r + TD_VERSION, 1);
	put32(r + TD_SRC, (u32)td->src);
	put32(r + TD_SRC + 4, (u32)(td->src >> 32));
	put32(r + TD_DST, (u32)td->dst);
	put32(r + TD_DST + 4, (u32)(td->dst >> 32));
	put32(r + TD_LEN, td->len);
	put32(r + TD_PATTERN, td->pattern);
	put32(r + TD_CMD, td->cmd);
	put32(r + TD_STATUS, td->status);
	put32(r + TD_RESULT, td->result);
	put32(r + TD_COUNT, td->count);
	put32(r + TD_BYTES, td->bytes);
}

/* Did a write of [off, off + len) touch register bytes [reg, reg + n)? */
static bool touched(u64 off, size_t len, unsigned int reg, unsigned int n)
{
	return off < reg + n && reg < off + len;
}

static void regs_write(struct eebox_dev *dev, u64 off, const u8 *buf,
		       size_t len)
{
	struct testdev *td = dev->priv;
	u8 r[TD_REGS_LEN], old[TD_REGS_LEN];
	u32 v;

	regs_image(td, old);
	memcpy(r, old, TD_REGS_LEN);
	memcpy(r + off, buf, len);
	if (touched(off, len, TD_SRC, 8))
		td->src = get32(r + TD_SRC) | (u64)get32(r + TD_SRC + 4) << 32;
	if (touched(off, len, TD_DST, 8))
		td->dst = get32(r + TD_DST) | (u64)get32(r + TD_DST + 4) << 32;
	if (touched(off, len, TD_LEN, 4))
		td->len = get32(r + TD_LEN);
	if (touched(off, len, TD_PATTERN, 4))
		td->pattern = get32(r + TD_PATTERN);
	if (touched(off, len, TD_STATUS, 4)) {
		/* DONE, ERROR, OVERRUN: write 1 to clear */
		v = get32(r + TD_STATUS) &
		    (TD_ST_DONE | TD_ST_ERROR | TD_ST_OVERRUN);
		td->status &= ~v;
		if (v & TD_ST_ERROR)
			td->status &= ~0xff00u;
	}
	if (touched(off, len, TD_RAISE, 4))
		irq_notify(dev, get32(r + TD_RAISE));
	if (touched(off, len, TD_CMD, 4)) {
		if (td->status & TD_ST_BUSY) {
			td->status |= TD_ST_OVERRUN;
			return;
		}
		td->cmd = get32(r + TD_CMD);
		td->status = (td->status & ~(TD_ST_DONE | TD_ST_ERROR |
					     0xff00u)) | TD_ST_BUSY;
		td->start = true;
		dev_kick(dev);
	}
}

static int td_copy(struct eebox_dev *dev, struct testdev *td)
{
	u32 pos, n;
	int ret;

	for (pos = 0; pos < td->len; pos += n) {
		n = td->len - pos < TD_CHUNK ? td->len - pos : TD_CHUNK;
		ret = dma_read(dev, td->src + pos, td->chunk, n);
		if (!ret)
			ret = dma_write(dev, td->dst + pos, td->chunk, n);
		if (ret)
			return ret;
		td->bytes = pos + n;
	}
	return 0;
}

static int td_fill(struct eebox_dev *dev, struct testdev *td)
{
	u32 pos, n, i;
	int ret;

	/* The pattern lines up with DST: byte i is pattern byte i % 4. */
	for (i = 0; i < TD_CHUNK; i++)
		td->chunk[i] = (u8)(td->pattern >> (8 * (i % 4)));
	for (pos = 0; pos < td->len; pos += n) {
		n = td->len - pos < TD_CHUNK ? td->len - pos : TD_CHUNK;
		ret = dma_write(dev, td->dst + pos, td->chunk, n);
		if (ret)
			return ret;
		td->bytes = pos + n;
	}
	return 0;
}

static int td_crc(struct eebox_dev *dev, struct testdev *td)
{
	u32 pos, n, crc = 0xffffffffu;
	int ret;

	for (pos = 0; pos < td->len; pos += n) {
		n = td->len - pos < TD_CHUNK ? td->len - pos : TD_CHUNK;
		ret = dma_read(dev, td->src + pos, td->chunk, n);
		if (ret)
			return ret;
		crc = crc32c(crc, td->chunk, n);
		td->bytes = pos + n;
	}
	td->result = ~crc;
	return 0;
}

static void testdev_work(struct eebox_dev *dev)
{
	struct testdev *td = dev->priv;
	unsigned int op = td->cmd & TD_OP_MASK;
	int ret;

	if (!td->start)
		return;
	td->start = false;
	td->bytes = 0;
	if (op >= TD_OP_COPY && op <= TD_OP_ROGUE)
		td->commands[op]++;
	if (!td->len || td->len > TD_LEN_MAX) {
		ret = -TD_ERR_LEN;
	} else if (op == TD_OP_COPY) {
		ret = td_copy(dev, td);
	} else if (op == TD_OP_FILL) {
		ret = td_fill(dev, td);
	} else if (op == TD_OP_CRC) {
		ret = td_crc(dev, td);
	} else if (op == TD_OP_ROGUE && td->rogue) {
		/* A device that writes where it likes, even unmastered. */
		dev->dma.ignore_bme = !!(td->cmd & TD_CMD_NOBME);
		ret = td_fill(dev, td);
		dev->dma.ignore_bme = false;
	} else {
		ret = -TD_ERR_OP;
	}
	td->status &= ~(TD_ST_BUSY | 0xff00u);
	if (ret)
		td->status |= TD_ST_ERROR | (u32)(-ret & 0xff) << 8;
	else
		td->status |= TD_ST_DONE;
	td->count++;
	if (td->cmd & TD_CMD_IRQ)
		irq_notify(dev, 0);
}

/* ---- BAR0 ------------------------------------------------------------ */

/* One run of BAR0 that is not MSI-X: registers or RAM. */
static void testdev_run(struct eebox_dev *dev, u64 off, u8 *buf, size_t len,
			bool write)
{
	struct testdev *td = dev->priv;
	u8 r[TD_REGS_LEN];
	size_t n;

	while (len) {
		if (off >= TD_REGS && off < TD_REGS + TD_REGS_LEN) {
			n = TD_REGS + TD_REGS_LEN - off;
			if (n > len)
				n = len;
			if (write) {
				regs_write(dev, off - TD_REGS, buf, n);
			} else {
				regs_image(td, r);
				memcpy(buf, r + (off - TD_REGS), n);
			}
		} else {
			n = len;
			if (off < TD_REGS && off + n > TD_REGS)
				n = TD_REGS - off;
			if (write)
				memcpy(td->ram + off, buf, n);
			else
				memcpy(buf, td->ram + off, n);
		}
		off += n;
		buf += n;
		len -= n;
	}
}

static void testdev_bar_rw(struct eebox_dev *dev, u64 off, u8 *buf,
			   size_t len, bool write)
{
	long n;

	while (len) {
		n = irq_bar_rw(dev, 0, off, buf, len, write);
		if (n < 0) {
			n = -n;
			testdev_run(dev, off, buf, (size_t)n, write);
		}
		off += (u64)n;
		buf += n;
		len -= (size_t)n;
	}
}

static void testdev_bar_read(struct eebox_dev *dev, unsigned int bar, u64 off,
			     u8 *buf, size_t len)
{
	(void)bar;		/* BAR0 is the only one */
	testdev_bar_rw(dev, off, buf, len, false);
}

static void testdev_bar_write(struct eebox_dev *dev, unsigned int bar,
			      u64 off, const u8 *buf, size_t len)
{
	(void)bar;
	testdev_bar_rw(dev, off, (u8 *)buf, len, true);
}

static void testdev_print_stats(const struct eebox_dev *dev, FILE *f,
				const char *prefix)
{
	const struct testdev *td = dev->priv;

	if (!td->count)
		return;
	fprintf(f,
		"%stestdev: %u commands: %llu copy, %llu fill, %llu crc, %llu rogue\n",
		prefix, td->count, (unsigned long long)td->commands[1],
		(unsigned long long)td->commands[2],
		(unsigned long long)td->commands[3],
		(unsigned long long)td->commands[4]);
}

const struct eebox_model testdev_model = {
	.name = "testdev",
	.summary = "test endpoint 1033:ee01, RAM-backed 64-bit BAR0, DMA engine",
	.options = "bar=SIZE (4K..64G, default 1M), vectors=N (1..128, default 4), rogue",
	.alloc = testdev_alloc,
	.set_opt = testdev_set_opt,
	.realize = testdev_realize,
	.release = testdev_release,
	.bar_read = testdev_bar_read,
	.bar_write = testdev_bar_write,
	.work = testdev_work,
	.print_stats = testdev_print_stats,
};
