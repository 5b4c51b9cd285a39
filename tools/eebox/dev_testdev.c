// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: "testdev", a minimal PCI Express endpoint for bring-up and tests.
 *
 * Identity: 1033:ee01 rev 01, class ff0000, subsystem 1033:ee01, type 0
 * header, Interrupt Pin 0.  BAR0/1: one 64-bit prefetchable memory BAR of
 * bar= bytes (default 1M), backed by RAM.  Options: bar=SIZE (power of two,
 * 4K..64G), vectors=N (MSI-X table size, 1..128).
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
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <linux/pci_regs.h>

#include "device.h"
#include "parse.h"

#define TESTDEV_REVISION	0x01
#define TESTDEV_CLASS		0xff0000u	/* unassigned class */

#define TESTDEV_BAR_DEFAULT	(1ull << 20)
#define TESTDEV_BAR_MIN		(4ull << 10)
#define TESTDEV_BAR_MAX		(64ull << 30)

#define TESTDEV_MSIX_TABLE	0x000
#define TESTDEV_MSIX_PBA	0x800
#define TESTDEV_MSIX_ENTRY	16
#define TESTDEV_VECTORS_DEFAULT	4
/* The table must end where the PBA begins. */
#define TESTDEV_VECTORS_MAX	(TESTDEV_MSIX_PBA / TESTDEV_MSIX_ENTRY)

#define PCI_PCIE_CAP_V2_SIZEOF	0x3c	/* whole v2 structure */
#define PCI_PM_CAP_VER_1_2	0x0003

/* Vendor-specific capability: ID, next, length, version, scratch dword. */
#define TESTDEV_VNDR_LEN	8
#define TESTDEV_VNDR_VERSION	3	/* byte offset in the capability */
#define TESTDEV_VNDR_SCRATCH	4

struct testdev {
	u64 bar_size;
	unsigned int vectors;
	u8 *ram;			/* BAR0 backing, bar_size bytes */
};

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
	if (!strcmp(key, "vectors")) {
		if (parse_u64(val, &v) || v < 1 || v > TESTDEV_VECTORS_MAX) {
			snprintf(err, errlen, "vectors must be from 1 to %d",
				 TESTDEV_VECTORS_MAX);
			return MODEL_OPT_INVALID;
		}
		td->vectors = (unsigned int)v;
		return 0;
	}
	return MODEL_OPT_UNKNOWN;
}

static void testdev_header(struct cfgspace *cs, u64 bar_size)
{
	cfg_set(cs, PCI_VENDOR_ID, 2, EXPETHER_PCI_VENDOR_ID);
	cfg_set(cs, PCI_DEVICE_ID, 2, EXPETHER_PCI_DEV_TESTDEV);
	/* No I/O BARs: I/O Space Enable stays read-only 0. */
	cfg_set_rw(cs, PCI_COMMAND, 2,
		   PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
		   PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
		   PCI_COMMAND_INTX_DISABLE);
	cfg_set_w1c(cs, PCI_STATUS, 2,
		    PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
		    PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |
		    PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY);
	cfg_set(cs, PCI_CLASS_REVISION, 4,
		TESTDEV_CLASS << 8 | TESTDEV_REVISION);
	/* Cache Line Size: no effect on PCIe, but read-write. */
	cfg_set_rw(cs, PCI_CACHE_LINE_SIZE, 1, 0xff);
	cfg_set(cs, PCI_HEADER_TYPE, 1, PCI_HEADER_TYPE_NORMAL);
	cfg_add_bar(cs, 0, bar_size, CFG_BAR_MEM64 | CFG_BAR_PREFETCH);
	cfg_set(cs, PCI_SUBSYSTEM_VENDOR_ID, 2, EXPETHER_PCI_VENDOR_ID);
	cfg_set(cs, PCI_SUBSYSTEM_ID, 2, EXPETHER_PCI_DEV_TESTDEV);
	cfg_set_rw(cs, PCI_INTERRUPT_LINE, 1, 0xff);
}

static void testdev_pm(struct cfgspace *cs, unsigned int cap)
{
	cfg_set(cs, cap + PCI_PM_PMC, 2, PCI_PM_CAP_VER_1_2);
	/* PowerState is read-only D0: only D0 is supported. */
	cfg_set(cs, cap + PCI_PM_CTRL, 2, PCI_PM_CTRL_NO_SOFT_RESET);
}

static void testdev_pcie(struct cfgspace *cs, unsigned int cap)
{
	cfg_set(cs, cap + PCI_EXP_FLAGS, 2, 2 | PCI_EXP_TYPE_ENDPOINT << 4);
	cfg_set(cs, cap + PCI_EXP_DEVCAP, 4,
		1 /* MPS 256B */ | PCI_EXP_DEVCAP_EXT_TAG |
		PCI_EXP_DEVCAP_RBER);
	cfg_set(cs, cap + PCI_EXP_DEVCTL, 2,
		PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_NOSNOOP_EN |
		PCI_EXP_DEVCTL_READRQ_512B);
	cfg_set_rw(cs, cap + PCI_EXP_DEVCTL, 2,
		   PCI_EXP_DEVCTL_CERE | PCI_EXP_DEVCTL_NFERE |
		   PCI_EXP_DEVCTL_FERE | PCI_EXP_DEVCTL_URRE |
		   PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_PAYLOAD |
		   PCI_EXP_DEVCTL_EXT_TAG | PCI_EXP_DEVCTL_NOSNOOP_EN |
		   PCI_EXP_DEVCTL_READRQ);
	cfg_set_w1c(cs, cap + PCI_EXP_DEVSTA, 2,
		    PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED |
		    PCI_EXP_DEVSTA_FED | PCI_EXP_DEVSTA_URD);
	cfg_set(cs, cap + PCI_EXP_LNKCAP, 4,
		PCI_EXP_LNKCAP_SLS_2_5GB | 1 << 4 /* x1 */);
	cfg_set_rw(cs, cap + PCI_EXP_LNKCTL, 2,
		   PCI_EXP_LNKCTL_ASPMC | PCI_EXP_LNKCTL_RCB |
		   PCI_EXP_LNKCTL_CCC | PCI_EXP_LNKCTL_ES);
	cfg_set(cs, cap + PCI_EXP_LNKSTA, 2,
		PCI_EXP_LNKSTA_CLS_2_5GB | PCI_EXP_LNKSTA_NLW_X1);
	cfg_set(cs, cap + PCI_EXP_LNKCAP2, 4, PCI_EXP_LNKCAP2_SLS_2_5GB);
	cfg_set(cs, cap + PCI_EXP_LNKCTL2, 2, PCI_EXP_LNKCTL2_TLS_2_5GT);
}

static void testdev_msix(struct cfgspace *cs, unsigned int cap,
			 unsigned int vectors)
{
	cfg_set(cs, cap + PCI_MSIX_FLAGS, 2, vectors - 1);
	cfg_set_rw(cs, cap + PCI_MSIX_FLAGS, 2,
		   PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	cfg_set(cs, cap + PCI_MSIX_TABLE, 4, TESTDEV_MSIX_TABLE | 0 /* BIR */);
	cfg_set(cs, cap + PCI_MSIX_PBA, 4, TESTDEV_MSIX_PBA | 0 /* BIR */);
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
	unsigned int i;
	int pm, exp, msix, vndr;

	testdev_header(cs, td->bar_size);

	pm = cfg_add_cap(cs, PCI_CAP_ID_PM, PCI_PM_SIZEOF);
	exp = cfg_add_cap(cs, PCI_CAP_ID_EXP, PCI_PCIE_CAP_V2_SIZEOF);
	msix = cfg_add_cap(cs, PCI_CAP_ID_MSIX, PCI_CAP_MSIX_SIZEOF);
	vndr = cfg_add_cap(cs, PCI_CAP_ID_VNDR, TESTDEV_VNDR_LEN);
	if (pm < 0 || exp < 0 || msix < 0 || vndr < 0) {
		snprintf(err, errlen, "capabilities do not fit");
		return -EINVAL;
	}
	testdev_pm(cs, (unsigned int)pm);
	testdev_pcie(cs, (unsigned int)exp);
	testdev_msix(cs, (unsigned int)msix, td->vectors);
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
	/* MSI-X vectors come out of reset masked. */
	for (i = 0; i < td->vectors; i++)
		td->ram[TESTDEV_MSIX_TABLE + i * TESTDEV_MSIX_ENTRY +
			PCI_MSIX_ENTRY_VECTOR_CTRL] = PCI_MSIX_ENTRY_CTRL_MASKBIT;
	return 0;
}

static void testdev_release(struct eebox_dev *dev)
{
	struct testdev *td = dev->priv;

	if (!td)
		return;
	if (td->ram)
		munmap(td->ram, td->bar_size);
	free(td);
	dev->priv = NULL;
}

static void testdev_bar_read(struct eebox_dev *dev, unsigned int bar, u64 off,
			     u8 *buf, size_t len)
{
	struct testdev *td = dev->priv;

	(void)bar;		/* BAR0 is the only one */
	memcpy(buf, td->ram + off, len);
}

static void testdev_bar_write(struct eebox_dev *dev, unsigned int bar,
			      u64 off, const u8 *buf, size_t len)
{
	struct testdev *td = dev->priv;

	(void)bar;
	memcpy(td->ram + off, buf, len);
}

const struct eebox_model testdev_model = {
	.name = "testdev",
	.summary = "test endpoint 1033:ee01, RAM-backed 64-bit BAR0",
	.options = "bar=SIZE (4K..64G, default 1M), vectors=N (1..128, default 4)",
	.alloc = testdev_alloc,
	.set_opt = testdev_set_opt,
	.realize = testdev_realize,
	.release = testdev_release,
	.bar_read = testdev_bar_read,
	.bar_write = testdev_bar_write,
};
