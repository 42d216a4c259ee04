// SPDX-License-Identifier: MIT
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unix_diag.h"

#define NAME_MAX_LEN 108	/* sun_path */

/*
 * A netlink socket in pdir's network namespace: entered for the time of
 * socket(), which binds the socket to it for good, then left. -1 when it
 * cannot be had, -2 when this thread could not go back to its namespace.
 */
static int diag_socket(int pdir)
{
	int ns = openat(pdir, "ns/net", O_RDONLY | O_CLOEXEC), self = -1, fd = -1;
	struct stat a, b;

	if (ns < 0)
		return -1;
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || fstat(ns, &a) < 0 || fstat(self, &b) < 0)
		goto out;
	if (a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
		fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		goto out;
	}
	if (setns(ns, CLONE_NEWNET) < 0)
		goto out;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (setns(self, CLONE_NEWNET) < 0) {
		if (fd >= 0)
			close(fd);
		fd = -2;	/* the rest of the scan would see another machine */
	}
out:
	if (self >= 0)
		close(self);
	close(ns);
	return fd;
}

static int send_dump(int fd)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} msg = {
		.nlh = { .nlmsg_len = sizeof(msg), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.req = { .sdiag_family = AF_UNIX, .udiag_states = ~0u,
			 .udiag_show = UDIAG_SHOW_NAME },
	};
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };

	return sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&nl, sizeof(nl)) ==
	       (ssize_t)sizeof(msg) ? 0 : -1;
}

/* The name as /proc/net/unix prints it: abstract names with '@' for NULs. */
static void proc_name(const uint8_t *raw, size_t len, char *out)
{
	size_t i;

	if (len && raw[0]) {
		len = strnlen((const char *)raw, len);
		memcpy(out, raw, len);
		out[len] = '\0';
		return;
	}
	for (i = 0; i < len; i++)
		out[i] = raw[i] ? (char)raw[i] : '@';
	out[len] = '\0';
}

/* One record; 0, or -1 when add failed. */
static int one_sock(const struct nlmsghdr *h, kcap_unix_sock_fn add, void *arg)
{
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
	const struct rtattr *a = (const struct rtattr *)(m + 1);
	char name[NAME_MAX_LEN + 1] = "";

	if (len < 0)
		return 0;
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		size_t n = RTA_PAYLOAD(a);

		if (a->rta_type == UNIX_DIAG_NAME)
			proc_name(RTA_DATA(a), n < NAME_MAX_LEN ? n : NAME_MAX_LEN, name);
	}
	return add(arg, m->udiag_ino, name) < 0 ? -1 : 0;
}

int kcap_unix_diag(int pdir, kcap_unix_sock_fn add, void *arg)
{
	static uint8_t buf[32768] __attribute__((aligned(8)));
	int fd = diag_socket(pdir), rc = -1;

	if (fd == -2)
		return -3;
	if (fd < 0 || send_dump(fd) < 0)
		goto out;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		const struct nlmsghdr *h = (const struct nlmsghdr *)buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				rc = 0;
				goto out;
			}
			if (h->nlmsg_type == NLMSG_ERROR)
				goto out;	/* no unix_diag: EINVAL or ENOENT */
			if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY && one_sock(h, add, arg) < 0) {
				rc = -2;
				goto out;
			}
		}
	}
out:
	if (fd >= 0)
		close(fd);
	return rc;
}
