/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Fillers of processes, threads, signals and credentials (included by fillers.h). */
#ifndef KCAP_FILLERS_PROC_H
#define KCAP_FILLERS_PROC_H

static __always_inline int fill_kill_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u8(f, (__u8)kcap_sc_arg(f, 1));
	return kcap_submit(f);
}

static __always_inline int fill_kill_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u8(f, (__u8)kcap_sc_arg(f, 1));
	return kcap_submit(f);
}

/* Same layout as kill: tid, sig. */
static __always_inline int fill_tkill_e(struct kcap_fctx *f)
{
	return fill_kill_e(f);
}

static __always_inline int fill_tkill_x(struct kcap_fctx *f)
{
	return fill_kill_x(f);
}

/* pid, tid, sig: tgkill's arguments. */
static __always_inline void put_tgkill_args(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_s64(f, kcap_sc_int(f, 1));
	kcap_put_u8(f, (__u8)kcap_sc_arg(f, 2));
}

static __always_inline int fill_tgkill_e(struct kcap_fctx *f)
{
	put_tgkill_args(f);
	return kcap_submit(f);
}

static __always_inline int fill_tgkill_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_tgkill_args(f);
	return kcap_submit(f);
}

/* prctl_options: the schema keeps the kernel's values (linux/prctl.h). */
#define PPM_PR_SET_NAME 15
#define PPM_PR_GET_NAME 16
#define PPM_PR_GET_CHILD_SUBREAPER 37

/* Options without a schema name pass through unchanged, as in libs. */
static __always_inline __u32 kcap_prctl_option(unsigned long option)
{
	return (__u32)option;
}

/*
 * arg2 is a name for PR_SET_NAME and PR_GET_NAME (the kernel filled it in
 * by exit), where PR_GET_CHILD_SUBREAPER stores an int; a number otherwise.
 */
static __always_inline int fill_prctl_x(struct kcap_fctx *f)
{
	__u32 option = kcap_prctl_option(kcap_sc_arg(f, 0));
	unsigned long arg2 = kcap_sc_arg(f, 1);
	int reaper;

	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u32(f, option);
	switch (option) {
	case PPM_PR_SET_NAME:
	case PPM_PR_GET_NAME:
		kcap_put_user_str(f, (const char *)arg2);
		kcap_put_empty(f);
		break;
	case PPM_PR_GET_CHILD_SUBREAPER:
		kcap_read_user(f, &reaper, (const void *)arg2, sizeof(reaper));
		kcap_put_empty(f);
		kcap_put_s64(f, reaper);
		break;
	default:
		kcap_put_empty(f);
		kcap_put_s64(f, (__s64)arg2);
	}
	return kcap_submit(f);
}

/* ptrace_requests */
#define PPM_PTRACE_UNKNOWN 0
#define PPM_PTRACE_TRACEME 1
#define PPM_PTRACE_PEEKTEXT 2
#define PPM_PTRACE_PEEKDATA 3
#define PPM_PTRACE_PEEKUSR 4
#define PPM_PTRACE_POKETEXT 5
#define PPM_PTRACE_POKEDATA 6
#define PPM_PTRACE_POKEUSR 7
#define PPM_PTRACE_CONT 8
#define PPM_PTRACE_KILL 9
#define PPM_PTRACE_SINGLESTEP 10
#define PPM_PTRACE_ATTACH 11
#define PPM_PTRACE_DETACH 12
#define PPM_PTRACE_SYSCALL 13
#define PPM_PTRACE_SETOPTIONS 14
#define PPM_PTRACE_GETEVENTMSG 15
#define PPM_PTRACE_GETSIGINFO 16
#define PPM_PTRACE_SETSIGINFO 17
#define PPM_PTRACE_GETREGSET 18
#define PPM_PTRACE_SETREGSET 19
#define PPM_PTRACE_SEIZE 20
#define PPM_PTRACE_INTERRUPT 21
#define PPM_PTRACE_LISTEN 22
#define PPM_PTRACE_PEEKSIGINFO 23
#define PPM_PTRACE_GETSIGMASK 24
#define PPM_PTRACE_SETSIGMASK 25
#define PPM_PTRACE_GETREGS 26
#define PPM_PTRACE_SETREGS 27
#define PPM_PTRACE_GETFPREGS 28
#define PPM_PTRACE_SETFPREGS 29
#define PPM_PTRACE_GETFPXREGS 30
#define PPM_PTRACE_SETFPXREGS 31
#define PPM_PTRACE_OLDSETOPTIONS 32
#define PPM_PTRACE_GET_THREAD_AREA 33
#define PPM_PTRACE_SET_THREAD_AREA 34
#define PPM_PTRACE_ARCH_PRCTL 35
#define PPM_PTRACE_SYSEMU 36
#define PPM_PTRACE_SYSEMU_SINGLESTEP 37
#define PPM_PTRACE_SINGLEBLOCK 38

/* ptrace_dynamic_param: the types addr and data can take. */
#define PPM_PTRACE_IDX_UINT64 0
#define PPM_PTRACE_IDX_SIGTYPE 1

/* x86_64 values, linux/ptrace.h and asm/ptrace-abi.h. */
#define KCAP_PTRACE_TRACEME 0
#define KCAP_PTRACE_PEEKTEXT 1
#define KCAP_PTRACE_PEEKDATA 2
#define KCAP_PTRACE_PEEKUSR 3
#define KCAP_PTRACE_POKETEXT 4
#define KCAP_PTRACE_POKEDATA 5
#define KCAP_PTRACE_POKEUSR 6
#define KCAP_PTRACE_CONT 7
#define KCAP_PTRACE_KILL 8
#define KCAP_PTRACE_SINGLESTEP 9
#define KCAP_PTRACE_GETREGS 12
#define KCAP_PTRACE_SETREGS 13
#define KCAP_PTRACE_GETFPREGS 14
#define KCAP_PTRACE_SETFPREGS 15
#define KCAP_PTRACE_ATTACH 16
#define KCAP_PTRACE_DETACH 17
#define KCAP_PTRACE_GETFPXREGS 18
#define KCAP_PTRACE_SETFPXREGS 19
#define KCAP_PTRACE_OLDSETOPTIONS 21
#define KCAP_PTRACE_SYSCALL 24
#define KCAP_PTRACE_GET_THREAD_AREA 25
#define KCAP_PTRACE_SET_THREAD_AREA 26
#define KCAP_PTRACE_ARCH_PRCTL 30
#define KCAP_PTRACE_SYSEMU 31
#define KCAP_PTRACE_SYSEMU_SINGLESTEP 32
#define KCAP_PTRACE_SINGLEBLOCK 33
#define KCAP_PTRACE_SETOPTIONS 0x4200
#define KCAP_PTRACE_GETEVENTMSG 0x4201
#define KCAP_PTRACE_GETSIGINFO 0x4202
#define KCAP_PTRACE_SETSIGINFO 0x4203
#define KCAP_PTRACE_GETREGSET 0x4204
#define KCAP_PTRACE_SETREGSET 0x4205
#define KCAP_PTRACE_SEIZE 0x4206
#define KCAP_PTRACE_INTERRUPT 0x4207
#define KCAP_PTRACE_LISTEN 0x4208
#define KCAP_PTRACE_PEEKSIGINFO 0x4209
#define KCAP_PTRACE_GETSIGMASK 0x420a
#define KCAP_PTRACE_SETSIGMASK 0x420b

/* Newer requests (PTRACE_GET_SYSCALL_INFO...) have no schema value: UNKNOWN. */
static __always_inline __u16 kcap_ptrace_request(unsigned long req)
{
	switch (req) {
	case KCAP_PTRACE_TRACEME: return PPM_PTRACE_TRACEME;
	case KCAP_PTRACE_PEEKTEXT: return PPM_PTRACE_PEEKTEXT;
	case KCAP_PTRACE_PEEKDATA: return PPM_PTRACE_PEEKDATA;
	case KCAP_PTRACE_PEEKUSR: return PPM_PTRACE_PEEKUSR;
	case KCAP_PTRACE_POKETEXT: return PPM_PTRACE_POKETEXT;
	case KCAP_PTRACE_POKEDATA: return PPM_PTRACE_POKEDATA;
	case KCAP_PTRACE_POKEUSR: return PPM_PTRACE_POKEUSR;
	case KCAP_PTRACE_CONT: return PPM_PTRACE_CONT;
	case KCAP_PTRACE_KILL: return PPM_PTRACE_KILL;
	case KCAP_PTRACE_SINGLESTEP: return PPM_PTRACE_SINGLESTEP;
	case KCAP_PTRACE_GETREGS: return PPM_PTRACE_GETREGS;
	case KCAP_PTRACE_SETREGS: return PPM_PTRACE_SETREGS;
	case KCAP_PTRACE_GETFPREGS: return PPM_PTRACE_GETFPREGS;
	case KCAP_PTRACE_SETFPREGS: return PPM_PTRACE_SETFPREGS;
	case KCAP_PTRACE_ATTACH: return PPM_PTRACE_ATTACH;
	case KCAP_PTRACE_DETACH: return PPM_PTRACE_DETACH;
	case KCAP_PTRACE_GETFPXREGS: return PPM_PTRACE_GETFPXREGS;
	case KCAP_PTRACE_SETFPXREGS: return PPM_PTRACE_SETFPXREGS;
	case KCAP_PTRACE_OLDSETOPTIONS: return PPM_PTRACE_OLDSETOPTIONS;
	case KCAP_PTRACE_SYSCALL: return PPM_PTRACE_SYSCALL;
	case KCAP_PTRACE_GET_THREAD_AREA: return PPM_PTRACE_GET_THREAD_AREA;
	case KCAP_PTRACE_SET_THREAD_AREA: return PPM_PTRACE_SET_THREAD_AREA;
	case KCAP_PTRACE_ARCH_PRCTL: return PPM_PTRACE_ARCH_PRCTL;
	case KCAP_PTRACE_SYSEMU: return PPM_PTRACE_SYSEMU;
	case KCAP_PTRACE_SYSEMU_SINGLESTEP: return PPM_PTRACE_SYSEMU_SINGLESTEP;
	case KCAP_PTRACE_SINGLEBLOCK: return PPM_PTRACE_SINGLEBLOCK;
	case KCAP_PTRACE_SETOPTIONS: return PPM_PTRACE_SETOPTIONS;
	case KCAP_PTRACE_GETEVENTMSG: return PPM_PTRACE_GETEVENTMSG;
	case KCAP_PTRACE_GETSIGINFO: return PPM_PTRACE_GETSIGINFO;
	case KCAP_PTRACE_SETSIGINFO: return PPM_PTRACE_SETSIGINFO;
	case KCAP_PTRACE_GETREGSET: return PPM_PTRACE_GETREGSET;
	case KCAP_PTRACE_SETREGSET: return PPM_PTRACE_SETREGSET;
	case KCAP_PTRACE_SEIZE: return PPM_PTRACE_SEIZE;
	case KCAP_PTRACE_INTERRUPT: return PPM_PTRACE_INTERRUPT;
	case KCAP_PTRACE_LISTEN: return PPM_PTRACE_LISTEN;
	case KCAP_PTRACE_PEEKSIGINFO: return PPM_PTRACE_PEEKSIGINFO;
	case KCAP_PTRACE_GETSIGMASK: return PPM_PTRACE_GETSIGMASK;
	case KCAP_PTRACE_SETSIGMASK: return PPM_PTRACE_SETSIGMASK;
	default: return PPM_PTRACE_UNKNOWN;
	}
}

/* request, pid: ptrace on enter, and the last two on exit. */
static __always_inline void put_ptrace_target(struct kcap_fctx *f)
{
	kcap_put_u16(f, kcap_ptrace_request(kcap_sc_arg(f, 0)));
	kcap_put_s64(f, kcap_sc_int(f, 1));
}

static __always_inline int fill_ptrace_e(struct kcap_fctx *f)
{
	put_ptrace_target(f);
	return kcap_submit(f);
}

/*
 * data as libs shows it: the word a PEEK request stored at data, the
 * signal of a resuming request, the raw value otherwise.
 */
static __always_inline void put_ptrace_data(struct kcap_fctx *f, __u16 req)
{
	unsigned long data = kcap_sc_arg(f, 3);
	__u64 word;

	switch (req) {
	case PPM_PTRACE_PEEKTEXT:
	case PPM_PTRACE_PEEKDATA:
	case PPM_PTRACE_PEEKUSR:
		kcap_read_user(f, &word, (const void *)data, sizeof(word));
		kcap_put_dyn(f, PPM_PTRACE_IDX_UINT64, word, sizeof(word));
		break;
	case PPM_PTRACE_CONT:
	case PPM_PTRACE_SINGLESTEP:
	case PPM_PTRACE_DETACH:
	case PPM_PTRACE_SYSCALL:
		kcap_put_dyn(f, PPM_PTRACE_IDX_SIGTYPE, (__u8)data, 1);
		break;
	default:
		kcap_put_dyn(f, PPM_PTRACE_IDX_UINT64, data, 8);
	}
}

/* A failed request shows addr and data as 0, as in libs. */
static __always_inline int fill_ptrace_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f);

	kcap_put_s64(f, ret);
	if (ret < 0) {
		kcap_put_dyn(f, PPM_PTRACE_IDX_UINT64, 0, 8);
		kcap_put_dyn(f, PPM_PTRACE_IDX_UINT64, 0, 8);
	} else {
		kcap_put_dyn(f, PPM_PTRACE_IDX_UINT64, kcap_sc_arg(f, 2), 8);
		put_ptrace_data(f, kcap_ptrace_request(kcap_sc_arg(f, 0)));
	}
	put_ptrace_target(f);
	return kcap_submit(f);
}

/* A uid or gid: setuid and setgid on enter. */
static __always_inline int fill_id_arg(struct kcap_fctx *f)
{
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 0));
	return kcap_submit(f);
}

static __always_inline int fill_setuid_e(struct kcap_fctx *f)
{
	return fill_id_arg(f);
}

static __always_inline int fill_setgid_e(struct kcap_fctx *f)
{
	return fill_id_arg(f);
}

static __always_inline int fill_setuid_x(struct kcap_fctx *f)
{
	return fill_res_id(f);
}

static __always_inline int fill_setgid_x(struct kcap_fctx *f)
{
	return fill_res_id(f);
}

#endif /* KCAP_FILLERS_PROC_H */
