/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Fillers of sockets (fillers.h includes every family). */
#ifndef KCAP_FILLERS_NET_H
#define KCAP_FILLERS_NET_H

#include "fillers_common.h"

#define KCAP_AF_IB 27
#define KCAP_AF_MPLS 28
#define KCAP_AF_NFC 39
#define KCAP_SOCK_NONBLOCK 00004000
#define KCAP_SOCK_CLOEXEC 02000000
#define KCAP_SHUT_RD 0
#define KCAP_SHUT_WR 1
#define KCAP_SHUT_RDWR 2
#define KCAP_EINPROGRESS 115

#define KCAP_SOCKADDR_HDR 28		/* sizeof(struct sockaddr_in6) */
#define KCAP_SOCKADDR_IN 16		/* sizeof(struct sockaddr_in) */
#define KCAP_TUPLE_MAX 128		/* unix: family, 2 ids, a path */
#define KCAP_OUTBOUND 0			/* connect, send*: the local end first */
#define KCAP_INBOUND 1			/* accept, recv*: the remote end first */

/* libs keeps the low byte; families the schema does not list are AF_UNSPEC. */
static __always_inline __u32 kcap_socket_family(unsigned long domain)
{
	__u8 d = (__u8)domain;

	if (d > KCAP_AF_NFC || d == KCAP_AF_IB || d == KCAP_AF_MPLS)
		return PPM_AF_UNSPEC;
	return d;
}

/* The fd flags socket() and socketpair() take in their type argument. */
static __always_inline __u32 kcap_socket_flags(unsigned long type)
{
	__u32 res = 0;

	if (type & KCAP_SOCK_NONBLOCK)
		res |= PPM_O_NONBLOCK;
	if (type & KCAP_SOCK_CLOEXEC)
		res |= PPM_O_CLOEXEC;
	return res;
}

static __always_inline __u8 kcap_shutdown_how(unsigned long how)
{
	switch (how) {
	case KCAP_SHUT_RD:
		return PPM_SHUT_RD;
	case KCAP_SHUT_WR:
		return PPM_SHUT_WR;
	case KCAP_SHUT_RDWR:
		return PPM_SHUT_RDWR;
	default:
		return (__u8)PPM_SHUT_UNKNOWN;	/* 0xffff in the table, a u8 here */
	}
}

/* A port as sockaddr holds it (network order) to host order. */
static __always_inline __u16 net_port(const __u8 *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

/* An address and a port, as both ends of a tuple and a sockaddr hold them. */
static __always_inline void put_end(__u8 *t, const __u8 *addr, __u32 alen, __u16 port)
{
	if (alen == 4)
		__builtin_memcpy(t, addr, 4);
	else
		__builtin_memcpy(t, addr, 16);
	__builtin_memcpy(t + alen, &port, 2);
}

/*
 * The path of a user sockaddr_un of addrlen bytes into buf: abstract names
 * (first byte NUL) lose that byte. Its size with the NUL, 0 when unreadable.
 */
static __always_inline __u32 user_unix_path(struct kcap_fctx *f, unsigned long uaddr,
					    unsigned long addrlen, __u8 first, char *buf)
{
	unsigned long skip = first == 0, n;

	if (addrlen <= 2 + skip) {
		buf[0] = 0;
		return 1;
	}
	n = addrlen - 2 - skip;
	if (n > KCAP_UNIX_PATH_MAX - 1 - skip)
		n = KCAP_UNIX_PATH_MAX - 1 - skip;
	return kcap_read_user_str(f, buf, (const void *)(uaddr + 2 + skip), n + 1);
}

/* PT_SOCKADDR of the user's sockaddr: bind, connect. */
static __always_inline void put_sockaddr(struct kcap_fctx *f, unsigned long uaddr,
					 unsigned long addrlen)
{
	__u8 h[KCAP_SOCKADDR_HDR] = { 0 };
	__u8 out[1 + KCAP_UNIX_PATH_MAX];
	__u32 n = addrlen < sizeof(h) ? addrlen : sizeof(h), len = 0;
	__u16 family;

	if (!uaddr || !addrlen || kcap_read_user(f, h, (const void *)uaddr, n)) {
		kcap_put_empty(f);
		return;
	}
	__builtin_memcpy(&family, h, 2);
	switch (family) {
	case KCAP_AF_INET:
		out[0] = PPM_AF_INET;
		put_end(&out[1], &h[4], 4, net_port(&h[2]));
		len = 7;
		break;
	case KCAP_AF_INET6:
		out[0] = PPM_AF_INET6;
		put_end(&out[1], &h[8], 16, net_port(&h[2]));
		len = 19;
		break;
	case KCAP_AF_UNIX:
		out[0] = PPM_AF_UNIX;
		len = user_unix_path(f, uaddr, addrlen, h[2], (char *)&out[1]);
		if (len)
			len++;
		break;
	}
	if (len)
		kcap_put_bytes(f, out, len);
	else
		kcap_put_empty(f);
}

/* UDP keeps no peer in the socket: take the one the user gave, as libs. */
static __always_inline void user_remote(struct kcap_fctx *f, struct kcap_sock *s,
					unsigned long uaddr)
{
	__u8 h[KCAP_SOCKADDR_HDR] = { 0 };

	if (s->rport || !uaddr)
		return;
	if (s->family == KCAP_AF_INET) {
		if (kcap_read_user(f, h, (const void *)uaddr, KCAP_SOCKADDR_IN))
			__builtin_memset(h, 0, sizeof(h));
		__builtin_memcpy(s->raddr, &h[4], 4);
	} else {
		if (kcap_read_user(f, h, (const void *)uaddr, KCAP_SOCKADDR_HDR))
			__builtin_memset(h, 0, sizeof(h));
		__builtin_memcpy(s->raddr, &h[8], 16);
	}
	s->rport = net_port(&h[2]);
}

/*
 * PT_SOCKTUPLE of a socket into t, its length; 0 for other families. inet:
 * the local end first on outbound calls, the remote end first on inbound
 * ones. unix: (peer, local) and the peer's path on outbound calls, (local,
 * peer) and the local path on inbound ones.
 */
static __always_inline __u32 encode_tuple(struct kcap_fctx *f, struct kcap_sock *s, int inbound,
					  unsigned long uaddr, __u8 *t)
{
	__u64 a = inbound ? s->sk : s->peer, b = inbound ? s->peer : s->sk;

	switch (s->family) {
	case KCAP_AF_INET:
		user_remote(f, s, uaddr);
		t[0] = PPM_AF_INET;
		if (inbound) {
			put_end(&t[1], s->raddr, 4, s->rport);
			put_end(&t[7], s->laddr, 4, s->lport);
		} else {
			put_end(&t[1], s->laddr, 4, s->lport);
			put_end(&t[7], s->raddr, 4, s->rport);
		}
		return 13;
	case KCAP_AF_INET6:
		user_remote(f, s, uaddr);
		t[0] = PPM_AF_INET6;
		if (inbound) {
			put_end(&t[1], s->raddr, 16, s->rport);
			put_end(&t[19], s->laddr, 16, s->lport);
		} else {
			put_end(&t[1], s->laddr, 16, s->lport);
			put_end(&t[19], s->raddr, 16, s->rport);
		}
		return 37;
	case KCAP_AF_UNIX:
		t[0] = PPM_AF_UNIX;
		__builtin_memcpy(&t[1], &a, 8);
		__builtin_memcpy(&t[9], &b, 8);
		return 17 + kcap_unix_path(f, inbound ? s->sk : s->peer, (char *)&t[17]);
	default:
		return 0;
	}
}

/* The tuple of the socket behind fd; empty when fd is not a socket. */
static __always_inline void put_socktuple(struct kcap_fctx *f, long fd, int inbound,
					  unsigned long uaddr)
{
	__u8 t[KCAP_TUPLE_MAX];
	struct kcap_sock s;
	__u32 len = 0;

	if (fd >= 0 && !kcap_fd_sock(f, (int)fd, &s))
		len = encode_tuple(f, &s, inbound, uaddr, t);
	if (len)
		kcap_put_bytes(f, t, len);
	else
		kcap_put_empty(f);
}

/* What sendmsg and recvmsg use of a struct msghdr. */
struct kcap_msghdr {
	unsigned long name;
	unsigned long iov;
	unsigned long iovlen;
	unsigned long control;
	unsigned long controllen;
};

/* struct user_msghdr, or struct compat_msghdr in an ia32 syscall. */
static __always_inline int read_msghdr(struct kcap_fctx *f, unsigned long umsg,
				       struct kcap_msghdr *m)
{
	__u64 r[7];
	__u32 c[7];

	__builtin_memset(m, 0, sizeof(*m));
	if (kcap_sc_compat(f)) {
		if (kcap_read_user(f, c, (const void *)umsg, sizeof(c)))
			return -1;
		m->name = c[0];
		m->iov = c[2];
		m->iovlen = c[3];
		m->control = c[4];
		m->controllen = c[5];
		return 0;
	}
	if (kcap_read_user(f, r, (const void *)umsg, sizeof(r)))
		return -1;
	m->name = r[0];
	m->iov = r[2];
	m->iovlen = r[3];
	m->control = r[4];
	m->controllen = r[5];
	return 0;
}

/* What the iovecs hold; 0, as libs, when one of them cannot be read. */
static __always_inline __u32 iov_size(struct kcap_fctx *f, unsigned long uiov, unsigned long cnt)
{
	int whole = 1;
	__u64 total = iov_total(f, uiov, cnt, &whole);

	return whole ? (__u32)total : 0;
}

/* domain, type, proto: socket and socketpair. */
static __always_inline void put_socket_args(struct kcap_fctx *f)
{
	kcap_put_u32(f, kcap_socket_family(kcap_sc_arg(f, 0)));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 1));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 2));
}

static __always_inline int fill_socket_e(struct kcap_fctx *f)
{
	put_socket_args(f);
	return kcap_submit(f);
}

static __always_inline int fill_socket_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_socket_args(f);
	kcap_put_u32(f, kcap_socket_flags(kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

static __always_inline int fill_socketpair_e(struct kcap_fctx *f)
{
	put_socket_args(f);
	return kcap_submit(f);
}

/* The two fds, the first one's socket and its peer. */
static __always_inline int fill_socketpair_x(struct kcap_fctx *f)
{
	__s32 fds[2] = { -1, -1 }, got[2];
	long ret = kcap_sc_ret(f);
	struct kcap_sock s;

	s.sk = s.peer = 0;
	if (ret == 0 && !kcap_read_user(f, got, (const void *)kcap_sc_arg(f, 3), sizeof(got))) {
		fds[0] = got[0];
		fds[1] = got[1];
		kcap_fd_sock(f, fds[0], &s);
	}
	kcap_put_s64(f, ret);
	kcap_put_s64(f, fds[0]);
	kcap_put_s64(f, fds[1]);
	kcap_put_u64(f, s.sk);
	kcap_put_u64(f, s.peer);
	put_socket_args(f);
	return kcap_submit(f);
}

static __always_inline int fill_bind_e(struct kcap_fctx *f)
{
	return fill_fd_arg(f, 0);
}

/* The address is the caller's whether or not the bind worked. */
static __always_inline int fill_bind_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_sockaddr(f, kcap_sc_arg(f, 1), (__u16)kcap_sc_arg(f, 2));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	return kcap_submit(f);
}

static __always_inline int fill_connect_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	put_sockaddr(f, kcap_sc_arg(f, 1), (__u16)kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

/* A tuple only when a connection exists or is under way. */
static __always_inline int fill_connect_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f), fd = kcap_sc_int(f, 0);
	unsigned long uaddr = kcap_sc_arg(f, 1);

	kcap_put_s64(f, ret);
	if (ret == 0 || ret == -KCAP_EINPROGRESS)
		put_socktuple(f, fd, KCAP_OUTBOUND, uaddr);
	else
		kcap_put_empty(f);
	kcap_put_s64(f, fd);
	put_sockaddr(f, uaddr, (__u16)kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

/* fd, backlog: listen on enter. */
static __always_inline int fill_listen_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_int(f, 1));
	return kcap_submit(f);
}

static __always_inline int fill_listen_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_int(f, 1));
	return kcap_submit(f);
}

/*
 * fd, tuple, queuepct, queuelen, queuemax: the new socket, inbound, and the
 * accept queue of the listening one; empty and zeros on failure.
 */
static __always_inline void put_accepted(struct kcap_fctx *f)
{
	long fd = kcap_sc_ret(f);
	struct kcap_sock l;
	__u32 len = 0, max = 0;
	__u8 pct = 0;

	kcap_put_s64(f, fd);
	if (fd >= 0) {
		put_socktuple(f, fd, KCAP_INBOUND, 0);
		if (!kcap_fd_sock(f, (int)kcap_sc_int(f, 0), &l)) {
			len = l.ack_backlog;
			max = l.max_ack_backlog;
		}
		if (len && max)
			pct = (__u8)((__u64)len * 100 / max);
	} else {
		kcap_put_empty(f);
	}
	kcap_put_u8(f, pct);
	kcap_put_u32(f, len);
	kcap_put_u32(f, max);
}

static __always_inline int fill_accept_x(struct kcap_fctx *f)
{
	put_accepted(f);
	return kcap_submit(f);
}

/* libs does not decode the accept4 flags yet and stores 0, on both events. */
static __always_inline int fill_accept4_e(struct kcap_fctx *f)
{
	kcap_put_u32(f, 0);
	return kcap_submit(f);
}

static __always_inline int fill_accept4_x(struct kcap_fctx *f)
{
	put_accepted(f);
	kcap_put_u32(f, 0);
	return kcap_submit(f);
}

/* sendto on enter: fd, size and the tuple the data would take. */
static __always_inline int fill_sendto_e(struct kcap_fctx *f)
{
	long fd = kcap_sc_int(f, 0);

	kcap_put_s64(f, fd);
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 2));
	put_socktuple(f, fd, KCAP_OUTBOUND, kcap_sc_arg(f, 4));
	return kcap_submit(f);
}

/* The data is in the caller's buffer whether or not the send worked. */
static __always_inline int fill_sendto_x(struct kcap_fctx *f)
{
	unsigned long size = kcap_sc_arg(f, 2);
	long ret = kcap_sc_ret(f), fd = kcap_sc_int(f, 0);

	kcap_put_s64(f, ret);
	kcap_put_user_buf(f, (const void *)kcap_sc_arg(f, 1), ret > 0 ? (unsigned long)ret : size);
	kcap_put_s64(f, fd);
	kcap_put_u32(f, (__u32)size);
	if (ret >= 0)
		put_socktuple(f, fd, KCAP_OUTBOUND, kcap_sc_arg(f, 4));
	else
		kcap_put_empty(f);
	return kcap_submit(f);
}

static __always_inline int fill_recvfrom_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

/* The sender is in src_addr when the socket has no peer (UDP). */
static __always_inline int fill_recvfrom_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f), fd = kcap_sc_int(f, 0);

	kcap_put_s64(f, ret);
	if (ret >= 0) {
		kcap_put_user_buf(f, (const void *)kcap_sc_arg(f, 1), ret);
		put_socktuple(f, fd, KCAP_INBOUND, kcap_sc_arg(f, 4));
	} else {
		kcap_put_empty(f);
		kcap_put_empty(f);
	}
	kcap_put_s64(f, fd);
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

static __always_inline int fill_sendmsg_e(struct kcap_fctx *f)
{
	long fd = kcap_sc_int(f, 0);
	struct kcap_msghdr m;
	__u32 size = 0;

	if (!read_msghdr(f, kcap_sc_arg(f, 1), &m))
		size = iov_size(f, m.iov, m.iovlen);
	kcap_put_s64(f, fd);
	kcap_put_u32(f, size);
	put_socktuple(f, fd, KCAP_OUTBOUND, m.name);
	return kcap_submit(f);
}

/* Without a readable msghdr libs leaves data, size and tuple empty. */
static __always_inline int fill_sendmsg_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f), fd = kcap_sc_int(f, 0);
	struct kcap_msghdr m;
	int whole = 1;
	__u64 total;
	__u32 size;

	kcap_put_s64(f, ret);
	if (read_msghdr(f, kcap_sc_arg(f, 1), &m)) {
		kcap_put_empty(f);
		kcap_put_s64(f, fd);
		kcap_put_empty(f);
		kcap_put_empty(f);
		return kcap_submit(f);
	}
	total = put_iov_data(f, m.iov, m.iovlen, ret > 0 ? (unsigned long)ret : ~0UL, &whole);
	size = whole ? (__u32)total : 0;	/* as iov_size */
	kcap_put_s64(f, fd);
	kcap_put_u32(f, size);
	if (ret >= 0)
		put_socktuple(f, fd, KCAP_OUTBOUND, m.name);
	else
		kcap_put_empty(f);
	return kcap_submit(f);
}

static __always_inline int fill_recvmsg_e(struct kcap_fctx *f)
{
	return fill_fd_arg(f, 0);
}

/*
 * The msghdr as the kernel left it: msg_name holds the sender, msg_controllen
 * the length of the control data. libs keeps control data up to 64 KiB; it
 * is cut at the snaplen here, as data is.
 */
static __always_inline int fill_recvmsg_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f), fd = kcap_sc_int(f, 0);
	struct kcap_msghdr m;

	kcap_put_s64(f, ret);
	if (ret >= 0) {
		kcap_put_u32(f, (__u32)ret);
		if (read_msghdr(f, kcap_sc_arg(f, 1), &m))
			kcap_put_empty(f);
		else
			put_iov_data(f, m.iov, m.iovlen, ret, NULL);
		put_socktuple(f, fd, KCAP_INBOUND, m.name);
		if (m.control && m.controllen && m.controllen <= 0xffff)
			kcap_put_user_buf(f, (const void *)m.control, m.controllen);
		else
			kcap_put_empty(f);
	} else {
		kcap_put_u32(f, 0);
		kcap_put_empty(f);
		kcap_put_empty(f);
		kcap_put_empty(f);
	}
	kcap_put_s64(f, fd);
	return kcap_submit(f);
}

/* Message i of an mmsghdr vector and the bytes the kernel moved for it. */
static __always_inline int read_mmsg(struct kcap_fctx *f, __u32 i, struct kcap_msghdr *m,
				     __u32 *len)
{
	/* A struct mmsghdr: the msghdr, then msg_len; 64 bytes, 32 in an ia32 syscall. */
	unsigned long v = kcap_sc_arg(f, 1) + (unsigned long)i * (kcap_sc_compat(f) ? 32 : 64);

	*len = 0;
	if (read_msghdr(f, v, m))
		return -1;
	return kcap_read_user(f, len, (const void *)(v + (kcap_sc_compat(f) ? 28 : 56)),
			      sizeof(*len));
}

/*
 * One event per message moved, as libs: res and size the bytes of that
 * message (its msg_len), fd, its data and tuple, and for recvmmsg (inbound)
 * its control data; KCAP_ITEMS_MAX messages at most. A call that moved none
 * gives one event, res its error. A message that cannot be read ends the
 * events (the read is counted). libs gives sendmmsg's size as the size of
 * the message's buffers: the same for a datagram; a second walk of the
 * iovecs would take the BPF verifier past its limit.
 */
static __always_inline int fill_mmsg_x(struct kcap_fctx *f, int inbound)
{
	long ret = kcap_sc_ret(f), fd = kcap_sc_int(f, 0);
	__u32 i = kcap_item(f), len;
	struct kcap_msghdr m;

	if (i && kcap_begin_item(f) < 0)
		return 0;
	if (ret <= 0) {
		kcap_put_s64(f, ret);
		kcap_put_s64(f, fd);
		kcap_put_u32(f, 0);
		kcap_put_empty(f);
		kcap_put_empty(f);
		if (inbound)
			kcap_put_empty(f);
		return kcap_submit(f);
	}
	if (read_mmsg(f, i, &m, &len))
		return 0;
	kcap_put_s64(f, len);
	kcap_put_s64(f, fd);
	kcap_put_u32(f, len);
	put_iov_data(f, m.iov, m.iovlen, len, NULL);
	put_socktuple(f, fd, inbound ? KCAP_INBOUND : KCAP_OUTBOUND, m.name);
	if (inbound) {
		if (m.control && m.controllen && m.controllen <= 0xffff)
			kcap_put_user_buf(f, (const void *)m.control, m.controllen);
		else
			kcap_put_empty(f);
	}
	kcap_submit(f);
	return i + 1 < (unsigned long)ret ? KCAP_FILL_AGAIN : 0;
}

static __always_inline int fill_sendmmsg_x(struct kcap_fctx *f)
{
	return fill_mmsg_x(f, 0);
}

static __always_inline int fill_recvmmsg_x(struct kcap_fctx *f)
{
	return fill_mmsg_x(f, 1);
}

/* x86_64 values, include/uapi/asm-generic/socket.h. */
#define KCAP_SOL_SOCKET 1
#define KCAP_SOL_TCP 6
#define KCAP_SO_ERROR 4
#define KCAP_SO_LINGER 13
#define KCAP_SO_PEERCRED 17
#define KCAP_SO_RCVTIMEO_OLD 20
#define KCAP_SO_SNDTIMEO_OLD 21
#define KCAP_SO_BINDTODEVICE 25
#define KCAP_SO_ATTACH_FILTER 26
#define KCAP_SO_DETACH_FILTER 27
#define KCAP_SO_PEERNAME 28
#define KCAP_SO_PEERSEC 31
#define KCAP_SO_MEMINFO 55
#define KCAP_SO_COOKIE 57
#define KCAP_SO_PEERGROUPS 59
#define KCAP_SO_RCVTIMEO_NEW 66
#define KCAP_SO_SNDTIMEO_NEW 67

/* sockopt_dynamic_param: the types a value takes. */
#define KCAP_SOCKOPT_IDX_BYTEBUF 0
#define KCAP_SOCKOPT_IDX_ERRNO 1
#define KCAP_SOCKOPT_IDX_UINT32 2
#define KCAP_SOCKOPT_IDX_UINT64 3
#define KCAP_SOCKOPT_IDX_RELTIME 4

static __always_inline __u8 kcap_sockopt_level(int level)
{
	return level == KCAP_SOL_SOCKET ? PPM_SOL_SOCKET :
	       level == KCAP_SOL_TCP ? PPM_SOL_TCP : PPM_UNKNOWN;
}

/* SO_* up to SO_ATTACH_BPF have the kernel's values; three later ones moved; other levels' none. */
static __always_inline __u8 kcap_sockopt_name(int level, int name)
{
	if (level != KCAP_SOL_SOCKET)
		return PPM_UNKNOWN;
	if (name >= 1 && name <= PPM_SO_ATTACH_BPF)
		return (__u8)name;
	return name == KCAP_SO_PEERGROUPS ? PPM_SO_PEERGROUPS :
	       name == KCAP_SO_MEMINFO ? PPM_SO_MEMINFO :
	       name == KCAP_SO_COOKIE ? PPM_SO_COOKIE : PPM_UNKNOWN;
}

/*
 * A socket option's value as libs types it: SO_ERROR an errno, the timeouts
 * a time, SO_COOKIE 64 bits, the other SOL_SOCKET integers 32 bits, the rest
 * (structs, strings, other levels) its bytes, the first 127.
 */
static __always_inline void put_sockopt_val(struct kcap_fctx *f, int level, int name,
					    unsigned long uval, __u32 len)
{
	__u64 v[2] = { 0, 0 };
	__u32 c[2];

	if (level != KCAP_SOL_SOCKET || name == KCAP_SO_LINGER || name == KCAP_SO_PEERCRED ||
	    (name >= KCAP_SO_BINDTODEVICE && name <= KCAP_SO_PEERNAME) ||
	    name == KCAP_SO_PEERSEC || (name > PPM_SO_ATTACH_BPF && name != KCAP_SO_COOKIE &&
					name != KCAP_SO_RCVTIMEO_NEW && name != KCAP_SO_SNDTIMEO_NEW)) {
		kcap_put_dyn_user(f, KCAP_SOCKOPT_IDX_BYTEBUF, uval, len, 0);
		return;
	}
	switch (name) {
	case KCAP_SO_RCVTIMEO_OLD: case KCAP_SO_SNDTIMEO_OLD:
	case KCAP_SO_RCVTIMEO_NEW: case KCAP_SO_SNDTIMEO_NEW:
		/* A timeval: 32-bit halves in an ia32 caller's old layout. */
		if (kcap_sc_compat(f) && name <= KCAP_SO_SNDTIMEO_OLD) {
			kcap_read_user(f, c, (const void *)uval, sizeof(c));
			v[0] = (__s32)c[0];
			v[1] = (__s32)c[1];
		} else {
			kcap_read_user(f, v, (const void *)uval, sizeof(v));
		}
		kcap_put_dyn(f, KCAP_SOCKOPT_IDX_RELTIME, v[0] * 1000000000ull + v[1] * 1000ull, 8);
		return;
	case KCAP_SO_COOKIE:
		kcap_read_user(f, v, (const void *)uval, 8);
		kcap_put_dyn(f, KCAP_SOCKOPT_IDX_UINT64, v[0], 8);
		return;
	}
	kcap_read_user(f, c, (const void *)uval, 4);
	if (name == KCAP_SO_ERROR)
		kcap_put_dyn(f, KCAP_SOCKOPT_IDX_ERRNO, (__u64)-(__s64)(__s32)c[0], 8);
	else
		kcap_put_dyn(f, KCAP_SOCKOPT_IDX_UINT32, c[0], 4);
}

/* res, fd, level, optname, the value set, optlen. */
static __always_inline int fill_setsockopt_x(struct kcap_fctx *f)
{
	int level = (int)kcap_sc_arg(f, 1), name = (int)kcap_sc_arg(f, 2);
	__u32 len = (__u32)kcap_sc_arg(f, 4);

	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u8(f, kcap_sockopt_level(level));
	kcap_put_u8(f, kcap_sockopt_name(level, name));
	put_sockopt_val(f, level, name, kcap_sc_arg(f, 3), len);
	kcap_put_u32(f, len);
	return kcap_submit(f);
}

/* res, fd, level, optname, the value got (none on failure), its length. */
static __always_inline int fill_getsockopt_x(struct kcap_fctx *f)
{
	int level = (int)kcap_sc_arg(f, 1), name = (int)kcap_sc_arg(f, 2);
	long ret = kcap_sc_ret(f);
	__u32 len = 0;

	kcap_read_user(f, &len, (const void *)kcap_sc_arg(f, 4), sizeof(len));
	kcap_put_s64(f, ret);
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u8(f, kcap_sockopt_level(level));
	kcap_put_u8(f, kcap_sockopt_name(level, name));
	if (ret < 0)
		kcap_put_empty(f);
	else
		put_sockopt_val(f, level, name, kcap_sc_arg(f, 3), len);
	kcap_put_u32(f, len);
	return kcap_submit(f);
}

static __always_inline int fill_shutdown_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u8(f, kcap_shutdown_how(kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

static __always_inline int fill_shutdown_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u8(f, kcap_shutdown_how(kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

#endif /* KCAP_FILLERS_NET_H */
