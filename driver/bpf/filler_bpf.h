/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The BPF implementation of filler_api.h. An event is built in a per-CPU
 * scratch area: header, then the length array, then the values. Offsets are
 * masked with KCAP_SCRATCH_MASK and the area is twice the largest event, so
 * the verifier can see that no write leaves it.
 */
#ifndef KCAP_FILLER_BPF_H
#define KCAP_FILLER_BPF_H

#include "../filler_api.h"
#include "kcap_bpf_maps.h"

#define KCAP_SCRATCH_MASK (KCAP_EVENT_MAX_SIZE - 1)
#define KCAP_USER_BUF_MAX (32 * 1024 - 1)	/* a mask too: snaplen is cut to it */

struct kcap_scratch {
	__u32 off;		/* where the next value goes */
	__u32 arg;		/* index of the next parameter */
	__u32 nparams;
	__u16 nr;
	__u16 ppm_sc;
	__u32 compat;		/* an ia32 syscall: other argument registers */
	struct pt_regs regs;	/* copied once: fillers read arguments from here */
	__u8 buf[2 * KCAP_EVENT_MAX_SIZE];
};

struct kcap_fctx {
	struct task_struct *task;	/* procexit: the exiting task */
	struct kcap_scratch *s;
	long ret;
};

/* One scratch area per CPU; too large for a per-CPU map, so indexed by CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, KCAP_MAX_CPUS);
	__type(key, __u32);
	__type(value, struct kcap_scratch);
} scratch SEC(".maps");

static __always_inline struct kcap_scratch *cpu_scratch(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&scratch, &cpu);
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kcap_counters);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, KCAP_MAX_CPUS);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_RINGBUF);
		__uint(max_entries, 1 << 20);
	});
} rings SEC(".maps");

struct kcap_settings settings;

static __always_inline struct kcap_counters *cpu_counters(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&counters, &zero);
}

static __always_inline unsigned long kcap_sc_arg(struct kcap_fctx *f, int n)
{
	struct pt_regs *regs = &f->s->regs;

	if (f->s->compat) {
		switch (n) {
		case 0: return (__u32)regs->bx;
		case 1: return (__u32)regs->cx;
		case 2: return (__u32)regs->dx;
		case 3: return (__u32)regs->si;
		case 4: return (__u32)regs->di;
		default: return (__u32)regs->bp;
		}
	}
	switch (n) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->r10;
	case 4: return regs->r8;
	default: return regs->r9;
	}
}

static __always_inline long kcap_sc_ret(struct kcap_fctx *f)
{
	return f->ret;
}

static __always_inline __u16 kcap_sc_nr(struct kcap_fctx *f)
{
	return f->s->nr;
}

static __always_inline __u16 kcap_ppm_sc(struct kcap_fctx *f)
{
	return f->s->ppm_sc;
}

/* Records the length of the parameter just stored and moves on. */
static __always_inline void end_param(struct kcap_scratch *s, __u32 len)
{
	__u32 at = PPM_EVT_HDR_SIZE + 2 * (s->arg & (PPM_MAX_EVENT_PARAMS - 1));
	__u16 l = len;

	__builtin_memcpy(&s->buf[at], &l, 2);
	s->off += len;
	s->arg++;
}

#define KCAP_PUT_FIXED(name, type)						\
static __always_inline void kcap_put_##name(struct kcap_fctx *f, type v)	\
{										\
	struct kcap_scratch *s = f->s;						\
										\
	__builtin_memcpy(&s->buf[s->off & KCAP_SCRATCH_MASK], &v, sizeof(v));	\
	end_param(s, sizeof(v));						\
}

KCAP_PUT_FIXED(u8, __u8)
KCAP_PUT_FIXED(u16, __u16)
KCAP_PUT_FIXED(u32, __u32)
KCAP_PUT_FIXED(u64, __u64)
KCAP_PUT_FIXED(s64, __s64)

static __always_inline void kcap_put_empty(struct kcap_fctx *f)
{
	end_param(f->s, 0);
}

static __always_inline void count_read_failure(void)
{
	struct kcap_counters *c = cpu_counters();

	if (c)
		c->read_failures++;
}

static __always_inline void kcap_put_user_str(struct kcap_fctx *f, const char *ustr)
{
	struct kcap_scratch *s = f->s;
	long n;

	n = bpf_probe_read_user_str(&s->buf[s->off & KCAP_SCRATCH_MASK], KCAP_PATH_MAX, ustr);
	/* Before 6.6 (or so) an empty string read as 0 bytes, its NUL not counted. */
	if (n == 0 && ustr) {
		s->buf[s->off & KCAP_SCRATCH_MASK] = '\0';
		n = 1;
	}
	if (n <= 0) {
		if (ustr)
			count_read_failure();
		n = 0;
	}
	end_param(s, (__u32)n);
}

static __always_inline void kcap_put_user_buf(struct kcap_fctx *f, const void *ubuf,
					      unsigned long len)
{
	struct kcap_scratch *s = f->s;
	__u32 n = len < settings.snaplen ? len : settings.snaplen;

	if (n > KCAP_USER_BUF_MAX)
		n = KCAP_USER_BUF_MAX;
	n &= KCAP_USER_BUF_MAX;
	if (n && bpf_probe_read_user(&s->buf[s->off & KCAP_SCRATCH_MASK], n, ubuf)) {
		count_read_failure();
		n = 0;
	}
	end_param(s, n);
}

static __always_inline int kcap_fd_file(struct kcap_fctx *f, int fd, struct kcap_file_info *info)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	struct file *file = NULL;
	struct inode *inode;

	if (fd < 0 || fd >= BPF_CORE_READ(task, files, fdt, max_fds))
		return -1;
	bpf_core_read(&file, sizeof(file), &fds[fd]);
	if (!file)
		return -1;
	inode = BPF_CORE_READ(file, f_inode);
	info->ino = BPF_CORE_READ(inode, i_ino);
	info->dev = kcap_encode_dev(BPF_CORE_READ(inode, i_sb, s_dev));
	info->fmode = BPF_CORE_READ(file, f_mode);
	return 0;
}

static __always_inline __s64 kcap_exit_code(struct kcap_fctx *f)
{
	struct task_struct *task = f->task;

	return BPF_CORE_READ(task, exit_code);
}

/* Children of an exiting thread go to another thread of its group, if any. */
static __always_inline __s64 kcap_reaper_tid(struct kcap_fctx *f)
{
	struct task_struct *t = f->task;
	struct list_head *children = &t->children;

	if (BPF_CORE_READ(t, children.next) == children)
		return 0;
	if (BPF_CORE_READ(t, signal, live.counter) > 0)
		return BPF_CORE_READ(t, tgid);
	return BPF_CORE_READ(t, real_parent, tgid);
}

/* Before 6.2 the rss counters were atomics; since, per-CPU counters. */
struct mm_rss_stat___pre62 {
	atomic_long_t count[4];
} __attribute__((preserve_access_index));

struct mm_struct___pre62 {
	struct mm_rss_stat___pre62 rss_stat;
} __attribute__((preserve_access_index));

#define KCAP_KB_PER_PAGE 4

static __always_inline long mm_counter(struct mm_struct *mm, int member)
{
	if (bpf_core_type_exists(struct mm_rss_stat___pre62)) {
		struct mm_struct___pre62 *old = (void *)mm;

		return BPF_CORE_READ(old, rss_stat.count[member].counter);
	}
	return BPF_CORE_READ(mm, rss_stat[member].count);
}

static __always_inline void kcap_current_mm(struct kcap_fctx *f, struct kcap_task_mm *out)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	long rss;

	out->vm_size = out->vm_rss = out->vm_swap = 0;
	if (!mm)
		return;
	rss = mm_counter(mm, MM_FILEPAGES) + mm_counter(mm, MM_ANONPAGES) +
	      mm_counter(mm, MM_SHMEMPAGES);
	out->vm_size = BPF_CORE_READ(mm, total_vm) * KCAP_KB_PER_PAGE;
	out->vm_rss = (rss > 0 ? rss : 0) * KCAP_KB_PER_PAGE;
	out->vm_swap = (mm_counter(mm, MM_SWAPENTS) > 0 ? mm_counter(mm, MM_SWAPENTS) : 0) *
		       KCAP_KB_PER_PAGE;
}

/* Writes the finished event to this CPU's ring; a full ring counts a drop. */
static __always_inline int kcap_submit(struct kcap_fctx *f)
{
	struct kcap_counters *c = cpu_counters();
	struct kcap_scratch *s = f->s;
	__u32 cpu = bpf_get_smp_processor_id();
	__u32 len = s->off;
	void *ring;

	if (!c)
		return 0;
	if (len > KCAP_EVENT_MAX_SIZE || s->arg != s->nparams) {
		c->drops_too_large++;
		return 0;
	}
	__builtin_memcpy(&s->buf[16], &len, 4);
	ring = bpf_map_lookup_elem(&rings, &cpu);
	if (!ring)
		return 0;
	/*
	 * Never wake the reader: a wakeup costs more than the event, and even
	 * asking how full the ring is bounces the consumer's cache line. The
	 * reader polls every few milliseconds instead.
	 */
	if (bpf_ringbuf_output(ring, s->buf, len & (KCAP_EVENT_MAX_SIZE * 2 - 1), BPF_RB_NO_WAKEUP))
		c->drops_ring_full++;
	else
		c->events++;
	return 0;
}

/*
 * Calls added for one family of fillers; each family keeps to its block.
 */
/* io */
/*
 * Fixed-count loops of fillers are unrolled: the verifier keeps one list of
 * states per instruction, and the states of 32 iterations sharing a list
 * evict each other before they can prune anything.
 */
#define KCAP_UNROLL _Pragma("unroll")

/* The length of the last parameter, kept in its slot, is where to append. */
static __always_inline __u32 kcap_append_user_buf(struct kcap_fctx *f, const void *ubuf,
						  unsigned long len, unsigned long max)
{
	struct kcap_scratch *s = f->s;
	__u32 at = PPM_EVT_HDR_SIZE + 2 * ((s->arg - 1) & (PPM_MAX_EVENT_PARAMS - 1));
	__u32 limit = settings.snaplen < KCAP_USER_BUF_MAX ? settings.snaplen : KCAP_USER_BUF_MAX;
	__u16 cur;
	__u32 n;

	if (max < limit)
		limit = max;
	__builtin_memcpy(&cur, &s->buf[at], 2);
	if (cur >= limit)
		return 0;
	n = limit - cur;
	if (len < n)
		n = len;
	n &= KCAP_USER_BUF_MAX;
	if (!n)
		return 0;
	if (bpf_probe_read_user(&s->buf[s->off & KCAP_SCRATCH_MASK], n, ubuf)) {
		count_read_failure();
		return 0;
	}
	cur += n;
	__builtin_memcpy(&s->buf[at], &cur, 2);
	s->off += n;
	return n;
}
/* end of io */

/* path */
/* end of path */

/* net */
static __always_inline int kcap_sc_compat(struct kcap_fctx *f)
{
	return f->s->compat != 0;
}

static __always_inline int kcap_read_user(struct kcap_fctx *f, void *dst, const void *usrc,
					  __u32 len)
{
	if (len > KCAP_READ_USER_MAX)
		return -1;
	/* The helper zeroes dst when the read fails. */
	if (bpf_probe_read_user(dst, len, usrc)) {
		if (usrc)
			count_read_failure();
		return -1;
	}
	return 0;
}

static __always_inline __u32 kcap_read_user_str(struct kcap_fctx *f, char *dst, const void *usrc,
						__u32 size)
{
	long n;

	if (size > KCAP_READ_USER_MAX)
		size = KCAP_READ_USER_MAX;
	if (!size)
		return 0;
	n = bpf_probe_read_user_str(dst, size, usrc);
	if (n == 0 && usrc) {		/* an empty string, on kernels that counted 0 */
		dst[0] = '\0';
		n = 1;
	}
	if (n <= 0) {
		if (usrc)
			count_read_failure();
		return 0;
	}
	return (__u32)n;
}

static __always_inline void kcap_put_bytes(struct kcap_fctx *f, const void *buf, __u32 len)
{
	struct kcap_scratch *s = f->s;

	if (len > KCAP_PUT_BYTES_MAX)
		len = KCAP_PUT_BYTES_MAX;
	if (len && bpf_probe_read_kernel(&s->buf[s->off & KCAP_SCRATCH_MASK], len, buf))
		len = 0;
	end_param(s, len);
}

/* Entry i of a user iovec array: 16 bytes, or 8 in an ia32 syscall. */
static __always_inline int read_user_iov(int compat, const void *uiov, __u32 i, __u64 *base,
					 __u64 *len)
{
	__u32 c[2];
	__u64 e[2];

	if (compat) {
		if (bpf_probe_read_user(c, sizeof(c), uiov + i * sizeof(c)))
			return -1;
		*base = c[0];
		*len = c[1];
		return 0;
	}
	if (bpf_probe_read_user(e, sizeof(e), uiov + i * sizeof(e)))
		return -1;
	*base = e[0];
	*len = e[1];
	return 0;
}

/*
 * The data goes where s->off points and s->off moves with it: kept in the
 * map, the written length is not a value the verifier tracks, so the states
 * of the loop stay few.
 */
static __always_inline void kcap_put_user_iov(struct kcap_fctx *f, const void *uiov,
					      unsigned long cnt, unsigned long len)
{
	struct kcap_scratch *s = f->s;
	__u32 max = len < settings.snaplen ? len : settings.snaplen;
	__u32 start = s->off, i, room, chunk;
	int compat = s->compat;
	__u64 base, l;

	if (max > KCAP_USER_BUF_MAX)
		max = KCAP_USER_BUF_MAX;
	for (i = 0; i < KCAP_IOV_MAX && i < cnt; i++) {
		room = max - (s->off - start);
		if (!room)
			break;
		if (read_user_iov(compat, uiov, i, &base, &l)) {
			count_read_failure();
			break;
		}
		chunk = l < room ? l : room;
		chunk &= KCAP_USER_BUF_MAX;
		if (chunk && bpf_probe_read_user(&s->buf[s->off & KCAP_SCRATCH_MASK], chunk,
						 (const void *)base)) {
			count_read_failure();
			break;
		}
		s->off += chunk;
	}
	chunk = s->off - start;
	s->off = start;
	end_param(s, chunk);
}

#define KCAP_S_IFMT 0170000
#define KCAP_S_IFSOCK 0140000

static __always_inline struct file *net_fd_file(int fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	struct file *file = NULL;

	if (fd < 0 || fd >= BPF_CORE_READ(task, files, fdt, max_fds))
		return NULL;
	bpf_core_read(&file, sizeof(file), &fds[fd]);
	return file;
}

static __always_inline int kcap_fd_sock(struct kcap_fctx *f, int fd, struct kcap_sock *out)
{
	struct file *file = net_fd_file(fd);
	struct inet_sock *inet;
	struct socket *sock;
	struct sock *sk;
	__be32 a;

	__builtin_memset(out, 0, sizeof(*out));
	if (!file || (BPF_CORE_READ(file, f_inode, i_mode) & KCAP_S_IFMT) != KCAP_S_IFSOCK)
		return -1;
	sock = BPF_CORE_READ(file, private_data);
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return -1;
	inet = (struct inet_sock *)sk;
	out->sk = (unsigned long)sk;
	out->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	out->ack_backlog = BPF_CORE_READ(sk, sk_ack_backlog);
	out->max_ack_backlog = BPF_CORE_READ(sk, sk_max_ack_backlog);
	switch (out->family) {
	case KCAP_AF_INET:
		a = BPF_CORE_READ(inet, inet_saddr);
		__builtin_memcpy(out->laddr, &a, 4);
		a = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__builtin_memcpy(out->raddr, &a, 4);
		break;
	case KCAP_AF_INET6:
		BPF_CORE_READ_INTO(&out->laddr, inet, pinet6, saddr);
		BPF_CORE_READ_INTO(&out->raddr, sk, __sk_common.skc_v6_daddr);
		break;
	case KCAP_AF_UNIX:
		out->peer = (unsigned long)BPF_CORE_READ((struct unix_sock *)sk, peer);
		return 0;
	default:
		return 0;
	}
	out->lport = __builtin_bswap16(BPF_CORE_READ(inet, inet_sport));
	out->rport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	return 0;
}

/* The name is addr->len bytes, sa_family first; a pathname's NUL is counted. */
static __always_inline __u32 kcap_unix_path(struct kcap_fctx *f, __u64 skp, char *buf)
{
	struct unix_address *addr = BPF_CORE_READ((struct unix_sock *)skp, addr);
	const char *path;
	char first = 0;
	__u64 skip, size;
	long n, len;

	buf[0] = 0;
	if (!addr)
		return 1;
	len = BPF_CORE_READ(addr, len) - 2;
	if (len <= 0)
		return 1;
	path = (const char *)addr + bpf_core_field_offset(struct unix_address, name) + 2;
	bpf_probe_read_kernel(&first, 1, path);
	skip = first == 0;
	size = len - skip + 1;
	if (size > KCAP_UNIX_PATH_MAX - skip)
		size = KCAP_UNIX_PATH_MAX - skip;
	n = bpf_probe_read_kernel_str(buf, size, path + skip);
	if (n <= 0) {
		buf[0] = 0;
		return 1;
	}
	return (__u32)n;
}
/* end of net */

/* proc */
/* end of proc */

/* mem */

static __always_inline void kcap_put_dyn(struct kcap_fctx *f, __u8 idx, __u64 v, __u32 size)
{
	struct kcap_scratch *s = f->s;

	if (size > sizeof(v))
		size = sizeof(v);
	s->buf[s->off & KCAP_SCRATCH_MASK] = idx;
	/* All 8 bytes are written, little endian: the length keeps the low ones. */
	__builtin_memcpy(&s->buf[(s->off + 1) & KCAP_SCRATCH_MASK], &v, sizeof(v));
	end_param(s, 1 + size);
}

/* end of mem */

#endif /* KCAP_FILLER_BPF_H */
