/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Fillers of processes, threads, signals and credentials (fillers.h includes every family). */
#ifndef KCAP_FILLERS_PROC_H
#define KCAP_FILLERS_PROC_H

#include "fillers_common.h"
#include "walks.h"

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

/* The id a get*id syscall returns: getuid, geteuid, getgid, getegid. */
static __always_inline int fill_getid_x(struct kcap_fctx *f)
{
	kcap_put_u32(f, (__u32)kcap_sc_ret(f));
	return kcap_submit(f);
}

/* Ids, arguments 0 to n - 1. */
static __always_inline void put_id_args(struct kcap_fctx *f, int n)
{
	int i;

	for (i = 0; i < n; i++)
		kcap_put_u32(f, (__u32)kcap_sc_arg(f, i));
}

/* res, then ruid and euid (or the gids): setreuid, setregid. */
static __always_inline int fill_setreid_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_id_args(f, 2);
	return kcap_submit(f);
}

/* The real, effective and saved ids: setresuid and setresgid on enter. */
static __always_inline int fill_setresid_e(struct kcap_fctx *f)
{
	put_id_args(f, 3);
	return kcap_submit(f);
}

static __always_inline int fill_setresid_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_id_args(f, 3);
	return kcap_submit(f);
}

/* res, then the three ids getresuid or getresgid wrote; 0s when it failed. */
static __always_inline int fill_getresid_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f);
	__u32 id;
	int i;

	kcap_put_s64(f, ret);
	for (i = 0; i < 3; i++) {
		id = 0;
		if (ret == 0)
			kcap_read_user(f, &id, (const void *)kcap_sc_arg(f, i), sizeof(id));
		kcap_put_u32(f, id);
	}
	return kcap_submit(f);
}


/* pid and pgid, as given (0: the caller). */
static __always_inline void put_setpgid_args(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_s64(f, kcap_sc_int(f, 1));
}

static __always_inline int fill_setpgid_e(struct kcap_fctx *f)
{
	put_setpgid_args(f);
	return kcap_submit(f);
}

static __always_inline int fill_setpgid_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_setpgid_args(f);
	return kcap_submit(f);
}

/*
 * Process creation and execution. The kernel's flag values, then the
 * conversions to the schema's (ppm_flags.h).
 */

/* A clone flag of libs' own, not in the schema's table: the child lives in a pid namespace. */
#define PPM_CL_CHILD_IN_PIDNS (1 << 29)

#define KCAP_CLONE_VM 0x00000100
#define KCAP_CLONE_FS 0x00000200
#define KCAP_CLONE_FILES 0x00000400
#define KCAP_CLONE_SIGHAND 0x00000800
#define KCAP_CLONE_PTRACE 0x00002000
#define KCAP_CLONE_VFORK 0x00004000
#define KCAP_CLONE_PARENT 0x00008000
#define KCAP_CLONE_THREAD 0x00010000
#define KCAP_CLONE_NEWNS 0x00020000
#define KCAP_CLONE_SYSVSEM 0x00040000
#define KCAP_CLONE_SETTLS 0x00080000
#define KCAP_CLONE_PARENT_SETTID 0x00100000
#define KCAP_CLONE_CHILD_CLEARTID 0x00200000
#define KCAP_CLONE_UNTRACED 0x00800000
#define KCAP_CLONE_CHILD_SETTID 0x01000000
#define KCAP_CLONE_NEWCGROUP 0x02000000
#define KCAP_CLONE_NEWUTS 0x04000000
#define KCAP_CLONE_NEWIPC 0x08000000
#define KCAP_CLONE_NEWUSER 0x10000000
#define KCAP_CLONE_NEWPID 0x20000000
#define KCAP_CLONE_NEWNET 0x40000000
#define KCAP_CLONE_IO 0x80000000
#define KCAP_AT_SYMLINK_NOFOLLOW 0x100
#define KCAP_AT_EMPTY_PATH 0x1000
#define KCAP_CAP_LAST_CAP 40		/* CAP_CHECKPOINT_RESTORE: the last one in the schema */

#define KCAP_PROC_ARGS_MAX 4096		/* exe and args together, as libs */
#define KCAP_PROC_STRV_MAX 4096		/* no count limit of ours: the backend's */

/* clone_flags_to_scap(): the 32 low bits only, as libs (clone3's high flags are dropped). */
static __always_inline __u32 kcap_clone_flags(__u32 flags)
{
	__u32 res = 0;

	if (flags & KCAP_CLONE_FILES)
		res |= PPM_CL_CLONE_FILES;
	if (flags & KCAP_CLONE_FS)
		res |= PPM_CL_CLONE_FS;
	if (flags & KCAP_CLONE_IO)
		res |= PPM_CL_CLONE_IO;
	if (flags & KCAP_CLONE_NEWIPC)
		res |= PPM_CL_CLONE_NEWIPC;
	if (flags & KCAP_CLONE_NEWNET)
		res |= PPM_CL_CLONE_NEWNET;
	if (flags & KCAP_CLONE_NEWNS)
		res |= PPM_CL_CLONE_NEWNS;
	if (flags & KCAP_CLONE_NEWPID)
		res |= PPM_CL_CLONE_NEWPID;
	if (flags & KCAP_CLONE_NEWUTS)
		res |= PPM_CL_CLONE_NEWUTS;
	if (flags & KCAP_CLONE_PARENT)
		res |= PPM_CL_CLONE_PARENT;
	if (flags & KCAP_CLONE_PARENT_SETTID)
		res |= PPM_CL_CLONE_PARENT_SETTID;
	if (flags & KCAP_CLONE_PTRACE)
		res |= PPM_CL_CLONE_PTRACE;
	if (flags & KCAP_CLONE_SIGHAND)
		res |= PPM_CL_CLONE_SIGHAND;
	if (flags & KCAP_CLONE_SYSVSEM)
		res |= PPM_CL_CLONE_SYSVSEM;
	if (flags & KCAP_CLONE_THREAD)
		res |= PPM_CL_CLONE_THREAD;
	if (flags & KCAP_CLONE_UNTRACED)
		res |= PPM_CL_CLONE_UNTRACED;
	if (flags & KCAP_CLONE_VM)
		res |= PPM_CL_CLONE_VM;
	if (flags & KCAP_CLONE_NEWUSER)
		res |= PPM_CL_CLONE_NEWUSER;
	if (flags & KCAP_CLONE_CHILD_CLEARTID)
		res |= PPM_CL_CLONE_CHILD_CLEARTID;
	if (flags & KCAP_CLONE_CHILD_SETTID)
		res |= PPM_CL_CLONE_CHILD_SETTID;
	if (flags & KCAP_CLONE_SETTLS)
		res |= PPM_CL_CLONE_SETTLS;
	if (flags & KCAP_CLONE_VFORK)
		res |= PPM_CL_CLONE_VFORK;
	if (flags & KCAP_CLONE_NEWCGROUP)
		res |= PPM_CL_CLONE_NEWCGROUP;
	return res;
}

static __always_inline __u32 kcap_execveat_flags(__u32 flags)
{
	return (flags & KCAP_AT_EMPTY_PATH ? PPM_EXVAT_AT_EMPTY_PATH : 0) |
	       (flags & KCAP_AT_SYMLINK_NOFOLLOW ? PPM_EXVAT_AT_SYMLINK_NOFOLLOW : 0);
}

/* capabilities_to_scap(): the schema keeps the kernel's bit numbers up to its last one. */
static __always_inline __u64 kcap_caps(__u64 caps)
{
	return caps & ((2ull << KCAP_CAP_LAST_CAP) - 1);
}

static __always_inline __u32 exe_flags(const struct kcap_exe_info *exe)
{
	__u32 flags = 0;

	if (exe->writable)
		flags |= PPM_EXE_WRITABLE;
	if (exe->overlay == KCAP_OVERLAY_UPPER)
		flags |= PPM_EXE_UPPER_LAYER;
	else if (exe->overlay == KCAP_OVERLAY_LOWER)
		flags |= PPM_EXE_LOWER_LAYER;
	if (exe->memfd)
		flags |= PPM_EXE_FROM_MEMFD;
	return flags;
}

/* exe and args: the first string of the process's argument area, then the others. */
static __always_inline void put_exe_args(struct kcap_fctx *f, const struct kcap_task_args *a)
{
	unsigned long len = a->arg_end > a->arg_start ? a->arg_end - a->arg_start : 0;
	__u32 exe;

	kcap_put_user_str(f, (const char *)a->arg_start);
	exe = kcap_last_len(f);
	len = len > exe ? len - exe : 0;
	if (exe > KCAP_PROC_ARGS_MAX)
		exe = KCAP_PROC_ARGS_MAX;
	if (len > KCAP_PROC_ARGS_MAX - exe)
		len = KCAP_PROC_ARGS_MAX - exe;
	kcap_put_user_strs(f, a->arg_start + exe, len);
}

/* tid up to cgroups: the parameters every process event shares after exe and args. */
static __always_inline void put_proc_common(struct kcap_fctx *f, const struct kcap_task_ids *ids,
					    const struct kcap_task_info *info)
{
	kcap_put_s64(f, ids->tid);
	kcap_put_s64(f, ids->pid);
	kcap_put_s64(f, ids->ppid);
	kcap_put_path(f, kcap_current_cwd(f));
	kcap_put_u64(f, info->fdlimit);
	kcap_put_u64(f, info->pgft_maj);
	kcap_put_u64(f, info->pgft_min);
	put_task_mm(f);
	kcap_put_comm(f);
	kcap_put_cgroups(f);
}

/*
 * clone, clone3, fork and vfork: both the parent (res: the child's tid) and
 * the child (res 0) return through here. A failed call has no exe and args.
 */
static __always_inline int fill_clone_common_x(struct kcap_fctx *f, __u32 kflags)
{
	long res = kcap_sc_ret(f);
	struct kcap_task_ids ids;
	struct kcap_task_info info;
	struct kcap_task_args args;
	__u32 flags = kcap_clone_flags(kflags);

	kcap_current_ids(f, &ids);
	kcap_current_info(f, &info);
	kcap_put_s64(f, res);
	if (res >= 0) {
		kcap_current_args(f, &args);
		put_exe_args(f, &args);
	} else {
		kcap_put_empty(f);
		kcap_put_empty(f);
	}
	put_proc_common(f, &ids, &info);
	if (info.in_child_pidns || info.pidns_for_children)
		flags |= PPM_CL_CHILD_IN_PIDNS;
	kcap_put_u32(f, flags);
	kcap_put_u32(f, info.euid);
	kcap_put_u32(f, info.egid);
	kcap_put_s64(f, ids.vtid);
	kcap_put_s64(f, ids.vpid);
	kcap_put_u64(f, res == 0 ? info.pidns_init_start : 0);
	return kcap_submit(f);
}

static __always_inline int fill_clone_x(struct kcap_fctx *f)
{
	return fill_clone_common_x(f, (__u32)kcap_sc_arg(f, 0));
}

/* clone3 flags are the first member of the user's struct clone_args. */
static __always_inline int fill_clone3_x(struct kcap_fctx *f)
{
	__u64 flags = 0;

	kcap_read_user(f, &flags, (const void *)kcap_sc_arg(f, 0), sizeof(flags));
	return fill_clone_common_x(f, (__u32)flags);
}

static __always_inline int fill_fork_x(struct kcap_fctx *f)
{
	return fill_clone_common_x(f, 0);
}

static __always_inline int fill_vfork_x(struct kcap_fctx *f)
{
	return fill_clone_common_x(f, 0);
}

static __always_inline int fill_execve_e(struct kcap_fctx *f)
{
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 0));
	return kcap_submit(f);
}

static __always_inline int fill_execveat_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 1));
	kcap_put_u32(f, kcap_execveat_flags((__u32)kcap_sc_arg(f, 4)));
	return kcap_submit(f);
}

/*
 * execve and execveat. A successful call returns in the new image: exe,
 * args and env come from its argument and environment areas. A failed one
 * still runs the old image: they come from the syscall's argv and envp.
 */
static __always_inline void put_exec_params(struct kcap_fctx *f, int argv, int envp)
{
	long res = kcap_sc_ret(f);
	struct kcap_task_ids ids;
	struct kcap_task_info info;
	struct kcap_task_args args;
	struct kcap_exe_info exe;
	bool ok = res == 0;

	kcap_current_ids(f, &ids);
	kcap_current_info(f, &info);
	kcap_current_args(f, &args);
	kcap_put_s64(f, res);
	if (ok) {
		put_exe_args(f, &args);
	} else {
		kcap_put_user_strv(f, kcap_sc_arg(f, argv), 0, 1);
		kcap_put_user_strv(f, kcap_sc_arg(f, argv), 1, KCAP_PROC_STRV_MAX);
	}
	put_proc_common(f, &ids, &info);
	if (ok)
		kcap_put_user_strs(f, args.env_start, args.env_end > args.env_start ?
				   args.env_end - args.env_start : 0);
	else
		kcap_put_user_strv(f, kcap_sc_arg(f, envp), 0, KCAP_PROC_STRV_MAX);
	kcap_put_u32(f, info.tty);
	kcap_put_s64(f, ids.vpgid);
	kcap_put_u32(f, info.loginuid);
	kcap_current_exe(f, &exe);
	kcap_put_u32(f, exe_flags(&exe));
	kcap_put_u64(f, kcap_caps(info.cap_inheritable));
	kcap_put_u64(f, kcap_caps(info.cap_permitted));
	kcap_put_u64(f, kcap_caps(info.cap_effective));
	kcap_put_u64(f, exe.ino);
	kcap_put_u64(f, exe.ctime);
	kcap_put_u64(f, exe.mtime);
	kcap_put_u32(f, info.euid);
	kcap_put_path(f, kcap_current_exe_path(f));
	kcap_put_s64(f, ids.pgid);
	kcap_put_u32(f, info.egid);
}

/*
 * filename: as the caller gave it; after a success, the copy exec left at
 * env_end. x86_64 reports a successful execveat's return as execve's: this
 * filler builds that event too (its filename is then "/dev/fd/N" for an fd).
 */
static __always_inline int fill_execve_x(struct kcap_fctx *f)
{
	struct kcap_task_args args;
	unsigned long filename = kcap_sc_arg(f, 0);

	put_exec_params(f, 1, 2);
	kcap_current_args(f, &args);
	kcap_put_user_str(f, (const char *)(kcap_sc_ret(f) == 0 ? args.env_end : filename));
	return kcap_submit(f);
}

static __always_inline int fill_execveat_x(struct kcap_fctx *f)
{
	put_exec_params(f, 2, 3);
	return kcap_submit(f);
}

/* The namespaces to unshare, as clone flags. */
static __always_inline int fill_unshare_e(struct kcap_fctx *f)
{
	kcap_put_u32(f, kcap_clone_flags((__u32)kcap_sc_arg(f, 0)));
	return kcap_submit(f);
}

static __always_inline int fill_unshare_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_unshare_e(f);
}

/* fd, nstype (clone flags; 0: any type): setns. */
static __always_inline int fill_setns_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, kcap_clone_flags((__u32)kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

static __always_inline int fill_setns_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_setns_e(f);
}

/* nanosleep's interval, in ns (an old_timespec32 from ia32 callers); 0 when unreadable. */
static __always_inline __u64 nanosleep_interval(struct kcap_fctx *f)
{
	return kcap_user_timespec_ns(f, kcap_sc_arg(f, 0), kcap_sc_compat(f));
}

static __always_inline int fill_nanosleep_e(struct kcap_fctx *f)
{
	kcap_put_u64(f, nanosleep_interval(f));
	return kcap_submit(f);
}

static __always_inline int fill_nanosleep_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_nanosleep_e(f);
}

/* addr, op, val: futex. */
static __always_inline int fill_futex_e(struct kcap_fctx *f)
{
	kcap_put_u64(f, kcap_sc_arg(f, 0));
	kcap_put_u16(f, kcap_futex_op((__u32)kcap_sc_arg(f, 1)));
	kcap_put_u64(f, kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

static __always_inline int fill_futex_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_futex_e(f);
}

/* op, flags: seccomp. */
static __always_inline int fill_seccomp_e(struct kcap_fctx *f)
{
	kcap_put_u64(f, kcap_sc_arg(f, 0));
	kcap_put_u64(f, kcap_sc_arg(f, 1));
	return kcap_submit(f);
}

static __always_inline int fill_seccomp_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_seccomp_e(f);
}

/* The struct rlimit at argument n: cur, then max; -1 for both unless ok and readable. */
static __always_inline void put_rlimit(struct kcap_fctx *f, int n, bool ok)
{
	struct {
		__s64 cur, max;
	} rl = { -1, -1 };

	if (!ok || !kcap_sc_arg(f, n) ||
	    kcap_read_user(f, &rl, (const void *)kcap_sc_arg(f, n), sizeof(rl)) < 0)
		rl.cur = rl.max = -1;
	kcap_put_s64(f, rl.cur);
	kcap_put_s64(f, rl.max);
}

/* The resource: getrlimit and setrlimit on enter. */
static __always_inline int fill_rlimit_e(struct kcap_fctx *f)
{
	kcap_put_u8(f, kcap_rlimit_resource((__u32)kcap_sc_arg(f, 0)));
	return kcap_submit(f);
}

/* res, cur, max (what getrlimit read, what setrlimit set), resource. */
static __always_inline int fill_rlimit_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f);

	kcap_put_s64(f, ret);
	put_rlimit(f, 1, ret >= 0);
	kcap_put_u8(f, kcap_rlimit_resource((__u32)kcap_sc_arg(f, 0)));
	return kcap_submit(f);
}

/* pid, resource: prlimit64 on enter. */
static __always_inline int fill_prlimit_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u8(f, kcap_rlimit_resource((__u32)kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

/* res, the new limits, the old ones, pid, resource. */
static __always_inline int fill_prlimit_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f);

	kcap_put_s64(f, ret);
	put_rlimit(f, 2, ret >= 0);
	put_rlimit(f, 3, ret >= 0);
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u8(f, kcap_rlimit_resource((__u32)kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

/* key, nsems, semflg: semget. */
static __always_inline int fill_semget_e(struct kcap_fctx *f)
{
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 1));
	kcap_put_u32(f, kcap_semget_flags((__u32)kcap_sc_arg(f, 2)));
	return kcap_submit(f);
}

static __always_inline int fill_semget_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_semget_e(f);
}

/* res, the module's name, flags: delete_module. */
static __always_inline int fill_delete_module_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 0));
	kcap_put_u32(f, kcap_delete_module_flags((__u32)kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

/* res and the capabilities the thread has after it: capset. */
static __always_inline int fill_capset_x(struct kcap_fctx *f)
{
	struct kcap_task_info info;

	kcap_current_info(f, &info);
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u64(f, kcap_caps(info.cap_inheritable));
	kcap_put_u64(f, kcap_caps(info.cap_permitted));
	kcap_put_u64(f, kcap_caps(info.cap_effective));
	return kcap_submit(f);
}

/* semid: semop's enter. */
static __always_inline int fill_semop_e(struct kcap_fctx *f)
{
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 0));
	return kcap_submit(f);
}

struct kcap_sembuf {
	__u16 sem_num;
	__s16 sem_op;
	__s16 sem_flg;
};

/* One of the first two operations, zeros past nsops. */
static __always_inline void put_sembuf(struct kcap_fctx *f, unsigned long sops, __u32 nsops,
				       __u32 i)
{
	struct kcap_sembuf op = { 0 };

	if (i < nsops)
		kcap_read_user(f, &op, (const void *)(sops + i * sizeof(op)), sizeof(op));
	kcap_put_u16(f, op.sem_num);
	kcap_put_u16(f, (__u16)op.sem_op);
	kcap_put_u16(f, kcap_semop_flags((__u16)op.sem_flg));
}

/* res, nsops, the first two operations (the schema's room), semid. */
static __always_inline int fill_semop_x(struct kcap_fctx *f)
{
	unsigned long sops = kcap_sc_arg(f, 1);
	__u32 nsops = (__u32)kcap_sc_arg(f, 2);

	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u32(f, nsops);
	put_sembuf(f, sops, nsops, 0);
	put_sembuf(f, sops, nsops, 1);
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 0));
	return kcap_submit(f);
}

/* semid, semnum, cmd, val (SETVAL's value, else 0). */
static __always_inline int fill_semctl_e(struct kcap_fctx *f)
{
	__u16 cmd = kcap_semctl_cmd((__u32)kcap_sc_arg(f, 2));

	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 1));
	kcap_put_u16(f, cmd);
	kcap_put_u32(f, cmd == PPM_SETVAL ? (__u32)kcap_sc_arg(f, 3) : 0);
	return kcap_submit(f);
}

static __always_inline int fill_semctl_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_semctl_e(f);
}

/* res, the image (to the snaplen), its length, the parameters. */
static __always_inline int fill_init_module_x(struct kcap_fctx *f)
{
	unsigned long len = kcap_sc_arg(f, 1);

	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_user_buf(f, (const void *)kcap_sc_arg(f, 0), len > 0xffffffff ? 0xffffffff : len);
	kcap_put_u64(f, len);
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

/* res, fd, the parameters, flags. */
static __always_inline int fill_finit_module_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 1));
	kcap_put_u32(f, kcap_finit_module_flags((__u32)kcap_sc_arg(f, 2)));
	return kcap_submit(f);
}

/* x86_64 values, include/uapi/linux/keyctl.h: the schema's too. */
#define KCAP_KEYCTL_JOIN_SESSION_KEYRING 1
#define KCAP_KEYCTL_SEARCH 10
#define KCAP_KEYCTL_RESTRICT_KEYRING 29

/* keyctl_dynamic_param: the types an argument takes. */
#define KCAP_KEYCTL_IDX_INT64 0
#define KCAP_KEYCTL_IDX_CHARBUF 1

/* Whether argument n (2..5) of the operation is a string: a keyring's name, a key's type or description. */
static __always_inline int keyctl_arg_is_str(__u32 op, int n)
{
	if (op == KCAP_KEYCTL_JOIN_SESSION_KEYRING)
		return n == 2;
	if (op == KCAP_KEYCTL_SEARCH || op == KCAP_KEYCTL_RESTRICT_KEYRING)
		return n == 3 || n == 4;
	return 0;
}

/* res, operation, arg2..arg5: strings where the operation takes one, else 64-bit integers. */
static __always_inline int fill_keyctl_x(struct kcap_fctx *f)
{
	__u32 op = (__u32)kcap_sc_arg(f, 0);
	int n;

	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u32(f, op);
	KCAP_UNROLL
	for (n = 2; n <= 5; n++) {
		if (keyctl_arg_is_str(op, n) && kcap_sc_arg(f, n - 1))
			kcap_put_dyn_user(f, KCAP_KEYCTL_IDX_CHARBUF, kcap_sc_arg(f, n - 1), 0, 1);
		else
			kcap_put_dyn(f, KCAP_KEYCTL_IDX_INT64, kcap_sc_arg(f, n - 1), 8);
	}
	return kcap_submit(f);
}

/* res, pid, the local data moved (as much as res says): process_vm_readv and _writev. */
static __always_inline int fill_process_vm_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f);

	kcap_put_s64(f, ret);
	kcap_put_s64(f, kcap_sc_int(f, 0));
	if (ret > 0)
		put_iov_data(f, kcap_sc_arg(f, 1), kcap_sc_arg(f, 2), (unsigned long)ret, NULL);
	else
		kcap_put_empty(f);
	return kcap_submit(f);
}

#endif /* KCAP_FILLERS_PROC_H */
