// SPDX-License-Identifier: GPL-2.0
/*
 * expether: PCI Express over Ethernet, host side.
 *
 * Module parameters and life cycle.  "modprobe expether dev=eth1 gid=5"
 * creates a platform device and, on it, the host bridge (host.c) of a new
 * PCI domain whose hot-plug root ports receive the I/O bridges that
 * announce themselves in group 5 on eth1.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>

#include "expether.h"

/* An unsigned parameter with a range, rejected by name when outside it. */
struct ee_uint_param {
	unsigned int val;
	unsigned int min;
	unsigned int max;
	const char *what;
};

static int ee_param_set(const char *val, const struct kernel_param *kp)
{
	struct ee_uint_param *p = kp->arg;
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v < p->min || v > p->max) {
		pr_err("expether: %s=%s is invalid: %s must be %u..%u\n",
		       kp->name, val, p->what, p->min, p->max);
		return -EINVAL;
	}
	p->val = v;
	return 0;
}

static int ee_param_get(char *buf, const struct kernel_param *kp)
{
	const struct ee_uint_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", p->val);
}

static const struct kernel_param_ops ee_uint_ops = {
	.set = ee_param_set,
	.get = ee_param_get,
};

static char *dev;
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "Ethernet device facing the I/O boxes (required)");

static struct ee_uint_param gid = {
	EXPETHER_GID_MAX, EXPETHER_GID_MIN, EXPETHER_GID_MAX,
	"the group id (802.1Q VLAN id)"
};
module_param_cb(gid, &ee_uint_ops, &gid, 0444);
MODULE_PARM_DESC(gid, "Group id of this host, the 802.1Q VLAN id: 1..4094 (default 4094)");

static struct ee_uint_param ethertype = {
	EXPETHER_ETHERTYPE_DEFAULT, ETH_P_802_3_MIN, 0xffff,
	"an EtherType"
};
module_param_cb(ethertype, &ee_uint_ops, &ethertype, 0444);
MODULE_PARM_DESC(ethertype, "EtherType of ExpEther frames (default 0x88b5)");

static struct ee_uint_param slots = {
	16, 1, EE_MAX_SLOTS, "the number of hot-plug root ports"
};
module_param_cb(slots, &ee_uint_ops, &slots, 0444);
MODULE_PARM_DESC(slots, "Number of hot-plug root ports: 1..255 (default 16)");

static struct ee_uint_param cpl_timeout_ms = {
	1000, 1, 10000, "the completion timeout in milliseconds"
};
module_param_cb(cpl_timeout_ms, &ee_uint_ops, &cpl_timeout_ms, 0444);
MODULE_PARM_DESC(cpl_timeout_ms, "Completion timeout of requests to I/O bridges, ms: 1..10000 (default 1000, above the transport's dead bound)");

static struct platform_device *ee_pdev;
static struct ee_host *ee_host;

static bool ee_ethertype_ok(unsigned int type)
{
	switch (type) {
	case ETH_P_8021Q:
	case ETH_P_8021AD:
	case ETH_P_QINQ1:
	case ETH_P_IP:
	case ETH_P_IPV6:
	case ETH_P_ARP:
		return false;
	}
	return true;
}

static int __init ee_init(void)
{
	struct ee_host_params p = {
		.ifname = dev,
		.gid = gid.val,
		.ethertype = ethertype.val,
		.slots = slots.val,
		.cpl_timeout_ms = cpl_timeout_ms.val,
	};

	if (!dev || !*dev) {
		pr_err("expether: dev= is required: the Ethernet device facing the I/O boxes, e.g. dev=eth1\n");
		return -EINVAL;
	}
	if (!ee_ethertype_ok(ethertype.val)) {
		pr_err("expether: ethertype=%#06x is invalid: it belongs to VLAN, IP or ARP\n",
		       ethertype.val);
		return -EINVAL;
	}

	ee_pdev = platform_device_register_simple("expether",
						  PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(ee_pdev))
		return PTR_ERR(ee_pdev);
	ee_host = ee_host_create(ee_pdev, &p);
	if (IS_ERR(ee_host)) {
		platform_device_unregister(ee_pdev);
		return PTR_ERR(ee_host);
	}
	platform_set_drvdata(ee_pdev, ee_host);
	return 0;
}

static void __exit ee_exit(void)
{
	ee_host_destroy(ee_host);
	platform_device_unregister(ee_pdev);
}

module_init(ee_init);
module_exit(ee_exit);

MODULE_DESCRIPTION("ExpEther: PCI Express over Ethernet host bridge");
MODULE_AUTHOR("The expether developers");
MODULE_LICENSE("GPL");
