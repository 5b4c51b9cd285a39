/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emulated PCIe Root Port: the Type 1 configuration space of one hot-plug
 * slot of the expether host bridge.  Pure register logic (no PCI core, no
 * network), so it is unit tested under UML.
 *
 * Layout: 0x40 PCI Express capability (Root Port, Slot Implemented,
 * hot-plug capable slot without power controller or indicators, no
 * command-completed support, DLL Link Active reporting), 0x80 MSI
 * capability (64-bit address, one vector, no per-vector masking).  No
 * extended capabilities, no I/O window, 64-bit prefetchable window.
 */
#ifndef _EXPETHER_ROOTPORT_H
#define _EXPETHER_ROOTPORT_H

#include <linux/spinlock.h>
#include <linux/types.h>

#define EE_RP_CFG_SIZE		256	/* beyond reads as zero */
#define EE_RP_PCIE_CAP		0x40
#define EE_RP_MSI_CAP		0x80

struct ee_rootport;

/*
 * Called, without the port's lock held, when the port's hot-plug interrupt
 * condition goes from deasserted to asserted (PCIe r5.0 sec 6.7.3.4): the
 * caller sends the MSI the port has been programmed with, if enabled.
 */
typedef void (*ee_rp_irq_fn)(struct ee_rootport *rp);

struct ee_rootport {
	raw_spinlock_t lock;		/* config space; any context */
	unsigned int index;		/* 0-based slot index */
	bool present;			/* an I/O bridge is attached */
	bool irq_asserted;		/* hot-plug interrupt condition */
	ee_rp_irq_fn irq;
	void *priv;
	u8 cfg[EE_RP_CFG_SIZE];
	u8 wmask[EE_RP_CFG_SIZE];	/* read-write bits */
	u8 w1c[EE_RP_CFG_SIZE];		/* write-1-to-clear bits */
};

/*
 * @index: slot index; the physical slot number and link port number are
 * index + 1.  @multifunction sets the header type's multi-function bit (for
 * function 0 of a device whose other functions are ports too).
 * @secondary_bus: preassigned secondary = subordinate bus, as firmware
 * would; 0 leaves bus numbering to the PCI core.
 */
void ee_rp_init(struct ee_rootport *rp, unsigned int index,
		bool multifunction, u8 secondary_bus, ee_rp_irq_fn irq,
		void *priv);

/* Config accessors: any context; @size is 1, 2 or 4 and @where aligned. */
u32 ee_rp_read(struct ee_rootport *rp, unsigned int where,
	       unsigned int size);
void ee_rp_write(struct ee_rootport *rp, unsigned int where,
		 unsigned int size, u32 val);

/*
 * An I/O bridge arrived in (@present) or left the slot: updates Presence
 * Detect State and Data Link Layer Link Active and latches Presence Detect
 * Changed and DLL State Changed, raising the interrupt if enabled.
 */
void ee_rp_set_present(struct ee_rootport *rp, bool present);

/* The bus range below the port, as currently programmed. */
void ee_rp_bus_range(struct ee_rootport *rp, u8 *secondary, u8 *subordinate);

/* Whether the port forwards to its link: attached and Link Disable clear. */
bool ee_rp_link_active(struct ee_rootport *rp);

/*
 * The MSI message software programmed into the port; false if MSI is not
 * enabled.
 */
bool ee_rp_msi_msg(struct ee_rootport *rp, u64 *addr, u32 *data);

/*
 * Whether the port forwards a memory request for [@bus_addr, @bus_addr +
 * @len) downstream: Memory Space Enable and the range inside its memory
 * or prefetchable window, as a PCI-to-PCI bridge decodes them.
 */
bool ee_rp_claims_mem(struct ee_rootport *rp, u64 bus_addr, u32 len);

/* Whether the port forwards requests of its devices upstream (Bus Master
 * Enable): DMA and MSI from below need it.
 */
bool ee_rp_bus_master(struct ee_rootport *rp);

/* The port's Max_Payload_Size in bytes (Device Control). */
unsigned int ee_rp_mps(struct ee_rootport *rp);

#endif /* _EXPETHER_ROOTPORT_H */
