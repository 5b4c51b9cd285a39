// SPDX-License-Identifier: GPL-2.0
/*
 * eecfgstress: a test-only module that hammers the config space of eebox's
 * "testdev" (1033:ee01) from a kthread bound to every online CPU and checks
 * every result.  Loading it runs the test; init returns 0 only if every
 * access was right, so `modprobe eecfgstress ...` is the verdict.
 *
 * Each iteration, for each device:
 *   - read the Vendor/Device ID dword, which must be 0xee011033 (unless
 *     idread=0);
 *   - write a value unique to (CPU, iteration, device) to the scratch
 *     dword of the vendor-specific capability, read it back, compare.
 *     The pair is serialized across CPUs, so the read-back must be exact.
 *
 * mode=irqoff: the ID read inside spin_lock_irqsave() of a lock of its own
 *   thread (the CPUs read concurrently), the scratch pair inside
 *   spin_lock_irqsave() of one global lock: every access waits for its
 *   completion with interrupts off, even on the CPU the NIC interrupts.
 *   expether transmits those straight to the driver (no qdisc).
 * mode=sleep: the same accesses from plain process context (x86 config
 *   accesses take no pci_lock), the pair under a mutex: expether's
 *   waiters sleep, and its frames go through the qdisc (netem).
 *
 * Output: kernel log lines "eecfgstress: TAG KIND key=value ...", KIND one
 * of start, dev, cpu, bad (the first few failed accesses per CPU), result.
 * Documentation: selftests/expether/README.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#define CS_VENDOR	0x1033
#define CS_DEVICE	0xee01
#define CS_ID		((u32)CS_DEVICE << 16 | CS_VENDOR)
#define CS_SCRATCH	4	/* offset of the scratch dword in the capability */
#define CS_MAX_DEVS	16
#define CS_MAX_BAD	4	/* failed accesses reported per CPU */
#define CS_GRACE_S	30	/* after timeout_s, before a thread is "stuck" */

static unsigned int iters = 1000;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "iterations per CPU (default 1000)");

static char *mode = "irqoff";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "irqoff: accesses with interrupts off; sleep: from process context");

static char *dev;
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "only this testdev (pci_name, e.g. ee00:01:00.0); default: all");

static char *tag = "-";
module_param(tag, charp, 0444);
MODULE_PARM_DESC(tag, "label of the run in the log lines (no spaces)");

static unsigned int timeout_s = 300;
module_param(timeout_s, uint, 0444);
MODULE_PARM_DESC(timeout_s, "stop and fail after this many seconds (default 300)");

static unsigned int max_errors = 100;
module_param(max_errors, uint, 0444);
MODULE_PARM_DESC(max_errors, "a CPU stops after this many failed checks, 0: never (default 100)");

static bool idread = true;
module_param(idread, bool, 0444);
MODULE_PARM_DESC(idread, "read and check the Vendor/Device ID each iteration (default 1)");

static unsigned int seed;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "mixed into the values written (default 0)");

enum cs_op { CS_OP_ID, CS_OP_WRITE, CS_OP_READBACK };
static const char *const cs_op_name[] = {
	[CS_OP_ID] = "id",
	[CS_OP_WRITE] = "write",
	[CS_OP_READBACK] = "readback",
};

struct cs_dev {
	struct pci_dev *pdev;
	int scratch;		/* config offset of the scratch dword */
};

struct cs_bad {
	u32 iter;
	u8 dev;
	u8 op;			/* enum cs_op */
	int rc;			/* PCIBIOS_* */
	u32 got;
	u32 want;
};

struct cs_thread {
	struct task_struct *task;
	struct completion done;
	unsigned int cpu;
	spinlock_t lock;	/* irqoff: section of the ID read */
	/* Results, read by init after @done. */
	u64 ops;		/* config accesses */
	u64 pairs;		/* scratch write + read-back pairs */
	u64 errors;		/* failed checks (all kinds below) */
	u64 ones;		/* ... reads that returned all-ones */
	u64 mismatches;		/* ... reads of other data */
	u64 rcerrs;		/* ... accesses that returned an error */
	u64 max_ns;		/* slowest access */
	u64 sum_ns;
	u64 elapsed_ns;
	const char *stop;	/* done, gone, errors, deadline, stopped */
	bool stuck;		/* set by init: did not finish in time */
	unsigned int nbad;
	struct cs_bad bad[CS_MAX_BAD];
};

static struct cs_dev cs_devs[CS_MAX_DEVS];
static unsigned int cs_ndevs;
static bool cs_irqoff;
static u64 cs_deadline;		/* ktime_get_ns() after which threads stop */
static bool cs_abort;

/* Serializes the scratch pairs across CPUs. */
static DEFINE_SPINLOCK(cs_pair_lock);	/* irqoff */
static DEFINE_MUTEX(cs_pair_mutex);	/* sleep */

static u32 cs_value(unsigned int cpu, u32 iter, unsigned int d)
{
	u32 v = ((iter + 1) * 0x9e3779b1u) ^ ((u32)cpu << 24) ^ ((u32)d << 16) ^ seed;

	/* All-ones is what a failed read returns: never expect it. */
	if (v == ~0U || v == 0)
		v = 0x5aa5c33c ^ cpu;
	return v;
}

/* The device was hot-removed (or is being): stop using it. */
static bool cs_gone(const struct cs_dev *d)
{
	return READ_ONCE(d->pdev->error_state) == pci_channel_io_perm_failure ||
	       !device_is_registered(&d->pdev->dev);
}

static void cs_time(struct cs_thread *th, u64 t0)
{
	u64 ns = ktime_get_ns() - t0;

	th->ops++;
	th->sum_ns += ns;
	if (ns > th->max_ns)
		th->max_ns = ns;
}

/* Check one access; returns true if it was right. */
static bool cs_check(struct cs_thread *th, u32 iter, unsigned int d,
		     enum cs_op op, int rc, u32 got, u32 want)
{
	struct cs_bad *b;

	if (!rc && (op == CS_OP_WRITE || got == want))
		return true;
	th->errors++;
	if (rc)
		th->rcerrs++;
	else if (got == ~0U)
		th->ones++;
	else
		th->mismatches++;
	if (th->nbad < CS_MAX_BAD) {
		b = &th->bad[th->nbad++];
		b->iter = iter;
		b->dev = d;
		b->op = op;
		b->rc = rc;
		b->got = got;
		b->want = want;
	}
	return false;
}

static void cs_iter_irqoff(struct cs_thread *th, u32 iter, unsigned int d)
{
	struct pci_dev *pdev = cs_devs[d].pdev;
	int where = cs_devs[d].scratch;
	u32 want = cs_value(th->cpu, iter, d), id = 0, got = 0;
	int rc_id, rc_w, rc_r;
	unsigned long flags;
	u64 t;

	if (idread) {
		spin_lock_irqsave(&th->lock, flags);
		t = ktime_get_ns();
		rc_id = pci_read_config_dword(pdev, PCI_VENDOR_ID, &id);
		cs_time(th, t);
		spin_unlock_irqrestore(&th->lock, flags);
		cs_check(th, iter, d, CS_OP_ID, rc_id, id, CS_ID);
	}

	spin_lock_irqsave(&cs_pair_lock, flags);
	t = ktime_get_ns();
	rc_w = pci_write_config_dword(pdev, where, want);
	cs_time(th, t);
	t = ktime_get_ns();
	rc_r = pci_read_config_dword(pdev, where, &got);
	cs_time(th, t);
	spin_unlock_irqrestore(&cs_pair_lock, flags);
	th->pairs++;
	cs_check(th, iter, d, CS_OP_WRITE, rc_w, want, want);
	cs_check(th, iter, d, CS_OP_READBACK, rc_r, got, want);
}

static void cs_iter_sleep(struct cs_thread *th, u32 iter, unsigned int d)
{
	struct pci_dev *pdev = cs_devs[d].pdev;
	int where = cs_devs[d].scratch;
	u32 want = cs_value(th->cpu, iter, d), id = 0, got = 0;
	int rc_id, rc_w, rc_r;
	u64 t;

	if (idread) {
		t = ktime_get_ns();
		rc_id = pci_read_config_dword(pdev, PCI_VENDOR_ID, &id);
		cs_time(th, t);
		cs_check(th, iter, d, CS_OP_ID, rc_id, id, CS_ID);
	}

	mutex_lock(&cs_pair_mutex);
	t = ktime_get_ns();
	rc_w = pci_write_config_dword(pdev, where, want);
	cs_time(th, t);
	t = ktime_get_ns();
	rc_r = pci_read_config_dword(pdev, where, &got);
	cs_time(th, t);
	mutex_unlock(&cs_pair_mutex);
	th->pairs++;
	cs_check(th, iter, d, CS_OP_WRITE, rc_w, want, want);
	cs_check(th, iter, d, CS_OP_READBACK, rc_r, got, want);
}

static int cs_thread_fn(void *arg)
{
	struct cs_thread *th = arg;
	u64 t0 = ktime_get_ns();
	unsigned int d, live;
	u32 i;

	th->stop = "done";
	for (i = 0; i < iters; i++) {
		if (kthread_should_stop() || READ_ONCE(cs_abort)) {
			th->stop = "stopped";
			break;
		}
		if (ktime_get_ns() > cs_deadline) {
			th->stop = "deadline";
			break;
		}
		live = 0;
		for (d = 0; d < cs_ndevs; d++) {
			if (cs_gone(&cs_devs[d]))
				continue;
			live++;
			if (cs_irqoff)
				cs_iter_irqoff(th, i, d);
			else
				cs_iter_sleep(th, i, d);
		}
		if (!live) {
			th->stop = "gone";
			break;
		}
		if (max_errors && th->errors >= max_errors) {
			th->stop = "errors";
			break;
		}
		cond_resched();
	}
	th->elapsed_ns = ktime_get_ns() - t0;
	complete(&th->done);
	return 0;
}

static int cs_find_devs(void)
{
	struct pci_dev *pdev = NULL;
	int cap;

	while ((pdev = pci_get_device(CS_VENDOR, CS_DEVICE, pdev))) {
		if (dev && *dev && strcmp(dev, pci_name(pdev)))
			continue;
		if (cs_ndevs == CS_MAX_DEVS) {
			pr_info("%s dev limit=%d\n", tag, CS_MAX_DEVS);
			pci_dev_put(pdev);
			break;
		}
		cap = pci_find_capability(pdev, PCI_CAP_ID_VNDR);
		if (!cap) {
			pr_warn("%s bad dev=%s reason=no-vendor-capability\n",
				tag, pci_name(pdev));
			continue;
		}
		cs_devs[cs_ndevs].pdev = pci_dev_get(pdev);
		cs_devs[cs_ndevs].scratch = cap + CS_SCRATCH;
		pr_info("%s dev name=%s scratch=0x%x\n", tag, pci_name(pdev),
			cap + CS_SCRATCH);
		cs_ndevs++;
	}
	return cs_ndevs ? 0 : -ENODEV;
}

static void cs_put_devs(void)
{
	while (cs_ndevs)
		pci_dev_put(cs_devs[--cs_ndevs].pdev);
}

/*
 * Wait for @th, bounded: false if it is still running at @end (jiffies).
 * One second at a time, so a long test is no hung task; a fatal signal to
 * modprobe stops every thread at its next iteration.
 */
static bool cs_wait(struct cs_thread *th, unsigned long end)
{
	while (time_before(jiffies, end)) {
		if (wait_for_completion_timeout(&th->done, HZ))
			return true;
		if (fatal_signal_pending(current))
			WRITE_ONCE(cs_abort, true);
	}
	return completion_done(&th->done);
}

/* Worse reasons first: the one reported for the whole run. */
static int cs_stop_rank(const char *stop)
{
	static const char *const order[] = {
		"stuck", "deadline", "errors", "stopped", "gone", "done",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(order); i++)
		if (!strcmp(stop, order[i]))
			return i;
	return 0;
}

static void cs_report_thread(const struct cs_thread *th)
{
	unsigned int i;

	pr_info("%s cpu cpu=%u ops=%llu pairs=%llu errors=%llu ones=%llu mismatches=%llu rcerrs=%llu max_us=%llu avg_us=%llu stop=%s elapsed_ms=%llu\n",
		tag, th->cpu, th->ops, th->pairs, th->errors, th->ones,
		th->mismatches, th->rcerrs, div_u64(th->max_ns, 1000),
		th->ops ? div64_u64(th->sum_ns, th->ops * 1000) : 0,
		th->stop, div_u64(th->elapsed_ns, NSEC_PER_MSEC));
	for (i = 0; i < th->nbad; i++) {
		const struct cs_bad *b = &th->bad[i];

		pr_warn("%s bad cpu=%u iter=%u dev=%s op=%s rc=%d got=%08x want=%08x\n",
			tag, th->cpu, b->iter, pci_name(cs_devs[b->dev].pdev),
			cs_op_name[b->op], b->rc, b->got, b->want);
	}
}

static int __init cs_init(void)
{
	u64 ops = 0, pairs = 0, errors = 0, ones = 0, mism = 0, rcerrs = 0;
	u64 max_ns = 0, t0 = ktime_get_ns();
	struct cs_thread *threads;
	const char *stop = "done";
	unsigned int n = 0, i, cpu;
	unsigned long end;
	bool pass;
	int err;

	if (!strcmp(mode, "irqoff")) {
		cs_irqoff = true;
	} else if (strcmp(mode, "sleep")) {
		pr_err("mode=%s: want irqoff or sleep\n", mode);
		return -EINVAL;
	}
	if (!timeout_s) {
		pr_err("timeout_s=0: want a bound\n");
		return -EINVAL;
	}
	cs_abort = false;
	err = cs_find_devs();
	if (err) {
		pr_err("%s result status=fail reason=no-testdev dev=%s\n", tag,
		       dev && *dev ? dev : "any");
		return err;
	}

	threads = kcalloc(nr_cpu_ids, sizeof(*threads), GFP_KERNEL);
	if (!threads) {
		cs_put_devs();
		return -ENOMEM;
	}
	cs_deadline = t0 + (u64)timeout_s * NSEC_PER_SEC;

	cpus_read_lock();
	pr_info("%s start mode=%s iters=%u cpus=%u devs=%u idread=%d timeout_s=%u max_errors=%u\n",
		tag, mode, iters, num_online_cpus(), cs_ndevs, idread,
		timeout_s, max_errors);
	for_each_online_cpu(cpu) {
		struct cs_thread *th = &threads[n];
		struct task_struct *t;

		th->cpu = cpu;
		spin_lock_init(&th->lock);
		init_completion(&th->done);
		t = kthread_create(cs_thread_fn, th, "eecfgstress/%u", cpu);
		if (IS_ERR(t)) {
			err = PTR_ERR(t);
			break;
		}
		kthread_bind(t, cpu);
		/* kthread_stop() may come after the thread returned. */
		get_task_struct(t);
		th->task = t;
		n++;
	}
	cpus_read_unlock();
	if (err)
		WRITE_ONCE(cs_abort, true);
	for (i = 0; i < n; i++)
		wake_up_process(threads[i].task);

	end = jiffies + (unsigned long)(timeout_s + CS_GRACE_S) * HZ;
	for (i = 0; i < n; i++) {
		struct cs_thread *th = &threads[i];

		if (!cs_wait(th, end)) {
			/* A config access that does not return. */
			pr_err("%s cpu cpu=%u stop=stuck\n", tag, th->cpu);
			th->stuck = true;
			WRITE_ONCE(cs_abort, true);
		}
	}
	for (i = 0; i < n; i++) {
		struct cs_thread *th = &threads[i];

		kthread_stop(th->task);
		put_task_struct(th->task);
		if (th->stuck) {
			th->stop = "stuck";
			th->errors++;
		}
		cs_report_thread(th);
		ops += th->ops;
		pairs += th->pairs;
		errors += th->errors;
		ones += th->ones;
		mism += th->mismatches;
		rcerrs += th->rcerrs;
		max_ns = max(max_ns, th->max_ns);
		if (cs_stop_rank(th->stop) < cs_stop_rank(stop))
			stop = th->stop;
	}
	if (err)
		stop = "no-thread";
	pass = !err && !errors && !strcmp(stop, "done");
	pr_info("%s result status=%s mode=%s cpus=%u devs=%u ops=%llu pairs=%llu errors=%llu ones=%llu mismatches=%llu rcerrs=%llu max_us=%llu stop=%s elapsed_ms=%llu\n",
		tag, pass ? "pass" : "fail", mode, n, cs_ndevs, ops, pairs,
		errors, ones, mism, rcerrs, div_u64(max_ns, 1000), stop,
		div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC));
	kfree(threads);
	cs_put_devs();
	if (pass)
		return 0;
	if (err)
		return err;
	return strcmp(stop, "gone") ? -EIO : -ENODEV;
}

static void __exit cs_exit(void)
{
}

module_init(cs_init);
module_exit(cs_exit);

MODULE_DESCRIPTION("expether test: config accesses to testdev from every CPU, checked");
MODULE_LICENSE("GPL");
