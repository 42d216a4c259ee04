/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Fillers of syscalls on paths and the filesystem tree (included by fillers.h). */
#ifndef KCAP_FILLERS_PATH_H
#define KCAP_FILLERS_PATH_H

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

static __always_inline int fill_mkdir_e(struct kcap_fctx *f)
{
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 1));
	return kcap_submit(f);
}

static __always_inline int fill_mkdir_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 1));
	return kcap_submit(f);
}

static __always_inline int fill_fchdir_e(struct kcap_fctx *f)
{
	return fill_fd_arg(f, 0);
}

static __always_inline int fill_fchdir_x(struct kcap_fctx *f)
{
	return fill_res_fd(f);
}

#endif /* KCAP_FILLERS_PATH_H */
