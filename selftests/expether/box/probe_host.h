/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eeprobe as a host with memory (probe_host.c): what a device model behind
 * eebox reaches by DMA, how eeprobe plays the driver.
 *
 * Memory: two areas, one below 4 GiB (HOST_LOW, 3 DW requests) and one
 * above (HOST_HIGH, 4 DW requests).  The device reaches only what is
 * *mapped* (host_map(): the allow-list an IOMMU would hold): its MRd of
 * anything else gets a UR completion, its MWr of anything else is dropped
 * and counted (hs.mwr_refused), as the kernel's software IOMMU does.
 * Completions are split at a 64-byte RCB, each at most host_mps bytes.
 *
 * Interrupts: an MWr of one DW to the MSI window (HOST_MSI .. + 4 KiB) is a
 * message interrupt: recorded by data value (hs.msi[data & 0xff]), with an
 * optional hook that runs at the moment it arrives (ordering checks).
 * Assert_INTx / Deassert_INTx messages set hs.intx.
 *
 * The device's requests are also checked against the PCIe rules the
 * contract names (requester ID, MRRS, MPS, 4 KiB): violations are counted.
 */
#ifndef _PROBE_HOST_H
#define _PROBE_HOST_H

#include "eeprobe.h"

#define HOST_LOW		0x00100000ULL	/* 2 MiB below 4 GiB */
#define HOST_LOW_SIZE		(2ULL << 20)
#define HOST_HIGH		0x4000000000ULL	/* 8 MiB at 256 GiB */
#define HOST_HIGH_SIZE		(8ULL << 20)
#define HOST_MSI		0xfee00000ULL	/* MSI window, 4 KiB */

#define MAP_R			1
#define MAP_W			2
#define MAP_RW			3

struct host_stats {
	u64 mrd, mrd_bytes, mrd_ur;	/* device reads, refused ones */
	u64 mwr, mwr_bytes;		/* device writes into memory */
	u64 mwr_refused;		/* ... outside every mapping: dropped */
	u64 mwr_refused_bytes;
	u64 cpls;			/* completions sent */
	u64 msi_total;			/* message interrupts */
	u64 msi[256];			/* ... by data & 0xff */
	u64 intx_assert, intx_deassert;
	bool intx;			/* INTx asserted now */
	u64 bad_req_id;			/* requests with another requester */
	u64 too_long;			/* MRd > MRRS or MWr > MPS */
	u64 other;			/* other TLPs */
	u64 last_refused;		/* address of the last refused MWr */
};

extern struct host_stats hs;
extern unsigned int host_mps;		/* Max_Payload_Size for our CplDs */
extern unsigned int host_mrrs;		/* what the device may ask for */
extern bool host_blackhole;		/* do not answer device reads */
extern void (*host_msi_hook)(u32 data);

/* Allocate the areas (zeroed) and clear mappings and counters. */
void host_mem_init(void);
void host_mem_free(void);
/* Local pointer to bus [addr, addr + len) inside an area, or NULL. */
u8 *host_ptr(u64 addr, u64 len);
/* Add a mapping; remove all. */
void host_map(u64 addr, u64 len, unsigned int perm);
void host_unmap_all(void);

/* ---- playing the driver: config and MMIO over the connection -------- */

/* Read / write a config dword of the device: 0 or -1 (timeout, not SC). */
int cfg_rd(u16 reg, u32 *val);
int cfg_wr(u16 reg, u32 val);
/* Read @len bytes of device memory (one request, <= 4 KiB, in a page). */
int mmio_rd(u64 addr, void *buf, u32 len);
/* Posted write of @len bytes (<= 4 KiB, in a page). */
void mmio_wr(u64 addr, const void *buf, u32 len);
u32 rd32(u64 addr);		/* 0xffffffff on failure (counted) */
u64 rd64(u64 addr);		/* two 32-bit reads, low first */
void wr32(u64 addr, u32 v);
void wr64(u64 addr, u64 v);	/* two 32-bit writes, low first */
void wr16(u64 addr, u16 v);
u16 rd16(u64 addr);
u8 rd8(u64 addr);
void wr8(u64 addr, u8 v);
/* Wait until every frame we sent is acknowledged (posted writes landed). */
bool flush_writes(void);
/* Run the host for @ms milliseconds. */
void idle_ms(unsigned int ms);
/* Wait until hs.msi[data] >= @count: true, or false after @ms. */
bool wait_msi(u8 data, u64 count, unsigned int ms);
/* Wait until @cond(@arg) or @ms pass. */
bool wait_for(bool (*cond)(void *arg), void *arg, unsigned int ms);

/* Little-endian access to host memory. */
static inline u32 get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline u16 get_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static inline u64 get_le64(const u8 *p)
{
	return get_le32(p) | (u64)get_le32(p + 4) << 32;
}

static inline void put_le16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static inline void put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static inline void put_le64(u8 *p, u64 v)
{
	put_le32(p, (u32)v);
	put_le32(p + 4, (u32)(v >> 32));
}

/* ---- results ---------------------------------------------------------- */

extern unsigned int checks_failed, checks_passed, mmio_failures;

/* Print "ok - DESC" or "not ok - DESC: why"; returns @ok. */
bool check(bool ok, const char *desc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define CHECK(cond, desc, ...)	check(!!(cond), desc, " " __VA_ARGS__)
/* The exit status of a scenario: 0 all passed, 1 otherwise. */
int scn_status(void);

/* A deterministic byte stream for test data. */
void fill_random(u8 *p, size_t n, u32 seed);
/* CRC32C (Castagnoli), bit by bit: independent of eebox's table. */
u32 crc32c_bitwise(const u8 *p, size_t n);

#endif /* _PROBE_HOST_H */
