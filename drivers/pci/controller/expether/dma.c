// SPDX-License-Identifier: GPL-2.0
/*
 * DMA for devices below expether, with isolation: a software IOMMU.
 *
 * A device's memory reads and writes arrive as MRd/MWr TLPs; the host
 * serves them from its own memory, but only inside what the device's
 * driver mapped through the DMA API.  Devices on our bus get dma_map_ops
 * of ours (installed when they are added, before any driver binds) that
 * give every mapping an I/O virtual address of its own and record it:
 *
 * - One IOVA space per root port (the devices behind one I/O bridge,
 *   like an IOMMU group), bus addresses 0x80000000..0xffffffff: below
 *   4 GiB so 32-bit devices work, clear of the MSI doorbell and the BAR
 *   windows.  Each mapping takes whole IOVA pages of its own (the offset
 *   in the page is kept), found first-fit above the last allocation (so
 *   a freed address is not reused at once) and indexed in an rbtree.
 * - A device access is allowed only if every byte it touches lies inside
 *   one mapping and the mapping's direction allows it (a DMA_TO_DEVICE
 *   buffer cannot be written by the device).  Byte-exact, not page-exact:
 *   the rest of a page a small buffer shares is out of reach too.
 * - Reads outside get an Unsupported Request completion, writes outside
 *   are dropped; both are counted and logged (rate-limited).  Nothing
 *   reaches memory while the root port's Bus Master Enable is off.
 * - The CPU moves the data (the "device" is a program on the network),
 *   through the kernel's direct map, under the space's lock, so an unmap
 *   never races with an access in flight; the copies are cache-coherent,
 *   so the sync operations have nothing to do.
 *
 * Completions follow PCIe: split at the 64-byte Read Completion Boundary,
 * none above the port's Max_Payload_Size (ee_cpl_split()), in order, on
 * the bridge's connection.
 */
#include <linux/dma-map-ops.h>
#include <linux/etherdevice.h>
#include <linux/gfp.h>
#include <linux/percpu.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "expether.h"

#define EE_IOVA_BASE		0x80000000UL
#define EE_IOVA_LAST		0xffffffffUL
#define EE_RCB			64	/* the root complex's RCB */

struct ee_dma_map {
	struct rb_node node;		/* in ee_iommu.maps_by_iova */
	u64 start;			/* its IOVA pages: [start, end) */
	u64 end;
	u64 iova;			/* the device's first byte */
	u32 len;
	phys_addr_t phys;
	enum dma_data_direction dir;
	struct device *dev;		/* whose driver mapped it */
};

/* ---- the IOVA space of a port --------------------------------------- */

void ee_iommu_init(struct ee_iommu *dom)
{
	spin_lock_init(&dom->lock);
	dom->maps_by_iova = RB_ROOT;
	dom->next = EE_IOVA_BASE;
	dom->maps = 0;
}

#define ee_map_of(n)	rb_entry(n, struct ee_dma_map, node)

/* The mapping whose pages hold @addr, or the first one above it. */
static struct ee_dma_map *ee_iova_find(struct ee_iommu *dom, u64 addr,
				       bool above)
{
	struct rb_node *n = dom->maps_by_iova.rb_node;
	struct ee_dma_map *next = NULL, *m;

	while (n) {
		m = ee_map_of(n);
		if (addr < m->start) {
			next = m;
			n = n->rb_left;
		} else if (addr >= m->end) {
			n = n->rb_right;
		} else {
			return m;
		}
	}
	return above ? next : NULL;
}

/*
 * IOVA pages for @size bytes (a page multiple): the first gap at or
 * above dom->next, wrapping once, so that a freed address is not handed
 * out again at once (a late device access to it then finds nothing).
 */
static int ee_iova_alloc(struct ee_iommu *dom, u64 size, u64 *start)
{
	struct ee_dma_map *m;
	struct rb_node *n;
	int pass;
	u64 cur;

	for (pass = 0; pass < 2; pass++) {
		cur = pass ? EE_IOVA_BASE : dom->next;
		m = ee_iova_find(dom, cur, true);
		if (m && m->start <= cur)
			cur = m->end;
		for (n = m ? &m->node : NULL; n; n = rb_next(n)) {
			m = ee_map_of(n);
			if (m->start >= cur + size)
				break;
			if (m->end > cur)
				cur = m->end;
		}
		if (cur + size - 1 <= EE_IOVA_LAST && cur + size > cur) {
			*start = cur;
			dom->next = cur + size > EE_IOVA_LAST ? EE_IOVA_BASE :
				    cur + size;
			return 0;
		}
	}
	return -ENOSPC;
}

static void ee_iova_insert(struct ee_iommu *dom, struct ee_dma_map *new)
{
	struct rb_node **p = &dom->maps_by_iova.rb_node, *parent = NULL;

	while (*p) {
		parent = *p;
		if (new->start < ee_map_of(parent)->start)
			p = &parent->rb_left;
		else
			p = &parent->rb_right;
	}
	rb_link_node(&new->node, parent, p);
	rb_insert_color(&new->node, &dom->maps_by_iova);
}

static void ee_iova_remove(struct ee_iommu *dom, struct ee_dma_map *m)
{
	rb_erase(&m->node, &dom->maps_by_iova);
	dom->maps--;
}

/* Forget every mapping (the driver leaked them; the device is gone). */
void ee_iommu_destroy(struct ee_iommu *dom)
{
	struct ee_dma_map *m, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&dom->lock, flags);
	rbtree_postorder_for_each_entry_safe(m, tmp, &dom->maps_by_iova, node)
		kfree(m);
	dom->maps_by_iova = RB_ROOT;
	dom->maps = 0;
	spin_unlock_irqrestore(&dom->lock, flags);
}

unsigned int ee_iommu_forget_dev(struct ee_iommu *dom, struct device *dev)
{
	struct ee_dma_map *m;
	struct rb_node *n;
	unsigned long flags;
	unsigned int count = 0;

	spin_lock_irqsave(&dom->lock, flags);
	for (n = rb_first(&dom->maps_by_iova); n; ) {
		m = ee_map_of(n);
		n = rb_next(n);
		if (m->dev != dev)
			continue;
		ee_iova_remove(dom, m);
		kfree(m);
		count++;
	}
	spin_unlock_irqrestore(&dom->lock, flags);
	return count;
}

static dma_addr_t ee_iommu_map(struct device *dev, struct ee_iommu *dom,
			       phys_addr_t phys, size_t size,
			       enum dma_data_direction dir)
{
	unsigned long flags;
	struct ee_dma_map *m;
	u64 start, bytes;
	int err;

	if (!size || size > U32_MAX)
		return DMA_MAPPING_ERROR;
	m = kmalloc(sizeof(*m), GFP_ATOMIC);
	if (!m)
		return DMA_MAPPING_ERROR;
	bytes = PAGE_ALIGN(offset_in_page(phys) + size);
	spin_lock_irqsave(&dom->lock, flags);
	err = ee_iova_alloc(dom, bytes, &start);
	if (!err) {
		m->start = start;
		m->end = start + bytes;
		m->iova = start + offset_in_page(phys);
		m->len = size;
		m->phys = phys;
		m->dir = dir;
		m->dev = dev;
		ee_iova_insert(dom, m);
		dom->maps++;
	}
	spin_unlock_irqrestore(&dom->lock, flags);
	if (err) {
		kfree(m);
		dev_err_ratelimited(dev, "expether: no IOVA space for %zu bytes\n",
				    size);
		return DMA_MAPPING_ERROR;
	}
	return m->iova;
}

static void ee_iommu_unmap(struct device *dev, struct ee_iommu *dom,
			   dma_addr_t addr, size_t size)
{
	struct ee_dma_map *m;
	unsigned long flags;

	spin_lock_irqsave(&dom->lock, flags);
	m = ee_iova_find(dom, addr, false);
	if (m && m->iova == addr)
		ee_iova_remove(dom, m);
	else
		m = NULL;
	spin_unlock_irqrestore(&dom->lock, flags);
	if (!m)
		dev_err_ratelimited(dev, "expether: unmap of %pad (%zu bytes), which is not mapped\n",
				    &addr, size);
	kfree(m);
}

/*
 * Copy the enabled bytes of [@addr, @addr + @len) to (@write) or from
 * the mapping that holds them all; false, touching nothing, if none does
 * or its direction forbids it.  @be: per-byte enables (NULL: all).
 */
static bool ee_iommu_access(struct ee_iommu *dom, u64 addr, u8 *buf,
			    const u8 *be, u32 len, bool write)
{
	struct ee_dma_map *m;
	unsigned long flags;
	u8 *va;
	bool ok;
	u32 i;

	spin_lock_irqsave(&dom->lock, flags);
	m = ee_iova_find(dom, addr, false);
	ok = m && addr >= m->iova && addr + len <= m->iova + m->len &&
	     m->dir != (write ? DMA_TO_DEVICE : DMA_FROM_DEVICE) &&
	     m->dir != DMA_NONE;
	if (ok) {
		va = phys_to_virt(m->phys + (addr - m->iova));
		for (i = 0; i < len; i++) {
			if (be && !be[i])
				continue;
			if (write)
				va[i] = buf[i];
			else
				buf[i] = va[i];
		}
	}
	spin_unlock_irqrestore(&dom->lock, flags);
	return ok;
}

/* ---- dma_map_ops ------------------------------------------------------ */

static struct ee_iommu *ee_dev_iommu(struct device *dev)
{
	struct ee_port *port = ee_port_of_dev(to_pci_dev(dev));

	return port ? &port->iommu : NULL;
}

static dma_addr_t ee_dma_map_page(struct device *dev, struct page *page,
				  unsigned long offset, size_t size,
				  enum dma_data_direction dir,
				  unsigned long attrs)
{
	struct ee_iommu *dom = ee_dev_iommu(dev);

	if (!dom)
		return DMA_MAPPING_ERROR;
	return ee_iommu_map(dev, dom, page_to_phys(page) + offset, size,
			    dir);
}

static void ee_dma_unmap_page(struct device *dev, dma_addr_t addr,
			      size_t size, enum dma_data_direction dir,
			      unsigned long attrs)
{
	struct ee_iommu *dom = ee_dev_iommu(dev);

	if (dom)
		ee_iommu_unmap(dev, dom, addr, size);
}

static void ee_dma_unmap_sg(struct device *dev, struct scatterlist *sgl,
			    int nents, enum dma_data_direction dir,
			    unsigned long attrs)
{
	struct ee_iommu *dom = ee_dev_iommu(dev);
	struct scatterlist *sg;
	int i;

	if (!dom)
		return;
	for_each_sg(sgl, sg, nents, i)
		if (sg_dma_len(sg))
			ee_iommu_unmap(dev, dom, sg_dma_address(sg),
				       sg_dma_len(sg));
}

static int ee_dma_map_sg(struct device *dev, struct scatterlist *sgl,
			 int nents, enum dma_data_direction dir,
			 unsigned long attrs)
{
	struct ee_iommu *dom = ee_dev_iommu(dev);
	struct scatterlist *sg;
	int i;

	if (!dom)
		return -EIO;
	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = ee_iommu_map(dev, dom, sg_phys(sg),
					       sg->length, dir);
		if (sg->dma_address == DMA_MAPPING_ERROR) {
			sg_dma_len(sg) = 0;
			ee_dma_unmap_sg(dev, sgl, i, dir, attrs);
			return -ENOMEM;
		}
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

/* Physically contiguous pages for @size bytes, anywhere in memory (the
 * IOVA hides where), as dma-direct without CMA: beyond the buddy
 * allocator's largest block the answer is NULL, not a warning.
 */
static struct page *ee_dma_pages(struct device *dev, size_t size, gfp_t gfp)
{
	if (get_order(size) >= MAX_ORDER)
		return NULL;
	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);
	return alloc_pages_node(dev_to_node(dev), gfp, get_order(size));
}

static void *ee_dma_alloc(struct device *dev, size_t size,
			  dma_addr_t *handle, gfp_t gfp, unsigned long attrs)
{
	struct ee_iommu *dom = ee_dev_iommu(dev);
	struct page *page;

	if (!dom)
		return NULL;
	page = ee_dma_pages(dev, size, gfp | __GFP_ZERO);
	if (!page)
		return NULL;
	*handle = ee_iommu_map(dev, dom, page_to_phys(page), size,
			       DMA_BIDIRECTIONAL);
	if (*handle == DMA_MAPPING_ERROR) {
		__free_pages(page, get_order(size));
		return NULL;
	}
	return page_address(page);
}

static void ee_dma_free(struct device *dev, size_t size, void *vaddr,
			dma_addr_t handle, unsigned long attrs)
{
	struct ee_iommu *dom = ee_dev_iommu(dev);

	if (dom)
		ee_iommu_unmap(dev, dom, handle, size);
	free_pages((unsigned long)vaddr, get_order(size));
}

static struct page *ee_dma_alloc_pages(struct device *dev, size_t size,
				       dma_addr_t *handle,
				       enum dma_data_direction dir, gfp_t gfp)
{
	struct ee_iommu *dom = ee_dev_iommu(dev);
	struct page *page;

	if (!dom)
		return NULL;
	page = ee_dma_pages(dev, size, gfp);
	if (!page)
		return NULL;
	*handle = ee_iommu_map(dev, dom, page_to_phys(page), size, dir);
	if (*handle == DMA_MAPPING_ERROR) {
		__free_pages(page, get_order(size));
		return NULL;
	}
	return page;
}

static void ee_dma_free_pages(struct device *dev, size_t size,
			      struct page *page, dma_addr_t handle,
			      enum dma_data_direction dir)
{
	struct ee_iommu *dom = ee_dev_iommu(dev);

	if (dom)
		ee_iommu_unmap(dev, dom, handle, size);
	__free_pages(page, get_order(size));
}

static dma_addr_t ee_dma_map_resource(struct device *dev, phys_addr_t phys,
				      size_t size,
				      enum dma_data_direction dir,
				      unsigned long attrs)
{
	/* Peer-to-peer through the host: not offered. */
	return DMA_MAPPING_ERROR;
}

static int ee_dma_supported(struct device *dev, u64 mask)
{
	return mask >= DMA_BIT_MASK(32);
}

static u64 ee_dma_required_mask(struct device *dev)
{
	return DMA_BIT_MASK(32);
}

static const struct dma_map_ops ee_dma_ops = {
	.alloc			= ee_dma_alloc,
	.free			= ee_dma_free,
	.alloc_pages		= ee_dma_alloc_pages,
	.free_pages		= ee_dma_free_pages,
	.map_page		= ee_dma_map_page,
	.unmap_page		= ee_dma_unmap_page,
	.map_sg			= ee_dma_map_sg,
	.unmap_sg		= ee_dma_unmap_sg,
	.map_resource		= ee_dma_map_resource,
	.dma_supported		= ee_dma_supported,
	.get_required_mask	= ee_dma_required_mask,
};

void ee_dma_setup_dev(struct pci_dev *pdev)
{
	set_dma_ops(&pdev->dev, &ee_dma_ops);
}

/* ---- device requests ------------------------------------------------- */

/* Per-byte enables of a memory request's DWs (length * 4 bytes). */
static void ee_tlp_bytes(const struct ee_tlp *t, u8 *be)
{
	u32 n = (u32)t->length * 4, i;

	for (i = 0; i < n; i++) {
		if (i < 4)
			be[i] = (t->first_be >> i) & 1;
		else if (t->length > 1 && i >= n - 4)
			be[i] = (t->last_be >> (i - (n - 4))) & 1;
		else
			be[i] = 1;
	}
}

/* The first and one past the last enabled byte; false if none. */
static bool ee_be_span(const u8 *be, u32 n, u32 *first, u32 *end)
{
	u32 i;

	for (i = 0; i < n && !be[i]; i++)
		;
	if (i == n)
		return false;
	*first = i;
	for (i = n; !be[i - 1]; i--)
		;
	*end = i;
	return true;
}

/*
 * Scratch for serving one request: its data and its enables; and the
 * completions of a frame's requests, sent together when the frame is done
 * (ee_dma_flush()) or the payload is full: a device that asks for several
 * reads at once gets their completions in as few frames.
 */
struct ee_dma_scratch {
	u8 data[4096];
	u8 be[4096];
	u8 payload[EXPETHER_MAX_PAYLOAD];
	u32 used;			/* bytes of payload pending */
	struct ee_port *port;		/* whose they are */
};

int ee_dma_init(struct ee_host *h)
{
	h->dma_scratch = alloc_percpu(struct ee_dma_scratch);
	return h->dma_scratch ? 0 : -ENOMEM;
}

void ee_dma_exit(struct ee_host *h)
{
	free_percpu(h->dma_scratch);
}

static void ee_dma_violation(struct ee_host *h, struct ee_port *port,
			     const struct ee_tlp *t, bool write)
{
	ee_count(&h->xport, write ? EE_C_DMA_WRITE_VIOLATIONS :
				    EE_C_DMA_READ_VIOLATIONS);
	ee_event_violation(h, port, write ? "write" : "read", t->addr,
			   t->length * 4U);
	dev_warn_ratelimited(&h->pdev->dev,
			     "slot %u: device %02x:%02x.%d %s %u bytes at %#llx outside any DMA mapping: %s\n",
			     port->rp.index + 1, PCI_BUS_NUM(t->req_id),
			     PCI_SLOT(t->req_id), PCI_FUNC(t->req_id),
			     write ? "wrote" : "read", t->length * 4U, t->addr,
			     write ? "dropped" : "Unsupported Request");
}

/* Send the pending completions. */
static void ee_dma_send(struct ee_host *h, struct ee_dma_scratch *s)
{
	if (s->used)
		ee_port_send(h, s->port, s->payload, s->used);
	s->used = 0;
}

void ee_dma_flush(struct ee_host *h)
{
	ee_dma_send(h, get_cpu_ptr(h->dma_scratch));
	put_cpu_ptr(h->dma_scratch);
}

/*
 * The completions of @req, added to the pending ones: @data holds its DWs
 * (NULL: an error @status).
 */
static void ee_dma_complete(struct ee_host *h, struct ee_port *port,
			    const struct ee_tlp *req, const u8 *data,
			    u8 status, struct ee_dma_scratch *s)
{
	u16 cpl_id = PCI_DEVID(0, port->devfn);
	u32 mps = ee_rp_mps(&port->rp), pos = 0;
	struct ee_cpl_part part;
	struct ee_tlp c;
	int n;

	do {
		if (data) {
			pos = ee_cpl_split(req, pos, EE_RCB, mps, &part);
			ee_tlp_init_cpl(&c, req, cpl_id, EE_CPL_SC,
					data + part.offset, part.length_dw,
					part.byte_count, part.lower_addr);
		} else {
			ee_tlp_init_cpl(&c, req, cpl_id, status, NULL, 0,
					min_t(u32, req->length * 4U, 4096),
					req->addr);
			pos = req->length * 4;
		}
		if (s->used + ee_tlp_size(&c) > EXPETHER_MAX_PAYLOAD)
			ee_dma_send(h, s);
		n = ee_tlp_build(s->payload + s->used,
				 EXPETHER_MAX_PAYLOAD - s->used, &c);
		if (n > 0)
			s->used += n;
	} while (pos < req->length * 4U);
}

static void ee_dma_mrd(struct ee_host *h, struct ee_port *port,
		       const struct ee_tlp *t, struct ee_dma_scratch *s)
{
	u32 n = (u32)t->length * 4, first, end;
	bool ok = true;

	ee_tlp_bytes(t, s->be);
	memset(s->data, 0, n);
	if (!ee_rp_bus_master(&port->rp)) {
		ee_count(&h->xport, EE_C_DMA_NO_MASTER);
		ok = false;
	} else if (ee_be_span(s->be, n, &first, &end)) {
		ok = ee_iommu_access(&port->iommu, t->addr + first,
				     s->data + first, s->be + first,
				     end - first, false);
		if (!ok)
			ee_dma_violation(h, port, t, false);
		else
			ee_count_add(&h->xport, EE_C_DMA_READ_BYTES,
				     end - first);
	}
	ee_count(&h->xport, EE_C_DMA_READS);
	ee_dma_complete(h, port, t, ok ? s->data : NULL, EE_CPL_UR, s);
}

static void ee_dma_mwr(struct ee_host *h, struct ee_port *port,
		       const struct ee_tlp *t, struct ee_dma_scratch *s)
{
	u32 n = (u32)t->length * 4, first, end;

	if (!ee_rp_bus_master(&port->rp)) {
		ee_count(&h->xport, EE_C_DMA_NO_MASTER);
		return;
	}
	ee_tlp_bytes(t, s->be);
	if (!ee_be_span(s->be, n, &first, &end))
		return;				/* zero-length write */
	memcpy(s->data, t->data, n);
	if (ee_iommu_access(&port->iommu, t->addr + first, s->data + first,
			    s->be + first, end - first, true)) {
		ee_count(&h->xport, EE_C_DMA_WRITES);
		ee_count_add(&h->xport, EE_C_DMA_WRITE_BYTES, end - first);
	} else {
		ee_dma_violation(h, port, t, true);
	}
}

void ee_dma_rx(struct ee_host *h, struct ee_port *port,
	       const struct ee_tlp *t)
{
	struct ee_dma_scratch *s;

	/* Interrupts (MSI/MSI-X) are writes to the doorbell. */
	if (t->kind == EE_TLP_MWR && ee_msi_doorbell(h, t->addr)) {
		ee_msi_rx(h, port, t);
		return;
	}
	/*
	 * Receive paths do not nest on a CPU (softirq, or a waiter with
	 * interrupts off that polls), so one scratch per CPU serves; the
	 * completions it holds are this frame's, sent after it
	 * (ee_dma_flush()).
	 */
	s = get_cpu_ptr(h->dma_scratch);
	if (s->used && s->port != port)
		ee_dma_send(h, s);
	s->port = port;
	if (t->kind == EE_TLP_MRD)
		ee_dma_mrd(h, port, t, s);
	else
		ee_dma_mwr(h, port, t, s);
	put_cpu_ptr(h->dma_scratch);
}
