// SPDX-License-Identifier: GPL-2.0
/*
 * expether MSI domain.
 *
 * Devices below the host bridge (the emulated root ports now, remote
 * endpoints through the data path) get MSI/MSI-X vectors from this
 * domain.  A vector's message is a write of its number to the doorbell,
 * a bus address inside our own reserved window, so no device write can
 * reach real memory or the APIC through it.
 *
 * Raising a vector runs its handler on the CPU of its affinity from a
 * high-priority per-CPU kworker, with interrupts off, not from a hard
 * interrupt: a vector is raised from the transport's receive path, and a
 * hard interrupt there would land inside the NIC's own poll, where a
 * handler that reads a BAR (an MSI-X mask flush, a status register)
 * could wait forever for a reply only that poll can receive.  In the
 * kworker nothing is half done, and a waiter may poll the NIC itself.
 *
 * The domain has no parent, so it implements irq_set_affinity itself, and
 * it carries the VMD bus token so interrupt remapping leaves it alone
 * (pci_dev_has_special_msi_domain()).
 */
#include <linux/delay.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/msi.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "expether.h"

/*
 * Run the vector's flow handler (and the driver's handler) in process
 * context with interrupts off, as if the interrupt had hit this kworker;
 * softirqs the handler raises run when bottom halves are enabled again.
 */
static void ee_msi_work(struct work_struct *work)
{
	struct ee_msi_vec *v = container_of(work, struct ee_msi_vec, work);
	unsigned int virq = READ_ONCE(v->virq);

	if (!virq)
		return;
	local_bh_disable();
	generic_handle_irq_safe(virq);
	local_bh_enable();
}

bool ee_msi_deliver(struct ee_host *h, u64 addr, u32 data)
{
	struct ee_msi_vec *v;
	unsigned int cpu;

	if (addr != h->msi.doorbell || data >= EE_MSI_VECTORS)
		return false;
	v = &h->msi.vec[data];
	if (!READ_ONCE(v->virq))
		return false;
	cpu = READ_ONCE(v->cpu);
	/* Pending already: that run covers this edge too. */
	queue_work_on(cpu_online(cpu) ? cpu : raw_smp_processor_id(),
		      h->msi.wq, &v->work);
	return true;
}

static void ee_msi_ack(struct irq_data *d)
{
	/* Edge: nothing to acknowledge at the source. */
}

static void ee_msi_compose(struct irq_data *d, struct msi_msg *msg)
{
	struct ee_msi_vec *v = irq_data_get_irq_chip_data(d);
	struct ee_host *h = v->host;

	msg->address_lo = lower_32_bits(h->msi.doorbell);
	msg->address_hi = upper_32_bits(h->msi.doorbell);
	msg->data = v - h->msi.vec;
}

static int ee_msi_set_affinity(struct irq_data *d, const struct cpumask *mask,
			       bool force)
{
	struct ee_msi_vec *v = irq_data_get_irq_chip_data(d);
	unsigned int cpu;

	if (force)
		cpu = cpumask_first(mask);
	else
		cpu = cpumask_first_and(mask, cpu_online_mask);
	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	WRITE_ONCE(v->cpu, cpu);
	irq_data_update_effective_affinity(d, cpumask_of(cpu));
	/* Address and data do not depend on the CPU: nothing to rewrite. */
	return IRQ_SET_MASK_OK_DONE;
}

static struct irq_chip ee_msi_chip = {
	.name			= "expether-MSI",
	.irq_ack		= ee_msi_ack,
	.irq_compose_msi_msg	= ee_msi_compose,
	.irq_set_affinity	= ee_msi_set_affinity,
};

static int ee_msi_vec_init(struct irq_domain *domain,
			   struct msi_domain_info *info, unsigned int virq,
			   irq_hw_number_t hwirq, msi_alloc_info_t *arg)
{
	struct ee_host *h = info->data;
	struct ee_msi_vec *v;
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&h->msi.lock, flags);
	n = find_first_zero_bit(h->msi.bitmap, EE_MSI_VECTORS);
	if (n < EE_MSI_VECTORS)
		__set_bit(n, h->msi.bitmap);
	spin_unlock_irqrestore(&h->msi.lock, flags);
	if (n >= EE_MSI_VECTORS)
		return -ENOSPC;

	v = &h->msi.vec[n];
	v->cpu = cpumask_first(cpu_online_mask);
	irq_domain_set_info(domain, virq, hwirq, info->chip, v,
			    handle_edge_irq, NULL, "edge");
	irq_data_update_effective_affinity(irq_get_irq_data(virq),
					   cpumask_of(v->cpu));
	WRITE_ONCE(v->virq, virq);
	return 0;
}

static void ee_msi_vec_free(struct irq_domain *domain,
			    struct msi_domain_info *info, unsigned int virq)
{
	struct ee_host *h = info->data;
	struct ee_msi_vec *v = irq_get_chip_data(virq);
	unsigned long flags;

	WRITE_ONCE(v->virq, 0);
	cancel_work_sync(&v->work);

	spin_lock_irqsave(&h->msi.lock, flags);
	__clear_bit(v - h->msi.vec, h->msi.bitmap);
	spin_unlock_irqrestore(&h->msi.lock, flags);
}

static struct msi_domain_ops ee_msi_ops = {
	.msi_init	= ee_msi_vec_init,
	.msi_free	= ee_msi_vec_free,
};

int ee_msi_init(struct ee_host *h)
{
	struct ee_msi *m = &h->msi;
	struct fwnode_handle *fn;
	unsigned int i;

	spin_lock_init(&m->lock);
	m->bitmap = bitmap_zalloc(EE_MSI_VECTORS, GFP_KERNEL);
	m->vec = kcalloc(EE_MSI_VECTORS, sizeof(*m->vec), GFP_KERNEL);
	if (!m->bitmap || !m->vec)
		goto nomem;
	for (i = 0; i < EE_MSI_VECTORS; i++) {
		struct ee_msi_vec *v = &m->vec[i];

		v->host = h;
		INIT_WORK(&v->work, ee_msi_work);
	}
	m->wq = alloc_workqueue("expether_irq", WQ_HIGHPRI | WQ_MEM_RECLAIM,
				0);
	if (!m->wq)
		goto nomem;

	fn = irq_domain_alloc_named_id_fwnode("expether-MSI",
					      h->sysdata.domain);
	if (!fn)
		goto nomem;
	m->info.flags = MSI_FLAG_USE_DEF_DOM_OPS | MSI_FLAG_USE_DEF_CHIP_OPS |
			MSI_FLAG_PCI_MSIX;
	m->info.ops = &ee_msi_ops;
	m->info.chip = &ee_msi_chip;
	m->info.data = h;
	m->domain = pci_msi_create_irq_domain(fn, &m->info, NULL);
	if (!m->domain) {
		irq_domain_free_fwnode(fn);
		destroy_workqueue(m->wq);
		goto nomem;
	}
	irq_domain_update_bus_token(m->domain, DOMAIN_BUS_VMD_MSI);
	return 0;

nomem:
	kfree(m->vec);
	bitmap_free(m->bitmap);
	return -ENOMEM;
}

void ee_msi_exit(struct ee_host *h)
{
	struct ee_msi *m = &h->msi;
	struct fwnode_handle *fn = m->domain->fwnode;

	irq_domain_remove(m->domain);
	irq_domain_free_fwnode(fn);
	destroy_workqueue(m->wq);
	kfree(m->vec);
	bitmap_free(m->bitmap);
}

/*
 * A device below @port wrote to the doorbell: an MSI or MSI-X message.
 * It must be one DW of a vector that belongs to a device below the same
 * port: a box cannot raise another device's interrupts, nor a root
 * port's.
 */
void ee_msi_rx(struct ee_host *h, struct ee_port *port,
	       const struct ee_tlp *t)
{
	struct msi_desc *desc;
	struct ee_msi_vec *v;
	unsigned int virq;
	u32 data = 0;

	if (!ee_rp_bus_master(&port->rp)) {
		ee_count(&h->xport, EE_C_DMA_NO_MASTER);
		return;
	}
	if (t->addr != h->msi.doorbell || t->length != 1 ||
	    t->first_be != 0xf)
		goto invalid;
	data = t->data[0] | t->data[1] << 8 | t->data[2] << 16 |
	       (u32)t->data[3] << 24;
	if (data >= EE_MSI_VECTORS)
		goto invalid;
	v = &h->msi.vec[data];
	virq = READ_ONCE(v->virq);
	desc = virq ? irq_get_msi_desc(virq) : NULL;
	if (!desc || !dev_is_pci(desc->dev) ||
	    ee_port_of_dev(to_pci_dev(desc->dev)) != port)
		goto invalid;
	if (ee_msi_deliver(h, t->addr, data)) {
		ee_count(&h->xport, EE_C_MSI);
		return;
	}
invalid:
	ee_count(&h->xport, EE_C_MSI_INVALID);
	ee_event_violation(h, port, "msi", t->addr, t->length * 4U);
	dev_warn_ratelimited(&h->pdev->dev,
			     "slot %u: interrupt write of %#x to %#llx from %02x:%02x.%d refused\n",
			     port->rp.index + 1, data, t->addr,
			     PCI_BUS_NUM(t->req_id), PCI_SLOT(t->req_id),
			     PCI_FUNC(t->req_id));
}
