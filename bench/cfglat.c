// SPDX-License-Identifier: GPL-2.0
/*
 * cfglat: configuration-read latency of a PCI device, from user space.
 *
 *   cfglat [-c COUNT] [-w WARMUP] [-o OFFSET] [-e VALUE] [-r FILE] [-j] [-q]
 *          DEVICE
 *
 * pread()s 4 bytes at OFFSET (default 0x94, the testdev's scratch dword) of
 * the device's sysfs config file COUNT times and times each read with
 * CLOCK_MONOTONIC.  An aligned dword read of sysfs config is one CfgRd TLP
 * round trip below an expether root port (and one syscall, like eeping's
 * send and receive).  DEVICE is a PCI address (ee00:01:00.0), a
 * VENDOR:DEVICE pair (1033:ee01: the first such device in
 * /sys/bus/pci/devices) or a path to any file (tests).
 *
 * Reads that return all-ones (what a config read gives after a completion
 * timeout) are counted, and with -e VALUE so are reads of anything but
 * VALUE; every read is in the latency figures.  Prints median, p99, min,
 * mean and max in microseconds, or one JSON object with -j.  Exit status:
 * 0 if at least one read returned good data, 1 if none did, 2 on a usage
 * error, 3 when the file cannot be read.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stats.h"

#define PROG		"cfglat"
#define PCI_DEVICES	"/sys/bus/pci/devices"

struct opts {
	const char *device;
	unsigned long count, warmup, offset, expect;
	bool have_expect, json, quiet;
	const char *raw;	/* -r: samples to this file */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [-c COUNT] [-w WARMUP] [-o OFFSET] [-e VALUE] [-r FILE] [-j] [-q]\n"
		"              DEVICE\n"
		"  DEVICE      PCI address (ee00:01:00.0), VENDOR:DEVICE (1033:ee01)\n"
		"              or a file path\n"
		"  -c COUNT    timed reads (default 1000)\n"
		"  -w WARMUP   untimed reads first (default 20)\n"
		"  -o OFFSET   dword-aligned config offset (default 0x94)\n"
		"  -e VALUE    the value every read must return\n"
		"  -r FILE     write every read's latency (ns, in order) to FILE\n"
		"  -j          JSON output\n"
		"  -q          no progress on stderr\n");
}

static int bad(const char *opt, const char *val)
{
	fprintf(stderr, PROG ": bad %s '%s'\n", opt, val);
	usage(stderr);
	return 2;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->count = 1000;
	o->warmup = 20;
	o->offset = 0x94;
	while ((c = getopt(argc, argv, "c:w:o:e:r:jqh")) != -1) {
		switch (c) {
		case 'c':
			if (parse_ulong(optarg, 100000000, &o->count) ||
			    !o->count)
				return bad("-c", optarg);
			break;
		case 'w':
			if (parse_ulong(optarg, 100000000, &o->warmup))
				return bad("-w", optarg);
			break;
		case 'o':
			if (parse_ulong(optarg, 4092, &o->offset) ||
			    o->offset % 4)
				return bad("-o", optarg);
			break;
		case 'e':
			if (parse_ulong(optarg, 0xffffffffu, &o->expect))
				return bad("-e", optarg);
			o->have_expect = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'r':
			o->raw = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, PROG ": one DEVICE expected\n");
		usage(stderr);
		return 2;
	}
	o->device = argv[optind];
	return 0;
}

/* The first hex number in a sysfs attribute file, or -1. */
static long read_hex_attr(const char *dev, const char *attr)
{
	char path[512];
	unsigned long v;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/%s", dev, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%lx", &v);
	fclose(f);
	return n == 1 ? (long)v : -1;
}

/* Resolve DEVICE into the config file path (and the PCI address). */
static int resolve(const char *device, char *path, size_t cap, char *bdf,
		   size_t bcap)
{
	unsigned int vendor, devid;
	struct dirent *de;
	char tail;
	DIR *d;

	bdf[0] = '\0';
	if (strchr(device, '/')) {
		snprintf(path, cap, "%s", device);
		return 0;
	}
	if (sscanf(device, "%4x:%4x%c", &vendor, &devid, &tail) == 2 &&
	    strlen(device) == 9) {
		d = opendir(PCI_DEVICES);
		if (!d) {
			fprintf(stderr, PROG ": " PCI_DEVICES ": %s\n",
				strerror(errno));
			return -1;
		}
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			if (read_hex_attr(de->d_name, "vendor") == (long)vendor &&
			    read_hex_attr(de->d_name, "device") == (long)devid) {
				snprintf(bdf, bcap, "%s", de->d_name);
				break;
			}
		}
		closedir(d);
		if (!bdf[0]) {
			fprintf(stderr, PROG ": no %04x:%04x device in " PCI_DEVICES "\n",
				vendor, devid);
			return -1;
		}
	} else {
		snprintf(bdf, bcap, "%s", device);
	}
	snprintf(path, cap, PCI_DEVICES "/%s/config", bdf);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long total, i, allones = 0, mismatch = 0, good = 0;
	char path[600], bdf[256];
	uint64_t *ns = NULL, t0, t1;
	uint32_t last = 0;
	struct stats st;
	struct opts o;
	size_t n = 0;
	int fd, ret;

	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret;
	if (resolve(o.device, path, sizeof(path), bdf, sizeof(bdf)))
		return 3;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		return 3;
	}
	ns = calloc(o.count, sizeof(*ns));
	if (!ns) {
		fprintf(stderr, PROG ": out of memory\n");
		close(fd);
		return 3;
	}
	if (!o.quiet)
		fprintf(stderr, PROG ": %lu+%lu reads of 4 bytes at 0x%lx of %s\n",
			o.warmup, o.count, o.offset, path);
	total = o.warmup + o.count;
	for (i = 0; i < total; i++) {
		unsigned char b[4];
		ssize_t r;
		uint32_t v;

		t0 = now_ns();
		r = pread(fd, b, sizeof(b), (off_t)o.offset);
		t1 = now_ns();
		if (r != (ssize_t)sizeof(b)) {
			fprintf(stderr, PROG ": %s: read at 0x%lx: %s\n", path,
				o.offset, r < 0 ? strerror(errno) : "short read");
			free(ns);
			close(fd);
			return 3;
		}
		if (i < o.warmup)
			continue;
		/* Config space is little-endian. */
		v = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
		    (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
		last = v;
		ns[n++] = t1 - t0;
		if (v == 0xffffffffu && !(o.have_expect && o.expect == v))
			allones++;
		else if (o.have_expect && v != o.expect)
			mismatch++;
		else
			good++;
	}
	close(fd);
	if (o.raw && samples_write(o.raw, ns, n)) {
		fprintf(stderr, PROG ": %s: %s\n", o.raw, strerror(errno));
		free(ns);
		return 3;
	}
	stats_compute(ns, n, &st);
	if (o.json) {
		printf("{\"tool\": \"cfglat\", \"device\": ");
		json_string(stdout, bdf[0] ? bdf : path);
		printf(", \"offset\": %lu, \"warmup\": %lu, \"count\": %lu, "
		       "\"good\": %lu, \"allones\": %lu, \"mismatch\": %lu, "
		       "\"last\": \"0x%08x\", ", o.offset, o.warmup, o.count,
		       good, allones, mismatch, last);
		stats_print_json(stdout, &st);
		printf("}\n");
	} else {
		printf(PROG " %s offset 0x%lx: %lu reads, %lu good, %lu all-ones, %lu mismatched (last 0x%08x)\n",
		       bdf[0] ? bdf : path, o.offset, o.count, good, allones,
		       mismatch, last);
		printf("latency us: ");
		stats_print_text(stdout, &st);
		printf("\n");
	}
	free(ns);
	return good ? 0 : 1;
}
