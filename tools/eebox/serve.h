/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: serving the TLPs a host sends to a device.
 */
#ifndef _EEBOX_SERVE_H
#define _EEBOX_SERVE_H

#include "box.h"

struct box_host;

/*
 * Check every TLP of the TLP frame @f: 0, or the first error (the frame
 * is then dropped whole, unanswered, before the transport sees it).
 */
int serve_validate(const struct ee_frame *f);

/*
 * Serve the TLPs of @f, a validated TLP frame that @host's link delivered
 * in order.  Completions are packed into as few payloads as fit and
 * queued on the link, which sends them; posted writes are counted.
 */
void serve_payload(struct box_host *host, const struct ee_frame *f);

#endif /* _EEBOX_SERVE_H */
