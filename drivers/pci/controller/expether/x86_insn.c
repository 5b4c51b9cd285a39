// SPDX-License-Identifier: GPL-2.0
/*
 * expether: decode and emulate the x86-64 instructions that touch MMIO
 * (see x86_insn.h).  Intel SDM vol. 2, chapter 2 (instruction format) and
 * the MOV, MOVZX, MOVSX/MOVSXD, MOVS and STOS pages.
 */
#include "x86_insn.h"

static const char *const ee_x86_err_names[EE_X86_E__MAX] = {
	[EE_X86_OK] = "ok",
	[EE_X86_E_TRUNC] = "instruction truncated",
	[EE_X86_E_OPCODE] = "unsupported instruction",
	[EE_X86_E_PREFIX] = "unsupported prefix",
	[EE_X86_E_REGOP] = "no memory operand",
	[EE_X86_E_DF] = "string instruction with DF set",
	[EE_X86_E_ADDR] = "access does not match the fault address",
	[EE_X86_E_MEM] = "memory access failed",
};

const char *ee_x86_err_str(int err)
{
	if (err < 0)
		err = -err;
	if (err >= EE_X86_E__MAX || !ee_x86_err_names[err])
		return "unknown error";
	return ee_x86_err_names[err];
}

/* Operand size of the non-byte forms: REX.W, else 66, else 32 bits. */
static u8 ee_x86_osize(bool rex_w, bool opsize)
{
	return rex_w ? 8 : opsize ? 2 : 4;
}

static u64 ee_x86_sext(u64 v, unsigned int bytes)
{
	unsigned int shift = 64 - 8 * bytes;

	if (bytes >= 8)
		return v;
	return (u64)((s64)(v << shift) >> shift);
}

static u64 ee_x86_le(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* ModRM (+ SIB, displacement): the memory operand of @in. */
static int ee_x86_modrm(const u8 *code, unsigned int avail, unsigned int *pos,
			u8 rex, struct ee_x86_insn *in, u8 *reg_field)
{
	unsigned int p = *pos;
	u8 modrm, mod, rm;

	if (p >= avail)
		return -EE_X86_E_TRUNC;
	modrm = code[p++];
	mod = modrm >> 6;
	rm = modrm & 7;
	*reg_field = ((modrm >> 3) & 7) | ((rex & 4) ? 8 : 0);
	if (mod == 3)
		return -EE_X86_E_REGOP;

	in->base = EE_X86_NO_REG;
	in->index = EE_X86_NO_REG;
	in->scale = 1;
	in->disp = 0;
	if (rm == 4) {
		u8 sib, ss, idx, base;

		if (p >= avail)
			return -EE_X86_E_TRUNC;
		sib = code[p++];
		ss = sib >> 6;
		idx = ((sib >> 3) & 7) | ((rex & 2) ? 8 : 0);
		base = sib & 7;
		in->scale = 1 << ss;
		if (idx != EE_X86_RSP)	/* index 100 without REX.X: none */
			in->index = idx;
		if (base == 5 && mod == 0)
			mod = 2;	/* disp32, no base */
		else
			in->base = base | ((rex & 1) ? 8 : 0);
	} else if (rm == 5 && mod == 0) {
		in->base = EE_X86_RIP;
		mod = 2;		/* disp32 */
	} else {
		in->base = rm | ((rex & 1) ? 8 : 0);
	}

	if (mod == 1) {
		if (p + 1 > avail)
			return -EE_X86_E_TRUNC;
		in->disp = (s8)code[p];
		p += 1;
	} else if (mod == 2) {
		if (p + 4 > avail)
			return -EE_X86_E_TRUNC;
		in->disp = (s32)(u32)ee_x86_le(code + p, 4);
		p += 4;
	}
	*pos = p;
	return 0;
}

int ee_x86_decode(const u8 *code, unsigned int avail, struct ee_x86_insn *in)
{
	bool opsize = false, rep = false, rex_w;
	unsigned int p = 0;
	u8 rex = 0, op, reg;
	int err;

	memset(in, 0, sizeof(*in));
	in->reg = EE_X86_NO_REG;
	in->base = EE_X86_NO_REG;
	in->index = EE_X86_NO_REG;
	if (avail > EE_X86_MAX_LEN)
		avail = EE_X86_MAX_LEN;

	/* Legacy prefixes, then at most one REX right before the opcode. */
	for (;; p++) {
		if (p >= avail)
			return -EE_X86_E_TRUNC;
		switch (code[p]) {
		case 0x66:
			opsize = true;
			continue;
		case 0xf3:
			rep = true;
			continue;
		case 0x2e: case 0x36: case 0x3e: case 0x26:
			continue;	/* no effect in 64-bit mode */
		case 0x64:
			in->seg = EE_X86_SEG_FS;
			continue;
		case 0x65:
			in->seg = EE_X86_SEG_GS;
			continue;
		case 0xf0: case 0xf2: case 0x67:
			return -EE_X86_E_PREFIX;
		}
		break;
	}
	if ((code[p] & 0xf0) == 0x40) {
		rex = code[p++];
		in->rex = true;
		if (p >= avail)
			return -EE_X86_E_TRUNC;
		/* A REX followed by a legacy prefix would be ignored. */
		switch (code[p]) {
		case 0x66: case 0xf3: case 0xf2: case 0xf0: case 0x67:
		case 0x2e: case 0x36: case 0x3e: case 0x26: case 0x64:
		case 0x65:
			return -EE_X86_E_PREFIX;
		}
		if ((code[p] & 0xf0) == 0x40)
			return -EE_X86_E_PREFIX;
	}
	rex_w = rex & 8;
	op = code[p++];
	in->opcode[0] = op;

	switch (op) {
	case 0xa4: case 0xa5: case 0xaa: case 0xab:
		in->op = (op & 0xfe) == 0xa4 ? EE_X86_MOVS : EE_X86_STOS;
		in->size = (op & 1) ? ee_x86_osize(rex_w, opsize) : 1;
		in->rep = rep;
		in->len = p;
		return 0;
	}
	/* REP means nothing to the other forms; refuse rather than guess. */
	if (rep)
		return -EE_X86_E_PREFIX;

	switch (op) {
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		err = ee_x86_modrm(code, avail, &p, rex, in, &reg);
		if (err)
			return err;
		in->op = (op & 2) ? EE_X86_LOAD : EE_X86_STORE;
		in->size = (op & 1) ? ee_x86_osize(rex_w, opsize) : 1;
		in->dst_size = in->size;
		in->reg = reg;
		break;
	case 0x63:		/* movsxd r, r/m32 (without REX.W: a mov) */
		err = ee_x86_modrm(code, avail, &p, rex, in, &reg);
		if (err)
			return err;
		in->op = EE_X86_LOAD;
		in->dst_size = ee_x86_osize(rex_w, opsize);
		in->size = in->dst_size == 8 ? 4 : in->dst_size;
		in->sign = true;
		in->reg = reg;
		break;
	case 0xc6: case 0xc7: {
		unsigned int isz;

		err = ee_x86_modrm(code, avail, &p, rex, in, &reg);
		if (err)
			return err;
		if ((reg & 7) != 0)
			return -EE_X86_E_OPCODE;
		in->op = EE_X86_STORE;
		in->size = (op & 1) ? ee_x86_osize(rex_w, opsize) : 1;
		isz = in->size == 8 ? 4 : in->size;
		if (p + isz > avail)
			return -EE_X86_E_TRUNC;
		in->imm = ee_x86_sext(ee_x86_le(code + p, isz), isz);
		if (in->size < 8)
			in->imm &= (1ULL << (8 * in->size)) - 1;
		in->has_imm = true;
		p += isz;
		break;
	}
	case 0x0f:
		if (p >= avail)
			return -EE_X86_E_TRUNC;
		op = code[p++];
		in->opcode[1] = op;
		switch (op) {
		case 0xb6: case 0xb7: case 0xbe: case 0xbf:
			err = ee_x86_modrm(code, avail, &p, rex, in, &reg);
			if (err)
				return err;
			in->op = EE_X86_LOAD;
			in->size = (op & 1) ? 2 : 1;
			in->dst_size = ee_x86_osize(rex_w, opsize);
			in->sign = op >= 0xbe;
			in->reg = reg;
			break;
		default:
			return -EE_X86_E_OPCODE;
		}
		break;
	default:
		return -EE_X86_E_OPCODE;
	}
	if (p > EE_X86_MAX_LEN)
		return -EE_X86_E_TRUNC;
	in->len = p;
	return 0;
}

u64 ee_x86_ea(const struct ee_x86_insn *in, const struct ee_x86_state *s)
{
	u64 ea = (u64)(s64)in->disp;

	if (in->base == EE_X86_RIP)
		ea += s->ip + in->len;
	else if (in->base != EE_X86_NO_REG)
		ea += s->gpr[in->base];
	if (in->index != EE_X86_NO_REG)
		ea += s->gpr[in->index] * in->scale;
	if (in->seg == EE_X86_SEG_FS)
		ea += s->fs_base;
	else if (in->seg == EE_X86_SEG_GS)
		ea += s->gs_base;
	return ea;
}

/* Byte registers 4-7 without REX are AH, CH, DH, BH. */
static bool ee_x86_high_byte(const struct ee_x86_insn *in, u8 reg,
			     unsigned int size)
{
	return size == 1 && !in->rex && reg >= 4 && reg < 8;
}

static u64 ee_x86_reg_read(const struct ee_x86_state *s,
			   const struct ee_x86_insn *in, u8 reg,
			   unsigned int size)
{
	if (ee_x86_high_byte(in, reg, size))
		return (s->gpr[reg - 4] >> 8) & 0xff;
	if (size >= 8)
		return s->gpr[reg];
	return s->gpr[reg] & ((1ULL << (8 * size)) - 1);
}

static void ee_x86_reg_write(struct ee_x86_state *s,
			     const struct ee_x86_insn *in, u8 reg,
			     unsigned int size, u64 v)
{
	u64 *r;

	if (ee_x86_high_byte(in, reg, size)) {
		r = &s->gpr[reg - 4];
		*r = (*r & ~0xff00ULL) | (v & 0xff) << 8;
		return;
	}
	r = &s->gpr[reg];
	switch (size) {
	case 1:
		*r = (*r & ~0xffULL) | (v & 0xff);
		break;
	case 2:
		*r = (*r & ~0xffffULL) | (v & 0xffff);
		break;
	case 4:
		*r = v & 0xffffffffULL;	/* 32-bit writes zero-extend */
		break;
	default:
		*r = v;
		break;
	}
}

static void ee_x86_put_le(u8 *p, u64 v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++, v >>= 8)
		p[i] = (u8)(v & 0xff);
}

static bool ee_x86_overlaps(u64 addr, u64 len, u64 fault)
{
	return fault >= addr && fault - addr < len;
}

static int ee_x86_read(const struct ee_x86_mem_ops *ops, void *ctx, u64 addr,
		       void *buf, unsigned int len)
{
	if (ops->mmio(ctx, addr, len))
		return ops->mmio_read(ctx, addr, buf, len);
	return ops->ram_read(ctx, addr, buf, len);
}

static int ee_x86_write(const struct ee_x86_mem_ops *ops, void *ctx,
			u64 addr, const void *buf, unsigned int len)
{
	if (ops->mmio(ctx, addr, len))
		return ops->mmio_write(ctx, addr, buf, len);
	return ops->ram_write(ctx, addr, buf, len);
}

/* Elements of @size bytes from @addr before a page boundary (>= 1). */
static u64 ee_x86_page_elems(u64 addr, unsigned int size)
{
	u64 left = 4096 - (addr & 4095);

	return left >= size ? left / size : 1;
}

static int ee_x86_string(struct ee_x86_state *s, const struct ee_x86_insn *in,
			 u64 fault, unsigned int chunk,
			 const struct ee_x86_mem_ops *ops, void *ctx,
			 bool *done)
{
	u8 buf[512];
	u64 count = in->rep ? s->gpr[EE_X86_RCX] : 1;
	u64 dst = s->gpr[EE_X86_RDI], src = s->gpr[EE_X86_RSI];
	unsigned int size = in->size;
	u64 n, bytes;
	int err;

	if (s->flags & EE_X86_FLAGS_DF)
		return -EE_X86_E_DF;
	if (!count) {
		s->ip += in->len;
		*done = true;
		return 0;
	}
	if (chunk > sizeof(buf))
		chunk = sizeof(buf);
	if (chunk < size)
		chunk = size;
	n = chunk / size;
	if (n > count)
		n = count;
	if (n > ee_x86_page_elems(dst, size))
		n = ee_x86_page_elems(dst, size);
	if (in->op == EE_X86_MOVS && n > ee_x86_page_elems(src, size))
		n = ee_x86_page_elems(src, size);
	bytes = n * size;

	/* The fault must be in what this step touches first. */
	if (!ee_x86_overlaps(dst, size, fault) &&
	    !(in->op == EE_X86_MOVS && ee_x86_overlaps(src, size, fault)))
		return -EE_X86_E_ADDR;

	if (in->op == EE_X86_MOVS) {
		err = ee_x86_read(ops, ctx, src, buf, (unsigned int)bytes);
	} else {
		u64 i;

		for (i = 0; i < n; i++)
			ee_x86_put_le(buf + i * size, s->gpr[EE_X86_RAX],
				      size);
		err = 0;
	}
	if (!err)
		err = ee_x86_write(ops, ctx, dst, buf, (unsigned int)bytes);
	if (err)
		return -EE_X86_E_MEM;

	s->gpr[EE_X86_RDI] += bytes;
	if (in->op == EE_X86_MOVS)
		s->gpr[EE_X86_RSI] += bytes;
	if (in->rep)
		s->gpr[EE_X86_RCX] -= n;
	*done = !in->rep || !s->gpr[EE_X86_RCX];
	if (*done)
		s->ip += in->len;
	return 0;
}

int ee_x86_emulate(struct ee_x86_state *s, const struct ee_x86_insn *in,
		   u64 fault_addr, unsigned int chunk,
		   const struct ee_x86_mem_ops *ops, void *ctx, bool *done)
{
	u8 buf[8];
	u64 ea, v;

	*done = false;
	if (in->op == EE_X86_MOVS || in->op == EE_X86_STOS)
		return ee_x86_string(s, in, fault_addr, chunk, ops, ctx, done);

	ea = ee_x86_ea(in, s);
	if (!ee_x86_overlaps(ea, in->size, fault_addr))
		return -EE_X86_E_ADDR;

	if (in->op == EE_X86_LOAD) {
		if (ee_x86_read(ops, ctx, ea, buf, in->size))
			return -EE_X86_E_MEM;
		v = ee_x86_le(buf, in->size);
		if (in->sign)
			v = ee_x86_sext(v, in->size);
		ee_x86_reg_write(s, in, in->reg, in->dst_size, v);
	} else {
		v = in->has_imm ? in->imm :
		    ee_x86_reg_read(s, in, in->reg, in->size);
		ee_x86_put_le(buf, v, in->size);
		if (ee_x86_write(ops, ctx, ea, buf, in->size))
			return -EE_X86_E_MEM;
	}
	s->ip += in->len;
	*done = true;
	return 0;
}
