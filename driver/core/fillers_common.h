/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * What every family of fillers uses: the filler API, the flag conversions,
 * the dispatch, and the helpers several families share. Each family header
 * includes it and stands on its own.
 */
#ifndef KCAP_FILLERS_COMMON_H
#define KCAP_FILLERS_COMMON_H

#include "filler_api.h"
#include "flag_conv.h"
#include "dispatch.h"

#ifndef KCAP_UNROLL
#define KCAP_UNROLL
#endif
#ifndef KCAP_KEEP_BOUND
#define KCAP_KEEP_BOUND(v) do { } while (0)
#endif

static __always_inline long kcap_sc_int(struct kcap_fctx *f, int n)
{
	return (long)(int)kcap_sc_arg(f, n);
}

/* A 64-bit argument at n (a file offset): an ia32 caller splits it, low half first. */
static __always_inline __u64 kcap_sc_u64(struct kcap_fctx *f, int n)
{
	if (!kcap_sc_compat(f))
		return kcap_sc_arg(f, n);
	return (__u32)kcap_sc_arg(f, n) | (__u64)(__u32)kcap_sc_arg(f, n + 1) << 32;
}

/* dev, ino and mode of the fd a successful open returned; zeros when unknown. */
/*
 * The first 32 signals of a user sigset (the schema's PT_SIGSET is 32 bits);
 * 0 when there is none or it cannot be read.
 */
static __always_inline __u32 kcap_user_sigset(struct kcap_fctx *f, unsigned long uset)
{
	__u32 mask = 0;

	kcap_read_user(f, &mask, (const void *)uset, sizeof(mask));
	return mask;
}

/*
 * A user timespec in ns: 64-bit halves, or 32-bit ones for the ia32 calls
 * that take an old_timespec32; 0 when unreadable.
 */
static __always_inline __u64 kcap_user_timespec_ns(struct kcap_fctx *f, unsigned long uts,
						   int halves32)
{
	struct {
		__s64 sec, nsec;
	} ts = { 0, 0 };
	__s32 ts32[2] = { 0, 0 };

	if (halves32) {
		kcap_read_user(f, ts32, (const void *)uts, sizeof(ts32));
		ts.sec = ts32[0];
		ts.nsec = ts32[1];
	} else {
		kcap_read_user(f, &ts, (const void *)uts, sizeof(ts));
	}
	return (__u64)ts.sec * 1000000000ull + (__u64)ts.nsec;
}

/*
 * A PT_DYN value held in user memory: the dynamic table's index idx, then at
 * most KCAP_PUT_BYTES_MAX - 1 bytes: len bytes, or with str a string and its
 * NUL (an unreadable one stored as ""). Setsockopt's bytes, keyctl's strings.
 */
static __always_inline void kcap_put_dyn_user(struct kcap_fctx *f, __u8 idx, unsigned long uptr,
					      __u32 len, int str)
{
	__u8 b[KCAP_PUT_BYTES_MAX];
	__u32 n = len < KCAP_PUT_BYTES_MAX - 1 ? len : KCAP_PUT_BYTES_MAX - 1;

	/* Zeroed whole: the verifier sees no read of unwritten stack. */
	__builtin_memset(b, 0, sizeof(b));
	b[0] = idx;
	if (str) {
		n = kcap_read_user_str(f, (char *)b + 1, (const void *)uptr, sizeof(b) - 1);
		if (!n)
			n = 1;	/* the NUL of "" */
	} else {
		KCAP_KEEP_BOUND(n);
		n &= KCAP_PUT_BYTES_MAX - 1;
		if (n && kcap_read_user(f, b + 1, (const void *)uptr, n))
			n = 0;
	}
	kcap_put_bytes(f, b, n + 1);
}

static __always_inline struct kcap_file_info opened_file(struct kcap_fctx *f, long fd)
{
	struct kcap_file_info info = { 0 };

	if (fd >= 0)
		kcap_fd_file(f, (int)fd, &info);
	return info;
}

static __always_inline __u32 open_flags(__u32 flags, const struct kcap_file_info *info)
{
	return kcap_open_flags(flags) | (info->fmode & KCAP_FMODE_CREATED ? PPM_O_F_CREATED : 0);
}

static __always_inline int fill_generic_e(struct kcap_fctx *f)
{
	kcap_put_u16(f, kcap_ppm_sc(f));
	kcap_put_u16(f, kcap_sc_nr(f));
	return kcap_submit(f);
}

static __always_inline int fill_generic_x(struct kcap_fctx *f)
{
	kcap_put_u16(f, kcap_ppm_sc(f));
	kcap_put_u16(f, kcap_sc_nr(f));
	return kcap_submit(f);
}

/* Exit events that carry the result alone: setsid, munlockall. */
static __always_inline int fill_res_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return kcap_submit(f);
}

/* Exit events that carry no parameter in this schema: getsockname, getpeername. */
static __always_inline int fill_empty_x(struct kcap_fctx *f)
{
	return kcap_submit(f);
}

/* Enter events that carry no parameter in this schema. */
static __always_inline int fill_empty_e(struct kcap_fctx *f)
{
	return kcap_submit(f);
}

/* The fd argument n: fd, dirfd, oldfd. */
static __always_inline int fill_fd_arg(struct kcap_fctx *f, int n)
{
	kcap_put_s64(f, kcap_sc_int(f, n));
	return kcap_submit(f);
}

/* res, then one user path: unlink, rmdir, chdir. */
static __always_inline int fill_res_path(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 0));
	return kcap_submit(f);
}

/* res, then the fd argument: fchdir, dup. */
static __always_inline int fill_res_fd(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	return kcap_submit(f);
}

/* res, then a uid or gid: setuid, setgid. */
static __always_inline int fill_res_id(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 0));
	return kcap_submit(f);
}

/*
 * Iovec arrays (readv, writev, sendmsg, recvmsg): one walk for every filler,
 * in the caller's layout: struct iovec, or struct compat_iovec (8 bytes) in
 * an ia32 syscall. The walks run KCAP_IOV_MAX times, doing nothing past the
 * array's end or an unreadable entry, so that a backend can unroll them.
 */
struct kcap_iovec {
	__u64 base;
	__u64 len;
};

/*
 * Iovec i of the user array at uiov; -1 when it cannot be read (counted).
 * compat is read once per walk: read again per entry, the verifier would
 * follow both layouts at every entry.
 */
static __always_inline int read_iovec(struct kcap_fctx *f, int compat, unsigned long uiov, int i,
				      struct kcap_iovec *iov)
{
	__u32 c[2];

	if (!compat)
		return kcap_read_user(f, iov, (const void *)(uiov + i * sizeof(*iov)), sizeof(*iov));
	if (kcap_read_user(f, c, (const void *)(uiov + i * sizeof(c)), sizeof(c)))
		return -1;
	iov->base = c[0];
	iov->len = c[1];
	return 0;
}

/*
 * One walk of the iovecs: what they hold, in bytes; *whole (if set) says
 * every entry was read. With put (a constant where this is inlined), their
 * bytes too, concatenated as one parameter, at most max of them (and the
 * snaplen); a buffer that cannot be read ends the data.
 */
static __always_inline __u64 walk_iov(struct kcap_fctx *f, unsigned long uiov, unsigned long cnt,
				      int put, unsigned long max, int *whole)
{
	int i, walk = 1, data = 1, compat = kcap_sc_compat(f);
	struct kcap_iovec iov;
	__u64 total = 0;

	if (put)
		kcap_put_empty(f);
	KCAP_UNROLL
	for (i = 0; i < KCAP_IOV_MAX; i++) {
		int more = walk && i < cnt;

		walk = more && !read_iovec(f, compat, uiov, i, &iov);
		if (more && !walk && whole)
			*whole = 0;
		if (!walk)
			continue;
		total += iov.len;
		if (put)
			data = data && kcap_append_user_buf(f, (const void *)iov.base, iov.len,
							    max) == iov.len;
	}
	return total;
}

static __always_inline __u64 iov_total(struct kcap_fctx *f, unsigned long uiov, unsigned long cnt,
				       int *whole)
{
	return walk_iov(f, uiov, cnt, 0, 0, whole);
}

/* The iovecs' bytes as one parameter; returns what iov_total would, from the same walk. */
static __always_inline __u64 put_iov_data(struct kcap_fctx *f, unsigned long uiov,
					  unsigned long cnt, unsigned long max, int *whole)
{
	return walk_iov(f, uiov, cnt, 1, max, whole);
}

/* vm_size, vm_rss, vm_swap of the current task, as they are now. */
static __always_inline void put_task_mm(struct kcap_fctx *f)
{
	struct kcap_task_mm mm;

	kcap_current_mm(f, &mm);
	kcap_put_u32(f, mm.vm_size);
	kcap_put_u32(f, mm.vm_rss);
	kcap_put_u32(f, mm.vm_swap);
}

#endif /* KCAP_FILLERS_COMMON_H */
