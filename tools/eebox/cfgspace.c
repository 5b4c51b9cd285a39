// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: PCI configuration space model (see cfgspace.h).
 */
#include <linux/pci_regs.h>

#include "cfgmask.h"
#include "cfgspace.h"

/* Loop bound for walking a standard capability list, as in Linux. */
#define CFG_CAP_TTL	48

static bool cfg_in_range(unsigned int off, unsigned int size)
{
	return size >= 1 && size <= 4 && off < CFG_SPACE_SIZE &&
	       size <= CFG_SPACE_SIZE - off;
}

void cfg_init(struct cfgspace *cs)
{
	memset(cs, 0, sizeof(*cs));
	cs->cap_free = CFG_CAP_START;
	cs->ext_free = CFG_EXT_CAP_START;
}

u32 cfg_get(const struct cfgspace *cs, unsigned int off, unsigned int size)
{
	if (!cfg_in_range(off, size))
		return 0xffffffff;
	return ee_cfg_get_le(cs->data + off, size);
}

void cfg_set(struct cfgspace *cs, unsigned int off, unsigned int size,
	     u32 val)
{
	if (cfg_in_range(off, size))
		ee_cfg_put_le(cs->data + off, size, val);
}

void cfg_set_rw(struct cfgspace *cs, unsigned int off, unsigned int size,
		u32 mask)
{
	if (cfg_in_range(off, size))
		ee_cfg_put_le(cs->rw + off, size, mask);
}

void cfg_set_w1c(struct cfgspace *cs, unsigned int off, unsigned int size,
		 u32 mask)
{
	if (cfg_in_range(off, size))
		ee_cfg_put_le(cs->w1c + off, size, mask);
}

u32 cfg_read(const struct cfgspace *cs, unsigned int off, unsigned int size)
{
	return cfg_get(cs, off, size);
}

/* A bus write of @val to the byte at @off. */
static void cfg_write_byte(struct cfgspace *cs, unsigned int off, u8 val)
{
	cs->data[off] = ee_cfg_write_byte(cs->data[off], val, cs->rw[off],
					  cs->w1c[off]);
}

void cfg_write(struct cfgspace *cs, unsigned int off, unsigned int size,
	       u32 val)
{
	unsigned int i;

	if (!cfg_in_range(off, size))
		return;
	for (i = 0; i < size; i++, val >>= 8)
		cfg_write_byte(cs, off + i, (u8)val);
}

void cfg_read_dw(const struct cfgspace *cs, unsigned int reg, u8 data[4])
{
	reg &= ~3u;
	if (reg >= CFG_SPACE_SIZE) {
		memset(data, 0xff, 4);
		return;
	}
	memcpy(data, cs->data + reg, 4);
}

void cfg_write_dw(struct cfgspace *cs, unsigned int reg, u8 be,
		  const u8 data[4])
{
	unsigned int i;

	reg &= ~3u;
	if (reg >= CFG_SPACE_SIZE)
		return;
	for (i = 0; i < 4; i++)
		if (be & (1u << i))
			cfg_write_byte(cs, reg + i, data[i]);
}

int cfg_add_cap(struct cfgspace *cs, u8 id, unsigned int len)
{
	unsigned int off = (cs->cap_free + 3u) & ~3u;

	if (len < 2 || off + len > CFG_STD_SIZE)
		return -1;

	cs->data[off] = id;
	cs->data[off + 1] = 0;
	if (cs->cap_last)
		cs->data[cs->cap_last + 1] = (u8)off;
	else
		cs->data[PCI_CAPABILITY_LIST] = (u8)off;
	cs->data[PCI_STATUS] |= PCI_STATUS_CAP_LIST;

	cs->cap_last = (u16)off;
	cs->cap_free = (u16)(off + len);
	return (int)off;
}

int cfg_add_ext_cap(struct cfgspace *cs, u16 id, u8 version,
		    unsigned int len)
{
	unsigned int off = (cs->ext_free + 3u) & ~3u;
	u32 hdr;

	if (len < 4 || off + len > CFG_SPACE_SIZE || version > 0xf)
		return -1;

	cfg_set(cs, off, 4, (u32)id | (u32)version << 16);
	if (cs->ext_last) {
		hdr = cfg_get(cs, cs->ext_last, 4);
		hdr = (hdr & 0x000fffff) | (u32)off << 20;
		cfg_set(cs, cs->ext_last, 4, hdr);
	}

	cs->ext_last = (u16)off;
	cs->ext_free = (u16)(off + len);
	return (int)off;
}

unsigned int cfg_find_cap(const struct cfgspace *cs, u8 id)
{
	unsigned int pos, ttl = CFG_CAP_TTL;

	if (!(cs->data[PCI_STATUS] & PCI_STATUS_CAP_LIST))
		return 0;

	pos = cs->data[PCI_CAPABILITY_LIST];
	while (ttl-- && pos >= CFG_CAP_START) {
		pos &= ~3u;
		if (cs->data[pos] == 0xff)
			break;
		if (cs->data[pos] == id)
			return pos;
		pos = cs->data[pos + 1];
	}
	return 0;
}

unsigned int cfg_find_ext_cap(const struct cfgspace *cs, u16 id)
{
	unsigned int pos = CFG_EXT_CAP_START;
	unsigned int ttl = (CFG_SPACE_SIZE - CFG_STD_SIZE) / 8;
	u32 hdr;

	while (ttl--) {
		hdr = cfg_get(cs, pos, 4);
		if (hdr == 0 || hdr == 0xffffffff)
			break;
		if ((hdr & 0xffff) == id)
			return pos;
		pos = hdr >> 20;
		if (pos < CFG_EXT_CAP_START)
			break;
		pos &= ~3u;
	}
	return 0;
}

static bool is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

int cfg_add_bar(struct cfgspace *cs, unsigned int idx, u64 size,
		unsigned int flags)
{
	unsigned int off = PCI_BASE_ADDRESS_0 + 4 * idx;
	u64 mask = ~(size - 1);
	u32 type;

	if (idx >= CFG_NR_BARS || cs->bar[idx].size || cs->bar[idx].flags ||
	    !is_pow2(size) || (flags & CFG_BAR_UPPER))
		return -1;

	if (flags & CFG_BAR_IO) {
		if (flags & (CFG_BAR_MEM64 | CFG_BAR_PREFETCH) ||
		    size < 4 || size > 256)
			return -1;
		cfg_set(cs, off, 4, PCI_BASE_ADDRESS_SPACE_IO);
		cfg_set_rw(cs, off, 4, (u32)(mask & PCI_BASE_ADDRESS_IO_MASK));
		cs->bar[idx].size = size;
		cs->bar[idx].flags = flags;
		return 0;
	}

	if (size < 16)
		return -1;
	type = PCI_BASE_ADDRESS_SPACE_MEMORY;
	if (flags & CFG_BAR_PREFETCH)
		type |= PCI_BASE_ADDRESS_MEM_PREFETCH;

	if (flags & CFG_BAR_MEM64) {
		if (idx + 1 >= CFG_NR_BARS || cs->bar[idx + 1].size ||
		    cs->bar[idx + 1].flags || size > (1ull << 63))
			return -1;
		type |= PCI_BASE_ADDRESS_MEM_TYPE_64;
		cfg_set(cs, off + 4, 4, 0);
		cfg_set_rw(cs, off + 4, 4, (u32)(mask >> 32));
		cs->bar[idx + 1].flags = CFG_BAR_UPPER;
	} else if (size > (1ull << 31)) {
		return -1;
	}

	cfg_set(cs, off, 4, type);
	cfg_set_rw(cs, off, 4, (u32)mask & (u32)PCI_BASE_ADDRESS_MEM_MASK);
	cs->bar[idx].size = size;
	cs->bar[idx].flags = flags;
	return 0;
}

u64 cfg_bar_base(const struct cfgspace *cs, unsigned int idx)
{
	unsigned int off = PCI_BASE_ADDRESS_0 + 4 * idx;
	u64 base;

	if (idx >= CFG_NR_BARS || !cs->bar[idx].size)
		return 0;
	if (cs->bar[idx].flags & CFG_BAR_IO)
		return cfg_get(cs, off, 4) & PCI_BASE_ADDRESS_IO_MASK;

	base = cfg_get(cs, off, 4) & (u32)PCI_BASE_ADDRESS_MEM_MASK;
	if (cs->bar[idx].flags & CFG_BAR_MEM64)
		base |= (u64)cfg_get(cs, off + 4, 4) << 32;
	return base;
}

bool cfg_bar_decode(const struct cfgspace *cs, u64 addr, u64 len,
		    unsigned int *idx, u64 *off)
{
	unsigned int i;
	u64 base, size;

	if (!(cfg_get(cs, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY))
		return false;

	for (i = 0; i < CFG_NR_BARS; i++) {
		size = cs->bar[i].size;
		if (!size || (cs->bar[i].flags & CFG_BAR_IO))
			continue;
		base = cfg_bar_base(cs, i);
		if (addr < base || addr - base >= size ||
		    len > size - (addr - base))
			continue;
		*idx = i;
		*off = addr - base;
		return true;
	}
	return false;
}
