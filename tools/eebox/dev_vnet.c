// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: "virtio-net", a virtio 1.x network device (virtio-pci modern,
 * split virtqueues) whose other end is a tap device on the box: what the
 * driver transmits comes out of the tap, what the tap receives goes to the
 * driver.  Written against Linux's virtio_pci_modern(_dev).c, virtio_ring.c
 * and virtio_net.c (6.1).
 *
 * Identity: 1af4:1041 rev 01 (modern-only virtio-net), class 020000,
 * subsystem 1af4:1100, Interrupt Pin INTA.
 *
 *   BAR0/1  64-bit, non-prefetchable, 16 KiB:
 *           0x0000  common configuration (0x38 bytes)
 *           0x1000  ISR status (1 byte, read clears it)
 *           0x2000  device configuration (struct virtio_net_config)
 *           0x3000  notifications: queue N at 0x3000 + 4 N
 *                   (notify_off_multiplier 4, queue_notify_off = N)
 *   BAR2/3  64-bit, non-prefetchable, 4 KiB: MSI-X table 0x0, PBA 0x800
 *
 * Configuration: 0x40 PM, 0x48 PCI Express endpoint, 0x84 MSI-X (3
 * vectors), then the vendor capabilities COMMON_CFG, NOTIFY_CFG, ISR_CFG,
 * DEVICE_CFG (no PCI_CFG window: Linux does not use it).
 *
 * Features offered: VIRTIO_F_VERSION_1, VIRTIO_F_ACCESS_PLATFORM (the
 * driver must accept both, else FEATURES_OK does not stick: addresses are
 * bus addresses the host's IOMMU hands out), VIRTIO_NET_F_MAC,
 * VIRTIO_NET_F_STATUS (link always up), VIRTIO_NET_F_MTU (1500).  No
 * offloads, no mergeable buffers, no indirect descriptors, no event index,
 * no control queue: queue 0 receives, queue 1 transmits, 256 entries each.
 * Every ring, descriptor and buffer access is DMA (dma.h); a used buffer is
 * written before the used index, the interrupt after it (MSI-X vector of
 * the queue, or ISR + INTx), unless the driver set NO_INTERRUPT.
 *
 * Round trips: each DMA read waits for the host across the link, so the
 * receive side works ahead as a NIC does: the chains of up to VNET_BATCH
 * available rx buffers are fetched before frames come (available
 * descriptors do not change until they are used), the descriptor table in
 * one read, and a frame from the tap goes out without a read.  The avail
 * flags are read with the index; when they last said "interrupt", the
 * interrupt follows the used index at once (an extra interrupt is
 * harmless: the driver looks at the used ring), and only a driver that
 * asked for none has its flags read again after the used index is written.
 *
 * Options: tap=IFNAME (default eevnetN, N the device number; created if
 * missing, brought up), hwaddr=MAC (the NIC's MAC, default 52:54:00 and the
 * last three bytes of the bridge MAC).
 *
 * Writing 0 to device_status resets the device (features, queues, vectors,
 * ISR); device_status reads 0 once done (between batches, when a batch is
 * running).  Frames the tap receives while the driver is not ready are
 * dropped, counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_tun.h>
#include <linux/pci_regs.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>

#include "device.h"
#include "dma.h"
#include "irq.h"
#include "parse.h"
#include "pcicap.h"

#define VNET_VENDOR		0x1af4
#define VNET_DEVICE		0x1041
#define VNET_SUBSYS		0x1100
#define VNET_CLASS		0x020000u

#define VNET_BAR_SIZE		0x4000
#define VNET_COMMON		0x0000
#define VNET_COMMON_LEN		0x38
#define VNET_ISR		0x1000
#define VNET_DEVCFG		0x2000
#define VNET_DEVCFG_LEN		0x20	/* <= VNET_COMMON_LEN */
#define VNET_NOTIFY		0x3000
#define VNET_NOTIFY_MULT	4
#define VNET_MSIX_BAR		2
#define VNET_VECTORS		3
#define VNET_NQ			2		/* rx, tx */
#define VNET_QSIZE		256
#define VNET_HDR		12		/* virtio_net_hdr_mrg_rxbuf */
#define VNET_MTU		1500
#define VNET_FRAME_MAX		65536
#define VNET_BATCH		32		/* buffers per queue per turn */
#define VNET_CHAIN_MAX		64		/* descriptors per chain */
#define RXQ			0
#define TXQ			1
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#define F(bit)			(1ULL << (bit))
#define VNET_FEATURES		(F(VIRTIO_F_VERSION_1) |		\
				 F(VIRTIO_F_ACCESS_PLATFORM) |		\
				 F(VIRTIO_NET_F_MAC) |			\
				 F(VIRTIO_NET_F_STATUS) |		\
				 F(VIRTIO_NET_F_MTU))

struct vq {
	u16 size;
	u16 vector;
	bool enable;
	u64 desc, avail, used;
	u16 last_avail;		/* next avail ring entry to take */
	u16 used_idx;		/* next used ring entry to fill */
	u16 avail_flags;	/* as last read */
};

/* A descriptor chain from @head: the buffers, readable then writable. */
struct chain {
	struct dma_sg sg[VNET_CHAIN_MAX];
	unsigned int n, nread;	/* nread: device-readable ones first */
	u32 rlen, wlen;
	u16 head;
};

struct vnet {
	/* options */
	char tap[IFNAMSIZ];
	u8 hwaddr[6];
	bool hwaddr_set;

	int fd;			/* the tap, non-blocking */

	/* common configuration */
	u32 dfselect, gfselect;
	u64 driver_features;
	u16 msix_config;
	u8 status;
	u8 generation;
	u16 qsel;
	u8 isr;
	struct vq q[VNET_NQ];

	bool reset_pending;	/* status 0 written while a batch ran */
	bool tx_kick, rx_kick;	/* notifications to act on */
	bool rx_wait;		/* no rx buffers: tap not polled */
	u64 rx_kicks;		/* notifications of the rx queue so far */

	u8 *frame;		/* VNET_FRAME_MAX + header */
	u8 *desc;		/* a copy of a descriptor table */
	/* rx chains fetched ahead: avail ring entries last_avail.. */
	struct chain *rx_pre;	/* VNET_BATCH, a ring from rx_first */
	unsigned int rx_first, rx_n;

	/* counters */
	u64 tx_packets, tx_bytes, tx_dropped, tx_errors;
	u64 rx_packets, rx_bytes, rx_dropped, rx_errors, rx_no_buffer;
	u64 resets, kicks, bad_features;
};

/* ---- little-endian helpers ------------------------------------------- */

static u16 le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 le64(const u8 *p)
{
	return le32(p) | (u64)le32(p + 4) << 32;
}

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void put32(u8 *p, u32 v)
{
	put16(p, (u16)v);
	put16(p + 2, (u16)(v >> 16));
}

static void put64(u8 *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

/* ---- options, setup ---------------------------------------------------- */

static int vnet_alloc(struct eebox_dev *dev)
{
	struct vnet *v = calloc(1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	v->fd = -1;
	dev->priv = v;
	return 0;
}

static int vnet_set_opt(struct eebox_dev *dev, const char *key,
			const char *val, char *err, size_t errlen)
{
	struct vnet *v = dev->priv;

	if (strcmp(key, "tap") && strcmp(key, "hwaddr"))
		return MODEL_OPT_UNKNOWN;
	if (!val)
		return MODEL_OPT_NOVALUE;
	if (!strcmp(key, "tap")) {
		if (!*val || strlen(val) >= IFNAMSIZ || strchr(val, '/') ||
		    strchr(val, ' ')) {
			snprintf(err, errlen,
				 "tap must be an interface name of 1 to %d characters",
				 IFNAMSIZ - 1);
			return MODEL_OPT_INVALID;
		}
		snprintf(v->tap, sizeof(v->tap), "%s", val);
		return 0;
	}
	if (parse_mac(val, v->hwaddr) || (v->hwaddr[0] & 1) ||
	    !memcmp(v->hwaddr, "\0\0\0\0\0\0", 6)) {
		snprintf(err, errlen,
			 "hwaddr must be a unicast address like 52:54:00:12:34:56");
		return MODEL_OPT_INVALID;
	}
	v->hwaddr_set = true;
	return 0;
}

/* A virtio vendor capability pointing at BAR0 [off, off + len). */
static int vnet_cap(struct cfgspace *cs, u8 type, u32 off, u32 len,
		    unsigned int caplen)
{
	int cap = cfg_add_cap(cs, PCI_CAP_ID_VNDR, caplen);

	if (cap < 0)
		return -1;
	cfg_set(cs, cap + VIRTIO_PCI_CAP_LEN, 1, caplen);
	cfg_set(cs, cap + VIRTIO_PCI_CAP_CFG_TYPE, 1, type);
	cfg_set(cs, cap + VIRTIO_PCI_CAP_BAR, 1, 0);
	cfg_set(cs, cap + VIRTIO_PCI_CAP_OFFSET, 4, off);
	cfg_set(cs, cap + VIRTIO_PCI_CAP_LENGTH, 4, len);
	return cap;
}

static void vnet_reset_state(struct vnet *v)
{
	unsigned int i;

	v->dfselect = v->gfselect = 0;
	v->driver_features = 0;
	v->msix_config = VIRTIO_MSI_NO_VECTOR;
	v->status = 0;
	v->qsel = 0;
	v->isr = 0;
	for (i = 0; i < VNET_NQ; i++)
		v->q[i] = (struct vq){ .size = VNET_QSIZE,
				       .vector = VIRTIO_MSI_NO_VECTOR };
	v->tx_kick = v->rx_kick = v->rx_wait = false;
	v->reset_pending = false;
	v->rx_first = v->rx_n = 0;
}

static int vnet_realize(struct eebox_dev *dev, char *err, size_t errlen)
{
	struct vnet *v = dev->priv;
	struct cfgspace *cs = &dev->cfg;
	int pm, exp, msix, c1, c2, c3, c4;

	pcicap_header(cs, VNET_VENDOR, VNET_DEVICE, VNET_CLASS << 8 | 0x01,
		      VNET_VENDOR, VNET_SUBSYS);
	cfg_add_bar(cs, 0, VNET_BAR_SIZE, CFG_BAR_MEM64);
	cfg_add_bar(cs, VNET_MSIX_BAR, 0x1000, CFG_BAR_MEM64);
	pm = pcicap_pm(cs);
	exp = pcicap_exp(cs);
	msix = irq_add_msix(dev, VNET_VECTORS, VNET_MSIX_BAR, 0,
			    VNET_MSIX_BAR, 0x800);
	c1 = vnet_cap(cs, VIRTIO_PCI_CAP_COMMON_CFG, VNET_COMMON,
		      VNET_COMMON_LEN, 16);
	c2 = vnet_cap(cs, VIRTIO_PCI_CAP_NOTIFY_CFG, VNET_NOTIFY,
		      VNET_NQ * VNET_NOTIFY_MULT, 20);
	c3 = vnet_cap(cs, VIRTIO_PCI_CAP_ISR_CFG, VNET_ISR, 1, 16);
	c4 = vnet_cap(cs, VIRTIO_PCI_CAP_DEVICE_CFG, VNET_DEVCFG,
		      VNET_DEVCFG_LEN, 16);
	if (pm < 0 || exp < 0 || msix < 0 || c1 < 0 || c2 < 0 || c3 < 0 ||
	    c4 < 0) {
		snprintf(err, errlen, "capabilities do not fit");
		return -ENOMEM;
	}
	cfg_set(cs, (unsigned int)c2 + 16, 4, VNET_NOTIFY_MULT);
	irq_add_intx(dev, 1);
	if (!v->tap[0])
		snprintf(v->tap, sizeof(v->tap), "eevnet%u", dev->index);
	v->frame = malloc(VNET_HDR + VNET_FRAME_MAX);
	v->desc = malloc(16 * VNET_QSIZE);
	v->rx_pre = calloc(VNET_BATCH, sizeof(*v->rx_pre));
	if (!v->frame || !v->desc || !v->rx_pre)
		return -ENOMEM;
	vnet_reset_state(v);
	return 0;
}

/* Open (create) the tap and bring it up. */
static int vnet_start(struct eebox_dev *dev, char *err, size_t errlen)
{
	struct vnet *v = dev->priv;
	struct ifreq ifr;
	int s, ret;

	if (!v->hwaddr_set) {
		v->hwaddr[0] = 0x52;
		v->hwaddr[1] = 0x54;
		v->hwaddr[2] = 0x00;
		memcpy(v->hwaddr + 3, dev->mac + 3, 3);
	}
	v->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (v->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "/dev/net/tun: %s", strerror(errno));
		return ret;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", v->tap);
	if (ioctl(v->fd, TUNSETIFF, &ifr)) {
		ret = -errno;
		snprintf(err, errlen, "tap %s: %s", v->tap, strerror(errno));
		return ret;
	}
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ret = s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr);
	if (!ret) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	if (ret) {
		ret = -errno;
		snprintf(err, errlen, "tap %s: cannot bring it up: %s", v->tap,
			 strerror(errno));
		if (s >= 0)
			close(s);
		return ret;
	}
	close(s);
	return 0;
}

static void vnet_release(struct eebox_dev *dev)
{
	struct vnet *v = dev->priv;

	if (!v)
		return;
	if (v->fd >= 0)
		close(v->fd);
	free(v->frame);
	free(v->desc);
	free(v->rx_pre);
	free(v);
	dev->priv = NULL;
}

/* ---- interrupts -------------------------------------------------------- */

static void vnet_intx(struct eebox_dev *dev)
{
	irq_intx(dev, ((struct vnet *)dev->priv)->isr != 0);
}

/* Queue @q used buffers: its vector, or ISR bit 0 with INTx. */
static void vnet_vq_irq(struct eebox_dev *dev, unsigned int q)
{
	struct vnet *v = dev->priv;

	if (irq_mode(dev) == IRQ_MODE_MSIX) {
		if (v->q[q].vector != VIRTIO_MSI_NO_VECTOR)
			irq_notify(dev, v->q[q].vector);
		return;
	}
	v->isr |= 1;
	vnet_intx(dev);
}

/* ---- reset ------------------------------------------------------------- */

static void vnet_reset(struct eebox_dev *dev)
{
	struct vnet *v = dev->priv;

	vnet_reset_state(v);
	v->resets++;
	vnet_intx(dev);
}

/* ---- registers ----------------------------------------------------------- */

static void vnet_common_image(struct eebox_dev *dev, u8 *r)
{
	struct vnet *v = dev->priv;
	struct vq *q = v->qsel < VNET_NQ ? &v->q[v->qsel] : NULL;
	u64 f = 0;

	memset(r, 0, VNET_COMMON_LEN);
	put32(r + VIRTIO_PCI_COMMON_DFSELECT, v->dfselect);
	if (v->dfselect < 2)
		f = VNET_FEATURES >> (32 * v->dfselect);
	put32(r + VIRTIO_PCI_COMMON_DF, (u32)f);
	put32(r + VIRTIO_PCI_COMMON_GFSELECT, v->gfselect);
	put32(r + VIRTIO_PCI_COMMON_GF, v->gfselect < 2 ?
	      (u32)(v->driver_features >> (32 * v->gfselect)) : 0);
	put16(r + VIRTIO_PCI_COMMON_MSIX, v->msix_config);
	put16(r + VIRTIO_PCI_COMMON_NUMQ, VNET_NQ);
	/* until a reset is done, the old status */
	r[VIRTIO_PCI_COMMON_STATUS] = v->status;
	r[VIRTIO_PCI_COMMON_CFGGENERATION] = v->generation;
	put16(r + VIRTIO_PCI_COMMON_Q_SELECT, v->qsel);
	if (!q)
		return;		/* a queue that does not exist: size 0 */
	put16(r + VIRTIO_PCI_COMMON_Q_SIZE, q->size);
	put16(r + VIRTIO_PCI_COMMON_Q_MSIX, q->vector);
	put16(r + VIRTIO_PCI_COMMON_Q_ENABLE, q->enable);
	put16(r + VIRTIO_PCI_COMMON_Q_NOFF, v->qsel);
	put64(r + VIRTIO_PCI_COMMON_Q_DESCLO, q->desc);
	put64(r + VIRTIO_PCI_COMMON_Q_AVAILLO, q->avail);
	put64(r + VIRTIO_PCI_COMMON_Q_USEDLO, q->used);
}

static bool touched(u64 off, size_t len, unsigned int reg, unsigned int sz)
{
	return off < reg + sz && reg < off + len;
}

/* A vector the table has, or NO_VECTOR. */
static u16 vnet_vector(u16 vec)
{
	return vec < VNET_VECTORS ? vec : VIRTIO_MSI_NO_VECTOR;
}

static void vnet_status_write(struct eebox_dev *dev, u8 st)
{
	struct vnet *v = dev->priv;
	u64 f = v->driver_features;

	if (!st) {
		if (dev->in_work) {
			v->reset_pending = true;	/* between batches */
			dev_kick(dev);
		} else {
			vnet_reset(dev);
		}
		return;
	}
	/*
	 * FEATURES_OK sticks only for a subset of what we offer that has
	 * VERSION_1 and ACCESS_PLATFORM (bus addresses, not physical).
	 */
	if ((st & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    !(v->status & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    ((f & ~VNET_FEATURES) || !(f & F(VIRTIO_F_VERSION_1)) ||
	     !(f & F(VIRTIO_F_ACCESS_PLATFORM)))) {
		st &= (u8)~VIRTIO_CONFIG_S_FEATURES_OK;
		v->bad_features++;
	}
	if ((st & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    !(v->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
		/* whatever was kicked before starts now */
		v->tx_kick = v->rx_kick = true;
		dev_kick(dev);
	}
	v->status = st;
}

static void vnet_common_write(struct eebox_dev *dev, u64 off, const u8 *buf,
			      size_t len)
{
	struct vnet *v = dev->priv;
	struct vq *q;
	u8 r[VNET_COMMON_LEN];
	u32 sel;

	vnet_common_image(dev, r);
	memcpy(r + off, buf, len);
	if (touched(off, len, VIRTIO_PCI_COMMON_DFSELECT, 4))
		v->dfselect = le32(r + VIRTIO_PCI_COMMON_DFSELECT);
	if (touched(off, len, VIRTIO_PCI_COMMON_GFSELECT, 4))
		v->gfselect = le32(r + VIRTIO_PCI_COMMON_GFSELECT);
	if (touched(off, len, VIRTIO_PCI_COMMON_GF, 4) &&
	    !(v->status & VIRTIO_CONFIG_S_FEATURES_OK)) {
		sel = v->gfselect;
		if (sel < 2) {
			v->driver_features &= ~(0xffffffffULL << (32 * sel));
			v->driver_features |=
				(u64)le32(r + VIRTIO_PCI_COMMON_GF) <<
				(32 * sel);
		}
	}
	if (touched(off, len, VIRTIO_PCI_COMMON_MSIX, 2))
		v->msix_config = vnet_vector(le16(r + VIRTIO_PCI_COMMON_MSIX));
	if (touched(off, len, VIRTIO_PCI_COMMON_Q_SELECT, 2))
		v->qsel = le16(r + VIRTIO_PCI_COMMON_Q_SELECT);
	q = v->qsel < VNET_NQ ? &v->q[v->qsel] : NULL;
	if (q && !q->enable) {
		/* the queue's layout is fixed once it is enabled */
		if (touched(off, len, VIRTIO_PCI_COMMON_Q_SIZE, 2)) {
			u16 s = le16(r + VIRTIO_PCI_COMMON_Q_SIZE);

			if (s && s <= VNET_QSIZE && !(s & (s - 1)))
				q->size = s;
		}
		if (touched(off, len, VIRTIO_PCI_COMMON_Q_DESCLO, 8))
			q->desc = le64(r + VIRTIO_PCI_COMMON_Q_DESCLO);
		if (touched(off, len, VIRTIO_PCI_COMMON_Q_AVAILLO, 8))
			q->avail = le64(r + VIRTIO_PCI_COMMON_Q_AVAILLO);
		if (touched(off, len, VIRTIO_PCI_COMMON_Q_USEDLO, 8))
			q->used = le64(r + VIRTIO_PCI_COMMON_Q_USEDLO);
		if (touched(off, len, VIRTIO_PCI_COMMON_Q_ENABLE, 2) &&
		    le16(r + VIRTIO_PCI_COMMON_Q_ENABLE) == 1) {
			q->enable = true;
			q->last_avail = q->used_idx = 0;
			if (q == &v->q[RXQ])
				v->rx_first = v->rx_n = 0;
		}
	}
	if (q && touched(off, len, VIRTIO_PCI_COMMON_Q_MSIX, 2))
		q->vector = vnet_vector(le16(r + VIRTIO_PCI_COMMON_Q_MSIX));
	/* status last: a write of several fields ends with it */
	if (touched(off, len, VIRTIO_PCI_COMMON_STATUS, 1))
		vnet_status_write(dev, r[VIRTIO_PCI_COMMON_STATUS]);
}

static void vnet_devcfg_image(struct eebox_dev *dev, u8 *r)
{
	struct vnet *v = dev->priv;

	memset(r, 0, VNET_DEVCFG_LEN);
	memcpy(r, v->hwaddr, 6);			/* mac */
	put16(r + 6, VIRTIO_NET_S_LINK_UP);		/* status */
	put16(r + 8, 1);				/* max_virtqueue_pairs */
	put16(r + 10, VNET_MTU);			/* mtu */
	put32(r + 12, 0xffffffff);			/* speed unknown */
	r[16] = 0xff;					/* duplex unknown */
}

static void vnet_notify(struct eebox_dev *dev, unsigned int q)
{
	struct vnet *v = dev->priv;

	v->kicks++;
	if (q == RXQ) {
		v->rx_kick = true;
		v->rx_kicks++;
		v->rx_wait = false;	/* buffers may be there now */
	} else if (q == TXQ) {
		v->tx_kick = true;
	}
	dev_kick(dev);
}

static void vnet_region(struct eebox_dev *dev, u64 off, u8 *buf, size_t len,
			bool write)
{
	struct vnet *v = dev->priv;
	u8 r[VNET_COMMON_LEN];	/* >= VNET_DEVCFG_LEN */

	if (off + len <= VNET_COMMON + VNET_COMMON_LEN) {	/* COMMON is 0 */
		if (write) {
			vnet_common_write(dev, off - VNET_COMMON, buf, len);
		} else {
			vnet_common_image(dev, r);
			memcpy(buf, r + off - VNET_COMMON, len);
		}
	} else if (off == VNET_ISR) {
		if (!write) {
			/* reading clears it and lowers INTx */
			memset(buf, 0, len);
			buf[0] = v->isr;
			v->isr = 0;
			vnet_intx(dev);
		}
	} else if (off >= VNET_DEVCFG &&
		   off + len <= VNET_DEVCFG + VNET_DEVCFG_LEN) {
		if (!write) {
			vnet_devcfg_image(dev, r);
			memcpy(buf, r + off - VNET_DEVCFG, len);
		}
	} else if (off >= VNET_NOTIFY &&
		   off < VNET_NOTIFY + VNET_NQ * VNET_NOTIFY_MULT) {
		if (write)
			vnet_notify(dev, (unsigned int)(off - VNET_NOTIFY) /
					 VNET_NOTIFY_MULT);
		else
			memset(buf, 0, len);
	} else if (!write) {
		memset(buf, 0, len);
	}
}

/* BAR0 accesses, cut at the region edges. */
static void vnet_bar0(struct eebox_dev *dev, u64 off, u8 *buf, size_t len,
		      bool write)
{
	static const u64 edges[] = {
		VNET_COMMON + VNET_COMMON_LEN, VNET_ISR, VNET_ISR + 1,
		VNET_DEVCFG, VNET_DEVCFG + VNET_DEVCFG_LEN, VNET_NOTIFY,
		VNET_NOTIFY + VNET_NQ * VNET_NOTIFY_MULT,
	};
	unsigned int i;
	size_t n;

	while (len) {
		n = len;
		for (i = 0; i < ARRAY_SIZE(edges); i++)
			if (edges[i] > off && edges[i] < off + n)
				n = (size_t)(edges[i] - off);
		vnet_region(dev, off, buf, n, write);
		off += n;
		buf += n;
		len -= n;
	}
}

static void vnet_bar_rw(struct eebox_dev *dev, unsigned int bar, u64 off,
			u8 *buf, size_t len, bool write)
{
	long m;

	if (bar == 0) {
		vnet_bar0(dev, off, buf, len, write);
		return;
	}
	while (len) {
		m = irq_bar_rw(dev, bar, off, buf, len, write);
		if (m < 0) {
			m = -m;
			if (!write)
				memset(buf, 0, (size_t)m);
		}
		off += (u64)m;
		buf += m;
		len -= (size_t)m;
	}
}

static void vnet_bar_read(struct eebox_dev *dev, unsigned int bar, u64 off,
			  u8 *buf, size_t len)
{
	vnet_bar_rw(dev, bar, off, buf, len, false);
}

static void vnet_bar_write(struct eebox_dev *dev, unsigned int bar, u64 off,
			   const u8 *buf, size_t len)
{
	vnet_bar_rw(dev, bar, off, (u8 *)buf, len, true);
}

/* ---- virtqueues ----------------------------------------------------------- */

static bool vnet_ready(const struct vnet *v)
{
	return (v->status & VIRTIO_CONFIG_S_DRIVER_OK) &&
	       !(v->status & VIRTIO_CONFIG_S_NEEDS_RESET) && !v->reset_pending;
}

/* The device found the driver's rings broken: NEEDS_RESET. */
static void vnet_broken(struct eebox_dev *dev, const char *why)
{
	struct vnet *v = dev->priv;

	if (!(v->status & VIRTIO_CONFIG_S_NEEDS_RESET))
		fprintf(stderr, "eebox: dev %u: virtio-net: %s: needs reset\n",
			dev->index, why);
	v->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	v->generation++;
	if (irq_mode(dev) == IRQ_MODE_MSIX) {
		if (v->msix_config != VIRTIO_MSI_NO_VECTOR)
			irq_notify(dev, v->msix_config);
	} else {
		v->isr |= 2;
		vnet_intx(dev);
	}
}

/*
 * The heads of up to @max available buffers of queue @q from ring entry
 * @from on (not consumed: last_avail moves in vnet_used()); the flags come
 * with the index.  Returns how many, or -1 (DMA error).
 */
static int vnet_avail(struct eebox_dev *dev, struct vq *q, u16 from,
		      u16 *heads, unsigned int max)
{
	u8 hdr[4], ring[2 * VNET_BATCH];
	unsigned int n, i, first;
	u16 idx;

	if (dma_read(dev, q->avail, hdr, 4))
		return -1;
	q->avail_flags = le16(hdr);
	idx = le16(hdr + 2);
	if ((u16)(idx - q->last_avail) > q->size)
		return -1;	/* the driver's index is nonsense */
	n = (u16)(idx - from);
	if (n > (u16)(idx - q->last_avail))
		return 0;	/* @from is past the index: none */
	if (n > max)
		n = max;
	/* the ring entries, in at most two pieces (wrap) */
	first = from % q->size;
	i = n < q->size - first ? n : q->size - first;
	if (i && dma_read(dev, q->avail + 4 + 2 * first, ring, 2 * i))
		return -1;
	if (n > i && dma_read(dev, q->avail + 4, ring + 2 * i, 2 * (n - i)))
		return -1;
	for (i = 0; i < n; i++) {
		heads[i] = le16(ring + 2 * i);
		if (heads[i] >= q->size)
			return -1;
	}
	return (int)n;
}

/*
 * The chain from @head: its descriptors read one by one, or taken from
 * @table, a copy of the queue's descriptor table read after the index
 * that made @head available.  0, -1 (DMA error) or -2 (a bad chain).
 */
static int vnet_chain(struct eebox_dev *dev, struct vq *q, u16 head,
		      const u8 *table, struct chain *c)
{
	u8 buf[16];
	const u8 *d = buf;
	u16 i = head, flags;
	unsigned int k;

	c->n = c->nread = 0;
	c->rlen = c->wlen = 0;
	c->head = head;
	for (k = 0; k < VNET_CHAIN_MAX; k++) {
		if (table)
			d = table + 16 * i;
		else if (dma_read(dev, q->desc + 16ULL * i, buf, 16))
			return -1;
		flags = le16(d + 12);
		if (flags & VRING_DESC_F_INDIRECT)
			return -2;		/* not offered */
		if (flags & VRING_DESC_F_WRITE) {
			c->wlen += le32(d + 8);
		} else {
			if (c->n != c->nread)
				return -2;	/* readable after writable */
			c->rlen += le32(d + 8);
			c->nread++;
		}
		c->sg[c->n++] = (struct dma_sg){ le64(d), NULL, le32(d + 8) };
		if (!(flags & VRING_DESC_F_NEXT))
			return 0;
		i = le16(d + 14);
		if (i >= q->size)
			return -2;
	}
	return -2;			/* a loop, or too long */
}

/* Return buffer @head with @len bytes written; false on DMA error. */
static bool vnet_used(struct eebox_dev *dev, struct vq *q, u16 head, u32 len)
{
	u8 e[8], idx[2];

	put32(e, head);
	put32(e + 4, len);
	if (dma_write(dev, q->used + 4 + 8ULL * (q->used_idx % q->size), e,
		      8))
		return false;
	q->used_idx++;
	q->last_avail++;
	put16(idx, q->used_idx);
	return !dma_write(dev, q->used + 2, idx, 2);
}

/*
 * Used buffers were returned: interrupt unless the driver asks not to.
 * Its flags are read after the used index was written (the read cannot
 * pass those writes), so a driver that re-enables interrupts and then
 * looks at the used index cannot miss both (virtio 1.1, 2.6.7.2).
 */
static void vnet_used_irq(struct eebox_dev *dev, struct vq *q,
			  unsigned int qi)
{
	u16 flags = q->avail_flags;

	/* The flags read earlier asked for one: an interrupt is never
	 * wrong.  Leaving it out needs them as they are now.
	 */
	if ((flags & VRING_AVAIL_F_NO_INTERRUPT) &&
	    dma_read_le16(dev, q->avail, &flags))
		return;
	q->avail_flags = flags;
	if (!(flags & VRING_AVAIL_F_NO_INTERRUPT))
		vnet_vq_irq(dev, qi);
}

/* Transmit what the driver queued: out of the tap. */
static bool vnet_tx(struct eebox_dev *dev)
{
	struct vnet *v = dev->priv;
	struct vq *q = &v->q[TXQ];
	u16 heads[VNET_BATCH];
	struct chain c;
	unsigned int i, k;
	int n, r;
	u32 off;
	bool done = false;

	if (!q->enable || !vnet_ready(v))
		return false;
	n = vnet_avail(dev, q, q->last_avail, heads, VNET_BATCH);
	if (n < 0) {
		vnet_broken(dev, "tx ring unreadable");
		return false;
	}
	for (i = 0; i < (unsigned int)n && vnet_ready(v); i++) {
		r = vnet_chain(dev, q, heads[i], NULL, &c);
		if (r == -2 || (!r && (c.nread != c.n ||
				       c.rlen > VNET_HDR + VNET_FRAME_MAX))) {
			vnet_broken(dev, "bad tx descriptor chain");
			return done;
		}
		for (k = 0, off = 0; !r && k < c.n; k++) {
			c.sg[k].buf = v->frame + off;
			off += c.sg[k].len;
		}
		if (!r && dma_readv(dev, c.sg, c.n))
			r = -1;
		if (r) {
			v->tx_errors++;		/* DMA failed: drop it */
		} else if (c.rlen <= VNET_HDR) {
			v->tx_dropped++;
		} else if (write(v->fd, v->frame + VNET_HDR,
				 c.rlen - VNET_HDR) < 0) {
			v->tx_dropped++;	/* tap full or down */
		} else {
			v->tx_packets++;
			v->tx_bytes += c.rlen - VNET_HDR;
		}
		if (!vnet_used(dev, q, heads[i], 0))
			return done;
		done = true;
	}
	if (done)
		vnet_used_irq(dev, q, TXQ);
	return n == VNET_BATCH;		/* maybe more */
}

/*
 * Fetch the chains of the rx buffers the driver made available, up to
 * VNET_BATCH ahead: one read for the index and flags, one for the ring
 * entries, one for the descriptor table.  False if the device broke.
 */
static bool vnet_rx_prefetch(struct eebox_dev *dev)
{
	struct vnet *v = dev->priv;
	struct vq *q = &v->q[RXQ];
	u16 heads[VNET_BATCH];
	struct chain *c;
	int n, i, r;

	if (!q->enable || !vnet_ready(v) || v->rx_n == VNET_BATCH)
		return true;
	n = vnet_avail(dev, q, (u16)(q->last_avail + v->rx_n), heads,
		       VNET_BATCH - v->rx_n);
	if (n < 0) {
		vnet_broken(dev, "rx ring unreadable");
		return false;
	}
	if (!n)
		return true;
	if (dma_read(dev, q->desc, v->desc, 16U * q->size)) {
		vnet_broken(dev, "rx descriptors unreadable");
		return false;
	}
	/* A reset while we waited: nothing fetched counts. */
	if (!q->enable || !vnet_ready(v))
		return true;
	for (i = 0; i < n; i++) {
		c = &v->rx_pre[(v->rx_first + v->rx_n) % VNET_BATCH];
		r = vnet_chain(dev, q, heads[i], v->desc, c);
		if (r || c->nread) {
			vnet_broken(dev, "bad rx descriptor chain");
			return false;
		}
		v->rx_n++;
	}
	return true;
}

/* Frames from the tap into rx buffers, while both last. */
static void vnet_rx(struct eebox_dev *dev)
{
	struct vnet *v = dev->priv;
	struct vq *q = &v->q[RXQ];
	unsigned int frames, k;
	struct chain *c;
	u64 kicks;
	ssize_t len;
	u32 off, m, total;
	bool done = false;

	for (frames = 0; frames < VNET_BATCH; frames++) {
		if (!q->enable || !vnet_ready(v))
			return;
		if (!v->rx_n) {
			kicks = v->rx_kicks;
			if (!vnet_rx_prefetch(dev))
				return;
			if (!v->rx_n) {
				/* No buffers: stop reading the tap until the
				 * driver kicks (unless it kicked while we
				 * looked).
				 */
				if (v->rx_kicks == kicks)
					v->rx_wait = true;
				v->rx_no_buffer++;
				break;
			}
		}
		len = read(v->fd, v->frame + VNET_HDR, VNET_FRAME_MAX);
		if (len <= 0)
			break;		/* nothing more (EAGAIN) */
		c = &v->rx_pre[v->rx_first];
		total = VNET_HDR + (u32)len;
		if (c->wlen < total) {
			/* Does not fit: drop the frame, keep the buffer for
			 * the next one.
			 */
			v->rx_dropped++;
			continue;
		}
		memset(v->frame, 0, VNET_HDR);	/* no offloads, */
		put16(v->frame + 10, 1);	/* num_buffers 1 */
		for (k = 0, off = 0; k < c->n && off < total; k++) {
			m = c->sg[k].len < total - off ? c->sg[k].len :
			    total - off;
			c->sg[k].buf = v->frame + off;
			c->sg[k].len = m;
			off += m;
		}
		if (dma_writev(dev, c->sg, k)) {
			v->rx_errors++;
			total = 0;
		} else {
			v->rx_packets++;
			v->rx_bytes += (u64)len;
		}
		/* A reset while the data went out took the chain along. */
		if (!q->enable || !vnet_ready(v) || !v->rx_n)
			return;
		v->rx_first = (v->rx_first + 1) % VNET_BATCH;
		v->rx_n--;
		if (!vnet_used(dev, q, c->head, total))
			return;
		done = true;
	}
	if (!done)
		return;
	vnet_used_irq(dev, q, RXQ);
	/* Buffers for the next frames before they come. */
	if (v->rx_n < VNET_BATCH / 2)
		vnet_rx_prefetch(dev);
}

static void vnet_work(struct eebox_dev *dev)
{
	struct vnet *v = dev->priv;

	if (v->reset_pending) {
		vnet_reset(dev);
		return;
	}
	if (v->tx_kick) {
		v->tx_kick = false;
		if (vnet_tx(dev))
			v->tx_kick = true;
	}
	if (v->reset_pending) {
		vnet_reset(dev);
		return;
	}
	if (v->rx_kick) {
		/* New buffers: the tap is polled again (vnet_notify); fetch
		 * their chains now, not when a frame waits for them.
		 */
		v->rx_kick = false;
		vnet_rx_prefetch(dev);
	}
	if (v->tx_kick)
		dev_kick(dev);
}

static int vnet_poll_fd(struct eebox_dev *dev, short *events)
{
	struct vnet *v = dev->priv;

	*events = v->rx_wait ? 0 : POLLIN;
	return v->fd;
}

static void vnet_poll_ready(struct eebox_dev *dev, short revents)
{
	struct vnet *v = dev->priv;
	u8 drop[2048];

	if (!(revents & POLLIN))
		return;
	if (!vnet_ready(v) || !v->q[RXQ].enable) {
		/* nobody to give them to */
		while (read(v->fd, drop, sizeof(drop)) > 0)
			v->rx_dropped++;
		return;
	}
	vnet_rx(dev);
	if (v->reset_pending)
		vnet_reset(dev);
}

static void vnet_print_stats(const struct eebox_dev *dev, FILE *f,
			     const char *prefix)
{
	const struct vnet *v = dev->priv;

	fprintf(f,
		"%svirtio-net %s: tx %llu packets (%llu bytes), %llu dropped, %llu errors; rx %llu packets (%llu bytes), %llu dropped, %llu errors, %llu times without buffers; %llu notifications, %llu resets, %llu feature sets refused\n",
		prefix, v->tap, (unsigned long long)v->tx_packets,
		(unsigned long long)v->tx_bytes,
		(unsigned long long)v->tx_dropped,
		(unsigned long long)v->tx_errors,
		(unsigned long long)v->rx_packets,
		(unsigned long long)v->rx_bytes,
		(unsigned long long)v->rx_dropped,
		(unsigned long long)v->rx_errors,
		(unsigned long long)v->rx_no_buffer,
		(unsigned long long)v->kicks, (unsigned long long)v->resets,
		(unsigned long long)v->bad_features);
}

const struct eebox_model vnet_model = {
	.name = "virtio-net",
	.summary = "virtio 1.x network device 1af4:1041 backed by a tap",
	.options = "tap=IFNAME (default eevnetN), hwaddr=MAC",
	.alloc = vnet_alloc,
	.set_opt = vnet_set_opt,
	.realize = vnet_realize,
	.release = vnet_release,
	.start = vnet_start,
	.bar_read = vnet_bar_read,
	.bar_write = vnet_bar_write,
	.work = vnet_work,
	.poll_fd = vnet_poll_fd,
	.poll_ready = vnet_poll_ready,
	.reset = vnet_reset,
	.print_stats = vnet_print_stats,
};
