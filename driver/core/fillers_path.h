/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Fillers of syscalls on paths and the filesystem tree (fillers.h includes every family). */
#ifndef KCAP_FILLERS_PATH_H
#define KCAP_FILLERS_PATH_H

#include "fillers_common.h"
#include "walks.h"

/* mount(2)'s old magic number in the high bits of its flags, dropped as libs does. */
#define KCAP_MS_MGC_MSK 0xffff0000
#define KCAP_MS_MGC_VAL 0xC0ED0000

#define KCAP_AT_SYMLINK_NOFOLLOW 0x100
#define KCAP_AT_SYMLINK_FOLLOW 0x400
#define KCAP_AT_NO_AUTOMOUNT 0x800
#define KCAP_AT_EMPTY_PATH 0x1000
#define KCAP_RENAME_NOREPLACE (1 << 0)
#define KCAP_RENAME_EXCHANGE (1 << 1)
#define KCAP_RENAME_WHITEOUT (1 << 2)
#define KCAP_S_ISUID 04000
#define KCAP_S_ISGID 02000
#define KCAP_S_ISVTX 01000
#define KCAP_S_IRUSR 00400
#define KCAP_S_IWUSR 00200
#define KCAP_S_IXUSR 00100
#define KCAP_S_IRGRP 00040
#define KCAP_S_IWGRP 00020
#define KCAP_S_IXGRP 00010
#define KCAP_S_IROTH 00004
#define KCAP_S_IWOTH 00002
#define KCAP_S_IXOTH 00001
#define KCAP_MNT_FORCE 0x1
#define KCAP_MNT_DETACH 0x2
#define KCAP_MNT_EXPIRE 0x4
#define KCAP_UMOUNT_NOFOLLOW 0x8

/* to when any bit of from is set in v. */
static __always_inline __u32 path_bit(__u32 v, __u32 from, __u32 to)
{
	return v & from ? to : 0;
}

static __always_inline __u32 kcap_linkat_flags(__u32 flags)
{
	return path_bit(flags, KCAP_AT_SYMLINK_FOLLOW, PPM_AT_SYMLINK_FOLLOW) |
	       path_bit(flags, KCAP_AT_EMPTY_PATH, PPM_AT_EMPTY_PATH);
}

/*
 * As libs: AT_SYMLINK_FOLLOW (which fchownat refuses) becomes the table's
 * 0x400, named AT_SYMLINK_NOFOLLOW there; AT_SYMLINK_NOFOLLOW is dropped.
 */
static __always_inline __u32 kcap_fchownat_flags(__u32 flags)
{
	return kcap_linkat_flags(flags);
}

static __always_inline __u32 kcap_newfstatat_flags(__u32 flags)
{
	return path_bit(flags, KCAP_AT_SYMLINK_NOFOLLOW, PPM_AT_SYMLINK_NOFOLLOW) |
	       path_bit(flags, KCAP_AT_EMPTY_PATH, PPM_AT_EMPTY_PATH) |
	       path_bit(flags, KCAP_AT_NO_AUTOMOUNT, PPM_AT_NO_AUTOMOUNT);
}

static __always_inline __u32 kcap_renameat2_flags(__u32 flags)
{
	return path_bit(flags, KCAP_RENAME_NOREPLACE, PPM_RENAME_NOREPLACE) |
	       path_bit(flags, KCAP_RENAME_EXCHANGE, PPM_RENAME_EXCHANGE) |
	       path_bit(flags, KCAP_RENAME_WHITEOUT, PPM_RENAME_WHITEOUT);
}

/* The permission bits only: a file type in the mode is dropped. */
static __always_inline __u32 kcap_chmod_mode(__u32 mode)
{
	return path_bit(mode, KCAP_S_ISUID, PPM_S_ISUID) |
	       path_bit(mode, KCAP_S_ISGID, PPM_S_ISGID) |
	       path_bit(mode, KCAP_S_ISVTX, PPM_S_ISVTX) |
	       path_bit(mode, KCAP_S_IRUSR, PPM_S_IRUSR) |
	       path_bit(mode, KCAP_S_IWUSR, PPM_S_IWUSR) |
	       path_bit(mode, KCAP_S_IXUSR, PPM_S_IXUSR) |
	       path_bit(mode, KCAP_S_IRGRP, PPM_S_IRGRP) |
	       path_bit(mode, KCAP_S_IWGRP, PPM_S_IWGRP) |
	       path_bit(mode, KCAP_S_IXGRP, PPM_S_IXGRP) |
	       path_bit(mode, KCAP_S_IROTH, PPM_S_IROTH) |
	       path_bit(mode, KCAP_S_IWOTH, PPM_S_IWOTH) |
	       path_bit(mode, KCAP_S_IXOTH, PPM_S_IXOTH);
}

/*
 * Before Linux 2.4 the top 16 bits had to hold the magic 0xC0ED; it is
 * ignored since, and dropped here. The MS_* values are the schema's.
 */
static __always_inline __u32 kcap_mount_flags(__u32 flags)
{
	if ((flags & KCAP_MS_MGC_MSK) == KCAP_MS_MGC_VAL)
		flags &= ~KCAP_MS_MGC_MSK;
	return flags;
}

static __always_inline __u32 kcap_umount2_flags(__u32 flags)
{
	return path_bit(flags, KCAP_MNT_FORCE, PPM_MNT_FORCE) |
	       path_bit(flags, KCAP_MNT_DETACH, PPM_MNT_DETACH) |
	       path_bit(flags, KCAP_MNT_EXPIRE, PPM_MNT_EXPIRE) |
	       path_bit(flags, KCAP_UMOUNT_NOFOLLOW, PPM_MNT_NOFOLLOW);
}

/* User string argument n. */
static __always_inline void put_path_arg(struct kcap_fctx *f, int n)
{
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, n));
}

/* res, then two user paths: rename, link, symlink. */
static __always_inline int fill_res_2paths(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_path_arg(f, 0);
	put_path_arg(f, 1);
	return kcap_submit(f);
}

/* res, olddirfd, oldpath, newdirfd, newpath: renameat, renameat2, linkat. */
static __always_inline void put_res_at2(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	put_path_arg(f, 1);
	kcap_put_s64(f, kcap_sc_int(f, 2));
	put_path_arg(f, 3);
}

/* res, dirfd, path: the start of unlinkat, mkdirat, fchmodat, fchownat, newfstatat. */
static __always_inline void put_res_at(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	put_path_arg(f, 1);
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
	put_res_at(f);
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

static __always_inline int fill_rename_x(struct kcap_fctx *f)
{
	return fill_res_2paths(f);
}

static __always_inline int fill_renameat_x(struct kcap_fctx *f)
{
	put_res_at2(f);
	return kcap_submit(f);
}

static __always_inline int fill_renameat2_x(struct kcap_fctx *f)
{
	put_res_at2(f);
	kcap_put_u32(f, kcap_renameat2_flags((__u32)kcap_sc_arg(f, 4)));
	return kcap_submit(f);
}

/* The mode as given, as libs: mkdirat's is a plain number in the schema. */
static __always_inline int fill_mkdirat_x(struct kcap_fctx *f)
{
	put_res_at(f);
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

static __always_inline int fill_link_x(struct kcap_fctx *f)
{
	return fill_res_2paths(f);
}

static __always_inline int fill_linkat_x(struct kcap_fctx *f)
{
	put_res_at2(f);
	kcap_put_u32(f, kcap_linkat_flags((__u32)kcap_sc_arg(f, 4)));
	return kcap_submit(f);
}

/* The target is any string, stored as given: it need not exist. */
static __always_inline int fill_symlink_x(struct kcap_fctx *f)
{
	return fill_res_2paths(f);
}

static __always_inline int fill_symlinkat_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_path_arg(f, 0);
	kcap_put_s64(f, kcap_sc_int(f, 1));
	put_path_arg(f, 2);
	return kcap_submit(f);
}

/* access: the mode on enter; res, the path, the mode on exit. */
static __always_inline int fill_access_e(struct kcap_fctx *f)
{
	kcap_put_u32(f, kcap_access_flags((__u32)kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

static __always_inline int fill_access_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_path_arg(f, 0);
	kcap_put_u32(f, kcap_access_flags((__u32)kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

/* res, and the directory getcwd wrote; empty when it failed. */
static __always_inline int fill_getcwd_x(struct kcap_fctx *f)
{
	long ret = kcap_sc_ret(f);

	kcap_put_s64(f, ret);
	if (ret > 0)
		put_path_arg(f, 0);
	else
		kcap_put_empty(f);
	return kcap_submit(f);
}

/* res, path, mode, dev (as the caller encoded it): mknod; mknodat has the dirfd first. */
static __always_inline int fill_mknod_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_path_arg(f, 0);
	kcap_put_u32(f, kcap_mknod_mode((__u32)kcap_sc_arg(f, 1)));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

static __always_inline int fill_mknodat_x(struct kcap_fctx *f)
{
	put_res_at(f);
	kcap_put_u32(f, kcap_mknod_mode((__u32)kcap_sc_arg(f, 2)));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 3));
	return kcap_submit(f);
}

static __always_inline int fill_chmod_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_path_arg(f, 0);
	kcap_put_u32(f, kcap_chmod_mode((__u32)kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

static __always_inline int fill_fchmod_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, kcap_chmod_mode((__u32)kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

static __always_inline int fill_fchmodat_x(struct kcap_fctx *f)
{
	put_res_at(f);
	kcap_put_u32(f, kcap_chmod_mode((__u32)kcap_sc_arg(f, 2)));
	return kcap_submit(f);
}

/* uid and gid argument n and n + 1; -1 (unchanged) stays 0xffffffff. */
static __always_inline void put_owner(struct kcap_fctx *f, int n)
{
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, n));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, n + 1));
}

static __always_inline int fill_chown_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_path_arg(f, 0);
	put_owner(f, 1);
	return kcap_submit(f);
}

static __always_inline int fill_fchown_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	put_owner(f, 1);
	return kcap_submit(f);
}

static __always_inline int fill_fchownat_x(struct kcap_fctx *f)
{
	put_res_at(f);
	put_owner(f, 2);
	kcap_put_u32(f, kcap_fchownat_flags((__u32)kcap_sc_arg(f, 4)));
	return kcap_submit(f);
}

static __always_inline int fill_stat_x(struct kcap_fctx *f)
{
	return fill_res_path(f);
}

static __always_inline int fill_lstat_x(struct kcap_fctx *f)
{
	return fill_res_path(f);
}

static __always_inline int fill_fstat_e(struct kcap_fctx *f)
{
	return fill_fd_arg(f, 0);
}

static __always_inline int fill_fstat_x(struct kcap_fctx *f)
{
	return fill_res_fd(f);
}

/* The stat buffer (argument 2) is not part of the schema. */
static __always_inline int fill_newfstatat_x(struct kcap_fctx *f)
{
	put_res_at(f);
	kcap_put_u32(f, kcap_newfstatat_flags((__u32)kcap_sc_arg(f, 3)));
	return kcap_submit(f);
}

static __always_inline int fill_chroot_x(struct kcap_fctx *f)
{
	return fill_res_path(f);
}

static __always_inline int fill_mount_e(struct kcap_fctx *f)
{
	kcap_put_u32(f, kcap_mount_flags((__u32)kcap_sc_arg(f, 3)));
	return kcap_submit(f);
}

/* dev and type are free strings ("none", "tmpfs"), dir a path. */
static __always_inline int fill_mount_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_path_arg(f, 0);
	put_path_arg(f, 1);
	put_path_arg(f, 2);
	kcap_put_u32(f, kcap_mount_flags((__u32)kcap_sc_arg(f, 3)));
	return kcap_submit(f);
}

static __always_inline int fill_umount2_e(struct kcap_fctx *f)
{
	kcap_put_u32(f, kcap_umount2_flags((__u32)kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

static __always_inline int fill_umount2_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_path_arg(f, 0);
	kcap_put_u32(f, kcap_umount2_flags((__u32)kcap_sc_arg(f, 1)));
	return kcap_submit(f);
}

/* fd, mountfd, flags, the path of the file opened, its dev and ino. */
static __always_inline int fill_open_by_handle_at_x(struct kcap_fctx *f)
{
	__u32 flags = (__u32)kcap_sc_arg(f, 2);
	long fd = kcap_sc_ret(f);
	struct kcap_file_info info = opened_file(f, fd);

	kcap_put_s64(f, fd);
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, open_flags(flags, &info));
	kcap_put_path(f, fd >= 0 ? kcap_fd_path(f, (int)fd) : NULL);
	kcap_put_u32(f, info.dev);
	kcap_put_u64(f, info.ino);
	return kcap_submit(f);
}

/* The fields of struct if_dqblk and if_dqinfo that quotactl's exit shows. */
struct kcap_dqblk {
	__u64 bhardlimit, bsoftlimit, curspace, ihardlimit, isoftlimit, curinodes, btime, itime;
};

struct kcap_dqinfo {
	__u64 bgrace, igrace;
	__u32 flags, valid;
};

/* cmd, type, id (of the commands on one user's or group's quota), quota_fmt (Q_QUOTAON's). */
static __always_inline void put_quotactl_args(struct kcap_fctx *f)
{
	__u32 arg = (__u32)kcap_sc_arg(f, 0), sub = arg >> 8;
	__u32 id = (__u32)kcap_sc_arg(f, 2);
	__u16 cmd = kcap_quotactl_cmd(sub);

	kcap_put_u16(f, cmd);
	kcap_put_u8(f, kcap_quotactl_type(arg & 0xff));
	kcap_put_u32(f, cmd & (PPM_Q_GETQUOTA | PPM_Q_SETQUOTA | PPM_Q_XGETQUOTA |
			       PPM_Q_XSETQLIM) ? id : 0);
	kcap_put_u8(f, cmd == PPM_Q_QUOTAON ? kcap_quota_fmt(id) : PPM_QFMT_NOT_USED);
}

static __always_inline int fill_quotactl_e(struct kcap_fctx *f)
{
	put_quotactl_args(f);
	return kcap_submit(f);
}

/*
 * res, the block device, Q_QUOTAON's quota file, the quota (Q_SETQUOTA's, or
 * what Q_GETQUOTA got), the grace times and flags (Q_SETINFO's, or what
 * Q_GETINFO got), Q_GETFMT's format, then the enter's parameters.
 */
static __always_inline int fill_quotactl_x(struct kcap_fctx *f)
{
	__u16 cmd = kcap_quotactl_cmd((__u32)kcap_sc_arg(f, 0) >> 8);
	unsigned long addr = kcap_sc_arg(f, 3);
	long ret = kcap_sc_ret(f);
	struct kcap_dqblk dq = { 0 };
	struct kcap_dqinfo di = { 0 };
	int info = cmd == PPM_Q_SETINFO || (cmd == PPM_Q_GETINFO && ret == 0);
	__u32 fmt = 0;

	if (cmd == PPM_Q_SETQUOTA || (cmd == PPM_Q_GETQUOTA && ret == 0))
		kcap_read_user(f, &dq, (const void *)addr, sizeof(dq));
	if (info)
		kcap_read_user(f, &di, (const void *)addr, sizeof(di));
	if (cmd == PPM_Q_GETFMT && ret == 0)
		kcap_read_user(f, &fmt, (const void *)addr, sizeof(fmt));
	kcap_put_s64(f, ret);
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 1));
	if (cmd == PPM_Q_QUOTAON && addr)
		kcap_put_user_str(f, (const char *)addr);
	else
		kcap_put_empty(f);
	kcap_put_u64(f, dq.bhardlimit);
	kcap_put_u64(f, dq.bsoftlimit);
	kcap_put_u64(f, dq.curspace);
	kcap_put_u64(f, dq.ihardlimit);
	kcap_put_u64(f, dq.isoftlimit);
	kcap_put_u64(f, dq.btime);
	kcap_put_u64(f, dq.itime);
	kcap_put_u64(f, di.bgrace);
	kcap_put_u64(f, di.igrace);
	kcap_put_u8(f, info ? (di.flags & 1 ? PPM_V1_DQF_RSQUASH : PPM_DQF_NONE) : 0);
	kcap_put_u8(f, cmd == PPM_Q_GETFMT && ret == 0 ? kcap_quota_fmt(fmt) : 0);
	put_quotactl_args(f);
	return kcap_submit(f);
}

/* x86_64 values, include/uapi/linux/mount.h: the schema's too. */
#define KCAP_FSCONFIG_SET_FLAG 0
#define KCAP_FSCONFIG_SET_STRING 1
#define KCAP_FSCONFIG_SET_BINARY 2
#define KCAP_FSCONFIG_SET_PATH 3
#define KCAP_FSCONFIG_SET_PATH_EMPTY 4

/*
 * res, fd, cmd, key, the value as bytes (SET_BINARY, aux long) or as a
 * string (SET_STRING, SET_PATH, SET_PATH_EMPTY), aux.
 */
static __always_inline int fill_fsconfig_x(struct kcap_fctx *f)
{
	__u32 cmd = (__u32)kcap_sc_arg(f, 1);
	unsigned long key = kcap_sc_arg(f, 2), value = kcap_sc_arg(f, 3);
	int aux = (int)kcap_sc_arg(f, 4);

	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, cmd);
	if (key && cmd <= KCAP_FSCONFIG_SET_PATH_EMPTY)
		kcap_put_user_str(f, (const char *)key);
	else
		kcap_put_empty(f);
	if (cmd == KCAP_FSCONFIG_SET_BINARY && value && aux > 0)
		kcap_put_user_buf(f, (const void *)value, (unsigned long)aux);
	else
		kcap_put_empty(f);
	if (value && (cmd == KCAP_FSCONFIG_SET_STRING || cmd == KCAP_FSCONFIG_SET_PATH ||
		      cmd == KCAP_FSCONFIG_SET_PATH_EMPTY))
		kcap_put_user_str(f, (const char *)value);
	else
		kcap_put_empty(f);
	kcap_put_u32(f, (__u32)aux);
	return kcap_submit(f);
}

#endif /* KCAP_FILLERS_PATH_H */
