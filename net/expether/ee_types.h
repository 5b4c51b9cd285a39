/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel/user-space shim for the code shared by expether.ko, eebox and the
 * unit tests.  Shared files include only this header for their basic types.
 */
#ifndef _EE_TYPES_H
#define _EE_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/kernel.h>	/* snprintf */
#include <linux/math64.h>
#else
#include <linux/types.h>	/* __u8 ... from the UAPI headers */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>	/* snprintf */
#include <string.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
#endif

/* 64-bit division: the kernel has no 64-bit '/' on 32-bit machines. */
static inline u64 ee_div64(u64 a, u64 b)
{
#ifdef __KERNEL__
	return div64_u64(a, b);
#else
	return a / b;
#endif
}

#endif /* _EE_TYPES_H */
