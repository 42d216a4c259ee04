/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The contract between the shared fillers (fillers.h) and a backend. A
 * filler is written once against these calls; the BPF probe
 * (bpf/filler_bpf.h) and the kernel module each implement them. A backend
 * includes its implementation first, then fillers.h.
 *
 * Syscall context:
 *   unsigned long kcap_sc_arg(struct kcap_fctx *f, int n)  argument n (0..5)
 *   long kcap_sc_ret(struct kcap_fctx *f)                   return value
 *   __u16 kcap_sc_nr(struct kcap_fctx *f), kcap_ppm_sc(f)   syscall ids
 *
 *   kcap_sc_compat(f)                     1 in an ia32 syscall: user structs have
 *                                         the 32-bit layout (msghdr, iovec)
 *   kcap_sc_ia32_nr(f)                    an ia32 syscall's own number (kcap_sc_nr
 *                                         is the x86_64 one it maps to); else -1
 *   kcap_read_user(f, dst, usrc, len)     len (<= KCAP_READ_USER_MAX) bytes of user
 *                                         memory into dst (a struct, a value the
 *                                         syscall wrote); 0, or -1 with dst zeroed
 *                                         and a non-NULL usrc counted as a failure
 *
 * Parameters, stored in table order; each call stores the next one:
 *   kcap_put_u8/u16/u32/u64/s64(f, v)     fixed-size values
 *   kcap_put_empty(f)                     a zero-length ("not available") value
 *   kcap_put_user_str(f, uptr)            NUL-terminated string from user memory
 *                                         (cut to the backend's limit, NUL kept;
 *                                         a failed read is counted and stored empty)
 *   kcap_put_user_buf(f, uptr, len)       len bytes of user memory, cut at snaplen
 *
 * Hook context (hook_table.h):
 *   kcap_hook_arg(f, n)                   argument n of the tracepoint (or probed
 *                                         function) the hook runs on
 *   kcap_hook_ret(f)                      a kretprobe's or uretprobe's return value
 *
 * Kernel state:
 *   kcap_fd_file(f, fd, &info)            dev, ino and mode of an open fd; 0 or -1
 *   kcap_exit_code(f, task)               exit code of an exiting task (procexit)
 *   kcap_reaper_tid(f, task)              who adopts its children, 0 when none: a live
 *                                         thread of its group, else the nearest child
 *                                         subreaper above it in its pid namespace
 *                                         (PR_SET_CHILD_SUBREAPER), else the
 *                                         namespace's init, as find_new_reaper()
 *   kcap_current_mm(f, &mm)               memory counters of the current task
 *   kcap_current_faults(f, &maj, &min)    page faults of the current thread
 *   kcap_task_tid(f, task), kcap_task_tgid(f, task)
 *                                         a task's ids (another task than current)
 *   kcap_regs_ip(f, regs)                 the instruction pointer of saved registers
 *   kcap_siginfo(f, info, &code, &pid)    si_code and si_pid of a kernel siginfo;
 *                                         0, or -1 when there is none
 *   kcap_sk_sock(f, sk, &sock)            a struct sock as plain values (struct
 *                                         kcap_sock), as kcap_fd_sock gives them
 *   kcap_vmf_address(f, vmf)              the faulting address of a struct vm_fault
 *   kcap_event_no_thread(f)               the event begun belongs to no thread
 *                                         (header tid -1)
 *   kcap_entry_save(f, key, v)            a kprobe or uprobe stashes v for its
 *                                         return probe, keyed by the current thread
 *                                         and key (a hook id); a full stash
 *                                         overwrites an older entry
 *   kcap_entry_take(f, key, &v, &ns)      the return probe takes it back with the
 *                                         ns since the save; 0, or -1 when none
 *   kcap_entry_save_text(f, key, u, len)  an entry probe also stashes len bytes of
 *                                         user memory (cut at the snaplen and
 *                                         KCAP_ENTRY_TEXT_MAX): text its return
 *                                         probe needs that is gone by then
 *   kcap_put_entry_text(f, key)           the return probe stores that text as a
 *                                         buffer (empty when none) and frees it
 *
 * Dispatch (dispatch.h, scope.h): KCAP_SETTING(field), KCAP_COUNT(field),
 * kcap_current_id(), kcap_traced_has(tgid),
 * kcap_traced_add(tgid), kcap_nest_enter(f), kcap_nest_leave(f),
 * kcap_begin_event(f, type, nparams, tid); the current task read once into a
 * handle, struct kcap_cur, by kcap_current(cur), and the scope's reads
 * through it: kcap_cur_id(cur), kcap_cur_uid_gid(cur), kcap_cur_comm(cur, comm),
 * kcap_cur_cgroup_at(cur, level), kcap_cur_mntns(cur), kcap_cur_pidns(cur).
 *
 *   kcap_submit(f)                        the event is complete: hand it to the ring
 *
 * A syscall that moves several items (sendmmsg's messages) gives one event
 * each, as libs does: its filler runs once per item.
 *   kcap_item(f)                          which item this run is for, 0 first
 *   kcap_begin_item(f)                    at an item after the first: begins its event,
 *                                         of the type, thread and parameter count of
 *                                         the first; 0, or -1 (a full ring: counted)
 *   return KCAP_FILL_AGAIN                after kcap_submit: run the filler again for
 *                                         the next item; the backend runs it for
 *                                         KCAP_ITEMS_MAX items at most
 *
 * Calls added for one family of fillers (fillers_<family>.h):
 * io:
 *   kcap_append_user_buf(f, uptr, len, max)
 *                                         len more bytes of user memory at the end of
 *                                         the bytes parameter just stored, cut so that
 *                                         it stays within max bytes and the snaplen;
 *                                         returns the bytes added (0 on a failed read,
 *                                         counted)
 *   KCAP_UNROLL                           optional: placed before the fixed-count
 *                                         loops of fillers (a backend that needs them
 *                                         unrolled defines it)
 *   KCAP_KEEP_BOUND(v)                    optional: after a length is clamped, keeps the
 *                                         clamp where clang would drop it (a backend
 *                                         whose verifier needs it defines it)
 * end of io
 * path:
 * end of path
 * net:
 *   kcap_read_user_str(f, dst, usrc, size) a user string into dst, at most size - 1
 *                                         bytes and a NUL; its size with the NUL,
 *                                         or 0 when unreadable
 *   kcap_put_bytes(f, buf, len)           a parameter the filler built (len <=
 *                                         KCAP_PUT_BYTES_MAX)
 *   kcap_fd_sock(f, fd, &sock)            the socket behind an fd; 0, or -1 when
 *                                         fd is not a socket
 *   kcap_unix_path(f, sk, buf)            path of the unix socket sk (from
 *                                         kcap_fd_sock) into buf[KCAP_UNIX_PATH_MAX],
 *                                         NUL-terminated, abstract names without
 *                                         their leading NUL; its size with the NUL
 * end of net
 * proc:
 *   kcap_current_ids(f, &ids)             ids of the current task, global and in its pid namespace
 *   kcap_current_info(f, &info)           limits, page faults, tty, credentials, pid namespace
 *   kcap_current_args(f, &args)           user addresses of its argument and environment areas
 *   kcap_current_exe(f, &exe)             its executable's inode and flags; 0 or -1 when none
 *   kcap_current_cwd(f), kcap_current_exe_path(f)
 *                                         its working directory and executable as struct path
 *                                         pointers (opaque to fillers); NULL when none
 *   kcap_fd_path(f, fd)                   the struct path of an open fd of the current
 *                                         task (opaque, for kcap_put_path); NULL when none
 *   kcap_put_comm(f)                      the current task's comm
 *   kcap_put_user_strs(f, uptr, len)      len bytes of NUL-separated user strings (argument and
 *                                         environment areas), cut at the backend's limit, the
 *                                         last byte always a NUL
 *   kcap_put_user_strv(f, uarr, first, max)
 *                                         the strings of a NULL-terminated user array of string
 *                                         pointers (argv, envp) from index first, at most max,
 *                                         each with its NUL, one after the other
 *   kcap_last_len(f)                      length of the parameter stored last
 *
 *   The path and cgroup walks (walks.h) are shared; a backend gives them:
 *   kcap_walk_start(f, path, &w)          the walk's start (path) and end (the task's
 *                                         root) into w, and the backend's guards taken;
 *                                         0, or -1 when the parameter cannot be stored
 *   kcap_walk_retry(f, &w)                true when a rename raced the walk: walk again
 *   kcap_walk_end(f, &w)                  the guards released
 *   kcap_mount_root(mnt), kcap_mount_parent(mnt), kcap_mount_point(mnt)
 *                                         a struct mount's root dentry, parent mount
 *                                         and the dentry it is mounted on
 *   kcap_dentry_parent(d), kcap_dentry_name(d, &name, &len)
 *   kcap_cgroups_begin(f), kcap_cgroups_end(f)
 *                                         around reads of the task's cgroups; begin
 *                                         returns -1 when the parameter cannot be stored
 *   kcap_cgroup_css(f, which)             the task's css of subsystem KCAP_CG_*, NULL
 *                                         when the kernel has no such subsystem
 *   kcap_css_name(css), kcap_css_kn(css)  its subsystem's name, its cgroup's kernfs node
 *   kcap_kn_parent(kn), kcap_kn_name(kn)  a kernfs node's parent (NULL at the root), name
 *
 *   A parameter built in pieces (its length kept by the backend):
 *   kcap_piece_begin(f), kcap_piece_end(f) start it empty; store it
 *   kcap_piece_kstr(f, kstr, max)         appends a kernel string and its NUL, at most
 *                                         max bytes; returns that size, appending only
 *                                         when it is above 1 (not empty)
 *   kcap_piece_set_last(f, c)             replaces its last byte
 *   A path builder, filled backwards (at most KCAP_PATH_MAX bytes):
 *   kcap_pbuf_begin(f)                    empty
 *   kcap_pbuf_prepend(f, name, len)       "/" and len bytes of name before it; false when
 *                                         it does not fit (the walk stops there)
 *   kcap_pbuf_prepend_kstr(f, kstr)       the same with a kernel string (at most
 *                                         KCAP_NAME_MAX with its NUL); false also when
 *                                         it is empty or unreadable
 *   kcap_pbuf_append(f)                   appends the path ("/" when empty) and its NUL
 *                                         to the parameter being built
 * end of proc
 * mem:
 *   kcap_put_dyn(f, idx, v, size)         a PT_DYN value: idx, the type's index in
 *                                         the event's dynamic table, then the low
 *                                         size bytes (1, 2, 4 or 8) of v
 * end of mem
 */
#ifndef KCAP_FILLER_API_H
#define KCAP_FILLER_API_H

#include "ppm_flags.h"	/* what fillers store: the schema's flag values */

/* A filler's return after its item's event: run it again for the next item. */
#define KCAP_FILL_AGAIN 1

struct kcap_file_info {
	__u32 dev;	/* "new" encoding: (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12) */
	__u64 ino;
	__u32 fmode;
};

/* Memory of the current process in KiB, as VmSize, VmRSS, VmSwap in /proc. */
struct kcap_task_mm {
	__u32 vm_size;
	__u32 vm_rss;
	__u32 vm_swap;
};

/* Kernel-internal dev_t (major << 20 | minor) to the userspace encoding. */
static __always_inline __u32 kcap_encode_dev(__u32 kdev)
{
	__u32 major = kdev >> 20, minor = kdev & ((1u << 20) - 1);

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/* io */
/* end of io */

/* path */
/* end of path */

/* net */
#define KCAP_READ_USER_MAX 256
#define KCAP_PUT_BYTES_MAX 128
#define KCAP_IOV_MAX 32			/* iovec entries read, as libs */
#define KCAP_UNIX_PATH_MAX 109		/* sun_path and a NUL */
#define KCAP_AF_UNIX 1
#define KCAP_AF_INET 2
#define KCAP_AF_INET6 10

/* A kernel socket as plain values. */
struct kcap_sock {
	__u16 family;		/* AF_* */
	__u16 protocol;		/* IPPROTO_* */
	__u8 state;		/* TCP_* for TCP */
	bool owned;		/* locked by a process (lock_sock), not by a softirq */
	__u16 lport;		/* inet, inet6: local and remote port, host order */
	__u16 rport;
	__u8 laddr[16];		/* network order; IPv4 in the first 4 bytes */
	__u8 raddr[16];
	__u64 sk;		/* address of the struct sock: an opaque id */
	__u64 peer;		/* unix: the peer's struct sock, 0 when none */
	__u32 ack_backlog;	/* listening sockets: connections waiting, */
	__u32 max_ack_backlog;	/* and how many may wait */
};
/* end of net */

/* proc */
/*
 * The limits and approximations both backends' walks keep to, so that both
 * drivers give the same bytes (the BPF/module cross-check compares them).
 */
#define KCAP_ARGS_MAX 4096		/* argument and environment areas, as libs */
#define KCAP_STRV_MAX 64		/* strings read from a user array of pointers */
#define KCAP_PATH_DEPTH 48		/* directories walked up from a dentry */
#define KCAP_CGROUP_DEPTH 16		/* cgroups walked up from a task's cgroup */
#define KCAP_NAME_MAX 256		/* a cgroup's or subsystem's name, its NUL included */
#define KCAP_NGROUPS_SEARCH 16		/* binary search steps: NGROUPS_MAX is 65536 */
#define KCAP_REAPER_WALK 16		/* ancestors looked at for a child subreaper */
#define KCAP_I_CTIME_QUERIED (1u << 31)	/* a flag the kernel keeps in i_ctime's nanoseconds */

/* Ids of the current task: global (initial pid namespace) and v*: in its own pid namespace. */
struct kcap_task_ids {
	__s64 tid;		/* thread id */
	__s64 pid;		/* thread group id */
	__s64 ppid;		/* the parent process, as getppid() */
	__s64 pgid;		/* process group */
	__s64 vtid, vpid, vpgid;
};

struct kcap_task_info {
	__u64 fdlimit;			/* RLIMIT_NOFILE soft limit */
	__u64 pgft_maj, pgft_min;	/* page faults of this thread */
	__u64 pidns_init_start;		/* CLOCK_MONOTONIC start of its pid namespace's init */
	__u64 cap_inheritable, cap_permitted, cap_effective;	/* kernel capability bits */
	__u32 tty;			/* controlling tty as tty_nr in /proc/pid/stat; 0: none */
	__u32 loginuid;			/* audit login uid; (__u32)-1: unset */
	__u32 euid, egid;
	__u8 in_child_pidns;		/* lives in another pid namespace than the initial one */
	__u8 pidns_for_children;	/* its children will go to another pid namespace */
};

/* User addresses of the argument and environment strings of the current process. */
struct kcap_task_args {
	unsigned long arg_start, arg_end;
	unsigned long env_start, env_end;	/* exec puts the executed file name at env_end */
};

enum kcap_overlay { KCAP_OVERLAY_NONE, KCAP_OVERLAY_UPPER, KCAP_OVERLAY_LOWER };

struct kcap_exe_info {
	__u64 ino;
	__u64 ctime, mtime;	/* ns since the epoch */
	__u8 writable;		/* the task may write it (permission, owner or capability) */
	__u8 overlay;		/* enum kcap_overlay: on overlayfs, the layer it comes from */
	__u8 memfd;		/* a memfd_create() file */
};

struct path;

/* Where a path walk starts and where it ends, opaque kernel pointers; seq: the backend's. */
struct kcap_walk {
	void *dentry, *mnt;		/* mnt: a struct mount */
	void *root_dentry, *root_mnt;
	int seq;
};

/* The cgroup subsystems libs reports, in its order. */
enum kcap_cgroup_subsys {
	KCAP_CG_CPUSET,
	KCAP_CG_CPU,
	KCAP_CG_CPUACCT,
	KCAP_CG_IO,
	KCAP_CG_MEMORY,
};
/* end of proc */

/* mem */
/* end of mem */

/*
 * The API as prototypes. A backend defines KCAP_API (its storage class:
 * static inline) before it includes this file, then its definitions, which
 * the compiler holds to these: a backend cannot drift from the contract.
 * Macros of the API: KCAP_SETTING, KCAP_COUNT, KCAP_UNROLL; the scope set's
 * kcap_traced_has and kcap_traced_add are the backend's own (scope.h).
 */
#ifdef KCAP_API
struct kcap_fctx;
struct task_struct;
struct pt_regs;
struct kernel_siginfo;
struct sock;

/* syscall context */
KCAP_API unsigned long kcap_sc_arg(struct kcap_fctx *f, int n);
KCAP_API long kcap_sc_ret(struct kcap_fctx *f);
KCAP_API __u16 kcap_sc_nr(struct kcap_fctx *f);
KCAP_API __u16 kcap_ppm_sc(struct kcap_fctx *f);
/* hook context */
KCAP_API unsigned long kcap_hook_arg(struct kcap_fctx *f, int n);
KCAP_API unsigned long kcap_hook_ret(struct kcap_fctx *f);
/* dispatch */
KCAP_API __u64 kcap_current_id(void);
/* scope (scope.h) */
struct kcap_cur;
KCAP_API void kcap_current(struct kcap_cur *cur);
KCAP_API __u64 kcap_cur_id(const struct kcap_cur *cur);
KCAP_API __u64 kcap_cur_uid_gid(const struct kcap_cur *cur);
KCAP_API void kcap_cur_comm(const struct kcap_cur *cur, __u64 comm[2]);
KCAP_API __u64 kcap_cur_cgroup_at(const struct kcap_cur *cur, __u32 level);
KCAP_API __u32 kcap_cur_mntns(const struct kcap_cur *cur);
KCAP_API __u32 kcap_cur_pidns(const struct kcap_cur *cur);
KCAP_API int kcap_nest_enter(struct kcap_fctx *f);
KCAP_API void kcap_nest_leave(struct kcap_fctx *f);
KCAP_API int kcap_begin_event(struct kcap_fctx *f, __u16 type, __u32 nparams, __u64 tid);
/* parameters */
KCAP_API void kcap_put_u8(struct kcap_fctx *f, __u8 v);
KCAP_API void kcap_put_u16(struct kcap_fctx *f, __u16 v);
KCAP_API void kcap_put_u32(struct kcap_fctx *f, __u32 v);
KCAP_API void kcap_put_u64(struct kcap_fctx *f, __u64 v);
KCAP_API void kcap_put_s64(struct kcap_fctx *f, __s64 v);
KCAP_API void kcap_put_empty(struct kcap_fctx *f);
KCAP_API void kcap_put_user_str(struct kcap_fctx *f, const char *ustr);
KCAP_API void kcap_put_user_buf(struct kcap_fctx *f, const void *ubuf, unsigned long len);
KCAP_API int kcap_submit(struct kcap_fctx *f);
KCAP_API __u32 kcap_item(struct kcap_fctx *f);
KCAP_API int kcap_begin_item(struct kcap_fctx *f);
/* kernel state */
KCAP_API int kcap_fd_file(struct kcap_fctx *f, int fd, struct kcap_file_info *info);
KCAP_API const struct path *kcap_fd_path(struct kcap_fctx *f, int fd);
KCAP_API __s64 kcap_exit_code(struct kcap_fctx *f, struct task_struct *task);
KCAP_API __s64 kcap_reaper_tid(struct kcap_fctx *f, struct task_struct *task);
KCAP_API void kcap_current_mm(struct kcap_fctx *f, struct kcap_task_mm *out);
KCAP_API void kcap_current_faults(struct kcap_fctx *f, __u64 *maj, __u64 *min);
KCAP_API __s64 kcap_task_tid(struct kcap_fctx *f, struct task_struct *task);
KCAP_API __u32 kcap_task_tgid(struct kcap_fctx *f, struct task_struct *task);
KCAP_API __u64 kcap_regs_ip(struct kcap_fctx *f, struct pt_regs *regs);
KCAP_API int kcap_siginfo(struct kcap_fctx *f, struct kernel_siginfo *info, int *code,
			  __s32 *pid);
KCAP_API void kcap_sk_sock(struct kcap_fctx *f, struct sock *sk, struct kcap_sock *out);
KCAP_API __u64 kcap_vmf_address(struct kcap_fctx *f, void *vmf);
KCAP_API void kcap_event_no_thread(struct kcap_fctx *f);
KCAP_API void kcap_entry_save(struct kcap_fctx *f, __u32 key, __u64 v);
KCAP_API int kcap_entry_take(struct kcap_fctx *f, __u32 key, __u64 *v, __u64 *ns);
KCAP_API void kcap_entry_save_text(struct kcap_fctx *f, __u32 key, const void *utext, __u32 len);
KCAP_API void kcap_put_entry_text(struct kcap_fctx *f, __u32 key);
/* io */
KCAP_API __u32 kcap_append_user_buf(struct kcap_fctx *f, const void *ubuf, unsigned long len,
				    unsigned long max);
/* net */
KCAP_API int kcap_sc_compat(struct kcap_fctx *f);
KCAP_API int kcap_sc_ia32_nr(struct kcap_fctx *f);
KCAP_API int kcap_read_user(struct kcap_fctx *f, void *dst, const void *usrc, __u32 len);
KCAP_API __u32 kcap_read_user_str(struct kcap_fctx *f, char *dst, const void *usrc, __u32 size);
KCAP_API void kcap_put_bytes(struct kcap_fctx *f, const void *buf, __u32 len);
KCAP_API int kcap_fd_sock(struct kcap_fctx *f, int fd, struct kcap_sock *out);
KCAP_API __u32 kcap_unix_path(struct kcap_fctx *f, __u64 skp, char *buf);
/* proc */
KCAP_API void kcap_current_ids(struct kcap_fctx *f, struct kcap_task_ids *ids);
KCAP_API void kcap_current_info(struct kcap_fctx *f, struct kcap_task_info *info);
KCAP_API void kcap_current_args(struct kcap_fctx *f, struct kcap_task_args *args);
KCAP_API int kcap_current_exe(struct kcap_fctx *f, struct kcap_exe_info *exe);
KCAP_API const struct path *kcap_current_cwd(struct kcap_fctx *f);
KCAP_API const struct path *kcap_current_exe_path(struct kcap_fctx *f);
KCAP_API void kcap_put_comm(struct kcap_fctx *f);
KCAP_API void kcap_put_user_strs(struct kcap_fctx *f, unsigned long uptr, unsigned long len);
KCAP_API void kcap_put_user_strv(struct kcap_fctx *f, unsigned long uarr, int first, int max);
KCAP_API __u32 kcap_last_len(struct kcap_fctx *f);
KCAP_API int kcap_walk_start(struct kcap_fctx *f, const struct path *path, struct kcap_walk *w);
KCAP_API bool kcap_walk_retry(struct kcap_fctx *f, struct kcap_walk *w);
KCAP_API void kcap_walk_end(struct kcap_fctx *f, struct kcap_walk *w);
KCAP_API void *kcap_mount_root(void *mnt);
KCAP_API void *kcap_mount_parent(void *mnt);
KCAP_API void *kcap_mount_point(void *mnt);
KCAP_API void *kcap_dentry_parent(void *dentry);
KCAP_API void kcap_dentry_name(void *dentry, const char **name, __u32 *len);
KCAP_API int kcap_cgroups_begin(struct kcap_fctx *f);
KCAP_API void kcap_cgroups_end(struct kcap_fctx *f);
KCAP_API void *kcap_cgroup_css(struct kcap_fctx *f, int which);
KCAP_API const char *kcap_css_name(void *css);
KCAP_API void *kcap_css_kn(void *css);
KCAP_API void *kcap_kn_parent(void *kn);
KCAP_API const char *kcap_kn_name(void *kn);
KCAP_API void kcap_piece_begin(struct kcap_fctx *f);
KCAP_API void kcap_piece_end(struct kcap_fctx *f);
KCAP_API long kcap_piece_kstr(struct kcap_fctx *f, const char *kstr, __u32 max);
KCAP_API void kcap_piece_set_last(struct kcap_fctx *f, char c);
KCAP_API void kcap_pbuf_begin(struct kcap_fctx *f);
KCAP_API bool kcap_pbuf_prepend(struct kcap_fctx *f, const char *name, __u32 len);
KCAP_API bool kcap_pbuf_prepend_kstr(struct kcap_fctx *f, const char *kstr);
KCAP_API void kcap_pbuf_append(struct kcap_fctx *f);
/* mem */
KCAP_API void kcap_put_dyn(struct kcap_fctx *f, __u8 idx, __u64 v, __u32 size);
#endif /* KCAP_API */

#endif /* KCAP_FILLER_API_H */
