/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: device models and their registry.
 *
 * A model is the PCIe endpoint behind one I/O-side bridge: it builds the
 * reset configuration space and serves accesses to its BARs.  Adding a
 * model = one dev_<name>.c defining a struct eebox_model plus one line in
 * model.c.
 */
#ifndef _EEBOX_MODEL_H
#define _EEBOX_MODEL_H

#include "ee_types.h"

struct eebox_dev;

/* Return values of ->set_opt() besides 0. */
#define MODEL_OPT_UNKNOWN	(-1)	/* not an option of this model */
#define MODEL_OPT_INVALID	(-2)	/* bad value: message in @err */
#define MODEL_OPT_NOVALUE	(-3)	/* given without "=value", needs one */

struct eebox_model {
	const char *name;
	const char *summary;	/* one line for --help */
	const char *options;	/* "bar=SIZE,vectors=N" for --help */

	/* Allocate dev->priv with the model's defaults. 0 or -errno. */
	int (*alloc)(struct eebox_dev *dev);
	/*
	 * One "key=value" of the -d argument (not a common option); @val is
	 * NULL for a bare "key" (a flag).
	 */
	int (*set_opt)(struct eebox_dev *dev, const char *key,
		       const char *val, char *err, size_t errlen);
	/*
	 * Build the reset config space in dev->cfg and the BAR backing.
	 * 0, -EINVAL (bad option combination) or another -errno (system
	 * error), with a message in @err or else strerror() is used.
	 */
	int (*realize)(struct eebox_dev *dev, char *err, size_t errlen);
	/* Free everything alloc and realize made (also after a failure). */
	void (*release)(struct eebox_dev *dev);
	/*
	 * Optional: acquire what only a running box needs (a tap device),
	 * after realize and not for --dump-config.  0 or -errno, with a
	 * message in @err.  ->release() frees it.
	 */
	int (*start)(struct eebox_dev *dev, char *err, size_t errlen);

	/*
	 * BAR accesses, already decoded: [off, off + len) lies inside BAR
	 * @bar.  Reads fill @buf; writes carry only enabled bytes.
	 */
	void (*bar_read)(struct eebox_dev *dev, unsigned int bar, u64 off,
			 u8 *buf, size_t len);
	void (*bar_write)(struct eebox_dev *dev, unsigned int bar, u64 off,
			  const u8 *buf, size_t len);
	/* Optional: a configuration write to DW @reg was applied. */
	void (*cfg_written)(struct eebox_dev *dev, unsigned int reg);

	/*
	 * Optional: the work the model asked for with dev_kick(), run by
	 * the box loop at top level, never while a host TLP is served: it
	 * may DMA and raise interrupts (dma.h, irq.h).  Do a bounded amount
	 * and dev_kick() again if more is left.
	 */
	void (*work)(struct eebox_dev *dev);
	/*
	 * Optional: a file descriptor of the model's (a tap) and the poll
	 * events it wants now (0: none), or -1; and what to do when they
	 * come (top level, like ->work()).
	 */
	int (*poll_fd)(struct eebox_dev *dev, short *events);
	void (*poll_ready)(struct eebox_dev *dev, short revents);
	/*
	 * Optional: the bridge restarts (it moved to another group): forget
	 * every host's state (queues, addresses, pending interrupts) as a
	 * reset does, keeping the media.  The configuration space has been
	 * reset already.
	 */
	void (*reset)(struct eebox_dev *dev);
	/* Optional: exit summary lines of the model's own counters. */
	void (*print_stats)(const struct eebox_dev *dev, FILE *f,
			    const char *prefix);
};

const struct eebox_model *model_find(const char *name);
/* Print the list of models, one per line, for --help. */
void model_list(FILE *f);

/* Registered models (dev_*.c). */
extern const struct eebox_model testdev_model;
extern const struct eebox_model nvme_model;
extern const struct eebox_model vnet_model;

#endif /* _EEBOX_MODEL_H */
