/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Fillers of open, read, write and the other fd syscalls (fillers.h includes every family). */
#ifndef KCAP_FILLERS_IO_H
#define KCAP_FILLERS_IO_H

#include "fillers_common.h"

/* Linux x86_64 values; the schema's are in ppm_flags.h. */
#define KCAP_F_DUPFD 0
#define KCAP_F_GETFD 1
#define KCAP_F_SETFD 2
#define KCAP_F_GETFL 3
#define KCAP_F_SETFL 4
#define KCAP_F_GETLK 5
#define KCAP_F_SETLK 6
#define KCAP_F_SETLKW 7
#define KCAP_F_SETOWN 8
#define KCAP_F_GETOWN 9
#define KCAP_F_SETSIG 10
#define KCAP_F_GETSIG 11
#define KCAP_F_SETOWN_EX 15
#define KCAP_F_GETOWN_EX 16
#define KCAP_F_OFD_GETLK 36
#define KCAP_F_OFD_SETLK 37
#define KCAP_F_OFD_SETLKW 38
#define KCAP_F_SETLEASE 1024
#define KCAP_F_GETLEASE 1025
#define KCAP_F_NOTIFY 1026
#define KCAP_F_CANCELLK 1029
#define KCAP_F_DUPFD_CLOEXEC 1030
#define KCAP_F_SETPIPE_SZ 1031
#define KCAP_F_GETPIPE_SZ 1032

#define KCAP_RESOLVE_NO_XDEV 0x01
#define KCAP_RESOLVE_NO_MAGICLINKS 0x02
#define KCAP_RESOLVE_NO_SYMLINKS 0x04
#define KCAP_RESOLVE_BENEATH 0x08
#define KCAP_RESOLVE_IN_ROOT 0x10
#define KCAP_RESOLVE_CACHED 0x20

#define KCAP_SEEK_SET 0
#define KCAP_SEEK_CUR 1
#define KCAP_SEEK_END 2

/*
 * As libs on a 64-bit kernel: F_GETLK64 and friends only exist on 32-bit
 * ones, and commands without a schema value (F_ADD_SEALS...) are UNKNOWN.
 */
static __always_inline __u8 kcap_fcntl_cmd(__u32 cmd)
{
	switch (cmd) {
	case KCAP_F_DUPFD: return PPM_FCNTL_F_DUPFD;
	case KCAP_F_GETFD: return PPM_FCNTL_F_GETFD;
	case KCAP_F_SETFD: return PPM_FCNTL_F_SETFD;
	case KCAP_F_GETFL: return PPM_FCNTL_F_GETFL;
	case KCAP_F_SETFL: return PPM_FCNTL_F_SETFL;
	case KCAP_F_GETLK: return PPM_FCNTL_F_GETLK;
	case KCAP_F_SETLK: return PPM_FCNTL_F_SETLK;
	case KCAP_F_SETLKW: return PPM_FCNTL_F_SETLKW;
	case KCAP_F_SETOWN: return PPM_FCNTL_F_SETOWN;
	case KCAP_F_GETOWN: return PPM_FCNTL_F_GETOWN;
	case KCAP_F_SETSIG: return PPM_FCNTL_F_SETSIG;
	case KCAP_F_GETSIG: return PPM_FCNTL_F_GETSIG;
	case KCAP_F_SETOWN_EX: return PPM_FCNTL_F_SETOWN_EX;
	case KCAP_F_GETOWN_EX: return PPM_FCNTL_F_GETOWN_EX;
	case KCAP_F_OFD_GETLK: return PPM_FCNTL_F_OFD_GETLK;
	case KCAP_F_OFD_SETLK: return PPM_FCNTL_F_OFD_SETLK;
	case KCAP_F_OFD_SETLKW: return PPM_FCNTL_F_OFD_SETLKW;
	case KCAP_F_SETLEASE: return PPM_FCNTL_F_SETLEASE;
	case KCAP_F_GETLEASE: return PPM_FCNTL_F_GETLEASE;
	case KCAP_F_NOTIFY: return PPM_FCNTL_F_NOTIFY;
	case KCAP_F_CANCELLK: return PPM_FCNTL_F_CANCELLK;
	case KCAP_F_DUPFD_CLOEXEC: return PPM_FCNTL_F_DUPFD_CLOEXEC;
	case KCAP_F_SETPIPE_SZ: return PPM_FCNTL_F_SETPIPE_SZ;
	case KCAP_F_GETPIPE_SZ: return PPM_FCNTL_F_GETPIPE_SZ;
	default: return PPM_FCNTL_UNKNOWN;
	}
}

static __always_inline __u32 kcap_openat2_resolve(__u64 resolve)
{
	__u32 res = 0;

	if (resolve & KCAP_RESOLVE_BENEATH)
		res |= PPM_RESOLVE_BENEATH;
	if (resolve & KCAP_RESOLVE_IN_ROOT)
		res |= PPM_RESOLVE_IN_ROOT;
	if (resolve & KCAP_RESOLVE_NO_MAGICLINKS)
		res |= PPM_RESOLVE_NO_MAGICLINKS;
	if (resolve & KCAP_RESOLVE_NO_SYMLINKS)
		res |= PPM_RESOLVE_NO_SYMLINKS;
	if (resolve & KCAP_RESOLVE_NO_XDEV)
		res |= PPM_RESOLVE_NO_XDEV;
	if (resolve & KCAP_RESOLVE_CACHED)
		res |= PPM_RESOLVE_CACHED;
	return res;
}

/* SEEK_DATA, SEEK_HOLE and invalid values have no schema value: 0, as libs. */
static __always_inline __u8 kcap_lseek_whence(__u32 whence)
{
	switch (whence) {
	case KCAP_SEEK_CUR: return PPM_SEEK_CUR;
	case KCAP_SEEK_END: return PPM_SEEK_END;
	default: return PPM_SEEK_SET;
	}
}

/* dup3 only takes O_CLOEXEC. */
static __always_inline __u32 kcap_dup3_flags(__u32 flags)
{
	return flags & KCAP_O_CLOEXEC ? PPM_O_CLOEXEC : 0;
}

static __always_inline __u32 kcap_pipe2_flags(__u32 flags)
{
	__u32 res = 0;

	if (flags & KCAP_O_CLOEXEC)
		res |= PPM_O_CLOEXEC;
	if (flags & KCAP_O_DIRECT)
		res |= PPM_O_DIRECT;
	if (flags & KCAP_O_NONBLOCK)
		res |= PPM_O_NONBLOCK;
	return res;
}

/* struct open_how of openat2 (24 bytes, its first and minimal size). */
struct kcap_open_how {
	__u64 flags;
	__u64 mode;
	__u64 resolve;
};

static __always_inline int fill_close_e(struct kcap_fctx *f)
{
	return fill_fd_arg(f, 0);
}

static __always_inline int fill_close_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	return kcap_submit(f);
}

/* fd, size: read and write on enter. */
static __always_inline int fill_fd_size(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

static __always_inline int fill_read_e(struct kcap_fctx *f)
{
	return fill_fd_size(f);
}

/* What a read returned: nothing when it failed. */
static __always_inline void put_read_data(struct kcap_fctx *f, long ret)
{
	if (ret > 0)
		kcap_put_user_buf(f, (const void *)kcap_sc_arg(f, 1), ret);
	else
		kcap_put_empty(f);
}

/* The data is in the caller's buffer whether or not the write succeeded. */
static __always_inline void put_write_data(struct kcap_fctx *f, long ret)
{
	unsigned long size = kcap_sc_arg(f, 2);

	kcap_put_user_buf(f, (const void *)kcap_sc_arg(f, 1), ret > 0 ? (unsigned long)ret : size);
}

static __always_inline int fill_read_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f);

	kcap_put_s64(f, ret);
	put_read_data(f, ret);
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

static __always_inline int fill_write_e(struct kcap_fctx *f)
{
	return fill_fd_size(f);
}

static __always_inline int fill_write_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f);

	kcap_put_s64(f, ret);
	put_write_data(f, ret);
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

static __always_inline int fill_open_e(struct kcap_fctx *f)
{
	__u32 flags = (__u32)kcap_sc_arg(f, 1);

	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 0));
	kcap_put_u32(f, kcap_open_flags(flags));
	kcap_put_u32(f, kcap_open_mode(flags, (__u32)kcap_sc_arg(f, 2)));
	return kcap_submit(f);
}

static __always_inline int fill_open_x(struct kcap_fctx *f)
{
	__u32 flags = (__u32)kcap_sc_arg(f, 1);
	long fd = kcap_sc_ret(f);
	struct kcap_file_info info = opened_file(f, fd);

	kcap_put_s64(f, fd);
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 0));
	kcap_put_u32(f, open_flags(flags, &info));
	kcap_put_u32(f, kcap_open_mode(flags, (__u32)kcap_sc_arg(f, 2)));
	kcap_put_u32(f, info.dev);
	kcap_put_u64(f, info.ino);
	return kcap_submit(f);
}

static __always_inline int fill_openat_e(struct kcap_fctx *f)
{
	__u32 flags = (__u32)kcap_sc_arg(f, 2);

	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 1));
	kcap_put_u32(f, kcap_open_flags(flags));
	kcap_put_u32(f, kcap_open_mode(flags, (__u32)kcap_sc_arg(f, 3)));
	return kcap_submit(f);
}

static __always_inline int fill_openat_x(struct kcap_fctx *f)
{
	__u32 flags = (__u32)kcap_sc_arg(f, 2);
	long fd = kcap_sc_ret(f);
	struct kcap_file_info info = opened_file(f, fd);

	kcap_put_s64(f, fd);
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 1));
	kcap_put_u32(f, open_flags(flags, &info));
	kcap_put_u32(f, kcap_open_mode(flags, (__u32)kcap_sc_arg(f, 3)));
	kcap_put_u32(f, info.dev);
	kcap_put_u64(f, info.ino);
	return kcap_submit(f);
}

static __always_inline int fill_creat_e(struct kcap_fctx *f)
{
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 1) & 07777);
	return kcap_submit(f);
}

static __always_inline int fill_creat_x(struct kcap_fctx *f)
{
	long fd = kcap_sc_ret(f);
	struct kcap_file_info info = opened_file(f, fd);

	kcap_put_s64(f, fd);
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 1) & 07777);
	kcap_put_u32(f, info.dev);
	kcap_put_u64(f, info.ino);
	kcap_put_u16(f, 0);	/* overlayfs layer flags: not tracked yet */
	return kcap_submit(f);
}

static __always_inline int fill_dup_e(struct kcap_fctx *f)
{
	return fill_fd_arg(f, 0);
}

static __always_inline int fill_dup_x(struct kcap_fctx *f)
{
	return fill_res_fd(f);
}

/* fd, size, pos: pread and pwrite on enter (pos in two registers from ia32 callers). */
static __always_inline int fill_fd_size_pos(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 2));
	kcap_put_u64(f, kcap_sc_u64(f, 3));
	return kcap_submit(f);
}

static __always_inline int fill_pread_e(struct kcap_fctx *f)
{
	return fill_fd_size_pos(f);
}

static __always_inline int fill_pread_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f);

	kcap_put_s64(f, ret);
	put_read_data(f, ret);
	return fill_fd_size_pos(f);
}

static __always_inline int fill_pwrite_e(struct kcap_fctx *f)
{
	return fill_fd_size_pos(f);
}

static __always_inline int fill_pwrite_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f);

	kcap_put_s64(f, ret);
	put_write_data(f, ret);
	return fill_fd_size_pos(f);
}

static __always_inline int fill_readv_e(struct kcap_fctx *f)
{
	return fill_fd_arg(f, 0);
}

/* Only what was read: size is res, data its first res bytes; then the fd. */
static __always_inline void put_readv(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f);

	kcap_put_s64(f, ret);
	if (ret > 0) {
		kcap_put_u32(f, (__u32)ret);
		put_iov_data(f, kcap_sc_arg(f, 1), kcap_sc_arg(f, 2), ret, NULL);
	} else {
		kcap_put_u32(f, 0);
		kcap_put_empty(f);
	}
	kcap_put_s64(f, kcap_sc_int(f, 0));
}

static __always_inline int fill_readv_x(struct kcap_fctx *f)
{
	put_readv(f);
	return kcap_submit(f);
}

/* preadv: readv's, and the offset (in two registers from an ia32 caller). */
static __always_inline int fill_preadv_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u64(f, kcap_sc_u64(f, 3));
	return kcap_submit(f);
}

static __always_inline int fill_preadv_x(struct kcap_fctx *f)
{
	put_readv(f);
	kcap_put_u64(f, kcap_sc_u64(f, 3));
	return kcap_submit(f);
}

/* fd, and the size the iovecs hold. */
static __always_inline void put_writev_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, (__u32)iov_total(f, kcap_sc_arg(f, 1), kcap_sc_arg(f, 2), NULL));
}

static __always_inline int fill_writev_e(struct kcap_fctx *f)
{
	put_writev_e(f);
	return kcap_submit(f);
}

/*
 * What was written, or all the caller passed when the write failed; size is
 * what the iovecs hold.
 */
static __always_inline void put_writev(struct kcap_fctx *f)
{
	unsigned long uiov = kcap_sc_arg(f, 1), cnt = kcap_sc_arg(f, 2);
	long ret = kcap_sc_ret(f);
	__u64 total;

	kcap_put_s64(f, ret);
	total = put_iov_data(f, uiov, cnt, ret > 0 ? ret : ~0UL, NULL);
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, (__u32)total);
}

static __always_inline int fill_writev_x(struct kcap_fctx *f)
{
	put_writev(f);
	return kcap_submit(f);
}

/* pwritev: writev's, and the offset (in two registers from an ia32 caller). */
static __always_inline int fill_pwritev_e(struct kcap_fctx *f)
{
	put_writev_e(f);
	kcap_put_u64(f, kcap_sc_u64(f, 3));
	return kcap_submit(f);
}

static __always_inline int fill_pwritev_x(struct kcap_fctx *f)
{
	put_writev(f);
	kcap_put_u64(f, kcap_sc_u64(f, 3));
	return kcap_submit(f);
}

/* fd, offset, whence: lseek's arguments. */
#define KCAP_IA32_LLSEEK 140	/* fd, offset high, offset low, loff_t *result, whence */

/* fd, offset, whence of lseek, or of the ia32 lseek and _llseek that map to it. */
static __always_inline int fill_lseek_args(struct kcap_fctx *f)
{
	__u64 offset = kcap_sc_arg(f, 1);
	__u32 whence = (__u32)kcap_sc_arg(f, 2);

	if (kcap_sc_ia32_nr(f) == KCAP_IA32_LLSEEK) {
		offset = (__u64)(__u32)kcap_sc_arg(f, 1) << 32 | (__u32)kcap_sc_arg(f, 2);
		whence = (__u32)kcap_sc_arg(f, 4);
	} else if (kcap_sc_compat(f)) {
		offset = (__u64)(__s64)(__s32)offset;	/* a compat_off_t */
	}
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u64(f, offset);
	kcap_put_u8(f, kcap_lseek_whence(whence));
	return kcap_submit(f);
}

static __always_inline int fill_lseek_e(struct kcap_fctx *f)
{
	return fill_lseek_args(f);
}

static __always_inline int fill_lseek_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_lseek_args(f);
}

/* fd, operation: flock. */
static __always_inline int fill_flock_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, kcap_flock_flags((__u32)kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

static __always_inline int fill_flock_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_flock_e(f);
}

/* res, first, last, flags: close_range. */
static __always_inline int fill_close_range_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 1));
	kcap_put_u32(f, kcap_close_range_flags((__u32)kcap_sc_arg(f, 2)));
	return kcap_submit(f);
}

/* fd, request, argument: ioctl (the argument as given: a value or a pointer). */
static __always_inline int fill_ioctl_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u64(f, kcap_sc_arg(f, 1));
	kcap_put_u64(f, kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

static __always_inline int fill_ioctl_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_ioctl_e(f);
}

/* getdents and getdents64: the fd, and the result on exit. */
static __always_inline int fill_getdents_e(struct kcap_fctx *f)
{
	return fill_fd_arg(f, 0);
}

static __always_inline int fill_getdents_x(struct kcap_fctx *f)
{
	return fill_res_fd(f);
}

/* The file offset a sendfile offset argument points to; 0 without one (the fd's own). */
static __always_inline __u64 sendfile_offset(struct kcap_fctx *f)
{
	__u64 off = 0;

	kcap_read_user(f, &off, (const void *)kcap_sc_arg(f, 2), sizeof(off));
	return off;
}

/* out_fd, in_fd, the offset it starts at, size. */
static __always_inline int fill_sendfile_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_s64(f, kcap_sc_int(f, 1));
	kcap_put_u64(f, sendfile_offset(f));
	kcap_put_u64(f, kcap_sc_arg(f, 3));
	return kcap_submit(f);
}

/* res, the offset it moved to, out_fd, in_fd, size. */
static __always_inline int fill_sendfile_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u64(f, sendfile_offset(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_s64(f, kcap_sc_int(f, 1));
	kcap_put_u64(f, kcap_sc_arg(f, 3));
	return kcap_submit(f);
}

/* fd_in, fd_out, size, flags: splice (its offset pointers are not parameters). */
static __always_inline int fill_splice_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_s64(f, kcap_sc_int(f, 2));
	kcap_put_u64(f, kcap_sc_arg(f, 4));
	kcap_put_u32(f, kcap_splice_flags((__u32)kcap_sc_arg(f, 5)));
	return kcap_submit(f);
}

static __always_inline int fill_splice_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_splice_e(f);
}

/* copy_file_range: the offset arguments as given (pointers), as libs. */
static __always_inline int fill_copy_file_range_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u64(f, kcap_sc_arg(f, 1));
	kcap_put_u64(f, kcap_sc_arg(f, 4));
	return kcap_submit(f);
}

static __always_inline int fill_copy_file_range_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 2));
	kcap_put_u64(f, kcap_sc_arg(f, 3));
	return fill_copy_file_range_e(f);
}

/* maxevents: epoll_wait. */
static __always_inline int fill_epoll_wait_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 2));
	return kcap_submit(f);
}

static __always_inline int fill_epoll_wait_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_epoll_wait_e(f);
}

/* x86_64 values, include/uapi/asm-generic/poll.h. */
#define KCAP_POLLERR 0x8
#define KCAP_POLLHUP 0x10
#define KCAP_POLLNVAL 0x20
#define KCAP_POLLRDNORM 0x40
#define KCAP_POLLRDBAND 0x80
#define KCAP_POLLWRNORM 0x100
#define KCAP_POLLWRBAND 0x200
#define KCAP_POLLRDHUP 0x2000

/* POLLIN, POLLPRI and POLLOUT keep their bits; the others move. */
static __always_inline __u16 kcap_poll_flags(__u16 v)
{
	return (v & (PPM_POLLIN | PPM_POLLPRI | PPM_POLLOUT)) |
	       (v & KCAP_POLLRDHUP ? PPM_POLLRDHUP : 0) | (v & KCAP_POLLERR ? PPM_POLLERR : 0) |
	       (v & KCAP_POLLHUP ? PPM_POLLHUP : 0) | (v & KCAP_POLLNVAL ? PPM_POLLNVAL : 0) |
	       (v & KCAP_POLLRDNORM ? PPM_POLLRDNORM : 0) |
	       (v & KCAP_POLLRDBAND ? PPM_POLLRDBAND : 0) |
	       (v & KCAP_POLLWRNORM ? PPM_POLLWRNORM : 0) |
	       (v & KCAP_POLLWRBAND ? PPM_POLLWRBAND : 0);
}

/* The fds of a list that fit one built parameter (2 + 10 bytes each). */
#define KCAP_FDLIST_MAX 12

struct kcap_pollfd {
	__s32 fd;
	__s16 events;
	__s16 revents;
};

/*
 * The first KCAP_FDLIST_MAX fds of a pollfd array with the events asked
 * (enter) or returned (exit): u16 count, then (s64 fd, u16 flags) each.
 */
static __always_inline void put_fdlist(struct kcap_fctx *f, unsigned long ufds, __u32 nfds,
				       int returned)
{
	__u8 b[2 + 10 * KCAP_FDLIST_MAX];
	struct kcap_pollfd p;
	__u16 k = 0, fl;
	int i, done = 0;
	__s64 fd;

	__builtin_memset(b, 0, sizeof(b));
	KCAP_UNROLL
	for (i = 0; i < KCAP_FDLIST_MAX; i++) {
		/* No break: the loop unrolls, so each entry's offset is a constant. */
		if (done || (__u32)i >= nfds ||
		    kcap_read_user(f, &p, (const void *)(ufds + i * sizeof(p)), sizeof(p))) {
			done = 1;
			continue;
		}
		fd = p.fd;
		fl = kcap_poll_flags((__u16)(returned ? p.revents : p.events));
		__builtin_memcpy(b + 2 + 10 * i, &fd, 8);
		__builtin_memcpy(b + 10 + 10 * i, &fl, 2);
		k = (__u16)(i + 1);
	}
	__builtin_memcpy(b, &k, 2);
	kcap_put_bytes(f, b, 2 + 10 * (__u32)k);
}

/* fds (the events asked), timeout in ms: poll. */
static __always_inline int fill_poll_e(struct kcap_fctx *f)
{
	put_fdlist(f, kcap_sc_arg(f, 0), (__u32)kcap_sc_arg(f, 1), 0);
	kcap_put_s64(f, kcap_sc_int(f, 2));
	return kcap_submit(f);
}

/* res, fds (the events returned), timeout. */
static __always_inline int fill_poll_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_fdlist(f, kcap_sc_arg(f, 0), (__u32)kcap_sc_arg(f, 1), 1);
	kcap_put_s64(f, kcap_sc_int(f, 2));
	return kcap_submit(f);
}

#define KCAP_IA32_PPOLL 309	/* with a 32-bit timespec (ppoll_time64 has a 64-bit one) */

/*
 * ppoll's timeout in ns, -1 without one (it waits for ever), 0 when
 * unreadable; its mask's first 32 signals.
 */
static __always_inline void put_ppoll_rest(struct kcap_fctx *f)
{
	unsigned long uts = kcap_sc_arg(f, 2);

	kcap_put_u64(f, uts ? kcap_user_timespec_ns(f, uts, kcap_sc_ia32_nr(f) == KCAP_IA32_PPOLL) :
			      (__u64)-1);
	kcap_put_u32(f, kcap_user_sigset(f, kcap_sc_arg(f, 3)));
}

static __always_inline int fill_ppoll_e(struct kcap_fctx *f)
{
	put_fdlist(f, kcap_sc_arg(f, 0), (__u32)kcap_sc_arg(f, 1), 0);
	put_ppoll_rest(f);
	return kcap_submit(f);
}

static __always_inline int fill_ppoll_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_fdlist(f, kcap_sc_arg(f, 0), (__u32)kcap_sc_arg(f, 1), 1);
	put_ppoll_rest(f);
	return kcap_submit(f);
}

static __always_inline int fill_dup2_e(struct kcap_fctx *f)
{
	return fill_fd_arg(f, 0);
}

/* res, oldfd, newfd: dup2 and dup3 on exit. */
static __always_inline void put_dup_fds(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_s64(f, kcap_sc_int(f, 1));
}

static __always_inline int fill_dup2_x(struct kcap_fctx *f)
{
	put_dup_fds(f);
	return kcap_submit(f);
}

static __always_inline int fill_dup3_e(struct kcap_fctx *f)
{
	return fill_fd_arg(f, 0);
}

static __always_inline int fill_dup3_x(struct kcap_fctx *f)
{
	put_dup_fds(f);
	kcap_put_u32(f, kcap_dup3_flags((__u32)kcap_sc_arg(f, 2)));
	return kcap_submit(f);
}

static __always_inline int fill_fcntl_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u8(f, kcap_fcntl_cmd((__u32)kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

/* arg is the raw third argument: a number, flags or a pointer, per cmd. */
static __always_inline int fill_fcntl_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u8(f, kcap_fcntl_cmd((__u32)kcap_sc_arg(f, 1)));
	kcap_put_u64(f, kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

/*
 * res, fd1, fd2, ino: pipe and pipe2 on exit. The fds are read back from the
 * caller's array after a successful call only: a failed one put none there
 * (libs reports whatever the array held), so -1, -1 and no inode.
 */
static __always_inline void put_pipe_fds(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f);
	int fds[2] = { -1, -1 };
	struct kcap_file_info info = { 0 };

	if (ret == 0) {
		if (kcap_read_user(f, fds, (const void *)kcap_sc_arg(f, 0), sizeof(fds)))
			fds[0] = fds[1] = -1;
		else
			info = opened_file(f, fds[0]);
	}
	kcap_put_s64(f, ret);
	kcap_put_s64(f, fds[0]);
	kcap_put_s64(f, fds[1]);
	kcap_put_u64(f, info.ino);
}

static __always_inline int fill_pipe_x(struct kcap_fctx *f)
{
	put_pipe_fds(f);
	return kcap_submit(f);
}

static __always_inline int fill_pipe2_x(struct kcap_fctx *f)
{
	put_pipe_fds(f);
	kcap_put_u32(f, kcap_pipe2_flags((__u32)kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

/* An unreadable struct open_how reads as zeros, as in libs. */
static __always_inline struct kcap_open_how open_how(struct kcap_fctx *f)
{
	struct kcap_open_how how;

	kcap_read_user(f, &how, (const void *)kcap_sc_arg(f, 2), sizeof(how));
	return how;
}

static __always_inline int fill_openat2_e(struct kcap_fctx *f)
{
	struct kcap_open_how how = open_how(f);

	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 1));
	kcap_put_u32(f, kcap_open_flags((__u32)how.flags));
	kcap_put_u32(f, kcap_open_mode((__u32)how.flags, (__u32)how.mode));
	kcap_put_u32(f, kcap_openat2_resolve(how.resolve));
	return kcap_submit(f);
}

static __always_inline int fill_openat2_x(struct kcap_fctx *f)
{
	struct kcap_open_how how = open_how(f);
	long fd = kcap_sc_ret(f);
	struct kcap_file_info info = opened_file(f, fd);

	kcap_put_s64(f, fd);
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 1));
	kcap_put_u32(f, open_flags((__u32)how.flags, &info));
	kcap_put_u32(f, kcap_open_mode((__u32)how.flags, (__u32)how.mode));
	kcap_put_u32(f, kcap_openat2_resolve(how.resolve));
	kcap_put_u32(f, info.dev);
	kcap_put_u64(f, info.ino);
	return kcap_submit(f);
}

#endif /* KCAP_FILLERS_IO_H */
