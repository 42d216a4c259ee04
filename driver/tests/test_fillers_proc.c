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
#include <sys/ptrace.h>
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

/*
 * A PT_DYN value: its first byte indexes the event's dynamic table; the
 * type found there must be want, then the value follows in size bytes.
 */
static uint64_t ptrace_dyn(const struct kcap_evt *ev, uint32_t i, enum ppm_param_type want,
		       uint32_t size)
{
	uint64_t v = 0;

	cr_assert_eq(ev->len[i], 1 + size, "param %u is %u bytes", i, ev->len[i]);
	cr_assert_lt(ev->val[i][0], ptrace_dynamic_param.count);
	cr_assert_eq(ptrace_dynamic_param.entries[ev->val[i][0]].type, want,
		     "param %u has type index %u", i, ev->val[i][0]);
	memcpy(&v, ev->val[i] + 1, size);
	return v;
}

/* request and pid: a ptrace enter event, and the end of its exit event. */
static const struct kcap_evt *ptrace_x(int nth, long res, const char *req, pid_t pid)
{
	const struct kcap_evt *ev = dt_find(&t, PPME_PTRACE_E, nth);

	cr_assert_eq(dt_u16(ev, 0), schema_value(&ptrace_requests, req), "ptrace %d", nth);
	cr_assert_eq(dt_s64(ev, 1), pid, "ptrace %d", nth);
	ev = dt_find(&t, PPME_PTRACE_X, nth);
	cr_assert_eq(dt_s64(ev, 0), res, "ptrace %d", nth);
	cr_assert_eq(dt_u16(ev, 3), schema_value(&ptrace_requests, req), "ptrace %d", nth);
	cr_assert_eq(dt_s64(ev, 4), pid, "ptrace %d", nth);
	return ev;
}

static const uint64_t peeked = 0x1122334455667788ull;

/*
 * Failed requests, then a real attach, peek and detach of a child: the
 * events are this thread's, the tracer's.
 */
Test(fillers_proc, ptrace)
{
	uint64_t word = 0;
	const struct kcap_evt *ev;
	int status;
	pid_t child = fork();

	if (child == 0) {
		for (;;)
			pause();
	}
	cr_assert_gt(child, 0);
	dt_start(&t, "ptrace");
	cr_assert_eq(syscall(SYS_ptrace, PTRACE_PEEKDATA, 999999999, &peeked, &word), -1);
	cr_assert_eq(syscall(SYS_ptrace, PTRACE_CONT, child, 0, SIGUSR1), -1, "not traced yet");
	cr_assert_eq(syscall(SYS_ptrace, 0x4300, child, 8, 9), -1);
	cr_assert_eq(syscall(SYS_ptrace, PTRACE_ATTACH, child, 0, 0), 0);
	cr_assert_eq(syscall(SYS_wait4, child, &status, 0, NULL), child);
	cr_assert(WIFSTOPPED(status));
	cr_assert_eq(syscall(SYS_ptrace, PTRACE_PEEKDATA, child, &peeked, &word), 0);
	cr_assert_eq(syscall(SYS_ptrace, PTRACE_DETACH, child, 0, SIGCONT), 0);
	dt_stop(&t);
	kill(child, SIGKILL);
	syscall(SYS_wait4, child, &status, 0, NULL);
	cr_assert_eq(word, peeked);

	ev = ptrace_x(0, -ESRCH, "PTRACE_PEEKDATA", 999999999);
	cr_assert_eq(ptrace_dyn(ev, 1, PT_UINT64, 8), 0, "a failed request shows 0");
	cr_assert_eq(ptrace_dyn(ev, 2, PT_UINT64, 8), 0);
	ev = ptrace_x(1, -ESRCH, "PTRACE_CONT", child);
	cr_assert_eq(ptrace_dyn(ev, 1, PT_UINT64, 8), 0);
	cr_assert_eq(ptrace_dyn(ev, 2, PT_UINT64, 8), 0);
	ev = ptrace_x(2, -ESRCH, "PTRACE_UNKNOWN", child);
	cr_assert_eq(ptrace_dyn(ev, 1, PT_UINT64, 8), 0);
	cr_assert_eq(ptrace_dyn(ev, 2, PT_UINT64, 8), 0);
	ev = ptrace_x(3, 0, "PTRACE_ATTACH", child);
	cr_assert_eq(ptrace_dyn(ev, 1, PT_UINT64, 8), 0);
	cr_assert_eq(ptrace_dyn(ev, 2, PT_UINT64, 8), 0);
	ev = ptrace_x(4, 0, "PTRACE_PEEKDATA", child);
	cr_assert_eq(ptrace_dyn(ev, 1, PT_UINT64, 8), (uintptr_t)&peeked);
	cr_assert_eq(ptrace_dyn(ev, 2, PT_UINT64, 8), peeked, "the word read, not the pointer");
	ev = ptrace_x(5, 0, "PTRACE_DETACH", child);
	cr_assert_eq(ptrace_dyn(ev, 1, PT_UINT64, 8), 0);
	cr_assert_eq(ptrace_dyn(ev, 2, PT_SIGTYPE, 1), SIGCONT);
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
