/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: serving the TLPs a host sends to a device.
 */
#ifndef _EEBOX_SERVE_H
#define _EEBOX_SERVE_H

#include "box.h"

/*
 * Serve a TLP frame @f addressed to @dev (destination MAC and GID already
 * checked).  Every TLP is validated first: a frame with any malformed TLP
 * is counted and dropped whole, unanswered.  Completions are packed into
 * as few sequenced frames as fit and sent to the frame's source MAC.
 */
void serve_frame(struct box *box, struct eebox_dev *dev,
		 const struct ee_frame *f);

#endif /* _EEBOX_SERVE_H */
