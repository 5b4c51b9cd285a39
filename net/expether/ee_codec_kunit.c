// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the expether codec (ee_codec.c), in the kernel build of
 * the same source the user-space tests exercise, against the same
 * byte-exact vectors (ee_vectors.h): every valid vector decodes to its
 * expected fields and re-encodes to identical bytes, every malformed one
 * fails with its expected error, and no truncation of any vector parses
 * or reads past its end (each is parsed from an exactly sized allocation,
 * so KASAN sees any over-read).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ee_codec.h"
#include "ee_vectors.h"

#define EE_KT_FRAME_MAX	1600
#define EE_KT_HDRS	(EXPETHER_L2_HLEN + EXPETHER_HLEN)

static void ee_kt_vec_desc(const struct ee_vector *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ee_kt_vec, ee_vectors, ee_kt_vec_desc);

/* The vectors that decode without error, for the re-encoding test. */
static const void *ee_kt_valid_gen_params(const void *prev, char *desc)
{
	const struct ee_vector *v = prev ? (const struct ee_vector *)prev + 1 :
				    ee_vectors;

	for (; v < ee_vectors + ARRAY_SIZE(ee_vectors); v++) {
		if (!v->frame_err && !v->payload_err) {
			ee_kt_vec_desc(v, desc);
			return v;
		}
	}
	return NULL;
}

static const struct ee_vector *ee_kt_param(struct kunit *test)
{
	return test->param_value;
}

/* An exactly sized copy of @len bytes: KASAN catches reads past its end. */
static u8 *ee_kt_dup(struct kunit *test, const u8 *p, size_t len)
{
	u8 *q = kunit_kmalloc(test, len ? len : 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, q);
	memcpy(q, p, len);
	return q;
}

static const char *ee_kt_str(const char *s)
{
	return s ? s : "(none)";
}

/* Byte-exact comparison, reporting the first difference. */
static void ee_kt_expect_bytes(struct kunit *test, const u8 *got,
			       const u8 *want, size_t len, const char *what)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (got[i] != want[i])
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, len,
			    "%s: byte %zu is %#04x, want %#04x", what, i,
			    i < len ? got[i] : 0, i < len ? want[i] : 0);
}

/* The first TLP of a TLP frame: its fields, data, size and rendering. */
static void ee_kt_check_tlp(struct kunit *test, const struct ee_vector *v,
			    const struct ee_frame *f)
{
	struct ee_tlp t;
	char *str;
	int r;

	memset(&t, 0, sizeof(t));
	r = ee_tlp_parse(f->payload, f->hdr.length, &t);
	if (v->payload_err) {
		KUNIT_EXPECT_EQ_MSG(test, r, v->payload_err, "%s",
				    ee_err_str(r));
		return;
	}
	KUNIT_ASSERT_EQ_MSG(test, r, v->tlp_size, "%s", ee_err_str(r));
	KUNIT_EXPECT_PTR_EQ_MSG(test, ee_vec_tlp_diff(&t, &v->tlp), NULL,
				"field %s differs",
				ee_kt_str(ee_vec_tlp_diff(&t, &v->tlp)));
	if (v->tlp_data) {
		KUNIT_ASSERT_TRUE(test, ee_tlp_has_data(&t));
		KUNIT_EXPECT_PTR_EQ(test, t.data,
				    f->payload + r - t.length * 4);
		ee_kt_expect_bytes(test, t.data, v->tlp_data, t.length * 4,
				   "TLP data");
	} else {
		KUNIT_EXPECT_FALSE(test, ee_tlp_has_data(&t));
		KUNIT_EXPECT_PTR_EQ(test, t.data, NULL);
	}
	KUNIT_EXPECT_EQ(test, ee_tlp_size(&t), v->tlp_size);

	str = kunit_kzalloc(test, 256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, str);
	r = ee_tlp_format(str, 256, &t);
	KUNIT_EXPECT_STREQ(test, str, v->tlp_str);
	KUNIT_EXPECT_EQ(test, r, strlen(str));
}

static void ee_kt_check_payload(struct kunit *test, const struct ee_vector *v,
				const struct ee_frame *f)
{
	struct ee_dif d;
	struct ee_mgmt m;
	int r;

	switch (f->hdr.type) {
	case EXPETHER_FT_TLP:
		ee_kt_check_tlp(test, v, f);
		break;
	case EXPETHER_FT_DIF:
		memset(&d, 0, sizeof(d));
		r = ee_dif_parse(f->payload, f->hdr.length, &d);
		KUNIT_ASSERT_EQ_MSG(test, r, v->payload_err, "%s",
				    ee_err_str(r));
		if (r)
			break;
		KUNIT_EXPECT_PTR_EQ_MSG(test, ee_vec_dif_diff(&d, &v->dif),
					NULL, "field %s differs",
					ee_kt_str(ee_vec_dif_diff(&d,
								  &v->dif)));
		KUNIT_EXPECT_EQ(test, d.gid, ee_frame_gid(f));
		ee_kt_expect_bytes(test, d.mac, f->src, 6, "DIF MAC");
		break;
	case EXPETHER_FT_MGMT:
		memset(&m, 0, sizeof(m));
		r = ee_mgmt_parse(f->payload, f->hdr.length, &m);
		KUNIT_ASSERT_EQ_MSG(test, r, v->payload_err, "%s",
				    ee_err_str(r));
		if (r)
			break;
		KUNIT_EXPECT_PTR_EQ_MSG(test, ee_vec_mgmt_diff(&m, &v->mgmt),
					NULL, "field %s differs",
					ee_kt_str(ee_vec_mgmt_diff(&m,
								   &v->mgmt)));
		break;
	case EXPETHER_FT_ACK:
		KUNIT_EXPECT_EQ(test, v->payload_err, 0);
		KUNIT_EXPECT_EQ(test, f->hdr.length, 0);
		break;
	default:
		KUNIT_FAIL(test, "unexpected frame type %u", f->hdr.type);
		break;
	}
}

/* Each vector decodes to its fields, or fails with its error. */
static void ee_kt_decode(struct kunit *test)
{
	const struct ee_vector *v = ee_kt_param(test);
	u8 *buf = ee_kt_dup(test, v->bytes, v->len);
	struct ee_frame f;
	int r;

	memset(&f, 0, sizeof(f));
	r = ee_frame_parse(buf, v->len, v->ethertype, &f);
	KUNIT_ASSERT_EQ_MSG(test, r, v->frame_err, "%s: %s", v->desc,
			    ee_err_str(r));
	if (v->frame_err)
		return;

	KUNIT_EXPECT_PTR_EQ_MSG(test, ee_vec_frame_diff(&f, &v->frame), NULL,
				"field %s differs",
				ee_kt_str(ee_vec_frame_diff(&f, &v->frame)));
	KUNIT_EXPECT_PTR_EQ(test, f.payload, buf + EE_KT_HDRS);
	KUNIT_EXPECT_EQ(test, ee_frame_gid(&f), v->frame.tci & 0xfff);
	ee_kt_check_payload(test, v, &f);
}

/* Build the frame again from the decoded fields: every TLP through
 * ee_tlp_build(), a DIF or MGMT payload through its put function, then
 * ee_frame_build().  With @in_place the payload is built where it goes in
 * @out, as the transmit path does.  Returns the frame length or an error.
 */
static int ee_kt_reencode(const struct ee_frame *f, u8 *out, size_t cap,
			  u8 *scratch, bool in_place)
{
	u8 *pl = in_place ? out + EE_KT_HDRS : scratch;
	size_t plcap = in_place ? cap - EE_KT_HDRS : EXPETHER_MAX_PAYLOAD;
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
			r = ee_tlp_build(pl + off, plcap - off, &t);
			if (r < 0)
				return r;
			off += r;
		}
		break;
	case EXPETHER_FT_DIF:
		r = ee_dif_parse(f->payload, f->hdr.length, &d);
		if (r < 0)
			return r;
		ee_dif_put(pl, &d);
		off = EXPETHER_DIF_LEN;
		break;
	case EXPETHER_FT_MGMT:
		r = ee_mgmt_parse(f->payload, f->hdr.length, &m);
		if (r < 0)
			return r;
		ee_mgmt_put(pl, &m);
		off = EXPETHER_MGMT_LEN;
		break;
	}
	return ee_frame_build(out, cap, f, pl, off);
}

/* Each valid vector re-encodes to exactly its bytes. */
static void ee_kt_reencode_exact(struct kunit *test)
{
	const struct ee_vector *v = ee_kt_param(test);
	u8 *buf, *out, *scratch;
	struct ee_frame f;
	int r;

	buf = ee_kt_dup(test, v->bytes, v->len);
	out = kunit_kmalloc(test, EE_KT_FRAME_MAX, GFP_KERNEL);
	scratch = kunit_kmalloc(test, EXPETHER_MAX_PAYLOAD, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, out);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, scratch);
	KUNIT_ASSERT_EQ(test, ee_frame_parse(buf, v->len, v->ethertype, &f),
			0);

	memset(out, 0xa5, EE_KT_FRAME_MAX);
	r = ee_kt_reencode(&f, out, EE_KT_FRAME_MAX, scratch, false);
	KUNIT_ASSERT_EQ_MSG(test, r, v->len, "%s", ee_err_str(r));
	ee_kt_expect_bytes(test, out, v->bytes, v->len, "re-encoded");

	memset(out, 0x5a, EE_KT_FRAME_MAX);
	r = ee_kt_reencode(&f, out, EE_KT_FRAME_MAX, scratch, true);
	KUNIT_ASSERT_EQ_MSG(test, r, v->len, "%s", ee_err_str(r));
	ee_kt_expect_bytes(test, out, v->bytes, v->len, "built in place");

	/* Exactly enough room, then one byte too little. */
	kunit_kfree(test, out);
	out = kunit_kmalloc(test, v->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, out);
	r = ee_kt_reencode(&f, out, v->len, scratch, false);
	KUNIT_EXPECT_EQ(test, r, v->len);
	ee_kt_expect_bytes(test, out, v->bytes, v->len, "exact room");
	r = ee_kt_reencode(&f, out, v->len - 1, scratch, false);
	KUNIT_EXPECT_EQ(test, r, -EE_ERR_NOSPC);
}

/* Every prefix of every vector, parsed from an allocation of exactly its
 * length: a frame cut inside its ExpEther payload never parses (a cut in
 * the Ethernet padding does, to the same fields), and a payload cut short
 * never parses as a TLP, DIF or MGMT payload.
 */
static void ee_kt_truncations(struct kunit *test)
{
	const struct ee_vector *v = ee_kt_param(test);
	size_t need = EE_KT_HDRS + v->frame.hdr.length;
	const u8 *pl = v->bytes + EE_KT_HDRS;
	struct ee_frame f;
	struct ee_tlp t;
	struct ee_dif d;
	struct ee_mgmt m;
	size_t l;
	u8 *b;
	int r;

	for (l = 0; l < v->len; l++) {
		b = ee_kt_dup(test, v->bytes, l);
		r = ee_frame_parse(b, l, v->ethertype, &f);
		if (v->frame_err || l < need) {
			KUNIT_EXPECT_LT_MSG(test, r, 0, "length %zu parsed", l);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, r, 0, "length %zu: %s", l,
					    ee_err_str(r));
			KUNIT_EXPECT_PTR_EQ(test,
					    ee_vec_frame_diff(&f, &v->frame),
					    NULL);
		}
		kunit_kfree(test, b);
	}
	if (v->frame_err || v->payload_err)
		return;

	for (l = 0; l < v->frame.hdr.length; l++) {
		b = ee_kt_dup(test, pl, l);
		switch (v->frame.hdr.type) {
		case EXPETHER_FT_TLP:
			r = ee_tlp_parse(b, l, &t);
			if (l < (size_t)v->tlp_size)
				KUNIT_EXPECT_TRUE_MSG(test,
						      r == -EE_ERR_TRUNC ||
						      r == -EE_ERR_TLP_LEN,
						      "TLP length %zu: %d", l,
						      r);
			break;
		case EXPETHER_FT_DIF:
			KUNIT_EXPECT_EQ_MSG(test, ee_dif_parse(b, l, &d),
					    -EE_ERR_TRUNC, "DIF length %zu", l);
			break;
		case EXPETHER_FT_MGMT:
			KUNIT_EXPECT_EQ_MSG(test, ee_mgmt_parse(b, l, &m),
					    -EE_ERR_TRUNC, "MGMT length %zu",
					    l);
			break;
		}
		kunit_kfree(test, b);
	}
}

/* The table itself: its declared size, unique names, known errors. */
static void ee_kt_table(struct kunit *test)
{
	unsigned int i, j, valid = 0;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(ee_vectors), EE_N_VECTORS);
	for (i = 0; i < ARRAY_SIZE(ee_vectors); i++) {
		const struct ee_vector *v = &ee_vectors[i];

		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, v->name, ee_vectors[j].name);
		KUNIT_EXPECT_GT(test, v->len, 0);
		KUNIT_EXPECT_LE(test, v->len, EE_KT_FRAME_MAX);
		KUNIT_EXPECT_TRUE_MSG(test, v->frame_err <= 0 &&
				      v->frame_err > -EE_ERR__MAX, "%s",
				      v->name);
		KUNIT_EXPECT_TRUE_MSG(test, v->payload_err <= 0 &&
				      v->payload_err > -EE_ERR__MAX, "%s",
				      v->name);
		/* A frame that does not parse has no payload to judge. */
		if (v->frame_err)
			KUNIT_EXPECT_EQ_MSG(test, v->payload_err, 0, "%s",
					    v->name);
		if (!v->frame_err && !v->payload_err)
			valid++;
	}
	KUNIT_EXPECT_GT(test, valid, 0);
	KUNIT_EXPECT_LT(test, valid, ARRAY_SIZE(ee_vectors));
}

static struct kunit_case ee_codec_test_cases[] = {
	KUNIT_CASE(ee_kt_table),
	KUNIT_CASE_PARAM(ee_kt_decode, ee_kt_vec_gen_params),
	KUNIT_CASE_PARAM(ee_kt_reencode_exact, ee_kt_valid_gen_params),
	KUNIT_CASE_PARAM(ee_kt_truncations, ee_kt_vec_gen_params),
	{}
};

static struct kunit_suite ee_codec_test_suite = {
	.name = "expether_codec",
	.test_cases = ee_codec_test_cases,
};

kunit_test_suite(ee_codec_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for expether: codec, root port, Go-Back-N, rate control");
