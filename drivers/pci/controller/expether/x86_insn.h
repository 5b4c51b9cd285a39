/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expether: decode and emulate the x86-64 instructions that touch MMIO.
 *
 * Loads and stores to BARs behind expether fault (their page entries are
 * kept not-present, mmio_x86.c); the faulting instruction is decoded here
 * and carried out as memory reads and writes through callbacks, which
 * turn the MMIO side into MRd/MWr TLPs.  Plain C with no kernel
 * dependencies: expether.ko and the user-space unit tests (which compare
 * every result with what the CPU itself does) compile this same file.
 *
 * Supported, with any legal mix of prefixes (66, F3, REX, segment
 * overrides CS/DS/ES/SS/FS/GS) and every 64-bit addressing mode (ModRM,
 * SIB, disp8/disp32, RIP-relative):
 *
 *	88 89 8A 8B	mov r/m, r and mov r, r/m (8/16/32/64 bits)
 *	C6 /0, C7 /0	mov r/m, imm
 *	0F B6 B7 BE BF	movzx, movsx
 *	63		movsxd
 *	A4 A5 AA AB	movs and stos, with or without REP (F3), DF = 0,
 *			carried out in bounded chunks: the instruction
 *			restarts (faults again) until RCX is 0
 *
 * Anything else (LOCK, read-modify-write forms, SSE/AVX moves, 67 address
 * size, REPNE, DF = 1, register operands) is refused with a reason: the
 * caller must then fail loudly, never guess.
 */
#ifndef _EE_X86_INSN_H
#define _EE_X86_INSN_H

#include "ee_types.h"

#define EE_X86_MAX_LEN		15
#define EE_X86_NO_REG		0xff
#define EE_X86_RIP		16	/* "base register" of RIP-relative */

/* Register numbers as the encoding uses them. */
enum ee_x86_gpr {
	EE_X86_RAX, EE_X86_RCX, EE_X86_RDX, EE_X86_RBX,
	EE_X86_RSP, EE_X86_RBP, EE_X86_RSI, EE_X86_RDI,
	EE_X86_R8, EE_X86_R9, EE_X86_R10, EE_X86_R11,
	EE_X86_R12, EE_X86_R13, EE_X86_R14, EE_X86_R15,
	EE_X86_NR_GPR
};

#define EE_X86_FLAGS_DF		0x400

/* The interrupted context, as the emulator sees and changes it. */
struct ee_x86_state {
	u64 gpr[EE_X86_NR_GPR];
	u64 ip;
	u64 flags;
	u64 fs_base;
	u64 gs_base;
};

enum ee_x86_op {
	EE_X86_LOAD,		/* register <- memory */
	EE_X86_STORE,		/* memory <- register or immediate */
	EE_X86_MOVS,		/* [rdi] <- [rsi] */
	EE_X86_STOS,		/* [rdi] <- rax */
};

enum ee_x86_seg { EE_X86_SEG_NONE, EE_X86_SEG_FS, EE_X86_SEG_GS };

struct ee_x86_insn {
	u8 len;			/* bytes, 1..15 */
	u8 op;			/* enum ee_x86_op */
	u8 size;		/* memory operand (element) bytes: 1, 2, 4, 8 */
	u8 dst_size;		/* LOAD: register bytes written */
	bool sign;		/* LOAD: sign-extend (movsx, movsxd) */
	bool rex;		/* a REX prefix: byte registers 4-7 are spl.. */
	bool rep;		/* MOVS, STOS: F3 */
	bool has_imm;		/* STORE: the value is @imm */
	u8 reg;			/* register operand (LOAD, STORE) */
	u8 seg;			/* enum ee_x86_seg */
	u64 imm;		/* already sign-extended to the operand size */
	/* memory operand of LOAD and STORE */
	u8 base;		/* 0..15, EE_X86_RIP or EE_X86_NO_REG */
	u8 index;		/* 0..15 or EE_X86_NO_REG */
	u8 scale;		/* 1, 2, 4, 8 */
	s32 disp;
	u8 opcode[2];		/* for messages: first opcode byte(s) */
};

/* Why an instruction was refused (negative return values). */
enum ee_x86_err {
	EE_X86_OK,
	EE_X86_E_TRUNC,		/* ran out of bytes */
	EE_X86_E_OPCODE,	/* not one of the supported instructions */
	EE_X86_E_PREFIX,	/* LOCK, REPNE, 67, misplaced REX */
	EE_X86_E_REGOP,		/* register operand: no memory access */
	EE_X86_E_DF,		/* string instruction with DF = 1 */
	EE_X86_E_ADDR,		/* the access is not where the fault was */
	EE_X86_E_MEM,		/* a memory callback failed */
	EE_X86_E__MAX
};

const char *ee_x86_err_str(int err);

/* Decode the instruction at @code (@avail bytes readable).  0 or
 * -enum ee_x86_err.
 */
int ee_x86_decode(const u8 *code, unsigned int avail, struct ee_x86_insn *in);

/* Effective address of the memory operand of a LOAD or STORE. */
u64 ee_x86_ea(const struct ee_x86_insn *in, const struct ee_x86_state *s);

/*
 * Memory as the emulator reaches it.  @mmio tells whether [addr, addr +
 * len) is trapped MMIO (the only memory the read/write callbacks named
 * mmio_* will be given); the others reach ordinary kernel memory.  Each
 * returns 0 or a negative value; an MMIO read that the device does not
 * answer still returns 0 with all-ones data, as PCIe does.
 */
struct ee_x86_mem_ops {
	bool (*mmio)(void *ctx, u64 addr, unsigned int len);
	int (*mmio_read)(void *ctx, u64 addr, void *buf, unsigned int len);
	int (*mmio_write)(void *ctx, u64 addr, const void *buf,
			  unsigned int len);
	int (*ram_read)(void *ctx, u64 addr, void *buf, unsigned int len);
	int (*ram_write)(void *ctx, u64 addr, const void *buf,
			 unsigned int len);
};

/*
 * Carry out @in on @s, which faulted at @fault_addr.  A string
 * instruction moves at most @chunk bytes (and never across a page
 * boundary on either side) per call; *@done tells whether it completed
 * (IP advanced) or must run again.  0 or -enum ee_x86_err.
 */
int ee_x86_emulate(struct ee_x86_state *s, const struct ee_x86_insn *in,
		   u64 fault_addr, unsigned int chunk,
		   const struct ee_x86_mem_ops *ops, void *ctx, bool *done);

#endif /* _EE_X86_INSN_H */
