// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: strict parsers for command-line values (see parse.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "parse.h"

int parse_u64(const char *s, u64 *val)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*val = v;
	return 0;
}

int parse_size(const char *s, u64 *val)
{
	static const char suffixes[] = "KMGT";
	unsigned long long v;
	const char *p;
	unsigned int shift = 0;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -1;
	if (*end) {
		p = strchr(suffixes, toupper((unsigned char)*end));
		if (!p || end[1])
			return -1;
		shift = 10 * (unsigned int)(p - suffixes + 1);
		if (v > (~0ull >> shift))
			return -1;
	}
	*val = (u64)v << shift;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int parse_mac(const char *s, u8 mac[6])
{
	u8 m[6];
	int i, hi, lo;

	for (i = 0; i < 6; i++) {
		hi = hexval(s[0]);
		lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0 || s[2] != (i == 5 ? '\0' : ':'))
			return -1;
		m[i] = (u8)(hi << 4 | lo);
		s += 3;
	}
	memcpy(mac, m, 6);
	return 0;
}

char *mac_str(char *buf, const u8 mac[6])
{
	snprintf(buf, MAC_STR_LEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}
