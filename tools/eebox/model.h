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

struct eebox_model {
	const char *name;
	const char *summary;	/* one line for --help */
	const char *options;	/* "bar=SIZE,vectors=N" for --help */

	/* Allocate dev->priv with the model's defaults. 0 or -errno. */
	int (*alloc)(struct eebox_dev *dev);
	/* One "key=value" of the -d argument (not a common option). */
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
	 * BAR accesses, already decoded: [off, off + len) lies inside BAR
	 * @bar.  Reads fill @buf; writes carry only enabled bytes.
	 */
	void (*bar_read)(struct eebox_dev *dev, unsigned int bar, u64 off,
			 u8 *buf, size_t len);
	void (*bar_write)(struct eebox_dev *dev, unsigned int bar, u64 off,
			  const u8 *buf, size_t len);
	/* Optional: a configuration write to DW @reg was applied. */
	void (*cfg_written)(struct eebox_dev *dev, unsigned int reg);
};

const struct eebox_model *model_find(const char *name);
/* Print the list of models, one per line, for --help. */
void model_list(FILE *f);

/* Registered models (dev_*.c). */
extern const struct eebox_model testdev_model;

#endif /* _EEBOX_MODEL_H */
