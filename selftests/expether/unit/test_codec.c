// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of net/expether/ee_codec.c: the test vectors of ee_vectors.h
 * (decode, re-encode, errors, agreement with protocol.rst), round trips of
 * every TLP kind and of the DIF and MGMT payloads, builder errors, and a
 * robustness run (every truncation of every vector, then pseudo-random
 * mutations with a fixed seed) under ASan/UBSan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ee_codec.h"
#include "ee_vectors.h"
#include "ee_test.h"

#ifndef EE_SRCTOP
#define EE_SRCTOP "../../.."
#endif

#define FUZZ_ITERATIONS		300000
#define RANDOM_TLPS		50000

/* ---- helpers ------------------------------------------------------------ */

static uint64_t rng_state = 0x6578706574686572ULL;	/* "expether" */

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static unsigned int rnd_below(unsigned int n)
{
	return n ? (unsigned int)(rnd() % n) : 0;
}

/* An exact-size heap copy, so ASan sees any read past the end. */
static u8 *dup_bytes(const u8 *p, size_t len)
{
	u8 *q = malloc(len ? len : 1);

	if (!q) {
		perror("malloc");
		exit(2);
	}
	if (len)
		memcpy(q, p, len);
	return q;
}

static const char *diff_or_empty(const char *d)
{
	return d ? d : "";
}

/* Parse every TLP of a TLP frame payload; returns the first error or 0. */
static int parse_all_tlps(const u8 *p, size_t len, unsigned int *count)
{
	struct ee_tlp t;
	size_t off = 0;
	int r;

	*count = 0;
	while (off < len) {
		r = ee_tlp_parse(p + off, len - off, &t);
		if (r < 0)
			return r;
		if (r == 0 || (size_t)r > len - off)
			return -1000;	/* impossible: flagged by callers */
		off += (size_t)r;
		(*count)++;
	}
	return 0;
}

/*
 * Re-encode a parsed frame from its decoded fields: every TLP through
 * ee_tlp_build, DIF/MGMT through their put functions.  Returns the frame
 * length or a negative error.
 */
static int reencode(const struct ee_frame *f, u8 *out, size_t cap,
		    bool in_place)
{
	u8 pl[EXPETHER_MAX_PAYLOAD];
	u8 *dst = in_place ? out + EXPETHER_L2_HLEN + EXPETHER_HLEN : pl;
	size_t dcap = in_place ? cap - EXPETHER_L2_HLEN - EXPETHER_HLEN :
		      sizeof(pl);
	size_t off = 0;
	struct ee_tlp t;
	struct ee_dif d;
	struct ee_mgmt m;
	int r;

	switch (f->hdr.type) {
	case EXPETHER_FT_TLP:
		while (off < f->hdr.length) {
			r = ee_tlp_parse(f->payload + off, f->hdr.length - off,
					 &t);
			if (r < 0)
				return r;
			off += (size_t)r;
			r = ee_tlp_build(dst + (off - (size_t)r), dcap, &t);
			if (r < 0)
				return r;
		}
		break;
	case EXPETHER_FT_DIF:
		r = ee_dif_parse(f->payload, f->hdr.length, &d);
		if (r < 0)
			return r;
		ee_dif_put(dst, &d);
		off = EXPETHER_DIF_LEN;
		break;
	case EXPETHER_FT_MGMT:
		r = ee_mgmt_parse(f->payload, f->hdr.length, &m);
		if (r < 0)
			return r;
		ee_mgmt_put(dst, &m);
		off = EXPETHER_MGMT_LEN;
		break;
	default:
		break;
	}
	return ee_frame_build(out, cap, f, dst, off);
}

static bool tlp_equal(const struct ee_tlp *a, const struct ee_tlp *b)
{
	if (ee_vec_tlp_diff(a, b))
		return false;
	if (!ee_tlp_has_data(a))
		return !a->data && !b->data;
	if (!a->data || !b->data)
		return false;
	return !memcmp(a->data, b->data, (size_t)a->length * 4);
}

static void hexdump(const char *what, const u8 *p, size_t len)
{
	size_t i;

	printf("# %s:", what);
	for (i = 0; i < len; i++)
		printf("%s%02x", i % 16 ? " " : "\n#   ", p[i]);
	printf("\n");
}

static const struct ee_vector *find_vector(const char *name)
{
	size_t i;

	for (i = 0; i < EE_N_VECTORS; i++)
		if (!strcmp(ee_vectors[i].name, name))
			return &ee_vectors[i];
	return NULL;
}

/* ---- the vectors --------------------------------------------------------- */

static void check_vector(const struct ee_vector *v)
{
	const u8 *pl = v->bytes + EXPETHER_L2_HLEN + EXPETHER_HLEN;
	u8 *buf = dup_bytes(v->bytes, v->len);
	u8 out[1600];
	struct ee_frame f;
	struct ee_tlp t;
	struct ee_dif d;
	struct ee_mgmt m;
	char str[256];
	unsigned int n;
	int r;

	ee_test_ctx("%s", v->name);
	memset(&f, 0, sizeof(f));
	r = ee_frame_parse(buf, v->len, v->ethertype, &f);
	EE_CHECK_EQ(r, v->frame_err);
	if (r || v->frame_err)
		goto out;

	EE_CHECK(!ee_vec_frame_diff(&f, &v->frame), "field %s",
		 diff_or_empty(ee_vec_frame_diff(&f, &v->frame)));
	EE_CHECK(f.payload == buf + (pl - v->bytes));
	EE_CHECK_EQ(ee_frame_gid(&f), v->frame.tci & 0xfff);

	switch (f.hdr.type) {
	case EXPETHER_FT_TLP:
		r = ee_tlp_parse(f.payload, f.hdr.length, &t);
		if (v->payload_err) {
			EE_CHECK_EQ(r, v->payload_err);
			goto out;
		}
		EE_CHECK_EQ(r, v->tlp_size);
		EE_CHECK(!ee_vec_tlp_diff(&t, &v->tlp), "field %s",
			 diff_or_empty(ee_vec_tlp_diff(&t, &v->tlp)));
		if (v->tlp_data) {
			EE_CHECK(t.data == f.payload + (r - t.length * 4));
			EE_CHECK(t.data &&
				 !memcmp(t.data, v->tlp_data, t.length * 4u));
		} else {
			EE_CHECK(!t.data);
		}
		EE_CHECK_EQ(ee_tlp_size(&t), v->tlp_size);
		r = ee_tlp_format(str, sizeof(str), &t);
		EE_CHECK(!strcmp(str, v->tlp_str), "\"%s\" != \"%s\"", str,
			 v->tlp_str);
		EE_CHECK_EQ(r, strlen(str));
		EE_CHECK_EQ(parse_all_tlps(f.payload, f.hdr.length, &n), 0);
		break;
	case EXPETHER_FT_DIF:
		r = ee_dif_parse(f.payload, f.hdr.length, &d);
		EE_CHECK_EQ(r, v->payload_err);
		if (r || v->payload_err)
			goto out;
		EE_CHECK(!ee_vec_dif_diff(&d, &v->dif), "field %s",
			 diff_or_empty(ee_vec_dif_diff(&d, &v->dif)));
		EE_CHECK(!memcmp(d.mac, f.src, 6), "DIF mac != source MAC");
		EE_CHECK_EQ(d.gid, ee_frame_gid(&f));
		break;
	case EXPETHER_FT_MGMT:
		r = ee_mgmt_parse(f.payload, f.hdr.length, &m);
		EE_CHECK_EQ(r, v->payload_err);
		if (r || v->payload_err)
			goto out;
		EE_CHECK(!ee_vec_mgmt_diff(&m, &v->mgmt), "field %s",
			 diff_or_empty(ee_vec_mgmt_diff(&m, &v->mgmt)));
		break;
	case EXPETHER_FT_ACK:
		EE_CHECK_EQ(v->payload_err, 0);
		break;
	default:
		EE_CHECK(0, "unexpected frame type %u", f.hdr.type);
		break;
	}

	/* re-encode from the decoded fields: the identical bytes */
	memset(out, 0xa5, sizeof(out));
	r = reencode(&f, out, sizeof(out), false);
	EE_CHECK_EQ(r, v->len);
	if (r == (int)v->len) {
		EE_CHECK(!memcmp(out, v->bytes, v->len), "re-encoded bytes differ");
		if (memcmp(out, v->bytes, v->len))
			hexdump("re-encoded", out, v->len);
	}
	/* again, with the payload built in place */
	memset(out, 0x5a, sizeof(out));
	r = reencode(&f, out, sizeof(out), true);
	EE_CHECK_EQ(r, v->len);
	EE_CHECK(r == (int)v->len && !memcmp(out, v->bytes, v->len));
	/* exactly enough room, then one byte too little */
	r = reencode(&f, out, v->len, false);
	EE_CHECK_EQ(r, v->len);
	r = reencode(&f, out, v->len - 1, false);
	EE_CHECK_EQ(r, -EE_ERR_NOSPC);
out:
	free(buf);
	ee_test_ctx("%s", "");
}

static void test_vectors(void)
{
	size_t i, j;

	ee_test_begin("vectors");
	EE_CHECK_EQ(EE_N_VECTORS, sizeof(ee_vectors) / sizeof(ee_vectors[0]));
	for (i = 0; i < EE_N_VECTORS; i++) {
		check_vector(&ee_vectors[i]);
		for (j = 0; j < i; j++)
			EE_CHECK(strcmp(ee_vectors[i].name, ee_vectors[j].name),
				 "duplicate name %s", ee_vectors[i].name);
	}
	ee_test_end();
}

/* The brief's list of required vectors is present, with the right error. */
static void test_vector_coverage(void)
{
	static const struct {
		const char *name;
		int frame_err, payload_err;
	} want[] = {
		{ "dif_host", 0, 0 },
		{ "dif_io", 0, 0 },
		{ "cfgrd0", 0, 0 },
		{ "cpld", 0, 0 },
		{ "cfgwr0", 0, 0 },
		{ "cpl", 0, 0 },
		{ "mrd64", 0, 0 },
		{ "mwr32", 0, 0 },
		{ "ack", 0, 0 },
		{ "mgmt_set_gid", 0, 0 },
		{ "bad_trunc", -EE_ERR_TRUNC, 0 },
		{ "bad_version", -EE_ERR_VERSION, 0 },
		{ "bad_tlp_len", 0, -EE_ERR_TLP_LEN },
		{ "bad_type", -EE_ERR_TYPE, 0 },
		{ "bad_gid0", -EE_ERR_FIELD, 0 },
		{ "bad_notag", -EE_ERR_NOTAG, 0 },
		{ "bad_tlp_prefix", 0, -EE_ERR_TLP_FMT },
	};
	const struct ee_vector *v;
	size_t i;

	ee_test_begin("vector coverage");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		v = find_vector(want[i].name);
		EE_CHECK(v, "missing vector %s", want[i].name);
		if (!v)
			continue;
		EE_CHECK_EQ(v->frame_err, want[i].frame_err);
		EE_CHECK_EQ(v->payload_err, want[i].payload_err);
	}
	v = find_vector("dif_io");
	EE_CHECK(v && v->dif.vendor == EXPETHER_PCI_VENDOR_ID &&
		 v->dif.device == EXPETHER_PCI_DEV_TESTDEV &&
		 v->dif.class_rev == 0xff000001);
	v = find_vector("cfgrd0");
	EE_CHECK(v && v->frame.tci == 5 && v->tlp.req_id == 0x0008 &&
		 v->tlp.tag == 0x12 && v->tlp.target_id == 0x0100 &&
		 v->ethertype == EXPETHER_ETHERTYPE_DEFAULT);
	ee_test_end();
}

/* The helpers build the same TLPs as the vectors. */
static void test_init_helpers(void)
{
	const struct ee_vector *rd = find_vector("cfgrd0");
	const struct ee_vector *cpld = find_vector("cpld");
	const struct ee_vector *wr = find_vector("cfgwr0");
	const struct ee_vector *cpl = find_vector("cpl");
	const size_t off = EXPETHER_L2_HLEN + EXPETHER_HLEN;
	struct ee_tlp req, c;
	u8 buf[64];
	int r;

	ee_test_begin("init helpers");
	if (!rd || !cpld || !wr || !cpl) {
		EE_CHECK(0, "vectors missing");
		ee_test_end();
		return;
	}
	ee_tlp_init_cfg(&req, false, false, 0x0008, 0x12, 0x0100, 0, 0xf,
			NULL);
	r = ee_tlp_build(buf, sizeof(buf), &req);
	EE_CHECK_EQ(r, 12);
	EE_CHECK(!memcmp(buf, rd->bytes + off, 12));
	EE_CHECK(!ee_vec_tlp_diff(&req, &rd->tlp));

	ee_tlp_init_cpl(&c, &req, 0x0100, EE_CPL_SC, cpld->tlp_data, 1, 4, 0);
	EE_CHECK_EQ(c.kind, EE_TLP_CPLD);
	r = ee_tlp_build(buf, sizeof(buf), &c);
	EE_CHECK_EQ(r, 16);
	EE_CHECK(!memcmp(buf, cpld->bytes + off, 16));

	ee_tlp_init_cfg(&req, true, false, 0x0008, 0x13, 0x0100, 0x04 | 2,
			0x3, wr->tlp_data);
	EE_CHECK_EQ(req.reg, 4);
	r = ee_tlp_build(buf, sizeof(buf), &req);
	EE_CHECK_EQ(r, 16);
	EE_CHECK(!memcmp(buf, wr->bytes + off, 16));

	ee_tlp_init_cpl(&c, &req, 0x0100, EE_CPL_SC, NULL, 1, 4, 0);
	EE_CHECK_EQ(c.kind, EE_TLP_CPL);
	EE_CHECK_EQ(c.length, 0);
	r = ee_tlp_build(buf, sizeof(buf), &c);
	EE_CHECK_EQ(r, 12);
	EE_CHECK(!memcmp(buf, cpl->bytes + off, 12));

	ee_tlp_init_cfg(&req, true, true, 0x0008, 0x7f, 0x0208, 0x100, 0xf,
			wr->tlp_data);
	EE_CHECK_EQ(req.kind, EE_TLP_CFGWR1);
	ee_tlp_init_cfg(&req, false, true, 0x0008, 0x7f, 0x0208, 0x100, 0xf,
			wr->tlp_data);
	EE_CHECK_EQ(req.kind, EE_TLP_CFGRD1);
	EE_CHECK(!req.data);
	req.tc = 3;
	req.attr = 5;
	ee_tlp_init_cpl(&c, &req, 0x0208, EE_CPL_UR, NULL, 0, 4, 0xff);
	EE_CHECK(c.tc == 3 && c.attr == 5 && c.req_id == 0x0008 &&
		 c.tag == 0x7f && c.status == EE_CPL_UR && c.lower_addr == 0x7f);
	ee_test_end();
}

/* ---- protocol.rst agrees with ee_vectors.h ------------------------------ */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * "   0010  88 b5 01 ..." -> bytes appended at *n; returns false if the line
 * is not a dump line or its offset is not *n.
 */
static bool parse_dump_line(const char *l, u8 *out, size_t cap, size_t *n)
{
	unsigned int off = 0;
	int i, hi, lo;

	while (*l == ' ')
		l++;
	for (i = 0; i < 4; i++) {
		if (hexval(l[i]) < 0)
			return false;
		off = off * 16 + (unsigned int)hexval(l[i]);
	}
	l += 4;
	if (l[0] != ' ' || l[1] != ' ' || off != *n)
		return false;
	l += 1;
	while (l[0] == ' ') {
		hi = hexval(l[1]);
		lo = hi < 0 ? -1 : hexval(l[2]);
		if (hi < 0 || lo < 0 || *n >= cap)
			return false;
		out[(*n)++] = (u8)(hi << 4 | lo);
		l += 3;
	}
	return *l == '\n' || *l == '\0';
}

static void test_doc(void)
{
	static const char path[] = EE_SRCTOP "/Documentation/expether/protocol.rst";
	unsigned int seen[EE_N_VECTORS] = { 0 };
	const struct ee_vector *v = NULL;
	char line[512], name[64];
	u8 bytes[2048];
	size_t n = 0, i;
	bool in_dump = false;
	FILE *fp;

	ee_test_begin("protocol.rst examples");
	fp = fopen(path, "r");
	EE_CHECK(fp, "cannot open %s", path);
	if (!fp) {
		ee_test_end();
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, ".. ee-vector: %63s", name) == 1) {
			v = find_vector(name);
			EE_CHECK(v, "protocol.rst shows unknown vector %s", name);
			if (v)
				seen[v - ee_vectors]++;
			n = 0;
			in_dump = false;
			continue;
		}
		if (!v)
			continue;
		if (parse_dump_line(line, bytes, sizeof(bytes), &n)) {
			in_dump = true;
			continue;
		}
		if (in_dump) {
			/* the dump ended: compare */
			ee_test_ctx("%s", v->name);
			EE_CHECK_EQ(n, v->len);
			EE_CHECK(n == v->len && !memcmp(bytes, v->bytes, n),
				 "protocol.rst bytes differ from ee_vectors.h");
			ee_test_ctx("%s", "");
			v = NULL;
			in_dump = false;
		}
	}
	fclose(fp);
	EE_CHECK(!v, "protocol.rst ends inside a dump");
	for (i = 0; i < EE_N_VECTORS; i++)
		EE_CHECK_EQ(seen[i], 1);
	ee_test_end();
}

/* ---- round trips ------------------------------------------------------- */

static u8 random_data[4096];

static void random_tlp(struct ee_tlp *t, unsigned int kind)
{
	unsigned int bytes, page_off;

	memset(t, 0, sizeof(*t));
	t->kind = (u8)kind;
	t->req_id = (u16)rnd();
	t->tag = (u8)rnd();
	t->ep = rnd() & 1;
	t->tc = rnd() & 7;
	t->attr = rnd() & 7;
	/* small lengths most of the time, the extremes sometimes */
	switch (rnd_below(4)) {
	case 0:
		t->length = 1;
		break;
	case 1:
		t->length = EE_TLP_MAX_DW;
		break;
	default:
		t->length = (u16)(1 + rnd_below(rnd() & 1 ? 16 : 1024));
		break;
	}

	switch (kind) {
	case EE_TLP_MRD:
	case EE_TLP_MWR:
		bytes = t->length * 4u;
		page_off = rnd_below((4096 - bytes) / 4 + 1) * 4;
		if (rnd() & 1)
			t->addr = (rnd() & 0xfffff000ULL) | page_off;
		else
			t->addr = (rnd() & ~0xfffULL) | page_off;
		if (rnd_below(8) == 0)	/* the 4 GiB boundary */
			t->addr = rnd() & 1 ? 0xfffff000ULL : 0x100000000ULL;
		if (rnd_below(8) == 0)
			t->addr = 0xffffffffffff0000ULL;
		if (t->length == 1) {
			t->first_be = rnd() & 0xf;
		} else {
			t->first_be = 1 + rnd_below(15);
			t->last_be = 1 + rnd_below(15);
		}
		break;
	case EE_TLP_CFGRD0:
	case EE_TLP_CFGWR0:
	case EE_TLP_CFGRD1:
	case EE_TLP_CFGWR1:
		t->tc = 0;
		t->attr = 0;
		t->length = 1;
		t->first_be = rnd() & 0xf;
		t->target_id = (u16)rnd();
		t->reg = rnd() & 0xffc;
		break;
	case EE_TLP_CPL:
	case EE_TLP_CPLD:
		t->cpl_id = (u16)rnd();
		t->status = rnd() & 7;
		t->bcm = rnd() & 1;
		t->byte_count = (u16)(1 + rnd_below(4096));
		t->lower_addr = rnd() & 0x7f;
		break;
	case EE_TLP_MSG:
	case EE_TLP_MSGD:
		t->msg_code = (u8)rnd();
		t->msg_routing = rnd() & 7;
		for (bytes = 0; bytes < sizeof(t->msg_bytes); bytes++)
			t->msg_bytes[bytes] = (u8)rnd();
		break;
	}
	if (kind == EE_TLP_CPL || kind == EE_TLP_MSG)
		t->length = 0;
	if (ee_tlp_has_data(t))
		t->data = random_data;
}

static void test_tlp_roundtrip(void)
{
	static u8 buf[4200], buf2[4200];
	struct ee_tlp t, p, p2;
	unsigned int i, kind, seen[EE_TLP_MSGD + 1] = { 0 };
	size_t hlen;
	char str[512];
	int r, r2;

	ee_test_begin("TLP round trips");
	for (i = 0; i < sizeof(random_data); i++)
		random_data[i] = (u8)rnd();
	for (i = 0; i < RANDOM_TLPS; i++) {
		kind = i % (EE_TLP_MSGD + 1);
		random_tlp(&t, kind);
		ee_test_ctx("#%u %s", i, ee_tlp_kind_str(kind));
		r = ee_tlp_build(buf, sizeof(buf), &t);
		EE_CHECK_EQ(r, ee_tlp_size(&t));
		if (r < 0)
			continue;
		hlen = ee_tlp_size(&t) -
		       (ee_tlp_has_data(&t) ? t.length * 4u : 0);
		if (kind == EE_TLP_MRD || kind == EE_TLP_MWR)
			EE_CHECK_EQ(hlen, t.addr >= 0x100000000ULL ? 16 : 12);
		r2 = ee_tlp_parse(buf, (size_t)r, &p);
		EE_CHECK_EQ(r2, r);
		EE_CHECK(tlp_equal(&p, &t), "field %s",
			 diff_or_empty(ee_vec_tlp_diff(&p, &t)));
		if (ee_tlp_has_data(&p))
			EE_CHECK(p.data == buf + hlen);
		/* one byte short: an error, never a read past the end */
		r2 = ee_tlp_parse(buf, (size_t)r - 1, &p2);
		EE_CHECK(r2 == -EE_ERR_TRUNC || r2 == -EE_ERR_TLP_LEN);
		/* no room: NOSPC and nothing written past cap */
		memset(buf2, 0xee, sizeof(buf2));
		r2 = ee_tlp_build(buf2, (size_t)r - 1, &t);
		EE_CHECK_EQ(r2, -EE_ERR_NOSPC);
		EE_CHECK(buf2[r - 1] == 0xee);
		/* build(parse(x)) == x */
		r2 = ee_tlp_build(buf2, sizeof(buf2), &p);
		EE_CHECK(r2 == r && !memcmp(buf, buf2, (size_t)r));
		r2 = ee_tlp_format(str, sizeof(str), &p);
		EE_CHECK(r2 > 0 && (size_t)r2 == strlen(str) &&
			 !strncmp(str, ee_tlp_kind_str(kind),
				  strlen(ee_tlp_kind_str(kind))), "%s", str);
		seen[kind]++;
	}
	ee_test_ctx("%s", "");
	for (kind = 0; kind <= EE_TLP_MSGD; kind++)
		EE_CHECK(seen[kind] > 100, "kind %u seen %u times", kind,
			 seen[kind]);
	ee_test_end();
}

static void test_dif_mgmt_roundtrip(void)
{
	u8 buf[EXPETHER_MGMT_LEN + 8], buf2[sizeof(buf)];
	struct ee_dif d, d2;
	struct ee_mgmt m, m2;
	unsigned int i, j;

	ee_test_begin("DIF/MGMT round trips");
	for (i = 0; i < 10000; i++) {
		memset(&d, 0, sizeof(d));
		d.role = 1 + (rnd() & 1);
		d.flags = (u8)rnd();
		d.interval_ms = (u16)(1 + rnd_below(65535));
		for (j = 0; j < 6; j++)
			d.mac[j] = (u8)rnd();
		d.gid = (u16)(1 + rnd_below(4094));
		d.bridge_id = rnd();
		d.epoch = (u32)rnd();
		d.vendor = (u16)rnd();
		d.device = (u16)rnd();
		d.class_rev = (u32)rnd();
		d.subsys_vendor = (u16)rnd();
		d.subsys_id = (u16)rnd();
		ee_dif_put(buf, &d);
		EE_CHECK_EQ(ee_dif_parse(buf, EXPETHER_DIF_LEN, &d2), 0);
		EE_CHECK(!ee_vec_dif_diff(&d, &d2));
		ee_dif_put(buf2, &d2);
		EE_CHECK(!memcmp(buf, buf2, EXPETHER_DIF_LEN));
		EE_CHECK_EQ(ee_dif_parse(buf, EXPETHER_DIF_LEN - 1, &d2),
			    -EE_ERR_TRUNC);

		memset(&m, 0, sizeof(m));
		m.op = EXPETHER_MGMT_SET_GID;
		m.new_gid = (u16)(1 + rnd_below(4094));
		for (j = 0; j < 6; j++)
			m.target_mac[j] = (u8)rnd();
		m.target_id = rnd();
		m.counter = rnd();
		for (j = 0; j < sizeof(m.hmac); j++)
			m.hmac[j] = (u8)rnd();
		ee_mgmt_put(buf, &m);
		EE_CHECK(buf[1] == 0 && buf[10] == 0 && buf[11] == 0);
		EE_CHECK_EQ(ee_mgmt_parse(buf, EXPETHER_MGMT_LEN, &m2), 0);
		EE_CHECK(!ee_vec_mgmt_diff(&m, &m2));
		ee_mgmt_put(buf2, &m2);
		EE_CHECK(!memcmp(buf, buf2, EXPETHER_MGMT_LEN));
		EE_CHECK_EQ(ee_mgmt_parse(buf, EXPETHER_MGMT_LEN - 1, &m2),
			    -EE_ERR_TRUNC);
	}
	ee_test_end();
}

static void test_hdr_roundtrip(void)
{
	u8 buf[EXPETHER_HLEN + EXPETHER_MAX_PAYLOAD + 4];
	struct ee_hdr h, h2;
	const u8 *pl;
	unsigned int i;

	ee_test_begin("header round trips");
	memset(buf, 0, sizeof(buf));
	for (i = 0; i < 10000; i++) {
		memset(&h, 0, sizeof(h));
		h.version = EXPETHER_VERSION;
		h.type = (u8)(1 + rnd_below(4));
		h.flags = (u16)rnd();
		switch (h.type) {
		case EXPETHER_FT_TLP:
			h.length = (u16)(12 + rnd_below(EXPETHER_MAX_PAYLOAD - 11));
			break;
		case EXPETHER_FT_DIF:
			h.length = (u16)(EXPETHER_DIF_LEN +
				   rnd_below(EXPETHER_MAX_PAYLOAD - 35));
			break;
		case EXPETHER_FT_MGMT:
			h.length = (u16)(EXPETHER_MGMT_LEN +
				   rnd_below(EXPETHER_MAX_PAYLOAD - 59));
			break;
		}
		h.seq = (u32)rnd();
		h.ack = (u32)rnd();
		h.tsval = (u32)rnd();
		h.tsecr = (u32)rnd();
		buf[6] = 0xff;
		ee_hdr_put(buf, &h);
		EE_CHECK(buf[6] == 0 && buf[7] == 0);
		pl = NULL;
		EE_CHECK_EQ(ee_hdr_parse(buf, EXPETHER_HLEN + h.length, &h2,
					 &pl), 0);
		EE_CHECK(!ee_vec_hdr_diff(&h, &h2) && pl == buf + EXPETHER_HLEN);
		/* one byte of payload missing */
		if (h.length)
			EE_CHECK_EQ(ee_hdr_parse(buf, EXPETHER_HLEN + h.length - 1,
						 &h2, NULL), -EE_ERR_LENGTH);
	}
	ee_test_end();
}

/* ---- specific encodings and errors -------------------------------------- */

static int parse_hex_tlp(const char *hex, struct ee_tlp *t, u8 *buf,
			 size_t cap)
{
	size_t n = 0;

	while (*hex && n < cap) {
		if (*hex == ' ') {
			hex++;
			continue;
		}
		buf[n++] = (u8)(hexval(hex[0]) << 4 | hexval(hex[1]));
		hex += 2;
	}
	return ee_tlp_parse(buf, n, t);
}

static void test_tlp_edges(void)
{
	static u8 buf[4200], out[4200];
	struct ee_tlp t;
	unsigned int i;
	int r;

	ee_test_begin("TLP encodings and errors");

	/* Length 0 means 1024 DW */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "\x40\x00\x00\x00\x00\x08\x00\xff\x10\x00\x00\x00", 12);
	r = ee_tlp_parse(buf, 12 + 4096, &t);
	EE_CHECK_EQ(r, 12 + 4096);
	EE_CHECK_EQ(t.length, 1024);
	EE_CHECK_EQ(ee_tlp_parse(buf, 12 + 4095, &t), -EE_ERR_TLP_LEN);
	/* ... and 1024 DW from a non page-aligned address crosses 4 KiB */
	buf[11] = 0x04;
	EE_CHECK_EQ(ee_tlp_parse(buf, 12 + 4096, &t), -EE_ERR_FIELD);

	/* TD: a 4-byte digest follows and is consumed */
	r = parse_hex_tlp("4a 00 80 01 01 00 00 04 00 08 12 00 33 10 01 ee "
			  "de ad be ef", &t, buf, sizeof(buf));
	EE_CHECK_EQ(r, 20);
	r = parse_hex_tlp("4a 00 80 01 01 00 00 04 00 08 12 00 33 10 01 ee "
			  "de ad be", &t, buf, sizeof(buf));
	EE_CHECK_EQ(r, -EE_ERR_TLP_LEN);
	r = parse_hex_tlp("04 00 80 01 00 08 12 0f 01 00 00 00 01 02 03 04",
			  &t, buf, sizeof(buf));
	EE_CHECK_EQ(r, 16);

	/* Byte Count 0 means 4096; status, BCM, lower address */
	r = parse_hex_tlp("0a 00 00 00 01 00 f0 00 00 08 12 ff", &t, buf,
			  sizeof(buf));
	EE_CHECK_EQ(r, 12);
	EE_CHECK(t.byte_count == 4096 && t.status == 7 && t.bcm &&
		 t.lower_addr == 0x7f && t.length == 0);
	EE_CHECK_EQ(ee_tlp_build(out, sizeof(out), &t), 12);
	EE_CHECK(!memcmp(out, "\x0a\x00\x00\x00\x01\x00\xf0\x00\x00\x08\x12\x7f",
			 12));
	/* Cpl: Length is reserved, ignored */
	r = parse_hex_tlp("0a 00 00 05 01 00 00 04 00 08 12 00", &t, buf,
			  sizeof(buf));
	EE_CHECK(r == 12 && t.length == 0);

	/* 4 DW memory request below 4 GiB: accepted, re-encoded as 3 DW */
	r = parse_hex_tlp("20 00 00 01 01 00 01 0f 00 00 00 00 fe 00 00 13",
			  &t, buf, sizeof(buf));
	EE_CHECK_EQ(r, 16);
	EE_CHECK_EQ(t.addr, 0xfe000010);	/* PH bits ignored */
	EE_CHECK_EQ(ee_tlp_size(&t), 12);
	EE_CHECK_EQ(ee_tlp_build(out, sizeof(out), &t), 12);
	EE_CHECK(!memcmp(out, "\x00\x00\x00\x01\x01\x00\x01\x0f\xfe\x00\x00\x10",
			 12));
	/* address bits 1:0 of t->addr are not sent */
	t.addr |= 3;
	EE_CHECK_EQ(ee_tlp_build(out, sizeof(out), &t), 12);
	EE_CHECK_EQ(out[11], 0x10);
	/* 64-bit address >= 4 GiB uses 4 DW */
	t.addr = 0x100000000ULL;
	EE_CHECK_EQ(ee_tlp_build(out, sizeof(out), &t), 16);
	EE_CHECK_EQ(out[0], 0x20);

	/* config: extended register, reserved bits ignored */
	r = parse_hex_tlp("04 00 00 01 00 08 12 0f 01 00 ff ff", &t, buf,
			  sizeof(buf));
	EE_CHECK(r == 12 && t.reg == 0xffc);
	EE_CHECK_EQ(ee_tlp_build(out, sizeof(out), &t), 12);
	EE_CHECK(out[10] == 0x0f && out[11] == 0xfc);
	/* config Attr[2] (IDO) is reserved: ignored */
	r = parse_hex_tlp("04 04 00 01 00 08 12 0f 01 00 00 00", &t, buf,
			  sizeof(buf));
	EE_CHECK(r == 12 && t.attr == 0);
	/* config: Length != 1, TC != 0, Attr[1:0] != 0, Last BE != 0 */
	r = parse_hex_tlp("04 00 00 00 00 08 12 0f 01 00 00 00", &t, buf,
			  sizeof(buf));
	EE_CHECK_EQ(r, -EE_ERR_FIELD);
	r = parse_hex_tlp("04 10 00 01 00 08 12 0f 01 00 00 00", &t, buf,
			  sizeof(buf));
	EE_CHECK_EQ(r, -EE_ERR_FIELD);
	r = parse_hex_tlp("04 00 10 01 00 08 12 0f 01 00 00 00", &t, buf,
			  sizeof(buf));
	EE_CHECK_EQ(r, -EE_ERR_FIELD);
	r = parse_hex_tlp("04 00 00 01 00 08 12 1f 01 00 00 00", &t, buf,
			  sizeof(buf));
	EE_CHECK_EQ(r, -EE_ERR_FIELD);

	/* T9, T8, LN, TH, AT are never enabled */
	for (i = 0; i < 8; i++) {
		static const u8 bad[8][2] = {
			{ 0x80, 0 }, { 0x08, 0 }, { 0x02, 0 }, { 0x01, 0 },
			{ 0, 0x04 }, { 0, 0x08 }, { 0, 0x0c }, { 0x8b, 0 },
		};
		memcpy(buf, "\x00\x00\x00\x01\x01\x00\x01\x0f\xfe\x00\x00\x10",
		       12);
		buf[1] |= bad[i][0];
		buf[2] |= bad[i][1];
		EE_CHECK_EQ(ee_tlp_parse(buf, 12, &t), -EE_ERR_FIELD);
	}
	/* memory request byte enables */
	r = parse_hex_tlp("00 00 00 01 01 00 01 1f fe 00 00 10", &t, buf,
			  sizeof(buf));
	EE_CHECK_EQ(r, -EE_ERR_FIELD);	/* 1 DW, last BE != 0 */
	r = parse_hex_tlp("00 00 00 01 01 00 01 00 fe 00 00 10", &t, buf,
			  sizeof(buf));
	EE_CHECK_EQ(r, 12);		/* zero-length read */
	r = parse_hex_tlp("00 00 00 02 01 00 01 f0 fe 00 00 10", &t, buf,
			  sizeof(buf));
	EE_CHECK_EQ(r, -EE_ERR_FIELD);	/* 2 DW, first BE 0 */
	r = parse_hex_tlp("00 00 00 02 01 00 01 0f fe 00 00 10", &t, buf,
			  sizeof(buf));
	EE_CHECK_EQ(r, -EE_ERR_FIELD);	/* 2 DW, last BE 0 */
	r = parse_hex_tlp("00 00 00 02 01 00 01 ff fe 00 0f fc", &t, buf,
			  sizeof(buf));
	EE_CHECK_EQ(r, -EE_ERR_FIELD);	/* crosses 4 KiB */
	r = parse_hex_tlp("00 00 00 01 01 00 01 0f fe 00 0f fc", &t, buf,
			  sizeof(buf));
	EE_CHECK_EQ(r, 12);		/* last DW of a page */

	/* unsupported Fmt/Type */
	{
		static const u8 bad_ft[] = {
			0x80, 0x9f, 0xa0, 0xc0, 0xe0,	/* prefixes, reserved */
			0x01, 0x21,			/* MRdLk */
			0x02, 0x42,			/* IORd, IOWr */
			0x0b, 0x4b,			/* CplLk, CplDLk */
			0x14, 0x50,			/* Msg with 3 DW Fmt */
			0x24, 0x64, 0x25, 0x2a, 0x6a,	/* 4 DW cfg/cpl */
			0x06, 0x1b, 0x0c,		/* reserved types */
		};

		for (i = 0; i < sizeof(bad_ft); i++) {
			memset(buf, 0, 32);
			buf[0] = bad_ft[i];
			buf[3] = 1;
			EE_CHECK_EQ(ee_tlp_parse(buf, 32, &t), -EE_ERR_TLP_FMT);
		}
	}
	/* every Fmt/Type byte: parse never reads past a 3 DW or 4 DW header */
	for (i = 0; i < 256; i++) {
		u8 *h = dup_bytes(buf, 16);

		memset(h, 0, 16);
		h[0] = (u8)i;
		h[3] = 1;
		h[7] = 0x0f;
		r = ee_tlp_parse(h, 12, &t);
		EE_CHECK(r < 0 || r == 12);
		r = ee_tlp_parse(h, 16, &t);
		EE_CHECK(r < 0 || r == 12 || r == 16);
		free(h);
	}
	/* short buffers */
	EE_CHECK_EQ(ee_tlp_parse(buf, 0, &t), -EE_ERR_TRUNC);
	EE_CHECK_EQ(ee_tlp_parse(buf, 3, &t), -EE_ERR_TRUNC);
	r = parse_hex_tlp("34 00 00 00 01 00 00 20 00 00 00 00 00 00 00", &t,
			  buf, sizeof(buf));
	EE_CHECK_EQ(r, -EE_ERR_TRUNC);

	/* MsgD with data, all routings */
	for (i = 0; i < 8; i++) {
		memcpy(buf, "\x70\x00\x00\x01\x01\x00\x00\x7e"
			    "\x01\x02\x03\x04\x05\x06\x07\x08"
			    "\xaa\xbb\xcc\xdd", 20);
		buf[0] |= (u8)i;
		r = ee_tlp_parse(buf, 20, &t);
		EE_CHECK(r == 20 && t.kind == EE_TLP_MSGD &&
			 t.msg_routing == i && t.msg_code == 0x7e &&
			 t.msg_bytes[7] == 8 && t.data == buf + 16);
	}
	ee_test_end();
}

static void test_tlp_build_errors(void)
{
	static const u8 data[4096];
	struct ee_tlp t, base;
	u8 out[64];

	ee_test_begin("TLP build errors");
	ee_tlp_init_cfg(&base, true, false, 8, 1, 0x100, 0, 0xf, data);
	EE_CHECK_EQ(ee_tlp_build(out, sizeof(out), &base), 16);

#define BAD(stmt, err)							\
	do {								\
		t = base;						\
		stmt;							\
		EE_CHECK_EQ(ee_tlp_build(out, sizeof(out), &t), err);	\
	} while (0)

	BAD(t.kind = EE_TLP_MSGD + 1, -EE_ERR_TLP_FMT);
	BAD(t.tc = 1, -EE_ERR_FIELD);
	BAD(t.attr = 1, -EE_ERR_FIELD);
	BAD(t.length = 2, -EE_ERR_FIELD);
	BAD(t.last_be = 1, -EE_ERR_FIELD);
	BAD(t.first_be = 0x10, -EE_ERR_FIELD);
	BAD(t.reg = 4096, -EE_ERR_FIELD);
	BAD(t.reg = 2, -EE_ERR_FIELD);
	BAD(t.data = NULL, -EE_ERR_TLP_LEN);
	BAD(t.length = 0, -EE_ERR_TLP_LEN);

	memset(&base, 0, sizeof(base));
	base.kind = EE_TLP_MWR;
	base.length = 2;
	base.first_be = 0xf;
	base.last_be = 0xf;
	base.addr = 0x1000;
	base.data = data;
	EE_CHECK_EQ(ee_tlp_build(out, sizeof(out), &base), 20);
	BAD(t.tc = 8, -EE_ERR_FIELD);
	BAD(t.attr = 8, -EE_ERR_FIELD);
	BAD(t.length = 1025, -EE_ERR_TLP_LEN);
	BAD(t.length = 0, -EE_ERR_TLP_LEN);
	BAD(t.first_be = 0, -EE_ERR_FIELD);
	BAD(t.last_be = 0, -EE_ERR_FIELD);
	BAD(t.last_be = 0x10, -EE_ERR_FIELD);
	BAD(t.length = 1, -EE_ERR_FIELD);	/* last BE must then be 0 */
	BAD(t.addr = 0x1ffc, -EE_ERR_FIELD);	/* crosses 4 KiB */
	BAD(t.length = 16, -EE_ERR_NOSPC);

	memset(&base, 0, sizeof(base));
	base.kind = EE_TLP_CPL;
	base.byte_count = 4;
	EE_CHECK_EQ(ee_tlp_build(out, sizeof(out), &base), 12);
	BAD(t.length = 1, -EE_ERR_TLP_LEN);
	BAD(t.byte_count = 0, -EE_ERR_FIELD);
	BAD(t.byte_count = 4097, -EE_ERR_FIELD);
	BAD(t.status = 8, -EE_ERR_FIELD);
	BAD(t.lower_addr = 0x80, -EE_ERR_FIELD);
	BAD(t.byte_count = 4096, 12);
	BAD(t.kind = EE_TLP_CPLD, -EE_ERR_TLP_LEN);

	memset(&base, 0, sizeof(base));
	base.kind = EE_TLP_MSG;
	base.msg_routing = 4;
	EE_CHECK_EQ(ee_tlp_build(out, sizeof(out), &base), 16);
	BAD(t.msg_routing = 8, -EE_ERR_FIELD);
	BAD(t.length = 1, -EE_ERR_TLP_LEN);
	memset(&base, 0, sizeof(base));
	base.kind = EE_TLP_MRD;
	base.length = 1;
	EE_CHECK_EQ(ee_tlp_build(out, sizeof(out), &base), 12);
	BAD(t.length = 0, -EE_ERR_TLP_LEN);
	BAD(t.length = 1024, -EE_ERR_FIELD);	/* BEs must then be non-zero */
	BAD((t.length = 1024, t.first_be = 0xf, t.last_be = 0xf), 12);
#undef BAD
	ee_test_end();
}

static void test_frame_edges(void)
{
	static const u8 mac_a[6] = { 2, 0, 0, 0, 0, 1 };
	static const u8 mac_b[6] = { 2, 0xee, 0, 0, 0, 1 };
	u8 pl[EXPETHER_MAX_PAYLOAD + 1], buf[1600];
	struct ee_frame f, g;
	const u8 *p;
	struct ee_hdr h;
	int r;

	ee_test_begin("frame and header edges");
	memset(&f, 0, sizeof(f));
	memcpy(f.dst, mac_b, 6);
	memcpy(f.src, mac_a, 6);
	f.tci = 0xe000 | 4094;	/* PCP 7 is carried; only the VID is a GID */
	f.ethertype = 0x1234;
	f.hdr.version = EXPETHER_VERSION;
	f.hdr.type = EXPETHER_FT_TLP;
	memset(pl, 0x11, sizeof(pl));

	r = ee_frame_build(buf, sizeof(buf), &f, pl, EXPETHER_MAX_PAYLOAD);
	EE_CHECK_EQ(r, EXPETHER_L2_HLEN + EXPETHER_HLEN + EXPETHER_MAX_PAYLOAD);
	EE_CHECK_EQ(r, 1518);
	EE_CHECK_EQ(ee_frame_parse(buf, (size_t)r, 0x1234, &g), 0);
	EE_CHECK(g.tci == f.tci && ee_frame_gid(&g) == 4094 &&
		 g.hdr.length == EXPETHER_MAX_PAYLOAD);
	EE_CHECK_EQ(ee_frame_parse(buf, (size_t)r, 0x88b5, &g),
		    -EE_ERR_ETHERTYPE);
	EE_CHECK_EQ(ee_frame_build(buf, sizeof(buf), &f, pl,
				   EXPETHER_MAX_PAYLOAD + 1), -EE_ERR_LENGTH);
	EE_CHECK_EQ(ee_frame_build(buf, (size_t)r - 1, &f, pl,
				   EXPETHER_MAX_PAYLOAD), -EE_ERR_NOSPC);
	/* padding: ACK frames are 60 bytes, padded with zeros */
	f.hdr.type = EXPETHER_FT_ACK;
	memset(buf, 0xff, sizeof(buf));
	r = ee_frame_build(buf, sizeof(buf), &f, NULL, 0);
	EE_CHECK_EQ(r, EXPETHER_MIN_FRAME);
	EE_CHECK(buf[42] == 0 && buf[59] == 0 && buf[60] == 0xff);
	EE_CHECK_EQ(ee_frame_build(buf, 59, &f, NULL, 0), -EE_ERR_NOSPC);
	/* GID 0 and 4095 are not GIDs */
	f.tci = 0x2000;
	EE_CHECK_EQ(ee_frame_build(buf, sizeof(buf), &f, NULL, 0),
		    -EE_ERR_FIELD);
	f.tci = 0x0fff;
	EE_CHECK_EQ(ee_frame_build(buf, sizeof(buf), &f, NULL, 0),
		    -EE_ERR_FIELD);
	f.tci = 1;
	r = ee_frame_build(buf, sizeof(buf), &f, NULL, 0);
	buf[14] = 0x0f;
	buf[15] = 0xff;
	EE_CHECK_EQ(ee_frame_parse(buf, (size_t)r, 0x1234, &g), -EE_ERR_FIELD);

	/* untagged: NOTAG if our EtherType, foreign otherwise */
	memset(buf, 0, 64);
	buf[12] = 0x12;
	buf[13] = 0x34;
	EE_CHECK_EQ(ee_frame_parse(buf, 64, 0x1234, &g), -EE_ERR_NOTAG);
	EE_CHECK_EQ(ee_frame_parse(buf, 64, 0x88b5, &g), -EE_ERR_ETHERTYPE);
	EE_CHECK_EQ(ee_frame_parse(buf, 13, 0x88b5, &g), -EE_ERR_TRUNC);
	buf[12] = 0x81;
	buf[13] = 0x00;
	EE_CHECK_EQ(ee_frame_parse(buf, 17, 0x88b5, &g), -EE_ERR_TRUNC);

	/* header: reserved bytes ignored, unknown flags kept, min lengths */
	memset(buf, 0, sizeof(buf));
	buf[0] = 1;
	buf[1] = EXPETHER_FT_DIF;
	buf[2] = 0xff;
	buf[3] = 0xff;
	buf[5] = EXPETHER_DIF_LEN - 1;
	buf[6] = 0xab;
	buf[7] = 0xcd;
	EE_CHECK_EQ(ee_hdr_parse(buf, 200, &h, &p), -EE_ERR_LENGTH);
	buf[5] = EXPETHER_DIF_LEN;
	EE_CHECK_EQ(ee_hdr_parse(buf, 200, &h, &p), 0);
	EE_CHECK_EQ(h.flags, 0xffff);
	buf[1] = EXPETHER_FT_MGMT;
	EE_CHECK_EQ(ee_hdr_parse(buf, 200, &h, &p), -EE_ERR_LENGTH);
	buf[5] = EXPETHER_MGMT_LEN;
	EE_CHECK_EQ(ee_hdr_parse(buf, 200, &h, &p), 0);
	buf[1] = EXPETHER_FT_TLP;
	buf[5] = 11;
	EE_CHECK_EQ(ee_hdr_parse(buf, 200, &h, &p), -EE_ERR_LENGTH);
	buf[5] = 12;
	EE_CHECK_EQ(ee_hdr_parse(buf, 200, &h, &p), 0);
	buf[1] = EXPETHER_FT_ACK;
	buf[5] = 0;
	EE_CHECK_EQ(ee_hdr_parse(buf, EXPETHER_HLEN, &h, NULL), 0);
	buf[5] = 1;
	EE_CHECK_EQ(ee_hdr_parse(buf, 200, &h, &p), -EE_ERR_LENGTH);
	buf[1] = 0;
	EE_CHECK_EQ(ee_hdr_parse(buf, 200, &h, &p), -EE_ERR_TYPE);
	buf[1] = 7;
	EE_CHECK_EQ(ee_hdr_parse(buf, 200, &h, &p), -EE_ERR_TYPE);
	buf[1] = EXPETHER_FT_ECHO_REQ;
	EE_CHECK_EQ(ee_hdr_parse(buf, 200, &h, &p), 0);
	buf[1] = EXPETHER_FT_ECHO_REPLY;
	EE_CHECK_EQ(ee_hdr_parse(buf, 200, &h, &p), 0);
	buf[1] = EXPETHER_FT_TLP;
	buf[4] = (EXPETHER_MAX_PAYLOAD + 1) >> 8;
	buf[5] = (EXPETHER_MAX_PAYLOAD + 1) & 0xff;
	EE_CHECK_EQ(ee_hdr_parse(buf, sizeof(buf), &h, &p), -EE_ERR_LENGTH);
	buf[0] = 0;
	EE_CHECK_EQ(ee_hdr_parse(buf, sizeof(buf), &h, &p), -EE_ERR_VERSION);
	EE_CHECK_EQ(ee_hdr_parse(buf, EXPETHER_HLEN - 1, &h, &p),
		    -EE_ERR_TRUNC);

	/* DIF/MGMT field checks */
	{
		const struct ee_vector *v = find_vector("dif_io");
		const struct ee_vector *m = find_vector("mgmt_set_gid");
		struct ee_dif d;
		struct ee_mgmt mg;
		u8 b[EXPETHER_MGMT_LEN];

		EE_CHECK(v && m);
		if (v && m) {
			memcpy(b, v->bytes + 42, EXPETHER_DIF_LEN);
			EE_CHECK_EQ(ee_dif_parse(b, sizeof(b), &d), 0);
			b[0] = 0;
			EE_CHECK_EQ(ee_dif_parse(b, sizeof(b), &d), -EE_ERR_FIELD);
			b[0] = 1;
			b[2] = b[3] = 0;
			EE_CHECK_EQ(ee_dif_parse(b, sizeof(b), &d), -EE_ERR_FIELD);
			b[3] = 1;
			b[10] = 0x0f;
			b[11] = 0xff;
			EE_CHECK_EQ(ee_dif_parse(b, sizeof(b), &d), -EE_ERR_FIELD);
			b[11] = 0xfe;
			EE_CHECK_EQ(ee_dif_parse(b, sizeof(b), &d), 0);
			b[10] = b[11] = 0;
			EE_CHECK_EQ(ee_dif_parse(b, sizeof(b), &d), -EE_ERR_FIELD);

			memcpy(b, m->bytes + 42, EXPETHER_MGMT_LEN);
			b[1] = b[10] = b[11] = 0x55;	/* reserved: ignored */
			EE_CHECK_EQ(ee_mgmt_parse(b, sizeof(b), &mg), 0);
			b[0] = 2;
			EE_CHECK_EQ(ee_mgmt_parse(b, sizeof(b), &mg), -EE_ERR_FIELD);
			b[0] = 1;
			b[2] = 0x0f;
			b[3] = 0xff;
			EE_CHECK_EQ(ee_mgmt_parse(b, sizeof(b), &mg), -EE_ERR_FIELD);
			b[2] = b[3] = 0;
			EE_CHECK_EQ(ee_mgmt_parse(b, sizeof(b), &mg), -EE_ERR_FIELD);
		}
	}
	ee_test_end();
}

/* ---- strings ------------------------------------------------------------ */

static void test_strings(void)
{
	const struct ee_vector *v = find_vector("mwr32");
	char full[512], *b;
	struct ee_tlp t;
	size_t cap, len;
	int i, r;

	ee_test_begin("strings");
	for (i = -EE_ERR__MAX - 2; i <= EE_ERR__MAX + 2; i++)
		EE_CHECK(ee_err_str(i) && ee_err_str(i)[0]);
	EE_CHECK(!strcmp(ee_err_str(-EE_ERR_TRUNC), ee_err_str(EE_ERR_TRUNC)));
	EE_CHECK(ee_err_str(-2147483647 - 1)[0]);
	EE_CHECK(!strcmp(ee_err_str(-EE_ERR_NOSPC), "no space"));
	for (i = 0; i < 300; i++) {
		EE_CHECK(ee_tlp_kind_str((unsigned int)i)[0]);
		EE_CHECK(ee_frame_type_str((unsigned int)i)[0]);
	}
	EE_CHECK(!strcmp(ee_tlp_kind_str(EE_TLP_CFGRD1), "CfgRd1"));
	EE_CHECK(!strcmp(ee_frame_type_str(EXPETHER_FT_MGMT), "MGMT"));
	EE_CHECK(!strcmp(ee_tlp_kind_str(0xffffffffu), "?"));

	/* format: every capacity, exactly-sized heap buffers */
	EE_CHECK(v);
	if (v) {
		t = v->tlp;
		t.data = v->tlp_data;
		len = (size_t)ee_tlp_format(full, sizeof(full), &t);
		EE_CHECK_EQ(len, strlen(v->tlp_str));
		EE_CHECK_EQ(ee_tlp_format(NULL, 0, &t), 0);
		for (cap = 1; cap <= len + 2; cap++) {
			b = malloc(cap);
			r = ee_tlp_format(b, cap, &t);
			EE_CHECK((size_t)r == (cap - 1 < len ? cap - 1 : len) &&
				 strlen(b) == (size_t)r &&
				 !strncmp(b, full, (size_t)r));
			free(b);
		}
	}
	/* long data is elided; flags are shown */
	{
		static const u8 d[64];

		memset(&t, 0, sizeof(t));
		t.kind = EE_TLP_MSGD;
		t.length = 16;
		t.data = d;
		t.tc = 2;
		t.attr = 4;
		t.ep = true;
		ee_tlp_format(full, sizeof(full), &t);
		EE_CHECK(strstr(full, " ...") && strstr(full, " tc=2") &&
			 strstr(full, " attr=4") && strstr(full, " ep"), "%s",
			 full);
		t.kind = EE_TLP_CPL;
		t.status = 5;
		t.bcm = true;
		t.data = NULL;
		ee_tlp_format(full, sizeof(full), &t);
		EE_CHECK(strstr(full, "st=5") && strstr(full, " bcm"), "%s",
			 full);
		t.kind = 200;
		ee_tlp_format(full, sizeof(full), &t);
		EE_CHECK(full[0] == '?');
	}
	ee_test_end();
}

/* ---- robustness ---------------------------------------------------------- */

/*
 * Run everything a receiver would run on @buf.  Whatever is accepted must
 * survive build(parse(x)) and parse back to the same fields.
 */
static void exercise(const u8 *buf, size_t len, u16 ethertype)
{
	static u8 out[4200];
	struct ee_frame f;
	struct ee_tlp t, t2;
	struct ee_dif d, d2;
	struct ee_mgmt m, m2;
	char str[200];
	size_t off = 0;
	int r, r2;

	r = ee_frame_parse(buf, len, ethertype, &f);
	if (r < 0) {
		EE_CHECK(r >= -EE_ERR_TLP_LEN, "error %d", r);
		return;
	}
	EE_CHECK(f.payload == buf + 42 && 42u + f.hdr.length <= len);
	switch (f.hdr.type) {
	case EXPETHER_FT_TLP:
		while (off < f.hdr.length) {
			r = ee_tlp_parse(f.payload + off, f.hdr.length - off,
					 &t);
			if (r < 0) {
				EE_CHECK(r >= -EE_ERR_TLP_LEN, "error %d", r);
				break;
			}
			EE_CHECK(r >= 12 && (size_t)r <= f.hdr.length - off);
			ee_tlp_format(str, sizeof(str), &t);
			r2 = ee_tlp_build(out, sizeof(out), &t);
			EE_CHECK(r2 > 0 && (size_t)r2 <= (size_t)r &&
				 (size_t)r2 == ee_tlp_size(&t), "%d/%d %s",
				 r2, r, str);
			if (r2 > 0) {
				EE_CHECK_EQ(ee_tlp_parse(out, (size_t)r2, &t2),
					    r2);
				EE_CHECK(tlp_equal(&t, &t2), "%s", str);
			}
			off += (size_t)r;
		}
		break;
	case EXPETHER_FT_DIF:
		if (ee_dif_parse(f.payload, f.hdr.length, &d) == 0) {
			ee_dif_put(out, &d);
			EE_CHECK(ee_dif_parse(out, EXPETHER_DIF_LEN, &d2) == 0 &&
				 !ee_vec_dif_diff(&d, &d2));
		}
		break;
	case EXPETHER_FT_MGMT:
		if (ee_mgmt_parse(f.payload, f.hdr.length, &m) == 0) {
			ee_mgmt_put(out, &m);
			EE_CHECK(ee_mgmt_parse(out, EXPETHER_MGMT_LEN, &m2) == 0 &&
				 !ee_vec_mgmt_diff(&m, &m2));
		}
		break;
	case EXPETHER_FT_ACK:
		EE_CHECK_EQ(f.hdr.length, 0);
		break;
	case EXPETHER_FT_ECHO_REQ:
	case EXPETHER_FT_ECHO_REPLY:
		break;
	default:
		EE_CHECK(0, "accepted type %u", f.hdr.type);
	}
}

static void test_truncations(void)
{
	const struct ee_vector *v;
	struct ee_frame f;
	struct ee_tlp t;
	struct ee_dif d;
	struct ee_mgmt m;
	size_t i, l, need;
	u8 *b;
	int r;

	ee_test_begin("truncations");
	for (i = 0; i < EE_N_VECTORS; i++) {
		v = &ee_vectors[i];
		ee_test_ctx("%s", v->name);
		need = 42 + v->frame.hdr.length;
		for (l = 0; l < v->len; l++) {
			b = dup_bytes(v->bytes, l);
			r = ee_frame_parse(b, l, v->ethertype, &f);
			if (!v->frame_err && l < need)
				EE_CHECK(r < 0, "len %zu parsed", l);
			if (!v->frame_err && l >= need)
				EE_CHECK_EQ(r, 0);
			exercise(b, l, v->ethertype);
			free(b);
		}
		if (v->frame_err || v->payload_err)
			continue;
		/* the payload alone, cut short */
		for (l = 0; l < v->frame.hdr.length; l++) {
			b = dup_bytes(v->bytes + 42, l);
			switch (v->frame.hdr.type) {
			case EXPETHER_FT_TLP:
				r = ee_tlp_parse(b, l, &t);
				if (l < (size_t)v->tlp_size)
					EE_CHECK(r == -EE_ERR_TRUNC ||
						 r == -EE_ERR_TLP_LEN,
						 "len %zu: %d", l, r);
				break;
			case EXPETHER_FT_DIF:
				EE_CHECK_EQ(ee_dif_parse(b, l, &d),
					    -EE_ERR_TRUNC);
				break;
			case EXPETHER_FT_MGMT:
				EE_CHECK_EQ(ee_mgmt_parse(b, l, &m),
					    -EE_ERR_TRUNC);
				break;
			}
			free(b);
		}
	}
	ee_test_ctx("%s", "");
	ee_test_end();
}

static void test_fuzz(void)
{
	static u8 work[1600];
	const struct ee_vector *v;
	unsigned long accepted = 0, i;
	unsigned int k, nmut, pos, start;
	size_t len;
	u8 *b;

	ee_test_begin("random mutations");
	for (i = 0; i < FUZZ_ITERATIONS; i++) {
		v = &ee_vectors[rnd_below(EE_N_VECTORS)];
		len = v->len;
		memcpy(work, v->bytes, len);
		/* sometimes longer (random tail), sometimes shorter */
		switch (rnd_below(8)) {
		case 0:
			k = rnd_below(64);
			for (pos = 0; pos < k; pos++)
				work[len + pos] = (u8)rnd();
			len += k;
			break;
		case 1:
			len = rnd_below((unsigned int)len + 1);
			break;
		}
		/* mutate mostly the headers, often the TLP area */
		nmut = 1 + rnd_below(rnd() & 1 ? 2 : 8);
		start = rnd() & 1 ? 42 : 0;
		for (k = 0; k < nmut && len > start; k++) {
			pos = start + rnd_below((unsigned int)(len - start));
			switch (rnd_below(3)) {
			case 0:
				work[pos] ^= (u8)(1u << rnd_below(8));
				break;
			case 1:
				work[pos] = (u8)rnd();
				break;
			default:
				work[pos] = rnd() & 1 ? 0 : 0xff;
				break;
			}
		}
		b = dup_bytes(work, len);
		exercise(b, len, v->ethertype);
		if (ee_frame_parse(b, len, v->ethertype,
				   &(struct ee_frame){ 0 }) == 0)
			accepted++;
		free(b);

		/* raw TLP parser on random bytes with a plausible first DW */
		len = rnd_below(48);
		b = dup_bytes(work, len);
		for (k = 0; k < len; k++)
			b[k] = (u8)rnd();
		if (len > 3 && (rnd() & 1)) {
			b[1] &= 0x74;
			b[2] &= 0xf3;
			b[3] = (u8)rnd_below(8);
		}
		{
			struct ee_tlp t, t2;
			static u8 out[4200];
			int r = ee_tlp_parse(b, len, &t), r2;

			if (r > 0) {
				r2 = ee_tlp_build(out, sizeof(out), &t);
				EE_CHECK(r2 > 0 && r2 <= r);
				EE_CHECK(r2 > 0 &&
					 ee_tlp_parse(out, (size_t)r2, &t2) == r2 &&
					 tlp_equal(&t, &t2));
			}
		}
		free(b);
	}
	printf("# %lu of %d mutated frames accepted\n", accepted,
	       FUZZ_ITERATIONS);
	EE_CHECK(accepted > 1000 && accepted < FUZZ_ITERATIONS);
	ee_test_end();
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_vectors();
	test_vector_coverage();
	test_init_helpers();
	test_doc();
	test_tlp_roundtrip();
	test_dif_mgmt_roundtrip();
	test_hdr_roundtrip();
	test_tlp_edges();
	test_tlp_build_errors();
	test_frame_edges();
	test_strings();
	test_truncations();
	test_fuzz();
	return ee_test_summary();
}
