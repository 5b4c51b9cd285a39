// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: seeded fault injection on transmitted frames (see fault.h).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "fault.h"

int fault_parse_pct(const char *s, double *pct)
{
	char *end;
	double v;

	/* strtod() would skip leading blanks and take "inf" and "nan". */
	if (!s || !(isdigit((unsigned char)*s) || *s == '.'))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 100)
		return -1;
	*pct = v;
	return 0;
}

/* splitmix64: turns any seed, 0 included, into a good non-zero state. */
static u64 fault_mix(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void fault_init(struct fault *f, const struct fault_cfg *cfg)
{
	memset(f, 0, sizeof(*f));
	f->cfg = *cfg;
	f->active = cfg->drop > 0 || cfg->reorder > 0 || cfg->dup > 0;
	f->rng = fault_mix(cfg->seed);
	if (!f->rng)
		f->rng = 0x9e3779b97f4a7c15ULL;
}

/* xorshift64* (Vigna 2016): the top 53 bits as a uniform [0, 100). */
static double fault_draw(struct fault *f)
{
	u64 x = f->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	f->rng = x;
	x *= 0x2545f4914f6cdd1dULL;
	return (double)(x >> 11) * (100.0 / 9007199254740992.0);
}

/* Send every held frame, in the order they were held. */
static void fault_out_held(struct fault *f, fault_out_fn out, void *ctx)
{
	struct fault_held *h;
	unsigned int i, n = f->nheld;
	char note[64];

	f->nheld = 0;
	for (i = 0; i < n; i++) {
		h = &f->held[i];
		snprintf(note, sizeof(note),
			 "fault #%llu: sent late (reordered)",
			 (unsigned long long)h->n);
		out(ctx, h->frame, h->len, note, true);
		if (h->dup) {
			snprintf(note, sizeof(note),
				 "fault #%llu: duplicate (reordered)",
				 (unsigned long long)h->n);
			out(ctx, h->frame, h->len, note, true);
		}
	}
}

void fault_send(struct fault *f, u64 now, const u8 *frame, size_t len,
		fault_out_fn out, void *ctx)
{
	bool drop, reorder, dup;
	struct fault_held *h;
	char note[64];
	u64 n;

	if (!f->active) {
		out(ctx, frame, len, NULL, true);
		return;
	}
	n = ++f->st.frames;
	/* Always three draws: the k-th frame's fate depends on k alone. */
	drop = fault_draw(f) < f->cfg.drop;
	reorder = fault_draw(f) < f->cfg.reorder;
	dup = fault_draw(f) < f->cfg.dup;

	if (drop) {
		f->st.dropped++;
		snprintf(note, sizeof(note), "fault #%llu: dropped",
			 (unsigned long long)n);
		out(ctx, frame, len, note, false);
		return;
	}
	if (dup)
		f->st.duplicated++;
	if (reorder && len <= FAULT_FRAME_MAX) {
		if (f->nheld == FAULT_HOLD_MAX)
			fault_out_held(f, out, ctx);
		f->st.reordered++;
		if (!f->nheld)
			f->held_until = now + FAULT_HOLD_NS;
		h = &f->held[f->nheld++];
		h->dup = dup;
		h->n = n;
		h->len = len;
		memcpy(h->frame, frame, len);
		snprintf(note, sizeof(note), "fault #%llu: held back",
			 (unsigned long long)n);
		out(ctx, frame, len, note, false);
		return;
	}
	out(ctx, frame, len, NULL, true);
	if (dup) {
		snprintf(note, sizeof(note), "fault #%llu: duplicate",
			 (unsigned long long)n);
		out(ctx, frame, len, note, true);
	}
	/* What was held before this frame now goes after it. */
	fault_out_held(f, out, ctx);
}

u64 fault_deadline(const struct fault *f)
{
	return f->nheld ? f->held_until : ~(u64)0;
}

void fault_timer(struct fault *f, u64 now, fault_out_fn out, void *ctx)
{
	if (f->nheld && now >= f->held_until)
		fault_out_held(f, out, ctx);
}

void fault_release(struct fault *f, fault_out_fn out, void *ctx)
{
	fault_out_held(f, out, ctx);
}

void fault_discard(struct fault *f)
{
	f->nheld = 0;
}
