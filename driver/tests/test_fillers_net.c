// SPDX-License-Identifier: MIT
/*
 * Driver tests of socket syscalls: capture one real syscall, success and failure,
 * and assert the header and every parameter of its enter and exit events.
 * Addresses and ports are computed here from getsockname/getpeername, the
 * schema values of families and shutdown modes from the flag tables.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "driver_test.h"
#include "flag_conv.h"

static struct dt t;

static void fini(void)
{
	dt_close(&t);
}

TestSuite(fillers_net, .fini = fini);

static uint32_t flag(const struct ppm_flag_table *ft, const char *name)
{
	uint32_t i;

	for (i = 0; i < ft->count; i++)
		if (ft->entries[i].name && strcmp(ft->entries[i].name, name) == 0)
			return ft->entries[i].value;
	cr_assert_fail("no %s in %s", name, ft->name);
	return 0;
}

static uint8_t family(const char *name)
{
	return (uint8_t)flag(&socket_families, name);
}

static void assert_bytes(const struct kcap_evt *ev, uint32_t i, const void *want, size_t n)
{
	cr_assert_eq(ev->len[i], n, "param %u: %u bytes, %zu expected", i, ev->len[i], n);
	cr_assert(memcmp(ev->val[i], want, n) == 0, "param %u: other bytes than expected", i);
}

/* An end of a tuple or a sockaddr: the address as is, the port in host order. */
static size_t put_in(uint8_t *p, const struct sockaddr_in *a)
{
	uint16_t port = ntohs(a->sin_port);

	memcpy(p, &a->sin_addr, 4);
	memcpy(p + 4, &port, 2);
	return 6;
}

static size_t put_in6(uint8_t *p, const struct sockaddr_in6 *a)
{
	uint16_t port = ntohs(a->sin6_port);

	memcpy(p, &a->sin6_addr, 16);
	memcpy(p + 16, &port, 2);
	return 18;
}

static size_t tuple4(uint8_t *p, const struct sockaddr_in *src, const struct sockaddr_in *dst)
{
	p[0] = family("AF_INET");
	put_in(p + 1, src);
	put_in(p + 7, dst);
	return 13;
}

static size_t tuple6(uint8_t *p, const struct sockaddr_in6 *src, const struct sockaddr_in6 *dst)
{
	p[0] = family("AF_INET6");
	put_in6(p + 1, src);
	put_in6(p + 19, dst);
	return 37;
}

static size_t sockaddr4(uint8_t *p, const struct sockaddr_in *a)
{
	p[0] = family("AF_INET");
	return 1 + put_in(p + 1, a);
}

static size_t sockaddr6(uint8_t *p, const struct sockaddr_in6 *a)
{
	p[0] = family("AF_INET6");
	return 1 + put_in6(p + 1, a);
}

static size_t sockaddr_unix(uint8_t *p, const char *path)
{
	p[0] = family("AF_UNIX");
	strcpy((char *)p + 1, path);
	return 2 + strlen(path);
}

static struct sockaddr_in local4(int fd)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);

	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &l), 0);
	return a;
}

static struct sockaddr_in peer4(int fd)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);

	cr_assert_eq(getpeername(fd, (struct sockaddr *)&a, &l), 0);
	return a;
}

static struct sockaddr_in6 local6(int fd)
{
	struct sockaddr_in6 a;
	socklen_t l = sizeof(a);

	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &l), 0);
	return a;
}

static struct sockaddr_in6 peer6(int fd)
{
	struct sockaddr_in6 a;
	socklen_t l = sizeof(a);

	cr_assert_eq(getpeername(fd, (struct sockaddr *)&a, &l), 0);
	return a;
}

/* A TCP or UDP socket bound to 127.0.0.1 on a port the kernel picks. */
static int bound4(int type, struct sockaddr_in *a)
{
	int fd = socket(AF_INET, type, 0);

	cr_assert_geq(fd, 0);
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)a, sizeof(*a)), 0);
	*a = local4(fd);
	return fd;
}

static int listener4(struct sockaddr_in *a, int backlog)
{
	int fd = bound4(SOCK_STREAM, a);

	cr_assert_eq(listen(fd, backlog), 0);
	return fd;
}

static int listener6(struct sockaddr_in6 *a)
{
	int fd = socket(AF_INET6, SOCK_STREAM, 0);

	cr_assert_geq(fd, 0);
	memset(a, 0, sizeof(*a));
	a->sin6_family = AF_INET6;
	a->sin6_addr = in6addr_loopback;
	cr_assert_eq(bind(fd, (struct sockaddr *)a, sizeof(*a)), 0);
	cr_assert_eq(listen(fd, 4), 0);
	*a = local6(fd);
	return fd;
}

/* A listening socket's queue as TCP_INFO tells it: waiting and maximum. */
static void tcp_queue(int fd, uint32_t *len, uint32_t *max)
{
	struct tcp_info ti;
	socklen_t l = sizeof(ti);

	cr_assert_eq(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &l), 0);
	*len = ti.tcpi_unacked;
	*max = ti.tcpi_sacked;
}

/* Loopback handshakes end in softirq context: wait for n in the queue. */
static void wait_queue(int fd, uint32_t n)
{
	struct timespec ts = { 0, 1000000 };
	uint32_t len, max;
	int i;

	for (i = 0; i < 1000; i++) {
		tcp_queue(fd, &len, &max);
		if (len == n)
			return;
		nanosleep(&ts, NULL);
	}
	cr_assert_fail("%u connections never queued", n);
}

static int connect4(const struct sockaddr_in *a)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert_geq(fd, 0);
	cr_assert_eq(connect(fd, (const struct sockaddr *)a, sizeof(*a)), 0);
	return fd;
}

static void unix_addr(struct sockaddr_un *a, socklen_t *len, const char *name, bool abstract)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (abstract) {
		memcpy(a->sun_path + 1, name, strlen(name));
		*len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
	} else {
		cr_assert_lt(strlen(name), sizeof(a->sun_path));
		memcpy(a->sun_path, name, strlen(name));
		*len = sizeof(*a);
	}
}

Test(fillers_net, socket)
{
	int type = SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK;
	const struct kcap_evt *ev;
	long fd;

	dt_start(&t, "socket");
	fd = syscall(SYS_socket, AF_INET, type, IPPROTO_TCP);
	cr_assert_geq(fd, 0);
	cr_assert_eq(syscall(SYS_socket, 46, SOCK_DGRAM, 0), -1);
	cr_assert_eq(syscall(SYS_socket, 0x100 | AF_UNIX, SOCK_RAW, 0), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_SOCKET_E, 0);
	cr_assert_eq(dt_u32(ev, 0), family("AF_INET"));
	cr_assert_eq(dt_u32(ev, 1), type);
	cr_assert_eq(dt_u32(ev, 2), IPPROTO_TCP);
	ev = dt_find(&t, PPME_SOCKET_X, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u32(ev, 1), family("AF_INET"));
	cr_assert_eq(dt_u32(ev, 2), type);
	cr_assert_eq(dt_u32(ev, 3), IPPROTO_TCP);
	cr_assert_eq(dt_u32(ev, 4), PPM_O_CLOEXEC | PPM_O_NONBLOCK);
	ev = dt_find(&t, PPME_SOCKET_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EAFNOSUPPORT);
	cr_assert_eq(dt_u32(ev, 1), family("AF_UNSPEC"), "a family the schema does not list");
	cr_assert_eq(dt_u32(ev, 2), SOCK_DGRAM);
	cr_assert_eq(dt_u32(ev, 3), 0);
	cr_assert_eq(dt_u32(ev, 4), 0);
	ev = dt_find(&t, PPME_SOCKET_E, 2);
	cr_assert_eq(dt_u32(ev, 0), family("AF_UNIX"), "libs keeps the low byte of the domain");
	close((int)fd);
}

Test(fillers_net, bind)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(1),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	struct sockaddr_un un;
	socklen_t unlen;
	const struct kcap_evt *ev;
	uint8_t want[128];
	char path[200];
	int fd6 = socket(AF_INET6, SOCK_DGRAM, 0);
	int fdu = socket(AF_UNIX, SOCK_DGRAM, 0);
	int fdn = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);

	cr_assert_geq(fdn, 0);
	snprintf(path, sizeof(path), "%s/bind.sock", dt_scratch_dir());
	unlink(path);
	unix_addr(&un, &unlen, path, false);
	dt_start(&t, "bind");
	cr_assert_eq(syscall(SYS_bind, 9999, &a4, sizeof(a4)), -1);
	cr_assert_eq(syscall(SYS_bind, fd6, &a6, sizeof(a6)), 0);
	cr_assert_eq(syscall(SYS_bind, fdu, &un, unlen), 0);
	cr_assert_eq(syscall(SYS_bind, fdn, &nl, sizeof(nl)), 0);
	cr_assert_eq(syscall(SYS_bind, fd6, NULL, 0), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_BIND_E, 0);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	ev = dt_find(&t, PPME_BIND_X, 0);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	assert_bytes(ev, 1, want, sockaddr4(want, &a4));
	cr_assert_eq(dt_s64(ev, 2), 9999);
	ev = dt_find(&t, PPME_BIND_E, 1);
	cr_assert_eq(dt_s64(ev, 0), fd6);
	ev = dt_find(&t, PPME_BIND_X, 1);
	cr_assert_eq(dt_s64(ev, 0), 0);
	assert_bytes(ev, 1, want, sockaddr6(want, &a6));
	cr_assert_eq(dt_s64(ev, 2), fd6);
	ev = dt_find(&t, PPME_BIND_X, 2);
	cr_assert_eq(dt_s64(ev, 0), 0);
	assert_bytes(ev, 1, want, sockaddr_unix(want, path));
	cr_assert_eq(dt_s64(ev, 2), fdu);
	ev = dt_find(&t, PPME_BIND_X, 3);
	cr_assert_eq(dt_s64(ev, 0), 0);
	dt_empty(ev, 1);
	cr_assert_eq(dt_s64(ev, 2), fdn);
	ev = dt_find(&t, PPME_BIND_X, 4);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	dt_empty(ev, 1);
	close(fd6);
	close(fdu);
	close(fdn);
	unlink(path);
}

Test(fillers_net, listen)
{
	struct sockaddr_in a;
	int fd = bound4(SOCK_STREAM, &a);
	const struct kcap_evt *ev;

	dt_start(&t, "listen");
	cr_assert_eq(syscall(SYS_listen, fd, 7), 0);
	cr_assert_eq(syscall(SYS_listen, 9999, -3), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_LISTEN_E, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u32(ev, 1), 7);
	ev = dt_find(&t, PPME_LISTEN_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_eq(dt_u32(ev, 2), 7);
	ev = dt_find(&t, PPME_LISTEN_E, 1);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	cr_assert_eq((int32_t)dt_u32(ev, 1), -3);
	ev = dt_find(&t, PPME_LISTEN_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_eq((int32_t)dt_u32(ev, 2), -3);
	close(fd);
}

Test(fillers_net, connect_and_accept_tcp4)
{
	struct sockaddr_in srv, closed, cl, other;
	int lfd = listener4(&srv, 5);
	int nolisten = bound4(SOCK_STREAM, &closed);
	int c1 = socket(AF_INET, SOCK_STREAM, 0), c2, c3 = socket(AF_INET, SOCK_STREAM, 0);
	uint32_t qlen, qmax;
	const struct kcap_evt *ev;
	uint8_t want[64];
	long afd;

	dt_start(&t, "connect,accept");
	cr_assert_eq(syscall(SYS_connect, c1, &srv, sizeof(srv)), 0);
	cr_assert_eq(syscall(SYS_connect, c3, &closed, sizeof(closed)), -1);
	c2 = connect4(&srv);
	wait_queue(lfd, 2);
	afd = syscall(SYS_accept, lfd, NULL, NULL);
	cr_assert_geq(afd, 0);
	cr_assert_eq(syscall(SYS_accept, 9999, NULL, NULL), -1);
	dt_stop(&t);
	tcp_queue(lfd, &qlen, &qmax);
	cr_assert_eq(qlen, 1);
	cr_assert_eq(qmax, 5);

	ev = dt_find(&t, PPME_CONNECT_E, 0);
	cr_assert_eq(dt_s64(ev, 0), c1);
	assert_bytes(ev, 1, want, sockaddr4(want, &srv));
	ev = dt_find(&t, PPME_CONNECT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cl = local4(c1);
	other = peer4(c1);
	assert_bytes(ev, 1, want, tuple4(want, &cl, &other));
	cr_assert_eq(dt_s64(ev, 2), c1);
	assert_bytes(ev, 3, want, sockaddr4(want, &srv));

	ev = dt_find(&t, PPME_CONNECT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ECONNREFUSED);
	dt_empty(ev, 1);
	cr_assert_eq(dt_s64(ev, 2), c3);
	assert_bytes(ev, 3, want, sockaddr4(want, &closed));

	/* The oldest connection is accepted: c1, with c2 still waiting. */
	ev = dt_find(&t, PPME_ACCEPT_V3_X, 0);
	cr_assert_eq(dt_s64(ev, 0), afd);
	cl = peer4((int)afd);
	cr_assert_eq(cl.sin_port, local4(c1).sin_port);
	other = local4((int)afd);
	assert_bytes(ev, 1, want, tuple4(want, &cl, &other));
	cr_assert_eq(dt_u8(ev, 2), qlen * 100 / qmax);
	cr_assert_eq(dt_u32(ev, 3), qlen);
	cr_assert_eq(dt_u32(ev, 4), qmax);
	cr_assert_eq(dt_count(&t, PPME_ACCEPT_V3_E), 2);
	ev = dt_find(&t, PPME_ACCEPT_V3_E, 1);
	cr_assert_eq(ev->nparams, 0);

	ev = dt_find(&t, PPME_ACCEPT_V3_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	dt_empty(ev, 1);
	cr_assert_eq(dt_u8(ev, 2), 0);
	cr_assert_eq(dt_u32(ev, 3), 0);
	cr_assert_eq(dt_u32(ev, 4), 0);
	close((int)afd);
	close(c1);
	close(c2);
	close(c3);
	close(nolisten);
	close(lfd);
}

Test(fillers_net, connect_and_accept4_tcp6)
{
	struct sockaddr_in6 srv, cl, other;
	int lfd = listener6(&srv);
	int c = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
	const struct kcap_evt *ev;
	uint8_t want[64];
	struct pollfd pfd = { .fd = c, .events = POLLOUT };
	long r, afd;

	dt_start(&t, "connect,accept4");
	r = syscall(SYS_connect, c, &srv, sizeof(srv));
	cr_assert(r == 0 || errno == EINPROGRESS);
	cr_assert_eq(poll(&pfd, 1, 5000), 1);
	wait_queue(lfd, 1);
	afd = syscall(SYS_accept4, lfd, NULL, NULL, SOCK_CLOEXEC);
	cr_assert_geq(afd, 0);
	cr_assert_eq(syscall(SYS_accept4, c, NULL, NULL, 0), -1);
	dt_stop(&t);

	ev = dt_find(&t, PPME_CONNECT_E, 0);
	cr_assert_eq(dt_s64(ev, 0), c);
	assert_bytes(ev, 1, want, sockaddr6(want, &srv));
	ev = dt_find(&t, PPME_CONNECT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), r == 0 ? 0 : -EINPROGRESS);
	cl = local6(c);
	other = peer6(c);
	assert_bytes(ev, 1, want, tuple6(want, &cl, &other));
	cr_assert_eq(dt_s64(ev, 2), c);
	assert_bytes(ev, 3, want, sockaddr6(want, &srv));

	ev = dt_find(&t, PPME_ACCEPT4_E, 0);
	cr_assert_eq(dt_u32(ev, 0), 0, "libs does not decode the flags");
	ev = dt_find(&t, PPME_ACCEPT4_X, 0);
	cr_assert_eq(dt_s64(ev, 0), afd);
	cl = peer6((int)afd);
	other = local6((int)afd);
	assert_bytes(ev, 1, want, tuple6(want, &cl, &other));
	cr_assert_eq(dt_u8(ev, 2), 0);
	cr_assert_eq(dt_u32(ev, 3), 0);
	cr_assert_eq(dt_u32(ev, 4), 4);
	cr_assert_eq(dt_u32(ev, 5), 0);
	ev = dt_find(&t, PPME_ACCEPT4_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL, "not a listening socket");
	dt_empty(ev, 1);
	cr_assert_eq(dt_u8(ev, 2), 0);
	cr_assert_eq(dt_u32(ev, 3), 0);
	cr_assert_eq(dt_u32(ev, 4), 0);
	cr_assert_eq(dt_u32(ev, 5), 0);
	close((int)afd);
	close(c);
	close(lfd);
}
