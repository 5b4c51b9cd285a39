// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB benches: the protocol's byte-exact example frames
 * (net/expether/ee_vectors.h) and what the bridge must make of each,
 * computed with the shared codec (net/expether/ee_codec.c), written as
 * text for the Icarus benches:
 *
 *   vecgen rx  FILE   frames for tb_rx.v: configuration, bytes, and the
 *                     expected verdict, descriptor fields and TLPs
 *   vecgen top FILE   for tb_top.v: the identity of dif_io and its DIF,
 *                     a host (dif_host), a request (cfgrd0) and its
 *                     completion (cpld) in the sequence numbers of their
 *                     connection, an ECHO, mgmt_set_gid and variants
 *
 * The expected results come from the C code, never from this file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ee_codec.h"
#include "ee_gbn.h"
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

static void put_bytes(FILE *f, const u8 *b, unsigned int n)
{
	unsigned int j;

	fprintf(f, " %u", n);
	for (j = 0; j < n; j++)
		fprintf(f, " %02x", b[j]);
	fprintf(f, "\n");
}

/* The TLP at @p as tb_top.v wants it: header (128 bits) and data. */
static void put_tlp(FILE *f, const u8 *p, size_t len)
{
	struct ee_tlp t;
	int n = ee_tlp_parse(p, len, &t);
	unsigned int hlen = (p[0] & 0x20) ? 16 : 12, k;
	size_t dlen;

	if (n <= 0) {
		fprintf(stderr, "vecgen: a vector TLP does not parse\n");
		exit(1);
	}
	dlen = ee_tlp_has_data(&t) ? (size_t)t.length * 4 : 0;
	for (k = 0; k < 16; k++)
		fprintf(f, "%02x", k < hlen ? p[k] : 0);
	fprintf(f, " %zu", dlen);
	for (k = 0; k < dlen; k++)
		fprintf(f, " %02x", p[hlen + k]);
	fprintf(f, "\n");
}

/*
 * The whole-bridge bench (tb_top.v), from the example frames: the I/O
 * bridge of dif_io (epoch 3) meets the host of dif_host (epoch 1); the
 * host's cfgrd0 (its sequence number made the ISN the two epochs give)
 * reaches the device; the device's answer (the CplD of cpld) leaves as
 * cpld's frame with the transport fields of this connection; an ECHO
 * request comes back; mgmt_set_gid and its damaged variants.
 */
static int top(const char *path)
{
	const struct ee_vector *vi = find("dif_io"), *vh = find("dif_host");
	const struct ee_vector *vr = find("cfgrd0"), *vc = find("cpld");
	const struct ee_vector *vm = find("mgmt_set_gid");
	const struct ee_dif *d = &vi->dif;
	u32 peb_ep = vi->dif.epoch, host_ep = vh->dif.epoch;
	u32 isn_rx = ee_gbn_isn(host_ep, peb_ep, 0), isn_tx = ee_gbn_isn(peb_ep, host_ep, 0);
	FILE *f = fopen(path, "w");
	u8 b[1600], key[32] = { 0 };
	struct ee_frame fr;
	unsigned int k, j;
	int n;
	/* name, byte to change, xor, expected result of peb_mgmt */
	static const struct {
		const char *name;
		int off;
		u8 x;
		int result;
	} var[] = {
		{ "accept", -1, 0, 1 },
		{ "replay", -1, 0, 5 },
		{ "bad_hmac", 42 + 28 + 5, 0x01, 6 },
		{ "bad_msg", 42 + 3, 0x01, 6 },	/* new_gid changed, hmac kept */
		{ "bad_reserved", 42 + 1, 0x80, 6 },	/* reserved, but signed */
		{ "bad_target_mac", 42 + 9, 0x40, 3 },
		{ "bad_target_id", 42 + 19, 0x02, 4 },
	};

	if (!f)
		return 1;
	/* the bridge's identity */
	fprintf(f, "%02x%02x %02x%02x%02x%02x %03x %04x %d %08x %08x %08x %04x%04x %08x %04x%04x %u\n",
		d->mac[0], d->mac[1], d->mac[2], d->mac[3], d->mac[4], d->mac[5],
		d->gid, vi->frame.ethertype, d->interval_ms,
		(u32)(d->bridge_id >> 32), (u32)d->bridge_id, d->epoch, d->vendor,
		d->device, d->class_rev, d->subsys_vendor, d->subsys_id, d->flags & 1);
	/* its DIF, and the host's */
	put_bytes(f, vi->bytes, vi->len);
	put_bytes(f, vh->bytes, vh->len);
	/* the request, in sequence for the new connection */
	memcpy(b, vr->bytes, vr->len);
	ee_put_be32(b + 26, isn_rx);
	put_bytes(f, b, vr->len);
	put_tlp(f, vr->bytes + 42, vr->frame.hdr.length);
	/* the device's completion, and the frame it must leave in */
	put_tlp(f, vc->bytes + 42, vc->frame.hdr.length);
	memcpy(b, vc->bytes, vc->len);
	ee_put_be32(b + 26, isn_tx);
	ee_put_be32(b + 30, isn_rx + 1);
	put_bytes(f, b, vc->len);
	/* an ECHO request of 100 bytes, and its reply */
	memset(&fr, 0, sizeof(fr));
	memcpy(fr.dst, d->mac, 6);
	memcpy(fr.src, vh->dif.mac, 6);
	fr.tci = d->gid;
	fr.ethertype = vi->frame.ethertype;
	fr.hdr.version = EXPETHER_VERSION;
	fr.hdr.type = EXPETHER_FT_ECHO_REQ;
	{
		u8 payload[100];

		for (j = 0; j < sizeof(payload); j++)
			payload[j] = (u8)(j * 7 + 1);
		n = ee_frame_build(b, sizeof(b), &fr, payload, sizeof(payload));
		put_bytes(f, b, (unsigned int)n);
		memcpy(fr.dst, vh->dif.mac, 6);
		memcpy(fr.src, d->mac, 6);
		fr.hdr.type = EXPETHER_FT_ECHO_REPLY;
		n = ee_frame_build(b, sizeof(b), &fr, payload, sizeof(payload));
		put_bytes(f, b, (unsigned int)n);
	}
	/* management: the key, the GIDs, the variants */
	memset(key, 0, sizeof(key));
	memcpy(key, EE_VEC_MGMT_KEY, EE_VEC_MGMT_KEY_LEN);
	for (j = 0; j < 32; j++)
		fprintf(f, "%02x", key[j]);
	fprintf(f, " %03x %03x %u\n", ee_frame_gid(&vm->frame), vm->mgmt.new_gid,
		(unsigned int)(sizeof(var) / sizeof(var[0])));
	for (k = 0; k < sizeof(var) / sizeof(var[0]); k++) {
		memcpy(b, vm->bytes, vm->len);
		if (var[k].off >= 0)
			b[var[k].off] ^= var[k].x;
		fprintf(f, "%s %d", var[k].name, var[k].result);
		put_bytes(f, b, vm->len);
	}
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: vecgen rx|top FILE\n");
		return 2;
	}
	if (!strcmp(argv[1], "rx"))
		return rx(argv[2]);
	if (!strcmp(argv[1], "top"))
		return top(argv[2]);
	fprintf(stderr, "vecgen: unknown set %s\n", argv[1]);
	return 2;
}
