// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: `lspci -xxxx` text form of a configuration space (see cfgdump.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cfgdump.h"

size_t cfgdump_format(const struct cfgspace *cs, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < CFG_SPACE_SIZE; i++) {
		if (!(i & 15))
			n += (size_t)sprintf(buf + n, "%02x:", i);
		buf[n++] = ' ';
		buf[n++] = hex[cs->data[i] >> 4];
		buf[n++] = hex[cs->data[i] & 15];
		if ((i & 15) == 15)
			buf[n++] = '\n';
	}
	buf[n] = '\0';
	return n;
}

int cfgdump_print(const struct cfgspace *cs, FILE *f)
{
	char *buf = malloc(CFGDUMP_MAX);
	size_t n;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	n = cfgdump_format(cs, buf);
	if (fwrite(buf, 1, n, f) != n || fflush(f))
		ret = -(errno ? errno : EIO);
	free(buf);
	return ret;
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t r;

	while (len) {
		r = write(fd, buf, len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

int cfgdump_save(const struct cfgspace *cs, const char *path)
{
	char buf[CFGDUMP_MAX];
	char *tmp;
	size_t n;
	int fd, ret;

	if (asprintf(&tmp, "%s.tmp", path) < 0)
		return -ENOMEM;

	n = cfgdump_format(cs, buf);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	ret = write_all(fd, buf, n);
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
out:
	free(tmp);
	return ret;
}
