// SPDX-License-Identifier: GPL-2.0
/*
 * eemmap FILE: try to map a PCI resource file (sysfs resourceN) to user
 * space, read its first dword through the mapping if that succeeded, and
 * report.  Exit 0 if the mapping was refused, 1 if it was granted, 2 on
 * a usage or open error.  The data-path test uses it to check that BARs
 * behind expether cannot be reached around the trap.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	volatile uint32_t *p;
	void *map;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: eemmap RESOURCE-FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "eemmap: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		printf("refused: %s\n", strerror(errno));
		close(fd);
		return 0;
	}
	p = map;
	printf("granted: first dword %#x\n", (unsigned int)p[0]);
	munmap(map, 4096);
	close(fd);
	return 1;
}
