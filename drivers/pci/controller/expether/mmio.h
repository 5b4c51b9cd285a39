/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expether MMIO: the seam between the architecture's trap and the TLPs.
 *
 * An architecture provides the trap (ee_mmio_arch_*): it sees every
 * kernel mapping of the host's address window (ioremap and friends),
 * keeps it from reaching memory, and turns each CPU access to it into
 * ee_mmio_read() / ee_mmio_write() on the CPU physical address.  It also
 * refuses user mappings of BARs.  x86-64: mmio_x86.c.
 *
 * mmio.c, common to all, routes an access to the root port whose windows
 * claim it and sends it as MRd/MWr TLPs.
 */
#ifndef _EXPETHER_MMIO_H
#define _EXPETHER_MMIO_H

#include <linux/types.h>

struct ee_host;

/* Largest MWr the host sends (the minimum Max_Payload_Size any device
 * supports is 128; the port's MPS may allow up to this).
 */
#define EE_MMIO_MAX_TLP		256

/* Largest piece of a string instruction (memcpy_toio/fromio, memset_io)
 * carried out per trap; the instruction then restarts.
 */
#define EE_MMIO_CHUNK		512

/* Per-CPU buffers of mmio.c.  Process context. */
int ee_mmio_init(struct ee_host *h);
void ee_mmio_exit(struct ee_host *h);

/* Whether [@phys, @phys + @len) lies in the host's BAR windows. */
bool ee_mmio_in_window(struct ee_host *h, u64 phys, u64 len);

/* The access itself; interrupts off, never sleeps.  A read nothing
 * answers fills @buf with all-ones; writes are posted.  Always 0.
 */
int ee_mmio_read(struct ee_host *h, u64 phys, void *buf, u32 len);
int ee_mmio_write(struct ee_host *h, u64 phys, const void *buf, u32 len);

/* The architecture's trap, for one host at a time.  Process context. */
#ifdef CONFIG_X86_64
int ee_mmio_arch_init(struct ee_host *h);
void ee_mmio_arch_exit(struct ee_host *h);
/* Live kernel mappings of the window (each pins the module). */
unsigned int ee_mmio_arch_mappings(struct ee_host *h);
#else
static inline int ee_mmio_arch_init(struct ee_host *h)
{
	return -EOPNOTSUPP;
}

static inline void ee_mmio_arch_exit(struct ee_host *h)
{
}

static inline unsigned int ee_mmio_arch_mappings(struct ee_host *h)
{
	return 0;
}
#endif

#endif /* _EXPETHER_MMIO_H */
