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

/* prctl_options: the schema keeps the kernel's values (linux/prctl.h). */
#define PPM_PR_SET_NAME 15
#define PPM_PR_GET_NAME 16
#define PPM_PR_GET_CHILD_SUBREAPER 37

/* Options without a schema name pass through unchanged, as in libs. */
static __always_inline __u32 kcap_prctl_option(unsigned long option)
{
	return (__u32)option;
}

/*
 * arg2 is a name for PR_SET_NAME and PR_GET_NAME (the kernel filled it in
 * by exit), where PR_GET_CHILD_SUBREAPER stores an int; a number otherwise.
 */
static __always_inline int fill_prctl_x(struct kcap_fctx *f)
{
	__u32 option = kcap_prctl_option(kcap_sc_arg(f, 0));
	unsigned long arg2 = kcap_sc_arg(f, 1);
	int reaper;

	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u32(f, option);
	switch (option) {
	case PPM_PR_SET_NAME:
	case PPM_PR_GET_NAME:
		kcap_put_user_str(f, (const char *)arg2);
		kcap_put_empty(f);
		break;
	case PPM_PR_GET_CHILD_SUBREAPER:
		kcap_read_user(f, &reaper, (const void *)arg2, sizeof(reaper));
		kcap_put_empty(f);
		kcap_put_s64(f, reaper);
		break;
	default:
		kcap_put_empty(f);
		kcap_put_s64(f, (__s64)arg2);
	}
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
