/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: the parts of a configuration space every endpoint model shares:
 * a type 0 header with the usual writable bits, PCI Power Management and
 * the PCI Express capability.
 */
#ifndef _EEBOX_PCICAP_H
#define _EEBOX_PCICAP_H

#include "cfgspace.h"

/*
 * Type 0 header: IDs, class << 8 | revision, subsystem IDs.  Command:
 * Memory Space, Bus Master, Parity Error Response, SERR# and Interrupt
 * Disable read-write (I/O Space read-only 0: no I/O BARs); Status error
 * bits write-1-to-clear; Cache Line Size and Interrupt Line read-write.
 */
void pcicap_header(struct cfgspace *cs, u16 vendor, u16 device,
		   u32 class_rev, u16 ssvid, u16 ssid);
/* PCI Power Management v1.2, D0 only, No_Soft_Reset.  Offset or -1. */
int pcicap_pm(struct cfgspace *cs);
/*
 * PCI Express v2 Endpoint: MPS 256 supported, no FLR, link x1 2.5 GT/s;
 * Device Control error enables, RO, MPS, Ext Tag, No Snoop and MRRS
 * read-write (MRRS 512 at reset).  Offset or -1.
 */
int pcicap_exp(struct cfgspace *cs);

#endif /* _EEBOX_PCICAP_H */
