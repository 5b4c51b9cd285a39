// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: -v frame log (see log.h).
 */
#include <time.h>

#include "ee_codec.h"
#include "log.h"
#include "parse.h"

bool log_verbose;

static double log_now(void)
{
	static struct timespec t0;
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	if (!t0.tv_sec && !t0.tv_nsec)
		t0 = t;
	return (double)(t.tv_sec - t0.tv_sec) +
	       (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

static void log_flags(char *buf, size_t cap, u16 flags)
{
	static const char *const names[] = {
		"SEQ", "ACK", "TS", "TSECR", "SYN", "PROBE",
	};
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < 6 && n < cap; i++)
		if (flags & (1u << i))
			n += (size_t)snprintf(buf + n, cap - n, "%s%s",
					      n ? "," : "", names[i]);
	if (flags & ~EXPETHER_F_KNOWN && n < cap)
		snprintf(buf + n, cap - n, "%s%#x", n ? "," : "",
			 flags & ~EXPETHER_F_KNOWN);
	if (!flags)
		snprintf(buf, cap, "-");
}

static void log_tlps(const u8 *p, size_t len)
{
	struct ee_tlp t;
	char line[256];
	int r;

	while (len) {
		r = ee_tlp_parse(p, len, &t);
		if (r <= 0) {
			fprintf(stderr, "             TLP malformed: %s\n",
				ee_err_str(r < 0 ? -r : EE_ERR_TLP_LEN));
			return;
		}
		ee_tlp_format(line, sizeof(line), &t);
		fprintf(stderr, "             %s\n", line);
		p += r;
		len -= (size_t)r;
	}
}

static void log_dif(const u8 *p, size_t len)
{
	struct ee_dif d;
	char mac[MAC_STR_LEN];
	int r = ee_dif_parse(p, len, &d);

	if (r < 0) {
		fprintf(stderr, "             DIF malformed: %s\n",
			ee_err_str(-r));
		return;
	}
	fprintf(stderr,
		"             DIF role %s flags %#x%s interval %u ms mac %s gid %u id %016llx epoch %08x\n"
		"                 device %04x:%04x class %06x rev %02x subsys %04x:%04x\n",
		d.role == EXPETHER_ROLE_HOST ? "host" :
		d.role == EXPETHER_ROLE_IO ? "io" : "?",
		d.flags, d.flags & EXPETHER_DIF_F_PRESENT ? " (present)" : "",
		d.interval_ms, mac_str(mac, d.mac), d.gid,
		(unsigned long long)d.bridge_id, d.epoch, d.vendor, d.device,
		d.class_rev >> 8, d.class_rev & 0xff, d.subsys_vendor,
		d.subsys_id);
}

static void log_mgmt(const u8 *p, size_t len)
{
	struct ee_mgmt m;
	char mac[MAC_STR_LEN];
	int r = ee_mgmt_parse(p, len, &m);

	if (r < 0) {
		fprintf(stderr, "             MGMT malformed: %s\n",
			ee_err_str(-r));
		return;
	}
	fprintf(stderr,
		"             MGMT op %u new gid %u target %s id %016llx counter %llu\n",
		m.op, m.new_gid, mac_str(mac, m.target_mac),
		(unsigned long long)m.target_id,
		(unsigned long long)m.counter);
}

void log_frame(const char *dir, const u8 *frame, size_t len, u16 ethertype,
	       const char *note)
{
	char src[MAC_STR_LEN], dst[MAC_STR_LEN], flags[48];
	struct ee_frame f;
	int r;

	if (!log_verbose)
		return;

	fprintf(stderr, "[%10.6f] %s ", log_now(), dir);
	if (len < 12) {
		fprintf(stderr, "runt frame, %zu bytes%s%s\n", len,
			note ? ": " : "", note ? note : "");
		return;
	}
	fprintf(stderr, "%s > %s ", mac_str(src, frame + 6),
		mac_str(dst, frame));

	r = ee_frame_parse(frame, len, ethertype, &f);
	if (r < 0) {
		fprintf(stderr, "len %zu malformed: %s%s%s\n", len,
			ee_err_str(-r), note ? ": " : "", note ? note : "");
		return;
	}
	log_flags(flags, sizeof(flags), f.hdr.flags);
	fprintf(stderr, "gid %u %s flags %s", ee_frame_gid(&f),
		ee_frame_type_str(f.hdr.type), flags);
	if (f.hdr.flags & EXPETHER_F_SEQ)
		fprintf(stderr, " seq %u", f.hdr.seq);
	if (f.hdr.flags & EXPETHER_F_ACK)
		fprintf(stderr, " ack %u", f.hdr.ack);
	fprintf(stderr, " len %u%s%s\n", f.hdr.length, note ? ": " : "",
		note ? note : "");

	switch (f.hdr.type) {
	case EXPETHER_FT_TLP:
		log_tlps(f.payload, f.hdr.length);
		break;
	case EXPETHER_FT_DIF:
		log_dif(f.payload, f.hdr.length);
		break;
	case EXPETHER_FT_MGMT:
		log_mgmt(f.payload, f.hdr.length);
		break;
	}
}
