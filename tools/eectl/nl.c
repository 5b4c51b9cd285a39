// SPDX-License-Identifier: GPL-2.0
/*
 * eectl: generic netlink requests and events (see nl.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* What eectl reads; attributes it does not know are ignored. */
static struct nla_policy eenl_policy[EXPETHER_A_MAX + 1] = {
	[EXPETHER_A_IFNAME]		= { .type = NLA_STRING },
	[EXPETHER_A_IFINDEX]		= { .type = NLA_U32 },
	[EXPETHER_A_MAC]		= { .minlen = 6 },
	[EXPETHER_A_GID]		= { .type = NLA_U16 },
	[EXPETHER_A_ETHERTYPE]		= { .type = NLA_U16 },
	[EXPETHER_A_DOMAIN]		= { .type = NLA_U32 },
	[EXPETHER_A_NR_SLOTS]		= { .type = NLA_U32 },
	[EXPETHER_A_EPOCH]		= { .type = NLA_U32 },
	[EXPETHER_A_BRIDGE_ID]		= { .type = NLA_U64 },
	[EXPETHER_A_CPL_TIMEOUT_MS]	= { .type = NLA_U32 },
	[EXPETHER_A_DIF_INTERVAL_MS]	= { .type = NLA_U32 },
	[EXPETHER_A_DIF_TIMEOUT_MS]	= { .type = NLA_U32 },
	[EXPETHER_A_WINDOW]		= { .type = NLA_U32 },
	[EXPETHER_A_RTO_MIN_US]		= { .type = NLA_U32 },
	[EXPETHER_A_MGMT_KEY_SET]	= { .type = NLA_U8 },
	[EXPETHER_A_MGMT_COUNTER]	= { .type = NLA_U64 },
	[EXPETHER_A_SLOT]		= { .type = NLA_U32 },
	[EXPETHER_A_SLOT_STATE]		= { .type = NLA_U8 },
	[EXPETHER_A_SLOT_ADMIN]		= { .type = NLA_U8 },
	[EXPETHER_A_SLOT_DEVFN]		= { .type = NLA_U32 },
	[EXPETHER_A_SLOT_BUS]		= { .type = NLA_U32 },
	[EXPETHER_A_PEER_STATE]		= { .type = NLA_U8 },
	[EXPETHER_A_PEER_GID]		= { .type = NLA_U16 },
	[EXPETHER_A_VENDOR]		= { .type = NLA_U16 },
	[EXPETHER_A_DEVICE]		= { .type = NLA_U16 },
	[EXPETHER_A_CLASS]		= { .type = NLA_U32 },
	[EXPETHER_A_SUBSYS_VENDOR]	= { .type = NLA_U16 },
	[EXPETHER_A_SUBSYS_DEVICE]	= { .type = NLA_U16 },
	[EXPETHER_A_DIF_AGE_MS]		= { .type = NLA_U32 },
	[EXPETHER_A_LINK_STATE]		= { .type = NLA_U8 },
	[EXPETHER_A_REASON]		= { .type = NLA_STRING },
	[EXPETHER_A_STATS]		= { .type = NLA_NESTED },
	[EXPETHER_A_EVENT]		= { .type = NLA_U8 },
	[EXPETHER_A_OLD_GID]		= { .type = NLA_U16 },
	[EXPETHER_A_ADDR]		= { .type = NLA_U64 },
	[EXPETHER_A_LEN]		= { .type = NLA_U32 },
	[EXPETHER_A_TIMESTAMP_NS]	= { .type = NLA_U64 },
};

static struct nla_policy eenl_stat_policy[EXPETHER_A_MAX + 1] = {
	[EXPETHER_A_STAT_NAME]		= { .type = NLA_STRING },
	[EXPETHER_A_STAT_VALUE]		= { .type = NLA_U64 },
};

/* libnl's errors, back to errno values. */
static int eenl_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
		return -EINTR;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_NOACCESS:
		return -EACCES;
	default:
		return -EIO;
	}
}

int eenl_open(struct eenl *nl)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	err = genl_connect(nl->sk);
	if (err < 0) {
		err = eenl_errno(err);
		goto fail;
	}
	/* The kernel's reasons with its errors, without our request. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, EXPETHER_GENL_NAME);
	if (nl->family < 0) {
		err = nl->family == -NLE_OBJ_NOTFOUND ? -ENOENT :
		      eenl_errno(nl->family);
		goto fail;
	}
	return 0;
fail:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return err;
}

void eenl_close(struct eenl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct eenl_req {
	struct eenl *nl;
	eenl_msg_fn fn;
	void *arg;
	int err;		/* -errno from the kernel or from @fn */
	bool done;
};

static int eenl_valid(struct nl_msg *msg, void *arg)
{
	struct eenl_req *r = arg;
	struct nlattr *tb[EXPETHER_A_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));
	int err;

	err = nla_parse(tb, EXPETHER_A_MAX, genlmsg_attrdata(g, 0),
			genlmsg_attrlen(g, 0), eenl_policy);
	if (err < 0) {
		r->err = -EPROTO;
		return NL_STOP;
	}
	err = r->fn ? r->fn(tb, r->arg) : 0;
	if (err) {
		r->err = err < 0 ? err : -ECANCELED;
		return NL_STOP;
	}
	return NL_OK;
}

/* The extended ack's message, if the kernel gave one. */
static void eenl_extack(struct eenl *nl, struct nlmsgerr *e)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)
				   ((const char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e), len;

	nl->errmsg[0] = '\0';
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	if (h->nlmsg_len < NLMSG_HDRLEN + off)
		return;
	len = h->nlmsg_len - NLMSG_HDRLEN - off;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)e + off), (int)len, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
}

static int eenl_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct eenl_req *r = arg;

	(void)who;
	eenl_extack(r->nl, e);
	r->err = e->error < 0 ? e->error : -EPROTO;
	r->done = true;
	return NL_STOP;
}

static int eenl_finish(struct nl_msg *msg, void *arg)
{
	struct eenl_req *r = arg;

	(void)msg;
	r->done = true;
	return NL_STOP;
}

int eenl_request(struct eenl *nl, uint8_t cmd, bool dump, eenl_build_fn build,
		 void *barg, eenl_msg_fn fn, void *farg)
{
	struct eenl_req r = { .nl = nl, .fn = fn, .arg = farg };
	struct nl_msg *msg;
	struct nl_cb *cb;
	int err;

	nl->errmsg[0] = '\0';
	msg = nlmsg_alloc();
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!msg || !cb) {
		err = -ENOMEM;
		goto out;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 dump ? NLM_F_DUMP : 0, cmd, EXPETHER_GENL_VERSION)) {
		err = -ENOMEM;
		goto out;
	}
	if (build) {
		err = build(msg, barg);
		if (err)
			goto out;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, eenl_valid, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, eenl_finish, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, eenl_finish, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, eenl_error, &r);

	/* NLM_F_ACK: every request ends with an ack or an error. */
	err = nl_send_auto(nl->sk, msg);
	if (err < 0) {
		err = eenl_errno(err);
		goto out;
	}
	err = 0;
	while (!r.done && !r.err) {
		int ret = nl_recvmsgs(nl->sk, cb);

		if (ret < 0 && !r.err)
			r.err = eenl_errno(ret);
	}
	err = r.err;
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return err;
}

struct eenl_mon {
	eenl_msg_fn fn;
	void *arg;
	int ret;
};

static int eenl_event(struct nl_msg *msg, void *arg)
{
	struct eenl_mon *m = arg;
	struct nlattr *tb[EXPETHER_A_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));

	if (g->cmd != EXPETHER_CMD_EVENT)
		return NL_SKIP;
	if (nla_parse(tb, EXPETHER_A_MAX, genlmsg_attrdata(g, 0),
		      genlmsg_attrlen(g, 0), eenl_policy) < 0)
		return NL_SKIP;
	m->ret = m->fn(tb, m->arg);
	return m->ret ? NL_STOP : NL_OK;
}

int eenl_monitor(struct eenl *nl, eenl_msg_fn fn, void *arg,
		 volatile sig_atomic_t *stop)
{
	struct eenl_mon m = { .fn = fn, .arg = arg };
	struct pollfd pfd;
	int grp, err;

	grp = genl_ctrl_resolve_grp(nl->sk, EXPETHER_GENL_NAME,
				    EXPETHER_GENL_MCGRP_EVENTS);
	if (grp < 0)
		return grp == -NLE_OBJ_NOTFOUND ? -ENOENT : eenl_errno(grp);
	nl_socket_disable_seq_check(nl->sk);
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, eenl_event, &m);
	err = nl_socket_add_membership(nl->sk, grp);
	if (err < 0)
		return err == -NLE_PERM ? -EPERM : eenl_errno(err);
	err = nl_socket_set_nonblocking(nl->sk);
	if (err < 0)
		return eenl_errno(err);

	pfd.fd = nl_socket_get_fd(nl->sk);
	pfd.events = POLLIN;
	while (!*stop && !m.ret) {
		if (poll(&pfd, 1, 200) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!(pfd.revents & POLLIN))
			continue;
		err = nl_recvmsgs_default(nl->sk);
		if (err < 0 && err != -NLE_AGAIN && !m.ret)
			return eenl_errno(err);
	}
	return m.ret > 0 ? 0 : m.ret;
}

int eenl_stats(struct nlattr *stats, struct eenl_stat **out, size_t *n)
{
	struct nlattr *tb[EXPETHER_A_MAX + 1], *s;
	struct eenl_stat *v = NULL, *nv;
	size_t cnt = 0, cap = 0;
	int rem;

	*out = NULL;
	*n = 0;
	if (!stats)
		return 0;
	nla_for_each_nested(s, stats, rem) {
		if (nla_type(s) != EXPETHER_A_STAT ||
		    nla_parse_nested(tb, EXPETHER_A_MAX, s, eenl_stat_policy) ||
		    !tb[EXPETHER_A_STAT_NAME] || !tb[EXPETHER_A_STAT_VALUE])
			continue;
		if (cnt == cap) {
			cap = cap ? 2 * cap : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
		}
		snprintf(v[cnt].name, sizeof(v[cnt].name), "%s",
			 nla_get_string(tb[EXPETHER_A_STAT_NAME]));
		v[cnt].value = nla_get_u64(tb[EXPETHER_A_STAT_VALUE]);
		cnt++;
	}
	*out = v;
	*n = cnt;
	return 0;
}
