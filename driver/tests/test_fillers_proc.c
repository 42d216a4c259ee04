// SPDX-License-Identifier: MIT
/*
 * Driver tests of process, signal and credential syscalls: capture one real syscall, success and failure,
 * and assert the header and every parameter of its enter and exit events.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "driver_test.h"
#include "flag_conv.h"

static struct dt t;

static void fini(void)
{
	dt_close(&t);
}

TestSuite(fillers_proc, .fini = fini);

Test(fillers_proc, kill)
{
	const struct kcap_evt *ev;

	dt_start(&t, "kill");
	cr_assert_eq(syscall(SYS_kill, getpid(), 0), 0);
	cr_assert_eq(syscall(SYS_kill, 999999999, SIGTERM), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_KILL_E, 1);
	cr_assert_eq(dt_s64(ev, 0), 999999999);
	cr_assert_eq(dt_u8(ev, 1), SIGTERM);
	ev = dt_find(&t, PPME_KILL_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), getpid());
	cr_assert_eq(dt_u8(ev, 2), 0);
	ev = dt_find(&t, PPME_KILL_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ESRCH);
	cr_assert_eq(dt_s64(ev, 1), 999999999);
	cr_assert_eq(dt_u8(ev, 2), SIGTERM);
}

Test(fillers_proc, tkill)
{
	const struct kcap_evt *ev;

	dt_start(&t, "tkill");
	cr_assert_eq(syscall(SYS_tkill, gettid(), 0), 0);
	cr_assert_eq(syscall(SYS_tkill, 999999999, SIGUSR1), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_TKILL_E, 0);
	cr_assert_eq(dt_s64(ev, 0), gettid());
	cr_assert_eq(dt_u8(ev, 1), 0);
	ev = dt_find(&t, PPME_TKILL_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), gettid());
	cr_assert_eq(dt_u8(ev, 2), 0);
	ev = dt_find(&t, PPME_TKILL_E, 1);
	cr_assert_eq(dt_s64(ev, 0), 999999999);
	cr_assert_eq(dt_u8(ev, 1), SIGUSR1);
	ev = dt_find(&t, PPME_TKILL_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ESRCH);
	cr_assert_eq(dt_s64(ev, 1), 999999999);
	cr_assert_eq(dt_u8(ev, 2), SIGUSR1);
}

Test(fillers_proc, tgkill)
{
	const struct kcap_evt *ev;

	dt_start(&t, "tgkill");
	cr_assert_eq(syscall(SYS_tgkill, getpid(), gettid(), 0), 0);
	cr_assert_eq(syscall(SYS_tgkill, getpid(), 999999999, SIGUSR2), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_TGKILL_E, 0);
	cr_assert_eq(dt_s64(ev, 0), getpid());
	cr_assert_eq(dt_s64(ev, 1), gettid());
	cr_assert_eq(dt_u8(ev, 2), 0);
	ev = dt_find(&t, PPME_TGKILL_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), getpid());
	cr_assert_eq(dt_s64(ev, 2), gettid());
	cr_assert_eq(dt_u8(ev, 3), 0);
	ev = dt_find(&t, PPME_TGKILL_E, 1);
	cr_assert_eq(dt_s64(ev, 0), getpid());
	cr_assert_eq(dt_s64(ev, 1), 999999999);
	cr_assert_eq(dt_u8(ev, 2), SIGUSR2);
	ev = dt_find(&t, PPME_TGKILL_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ESRCH);
	cr_assert_eq(dt_s64(ev, 1), getpid());
	cr_assert_eq(dt_s64(ev, 2), 999999999);
	cr_assert_eq(dt_u8(ev, 3), SIGUSR2);
}

Test(fillers_proc, setuid_setgid)
{
	const struct kcap_evt *ev;

	dt_start(&t, "setuid");
	cr_assert_eq(syscall(SYS_setuid, getuid()), 0);
	dt_stop(&t);
	cr_assert_eq(dt_u32(dt_find(&t, PPME_SETUID_E, 0), 0), getuid());
	ev = dt_find(&t, PPME_SETUID_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u32(ev, 1), getuid());
	dt_close(&t);
	dt_start(&t, "setgid");
	cr_assert_eq(syscall(SYS_setgid, getgid()), 0);
	dt_stop(&t);
	cr_assert_eq(dt_u32(dt_find(&t, PPME_SETGID_E, 0), 0), getgid());
	ev = dt_find(&t, PPME_SETGID_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u32(ev, 1), getgid());
}
