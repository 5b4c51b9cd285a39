// SPDX-License-Identifier: GPL-2.0
/*
 * expether link: Go-Back-N, rate control and the retransmit ring of one
 * peer, driven the same way by expether.ko and eebox (ee_link.h).
 *
 * The ring is indexed by sequence number: frame seq lives in slot
 * seq & mask from the moment it is queued until it is acknowledged.
 * Frames [snd_una, snd_nxt) are in flight, the next @unsent slots after
 * snd_nxt wait for the window or the pacer.  Since the number of slots
 * divides 2^32, the mapping survives sequence wrap.
 */
#include "ee_link.h"

void ee_link_cfg_default(struct ee_link_cfg *cfg)
{
	ee_gbn_cfg_default(&cfg->gbn);
	ee_rate_cfg_default(&cfg->rate);
	cfg->backlog = EE_LINK_DEF_BACKLOG;
	cfg->slot_size = EXPETHER_MAX_PAYLOAD;
	cfg->pace = true;
}

static u32 ee_link_window(const struct ee_link_cfg *cfg)
{
	u32 w = cfg->gbn.window;

	if (w < 1)
		w = 1;
	if (w > EE_GBN_MAX_WINDOW)
		w = EE_GBN_MAX_WINDOW;
	return w;
}

u32 ee_link_slots(const struct ee_link_cfg *cfg)
{
	u64 want = (u64)ee_link_window(cfg) + cfg->backlog;
	u32 n = 1;

	if (want > EE_LINK_MAX_SLOTS)
		want = EE_LINK_MAX_SLOTS;
	while (n < want)
		n <<= 1;
	return n;
}

void ee_link_init(struct ee_link *l, const struct ee_link_cfg *cfg,
		  void *ring)
{
	u32 slots = ee_link_slots(cfg);

	memset(l, 0, sizeof(*l));
	ee_gbn_init(&l->g, &cfg->gbn);
	ee_rate_init(&l->r, &cfg->rate);
	l->mask = slots - 1;
	l->backlog = slots - l->g.cfg.window;
	l->slot_size = cfg->slot_size;
	if (l->slot_size > EXPETHER_MAX_PAYLOAD)
		l->slot_size = EXPETHER_MAX_PAYLOAD;
	l->pace = cfg->pace;
	/* Lengths first: the u16 array stays aligned whatever slot_size is. */
	l->len = ring;
	l->buf = (u8 *)ring + (size_t)slots * sizeof(u16);
}

/* A new connection: the rate controller probes anew, and the window is
 * its floor until the acks have shown the delivery rate.
 */
static void ee_link_path_reset(struct ee_link *l, u64 now)
{
	ee_rate_reset(&l->r, now);
	ee_gbn_set_window(&l->g, ee_rate_window(&l->r));
}

static void ee_link_flush(struct ee_link *l)
{
	l->st.flushed += ee_gbn_in_flight(&l->g) + l->unsent;
	l->unsent = 0;
}

void ee_link_reset(struct ee_link *l, u32 local_epoch, u32 peer_epoch,
		   u64 now)
{
	ee_link_flush(l);
	/* The same two bridges again: a sequence space they have used must
	 * not be reused, so go on with the next generation.
	 */
	if (l->g.st.resets && l->g.local_epoch == local_epoch &&
	    l->g.peer_epoch == peer_epoch)
		ee_gbn_restart(&l->g, now);
	else
		ee_gbn_reset(&l->g, local_epoch, peer_epoch, now);
	ee_link_path_reset(l, now);
}

void ee_link_restart(struct ee_link *l, u64 now)
{
	/* Never opened: no epochs to restart between. */
	if (l->g.state == EE_GBN_CLOSED && !l->g.st.resets)
		return;
	ee_link_flush(l);
	ee_gbn_restart(&l->g, now);
	ee_link_path_reset(l, now);
}

bool ee_link_revive(struct ee_link *l, u64 now)
{
	u32 una = l->g.dead_una;

	if (!ee_gbn_revive(&l->g, now))
		return false;
	/* Not flushed after all (ee_link_timer() counted them). */
	l->unsent = l->dead_unsent;
	l->st.flushed -= (l->g.snd_nxt - una) + l->unsent;
	return true;
}

void ee_link_close(struct ee_link *l)
{
	ee_link_flush(l);
	ee_gbn_close(&l->g);
}

static u8 *ee_link_slot(const struct ee_link *l, u32 seq)
{
	return l->buf + (size_t)(seq & l->mask) * l->slot_size;
}

int ee_link_queue(struct ee_link *l, const void *payload, u32 len)
{
	u32 seq;

	if (!ee_link_open(l))
		return -EE_LINK_ESTATE;
	if (!len || len > l->slot_size)
		return -EE_LINK_ELEN;
	if (ee_link_occupancy(l) > l->mask) {
		l->st.queue_full++;
		return -EE_LINK_EFULL;
	}
	seq = l->g.snd_nxt + l->unsent;
	memcpy(ee_link_slot(l, seq), payload, len);
	l->len[seq & l->mask] = (u16)len;
	l->unsent++;
	l->st.queued++;
	return 0;
}

/* Whether the pacer lets a frame go at @now (and count when it does not). */
static bool ee_link_paced_ok(struct ee_link *l, u64 now)
{
	if (!l->pace || ee_rate_may_send(&l->r, now))
		return true;
	l->st.paced++;
	return false;
}

static void ee_link_tlp_hdr(struct ee_link *l, struct ee_hdr *h, u32 seq)
{
	memset(h, 0, sizeof(*h));
	h->version = EXPETHER_VERSION;
	h->type = EXPETHER_FT_TLP;
	h->length = l->len[seq & l->mask];
}

int ee_link_next(struct ee_link *l, u64 now, struct ee_hdr *h,
		 const u8 **payload)
{
	u32 seq;

	*payload = NULL;
	if (!ee_link_open(l))
		return EE_LINK_NONE;

	if (ee_rate_probes_due(&l->r)) {
		memset(h, 0, sizeof(*h));
		h->version = EXPETHER_VERSION;
		ee_gbn_tx_probe(&l->g, now, h);
		ee_rate_probe_sent(&l->r, now);
		return EE_LINK_PROBE;
	}

	if (ee_gbn_rtx_pending(&l->g, &seq)) {
		if (!ee_link_paced_ok(l, now))
			goto ack;
		ee_link_tlp_hdr(l, h, seq);
		ee_gbn_tx_rtx(&l->g, now, h);
		ee_rate_sent(&l->r, now, EXPETHER_L2_HLEN + EXPETHER_HLEN +
			     h->length);
		*payload = ee_link_slot(l, seq);
		return EE_LINK_RTX;
	}

	/* Nothing to send with room in the window: the delivery rate
	 * measured now is the application's, not the path's.
	 */
	if (!l->unsent && ee_gbn_in_flight(&l->g) < ee_gbn_window(&l->g))
		ee_rate_app_limited(&l->r);

	if (l->unsent && ee_gbn_can_send(&l->g)) {
		if (!ee_link_paced_ok(l, now))
			goto ack;
		seq = l->g.snd_nxt;
		ee_link_tlp_hdr(l, h, seq);
		if (ee_gbn_tx_new(&l->g, now, h))
			goto ack;	/* cannot happen: can_send said yes */
		l->unsent--;
		ee_rate_sent(&l->r, now, EXPETHER_L2_HLEN + EXPETHER_HLEN +
			     h->length);
		*payload = ee_link_slot(l, seq);
		return EE_LINK_NEW;
	}

ack:
	if (ee_gbn_ack_due(&l->g, now)) {
		memset(h, 0, sizeof(*h));
		h->version = EXPETHER_VERSION;
		ee_gbn_tx_ack(&l->g, now, h);
		return EE_LINK_ACK;
	}
	return EE_LINK_NONE;
}

int ee_link_rx(struct ee_link *l, u64 now, const struct ee_hdr *h,
	       struct ee_gbn_rx_info *ri)
{
	u32 queued = ee_link_occupancy(l);
	int v;

	v = ee_gbn_rx(&l->g, now, h, ri);
	if (ri->events & EE_GBN_EV_RESTART) {
		/* ee_gbn_rx() opened the new connection: the ring's frames,
		 * in flight or not, were numbered for the old one.
		 */
		l->st.flushed += queued;
		l->unsent = 0;
		ee_link_path_reset(l, now);
	}
	if (ri->events & EE_GBN_EV_RTT)
		ee_rate_rtt(&l->r, now, ri->rtt_ns);
	if (ri->events & EE_GBN_EV_RESEND)
		ee_rate_app_limited(&l->r);
	if (ri->events & EE_GBN_EV_ACKED) {
		ee_rate_acked(&l->r, now, ri->acked);
		ee_gbn_set_window(&l->g, ee_rate_window(&l->r));
	}
	return v;
}

static u64 ee_link_min(u64 a, u64 b)
{
	return a < b ? a : b;
}

u64 ee_link_deadline(const struct ee_link *l)
{
	u64 t = ee_gbn_deadline(&l->g);
	u32 seq;

	if (!ee_link_open(l))
		return t;
	t = ee_link_min(t, ee_rate_deadline(&l->r));
	if (ee_rate_probes_due(&l->r))
		return 0;
	if (ee_gbn_rtx_pending(&l->g, &seq) ||
	    (l->unsent && ee_gbn_can_send(&l->g)))
		t = ee_link_min(t, l->pace ? ee_rate_next(&l->r) : 0);
	return t;
}

u32 ee_link_timer(struct ee_link *l, u64 now)
{
	u32 queued = ee_link_occupancy(l);
	u32 ev = 0;

	if (now >= ee_gbn_deadline(&l->g))
		ev = ee_gbn_timer(&l->g, now);
	if (ev & EE_GBN_EV_RESEND)
		ee_rate_app_limited(&l->r);
	if (now >= ee_rate_deadline(&l->r))
		ee_rate_timer(&l->r, now);
	if (ev & EE_GBN_EV_DEAD) {
		/* ee_gbn_timer() closed the connection: nothing is in
		 * flight any more, but all that was is lost.
		 */
		l->st.flushed += queued;
		l->dead_unsent = l->unsent;
		l->unsent = 0;
	}
	return ev;
}
