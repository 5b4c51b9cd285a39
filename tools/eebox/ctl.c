// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: the control socket and its client (see ctl.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "log.h"
#include "mgmt.h"
#include "parse.h"

#define CTL_MSG_MAX	4096

static int ctl_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	strcpy(sun->sun_path, path);
	return 0;
}

int ctl_open(struct box *box)
{
	struct sockaddr_un sun;
	mode_t old;
	int fd, ret;

	box->cfd = -1;
	if (!box->ctl_path)
		return 0;
	ret = ctl_addr(box->ctl_path, &sun);
	if (ret) {
		fprintf(stderr, "eebox: --control %s: %s\n", box->ctl_path,
			strerror(-ret));
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		goto fail;
	unlink(box->ctl_path);		/* a stale socket of an earlier run */
	old = umask(077);		/* only its owner may move devices */
	ret = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (ret || listen(fd, 4)) {
		close(fd);
		goto fail;
	}
	box->cfd = fd;
	return 0;
fail:
	fprintf(stderr, "eebox: --control %s: %s\n", box->ctl_path,
		strerror(errno));
	return -1;
}

void ctl_close(struct box *box)
{
	if (box->cfd < 0)
		return;
	close(box->cfd);
	box->cfd = -1;
	unlink(box->ctl_path);
}

struct reply {
	char buf[CTL_MSG_MAX];
	size_t len;
};

static void __attribute__((format(printf, 2, 3)))
say(struct reply *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->len >= sizeof(r->buf))
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->buf + r->len, sizeof(r->buf) - r->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->len += (size_t)n;
	if (r->len >= sizeof(r->buf))
		r->len = sizeof(r->buf) - 1;
}

static struct eebox_dev *ctl_dev(struct box *box, const char *arg,
				 struct reply *r)
{
	u64 n;

	if (!arg || parse_u64(arg, &n) || n < 1 || n > box->ndevs) {
		say(r, "error: no device '%s' (1..%u)\n", arg ? arg : "",
		    box->ndevs);
		return NULL;
	}
	return box->devs[n - 1];
}

static void ctl_request(struct box *box, char *req, struct reply *r)
{
	char *w[4] = { NULL }, *save = NULL, *tok;
	struct eebox_dev *dev;
	char m[MAC_STR_LEN];
	unsigned int i, n = 0;
	u64 gid;

	for (tok = strtok_r(req, " \t\n", &save); tok && n < 4;
	     tok = strtok_r(NULL, " \t\n", &save))
		w[n++] = tok;
	if (n && !strcmp(w[0], "show")) {
		say(r, "ok\n");
		for (i = 0; i < box->ndevs; i++) {
			dev = box->devs[i];
			say(r, "dev %u %s mac %s gid %u epoch %08x id %#" PRIx64 " hosts %u\n",
			    dev->index, dev->model->name,
			    mac_str(m, dev->mac), dev->gid, dev->epoch,
			    (uint64_t)dev->bridge_id, dev->nhosts);
		}
	} else if (n == 3 && !strcmp(w[0], "gid")) {
		dev = ctl_dev(box, w[1], r);
		if (!dev)
			return;
		if (parse_u64(w[2], &gid) || gid < EXPETHER_GID_MIN ||
		    gid > EXPETHER_GID_MAX) {
			say(r, "error: invalid GID '%s': a group is %d..%d\n",
			    w[2], EXPETHER_GID_MIN, EXPETHER_GID_MAX);
			return;
		}
		if (gid == dev->gid && !dev->move_to) {
			say(r, "ok dev %u is in group %u already\n", dev->index,
			    dev->gid);
			return;
		}
		mgmt_request_move(box, dev, (u16)gid, "control socket");
		say(r, "ok dev %u moves to group %u\n", dev->index,
		    (unsigned int)gid);
	} else if (n == 2 && !strcmp(w[0], "stats")) {
		dev = ctl_dev(box, w[1], r);
		if (!dev)
			return;
		say(r, "ok\ngid %u\nepoch %08x\ngid_changes %" PRIu64 "\n",
		    dev->gid, dev->epoch, (uint64_t)dev->st.gid_changes);
		say(r, "mgmt_accepted %" PRIu64 "\nmgmt_forged %" PRIu64 "\nmgmt_replayed %" PRIu64 "\n",
		    (uint64_t)dev->st.mgmt_accepted,
		    (uint64_t)dev->st.mgmt_forged,
		    (uint64_t)dev->st.mgmt_replayed);
		say(r, "mgmt_not_ours %" PRIu64 "\nmgmt_no_key %" PRIu64 "\nmgmt_malformed %" PRIu64 "\nmgmt_counter %" PRIu64 "\n",
		    (uint64_t)dev->st.mgmt_not_ours,
		    (uint64_t)dev->st.mgmt_no_key,
		    (uint64_t)dev->st.mgmt_malformed,
		    (uint64_t)dev->mgmt_counter);
	} else {
		say(r, "error: unknown request (show, gid N GID, stats N)\n");
	}
}

void ctl_ready(struct box *box)
{
	struct timeval tv = { .tv_usec = 200000 };
	char req[256];
	struct reply r = { .len = 0 };
	ssize_t n;
	int fd;

	fd = accept4(box->cfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	/* A client that says nothing does not hold the box up for long. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	n = recv(fd, req, sizeof(req) - 1, 0);
	if (n > 0) {
		req[n] = '\0';
		ctl_request(box, req, &r);
		if (send(fd, r.buf, r.len, MSG_NOSIGNAL) < 0 && log_verbose)
			perror("eebox: control socket");
	}
	close(fd);
}

int ctl_client(const char *path, int argc, char **argv)
{
	struct sockaddr_un sun;
	char req[256] = "", reply[CTL_MSG_MAX + 1];
	size_t len = 0;
	ssize_t n;
	int fd, i, ret;

	if (!argc) {
		fprintf(stderr, "eebox: --ctl %s: what? (show, gid N GID, stats N)\n",
			path);
		return EEBOX_EXIT_USAGE;
	}
	for (i = 0; i < argc; i++) {
		ret = snprintf(req + len, sizeof(req) - len, "%s%s",
			       i ? " " : "", argv[i]);
		if (ret < 0 || (size_t)ret >= sizeof(req) - len) {
			fprintf(stderr, "eebox: --ctl: request too long\n");
			return EEBOX_EXIT_USAGE;
		}
		len += (size_t)ret;
	}
	ret = ctl_addr(path, &sun);
	if (ret) {
		fprintf(stderr, "eebox: --ctl %s: %s\n", path, strerror(-ret));
		return EEBOX_EXIT_USAGE;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    send(fd, req, len, MSG_NOSIGNAL) < 0) {
		fprintf(stderr, "eebox: --ctl %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EEBOX_EXIT_FAIL;
	}
	n = recv(fd, reply, sizeof(reply) - 1, 0);
	close(fd);
	if (n <= 0) {
		fprintf(stderr, "eebox: --ctl %s: no reply\n", path);
		return EEBOX_EXIT_FAIL;
	}
	reply[n] = '\0';
	if (!strncmp(reply, "ok", 2)) {
		fputs(reply, stdout);
		return 0;
	}
	fputs(reply, stderr);
	return EEBOX_EXIT_FAIL;
}
