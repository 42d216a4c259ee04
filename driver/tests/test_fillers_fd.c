// SPDX-License-Identifier: MIT
/*
 * Driver tests of the syscalls that make a special fd (epoll, eventfd,
 * signalfd, timerfd, inotify, userfaultfd, memfd, pidfd): capture one real
 * syscall, success and failure, and assert every parameter of its enter and
 * exit events.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "driver_test.h"

#define EFD_SEMAPHORE 1
#define MFD_CLOEXEC 1
#define MFD_ALLOW_SEALING 2

static struct dt t;

static void fini(void)
{
	dt_close(&t);
}

TestSuite(fillers_fd, .fini = fini);

/* Closes what a syscall made, if it made something. */
static void close_made(long fd)
{
	if (fd >= 0)
		close((int)fd);
}

/* The schema's file_flags for O_NONBLOCK and O_CLOEXEC. */
static uint32_t file_flags_of(bool nonblock, bool cloexec)
{
	return (nonblock ? dt_flag(&file_flags, "O_NONBLOCK") : 0) |
	       (cloexec ? dt_flag(&file_flags, "O_CLOEXEC") : 0);
}

Test(fillers_fd, epoll_create_epoll_create1)
{
	const struct kcap_evt *ev;
	long a, b, bad1;

	dt_start(&t, "epoll_create,epoll_create1");
	a = syscall(SYS_epoll_create, 8);
	cr_assert_eq(dt_res(syscall(SYS_epoll_create, 0)), -EINVAL);
	b = syscall(SYS_epoll_create1, O_CLOEXEC);
	bad1 = dt_res(syscall(SYS_epoll_create1, O_CLOEXEC | 1));
	dt_stop(&t);
	cr_assert(a >= 0 && b >= 0);
	cr_assert_eq(bad1, -EINVAL);
	cr_assert_eq((int32_t)dt_u32(dt_find(&t, PPME_EPOLL_CREATE_E, 0), 0), 8);
	ev = dt_find(&t, PPME_EPOLL_CREATE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), a);
	cr_assert_eq((int32_t)dt_u32(ev, 1), 8);
	ev = dt_find(&t, PPME_EPOLL_CREATE_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq((int32_t)dt_u32(ev, 1), 0);
	cr_assert_eq(dt_u32(dt_find(&t, PPME_EPOLL_CREATE1_E, 0), 0),
		     dt_flag(&epoll_create1_flags, "EPOLL_CLOEXEC"));
	ev = dt_find(&t, PPME_EPOLL_CREATE1_X, 0);
	cr_assert_eq(dt_s64(ev, 0), b);
	cr_assert_eq(dt_u32(ev, 1), dt_flag(&epoll_create1_flags, "EPOLL_CLOEXEC"));
	ev = dt_find(&t, PPME_EPOLL_CREATE1_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_u32(ev, 1), dt_flag(&epoll_create1_flags, "EPOLL_CLOEXEC"),
		     "the bit without a name is dropped");
	close_made(a);
	close_made(b);
}

Test(fillers_fd, eventfd_eventfd2)
{
	const struct kcap_evt *ev;
	long a, b;

	dt_start(&t, "eventfd,eventfd2");
	a = syscall(SYS_eventfd, 7);
	b = syscall(SYS_eventfd2, 3, O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE);
	cr_assert_eq(dt_res(syscall(SYS_eventfd2, 1, 0x10)), -EINVAL);
	dt_stop(&t);
	cr_assert(a >= 0 && b >= 0);
	ev = dt_find(&t, PPME_EVENTFD_E, 0);
	cr_assert_eq(dt_u64(ev, 0), 7);
	cr_assert_eq(dt_u32(ev, 1), 0);
	ev = dt_find(&t, PPME_EVENTFD_X, 0);
	cr_assert_eq(dt_s64(ev, 0), a);
	cr_assert_eq(dt_u64(ev, 1), 7);
	cr_assert_eq(dt_u32(ev, 2), 0);
	cr_assert_eq(dt_u64(dt_find(&t, PPME_EVENTFD2_E, 0), 0), 3);
	ev = dt_find(&t, PPME_EVENTFD2_X, 0);
	cr_assert_eq(dt_s64(ev, 0), b);
	cr_assert_eq(dt_u16(ev, 1), file_flags_of(true, true), "EFD_SEMAPHORE has no value");
	cr_assert_eq(dt_u64(ev, 2), 3);
	ev = dt_find(&t, PPME_EVENTFD2_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_u16(ev, 1), 0);
	cr_assert_eq(dt_u64(ev, 2), 1);
	close_made(a);
	close_made(b);
}

/* The mask's first word: SIGUSR1 and SIGTERM. */
Test(fillers_fd, signalfd_signalfd4)
{
	const uint32_t want = 1u << (SIGUSR1 - 1) | 1u << (SIGTERM - 1);
	const struct kcap_evt *ev;
	sigset_t mask;
	long a, b;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGTERM);
	dt_start(&t, "signalfd,signalfd4");
	a = syscall(SYS_signalfd, -1, &mask, 8);
	b = syscall(SYS_signalfd4, -1, &mask, 8, O_CLOEXEC);
	cr_assert_eq(dt_res(syscall(SYS_signalfd4, 9999, &mask, 8, O_NONBLOCK)), -EBADF);
	cr_assert_eq(dt_res(syscall(SYS_signalfd, -1, NULL, 8)), -EFAULT);
	dt_stop(&t);
	cr_assert(a >= 0 && b >= 0);
	ev = dt_find(&t, PPME_SIGNALFD_E, 0);
	cr_assert_eq(dt_s64(ev, 0), -1);
	cr_assert_eq(dt_u32(ev, 1), want);
	cr_assert_eq(dt_u8(ev, 2), 0);
	ev = dt_find(&t, PPME_SIGNALFD_X, 0);
	cr_assert_eq(dt_s64(ev, 0), a);
	cr_assert_eq(dt_s64(ev, 1), -1);
	cr_assert_eq(dt_u32(ev, 2), want);
	cr_assert_eq(dt_u8(ev, 3), 0);
	ev = dt_find(&t, PPME_SIGNALFD_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EFAULT);
	cr_assert_eq(dt_u32(ev, 2), 0, "no mask to read");
	ev = dt_find(&t, PPME_SIGNALFD4_E, 0);
	cr_assert_eq(dt_s64(ev, 0), -1);
	cr_assert_eq(dt_u32(ev, 1), want);
	ev = dt_find(&t, PPME_SIGNALFD4_X, 0);
	cr_assert_eq(dt_s64(ev, 0), b);
	cr_assert_eq(dt_u16(ev, 1), file_flags_of(false, true));
	cr_assert_eq(dt_s64(ev, 2), -1);
	cr_assert_eq(dt_u32(ev, 3), want);
	ev = dt_find(&t, PPME_SIGNALFD4_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_u16(ev, 1), file_flags_of(true, false));
	cr_assert_eq(dt_s64(ev, 2), 9999);
	close_made(a);
	close_made(b);
}

/* The clock; flags are 0 (8 bits cannot hold TFD_CLOEXEC). */
Test(fillers_fd, timerfd_create)
{
	const struct kcap_evt *ev;
	long a;

	dt_start(&t, "timerfd_create");
	a = syscall(SYS_timerfd_create, CLOCK_MONOTONIC, O_CLOEXEC);
	cr_assert_eq(dt_res(syscall(SYS_timerfd_create, 99, 0)), -EINVAL);
	dt_stop(&t);
	cr_assert_geq(a, 0);
	ev = dt_find(&t, PPME_TIMERFD_CREATE_E, 0);
	cr_assert_eq(dt_u8(ev, 0), CLOCK_MONOTONIC);
	cr_assert_eq(dt_u8(ev, 1), 0);
	ev = dt_find(&t, PPME_TIMERFD_CREATE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), a);
	cr_assert_eq(dt_u8(ev, 1), CLOCK_MONOTONIC);
	cr_assert_eq(dt_u8(ev, 2), 0);
	ev = dt_find(&t, PPME_TIMERFD_CREATE_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_u8(ev, 1), 99);
	close_made(a);
}

Test(fillers_fd, inotify_init_inotify_init1)
{
	const struct kcap_evt *ev;
	long a, b;

	dt_start(&t, "inotify_init,inotify_init1");
	a = syscall(SYS_inotify_init);
	b = syscall(SYS_inotify_init1, O_NONBLOCK);
	cr_assert_eq(dt_res(syscall(SYS_inotify_init1, O_CLOEXEC | 1)), -EINVAL);
	dt_stop(&t);
	cr_assert(a >= 0 && b >= 0);
	cr_assert_eq(dt_u8(dt_find(&t, PPME_INOTIFY_INIT_E, 0), 0), 0);
	ev = dt_find(&t, PPME_INOTIFY_INIT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), a);
	cr_assert_eq(dt_u8(ev, 1), 0);
	dt_find(&t, PPME_INOTIFY_INIT1_E, 0);
	ev = dt_find(&t, PPME_INOTIFY_INIT1_X, 0);
	cr_assert_eq(dt_s64(ev, 0), b);
	cr_assert_eq(dt_u16(ev, 1), file_flags_of(true, false));
	ev = dt_find(&t, PPME_INOTIFY_INIT1_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_u16(ev, 1), file_flags_of(false, true));
	close_made(a);
	close_made(b);
}

/* userfaultfd's O_ flags; a kernel without it (or refusing it) gives its error. */
Test(fillers_fd, userfaultfd)
{
	const struct kcap_evt *ev;
	long a;

	dt_start(&t, "userfaultfd");
	a = dt_res(syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK));
	cr_assert_eq(dt_res(syscall(SYS_userfaultfd, O_NONBLOCK | 0x4000000)), -EINVAL);
	dt_stop(&t);
	cr_assert(a >= 0 || a == -ENOSYS || a == -EPERM, "userfaultfd: %ld", a);
	dt_find(&t, PPME_USERFAULTFD_E, 0);
	ev = dt_find(&t, PPME_USERFAULTFD_X, 0);
	cr_assert_eq(dt_s64(ev, 0), a);
	cr_assert_eq(dt_u32(ev, 1), file_flags_of(true, true));
	ev = dt_find(&t, PPME_USERFAULTFD_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_u32(ev, 1), file_flags_of(true, false));
	close_made(a);
}

Test(fillers_fd, memfd_create)
{
	const struct kcap_evt *ev;
	long a;

	dt_start(&t, "memfd_create");
	a = syscall(SYS_memfd_create, "kcap-memfd", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	cr_assert_eq(dt_res(syscall(SYS_memfd_create, "bad", 0x1000)), -EINVAL);
	dt_stop(&t);
	cr_assert_geq(a, 0);
	dt_find(&t, PPME_MEMFD_CREATE_E, 0);
	ev = dt_find(&t, PPME_MEMFD_CREATE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), a);
	cr_assert_str_eq(dt_str(ev, 1), "kcap-memfd");
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&memfd_create_flags, "MFD_CLOEXEC") |
				     dt_flag(&memfd_create_flags, "MFD_ALLOW_SEALING"));
	ev = dt_find(&t, PPME_MEMFD_CREATE_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_str_eq(dt_str(ev, 1), "bad");
	cr_assert_eq(dt_u32(ev, 2), 0);
	close_made(a);
}

/* A pidfd of this process, and a copy of one of its fds through it. */
Test(fillers_fd, pidfd_open_pidfd_getfd)
{
	const struct kcap_evt *ev;
	long p, bad, got;
	int null = open("/dev/null", O_RDONLY);

	cr_assert_geq(null, 0);
	dt_start(&t, "pidfd_open,pidfd_getfd");
	p = syscall(SYS_pidfd_open, getpid(), O_NONBLOCK);
	bad = dt_res(syscall(SYS_pidfd_open, -5, 0));
	got = dt_res(syscall(SYS_pidfd_getfd, (int)p, null, 0));
	cr_assert_eq(dt_res(syscall(SYS_pidfd_getfd, (int)p, 9999, 0)), -EBADF);
	dt_stop(&t);
	cr_assert_geq(p, 0);
	cr_assert_eq(bad, -EINVAL);
	cr_assert_geq(got, 0);
	dt_find(&t, PPME_PIDFD_OPEN_E, 0);
	ev = dt_find(&t, PPME_PIDFD_OPEN_X, 0);
	cr_assert_eq(dt_s64(ev, 0), p);
	cr_assert_eq(dt_s64(ev, 1), getpid());
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&pidfd_open_flags, "PIDFD_NONBLOCK"));
	ev = dt_find(&t, PPME_PIDFD_OPEN_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_s64(ev, 1), -5);
	cr_assert_eq(dt_u32(ev, 2), 0);
	dt_find(&t, PPME_PIDFD_GETFD_E, 0);
	ev = dt_find(&t, PPME_PIDFD_GETFD_X, 0);
	cr_assert_eq(dt_s64(ev, 0), got);
	cr_assert_eq(dt_s64(ev, 1), p);
	cr_assert_eq(dt_s64(ev, 2), null);
	cr_assert_eq(dt_u32(ev, 3), 0);
	ev = dt_find(&t, PPME_PIDFD_GETFD_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 2), 9999);
	close_made(got);
	close_made(p);
	close(null);
}

/*
 * The exit of a bpf call of this thread with command cmd and result res:
 * the driver's own bpf calls may show up among them.
 */
static const struct kcap_evt *bpf_x(uint32_t cmd, long res)
{
	const struct kcap_evt *ev;
	int i, n = dt_count(&t, PPME_BPF_X);

	for (i = 0; i < n; i++) {
		ev = dt_find(&t, PPME_BPF_X, i);
		if (dt_u32(ev, 1) == cmd && dt_s64(ev, 0) == res)
			return ev;
	}
	cr_assert_fail("no bpf exit with cmd %u and res %ld among %d", cmd, res, n);
	return NULL;
}

Test(fillers_fd, bpf)
{
	union bpf_attr attr;
	const struct kcap_evt *ev;
	long fd, bad;
	int i, n, seen = 0;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	dt_start(&t, "bpf");
	fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	bad = dt_res(syscall(SYS_bpf, 9999, &attr, sizeof(attr)));
	dt_stop(&t);
	cr_assert_geq(fd, 0);
	cr_assert_eq(bad, -EINVAL);
	ev = bpf_x(BPF_MAP_CREATE, fd);
	cr_assert_eq(dt_u32(ev, 1), dt_flag(&bpf_commands, "BPF_MAP_CREATE"));
	bpf_x(9999, -EINVAL);
	n = dt_count(&t, PPME_BPF_E);
	for (i = 0; i < n; i++)
		seen |= dt_s64(dt_find(&t, PPME_BPF_E, i), 0) == 9999;
	cr_assert(seen, "the enter event has the command");
	close_made(fd);
}

/* A ring made, entered and registered with; each refused too. */
Test(fillers_fd, io_uring)
{
	struct io_uring_params p;
	const struct kcap_evt *ev;
	sigset_t mask;
	long fd;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CLAMP;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR2);
	dt_start(&t, "io_uring_setup,io_uring_enter,io_uring_register");
	fd = dt_res(syscall(SYS_io_uring_setup, 100000, &p));
	if (fd < 0) {
		dt_stop(&t);
		cr_assert_eq(dt_s64(dt_find(&t, PPME_IO_URING_SETUP_X, 0), 0), fd);
		cr_skip_test("io_uring refused here (%ld): only the refusal checked", fd);
	}
	cr_assert_eq(syscall(SYS_io_uring_enter, (int)fd, 0, 0, IORING_ENTER_GETEVENTS, &mask, 8), 0);
	cr_assert_eq(dt_res(syscall(SYS_io_uring_enter, 9999, 1, 2, 0, NULL, 8)), -EBADF);
	cr_assert_eq(dt_res(syscall(SYS_io_uring_register, (int)fd, IORING_UNREGISTER_BUFFERS,
				    NULL, 0)), -ENXIO);
	cr_assert_eq(dt_res(syscall(SYS_io_uring_setup, 0, &p)), -EINVAL);
	dt_stop(&t);
	dt_find(&t, PPME_IO_URING_SETUP_E, 0);
	ev = dt_find(&t, PPME_IO_URING_SETUP_X, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u32(ev, 1), 100000);
	cr_assert_eq(dt_u32(ev, 2), p.sq_entries, "clamped by the kernel");
	cr_assert_eq(dt_u32(ev, 3), p.cq_entries);
	cr_assert_eq(dt_u32(ev, 4), dt_flag(&io_uring_setup_flags, "IORING_SETUP_CLAMP"));
	cr_assert_eq(dt_u32(ev, 5), 0);
	cr_assert_eq(dt_u32(ev, 6), 0);
	cr_assert_eq(dt_u32(ev, 7), p.features & 0x7ff);
	cr_assert(dt_u32(ev, 7) & dt_flag(&io_uring_setup_feats, "IORING_FEAT_NODROP"));
	ev = dt_find(&t, PPME_IO_URING_SETUP_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_u32(ev, 1), 0);
	dt_find(&t, PPME_IO_URING_ENTER_E, 0);
	ev = dt_find(&t, PPME_IO_URING_ENTER_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_eq(dt_u32(ev, 2), 0);
	cr_assert_eq(dt_u32(ev, 3), 0);
	cr_assert_eq(dt_u32(ev, 4), dt_flag(&io_uring_enter_flags, "IORING_ENTER_GETEVENTS"));
	cr_assert_eq(dt_u32(ev, 5), 1u << (SIGUSR2 - 1));
	ev = dt_find(&t, PPME_IO_URING_ENTER_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_eq(dt_u32(ev, 2), 1);
	cr_assert_eq(dt_u32(ev, 3), 2);
	cr_assert_eq(dt_u32(ev, 5), 0);
	dt_find(&t, PPME_IO_URING_REGISTER_E, 0);
	ev = dt_find(&t, PPME_IO_URING_REGISTER_X, 0);
	cr_assert_eq(dt_s64(ev, 0), -ENXIO);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_eq(dt_u16(ev, 2),
		     dt_flag(&io_uring_register_opcodes, "IORING_UNREGISTER_BUFFERS"));
	cr_assert_eq(dt_u64(ev, 3), 0);
	cr_assert_eq(dt_u32(ev, 4), 0);
	close_made(fd);
}
