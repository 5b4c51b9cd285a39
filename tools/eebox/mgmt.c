// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: management frames and moves between groups (see mgmt.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "dif.h"
#include "ee_sha256.h"
#include "host.h"
#include "log.h"
#include "mgmt.h"
#include "parse.h"

int mgmt_load_key(struct box *box, const char *path)
{
	char text[4096];
	size_t n;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "eebox: --mgmt-key %s: %s\n", path,
			strerror(errno));
		return EEBOX_EXIT_FAIL;
	}
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	box->mgmt_keylen = n < sizeof(text) ?
			   ee_key_from_hex(text, n, box->mgmt_key) : -1;
	memset(text, 0, sizeof(text));
	if (box->mgmt_keylen < 1) {
		box->mgmt_keylen = 0;
		fprintf(stderr,
			"eebox: --mgmt-key %s: want 1..%d bytes written as hexadecimal digits\n",
			path, EE_MGMT_KEY_MAX);
		return EEBOX_EXIT_USAGE;
	}
	return 0;
}

int mgmt_open_state(struct box *box, struct eebox_dev *dev)
{
	unsigned long long c;
	FILE *f;

	if (asprintf(&dev->mgmt_path, "%s/%u.mgmt", box->state_dir,
		     dev->index) < 0) {
		dev->mgmt_path = NULL;
		fprintf(stderr, "eebox: %s\n", strerror(ENOMEM));
		return -1;
	}
	f = fopen(dev->mgmt_path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	if (fscanf(f, "counter %llu", &c) == 1)
		dev->mgmt_counter = c;
	fclose(f);
	return 0;
}

/* Keep the counter across restarts, so old frames stay old. */
static void mgmt_save_counter(struct eebox_dev *dev)
{
	char *tmp;
	FILE *f;

	if (!dev->mgmt_path || asprintf(&tmp, "%s.tmp", dev->mgmt_path) < 0)
		return;
	f = fopen(tmp, "we");
	if (f) {
		fprintf(f, "counter %" PRIu64 "\n", (uint64_t)dev->mgmt_counter);
		if (fclose(f) || rename(tmp, dev->mgmt_path))
			unlink(tmp);
	}
	if (!f)
		fprintf(stderr, "eebox: %s: %s\n", tmp, strerror(errno));
	free(tmp);
}

void mgmt_request_move(struct box *box, struct eebox_dev *dev, u16 gid,
		       const char *why)
{
	fprintf(stderr, "eebox: dev %u: moves from group %u to %u (%s)\n",
		dev->index, dev->gid, gid, why);
	dev->move_to = gid;
	box->moves_pending = true;
}

void mgmt_rx(struct box *box, struct eebox_dev *dev, const struct ee_frame *f)
{
	u8 mac[EE_SHA256_DIGEST];
	char m[MAC_STR_LEN];
	struct ee_mgmt mg;
	const char *why;

	box->links_dirty = true;
	if (ee_mgmt_parse(f->payload, f->hdr.length, &mg)) {
		dev->st.mgmt_malformed++;
		why = "malformed";
		goto drop;
	}
	if (!box->mgmt_keylen) {
		dev->st.mgmt_no_key++;
		why = "no management key (--mgmt-key)";
		goto drop;
	}
	if (memcmp(mg.target_mac, dev->mac, 6) ||
	    (mg.target_id && mg.target_id != dev->bridge_id)) {
		dev->st.mgmt_not_ours++;
		why = "addressed to another bridge";
		goto drop;
	}
	/* Authentic first: a frame that is not is forged, whatever its
	 * counter says.
	 */
	ee_mgmt_hmac(box->mgmt_key, (size_t)box->mgmt_keylen, f->payload, mac);
	if (ee_memcmp_ct(mac, mg.hmac, sizeof(mac))) {
		dev->st.mgmt_forged++;
		why = "HMAC does not verify";
		goto drop;
	}
	if (mg.counter <= dev->mgmt_counter) {
		dev->st.mgmt_replayed++;
		why = "replayed (counter not above the last accepted)";
		goto drop;
	}
	dev->mgmt_counter = mg.counter;
	mgmt_save_counter(dev);
	dev->st.mgmt_accepted++;
	if (mg.new_gid == dev->gid && !dev->move_to) {
		fprintf(stderr,
			"eebox: dev %u: management frame from %s: already in group %u\n",
			dev->index, mac_str(m, f->src), mg.new_gid);
		return;
	}
	mgmt_request_move(box, dev, mg.new_gid, "management frame");
	return;
drop:
	fprintf(stderr, "eebox: dev %u: management frame from %s refused: %s\n",
		dev->index, mac_str(m, f->src), why);
}

static void mgmt_send_dif(struct box *box, struct eebox_dev *dev, u16 gid,
			  bool leave)
{
	u8 frame[DIF_FRAME_MAX];
	int len;

	len = leave ? dif_build_leave(dev, gid, box->ethertype,
				      box->interval_ms, frame, sizeof(frame)) :
		      dif_build(dev, box->ethertype, box->interval_ms, frame,
				sizeof(frame));
	if (len > 0 && !box_xmit(box, dev, frame, (size_t)len,
				 leave ? "leaving the group" : NULL))
		dev->st.tx_difs++;
}

/* Out of the old group, the device reset, into the new one. */
static void mgmt_move(struct box *box, struct eebox_dev *dev, u16 gid)
{
	u16 old = dev->gid;
	u32 epoch = dev->epoch;

	mgmt_send_dif(box, dev, old, true);
	host_leave(dev);
	dev_reset(dev);
	dev->gid = gid;
	dev->st.gid_changes++;
	dev_save_state(dev);
	box->links_dirty = true;
	mgmt_send_dif(box, dev, gid, false);
	fprintf(stderr,
		"eebox: dev %u: now in group %u (was %u), epoch %#010x -> %#010x\n",
		dev->index, gid, old, epoch, dev->epoch);
}

void mgmt_apply_moves(struct box *box)
{
	unsigned int i;

	if (!box->moves_pending)
		return;
	box->moves_pending = false;
	for (i = 0; i < box->ndevs; i++) {
		struct eebox_dev *dev = box->devs[i];
		u16 gid = dev->move_to;

		if (!gid)
			continue;
		dev->move_to = 0;
		if (gid != dev->gid)
			mgmt_move(box, dev, gid);
	}
}
