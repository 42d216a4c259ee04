/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Fillers of processes, threads, signals and credentials (included by fillers.h). */
#ifndef KCAP_FILLERS_PROC_H
#define KCAP_FILLERS_PROC_H

static __always_inline int fill_kill_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u8(f, (__u8)kcap_sc_arg(f, 1));
	return kcap_submit(f);
}

static __always_inline int fill_kill_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u8(f, (__u8)kcap_sc_arg(f, 1));
	return kcap_submit(f);
}

/* Same layout as kill: tid, sig. */
static __always_inline int fill_tkill_e(struct kcap_fctx *f)
{
	return fill_kill_e(f);
}

static __always_inline int fill_tkill_x(struct kcap_fctx *f)
{
	return fill_kill_x(f);
}

/* pid, tid, sig: tgkill's arguments. */
static __always_inline void put_tgkill_args(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_s64(f, kcap_sc_int(f, 1));
	kcap_put_u8(f, (__u8)kcap_sc_arg(f, 2));
}

static __always_inline int fill_tgkill_e(struct kcap_fctx *f)
{
	put_tgkill_args(f);
	return kcap_submit(f);
}

static __always_inline int fill_tgkill_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_tgkill_args(f);
	return kcap_submit(f);
}

/* A uid or gid: setuid and setgid on enter. */
static __always_inline int fill_id_arg(struct kcap_fctx *f)
{
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 0));
	return kcap_submit(f);
}

static __always_inline int fill_setuid_e(struct kcap_fctx *f)
{
	return fill_id_arg(f);
}

static __always_inline int fill_setgid_e(struct kcap_fctx *f)
{
	return fill_id_arg(f);
}

static __always_inline int fill_setuid_x(struct kcap_fctx *f)
{
	return fill_res_id(f);
}

static __always_inline int fill_setgid_x(struct kcap_fctx *f)
{
	return fill_res_id(f);
}

#endif /* KCAP_FILLERS_PROC_H */
