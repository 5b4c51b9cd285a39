/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eeprobe: what its parts share.  eeprobe.c is the host-side bridge (the
 * connection, requests, waiting for completions); probe_host.c gives it
 * memory the device can reach (DMA) and an interrupt recorder;
 * probe_testdev.c, probe_nvme.c and probe_vnet.c are scenarios that drive
 * a device model the way its driver would.
 */
#ifndef _EEPROBE_H
#define _EEPROBE_H

#include "conn.h"
#include "ee_codec.h"

#define REQ_ID		0x0008		/* root port 00:01.0 */
#define TARGET_ID	0x0100		/* device 01:00.0 */
#define MS		1000000ULL

extern struct conn *conn;
extern u64 timeout_ns;

/* Queue one payload of TLPs on the link (exits on failure). */
void queue(const u8 *payload, size_t len);
/* Append TLP @t to @buf at *len (exits on failure). */
void put_tlp(u8 *buf, size_t cap, size_t *len, const struct ee_tlp *t);
/* One TLP in a payload of its own. */
void send_tlp(const struct ee_tlp *t);
/* A fresh tag for a request of ours. */
u8 probe_tag(void);

/*
 * Run the host until @done(@arg) (true), the bridge is declared dead or
 * the monotonic time @deadline passes (false).  @done may be NULL.
 */
bool run_until(bool (*done)(void *arg), void *arg, u64 deadline);

typedef void (*cpl_fn)(const struct ee_tlp *t, void *arg);
/*
 * Collect completions for tags [tag0, tag0 + ntags) until @need requests
 * are complete; call @fn (or print) each.  Returns false on timeout.
 */
bool wait_cpls(u8 tag0, unsigned int ntags, unsigned int need, cpl_fn fn,
	       void *arg);

/* probe_host.c: the device's requests (MRd, MWr, Msg) of a frame. */
void host_rx_tlp(const struct ee_tlp *t);
/* ... and the end of that frame: queue the completions made. */
void host_rx_done(void);

/* Scenarios: argv[0] is the command, MAC and GID already used. */
int scn_testdev(int argc, char **argv);
int scn_nvme(int argc, char **argv);
int scn_vnet(int argc, char **argv);

#endif /* _EEPROBE_H */
