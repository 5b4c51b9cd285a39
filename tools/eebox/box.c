// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: the running box (see box.h): frames in, DIFs and completions out.
 *
 * One thread, one poll() over the packet socket, a timerfd for the DIF
 * period, a timerfd (absolute, CLOCK_MONOTONIC) armed at the earliest
 * deadline of the hosts' links (retransmission, delayed ack, pacing,
 * probing, held frames of the fault injector, the next --state-dir link
 * file update), a signalfd for SIGINT/SIGTERM and the models' own file
 * descriptors (a tap).
 *
 * A turn of the loop: flush the hosts' outgoing batches, run the links'
 * timers, poll, then serve what arrived.  Top-level turns also run the
 * models' pending work and their file descriptors; nested turns, inside
 * box_wait() while a model waits for DMA completions, do not (dma.h).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>

#include "box.h"
#include "cfgdump.h"
#include "dif.h"
#include "dma.h"
#include "host.h"
#include "irq.h"
#include "ctl.h"
#include "log.h"
#include "mgmt.h"
#include "parse.h"
#include "serve.h"

#define RX_BURST	64	/* frames per wakeup before timers get a turn */
#define LINKS_SAVE_NS	100000000ULL	/* .link files: at most every 100 ms */

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
	     size_t len, const char *note)
{
	int ret;

	log_frame("tx", frame, len, box->ethertype, note);
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
		if (!box_xmit(box, dev, frame, (size_t)len, NULL))
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

/* A broadcast DIF: host-side bridges open connections with ours. */
static void box_rx_dif(struct box *box, const struct ee_frame *f, u64 now)
{
	struct ee_dif d;
	unsigned int i;

	if (ee_dif_parse(f->payload, f->hdr.length, &d) ||
	    d.gid != ee_frame_gid(f) || memcmp(d.mac, f->src, 6)) {
		box->rx_bad_difs++;
		return;
	}
	if (d.role != EXPETHER_ROLE_HOST)
		return;		/* other I/O bridges: nothing to do */
	for (i = 0; i < box->ndevs; i++)
		if (box->devs[i]->gid == d.gid)
			host_dif(box, box->devs[i], &d, now);
}

/* ECHO request: the same payload back at once, unsequenced, no faults. */
static void box_echo(struct box *box, struct eebox_dev *dev,
		     const struct ee_frame *req)
{
	u8 frame[EXPETHER_L2_HLEN + EXPETHER_HLEN + EXPETHER_MAX_PAYLOAD];
	struct ee_frame f = {
		.tci = dev->gid,
		.ethertype = box->ethertype,
		.hdr = {
			.version = EXPETHER_VERSION,
			.type = EXPETHER_FT_ECHO_REPLY,
		},
	};
	int len;

	memcpy(f.dst, req->src, 6);
	memcpy(f.src, dev->mac, 6);
	len = ee_frame_build(frame, sizeof(frame), &f, req->payload,
			     req->hdr.length);
	if (len < 0) {
		dev->st.tx_errors++;
		return;
	}
	if (!box_xmit(box, dev, frame, (size_t)len, NULL))
		dev->st.echo_requests++;
}

/* One frame from the wire, tag inline. */
static void box_rx_frame(struct box *box, const u8 *buf, size_t len, u64 now)
{
	struct eebox_dev *dev;
	struct ee_frame f;
	int r;

	if (len < 6)
		return;
	if (!memcmp(buf, bcast, 6)) {
		r = ee_frame_parse(buf, len, box->ethertype, &f);
		if (r == -EE_ERR_ETHERTYPE)
			return;
		log_frame("rx", buf, len, box->ethertype, NULL);
		if (!r && f.hdr.type == EXPETHER_FT_DIF)
			box_rx_dif(box, &f, now);
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
	switch (f.hdr.type) {
	case EXPETHER_FT_TLP:
		/* A malformed frame never reaches the transport. */
		r = serve_validate(&f);
		if (r < 0) {
			dev->st.rx_malformed[-r < EE_ERR__MAX ? -r : 0]++;
			if (log_verbose)
				fprintf(stderr, "             dropped: %s\n",
					ee_err_str(-r));
			return;
		}
		host_rx(box, dev, &f, now);
		break;
	case EXPETHER_FT_ACK:
		host_rx(box, dev, &f, now);
		break;
	case EXPETHER_FT_ECHO_REQ:
		box_echo(box, dev, &f);
		break;
	case EXPETHER_FT_MGMT:
		mgmt_rx(box, dev, &f);
		break;
	default:
		dev->st.rx_ignored++;	/* DIF, ECHO reply */
		break;
	}
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
			box_rx_frame(box, buf, (size_t)n, conn_now());
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
	for (i = 0; i < box->ndevs; i++) {
		struct eebox_dev *dev = box->devs[i];
		char err[160] = "";

		if (!dev->model->start)
			continue;
		ret = dev->model->start(dev, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "eebox: -d %s: %s\n", dev->spec,
				*err ? err : strerror(-ret));
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
		if (mgmt_open_state(box, dev)) {
			fprintf(stderr, "eebox: %s: %s\n", dev->mgmt_path ?
				dev->mgmt_path : box->state_dir,
				strerror(errno));
			return -1;
		}
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
		if (asprintf(&dev->link_path, "%s/%u.link", box->state_dir,
			     dev->index) < 0) {
			dev->link_path = NULL;
			fprintf(stderr, "eebox: %s\n", strerror(ENOMEM));
			return -1;
		}
		ret = host_save_links(box, dev);
		if (ret) {
			fprintf(stderr, "eebox: %s: %s\n", dev->link_path,
				strerror(-ret));
			return -1;
		}
	}
	box->links_saved = conn_now();
	return 0;
}

/* Rewrite the .link files if they changed, at most every 100 ms. */
static void box_save_links(struct box *box, u64 now, bool force)
{
	struct eebox_dev *dev;
	unsigned int i;
	int ret;

	if (!box->state_dir || !box->links_dirty ||
	    (!force && now - box->links_saved < LINKS_SAVE_NS))
		return;
	box->links_dirty = false;
	box->links_saved = now;
	for (i = 0; i < box->ndevs; i++) {
		dev = box->devs[i];
		ret = host_save_links(box, dev);
		if (ret)
			fprintf(stderr, "eebox: %s: %s\n", dev->link_path,
				strerror(-ret));
	}
}

/* Arm the link timer at @deadline (absolute), or disarm it. */
static void box_arm(int lfd, u64 deadline, u64 *armed)
{
	struct itimerspec its = { 0 };

	if (deadline == *armed)
		return;
	*armed = deadline;
	if (deadline != EE_GBN_NEVER) {
		if (!deadline)
			deadline = 1;	/* 0 would disarm it */
		its.it_value.tv_sec = (time_t)(deadline / 1000000000ULL);
		its.it_value.tv_nsec = (long)(deadline % 1000000000ULL);
	}
	if (timerfd_settime(lfd, TFD_TIMER_ABSTIME, &its, NULL))
		perror("eebox: timerfd_settime");
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
	char mac[MAC_STR_LEN], prefix[32];
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
		fprintf(stderr,
			"eebox: dev %u: %llu posted writes (%llu bytes), %llu echo requests answered, %llu host DIFs, %llu frames without connection, %llu requests deferred\n",
			dev->index, (unsigned long long)st->mwr_tlps,
			(unsigned long long)st->mwr_bytes,
			(unsigned long long)st->echo_requests,
			(unsigned long long)st->host_difs,
			(unsigned long long)st->rx_no_conn,
			(unsigned long long)st->rx_deferred);
		if (st->gid_changes || st->mgmt_accepted ||
		    st->mgmt_malformed || st->mgmt_no_key ||
		    st->mgmt_not_ours || st->mgmt_forged ||
		    st->mgmt_replayed)
			fprintf(stderr,
				"eebox: dev %u: %llu group changes; management frames: %llu accepted, %llu forged, %llu replayed, %llu not ours, %llu without key, %llu malformed\n",
				dev->index,
				(unsigned long long)st->gid_changes,
				(unsigned long long)st->mgmt_accepted,
				(unsigned long long)st->mgmt_forged,
				(unsigned long long)st->mgmt_replayed,
				(unsigned long long)st->mgmt_not_ours,
				(unsigned long long)st->mgmt_no_key,
				(unsigned long long)st->mgmt_malformed);
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
		snprintf(prefix, sizeof(prefix), "eebox: dev %u: ",
			 dev->index);
		dma_print_stats(dev, stderr, prefix);
		irq_print_stats(dev, stderr, prefix);
		if (dev->model->print_stats)
			dev->model->print_stats(dev, stderr, prefix);
		host_print_stats(dev);
	}
	if (box->rx_bad_difs)
		fprintf(stderr, "eebox: %llu malformed DIFs ignored\n",
			(unsigned long long)box->rx_bad_difs);
}

#define MAX_PFD		(5 + EEBOX_MAX_DEVICES)
#define PFD_FIXED	5	/* packets, DIF timer, link timer, signals, control */

/*
 * One turn of the loop, waiting in poll() at most until the absolute time
 * @limit (EE_GBN_NEVER: until something happens).  @top: also the models'
 * file descriptors.
 */
static void box_turn(struct box *box, bool top, u64 limit)
{
	struct pollfd pfd[MAX_PFD] = {
		{ .fd = box->port.fd, .events = POLLIN },
		{ .fd = box->tfd, .events = POLLIN },
		{ .fd = box->lfd, .events = POLLIN },
		{ .fd = box->sfd, .events = POLLIN },
		{ .fd = box->cfd, .events = POLLIN },	/* -1: none */
	};
	struct eebox_dev *pdev[MAX_PFD];
	struct signalfd_siginfo si;
	struct timespec ts, *tsp = NULL;
	u64 ticks, now, deadline;
	unsigned int i, n = PFD_FIXED;
	struct eebox_dev *dev;
	short ev;
	int fd;

	/* What is batched goes out, timers that are due, what may be sent. */
	now = conn_now();
	host_flush_all(box, now);
	host_service(box, now);
	box_save_links(box, now, false);
	deadline = host_deadline(box);
	if (box->state_dir && box->links_dirty &&
	    box->links_saved + LINKS_SAVE_NS < deadline)
		deadline = box->links_saved + LINKS_SAVE_NS;
	box_arm(box->lfd, deadline, &box->armed);

	for (i = 0; top && i < box->ndevs; i++) {
		dev = box->devs[i];
		if (!dev->model->poll_fd)
			continue;
		ev = 0;
		fd = dev->model->poll_fd(dev, &ev);
		if (fd < 0 || !ev)
			continue;
		pdev[n] = dev;
		pfd[n].fd = fd;
		pfd[n].events = ev;
		pfd[n++].revents = 0;
	}
	if (limit != EE_GBN_NEVER) {
		now = conn_now();
		limit = limit > now ? limit - now : 0;
		ts.tv_sec = (time_t)(limit / 1000000000ULL);
		ts.tv_nsec = (long)(limit % 1000000000ULL);
		tsp = &ts;
	}
	if (ppoll(pfd, n, tsp, NULL) < 0) {
		if (errno != EINTR) {
			perror("eebox: poll");
			box->fatal = true;
		}
		return;
	}
	if (pfd[0].revents & (POLLIN | POLLERR))
		box_rx(box);
	if ((pfd[1].revents & POLLIN) &&
	    read(box->tfd, &ticks, sizeof(ticks)) == sizeof(ticks))
		box_send_difs(box);
	if ((pfd[2].revents & POLLIN) &&
	    read(box->lfd, &ticks, sizeof(ticks)) == sizeof(ticks))
		box->armed = EE_GBN_NEVER;	/* expired: arm it again */
	if ((pfd[3].revents & POLLIN) &&
	    read(box->sfd, &si, sizeof(si)) == sizeof(si)) {
		if (log_verbose)
			fprintf(stderr, "eebox: %s, exiting\n",
				strsignal((int)si.ssi_signo));
		box->stopping = true;
		return;
	}
	if (pfd[4].revents & POLLIN)
		ctl_ready(box);
	for (i = PFD_FIXED; i < n && !box->stopping; i++) {
		if (!pfd[i].revents)
			continue;
		dev = pdev[i];
		dev->in_work = true;
		dev->model->poll_ready(dev, pfd[i].revents);
		dev->in_work = false;
	}
}

int box_wait(struct box *box, bool (*done)(void *arg), void *arg,
	     u64 deadline)
{
	int ret;

	if (box->waiting)
		return -EDEADLK;
	box->waiting = true;
	for (;;) {
		if (done(arg)) {
			ret = 0;
			break;
		}
		if (box->stopping || box->fatal) {
			ret = -EINTR;
			break;
		}
		if (conn_now() >= deadline) {
			ret = -ETIMEDOUT;
			break;
		}
		box_turn(box, false, deadline);
	}
	box->waiting = false;
	return ret;
}

/* Run the work the models asked for; true if some is left. */
static bool box_run_work(struct box *box)
{
	struct eebox_dev *dev;
	bool more = false;
	unsigned int i;

	for (i = 0; i < box->ndevs && !box->stopping; i++) {
		dev = box->devs[i];
		if (!dev->work_pending || !dev->model->work)
			continue;
		dev->work_pending = false;
		dev->in_work = true;
		dev->model->work(dev);
		dev->in_work = false;
		more |= dev->work_pending;
	}
	return more;
}

/* The event loop.  Returns when a signal arrives or the link is gone. */
static void box_loop(struct box *box)
{
	bool more;

	box_send_difs(box);
	while (!box->fatal && !box->stopping) {
		/* Between turns: no device is in the middle of a DMA. */
		mgmt_apply_moves(box);
		more = box_run_work(box);
		if (box->fatal || box->stopping)
			break;
		box_turn(box, true, more ? 0 : EE_GBN_NEVER);
	}
}

int box_run(struct box *box)
{
	int tfd = -1, lfd = -1, sfd = -1, status = EEBOX_EXIT_FAIL;
	unsigned int i;
	sigset_t mask;

	box->port.fd = -1;
	box->cfd = -1;
	box->armed = EE_GBN_NEVER;
	for (i = 0; i < box->ndevs; i++) {
		box->devs[i]->box = box;
		if (box->dma_timeout_ns)
			box->devs[i]->dma.timeout_ns = box->dma_timeout_ns;
	}
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
	lfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (sfd < 0 || tfd < 0 || lfd < 0) {
		perror("eebox: timerfd/signalfd");
		goto out;
	}
	if (box_open(box) || box_open_state(box) || ctl_open(box))
		goto out;

	box->tfd = tfd;
	box->lfd = lfd;
	box->sfd = sfd;
	box_loop(box);
	status = box->fatal ? EEBOX_EXIT_FAIL : 0;
	box->links_dirty = true;
	box_save_links(box, conn_now(), true);
	box_print_stats(box);
out:
	ctl_close(box);
	host_free_all(box);
	net_close(&box->port);
	if (tfd >= 0)
		close(tfd);
	if (lfd >= 0)
		close(lfd);
	if (sfd >= 0)
		close(sfd);
	return status;
}
