/* SPDX-License-Identifier: GPL-2.0 */
/* What the libFuzzer targets share: an oracle check that aborts. */
#ifndef _EE_FUZZ_H
#define _EE_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

/* A broken invariant is a finding: report it and abort. */
#define CHECK(c)							\
	do {								\
		if (!(c)) {						\
			fprintf(stderr, "%s:%d: check failed: %s\n",	\
				__FILE__, __LINE__, #c);		\
			abort();					\
		}							\
	} while (0)

#endif /* _EE_FUZZ_H */
