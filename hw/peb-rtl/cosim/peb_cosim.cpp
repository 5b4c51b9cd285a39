// SPDX-License-Identifier: GPL-2.0
/*
 * peb-cosim: the RTL I/O-side bridge (peb_top, Verilated) on a real
 * Ethernet interface, with eebox's device models behind it.
 *
 * It takes eebox's arguments and can be dropped in for it
 * (EEBOX=.../peb-cosim selftests/expether/vm-run --box '-g 5 -d testdev'):
 *
 *   peb-cosim -i IFACE -g GID -d testdev[,bar=..,mac=..,gid=..,id=..] [-v]
 *             [--interval MS] [--ethertype N] [--state-dir DIR]
 *   peb-cosim --dump-config testdev[,...]
 *
 * Frames from the interface (AF_PACKET, eebox's net.c) go into the
 * bridge's MAC stream, frames it sends go out; the TLPs it gives the
 * device are served by eebox's own code (serve.c: configuration space,
 * BARs, completions; dma.c and irq.c for the device's requests), and the
 * TLPs the device makes go into the bridge's device stream.  The bridge
 * does everything eebox's own transport and DIF code would (host.c,
 * conn.c, dif.c): those are not linked; the few functions of theirs the
 * model code calls are below, backed by the RTL.
 *
 * The bridge's clock follows the host's (CLOCK_MONOTONIC), so its
 * timestamps, RTOs, delayed acks and DIF period are real.  One device;
 * models with file descriptors of their own (vnet) are not supported.
 * With --state-dir, DIR/1.cfg is the live configuration space (as eebox
 * keeps it) and DIR/1.rtl the bridge's and the device's counters.
 */
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <string>
#include <sys/stat.h>
#include <time.h>

#include "peb_drv.h"

extern "C" {
#include <linux/pci_regs.h>
#include "box.h"
#include "cfgdump.h"
#include "device.h"
#include "dma.h"
#include "host.h"
#include "log.h"
#include "net.h"
#include "parse.h"
#include "serve.h"
}

/* Counter names of peb_top's cnt_inc, for DIR/1.rtl. */
static const char *const cnt_names[C_COUNT] = {
	"rx_frames", "rx_malformed", "rx_err_trunc", "rx_err_notag",
	"rx_err_ethertype", "rx_err_version", "rx_err_type", "rx_err_length",
	"rx_err_field", "rx_err_tlp_fmt", "rx_err_tlp_len", "rx_wrong_gid",
	"rx_overflow", "rx_bad_fcs", "rx_bad_difs", "rx_ignored", "rx_no_conn",
	"host_difs", "hosts_other", "rx_tlps", "tx_tlps", "tx_tlps_dropped",
	"tx_frames", "tx_difs", "tx_echoes", "mgmt_accepted", "mgmt_rejected",
	"gbn_tx_frames", "gbn_rtx_frames", "gbn_tx_acks", "gbn_rx_frames",
	"gbn_rx_dup", "gbn_rx_ooo", "gbn_rx_stale", "gbn_rx_unseq",
	"gbn_rx_ignored", "gbn_rx_acks", "gbn_rx_bad_acks", "gbn_rx_dupacks",
	"gbn_rx_probes", "gbn_rx_probe_echoes", "gbn_timeouts", "gbn_fast_rtx",
	"gbn_resets", "gbn_peer_restarts", "gbn_deaths", "gbn_rtt_samples",
	"restarts",
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static struct {
	PebDrv *peb;
	struct box box;
	struct box_host host;
	struct eebox_dev *dev;
	u64 last_ns;		/* the bridge's clock follows this */
	u64 carry_ns;
	u64 pending_us;
	uint32_t status, gen, host_epoch;
	char *rtl_path;
	u64 saved_ns;
	bool dirty;
} cs;

/* ---- what eebox's transport would provide (host.c, conn.c, box.c) ---- */

extern "C" u64 conn_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (u64)t.tv_sec * 1000000000ULL + (u64)t.tv_nsec;
}

/* Every TLP of the device: into the bridge's device stream, one frame each. */
extern "C" int host_tx_tlp(struct box_host *h, const struct ee_tlp *t)
{
	Bytes b(EE_TLP_MAX_HDR + EE_TLP_MAX_DW * 4);
	int n = ee_tlp_build(b.data(), b.size(), t);

	if (n < 0) {
		fprintf(stderr, "peb-cosim: cannot build a TLP: %s\n", ee_err_str(-n));
		h->dev->st.tx_errors++;
		return -1;
	}
	b.resize((size_t)n);
	if (log_verbose) {
		char s[160];

		ee_tlp_format(s, sizeof(s), t);
		fprintf(stderr, "             from the device: %s\n", s);
	}
	cs.peb->dev_send(b);
	h->dev->st.tx_tlps++;
	cs.dirty = true;
	return 0;
}

extern "C" void host_tx_flush(struct box_host *h, u64 now)
{
	(void)h;
	(void)now;
}

/* The connection, as host.c names it: peer epoch and generation, 0 closed. */
extern "C" u64 host_conn_id(const struct box_host *h)
{
	(void)h;
	if (!(cs.status & 2))
		return 0;
	return (u64)cs.host_epoch << 32 | cs.gen;
}

static void turn(bool top, u64 deadline);

extern "C" int box_wait(struct box *box, bool (*done)(void *arg), void *arg, u64 deadline)
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
		turn(false, deadline);
	}
	box->waiting = false;
	return ret;
}

/* ---- the loop ----------------------------------------------------------- */

static void save_rtl(bool force)
{
	FILE *f;
	std::string tmp;
	u64 now = conn_now();

	if (!cs.rtl_path || (!force && (!cs.dirty || now - cs.saved_ns < 100000000ULL)))
		return;
	cs.dirty = false;
	cs.saved_ns = now;
	tmp = std::string(cs.rtl_path) + ".tmp";
	f = fopen(tmp.c_str(), "we");
	if (!f)
		return;
	for (int i = 0; i < C_COUNT; i++)
		fprintf(f, "%s %u\n", cnt_names[i], cs.peb->counter((unsigned int)i));
	fprintf(f, "status %#x\ngen %u\nhost_epoch %#010x\n", cs.status, cs.gen, cs.host_epoch);
	fprintf(f, "dev_rx_tlps %llu\ndev_tx_tlps %llu\ndev_cpl_ur %llu\ndev_mwr_tlps %llu\ndev_mwr_bytes %llu\ndev_mwr_dropped %llu\n",
		(unsigned long long)cs.dev->st.rx_tlps, (unsigned long long)cs.dev->st.tx_tlps,
		(unsigned long long)cs.dev->st.cpl_ur, (unsigned long long)cs.dev->st.mwr_tlps,
		(unsigned long long)cs.dev->st.mwr_bytes,
		(unsigned long long)cs.dev->st.mwr_dropped);
	if (fclose(f) == 0)
		rename(tmp.c_str(), cs.rtl_path);
}

/* A TLP the bridge gave the device: serve it as eebox serves a frame. */
static void serve(const Bytes &t)
{
	struct ee_frame f;

	memset(&f, 0, sizeof(f));
	memcpy(f.src, cs.host.mac, 6);
	f.tci = cs.dev->gid;
	f.hdr.version = EXPETHER_VERSION;
	f.hdr.type = EXPETHER_FT_TLP;
	f.hdr.length = (u16)t.size();
	f.payload = t.data();
	if (serve_validate(&f)) {
		/* cannot happen: the bridge checked it */
		fprintf(stderr, "peb-cosim: the bridge delivered a bad TLP\n");
		return;
	}
	if (log_verbose) {
		struct ee_tlp tlp;
		char s[160];

		if (ee_tlp_parse(t.data(), t.size(), &tlp) > 0) {
			ee_tlp_format(s, sizeof(s), &tlp);
			fprintf(stderr, "             to the device: %s\n", s);
		}
	}
	serve_payload(&cs.host, &f);
	cs.dirty = true;
	if (getenv("PEB_COSIM_DEBUG"))
		fprintf(stderr, "             cfg 0x14 = %08x dirty %d path %s\n",
			cfg_read(&cs.dev->cfg, 0x14, 4), cs.dev->cfg_dirty,
			cs.dev->state_path ? cs.dev->state_path : "-");
}

static void turn(bool top, u64 deadline)
{
	static u8 buf[NET_RX_MAX];
	PebDrv &peb = *cs.peb;
	bool busy = false;
	int n, i;

	if (stop_signal)
		cs.box.stopping = true;
	for (i = 0; i < 64; i++) {
		n = net_recv(&cs.box.port, buf);
		if (n == -EINTR)
			continue;
		if (n < 0) {
			if (n != -EAGAIN && n != -EWOULDBLOCK) {
				fprintf(stderr, "peb-cosim: %s: %s\n", cs.box.ifname, strerror(-n));
				if (n == -ENODEV || n == -ENXIO)
					cs.box.fatal = true;
			}
			break;
		}
		if (n > 0) {
			if (log_verbose && (!memcmp(buf, cs.dev->mac, 6)))
				log_frame("rx", buf, (size_t)n, cs.box.ethertype, NULL);
			peb.send(Bytes(buf, buf + n));
			busy = true;
		}
	}

	/* the bridge runs, its clock following ours */
	u64 now = conn_now();
	cs.carry_ns += now - cs.last_ns;
	cs.last_ns = now;
	cs.pending_us += cs.carry_ns / 1000;
	cs.carry_ns %= 1000;
	unsigned int cycles = (busy || !peb.rx_idle() || peb.dev_pending()) ? 256 : 32;
	for (unsigned int c = 0; c < cycles || (cs.pending_us && c < 4096); c++) {
		unsigned int inc = cs.pending_us > 255 ? 255 : (unsigned int)cs.pending_us;
		cs.pending_us -= inc;
		peb.tick(inc);
	}
	while (!peb.tx_frames.empty()) {
		const Bytes &f = peb.tx_frames.front();
		log_frame("tx", f.data(), f.size(), cs.box.ethertype, NULL);
		n = net_send(&cs.box.port, f.data(), f.size());
		if (n)
			cs.dev->st.tx_errors++;
		peb.tx_frames.pop_front();
		busy = true;
	}
	while (!peb.dev_tlps.empty()) {
		Bytes t = peb.dev_tlps.front();
		peb.dev_tlps.pop_front();
		serve(t);
		busy = true;
	}
	cs.status = peb.csr_read(PEB_STATUS);
	cs.gen = peb.csr_read(PEB_GEN);
	cs.host_epoch = peb.csr_read(PEB_HOST_EPOCH);
	if (top && cs.dev->work_pending && cs.dev->model->work) {
		cs.dev->work_pending = false;
		cs.dev->in_work = true;
		cs.dev->model->work(cs.dev);
		cs.dev->in_work = false;
		busy = true;
	}
	save_rtl(false);
	if (busy || !peb.rx_idle() || peb.dev_pending() || cs.box.stopping)
		return;

	/* idle: sleep until a frame comes, a little while if timers run */
	struct pollfd pfd = { cs.box.port.fd, POLLIN, 0 };
	u64 wait = peb.m->busy ? 100000 : 2000000;
	if (top && cs.dev->work_pending)
		wait = 0;
	now = conn_now();
	if (deadline != EE_GBN_NEVER && deadline > now && deadline - now < wait)
		wait = deadline - now;
	struct timespec ts = { 0, (long)wait };
	sigset_t none;
	sigemptyset(&none);
	ppoll(&pfd, 1, &ts, &none);
}

/* ---- set-up --------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: peb-cosim -i IFACE -g GID -d testdev[,opt=val...] [-v]\n"
		"                 [--interval MS] [--ethertype N] [--state-dir DIR]\n"
		"       peb-cosim --dump-config testdev[,opt=val...]\n"
		"The RTL I/O bridge (hw/peb-rtl) in place of eebox's: one device.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "gid", required_argument, NULL, 'g' },
		{ "device", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "ethertype", required_argument, NULL, 1 },
		{ "interval", required_argument, NULL, 2 },
		{ "state-dir", required_argument, NULL, 3 },
		{ "dump-config", required_argument, NULL, 4 },
		{ NULL, 0, NULL, 0 },
	};
	const char *ifname = NULL, *spec = NULL, *state_dir = NULL, *dump = NULL;
	u64 v, gid = 0, ethertype = EXPETHER_ETHERTYPE_DEFAULT, interval = 100;
	struct ee_link_cfg lcfg;
	struct eebox_dev *dev;
	int c, ret;

	while ((c = getopt_long(argc, argv, "i:g:d:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'g':
			if (parse_u64(optarg, &gid) || gid < 1 || gid > 4094) {
				fprintf(stderr, "peb-cosim: -g %s: gid must be from 1 to 4094\n", optarg);
				return EEBOX_EXIT_USAGE;
			}
			break;
		case 'd':
			if (spec) {
				fprintf(stderr, "peb-cosim: one device only\n");
				return EEBOX_EXIT_USAGE;
			}
			spec = optarg;
			break;
		case 'v':
			log_verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 1:
			if (parse_u64(optarg, &v) || v < 0x600 || v > 0xffff || v == 0x8100) {
				fprintf(stderr, "peb-cosim: --ethertype %s: bad EtherType\n", optarg);
				return EEBOX_EXIT_USAGE;
			}
			ethertype = v;
			break;
		case 2:
			if (parse_u64(optarg, &v) || v < 1 || v > 65535) {
				fprintf(stderr, "peb-cosim: --interval %s: from 1 to 65535 ms\n", optarg);
				return EEBOX_EXIT_USAGE;
			}
			interval = v;
			break;
		case 3:
			state_dir = optarg;
			break;
		case 4:
			dump = optarg;
			break;
		default:
			usage(stderr);
			return EEBOX_EXIT_USAGE;
		}
	}
	if (dump) {
		ret = dev_create("--dump-config", dump, 1, NULL, 1, &dev);
		if (ret)
			return ret;
		ret = cfgdump_print(&dev->cfg, stdout) ? EEBOX_EXIT_FAIL : 0;
		dev_destroy(dev);
		return ret;
	}
	if (!ifname || !gid || !spec || optind < argc) {
		usage(stderr);
		return EEBOX_EXIT_USAGE;
	}
	if (strncmp(spec, "testdev", 7) || (spec[7] && spec[7] != ',')) {
		fprintf(stderr, "peb-cosim: -d %s: only testdev runs behind the RTL bridge\n", spec);
		return EEBOX_EXIT_USAGE;
	}
	ret = dev_create("-d", spec, 1, ifname, (u16)gid, &dev);
	if (ret)
		return ret;

	cs.dev = dev;
	cs.box.ifname = ifname;
	cs.box.ethertype = (u16)ethertype;
	cs.box.interval_ms = (u16)interval;
	cs.box.state_dir = state_dir;
	cs.box.devs = &cs.dev;
	cs.box.ndevs = 1;
	cs.box.port.fd = -1;
	cs.host.box = &cs.box;
	cs.host.dev = dev;
	snprintf(cs.host.conn.name, sizeof(cs.host.conn.name), "dev 1: rtl bridge");
	dev->box = &cs.box;

	ret = net_open(&cs.box.port, ifname);
	if (!ret)
		ret = net_add_mac(&cs.box.port, dev->mac);
	if (ret) {
		fprintf(stderr, "peb-cosim: %s: %s\n", ifname, strerror(-ret));
		dev_destroy(dev);
		return EEBOX_EXIT_FAIL;
	}
	if (state_dir) {
		mkdir(state_dir, 0755);
		if (asprintf(&dev->state_path, "%s/1.cfg", state_dir) < 0 ||
		    asprintf(&cs.rtl_path, "%s/1.rtl", state_dir) < 0) {
			fprintf(stderr, "peb-cosim: %s\n", strerror(ENOMEM));
			return EEBOX_EXIT_FAIL;
		}
		if (cfgdump_save(&dev->cfg, dev->state_path)) {
			fprintf(stderr, "peb-cosim: %s: cannot write\n", dev->state_path);
			return EEBOX_EXIT_FAIL;
		}
	}

	/* the bridge: identity, device summary, eebox's transport settings */
	PebDrv peb;
	cs.peb = &peb;
	peb.reset(dev->epoch);
	peb.set_mac(dev->mac);
	peb.csr_write(PEB_GID, dev->gid);
	peb.csr_write(PEB_ETHERTYPE, (uint32_t)ethertype);
	peb.csr_write(PEB_DIF_INTERVAL, (uint32_t)interval);
	peb.csr_write(PEB_BRIDGE_ID_HI, (uint32_t)(dev->bridge_id >> 32));
	peb.csr_write(PEB_BRIDGE_ID_LO, (uint32_t)dev->bridge_id);
	peb.csr_write(PEB_DEV_ID, cfg_read(&dev->cfg, PCI_VENDOR_ID, 2) << 16 |
		      cfg_read(&dev->cfg, PCI_DEVICE_ID, 2));
	peb.csr_write(PEB_CLASS_REV, cfg_read(&dev->cfg, PCI_CLASS_REVISION, 4));
	peb.csr_write(PEB_SUBSYS, cfg_read(&dev->cfg, PCI_SUBSYSTEM_VENDOR_ID, 2) << 16 |
		      cfg_read(&dev->cfg, PCI_SUBSYSTEM_ID, 2));
	ee_link_cfg_default(&lcfg);
	peb.set_gbn_cfg(&lcfg.gbn);
	peb.csr_write(PEB_CTRL, PEB_CTRL_ENABLE | PEB_CTRL_PRESENT);

	char mac[MAC_STR_LEN];
	fprintf(stderr, "peb-cosim: RTL bridge %s gid %u epoch %#010x on %s, testdev behind it\n",
		mac_str(mac, dev->mac), dev->gid, dev->epoch, ifname);

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	cs.last_ns = conn_now();
	while (!cs.box.stopping && !cs.box.fatal)
		turn(true, EE_GBN_NEVER);

	save_rtl(true);
	fprintf(stderr, "peb-cosim: %llu cycles;", (unsigned long long)peb.cycles);
	for (int i = 0; i < C_COUNT; i++) {
		uint32_t n = peb.counter((unsigned int)i);
		if (n)
			fprintf(stderr, " %s %u", cnt_names[i], n);
	}
	fprintf(stderr, "\npeb-cosim: device: %llu TLPs served, %llu sent, %llu UR, %llu posted writes (%llu bytes)\n",
		(unsigned long long)dev->st.rx_tlps, (unsigned long long)dev->st.tx_tlps,
		(unsigned long long)dev->st.cpl_ur, (unsigned long long)dev->st.mwr_tlps,
		(unsigned long long)dev->st.mwr_bytes);
	net_close(&cs.box.port);
	free(cs.rtl_path);
	dev_destroy(dev);
	return cs.box.fatal ? EEBOX_EXIT_FAIL : 0;
}
