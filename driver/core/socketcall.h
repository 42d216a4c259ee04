/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * ia32's multiplexed syscalls. socketcall (102): one syscall for every
 * socket call, the call's number in its first register and the call's
 * arguments, 32 bits each, in an array its second register points to. Both
 * drivers turn it into the x86_64 syscall of the call, with those arguments
 * in place of the registers, so that it is captured as that syscall, as
 * Falco libs does.
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

/*
 * ia32's ipc (117) multiplexes the System V IPC calls the same way, but
 * passes their arguments in its own registers: call (ebx, a version in its
 * high half), first (ecx), second (edx), third (esi), ptr (edi), fifth
 * (ebp). Each call becomes its x86_64 syscall with the arguments that
 * ipc/syscall.c passes on, picked from those registers.
 */
#define KCAP_IA32_IPC 117
#define KCAP_IPC_MAX 25			/* calls 1 (SEMOP) to 24 (SHMCTL) */

/* Where an x86_64 argument comes from: none, a register, or the u32 ptr points to. */
#define KCAP_IPC_FIRST 1
#define KCAP_IPC_SECOND 2
#define KCAP_IPC_THIRD 3
#define KCAP_IPC_PTR 4
#define KCAP_IPC_FIFTH 5
#define KCAP_IPC_AT_PTR 6

struct kcap_ipccall {
	__u16 nr;			/* the x86_64 syscall; 0: none */
	__u8 arg[5];			/* KCAP_IPC_* of each argument */
};

#define IPC_ARGS(a, b, c, d, e) { KCAP_IPC_##a, KCAP_IPC_##b, KCAP_IPC_##c, KCAP_IPC_##d, \
				  KCAP_IPC_##e }
#define KCAP_IPC_NONE 0

/* By call number (include/uapi/linux/ipc.h), as compat_ksys_ipc() hands them on. */
static const struct kcap_ipccall kcap_ipccalls[KCAP_IPC_MAX] = {
	[1] = { 65, IPC_ARGS(FIRST, PTR, SECOND, NONE, NONE) },		/* SEMOP: semop */
	[2] = { 64, IPC_ARGS(FIRST, SECOND, THIRD, NONE, NONE) },	/* SEMGET: semget */
	[3] = { 66, IPC_ARGS(FIRST, SECOND, THIRD, AT_PTR, NONE) },	/* SEMCTL: semctl */
	[4] = { 220, IPC_ARGS(FIRST, PTR, SECOND, FIFTH, NONE) },	/* SEMTIMEDOP */
	[11] = { 69, IPC_ARGS(FIRST, PTR, SECOND, THIRD, NONE) },	/* MSGSND: msgsnd */
	[12] = { 70, IPC_ARGS(FIRST, PTR, SECOND, FIFTH, THIRD) },	/* MSGRCV: msgrcv */
	[13] = { 68, IPC_ARGS(FIRST, SECOND, NONE, NONE, NONE) },	/* MSGGET: msgget */
	[14] = { 71, IPC_ARGS(FIRST, SECOND, PTR, NONE, NONE) },	/* MSGCTL: msgctl */
	[21] = { 30, IPC_ARGS(FIRST, PTR, SECOND, NONE, NONE) },	/* SHMAT: shmat */
	[22] = { 67, IPC_ARGS(PTR, NONE, NONE, NONE, NONE) },		/* SHMDT: shmdt */
	[23] = { 29, IPC_ARGS(FIRST, SECOND, THIRD, NONE, NONE) },	/* SHMGET: shmget */
	[24] = { 31, IPC_ARGS(FIRST, SECOND, PTR, NONE, NONE) },	/* SHMCTL: shmctl */
};

#undef IPC_ARGS

/* The call's entry (ebx's low half); NULL for a number ipc does not have. */
static __always_inline const struct kcap_ipccall *kcap_ipccall(__u32 call)
{
	call &= 0xffff;
	if (call >= KCAP_IPC_MAX || !kcap_ipccalls[call].nr)
		return (const struct kcap_ipccall *)0;
	return &kcap_ipccalls[call];
}

/*
 * The x86_64 arguments of an ipc call from its six registers (reg[0] the
 * call, reg[1..5] first..fifth) and the u32 ptr points to (at_ptr).
 */
static __always_inline void kcap_ipc_args(const struct kcap_ipccall *c, const __u32 reg[6],
					  __u32 at_ptr, unsigned long args[6])
{
	int i;

	for (i = 0; i < 5; i++) {
		/* A switch, not reg[from]: BPF verifiers refuse variable stack reads. */
		switch (c->arg[i]) {
		case KCAP_IPC_FIRST: args[i] = reg[1]; break;
		case KCAP_IPC_SECOND: args[i] = reg[2]; break;
		case KCAP_IPC_THIRD: args[i] = reg[3]; break;
		case KCAP_IPC_PTR: args[i] = reg[4]; break;
		case KCAP_IPC_FIFTH: args[i] = reg[5]; break;
		case KCAP_IPC_AT_PTR: args[i] = at_ptr; break;
		default: args[i] = 0;
		}
	}
	args[5] = 0;
}

#endif /* KCAP_SOCKETCALL_H */
