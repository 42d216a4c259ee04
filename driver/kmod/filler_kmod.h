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

#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <net/af_unix.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <linux/version.h>

#include "../ppm_events_public.h"
#include "../filler_api.h"
#include "kcap_ring.h"

#define KCAP_USER_BUF_MAX (32 * 1024 - 1)	/* as the BPF probe */

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
	long ret;
	unsigned long args[6];
	struct task_struct *task;	/* procexit: the exiting task */
	u32 snaplen;
};

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

static inline void count_read_failure(struct kcap_fctx *f)
{
	f->ring->page->counters.read_failures++;
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

static inline s64 kcap_exit_code(struct kcap_fctx *f)
{
	return f->task->exit_code;
}

/* Children of an exiting thread go to another thread of its group, if any. */
static inline s64 kcap_reaper_tid(struct kcap_fctx *f)
{
	struct task_struct *t = f->task;
	s64 tid;

	if (list_empty(&t->children))
		return 0;
	if (atomic_read(&t->signal->live) > 0)
		return t->tgid;
	rcu_read_lock();
	tid = rcu_dereference(t->real_parent)->tgid;
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
	memcpy(f->buf + offsetof(struct ppm_evt_hdr, len), &len, 4);
	kcap_ring_commit(f->ring, len);
	c->events++;
	return 0;
}

/* A socket's addresses and ports as plain values (net: kcap_fd_sock). */
static inline void kcap_sock_values(struct sock *sk, struct kcap_sock *out)
{
	struct inet_sock *inet = inet_sk(sk);

	out->sk = (unsigned long)sk;
	out->family = READ_ONCE(sk->sk_family);
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

/* Entry i of a user iovec array: 16 bytes, or 8 in an ia32 syscall. */
static inline int read_user_iov(bool compat, const void *uiov, u32 i, u64 *base, u64 *len)
{
	u32 c[2];
	u64 e[2];

	if (compat) {
		if (copy_from_user_nofault(c, (const void __user *)uiov + i * sizeof(c), sizeof(c)))
			return -1;
		*base = c[0];
		*len = c[1];
		return 0;
	}
	if (copy_from_user_nofault(e, (const void __user *)uiov + i * sizeof(e), sizeof(e)))
		return -1;
	*base = e[0];
	*len = e[1];
	return 0;
}

static inline void kcap_put_user_iov(struct kcap_fctx *f, const void *uiov, unsigned long cnt,
				     unsigned long len)
{
	u32 max = min_t(unsigned long, len, min_t(u32, f->snaplen, KCAP_USER_BUF_MAX));
	u32 i, n = 0, chunk;
	u64 base, l;

	if (!fits(f, max))
		return;
	for (i = 0; i < KCAP_IOV_MAX && i < cnt && n < max; i++) {
		if (read_user_iov(f->compat, uiov, i, &base, &l)) {
			count_read_failure(f);
			break;
		}
		chunk = min_t(u64, l, max - n);
		if (chunk && copy_from_user_nofault(f->buf + f->off + n,
						    (const void __user *)(unsigned long)base, chunk)) {
			count_read_failure(f);
			break;
		}
		n += chunk;
	}
	end_param(f, n);
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
		kcap_sock_values(sk, out);
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
