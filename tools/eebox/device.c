// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: creating an I/O-side bridge and its device from a -d argument.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>
#include <linux/pci_regs.h>

#include "cfgdump.h"
#include "device.h"
#include "parse.h"

#define ERRLEN	160

/* 32-bit FNV-1a, folded to 24 bits. */
static u32 hash24(const char *s)
{
	u32 h = 2166136261u;

	while (s && *s) {
		h ^= (u8)*s++;
		h *= 16777619u;
	}
	return (h >> 24) ^ (h & 0xffffff);
}

void dev_default_mac(u8 mac[6], const char *ifname, unsigned int index)
{
	u32 h = hash24(ifname);

	mac[0] = 0x02;		/* locally administered, unicast */
	mac[1] = 0xee;
	mac[2] = (u8)(h >> 16);
	mac[3] = (u8)(h >> 8);
	mac[4] = (u8)h;
	mac[5] = (u8)index;
}

/* The MAC in the low 48 bits, as in protocol.rst's examples. */
static u64 id_from_mac(const u8 mac[6])
{
	return (u64)mac[0] << 40 | (u64)mac[1] << 32 | (u64)mac[2] << 24 |
	       (u64)mac[3] << 16 | (u64)mac[4] << 8 | mac[5];
}

static int random_epoch(u32 *epoch)
{
	u32 e = 0;

	while (!e) {
		if (getrandom(&e, sizeof(e), 0) != sizeof(e)) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
	}
	*epoch = e;
	return 0;
}

/* Options every device takes; MODEL_OPT_UNKNOWN lets the model try. */
static int common_opt(struct eebox_dev *dev, const char *key, const char *val,
		      char *err, size_t errlen, bool *mac_set, bool *id_set)
{
	u64 v;

	if (!val)
		return strcmp(key, "mac") && strcmp(key, "gid") &&
		       strcmp(key, "id") ? MODEL_OPT_UNKNOWN :
		       MODEL_OPT_NOVALUE;
	if (!strcmp(key, "mac")) {
		if (parse_mac(val, dev->mac) || (dev->mac[0] & 1) ||
		    !memcmp(dev->mac, "\0\0\0\0\0\0", 6)) {
			snprintf(err, errlen,
				 "mac must be a unicast address like 02:ee:00:00:00:01");
			return MODEL_OPT_INVALID;
		}
		*mac_set = true;
		return 0;
	}
	if (!strcmp(key, "gid")) {
		if (parse_u64(val, &v) || v < EXPETHER_GID_MIN ||
		    v > EXPETHER_GID_MAX) {
			snprintf(err, errlen, "gid must be from %d to %d",
				 EXPETHER_GID_MIN, EXPETHER_GID_MAX);
			return MODEL_OPT_INVALID;
		}
		dev->gid = (u16)v;
		return 0;
	}
	if (!strcmp(key, "id")) {
		if (parse_u64(val, &v) || !v) {
			snprintf(err, errlen,
				 "id must be a non-zero 64-bit number");
			return MODEL_OPT_INVALID;
		}
		dev->bridge_id = v;
		*id_set = true;
		return 0;
	}
	return MODEL_OPT_UNKNOWN;
}

static int parse_opts(struct eebox_dev *dev, char *opts, char *err,
		      size_t errlen, bool *mac_set, bool *id_set)
{
	char *tok, *val;
	int ret;

	while ((tok = strsep(&opts, ","))) {
		if (!*tok) {
			snprintf(err, errlen, "empty option");
			return -1;
		}
		val = strchr(tok, '=');
		if (val)
			*val++ = '\0';

		ret = common_opt(dev, tok, val, err, errlen, mac_set, id_set);
		if (ret == MODEL_OPT_UNKNOWN)
			ret = dev->model->set_opt(dev, tok, val, err, errlen);
		if (ret == MODEL_OPT_UNKNOWN) {
			snprintf(err, errlen, "unknown option '%s'", tok);
			return -1;
		}
		if (ret == MODEL_OPT_NOVALUE) {
			snprintf(err, errlen, "option '%s' needs a value", tok);
			return -1;
		}
		if (ret)
			return -1;
	}
	return 0;
}

int dev_create(const char *optname, const char *spec, unsigned int index,
	       const char *ifname, u16 gid, struct eebox_dev **out)
{
	struct eebox_dev *dev;
	bool mac_set = false, id_set = false;
	char err[ERRLEN] = "";
	char *copy, *opts;
	int ret, status = EEBOX_EXIT_USAGE;

	dev = calloc(1, sizeof(*dev));
	copy = strdup(spec);
	if (!dev || !copy) {
		fprintf(stderr, "eebox: %s\n", strerror(ENOMEM));
		free(copy);
		free(dev);
		return EEBOX_EXIT_FAIL;
	}
	dev->index = index;
	dev->spec = spec;
	dev->gid = gid;

	opts = copy;
	strsep(&opts, ",");
	dev->model = model_find(copy);
	if (!dev->model) {
		if (*copy)
			snprintf(err, sizeof(err),
				 "unknown device '%s' (eebox --help lists them)",
				 copy);
		else
			snprintf(err, sizeof(err), "missing device name");
		goto fail;
	}

	ret = dev->model->alloc(dev);
	if (ret) {
		snprintf(err, sizeof(err), "%s", strerror(-ret));
		status = EEBOX_EXIT_FAIL;
		goto fail;
	}
	if (opts && parse_opts(dev, opts, err, sizeof(err), &mac_set, &id_set))
		goto fail;

	cfg_init(&dev->cfg);
	dma_init(dev, DMA_TIMEOUT_DEFAULT_MS * 1000000ULL);
	ret = dev->model->realize(dev, err, sizeof(err));
	if (ret) {
		if (ret != -EINVAL)
			status = EEBOX_EXIT_FAIL;
		if (!*err)
			snprintf(err, sizeof(err), "%s", strerror(-ret));
		goto fail;
	}

	if (!mac_set)
		dev_default_mac(dev->mac, ifname, index);
	if (!id_set)
		dev->bridge_id = id_from_mac(dev->mac);
	ret = random_epoch(&dev->epoch);
	if (ret) {
		snprintf(err, sizeof(err), "getrandom: %s", strerror(-ret));
		status = EEBOX_EXIT_FAIL;
		goto fail;
	}
	dev->reset_cfg = malloc(sizeof(*dev->reset_cfg));
	if (!dev->reset_cfg) {
		snprintf(err, sizeof(err), "%s", strerror(ENOMEM));
		status = EEBOX_EXIT_FAIL;
		goto fail;
	}
	*dev->reset_cfg = dev->cfg;

	free(copy);
	*out = dev;
	return 0;

fail:
	fprintf(stderr, "eebox: %s %s: %s\n", optname, spec, err);
	free(copy);
	dev_destroy(dev);
	return status;
}

void dev_reset(struct eebox_dev *dev)
{
	u32 epoch;

	dev->cfg = *dev->reset_cfg;
	dev->cfg_dirty = true;
	dev->owner = NULL;
	dev->bdf = 0;
	if (dev->model->reset)
		dev->model->reset(dev);
	/* A new epoch: to every host a bridge it never saw. */
	if (!random_epoch(&epoch))
		dev->epoch = epoch;
	else
		dev->epoch = ~dev->epoch ? ~dev->epoch : 1;
}

bool dev_bus_master(const struct eebox_dev *dev)
{
	return cfg_read(&dev->cfg, PCI_COMMAND, 2) & PCI_COMMAND_MASTER;
}

void dev_destroy(struct eebox_dev *dev)
{
	if (!dev)
		return;
	if (dev->model)
		dev->model->release(dev);
	irq_release(dev);
	free(dev->reset_cfg);
	free(dev->mgmt_path);
	free(dev->state_path);
	free(dev->link_path);
	free(dev);
}

void dev_save_state(struct eebox_dev *dev)
{
	int ret;

	if (!dev->cfg_dirty)
		return;
	dev->cfg_dirty = false;
	if (!dev->state_path)
		return;
	ret = cfgdump_save(&dev->cfg, dev->state_path);
	if (ret)
		fprintf(stderr, "eebox: %s: %s\n", dev->state_path,
			strerror(-ret));
}
