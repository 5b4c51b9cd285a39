// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: the running box (see box.h): frames in, DIFs and completions out.
 *
 * One thread, one poll() over the packet socket, a timerfd for the DIF
 * period and a signalfd for SIGINT/SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>

#include "box.h"
#include "cfgdump.h"
#include "dif.h"
#include "log.h"
#include "parse.h"
#include "serve.h"

#define RX_BURST	64	/* frames per wakeup before timers get a turn */

static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Report a send or receive error once, until the next success. */
static void box_net_error(struct box *box, int err)
{
	if (err == -ENODEV || err == -ENXIO)
		box->fatal = true;
	if (err != box->tx_err)
		fprintf(stderr, "eebox: %s: %s\n", box->ifname, strerror(-err));
	box->tx_err = err;
}

int box_xmit(struct box *box, struct eebox_dev *dev, const u8 *frame,
	     size_t len)
{
	int ret;

	log_frame("tx", frame, len, box->ethertype, NULL);
	ret = net_send(&box->port, frame, len);
	if (ret) {
		dev->st.tx_errors++;
		box_net_error(box, ret);
	} else {
		box->tx_err = 0;
	}
	return ret;
}

static void box_send_difs(struct box *box)
{
	u8 frame[DIF_FRAME_MAX];
	struct eebox_dev *dev;
	unsigned int i;
	int len;

	for (i = 0; i < box->ndevs; i++) {
		dev = box->devs[i];
		len = dif_build(dev, box->ethertype, box->interval_ms, frame,
				sizeof(frame));
		if (len < 0) {
			fprintf(stderr, "eebox: dev %u: cannot build DIF: %s\n",
				dev->index, ee_err_str(-len));
			continue;
		}
		if (!box_xmit(box, dev, frame, (size_t)len))
			dev->st.tx_difs++;
	}
}

static struct eebox_dev *box_find_dev(struct box *box, const u8 *mac)
{
	unsigned int i;

	for (i = 0; i < box->ndevs; i++)
		if (!memcmp(box->devs[i]->mac, mac, 6))
			return box->devs[i];
	return NULL;
}

/* One frame from the wire, tag inline. */
static void box_rx_frame(struct box *box, const u8 *buf, size_t len)
{
	struct eebox_dev *dev;
	struct ee_frame f;
	int r;

	if (len < 6)
		return;
	if (!memcmp(buf, bcast, 6)) {
		/* Other bridges' DIFs: nothing to act on yet. */
		if (log_verbose &&
		    ee_frame_parse(buf, len, box->ethertype, &f) !=
		    -EE_ERR_ETHERTYPE)
			log_frame("rx", buf, len, box->ethertype, NULL);
		return;
	}
	dev = box_find_dev(box, buf);
	if (!dev)
		return;

	r = ee_frame_parse(buf, len, box->ethertype, &f);
	if (r == -EE_ERR_ETHERTYPE)
		return;
	dev->st.rx_frames++;
	if (r < 0) {
		dev->st.rx_malformed[-r < EE_ERR__MAX ? -r : 0]++;
		log_frame("rx", buf, len, box->ethertype, "dropped");
		return;
	}
	if (ee_frame_gid(&f) != dev->gid) {
		dev->st.rx_wrong_gid++;
		log_frame("rx", buf, len, box->ethertype,
			  "dropped: wrong GID");
		return;
	}

	log_frame("rx", buf, len, box->ethertype, NULL);
	if (f.hdr.type == EXPETHER_FT_TLP)
		serve_frame(box, dev, &f);
	else
		dev->st.rx_ignored++;	/* ACK, DIF, MGMT: not served yet */
}

static void box_rx(struct box *box)
{
	static u8 buf[NET_RX_MAX];
	int i, n;

	for (i = 0; i < RX_BURST && !box->fatal; i++) {
		n = net_recv(&box->port, buf);
		if (n == -EAGAIN || n == -EWOULDBLOCK)
			return;
		if (n == -EINTR)
			continue;
		if (n < 0) {
			box_net_error(box, n);
			return;
		}
		if (n > 0)
			box_rx_frame(box, buf, (size_t)n);
	}
}

static int box_open(struct box *box)
{
	unsigned int i;
	int ret;

	ret = net_open(&box->port, box->ifname);
	if (ret) {
		fprintf(stderr, "eebox: %s: %s\n", box->ifname, strerror(-ret));
		return -1;
	}
	for (i = 0; i < box->ndevs; i++) {
		ret = net_add_mac(&box->port, box->devs[i]->mac);
		if (ret) {
			fprintf(stderr, "eebox: %s: cannot add MAC: %s\n",
				box->ifname, strerror(-ret));
			return -1;
		}
	}
	return 0;
}

static int box_open_state(struct box *box)
{
	struct eebox_dev *dev;
	unsigned int i;
	int ret;

	if (!box->state_dir)
		return 0;
	if (mkdir(box->state_dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "eebox: %s: %s\n", box->state_dir,
			strerror(errno));
		return -1;
	}
	for (i = 0; i < box->ndevs; i++) {
		dev = box->devs[i];
		if (asprintf(&dev->state_path, "%s/%u.cfg", box->state_dir,
			     dev->index) < 0) {
			dev->state_path = NULL;
			fprintf(stderr, "eebox: %s\n", strerror(ENOMEM));
			return -1;
		}
		ret = cfgdump_save(&dev->cfg, dev->state_path);
		if (ret) {
			fprintf(stderr, "eebox: %s: %s\n", dev->state_path,
				strerror(-ret));
			return -1;
		}
	}
	return 0;
}

static int box_timer(u16 interval_ms)
{
	struct itimerspec its = {
		.it_interval = {
			.tv_sec = interval_ms / 1000,
			.tv_nsec = (long)(interval_ms % 1000) * 1000000,
		},
	};
	int fd;

	its.it_value = its.it_interval;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fd < 0)
		return -1;
	if (timerfd_settime(fd, 0, &its, NULL)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void box_print_stats(const struct box *box)
{
	const struct eebox_dev *dev;
	const struct dev_stats *st;
	char mac[MAC_STR_LEN];
	unsigned int i, e;

	for (i = 0; i < box->ndevs; i++) {
		dev = box->devs[i];
		st = &dev->st;
		fprintf(stderr,
			"eebox: dev %u (%s %s gid %u): rx %llu frames, %llu TLPs; tx %llu frames, %llu TLPs, %llu DIFs, %llu errors\n",
			dev->index, dev->model->name, mac_str(mac, dev->mac),
			dev->gid, (unsigned long long)st->rx_frames,
			(unsigned long long)st->rx_tlps,
			(unsigned long long)st->tx_frames,
			(unsigned long long)st->tx_tlps,
			(unsigned long long)st->tx_difs,
			(unsigned long long)st->tx_errors);
		fprintf(stderr,
			"eebox: dev %u: %llu UR completions, %llu writes dropped, %llu TLPs ignored, %llu frames ignored\n",
			dev->index, (unsigned long long)st->cpl_ur,
			(unsigned long long)st->mwr_dropped,
			(unsigned long long)st->tlp_ignored,
			(unsigned long long)st->rx_ignored);
		if (st->rx_wrong_gid)
			fprintf(stderr,
				"eebox: dev %u: dropped %llu frames: wrong GID\n",
				dev->index,
				(unsigned long long)st->rx_wrong_gid);
		for (e = 0; e < EE_ERR__MAX; e++)
			if (st->rx_malformed[e])
				fprintf(stderr,
					"eebox: dev %u: dropped %llu frames: %s\n",
					dev->index,
					(unsigned long long)st->rx_malformed[e],
					e ? ee_err_str((int)e) : "other");
	}
}

/* The event loop.  Returns when a signal arrives or the link is gone. */
static void box_loop(struct box *box, int tfd, int sfd)
{
	struct pollfd pfd[3] = {
		{ .fd = box->port.fd, .events = POLLIN },
		{ .fd = tfd, .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
	};
	struct signalfd_siginfo si;
	u64 ticks;

	box_send_difs(box);
	while (!box->fatal) {
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("eebox: poll");
			return;
		}
		if (pfd[0].revents & (POLLIN | POLLERR))
			box_rx(box);
		if ((pfd[1].revents & POLLIN) &&
		    read(tfd, &ticks, sizeof(ticks)) == sizeof(ticks))
			box_send_difs(box);
		if ((pfd[2].revents & POLLIN) &&
		    read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (log_verbose)
				fprintf(stderr, "eebox: %s, exiting\n",
					strsignal((int)si.ssi_signo));
			return;
		}
	}
}

int box_run(struct box *box)
{
	int tfd = -1, sfd = -1, status = EEBOX_EXIT_FAIL;
	sigset_t mask;

	box->port.fd = -1;
	/*
	 * A shell starts background jobs with SIGINT ignored, and an ignored
	 * signal is discarded even while blocked: make sure both reach the
	 * signalfd.
	 */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, NULL)) {
		perror("eebox: sigprocmask");
		return EEBOX_EXIT_FAIL;
	}
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	tfd = box_timer(box->interval_ms);
	if (sfd < 0 || tfd < 0) {
		perror("eebox: timerfd/signalfd");
		goto out;
	}
	if (box_open(box) || box_open_state(box))
		goto out;

	box_loop(box, tfd, sfd);
	status = box->fatal ? EEBOX_EXIT_FAIL : 0;
	box_print_stats(box);
out:
	net_close(&box->port);
	if (tfd >= 0)
		close(tfd);
	if (sfd >= 0)
		close(sfd);
	return status;
}
