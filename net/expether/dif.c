// SPDX-License-Identifier: GPL-2.0
/*
 * Device Information Frames: the host bridge announces itself in its group
 * every interval, and hands each I/O bridge's DIF of its group to the
 * consumer, which turns them into hot-plug slot events.
 */
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "transport.h"

/* Announce ourselves now (besides every interval). */
void ee_dif_send_now(struct ee_transport *t)
{
	struct ee_dif dif = {
		.role = EXPETHER_ROLE_HOST,
		.interval_ms = READ_ONCE(t->dif_interval_ms),
		.gid = READ_ONCE(t->gid),
		.bridge_id = t->bridge_id,
		.epoch = READ_ONCE(t->epoch),
	};

	ether_addr_copy(dif.mac, t->mac);
	if (!ee_send_dif(t, &dif))
		ee_count(t, EE_C_TX_DIFS);
}

void ee_dif_work(struct work_struct *work)
{
	struct ee_transport *t = container_of(to_delayed_work(work),
					      struct ee_transport, dif_work);

	ee_dif_send_now(t);
	schedule_delayed_work(&t->dif_work,
			      msecs_to_jiffies(READ_ONCE(t->dif_interval_ms)));
}

void ee_dif_set_interval(struct ee_transport *t, unsigned int ms)
{
	WRITE_ONCE(t->dif_interval_ms, ms);
	/* Announce the new period now rather than after the old one. */
	mod_delayed_work(system_wq, &t->dif_work, 0);
}

void ee_dif_rx(struct ee_transport *t, const u8 *src, const u8 *payload,
	       unsigned int len)
{
	struct ee_dif dif;
	int err;

	err = ee_dif_parse(payload, len, &dif);
	if (!err && (dif.gid != READ_ONCE(t->gid) ||
		     !ether_addr_equal(dif.mac, src)))
		err = -EE_ERR_FIELD;	/* must agree with the frame */
	if (err) {
		ee_count_malformed(t, src, err);
		return;
	}
	ee_count(t, EE_C_RX_DIFS);
	/* Other hosts of our group announce themselves too; not our slots. */
	if (dif.role == EXPETHER_ROLE_IO)
		t->ops->rx_dif(t->ctx, src, &dif);
}
