/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: interrupts of a device model: MSI-X, MSI and INTx, one engine
 * for every model.
 *
 * Setup (->realize): a model adds the capabilities it offers with
 * irq_add_msix() (table and PBA in a BAR it routes to irq_bar_rw()),
 * irq_add_msi() and irq_add_intx() (Interrupt Pin).  The engine owns the
 * MSI-X table and PBA; serve.c tells it of every configuration write
 * (irq_cfg_written()), so Command, MSI-X and MSI control changes take
 * effect at once.
 *
 * Raising:
 *  - irq_notify(dev, vector): a message interrupt.  MSI-X enabled: if the
 *    function or the vector is masked the vector's PBA bit is set and the
 *    interrupt is delivered when both are unmasked (table write, MSI-X
 *    control write); else one MWr of the entry's Message Data (one DW) to
 *    its Message Address.  MSI enabled: the same with the MSI capability
 *    (vector folded to the enabled count, Mask/Pending bits if per-vector
 *    masking is offered).  Neither: nothing (INTx is a level, below).
 *  - irq_intx(dev, level): the device's INTx condition.  Status.Interrupt
 *    Status follows it; an Assert_INTx / Deassert_INTx message (routing
 *    local, code by Interrupt Pin) is sent whenever the *effective* level
 *    changes: condition && !Command.Interrupt Disable && MSI and MSI-X
 *    disabled.  Turning Interrupt Disable or MSI(-X) on deasserts a pending
 *    assertion, turning them off asserts again if the condition holds.
 *
 * Every interrupt goes to the owning host through dma_post(), in order
 * after the device's earlier writes.  MSI and MSI-X writes need Bus
 * Master Enable: without it the interrupt is not sent (counted as
 * blocked).  A Message Address of 0 or not DW aligned is not written to
 * (counted as bad).
 */
#ifndef _EEBOX_IRQ_H
#define _EEBOX_IRQ_H

#include "ee_types.h"

struct eebox_dev;

#define IRQ_MSIX_ENTRY		16
#define IRQ_MSIX_MAX		2048

enum irq_mode {
	IRQ_MODE_NONE,		/* no message interrupt enabled, INTx off */
	IRQ_MODE_INTX,		/* INTx allowed (no MSI/MSI-X, not disabled) */
	IRQ_MODE_MSI,
	IRQ_MODE_MSIX,
};

struct irq_stats {
	u64 msix_sent;		/* MSI-X MWr sent */
	u64 msix_pended;	/* raised while masked: PBA bit set */
	u64 msix_unpended;	/* delivered on unmask */
	u64 msi_sent;
	u64 msi_pended;
	u64 intx_assert;	/* Assert_INTx messages */
	u64 intx_deassert;
	u64 blocked;		/* MSI/MSI-X not sent: Bus Master disabled */
	u64 bad_addr;		/* not sent: address 0 or unaligned */
	u64 dropped;		/* raised with no interrupt mode enabled */
};

struct irq_state {
	/* MSI-X: table and PBA in BARs, little-endian as the host sees them */
	unsigned int msix_cap;		/* config offset, 0 = none */
	unsigned int msix_nvec;
	unsigned int table_bar, pba_bar;
	u64 table_off, pba_off;
	u8 *table;			/* msix_nvec * 16 bytes */
	u8 *pba;			/* (msix_nvec + 63) / 64 * 8 bytes */
	/* MSI */
	unsigned int msi_cap;		/* 0 = none */
	unsigned int msi_nvec;		/* offered: 1, 2, 4 .. 32 */
	bool msi_64, msi_mask;
	/* INTx */
	u8 pin;				/* 1..4 = INTA..INTD, 0 = none */
	bool intx_cond;			/* the device's condition */
	bool intx_sent;			/* last message sent was Assert */
	u64 intx_conn;			/* ... on this connection */
	struct irq_stats st;
};

/*
 * Add an MSI-X capability of @nvec vectors (1..2048) with the table at
 * @table_off of BAR @table_bar and the PBA at @pba_off of BAR @pba_bar
 * (8-byte aligned, not overlapping).  Enable and Function Mask are
 * read-write; every vector comes out of reset masked.  Returns the
 * capability offset or -1 (does not fit, no memory).
 */
int irq_add_msix(struct eebox_dev *dev, unsigned int nvec,
		 unsigned int table_bar, u64 table_off,
		 unsigned int pba_bar, u64 pba_off);
/* MSI with @nvec (power of two, 1..32) vectors, 64-bit, with per-vector
 * masking when @maskable.  Capability offset or -1.
 */
int irq_add_msi(struct eebox_dev *dev, unsigned int nvec, bool maskable);
/* Interrupt Pin @pin (1..4): Interrupt Line read-write. */
void irq_add_intx(struct eebox_dev *dev, u8 pin);
/* Free what irq_add_msix() allocated (dev_destroy() does). */
void irq_release(struct eebox_dev *dev);

/*
 * A BAR access at [@off, @off + @len) of BAR @bar: if it starts inside the
 * MSI-X table or PBA, serve the part that lies there (reads fill @buf,
 * writes apply @buf; the PBA is read-only) and return how many bytes that
 * was (> 0); otherwise return -(bytes until the next MSI-X structure or
 * @len), for the model to serve.  Models loop until @len is used up.
 */
long irq_bar_rw(struct eebox_dev *dev, unsigned int bar, u64 off, u8 *buf,
		size_t len, bool write);

/* A configuration write to DW @reg was applied (serve.c). */
void irq_cfg_written(struct eebox_dev *dev, unsigned int reg);

void irq_notify(struct eebox_dev *dev, unsigned int vector);
/* MSI vectors the host enabled (Multiple Message Enable), 0 if off. */
unsigned int irq_msi_vectors(const struct eebox_dev *dev);
void irq_intx(struct eebox_dev *dev, bool level);
enum irq_mode irq_mode(const struct eebox_dev *dev);
/* Is MSI-X vector @vector pending (PBA bit)? */
bool irq_msix_pending(const struct eebox_dev *dev, unsigned int vector);

void irq_print_stats(const struct eebox_dev *dev, FILE *f,
		     const char *prefix);
void irq_write_stats(const struct eebox_dev *dev, FILE *f);

#endif /* _EEBOX_IRQ_H */
