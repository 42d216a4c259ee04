// SPDX-License-Identifier: MIT
/*
 * The module's device interface against misuse: a second reader, unknown
 * ioctls and bad arguments are refused and change nothing. Runs where the
 * kcap module is loaded (the qemu guests).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "driver_test.h"
#include "filler_table.h"
#include "hook_table.h"
#include "kmod/kcap_kmod_abi.h"

static struct dt t;

static void fini(void)
{
	dt_close(&t);
}

static void need_module(void)
{
	if (geteuid() != 0 || access("/sys/module/kcap", F_OK))
		cr_skip_test("needs root and the kcap module loaded");
}

TestSuite(kmod, .init = need_module, .fini = fini);

Test(kmod, devices_are_per_cpu_and_private)
{
	struct stat st;
	uint32_t version = 0;
	int fd;

	cr_assert_eq(stat("/dev/kcap0", &st), 0);
	cr_assert(S_ISCHR(st.st_mode));
	cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
	fd = open("/dev/kcap0", O_RDWR);
	cr_assert_geq(fd, 0, "%s", strerror(errno));
	cr_assert_eq(ioctl(fd, KCAP_IOC_API_VERSION, &version), 0);
	cr_assert_eq(version, KCAP_KMOD_API_VERSION);
	cr_assert_eq(open("/dev/kcap0", O_RDWR), -1, "a second reader got the ring");
	cr_assert_eq(errno, EBUSY);
	close(fd);
	fd = open("/dev/kcap0", O_RDWR);
	cr_assert_geq(fd, 0, "closing did not free the ring: %s", strerror(errno));
	close(fd);
}

/* An open device holds the module: unloading it then is refused. */
Test(kmod, unload_is_refused_while_a_reader_is_open)
{
	int fd = open("/dev/kcap0", O_RDWR);

	cr_assert_geq(fd, 0, "%s", strerror(errno));
	cr_assert_eq(syscall(SYS_delete_module, "kcap", O_NONBLOCK), -1, "the module went away");
	cr_assert(errno == EBUSY || errno == EWOULDBLOCK, "%s", strerror(errno));
	cr_assert_eq(access("/dev/kcap0", F_OK), 0);
	close(fd);
}

/* The descriptor of /dev/kcap0 the engine holds: ioctls work on any device. */
static int engine_fd(void)
{
	char link[64], target[64];
	int fd;

	for (fd = 3; fd < 1024; fd++) {
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n > 0 && (target[n] = '\0', !strcmp(target, "/dev/kcap0")))
			return fd;
	}
	return -1;
}

Test(kmod, bad_ioctls_and_maps_change_nothing)
{
	static struct kcap_sc_row rows[SYSCALL_TABLE_SIZE];
	struct kcap_rows_arg a = { .rows = (uintptr_t)rows, .count = SYSCALL_TABLE_SIZE };
	struct kcap_hooks_arg hooks = { 0 };
	struct kcap_settings s = { .snaplen = 70000 };
	uint32_t two = 2;
	int fd;

	dt_start_with(&t, KCAP_DRIVER_KMOD, "close");
	fd = engine_fd();
	cr_assert_geq(fd, 0, "the engine has no /dev/kcap0 open");
	cr_assert_eq(ioctl(fd, _IO(KCAP_IOC_MAGIC, 99)), -1);
	cr_assert_eq(errno, ENOTTY);
	cr_assert_eq(ioctl(fd, KCAP_IOC_SET_SETTINGS, &s), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(ioctl(fd, KCAP_IOC_SET_CAPTURE, &two), -1);
	cr_assert_eq(errno, EINVAL);
	a.count = 3;
	cr_assert_eq(ioctl(fd, KCAP_IOC_SET_ROWS, &a), -1);
	cr_assert_eq(errno, EINVAL);
	a.count = SYSCALL_TABLE_SIZE;
	rows[SYS_close].exit_filler = 250;
	rows[SYS_close].ppm_sc = 1;
	cr_assert_eq(ioctl(fd, KCAP_IOC_SET_ROWS, &a), -1);
	cr_assert_eq(errno, EINVAL);
	/* The right filler with a parameter count the table does not give. */
	rows[SYS_close].exit_event = PPME_CLOSE_X;
	rows[SYS_close].exit_filler = KCAP_FILLER_close_x;
	rows[SYS_close].exit_nparams = 1;
	cr_assert_eq(ioctl(fd, KCAP_IOC_SET_ROWS, &a), -1);
	cr_assert_eq(errno, EINVAL);
	hooks.want = 1ull << KCAP_HOOK_MAX;
	cr_assert_eq(ioctl(fd, KCAP_IOC_SET_HOOKS, &hooks), -1);
	cr_assert_eq(errno, EINVAL);
	a.rows = 16;	/* not mapped */
	cr_assert_eq(ioctl(fd, KCAP_IOC_SET_ROWS, &a), -1);
	cr_assert_eq(errno, EFAULT);
	cr_assert_eq(mmap(NULL, 4096 * 3, PROT_READ, MAP_SHARED, fd, 0), MAP_FAILED,
		     "a mapping of the wrong size was accepted");
	/* Still capturing close, and only close, as set before. */
	syscall(SYS_close, -1);
	syscall(SYS_getppid);
	dt_stop(&t);
	cr_assert_eq(dt_count(&t, PPME_CLOSE_X), 1);
	cr_assert_eq(t.nevents, 2, "%u events", t.nevents);
}
