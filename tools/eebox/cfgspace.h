/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: PCI configuration space model.
 *
 * 4096 bytes of register contents plus two per-bit masks that say how a
 * configuration write from the bus affects each bit:
 *
 *   rw  bit set: read-write
 *   w1c bit set: write 1 to clear (writing 0 leaves the bit alone)
 *   neither:     read-only (hardware-initialised or hard-wired)
 *
 * Models build their reset image with the raw cfg_set*() helpers (which
 * ignore the masks), then the bus accesses the space with cfg_read*() and
 * cfg_write*().  BAR sizing falls out of the masks: the bits below a BAR's
 * size and its type bits are read-only, so writing all-ones reads back the
 * size mask.
 */
#ifndef _EEBOX_CFGSPACE_H
#define _EEBOX_CFGSPACE_H

#include "ee_types.h"

#define CFG_SPACE_SIZE		4096	/* PCI Express extended space */
#define CFG_STD_SIZE		256	/* conventional PCI space */
#define CFG_CAP_START		0x40	/* first byte after the type 0/1 header */
#define CFG_EXT_CAP_START	0x100
#define CFG_NR_BARS		6

/* cfg_add_bar() flags */
#define CFG_BAR_IO		0x1	/* I/O space (else memory) */
#define CFG_BAR_MEM64		0x2	/* 64-bit memory BAR: uses two slots */
#define CFG_BAR_PREFETCH	0x4	/* prefetchable memory */
#define CFG_BAR_UPPER		0x8	/* internal: upper half of a 64-bit BAR */

struct cfg_bar {
	u64 size;		/* bytes; 0 = slot not implemented */
	unsigned int flags;	/* CFG_BAR_* */
};

struct cfgspace {
	u8 data[CFG_SPACE_SIZE];
	u8 rw[CFG_SPACE_SIZE];
	u8 w1c[CFG_SPACE_SIZE];
	struct cfg_bar bar[CFG_NR_BARS];
	u16 cap_free;		/* next free byte for a standard capability */
	u16 cap_last;		/* last standard capability, 0 = none yet */
	u16 ext_free;		/* next free byte for an extended capability */
	u16 ext_last;		/* last extended capability, 0 = none yet */
};

/* An all-zero, all-read-only space with empty capability lists. */
void cfg_init(struct cfgspace *cs);

/*
 * Raw access for building the reset image, little-endian, @size 1, 2 or 4
 * bytes at any offset inside the space.  Masks are not consulted.
 */
u32 cfg_get(const struct cfgspace *cs, unsigned int off, unsigned int size);
void cfg_set(struct cfgspace *cs, unsigned int off, unsigned int size,
	     u32 val);
/* Declare which bits of the field at @off are RW / W1C (others stay). */
void cfg_set_rw(struct cfgspace *cs, unsigned int off, unsigned int size,
		u32 mask);
void cfg_set_w1c(struct cfgspace *cs, unsigned int off, unsigned int size,
		 u32 mask);

/*
 * Bus access.  cfg_read() equals cfg_get(); cfg_write() applies the masks.
 * Out-of-range accesses read as all-ones and write nothing.
 */
u32 cfg_read(const struct cfgspace *cs, unsigned int off, unsigned int size);
void cfg_write(struct cfgspace *cs, unsigned int off, unsigned int size,
	       u32 val);

/*
 * One DW as a configuration TLP carries it: @reg is DW aligned, data is in
 * address order (data[0] is the byte at @reg) and @be bit i enables byte i.
 * cfg_read_dw() returns the whole DW (reads have no side effects here).
 */
void cfg_read_dw(const struct cfgspace *cs, unsigned int reg, u8 data[4]);
void cfg_write_dw(struct cfgspace *cs, unsigned int reg, u8 be,
		  const u8 data[4]);

/*
 * Append a capability of @len bytes (header included) to the standard list
 * (0x40..0xff) or the extended list (0x100..0xfff).  The header is written
 * and linked; the body is zero and read-only until the caller fills it.
 * Return the capability's offset, or -1 when it does not fit.
 */
int cfg_add_cap(struct cfgspace *cs, u8 id, unsigned int len);
int cfg_add_ext_cap(struct cfgspace *cs, u16 id, u8 version,
		    unsigned int len);
/* Walk the lists (loop-safe).  Return the offset, or 0 when absent. */
unsigned int cfg_find_cap(const struct cfgspace *cs, u8 id);
unsigned int cfg_find_ext_cap(const struct cfgspace *cs, u16 id);

/*
 * Define BAR @idx of a type 0 header: @size is a power of two (memory:
 * 16 bytes .. 2 GiB, or .. 2^63 with CFG_BAR_MEM64, which also takes slot
 * @idx + 1; I/O: 4 .. 256 bytes).  Returns 0, or -1 on a bad definition.
 */
int cfg_add_bar(struct cfgspace *cs, unsigned int idx, u64 size,
		unsigned int flags);
/* Address currently programmed into BAR @idx (type bits masked off). */
u64 cfg_bar_base(const struct cfgspace *cs, unsigned int idx);
/*
 * Find the memory BAR that claims [addr, addr + len): Memory Space Enable
 * must be set and the whole range must lie inside one BAR.  On success
 * store the BAR index and the offset into it and return true.
 */
bool cfg_bar_decode(const struct cfgspace *cs, u64 addr, u64 len,
		    unsigned int *idx, u64 *off);

#endif /* _EEBOX_CFGSPACE_H */
