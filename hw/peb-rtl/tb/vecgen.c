// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB benches: the protocol's byte-exact example frames
 * (net/expether/ee_vectors.h) and what the bridge must make of each,
 * computed with the shared codec (net/expether/ee_codec.c), written as
 * text for the Icarus benches:
 *
 *   vecgen rx  FILE   frames for tb_rx.v: configuration, bytes, and the
 *                     expected verdict, descriptor fields and TLPs
 *   vecgen dif FILE   the dif_io vector and the identity that produces it
 *   vecgen mgmt FILE  the mgmt_set_gid vector, its key, and variants that
 *                     must be rejected
 *
 * The expected results come from the C code, never from this file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ee_codec.h"
#include "ee_vectors.h"

/* Verdicts of tb_rx.v */
enum {
	V_NOTHING = 0,	/* not ours: nothing counted */
	V_TLP = 1,	/* descriptor kind 0, TLPs to the device */
	V_ACK = 2,
	V_DIF = 3,	/* host DIF of our group */
	V_ECHO = 4,
	V_MGMT = 5,
	V_IGNORED = 6,	/* ours, not served */
	V_BAD_DIF = 7,
	V_IO_DIF = 8,	/* a well-formed DIF of an I/O bridge: nothing to do */
	V_MALFORMED = 16,	/* + ee_err */
};

static void put_mac(FILE *f, const u8 *m)
{
	fprintf(f, " %02x%02x %02x%02x%02x%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static int rx(const char *path)
{
	FILE *f = fopen(path, "w");
	unsigned int i, j;

	if (!f)
		return 1;
	fprintf(f, "%d\n", EE_N_VECTORS);
	for (i = 0; i < EE_N_VECTORS; i++) {
		const struct ee_vector *v = &ee_vectors[i];
		static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
		static const u8 io_mac[6] = { 0x02, 0xee, 0x00, 0x00, 0x00, 0x01 };
		const u8 *mac = memcmp(v->bytes, bcast, 6) ? v->bytes : io_mac;
		struct ee_frame fr;
		struct ee_dif d;
		struct ee_mgmt m;
		struct ee_tlp t;
		unsigned int gid = 5, verdict = V_NOTHING, ntlp = 0;
		const u8 *p;
		size_t len;
		int r, n;

		memset(&fr, 0, sizeof(fr));
		memset(&d, 0, sizeof(d));
		r = ee_frame_parse(v->bytes, v->len, 0x88b5, &fr);
		if (!r)
			gid = ee_frame_gid(&fr);
		if (r == -EE_ERR_ETHERTYPE) {
			verdict = V_NOTHING;
		} else if (!memcmp(v->bytes, bcast, 6)) {
			if (!r && fr.hdr.type == EXPETHER_FT_DIF) {
				if (ee_dif_parse(fr.payload, fr.hdr.length, &d) ||
				    d.gid != ee_frame_gid(&fr) || memcmp(d.mac, fr.src, 6))
					verdict = V_BAD_DIF;
				else
					verdict = d.role == EXPETHER_ROLE_HOST ? V_DIF : V_IO_DIF;
			}
		} else if (r < 0) {
			verdict = V_MALFORMED - r;
		} else {
			switch (fr.hdr.type) {
			case EXPETHER_FT_TLP:
				verdict = V_TLP;
				p = fr.payload;
				len = fr.hdr.length;
				while (len) {
					n = ee_tlp_parse(p, len, &t);
					if (n <= 0) {
						verdict = V_MALFORMED + (n < 0 ? -n : EE_ERR_TLP_LEN);
						break;
					}
					ntlp++;
					p += n;
					len -= (size_t)n;
				}
				break;
			case EXPETHER_FT_ACK:
				verdict = V_ACK;
				break;
			case EXPETHER_FT_ECHO_REQ:
				verdict = V_ECHO;
				break;
			case EXPETHER_FT_MGMT:
				verdict = ee_mgmt_parse(fr.payload, fr.hdr.length, &m) ?
					  V_MALFORMED + EE_ERR_FIELD : V_MGMT;
				break;
			default:
				verdict = V_IGNORED;
				break;
			}
		}
		/* name, configuration, verdict, descriptor fields */
		fprintf(f, "%s", v->name);
		put_mac(f, mac);
		fprintf(f, " %03x %u", gid, verdict);
		fprintf(f, " %02x %03x %08x %08x %08x %08x", fr.hdr.flags & 0x3f,
			fr.hdr.length, fr.hdr.seq, fr.hdr.ack, fr.hdr.tsval, fr.hdr.tsecr);
		put_mac(f, v->bytes + 6);
		fprintf(f, " %08x", verdict == V_DIF ? d.epoch : 0u);
		/* the bytes */
		fprintf(f, " %u", v->len);
		for (j = 0; j < v->len; j++)
			fprintf(f, " %02x", v->bytes[j]);
		/* the TLPs the device must get: header (TD clear) and data */
		fprintf(f, " %u", verdict == V_TLP ? ntlp : 0);
		if (verdict == V_TLP) {
			p = fr.payload;
			len = fr.hdr.length;
			while (len) {
				unsigned int hlen = (p[0] & 0x20) ? 16 : 12, k;
				size_t dlen;

				n = ee_tlp_parse(p, len, &t);
				dlen = ee_tlp_has_data(&t) ? (size_t)t.length * 4 : 0;
				fprintf(f, " ");
				for (k = 0; k < 16; k++)
					fprintf(f, "%02x", k >= hlen ? 0 : k == 2 ? p[k] & 0x7f : p[k]);
				fprintf(f, " %zu", dlen / 4);
				for (k = 0; k < dlen; k++)
					fprintf(f, " %02x", p[hlen + k]);
				p += n;
				len -= (size_t)n;
			}
		}
		fprintf(f, "\n");
	}
	return fclose(f) ? 1 : 0;
}

static const struct ee_vector *find(const char *name)
{
	unsigned int i;

	for (i = 0; i < EE_N_VECTORS; i++)
		if (!strcmp(ee_vectors[i].name, name))
			return &ee_vectors[i];
	fprintf(stderr, "vecgen: no vector %s\n", name);
	exit(1);
}

/* The identity behind dif_io, from the vector's own decoded fields. */
static int dif(const char *path)
{
	const struct ee_vector *v = find("dif_io");
	const struct ee_dif *d = &v->dif;
	FILE *f = fopen(path, "w");
	unsigned int j;

	if (!f)
		return 1;
	fprintf(f, "%02x%02x %02x%02x%02x%02x %03x %04x %d %016llx %08x %04x%04x %08x %04x%04x %u",
		d->mac[0], d->mac[1], d->mac[2], d->mac[3], d->mac[4], d->mac[5],
		d->gid, v->frame.ethertype, d->interval_ms,
		(unsigned long long)d->bridge_id, d->epoch, d->vendor, d->device,
		d->class_rev, d->subsys_vendor, d->subsys_id, d->flags & 1);
	fprintf(f, " %u", v->len);
	for (j = 0; j < v->len; j++)
		fprintf(f, " %02x", v->bytes[j]);
	fprintf(f, "\n");
	return fclose(f) ? 1 : 0;
}

/* mgmt_set_gid and variants: the frame, the expected result of
 * peb_mgmt (1 accepted, 3 target MAC, 4 target ID, 5 replay, 6 HMAC)
 * and the GID after it.
 */
static int mgmt(const char *path)
{
	const struct ee_vector *v = find("mgmt_set_gid");
	FILE *f = fopen(path, "w");
	u8 key[32] = { 0 };
	u8 b[256];
	unsigned int k, j;
	/* name, byte to change, xor, expected result */
	static const struct {
		const char *name;
		int off;
		u8 x;
		int result;
	} var[] = {
		{ "accept", -1, 0, 1 },
		{ "replay", -1, 0, 5 },
		{ "bad_hmac", 42 + 28 + 5, 0x01, 6 },
		{ "bad_msg", 42 + 3, 0x01, 6 },		/* new_gid changed, hmac kept */
		{ "bad_target_mac", 42 + 9, 0x40, 3 },
		{ "bad_target_id", 42 + 19, 0x02, 4 },
	};

	if (!f)
		return 1;
	memcpy(key, EE_VEC_MGMT_KEY, EE_VEC_MGMT_KEY_LEN);
	for (j = 0; j < 32; j++)
		fprintf(f, "%02x", key[j]);
	fprintf(f, " %03x %03x %u\n", ee_frame_gid(&v->frame), v->mgmt.new_gid,
		(unsigned int)(sizeof(var) / sizeof(var[0])));
	for (k = 0; k < sizeof(var) / sizeof(var[0]); k++) {
		memcpy(b, v->bytes, v->len);
		if (var[k].off >= 0)
			b[var[k].off] ^= var[k].x;
		fprintf(f, "%s %d %u", var[k].name, var[k].result, v->len);
		for (j = 0; j < v->len; j++)
			fprintf(f, " %02x", b[j]);
		fprintf(f, "\n");
	}
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: vecgen rx|dif|mgmt FILE\n");
		return 2;
	}
	if (!strcmp(argv[1], "rx"))
		return rx(argv[2]);
	if (!strcmp(argv[1], "dif"))
		return dif(argv[2]);
	if (!strcmp(argv[1], "mgmt"))
		return mgmt(argv[2]);
	fprintf(stderr, "vecgen: unknown set %s\n", argv[1]);
	return 2;
}
