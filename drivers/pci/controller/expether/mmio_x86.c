// SPDX-License-Identifier: GPL-2.0
/*
 * expether MMIO trap, x86-64 (the architecture side of mmio.h).
 *
 * A driver maps a BAR with ioremap() and then loads and stores through
 * the mapping; nothing on the host decodes those addresses, so every
 * access must be caught and carried out as TLPs:
 *
 * - Mappings: every ioremap flavour ends in __ioremap_caller(), which
 *   reports the new mapping to mmiotrace_ioremap() whether or not the
 *   tracer is on; a kprobe there sees mappings of our window and clears
 *   the present bit of their leaf entries (4K PTE, 2M PMD or 1G PUD),
 *   then flushes every CPU's TLB.  iounmap() reports to
 *   mmiotrace_iounmap() before it tears the mapping down; a kprobe there
 *   restores the entries first (vunmap expects present or empty ones).
 *   Each live mapping holds a reference on the module.
 * - Accesses: a load or store through such a mapping takes a not-present
 *   kernel page fault, which no extable entry fixes, so the kernel calls
 *   page_fault_oops() to die.  A kprobe at its entry recognises our
 *   addresses first, decodes the faulting instruction (x86_insn.c),
 *   carries it out through ee_mmio_read/write() with interrupts still
 *   off, updates the interrupted registers and makes page_fault_oops()
 *   return at once: the faulting context resumes after the instruction.
 *   An instruction we cannot emulate is reported with the driver's
 *   symbol and the instruction's bytes, and the oops goes ahead.
 * - User mappings of BARs (sysfs resourceN, /proc/bus/pci) would bypass
 *   the trap: pci_mmap_resource_range() is refused for our devices.
 *
 * The entries stay not-present for the mapping's whole life, so no CPU
 * can ever slip an access past the trap (FIELD-NOTES: a prototype ran
 * 3 M accesses on two vCPUs with none escaping).
 */
#define pr_fmt(fmt) "expether: " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ptrace.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>

#include "expether.h"
#include "mmio.h"
#include "x86_insn.h"

/* One kernel mapping of our window, armed. */
struct ee_trap_map {
	struct list_head node;		/* ee_trap.maps, RCU */
	unsigned long va;		/* page-aligned start */
	unsigned long len;		/* page-aligned length */
	u64 phys;			/* CPU physical address of @va */
	unsigned long cookie;		/* what ioremap returned */
	struct rcu_head rcu;
};

static struct {
	struct ee_host *host;		/* the one host the trap serves */
	struct list_head maps;
	raw_spinlock_t lock;		/* changes of @maps */
	atomic_t nmaps;
	atomic_long_t emulated;
	atomic_long_t refused;
} ee_trap = {
	.maps = LIST_HEAD_INIT(ee_trap.maps),
	.lock = __RAW_SPIN_LOCK_UNLOCKED(ee_trap.lock),
};

/* ---- page entries -------------------------------------------------- */

static void ee_flush_all(void *unused)
{
	__flush_tlb_all();
}

/* Set or clear the present bit of every leaf entry of [va, va + len). */
static void ee_trap_set_present(unsigned long va, unsigned long len,
				bool present)
{
	unsigned long a = va, end = va + len;
	unsigned int level;
	pte_t *pte;

	while (a < end) {
		pte = lookup_address(a, &level);
		if (!pte || pte_none(*pte)) {
			a = (a & PAGE_MASK) + PAGE_SIZE;
			continue;
		}
		if (present)
			set_pte(pte, pte_set_flags(*pte, _PAGE_PRESENT));
		else
			set_pte(pte, pte_clear_flags(*pte, _PAGE_PRESENT));
		a = (a & page_level_mask(level)) + page_level_size(level);
	}
}

static struct ee_trap_map *ee_trap_find(unsigned long addr, unsigned long len)
{
	struct ee_trap_map *m;

	list_for_each_entry_rcu(m, &ee_trap.maps, node)
		if (addr >= m->va && addr - m->va < m->len &&
		    len <= m->len - (addr - m->va))
			return m;
	return NULL;
}

/* ---- kprobe: mmiotrace_ioremap(phys, size, addr) --------------------- */

static int ee_ioremap_pre(struct kprobe *kp, struct pt_regs *regs)
{
	u64 phys = regs->di;
	unsigned long size = regs->si, addr = regs->dx, flags;
	struct ee_host *h = READ_ONCE(ee_trap.host);
	struct ee_trap_map *m;

	if (!h || !addr || !size || !ee_mmio_in_window(h, phys, 1))
		return 0;
	if (!ee_mmio_in_window(h, phys, size)) {
		pr_warn("ioremap of %#llx+%#lx crosses the end of a BAR window: not trapped\n",
			phys, size);
		return 0;
	}
	m = kzalloc(sizeof(*m), GFP_ATOMIC);
	if (!m) {
		/* Accesses would reach nothing: reads all-ones, writes
		 * lost.  Say so; the driver sees a dead device.
		 */
		pr_err("no memory to trap the mapping of %#llx+%#lx\n", phys,
		       size);
		return 0;
	}
	m->va = addr & PAGE_MASK;
	m->phys = phys & PAGE_MASK;
	m->len = PAGE_ALIGN(phys + size) - m->phys;
	m->cookie = addr;

	ee_trap_set_present(m->va, m->len, false);
	on_each_cpu(ee_flush_all, NULL, 1);
	__module_get(THIS_MODULE);
	raw_spin_lock_irqsave(&ee_trap.lock, flags);
	list_add_tail_rcu(&m->node, &ee_trap.maps);
	raw_spin_unlock_irqrestore(&ee_trap.lock, flags);
	atomic_inc(&ee_trap.nmaps);
	return 0;
}

/* ---- kprobe: mmiotrace_iounmap(addr) ------------------------------- */

static void ee_trap_free(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct ee_trap_map, rcu));
	/* The last mapping may let the module go. */
	module_put(THIS_MODULE);
}

static void ee_trap_unarm(struct ee_trap_map *m)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ee_trap.lock, flags);
	list_del_rcu(&m->node);
	raw_spin_unlock_irqrestore(&ee_trap.lock, flags);
	/* Present again, as vunmap expects; adding permissions needs no
	 * TLB flush.
	 */
	ee_trap_set_present(m->va, m->len, true);
	atomic_dec(&ee_trap.nmaps);
	call_rcu(&m->rcu, ee_trap_free);
}

static int ee_iounmap_pre(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned long addr = regs->di;
	struct ee_trap_map *m, *found = NULL;

	rcu_read_lock();
	list_for_each_entry_rcu(m, &ee_trap.maps, node)
		if (m->cookie == addr) {
			found = m;
			break;
		}
	rcu_read_unlock();
	if (found)
		ee_trap_unarm(found);
	return 0;
}

/* ---- kprobe: page_fault_oops(regs, error_code, address) ------------- */

/* Where page_fault_oops() goes instead of oopsing: straight back. */
static noinline notrace void ee_trap_done(void)
{
	barrier();
}

static bool ee_cb_mmio(void *ctx, u64 addr, unsigned int len)
{
	return ee_trap_find(addr, len);
}

static int ee_cb_mmio_read(void *ctx, u64 addr, void *buf, unsigned int len)
{
	struct ee_trap_map *m = ee_trap_find(addr, len);

	if (!m)
		return -EFAULT;
	return ee_mmio_read(ctx, m->phys + (addr - m->va), buf, len);
}

static int ee_cb_mmio_write(void *ctx, u64 addr, const void *buf,
			    unsigned int len)
{
	struct ee_trap_map *m = ee_trap_find(addr, len);

	if (!m)
		return -EFAULT;
	return ee_mmio_write(ctx, m->phys + (addr - m->va), buf, len);
}

static int ee_cb_ram_read(void *ctx, u64 addr, void *buf, unsigned int len)
{
	return copy_from_kernel_nofault(buf, (const void *)addr, len);
}

/*
 * The other side of a movs from MMIO: kernel memory the instruction would
 * have written.  copy_to_kernel_nofault() is not exported, so check that
 * every page is mapped present and writable (interrupts are off: it
 * stays so) before the copy.
 */
static int ee_cb_ram_write(void *ctx, u64 addr, const void *buf,
			   unsigned int len)
{
	unsigned long a = addr & PAGE_MASK;
	unsigned int level;
	pte_t *pte;

	if (addr < TASK_SIZE_MAX + PAGE_SIZE || addr + len < addr)
		return -EFAULT;
	for (; a < addr + len; a += PAGE_SIZE) {
		pte = lookup_address(a, &level);
		if (!pte || !pte_present(*pte) || !pte_write(*pte))
			return -EFAULT;
	}
	memcpy((void *)addr, buf, len);
	return 0;
}

static const struct ee_x86_mem_ops ee_trap_mem_ops = {
	.mmio		= ee_cb_mmio,
	.mmio_read	= ee_cb_mmio_read,
	.mmio_write	= ee_cb_mmio_write,
	.ram_read	= ee_cb_ram_read,
	.ram_write	= ee_cb_ram_write,
};

static void ee_regs_get(const struct pt_regs *r, struct ee_x86_state *s)
{
	s->gpr[EE_X86_RAX] = r->ax;
	s->gpr[EE_X86_RCX] = r->cx;
	s->gpr[EE_X86_RDX] = r->dx;
	s->gpr[EE_X86_RBX] = r->bx;
	s->gpr[EE_X86_RSP] = r->sp;
	s->gpr[EE_X86_RBP] = r->bp;
	s->gpr[EE_X86_RSI] = r->si;
	s->gpr[EE_X86_RDI] = r->di;
	s->gpr[EE_X86_R8] = r->r8;
	s->gpr[EE_X86_R9] = r->r9;
	s->gpr[EE_X86_R10] = r->r10;
	s->gpr[EE_X86_R11] = r->r11;
	s->gpr[EE_X86_R12] = r->r12;
	s->gpr[EE_X86_R13] = r->r13;
	s->gpr[EE_X86_R14] = r->r14;
	s->gpr[EE_X86_R15] = r->r15;
	s->ip = r->ip;
	s->flags = r->flags;
}

/* Write back what an emulated instruction may change (not RSP). */
static void ee_regs_put(struct pt_regs *r, const struct ee_x86_state *s)
{
	r->ax = s->gpr[EE_X86_RAX];
	r->cx = s->gpr[EE_X86_RCX];
	r->dx = s->gpr[EE_X86_RDX];
	r->bx = s->gpr[EE_X86_RBX];
	r->bp = s->gpr[EE_X86_RBP];
	r->si = s->gpr[EE_X86_RSI];
	r->di = s->gpr[EE_X86_RDI];
	r->r8 = s->gpr[EE_X86_R8];
	r->r9 = s->gpr[EE_X86_R9];
	r->r10 = s->gpr[EE_X86_R10];
	r->r11 = s->gpr[EE_X86_R11];
	r->r12 = s->gpr[EE_X86_R12];
	r->r13 = s->gpr[EE_X86_R13];
	r->r14 = s->gpr[EE_X86_R14];
	r->r15 = s->gpr[EE_X86_R15];
	r->ip = s->ip;
}

/* The instruction's bytes, up to a page that cannot be read. */
static unsigned int ee_fetch(unsigned long ip, u8 *buf)
{
	unsigned int n = min_t(unsigned long, EE_X86_MAX_LEN,
			       PAGE_SIZE - offset_in_page(ip));

	if (copy_from_kernel_nofault(buf, (void *)ip, n))
		return 0;
	if (n < EE_X86_MAX_LEN &&
	    !copy_from_kernel_nofault(buf + n, (void *)(ip + n),
				      EE_X86_MAX_LEN - n))
		n = EE_X86_MAX_LEN;
	return n;
}

/* Emulate the access at @addr; 0 when done (registers updated). */
static int ee_trap_fault(struct ee_host *h, struct pt_regs *regs,
			 unsigned long addr)
{
	u8 code[EE_X86_MAX_LEN];
	struct ee_x86_state s;
	struct ee_x86_insn in;
	unsigned int n;
	bool done;
	int err;

	n = ee_fetch(regs->ip, code);
	err = ee_x86_decode(code, n, &in);
	if (!err && in.op == EE_X86_LOAD && in.reg == EE_X86_RSP)
		err = -EE_X86_E_OPCODE;
	if (!err) {
		ee_regs_get(regs, &s);
		if (in.seg == EE_X86_SEG_FS)
			rdmsrl(MSR_FS_BASE, s.fs_base);
		else if (in.seg == EE_X86_SEG_GS)
			rdmsrl(MSR_GS_BASE, s.gs_base);
		err = ee_x86_emulate(&s, &in, addr, EE_MMIO_CHUNK,
				     &ee_trap_mem_ops, h, &done);
	}
	if (err) {
		atomic_long_inc(&ee_trap.refused);
		pr_err("cannot emulate the access to %#lx at %pS: %s; instruction bytes: %*ph\n",
		       addr, (void *)regs->ip, ee_x86_err_str(err), n ?: 1,
		       code);
		return err;
	}
	ee_regs_put(regs, &s);
	atomic_long_inc(&ee_trap.emulated);
	return 0;
}

static int ee_fault_pre(struct kprobe *kp, struct pt_regs *kregs)
{
	struct pt_regs *regs = (struct pt_regs *)kregs->di;
	unsigned long addr = kregs->dx;
	struct ee_host *h = READ_ONCE(ee_trap.host);
	int err;

	if (!h || user_mode(regs))
		return 0;
	/* The mappings stay while the access is carried out. */
	rcu_read_lock();
	err = ee_trap_find(addr, 1) ? ee_trap_fault(h, regs, addr) : -ENOENT;
	rcu_read_unlock();
	if (err)
		return 0;	/* not ours, or the oops goes ahead */
	/* Return from page_fault_oops() before it does anything. */
	instruction_pointer_set(kregs, (unsigned long)ee_trap_done);
	return 1;
}

/* ---- kprobe: pci_mmap_resource_range(pdev, bar, ...) ----------------- */

static noinline notrace int ee_trap_mmap_refused(void)
{
	return -EPERM;
}

static int ee_mmap_pre(struct kprobe *kp, struct pt_regs *kregs)
{
	struct pci_dev *pdev = (struct pci_dev *)kregs->di;
	struct ee_host *h = READ_ONCE(ee_trap.host);
	int bar = kregs->si;

	if (!h || !pdev || pci_domain_nr(pdev->bus) != h->sysdata.domain)
		return 0;
	pr_warn_ratelimited("%s: BAR %d cannot be mapped to user space: accesses to it are emulated, use its driver\n",
			    pci_name(pdev), bar);
	instruction_pointer_set(kregs, (unsigned long)ee_trap_mmap_refused);
	return 1;
}

/* ---- registration ----------------------------------------------------- */

static struct kprobe ee_kprobes[] = {
	{ .symbol_name = "mmiotrace_ioremap", .pre_handler = ee_ioremap_pre },
	{ .symbol_name = "mmiotrace_iounmap", .pre_handler = ee_iounmap_pre },
	{ .symbol_name = "page_fault_oops", .pre_handler = ee_fault_pre },
	{ .symbol_name = "pci_mmap_resource_range",
	  .pre_handler = ee_mmap_pre },
};

int ee_mmio_arch_init(struct ee_host *h)
{
	struct kprobe *kps[ARRAY_SIZE(ee_kprobes)];
	unsigned int i;
	int err;

	if (READ_ONCE(ee_trap.host))
		return -EBUSY;
	WRITE_ONCE(ee_trap.host, h);
	for (i = 0; i < ARRAY_SIZE(ee_kprobes); i++) {
		err = register_kprobe(&ee_kprobes[i]);
		if (err) {
			pr_err("cannot hook the MMIO trap: kprobe on %s: %d\n",
			       ee_kprobes[i].symbol_name, err);
			break;
		}
		kps[i] = &ee_kprobes[i];
	}
	if (err) {
		unregister_kprobes(kps, i);
		WRITE_ONCE(ee_trap.host, NULL);
	}
	return err;
}

void ee_mmio_arch_exit(struct ee_host *h)
{
	struct kprobe *kps[ARRAY_SIZE(ee_kprobes)];
	struct ee_trap_map *m, *tmp;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ee_kprobes); i++)
		kps[i] = &ee_kprobes[i];
	unregister_kprobes(kps, ARRAY_SIZE(kps));
	WRITE_ONCE(ee_trap.host, NULL);
	/*
	 * Each mapping holds a module reference, so none is left when the
	 * module goes; a failed load ends here too, with none.  Still,
	 * leave no entry not-present behind.
	 */
	list_for_each_entry_safe(m, tmp, &ee_trap.maps, node) {
		pr_warn("mapping %#lx of %#llx still trapped at exit: restored\n",
			m->cookie, m->phys);
		ee_trap_unarm(m);
	}
	rcu_barrier();
}

unsigned int ee_mmio_arch_mappings(struct ee_host *h)
{
	return atomic_read(&ee_trap.nmaps);
}
