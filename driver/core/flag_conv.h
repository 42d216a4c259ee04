/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Linux x86_64 flag values to the schema's flag values (the flag tables of
 * ppm_events_public.h). Written with literal kernel values so that it builds
 * without libc or kernel uapi headers in every backend; a test checks the
 * schema side against the flag tables by name.
 */
#ifndef KCAP_FLAG_CONV_H
#define KCAP_FLAG_CONV_H

#include "ppm_flags.h"

#define KCAP_O_ACCMODE 00000003
#define KCAP_O_WRONLY 00000001
#define KCAP_O_RDWR 00000002
#define KCAP_O_CREAT 00000100
#define KCAP_O_EXCL 00000200
#define KCAP_O_TRUNC 00001000
#define KCAP_O_APPEND 00002000
#define KCAP_O_NONBLOCK 00004000
#define KCAP_O_DSYNC 00010000
#define KCAP_O_DIRECT 00040000
#define KCAP_O_LARGEFILE 00100000
#define KCAP_O_DIRECTORY 00200000
#define KCAP_O_CLOEXEC 02000000
#define KCAP_O_SYNC 04010000
#define KCAP_O_TMPFILE 020200000
#define KCAP_AT_REMOVEDIR 0x200
#define KCAP_FMODE_CREATED 0x100000

/*
 * Composite flags (O_SYNC holds O_DSYNC's bit, O_TMPFILE O_DIRECTORY's) set
 * the bits of their parts too, as in libs. O_NOFOLLOW, O_NOATIME, O_PATH,
 * O_NOCTTY and O_ASYNC have no schema value and are dropped.
 */
static __always_inline __u32 kcap_open_flags(__u32 flags)
{
	__u32 res;

	switch (flags & KCAP_O_ACCMODE) {
	case KCAP_O_WRONLY:
		res = PPM_O_WRONLY;
		break;
	case KCAP_O_RDWR:
		res = PPM_O_RDWR;
		break;
	default:
		res = PPM_O_RDONLY;
	}
	if (flags & KCAP_O_CREAT)
		res |= PPM_O_CREAT;
	if (flags & KCAP_O_APPEND)
		res |= PPM_O_APPEND;
	if (flags & KCAP_O_DSYNC)
		res |= PPM_O_DSYNC;
	if ((flags & KCAP_O_SYNC) == KCAP_O_SYNC)
		res |= PPM_O_SYNC;
	if (flags & KCAP_O_EXCL)
		res |= PPM_O_EXCL;
	if (flags & KCAP_O_NONBLOCK)
		res |= PPM_O_NONBLOCK;
	if (flags & KCAP_O_TRUNC)
		res |= PPM_O_TRUNC;
	if (flags & KCAP_O_DIRECT)
		res |= PPM_O_DIRECT;
	if (flags & KCAP_O_DIRECTORY)
		res |= PPM_O_DIRECTORY;
	if ((flags & KCAP_O_TMPFILE) == KCAP_O_TMPFILE)
		res |= PPM_O_TMPFILE;
	if (flags & KCAP_O_LARGEFILE)
		res |= PPM_O_LARGEFILE;
	if (flags & KCAP_O_CLOEXEC)
		res |= PPM_O_CLOEXEC;
	return res;
}

/* The mode of open/openat/creat only means something when a file is made. */
static __always_inline __u32 kcap_open_mode(__u32 flags, __u32 mode)
{
	if (flags & KCAP_O_CREAT || (flags & KCAP_O_TMPFILE) == KCAP_O_TMPFILE)
		return mode & 07777;
	return 0;
}

static __always_inline __u32 kcap_unlinkat_flags(__u32 flags)
{
	return flags & KCAP_AT_REMOVEDIR ? PPM_AT_REMOVEDIR : 0;
}

/*
 * Tables whose schema values are the kernel's (mlockall's MCL_*, mlock2's
 * MLOCK_ONFAULT, flock's LOCK_*, access's *_OK, close_range's CLOSE_RANGE_*):
 * the bits the schema names are kept, the others dropped.
 */
static __always_inline __u32 kcap_mlockall_flags(__u32 flags)
{
	return flags & (PPM_MCL_CURRENT | PPM_MCL_FUTURE | PPM_MCL_ONFAULT);
}

static __always_inline __u32 kcap_mlock2_flags(__u32 flags)
{
	return flags & PPM_MLOCK_ONFAULT;
}

static __always_inline __u32 kcap_flock_flags(__u32 flags)
{
	return flags & (PPM_LOCK_SH | PPM_LOCK_EX | PPM_LOCK_NB | PPM_LOCK_UN);
}

static __always_inline __u32 kcap_access_flags(__u32 mode)
{
	return mode & (PPM_R_OK | PPM_W_OK | PPM_X_OK);
}

static __always_inline __u32 kcap_close_range_flags(__u32 flags)
{
	return flags & (PPM_CLOSE_RANGE_UNSHARE | PPM_CLOSE_RANGE_CLOEXEC);
}

/* splice's SPLICE_F_*, futex's command and its PRIVATE and CLOCK_REALTIME bits: the kernel's values too. */
static __always_inline __u32 kcap_splice_flags(__u32 flags)
{
	return flags & (PPM_SPLICE_F_MOVE | PPM_SPLICE_F_NONBLOCK | PPM_SPLICE_F_MORE |
			PPM_SPLICE_F_GIFT);
}

static __always_inline __u16 kcap_futex_op(__u32 op)
{
	return op & (0x7f | PPM_FUTEX_PRIVATE_FLAG | PPM_FUTEX_CLOCK_REALTIME);
}

/* An RLIMIT_* number: the kernel's, RLIMIT_UNKNOWN past the last. */
static __always_inline __u8 kcap_rlimit_resource(__u32 resource)
{
	return resource <= PPM_RLIMIT_RTTIME ? resource : PPM_RLIMIT_UNKNOWN;
}

/* mknod's mode: the file type and the permission bits, the kernel's values. */
static __always_inline __u32 kcap_mknod_mode(__u32 mode)
{
	return mode & (0170000 | 07777);
}

#define KCAP_IPC_CREAT 01000
#define KCAP_IPC_EXCL 02000

/* semget's IPC_CREAT and IPC_EXCL (its permission bits are not in the table). */
static __always_inline __u32 kcap_semget_flags(__u32 flags)
{
	return (flags & KCAP_IPC_CREAT ? PPM_IPC_CREAT : 0) |
	       (flags & KCAP_IPC_EXCL ? PPM_IPC_EXCL : 0);
}

static __always_inline __u32 kcap_delete_module_flags(__u32 flags)
{
	return (flags & KCAP_O_NONBLOCK ? PPM_DELETE_MODULE_O_NONBLOCK : 0) |
	       (flags & KCAP_O_TRUNC ? PPM_DELETE_MODULE_O_TRUNC : 0);
}

/* semctl's command (IPC_64 stripped, as the kernel does) as the schema's bit; 0 for others. */
static __always_inline __u16 kcap_semctl_cmd(__u32 cmd)
{
	switch (cmd & ~0x100u) {
	case 0: return PPM_IPC_RMID;
	case 1: return PPM_IPC_SET;
	case 2: return PPM_IPC_STAT;
	case 3: return PPM_IPC_INFO;
	case 11: return PPM_GETPID;
	case 12: return PPM_GETVAL;
	case 13: return PPM_GETALL;
	case 14: return PPM_GETNCNT;
	case 15: return PPM_GETZCNT;
	case 16: return PPM_SETVAL;
	case 17: return PPM_SETALL;
	case 18: return PPM_SEM_STAT;
	case 19: return PPM_SEM_INFO;
	default: return 0;
	}
}

#define KCAP_SEM_UNDO 0x1000
#define KCAP_IPC_NOWAIT 04000

static __always_inline __u16 kcap_semop_flags(__u32 flags)
{
	return (flags & KCAP_IPC_NOWAIT ? PPM_IPC_NOWAIT : 0) |
	       (flags & KCAP_SEM_UNDO ? PPM_SEM_UNDO : 0);
}

/* finit_module's MODULE_INIT_* have the kernel's values. */
static __always_inline __u32 kcap_finit_module_flags(__u32 flags)
{
	return flags & (PPM_MODULE_INIT_IGNORE_MODVERSIONS | PPM_MODULE_INIT_IGNORE_VERMAGIC |
			PPM_MODULE_INIT_COMPRESSED_FILE);
}

/* quotactl's commands: include/uapi/linux/quota.h, xfs's from include/uapi/linux/dqblk_xfs.h. */
#define KCAP_Q_SYNC 0x800001
#define KCAP_Q_QUOTAON 0x800002
#define KCAP_Q_QUOTAOFF 0x800003
#define KCAP_Q_GETFMT 0x800004
#define KCAP_Q_GETINFO 0x800005
#define KCAP_Q_SETINFO 0x800006
#define KCAP_Q_GETQUOTA 0x800007
#define KCAP_Q_SETQUOTA 0x800008
#define KCAP_Q_XQUOTAON 0x5801
#define KCAP_Q_XQUOTASYNC 0x5807

/* quotactl's subcommand (its argument without the type) as the schema's bit; 0 for others. */
static __always_inline __u16 kcap_quotactl_cmd(__u32 sub)
{
	switch (sub) {
	case KCAP_Q_QUOTAON: return PPM_Q_QUOTAON;
	case KCAP_Q_QUOTAOFF: return PPM_Q_QUOTAOFF;
	case KCAP_Q_GETFMT: return PPM_Q_GETFMT;
	case KCAP_Q_GETINFO: return PPM_Q_GETINFO;
	case KCAP_Q_SETINFO: return PPM_Q_SETINFO;
	case KCAP_Q_GETQUOTA: return PPM_Q_GETQUOTA;
	case KCAP_Q_SETQUOTA: return PPM_Q_SETQUOTA;
	case KCAP_Q_SYNC: return PPM_Q_SYNC;
	}
	/* Q_XQUOTAON..Q_XQUOTASYNC are consecutive, as the schema's bits. */
	if (sub >= KCAP_Q_XQUOTAON && sub <= KCAP_Q_XQUOTASYNC)
		return (__u16)(PPM_Q_XQUOTAON << (sub - KCAP_Q_XQUOTAON));
	return 0;
}

/* USRQUOTA 0 and GRPQUOTA 1 as the schema's bits (PRJQUOTA has none). */
static __always_inline __u8 kcap_quotactl_type(__u32 type)
{
	return type == 0 ? PPM_USRQUOTA : type == 1 ? PPM_GRPQUOTA : 0;
}

/* QFMT_VFS_OLD 1, QFMT_VFS_V0 2, QFMT_VFS_V1 4: the schema's bits one up; others not used. */
static __always_inline __u8 kcap_quota_fmt(__u32 fmt)
{
	return fmt == 1 ? PPM_QFMT_VFS_OLD : fmt == 2 ? PPM_QFMT_VFS_V0 :
	       fmt == 4 ? PPM_QFMT_VFS_V1 : PPM_QFMT_NOT_USED;
}

#endif /* KCAP_FLAG_CONV_H */
