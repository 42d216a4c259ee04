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
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "driver_test.h"
#include "flag_conv.h"
#include "kcap_abi.h"

static struct dt t;

static void fini(void)
{
	dt_close(&t);
}

TestSuite(fillers_net, .fini = fini);

static uint8_t family(const char *name)
{
	return (uint8_t)dt_flag(&socket_families, name);
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

/* A unix tuple: the two kernel socket ids, then the path. */
static size_t tuple_unix(uint8_t *p, uint64_t first, uint64_t second, const char *path)
{
	p[0] = family("AF_UNIX");
	memcpy(p + 1, &first, 8);
	memcpy(p + 9, &second, 8);
	strcpy((char *)p + 17, path);
	return 18 + strlen(path);
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

/* The socket's own address, or its peer's. */
static void sock_name(int fd, bool peer, void *a, socklen_t len)
{
	socklen_t l = len;

	if (peer)
		cr_assert_eq(getpeername(fd, a, &l), 0);
	else
		cr_assert_eq(getsockname(fd, a, &l), 0);
}

#define SOCK_NAME(name, type, peer)		\
static type name(int fd)			\
{						\
	type a;					\
						\
	sock_name(fd, peer, &a, sizeof(a));	\
	return a;				\
}

SOCK_NAME(local4, struct sockaddr_in, false)
SOCK_NAME(peer4, struct sockaddr_in, true)
SOCK_NAME(local6, struct sockaddr_in6, false)
SOCK_NAME(peer6, struct sockaddr_in6, true)

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

	/* One of the two is accepted (the first whose handshake ended), one waits. */
	ev = dt_find(&t, PPME_ACCEPT_V3_X, 0);
	cr_assert_eq(dt_s64(ev, 0), afd);
	cl = peer4((int)afd);
	cr_assert(cl.sin_port == local4(c1).sin_port || cl.sin_port == local4(c2).sin_port);
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

Test(fillers_net, sendto_and_recvfrom_udp4)
{
	static char big[6000];
	struct sockaddr_in srv, from, any = { 0 }, cl;
	socklen_t fromlen = sizeof(from);
	int s = bound4(SOCK_DGRAM, &srv);
	int c = socket(AF_INET, SOCK_DGRAM, 0);
	int nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	const struct kcap_evt *ev;
	uint8_t want[64];
	char buf[64];
	int p[2];

	cr_assert_eq(pipe(p), 0);
	memset(big, 'u', sizeof(big));
	dt_start(&t, "sendto,recvfrom");
	cr_assert_eq(syscall(SYS_sendto, c, "hello udp", 9, 0, &srv, sizeof(srv)), 9);
	cr_assert_eq(syscall(SYS_recvfrom, s, buf, sizeof(buf), 0, &from, &fromlen), 9);
	cr_assert_eq(syscall(SYS_sendto, 9999, "zz", 2, 0, &srv, sizeof(srv)), -1);
	cr_assert_eq(syscall(SYS_recvfrom, s, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL), -1);
	cr_assert_eq(syscall(SYS_sendto, c, big, sizeof(big), 0, &srv, sizeof(srv)), sizeof(big));
	cr_assert_eq(syscall(SYS_sendto, p[1], "p", 1, 0, NULL, 0), -1);
	syscall(SYS_sendto, nl, "n", 1, MSG_DONTWAIT, NULL, 0);
	dt_stop(&t);
	cl = local4(c);

	/* Unbound on enter: no local end yet; the peer is the user's. */
	ev = dt_find(&t, PPME_SENDTO_E, 0);
	cr_assert_eq(dt_s64(ev, 0), c);
	cr_assert_eq(dt_u32(ev, 1), 9);
	assert_bytes(ev, 2, want, tuple4(want, &any, &srv));
	ev = dt_find(&t, PPME_SENDTO_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 9);
	assert_bytes(ev, 1, "hello udp", 9);
	cr_assert_eq(dt_s64(ev, 2), c);
	cr_assert_eq(dt_u32(ev, 3), 9);
	assert_bytes(ev, 4, want, tuple4(want, &cl, &srv));

	ev = dt_find(&t, PPME_RECVFROM_E, 0);
	cr_assert_eq(dt_s64(ev, 0), s);
	cr_assert_eq(dt_u32(ev, 1), sizeof(buf));
	ev = dt_find(&t, PPME_RECVFROM_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 9);
	assert_bytes(ev, 1, "hello udp", 9);
	cr_assert_eq(from.sin_port, cl.sin_port);
	assert_bytes(ev, 2, want, tuple4(want, &from, &srv));
	cr_assert_eq(dt_s64(ev, 3), s);
	cr_assert_eq(dt_u32(ev, 4), sizeof(buf));

	ev = dt_find(&t, PPME_SENDTO_E, 1);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	cr_assert_eq(dt_u32(ev, 1), 2);
	dt_empty(ev, 2);
	ev = dt_find(&t, PPME_SENDTO_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	assert_bytes(ev, 1, "zz", 2);
	cr_assert_eq(dt_s64(ev, 2), 9999);
	cr_assert_eq(dt_u32(ev, 3), 2);
	dt_empty(ev, 4);

	ev = dt_find(&t, PPME_RECVFROM_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EAGAIN);
	dt_empty(ev, 1);
	dt_empty(ev, 2);
	cr_assert_eq(dt_s64(ev, 3), s);
	cr_assert_eq(dt_u32(ev, 4), sizeof(buf));

	ev = dt_find(&t, PPME_SENDTO_X, 2);
	cr_assert_eq(dt_s64(ev, 0), sizeof(big));
	cr_assert_eq(ev->len[1], 4096, "data cut at the snaplen");
	cr_assert_eq(dt_u32(ev, 3), sizeof(big));

	ev = dt_find(&t, PPME_SENDTO_E, 3);
	dt_empty(ev, 2);
	ev = dt_find(&t, PPME_SENDTO_X, 3);
	cr_assert_eq(dt_s64(ev, 0), -ENOTSOCK);
	dt_empty(ev, 4);
	ev = dt_find(&t, PPME_SENDTO_E, 4);
	cr_assert_eq(dt_s64(ev, 0), nl);
	dt_empty(ev, 2);
	close(p[0]);
	close(p[1]);
	close(nl);
	close(c);
	close(s);
}

Test(fillers_net, sendmsg_and_recvmsg_udp6)
{
	struct sockaddr_in6 srv = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in6 from, cl, any = { 0 };
	struct iovec iov = { "six", 3 }, riov;
	struct msghdr mh = { .msg_name = &srv, .msg_namelen = sizeof(srv), .msg_iov = &iov,
			     .msg_iovlen = 1 };
	struct msghdr rh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &riov,
			     .msg_iovlen = 1 };
	int s = socket(AF_INET6, SOCK_DGRAM, 0), c = socket(AF_INET6, SOCK_DGRAM, 0);
	const struct kcap_evt *ev;
	uint8_t want[64];
	char buf[16];

	cr_assert_eq(bind(s, (struct sockaddr *)&srv, sizeof(srv)), 0);
	srv = local6(s);
	riov.iov_base = buf;
	riov.iov_len = sizeof(buf);
	dt_start(&t, "sendmsg,recvmsg");
	cr_assert_eq(syscall(SYS_sendmsg, c, &mh, 0), 3);
	cr_assert_eq(syscall(SYS_recvmsg, s, &rh, 0), 3);
	dt_stop(&t);
	cl = local6(c);
	cr_assert_eq(from.sin6_port, cl.sin6_port);

	ev = dt_find(&t, PPME_SENDMSG_E, 0);
	cr_assert_eq(dt_s64(ev, 0), c);
	cr_assert_eq(dt_u32(ev, 1), 3);
	assert_bytes(ev, 2, want, tuple6(want, &any, &srv));
	ev = dt_find(&t, PPME_SENDMSG_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 3);
	assert_bytes(ev, 1, "six", 3);
	cr_assert_eq(dt_s64(ev, 2), c);
	cr_assert_eq(dt_u32(ev, 3), 3);
	assert_bytes(ev, 4, want, tuple6(want, &cl, &srv));

	ev = dt_find(&t, PPME_RECVMSG_E, 0);
	cr_assert_eq(dt_s64(ev, 0), s);
	ev = dt_find(&t, PPME_RECVMSG_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 3);
	cr_assert_eq(dt_u32(ev, 1), 3);
	assert_bytes(ev, 2, "six", 3);
	assert_bytes(ev, 3, want, tuple6(want, &from, &srv));
	dt_empty(ev, 4);
	cr_assert_eq(dt_s64(ev, 5), s);
	close(c);
	close(s);
}

Test(fillers_net, socketpair_sendmsg_recvmsg_unix)
{
	struct iovec iov[2] = { { "hello ", 6 }, { "kcap", 4 } }, riov;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cm, rcm;
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2, .msg_control = cm.buf,
			     .msg_controllen = sizeof(cm.buf) };
	struct msghdr rh = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rcm.buf,
			     .msg_controllen = sizeof(rcm.buf) };
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&mh);
	uint64_t source, peer;
	const struct kcap_evt *ev;
	int sv[2], bad[2] = { 7, 7 }, passed = 0, got;
	uint8_t want[64];
	char buf[32];

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &passed, sizeof(int));
	riov.iov_base = buf;
	riov.iov_len = sizeof(buf);
	dt_start(&t, "socketpair,sendmsg,recvmsg");
	cr_assert_eq(syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv), 0);
	cr_assert_eq(syscall(SYS_socketpair, AF_INET, SOCK_STREAM, 0, bad), -1);
	cr_assert_eq(syscall(SYS_sendmsg, sv[0], &mh, 0), 10);
	cr_assert_eq(syscall(SYS_recvmsg, sv[1], &rh, 0), 10);
	cr_assert_eq(syscall(SYS_sendmsg, 9999, &mh, 0), -1);
	cr_assert_eq(syscall(SYS_sendmsg, sv[0], NULL, 0), -1);
	cr_assert_eq(syscall(SYS_recvmsg, sv[1], &rh, MSG_DONTWAIT), -1);
	dt_stop(&t);
	cr_assert_gt(rh.msg_controllen, 0);
	memcpy(&got, CMSG_DATA(CMSG_FIRSTHDR(&rh)), sizeof(int));

	ev = dt_find(&t, PPME_SOCKETPAIR_E, 0);
	cr_assert_eq(dt_u32(ev, 0), family("AF_UNIX"));
	cr_assert_eq(dt_u32(ev, 1), SOCK_STREAM);
	cr_assert_eq(dt_u32(ev, 2), 0);
	ev = dt_find(&t, PPME_SOCKETPAIR_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), sv[0]);
	cr_assert_eq(dt_s64(ev, 2), sv[1]);
	source = dt_u64(ev, 3);
	peer = dt_u64(ev, 4);
	cr_assert(source && peer && source != peer);
	cr_assert_eq(dt_u32(ev, 5), family("AF_UNIX"));
	cr_assert_eq(dt_u32(ev, 6), SOCK_STREAM);
	cr_assert_eq(dt_u32(ev, 7), 0);
	ev = dt_find(&t, PPME_SOCKETPAIR_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EOPNOTSUPP);
	cr_assert_eq(dt_s64(ev, 1), -1);
	cr_assert_eq(dt_s64(ev, 2), -1);
	cr_assert_eq(dt_u64(ev, 3), 0);
	cr_assert_eq(dt_u64(ev, 4), 0);
	cr_assert_eq(dt_u32(ev, 5), family("AF_INET"));

	/*
	 * Out of sv[0]: (its peer, itself); into sv[1]: (itself, its peer). Both
	 * are (peer, source) of the socketpair event; unbound: an empty path.
	 */
	tuple_unix(want, peer, source, "");
	ev = dt_find(&t, PPME_SENDMSG_E, 0);
	cr_assert_eq(dt_s64(ev, 0), sv[0]);
	cr_assert_eq(dt_u32(ev, 1), 10);
	assert_bytes(ev, 2, want, 18);
	ev = dt_find(&t, PPME_SENDMSG_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 10);
	assert_bytes(ev, 1, "hello kcap", 10);
	cr_assert_eq(dt_s64(ev, 2), sv[0]);
	cr_assert_eq(dt_u32(ev, 3), 10);
	assert_bytes(ev, 4, want, 18);

	ev = dt_find(&t, PPME_RECVMSG_E, 0);
	cr_assert_eq(dt_s64(ev, 0), sv[1]);
	ev = dt_find(&t, PPME_RECVMSG_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 10);
	cr_assert_eq(dt_u32(ev, 1), 10);
	assert_bytes(ev, 2, "hello kcap", 10);
	assert_bytes(ev, 3, want, 18);
	assert_bytes(ev, 4, rcm.buf, rh.msg_controllen);
	cr_assert_eq(dt_s64(ev, 5), sv[1]);

	/* A failed send still shows what it tried to send. */
	ev = dt_find(&t, PPME_SENDMSG_E, 1);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	cr_assert_eq(dt_u32(ev, 1), 10);
	dt_empty(ev, 2);
	ev = dt_find(&t, PPME_SENDMSG_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	assert_bytes(ev, 1, "hello kcap", 10);
	cr_assert_eq(dt_s64(ev, 2), 9999);
	cr_assert_eq(dt_u32(ev, 3), 10);
	dt_empty(ev, 4);

	/* No msghdr: libs leaves data, size and tuple empty on exit. */
	ev = dt_find(&t, PPME_SENDMSG_E, 2);
	cr_assert_eq(dt_s64(ev, 0), sv[0]);
	cr_assert_eq(dt_u32(ev, 1), 0);
	assert_bytes(ev, 2, want, 18);
	ev = dt_find(&t, PPME_SENDMSG_X, 2);
	cr_assert_eq(dt_s64(ev, 0), -EFAULT);
	dt_empty(ev, 1);
	cr_assert_eq(dt_s64(ev, 2), sv[0]);
	dt_empty(ev, 3);
	dt_empty(ev, 4);

	ev = dt_find(&t, PPME_RECVMSG_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EAGAIN);
	cr_assert_eq(dt_u32(ev, 1), 0);
	dt_empty(ev, 2);
	dt_empty(ev, 3);
	dt_empty(ev, 4);
	cr_assert_eq(dt_s64(ev, 5), sv[1]);
	close(got);
	close(sv[0]);
	close(sv[1]);
}

/* Connected unix stream sockets: (server side, client side) and the server's path. */
static void unix_stream(bool abstract)
{
	struct sockaddr_un srv;
	socklen_t srvlen;
	char name[200], buf[8];
	const struct kcap_evt *ev;
	uint8_t want[160], ids[16];
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0), c = socket(AF_UNIX, SOCK_STREAM, 0);
	int nc = socket(AF_UNIX, SOCK_STREAM, 0);
	size_t n;
	long afd;

	if (abstract)
		snprintf(name, sizeof(name), "kcap-net-test-%d", getpid());
	else
		snprintf(name, sizeof(name), "%s/stream.sock", dt_scratch_dir());
	unlink(name);
	unix_addr(&srv, &srvlen, name, abstract);
	cr_assert_eq(bind(lfd, (struct sockaddr *)&srv, srvlen), 0);
	cr_assert_eq(listen(lfd, 3), 0);
	dt_start(&t, "connect,accept,sendto,recvfrom");
	cr_assert_eq(syscall(SYS_connect, c, &srv, srvlen), 0);
	afd = syscall(SYS_accept, lfd, NULL, NULL);
	cr_assert_geq(afd, 0);
	cr_assert_eq(syscall(SYS_sendto, c, "u", 1, 0, NULL, 0), 1);
	cr_assert_eq(syscall(SYS_recvfrom, afd, buf, sizeof(buf), 0, NULL, NULL), 1);
	srv.sun_path[abstract ? 1 : 0] ^= 1;
	cr_assert_eq(syscall(SYS_connect, nc, &srv, srvlen), -1);
	srv.sun_path[abstract ? 1 : 0] ^= 1;
	dt_stop(&t);

	n = sockaddr_unix(want, name);
	ev = dt_find(&t, PPME_CONNECT_E, 0);
	cr_assert_eq(dt_s64(ev, 0), c);
	assert_bytes(ev, 1, want, n);
	ev = dt_find(&t, PPME_CONNECT_X, 0);
	assert_bytes(ev, 3, want, n);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 2), c);
	/* Outbound: (the server's socket, the client's); both nonzero. */
	cr_assert_eq(ev->len[1], 17 + strlen(name) + 1);
	cr_assert_eq(ev->val[1][0], family("AF_UNIX"));
	memcpy(ids, ev->val[1] + 1, 16);
	cr_assert(memcmp(ids, (uint64_t[2]){ 0 }, 8) && memcmp(ids + 8, (uint64_t[2]){ 0 }, 8));
	cr_assert_str_eq((const char *)ev->val[1] + 17, name);
	want[0] = family("AF_UNIX");
	memcpy(want + 1, ids, 16);
	strcpy((char *)want + 17, name);
	n = 18 + strlen(name);

	/* Inbound on the accepted socket: (itself, the client), its path. */
	ev = dt_find(&t, PPME_ACCEPT_V3_X, 0);
	cr_assert_eq(dt_s64(ev, 0), afd);
	assert_bytes(ev, 1, want, n);
	cr_assert_eq(dt_u8(ev, 2), 0);
	cr_assert_eq(dt_u32(ev, 3), 0, "unix sockets do not count their accept queue");
	cr_assert_eq(dt_u32(ev, 4), 3);
	ev = dt_find(&t, PPME_SENDTO_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 1);
	assert_bytes(ev, 4, want, n);
	ev = dt_find(&t, PPME_RECVFROM_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 1);
	assert_bytes(ev, 2, want, n);

	ev = dt_find(&t, PPME_CONNECT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), abstract ? -ECONNREFUSED : -ENOENT);
	dt_empty(ev, 1);
	cr_assert_eq(dt_s64(ev, 2), nc);
	close((int)afd);
	close(c);
	close(nc);
	close(lfd);
	if (!abstract)
		unlink(name);
}

Test(fillers_net, connect_and_accept_unix_path)
{
	unix_stream(false);
}

Test(fillers_net, connect_and_accept_unix_abstract)
{
	unix_stream(true);
}

Test(fillers_net, shutdown)
{
	const struct kcap_evt *ev;
	int sv[2];

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	dt_start(&t, "shutdown");
	cr_assert_eq(syscall(SYS_shutdown, sv[0], SHUT_WR), 0);
	cr_assert_eq(syscall(SYS_shutdown, 9999, 99), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_SHUTDOWN_E, 0);
	cr_assert_eq(dt_s64(ev, 0), sv[0]);
	cr_assert_eq(dt_u8(ev, 1), dt_flag(&shutdown_how, "SHUT_WR"));
	ev = dt_find(&t, PPME_SHUTDOWN_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), sv[0]);
	cr_assert_eq(dt_u8(ev, 2), dt_flag(&shutdown_how, "SHUT_WR"));
	ev = dt_find(&t, PPME_SHUTDOWN_E, 1);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	cr_assert_eq(dt_u8(ev, 1), (uint8_t)dt_flag(&shutdown_how, "SHUT_UNKNOWN"));
	ev = dt_find(&t, PPME_SHUTDOWN_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_eq(dt_u8(ev, 2), (uint8_t)dt_flag(&shutdown_how, "SHUT_UNKNOWN"));
	close(sv[0]);
	close(sv[1]);
}

#define IA32_SENDMSG 370
#define IA32_RECVMSG 372

struct msghdr32 {
	uint32_t name, namelen, iov, iovlen, control, controllen, flags;
};

static uint32_t low(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

#define IA32_SOCKETCALL 102

/*
 * ia32's socketcall: each call is captured as its x86_64 syscall, with the
 * arguments of the array it points to; send and recv as sendto and recvfrom.
 */
Test(fillers_net, socketcall_ia32)
{
	uint32_t *m = dt_ia32_page();
	uint32_t *args = m, *sv = m + 16;
	char *data = (char *)(m + 32), *rbuf = (char *)(m + 64);
	const struct kcap_evt *ev;
	long fd;

	memcpy(data, "hello", 5);
	dt_start(&t, "socket,socketpair,sendto,recvfrom");
	memcpy(args, (uint32_t[]){ AF_UNIX, SOCK_DGRAM, 0 }, 12);
	fd = dt_int80(IA32_SOCKETCALL, 1, low(args), 0);		/* SYS_SOCKET */
	cr_assert_geq(fd, 0);
	memcpy(args, (uint32_t[]){ AF_UNIX, SOCK_DGRAM, 0, low(sv) }, 16);
	cr_assert_eq(dt_int80(IA32_SOCKETCALL, 8, low(args), 0), 0);	/* SYS_SOCKETPAIR */
	memcpy(args, (uint32_t[]){ sv[0], low(data), 5, 0 }, 16);
	cr_assert_eq(dt_int80(IA32_SOCKETCALL, 9, low(args), 0), 5);	/* SYS_SEND */
	memcpy(args, (uint32_t[]){ sv[1], low(rbuf), 64, 0 }, 16);
	cr_assert_eq(dt_int80(IA32_SOCKETCALL, 10, low(args), 0), 5);	/* SYS_RECV */
	cr_assert_eq(dt_int80(IA32_SOCKETCALL, 99, low(args), 0), -EINVAL);	/* no such call */
	dt_stop(&t);
	ev = dt_find(&t, PPME_SOCKET_X, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u32(ev, 1), family("AF_UNIX"));
	cr_assert_eq(dt_u32(ev, 2), SOCK_DGRAM);
	cr_assert_eq(dt_u32(ev, 3), 0);
	ev = dt_find(&t, PPME_SOCKETPAIR_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), (int32_t)sv[0]);
	cr_assert_eq(dt_s64(ev, 2), (int32_t)sv[1]);
	ev = dt_find(&t, PPME_SENDTO_E, 0);
	cr_assert_eq(dt_s64(ev, 0), (int32_t)sv[0]);
	cr_assert_eq(dt_u32(ev, 1), 5);
	ev = dt_find(&t, PPME_SENDTO_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 5);
	assert_bytes(ev, 1, "hello", 5);
	cr_assert_eq(dt_s64(ev, 2), (int32_t)sv[0]);
	cr_assert_eq(dt_u32(ev, 3), 5);
	ev = dt_find(&t, PPME_RECVFROM_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 5);
	assert_bytes(ev, 1, "hello", 5);
	cr_assert_eq(dt_count(&t, PPME_SOCKET_X) + dt_count(&t, PPME_SOCKETPAIR_X) +
		     dt_count(&t, PPME_SENDTO_X) + dt_count(&t, PPME_RECVFROM_X), 4,
		     "one event for each call socketcall has");
	close((int)fd);
	close((int)sv[0]);
	close((int)sv[1]);
	munmap(m, 4096);
}

Test(fillers_net, sendmsg_and_recvmsg_ia32)
{
	uint8_t *m = dt_ia32_page();
	struct msghdr32 *mh = (void *)m, *rh = (void *)(m + 64);
	uint32_t *iov = (uint32_t *)(m + 128), *riov = (uint32_t *)(m + 160);
	char *data = (char *)m + 256, *rbuf = (char *)m + 512;
	const struct kcap_evt *ev;
	uint64_t source, peer;
	uint8_t want[32];
	int sv[2];

	memcpy(data, "ia32 sendmsg", 12);
	iov[0] = low(data);
	iov[1] = 5;
	iov[2] = low(data + 5);
	iov[3] = 7;
	mh->iov = low(iov);
	mh->iovlen = 2;
	riov[0] = low(rbuf);
	riov[1] = 64;
	rh->iov = low(riov);
	rh->iovlen = 1;
	dt_start(&t, "socketpair,sendmsg,recvmsg");
	cr_assert_eq(syscall(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	cr_assert_eq(dt_int80(IA32_SENDMSG, sv[0], low(mh), 0), 12);
	cr_assert_eq(dt_int80(IA32_RECVMSG, sv[1], low(rh), 0), 12);
	dt_stop(&t);
	ev = dt_find(&t, PPME_SOCKETPAIR_X, 0);
	source = dt_u64(ev, 3);
	peer = dt_u64(ev, 4);
	tuple_unix(want, peer, source, "");

	ev = dt_find(&t, PPME_SENDMSG_E, 0);
	cr_assert_eq(dt_s64(ev, 0), sv[0]);
	cr_assert_eq(dt_u32(ev, 1), 12);
	assert_bytes(ev, 2, want, 18);
	ev = dt_find(&t, PPME_SENDMSG_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 12);
	assert_bytes(ev, 1, "ia32 sendmsg", 12);
	cr_assert_eq(dt_s64(ev, 2), sv[0]);
	cr_assert_eq(dt_u32(ev, 3), 12);
	assert_bytes(ev, 4, want, 18);
	ev = dt_find(&t, PPME_RECVMSG_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 12);
	cr_assert_eq(dt_u32(ev, 1), 12);
	assert_bytes(ev, 2, "ia32 sendmsg", 12);
	assert_bytes(ev, 3, want, 18);
	dt_empty(ev, 4);
	cr_assert_eq(dt_s64(ev, 5), sv[1]);
	close(sv[0]);
	close(sv[1]);
	munmap(m, 4096);
}

/* select's result; getsockname and getpeername, whose events carry no parameter in this schema. */
Test(fillers_net, select_getsockname_getpeername)
{
	struct timeval tv = { 0, 0 };
	struct sockaddr_un sa;
	socklen_t len = sizeof(sa);
	int sv[2];

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	dt_start(&t, "select,getsockname,getpeername");
	cr_assert_eq(syscall(SYS_select, 0, NULL, NULL, NULL, &tv), 0);
	cr_assert_eq(syscall(SYS_getsockname, sv[0], &sa, &len), 0);
	cr_assert_eq(dt_res(syscall(SYS_getpeername, 9999, &sa, &len)), -EBADF);
	dt_stop(&t);
	cr_assert_eq(dt_find(&t, PPME_SELECT_V1_E, 0)->nparams, 0);
	cr_assert_eq(dt_s64(dt_find(&t, PPME_SELECT_V1_X, 0), 0), 0);
	cr_assert_eq(dt_find(&t, PPME_GETSOCKNAME_E, 0)->nparams, 0);
	cr_assert_eq(dt_find(&t, PPME_GETSOCKNAME_X, 0)->nparams, 0);
	cr_assert_eq(dt_find(&t, PPME_GETPEERNAME_X, 0)->nparams, 0);
	close(sv[0]);
	close(sv[1]);
}

/* An mmsg event of a message: res and size its bytes, fd, data, tuple. */
static void assert_mmsg(const struct kcap_evt *ev, int fd, const char *data, uint8_t *tuple,
			uint32_t tuple_len)
{
	cr_assert_eq(dt_s64(ev, 0), (int64_t)strlen(data));
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_eq(dt_u32(ev, 2), strlen(data));
	assert_bytes(ev, 3, data, strlen(data));
	assert_bytes(ev, 4, tuple, tuple_len);
}

/* Two messages each way between two UDP sockets: an event per message, as libs. */
Test(fillers_net, sendmmsg_recvmmsg_udp4)
{
	struct sockaddr_in srv, cl;
	int s = bound4(SOCK_DGRAM, &srv), c = socket(AF_INET, SOCK_DGRAM, 0);
	char in[2][16];
	struct iovec out_iov[2] = { { "hello", 5 }, { "kcap!!", 6 } };
	struct iovec in_iov[2] = { { in[0], 16 }, { in[1], 16 } };
	struct mmsghdr out[2], got[2];
	struct sockaddr_in from[2];
	const struct kcap_evt *ev;
	uint8_t want[64];
	int i;

	cr_assert_eq(connect(c, (struct sockaddr *)&srv, sizeof(srv)), 0);
	cl = local4(c);
	memset(out, 0, sizeof(out));
	memset(got, 0, sizeof(got));
	for (i = 0; i < 2; i++) {
		out[i].msg_hdr.msg_iov = &out_iov[i];
		out[i].msg_hdr.msg_iovlen = 1;
		got[i].msg_hdr.msg_iov = &in_iov[i];
		got[i].msg_hdr.msg_iovlen = 1;
		got[i].msg_hdr.msg_name = &from[i];
		got[i].msg_hdr.msg_namelen = sizeof(from[i]);
	}
	dt_start(&t, "sendmmsg,recvmmsg");
	cr_assert_eq(syscall(SYS_sendmmsg, c, out, 2, 0), 2);
	cr_assert_eq(syscall(SYS_recvmmsg, s, got, 2, 0, NULL), 2);
	cr_assert_eq(dt_res(syscall(SYS_sendmmsg, 9999, out, 2, 0)), -EBADF);
	cr_assert_eq(dt_res(syscall(SYS_recvmmsg, s, got, 2, MSG_DONTWAIT, NULL)), -EAGAIN);
	dt_stop(&t);
	cr_assert_eq(dt_count(&t, PPME_SENDMMSG_E), 2);
	cr_assert_eq(dt_count(&t, PPME_SENDMMSG_X), 3);
	assert_mmsg(dt_find(&t, PPME_SENDMMSG_X, 0), c, "hello", want, tuple4(want, &cl, &srv));
	assert_mmsg(dt_find(&t, PPME_SENDMMSG_X, 1), c, "kcap!!", want, tuple4(want, &cl, &srv));
	cr_assert_leq(dt_find(&t, PPME_SENDMMSG_X, 0)->hdr->ts,
		      dt_find(&t, PPME_SENDMMSG_X, 1)->hdr->ts);
	ev = dt_find(&t, PPME_SENDMMSG_X, 2);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_eq(dt_u32(ev, 2), 0);
	dt_empty(ev, 3);
	dt_empty(ev, 4);
	cr_assert_eq(dt_count(&t, PPME_RECVMMSG_X), 3);
	cr_assert_eq(from[0].sin_port, cl.sin_port);
	for (i = 0; i < 2; i++) {
		ev = dt_find(&t, PPME_RECVMMSG_X, i);
		assert_mmsg(ev, s, i ? "kcap!!" : "hello", want, tuple4(want, &from[i], &srv));
		dt_empty(ev, 5);
	}
	ev = dt_find(&t, PPME_RECVMMSG_X, 2);
	cr_assert_eq(dt_s64(ev, 0), -EAGAIN);
	cr_assert_eq(dt_u32(ev, 2), 0);
	dt_empty(ev, 3);
	dt_empty(ev, 4);
	dt_empty(ev, 5);
	close(c);
	close(s);
}

/* More messages than KCAP_ITEMS_MAX: the first ones get events, in order. */
Test(fillers_net, sendmmsg_of_more_messages_than_kept)
{
	enum { N = KCAP_ITEMS_MAX + 4 };
	static const char text[] = "abcdefghijklmnopqrstuvwxyz";
	struct sockaddr_in srv, cl;
	int s = bound4(SOCK_DGRAM, &srv), c = socket(AF_INET, SOCK_DGRAM, 0);
	struct iovec iov[N];
	struct mmsghdr out[N];
	uint8_t want[64];
	char data[N][32];
	int i;

	_Static_assert(N < sizeof(text), "one message per letter");
	cr_assert_eq(connect(c, (struct sockaddr *)&srv, sizeof(srv)), 0);
	cl = local4(c);
	memset(out, 0, sizeof(out));
	for (i = 0; i < N; i++) {
		snprintf(data[i], sizeof(data[i]), "%.*s", i + 1, text);
		iov[i] = (struct iovec){ data[i], (size_t)i + 1 };
		out[i].msg_hdr.msg_iov = &iov[i];
		out[i].msg_hdr.msg_iovlen = 1;
	}
	dt_start(&t, "sendmmsg");
	cr_assert_eq(syscall(SYS_sendmmsg, c, out, N, 0), N);
	dt_stop(&t);
	cr_assert_eq(dt_count(&t, PPME_SENDMMSG_X), KCAP_ITEMS_MAX);
	for (i = 0; i < KCAP_ITEMS_MAX; i++)
		assert_mmsg(dt_find(&t, PPME_SENDMMSG_X, i), c, data[i], want,
			    tuple4(want, &cl, &srv));
	close(c);
	close(s);
}

#define IA32_RECVMMSG 337
#define IA32_SENDMMSG 345

struct mmsghdr32 {
	struct msghdr32 hdr;
	uint32_t len;
};

/* ia32's sendmmsg and recvmmsg: 32-byte mmsghdrs, an event per message. */
Test(fillers_net, sendmmsg_and_recvmmsg_ia32)
{
	uint8_t *m = dt_ia32_page();
	struct mmsghdr32 *out = (void *)m, *in = (void *)(m + 128);
	uint32_t *iov = (uint32_t *)(m + 256), *riov = (uint32_t *)(m + 288);
	char *data = (char *)m + 512, *rbuf = (char *)m + 1024;
	const char *const msgs[2] = { "ia32", " mmsg" };
	const struct kcap_evt *ev;
	uint8_t want[32];
	int sv[2], i;

	_Static_assert(sizeof(struct mmsghdr32) == 32, "the compat layout");
	memcpy(data, "ia32 mmsg", 9);
	for (i = 0; i < 2; i++) {
		iov[2 * i] = low(data + 4 * i);
		iov[2 * i + 1] = (uint32_t)strlen(msgs[i]);
		out[i].hdr.iov = low(iov + 2 * i);
		out[i].hdr.iovlen = 1;
		riov[2 * i] = low(rbuf + 64 * i);
		riov[2 * i + 1] = 64;
		in[i].hdr.iov = low(riov + 2 * i);
		in[i].hdr.iovlen = 1;
	}
	dt_start(&t, "socketpair,sendmmsg,recvmmsg");
	cr_assert_eq(syscall(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	cr_assert_eq(dt_int80_6(IA32_SENDMMSG, sv[0], low(out), 2, 0, 0, 0), 2);
	cr_assert_eq(dt_int80_6(IA32_RECVMMSG, sv[1], low(in), 2, 0, 0, 0), 2);
	dt_stop(&t);
	cr_assert_eq(in[1].len, 5);
	ev = dt_find(&t, PPME_SOCKETPAIR_X, 0);
	tuple_unix(want, dt_u64(ev, 4), dt_u64(ev, 3), "");
	cr_assert_eq(dt_count(&t, PPME_SENDMMSG_X), 2);
	cr_assert_eq(dt_count(&t, PPME_RECVMMSG_X), 2);
	for (i = 0; i < 2; i++) {
		assert_mmsg(dt_find(&t, PPME_SENDMMSG_X, i), sv[0], msgs[i], want, 18);
		ev = dt_find(&t, PPME_RECVMMSG_X, i);
		assert_mmsg(ev, sv[1], msgs[i], want, 18);
		dt_empty(ev, 5);
	}
	close(sv[0]);
	close(sv[1]);
	munmap(m, 4096);
}

/* A PT_DYN value: the dynamic table's index, then size bytes of v. */
static void assert_dyn(const struct kcap_evt *ev, uint32_t i, uint8_t idx, uint64_t v,
		       uint32_t size)
{
	cr_assert_eq(ev->len[i], 1 + size, "param %u: %u bytes", i, ev->len[i]);
	cr_assert_eq(ev->val[i][0], idx, "param %u: index %u", i, ev->val[i][0]);
	cr_assert(!memcmp(ev->val[i] + 1, &v, size), "param %u: other value", i);
}

#define SOCKOPT_BYTES 0
#define SOCKOPT_ERRNO 1
#define SOCKOPT_U32 2
#define SOCKOPT_U64 3
#define SOCKOPT_RELTIME 4

/* Options typed as libs types them: an integer, a time, a string, another level's bytes. */
Test(fillers_net, setsockopt_getsockopt)
{
	const uint8_t sol_socket = (uint8_t)dt_flag(&sockopt_levels, "SOL_SOCKET");
	struct timeval tv = { 2, 500000 };
	int u = socket(AF_INET, SOCK_DGRAM, 0), tcp = socket(AF_INET, SOCK_STREAM, 0);
	int rcvbuf = 65536, one = 1, val = 0;
	uint64_t cookie = 0;
	socklen_t len = sizeof(val), clen = sizeof(cookie);
	const struct kcap_evt *ev;

	cr_assert(u >= 0 && tcp >= 0);
	dt_start(&t, "setsockopt,getsockopt");
	cr_assert_eq(syscall(SYS_setsockopt, u, SOL_SOCKET, SO_RCVBUF, &rcvbuf, 4), 0);
	cr_assert_eq(syscall(SYS_setsockopt, u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	cr_assert_eq(syscall(SYS_setsockopt, u, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3), 0);
	cr_assert_eq(syscall(SYS_setsockopt, tcp, IPPROTO_TCP, TCP_NODELAY, &one, 4), 0);
	cr_assert_eq(dt_res(syscall(SYS_setsockopt, 9999, SOL_SOCKET, SO_RCVBUF, &one, 4)), -EBADF);
	cr_assert_eq(syscall(SYS_getsockopt, u, SOL_SOCKET, SO_TYPE, &val, &len), 0);
	cr_assert_eq(syscall(SYS_getsockopt, u, SOL_SOCKET, SO_ERROR, &val, &len), 0);
	cr_assert_eq(syscall(SYS_getsockopt, u, SOL_SOCKET, SO_COOKIE, &cookie, &clen), 0);
	cr_assert_eq(dt_res(syscall(SYS_getsockopt, 9999, SOL_SOCKET, SO_TYPE, &val, &len)),
		     -EBADF);
	dt_stop(&t);
	ev = dt_find(&t, PPME_SETSOCKOPT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), u);
	cr_assert_eq(dt_u8(ev, 2), sol_socket);
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&sockopt_options, "SO_RCVBUF"));
	assert_dyn(ev, 4, SOCKOPT_U32, 65536, 4);
	cr_assert_eq(dt_u32(ev, 5), 4);
	ev = dt_find(&t, PPME_SETSOCKOPT_X, 1);
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&sockopt_options, "SO_RCVTIMEO"));
	assert_dyn(ev, 4, SOCKOPT_RELTIME, 2500000000ull, 8);
	cr_assert_eq(dt_u32(ev, 5), sizeof(tv));
	ev = dt_find(&t, PPME_SETSOCKOPT_X, 2);
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&sockopt_options, "SO_BINDTODEVICE"));
	cr_assert_eq(ev->len[4], 4);
	cr_assert(ev->val[4][0] == SOCKOPT_BYTES && !memcmp(ev->val[4] + 1, "lo", 3));
	ev = dt_find(&t, PPME_SETSOCKOPT_X, 3);
	cr_assert_eq(dt_s64(ev, 1), tcp);
	cr_assert_eq(dt_u8(ev, 2), dt_flag(&sockopt_levels, "SOL_TCP"));
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&sockopt_options, "UNKNOWN"));
	cr_assert_eq(ev->len[4], 5);
	cr_assert(ev->val[4][0] == SOCKOPT_BYTES && !memcmp(ev->val[4] + 1, &one, 4));
	ev = dt_find(&t, PPME_SETSOCKOPT_X, 4);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	dt_find(&t, PPME_GETSOCKOPT_E, 0);
	ev = dt_find(&t, PPME_GETSOCKOPT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), u);
	cr_assert_eq(dt_u8(ev, 2), sol_socket);
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&sockopt_options, "SO_TYPE"));
	assert_dyn(ev, 4, SOCKOPT_U32, SOCK_DGRAM, 4);
	cr_assert_eq(dt_u32(ev, 5), 4);
	ev = dt_find(&t, PPME_GETSOCKOPT_X, 1);
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&sockopt_options, "SO_ERROR"));
	assert_dyn(ev, 4, SOCKOPT_ERRNO, 0, 8);
	ev = dt_find(&t, PPME_GETSOCKOPT_X, 2);
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&sockopt_options, "SO_COOKIE"));
	cr_assert_neq(cookie, 0);
	assert_dyn(ev, 4, SOCKOPT_U64, cookie, 8);
	cr_assert_eq(dt_u32(ev, 5), 8);
	ev = dt_find(&t, PPME_GETSOCKOPT_X, 3);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	dt_empty(ev, 4);
	close(u);
	close(tcp);
}
