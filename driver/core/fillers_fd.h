/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Fillers of the syscalls that make a special fd: epoll, eventfd, signalfd,
 * timerfd, inotify, memfd, userfaultfd, pidfd, bpf, io_uring (fillers.h
 * includes every family). Replay names the fds they make from these events.
 */
#ifndef KCAP_FILLERS_FD_H
#define KCAP_FILLERS_FD_H

#include "fillers_common.h"

/* The memfd_create flags the schema names have the kernel's values. */
#define KCAP_MFD_FLAGS (PPM_MFD_CLOEXEC | PPM_MFD_ALLOW_SEALING | PPM_MFD_HUGETLB)

/*
 * EFD_, SFD_, IN_ and TFD_ CLOEXEC and NONBLOCK, UFFD's O_ flags and
 * EPOLL_CLOEXEC are O_CLOEXEC and O_NONBLOCK: the schema's file_flags has
 * these two bits of them (EFD_SEMAPHORE and UFFD_USER_MODE_ONLY it has not).
 */
static __always_inline __u16 kcap_fd_flags(__u32 flags)
{
	return (flags & KCAP_O_NONBLOCK ? PPM_O_NONBLOCK : 0) |
	       (flags & KCAP_O_CLOEXEC ? PPM_O_CLOEXEC : 0);
}

/* size (32 bits): epoll_create. */
static __always_inline int fill_epoll_create_e(struct kcap_fctx *f)
{
	kcap_put_u32(f, (__u32)kcap_sc_int(f, 0));
	return kcap_submit(f);
}

static __always_inline int fill_epoll_create_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_epoll_create_e(f);
}

/* flags: epoll_create1. */
static __always_inline int fill_epoll_create1_e(struct kcap_fctx *f)
{
	kcap_put_u32(f, kcap_sc_arg(f, 0) & KCAP_O_CLOEXEC ? PPM_EPOLL_CLOEXEC : 0);
	return kcap_submit(f);
}

static __always_inline int fill_epoll_create1_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_epoll_create1_e(f);
}

/* initval, flags: eventfd has no flags argument (0, as in libs). */
static __always_inline int fill_eventfd_e(struct kcap_fctx *f)
{
	kcap_put_u64(f, (__u32)kcap_sc_arg(f, 0));
	kcap_put_u32(f, 0);
	return kcap_submit(f);
}

static __always_inline int fill_eventfd_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_eventfd_e(f);
}

/* initval: eventfd2's enter. */
static __always_inline int fill_eventfd2_e(struct kcap_fctx *f)
{
	kcap_put_u64(f, (__u32)kcap_sc_arg(f, 0));
	return kcap_submit(f);
}

/* res, flags, initval. */
static __always_inline int fill_eventfd2_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u16(f, kcap_fd_flags((__u32)kcap_sc_arg(f, 1)));
	return fill_eventfd2_e(f);
}

/* The mask's first 32 signals, which libs leaves 0. */
static __always_inline __u32 signalfd_mask(struct kcap_fctx *f)
{
	return kcap_user_sigset(f, kcap_sc_arg(f, 1));
}

/* fd, mask, flags: signalfd has no flags argument (0, as in libs). */
static __always_inline int fill_signalfd_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, signalfd_mask(f));
	kcap_put_u8(f, 0);
	return kcap_submit(f);
}

static __always_inline int fill_signalfd_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_signalfd_e(f);
}

/* fd, mask: signalfd4's enter. */
static __always_inline int fill_signalfd4_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, signalfd_mask(f));
	return kcap_submit(f);
}

/* res, flags, fd, mask. */
static __always_inline int fill_signalfd4_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u16(f, kcap_fd_flags((__u32)kcap_sc_arg(f, 3)));
	return fill_signalfd4_e(f);
}

/*
 * clockid, flags. The schema gives flags 8 bits, too few for TFD_CLOEXEC and
 * TFD_NONBLOCK: 0, as in libs.
 */
static __always_inline int fill_timerfd_create_e(struct kcap_fctx *f)
{
	kcap_put_u8(f, (__u8)kcap_sc_arg(f, 0));
	kcap_put_u8(f, 0);
	return kcap_submit(f);
}

static __always_inline int fill_timerfd_create_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_timerfd_create_e(f);
}

/* flags: inotify_init has none (0, as in libs). */
static __always_inline int fill_inotify_init_e(struct kcap_fctx *f)
{
	kcap_put_u8(f, 0);
	return kcap_submit(f);
}

static __always_inline int fill_inotify_init_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	return fill_inotify_init_e(f);
}

/* res, flags: inotify_init1 (its first argument), userfaultfd (its first, 32 bits). */
static __always_inline int fill_inotify_init1_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u16(f, kcap_fd_flags((__u32)kcap_sc_arg(f, 0)));
	return kcap_submit(f);
}

static __always_inline int fill_userfaultfd_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u32(f, kcap_fd_flags((__u32)kcap_sc_arg(f, 0)));
	return kcap_submit(f);
}

/* fd, name, flags. */
static __always_inline int fill_memfd_create_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_user_str(f, (const char *)kcap_sc_arg(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 1) & KCAP_MFD_FLAGS);
	return kcap_submit(f);
}

/* fd, pid, flags (PIDFD_NONBLOCK is O_NONBLOCK). */
static __always_inline int fill_pidfd_open_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, kcap_sc_arg(f, 1) & KCAP_O_NONBLOCK ? PPM_PIDFD_NONBLOCK : 0);
	return kcap_submit(f);
}

/* fd, pid_fd, target_fd, flags (none defined yet: the value as passed). */
static __always_inline int fill_pidfd_getfd_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_s64(f, kcap_sc_int(f, 1));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 2));
	return kcap_submit(f);
}

/* cmd: bpf's enter (64 bits in this schema). */
static __always_inline int fill_bpf_e(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_int(f, 0));
	return kcap_submit(f);
}

/* fd (or res: the commands that make no fd return 0), cmd (the kernel's numbers). */
static __always_inline int fill_bpf_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 0));
	return kcap_submit(f);
}

/* x86_64 values, include/uapi/linux/io_uring.h. */
#define KCAP_IORING_SETUP_IOPOLL 0x1
#define KCAP_IORING_SETUP_SQPOLL 0x2
#define KCAP_IORING_SETUP_SQ_AFF 0x4
#define KCAP_IORING_SETUP_CQSIZE 0x8
#define KCAP_IORING_SETUP_CLAMP 0x10
#define KCAP_IORING_SETUP_ATTACH_WQ 0x20
#define KCAP_IORING_SETUP_R_DISABLED 0x40
#define KCAP_IORING_FEATS 0x7ff		/* FEAT_SINGLE_MMAP..FEAT_RSRC_TAGS: the schema's values */
#define KCAP_IORING_ENTER_FLAGS 0xf	/* ENTER_GETEVENTS..ENTER_EXT_ARG: the schema's values */
#define KCAP_IORING_ENTER_EXT_ARG 0x8

/*
 * The schema's io_uring_setup_flags put IORING_SQ_NEED_WAKEUP (a ring's state,
 * not a setup flag) at bit 2, so the setup flags from SQ_AFF on sit one bit up.
 */
static __always_inline __u32 kcap_io_uring_setup_flags(__u32 flags)
{
	return (flags & (KCAP_IORING_SETUP_IOPOLL | KCAP_IORING_SETUP_SQPOLL)) |
	       ((flags & (KCAP_IORING_SETUP_SQ_AFF | KCAP_IORING_SETUP_CQSIZE |
			  KCAP_IORING_SETUP_CLAMP | KCAP_IORING_SETUP_ATTACH_WQ |
			  KCAP_IORING_SETUP_R_DISABLED)) << 1);
}

/* The head of struct io_uring_params, which the kernel completes. */
struct kcap_io_uring_params {
	__u32 sq_entries;
	__u32 cq_entries;
	__u32 flags;
	__u32 sq_thread_cpu;
	__u32 sq_thread_idle;
	__u32 features;
};

/* res, entries, then the parameters as the kernel left them. */
static __always_inline int fill_io_uring_setup_x(struct kcap_fctx *f)
{
	struct kcap_io_uring_params p;

	kcap_read_user(f, &p, (const void *)kcap_sc_arg(f, 1), sizeof(p));
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 0));
	kcap_put_u32(f, p.sq_entries);
	kcap_put_u32(f, p.cq_entries);
	kcap_put_u32(f, kcap_io_uring_setup_flags(p.flags));
	kcap_put_u32(f, p.sq_thread_cpu);
	kcap_put_u32(f, p.sq_thread_idle);
	kcap_put_u32(f, p.features & KCAP_IORING_FEATS);
	return kcap_submit(f);
}

/*
 * res, fd, to_submit, min_complete, flags, the signal mask's first 32
 * signals (none when EXT_ARG says the argument is no sigset).
 */
static __always_inline int fill_io_uring_enter_x(struct kcap_fctx *f)
{
	__u32 flags = (__u32)kcap_sc_arg(f, 3);
	__u32 sig = flags & KCAP_IORING_ENTER_EXT_ARG ? 0 : kcap_user_sigset(f, kcap_sc_arg(f, 4));
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 1));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 2));
	kcap_put_u32(f, flags & KCAP_IORING_ENTER_FLAGS);
	kcap_put_u32(f, sig);
	return kcap_submit(f);
}

/* res, fd, opcode (the kernel's numbers), arg, nr_args. */
static __always_inline int fill_io_uring_register_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_s64(f, kcap_sc_int(f, 0));
	kcap_put_u16(f, (__u16)kcap_sc_arg(f, 1));
	kcap_put_u64(f, kcap_sc_arg(f, 2));
	kcap_put_u32(f, (__u32)kcap_sc_arg(f, 3));
	return kcap_submit(f);
}

#endif /* KCAP_FILLERS_FD_H */
