/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: seeded fault injection on the frames a bridge sends (--drop,
 * --reorder, --dup, --seed).  Shared with eeprobe, the test host.
 *
 * Each injector (one per connection) has its own generator, xorshift64*
 * seeded from the seed alone, and draws exactly three numbers for every
 * frame it is given, so the fate of the k-th frame of a connection depends
 * only on the seed and k.  The faults, each with its own probability:
 *
 *   drop     the frame is not sent
 *   reorder  the frame is held back and sent right after the next frame
 *            that is sent, or FAULT_HOLD_NS after the first frame held
 *            if none comes first; frames held in a row go out in their
 *            order (up to FAULT_HOLD_MAX: a frame drawn for reorder when
 *            that many are held sends them first)
 *   dup      the frame is sent twice, back to back (a held frame twice
 *            when it is released)
 *
 * A dropped frame is neither held nor duplicated.  Which frames are
 * dropped, held or duplicated depends on the seed and their number only,
 * never on timing.  Nothing here does I/O: frames leave through the
 * caller's callback.
 */
#ifndef _EEBOX_FAULT_H
#define _EEBOX_FAULT_H

#include "ee_types.h"
#include "../../include/uapi/linux/expether.h"

#define FAULT_DEFAULT_SEED	1
#define FAULT_HOLD_NS		1000000ULL	/* a held frame waits 1 ms at most */
#define FAULT_HOLD_MAX		8		/* frames held at once */
#define FAULT_FRAME_MAX		(EXPETHER_L2_HLEN + EXPETHER_HLEN + \
				 EXPETHER_MAX_PAYLOAD)

struct fault_cfg {
	double drop;		/* percent, 0..100 */
	double reorder;
	double dup;
	u64 seed;
};

struct fault_stats {
	u64 frames;		/* frames given to the injector */
	u64 dropped;
	u64 duplicated;
	u64 reordered;
};

struct fault_held {
	bool dup;		/* send it twice */
	u64 n;			/* its number, for the log */
	size_t len;
	u8 frame[FAULT_FRAME_MAX];
};

struct fault {
	struct fault_cfg cfg;
	bool active;		/* some probability is non-zero */
	u64 rng;		/* xorshift64* state, never 0 */
	unsigned int nheld;
	u64 held_until;		/* release them all then */
	struct fault_held held[FAULT_HOLD_MAX];
	struct fault_stats st;
};

/*
 * Where frames go: @send false means the frame is only shown (it was
 * dropped or held back), for logs.  @note is NULL for an ordinary
 * transmission, else what the injector did ("fault #12: dropped").
 */
typedef void (*fault_out_fn)(void *ctx, const u8 *frame, size_t len,
			     const char *note, bool send);

/* Parse a probability in percent: a decimal number from 0 to 100.  0 or -1. */
int fault_parse_pct(const char *s, double *pct);

void fault_init(struct fault *f, const struct fault_cfg *cfg);
/* Send @frame (at most FAULT_FRAME_MAX bytes) through the injector. */
void fault_send(struct fault *f, u64 now, const u8 *frame, size_t len,
		fault_out_fn out, void *ctx);
/* When held frames are due (~0: none held). */
u64 fault_deadline(const struct fault *f);
/* Release the held frames if they are due at @now. */
void fault_timer(struct fault *f, u64 now, fault_out_fn out, void *ctx);
/* Release the held frames now, whenever they were due (connection reset). */
void fault_release(struct fault *f, fault_out_fn out, void *ctx);
/* Forget the held frames unsent (at exit). */
void fault_discard(struct fault *f);

#endif /* _EEBOX_FAULT_H */
