/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-bit rules of a PCI configuration register, shared by the
 * module's emulated root ports (rootport.c) and eebox's endpoint models
 * (tools/eebox/cfgspace.c): each bit is read-only, read-write or
 * write-1-to-clear, and registers are little-endian byte arrays.
 */
#ifndef _EE_CFGMASK_H
#define _EE_CFGMASK_H

#include "ee_types.h"

static inline u32 ee_cfg_get_le(const u8 *p, unsigned int size)
{
	u32 v = 0;

	while (size--)
		v = v << 8 | p[size];
	return v;
}

static inline void ee_cfg_put_le(u8 *p, unsigned int size, u32 v)
{
	unsigned int i;

	for (i = 0; i < size; i++, v >>= 8)
		p[i] = (u8)v;
}

/*
 * The new value of a config byte holding @old after a bus write of @val:
 * read-write bits (@rw) take the written value, write-1-to-clear bits
 * (@w1c) clear where a 1 is written, all others keep their value.
 */
static inline u8 ee_cfg_write_byte(u8 old, u8 val, u8 rw, u8 w1c)
{
	u8 v = (u8)((old & ~rw) | (val & rw));

	return (u8)(v & ~(val & w1c));
}

#endif /* _EE_CFGMASK_H */
