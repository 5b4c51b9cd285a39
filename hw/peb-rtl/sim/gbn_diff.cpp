// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB bench: peb_gbn (RTL) in lockstep with ee_gbn.c.
 *
 * Two copies of the same endpoint run side by side, the RTL engine and
 * struct ee_gbn (net/expether/ee_gbn.c, compiled unchanged), fed the same
 * operations at the same times: frames from a peer (a second ee_gbn, over
 * a channel that drops, duplicates, reorders and delays), junk headers
 * (random sequence numbers, acks, flags, stale echoes, SYNs of later
 * generations), transmissions as ee_link_next() orders them, timer runs,
 * and connection changes (new epochs, restarts, close, peer restarts).
 * After every operation the verdict, events, transmitted header fields,
 * the whole visible state and every counter of struct ee_gbn_stats must
 * be equal.  Any difference is a failure, printed with the step.
 *
 *   gbn_diff [SEED [STEPS]]
 */
#include <vector>

#include "Vpeb_gbn.h"
#include "verilated.h"

#include "harness.h"

#define SLOTS 64

struct Hdr {
	uint8_t type;
	uint16_t flags;
	uint32_t seq, ack, tsval, tsecr;
};

static struct ee_hdr to_ee(const Hdr &h)
{
	struct ee_hdr e;

	memset(&e, 0, sizeof(e));
	e.version = EXPETHER_VERSION;
	e.type = h.type;
	e.flags = h.flags;
	e.length = h.type == EXPETHER_FT_TLP ? 16 : 0;
	e.seq = h.seq;
	e.ack = h.ack;
	e.tsval = h.tsval;
	e.tsecr = h.tsecr;
	return e;
}

static Hdr from_ee(const struct ee_hdr &e)
{
	Hdr h = { e.type, e.flags, e.seq, e.ack, e.tsval, e.tsecr };
	return h;
}

struct Frame {
	uint64_t at_us;
	Hdr h;
};

class Bench {
public:
	Bench(uint64_t seed, unsigned long steps) : rng(seed), steps(steps)
	{
		ctx = new VerilatedContext;
		m = new Vpeb_gbn(ctx);
		memset(stat, 0, sizeof(stat));
	}
	~Bench()
	{
		m->final();
		delete m;
		delete ctx;
	}
	int run();

private:
	Rng rng;
	unsigned long steps;
	unsigned long step = 0;
	VerilatedContext *ctx;
	Vpeb_gbn *m;
	uint64_t stat[20];
	uint64_t now_us = 5000000;
	struct ee_gbn g;	/* the C twin of the RTL engine */
	struct ee_gbn p;	/* the peer */
	struct ee_gbn_cfg cfg;
	uint32_t lep = 0, pep = 0;	/* epochs */
	std::vector<Frame> to_dut, to_peer;
	bool failed = false;
	unsigned long n_rx = 0, n_tx = 0, n_verdict[7] = { 0 };

	uint64_t now() const { return now_us * 1000; }
	void tick();
	void set_time();
	void fail(const char *what, uint64_t rtl, uint64_t c);
	void compare(const char *op);
	void keep_queue();
	void open(uint32_t le, uint32_t pe);
	void dut_rx(const Hdr &h, const char *op);
	void dut_tx();
	void dut_ctl(unsigned int op);
	void peer_tx();
	void advance(uint64_t dt);
	Hdr junk();
};

void Bench::tick()
{
	m->clk = 1;
	m->eval();
	for (int i = 0; i < 20; i++)
		if (m->stat & (1u << i))
			stat[i]++;
	m->clk = 0;
	m->eval();
}

void Bench::set_time()
{
	m->now_us = (uint32_t)now_us;
	m->now_ns = now() & ((1ull << 48) - 1);
	m->eval();
}

void Bench::fail(const char *what, uint64_t rtl, uint64_t c)
{
	if (!failed)
		printf("# step %lu: %s differs: rtl %#" PRIx64 ", C %#" PRIx64 "\n",
		       step, what, rtl, c);
	failed = true;
}

#define CMP(what, rtl, c) do { \
	if ((uint64_t)(rtl) != (uint64_t)(c)) \
		fail(what, (uint64_t)(rtl), (uint64_t)(c)); \
} while (0)

void Bench::compare(const char *op)
{
	const struct ee_gbn_stats *s = &g.st;
	uint32_t seq = 0;
	bool pend = ee_gbn_rtx_pending(&g, &seq);

	if (failed)
		return;
	CMP("open", m->st_open, g.state == EE_GBN_OPEN);
	CMP("dead", m->st_dead, g.state == EE_GBN_DEAD);
	CMP("snd_una", m->snd_una, g.snd_una);
	CMP("snd_nxt", m->snd_nxt, g.snd_nxt);
	if (g.st.resets) {
		CMP("rcv_nxt", m->st_rcv_nxt, g.rcv_nxt);
		CMP("gen", m->st_gen, g.gen);
		CMP("rto_ns", m->st_rto_ns, g.rto_ns);
	}
	if (g.have_rtt) {
		CMP("srtt_ns", m->st_srtt_ns, g.srtt_ns);
		CMP("rttvar_ns", m->st_rttvar_ns, g.rttvar_ns);
	}
	CMP("rtx_pending", m->rtx_pending, pend);
	if (pend)
		CMP("rtx_seq", m->rtx_seq, seq);
	CMP("can_send", m->new_pending, ee_gbn_can_send(&g));
	CMP("ack_due", m->ack_due, ee_gbn_ack_due(&g, now()));
	CMP("st.tx_frames", stat[0], s->tx_frames);
	CMP("st.rtx_frames", stat[1], s->rtx_frames);
	CMP("st.tx_acks", stat[2], s->tx_acks);
	CMP("st.rx_frames", stat[3], s->rx_frames);
	CMP("st.rx_dup", stat[4], s->rx_dup);
	CMP("st.rx_ooo", stat[5], s->rx_ooo);
	CMP("st.rx_stale", stat[6], s->rx_stale);
	CMP("st.rx_unseq", stat[7], s->rx_unseq);
	CMP("st.rx_ignored", stat[8], s->rx_ignored);
	CMP("st.rx_acks", stat[9], s->rx_acks);
	CMP("st.rx_bad_acks", stat[10], s->rx_bad_acks);
	CMP("st.rx_dupacks", stat[11], s->rx_dupacks);
	CMP("st.rx_probes", stat[12], s->rx_probes);
	CMP("st.rx_probe_echoes", stat[13], s->rx_probe_echoes);
	CMP("st.timeouts", stat[14], s->timeouts);
	CMP("st.fast_rtx", stat[15], s->fast_rtx);
	CMP("st.resets", stat[16], s->resets);
	CMP("st.peer_restarts", stat[17], s->peer_restarts);
	CMP("st.deaths", stat[18], s->deaths);
	CMP("st.rtt_samples", stat[19], s->rtt_samples);
	if (failed)
		printf("# after %s\n", op);
}

/* Keep one frame queued in the RTL ring, so that "a new frame may go"
 * is exactly ee_gbn_can_send().
 */
void Bench::keep_queue()
{
	if (m->q_nxt == m->snd_nxt && m->q_room) {
		m->enq = 1;
		tick();
		m->enq = 0;
		m->eval();
	}
}

static uint32_t mixc(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

void Bench::dut_rx(const Hdr &h, const char *op)
{
	struct ee_hdr e = to_ee(h);
	struct ee_gbn_rx_info ri;
	int v, n = 0;

	while (!m->cmd_ready && n++ < 10)
		tick();
	m->cmd_valid = 1;
	m->cmd_op = 0;
	m->cmd_tlp = h.type == EXPETHER_FT_TLP;
	m->cmd_flags = h.flags & 0x3f;
	m->cmd_seq = h.seq;
	m->cmd_ack = h.ack;
	m->cmd_tsval = h.tsval;
	m->cmd_tsecr = h.tsecr;
	tick();
	m->cmd_valid = 0;
	m->eval();
	for (n = 0; !m->done && n < 200; n++)
		tick();
	v = ee_gbn_rx(&g, now(), &e, &ri);
	n_rx++;
	n_verdict[v]++;
	if (!m->done) {
		fail("done (cycles)", 0, 1);
	} else {
		CMP("verdict", m->done_verdict, v);
		/* the RTL reports DEAD from the timer, not from rx */
		CMP("events", m->done_events, ri.events);
	}
	tick();
	keep_queue();
	compare(op);
}

/* One ee_link_next() without pacing or probes: retransmission, else a
 * new frame (if we want to send one), else an ack if due.
 */
void Bench::dut_tx()
{
	uint32_t seq;
	struct ee_hdr e;
	int op = -1;

	memset(&e, 0, sizeof(e));
	if (ee_gbn_rtx_pending(&g, &seq)) {
		op = 1;
		e.type = EXPETHER_FT_TLP;
		e.length = 16;
	} else if (ee_gbn_can_send(&g) && rng.pct(70)) {
		op = 0;
		e.type = EXPETHER_FT_TLP;
		e.length = 16;
	} else if (ee_gbn_ack_due(&g, now())) {
		op = 2;
	}
	if (op < 0)
		return;
	while (!m->tx_ready)
		tick();
	m->tx_valid = 1;
	m->tx_op = op;
	m->eval();
	Hdr r = { (uint8_t)(op == 2 ? EXPETHER_FT_ACK : EXPETHER_FT_TLP),
		  (uint16_t)m->tx_flags, m->tx_seq, m->tx_ack, m->tx_tsval,
		  m->tx_tsecr };
	tick();
	m->tx_valid = 0;
	m->eval();
	if (op == 0)
		ee_gbn_tx_new(&g, now(), &e);
	else if (op == 1)
		ee_gbn_tx_rtx(&g, now(), &e);
	else
		ee_gbn_tx_ack(&g, now(), &e);
	n_tx++;
	CMP("tx flags", r.flags, e.flags);
	CMP("tx seq", r.seq, e.seq);
	CMP("tx ack", r.ack, e.ack);
	CMP("tx tsval", r.tsval, e.tsval);
	CMP("tx tsecr", r.tsecr, e.tsecr);
	keep_queue();
	compare("tx");
	/* to the peer, over the channel */
	if (rng.pct(8))
		return;
	Frame f = { now_us + 20 + rng.below(rng.pct(20) ? 200 : 10), from_ee(e) };
	to_peer.push_back(f);
	if (rng.pct(4))
		to_peer.push_back(f);
}

void Bench::peer_tx()
{
	struct ee_hdr e;
	uint32_t seq;

	memset(&e, 0, sizeof(e));
	e.version = EXPETHER_VERSION;
	if (p.state == EE_GBN_OPEN && rng.pct(3)) {
		ee_gbn_tx_probe(&p, now(), &e);
	} else if (ee_gbn_rtx_pending(&p, &seq)) {
		e.type = EXPETHER_FT_TLP;
		e.length = 16;
		ee_gbn_tx_rtx(&p, now(), &e);
	} else if (ee_gbn_can_send(&p) && rng.pct(60)) {
		e.type = EXPETHER_FT_TLP;
		e.length = 16;
		ee_gbn_tx_new(&p, now(), &e);
	} else if (ee_gbn_ack_due(&p, now())) {
		ee_gbn_tx_ack(&p, now(), &e);
	} else {
		return;
	}
	if (rng.pct(8))
		return;
	Frame f = { now_us + 20 + rng.below(rng.pct(20) ? 200 : 10), from_ee(e) };
	to_dut.push_back(f);
	if (rng.pct(4))
		to_dut.push_back(f);
}

void Bench::open(uint32_t le, uint32_t pe)
{
	/* ee_link_reset(): the same epochs again mean the next generation */
	if (g.st.resets && g.local_epoch == le && g.peer_epoch == pe)
		ee_gbn_restart(&g, now());
	else
		ee_gbn_reset(&g, le, pe, now());
}

void Bench::dut_ctl(unsigned int op)
{
	int n = 0;

	while (!m->cmd_ready && n++ < 10)
		tick();
	m->cmd_valid = 1;
	m->cmd_op = op;
	m->cmd_local_epoch = lep;
	m->cmd_peer_epoch = pep;
	tick();
	m->cmd_valid = 0;
	m->eval();
	for (n = 0; !m->done && n < 200; n++)
		tick();
	if (!m->done)
		fail("ctl done (cycles)", 0, 1);
	if (op == 1)
		open(lep, pep);
	else if (op == 2)
		ee_gbn_restart(&g, now());
	else if (op == 4)
		ee_gbn_revive(&g, now());
	else
		ee_gbn_close(&g);
	tick();
	keep_queue();
	compare(op == 1 ? "open" : op == 2 ? "restart" :
		op == 4 ? "revive" : "close");
}

void Bench::advance(uint64_t dt)
{
	now_us += dt;
	set_time();
	/* the RTL runs its timer by itself when idle */
	for (int i = 0; i < 4; i++)
		tick();
	if (now() >= ee_gbn_deadline(&g))
		ee_gbn_timer(&g, now());
	if (now() >= ee_gbn_deadline(&p))
		ee_gbn_timer(&p, now());
	keep_queue();
	compare("time");
}

/* A header the peer might never send: offsets around the interesting
 * numbers, random flags, stale and future echoes, SYNs of generations
 * around the current one.
 */
Hdr Bench::junk()
{
	Hdr h;
	uint32_t r = rng.below(10);

	h.type = rng.pct(70) ? EXPETHER_FT_TLP : EXPETHER_FT_ACK;
	h.flags = (uint16_t)(rng.u32() & 0x3f);
	if (rng.pct(60))
		h.flags |= EXPETHER_F_SEQ | EXPETHER_F_ACK;
	h.seq = g.rcv_nxt + rng.below(1200) - 600;
	if (r == 0)
		h.seq = rng.u32();
	h.ack = g.snd_una + rng.below(g.snd_nxt - g.snd_una + 3) - 1;
	if (r == 1)
		h.ack = rng.u32();
	h.tsval = (uint32_t)now_us - rng.below(3000);
	h.tsecr = (uint32_t)now_us - rng.below(20000);
	if (r == 2)
		h.tsecr = (uint32_t)now_us + rng.below(3000);
	if (r == 3) {
		/* the next generations, the edge of reach, the past */
		uint32_t k = rng.below(20);

		if (rng.pct(30))
			k = EE_GBN_GEN_AHEAD - 2 + rng.below(5);
		else if (rng.pct(10))
			k = 0u - rng.below(3);
		h.flags |= EXPETHER_F_SYN | EXPETHER_F_SEQ;
		h.seq = mixc(mixc(mixc(g.peer_epoch) ^ g.local_epoch) ^
			     (g.gen + k));
	}
	if (r == 4)
		h.tsecr = g.sent_ts[g.snd_una % EE_GBN_MAX_WINDOW] + rng.below(3);
	if (r == 5) {
		/* the edges of the receive windows */
		static const int32_t edge[] = { -513, -512, -511, 511, 512, 513 };

		h.seq = g.rcv_nxt + (uint32_t)edge[rng.below(6)];
		h.flags = (uint16_t)((h.flags | EXPETHER_F_SEQ) & ~EXPETHER_F_TSECR);
		if (rng.pct(70))
			h.flags &= (uint16_t)~EXPETHER_F_SYN;
	}
	return h;
}

int Bench::run()
{
	Checks ck;

	ee_gbn_cfg_default(&cfg);
	cfg.window = 1 + rng.below(SLOTS);
	cfg.ack_every = 1 + rng.below(6);
	cfg.dupthresh = rng.below(5);
	cfg.max_timeouts = 1 + rng.below(8);
	cfg.ack_delay_ns = 1000ull * (1 + rng.below(300));
	cfg.ack_delay_max_ns = 1000ull * (rng.pct(10) ? 0 : rng.below(1000));
	cfg.rto_min_ns = 1000ull * (rng.pct(10) ? 0 : 100 + rng.below(2000));
	cfg.rto_max_ns = 1000ull * (rng.pct(10) ? 50 : 5000 + rng.below(80000));
	cfg.rto_init_ns = 1000ull * (1000 + rng.below(20000));
	ee_gbn_init(&g, &cfg);
	ee_gbn_init(&p, &cfg);
	printf("# window %u ack_every %u dupthresh %u max_timeouts %u ack_delay %llu rto %llu..%llu init %llu\n",
	       cfg.window, cfg.ack_every, cfg.dupthresh, cfg.max_timeouts,
	       (unsigned long long)cfg.ack_delay_ns,
	       (unsigned long long)cfg.rto_min_ns,
	       (unsigned long long)cfg.rto_max_ns,
	       (unsigned long long)cfg.rto_init_ns);

	m->cfg_window = cfg.window;
	m->cfg_ack_every = cfg.ack_every;
	m->cfg_dupthresh = cfg.dupthresh;
	m->cfg_max_timeouts = cfg.max_timeouts;
	m->cfg_ack_delay_ns = cfg.ack_delay_ns;
	m->cfg_ack_delay_max_ns = cfg.ack_delay_max_ns;
	m->cfg_rto_min_ns = cfg.rto_min_ns;
	m->cfg_rto_max_ns = cfg.rto_max_ns;
	m->cfg_rto_init_ns = cfg.rto_init_ns;
	set_time();
	m->rst = 1;
	for (int i = 0; i < 4; i++)
		tick();
	m->rst = 0;
	for (int i = 0; i < 4; i++)
		tick();

	lep = rng.u32() | 1;
	pep = rng.u32() | 1;
	dut_ctl(1);
	ee_gbn_reset(&p, pep, lep, now());

	for (step = 0; step < steps && !failed; step++) {
		uint32_t a = rng.below(1000);

		/* every other stretch: no connection changes, so that one
		 * connection lives long (the 512-frame receive windows)
		 */
		if ((step / 20000) % 2 && a >= 960 && a < 975)
			a = 200;
		/* a dead bridge hears the host's DIF now and then */
		if (g.state == EE_GBN_DEAD && rng.pct(1))
			a = 970;

		if (a < 250) {
			uint64_t dt = rng.pct(70) ? 1 + rng.below(30) :
				      rng.pct(85) ? 30 + rng.below(1000) :
				      1000 + rng.below(80000);
			advance(dt);
		} else if (a < 450) {
			dut_tx();
		} else if (a < 600) {
			peer_tx();
		} else if (a < 850) {
			/* deliver what is due, in arrival order */
			for (size_t i = 0; i < to_dut.size() && !failed;) {
				if (to_dut[i].at_us <= now_us) {
					Hdr h = to_dut[i].h;

					to_dut.erase(to_dut.begin() + (long)i);
					dut_rx(h, "rx");
				} else {
					i++;
				}
			}
			for (size_t i = 0; i < to_peer.size();) {
				if (to_peer[i].at_us <= now_us) {
					struct ee_hdr e = to_ee(to_peer[i].h);
					struct ee_gbn_rx_info ri;

					to_peer.erase(to_peer.begin() + (long)i);
					ee_gbn_rx(&p, now(), &e, &ri);
				} else {
					i++;
				}
			}
		} else if (a < 960) {
			dut_rx(junk(), "junk rx");
		} else if (a < 963) {
			/* the peer restarts the connection (next generation) */
			if (p.state != EE_GBN_CLOSED)
				ee_gbn_restart(&p, now());
		} else if (a < 965) {
			dut_ctl(2);
		} else if (a < 966) {
			dut_ctl(3);
		} else if (a < 968) {
			/* both open again: same epochs (next generation) or new */
			if (rng.pct(50)) {
				lep = rng.u32() | 1;
				pep = rng.u32() | 1;
			}
			dut_ctl(1);
			if (p.st.resets && p.local_epoch == pep && p.peer_epoch == lep)
				ee_gbn_restart(&p, now());
			else
				ee_gbn_reset(&p, pep, lep, now());
		} else if (a < 975) {
			/* a dead peer comes back; we restart or, as the
			 * bridge does on the host's DIF, resume (and try
			 * resuming when not dead: nothing happens)
			 */
			if (p.state == EE_GBN_DEAD)
				ee_gbn_restart(&p, now());
			if (g.state == EE_GBN_DEAD)
				dut_ctl(rng.pct(60) ? 4 : 2);
			else if (rng.pct(10))
				dut_ctl(4);
		} else {
			dut_tx();
		}
	}
	printf("# %lu steps, %lu frames received (deliver %lu ackonly %lu dup %lu ooo %lu stale %lu unseq %lu ignore %lu), %lu sent; %" PRIu64 " delivered, %" PRIu64 " retransmitted, %" PRIu64 " timeouts, %" PRIu64 " fast go-backs, %" PRIu64 " peer restarts, %" PRIu64 " deaths, %" PRIu64 " revived, %" PRIu64 " rtt samples\n",
	       step, n_rx, n_verdict[0], n_verdict[1], n_verdict[2],
	       n_verdict[3], n_verdict[4], n_verdict[5], n_verdict[6], n_tx,
	       (uint64_t)g.st.rx_frames, (uint64_t)g.st.rtx_frames,
	       (uint64_t)g.st.timeouts, (uint64_t)g.st.fast_rtx,
	       (uint64_t)g.st.peer_restarts, (uint64_t)g.st.deaths,
	       (uint64_t)g.st.revives, (uint64_t)g.st.rtt_samples);
	ck.ok(!failed, "peb_gbn and ee_gbn.c agree on every step");
	/* the run must have exercised the rules, not idled */
	ck.ok(g.st.rx_frames > 100 && g.st.rx_ooo > 0 && g.st.rx_dup > 0 &&
	      g.st.rtx_frames > 0 && g.st.timeouts > 0 &&
	      g.st.peer_restarts > 0 && g.st.rtt_samples > 0 &&
	      (!g.st.deaths || g.st.revives > 0),
	      "the run covered delivery, out of order, duplicates, retransmission, timeouts, peer restarts, RTT samples (and revivals, if a death)");
	return ck.done("gbn_diff") ? 1 : 0;
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	unsigned long steps = argc > 2 ? strtoul(argv[2], NULL, 0) : 200000;
	Bench b(seed, steps);

	printf("# gbn_diff seed %" PRIu64 "\n", seed);
	return b.run();
}
