/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: strict parsers for command-line values.  Each returns 0 on success
 * and -1 when the whole string is not a valid value (no partial parses).
 */
#ifndef _EEBOX_PARSE_H
#define _EEBOX_PARSE_H

#include "ee_types.h"

/* Decimal, 0x hex or 0 octal, like strtoull(..., 0) but whole-string. */
int parse_u64(const char *s, u64 *val);
/* Like parse_u64 with an optional K, M, G or T suffix (powers of 1024). */
int parse_size(const char *s, u64 *val);
/* "xx:xx:xx:xx:xx:xx" */
int parse_mac(const char *s, u8 mac[6]);

#define MAC_STR_LEN	18
/* Format @mac into @buf (MAC_STR_LEN bytes); returns @buf. */
char *mac_str(char *buf, const u8 mac[6]);

#endif /* _EEBOX_PARSE_H */
