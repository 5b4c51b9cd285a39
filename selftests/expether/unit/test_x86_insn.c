// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the MMIO instruction emulator (x86_insn.c) with the CPU
 * as the oracle: every case is an instruction encoded here, run natively
 * on real memory by a trampoline that loads and saves every register,
 * and emulated on copies of the same memory, where every access to the
 * "MMIO" buffer goes through the callbacks.  Registers, memory and the
 * new IP must agree.  Then the refusals: forms that must not be emulated,
 * and truncated instructions.
 *
 * x86-64 only (the oracle is the machine this runs on).
 */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ee_test.h"
#include "x86_insn.h"

/* Fixed low addresses: absolute disp32 operands reach them. */
#define STATE_ADDR	0x30000000UL	/* struct ee_x86_state + saved rsp */
#define CODE_ADDR	0x30010000UL
#define MMIO_ADDR	0x30100000UL	/* the "BAR": every access emulated */
#define RAM_ADDR	0x30200000UL	/* the other side of movs */
#define BUF_SIZE	(3 * 4096)

#define SAVED_RSP	(STATE_ADDR + 0x800)

struct mem_copy {
	u8 mmio[BUF_SIZE];
	u8 ram[BUF_SIZE];
	unsigned long mmio_reads, mmio_writes, bad;
};

static struct ee_x86_state *native = (struct ee_x86_state *)STATE_ADDR;
static u8 *code = (u8 *)CODE_ADDR;
static u8 *mmio = (u8 *)MMIO_ADDR;
static u8 *ram = (u8 *)RAM_ADDR;
static unsigned int insn_off;	/* offset of the test instruction */

static u64 rng = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned int rnd_n(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

/* ---- the trampoline ------------------------------------------------ */

static unsigned int emit_abs(u8 *p, u8 op, unsigned int reg, u64 addr)
{
	unsigned int n = 0;

	p[n++] = 0x48 | (reg >= 8 ? 4 : 0);	/* REX.W (+R) */
	p[n++] = op;
	p[n++] = (u8)(((reg & 7) << 3) | 4);	/* mod 00, rm = SIB */
	p[n++] = 0x25;				/* no index, disp32 base */
	p[n++] = (u8)addr;
	p[n++] = (u8)(addr >> 8);
	p[n++] = (u8)(addr >> 16);
	p[n++] = (u8)(addr >> 24);
	return n;
}

/* Build: save callee-saved, load all but RSP, <insn>, store, restore. */
static void build_trampoline(const u8 *insn, unsigned int len)
{
	static const u8 push[] = { 0x53, 0x55, 0x41, 0x54, 0x41, 0x55,
				   0x41, 0x56, 0x41, 0x57 };
	static const u8 pop[] = { 0x41, 0x5f, 0x41, 0x5e, 0x41, 0x5d,
				  0x41, 0x5c, 0x5d, 0x5b, 0xc3 };
	unsigned int n = 0, r;

	memcpy(code + n, push, sizeof(push));
	n += sizeof(push);
	n += emit_abs(code + n, 0x89, EE_X86_RSP, SAVED_RSP);
	for (r = 0; r < EE_X86_NR_GPR; r++)
		if (r != EE_X86_RSP)
			n += emit_abs(code + n, 0x8b, r,
				      STATE_ADDR + 8 * r);
	insn_off = n;
	memcpy(code + n, insn, len);
	n += len;
	for (r = 0; r < EE_X86_NR_GPR; r++)
		if (r != EE_X86_RSP)
			n += emit_abs(code + n, 0x89, r,
				      STATE_ADDR + 8 * r);
	n += emit_abs(code + n, 0x8b, EE_X86_RSP, SAVED_RSP);
	memcpy(code + n, pop, sizeof(pop));
	__builtin___clear_cache((char *)code, (char *)code + n + sizeof(pop));
}

static void run_native(void)
{
	((void (*)(void))CODE_ADDR)();
}

/* ---- the emulated side --------------------------------------------- */

static u8 *copy_ptr(struct mem_copy *m, u64 addr, unsigned int len,
		    bool want_mmio)
{
	if (want_mmio && addr >= MMIO_ADDR && addr + len <= MMIO_ADDR + BUF_SIZE)
		return m->mmio + (addr - MMIO_ADDR);
	if (!want_mmio && addr >= RAM_ADDR && addr + len <= RAM_ADDR + BUF_SIZE)
		return m->ram + (addr - RAM_ADDR);
	m->bad++;
	return NULL;
}

static bool cb_mmio(void *ctx, u64 addr, unsigned int len)
{
	(void)ctx;
	(void)len;
	return addr >= MMIO_ADDR && addr < MMIO_ADDR + BUF_SIZE;
}

static int cb_mmio_read(void *ctx, u64 addr, void *buf, unsigned int len)
{
	struct mem_copy *m = ctx;
	u8 *p = copy_ptr(m, addr, len, true);

	if (!p)
		return -1;
	m->mmio_reads++;
	memcpy(buf, p, len);
	return 0;
}

static int cb_mmio_write(void *ctx, u64 addr, const void *buf,
			 unsigned int len)
{
	struct mem_copy *m = ctx;
	u8 *p = copy_ptr(m, addr, len, true);

	if (!p)
		return -1;
	m->mmio_writes++;
	memcpy(p, buf, len);
	return 0;
}

static int cb_ram_read(void *ctx, u64 addr, void *buf, unsigned int len)
{
	u8 *p = copy_ptr(ctx, addr, len, false);

	if (!p)
		return -1;
	memcpy(buf, p, len);
	return 0;
}

static int cb_ram_write(void *ctx, u64 addr, const void *buf,
			unsigned int len)
{
	u8 *p = copy_ptr(ctx, addr, len, false);

	if (!p)
		return -1;
	memcpy(p, buf, len);
	return 0;
}

static const struct ee_x86_mem_ops ops = {
	.mmio = cb_mmio,
	.mmio_read = cb_mmio_read,
	.mmio_write = cb_mmio_write,
	.ram_read = cb_ram_read,
	.ram_write = cb_ram_write,
};

/* ---- instruction generator ---------------------------------------- */

struct gen {
	u8 bytes[EE_X86_MAX_LEN];
	unsigned int len;
	u64 regs[EE_X86_NR_GPR];
	bool string;
	char desc[96];
};

static u64 fs_base;

/* A memory operand: fields chosen first, bytes emitted afterwards. */
struct opnd {
	unsigned int mod, rm, ss;
	u8 base, index;		/* 4-bit register numbers */
	bool sib, has_base, has_index, riprel, fs;
	s32 disp;
	unsigned int disp_len;
};

static void pick_opnd(struct opnd *o)
{
	memset(o, 0, sizeof(*o));
	o->mod = rnd_n(3);
	o->rm = rnd_n(8);
	o->has_base = true;
	o->ss = rnd_n(4);
	if (o->rm == 4) {
		o->sib = true;
		o->base = (u8)rnd_n(16);
		o->index = (u8)rnd_n(16);
		/* RSP is the trampoline's; base 101 with mod 00: no base. */
		if (o->base == EE_X86_RSP)
			o->base = EE_X86_RBX;
		if ((o->base & 7) == 5 && o->mod == 0)
			o->has_base = false;
		o->has_index = o->index != EE_X86_RSP;
	} else if (o->rm == 5 && o->mod == 0) {
		o->riprel = true;
		o->has_base = false;
	} else {
		o->base = (u8)(o->rm | (rnd_n(2) ? 8 : 0));
		if (o->base == EE_X86_R12)
			o->base = EE_X86_R13;	/* r12 needs SIB */
		/* r13 with mod 00 would be RIP-relative: use mod 01. */
		if (o->base == EE_X86_R13 && o->mod == 0)
			o->mod = 1;
	}
	o->disp_len = o->mod == 1 ? 1 : (o->mod == 2 || !o->has_base) ? 4 : 0;
	if (o->riprel)
		o->disp_len = 4;
	o->fs = o->has_base && rnd_n(6) == 0;
}

static u8 opnd_rex(const struct opnd *o)
{
	u8 rex = 0;

	if (o->has_base && !o->riprel && o->base >= 8)
		rex |= 1;
	if (o->sib && o->index >= 8)
		rex |= 2;
	return rex;
}

/* Emit ModRM/SIB/disp for @o aimed at @target; sets register values. */
static void emit_opnd(struct gen *g, struct opnd *o, u8 reg, u64 target,
		      unsigned int total_len)
{
	u64 idx_val = rnd_n(64), k;
	unsigned int i;

	if (o->fs)
		target -= fs_base;
	if (o->mod == 1)
		o->disp = (s8)rnd();
	else if (o->disp_len == 4)
		o->disp = (s32)rnd_n(0x4000) - 0x2000;
	if (o->riprel) {
		o->disp = (s32)(target - (CODE_ADDR + insn_off + total_len));
	} else if (!o->has_base) {
		if (o->has_index)
			o->disp = (s32)(target - idx_val * (1U << o->ss));
		else
			o->disp = (s32)target;
	}

	g->bytes[g->len++] = (u8)((o->mod << 6) | ((reg & 7) << 3) |
				  (o->sib ? 4 : (o->rm & 7)));
	if (o->sib)
		g->bytes[g->len++] = (u8)((o->ss << 6) | ((o->index & 7) << 3) |
					  (o->base & 7));
	for (i = 0; i < o->disp_len; i++)
		g->bytes[g->len++] = (u8)((u32)o->disp >> (8 * i));

	if (o->has_base && o->has_index && o->index == o->base) {
		k = 1 + (1U << o->ss);
		g->regs[o->base] = (target - (u64)(s64)o->disp) / k;
	} else if (o->has_base && o->has_index) {
		g->regs[o->index] = idx_val;
		g->regs[o->base] = target - (u64)(s64)o->disp -
				   idx_val * (1U << o->ss);
	} else if (o->has_base) {
		g->regs[o->base] = target - (u64)(s64)o->disp;
	} else if (o->has_index) {
		g->regs[o->index] = idx_val;
	}
}

/* One random supported instruction aimed into the MMIO buffer. */
static void gen_insn(struct gen *g)
{
	static const u8 segs[] = { 0x2e, 0x36, 0x3e, 0x26 };
	unsigned int form = rnd_n(9), k, size, imm_len = 0, total;
	bool opsize, w, rex_present, rep;
	u8 rex = 0, op0, op1 = 0, reg, seg = 0;
	struct opnd o;
	u64 target;

	memset(g, 0, sizeof(*g));
	for (k = 0; k < EE_X86_NR_GPR; k++)
		g->regs[k] = rnd();
	if (rnd_n(4) == 0)
		seg = segs[rnd_n(4)];
	opsize = rnd_n(3) == 0;
	w = rnd_n(3) == 0;
	rex_present = w || rnd_n(3) == 0;

	if (form == 8) {
		/* movs/stos: rsi, rdi, rcx; maybe REP */
		unsigned int esz, maxn;
		bool mmio_dst;
		u64 count, doff, soff;

		op0 = (u8)(0xa4 + rnd_n(2) + 6 * rnd_n(2));
		esz = (op0 & 1) ? (w ? 8 : opsize ? 2 : 4) : 1;
		maxn = 4096 / esz;
		rep = rnd_n(2);
		count = rep ? 1 + rnd_n(maxn) : 1;
		doff = rnd_n(BUF_SIZE - 4096 - 8) & ~(u64)(esz - 1);
		soff = rnd_n(BUF_SIZE - 4096 - 8) & ~(u64)(esz - 1);
		mmio_dst = (op0 & 0xfe) == 0xaa || rnd_n(2);

		if (rep)
			g->bytes[g->len++] = 0xf3;
		if (seg)
			g->bytes[g->len++] = seg;
		if (opsize)
			g->bytes[g->len++] = 0x66;
		if (rex_present)
			g->bytes[g->len++] = (u8)(0x40 | (w ? 8 : 0));
		g->bytes[g->len++] = op0;
		g->regs[EE_X86_RCX] = rep ? count : g->regs[EE_X86_RCX];
		g->regs[EE_X86_RDI] = (mmio_dst ? MMIO_ADDR : RAM_ADDR) + doff;
		g->regs[EE_X86_RSI] = (mmio_dst ? RAM_ADDR : MMIO_ADDR) + soff;
		if (rnd_n(8) == 0)	/* MMIO to MMIO */
			g->regs[EE_X86_RSI] = MMIO_ADDR + soff;
		g->string = true;
		snprintf(g->desc, sizeof(g->desc), "%s%s%u x%llu",
			 rep ? "rep " : "",
			 (op0 & 0xfe) == 0xa4 ? "movs" : "stos", esz,
			 (unsigned long long)count);
		return;
	}

	switch (form) {
	case 0: op0 = 0x88; break;			/* store r8 */
	case 1: op0 = 0x89; break;			/* store r */
	case 2: op0 = 0x8a; break;			/* load r8 */
	case 3: op0 = 0x8b; break;			/* load r */
	case 4: op0 = 0xc6; break;			/* store imm8 */
	case 5: op0 = 0xc7; break;			/* store imm */
	case 6: op0 = 0x0f; op1 = (u8)(0xb6 + rnd_n(2) + 8 * rnd_n(2)); break;
	default: op0 = 0x63; break;			/* movsxd */
	}
	if (op0 == 0x88 || op0 == 0x8a || op0 == 0xc6)
		size = 1;
	else if (op0 == 0x0f)
		size = (op1 & 1) ? 2 : 1;
	else if (op0 == 0x63)
		size = w ? 4 : opsize ? 2 : 4;
	else
		size = w ? 8 : opsize ? 2 : 4;
	if (op0 == 0xc6)
		imm_len = 1;
	else if (op0 == 0xc7)
		imm_len = size == 2 ? 2 : 4;

	reg = (op0 == 0xc6 || op0 == 0xc7) ? 0 : (u8)rnd_n(16);
	pick_opnd(&o);
	rex = (u8)((w ? 8 : 0) | (reg >= 8 ? 4 : 0) | opnd_rex(&o));
	if (rex)
		rex_present = true;
	/* RSP/SPL are the trampoline's: never the register operand (AH,
	 * register 4 of a byte form without REX, is fine).
	 */
	if (reg == EE_X86_RSP && !(size == 1 && !rex_present &&
				   (op0 == 0x88 || op0 == 0x8a)))
		reg = EE_X86_RAX;

	total = (seg ? 1 : 0) + (opsize ? 1 : 0) + (rex_present ? 1 : 0) + 1 +
		(op0 == 0x0f ? 1 : 0) + 1 + (o.sib ? 1 : 0) + o.disp_len +
		imm_len + (o.fs ? 1 : 0);
	target = MMIO_ADDR + rnd_n(BUF_SIZE - 16);

	if (o.fs)
		g->bytes[g->len++] = 0x64;
	if (seg)
		g->bytes[g->len++] = seg;
	if (opsize)
		g->bytes[g->len++] = 0x66;
	if (rex_present)
		g->bytes[g->len++] = (u8)(0x40 | rex);
	g->bytes[g->len++] = op0;
	if (op0 == 0x0f)
		g->bytes[g->len++] = op1;
	emit_opnd(g, &o, reg, target, total);
	for (k = 0; k < imm_len; k++)
		g->bytes[g->len++] = (u8)rnd();
	snprintf(g->desc, sizeof(g->desc), "%s %02x%02x size %u%s",
		 (op0 == 0x8a || op0 == 0x8b || op0 == 0x0f || op0 == 0x63) ?
		 "load" : "store", op0, op1, size, o.fs ? " fs" : "");
}

/* ---- running one case ---------------------------------------------- */

static void hexdump(char *out, size_t cap, const u8 *b, unsigned int n)
{
	unsigned int i;
	size_t o = 0;

	for (i = 0; i < n && o + 4 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02x ", b[i]);
}

static unsigned long cases, skipped, chunked;

static void one_case(struct mem_copy *emu)
{
	struct ee_x86_state s;
	struct ee_x86_insn in;
	struct gen g;
	char hex[64];
	unsigned int r, steps = 0;
	bool done = false;
	int err;

	gen_insn(&g);
	build_trampoline(g.bytes, g.len);
	hexdump(hex, sizeof(hex), g.bytes, g.len);
	ee_test_ctx("%s [%s]", g.desc, hex);

	err = ee_x86_decode(g.bytes, g.len, &in);
	EE_CHECK(err == 0, "decode: %s", ee_x86_err_str(err));
	if (err)
		return;
	EE_CHECK_EQ(in.len, g.len);

	memset(&s, 0, sizeof(s));
	memcpy(s.gpr, g.regs, sizeof(s.gpr));
	s.ip = CODE_ADDR + insn_off;
	s.fs_base = fs_base;
	if (!g.string) {
		u64 ea = ee_x86_ea(&in, &s);

		if (ea < MMIO_ADDR || ea + in.size > MMIO_ADDR + BUF_SIZE) {
			skipped++;	/* the generator mis-aimed */
			EE_CHECK(0, "EA %llx outside the buffer",
				 (unsigned long long)ea);
			return;
		}
	}

	/* Same memory on both sides. */
	for (r = 0; r < BUF_SIZE; r++) {
		mmio[r] = (u8)rnd();
		ram[r] = (u8)rnd();
	}
	memcpy(emu->mmio, mmio, BUF_SIZE);
	memcpy(emu->ram, ram, BUF_SIZE);
	emu->bad = 0;

	memcpy(native->gpr, g.regs, sizeof(native->gpr));
	run_native();

	while (!done && steps < 1000) {
		u64 fault;

		if (in.op == EE_X86_LOAD || in.op == EE_X86_STORE)
			fault = ee_x86_ea(&in, &s);
		else if (cb_mmio(NULL, s.gpr[EE_X86_RDI], 1))
			fault = s.gpr[EE_X86_RDI];
		else
			fault = s.gpr[EE_X86_RSI];
		err = ee_x86_emulate(&s, &in, fault, 256, &ops, emu, &done);
		steps++;
		if (err)
			break;
	}
	if (in.op == EE_X86_MOVS || in.op == EE_X86_STOS) {
		/* rep with RCX 0 never faults natively: nothing to compare
		 * but the emulator's no-op.
		 */
		if (steps > 1)
			chunked++;
	}
	cases++;
	EE_CHECK(err == 0, "emulate: %s", ee_x86_err_str(err));
	EE_CHECK(done, "not done after %u steps", steps);
	EE_CHECK_EQ(emu->bad, 0);
	for (r = 0; r < EE_X86_NR_GPR; r++) {
		if (r == EE_X86_RSP)
			continue;
		if (s.gpr[r] != native->gpr[r]) {
			EE_CHECK(s.gpr[r] == native->gpr[r],
				 "reg %u: emulated %016llx, cpu %016llx", r,
				 (unsigned long long)s.gpr[r],
				 (unsigned long long)native->gpr[r]);
			break;
		}
	}
	EE_CHECK_EQ(s.ip, CODE_ADDR + insn_off + g.len);
	EE_CHECK(!memcmp(emu->mmio, mmio, BUF_SIZE), "MMIO buffer differs");
	EE_CHECK(!memcmp(emu->ram, ram, BUF_SIZE), "RAM buffer differs");
	ee_test_ctx("%s", "");
}

/* ---- refusals ------------------------------------------------------ */

struct refuse {
	const char *what;
	u8 bytes[EE_X86_MAX_LEN];
	unsigned int len;
	int err;
};

static const struct refuse refusals[] = {
	{ "lock add", { 0xf0, 0x01, 0x07 }, 3, EE_X86_E_PREFIX },
	{ "add r/m, r", { 0x01, 0x07 }, 2, EE_X86_E_OPCODE },
	{ "xchg", { 0x87, 0x07 }, 2, EE_X86_E_OPCODE },
	{ "or imm", { 0x81, 0x0f, 1, 0, 0, 0 }, 6, EE_X86_E_OPCODE },
	{ "movdqu load", { 0xf3, 0x0f, 0x6f, 0x07 }, 4, EE_X86_E_PREFIX },
	{ "movups load", { 0x0f, 0x10, 0x07 }, 3, EE_X86_E_OPCODE },
	{ "movnti", { 0x0f, 0xc3, 0x07 }, 3, EE_X86_E_OPCODE },
	{ "addr32 mov", { 0x67, 0x8b, 0x07 }, 3, EE_X86_E_PREFIX },
	{ "repne movs", { 0xf2, 0xa4 }, 2, EE_X86_E_PREFIX },
	{ "rep mov", { 0xf3, 0x8b, 0x07 }, 3, EE_X86_E_PREFIX },
	{ "mov reg, reg", { 0x48, 0x8b, 0xc1 }, 3, EE_X86_E_REGOP },
	{ "c7 /1", { 0xc7, 0x0f, 1, 0, 0, 0 }, 6, EE_X86_E_OPCODE },
	{ "rex then 66", { 0x48, 0x66, 0x8b, 0x07 }, 4, EE_X86_E_PREFIX },
	{ "two rex", { 0x48, 0x41, 0x8b, 0x07 }, 4, EE_X86_E_PREFIX },
	{ "lods", { 0xac }, 1, EE_X86_E_OPCODE },
	{ "cmpxchg", { 0x0f, 0xb1, 0x0f }, 3, EE_X86_E_OPCODE },
};

static void test_refusals(void)
{
	struct ee_x86_insn in;
	unsigned int i;

	ee_test_begin("unsupported forms are refused with a reason");
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		ee_test_ctx("%s", refusals[i].what);
		EE_CHECK_EQ(ee_x86_decode(refusals[i].bytes, refusals[i].len,
					  &in), -refusals[i].err);
	}
	ee_test_end();
}

static void test_df(void)
{
	const u8 movsb[] = { 0xa4 };
	struct mem_copy *emu = calloc(1, sizeof(*emu));
	struct ee_x86_state s = { .flags = EE_X86_FLAGS_DF };
	struct ee_x86_insn in;
	bool done;

	ee_test_begin("movs with DF set is refused, nothing moved");
	EE_CHECK_EQ(ee_x86_decode(movsb, 1, &in), 0);
	s.gpr[EE_X86_RSI] = RAM_ADDR;
	s.gpr[EE_X86_RDI] = MMIO_ADDR;
	EE_CHECK_EQ(ee_x86_emulate(&s, &in, MMIO_ADDR, 64, &ops, emu, &done),
		    -EE_X86_E_DF);
	EE_CHECK_EQ(emu->mmio_writes, 0);
	EE_CHECK_EQ(s.ip, 0);
	free(emu);
	ee_test_end();
}

static void test_wrong_address(void)
{
	const u8 load[] = { 0x8b, 0x07 };	/* mov eax, [rdi] */
	struct mem_copy *emu = calloc(1, sizeof(*emu));
	struct ee_x86_state s = { 0 };
	struct ee_x86_insn in;
	bool done;

	ee_test_begin("an access elsewhere than the fault is refused");
	EE_CHECK_EQ(ee_x86_decode(load, 2, &in), 0);
	s.gpr[EE_X86_RDI] = MMIO_ADDR + 64;
	EE_CHECK_EQ(ee_x86_emulate(&s, &in, MMIO_ADDR + 128, 64, &ops, emu,
				   &done), -EE_X86_E_ADDR);
	EE_CHECK_EQ(ee_x86_emulate(&s, &in, MMIO_ADDR + 67, 64, &ops, emu,
				   &done), 0);
	EE_CHECK(done, "done");
	EE_CHECK_EQ(emu->mmio_reads, 1);
	free(emu);
	ee_test_end();
}

static void test_truncated(void)
{
	struct ee_x86_insn in;
	unsigned int i, n;
	struct gen g;

	ee_test_begin("every truncation of a valid instruction is refused");
	for (i = 0; i < 2000; i++) {
		gen_insn(&g);
		int err = 0;

		for (n = 0; n < g.len && !err; n++)
			if (ee_x86_decode(g.bytes, n, &in) != -EE_X86_E_TRUNC)
				err = 1;
		EE_CHECK(!err, "a %u-byte prefix of a %u-byte %s decodes",
			 n - 1, g.len, g.desc);
	}
	ee_test_end();
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? (unsigned int)atoi(argv[1]) : 20000, i;
	struct mem_copy *emu;
	void *p;

	(void)argv;
	p = mmap((void *)STATE_ADDR, 0x1000, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != (void *)STATE_ADDR)
		return perror("mmap state"), 1;
	p = mmap((void *)CODE_ADDR, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != (void *)CODE_ADDR)
		return perror("mmap code"), 1;
	p = mmap((void *)MMIO_ADDR, BUF_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != (void *)MMIO_ADDR)
		return perror("mmap mmio"), 1;
	p = mmap((void *)RAM_ADDR, BUF_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != (void *)RAM_ADDR)
		return perror("mmap ram"), 1;
	if (syscall(SYS_arch_prctl, ARCH_GET_FS, &fs_base))
		return perror("arch_prctl"), 1;

	emu = calloc(1, sizeof(*emu));
	if (!emu)
		return 1;
	ee_test_begin("random mov/movzx/movsx/movs/stos: emulation == CPU");
	for (i = 0; i < n; i++)
		one_case(emu);
	ee_test_end();
	printf("# %lu cases run, %lu mis-aimed, %lu string cases took several steps\n",
	       cases, skipped, chunked);
	ee_test_begin("the generator reached the emulator");
	EE_CHECK(cases > n * 9 / 10, "%lu of %u cases ran", cases, n);
	EE_CHECK(chunked > 0, "no chunked string case");
	ee_test_end();
	free(emu);

	test_refusals();
	test_df();
	test_wrong_address();
	test_truncated();
	return ee_test_summary();
}
