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

/*
 * Process creation and execution. The schema's flag values (flags_table.c:
 * the tests look them up there by name), the kernel's, then the conversions.
 */

/* clone_flags */
#define PPM_CL_CLONE_FILES (1 << 0)
#define PPM_CL_CLONE_FS (1 << 1)
#define PPM_CL_CLONE_IO (1 << 2)
#define PPM_CL_CLONE_NEWIPC (1 << 3)
#define PPM_CL_CLONE_NEWNET (1 << 4)
#define PPM_CL_CLONE_NEWNS (1 << 5)
#define PPM_CL_CLONE_NEWPID (1 << 6)
#define PPM_CL_CLONE_NEWUTS (1 << 7)
#define PPM_CL_CLONE_PARENT (1 << 8)
#define PPM_CL_CLONE_PARENT_SETTID (1 << 9)
#define PPM_CL_CLONE_PTRACE (1 << 10)
#define PPM_CL_CLONE_SIGHAND (1 << 11)
#define PPM_CL_CLONE_SYSVSEM (1 << 12)
#define PPM_CL_CLONE_THREAD (1 << 13)
#define PPM_CL_CLONE_UNTRACED (1 << 14)
#define PPM_CL_CLONE_VM (1 << 15)
#define PPM_CL_CLONE_NEWUSER (1 << 20)
#define PPM_CL_CLONE_CHILD_CLEARTID (1 << 23)
#define PPM_CL_CLONE_CHILD_SETTID (1 << 24)
#define PPM_CL_CLONE_SETTLS (1 << 25)
#define PPM_CL_CLONE_VFORK (1 << 27)
#define PPM_CL_CLONE_NEWCGROUP (1 << 28)
#define PPM_CL_CHILD_IN_PIDNS (1 << 29)

/* execve_flags */
#define PPM_EXE_WRITABLE (1 << 0)
#define PPM_EXE_UPPER_LAYER (1 << 1)
#define PPM_EXE_FROM_MEMFD (1 << 2)
#define PPM_EXE_LOWER_LAYER (1 << 3)

/* execveat_flags */
#define PPM_EXVAT_AT_EMPTY_PATH (1 << 0)
#define PPM_EXVAT_AT_SYMLINK_NOFOLLOW (1 << 1)

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
	struct kcap_task_mm mm;

	kcap_put_s64(f, ids->tid);
	kcap_put_s64(f, ids->pid);
	kcap_put_s64(f, ids->ppid);
	kcap_put_path(f, kcap_current_cwd(f));
	kcap_put_u64(f, info->fdlimit);
	kcap_put_u64(f, info->pgft_maj);
	kcap_put_u64(f, info->pgft_min);
	kcap_current_mm(f, &mm);
	kcap_put_u32(f, mm.vm_size);
	kcap_put_u32(f, mm.vm_rss);
	kcap_put_u32(f, mm.vm_swap);
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

	kcap_read_user(f, &flags, sizeof(flags), kcap_sc_arg(f, 0));
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

#endif /* KCAP_FILLERS_PROC_H */
