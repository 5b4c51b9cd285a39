// SPDX-License-Identifier: GPL-2.0
/*
 * expether INTx: the four legacy interrupt wires of each slot.
 *
 * A device without MSI/MSI-X signals INTx the PCI Express way: an
 * Assert_INTx message when its wire goes up, Deassert_INTx when it goes
 * down.  Each slot has four level-triggered interrupts (INTA..INTD) in an
 * irq domain of ours; the host bridge's map_irq hands them to devices
 * (pci_assign_irq() at probe), and messages from a slot's bridge set and
 * clear their level.  While a wire is asserted and unmasked its handler
 * runs, from the same per-CPU kworker as MSIs (msi.c) and for the same
 * reason; handle_level_irq masks it meanwhile, and unmasking a wire that
 * is still asserted runs it again.
 */
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "expether.h"

#define EE_INTX_PINS	4

static struct ee_intx_line *ee_intx_line(struct irq_data *d)
{
	return irq_data_get_irq_chip_data(d);
}

static void ee_intx_fire(struct ee_intx_line *l)
{
	queue_work_on(READ_ONCE(l->cpu), l->host->msi.wq, &l->work);
}

static void ee_intx_work(struct work_struct *work)
{
	struct ee_intx_line *l = container_of(work, struct ee_intx_line, work);

	/* Deasserted or masked meanwhile: nothing to run. */
	if (!READ_ONCE(l->asserted) || !READ_ONCE(l->enabled) || !l->virq)
		return;
	local_bh_disable();
	generic_handle_irq_safe(l->virq);
	local_bh_enable();
}

static void ee_intx_mask(struct irq_data *d)
{
	WRITE_ONCE(ee_intx_line(d)->enabled, false);
}

static void ee_intx_unmask(struct irq_data *d)
{
	struct ee_intx_line *l = ee_intx_line(d);

	WRITE_ONCE(l->enabled, true);
	/* A level interrupt still asserted fires again. */
	if (READ_ONCE(l->asserted))
		ee_intx_fire(l);
}

static int ee_intx_set_affinity(struct irq_data *d, const struct cpumask *mask,
				bool force)
{
	struct ee_intx_line *l = ee_intx_line(d);
	unsigned int cpu = force ? cpumask_first(mask) :
			   cpumask_first_and(mask, cpu_online_mask);

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	WRITE_ONCE(l->cpu, cpu);
	irq_data_update_effective_affinity(d, cpumask_of(cpu));
	return IRQ_SET_MASK_OK_DONE;
}

static struct irq_chip ee_intx_chip = {
	.name			= "expether-INTx",
	.irq_mask		= ee_intx_mask,
	.irq_unmask		= ee_intx_unmask,
	.irq_set_affinity	= ee_intx_set_affinity,
};

static int ee_intx_domain_map(struct irq_domain *d, unsigned int virq,
			      irq_hw_number_t hw)
{
	struct ee_host *h = d->host_data;
	struct ee_intx_line *l = &h->intx[hw];

	l->virq = virq;
	irq_set_chip_and_handler(virq, &ee_intx_chip, handle_level_irq);
	irq_set_chip_data(virq, l);
	irq_data_update_effective_affinity(irq_get_irq_data(virq),
					   cpumask_of(l->cpu));
	return 0;
}

static const struct irq_domain_ops ee_intx_domain_ops = {
	.map = ee_intx_domain_map,
	.xlate = irq_domain_xlate_onecell,
};

/* The host bridge's map_irq: wire @pin of the slot @dev is below. */
int ee_intx_map_irq(const struct pci_dev *dev, u8 slot, u8 pin)
{
	struct ee_host *h = ee_host_from_bus(dev->bus);
	struct ee_port *port;
	int virq;

	port = ee_port_of_dev((struct pci_dev *)dev);
	if (!port || pin < 1 || pin > EE_INTX_PINS)
		return 0;
	virq = irq_create_mapping(h->intx_domain,
				  port->rp.index * EE_INTX_PINS + pin - 1);
	return virq > 0 ? virq : 0;
}

void ee_intx_rx(struct ee_host *h, struct ee_port *port,
		const struct ee_tlp *t)
{
	unsigned int pin = t->msg_code & 3;
	struct ee_intx_line *l = &h->intx[port->rp.index * EE_INTX_PINS + pin];
	bool assert = t->msg_code < EE_MSG_DEASSERT_INTA;

	ee_count(&h->xport, EE_C_INTX);
	WRITE_ONCE(l->asserted, assert);
	if (assert && READ_ONCE(l->enabled) && l->virq)
		ee_intx_fire(l);
}

/* The slot's bridge is gone: its wires fall. */
void ee_intx_port_down(struct ee_host *h, struct ee_port *port)
{
	unsigned int i;

	for (i = 0; i < EE_INTX_PINS; i++)
		WRITE_ONCE(h->intx[port->rp.index * EE_INTX_PINS + i].asserted,
			   false);
}

int ee_intx_init(struct ee_host *h)
{
	unsigned int n = h->nr_ports * EE_INTX_PINS, i;

	h->intx = kcalloc(n, sizeof(*h->intx), GFP_KERNEL);
	if (!h->intx)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		h->intx[i].host = h;
		h->intx[i].cpu = cpumask_first(cpu_online_mask);
		INIT_WORK(&h->intx[i].work, ee_intx_work);
	}
	h->intx_domain = irq_domain_add_linear(NULL, n, &ee_intx_domain_ops,
					       h);
	if (!h->intx_domain) {
		kfree(h->intx);
		return -ENOMEM;
	}
	return 0;
}

void ee_intx_exit(struct ee_host *h)
{
	unsigned int n = h->nr_ports * EE_INTX_PINS, i;

	for (i = 0; i < n; i++) {
		if (h->intx[i].virq)
			irq_dispose_mapping(h->intx[i].virq);
		h->intx[i].virq = 0;
		cancel_work_sync(&h->intx[i].work);
	}
	irq_domain_remove(h->intx_domain);
	kfree(h->intx);
}
