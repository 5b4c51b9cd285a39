// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: header and capabilities endpoint models share (see pcicap.h).
 */
#include <linux/pci_regs.h>

#include "pcicap.h"

#define PCI_PCIE_CAP_V2_SIZEOF	0x3c	/* whole v2 structure */
#define PCI_PM_CAP_VER_1_2	0x0003

void pcicap_header(struct cfgspace *cs, u16 vendor, u16 device,
		   u32 class_rev, u16 ssvid, u16 ssid)
{
	cfg_set(cs, PCI_VENDOR_ID, 2, vendor);
	cfg_set(cs, PCI_DEVICE_ID, 2, device);
	cfg_set_rw(cs, PCI_COMMAND, 2,
		   PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
		   PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
		   PCI_COMMAND_INTX_DISABLE);
	cfg_set_w1c(cs, PCI_STATUS, 2,
		    PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
		    PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |
		    PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY);
	cfg_set(cs, PCI_CLASS_REVISION, 4, class_rev);
	/* Cache Line Size: no effect on PCIe, but read-write. */
	cfg_set_rw(cs, PCI_CACHE_LINE_SIZE, 1, 0xff);
	cfg_set(cs, PCI_HEADER_TYPE, 1, PCI_HEADER_TYPE_NORMAL);
	cfg_set(cs, PCI_SUBSYSTEM_VENDOR_ID, 2, ssvid);
	cfg_set(cs, PCI_SUBSYSTEM_ID, 2, ssid);
	cfg_set_rw(cs, PCI_INTERRUPT_LINE, 1, 0xff);
}

int pcicap_pm(struct cfgspace *cs)
{
	int cap = cfg_add_cap(cs, PCI_CAP_ID_PM, PCI_PM_SIZEOF);

	if (cap < 0)
		return -1;
	cfg_set(cs, cap + PCI_PM_PMC, 2, PCI_PM_CAP_VER_1_2);
	/* PowerState is read-only D0: only D0 is supported. */
	cfg_set(cs, cap + PCI_PM_CTRL, 2, PCI_PM_CTRL_NO_SOFT_RESET);
	return cap;
}

int pcicap_exp(struct cfgspace *cs)
{
	int cap = cfg_add_cap(cs, PCI_CAP_ID_EXP, PCI_PCIE_CAP_V2_SIZEOF);

	if (cap < 0)
		return -1;
	cfg_set(cs, cap + PCI_EXP_FLAGS, 2, 2 | PCI_EXP_TYPE_ENDPOINT << 4);
	cfg_set(cs, cap + PCI_EXP_DEVCAP, 4,
		1 /* MPS 256B */ | PCI_EXP_DEVCAP_EXT_TAG |
		PCI_EXP_DEVCAP_RBER);
	cfg_set(cs, cap + PCI_EXP_DEVCTL, 2,
		PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_NOSNOOP_EN |
		PCI_EXP_DEVCTL_READRQ_512B);
	cfg_set_rw(cs, cap + PCI_EXP_DEVCTL, 2,
		   PCI_EXP_DEVCTL_CERE | PCI_EXP_DEVCTL_NFERE |
		   PCI_EXP_DEVCTL_FERE | PCI_EXP_DEVCTL_URRE |
		   PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_PAYLOAD |
		   PCI_EXP_DEVCTL_EXT_TAG | PCI_EXP_DEVCTL_NOSNOOP_EN |
		   PCI_EXP_DEVCTL_READRQ);
	cfg_set_w1c(cs, cap + PCI_EXP_DEVSTA, 2,
		    PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED |
		    PCI_EXP_DEVSTA_FED | PCI_EXP_DEVSTA_URD);
	cfg_set(cs, cap + PCI_EXP_LNKCAP, 4,
		PCI_EXP_LNKCAP_SLS_2_5GB | 1 << 4 /* x1 */);
	cfg_set_rw(cs, cap + PCI_EXP_LNKCTL, 2,
		   PCI_EXP_LNKCTL_ASPMC | PCI_EXP_LNKCTL_RCB |
		   PCI_EXP_LNKCTL_CCC | PCI_EXP_LNKCTL_ES);
	cfg_set(cs, cap + PCI_EXP_LNKSTA, 2,
		PCI_EXP_LNKSTA_CLS_2_5GB | PCI_EXP_LNKSTA_NLW_X1);
	cfg_set(cs, cap + PCI_EXP_LNKCAP2, 4, PCI_EXP_LNKCAP2_SLS_2_5GB);
	cfg_set(cs, cap + PCI_EXP_LNKCTL2, 2, PCI_EXP_LNKCTL2_TLS_2_5GT);
	return cap;
}
