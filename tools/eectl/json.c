// SPDX-License-Identifier: GPL-2.0
/*
 * eectl: a small streaming JSON writer (see json.h).
 */
#include <inttypes.h>

#include "json.h"

void json_open(struct json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->pretty = pretty;
	j->depth = 0;
	j->first[0] = true;
}

void json_close(struct json *j)
{
	fputc('\n', j->f);
}

static void json_indent(struct json *j)
{
	int i;

	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

static void json_string(struct json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', j->f);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", j->f);
			break;
		case '\\':
			fputs("\\\\", j->f);
			break;
		case '\n':
			fputs("\\n", j->f);
			break;
		case '\t':
			fputs("\\t", j->f);
			break;
		default:
			if (*p < 0x20)
				fprintf(j->f, "\\u%04x", *p);
			else
				fputc(*p, j->f);
		}
	}
	fputc('"', j->f);
}

/* The separator and key before a value. */
static void json_key(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (j->depth)
		json_indent(j);
	if (key) {
		json_string(j, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

static void json_push(struct json *j, const char *key, char open, char close)
{
	json_key(j, key);
	fputc(open, j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH) {
		j->depth++;
		j->first[j->depth] = true;
		j->close[j->depth] = close;
	}
}

void json_obj(struct json *j, const char *key)
{
	json_push(j, key, '{', '}');
}

void json_arr(struct json *j, const char *key)
{
	json_push(j, key, '[', ']');
}

void json_end(struct json *j)
{
	bool empty;
	char c;

	if (!j->depth)
		return;
	empty = j->first[j->depth];
	c = j->close[j->depth];
	j->depth--;
	if (!empty)
		json_indent(j);
	fputc(c, j->f);
}

void json_str(struct json *j, const char *key, const char *v)
{
	json_key(j, key);
	json_string(j, v);
}

void json_uint(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	fputs(v ? "true" : "false", j->f);
}
