/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * ia32's socketcall (102): one syscall for every socket call, the call's
 * number in its first register and the call's arguments, 32 bits each, in
 * an array its second register points to. Both drivers turn it into the
 * x86_64 syscall of the call, with those arguments in place of the
 * registers, so that it is captured as that syscall, as Falco libs does.
 * send and recv are sendto and recvfrom without an address: the arguments
 * they lack read as 0.
 */
#ifndef KCAP_SOCKETCALL_H
#define KCAP_SOCKETCALL_H

#define KCAP_IA32_SOCKETCALL 102
#define KCAP_SOCKETCALL_MAX 21		/* calls 1 (socket) to 20 (sendmmsg) */

struct kcap_socketcall {
	__u16 nr;			/* the x86_64 syscall; 0: none */
	__u8 nargs;			/* 32-bit arguments in the array */
};

/* By call number (include/uapi/linux/net.h), the x86_64 syscall number. */
static const struct kcap_socketcall kcap_socketcalls[KCAP_SOCKETCALL_MAX] = {
	[1] = { 41, 3 },	/* SYS_SOCKET: socket */
	[2] = { 49, 3 },	/* SYS_BIND: bind */
	[3] = { 42, 3 },	/* SYS_CONNECT: connect */
	[4] = { 50, 2 },	/* SYS_LISTEN: listen */
	[5] = { 43, 3 },	/* SYS_ACCEPT: accept */
	[6] = { 51, 3 },	/* SYS_GETSOCKNAME: getsockname */
	[7] = { 52, 3 },	/* SYS_GETPEERNAME: getpeername */
	[8] = { 53, 4 },	/* SYS_SOCKETPAIR: socketpair */
	[9] = { 44, 4 },	/* SYS_SEND: sendto */
	[10] = { 45, 4 },	/* SYS_RECV: recvfrom */
	[11] = { 44, 6 },	/* SYS_SENDTO: sendto */
	[12] = { 45, 6 },	/* SYS_RECVFROM: recvfrom */
	[13] = { 48, 2 },	/* SYS_SHUTDOWN: shutdown */
	[14] = { 54, 5 },	/* SYS_SETSOCKOPT: setsockopt */
	[15] = { 55, 5 },	/* SYS_GETSOCKOPT: getsockopt */
	[16] = { 46, 3 },	/* SYS_SENDMSG: sendmsg */
	[17] = { 47, 3 },	/* SYS_RECVMSG: recvmsg */
	[18] = { 288, 4 },	/* SYS_ACCEPT4: accept4 */
	[19] = { 299, 5 },	/* SYS_RECVMMSG: recvmmsg */
	[20] = { 307, 4 },	/* SYS_SENDMMSG: sendmmsg */
};

/* The call's entry; NULL for a number socketcall does not have. */
static __always_inline const struct kcap_socketcall *kcap_socketcall(__u32 call)
{
	if (call >= KCAP_SOCKETCALL_MAX || !kcap_socketcalls[call].nr)
		return (const struct kcap_socketcall *)0;
	return &kcap_socketcalls[call];
}

#endif /* KCAP_SOCKETCALL_H */
