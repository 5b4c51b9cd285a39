// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the Go-Back-N state machine (net/expether/ee_gbn.c).
 *
 * The input is a program for two endpoints and the channel between them:
 * send, deliver any frame in flight, drop, duplicate, strip timestamps,
 * advance the clock, run the timers, restart an endpoint with a new epoch
 * or a new generation, replay frames of earlier connections, move the
 * window (ee_gbn_set_window()).
 *
 * The first byte picks the mode.  Even: only frames the library built
 * travel (in any order, any number of times, or never), and every payload
 * delivered must be the next one its connection sent: the oracle.  Odd:
 * the program may also inject headers of its own making (a forger can make
 * a receiver accept anything, so only the invariants are checked then).
 * In both modes, after every step: the windows are respected, the sequence
 * pointers are ordered, a connection with frames in flight has its
 * retransmission timer armed, and the sanitizers stay quiet.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ee_codec.h"
#include "ee_gbn.h"

#include "fuzz.h"

#define RING	EE_GBN_MAX_WINDOW
#define QMAX	128		/* frames in flight */
#define OLDMAX	64		/* frames kept for replays */
#define PAY	16

struct fpkt {
	int to;
	struct ee_hdr h;
	u8 pay[PAY];
};

struct fslot {
	u32 seq;
	u64 idx;
	u8 pay[PAY];
};

struct fep {
	struct ee_gbn g;
	u32 epoch;
	u32 nepochs;
	u64 tx_next;
	u64 acked;
	u64 rx_next;
	struct fslot ring[RING];
};

struct fz {
	const u8 *in;
	size_t len, pos;
	bool forge;
	u64 now;
	struct fep ep[2];
	struct fpkt q[QMAX];
	unsigned int nq;
	struct fpkt old[OLDMAX];
	unsigned int nold;
};

static struct fz fz;

static unsigned int take(struct fz *z)
{
	return z->pos < z->len ? z->in[z->pos++] : 0;
}

static u32 take32(struct fz *z)
{
	u32 v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v = v << 8 | take(z);
	return v;
}

/* Epochs come from a fixed list: the program decides when an endpoint
 * restarts, not which epoch it draws (it could otherwise search for two
 * epochs whose sequence spaces overlap, the documented 2^-32 case).
 */
static u32 epoch_of(int side, u32 n)
{
	return 0x10000000u * (u32)(side + 1) + n * 0x9e3779b9u;
}

static void newconn(struct fep *e)
{
	e->tx_next = 0;
	e->acked = 0;
	e->rx_next = 0;
}

static void pay_fill(u8 *p, u32 tag, u64 idx)
{
	unsigned int k;

	ee_put_be32(p, tag);
	ee_put_be64(p + 4, idx);
	for (k = 12; k < PAY; k++)
		p[k] = (u8)(idx * 13 + k + tag);
}

static void enqueue(struct fz *z, int from, const struct ee_hdr *h,
		    const u8 *pay)
{
	struct fpkt p;

	memset(&p, 0, sizeof(p));
	p.to = 1 - from;
	p.h = *h;
	if (pay)
		memcpy(p.pay, pay, PAY);
	if (z->nq == QMAX) {
		memmove(&z->q[0], &z->q[1], (QMAX - 1) * sizeof(z->q[0]));
		z->nq--;
	}
	z->q[z->nq++] = p;
	z->old[z->nold++ % OLDMAX] = p;
}

static void check_ep(const struct fep *e)
{
	const struct ee_gbn *g = &e->g;

	CHECK(ee_gbn_in_flight(g) <= g->cfg.window);
	CHECK(ee_gbn_window(g) >= 1 && ee_gbn_window(g) <= g->cfg.window);
	CHECK(ee_seq_le(g->snd_una, g->snd_rtx));
	CHECK(ee_seq_le(g->snd_rtx, g->snd_nxt));
	CHECK(g->rcv_nxt - g->rcv_isn == (u32)g->rcv_count);
	if (g->state == EE_GBN_OPEN && ee_gbn_in_flight(g))
		CHECK(g->rto_armed);
	if (g->state != EE_GBN_OPEN)
		CHECK(ee_gbn_deadline(g) == EE_GBN_NEVER);
	CHECK(g->rto_ns >= g->cfg.rto_min_ns && g->rto_ns <= g->cfg.rto_max_ns);
	if (g->state == EE_GBN_OPEN)
		CHECK(g->backoffs < g->cfg.max_timeouts);
	CHECK(ee_gbn_dead_bound(g) >= g->cfg.max_timeouts * g->cfg.rto_min_ns);
}

static void send(struct fz *z, int i, unsigned int n)
{
	struct fep *e = &z->ep[i];
	struct ee_hdr h;
	u32 seq;

	while (ee_gbn_rtx_pending(&e->g, &seq)) {
		struct fslot *s = &e->ring[seq % RING];

		CHECK(s->seq == seq);
		memset(&h, 0, sizeof(h));
		h.type = EXPETHER_FT_TLP;
		h.length = PAY;
		CHECK(ee_gbn_tx_rtx(&e->g, z->now, &h));
		CHECK(h.seq == seq);
		enqueue(z, i, &h, s->pay);
	}
	while (n-- && ee_gbn_can_send(&e->g)) {
		struct fslot *s;

		CHECK(ee_gbn_in_flight(&e->g) < ee_gbn_window(&e->g));
		memset(&h, 0, sizeof(h));
		h.type = EXPETHER_FT_TLP;
		h.length = PAY;
		CHECK(!ee_gbn_tx_new(&e->g, z->now, &h));
		s = &e->ring[h.seq % RING];
		s->seq = h.seq;
		s->idx = e->tx_next++;
		pay_fill(s->pay, e->g.snd_isn, s->idx);
		enqueue(z, i, &h, s->pay);
	}
}

static void deliver(struct fz *z, const struct fpkt *p)
{
	struct fep *e = &z->ep[p->to];
	struct ee_gbn_rx_info ri;
	u32 k;
	int v;

	v = ee_gbn_rx(&e->g, z->now, &p->h, &ri);
	if (ri.events & EE_GBN_EV_RESTART)
		newconn(e);
	if (ri.events & EE_GBN_EV_ACKED) {
		CHECK(ri.acked);
		for (k = 0; k < ri.acked; k++) {
			u32 seq = ri.una - ri.acked + k;

			if (!z->forge) {
				CHECK(e->ring[seq % RING].seq == seq);
				CHECK(e->ring[seq % RING].idx == e->acked);
			}
			e->acked++;
		}
		CHECK(e->acked <= e->tx_next || z->forge);
	}
	if (v == EE_GBN_DELIVER) {
		CHECK(p->h.type == EXPETHER_FT_TLP);
		if (!z->forge) {
			/* the next payload of this very connection */
			CHECK(ee_get_be32(p->pay) == e->g.rcv_isn);
			CHECK(ee_get_be64(p->pay + 4) == e->rx_next);
		}
		e->rx_next++;
	}
	if (ri.events & EE_GBN_EV_ACK_NOW)
		CHECK(ee_gbn_ack_due(&e->g, z->now));
}

static void forge(struct fz *z)
{
	struct fep *e;
	struct ee_hdr h;
	unsigned int how;
	struct fpkt p;

	memset(&p, 0, sizeof(p));
	p.to = (int)(take(z) & 1);
	e = &z->ep[p.to];
	how = take(z);
	h.version = EXPETHER_VERSION;
	h.type = (how & 1) ? EXPETHER_FT_ACK : EXPETHER_FT_TLP;
	h.flags = (u16)(take(z) << 8 | take(z));
	h.length = (u16)(take(z) % 64);
	h.seq = take32(z);
	h.ack = take32(z);
	h.tsval = take32(z);
	h.tsecr = take32(z);
	/* Near the values that matter, or anywhere. */
	if (how & 2)
		h.seq += e->g.rcv_nxt;
	if (how & 4)
		h.seq += e->g.rcv_isn;
	if (how & 8)
		h.ack += e->g.snd_una;
	if (how & 16)
		h.tsecr += (u32)(z->now / 1000);
	if (how & 32)
		h.seq = ee_gbn_isn(e->g.peer_epoch, e->g.local_epoch,
				   e->g.gen + (how >> 6));
	p.h = h;
	deliver(z, &p);
}

static void step(struct fz *z)
{
	unsigned int op = take(z), a, i;
	struct fep *e;

	switch (op % 16) {
	case 0:
	case 1:
		send(z, (int)(op & 1), 1 + take(z) % 8);
		break;
	case 2:		/* deliver one, any */
		if (z->nq) {
			struct fpkt p;

			i = take(z) % z->nq;
			p = z->q[i];
			z->q[i] = z->q[--z->nq];
			deliver(z, &p);
		}
		break;
	case 3:		/* drop one */
		if (z->nq) {
			i = take(z) % z->nq;
			z->q[i] = z->q[--z->nq];
		}
		break;
	case 4:		/* duplicate one */
		if (z->nq && z->nq < QMAX) {
			i = take(z) % z->nq;
			z->q[z->nq++] = z->q[i];
		}
		break;
	case 5:		/* time passes */
		a = take(z);
		z->now += (u64)(a << 8 | take(z)) * (op & 0x10 ? 1000 : 10);
		break;
	case 6:		/* timers */
		for (i = 0; i < 2; i++) {
			e = &z->ep[i];
			if (ee_gbn_deadline(&e->g) <= z->now)
				ee_gbn_timer(&e->g, z->now);
		}
		break;
	case 7:		/* acks owed */
		for (i = 0; i < 2; i++) {
			struct ee_hdr h;

			e = &z->ep[i];
			if (!ee_gbn_ack_due(&e->g, z->now))
				continue;
			ee_gbn_tx_ack(&e->g, z->now, &h);
			enqueue(z, (int)i, &h, NULL);
		}
		break;
	case 8:		/* an endpoint restarts with a new epoch */
		e = &z->ep[op >> 4 & 1];
		e->epoch = epoch_of(op >> 4 & 1, ++e->nepochs);
		ee_gbn_reset(&e->g, e->epoch, e->g.peer_epoch, z->now);
		newconn(e);
		break;
	case 9:		/* ... and its peer hears of it (a DIF) */
		i = op >> 4 & 1;
		e = &z->ep[i];
		if (e->g.peer_epoch != z->ep[1 - i].epoch) {
			ee_gbn_reset(&e->g, e->epoch, z->ep[1 - i].epoch,
				     z->now);
			newconn(e);
		}
		break;
	case 10:	/* a new generation, same epochs; or the end; or a
			 * dead connection resumed (the same one goes on)
			 */
		e = &z->ep[op >> 4 & 1];
		if (op & 0x20) {
			ee_gbn_close(&e->g);
		} else if ((op & 0x40) && ee_gbn_dead(&e->g)) {
			ee_gbn_revive(&e->g, z->now);
		} else if (e->g.state != EE_GBN_CLOSED) {
			ee_gbn_restart(&e->g, z->now);
			newconn(e);
		}
		break;
	case 11:	/* a frame of the past comes back */
		if (z->nold && z->nq < QMAX) {
			i = take(z) % (z->nold < OLDMAX ? z->nold : OLDMAX);
			z->q[z->nq++] = z->old[i];
		}
		break;
	case 12:	/* a peer without timestamps */
		if (z->nq) {
			i = take(z) % z->nq;
			z->q[i].h.flags &= (u16)~(EXPETHER_F_TS |
						  EXPETHER_F_TSECR);
		}
		break;
	case 13:
		if (z->forge) {
			forge(z);
			break;
		}
		/* the window moves (0: the configured one); what is in
		 * flight stays, no more is sent beyond it
		 */
		ee_gbn_set_window(&z->ep[op >> 4 & 1].g, take(z) % 20);
		break;
	case 14:	/* a probe */
		{
			struct ee_hdr h;

			i = op >> 4 & 1;
			ee_gbn_tx_probe(&z->ep[i].g, z->now, &h);
			enqueue(z, (int)i, &h, NULL);
		}
		break;
	default:	/* deliver everything, oldest first */
		while (z->nq) {
			struct fpkt p = z->q[0];

			memmove(&z->q[0], &z->q[1],
				(z->nq - 1) * sizeof(z->q[0]));
			z->nq--;
			deliver(z, &p);
		}
		break;
	}
	check_ep(&z->ep[0]);
	check_ep(&z->ep[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ee_gbn_cfg c;
	struct fz *z = &fz;
	unsigned int mode, i;

	memset(z, 0, sizeof(*z));
	z->in = data;
	z->len = size;
	mode = take(z);
	z->forge = mode & 1;
	ee_gbn_cfg_default(&c);
	c.window = 1 + (mode >> 1) % 16;	/* small: reach the edges */
	c.max_timeouts = 1 + (mode >> 5);
	c.dupthresh = take(z) % 4;
	c.ack_every = 1 + take(z) % 4;
	for (i = 0; i < 2; i++) {
		z->ep[i].epoch = epoch_of((int)i, 0);
		ee_gbn_init(&z->ep[i].g, &c);
	}
	for (i = 0; i < 2; i++)
		ee_gbn_reset(&z->ep[i].g, z->ep[i].epoch, z->ep[1 - i].epoch,
			     0);
	while (z->pos < z->len)
		step(z);
	return 0;
}
