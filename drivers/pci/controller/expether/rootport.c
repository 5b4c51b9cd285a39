// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated PCIe Root Port configuration space (see rootport.h).
 *
 * Registers are kept as bytes with per-bit read-write and write-1-to-clear
 * masks; the few bits with behaviour (Presence Detect State, DLL Link
 * Active, the hot-plug interrupt condition) are recomputed after each
 * write.  What portdrv and pciehp need from a port is in
 * drivers/pci/pcie/portdrv_core.c and drivers/pci/hotplug/pciehp_hpc.c.
 */
#include <linux/kernel.h>
#include <linux/pci_ids.h>
#include <linux/pci_regs.h>
#include <linux/expether.h>

#include "cfgmask.h"
#include "rootport.h"

#define RP_EXP(reg)	(EE_RP_PCIE_CAP + (reg))
#define RP_MSI(reg)	(EE_RP_MSI_CAP + (reg))

/* Slot Status events that can interrupt, and their Slot Control enables. */
#define RP_SLTSTA_EVENTS (PCI_EXP_SLTSTA_ABP | PCI_EXP_SLTSTA_PFD | \
			  PCI_EXP_SLTSTA_MRLSC | PCI_EXP_SLTSTA_PDC | \
			  PCI_EXP_SLTSTA_CC | PCI_EXP_SLTSTA_DLLSC)

/* Set a register's reset value and its masks. */
static void rp_reg(struct ee_rootport *rp, unsigned int where,
		   unsigned int size, u32 val, u32 rw, u32 w1c)
{
	ee_cfg_put_le(&rp->cfg[where], size, val);
	ee_cfg_put_le(&rp->wmask[where], size, rw);
	ee_cfg_put_le(&rp->w1c[where], size, w1c);
}

static u16 rp_get16(struct ee_rootport *rp, unsigned int where)
{
	return ee_cfg_get_le(&rp->cfg[where], 2);
}

static void rp_update16(struct ee_rootport *rp, unsigned int where,
			u16 clear, u16 set)
{
	ee_cfg_put_le(&rp->cfg[where], 2, (rp_get16(rp, where) & ~clear) | set);
}

static void rp_init_header(struct ee_rootport *rp, bool multifunction,
			   u8 secondary_bus)
{
	u8 htype = PCI_HEADER_TYPE_BRIDGE | (multifunction ? 0x80 : 0);

	rp_reg(rp, PCI_VENDOR_ID, 2, EXPETHER_PCI_VENDOR_ID, 0, 0);
	rp_reg(rp, PCI_DEVICE_ID, 2, EXPETHER_PCI_DEV_ROOT_PORT, 0, 0);
	rp_reg(rp, PCI_COMMAND, 2, 0,
	       PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
	       PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
	       PCI_COMMAND_INTX_DISABLE, 0);
	rp_reg(rp, PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0,
	       PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
	       PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |
	       PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY);
	rp_reg(rp, PCI_CLASS_REVISION, 4, PCI_CLASS_BRIDGE_PCI << 16 | 0x01,
	       0, 0);
	rp_reg(rp, PCI_CACHE_LINE_SIZE, 1, 0, 0xff, 0);
	rp_reg(rp, PCI_HEADER_TYPE, 1, htype, 0, 0);
	/* Bus numbers: primary, secondary, subordinate. */
	rp_reg(rp, PCI_PRIMARY_BUS, 1, 0, 0xff, 0);
	rp_reg(rp, PCI_SECONDARY_BUS, 1, secondary_bus, 0xff, 0);
	rp_reg(rp, PCI_SUBORDINATE_BUS, 1, secondary_bus, 0xff, 0);
	/* No I/O window: I/O base/limit read as zero. */
	rp_reg(rp, PCI_SEC_STATUS, 2, 0, 0,
	       PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
	       PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |
	       PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY);
	rp_reg(rp, PCI_MEMORY_BASE, 2, 0, PCI_MEMORY_RANGE_MASK & 0xffff, 0);
	rp_reg(rp, PCI_MEMORY_LIMIT, 2, 0, PCI_MEMORY_RANGE_MASK & 0xffff, 0);
	rp_reg(rp, PCI_PREF_MEMORY_BASE, 2, PCI_PREF_RANGE_TYPE_64,
	       PCI_PREF_RANGE_MASK & 0xffff, 0);
	rp_reg(rp, PCI_PREF_MEMORY_LIMIT, 2, PCI_PREF_RANGE_TYPE_64,
	       PCI_PREF_RANGE_MASK & 0xffff, 0);
	rp_reg(rp, PCI_PREF_BASE_UPPER32, 4, 0, 0xffffffff, 0);
	rp_reg(rp, PCI_PREF_LIMIT_UPPER32, 4, 0, 0xffffffff, 0);
	rp_reg(rp, PCI_CAPABILITY_LIST, 1, EE_RP_PCIE_CAP, 0, 0);
	rp_reg(rp, PCI_INTERRUPT_LINE, 1, 0, 0xff, 0);
	rp_reg(rp, PCI_BRIDGE_CONTROL, 2, 0,
	       PCI_BRIDGE_CTL_PARITY | PCI_BRIDGE_CTL_SERR |
	       PCI_BRIDGE_CTL_ISA | PCI_BRIDGE_CTL_VGA |
	       PCI_BRIDGE_CTL_MASTER_ABORT | PCI_BRIDGE_CTL_BUS_RESET, 0);
}

static void rp_init_pcie(struct ee_rootport *rp)
{
	u32 port = (rp->index + 1) & 0xff;
	u32 psn = (rp->index + 1) & 0x1fff;

	rp_reg(rp, RP_EXP(0), 1, PCI_CAP_ID_EXP, 0, 0);
	rp_reg(rp, RP_EXP(1), 1, EE_RP_MSI_CAP, 0, 0);
	rp_reg(rp, RP_EXP(PCI_EXP_FLAGS), 2,
	       2 | PCI_EXP_TYPE_ROOT_PORT << 4 | PCI_EXP_FLAGS_SLOT, 0, 0);
	/* 256-byte max payload, role-based error reporting. */
	rp_reg(rp, RP_EXP(PCI_EXP_DEVCAP), 4, 1 | PCI_EXP_DEVCAP_RBER, 0, 0);
	/* As firmware leaves it: the largest payload the port supports,
	 * which Linux gives the devices it hot-adds below (or lowers to
	 * theirs).  Fewer, larger TLPs per frame for the link.
	 */
	rp_reg(rp, RP_EXP(PCI_EXP_DEVCTL), 2,
	       PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_NOSNOOP_EN |
	       PCI_EXP_DEVCTL_PAYLOAD_256B | PCI_EXP_DEVCTL_READRQ_512B,
	       0x7fff, 0);
	rp_reg(rp, RP_EXP(PCI_EXP_DEVSTA), 2, 0, 0,
	       PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED | PCI_EXP_DEVSTA_FED |
	       PCI_EXP_DEVSTA_URD);
	/* x1 at 2.5 GT/s, DLL Link Active reporting, port number. */
	rp_reg(rp, RP_EXP(PCI_EXP_LNKCAP), 4,
	       PCI_EXP_LNKCAP_SLS_2_5GB | 1 << 4 | PCI_EXP_LNKCAP_DLLLARC |
	       port << 24, 0, 0);
	rp_reg(rp, RP_EXP(PCI_EXP_LNKCTL), 2, 0,
	       PCI_EXP_LNKCTL_ASPMC | PCI_EXP_LNKCTL_RCB | PCI_EXP_LNKCTL_LD |
	       PCI_EXP_LNKCTL_CCC | PCI_EXP_LNKCTL_ES |
	       PCI_EXP_LNKCTL_CLKREQ_EN | PCI_EXP_LNKCTL_HAWD |
	       PCI_EXP_LNKCTL_LBMIE | PCI_EXP_LNKCTL_LABIE, 0);
	rp_reg(rp, RP_EXP(PCI_EXP_LNKSTA), 2,
	       PCI_EXP_LNKSTA_CLS_2_5GB | 1 << PCI_EXP_LNKSTA_NLW_SHIFT |
	       PCI_EXP_LNKSTA_SLC, 0,
	       PCI_EXP_LNKSTA_LBMS | PCI_EXP_LNKSTA_LABS);
	/*
	 * Hot-plug surprise and capable, no command completed support
	 * (pciehp would otherwise wait for completions we never signal).
	 */
	rp_reg(rp, RP_EXP(PCI_EXP_SLTCAP), 4,
	       PCI_EXP_SLTCAP_HPS | PCI_EXP_SLTCAP_HPC | PCI_EXP_SLTCAP_NCCS |
	       psn << 19, 0, 0);
	rp_reg(rp, RP_EXP(PCI_EXP_SLTCTL), 2, 0,
	       PCI_EXP_SLTCTL_ABPE | PCI_EXP_SLTCTL_PFDE |
	       PCI_EXP_SLTCTL_MRLSCE | PCI_EXP_SLTCTL_PDCE |
	       PCI_EXP_SLTCTL_CCIE | PCI_EXP_SLTCTL_HPIE |
	       PCI_EXP_SLTCTL_AIC | PCI_EXP_SLTCTL_PIC |
	       PCI_EXP_SLTCTL_PCC | PCI_EXP_SLTCTL_EIC |
	       PCI_EXP_SLTCTL_DLLSCE, 0);
	rp_reg(rp, RP_EXP(PCI_EXP_SLTSTA), 2, 0, 0, RP_SLTSTA_EVENTS);
	rp_reg(rp, RP_EXP(PCI_EXP_RTCTL), 2, 0,
	       PCI_EXP_RTCTL_SECEE | PCI_EXP_RTCTL_SENFEE |
	       PCI_EXP_RTCTL_SEFEE | PCI_EXP_RTCTL_PMEIE, 0);
	rp_reg(rp, RP_EXP(PCI_EXP_RTSTA), 4, 0, 0, PCI_EXP_RTSTA_PME);
	rp_reg(rp, RP_EXP(PCI_EXP_DEVCTL2), 2, 0,
	       PCI_EXP_DEVCTL2_COMP_TIMEOUT | PCI_EXP_DEVCTL2_COMP_TMOUT_DIS,
	       0);
	rp_reg(rp, RP_EXP(PCI_EXP_LNKCAP2), 4, PCI_EXP_LNKCAP2_SLS_2_5GB, 0, 0);
	rp_reg(rp, RP_EXP(PCI_EXP_LNKCTL2), 2, PCI_EXP_LNKCTL2_TLS_2_5GT,
	       PCI_EXP_LNKCTL2_TLS, 0);
}

static void rp_init_msi(struct ee_rootport *rp)
{
	rp_reg(rp, RP_MSI(0), 1, PCI_CAP_ID_MSI, 0, 0);
	rp_reg(rp, RP_MSI(PCI_MSI_FLAGS), 2, PCI_MSI_FLAGS_64BIT,
	       PCI_MSI_FLAGS_ENABLE, 0);
	rp_reg(rp, RP_MSI(PCI_MSI_ADDRESS_LO), 4, 0, 0xfffffffc, 0);
	rp_reg(rp, RP_MSI(PCI_MSI_ADDRESS_HI), 4, 0, 0xffffffff, 0);
	rp_reg(rp, RP_MSI(PCI_MSI_DATA_64), 2, 0, 0xffff, 0);
}

void ee_rp_init(struct ee_rootport *rp, unsigned int index,
		bool multifunction, u8 secondary_bus, ee_rp_irq_fn irq,
		void *priv)
{
	memset(rp, 0, sizeof(*rp));
	raw_spin_lock_init(&rp->lock);
	rp->index = index;
	rp->irq = irq;
	rp->priv = priv;
	rp_init_header(rp, multifunction, secondary_bus);
	rp_init_pcie(rp);
	rp_init_msi(rp);
}

static bool rp_link_active_locked(struct ee_rootport *rp)
{
	return rp->present &&
	       !(rp_get16(rp, RP_EXP(PCI_EXP_LNKCTL)) & PCI_EXP_LNKCTL_LD);
}

/*
 * Bring Link Status in line with presence and Link Disable, latching DLL
 * State Changed on a transition, and evaluate the interrupt condition.
 * Returns true when the condition was newly asserted.
 */
static bool rp_update_locked(struct ee_rootport *rp)
{
	u16 lnksta = rp_get16(rp, RP_EXP(PCI_EXP_LNKSTA));
	bool was = lnksta & PCI_EXP_LNKSTA_DLLLA;
	bool now = rp_link_active_locked(rp);
	u16 ctl, sta, enabled;
	bool asserted, edge;

	if (was != now) {
		rp_update16(rp, RP_EXP(PCI_EXP_LNKSTA), PCI_EXP_LNKSTA_DLLLA,
			    now ? PCI_EXP_LNKSTA_DLLLA : 0);
		rp_update16(rp, RP_EXP(PCI_EXP_SLTSTA), 0,
			    PCI_EXP_SLTSTA_DLLSC);
	}

	ctl = rp_get16(rp, RP_EXP(PCI_EXP_SLTCTL));
	sta = rp_get16(rp, RP_EXP(PCI_EXP_SLTSTA));
	enabled = ctl & (PCI_EXP_SLTCTL_ABPE | PCI_EXP_SLTCTL_PFDE |
			 PCI_EXP_SLTCTL_MRLSCE | PCI_EXP_SLTCTL_PDCE |
			 PCI_EXP_SLTCTL_CCIE);
	if (ctl & PCI_EXP_SLTCTL_DLLSCE)
		enabled |= PCI_EXP_SLTSTA_DLLSC;
	asserted = (ctl & PCI_EXP_SLTCTL_HPIE) && (sta & enabled);
	edge = asserted && !rp->irq_asserted;
	rp->irq_asserted = asserted;
	return edge;
}

u32 ee_rp_read(struct ee_rootport *rp, unsigned int where, unsigned int size)
{
	unsigned long flags;
	u32 val;

	if (where >= EE_RP_CFG_SIZE || where + size > EE_RP_CFG_SIZE)
		return 0;
	raw_spin_lock_irqsave(&rp->lock, flags);
	val = ee_cfg_get_le(&rp->cfg[where], size);
	raw_spin_unlock_irqrestore(&rp->lock, flags);
	return val;
}

void ee_rp_write(struct ee_rootport *rp, unsigned int where,
		 unsigned int size, u32 val)
{
	unsigned long flags;
	unsigned int i;
	bool edge;

	if (where >= EE_RP_CFG_SIZE || where + size > EE_RP_CFG_SIZE)
		return;
	raw_spin_lock_irqsave(&rp->lock, flags);
	for (i = where; i < where + size; i++, val >>= 8)
		rp->cfg[i] = ee_cfg_write_byte(rp->cfg[i], val & 0xff,
					       rp->wmask[i], rp->w1c[i]);
	edge = rp_update_locked(rp);
	raw_spin_unlock_irqrestore(&rp->lock, flags);
	if (edge && rp->irq)
		rp->irq(rp);
}

void ee_rp_set_present(struct ee_rootport *rp, bool present)
{
	unsigned long flags;
	bool edge = false;

	raw_spin_lock_irqsave(&rp->lock, flags);
	if (rp->present != present) {
		rp->present = present;
		rp_update16(rp, RP_EXP(PCI_EXP_SLTSTA), PCI_EXP_SLTSTA_PDS,
			    PCI_EXP_SLTSTA_PDC |
			    (present ? PCI_EXP_SLTSTA_PDS : 0));
		edge = rp_update_locked(rp);
	}
	raw_spin_unlock_irqrestore(&rp->lock, flags);
	if (edge && rp->irq)
		rp->irq(rp);
}

void ee_rp_bus_range(struct ee_rootport *rp, u8 *secondary, u8 *subordinate)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&rp->lock, flags);
	*secondary = rp->cfg[PCI_SECONDARY_BUS];
	*subordinate = rp->cfg[PCI_SUBORDINATE_BUS];
	raw_spin_unlock_irqrestore(&rp->lock, flags);
}

bool ee_rp_link_active(struct ee_rootport *rp)
{
	unsigned long flags;
	bool active;

	raw_spin_lock_irqsave(&rp->lock, flags);
	active = rp_link_active_locked(rp);
	raw_spin_unlock_irqrestore(&rp->lock, flags);
	return active;
}

bool ee_rp_msi_msg(struct ee_rootport *rp, u64 *addr, u32 *data)
{
	unsigned long flags;
	bool enabled;

	raw_spin_lock_irqsave(&rp->lock, flags);
	enabled = rp_get16(rp, RP_MSI(PCI_MSI_FLAGS)) & PCI_MSI_FLAGS_ENABLE;
	*addr = (u64)ee_cfg_get_le(&rp->cfg[RP_MSI(PCI_MSI_ADDRESS_HI)], 4) << 32 |
		ee_cfg_get_le(&rp->cfg[RP_MSI(PCI_MSI_ADDRESS_LO)], 4);
	*data = rp_get16(rp, RP_MSI(PCI_MSI_DATA_64));
	raw_spin_unlock_irqrestore(&rp->lock, flags);
	return enabled;
}

/* A Type 1 memory window [*base, *limit]; false when disabled. */
static bool rp_window_locked(struct ee_rootport *rp, bool pref, u64 *base,
			     u64 *limit)
{
	unsigned int b = pref ? PCI_PREF_MEMORY_BASE : PCI_MEMORY_BASE;
	unsigned int l = pref ? PCI_PREF_MEMORY_LIMIT : PCI_MEMORY_LIMIT;

	*base = (u64)(rp_get16(rp, b) & 0xfff0) << 16;
	*limit = (u64)(rp_get16(rp, l) & 0xfff0) << 16 | 0xfffff;
	if (pref) {
		*base |= (u64)ee_cfg_get_le(&rp->cfg[PCI_PREF_BASE_UPPER32],
					    4) << 32;
		*limit |= (u64)ee_cfg_get_le(&rp->cfg[PCI_PREF_LIMIT_UPPER32],
					     4) << 32;
	}
	return *base <= *limit;
}

bool ee_rp_claims_mem(struct ee_rootport *rp, u64 bus_addr, u32 len)
{
	u64 last = bus_addr + len - 1, base, limit;
	unsigned long flags;
	bool claims = false;
	int pref;

	raw_spin_lock_irqsave(&rp->lock, flags);
	if (rp_get16(rp, PCI_COMMAND) & PCI_COMMAND_MEMORY) {
		for (pref = 0; pref < 2 && !claims; pref++)
			claims = rp_window_locked(rp, pref, &base, &limit) &&
				 bus_addr >= base && last <= limit &&
				 last >= bus_addr;
	}
	raw_spin_unlock_irqrestore(&rp->lock, flags);
	return claims;
}

bool ee_rp_bus_master(struct ee_rootport *rp)
{
	return ee_rp_read(rp, PCI_COMMAND, 2) & PCI_COMMAND_MASTER;
}

unsigned int ee_rp_mps(struct ee_rootport *rp)
{
	u16 ctl = ee_rp_read(rp, RP_EXP(PCI_EXP_DEVCTL), 2);

	return 128U << ((ctl & PCI_EXP_DEVCTL_PAYLOAD) >> 5);
}
