// SPDX-License-Identifier: GPL-2.0
/*
 * Management frames we send: the system manager's role
 * (Documentation/expether/protocol.rst, "Management frames";
 * Documentation/expether/security.rst).
 *
 * A SET_GID asks one I/O bridge to move to another group.  It is signed
 * with HMAC-SHA256 (the kernel's "hmac(sha256)") under the key shared with
 * the bridges, and carries a replay counter the bridge requires to grow:
 * the wall clock in nanoseconds, or the last counter plus one if the clock
 * did not move on, so that counters keep growing across module reloads and
 * between managers whose clocks agree, without state on disk.
 */
#include <crypto/hash.h>
#include <linux/etherdevice.h>
#include <linux/timekeeping.h>

#include "transport.h"

void ee_mgmt_init(struct ee_transport *t)
{
	mutex_init(&t->mgmt.lock);
	t->mgmt.tfm = NULL;
	t->mgmt.counter = 0;
}

void ee_mgmt_exit(struct ee_transport *t)
{
	mutex_lock(&t->mgmt.lock);
	crypto_free_shash(t->mgmt.tfm);
	t->mgmt.tfm = NULL;
	mutex_unlock(&t->mgmt.lock);
}

int ee_mgmt_set_key(struct ee_transport *t, const u8 *key, unsigned int len)
{
	struct crypto_shash *tfm = NULL, *old;
	int err;

	if (len > EXPETHER_MGMT_KEY_MAX)
		return -EINVAL;
	if (len) {
		tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
		if (IS_ERR(tfm))
			return PTR_ERR(tfm);
		err = crypto_shash_setkey(tfm, key, len);
		if (err) {
			crypto_free_shash(tfm);
			return err;
		}
	}
	mutex_lock(&t->mgmt.lock);
	old = t->mgmt.tfm;
	t->mgmt.tfm = tfm;
	mutex_unlock(&t->mgmt.lock);
	/* The key schedule of the old key is wiped with its tfm. */
	crypto_free_shash(old);
	return 0;
}

bool ee_mgmt_has_key(struct ee_transport *t)
{
	bool has;

	mutex_lock(&t->mgmt.lock);
	has = t->mgmt.tfm;
	mutex_unlock(&t->mgmt.lock);
	return has;
}

u64 ee_mgmt_counter(struct ee_transport *t)
{
	u64 c;

	mutex_lock(&t->mgmt.lock);
	c = t->mgmt.counter;
	mutex_unlock(&t->mgmt.lock);
	return c;
}

int ee_mgmt_send_set_gid(struct ee_transport *t, const u8 *mac, u16 cur_gid,
			 u64 target_id, u16 new_gid, u64 *counter)
{
	struct ee_hdr h = {
		.version = EXPETHER_VERSION,
		.type = EXPETHER_FT_MGMT,
	};
	struct ee_mgmt m = {
		.op = EXPETHER_MGMT_SET_GID,
		.new_gid = new_gid,
		.target_id = target_id,
	};
	u8 payload[EXPETHER_MGMT_LEN];
	int err;

	ether_addr_copy(m.target_mac, mac);
	mutex_lock(&t->mgmt.lock);
	if (!t->mgmt.tfm) {
		err = -ENOKEY;
		goto unlock;
	}
	m.counter = max_t(u64, ktime_get_real_ns(), t->mgmt.counter + 1);
	ee_mgmt_put(payload, &m);
	/* The HMAC covers the payload's bytes 0..27 (protocol.rst). */
	err = crypto_shash_tfm_digest(t->mgmt.tfm, payload, 28,
				      payload + 28);
	if (err)
		goto unlock;
	/* Used, whether or not the frame gets out: never twice. */
	t->mgmt.counter = m.counter;
	*counter = m.counter;
	err = ee_send_frame(t, mac, cur_gid, &h, payload, sizeof(payload));
	if (!err)
		ee_count(t, EE_C_TX_MGMT);
unlock:
	mutex_unlock(&t->mgmt.lock);
	return err;
}
