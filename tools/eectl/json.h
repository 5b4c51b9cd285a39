/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eectl: a small streaming JSON writer (compact, or indented with -p).
 *
 *	json_open(&j, stdout, pretty);
 *	json_obj(&j, NULL);			{
 *	json_str(&j, "mac", "02:ee:...");	  "mac": "02:ee:...",
 *	json_arr(&j, "peers");			  "peers": [
 *	json_end(&j);				  ]
 *	json_end(&j);				}
 *	json_close(&j);				newline
 *
 * Keys are given inside objects and NULL inside arrays.
 */
#ifndef _EECTL_JSON_H
#define _EECTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE *f;
	bool pretty;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* nothing written at this depth yet */
	char close[JSON_MAX_DEPTH];	/* '}' or ']' */
};

void json_open(struct json *j, FILE *f, bool pretty);
/* A newline after the top-level value. */
void json_close(struct json *j);
void json_obj(struct json *j, const char *key);
void json_arr(struct json *j, const char *key);
void json_end(struct json *j);
void json_str(struct json *j, const char *key, const char *v);
void json_uint(struct json *j, const char *key, uint64_t v);
void json_bool(struct json *j, const char *key, bool v);

#endif /* _EECTL_JSON_H */
