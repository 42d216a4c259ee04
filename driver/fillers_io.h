/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Fillers of open, read, write and the other fd syscalls (included by fillers.h). */
#ifndef KCAP_FILLERS_IO_H
#define KCAP_FILLERS_IO_H

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

static __always_inline int fill_read_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f);

	kcap_put_s64(f, ret);
	if (ret > 0)
		kcap_put_user_buf(f, (const void *)kcap_sc_arg(f, 1), ret);
	else
		kcap_put_empty(f);
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

static __always_inline int fill_write_e(struct kcap_fctx *f)
{
	return fill_fd_size(f);
}

/* The data is in the caller's buffer whether or not the write succeeded. */
static __always_inline int fill_write_x(struct kcap_fctx *f)
{
	unsigned long size = kcap_sc_arg(f, 2);
	long ret = kcap_sc_ret(f);

	kcap_put_s64(f, ret);
	kcap_put_user_buf(f, (const void *)kcap_sc_arg(f, 1), ret > 0 ? (unsigned long)ret : size);
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, (__u32)size);
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

#endif /* KCAP_FILLERS_IO_H */
