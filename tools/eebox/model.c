// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: the registry of device models.
 */
#include "model.h"

static const struct eebox_model *const models[] = {
	&testdev_model,
	&nvme_model,
	&vnet_model,
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const struct eebox_model *model_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(models); i++)
		if (!strcmp(models[i]->name, name))
			return models[i];
	return NULL;
}

void model_list(FILE *f)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(models); i++)
		fprintf(f, "  %-10s %s\n  %-10s options: %s\n",
			models[i]->name, models[i]->summary, "",
			models[i]->options);
}
