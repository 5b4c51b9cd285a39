/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: -v frame log on stderr, one line per frame and one per TLP.
 */
#ifndef _EEBOX_LOG_H
#define _EEBOX_LOG_H

#include "ee_types.h"

extern bool log_verbose;

/*
 * Log @frame (a whole frame, tag inline) when -v is on.  @dir is "rx" or
 * "tx"; @note (may be NULL) is appended, e.g. why a frame was dropped.
 */
void log_frame(const char *dir, const u8 *frame, size_t len, u16 ethertype,
	       const char *note);

#endif /* _EEBOX_LOG_H */
