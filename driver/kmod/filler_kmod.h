/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel module's implementation of filler_api.h. An event is built in
 * place in this CPU's ring: header, length array, values. Every store checks
 * the room the ring gave; an event that does not fit is dropped at submit and
 * counted, never truncated. Runs in tracepoint context (preemption off), so
 * user memory is read with the non-faulting copies: a page that is not
 * resident reads as a failure, counted, and the parameter is stored empty.
 */
#ifndef KCAP_FILLER_KMOD_H
#define KCAP_FILLER_KMOD_H

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <net/af_unix.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <linux/version.h>

#include "ppm_events_public.h"
#define KCAP_API static inline
#include "filler_api.h"
#include "kcap_ring.h"


/*
 * A path built backwards as the BPF probe builds it, at the end of a
 * KCAP_PATH_MAX area. The area's end is in the ring, where the room allows:
 * a path that would reach below it cannot fit the room anyway.
 */
struct kcap_pbuf {
	char *end;		/* end of the area */
	u32 pos;		/* where the path starts in the area */
	u32 low;		/* the area's first index in the ring */
	bool overflow;		/* the path reached below low */
};

struct kcap_fctx {
	struct kcap_ring *ring;
	u8 *buf;		/* the event, in the ring */
	u32 room;		/* bytes it may take */
	u32 off;		/* where the next value goes */
	u32 arg;		/* index of the next parameter */
	u32 nparams;
	bool overflow;		/* a value did not fit in room */
	bool bad_params;	/* more values than the event has parameters */
	u16 nr, ppm_sc;
	bool compat;
	u16 ia32_nr;		/* an ia32 syscall's number (nr is the x86_64 one) */
	long ret;
	unsigned long args[6];		/* a syscall's */
	unsigned long hook_args[4];	/* a tracepoint's, one register each */
	struct pt_regs *hook_regs;	/* a kprobe's or uprobe's registers */
	u32 snaplen;
	u32 piece;		/* bytes of a parameter built in pieces, so far */
	u32 item;		/* the item the filler runs for (kcap_item) */
	struct kcap_pbuf pbuf;	/* the path being built */
};

extern struct kcap_settings kcap_settings;	/* read racily by the probes */
extern struct kcap_ring *kcap_rings;		/* one per possible CPU */

/* The primitives of scope.h and dispatch.h. */
#define KCAP_SETTING(field) READ_ONCE(kcap_settings.field)
#define KCAP_COUNT(field) (kcap_rings[smp_processor_id()].page->counters.field++)

static inline u64 kcap_current_id(void)
{
	return (u64)current->tgid << 32 | (u32)current->pid;
}

bool kcap_traced_has(u32 tgid);
int kcap_traced_add(u32 tgid);

/* `current` is one per-CPU read: the handle carries nothing. */
struct kcap_cur {
};

static inline void kcap_current(struct kcap_cur *cur)
{
}

static inline u64 kcap_cur_id(const struct kcap_cur *cur)
{
	return kcap_current_id();
}

static inline u64 kcap_cur_uid_gid(const struct kcap_cur *cur)
{
	return (u64)__kgid_val(current_gid()) << 32 | __kuid_val(current_uid());
}

static inline void kcap_cur_comm(const struct kcap_cur *cur, u64 comm[2])
{
	BUILD_BUG_ON(TASK_COMM_LEN != KCAP_TASK_COMM_LEN);
	memcpy(comm, current->comm, KCAP_TASK_COMM_LEN);
}

static inline u64 kcap_cur_cgroup_at(const struct kcap_cur *cur, u32 level)
{
	struct cgroup *anc;
	u64 id = 0;

	rcu_read_lock();
	anc = cgroup_ancestor(task_dfl_cgroup(current), level);
	if (anc)
		id = cgroup_id(anc);
	rcu_read_unlock();
	return id;
}

/* The module reads the cgroup with plain loads: no cache. */
static inline u64 kcap_cur_cgroup_key(const struct kcap_cur *cur)
{
	return 0;
}

static inline int kcap_cgroup_cache_get(u64 key)
{
	return -1;
}

static inline void kcap_cgroup_cache_put(u64 key, bool hit)
{
}

/*
 * struct mnt_namespace is private to fs/: where its ns_common lies, found
 * from a namespace file when a scope asks for mount namespaces (kcap_main.c);
 * -1 until then.
 */
extern long kcap_mntns_offset;

static inline u32 kcap_cur_mntns(const struct kcap_cur *cur)
{
	struct nsproxy *nsp = current->nsproxy;	/* NULL once the task exits */
	long off = READ_ONCE(kcap_mntns_offset);

	if (!nsp || !nsp->mnt_ns || off < 0)
		return 0;
	return ((struct ns_common *)((char *)nsp->mnt_ns + off))->inum;
}

static inline u32 kcap_cur_pidns(const struct kcap_cur *cur)
{
	struct pid_namespace *ns = ns_of_pid(task_pid(current));

	return ns ? ns->ns.inum : 0;
}

/*
 * Events are built in place in the ring, so a hook that fires while this
 * CPU builds one (a page fault inside a filler's read) cannot have its own:
 * it is refused and counted. Probes run with preemption off.
 */
static inline int kcap_nest_enter(struct kcap_fctx *f)
{
	f->ring = &kcap_rings[smp_processor_id()];
	if (f->ring->building) {
		f->ring->page->counters.drops_nested++;
		return -1;
	}
	f->ring->building = 1;
	barrier();	/* set before anything an interrupt could see half-built */
	return 0;
}

static inline void kcap_nest_leave(struct kcap_fctx *f)
{
	barrier();
	f->ring->building = 0;
}

/* Starts an event in this CPU's ring; -1 (counted) when not even its header fits. */
static inline int kcap_begin_event(struct kcap_fctx *f, u16 type, u32 nparams, u64 tid)
{
	struct ppm_evt_hdr hdr = {
		.ts = ktime_get_boottime_ns() + READ_ONCE(kcap_settings.boot_epoch_ns),
		.tid = tid,
		.type = type,
		.nparams = nparams,
	};

	f->buf = kcap_ring_reserve(f->ring, KCAP_EVENT_MAX_SIZE, &f->room);
	f->nparams = min_t(u32, nparams, PPM_MAX_EVENT_PARAMS);
	f->off = PPM_EVT_HDR_SIZE + 2 * f->nparams;
	f->snaplen = READ_ONCE(kcap_settings.snaplen);
	if (f->off > f->room) {
		f->ring->page->counters.drops_ring_full++;
		return -1;
	}
	memcpy(f->buf, &hdr, sizeof(hdr));
	return 0;
}

static inline u32 kcap_item(struct kcap_fctx *f)
{
	return f->item;
}

/*
 * The first item's header is still where it was built (only this CPU writes
 * its ring): the next event takes its type, thread and parameter count.
 */
static inline int kcap_begin_item(struct kcap_fctx *f)
{
	struct ppm_evt_hdr hdr;

	memcpy(&hdr, f->buf, sizeof(hdr));
	f->arg = 0;
	f->overflow = false;
	f->bad_params = false;
	f->piece = 0;
	return kcap_begin_event(f, hdr.type, hdr.nparams, hdr.tid);
}

/* Argument n of the hook: a tracepoint's as passed, a probed function's from its registers. */
static inline unsigned long kcap_hook_arg(struct kcap_fctx *f, int n)
{
	if (f->hook_regs)
		return regs_get_kernel_argument(f->hook_regs, n);
	return f->hook_args[n];
}

/* The return value a kretprobe or uretprobe sees. */
static inline unsigned long kcap_hook_ret(struct kcap_fctx *f)
{
	return regs_return_value(f->hook_regs);
}

static inline u32 kcap_task_tgid(struct kcap_fctx *f, struct task_struct *task)
{
	return task->tgid;
}

static inline s64 kcap_task_tid(struct kcap_fctx *f, struct task_struct *task)
{
	return task->pid;
}

static inline void kcap_current_faults(struct kcap_fctx *f, u64 *maj, u64 *min)
{
	*maj = current->maj_flt;
	*min = current->min_flt;
}

static inline u64 kcap_regs_ip(struct kcap_fctx *f, struct pt_regs *regs)
{
	return instruction_pointer(regs);
}

static inline int kcap_siginfo(struct kcap_fctx *f, struct kernel_siginfo *info, int *code,
			       s32 *pid)
{
	if (!info)
		return -1;
	*code = info->si_code;
	*pid = info->si_pid;
	return 0;
}

static inline u64 kcap_vmf_address(struct kcap_fctx *f, void *vmf)
{
	return ((struct vm_fault *)vmf)->address;
}

static inline void kcap_event_no_thread(struct kcap_fctx *f)
{
	u64 tid = (u64)-1;

	memcpy(f->buf + offsetof(struct ppm_evt_hdr, tid), &tid, sizeof(tid));
}

static inline void kcap_entry_save(struct kcap_fctx *f, u32 key, u64 v)
{
	kcap_entries_save((u64)current->pid << 8 | key, v);
}

static inline int kcap_entry_take(struct kcap_fctx *f, u32 key, u64 *v, u64 *ns)
{
	return kcap_entries_take((u64)current->pid << 8 | key, v, ns);
}

static inline void count_read_failure(struct kcap_fctx *f);

static inline void kcap_entry_save_text(struct kcap_fctx *f, u32 key, const void *utext, u32 len)
{
	len = min3(len, KCAP_SETTING(snaplen), (u32)KCAP_ENTRY_TEXT_MAX);
	if (kcap_entries_save_text((u64)current->pid << 8 | key, utext, len) && utext)
		count_read_failure(f);
}

static inline unsigned long kcap_sc_arg(struct kcap_fctx *f, int n)
{
	return f->args[n];
}

static inline long kcap_sc_ret(struct kcap_fctx *f)
{
	return f->ret;
}

static inline u16 kcap_sc_nr(struct kcap_fctx *f)
{
	return f->nr;
}

static inline u16 kcap_ppm_sc(struct kcap_fctx *f)
{
	return f->ppm_sc;
}

/* Room for len more bytes? Records the overflow when not. */
static inline bool fits(struct kcap_fctx *f, u32 len)
{
	if (f->arg >= f->nparams) {
		f->bad_params = true;
		return false;
	}
	if (f->overflow || f->off + len > f->room) {
		f->overflow = true;
		return false;
	}
	return true;
}

static inline void end_param(struct kcap_fctx *f, u32 len)
{
	u16 l = len;

	memcpy(f->buf + PPM_EVT_HDR_SIZE + 2 * f->arg, &l, 2);
	f->off += len;
	f->arg++;
}

#define KCAP_PUT_FIXED(name, type)					\
static inline void kcap_put_##name(struct kcap_fctx *f, type v)	\
{									\
	if (!fits(f, sizeof(v)))					\
		return;							\
	memcpy(f->buf + f->off, &v, sizeof(v));				\
	end_param(f, sizeof(v));					\
}

KCAP_PUT_FIXED(u8, u8)
KCAP_PUT_FIXED(u16, u16)
KCAP_PUT_FIXED(u32, u32)
KCAP_PUT_FIXED(u64, u64)
KCAP_PUT_FIXED(s64, s64)

static inline void kcap_put_empty(struct kcap_fctx *f)
{
	if (fits(f, 0))
		end_param(f, 0);
}

/* An entry probe builds no event: its CPU's ring counts for it. */
static inline void count_read_failure(struct kcap_fctx *f)
{
	struct kcap_ring *r = f->ring ? f->ring : &kcap_rings[smp_processor_id()];

	r->page->counters.read_failures++;
}

static inline void kcap_put_entry_text(struct kcap_fctx *f, u32 key)
{
	long n;

	if (!fits(f, 0))
		return;
	n = kcap_entries_take_text((u64)current->pid << 8 | key, f->buf + f->off,
				   f->room - f->off);
	if (n == -ENOSPC) {
		f->overflow = true;
		return;
	}
	end_param(f, n < 0 ? 0 : n);
}

/* strncpy_from_user_nofault is not exported to modules: the same, by hand. */
static inline long user_str_nofault(char *dst, const char *src, long max)
{
	long n;

	pagefault_disable();
	n = strncpy_from_user(dst, (const char __user *)src, max);
	pagefault_enable();
	return n;
}

static inline void kcap_put_user_str(struct kcap_fctx *f, const char *ustr)
{
	u32 max = min_t(u32, KCAP_PATH_MAX, f->room - min(f->room, f->off));
	long n = -EFAULT;

	if (!fits(f, 0))
		return;
	if (ustr && max)
		n = user_str_nofault(f->buf + f->off, ustr, max);
	if (n < 0) {
		/* A full room with a string to store is a drop, not a bad read. */
		if (ustr && !max)
			f->overflow = true;
		else if (ustr)
			count_read_failure(f);
		n = 0;
	} else if (n == max && max < KCAP_PATH_MAX) {
		f->overflow = true;	/* it did not fit the room: no truncation */
		return;
	} else if (n == max) {
		f->buf[f->off + max - 1] = '\0';	/* cut to the limit, NUL kept */
	} else {
		n++;		/* the NUL */
	}
	end_param(f, n);
}

static inline void kcap_put_user_buf(struct kcap_fctx *f, const void *ubuf, unsigned long len)
{
	u32 n = min_t(unsigned long, len, min_t(u32, f->snaplen, KCAP_USER_BUF_MAX));

	if (!fits(f, n))
		return;
	if (n && copy_from_user_nofault(f->buf + f->off, (const void __user *)ubuf, n)) {
		count_read_failure(f);
		n = 0;
	}
	end_param(f, n);
}

/* The file of fd, under rcu_read_lock; the lookup helpers' names vary by version. */
static inline struct file *fd_file_rcu(struct files_struct *files, int fd)
{
	struct fdtable *fdt = files_fdtable(files);

	if ((unsigned int)fd >= fdt->max_fds)
		return NULL;
	return rcu_dereference_raw(fdt->fd[array_index_nospec(fd, fdt->max_fds)]);
}

static inline int kcap_fd_file(struct kcap_fctx *f, int fd, struct kcap_file_info *info)
{
	struct files_struct *files = current->files;
	struct file *file;
	int ret = -1;

	if (fd < 0 || !files)
		return -1;
	rcu_read_lock();
	file = fd_file_rcu(files, fd);
	if (file) {
		struct inode *inode = file_inode(file);

		info->ino = inode->i_ino;
		info->dev = kcap_encode_dev(inode->i_sb->s_dev);
		info->fmode = file->f_mode;
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}

/*
 * Read inside the probe (preemption off, an RCU reader), as the file stays
 * while the walk of its path holds rcu_read_lock.
 */
static inline const struct path *kcap_fd_path(struct kcap_fctx *f, int fd)
{
	struct files_struct *files = current->files;
	struct file *file;

	if (fd < 0 || !files)
		return NULL;
	rcu_read_lock();
	file = fd_file_rcu(files, fd);
	rcu_read_unlock();
	return file ? &file->f_path : NULL;
}

static inline s64 kcap_exit_code(struct kcap_fctx *f, struct task_struct *task)
{
	return task->exit_code;
}

/* Children of an exiting thread go to another thread of its group, if any. */
/* The nearest child subreaper above t in pid namespace level level; NULL when none. Under RCU. */
static inline struct task_struct *kcap_subreaper_of(struct task_struct *t, unsigned int level)
{
	struct task_struct *r = rcu_dereference(t->real_parent);
	int i;

	for (i = 0; i < KCAP_REAPER_WALK; i++) {
		if (!r->pid || task_pid(r)->level != level)
			return NULL;	/* init_task, or the namespace's edge */
		if (r->signal->is_child_subreaper && atomic_read(&r->signal->live) > 0)
			return r;
		r = rcu_dereference(r->real_parent);
	}
	return NULL;
}

static inline s64 kcap_reaper_tid(struct kcap_fctx *f, struct task_struct *t)
{
	struct pid *pid = task_pid(t);
	struct task_struct *r = NULL;
	s64 tid = 0;

	if (list_empty(&t->children))
		return 0;
	if (atomic_read(&t->signal->live) > 0)
		return t->tgid;
	rcu_read_lock();
	if (t->signal->has_child_subreaper)
		r = kcap_subreaper_of(t, pid->level);
	if (r)
		tid = r->tgid;
	else if (ns_of_pid(pid) && ns_of_pid(pid)->child_reaper)
		tid = ns_of_pid(pid)->child_reaper->pid;
	rcu_read_unlock();
	return tid;
}

static inline void kcap_current_mm(struct kcap_fctx *f, struct kcap_task_mm *out)
{
	struct mm_struct *mm = current->mm;
	long rss;

	out->vm_size = out->vm_rss = out->vm_swap = 0;
	if (!mm)
		return;
	rss = get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) +
	      get_mm_counter(mm, MM_SHMEMPAGES);
	out->vm_size = mm->total_vm << (PAGE_SHIFT - 10);
	out->vm_rss = rss << (PAGE_SHIFT - 10);
	out->vm_swap = get_mm_counter(mm, MM_SWAPENTS) << (PAGE_SHIFT - 10);
}

/*
 * Dropping mode: an event of a sheddable type is shed when the ring has less
 * free room than shed_free, which is kept for the state events.
 */
static inline bool kcap_shed(struct kcap_fctx *f)
{
	u32 shed_free = READ_ONCE(kcap_settings.shed_free);
	u16 type;

	if (!shed_free)
		return false;
	memcpy(&type, f->buf + offsetof(struct ppm_evt_hdr, type), sizeof(type));
	return type < KCAP_SHED_WORDS * 64 &&
	       (READ_ONCE(kcap_settings.shed_types[type / 64]) & (1ull << (type % 64))) &&
	       kcap_ring_room(f->ring) < shed_free;
}

/* The event is complete: publish it, or count why it cannot be. */
static inline int kcap_submit(struct kcap_fctx *f)
{
	struct kcap_counters *c = &f->ring->page->counters;
	u32 len = f->off;

	if (!f->bad_params && f->overflow && f->room < KCAP_EVENT_MAX_SIZE) {
		c->drops_ring_full++;
		return 0;
	}
	if (f->bad_params || f->overflow || f->arg != f->nparams) {
		c->drops_too_large++;
		return 0;
	}
	if (kcap_shed(f)) {
		c->drops_shed++;
		return 0;
	}
	memcpy(f->buf + offsetof(struct ppm_evt_hdr, len), &len, 4);
	kcap_ring_commit(f->ring, len);
	c->events++;
	return 0;
}

/* A socket's addresses and ports as plain values (net: kcap_fd_sock). */
static inline void kcap_sk_sock(struct kcap_fctx *f, struct sock *sk, struct kcap_sock *out)
{
	struct inet_sock *inet = inet_sk(sk);

	memset(out, 0, sizeof(*out));
	out->sk = (unsigned long)sk;
	out->family = READ_ONCE(sk->sk_family);
	out->protocol = READ_ONCE(sk->sk_protocol);
	out->state = READ_ONCE(sk->sk_state);
	out->owned = sock_owned_by_user_nocheck(sk);
	out->ack_backlog = READ_ONCE(sk->sk_ack_backlog);
	out->max_ack_backlog = READ_ONCE(sk->sk_max_ack_backlog);
	switch (out->family) {
	case AF_INET:
		memcpy(out->laddr, &inet->inet_saddr, 4);
		memcpy(out->raddr, &sk->sk_daddr, 4);
		break;
#if IS_ENABLED(CONFIG_IPV6)
	case AF_INET6:
		if (inet->pinet6)
			memcpy(out->laddr, &inet->pinet6->saddr, 16);
		memcpy(out->raddr, &sk->sk_v6_daddr, 16);
		break;
#endif
	case AF_UNIX:
		out->peer = (unsigned long)READ_ONCE(unix_sk(sk)->peer);
		return;
	default:
		return;
	}
	out->lport = ntohs(inet->inet_sport);
	out->rport = ntohs(sk->sk_dport);
}

/*
 * Calls added for one family of fillers, as in bpf/filler_bpf.h.
 */
/* io */
/* The length of the last parameter, in its slot, is where to append. */
static inline u32 kcap_append_user_buf(struct kcap_fctx *f, const void *ubuf, unsigned long len,
				       unsigned long max)
{
	u32 at = PPM_EVT_HDR_SIZE + 2 * (f->arg - 1);
	u32 limit = min_t(u32, f->snaplen, KCAP_USER_BUF_MAX);
	u16 cur;
	u32 n;

	if (!f->arg)
		return 0;
	limit = min_t(unsigned long, limit, max);
	memcpy(&cur, f->buf + at, 2);
	if (cur >= limit)
		return 0;
	n = min_t(unsigned long, len, limit - cur);
	if (!n)
		return 0;
	if (f->overflow || f->off + n > f->room) {
		f->overflow = true;
		return 0;
	}
	if (copy_from_user_nofault(f->buf + f->off, (const void __user *)ubuf, n)) {
		count_read_failure(f);
		return 0;
	}
	cur += n;
	memcpy(f->buf + at, &cur, 2);
	f->off += n;
	return n;
}
/* end of io */

/* path */
/* end of path */

/* net */
static inline int kcap_sc_compat(struct kcap_fctx *f)
{
	return f->compat;
}

static inline int kcap_sc_ia32_nr(struct kcap_fctx *f)
{
	return f->compat ? f->ia32_nr : -1;
}

static inline int kcap_read_user(struct kcap_fctx *f, void *dst, const void *usrc, u32 len)
{
	if (len > KCAP_READ_USER_MAX)
		return -1;
	if (!copy_from_user_nofault(dst, (const void __user *)usrc, len))
		return 0;
	memset(dst, 0, len);
	if (usrc)
		count_read_failure(f);
	return -1;
}

/* As bpf_probe_read_user_str: the size with the NUL, cut to size; 0 unreadable. */
static inline u32 kcap_read_user_str(struct kcap_fctx *f, char *dst, const void *usrc, u32 size)
{
	long n;

	size = min_t(u32, size, KCAP_READ_USER_MAX);
	if (!size)
		return 0;
	n = user_str_nofault(dst, usrc, size);
	if (n < 0) {
		dst[0] = '\0';
		if (usrc)
			count_read_failure(f);
		return 0;
	}
	if (n == size) {
		dst[size - 1] = '\0';
		return size;
	}
	return n + 1;
}

static inline void kcap_put_bytes(struct kcap_fctx *f, const void *buf, u32 len)
{
	len = min_t(u32, len, KCAP_PUT_BYTES_MAX);
	if (!fits(f, len))
		return;
	memcpy(f->buf + f->off, buf, len);
	end_param(f, len);
}

static inline int kcap_fd_sock(struct kcap_fctx *f, int fd, struct kcap_sock *out)
{
	struct files_struct *files = current->files;
	struct file *file;
	struct sock *sk = NULL;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (fd < 0 || !files)
		return -1;
	rcu_read_lock();
	file = fd_file_rcu(files, fd);
	if (file && S_ISSOCK(file_inode(file)->i_mode) && file->private_data)
		sk = ((struct socket *)file->private_data)->sk;
	if (sk) {
		kcap_sk_sock(f, sk, out);
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}

/* The name is addr->len bytes, sa_family first; an abstract name loses its NUL. */
static inline u32 kcap_unix_path(struct kcap_fctx *f, u64 skp, char *buf)
{
	struct unix_address *addr = READ_ONCE(unix_sk((struct sock *)(unsigned long)skp)->addr);
	const char *path;
	long len;
	u32 skip, n;

	buf[0] = '\0';
	if (!addr)
		return 1;
	len = addr->len - 2;
	if (len <= 0)
		return 1;
	path = addr->name->sun_path;
	skip = path[0] == '\0';
	n = strnlen(path + skip, min_t(long, len - skip, KCAP_UNIX_PATH_MAX - 1 - skip));
	memcpy(buf, path + skip, n);
	buf[n] = '\0';
	return n + 1;
}
/* end of net */

/* proc */
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/fs_struct.h>
#include <linux/kernfs.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/pid_namespace.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/user_namespace.h>

static inline void kcap_current_ids(struct kcap_fctx *f, struct kcap_task_ids *ids)
{
	struct task_struct *task = current;
	struct pid_namespace *ns;
	struct pid *pgrp;

	rcu_read_lock();
	ns = ns_of_pid(task_pid(task));
	pgrp = task_pgrp(task);
	ids->tid = task->pid;
	ids->pid = task->tgid;
	ids->ppid = rcu_dereference(task->real_parent)->tgid;
	ids->pgid = pid_nr(pgrp);
	ids->vtid = ns ? pid_nr_ns(task_pid(task), ns) : 0;
	ids->vpid = ns ? pid_nr_ns(task_tgid(task), ns) : 0;
	ids->vpgid = ns ? pid_nr_ns(pgrp, ns) : 0;
	rcu_read_unlock();
}

/* The tty_nr of /proc/pid/stat; signal->tty changes under siglock. */
static inline u32 current_tty(void)
{
	struct tty_struct *tty;
	unsigned long flags;
	u32 kdev = 0;

	spin_lock_irqsave(&current->sighand->siglock, flags);
	tty = current->signal->tty;
	if (tty && tty->driver)
		kdev = ((u32)tty->driver->major << 20) + tty->driver->minor_start + tty->index;
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	return kcap_encode_dev(kdev);
}

/* kernel_cap_t became a u64 in 6.3; before, u32[2]: the same 8 bytes. */
static inline u64 cap_bits(kernel_cap_t cap)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return cap.val;
#else
	return cap.cap[0] | (u64)cap.cap[1] << 32;
#endif
}

static inline void kcap_current_info(struct kcap_fctx *f, struct kcap_task_info *info)
{
	struct task_struct *task = current, *reaper;
	const struct cred *cred = current_cred();
	struct pid_namespace *ns;

	rcu_read_lock();
	ns = ns_of_pid(task_pid(task));
	reaper = ns ? READ_ONCE(ns->child_reaper) : NULL;
	info->fdlimit = task_rlimit(task, RLIMIT_NOFILE);
	info->pgft_maj = task->maj_flt;
	info->pgft_min = task->min_flt;
	info->pidns_init_start = reaper ? reaper->start_time : 0;
	info->cap_inheritable = cap_bits(cred->cap_inheritable);
	info->cap_permitted = cap_bits(cred->cap_permitted);
	info->cap_effective = cap_bits(cred->cap_effective);
	info->loginuid = (u32)-1;
#ifdef CONFIG_AUDIT
	info->loginuid = __kuid_val(task->loginuid);
#endif
	info->euid = __kuid_val(cred->euid);
	info->egid = __kgid_val(cred->egid);
	info->in_child_pidns = ns && ns->level;
	info->pidns_for_children = (task->nsproxy ? task->nsproxy->pid_ns_for_children : NULL) != ns;
	rcu_read_unlock();
	info->tty = current_tty();
}

static inline void kcap_current_args(struct kcap_fctx *f, struct kcap_task_args *args)
{
	struct mm_struct *mm = current->mm;

	memset(args, 0, sizeof(*args));
	if (!mm)
		return;
	spin_lock(&mm->arg_lock);
	args->arg_start = mm->arg_start;
	args->arg_end = mm->arg_end;
	args->env_start = mm->env_start;
	args->env_end = mm->env_end;
	spin_unlock(&mm->arg_lock);
}

static inline u64 epoch_ns(struct timespec64 ts)
{
	return ts.tv_sec < 0 ? 0 : (u64)ts.tv_sec * NSEC_PER_SEC + (ts.tv_nsec & ~KCAP_I_CTIME_QUERIED);
}

/* The inode times got accessors in 6.6 (ctime) and 6.7 (mtime). */
static inline void inode_times(struct inode *inode, struct kcap_exe_info *exe)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	exe->ctime = epoch_ns(inode_get_ctime(inode));
	exe->mtime = epoch_ns(inode_get_mtime(inode));
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	exe->ctime = epoch_ns(inode_get_ctime(inode));
	exe->mtime = epoch_ns(inode->i_mtime);
#else
	exe->ctime = epoch_ns(inode->i_ctime);
	exe->mtime = epoch_ns(inode->i_mtime);
#endif
}

/* overlayfs keeps the upper dentry right after the VFS inode in its ovl_inode. */
static inline u8 overlay_layer(struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	struct dentry *upper;

	if (dentry->d_sb->s_magic != OVERLAYFS_SUPER_MAGIC)
		return KCAP_OVERLAY_NONE;
	upper = inode ? READ_ONCE(*(struct dentry **)(inode + 1)) : NULL;
	if (upper && d_inode(upper) && d_inode(upper)->i_ino)
		return KCAP_OVERLAY_UPPER;
	return KCAP_OVERLAY_LOWER;
}

/* memfd files are unlinked pseudo dentries named "memfd:<name>". */
static inline u8 is_memfd(struct dentry *dentry)
{
	return dentry->d_parent == dentry && !strncmp(dentry->d_name.name, "memfd:", 6);
}

/* groups_search() in at most KCAP_NGROUPS_SEARCH steps, as the BPF probe. */
static inline bool in_groups(const struct cred *cred, kgid_t gid)
{
	const struct group_info *gi = cred->group_info;
	unsigned int left = 0, right = gi ? gi->ngroups : 0, mid;
	int i;

	for (i = 0; i < KCAP_NGROUPS_SEARCH && left < right; i++) {
		mid = (left + right) / 2;
		if (gid_gt(gid, gi->gid[mid]))
			left = mid + 1;
		else if (gid_lt(gid, gi->gid[mid]))
			right = mid;
		else
			return true;
	}
	return false;
}

/* The BPF probe's approximation of inode_permission(MAY_WRITE) || inode_owner_or_capable(). */
static inline u8 exe_writable(struct inode *inode)
{
	const struct cred *cred = current_cred();
	u64 caps = cap_bits(cred->cap_effective);
	umode_t mode = inode->i_mode;
	bool uid_ok;

	if (sb_rdonly(inode->i_sb) && (S_ISREG(mode) || S_ISDIR(mode) || S_ISLNK(mode)))
		return 0;
	if (IS_IMMUTABLE(inode))
		return 0;
	if (!uid_valid(inode->i_uid) || !gid_valid(inode->i_gid))
		return 0;
	if (uid_eq(inode->i_uid, cred->fsuid))
		return 1;
	if (gid_eq(inode->i_gid, cred->fsgid) || in_groups(cred, inode->i_gid))
		mode >>= 3;
	if (mode & S_IWOTH)
		return 1;
	uid_ok = kuid_has_mapping(cred->user_ns, inode->i_uid);
	if ((caps & BIT_ULL(CAP_DAC_OVERRIDE)) && uid_ok &&
	    kgid_has_mapping(cred->user_ns, inode->i_gid))
		return 1;
	return (caps & BIT_ULL(CAP_FOWNER)) && uid_ok;
}

static inline int kcap_current_exe(struct kcap_fctx *f, struct kcap_exe_info *exe)
{
	struct mm_struct *mm = current->mm;
	struct file *file;
	struct inode *inode;
	int ret = -1;

	memset(exe, 0, sizeof(*exe));
	if (!mm)
		return -1;
	rcu_read_lock();
	file = rcu_dereference(mm->exe_file);
	inode = file ? file_inode(file) : NULL;
	if (inode) {
		exe->ino = inode->i_ino;
		inode_times(inode, exe);
		exe->writable = exe_writable(inode);
		exe->overlay = overlay_layer(file->f_path.dentry);
		exe->memfd = is_memfd(file->f_path.dentry);
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}

/*
 * The paths are used later in the event without a reference: the probe runs
 * with preemption off, an RCU read side that keeps their dentries and mounts.
 */
static inline const struct path *kcap_current_cwd(struct kcap_fctx *f)
{
	struct fs_struct *fs = current->fs;

	return fs ? &fs->pwd : NULL;
}

static inline const struct path *kcap_current_exe_path(struct kcap_fctx *f)
{
	struct mm_struct *mm = current->mm;
	struct file *file = mm ? rcu_dereference_sched(mm->exe_file) : NULL;

	return file ? &file->f_path : NULL;
}

static inline char *pbuf_at(struct kcap_pbuf *b, u32 i)
{
	return b->end - KCAP_PATH_MAX + i;
}

/* An empty path whose area starts at off in the event. */
static inline void pbuf_start(struct kcap_fctx *f, struct kcap_pbuf *b, u32 off)
{
	u32 w = off < f->room ? min_t(u32, f->room - off, KCAP_PATH_MAX) : 0;

	b->end = f->buf + off + w;
	b->low = KCAP_PATH_MAX - w;
	b->pos = KCAP_PATH_MAX - 1;
	b->overflow = !w;
	if (w)
		*pbuf_at(b, b->pos) = '\0';
}

/* Puts "/" and name before the path; false when it stops there. */
static inline bool pbuf_prepend(struct kcap_pbuf *b, const char *name, u32 len)
{
	char *p;
	u32 i;

	if (b->overflow || len >= b->pos)	/* the BPF probe's area is full */
		return false;
	if (b->pos - len - 1 < b->low) {
		b->overflow = true;
		return false;
	}
	b->pos -= len + 1;
	p = pbuf_at(b, b->pos);
	*p++ = '/';
	/* As prepend_name(): a rename may change name under us (then retried). */
	for (i = 0; i < len && name[i]; i++)
		p[i] = name[i];
	return true;
}

/* Ends the path ("/" when empty) and moves it to the area's start: its length, 0 on overflow. */
static inline u32 pbuf_end(struct kcap_pbuf *b)
{
	u32 n;

	if (!b->overflow && b->pos == KCAP_PATH_MAX - 1) {
		if (b->pos - 1 < b->low)
			b->overflow = true;
		else
			*pbuf_at(b, --b->pos) = '/';
	}
	if (b->overflow)
		return 0;
	n = KCAP_PATH_MAX - b->pos;
	memmove(pbuf_at(b, b->low), pbuf_at(b, b->pos), n);
	return n;
}

/* The head of struct mount (fs/mount.h, not in the headers), as in the BTF of 5.10, 6.1, 6.12. */
struct kcap_mount {
	struct hlist_node mnt_hash;
	struct kcap_mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
};

static inline void *real_mount(struct vfsmount *mnt)
{
	return mnt ? container_of(mnt, struct kcap_mount, mnt) : NULL;
}

/*
 * The walks' primitives (walks.h). A walk runs under RCU and rename_lock's
 * sequence, retried once with the lock held when a rename raced it, as
 * d_path() does; the start is a snapshot taken under fs->lock, as path may
 * be fs->pwd.
 */
static inline int kcap_walk_start(struct kcap_fctx *f, const struct path *path,
				  struct kcap_walk *w)
{
	struct fs_struct *fs = current->fs;
	struct path p, root = { };

	if (!fits(f, 0))
		return -1;
	rcu_read_lock();
	if (fs)
		spin_lock(&fs->lock);
	p = *path;
	if (fs)
		root = fs->root;
	if (fs)
		spin_unlock(&fs->lock);
	w->dentry = p.dentry;
	w->mnt = real_mount(p.mnt);
	w->root_dentry = root.dentry;
	w->root_mnt = real_mount(root.mnt);
	w->seq = 0;
	read_seqbegin_or_lock(&rename_lock, &w->seq);
	return 0;
}

static inline bool kcap_walk_retry(struct kcap_fctx *f, struct kcap_walk *w)
{
	if (!need_seqretry(&rename_lock, w->seq))
		return false;
	w->seq = 1;
	read_seqbegin_or_lock(&rename_lock, &w->seq);
	return true;
}

static inline void kcap_walk_end(struct kcap_fctx *f, struct kcap_walk *w)
{
	done_seqretry(&rename_lock, w->seq);
	rcu_read_unlock();
}

static inline void *kcap_mount_root(void *mnt)
{
	return ((struct kcap_mount *)mnt)->mnt.mnt_root;
}

static inline void *kcap_mount_parent(void *mnt)
{
	return READ_ONCE(((struct kcap_mount *)mnt)->mnt_parent);
}

static inline void *kcap_mount_point(void *mnt)
{
	return READ_ONCE(((struct kcap_mount *)mnt)->mnt_mountpoint);
}

static inline void *kcap_dentry_parent(void *dentry)
{
	return READ_ONCE(((struct dentry *)dentry)->d_parent);
}

static inline void kcap_dentry_name(void *dentry, const char **name, u32 *len)
{
	struct dentry *d = dentry;

	*name = (const char *)smp_load_acquire(&d->d_name.name);
	*len = READ_ONCE(d->d_name.len);
}

static inline void kcap_pbuf_begin(struct kcap_fctx *f)
{
	pbuf_start(f, &f->pbuf, f->off + f->piece);
}

static inline bool kcap_pbuf_prepend(struct kcap_fctx *f, const char *name, u32 len)
{
	return pbuf_prepend(&f->pbuf, name, len);
}

static inline void kcap_pbuf_append(struct kcap_fctx *f)
{
	u32 n = pbuf_end(&f->pbuf);

	if (!n)
		f->overflow = true;
	f->piece += n;
}

static inline void kcap_piece_begin(struct kcap_fctx *f)
{
	f->piece = 0;
}

static inline void kcap_piece_end(struct kcap_fctx *f)
{
	if (fits(f, f->piece))
		end_param(f, f->piece);
}

static inline void kcap_piece_set_last(struct kcap_fctx *f, char c)
{
	f->buf[f->off + f->piece - 1] = c;
}

static inline void kcap_put_comm(struct kcap_fctx *f)
{
	char comm[TASK_COMM_LEN];
	u32 n;

	get_task_comm(comm, current);
	n = strnlen(comm, sizeof(comm) - 1) + 1;
	if (!fits(f, n))
		return;
	memcpy(f->buf + f->off, comm, n);
	end_param(f, n);
}

/*
 * strncpy_from_kernel_nofault is not exported: the same, by pieces that stay
 * within a page. The size with the NUL, or size (cut); -EFAULT.
 */
static inline long kernel_str_nofault(char *dst, const char *src, long size)
{
	long n = 0, chunk;
	char *nul;

	while (n < size) {
		chunk = min_t(long, size - n, PAGE_SIZE - offset_in_page(src + n));
		if (copy_from_kernel_nofault(dst + n, src + n, chunk))
			return -EFAULT;
		nul = memchr(dst + n, '\0', chunk);
		if (nul)
			return nul - dst + 1;
		n += chunk;
	}
	dst[size - 1] = '\0';
	return size;
}

/* A rename frees a kernfs name at once: names are read without faulting. */
static inline bool kcap_pbuf_prepend_kstr(struct kcap_fctx *f, const char *kstr)
{
	char name[KCAP_NAME_MAX];
	long n = kernel_str_nofault(name, kstr, sizeof(name));

	return n > 1 && pbuf_prepend(&f->pbuf, name, n - 1);
}

static inline long kcap_piece_kstr(struct kcap_fctx *f, const char *kstr, u32 max)
{
	u32 at = f->off + f->piece, room;
	long n;

	if (!kstr || f->overflow)
		return 0;
	if (at >= f->room) {
		f->overflow = true;
		return 0;
	}
	room = f->room - at;
	n = kernel_str_nofault(f->buf + at, kstr, min(max, room));
	if (n == room && room < max) {
		f->overflow = true;
		return 0;
	}
	if (n > 1)
		f->piece += n;
	return n;
}

static inline void *kcap_kn_parent(void *kn)
{
	return READ_ONCE(((struct kernfs_node *)kn)->parent);
}

static inline const char *kcap_kn_name(void *kn)
{
	return READ_ONCE(((struct kernfs_node *)kn)->name);
}

static inline int kcap_cgroups_begin(struct kcap_fctx *f)
{
	if (!fits(f, 0))
		return -1;
	rcu_read_lock();
	return 0;
}

static inline void kcap_cgroups_end(struct kcap_fctx *f)
{
	rcu_read_unlock();
}

/* The subsystems this kernel was built with. */
static inline void *kcap_cgroup_css(struct kcap_fctx *f, int which)
{
	struct css_set *cset = task_css_set(current);

	switch (which) {
#if IS_ENABLED(CONFIG_CPUSETS)
	case KCAP_CG_CPUSET:
		return cset->subsys[cpuset_cgrp_id];
#endif
#if IS_ENABLED(CONFIG_CGROUP_SCHED)
	case KCAP_CG_CPU:
		return cset->subsys[cpu_cgrp_id];
#endif
#if IS_ENABLED(CONFIG_CGROUP_CPUACCT)
	case KCAP_CG_CPUACCT:
		return cset->subsys[cpuacct_cgrp_id];
#endif
#if IS_ENABLED(CONFIG_BLK_CGROUP)
	case KCAP_CG_IO:
		return cset->subsys[io_cgrp_id];
#endif
#if IS_ENABLED(CONFIG_MEMCG)
	case KCAP_CG_MEMORY:
		return cset->subsys[memory_cgrp_id];
#endif
	}
	return NULL;
}

static inline const char *kcap_css_name(void *css)
{
	const struct cgroup_subsys *ss = ((struct cgroup_subsys_state *)css)->ss;

	return ss ? ss->name : NULL;
}

static inline void *kcap_css_kn(void *css)
{
	return ((struct cgroup_subsys_state *)css)->cgroup->kn;
}

static inline void kcap_put_user_strs(struct kcap_fctx *f, unsigned long uptr, unsigned long len)
{
	u32 n = min_t(unsigned long, len, KCAP_ARGS_MAX);

	if (!fits(f, n))
		return;
	if (n && copy_from_user_nofault(f->buf + f->off, (const void __user *)uptr, n)) {
		count_read_failure(f);
		n = 0;
	}
	if (n)
		f->buf[f->off + n - 1] = '\0';
	end_param(f, n);
}

/* Element i of a user array of pointers: 32-bit ones in an ia32 syscall; 0 when unreadable. */
static inline unsigned long user_ptr(struct kcap_fctx *f, unsigned long uarr, u32 i)
{
	unsigned long p;
	u32 p32;

	if (f->compat) {
		if (copy_from_user_nofault(&p32, (const void __user *)(uarr + i * sizeof(p32)),
					   sizeof(p32)))
			return 0;
		return p32;
	}
	if (copy_from_user_nofault(&p, (const void __user *)(uarr + i * sizeof(p)), sizeof(p)))
		return 0;
	return p;
}

/* Each string cut to what is left of KCAP_ARGS_MAX, NUL kept, as bpf_probe_read_user_str. */
static inline void kcap_put_user_strv(struct kcap_fctx *f, unsigned long uarr, int first, int max)
{
	u32 len = 0, left, room;
	long n;
	int i;

	if (!fits(f, 0))
		return;
	for (i = 0; i < KCAP_STRV_MAX && i < max && uarr; i++) {
		unsigned long str = user_ptr(f, uarr, first + i);

		if (!str || len >= KCAP_ARGS_MAX)
			break;
		left = KCAP_ARGS_MAX - len;
		room = min(left, f->room - f->off - len);
		n = room ? user_str_nofault(f->buf + f->off + len, (const char *)str, room) : 0;
		if (room && n < 0) {
			count_read_failure(f);
			break;
		}
		if (n == room && room < left) {
			f->overflow = true;	/* it did not fit the room */
			return;
		}
		if (n == room)
			f->buf[f->off + len + room - 1] = '\0';
		else
			n++;	/* the NUL */
		len += n;
	}
	end_param(f, len);
}

static inline u32 kcap_last_len(struct kcap_fctx *f)
{
	u16 l;

	if (!f->arg)
		return 0;
	memcpy(&l, f->buf + PPM_EVT_HDR_SIZE + 2 * (f->arg - 1), 2);
	return l;
}
/* end of proc */

/* mem */
static inline void kcap_put_dyn(struct kcap_fctx *f, u8 idx, u64 v, u32 size)
{
	size = min_t(u32, size, sizeof(v));
	if (!fits(f, 1 + size))
		return;
	f->buf[f->off] = idx;
	memcpy(f->buf + f->off + 1, &v, size);	/* little endian: the low bytes */
	end_param(f, 1 + size);
}
/* end of mem */

#endif /* KCAP_FILLER_KMOD_H */
