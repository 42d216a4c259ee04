/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The fillers: for each event, its parameters in schema order. Written once
 * against filler_api.h and compiled into every backend. Exit events carry
 * every parameter of schema 4.5.1.
 */
#ifndef KCAP_FILLERS_H
#define KCAP_FILLERS_H

#include "filler_api.h"
#include "flag_conv.h"

static __always_inline long kcap_sc_int(struct kcap_fctx *f, int n)
{
	return (long)(int)kcap_sc_arg(f, n);
}

/* dev, ino and mode of the fd a successful open returned; zeros when unknown. */
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

static __always_inline int fill_generic_x(struct kcap_fctx *f)
{
	kcap_put_u16(f, kcap_ppm_sc(f));
	kcap_put_u16(f, kcap_sc_nr(f));
	return kcap_submit(f);
}

static __always_inline int fill_procexit_e(struct kcap_fctx *f)
{
	__s64 code = kcap_exit_code(f);

	kcap_put_s64(f, code);
	kcap_put_s64(f, (code >> 8) & 0xff);
	kcap_put_u8(f, (code & 0x7f) != 0x7f ? code & 0x7f : 0);
	kcap_put_u8(f, code & 0x80 ? 1 : 0);
	kcap_put_s64(f, kcap_reaper_tid(f));
	return kcap_submit(f);
}

static __always_inline int fill_close_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	return kcap_submit(f);
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

/* res, then one user path: unlink, rmdir, chdir. */
static __always_inline int fill_res_path(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 0));
	return kcap_submit(f);
}

static __always_inline int fill_unlink_x(struct kcap_fctx *f)
{
	return fill_res_path(f);
}

static __always_inline int fill_rmdir_x(struct kcap_fctx *f)
{
	return fill_res_path(f);
}

static __always_inline int fill_chdir_x(struct kcap_fctx *f)
{
	return fill_res_path(f);
}

static __always_inline int fill_unlinkat_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 1));
	kcap_put_u32(f, kcap_unlinkat_flags((__u32)kcap_sc_arg(f, 2)));
	return kcap_submit(f);
}

static __always_inline int fill_mkdir_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 1));
	return kcap_submit(f);
}

/* res, then the fd argument: fchdir, dup. */
static __always_inline int fill_res_fd(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	return kcap_submit(f);
}

static __always_inline int fill_fchdir_x(struct kcap_fctx *f)
{
	return fill_res_fd(f);
}

static __always_inline int fill_dup_x(struct kcap_fctx *f)
{
	return fill_res_fd(f);
}

static __always_inline int fill_kill_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u8(f, (__u8)kcap_sc_arg(f, 1));
	return kcap_submit(f);
}

/* res, then a uid or gid: setuid, setgid. */
static __always_inline int fill_res_id(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 0));
	return kcap_submit(f);
}

static __always_inline int fill_setuid_x(struct kcap_fctx *f)
{
	return fill_res_id(f);
}

static __always_inline int fill_setgid_x(struct kcap_fctx *f)
{
	return fill_res_id(f);
}

#endif /* KCAP_FILLERS_H */
