// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: a software ExpEther I/O box.
 *
 * Each -d argument puts one PCIe endpoint behind its own I/O-side bridge on
 * the Ethernet interface given with -i.  The bridges announce themselves
 * with Device Information Frames and serve the TLPs the host-side bridge
 * (the expether kernel module) sends them.  See eebox(8).
 */
#include <getopt.h>
#include <stdlib.h>

#include "box.h"
#include "cfgdump.h"
#include "ctl.h"
#include "fault.h"
#include "log.h"
#include "mgmt.h"
#include "parse.h"

enum {
	OPT_ETHERTYPE = 256,
	OPT_INTERVAL,
	OPT_STATE_DIR,
	OPT_DUMP_CONFIG,
	OPT_DROP,
	OPT_REORDER,
	OPT_DUP,
	OPT_SEED,
	OPT_DMA_TIMEOUT,
	OPT_MGMT_KEY,
	OPT_CONTROL,
	OPT_CTL,
};

static const struct option long_opts[] = {
	{ "interface",	 required_argument, NULL, 'i' },
	{ "gid",	 required_argument, NULL, 'g' },
	{ "device",	 required_argument, NULL, 'd' },
	{ "verbose",	 no_argument,	    NULL, 'v' },
	{ "help",	 no_argument,	    NULL, 'h' },
	{ "ethertype",	 required_argument, NULL, OPT_ETHERTYPE },
	{ "interval",	 required_argument, NULL, OPT_INTERVAL },
	{ "state-dir",	 required_argument, NULL, OPT_STATE_DIR },
	{ "dump-config", required_argument, NULL, OPT_DUMP_CONFIG },
	{ "drop",	 required_argument, NULL, OPT_DROP },
	{ "reorder",	 required_argument, NULL, OPT_REORDER },
	{ "dup",	 required_argument, NULL, OPT_DUP },
	{ "seed",	 required_argument, NULL, OPT_SEED },
	{ "dma-timeout", required_argument, NULL, OPT_DMA_TIMEOUT },
	{ "mgmt-key",	 required_argument, NULL, OPT_MGMT_KEY },
	{ "control",	 required_argument, NULL, OPT_CONTROL },
	{ "ctl",	 required_argument, NULL, OPT_CTL },
	{ NULL, 0, NULL, 0 },
};

struct cmdline {
	const char *ifname;
	u16 gid;
	const char *specs[EEBOX_MAX_DEVICES];
	unsigned int nspecs;
	u16 ethertype;
	u16 interval_ms;
	const char *state_dir;
	const char *dump;
	struct fault_cfg faults;
	u64 dma_timeout_ms;
	const char *mgmt_key;
	const char *control;
	const char *ctl;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: eebox -i IFACE -g GID -d DEVICE[,opt=val...] [-d ...] [-v]\n"
		"             [--ethertype N] [--interval MS] [--state-dir DIR]\n"
		"             [--drop PCT] [--reorder PCT] [--dup PCT] [--seed N]\n"
		"             [--dma-timeout MS] [--mgmt-key FILE] [--control PATH]\n"
		"       eebox --dump-config DEVICE[,opt=val...]\n"
		"       eebox --ctl PATH show | gid N GID | stats N\n"
		"\n"
		"  -i, --interface IFACE  Ethernet interface (tap, veth, NIC)\n"
		"  -g, --gid GID          group of the bridges, %d..%d\n"
		"  -d, --device SPEC      one device behind its own bridge\n"
		"  -v, --verbose          log every frame on stderr\n"
		"      --ethertype N      EtherType (default 0x%04x)\n"
		"      --interval MS      DIF period (default 100)\n"
		"      --state-dir DIR    keep DIR/<N>.cfg = live config of device N,\n"
		"                         DIR/<N>.link = its connections' counters\n"
		"      --drop PCT         drop PCT%% of the TLP/ACK frames sent (test)\n"
		"      --reorder PCT      send PCT%% of them after the next one (test)\n"
		"      --dup PCT          send PCT%% of them twice (test)\n"
		"      --seed N           seed of the fault injection (default %d)\n"
		"      --dma-timeout MS   completion timeout of device reads (default %d)\n"
		"      --mgmt-key FILE    key of the management frames that move a\n"
		"                         bridge to another group (hex digits, 1..32\n"
		"                         bytes); without it they are refused\n"
		"      --control PATH     control socket: show, gid N GID, stats N\n"
		"      --ctl PATH REQUEST send REQUEST to a running eebox's socket\n"
		"      --dump-config SPEC print SPEC's reset config like lspci -xxxx\n"
		"\n"
		"Options every device takes: mac=MAC (default 02:ee:HH:HH:HH:NN),\n"
		"gid=GID (default -g), id=N (bridge ID, default from the MAC).\n"
		"Devices:\n",
		EXPETHER_GID_MIN, EXPETHER_GID_MAX,
		EXPETHER_ETHERTYPE_DEFAULT, FAULT_DEFAULT_SEED,
		DMA_TIMEOUT_DEFAULT_MS);
	model_list(f);
}

static int bad_arg(const char *opt, const char *val, const char *why)
{
	fprintf(stderr, "eebox: %s %s: %s\n", opt, val, why);
	return EEBOX_EXIT_USAGE;
}

static int parse_cmdline(int argc, char **argv, struct cmdline *cl)
{
	u64 v;
	int c;

	opterr = 0;		/* our own messages, below */
	while ((c = getopt_long(argc, argv, ":i:g:d:vh", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'i':
			cl->ifname = optarg;
			break;
		case 'g':
			if (parse_u64(optarg, &v) || v < EXPETHER_GID_MIN ||
			    v > EXPETHER_GID_MAX)
				return bad_arg("-g", optarg,
					       "gid must be from 1 to 4094");
			cl->gid = (u16)v;
			break;
		case 'd':
			if (cl->nspecs == EEBOX_MAX_DEVICES)
				return bad_arg("-d", optarg,
					       "too many devices (at most 255)");
			cl->specs[cl->nspecs++] = optarg;
			break;
		case 'v':
			log_verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case OPT_ETHERTYPE:
			if (parse_u64(optarg, &v) || v < 0x600 || v > 0xffff ||
			    v == 0x8100 || v == 0x88a8)
				return bad_arg("--ethertype", optarg,
					       "ethertype must be from 0x0600 to 0xffff and not a VLAN TPID");
			cl->ethertype = (u16)v;
			break;
		case OPT_INTERVAL:
			if (parse_u64(optarg, &v) || v < 1 || v > 65535)
				return bad_arg("--interval", optarg,
					       "interval must be from 1 to 65535 ms");
			cl->interval_ms = (u16)v;
			break;
		case OPT_STATE_DIR:
			cl->state_dir = optarg;
			break;
		case OPT_DUMP_CONFIG:
			cl->dump = optarg;
			break;
		case OPT_DROP:
			if (fault_parse_pct(optarg, &cl->faults.drop))
				return bad_arg("--drop", optarg,
					       "drop must be a percentage from 0 to 100");
			break;
		case OPT_REORDER:
			if (fault_parse_pct(optarg, &cl->faults.reorder))
				return bad_arg("--reorder", optarg,
					       "reorder must be a percentage from 0 to 100");
			break;
		case OPT_DUP:
			if (fault_parse_pct(optarg, &cl->faults.dup))
				return bad_arg("--dup", optarg,
					       "dup must be a percentage from 0 to 100");
			break;
		case OPT_SEED:
			if (parse_u64(optarg, &cl->faults.seed))
				return bad_arg("--seed", optarg,
					       "seed must be a number from 0 to 2^64-1");
			break;
		case OPT_MGMT_KEY:
			cl->mgmt_key = optarg;
			break;
		case OPT_CONTROL:
			cl->control = optarg;
			break;
		case OPT_CTL:
			cl->ctl = optarg;
			return 0;	/* the rest is the request */
		case OPT_DMA_TIMEOUT:
			if (parse_u64(optarg, &v) || v < 1 || v > 600000)
				return bad_arg("--dma-timeout", optarg,
					       "dma-timeout must be from 1 to 600000 ms");
			cl->dma_timeout_ms = v;
			break;
		case ':':
			fprintf(stderr, "eebox: %s needs a value\n",
				argv[optind - 1]);
			fprintf(stderr, "Try 'eebox --help'.\n");
			return EEBOX_EXIT_USAGE;
		default:
			fprintf(stderr, "eebox: unknown option '%s'\n",
				argv[optind - 1]);
			fprintf(stderr, "Try 'eebox --help'.\n");
			return EEBOX_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "eebox: unexpected argument '%s'\n",
			argv[optind]);
		return EEBOX_EXIT_USAGE;
	}
	if (cl->dump)
		return 0;
	if (!cl->ifname || !cl->gid || !cl->nspecs) {
		fprintf(stderr, "eebox: missing %s\nTry 'eebox --help'.\n",
			!cl->ifname ? "-i IFACE" : !cl->gid ? "-g GID" :
			"-d DEVICE");
		return EEBOX_EXIT_USAGE;
	}
	return 0;
}

static int dump_config(const char *spec)
{
	struct eebox_dev *dev;
	int ret;

	ret = dev_create("--dump-config", spec, 1, NULL, EXPETHER_GID_MIN,
			 &dev);
	if (ret)
		return ret;
	ret = cfgdump_print(&dev->cfg, stdout);
	if (ret) {
		fprintf(stderr, "eebox: stdout: %s\n", strerror(-ret));
		ret = EEBOX_EXIT_FAIL;
	}
	dev_destroy(dev);
	return ret;
}

/* Two bridges on one wire must not share a MAC or a bridge ID. */
static int check_unique(struct eebox_dev **devs, unsigned int n)
{
	char mac[MAC_STR_LEN];
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++) {
			if (!memcmp(devs[i]->mac, devs[j]->mac, 6)) {
				fprintf(stderr,
					"eebox: -d %s: mac %s is also device %u's\n",
					devs[i]->spec,
					mac_str(mac, devs[i]->mac), j + 1);
				return EEBOX_EXIT_USAGE;
			}
			if (devs[i]->bridge_id == devs[j]->bridge_id) {
				fprintf(stderr,
					"eebox: -d %s: id %#llx is also device %u's\n",
					devs[i]->spec,
					(unsigned long long)devs[i]->bridge_id,
					j + 1);
				return EEBOX_EXIT_USAGE;
			}
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cmdline cl = {
		.ethertype = EXPETHER_ETHERTYPE_DEFAULT,
		.interval_ms = 100,
		.faults = { .seed = FAULT_DEFAULT_SEED },
	};
	struct eebox_dev *devs[EEBOX_MAX_DEVICES] = { NULL };
	struct box box = { 0 };
	unsigned int i;
	int ret;

	ret = parse_cmdline(argc, argv, &cl);
	if (ret)
		return ret;
	if (cl.ctl)
		return ctl_client(cl.ctl, argc - optind, argv + optind);
	if (cl.dump)
		return dump_config(cl.dump);
	if (cl.mgmt_key) {
		ret = mgmt_load_key(&box, cl.mgmt_key);
		if (ret)
			return ret;
	}

	for (i = 0; i < cl.nspecs && !ret; i++)
		ret = dev_create("-d", cl.specs[i], i + 1, cl.ifname, cl.gid,
				 &devs[i]);
	if (!ret)
		ret = check_unique(devs, cl.nspecs);

	if (!ret) {
		box.ifname = cl.ifname;
		box.ethertype = cl.ethertype;
		box.interval_ms = cl.interval_ms;
		box.state_dir = cl.state_dir;
		box.faults = cl.faults;
		box.dma_timeout_ns = cl.dma_timeout_ms * 1000000ULL;
		box.ctl_path = cl.control;
		box.devs = devs;
		box.ndevs = cl.nspecs;
		ret = box_run(&box);
	}

	for (i = 0; i < cl.nspecs; i++)
		dev_destroy(devs[i]);
	memset(box.mgmt_key, 0, sizeof(box.mgmt_key));
	return ret;
}
