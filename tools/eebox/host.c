// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: host-side bridges and their connections (see host.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "host.h"
#include "log.h"
#include "parse.h"
#include "serve.h"

/*
 * Completions that may wait outside the link's ring before the host's
 * requests are left unread.  Deferring a TLP frame also loses the ack it
 * carries, so it is kept for when the host asks for far more than the
 * pacer lets out; one frame of requests adds at most ~400 payloads.
 */
#define HOST_BACKLOG_MAX	256

static struct box_host *host_find(const struct eebox_dev *dev, const u8 *mac)
{
	unsigned int i;

	for (i = 0; i < dev->nhosts; i++)
		if (!memcmp(dev->hosts[i]->mac, mac, 6))
			return dev->hosts[i];
	return NULL;
}

/* ---- the outgoing batch ---------------------------------------------- */

static void host_tx_queue(struct box_host *h)
{
	struct eebox_dev *dev = h->dev;
	int ret;

	if (!h->tx_tlps)
		return;
	/* The host may look at the state file as soon as it has the reply. */
	dev_save_state(dev);

	/* The link numbers, keeps and (re)sends it; pumped by the caller. */
	ret = conn_queue(&h->conn, h->tx, h->tx_len);
	if (ret) {
		if (ret == -ENOMEM || log_verbose)
			fprintf(stderr, "eebox: %s: cannot queue %u TLPs: %s\n",
				h->conn.name, h->tx_tlps,
				ret == -ENOMEM ? strerror(ENOMEM) :
				"no connection");
		dev->st.tx_errors++;
	} else {
		dev->st.tx_frames++;
		dev->st.tx_tlps += h->tx_tlps;
	}
	h->tx_len = 0;
	h->tx_tlps = 0;
}

int host_tx_tlp(struct box_host *h, const struct ee_tlp *t)
{
	int n;

	if (h->tx_len + ee_tlp_size(t) > sizeof(h->tx))
		host_tx_queue(h);
	n = ee_tlp_build(h->tx + h->tx_len, sizeof(h->tx) - h->tx_len, t);
	if (n < 0) {
		fprintf(stderr, "eebox: dev %u: cannot build a TLP: %s\n",
			h->dev->index, ee_err_str(-n));
		h->dev->st.tx_errors++;
		return -1;
	}
	h->tx_len += (size_t)n;
	h->tx_tlps++;
	return 0;
}

void host_tx_flush(struct box_host *h, u64 now)
{
	host_tx_queue(h);
	conn_pump(&h->conn, now);
}

void host_flush_all(struct box *box, u64 now)
{
	struct eebox_dev *dev;
	unsigned int i, j;

	for (i = 0; i < box->ndevs; i++) {
		dev = box->devs[i];
		for (j = 0; j < dev->nhosts; j++)
			if (dev->hosts[j]->tx_tlps)
				host_tx_flush(dev->hosts[j], now);
	}
}

u64 host_conn_id(const struct box_host *h)
{
	/* A dead connection is still this one until it is replaced: it
	 * may be resumed (conn_revive()).
	 */
	if (!conn_exists(&h->conn))
		return 0;
	return (u64)h->conn.peer_epoch << 32 | h->conn.link.g.gen;
}

/* conn_xmit_fn: every frame of a link leaves through box_xmit(). */
static int host_xmit(void *ctx, const u8 *frame, size_t len, const char *note,
		     bool send)
{
	struct box_host *h = ctx;

	if (!send) {
		log_frame("tx", frame, len, h->box->ethertype, note);
		return 0;
	}
	return box_xmit(h->box, h->dev, frame, len, note);
}

static struct box_host *host_add(struct box *box, struct eebox_dev *dev,
				 const u8 *mac)
{
	char name[64], m[MAC_STR_LEN];
	struct box_host *h;

	if (dev->nhosts == EEBOX_MAX_HOSTS) {
		if (!dev->st.hosts_full++)
			fprintf(stderr,
				"eebox: dev %u: host %s ignored: already %d hosts\n",
				dev->index, mac_str(m, mac), EEBOX_MAX_HOSTS);
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	snprintf(name, sizeof(name), "dev %u: host %s", dev->index,
		 mac_str(m, mac));
	if (!h || conn_init(&h->conn, name, dev->mac, mac, dev->gid,
			    box->ethertype, &box->faults, host_xmit, h)) {
		fprintf(stderr, "eebox: %s: %s\n", name, strerror(ENOMEM));
		free(h);
		return NULL;
	}
	h->box = box;
	h->dev = dev;
	memcpy(h->mac, mac, 6);
	dev->hosts[dev->nhosts++] = h;
	return h;
}

void host_dif(struct box *box, struct eebox_dev *dev, const struct ee_dif *d,
	      u64 now)
{
	struct box_host *h = host_find(dev, d->mac);

	dev->st.host_difs++;
	if (!h) {
		h = host_add(box, dev, d->mac);
		if (!h)
			return;
		h->epoch = d->epoch;
		fprintf(stderr, "eebox: %s: connected (host epoch %#010x)\n",
			h->conn.name, d->epoch);
		conn_open(&h->conn, dev->epoch, d->epoch, now);
	} else if (d->epoch != h->epoch || h->conn.local_epoch != dev->epoch) {
		if (d->epoch != h->epoch)
			fprintf(stderr,
				"eebox: %s: host restarted (epoch %#010x -> %#010x): new connection\n",
				h->conn.name, h->epoch, d->epoch);
		else
			fprintf(stderr,
				"eebox: %s: connected again (bridge epoch %#010x)\n",
				h->conn.name, dev->epoch);
		h->epoch = d->epoch;
		h->tx_len = 0;
		h->tx_tlps = 0;
		/* The bridge may have moved groups since (host_leave()). */
		h->conn.gid = dev->gid;
		conn_open(&h->conn, dev->epoch, d->epoch, now);
	} else if (conn_is_dead(&h->conn)) {
		/* Same epochs: it may never have noticed (a stall).  Resume
		 * where we stopped; had it started a new generation, its
		 * SYN takes us there.
		 */
		conn_revive(&h->conn, now);
		fprintf(stderr,
			"eebox: %s: host is back: connection resumed (generation %u)\n",
			h->conn.name, h->conn.link.g.gen);
	} else {
		return;
	}
	box->links_dirty = true;
	conn_pump(&h->conn, now);
}

static const char *host_verdict_str(int v)
{
	switch (v) {
	case EE_GBN_DUP:
		return "duplicate";
	case EE_GBN_OOO:
		return "out of order";
	case EE_GBN_STALE:
		return "stale";
	case EE_GBN_UNSEQ:
		return "unsequenced";
	default:
		return "no open connection";
	}
}

void host_rx(struct box *box, struct eebox_dev *dev, const struct ee_frame *f,
	     u64 now)
{
	struct box_host *h = host_find(dev, f->src);
	struct ee_gbn_rx_info ri;
	int v;

	if (!h) {
		dev->st.rx_no_conn++;
		if (log_verbose)
			fprintf(stderr, "             dropped: no connection\n");
		return;
	}
	box->links_dirty = true;
	if (f->hdr.type == EXPETHER_FT_TLP &&
	    conn_backlog(&h->conn) > HOST_BACKLOG_MAX) {
		/* Too many completions wait for room: leave the request
		 * unread, as if lost; the host sends it again.
		 */
		conn_pump(&h->conn, now);
		if (conn_backlog(&h->conn) > HOST_BACKLOG_MAX) {
			dev->st.rx_deferred++;
			if (log_verbose)
				fprintf(stderr,
					"             dropped: completions waiting\n");
			return;
		}
	}
	v = conn_rx(&h->conn, now, &f->hdr, &ri);
	if (v == EE_GBN_DELIVER)
		serve_payload(h, f);
	else if (v != EE_GBN_ACKONLY && log_verbose)
		fprintf(stderr, "             dropped: %s\n",
			host_verdict_str(v));
	/* Now: responses, and an ack for a gap before the next frame. */
	conn_pump(&h->conn, now);
}

void host_service(struct box *box, u64 now)
{
	struct box_host *h;
	unsigned int i, j;

	for (i = 0; i < box->ndevs; i++) {
		for (j = 0; j < box->devs[i]->nhosts; j++) {
			h = box->devs[i]->hosts[j];
			if (conn_deadline(&h->conn) <= now) {
				conn_timer(&h->conn, now);
				box->links_dirty = true;
			}
			conn_pump(&h->conn, now);
		}
	}
}

u64 host_deadline(const struct box *box)
{
	u64 t = EE_GBN_NEVER, d;
	unsigned int i, j;

	for (i = 0; i < box->ndevs; i++) {
		for (j = 0; j < box->devs[i]->nhosts; j++) {
			d = conn_deadline(&box->devs[i]->hosts[j]->conn);
			if (d < t)
				t = d;
		}
	}
	return t;
}

#define KV(name, val)	fprintf(f, "%s %llu\n", name, (unsigned long long)(val))

static void host_write_links(const struct eebox_dev *dev, FILE *f)
{
	const struct dev_stats *st = &dev->st;
	char mac[MAC_STR_LEN];
	unsigned int i;

	KV("device", dev->index);
	fprintf(f, "mac %s\n", mac_str(mac, dev->mac));
	KV("gid", dev->gid);
	fprintf(f, "epoch %#010x\n", dev->epoch);
	KV("rx_frames", st->rx_frames);
	KV("rx_tlps", st->rx_tlps);
	KV("rx_no_conn", st->rx_no_conn);
	KV("rx_deferred", st->rx_deferred);
	KV("host_difs", st->host_difs);
	KV("hosts_full", st->hosts_full);
	KV("mwr_tlps", st->mwr_tlps);
	KV("mwr_bytes", st->mwr_bytes);
	KV("echo_requests", st->echo_requests);
	KV("gid_changes", st->gid_changes);
	KV("mgmt_accepted", st->mgmt_accepted);
	KV("mgmt_malformed", st->mgmt_malformed);
	KV("mgmt_no_key", st->mgmt_no_key);
	KV("mgmt_not_ours", st->mgmt_not_ours);
	KV("mgmt_forged", st->mgmt_forged);
	KV("mgmt_replayed", st->mgmt_replayed);
	KV("mgmt_counter", dev->mgmt_counter);
	dma_write_stats(dev, f);
	irq_write_stats(dev, f);
	KV("hosts", dev->nhosts);
	for (i = 0; i < dev->nhosts; i++) {
		fputc('\n', f);
		conn_write_stats(&dev->hosts[i]->conn, f);
	}
}

#undef KV

int host_save_links(const struct box *box, const struct eebox_dev *dev)
{
	char *tmp;
	FILE *f;
	int ret = 0;

	(void)box;
	if (!dev->link_path)
		return 0;
	if (asprintf(&tmp, "%s.tmp", dev->link_path) < 0)
		return -ENOMEM;
	f = fopen(tmp, "we");
	if (!f) {
		ret = -errno;
		goto out;
	}
	host_write_links(dev, f);
	if (ferror(f))
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, dev->link_path))
		ret = -errno;
	if (ret)
		unlink(tmp);
out:
	free(tmp);
	return ret;
}

void host_print_stats(const struct eebox_dev *dev)
{
	char prefix[96];
	unsigned int i;

	for (i = 0; i < dev->nhosts; i++) {
		snprintf(prefix, sizeof(prefix), "eebox: %s: ",
			 dev->hosts[i]->conn.name);
		conn_print_summary(&dev->hosts[i]->conn, stderr, prefix);
	}
}

void host_leave(struct eebox_dev *dev)
{
	unsigned int i;

	for (i = 0; i < dev->nhosts; i++) {
		struct box_host *h = dev->hosts[i];

		h->tx_len = 0;
		h->tx_tlps = 0;
		conn_close(&h->conn);
	}
}

void host_free_all(struct box *box)
{
	struct eebox_dev *dev;
	unsigned int i, j;

	for (i = 0; i < box->ndevs; i++) {
		dev = box->devs[i];
		for (j = 0; j < dev->nhosts; j++) {
			conn_destroy(&dev->hosts[j]->conn);
			free(dev->hosts[j]);
			dev->hosts[j] = NULL;
		}
		dev->nhosts = 0;
	}
}
