// SPDX-License-Identifier: GPL-2.0
/*
 * CPU accesses to BARs below expether: routing and TLPs.
 *
 * Nothing on the host decodes our address window, so the CPU cannot reach
 * a BAR by itself: the architecture's trap (mmio_x86.c on x86-64, behind
 * the seam in mmio.h) catches every load and store to a mapping of the
 * window and calls ee_mmio_read() / ee_mmio_write() here, with interrupts
 * off.  A CPU address becomes a bus address (the 32-bit window is
 * offset-mapped, the 64-bit one is not), the root port whose windows
 * claim it (as a PCI-to-PCI bridge decodes) names the I/O bridge, and the
 * access travels as MRd or MWr TLPs on that bridge's connection.
 *
 * Ordering is PCIe's: writes are posted, and both kinds travel in order on
 * the one Go-Back-N connection, so a read never passes an earlier write.
 * A read waits, bounded, for its completions (request.c); a device that
 * does not answer reads as all-ones.
 */
#include <linux/percpu.h>

#include "expether.h"
#include "mmio.h"

/* Where a write's TLPs are built: one frame's worth; interrupts are off. */
struct ee_mmio_scratch {
	u8 payload[EXPETHER_MAX_PAYLOAD];
};

int ee_mmio_init(struct ee_host *h)
{
	h->mmio_scratch = alloc_percpu(struct ee_mmio_scratch);
	return h->mmio_scratch ? 0 : -ENOMEM;
}

void ee_mmio_exit(struct ee_host *h)
{
	free_percpu(h->mmio_scratch);
}

bool ee_mmio_in_window(struct ee_host *h, u64 phys, u64 len)
{
	u64 last = phys + len - 1;

	if (!len || last < phys)
		return false;
	return (phys >= h->mem.start && last <= h->mem.end) ||
	       (phys >= h->pref.start && last <= h->pref.end);
}

/* The port whose windows claim [@phys, @phys + @len); its bus address. */
static struct ee_port *ee_mmio_route(struct ee_host *h, u64 phys, u32 len,
				     u64 *bus)
{
	unsigned int i;

	if (phys >= h->mem.start && phys + len - 1 <= h->mem.end)
		*bus = phys - h->mem_offset;
	else if (phys >= h->pref.start && phys + len - 1 <= h->pref.end)
		*bus = phys;
	else
		return NULL;
	for (i = 0; i < h->nr_ports; i++)
		if (ee_rp_claims_mem(&h->ports[i].rp, *bus, len))
			return &h->ports[i];
	return NULL;
}

int ee_mmio_read(struct ee_host *h, u64 phys, void *buf, u32 len)
{
	struct ee_port *port;
	u64 bus;

	port = ee_mmio_route(h, phys, len, &bus);
	if (!port) {
		/* Master abort: nothing claims it. */
		ee_count(&h->xport, EE_C_MMIO_UNROUTED);
		memset(buf, 0xff, len);
		return 0;
	}
	ee_mem_read(h, port, bus, buf, len);
	return 0;
}

int ee_mmio_write(struct ee_host *h, u64 phys, const void *buf, u32 len)
{
	struct ee_mmio_scratch *s;
	const u8 *src = buf;
	struct ee_port *port;
	struct ee_tlp tlp;
	u32 mps, off, n, room;
	unsigned int used = 0;
	u8 data[EE_MMIO_MAX_TLP + 8];
	u64 bus;
	int err = 0, m;

	port = ee_mmio_route(h, phys, len, &bus);
	if (!port) {
		ee_count(&h->xport, EE_C_MMIO_UNROUTED);
		return 0;	/* dropped, as an unclaimed posted write */
	}
	mps = min_t(u32, ee_rp_mps(&port->rp), EE_MMIO_MAX_TLP);
	s = get_cpu_ptr(h->mmio_scratch);
	for (off = 0; off < len && !err; off += n) {
		u64 a = bus + off;

		/* No TLP above MPS or across a 4 KiB boundary. */
		n = min_t(u32, len - off, mps);
		n = min_t(u32, n, 4096 - (a & 4095));
		/* The payload's DWs: bytes at their lanes, the rest
		 * disabled (ee_tlp_init_mem() sets the byte enables).
		 */
		memset(data, 0, sizeof(data));
		memcpy(data + (a & 3), src + off, n);
		err = ee_tlp_init_mem(&tlp, true, port->devfn, 0, a, n, data);
		if (err)
			break;
		room = sizeof(s->payload) - used;
		if (ee_tlp_size(&tlp) > room) {
			err = ee_port_send(h, port, s->payload, used);
			used = 0;
			if (err)
				break;
		}
		m = ee_tlp_build(s->payload + used, sizeof(s->payload) - used,
				 &tlp);
		if (m < 0) {
			err = m;
			break;
		}
		used += m;
		ee_count(&h->xport, EE_C_MEM_WRITES);
	}
	if (!err && used)
		err = ee_port_send(h, port, s->payload, used);
	put_cpu_ptr(h->mmio_scratch);
	if (err)
		ee_count(&h->xport, EE_C_MEM_ERRORS);
	return 0;	/* posted: a lost write is the link's failure */
}
