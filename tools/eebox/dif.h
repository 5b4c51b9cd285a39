/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: Device Information Frames of an I/O-side bridge.
 */
#ifndef _EEBOX_DIF_H
#define _EEBOX_DIF_H

#include "device.h"

/* Room for one DIF frame (longer than the Ethernet minimum). */
#define DIF_FRAME_MAX	(EXPETHER_L2_HLEN + EXPETHER_HLEN + EXPETHER_DIF_LEN)

/*
 * Build the broadcast DIF of @dev: role I/O bridge, device present, its
 * identity and the device summary from its configuration space.  Returns
 * the frame length or a negative ee_err.
 */
int dif_build(const struct eebox_dev *dev, u16 ethertype, u16 interval_ms,
	      u8 *buf, size_t cap);
/*
 * The last DIF of @dev in group @gid, which it leaves: device present
 * clear, so that the group's host removes it at once rather than after
 * the DIF timeout.
 */
int dif_build_leave(const struct eebox_dev *dev, u16 gid, u16 ethertype,
		    u16 interval_ms, u8 *buf, size_t cap);

#endif /* _EEBOX_DIF_H */
