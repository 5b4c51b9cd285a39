/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: configuration space in the text form of `lspci -xxxx` (rows of 16
 * bytes: "%02x:" offset, then " %02x" per byte; no header line), printed
 * for --dump-config and kept in --state-dir files.
 */
#ifndef _EEBOX_CFGDUMP_H
#define _EEBOX_CFGDUMP_H

#include "cfgspace.h"

/* 256 rows of "fff:" + 16 * " xx" + "\n". */
#define CFGDUMP_MAX	(CFG_SPACE_SIZE / 16 * (4 + 16 * 3 + 1) + 1)

/* Format all 4096 bytes into @buf (CFGDUMP_MAX bytes); return the length. */
size_t cfgdump_format(const struct cfgspace *cs, char *buf);
/* Print to @f.  0 or -errno. */
int cfgdump_print(const struct cfgspace *cs, FILE *f);
/* Replace @path atomically (write @path.tmp, rename).  0 or -errno. */
int cfgdump_save(const struct cfgspace *cs, const char *path);

#endif /* _EEBOX_CFGDUMP_H */
