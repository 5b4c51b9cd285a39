/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: device-initiated DMA, the engine every device model uses.
 *
 * Design
 * ======
 *
 * eebox is one thread around one poll().  A model never issues DMA while
 * a host TLP is being served: its register handlers (->bar_read,
 * ->bar_write, ->cfg_written) only change state and, when there is
 * something to do (a doorbell, a command register), call dev_kick().  The
 * box loop then runs the model's ->work() (or ->poll_ready() for its own
 * file descriptor) at top level, one device at a time, never nested.
 *
 * ->work() may call the blocking functions below.  While a read waits for
 * its completions, it runs *nested* turns of the box loop (box_wait()):
 * frames from every host are received and served exactly as at top level,
 * in arrival order (a host polling a status register or ringing a doorbell
 * while the device does DMA is answered at once: config and MMIO are never
 * deferred behind DMA), completions to our reads are matched by tag, link
 * timers (retransmission, acks, pacing) and DIFs run.  What a nested turn
 * does not do: run ->work() or ->poll_ready() (a doorbell rung meanwhile
 * only leaves work pending for the next top-level turn).
 *
 * Every wait is bounded: by the completion timeout (--dma-timeout, default
 * 1000 ms, per request from its issue), by the replacement of the owning
 * host's connection by a new one (a host restart), and by SIGINT/SIGTERM.
 * A host declared dead is waited for until the timeout: its next DIF may
 * resume the connection (a stall), and then nothing was lost.  A dead
 * host never hangs eebox.
 *
 * Where requests go.  A device has one owning host: the one whose
 * connection carried its latest Type 0 configuration write (dev->owner).
 * Everything the device originates (MRd, MWr, MSI/MSI-X writes, INTx
 * messages) goes to that host, on its one ordered connection, in the same
 * outgoing batch as the completions eebox returns to it (host_tx_tlp()).
 * So the PCIe producer/consumer order holds end to end: data MWr before the
 * queue-entry MWr before the MSI-X MWr, and a completion of a host's read
 * of a device register never overtakes writes the device made before it.
 *
 * Reads (MRd): requester ID dev->bdf, 8-bit tags, at most DMA_MAX_INFLIGHT
 * per device at a time, each request at most Max_Read_Request_Size (Device
 * Control) bytes and never crossing a 4 KiB boundary; 3 DW header below
 * 4 GiB, 4 DW above.  Completions are put back together by tag with
 * ee_cpl_locate() (Byte Count, Lower Address): they must arrive in address
 * order, from the owning host.  UR or CA fails the read (DMA_ERR_UR /
 * DMA_ERR_CA: the address is outside what the driver mapped), and the
 * model reports it the device's way and goes on serving.
 *
 * Writes (MWr): posted, each at most Max_Payload_Size (Device Control,
 * bounded by Device Capabilities and the frame), never crossing 4 KiB.  A
 * write waits for nothing but room: when more than DMA_TX_BACKLOG payloads
 * wait for the connection's window, it runs nested turns until they drain
 * (flow control; bounded like a read).
 *
 * Bus Master Enable (Command bit 2) must be set: otherwise nothing is sent
 * and the call fails with DMA_ERR_BME.
 *
 * Tags.  A request that timed out leaves its tag quarantined: not reused
 * until its last completion arrives or DMA_QUARANTINE_NS passes, so a late
 * completion is never taken for a newer request.  Late, unexpected and
 * malformed completions are counted and dropped; no completion is lost
 * (every one reaches dma_cpl()).
 */
#ifndef _EEBOX_DMA_H
#define _EEBOX_DMA_H

#include "ee_codec.h"

struct eebox_dev;
struct box_host;

/* Errors, returned negated. */
#define DMA_ERR_UR	1	/* completion status UR: not mapped by the host */
#define DMA_ERR_CA	2	/* completion status CA */
#define DMA_ERR_TIMEOUT	3	/* no (complete) answer in time */
#define DMA_ERR_BME	4	/* Bus Master Enable is clear */
#define DMA_ERR_NOHOST	5	/* no owning host or its connection is not open */
#define DMA_ERR_ABORT	6	/* the host's connection changed, or eebox stops */
#define DMA_ERR_BAD	7	/* malformed or inconsistent completion */
#define DMA_ERR__MAX	8

#define DMA_MAX_INFLIGHT	64	/* MRd outstanding per device */
#define DMA_REFILL		16	/* MRds issued together at least */
#define DMA_TX_BACKLOG		64	/* payloads waiting before writes wait */
#define DMA_QUARANTINE_NS	10000000000ULL	/* 10 s */
#define DMA_TIMEOUT_DEFAULT_MS	1000

/* One piece of a scattered transfer. */
struct dma_sg {
	u64 addr;		/* bus address (an IOVA the host handed out) */
	void *buf;		/* local memory */
	u32 len;
};

struct dma_stats {
	u64 reads;		/* dma_read*() calls */
	u64 read_bytes;		/* ... bytes that arrived */
	u64 writes;		/* dma_write*() calls */
	u64 write_bytes;	/* ... bytes sent */
	u64 mrd_tlps;
	u64 mwr_tlps;
	u64 cpls;		/* completions matched to a request */
	u64 err[DMA_ERR__MAX];	/* failed calls, by DMA_ERR_* */
	u64 cpl_late;		/* completions of a timed-out request */
	u64 cpl_unexpected;	/* completions nobody waits for */
	u64 cpl_bad;		/* malformed or inconsistent completions */
	u64 waits;		/* nested waits */
	u64 wait_ns;		/* ... total time in them */
	u64 backlog_waits;	/* writes that waited for the connection */
};

/* Per tag. */
struct dma_tag {
	u8 state;		/* DMA_TAG_* (dma.c) */
	u8 err;			/* DMA_ERR_* of the request, 0 while fine */
	u64 addr;		/* the request: bus address and length */
	u32 len;
	u32 got;		/* bytes arrived, in address order */
	u8 *buf;
	u64 issued;		/* ns; quarantined: when it may be reused */
	struct box_host *host;	/* where it went */
	bool quarantine;	/* failed with completions still to come */
};

struct dma_state {
	struct dma_tag tags[256];
	u8 next_tag;
	unsigned int inflight;	/* tags BUSY or DONE */
	u64 done;		/* requests finished (wakes the waiter) */
	u64 timeout_ns;
	bool ignore_bme;	/* testdev's rogue command only */
	struct dma_stats st;
};

/* Set up dev->dma (timeout from --dma-timeout). */
void dma_init(struct eebox_dev *dev, u64 timeout_ns);

/*
 * Read @len bytes at bus address @addr into @buf, or every piece of @sg.
 * All requests of a call are in flight together (up to DMA_MAX_INFLIGHT),
 * issued DMA_REFILL or more at a time so that they share frames.
 * 0 or -DMA_ERR_*; on error @buf holds what arrived, undefined elsewhere.
 * Top-level work only (runs nested box turns).
 */
int dma_read(struct eebox_dev *dev, u64 addr, void *buf, u32 len);
int dma_readv(struct eebox_dev *dev, const struct dma_sg *sg,
	      unsigned int n);

/* Write @len bytes from @buf to bus address @addr (posted).  0 or -err. */
int dma_write(struct eebox_dev *dev, u64 addr, const void *buf, u32 len);
int dma_writev(struct eebox_dev *dev, const struct dma_sg *sg,
	       unsigned int n);

/* Little-endian helpers: one naturally aligned value. */
int dma_read_le16(struct eebox_dev *dev, u64 addr, u16 *v);
int dma_read_le32(struct eebox_dev *dev, u64 addr, u32 *v);
int dma_write_le16(struct eebox_dev *dev, u64 addr, u16 v);
int dma_write_le32(struct eebox_dev *dev, u64 addr, u32 v);

/*
 * Send one device-originated TLP (@t->req_id is set to dev->bdf) to the
 * owning host without waiting: used for MSI/MSI-X writes and INTx
 * messages (irq.c), also from register handlers.  Checks neither Bus
 * Master Enable nor flow control (the caller does what applies).
 * 0 or -DMA_ERR_NOHOST.
 */
int dma_post(struct eebox_dev *dev, struct ee_tlp *t);

/* A completion from @host for @dev (serve.c): matched, or counted. */
void dma_cpl(struct eebox_dev *dev, struct box_host *host,
	     const struct ee_tlp *t);

/* Max_Payload_Size and Max_Read_Request_Size in force, in bytes. */
unsigned int dma_mps(const struct eebox_dev *dev);
unsigned int dma_mrrs(const struct eebox_dev *dev);

const char *dma_err_str(int err);
/* Exit summary line(s) and --state-dir keys of the counters. */
void dma_print_stats(const struct eebox_dev *dev, FILE *f,
		     const char *prefix);
void dma_write_stats(const struct eebox_dev *dev, FILE *f);

#endif /* _EEBOX_DMA_H */
