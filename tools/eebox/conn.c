// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: one reliable connection to a peer bridge (see conn.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#include "conn.h"
#include "log.h"
#include "parse.h"

u64 conn_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (u64)t.tv_sec * 1000000000ULL + (u64)t.tv_nsec;
}

/* Events always go to stderr when @always, else only under -v. */
static void conn_log(const struct conn *c, bool always, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void conn_log(const struct conn *c, bool always, const char *fmt, ...)
{
	va_list ap;

	if ((!always || c->quiet) && !log_verbose)
		return;
	fprintf(stderr, "eebox: %s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int conn_init(struct conn *c, const char *name, const u8 local_mac[6],
	      const u8 peer_mac[6], u16 gid, u16 ethertype,
	      const struct fault_cfg *faults, conn_xmit_fn xmit, void *ctx)
{
	struct ee_link_cfg cfg;

	memset(c, 0, sizeof(*c));
	ee_link_cfg_default(&cfg);
	c->ring = malloc(ee_link_ring_size(&cfg));
	if (!c->ring)
		return -ENOMEM;
	ee_link_init(&c->link, &cfg, c->ring);
	fault_init(&c->fault, faults);
	memcpy(c->local_mac, local_mac, 6);
	memcpy(c->peer_mac, peer_mac, 6);
	c->gid = gid;
	c->ethertype = ethertype;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->xmit = xmit;
	c->ctx = ctx;
	return 0;
}

static void conn_ov_free(struct conn *c, bool count)
{
	struct conn_ov *o;

	while ((o = c->ov_head)) {
		c->ov_head = o->next;
		free(o);
		if (count)
			c->st.overflow_flushed++;
	}
	c->ov_tail = NULL;
	c->ov_len = 0;
}

void conn_destroy(struct conn *c)
{
	conn_ov_free(c, false);
	fault_discard(&c->fault);
	free(c->ring);
	c->ring = NULL;
}

/* ---- transmit -------------------------------------------------------- */

/* The frame being handed to the injector and what the link made of it. */
struct conn_tx {
	struct conn *c;
	const u8 *frame;
	const char *kind;	/* "retransmission", "probe" or NULL */
};

static void conn_fault_out(void *arg, const u8 *frame, size_t len,
			   const char *note, bool send)
{
	struct conn_tx *tx = arg;
	struct conn *c = tx->c;
	char buf[96];
	int ret;

	/* A frame released from the hold is not the one being sent. */
	if (tx->kind && frame == tx->frame) {
		if (note) {
			snprintf(buf, sizeof(buf), "%s, %s", tx->kind, note);
			note = buf;
		} else {
			note = tx->kind;
		}
	}
	ret = c->xmit(c->ctx, frame, len, note, send);
	if (send && ret)
		c->st.tx_errors++;
}

static void conn_send(struct conn *c, u64 now, const u8 *frame, size_t len,
		      const char *kind)
{
	struct conn_tx tx = { .c = c, .frame = frame, .kind = kind };

	fault_send(&c->fault, now, frame, len, conn_fault_out, &tx);
}

static void conn_release_held(struct conn *c)
{
	struct conn_tx tx = { .c = c };

	fault_release(&c->fault, conn_fault_out, &tx);
}

/* Move payloads from the overflow list into the ring while it has room. */
static void conn_refill(struct conn *c)
{
	struct conn_ov *o;

	while ((o = c->ov_head)) {
		if (ee_link_queue(&c->link, o->data, o->len))
			return;
		c->ov_head = o->next;
		if (!c->ov_head)
			c->ov_tail = NULL;
		c->ov_len--;
		free(o);
	}
}

int conn_queue(struct conn *c, const void *payload, size_t len)
{
	struct conn_ov *o;
	int ret;

	if (!len || len > EXPETHER_MAX_PAYLOAD)
		return -EE_LINK_ELEN;
	if (!conn_exists(c))
		return -EE_LINK_ESTATE;
	/* Keep the order: nothing overtakes what already waits.  A dead
	 * connection keeps what comes in the list, for conn_revive().
	 */
	if (!c->ov_head && conn_is_open(c)) {
		ret = ee_link_queue(&c->link, payload, (u32)len);
		if (ret != -EE_LINK_EFULL)
			return ret;
	}
	o = malloc(sizeof(*o) + len);
	if (!o)
		return -ENOMEM;
	o->next = NULL;
	o->len = (u16)len;
	memcpy(o->data, payload, len);
	if (c->ov_tail)
		c->ov_tail->next = o;
	else
		c->ov_head = o;
	c->ov_tail = o;
	c->ov_len++;
	c->st.overflowed++;
	if (c->ov_len > c->st.overflow_max)
		c->st.overflow_max = c->ov_len;
	return 0;
}

void conn_pump(struct conn *c, u64 now)
{
	u8 frame[EXPETHER_L2_HLEN + EXPETHER_HLEN + EXPETHER_MAX_PAYLOAD];
	struct ee_frame f = {
		.tci = c->gid,
		.ethertype = c->ethertype,
	};
	const u8 *payload;
	const char *kind;
	int out, len;

	memcpy(f.dst, c->peer_mac, 6);
	memcpy(f.src, c->local_mac, 6);
	conn_refill(c);
	for (;;) {
		out = ee_link_next(&c->link, now, &f.hdr, &payload);
		if (out == EE_LINK_NONE)
			break;
		len = ee_frame_build(frame, sizeof(frame), &f, payload,
				     f.hdr.length);
		if (len < 0) {
			/* cannot happen: the ring holds valid payloads */
			conn_log(c, true, "cannot build a frame: %s",
				 ee_err_str(-len));
			c->st.tx_errors++;
			continue;
		}
		kind = out == EE_LINK_RTX ? "retransmission" :
		       out == EE_LINK_PROBE ? "probe" : NULL;
		conn_send(c, now, frame, (size_t)len, kind);
	}
}

/* ---- connections ----------------------------------------------------- */

void conn_open(struct conn *c, u32 local_epoch, u32 peer_epoch, u64 now)
{
	/* What is held was sent as far as the old connection knows. */
	conn_release_held(c);
	conn_ov_free(c, true);
	ee_link_reset(&c->link, local_epoch, peer_epoch, now);
	c->local_epoch = local_epoch;
	c->peer_epoch = peer_epoch;
	c->st.opens++;
	conn_log(c, false,
		 "new connection: local epoch %#010x, peer epoch %#010x",
		 local_epoch, peer_epoch);
}

bool conn_revive(struct conn *c, u64 now)
{
	if (!ee_link_revive(&c->link, now))
		return false;
	c->st.revives++;
	conn_log(c, false, "revived: generation %u, %u frames due again",
		 c->link.g.gen, ee_link_occupancy(&c->link));
	return true;
}

void conn_close(struct conn *c)
{
	fault_discard(&c->fault);
	conn_ov_free(c, true);
	ee_link_close(&c->link);
	conn_log(c, false, "closed");
}

/* ---- receive and timers ---------------------------------------------- */

int conn_rx(struct conn *c, u64 now, const struct ee_hdr *h,
	    struct ee_gbn_rx_info *ri)
{
	int v = ee_link_rx(&c->link, now, h, ri);

	if (ri->events & EE_GBN_EV_RESTART) {
		/* The ring was flushed: what waits belonged to the old one. */
		conn_ov_free(c, true);
		conn_log(c, false,
			 "peer restarted the connection: generation %u",
			 c->link.g.gen);
	}
	if (ri->events & EE_GBN_EV_RESEND)
		conn_log(c, false,
			 "fast retransmit: going back to seq %u (%u in flight)",
			 c->link.g.snd_una, ee_gbn_in_flight(&c->link.g));
	return v;
}

static u64 conn_min(u64 a, u64 b)
{
	return a < b ? a : b;
}

u64 conn_deadline(const struct conn *c)
{
	return conn_min(ee_link_deadline(&c->link),
			fault_deadline(&c->fault));
}

u32 conn_timer(struct conn *c, u64 now)
{
	struct conn_tx tx = { .c = c };
	u32 ev;

	fault_timer(&c->fault, now, conn_fault_out, &tx);
	ev = ee_link_timer(&c->link, now);
	if (ev & EE_GBN_EV_DEAD) {
		/* The payloads waiting stay, for conn_revive(). */
		conn_log(c, true,
			 "peer dead: %u retransmission timeouts without progress; nothing is sent until it comes back",
			 c->link.g.cfg.max_timeouts);
	} else if (ev & EE_GBN_EV_RESEND) {
		conn_log(c, false,
			 "retransmission timeout: going back to seq %u (%u in flight, RTO now %llu us)",
			 c->link.g.snd_una, ee_gbn_in_flight(&c->link.g),
			 (unsigned long long)(c->link.g.rto_ns / 1000));
	}
	return ev;
}

/* ---- counters -------------------------------------------------------- */

const char *conn_state_str(const struct conn *c)
{
	switch (c->link.g.state) {
	case EE_GBN_OPEN:
		return "open";
	case EE_GBN_DEAD:
		return "dead";
	default:
		return "closed";
	}
}

static const char *conn_rate_state_str(const struct ee_rate *r)
{
	switch (r->state) {
	case EE_RATE_PROBE:
		return "probe";
	case EE_RATE_RUN:
		return "run";
	default:
		return "idle";
	}
}

#define KV(name, val)	fprintf(f, "%s %llu\n", name, (unsigned long long)(val))

void conn_write_stats(const struct conn *c, FILE *f)
{
	const struct ee_gbn *g = &c->link.g;
	const struct ee_gbn_stats *gs = &g->st;
	const struct ee_rate *r = &c->link.r;
	const struct ee_link_stats *ls = &c->link.st;
	char mac[MAC_STR_LEN];

	fprintf(f, "peer %s\n", mac_str(mac, c->peer_mac));
	fprintf(f, "state %s\n", conn_state_str(c));
	fprintf(f, "local_epoch %#010x\n", c->local_epoch);
	fprintf(f, "peer_epoch %#010x\n", c->peer_epoch);
	KV("gen", g->gen);
	/* struct ee_gbn_stats, same names */
	KV("tx_frames", gs->tx_frames);
	KV("tx_bytes", gs->tx_bytes);
	KV("rtx_frames", gs->rtx_frames);
	KV("rtx_bytes", gs->rtx_bytes);
	KV("tx_acks", gs->tx_acks);
	KV("tx_probes", gs->tx_probes);
	KV("rx_frames", gs->rx_frames);
	KV("rx_bytes", gs->rx_bytes);
	KV("rx_dup", gs->rx_dup);
	KV("rx_ooo", gs->rx_ooo);
	KV("rx_stale", gs->rx_stale);
	KV("rx_unseq", gs->rx_unseq);
	KV("rx_ignored", gs->rx_ignored);
	KV("rx_acks", gs->rx_acks);
	KV("rx_bad_acks", gs->rx_bad_acks);
	KV("rx_dupacks", gs->rx_dupacks);
	KV("rx_probes", gs->rx_probes);
	KV("rx_probe_echoes", gs->rx_probe_echoes);
	KV("timeouts", gs->timeouts);
	KV("fast_rtx", gs->fast_rtx);
	KV("resets", gs->resets);
	KV("peer_restarts", gs->peer_restarts);
	KV("deaths", gs->deaths);
	KV("rtt_samples", gs->rtt_samples);
	KV("rtt_min_ns", gs->rtt_min_ns);
	KV("rtt_last_ns", gs->rtt_last_ns);
	KV("srtt_ns", g->have_rtt ? g->srtt_ns : 0);
	KV("rttvar_ns", g->have_rtt ? g->rttvar_ns : 0);
	KV("rto_ns", g->rto_ns);
	KV("in_flight", ee_gbn_in_flight(g));
	KV("unsent", c->link.unsent);
	/* struct ee_link_stats */
	KV("queued", ls->queued);
	KV("queue_full", ls->queue_full);
	KV("flushed", ls->flushed);
	KV("paced", ls->paced);
	/* struct ee_rate */
	fprintf(f, "rate_state %s\n", conn_rate_state_str(r));
	KV("rate", r->rate);
	KV("base_rtt_ns", r->base_rtt_ns);
	KV("standing_ns", r->standing_ns);
	KV("rate_frames", r->st.frames);
	KV("rate_bytes", r->st.bytes);
	KV("rate_samples", r->st.samples);
	KV("rate_increases", r->st.increases);
	KV("rate_decreases", r->st.decreases);
	KV("rate_probes_sent", r->st.probes_sent);
	KV("rate_probe_timeouts", r->st.probe_timeouts);
	/* ours */
	KV("backlog", c->ov_len);
	KV("overflowed", c->st.overflowed);
	KV("overflow_max", c->st.overflow_max);
	KV("overflow_flushed", c->st.overflow_flushed);
	KV("tx_errors", c->st.tx_errors);
	KV("opens", c->st.opens);
	KV("revives", c->st.revives);
	/* fault injection */
	KV("fault_frames", c->fault.st.frames);
	KV("fault_dropped", c->fault.st.dropped);
	KV("fault_duplicated", c->fault.st.duplicated);
	KV("fault_reordered", c->fault.st.reordered);
}

#undef KV

void conn_print_summary(const struct conn *c, FILE *f, const char *prefix)
{
	const struct ee_gbn *g = &c->link.g;
	const struct ee_gbn_stats *gs = &g->st;
	const struct ee_rate *r = &c->link.r;

	fprintf(f,
		"%s%s gen %u: tx %llu frames, %llu retransmitted, %llu acks, %llu probes; rx %llu delivered, %llu dup, %llu out of order, %llu stale, %llu unsequenced, %llu ignored, %llu acks\n",
		prefix, conn_state_str(c), g->gen,
		(unsigned long long)gs->tx_frames,
		(unsigned long long)gs->rtx_frames,
		(unsigned long long)gs->tx_acks,
		(unsigned long long)gs->tx_probes,
		(unsigned long long)gs->rx_frames,
		(unsigned long long)gs->rx_dup,
		(unsigned long long)gs->rx_ooo,
		(unsigned long long)gs->rx_stale,
		(unsigned long long)gs->rx_unseq,
		(unsigned long long)gs->rx_ignored,
		(unsigned long long)gs->rx_acks);
	fprintf(f,
		"%s%llu timeouts, %llu fast retransmits, %llu resets, %llu peer restarts, %llu deaths; srtt %llu us, min rtt %llu us, rate %llu B/s, %u in flight, %u waiting\n",
		prefix, (unsigned long long)gs->timeouts,
		(unsigned long long)gs->fast_rtx,
		(unsigned long long)gs->resets,
		(unsigned long long)gs->peer_restarts,
		(unsigned long long)gs->deaths,
		(unsigned long long)(g->have_rtt ? g->srtt_ns / 1000 : 0),
		(unsigned long long)(gs->rtt_min_ns / 1000),
		(unsigned long long)r->rate, ee_gbn_in_flight(g),
		c->link.unsent + c->ov_len);
	fprintf(f,
		"%sbytes: %llu out, %llu retransmitted, %llu delivered; %llu bad acks, %llu gap acks, %llu probes answered, %llu probe echoes, %llu RTT samples, last rtt %llu us; queued %llu, queue full %llu, flushed %llu, paced %llu, overflowed %llu (at most %llu, %llu flushed), %llu send errors\n",
		prefix, (unsigned long long)gs->tx_bytes,
		(unsigned long long)gs->rtx_bytes,
		(unsigned long long)gs->rx_bytes,
		(unsigned long long)gs->rx_bad_acks,
		(unsigned long long)gs->rx_dupacks,
		(unsigned long long)gs->rx_probes,
		(unsigned long long)gs->rx_probe_echoes,
		(unsigned long long)gs->rtt_samples,
		(unsigned long long)(gs->rtt_last_ns / 1000),
		(unsigned long long)c->link.st.queued,
		(unsigned long long)c->link.st.queue_full,
		(unsigned long long)c->link.st.flushed,
		(unsigned long long)c->link.st.paced,
		(unsigned long long)c->st.overflowed,
		(unsigned long long)c->st.overflow_max,
		(unsigned long long)c->st.overflow_flushed,
		(unsigned long long)c->st.tx_errors);
	if (c->fault.active)
		fprintf(f,
			"%sfaults: %llu frames, %llu dropped, %llu duplicated, %llu reordered\n",
			prefix, (unsigned long long)c->fault.st.frames,
			(unsigned long long)c->fault.st.dropped,
			(unsigned long long)c->fault.st.duplicated,
			(unsigned long long)c->fault.st.reordered);
}
