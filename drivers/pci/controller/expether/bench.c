// SPDX-License-Identifier: GPL-2.0
/*
 * Transport benchmark: a stream of posted memory writes to the device of
 * one slot, back to back through its connection, timed until the last is
 * acknowledged (debugfs "bench"; make bench).  The writes land in the
 * device's BAR 0 from its start, like a driver filling a buffer.
 */
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "expether.h"

#define EE_BENCH_LIMIT_NS	(60ULL * NSEC_PER_SEC)

static int ee_bench_target(struct ee_host *h, struct ee_port *port,
			   u64 *addr, u64 *len)
{
	struct pci_dev *pdev;
	u8 sec, sub;

	ee_rp_bus_range(&port->rp, &sec, &sub);
	pdev = pci_get_domain_bus_and_slot(h->sysdata.domain, sec,
					   PCI_DEVFN(0, 0));
	if (!pdev)
		return -ENODEV;
	*addr = pci_bus_address(pdev, 0);
	*len = pci_resource_len(pdev, 0);
	pci_dev_put(pdev);
	return *len && *addr ? 0 : -ENODEV;
}

int ee_bench_write(struct ee_host *h, unsigned int slot, unsigned int count,
		   unsigned int size, struct ee_bench_result *res)
{
	struct ee_port *port;
	struct ee_link *before, *after;
	struct ee_peer *peer;
	u64 addr, len, start, deadline;
	struct ee_tlp tlp = {};
	unsigned int i;
	u8 *data, *buf;
	int n, err;

	if (!slot || slot > h->nr_ports || !count || size < 4 || size % 4 ||
	    size > 1024)
		return -EINVAL;
	port = &h->ports[slot - 1];
	peer = &port->peer;
	if (!port->attached || !peer->ring)
		return -ENOTCONN;
	err = ee_bench_target(h, port, &addr, &len);
	if (err)
		return err;
	if (len < size)
		return -ENOSPC;

	err = -ENOMEM;
	before = kmalloc(sizeof(*before), GFP_KERNEL);
	after = kmalloc(sizeof(*after), GFP_KERNEL);
	data = kmalloc(size + EE_TLP_MAX_HDR, GFP_KERNEL);
	buf = kmalloc(size + EE_TLP_MAX_HDR, GFP_KERNEL);
	if (!before || !after || !data || !buf)
		goto out;
	for (i = 0; i < size; i++)
		data[i] = i;
	ee_peer_snapshot(peer, before, NULL);

	tlp.kind = EE_TLP_MWR;
	tlp.length = size / 4;
	tlp.req_id = port->devfn;
	tlp.first_be = 0xf;
	tlp.last_be = size > 4 ? 0xf : 0;
	tlp.data = data;

	start = ktime_get_ns();
	deadline = start + EE_BENCH_LIMIT_NS;
	err = 0;
	for (i = 0; i < count && !err; i++) {
		tlp.addr = addr + ((u64)i * size) % (len - len % size);
		n = ee_tlp_build(buf, size + EE_TLP_MAX_HDR, &tlp);
		if (n < 0) {
			err = -EINVAL;
			break;
		}
		/* The ring is full: the window moves as acks come. */
		while ((err = ee_peer_send(peer, buf, n)) == -ENOBUFS &&
		       ktime_get_ns() < deadline)
			usleep_range(20, 50);
	}
	while (!err && ee_peer_outstanding(peer)) {
		if (ktime_get_ns() >= deadline) {
			err = -ETIMEDOUT;
			break;
		}
		usleep_range(20, 50);
	}
	res->ns = ktime_get_ns() - start;
	res->frames = i;
	res->bytes = (u64)i * size;
	if (!ee_peer_snapshot(peer, after, NULL) && !err)
		err = -ENOTCONN;
	res->rtx = after->g.st.rtx_frames - before->g.st.rtx_frames;
	res->timeouts = after->g.st.timeouts - before->g.st.timeouts;
out:
	kfree(after);
	kfree(buf);
	kfree(data);
	kfree(before);
	return err;
}
