// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: Device Information Frames of an I/O-side bridge (see dif.h).
 */
#include <linux/pci_regs.h>

#include "dif.h"

static int dif_make(const struct eebox_dev *dev, u16 gid, u8 flags,
		    u16 ethertype, u16 interval_ms, u8 *buf, size_t cap)
{
	const struct cfgspace *cs = &dev->cfg;
	u8 payload[EXPETHER_DIF_LEN];
	struct ee_frame f = {
		.tci = gid,
		.ethertype = ethertype,
		.hdr = {
			.version = EXPETHER_VERSION,
			.type = EXPETHER_FT_DIF,
		},
	};
	struct ee_dif d = {
		.role = EXPETHER_ROLE_IO,
		.flags = flags,
		.interval_ms = interval_ms,
		.gid = gid,
		.bridge_id = dev->bridge_id,
		.epoch = dev->epoch,
		.vendor = (u16)cfg_read(cs, PCI_VENDOR_ID, 2),
		.device = (u16)cfg_read(cs, PCI_DEVICE_ID, 2),
		.class_rev = cfg_read(cs, PCI_CLASS_REVISION, 4),
		.subsys_vendor = (u16)cfg_read(cs, PCI_SUBSYSTEM_VENDOR_ID, 2),
		.subsys_id = (u16)cfg_read(cs, PCI_SUBSYSTEM_ID, 2),
	};

	memset(f.dst, 0xff, 6);
	memcpy(f.src, dev->mac, 6);
	memcpy(d.mac, dev->mac, 6);
	ee_dif_put(payload, &d);
	return ee_frame_build(buf, cap, &f, payload, sizeof(payload));
}

int dif_build(const struct eebox_dev *dev, u16 ethertype, u16 interval_ms,
	      u8 *buf, size_t cap)
{
	return dif_make(dev, dev->gid, EXPETHER_DIF_F_PRESENT, ethertype,
			interval_ms, buf, cap);
}

int dif_build_leave(const struct eebox_dev *dev, u16 gid, u16 ethertype,
		    u16 interval_ms, u8 *buf, size_t cap)
{
	return dif_make(dev, gid, 0, ethertype, interval_ms, buf, cap);
}
