// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpora of the fuzz targets:
 *   DIR/fuzz_frame/NAME	every test vector of net/expether/ee_vectors.h,
 *				its ExpEther header alone and its payload alone
 *   DIR/fuzz_gbn/NAME		a few programs for fuzz_gbn (see there)
 * Usage: mkseeds DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "ee_codec.h"
#include "ee_vectors.h"

static const char *dir;

static void put(const char *target, const char *name, const char *suffix,
		const u8 *p, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s%s", dir, target, name, suffix);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void mkdir_p(const char *target)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, target);
	if (mkdir(dir, 0755) && errno != EEXIST) {
		perror(dir);
		exit(1);
	}
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
}

/* fuzz_gbn programs: mode, dupthresh, ack_every, then ops. */
static const u8 prog_clean[] = {
	0x0e, 3, 2,
	0, 7, 1, 7, 15, 7, 15, 5, 0, 10, 6, 7, 15, 0, 3, 15, 7, 15,
};

static const u8 prog_loss[] = {
	0x0e, 3, 4,
	0, 7, 3, 1, 15, 7, 15, 0, 2, 7, 15, 5, 0, 200, 6, 15, 7, 15,
	5, 0x10, 10, 6, 0, 1, 15, 7, 15,
};

static const u8 prog_reorder_dup[] = {
	0x1e, 1, 1,
	0, 5, 4, 0, 4, 1, 2, 3, 2, 0, 2, 1, 2, 2, 7, 15, 12, 0, 15,
	0, 3, 2, 2, 2, 0, 7, 15,
};

static const u8 prog_restart[] = {
	0x0e, 3, 2,
	0, 4, 1, 4, 15, 7, 0, 3, 1, 3, 8, 25, 0, 2, 15, 7, 15, 11, 0,
	11, 3, 12, 0, 15, 0, 2, 15, 7, 15,
};

static const u8 prog_gen[] = {
	0x0e, 3, 2,
	0, 4, 15, 7, 15, 10, 11, 0, 0, 2, 15, 7, 15, 1, 2, 15, 7, 15,
};

static const u8 prog_death[] = {
	0x26, 3, 2,
	0, 4, 3, 0, 3, 0, 5, 0, 255, 6, 5, 0x10, 255, 6, 21, 255, 255, 6,
	10, 0, 2, 15, 7, 15,
};

static const u8 prog_probe[] = {
	0x0e, 3, 2,
	14, 30, 15, 7, 15, 0, 2, 15, 7, 15,
};

static const u8 prog_forge[] = {
	0x0f, 3, 2,
	0, 3, 13, 1, 0x0a, 0, 0x0f, 12, 0, 0, 0, 1, 0, 0, 0, 1,
	0, 0, 0, 0, 0, 0, 0, 0, 15, 13, 1, 0x2c, 0, 0x1f, 12,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 15, 7, 15,
};

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	mkdir_p("fuzz_frame");
	mkdir_p("fuzz_gbn");
	for (i = 0; i < EE_N_VECTORS; i++) {
		const struct ee_vector *v = &ee_vectors[i];

		put("fuzz_frame", v->name, "", v->bytes, v->len);
		if (v->len > EXPETHER_L2_HLEN)
			put("fuzz_frame", v->name, ".hdr",
			    v->bytes + EXPETHER_L2_HLEN,
			    v->len - EXPETHER_L2_HLEN);
		if (v->len > EXPETHER_L2_HLEN + EXPETHER_HLEN)
			put("fuzz_frame", v->name, ".payload",
			    v->bytes + EXPETHER_L2_HLEN + EXPETHER_HLEN,
			    v->len - EXPETHER_L2_HLEN - EXPETHER_HLEN);
		/* the vectors' headers, forged into a receiver */
		if (v->len >= EXPETHER_L2_HLEN + EXPETHER_HLEN) {
			u8 prog[64] = { 0x0f, 3, 2, 0, 3, 13, 1, 0x0a };
			const u8 *hb = v->bytes + EXPETHER_L2_HLEN;

			memcpy(prog + 8, hb + 2, 2);	/* flags */
			prog[10] = hb[5];		/* length */
			memcpy(prog + 11, hb + 8, 16);	/* seq .. tsecr */
			prog[27] = 15;
			prog[28] = 7;
			put("fuzz_gbn", v->name, "", prog, 29);
		}
	}
	put("fuzz_gbn", "clean", "", prog_clean, sizeof(prog_clean));
	put("fuzz_gbn", "loss", "", prog_loss, sizeof(prog_loss));
	put("fuzz_gbn", "reorder_dup", "", prog_reorder_dup,
	    sizeof(prog_reorder_dup));
	put("fuzz_gbn", "restart", "", prog_restart, sizeof(prog_restart));
	put("fuzz_gbn", "gen", "", prog_gen, sizeof(prog_gen));
	put("fuzz_gbn", "death", "", prog_death, sizeof(prog_death));
	put("fuzz_gbn", "probe", "", prog_probe, sizeof(prog_probe));
	put("fuzz_gbn", "forge", "", prog_forge, sizeof(prog_forge));
	return 0;
}
