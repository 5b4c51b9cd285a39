// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the emulated Root Port configuration space (rootport.c):
 * which bits software can write, which it clears by writing one, which
 * are read-only, the capability chain pciehp and portdrv walk, and when
 * the hot-plug interrupt is raised.
 */
#include <kunit/test.h>
#include <linux/pci_ids.h>
#include <linux/pci_regs.h>
#include <linux/expether.h>

#include "rootport.h"

#define EXP(reg)	(EE_RP_PCIE_CAP + (reg))
#define MSI(reg)	(EE_RP_MSI_CAP + (reg))

/* Slot Status bits that latch events (RW1C). */
#define SLTSTA_EVENTS	(PCI_EXP_SLTSTA_ABP | PCI_EXP_SLTSTA_PFD | \
			 PCI_EXP_SLTSTA_MRLSC | PCI_EXP_SLTSTA_PDC | \
			 PCI_EXP_SLTSTA_CC | PCI_EXP_SLTSTA_DLLSC)

/* Error bits of the (secondary) status register (RW1C). */
#define STATUS_ERRORS	(PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT | \
			 PCI_STATUS_REC_TARGET_ABORT | \
			 PCI_STATUS_REC_MASTER_ABORT | \
			 PCI_STATUS_SIG_SYSTEM_ERROR | \
			 PCI_STATUS_DETECTED_PARITY)

struct rp_test {
	struct ee_rootport rp;
	unsigned int irqs;		/* callback invocations */
	bool irq_locked;		/* lock held during a callback */
	u16 irq_sltsta;			/* Slot Status seen by the callback */
	u16 irq_lnksta;			/* Link Status seen by the callback */
};

static void rp_test_irq(struct ee_rootport *rp)
{
	struct rp_test *t = rp->priv;

	t->irqs++;
	if (raw_spin_is_locked(&rp->lock))
		t->irq_locked = true;
	/* The registers are already up to date when the port interrupts. */
	t->irq_sltsta = ee_rp_read(rp, EXP(PCI_EXP_SLTSTA), 2);
	t->irq_lnksta = ee_rp_read(rp, EXP(PCI_EXP_LNKSTA), 2);
}

static int rp_test_init(struct kunit *test)
{
	struct rp_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	ee_rp_init(&t->rp, 0, false, 0, rp_test_irq, t);
	test->priv = t;
	return 0;
}

static void rp_test_exit(struct kunit *test)
{
	struct rp_test *t = test->priv;

	KUNIT_EXPECT_FALSE_MSG(test, t->irq_locked,
			       "interrupt callback ran with the port locked");
}

static struct ee_rootport *rp_of(struct kunit *test)
{
	return &((struct rp_test *)test->priv)->rp;
}

static unsigned int irqs_of(struct kunit *test)
{
	return ((struct rp_test *)test->priv)->irqs;
}

static u32 rd(struct kunit *test, unsigned int where, unsigned int size)
{
	return ee_rp_read(rp_of(test), where, size);
}

static void wr(struct kunit *test, unsigned int where, unsigned int size,
	       u32 val)
{
	ee_rp_write(rp_of(test), where, size, val);
}

/* Set bits behind software's back, as the port's own logic would. */
static void poke16(struct kunit *test, unsigned int where, u16 set)
{
	struct ee_rootport *rp = rp_of(test);

	rp->cfg[where] |= set & 0xff;
	rp->cfg[where + 1] |= set >> 8;
}

/*
 * Write all-ones then all-zeroes to a register of @size bytes and check
 * what reads back: @ones after the first, @zeroes after the second.
 */
static void check_rw(struct kunit *test, unsigned int where,
		     unsigned int size, u32 ones, u32 zeroes)
{
	u32 all = size == 4 ? 0xffffffff : (1u << (8 * size)) - 1;

	wr(test, where, size, all);
	KUNIT_EXPECT_EQ_MSG(test, rd(test, where, size), ones,
			    "after writing ones at %#x", where);
	wr(test, where, size, 0);
	KUNIT_EXPECT_EQ_MSG(test, rd(test, where, size), zeroes,
			    "after writing zeroes at %#x", where);
}

/* A read-only register keeps @val whatever is written to it. */
static void check_ro(struct kunit *test, unsigned int where,
		     unsigned int size, u32 val)
{
	KUNIT_EXPECT_EQ_MSG(test, rd(test, where, size), val,
			    "reset value at %#x", where);
	check_rw(test, where, size, val, val);
}

static void rp_test_identity(struct kunit *test)
{
	check_ro(test, PCI_VENDOR_ID, 2, EXPETHER_PCI_VENDOR_ID);
	check_ro(test, PCI_DEVICE_ID, 2, EXPETHER_PCI_DEV_ROOT_PORT);
	/* PCI-to-PCI bridge, revision 1. */
	check_ro(test, PCI_CLASS_REVISION, 4, PCI_CLASS_BRIDGE_PCI << 16 | 1);
	check_ro(test, PCI_CLASS_DEVICE, 2, PCI_CLASS_BRIDGE_PCI);
	check_ro(test, PCI_CLASS_PROG, 1, 0);
	check_ro(test, PCI_HEADER_TYPE, 1, PCI_HEADER_TYPE_BRIDGE);
	/* Dword access covers the same bytes. */
	KUNIT_EXPECT_EQ(test, rd(test, PCI_VENDOR_ID, 4),
			EXPETHER_PCI_DEV_ROOT_PORT << 16 |
			EXPETHER_PCI_VENDOR_ID);
	wr(test, PCI_VENDOR_ID, 4, 0);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_VENDOR_ID, 4),
			EXPETHER_PCI_DEV_ROOT_PORT << 16 |
			EXPETHER_PCI_VENDOR_ID);
	/* No BARs, no expansion ROM, no BIST: sizing finds nothing. */
	check_ro(test, PCI_BASE_ADDRESS_0, 4, 0);
	check_ro(test, PCI_BASE_ADDRESS_1, 4, 0);
	check_ro(test, PCI_ROM_ADDRESS1, 4, 0);
	check_ro(test, PCI_BIST, 1, 0);
	/* Cache line size and interrupt line are plain scratch registers. */
	check_rw(test, PCI_CACHE_LINE_SIZE, 1, 0xff, 0);
	check_rw(test, PCI_INTERRUPT_LINE, 1, 0xff, 0);
	/* No INTx: MSI only. */
	check_ro(test, PCI_INTERRUPT_PIN, 1, 0);
}

static void rp_test_multifunction(struct kunit *test)
{
	struct ee_rootport *rp = rp_of(test);

	ee_rp_init(rp, 3, true, 0, rp_test_irq, test->priv);
	check_ro(test, PCI_HEADER_TYPE, 1, 0x80 | PCI_HEADER_TYPE_BRIDGE);
}

static void rp_test_command(struct kunit *test)
{
	const u16 rw = PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
		       PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
		       PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE;

	KUNIT_EXPECT_EQ(test, rd(test, PCI_COMMAND, 2), 0);
	check_rw(test, PCI_COMMAND, 2, rw, 0);
	/* Byte writes reach each half. */
	wr(test, PCI_COMMAND, 1, 0xff);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_COMMAND, 2), rw & 0xff);
	wr(test, PCI_COMMAND + 1, 1, 0xff);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_COMMAND, 2), rw);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_COMMAND + 1, 1), rw >> 8);
	/* A dword write updates Command without touching Status. */
	wr(test, PCI_COMMAND, 4, 0xffff0000 | PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_COMMAND, 4),
			PCI_STATUS_CAP_LIST << 16 | PCI_COMMAND_MEMORY);
}

static void rp_test_status_w1c(struct kunit *test)
{
	static const unsigned int regs[] = { PCI_STATUS, PCI_SEC_STATUS };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		unsigned int reg = regs[i];
		u16 base = reg == PCI_STATUS ? PCI_STATUS_CAP_LIST : 0;

		/* Writing ones neither sets error bits nor clears RO bits. */
		check_ro(test, reg, 2, base);

		poke16(test, reg, STATUS_ERRORS);
		KUNIT_EXPECT_EQ(test, rd(test, reg, 2), base | STATUS_ERRORS);
		/* Zeroes leave them; a one clears just its bit. */
		wr(test, reg, 2, 0);
		KUNIT_EXPECT_EQ(test, rd(test, reg, 2), base | STATUS_ERRORS);
		wr(test, reg, 2, PCI_STATUS_REC_MASTER_ABORT);
		KUNIT_EXPECT_EQ(test, rd(test, reg, 2),
				base | (STATUS_ERRORS &
					~PCI_STATUS_REC_MASTER_ABORT));
		/* Read-modify-write of the whole register clears them all. */
		wr(test, reg, 2, rd(test, reg, 2));
		KUNIT_EXPECT_EQ(test, rd(test, reg, 2), base);
	}

	/* Writing Command back with Status as read does not clear it. */
	poke16(test, PCI_STATUS, PCI_STATUS_SIG_SYSTEM_ERROR);
	wr(test, PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_STATUS, 2),
			PCI_STATUS_CAP_LIST | PCI_STATUS_SIG_SYSTEM_ERROR);
}

static void rp_test_bus_numbers(struct kunit *test)
{
	struct ee_rootport *rp = rp_of(test);
	u8 sec, sub;

	/* Left to the PCI core. */
	KUNIT_EXPECT_EQ(test, rd(test, PCI_PRIMARY_BUS, 4), 0);
	ee_rp_bus_range(rp, &sec, &sub);
	KUNIT_EXPECT_EQ(test, sec, 0);
	KUNIT_EXPECT_EQ(test, sub, 0);

	/* Preassigned by "firmware". */
	ee_rp_init(rp, 1, false, 5, rp_test_irq, test->priv);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_PRIMARY_BUS, 1), 0);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_SECONDARY_BUS, 1), 5);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_SUBORDINATE_BUS, 1), 5);
	ee_rp_bus_range(rp, &sec, &sub);
	KUNIT_EXPECT_EQ(test, sec, 5);
	KUNIT_EXPECT_EQ(test, sub, 5);

	check_rw(test, PCI_PRIMARY_BUS, 1, 0xff, 0);
	check_rw(test, PCI_SECONDARY_BUS, 1, 0xff, 0);
	check_rw(test, PCI_SUBORDINATE_BUS, 1, 0xff, 0);

	/* As pci_scan_bridge() writes them: one dword. */
	wr(test, PCI_PRIMARY_BUS, 4, 0xff << 24 | 0x0a << 16 | 0x03 << 8 | 1);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_PRIMARY_BUS, 1), 1);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_SECONDARY_BUS, 1), 3);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_SUBORDINATE_BUS, 1), 0x0a);
	ee_rp_bus_range(rp, &sec, &sub);
	KUNIT_EXPECT_EQ(test, sec, 3);
	KUNIT_EXPECT_EQ(test, sub, 0x0a);
}

static void rp_test_windows(struct kunit *test)
{
	/* No I/O window: base and limit hardwired to zero. */
	check_ro(test, PCI_IO_BASE, 1, 0);
	check_ro(test, PCI_IO_LIMIT, 1, 0);
	check_ro(test, PCI_IO_BASE_UPPER16, 4, 0);

	/* Memory window: address bits 31:20 writable, type bits zero. */
	check_rw(test, PCI_MEMORY_BASE, 2, 0xfff0, 0);
	check_rw(test, PCI_MEMORY_LIMIT, 2, 0xfff0, 0);

	/* Prefetchable window: 64-bit capability bits read-only. */
	check_rw(test, PCI_PREF_MEMORY_BASE, 2,
		 0xfff0 | PCI_PREF_RANGE_TYPE_64, PCI_PREF_RANGE_TYPE_64);
	check_rw(test, PCI_PREF_MEMORY_LIMIT, 2,
		 0xfff0 | PCI_PREF_RANGE_TYPE_64, PCI_PREF_RANGE_TYPE_64);
	check_rw(test, PCI_PREF_BASE_UPPER32, 4, 0xffffffff, 0);
	check_rw(test, PCI_PREF_LIMIT_UPPER32, 4, 0xffffffff, 0);

	/* Programming a window above 4 GiB, as pci_setup_bridge() does. */
	wr(test, PCI_PREF_MEMORY_BASE, 4, 0x4ff0 << 16 | 0x4000);
	wr(test, PCI_PREF_BASE_UPPER32, 4, 0x2);
	wr(test, PCI_PREF_LIMIT_UPPER32, 4, 0x2);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_PREF_MEMORY_BASE, 4),
			(0x4ff0 | PCI_PREF_RANGE_TYPE_64) << 16 |
			0x4000 | PCI_PREF_RANGE_TYPE_64);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_PREF_BASE_UPPER32, 4), 2);
	KUNIT_EXPECT_EQ(test, rd(test, PCI_PREF_LIMIT_UPPER32, 4), 2);
}

static void rp_test_bridge_control(struct kunit *test)
{
	const u16 rw = PCI_BRIDGE_CTL_PARITY | PCI_BRIDGE_CTL_SERR |
		       PCI_BRIDGE_CTL_ISA | PCI_BRIDGE_CTL_VGA |
		       PCI_BRIDGE_CTL_MASTER_ABORT | PCI_BRIDGE_CTL_BUS_RESET;

	check_rw(test, PCI_BRIDGE_CONTROL, 2, rw, 0);
}

static void rp_test_cap_chain(struct kunit *test)
{
	unsigned int pos, n = 0;
	u8 ids[4];

	KUNIT_EXPECT_TRUE(test, rd(test, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	check_ro(test, PCI_CAPABILITY_LIST, 1, EE_RP_PCIE_CAP);

	/* Walk it as pci_find_capability() would, with a loop bound. */
	for (pos = rd(test, PCI_CAPABILITY_LIST, 1); pos; ) {
		KUNIT_ASSERT_LT(test, n, ARRAY_SIZE(ids));
		KUNIT_ASSERT_GE(test, pos, 0x40);
		KUNIT_ASSERT_EQ(test, pos & 3, 0);
		ids[n++] = rd(test, pos + PCI_CAP_LIST_ID, 1);
		/* Capability headers are read-only. */
		check_ro(test, pos, 2, rd(test, pos, 2));
		pos = rd(test, pos + PCI_CAP_LIST_NEXT, 1);
	}
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, ids[0], PCI_CAP_ID_EXP);
	KUNIT_EXPECT_EQ(test, ids[1], PCI_CAP_ID_MSI);
	KUNIT_EXPECT_EQ(test, rd(test, EXP(PCI_CAP_LIST_NEXT), 1),
			EE_RP_MSI_CAP);

	/* Capability version 2, Root Port, Slot Implemented. */
	check_ro(test, EXP(PCI_EXP_FLAGS), 2,
		 2 | PCI_EXP_TYPE_ROOT_PORT << 4 | PCI_EXP_FLAGS_SLOT);

	/* No extended capabilities. */
	KUNIT_EXPECT_EQ(test, rd(test, PCI_CFG_SPACE_SIZE, 4), 0);
}

static void rp_test_out_of_range(struct kunit *test)
{
	/* Nothing beyond the emulated 256 bytes; straddling reads are 0. */
	wr(test, EE_RP_CFG_SIZE, 4, 0xffffffff);
	wr(test, EE_RP_CFG_SIZE - 2, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, rd(test, EE_RP_CFG_SIZE, 4), 0);
	KUNIT_EXPECT_EQ(test, rd(test, EE_RP_CFG_SIZE - 2, 4), 0);
	KUNIT_EXPECT_EQ(test, rd(test, 0xffc, 4), 0);
	/* Unimplemented registers inside read as zero and ignore writes. */
	check_ro(test, 0xc0, 4, 0);
	check_ro(test, EE_RP_CFG_SIZE - 4, 4, 0);
}

static void rp_test_slot_caps(struct kunit *test)
{
	static const unsigned int idx[] = { 0, 1, 7, 31 };
	const u32 none = PCI_EXP_SLTCAP_ABP | PCI_EXP_SLTCAP_PCP |
			 PCI_EXP_SLTCAP_MRLSP | PCI_EXP_SLTCAP_AIP |
			 PCI_EXP_SLTCAP_PIP | PCI_EXP_SLTCAP_EIP;
	struct ee_rootport *rp = rp_of(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(idx); i++) {
		u32 cap, lnkcap;

		ee_rp_init(rp, idx[i], false, 0, rp_test_irq, test->priv);
		cap = rd(test, EXP(PCI_EXP_SLTCAP), 4);
		KUNIT_EXPECT_TRUE(test, cap & PCI_EXP_SLTCAP_HPC);
		KUNIT_EXPECT_TRUE(test, cap & PCI_EXP_SLTCAP_HPS);
		KUNIT_EXPECT_TRUE(test, cap & PCI_EXP_SLTCAP_NCCS);
		/* No attention button, power controller, MRL or LEDs. */
		KUNIT_EXPECT_EQ(test, cap & none, 0);
		/* Physical slot number is the index plus one. */
		KUNIT_EXPECT_EQ(test, (cap & PCI_EXP_SLTCAP_PSN) >> 19,
				idx[i] + 1);
		check_ro(test, EXP(PCI_EXP_SLTCAP), 4, cap);

		/* So is the port number, and DLL Link Active is reported. */
		lnkcap = rd(test, EXP(PCI_EXP_LNKCAP), 4);
		KUNIT_EXPECT_EQ(test, lnkcap >> 24, idx[i] + 1);
		KUNIT_EXPECT_TRUE(test, lnkcap & PCI_EXP_LNKCAP_DLLLARC);
		check_ro(test, EXP(PCI_EXP_LNKCAP), 4, lnkcap);
	}
}

static void rp_test_slot_control(struct kunit *test)
{
	const u16 rw = PCI_EXP_SLTCTL_ABPE | PCI_EXP_SLTCTL_PFDE |
		       PCI_EXP_SLTCTL_MRLSCE | PCI_EXP_SLTCTL_PDCE |
		       PCI_EXP_SLTCTL_CCIE | PCI_EXP_SLTCTL_HPIE |
		       PCI_EXP_SLTCTL_AIC | PCI_EXP_SLTCTL_PIC |
		       PCI_EXP_SLTCTL_PCC | PCI_EXP_SLTCTL_EIC |
		       PCI_EXP_SLTCTL_DLLSCE;

	KUNIT_EXPECT_EQ(test, rd(test, EXP(PCI_EXP_SLTCTL), 2), 0);
	check_rw(test, EXP(PCI_EXP_SLTCTL), 2, rw, 0);
}

static void rp_test_slot_status(struct kunit *test)
{
	struct ee_rootport *rp = rp_of(test);
	unsigned int sta = EXP(PCI_EXP_SLTSTA);

	/* Empty slot, nothing latched; PDS cannot be set by software. */
	check_ro(test, sta, 2, 0);
	wr(test, sta, 2, PCI_EXP_SLTSTA_PDS);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2), 0);

	ee_rp_set_present(rp, true);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2),
			PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_PDC |
			PCI_EXP_SLTSTA_DLLSC);
	/* Writing zeroes changes nothing; writing PDS does not clear it. */
	wr(test, sta, 2, 0);
	wr(test, sta, 2, PCI_EXP_SLTSTA_PDS);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2),
			PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_PDC |
			PCI_EXP_SLTSTA_DLLSC);
	/* One event cleared at a time. */
	wr(test, sta, 2, PCI_EXP_SLTSTA_PDC);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2),
			PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_DLLSC);
	wr(test, sta, 2, 0xffff);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2), PCI_EXP_SLTSTA_PDS);

	/* A repeated arrival is not a new event. */
	ee_rp_set_present(rp, true);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2), PCI_EXP_SLTSTA_PDS);

	ee_rp_set_present(rp, false);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2),
			PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_DLLSC);
	wr(test, sta, 2, SLTSTA_EVENTS);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2), 0);
	ee_rp_set_present(rp, false);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2), 0);

	/* The events with no hardware behind them cannot be set either. */
	wr(test, sta, 2, 0xffff);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2), 0);
}

static void rp_test_link_status(struct kunit *test)
{
	struct ee_rootport *rp = rp_of(test);
	unsigned int sta = EXP(PCI_EXP_LNKSTA);
	const u16 fixed = PCI_EXP_LNKSTA_CLS_2_5GB |
			  1 << PCI_EXP_LNKSTA_NLW_SHIFT | PCI_EXP_LNKSTA_SLC;

	/* Link Status is read-only: Link Active only follows the slot. */
	check_ro(test, sta, 2, fixed);
	KUNIT_EXPECT_FALSE(test, ee_rp_link_active(rp));

	ee_rp_set_present(rp, true);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2), fixed | PCI_EXP_LNKSTA_DLLLA);
	KUNIT_EXPECT_TRUE(test, ee_rp_link_active(rp));
	wr(test, sta, 2, 0);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2), fixed | PCI_EXP_LNKSTA_DLLLA);

	/* Link Disable takes the link down and back up. */
	wr(test, EXP(PCI_EXP_SLTSTA), 2, SLTSTA_EVENTS);
	wr(test, EXP(PCI_EXP_LNKCTL), 2, PCI_EXP_LNKCTL_LD);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2), fixed);
	KUNIT_EXPECT_FALSE(test, ee_rp_link_active(rp));
	KUNIT_EXPECT_EQ(test, rd(test, EXP(PCI_EXP_SLTSTA), 2),
			PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_DLLSC);
	wr(test, EXP(PCI_EXP_SLTSTA), 2, SLTSTA_EVENTS);
	wr(test, EXP(PCI_EXP_LNKCTL), 2, 0);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2), fixed | PCI_EXP_LNKSTA_DLLLA);
	KUNIT_EXPECT_TRUE(test, ee_rp_link_active(rp));
	KUNIT_EXPECT_EQ(test, rd(test, EXP(PCI_EXP_SLTSTA), 2),
			PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_DLLSC);

	ee_rp_set_present(rp, false);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2), fixed);
	KUNIT_EXPECT_FALSE(test, ee_rp_link_active(rp));

	/* Arriving with the link disabled: present, but no link. */
	wr(test, EXP(PCI_EXP_LNKCTL), 2, PCI_EXP_LNKCTL_LD);
	ee_rp_set_present(rp, true);
	KUNIT_EXPECT_EQ(test, rd(test, sta, 2), fixed);
	KUNIT_EXPECT_FALSE(test, ee_rp_link_active(rp));
	KUNIT_EXPECT_TRUE(test, rd(test, EXP(PCI_EXP_SLTSTA), 2) &
			  PCI_EXP_SLTSTA_PDS);
}

static void rp_test_irq_disabled(struct kunit *test)
{
	struct ee_rootport *rp = rp_of(test);

	/* Events latch, but nothing interrupts without HPIE. */
	wr(test, EXP(PCI_EXP_SLTCTL), 2,
	   PCI_EXP_SLTCTL_PDCE | PCI_EXP_SLTCTL_DLLSCE);
	ee_rp_set_present(rp, true);
	ee_rp_set_present(rp, false);
	KUNIT_EXPECT_EQ(test, irqs_of(test), 0);

	/* Nor with HPIE but no event enabled. */
	wr(test, EXP(PCI_EXP_SLTSTA), 2, SLTSTA_EVENTS);
	wr(test, EXP(PCI_EXP_SLTCTL), 2, PCI_EXP_SLTCTL_HPIE);
	ee_rp_set_present(rp, true);
	ee_rp_set_present(rp, false);
	KUNIT_EXPECT_EQ(test, irqs_of(test), 0);

	/* A port initialised without a callback still latches events. */
	ee_rp_init(rp, 0, false, 0, NULL, test->priv);
	wr(test, EXP(PCI_EXP_SLTCTL), 2,
	   PCI_EXP_SLTCTL_HPIE | PCI_EXP_SLTCTL_PDCE);
	ee_rp_set_present(rp, true);
	KUNIT_EXPECT_TRUE(test, rd(test, EXP(PCI_EXP_SLTSTA), 2) &
			  PCI_EXP_SLTSTA_PDC);
	KUNIT_EXPECT_EQ(test, irqs_of(test), 0);
}

static void rp_test_irq_edges(struct kunit *test)
{
	struct rp_test *t = test->priv;
	struct ee_rootport *rp = &t->rp;
	unsigned int sta = EXP(PCI_EXP_SLTSTA);

	wr(test, EXP(PCI_EXP_SLTCTL), 2, PCI_EXP_SLTCTL_HPIE |
	   PCI_EXP_SLTCTL_PDCE | PCI_EXP_SLTCTL_DLLSCE);
	KUNIT_EXPECT_EQ(test, t->irqs, 0);

	/* Arrival: PDC and DLLSC together are one interrupt. */
	ee_rp_set_present(rp, true);
	KUNIT_EXPECT_EQ(test, t->irqs, 1);
	KUNIT_EXPECT_EQ(test, t->irq_sltsta,
			PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_PDC |
			PCI_EXP_SLTSTA_DLLSC);
	KUNIT_EXPECT_TRUE(test, t->irq_lnksta & PCI_EXP_LNKSTA_DLLLA);

	/* Nothing new while the condition stays asserted. */
	ee_rp_set_present(rp, true);
	wr(test, sta, 2, PCI_EXP_SLTSTA_PDC);
	KUNIT_EXPECT_EQ(test, t->irqs, 1);
	/* Departure with DLLSC still pending: no edge, no interrupt. */
	ee_rp_set_present(rp, false);
	KUNIT_EXPECT_EQ(test, t->irqs, 1);

	/* Clearing everything deasserts; the next event interrupts. */
	wr(test, sta, 2, SLTSTA_EVENTS);
	KUNIT_EXPECT_EQ(test, t->irqs, 1);
	ee_rp_set_present(rp, true);
	KUNIT_EXPECT_EQ(test, t->irqs, 2);
	wr(test, sta, 2, SLTSTA_EVENTS);
	ee_rp_set_present(rp, false);
	KUNIT_EXPECT_EQ(test, t->irqs, 3);
	KUNIT_EXPECT_EQ(test, t->irq_sltsta,
			PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_DLLSC);
	KUNIT_EXPECT_FALSE(test, t->irq_lnksta & PCI_EXP_LNKSTA_DLLLA);
	wr(test, sta, 2, SLTSTA_EVENTS);

	/* Unrelated config writes never interrupt. */
	wr(test, PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	wr(test, MSI(PCI_MSI_FLAGS), 2, PCI_MSI_FLAGS_ENABLE);
	KUNIT_EXPECT_EQ(test, t->irqs, 3);
}

static void rp_test_irq_enable_pending(struct kunit *test)
{
	struct rp_test *t = test->priv;
	struct ee_rootport *rp = &t->rp;
	const u16 ctl = PCI_EXP_SLTCTL_HPIE | PCI_EXP_SLTCTL_PDCE;

	/* An event pending when interrupts get enabled interrupts then. */
	ee_rp_set_present(rp, true);
	KUNIT_EXPECT_EQ(test, t->irqs, 0);
	wr(test, EXP(PCI_EXP_SLTCTL), 2, PCI_EXP_SLTCTL_PDCE);
	KUNIT_EXPECT_EQ(test, t->irqs, 0);
	wr(test, EXP(PCI_EXP_SLTCTL), 2, ctl);
	KUNIT_EXPECT_EQ(test, t->irqs, 1);
	/* Rewriting the same control value is not a new edge. */
	wr(test, EXP(PCI_EXP_SLTCTL), 2, ctl);
	KUNIT_EXPECT_EQ(test, t->irqs, 1);

	/* Masking HPIE deasserts; unmasking with PDC pending re-raises. */
	wr(test, EXP(PCI_EXP_SLTCTL), 2, PCI_EXP_SLTCTL_PDCE);
	wr(test, EXP(PCI_EXP_SLTCTL), 2, ctl);
	KUNIT_EXPECT_EQ(test, t->irqs, 2);
	/* Likewise for the event's own enable. */
	wr(test, EXP(PCI_EXP_SLTCTL), 2, PCI_EXP_SLTCTL_HPIE);
	KUNIT_EXPECT_EQ(test, t->irqs, 2);
	wr(test, EXP(PCI_EXP_SLTCTL), 2, ctl);
	KUNIT_EXPECT_EQ(test, t->irqs, 3);
}

static void rp_test_irq_dllsc_only(struct kunit *test)
{
	struct rp_test *t = test->priv;
	struct ee_rootport *rp = &t->rp;
	unsigned int sta = EXP(PCI_EXP_SLTSTA);

	/* Only PDC enabled: link changes latch DLLSC but do not interrupt. */
	wr(test, EXP(PCI_EXP_SLTCTL), 2,
	   PCI_EXP_SLTCTL_HPIE | PCI_EXP_SLTCTL_PDCE);
	ee_rp_set_present(rp, true);
	KUNIT_EXPECT_EQ(test, t->irqs, 1);
	wr(test, sta, 2, SLTSTA_EVENTS);
	wr(test, EXP(PCI_EXP_LNKCTL), 2, PCI_EXP_LNKCTL_LD);
	KUNIT_EXPECT_TRUE(test, rd(test, sta, 2) & PCI_EXP_SLTSTA_DLLSC);
	KUNIT_EXPECT_EQ(test, t->irqs, 1);

	/* Only DLLSC enabled: a link change interrupts by itself. */
	wr(test, sta, 2, SLTSTA_EVENTS);
	wr(test, EXP(PCI_EXP_SLTCTL), 2,
	   PCI_EXP_SLTCTL_HPIE | PCI_EXP_SLTCTL_DLLSCE);
	KUNIT_EXPECT_EQ(test, t->irqs, 1);
	wr(test, EXP(PCI_EXP_LNKCTL), 2, 0);
	KUNIT_EXPECT_EQ(test, t->irqs, 2);
	KUNIT_EXPECT_EQ(test, t->irq_sltsta,
			PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_DLLSC);
}

static void rp_test_msi(struct kunit *test)
{
	struct ee_rootport *rp = rp_of(test);
	u64 addr;
	u32 data;

	/* 64-bit, one vector, no masking; only Enable is writable. */
	check_rw(test, MSI(PCI_MSI_FLAGS), 2,
		 PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_ENABLE,
		 PCI_MSI_FLAGS_64BIT);
	check_rw(test, MSI(PCI_MSI_ADDRESS_LO), 4, 0xfffffffc, 0);
	check_rw(test, MSI(PCI_MSI_ADDRESS_HI), 4, 0xffffffff, 0);
	check_rw(test, MSI(PCI_MSI_DATA_64), 2, 0xffff, 0);

	wr(test, MSI(PCI_MSI_ADDRESS_LO), 4, 0xfee01000);
	wr(test, MSI(PCI_MSI_ADDRESS_HI), 4, 0x1);
	wr(test, MSI(PCI_MSI_DATA_64), 2, 0x4041);
	KUNIT_EXPECT_FALSE(test, ee_rp_msi_msg(rp, &addr, &data));

	wr(test, MSI(PCI_MSI_FLAGS), 2, PCI_MSI_FLAGS_ENABLE);
	KUNIT_EXPECT_TRUE(test, ee_rp_msi_msg(rp, &addr, &data));
	KUNIT_EXPECT_EQ(test, addr, 0x1fee01000ULL);
	KUNIT_EXPECT_EQ(test, data, 0x4041);

	wr(test, MSI(PCI_MSI_FLAGS), 2, 0);
	KUNIT_EXPECT_FALSE(test, ee_rp_msi_msg(rp, &addr, &data));
}

/* Memory routing: what a PCI-to-PCI bridge forwards downstream. */
static void rp_test_claims_mem(struct kunit *test)
{
	struct rp_test *t = test->priv;
	struct ee_rootport *rp = &t->rp;

	/* Memory window 0x40100000-0x402fffff, prefetchable
	 * 0x8400000000-0x84001fffff.
	 */
	wr(test, PCI_MEMORY_BASE, 2, 0x4010);
	wr(test, PCI_MEMORY_LIMIT, 2, 0x4020);
	wr(test, PCI_PREF_MEMORY_BASE, 2, 0x0000);
	wr(test, PCI_PREF_MEMORY_LIMIT, 2, 0x0010);
	wr(test, PCI_PREF_BASE_UPPER32, 4, 0x84);
	wr(test, PCI_PREF_LIMIT_UPPER32, 4, 0x84);

	/* Memory Space Enable off: nothing is forwarded. */
	KUNIT_EXPECT_FALSE(test, ee_rp_claims_mem(rp, 0x40100000, 4));
	wr(test, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_TRUE(test, ee_rp_claims_mem(rp, 0x40100000, 4));
	KUNIT_EXPECT_TRUE(test, ee_rp_claims_mem(rp, 0x402ffffc, 4));
	KUNIT_EXPECT_FALSE(test, ee_rp_claims_mem(rp, 0x402ffffe, 4));
	KUNIT_EXPECT_FALSE(test, ee_rp_claims_mem(rp, 0x400ffffc, 4));
	KUNIT_EXPECT_FALSE(test, ee_rp_claims_mem(rp, 0x40300000, 1));
	KUNIT_EXPECT_TRUE(test, ee_rp_claims_mem(rp, 0x8400000000ULL, 4096));
	KUNIT_EXPECT_TRUE(test, ee_rp_claims_mem(rp, 0x84001ff000ULL, 4096));
	KUNIT_EXPECT_FALSE(test, ee_rp_claims_mem(rp, 0x84001ff000ULL, 4097));
	KUNIT_EXPECT_FALSE(test, ee_rp_claims_mem(rp, 0x0400000000ULL, 4));
	/* A window with base above limit is closed. */
	wr(test, PCI_MEMORY_BASE, 2, 0x4030);
	KUNIT_EXPECT_FALSE(test, ee_rp_claims_mem(rp, 0x40200000, 4));
	KUNIT_EXPECT_FALSE(test, ee_rp_claims_mem(rp, 0x40300000, 4));
}

static void rp_test_master_mps(struct kunit *test)
{
	struct rp_test *t = test->priv;
	struct ee_rootport *rp = &t->rp;

	KUNIT_EXPECT_FALSE(test, ee_rp_bus_master(rp));
	wr(test, PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	KUNIT_EXPECT_TRUE(test, ee_rp_bus_master(rp));
	wr(test, PCI_COMMAND, 2, 0);
	KUNIT_EXPECT_FALSE(test, ee_rp_bus_master(rp));

	KUNIT_EXPECT_EQ(test, ee_rp_mps(rp), 256U);
	wr(test, EXP(PCI_EXP_DEVCTL), 2,
	   ee_rp_read(rp, EXP(PCI_EXP_DEVCTL), 2) & ~PCI_EXP_DEVCTL_PAYLOAD);
	KUNIT_EXPECT_EQ(test, ee_rp_mps(rp), 128U);
}

static struct kunit_case rp_test_cases[] = {
	KUNIT_CASE(rp_test_identity),
	KUNIT_CASE(rp_test_claims_mem),
	KUNIT_CASE(rp_test_master_mps),
	KUNIT_CASE(rp_test_multifunction),
	KUNIT_CASE(rp_test_command),
	KUNIT_CASE(rp_test_status_w1c),
	KUNIT_CASE(rp_test_bus_numbers),
	KUNIT_CASE(rp_test_windows),
	KUNIT_CASE(rp_test_bridge_control),
	KUNIT_CASE(rp_test_cap_chain),
	KUNIT_CASE(rp_test_out_of_range),
	KUNIT_CASE(rp_test_slot_caps),
	KUNIT_CASE(rp_test_slot_control),
	KUNIT_CASE(rp_test_slot_status),
	KUNIT_CASE(rp_test_link_status),
	KUNIT_CASE(rp_test_irq_disabled),
	KUNIT_CASE(rp_test_irq_edges),
	KUNIT_CASE(rp_test_irq_enable_pending),
	KUNIT_CASE(rp_test_irq_dllsc_only),
	KUNIT_CASE(rp_test_msi),
	{}
};

static struct kunit_suite rp_test_suite = {
	.name = "expether_rootport",
	.init = rp_test_init,
	.exit = rp_test_exit,
	.test_cases = rp_test_cases,
};

kunit_test_suite(rp_test_suite);
