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
#include <sys/prctl.h>
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

/* The schema's value of a flag or request, looked up by name in its table. */
static uint32_t schema_value(const struct ppm_flag_table *ft, const char *name)
{
	uint32_t i;

	for (i = 0; i < ft->count; i++)
		if (!strcmp(ft->entries[i].name, name))
			return ft->entries[i].value;
	cr_assert_fail("no %s in %s", name, ft->name);
	return 0;
}

/* The nth prctl: its enter event, without parameters, and its exit event. */
static const struct kcap_evt *prctl_x(int nth, long res, const char *option)
{
	const struct kcap_evt *ev;

	dt_find(&t, PPME_PRCTL_E, nth);	/* no parameter */
	ev = dt_find(&t, PPME_PRCTL_X, nth);
	cr_assert_eq(dt_s64(ev, 0), res, "prctl %d", nth);
	cr_assert_eq(dt_u32(ev, 1), schema_value(&prctl_options, option), "prctl %d", nth);
	return ev;
}

Test(fillers_proc, prctl)
{
	char old[16], name[16] = "";
	const struct kcap_evt *ev;
	int reaper = -1;

	cr_assert_eq(prctl(PR_GET_NAME, old), 0);
	dt_start(&t, "prctl");
	cr_assert_eq(syscall(SYS_prctl, PR_SET_NAME, "kcap-prctl", 0, 0, 0), 0);
	cr_assert_eq(syscall(SYS_prctl, PR_GET_NAME, name, 0, 0, 0), 0);
	cr_assert_eq(syscall(SYS_prctl, PR_SET_NAME, (char *)1, 0, 0, 0), -1);
	cr_assert_eq(syscall(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	cr_assert_eq(syscall(SYS_prctl, PR_GET_CHILD_SUBREAPER, &reaper, 0, 0, 0), 0);
	cr_assert_eq(syscall(SYS_prctl, -3, 12345, 0, 0, 0), -1);
	syscall(SYS_prctl, PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	syscall(SYS_prctl, PR_SET_NAME, old, 0, 0, 0);
	dt_stop(&t);
	cr_assert_str_eq(name, "kcap-prctl");
	cr_assert_eq(reaper, 1);

	ev = prctl_x(0, 0, "PR_SET_NAME");
	cr_assert_str_eq(dt_str(ev, 2), "kcap-prctl");
	dt_empty(ev, 3);
	ev = prctl_x(1, 0, "PR_GET_NAME");
	cr_assert_str_eq(dt_str(ev, 2), "kcap-prctl", "the name the kernel wrote");
	dt_empty(ev, 3);
	ev = prctl_x(2, -EFAULT, "PR_SET_NAME");
	dt_empty(ev, 2);
	dt_empty(ev, 3);
	ev = prctl_x(3, 0, "PR_SET_CHILD_SUBREAPER");
	dt_empty(ev, 2);
	cr_assert_eq(dt_s64(ev, 3), 1);
	ev = prctl_x(4, 0, "PR_GET_CHILD_SUBREAPER");
	dt_empty(ev, 2);
	cr_assert_eq(dt_s64(ev, 3), 1, "the value the kernel wrote, not the pointer");
	ev = dt_find(&t, PPME_PRCTL_X, 5);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_u32(ev, 1), (uint32_t)-3, "an option without a name as it is");
	dt_empty(ev, 2);
	cr_assert_eq(dt_s64(ev, 3), 12345);
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
