// SPDX-License-Identifier: GPL-2.0
/*
 * eetestdev: a test-only PCI driver for eebox's "testdev" (1033:ee01),
 * used by the end-to-end tests to drive the data path the way a real
 * driver does: pci_iomap() of BAR0 (MMIO through expether's trap), the
 * DMA API (expether's software IOMMU), MSI-X.
 *
 * Each bound device gets /sys/kernel/debug/eetestdev/<pci name>/: write a
 * command to "run" (the write returns when the test is over: 0 if every
 * check passed, -EIO if not), read the outcome, one "key=value ..." line,
 * from "result".  Commands:
 *
 *   mmio ITERS [irqoff|plain]
 *	A kthread bound to each online CPU, ITERS times: read the DMA
 *	engine's ID register (a constant) and, in RAM of BAR0 of its own,
 *	write a value unique to (CPU, iteration) with writel, writeq,
 *	writew, writeb, memcpy_toio and read each back (readl, readq,
 *	readw, readb, memcpy_fromio).  irqoff (the default): every access
 *	inside spin_lock_irqsave().  Every value must be exact; reports
 *	reads, errors, all-ones, read latency median/p99/max.
 *   dma copy|fill|crc LEN
 *	Run the engine on buffers from the DMA API (dma_alloc_coherent for
 *	the source, dma_map_single of kmalloc'd memory for the destination),
 *	wait for its MSI-X completion interrupt, check every byte (the CRC
 *	against crc32c computed here).
 *   rogue
 *	A canary page that is not mapped for the device, a ROGUE command
 *	writing to its physical address and then to an IOVA that was mapped
 *	and unmapped: the canary must not change (expether drops and counts
 *	the writes).
 *   irq
 *	RAISE every MSI-X vector and wait for it; then mask vector 1 with
 *	disable_irq(), raise it (nothing may arrive), unmask (the pending
 *	interrupt must arrive).
 *   ctx COUNT softirq|irq
 *	COUNT reads of the ID register and write/read-back pairs of a RAM
 *	dword, one per callback: from a timer_list callback (softirq) on the
 *	writer's CPU, or from the device's own interrupt handler (MSI-X
 *	vector 2, raised COUNT times), as drivers read status registers
 *	there.  Every value exact.
 *   lat COUNT
 *	COUNT readl() of the DMA engine's ID register, one after the other,
 *	from the writer's own context and CPU (interrupts on), each timed:
 *	the MMIO read latency (make bench).  Every value must be the ID.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/crc32c.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/timer.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#define TD_VENDOR	0x1033
#define TD_DEVICE	0xee01

/* BAR0 (tools/eebox/dev_testdev.c) */
#define TD_DMA		0xc00
#define TD_DMA_ID	(TD_DMA + 0x00)
#define TD_DMA_ID_VAL	0x4d444545
#define TD_DMA_SRC	(TD_DMA + 0x08)
#define TD_DMA_DST	(TD_DMA + 0x10)
#define TD_DMA_LEN	(TD_DMA + 0x18)
#define TD_DMA_PATTERN	(TD_DMA + 0x1c)
#define TD_DMA_CMD	(TD_DMA + 0x20)
#define TD_DMA_STATUS	(TD_DMA + 0x24)
#define TD_DMA_RESULT	(TD_DMA + 0x28)
#define TD_DMA_COUNT	(TD_DMA + 0x2c)
#define TD_DMA_BYTES	(TD_DMA + 0x30)
#define TD_DMA_RAISE	(TD_DMA + 0x34)
#define TD_OP_COPY	1
#define TD_OP_FILL	2
#define TD_OP_CRC	3
#define TD_OP_ROGUE	4
#define TD_CMD_IRQ	BIT(8)
#define TD_ST_BUSY	BIT(0)
#define TD_ST_DONE	BIT(1)
#define TD_ST_ERROR	BIT(2)
#define TD_RAM		0x1000	/* RAM from here on: per-CPU slices */
#define TD_SLICE	0x400
#define TD_VECTORS	4

#define TD_DMA_TIMEOUT_MS	30000
#define TD_MAX_SAMPLES		65536	/* read latencies kept per CPU */

struct td_dev;
struct td_ctx_run;

struct td_thread {
	struct td_dev *td;
	struct task_struct *task;
	struct completion done;
	unsigned int cpu;
	unsigned int iters;
	bool irqoff;
	spinlock_t lock;		/* irqoff: the section of an iteration */
	u64 reads, errors, ones, mismatches;
	u32 *lat_ns;			/* read latencies */
	unsigned int nlat;
	u64 max_ns;
	char first_bad[96];
};

struct td_dev {
	struct pci_dev *pdev;
	void __iomem *bar;
	resource_size_t bar_len;
	int nvec;
	atomic_t irqs[TD_VECTORS];
	struct completion irq_done[TD_VECTORS];
	struct dentry *dir;
	struct mutex lock;		/* one test at a time */
	struct td_ctx_run *ctx_run;	/* "ctx irq": vector 2's handler reads */
	char result[512];
};

static struct dentry *td_root;

/* ---- interrupts --------------------------------------------------- */

static void td_ctx_once(struct td_ctx_run *r);

static irqreturn_t td_irq(int irq, void *arg)
{
	struct td_dev *td = arg;
	int v;

	for (v = 0; v < td->nvec; v++)
		if (pci_irq_vector(td->pdev, v) == irq) {
			struct td_ctx_run *r = READ_ONCE(td->ctx_run);

			if (v == 2 && r)
				td_ctx_once(r);
			atomic_inc(&td->irqs[v]);
			complete(&td->irq_done[v]);
			return IRQ_HANDLED;
		}
	return IRQ_NONE;
}

/* ---- mmio -------------------------------------------------------------- */

static u32 td_value(unsigned int cpu, u32 i)
{
	u32 v = (i + 1) * 0x9e3779b1u ^ (cpu << 24);

	return v == ~0U ? 0x5a5a5a5a : v;
}

static void td_bad(struct td_thread *th, const char *what, u64 got, u64 want)
{
	th->errors++;
	if (got == ~0ULL || got == 0xffffffffULL || got == 0xffff ||
	    got == 0xff)
		th->ones++;
	else
		th->mismatches++;
	if (!th->first_bad[0])
		snprintf(th->first_bad, sizeof(th->first_bad),
			 "cpu%u:%s:got=%#llx:want=%#llx", th->cpu, what, got,
			 want);
}

static u32 td_timed_readl(struct td_thread *th, void __iomem *a)
{
	u64 t = ktime_get_ns();
	u32 v = readl(a);

	t = ktime_get_ns() - t;
	if (th->nlat < TD_MAX_SAMPLES)
		th->lat_ns[th->nlat++] = min_t(u64, t, U32_MAX);
	if (t > th->max_ns)
		th->max_ns = t;
	th->reads++;
	return v;
}

static void td_mmio_accesses(struct td_thread *th, u32 i)
{
	void __iomem *ram = th->td->bar + TD_RAM + th->cpu * TD_SLICE;
	u32 v = td_value(th->cpu, i), got;
	u8 out[64], in[64];
	u64 q, qwant;
	unsigned int k;

	for (k = 0; k < sizeof(out); k++)
		out[k] = (u8)(v >> (8 * (k & 3))) ^ k;
	qwant = (u64)v << 32 | ~v;

	got = td_timed_readl(th, th->td->bar + TD_DMA_ID);
	if (got != TD_DMA_ID_VAL)
		td_bad(th, "id", got, TD_DMA_ID_VAL);
	writel(v, ram);
	got = td_timed_readl(th, ram);
	if (got != v)
		td_bad(th, "readl", got, v);
	writeq(qwant, ram + 8);
	q = readq(ram + 8);
	th->reads++;
	if (q != qwant)
		td_bad(th, "readq", q, qwant);
	writew((u16)v, ram + 18);
	writeb((u8)(v >> 16), ram + 21);
	got = readw(ram + 18);
	th->reads++;
	if (got != (u16)v)
		td_bad(th, "readw", got, (u16)v);
	got = readb(ram + 21);
	th->reads++;
	if (got != (u8)(v >> 16))
		td_bad(th, "readb", got, (u8)(v >> 16));
	/* Unaligned, odd length: the string forms, in pieces. */
	memcpy_toio(ram + 33, out, 61);
	memset(in, 0, sizeof(in));
	memcpy_fromio(in, ram + 33, 61);
	th->reads++;
	if (memcmp(in, out, 61))
		td_bad(th, "memcpy_fromio", in[0] | in[1] << 8,
		       out[0] | out[1] << 8);
}

static void td_mmio_iter(struct td_thread *th, u32 i)
{
	unsigned long flags;

	if (!th->irqoff) {
		td_mmio_accesses(th, i);
		return;
	}
	spin_lock_irqsave(&th->lock, flags);
	td_mmio_accesses(th, i);
	spin_unlock_irqrestore(&th->lock, flags);
}

static int td_mmio_thread(void *arg)
{
	struct td_thread *th = arg;
	u32 i;

	for (i = 0; i < th->iters && !kthread_should_stop(); i++) {
		td_mmio_iter(th, i);
		if (th->errors > 100)
			break;
		cond_resched();
	}
	complete(&th->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static int td_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int td_run_mmio(struct td_dev *td, unsigned int iters, bool irqoff)
{
	unsigned int ncpu = num_online_cpus(), n = 0, cpu, k;
	u64 reads = 0, errors = 0, ones = 0, mism = 0, max_ns = 0;
	struct td_thread *th;
	u32 *all, nall = 0;
	const char *bad = "";
	u64 t0 = ktime_get_ns();
	int ret = 0;

	if (TD_RAM + ncpu * TD_SLICE > td->bar_len)
		return -ENOSPC;
	th = kcalloc(ncpu, sizeof(*th), GFP_KERNEL);
	all = vmalloc(array_size(ncpu * TD_MAX_SAMPLES, sizeof(u32)));
	if (!th || !all) {
		kfree(th);
		vfree(all);
		return -ENOMEM;
	}
	for_each_online_cpu(cpu) {
		struct td_thread *t = &th[n];

		t->td = td;
		t->cpu = cpu;
		t->iters = iters;
		t->irqoff = irqoff;
		t->lat_ns = all + n * TD_MAX_SAMPLES;
		spin_lock_init(&t->lock);
		init_completion(&t->done);
		t->task = kthread_create_on_cpu(td_mmio_thread, t, cpu,
						"eetestdev/%u");
		if (IS_ERR(t->task)) {
			ret = PTR_ERR(t->task);
			break;
		}
		n++;
		if (n == ncpu)
			break;
	}
	for (k = 0; k < n; k++)
		wake_up_process(th[k].task);
	for (k = 0; k < n; k++) {
		/* A second at a time: a long test is no hung task. */
		while (!wait_for_completion_timeout(&th[k].done, HZ))
			;
		kthread_stop(th[k].task);
		reads += th[k].reads;
		errors += th[k].errors;
		ones += th[k].ones;
		mism += th[k].mismatches;
		max_ns = max(max_ns, th[k].max_ns);
		if (!*bad && th[k].first_bad[0])
			bad = th[k].first_bad;
		/* Compact the samples for the percentiles. */
		memmove(all + nall, th[k].lat_ns, th[k].nlat * sizeof(u32));
		nall += th[k].nlat;
	}
	sort(all, nall, sizeof(u32), td_cmp_u32, NULL);
	snprintf(td->result, sizeof(td->result),
		 "test=mmio mode=%s cpus=%u iters=%u reads=%llu errors=%llu ones=%llu mismatches=%llu read_median_us=%u read_p99_us=%u read_max_us=%llu secs=%llu first_bad=%s\n",
		 irqoff ? "irqoff" : "plain", n, iters, reads, errors, ones,
		 mism, nall ? all[nall / 2] / 1000 : 0,
		 nall ? all[nall * 99 / 100] / 1000 : 0, max_ns / 1000,
		 (ktime_get_ns() - t0) / NSEC_PER_SEC, *bad ? bad : "-");
	vfree(all);
	kfree(th);
	if (ret)
		return ret;
	return errors || n != ncpu ? -EIO : 0;
}

/* ---- dma ------------------------------------------------------------- */

/* Start a command and wait for its completion interrupt; the status. */
static int td_dma_cmd(struct td_dev *td, u32 op, u32 *status)
{
	unsigned long left;

	writel(TD_ST_DONE | TD_ST_ERROR, td->bar + TD_DMA_STATUS);
	reinit_completion(&td->irq_done[0]);
	writel(op | TD_CMD_IRQ, td->bar + TD_DMA_CMD);
	left = wait_for_completion_timeout(&td->irq_done[0],
					   msecs_to_jiffies(TD_DMA_TIMEOUT_MS));
	*status = readl(td->bar + TD_DMA_STATUS);
	if (!left)
		return -ETIMEDOUT;
	return (*status & TD_ST_ERROR) ? -EIO : 0;
}

static void td_fill_random(u8 *p, size_t len, u32 seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		p[i] = seed >> 16;
	}
}

static int td_run_dma(struct td_dev *td, const char *op, u32 len)
{
	struct device *dev = &td->pdev->dev;
	dma_addr_t src_dma, dst_dma = DMA_MAPPING_ERROR;
	u8 *src, *dst = NULL;
	u32 status = 0, crc = 0, want_crc, pattern = 0xa5c3e10f;
	u64 t0, ns = 0;
	size_t bad = SIZE_MAX, i;
	int ret;

	if (!len || len > (16U << 20))
		return -EINVAL;
	src = dma_alloc_coherent(dev, len, &src_dma, GFP_KERNEL);
	if (!src)
		return -ENOMEM;
	dst = kvmalloc(len, GFP_KERNEL);
	ret = -ENOMEM;
	if (!dst)
		goto out;
	td_fill_random(src, len, len);
	memset(dst, 0x5a, len);
	/* One mapping for a kmalloc'd buffer needs physical contiguity. */
	if (is_vmalloc_addr(dst)) {
		ret = -EINVAL;
		goto out;
	}
	dst_dma = dma_map_single(dev, dst, len, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, dst_dma)) {
		dst_dma = DMA_MAPPING_ERROR;
		goto out;
	}
	writeq(src_dma, td->bar + TD_DMA_SRC);
	writeq(dst_dma, td->bar + TD_DMA_DST);
	writel(len, td->bar + TD_DMA_LEN);
	writel(pattern, td->bar + TD_DMA_PATTERN);

	t0 = ktime_get_ns();
	if (!strcmp(op, "copy"))
		ret = td_dma_cmd(td, TD_OP_COPY, &status);
	else if (!strcmp(op, "fill"))
		ret = td_dma_cmd(td, TD_OP_FILL, &status);
	else if (!strcmp(op, "crc"))
		ret = td_dma_cmd(td, TD_OP_CRC, &status);
	else
		ret = -EINVAL;
	ns = ktime_get_ns() - t0;
	dma_unmap_single(dev, dst_dma, len, DMA_FROM_DEVICE);
	dst_dma = DMA_MAPPING_ERROR;
	if (ret)
		goto report;

	if (!strcmp(op, "copy")) {
		for (i = 0; i < len && bad == SIZE_MAX; i++)
			if (dst[i] != src[i])
				bad = i;
	} else if (!strcmp(op, "fill")) {
		for (i = 0; i < len && bad == SIZE_MAX; i++)
			if (dst[i] != (u8)(pattern >> (8 * (i % 4))))
				bad = i;
	} else {
		crc = readl(td->bar + TD_DMA_RESULT);
		want_crc = ~crc32c(~0U, src, len);
		if (crc != want_crc)
			bad = 0;
	}
	if (bad != SIZE_MAX)
		ret = -EIO;
report:
	snprintf(td->result, sizeof(td->result),
		 "test=dma op=%s len=%u ret=%d status=%#x first_bad=%zd crc=%#x bytes=%u usecs=%llu MBps=%llu\n",
		 op, len, ret, status, bad == SIZE_MAX ? (ssize_t)-1 :
		 (ssize_t)bad, crc, readl(td->bar + TD_DMA_BYTES),
		 ns / 1000, ns ? (u64)len * 1000 / ns : 0);
out:
	if (dst_dma != DMA_MAPPING_ERROR)
		dma_unmap_single(dev, dst_dma, len, DMA_FROM_DEVICE);
	kvfree(dst);
	dma_free_coherent(dev, len, src, src_dma);
	return ret;
}

/* The device writes where nothing was mapped for it. */
static int td_run_rogue(struct td_dev *td)
{
	struct device *dev = &td->pdev->dev;
	u32 status1 = 0, status2 = 0, changed = 0, i;
	struct page *canary;
	dma_addr_t stale;
	u8 *c, *buf;
	int ret = -ENOMEM;

	canary = alloc_page(GFP_KERNEL);
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!canary || !buf)
		goto out;
	c = page_address(canary);
	memset(c, 0xc3, PAGE_SIZE);
	memset(buf, 0x3c, PAGE_SIZE);

	/* 1: the canary's physical address, never mapped. */
	writeq(page_to_phys(canary), td->bar + TD_DMA_DST);
	writel(256, td->bar + TD_DMA_LEN);
	writel(0xdeadbeef, td->bar + TD_DMA_PATTERN);
	td_dma_cmd(td, TD_OP_ROGUE, &status1);

	/* 2: an IOVA that was mapped, then unmapped (a stale pointer). */
	stale = dma_map_single(dev, buf, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, stale)) {
		ret = -ENOMEM;
		goto out;
	}
	dma_unmap_single(dev, stale, PAGE_SIZE, DMA_BIDIRECTIONAL);
	writeq(stale, td->bar + TD_DMA_DST);
	td_dma_cmd(td, TD_OP_ROGUE, &status2);

	/* Writes are posted: a read flushes them through the link. */
	readl(td->bar + TD_DMA_ID);
	for (i = 0; i < PAGE_SIZE; i++) {
		changed += c[i] != 0xc3;
		changed += buf[i] != 0x3c;
	}
	ret = changed ? -EIO : 0;
	snprintf(td->result, sizeof(td->result),
		 "test=rogue canary_phys=%#llx stale_iova=%#llx status_phys=%#x status_stale=%#x changed_bytes=%u\n",
		 (u64)page_to_phys(canary), (u64)stale, status1, status2,
		 changed);
out:
	kfree(buf);
	if (canary)
		__free_page(canary);
	return ret;
}

/* ---- interrupts test ------------------------------------------------ */

static int td_run_irq(struct td_dev *td)
{
	int v, ret = 0, before, pending_ok = 0, masked_ok = 0, fired = 0;

	for (v = 0; v < td->nvec; v++) {
		reinit_completion(&td->irq_done[v]);
		before = atomic_read(&td->irqs[v]);
		writel(v, td->bar + TD_DMA_RAISE);
		if (wait_for_completion_timeout(&td->irq_done[v], 5 * HZ) &&
		    atomic_read(&td->irqs[v]) == before + 1)
			fired++;
	}
	if (td->nvec > 1) {
		int irq = pci_irq_vector(td->pdev, 1);

		disable_irq(irq);
		reinit_completion(&td->irq_done[1]);
		before = atomic_read(&td->irqs[1]);
		writel(1, td->bar + TD_DMA_RAISE);
		/* A read flushes the posted RAISE through; then wait. */
		readl(td->bar + TD_DMA_ID);
		msleep(200);
		masked_ok = atomic_read(&td->irqs[1]) == before;
		enable_irq(irq);
		pending_ok = wait_for_completion_timeout(&td->irq_done[1],
							 5 * HZ) &&
			     atomic_read(&td->irqs[1]) == before + 1;
	}
	if (fired != td->nvec || (td->nvec > 1 && (!masked_ok || !pending_ok)))
		ret = -EIO;
	snprintf(td->result, sizeof(td->result),
		 "test=irq vectors=%d fired=%d masked_ok=%d pending_ok=%d\n",
		 td->nvec, fired, masked_ok, pending_ok);
	return ret;
}

/* ---- MMIO from interrupt contexts ------------------------------------- */

struct td_ctx_run {
	struct td_dev *td;
	struct timer_list timer;
	struct completion done;
	unsigned int left, runs;
	u64 errors;
	bool irq_seen, soft_seen;
	char first_bad[96];
};

/* One read of the ID, one write/read-back; in the callback's context. */
static void td_ctx_once(struct td_ctx_run *r)
{
	void __iomem *ram = r->td->bar + TD_RAM + 0x800;
	u32 v = td_value(r->runs, r->left), id, got;

	id = readl(r->td->bar + TD_DMA_ID);
	writel(v, ram);
	got = readl(ram);
	if (irqs_disabled() && !in_serving_softirq())
		r->irq_seen = true;
	else if (in_serving_softirq())
		r->soft_seen = true;
	if ((id != TD_DMA_ID_VAL || got != v) && !r->errors++)
		snprintf(r->first_bad, sizeof(r->first_bad),
			 "id=%#x got=%#x want=%#x", id, got, v);
	r->runs++;
}

static void td_ctx_timer(struct timer_list *t)
{
	struct td_ctx_run *r = from_timer(r, t, timer);

	td_ctx_once(r);
	if (--r->left)
		mod_timer(&r->timer, jiffies + 1);
	else
		complete(&r->done);
}

static int td_run_ctx(struct td_dev *td, unsigned int count, const char *ctx)
{
	bool irq = !strcmp(ctx, "irq");
	struct td_ctx_run *r;
	unsigned int i;
	int ret = 0;

	if (!count || count > 100000 || (!irq && strcmp(ctx, "softirq")) ||
	    (irq && td->nvec < 3))
		return -EINVAL;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->td = td;
	r->left = count;
	init_completion(&r->done);
	if (irq) {
		/* The handler of vector 2 does one round per interrupt. */
		WRITE_ONCE(td->ctx_run, r);
		for (i = 0; i < count && !ret; i++) {
			reinit_completion(&td->irq_done[2]);
			writel(2, td->bar + TD_DMA_RAISE);
			if (!wait_for_completion_timeout(&td->irq_done[2],
							 5 * HZ))
				ret = -ETIMEDOUT;
		}
		WRITE_ONCE(td->ctx_run, NULL);
		synchronize_irq(pci_irq_vector(td->pdev, 2));
	} else {
		timer_setup(&r->timer, td_ctx_timer, 0);
		mod_timer(&r->timer, jiffies + 1);
		/* A second at a time: a long test is no hung task. */
		while (!wait_for_completion_timeout(&r->done, HZ))
			;
		del_timer_sync(&r->timer);
	}
	if (!ret && (r->errors || r->runs != count ||
		     !(irq ? r->irq_seen : r->soft_seen)))
		ret = -EIO;
	snprintf(td->result, sizeof(td->result),
		 "test=ctx ctx=%s runs=%u errors=%llu in_context=%d first_bad=%s\n",
		 ctx, r->runs, r->errors, irq ? r->irq_seen : r->soft_seen,
		 r->first_bad[0] ? r->first_bad : "-");
	kfree(r);
	return ret;
}

/* ---- read latency ------------------------------------------------------ */

static int td_run_lat(struct td_dev *td, unsigned int count)
{
	u64 sum = 0, t, bad = 0;
	unsigned int i;
	u32 *lat;

	if (!count || count > 1000000)
		return -EINVAL;
	lat = vmalloc(array_size(count, sizeof(u32)));
	if (!lat)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		t = ktime_get_ns();
		if (readl(td->bar + TD_DMA_ID) != TD_DMA_ID_VAL)
			bad++;
		t = ktime_get_ns() - t;
		lat[i] = min_t(u64, t, U32_MAX);
		sum += t;
		if (!(i % 64))
			cond_resched();
	}
	sort(lat, count, sizeof(u32), td_cmp_u32, NULL);
	snprintf(td->result, sizeof(td->result),
		 "test=lat count=%u bad=%llu min_ns=%u median_ns=%u p99_ns=%u max_ns=%u mean_ns=%llu cpu=%d\n",
		 count, bad, lat[0], lat[count / 2], lat[count * 99 / 100],
		 lat[count - 1], sum / count, raw_smp_processor_id());
	vfree(lat);
	return bad ? -EIO : 0;
}

/* ---- debugfs ---------------------------------------------------------- */

static ssize_t td_run_write(struct file *f, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct td_dev *td = f->private_data;
	char buf[64], a[16] = "", b[16] = "";
	unsigned int n = 0;
	int ret, args;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	args = sscanf(buf, "%15s %u %15s", a, &n, b);
	if (args < 1)
		return -EINVAL;
	if (!strcmp(a, "dma"))
		args = sscanf(buf, "%15s %15s %u", a, b, &n);

	mutex_lock(&td->lock);
	td->result[0] = '\0';
	if (!strcmp(a, "mmio") && args >= 2)
		ret = td_run_mmio(td, n, args < 3 || strcmp(b, "plain"));
	else if (!strcmp(a, "dma") && args == 3)
		ret = td_run_dma(td, b, n);
	else if (!strcmp(a, "rogue"))
		ret = td_run_rogue(td);
	else if (!strcmp(a, "irq"))
		ret = td_run_irq(td);
	else if (!strcmp(a, "ctx") && args == 3)
		ret = td_run_ctx(td, n, b);
	else if (!strcmp(a, "lat") && args >= 2)
		ret = td_run_lat(td, n);
	else
		ret = -EINVAL;
	mutex_unlock(&td->lock);
	return ret ? ret : len;
}

static ssize_t td_result_read(struct file *f, char __user *ubuf, size_t len,
			      loff_t *ppos)
{
	struct td_dev *td = f->private_data;
	ssize_t ret;

	mutex_lock(&td->lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, td->result,
				      strlen(td->result));
	mutex_unlock(&td->lock);
	return ret;
}

static const struct file_operations td_run_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = td_run_write,
};

static const struct file_operations td_result_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = td_result_read,
};

/* ---- driver ------------------------------------------------------------ */

static int td_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct td_dev *td;
	int ret, v;

	td = devm_kzalloc(&pdev->dev, sizeof(*td), GFP_KERNEL);
	if (!td)
		return -ENOMEM;
	td->pdev = pdev;
	mutex_init(&td->lock);
	for (v = 0; v < TD_VECTORS; v++)
		init_completion(&td->irq_done[v]);

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return ret;
	td->bar = pcim_iomap_table(pdev)[0];
	td->bar_len = pci_resource_len(pdev, 0);
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	if (readl(td->bar + TD_DMA_ID) != TD_DMA_ID_VAL) {
		pci_err(pdev, "no DMA engine at BAR0+%#x\n", TD_DMA);
		return -ENODEV;
	}
	td->nvec = pci_alloc_irq_vectors(pdev, 1, TD_VECTORS, PCI_IRQ_MSIX);
	if (td->nvec < 0)
		return td->nvec;
	for (v = 0; v < td->nvec; v++) {
		ret = request_irq(pci_irq_vector(pdev, v), td_irq, 0,
				  KBUILD_MODNAME, td);
		if (ret)
			goto free_irqs;
	}
	td->dir = debugfs_create_dir(pci_name(pdev), td_root);
	debugfs_create_file("run", 0200, td->dir, td, &td_run_fops);
	debugfs_create_file("result", 0400, td->dir, td, &td_result_fops);
	pci_set_drvdata(pdev, td);
	pci_info(pdev, "eetestdev: BAR0 %pR, %d MSI-X vectors\n",
		 &pdev->resource[0], td->nvec);
	return 0;

free_irqs:
	while (v--)
		free_irq(pci_irq_vector(pdev, v), td);
	pci_free_irq_vectors(pdev);
	return ret;
}

static void td_remove(struct pci_dev *pdev)
{
	struct td_dev *td = pci_get_drvdata(pdev);
	int v;

	debugfs_remove_recursive(td->dir);
	for (v = 0; v < td->nvec; v++)
		free_irq(pci_irq_vector(pdev, v), td);
	pci_free_irq_vectors(pdev);
}

static const struct pci_device_id td_ids[] = {
	{ PCI_DEVICE(TD_VENDOR, TD_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, td_ids);

static struct pci_driver td_driver = {
	.name = KBUILD_MODNAME,
	.id_table = td_ids,
	.probe = td_probe,
	.remove = td_remove,
};

static int __init td_init(void)
{
	int ret;

	td_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	ret = pci_register_driver(&td_driver);
	if (ret)
		debugfs_remove_recursive(td_root);
	return ret;
}

static void __exit td_exit(void)
{
	pci_unregister_driver(&td_driver);
	debugfs_remove_recursive(td_root);
}

module_init(td_init);
module_exit(td_exit);

MODULE_DESCRIPTION("expether test driver for eebox's testdev");
MODULE_AUTHOR("The expether developers");
MODULE_LICENSE("GPL");
