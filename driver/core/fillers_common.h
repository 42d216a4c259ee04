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

#endif /* KCAP_FILLERS_COMMON_H */
