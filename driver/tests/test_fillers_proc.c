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

/* The nth prctl: its enter event, without parameters, and its exit event. */
static const struct kcap_evt *prctl_x(int nth, long res, const char *option)
{
	const struct kcap_evt *ev;

	dt_find(&t, PPME_PRCTL_E, nth);	/* no parameter */
	ev = dt_find(&t, PPME_PRCTL_X, nth);
	cr_assert_eq(dt_s64(ev, 0), res, "prctl %d", nth);
	cr_assert_eq(dt_u32(ev, 1), dt_flag(&prctl_options, option), "prctl %d", nth);
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

	cr_assert_eq(dt_u16(ev, 0), dt_flag(&ptrace_requests, req), "ptrace %d", nth);
	cr_assert_eq(dt_s64(ev, 1), pid, "ptrace %d", nth);
	ev = dt_find(&t, PPME_PTRACE_X, nth);
	cr_assert_eq(dt_s64(ev, 0), res, "ptrace %d", nth);
	cr_assert_eq(dt_u16(ev, 3), dt_flag(&ptrace_requests, req), "ptrace %d", nth);
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

/* getuid and friends: the id each returned. */
Test(fillers_proc, get_ids)
{
	static const struct {
		long nr;
		uint16_t event;
	} calls[] = {
		{ SYS_getuid, PPME_GETUID_X }, { SYS_geteuid, PPME_GETEUID_X },
		{ SYS_getgid, PPME_GETGID_X }, { SYS_getegid, PPME_GETEGID_X },
	};
	long got[4];
	size_t i;

	dt_start(&t, "getuid,geteuid,getgid,getegid");
	for (i = 0; i < 4; i++)
		got[i] = syscall(calls[i].nr);
	dt_stop(&t);
	for (i = 0; i < 4; i++) {
		const struct kcap_evt *ev = dt_find(&t, calls[i].event - 1, 0);

		cr_assert_eq(ev->nparams, 0);
		ev = dt_find(&t, calls[i].event, 0);
		cr_assert_eq(dt_u32(ev, 0), (uint32_t)got[i]);
	}
}

/* setreuid, setresuid and their gid twins with -1 (no change); getresuid's three ids. */
Test(fillers_proc, set_and_get_res_ids)
{
	unsigned int r = 7, e = 7, sv = 7;
	const struct kcap_evt *ev;
	int i;

	dt_start(&t, "setreuid,setregid,setresuid,setresgid,getresuid,getresgid");
	cr_assert_eq(syscall(SYS_setreuid, -1, -1), 0);
	cr_assert_eq(syscall(SYS_setregid, -1, getegid()), 0);
	cr_assert_eq(syscall(SYS_setresuid, -1, geteuid(), -1), 0);
	cr_assert_eq(syscall(SYS_setresgid, -1, -1, getgid()), 0);
	cr_assert_eq(syscall(SYS_getresuid, &r, &e, &sv), 0);
	cr_assert_eq(syscall(SYS_getresgid, NULL, &e, &sv), -1);	/* EFAULT */
	dt_stop(&t);
	ev = dt_find(&t, PPME_SETREUID_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u32(ev, 1), UINT32_MAX);
	cr_assert_eq(dt_u32(ev, 2), UINT32_MAX);
	ev = dt_find(&t, PPME_SETREGID_X, 0);
	cr_assert_eq(dt_u32(ev, 1), UINT32_MAX);
	cr_assert_eq(dt_u32(ev, 2), getegid());
	ev = dt_find(&t, PPME_SETRESUID_E, 0);
	cr_assert_eq(dt_u32(ev, 0), UINT32_MAX);
	cr_assert_eq(dt_u32(ev, 1), geteuid());
	cr_assert_eq(dt_u32(ev, 2), UINT32_MAX);
	ev = dt_find(&t, PPME_SETRESUID_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u32(ev, 1), UINT32_MAX);
	cr_assert_eq(dt_u32(ev, 2), geteuid());
	cr_assert_eq(dt_u32(ev, 3), UINT32_MAX);
	ev = dt_find(&t, PPME_SETRESGID_X, 0);
	cr_assert_eq(dt_u32(ev, 3), getgid());
	ev = dt_find(&t, PPME_GETRESUID_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u32(ev, 1), r);
	cr_assert_eq(dt_u32(ev, 2), e);
	cr_assert_eq(dt_u32(ev, 3), sv);
	ev = dt_find(&t, PPME_GETRESGID_X, 0);
	cr_assert_eq(dt_s64(ev, 0), -EFAULT);
	for (i = 1; i <= 3; i++)
		cr_assert_eq(dt_u32(ev, i), 0, "a failed call's ids are 0");
}

/* setpgid and setsid, as they answer here (a test runner may lead its group). */
Test(fillers_proc, setpgid_setsid)
{
	const struct kcap_evt *ev;
	long pg, sid;

	dt_start(&t, "setpgid,setsid");
	pg = dt_res(syscall(SYS_setpgid, 0, 0));
	sid = dt_res(syscall(SYS_setsid));
	cr_assert_eq(dt_res(syscall(SYS_setpgid, 0, -1)), -EINVAL);
	dt_stop(&t);
	ev = dt_find(&t, PPME_SETPGID_E, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), 0);
	ev = dt_find(&t, PPME_SETPGID_X, 0);
	cr_assert_eq(dt_s64(ev, 0), pg);
	cr_assert_eq(dt_s64(ev, 1), 0);
	cr_assert_eq(dt_s64(ev, 2), 0);
	ev = dt_find(&t, PPME_SETPGID_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_s64(ev, 2), -1);
	cr_assert_eq(dt_find(&t, PPME_SETSID_E, 0)->nparams, 0);
	cr_assert_eq(dt_s64(dt_find(&t, PPME_SETSID_X, 0), 0), sid);
}

/*
 * Process creation and execution: clone, clone3, fork, vfork, execve,
 * execveat. Their exit events describe the process (ids, cwd, limits, page
 * faults, memory, comm, cgroups...); the test computes each value from
 * /proc, getrusage() and friends, or bounds it where it moves on its own.
 */
#include <limits.h>
#include <sched.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/uio.h>
#include <linux/capability.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#define PROC_ARGS_MAX 4096
#define NOBODY 65534
#define OVERLAYFS_MAGIC 0x794c7630
#define CLONE_CLEAR_SIGHAND_ 0x100000000ULL	/* clone3 only: not in glibc's headers */

/* Reads a small file whole, NUL-terminated; its length. */
static size_t slurp(const char *path, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	while (len + 1 < cap && (n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return len;
}

/* The number after "key" in a /proc status text; base 16 for the Cap* lines. */
static unsigned long long status_num(const char *status, const char *key, int base)
{
	const char *p = strstr(status, key);

	cr_assert_not_null(p, "no %s in the status", key);
	return strtoull(p + strlen(key), NULL, base);
}

/* The last number of a status line (NSpid, NSpgid: the innermost namespace). */
static long status_last(const char *status, const char *key)
{
	const char *p = strstr(status, key), *end;

	cr_assert_not_null(p, "no %s in the status", key);
	end = strchr(p, '\n');
	while (end > p && end[-1] >= '0' && end[-1] <= '9')
		end--;
	return strtol(end, NULL, 10);
}

static bool in_child_pidns(void)
{
	char status[4096], ns[64] = "", children[64] = "";

	slurp("/proc/self/status", status, sizeof(status));
	readlink("/proc/self/ns/pid", ns, sizeof(ns) - 1);
	readlink("/proc/self/ns/pid_for_children", children, sizeof(children) - 1);
	return status_last(status, "NSpid:") != getpid() || strcmp(ns, children) != 0;
}

/* The schema's clone flags, looked up by name in its flag table. */
static uint32_t expected_clone_flags(uint64_t kflags)
{
	static const struct {
		uint64_t flag;
		const char *name;
	} names[] = {
		{ CLONE_FILES, "CLONE_FILES" }, { CLONE_FS, "CLONE_FS" }, { CLONE_IO, "CLONE_IO" },
		{ CLONE_NEWIPC, "CLONE_NEWIPC" }, { CLONE_NEWNET, "CLONE_NEWNET" },
		{ CLONE_NEWNS, "CLONE_NEWNS" }, { CLONE_NEWPID, "CLONE_NEWPID" },
		{ CLONE_NEWUTS, "CLONE_NEWUTS" }, { CLONE_PARENT, "CLONE_PARENT" },
		{ CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID" }, { CLONE_PTRACE, "CLONE_PTRACE" },
		{ CLONE_SIGHAND, "CLONE_SIGHAND" }, { CLONE_SYSVSEM, "CLONE_SYSVSEM" },
		{ CLONE_THREAD, "CLONE_THREAD" }, { CLONE_UNTRACED, "CLONE_UNTRACED" },
		{ CLONE_VM, "CLONE_VM" }, { CLONE_NEWUSER, "CLONE_NEWUSER" },
		{ CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID" },
		{ CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID" }, { CLONE_SETTLS, "CLONE_SETTLS" },
		{ CLONE_VFORK, "CLONE_VFORK" }, { CLONE_NEWCGROUP, "CLONE_NEWCGROUP" },
	};
	uint32_t res = in_child_pidns() ? dt_flag(&clone_flags, "CLONE_CHILD_IN_PIDNS") : 0;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (kflags & names[i].flag)
			res |= dt_flag(&clone_flags, names[i].name);
	return res;
}

/* subsys's cgroup on cgroup v2: out, or the nearest ancestor where subsys is enabled. */
static void cgroup2_path(const char *subsys, char *out, size_t cap)
{
	char mountinfo[16384], mnt[PATH_MAX] = "", file[2 * PATH_MAX], ctrl[1024], *p;

	slurp("/proc/self/mountinfo", mountinfo, sizeof(mountinfo));
	for (p = strtok(mountinfo, "\n"); p; p = strtok(NULL, "\n"))
		if (strstr(p, " - cgroup2 ") && sscanf(p, "%*s %*s %*s %*s %4095s", mnt) == 1)
			break;
	while (p && strcmp(out, "/") != 0) {
		char *slash;
		size_t n = strlen(subsys);
		const char *c;

		snprintf(file, sizeof(file), "%s%s/cgroup.controllers", mnt, out);
		slurp(file, ctrl, sizeof(ctrl));
		for (c = strstr(ctrl, subsys); c; c = strstr(c + 1, subsys))
			if ((c == ctrl || c[-1] == ' ') && (c[n] == ' ' || c[n] == '\n' || !c[n]))
				return;
		slash = strrchr(out, '/');
		slash[slash == out] = '\0';
	}
	snprintf(out, cap, "/");
}

/* "subsys=path" of cpuset, cpu, cpuacct, io, memory, as /proc/self/cgroup shows them. */
static size_t expected_cgroups(char *out, size_t cap)
{
	static const char *const subsys[][2] = {
		{ "cpuset", "cpuset" }, { "cpu", "cpu" }, { "cpuacct", "cpuacct" },
		{ "io", "blkio" }, { "memory", "memory" },	/* v1 shows io as blkio */
	};
	char table[4096], self[8192], path[PATH_MAX], key[64];
	size_t i, len = 0;

	slurp("/proc/cgroups", table, sizeof(table));
	slurp("/proc/self/cgroup", self, sizeof(self));
	for (i = 0; i < sizeof(subsys) / sizeof(subsys[0]); i++) {
		const char *row, *line;
		int hierarchy;

		snprintf(key, sizeof(key), "\n%s\t", subsys[i][1]);
		row = strstr(table, key);
		if (!row)
			continue;	/* not built into this kernel */
		hierarchy = atoi(row + strlen(key));
		snprintf(key, sizeof(key), "%s%d:", hierarchy ? "\n" : "", hierarchy);
		line = hierarchy ? strstr(self, key) : strstr(self, "0::");
		snprintf(path, sizeof(path), "/");
		if (line) {
			line = strchr(strchr(line + 1, ':') + 1, ':') + 1;
			snprintf(path, sizeof(path), "%.*s", (int)strcspn(line, "\n"), line);
			if (!hierarchy)
				cgroup2_path(subsys[i][0], path, sizeof(path));
		}
		len += (size_t)snprintf(out + len, cap - len, "%s=%s", subsys[i][0], path) + 1;
	}
	return len;
}

static void assert_bytes(const struct kcap_evt *ev, uint32_t i, const void *data, size_t len)
{
	cr_assert_eq(ev->len[i], len, "param %u: %u bytes, %zu expected", i, ev->len[i], len);
	cr_assert(memcmp(ev->val[i], data, len) == 0, "param %u: other bytes than expected", i);
}

/* A snapshot of this thread's page faults and this process's memory (KiB). */
struct snap {
	struct rusage ru;
	unsigned long vm_size, vm_rss, vm_swap;
};

static void take_snap(struct snap *s)
{
	char status[4096];

	getrusage(RUSAGE_THREAD, &s->ru);
	slurp("/proc/self/status", status, sizeof(status));
	s->vm_size = status_num(status, "VmSize:", 10);
	s->vm_rss = status_num(status, "VmRSS:", 10);
	s->vm_swap = status_num(status, "VmSwap:", 10);
}

/* What the parameters tid up to cgroups (3 to 14) of a process event must be. */
struct proc_expect {
	pid_t tid, pid, ppid;
	char cwd[PATH_MAX];
	uint64_t fdlimit;
	uint64_t maj_lo, maj_hi, min_lo, min_hi;
	uint64_t size_lo, size_hi, rss_lo, rss_hi, swap_hi;
	char comm[16];
	char cgroups[8192];
	size_t cgroups_len;
};

static void expect_self(struct proc_expect *e, const struct snap *b, const struct snap *a)
{
	struct rlimit rl;

	memset(e, 0, sizeof(*e));
	e->tid = gettid();
	e->pid = getpid();
	e->ppid = getppid();
	cr_assert_not_null(getcwd(e->cwd, sizeof(e->cwd)));
	getrlimit(RLIMIT_NOFILE, &rl);
	e->fdlimit = rl.rlim_cur;
	e->maj_lo = b->ru.ru_majflt;
	e->maj_hi = a->ru.ru_majflt;
	e->min_lo = b->ru.ru_minflt;
	e->min_hi = a->ru.ru_minflt;
	e->size_lo = b->vm_size < a->vm_size ? b->vm_size : a->vm_size;
	e->size_hi = b->vm_size > a->vm_size ? b->vm_size : a->vm_size;
	/* rss counters are per-CPU sums read approximately, by us and by /proc alike */
	e->rss_lo = (b->vm_rss < a->vm_rss ? b->vm_rss : a->vm_rss) * 9 / 10;
	e->rss_hi = (b->vm_rss > a->vm_rss ? b->vm_rss : a->vm_rss) * 11 / 10 + 64;
	e->swap_hi = (b->vm_swap > a->vm_swap ? b->vm_swap : a->vm_swap) + 64;
	slurp("/proc/thread-self/comm", e->comm, sizeof(e->comm));
	e->comm[strcspn(e->comm, "\n")] = '\0';
	e->cgroups_len = expected_cgroups(e->cgroups, sizeof(e->cgroups));
}

static void assert_proc(const struct kcap_evt *ev, const struct proc_expect *e)
{
	cr_assert_eq(dt_s64(ev, 3), e->tid);
	cr_assert_eq(dt_s64(ev, 4), e->pid);
	cr_assert_eq(dt_s64(ev, 5), e->ppid, "ptid: %lld, the parent is %d",
		     (long long)dt_s64(ev, 5), e->ppid);
	cr_assert_str_eq(dt_str(ev, 6), e->cwd);
	cr_assert_eq(dt_u64(ev, 7), e->fdlimit);
	cr_assert(dt_u64(ev, 8) >= e->maj_lo && dt_u64(ev, 8) <= e->maj_hi,
		  "pgft_maj %llu out of [%llu, %llu]", (unsigned long long)dt_u64(ev, 8),
		  (unsigned long long)e->maj_lo, (unsigned long long)e->maj_hi);
	cr_assert(dt_u64(ev, 9) >= e->min_lo && dt_u64(ev, 9) <= e->min_hi,
		  "pgft_min %llu out of [%llu, %llu]", (unsigned long long)dt_u64(ev, 9),
		  (unsigned long long)e->min_lo, (unsigned long long)e->min_hi);
	cr_assert(dt_u32(ev, 10) >= e->size_lo && dt_u32(ev, 10) <= e->size_hi,
		  "vm_size %u KiB out of [%llu, %llu]", dt_u32(ev, 10),
		  (unsigned long long)e->size_lo, (unsigned long long)e->size_hi);
	cr_assert(dt_u32(ev, 11) >= e->rss_lo && dt_u32(ev, 11) <= e->rss_hi,
		  "vm_rss %u KiB out of [%llu, %llu]", dt_u32(ev, 11),
		  (unsigned long long)e->rss_lo, (unsigned long long)e->rss_hi);
	cr_assert_leq(dt_u32(ev, 12), e->swap_hi);
	cr_assert_str_eq(dt_str(ev, 13), e->comm);
	assert_bytes(ev, 14, e->cgroups, e->cgroups_len);
}

/* exe and args of this process: /proc/self/cmdline, args cut as libs cuts them. */
static void assert_self_exe_args(const struct kcap_evt *ev)
{
	static char cmdline[65536];
	size_t len = slurp("/proc/self/cmdline", cmdline, sizeof(cmdline));
	size_t exe = strlen(cmdline) + 1, args = len - exe;

	if (args > PROC_ARGS_MAX - exe)
		args = PROC_ARGS_MAX - exe;
	cr_assert_str_eq(dt_str(ev, 1), cmdline);
	cr_assert_eq(ev->len[2], args);
	cr_assert(args == 0 || memcmp(ev->val[2], cmdline + exe, args - 1) == 0);
	cr_assert(args == 0 || ev->val[2][args - 1] == '\0');
}

/* start_time (CLOCK_MONOTONIC) of the init of this pid namespace, from /proc/1/stat. */
static uint64_t pidns_init_start(void)
{
	char stat[4096];
	unsigned long long ticks = 0;
	struct timespec boot, mono;
	const char *p;
	int field;

	slurp("/proc/1/stat", stat, sizeof(stat));
	p = strrchr(stat, ')');
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	cr_assert_not_null(p);
	ticks = strtoull(p + 1, NULL, 10);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	/* /proc shows it since boot, in ticks; the field is monotonic ns */
	return ticks * (1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK)) -
	       ((uint64_t)(boot.tv_sec - mono.tv_sec) * 1000000000ull + (uint64_t)boot.tv_nsec -
		(uint64_t)mono.tv_nsec);
}

static void assert_pidns_start(const struct kcap_evt *ev, uint32_t i)
{
	int64_t diff = (int64_t)(dt_u64(ev, i) - pidns_init_start());

	cr_assert(diff > -30000000 && diff < 30000000,
		  "pidns_init_start_ts %llu: %lld ns from init's start time",
		  (unsigned long long)dt_u64(ev, i), (long long)diff);
}

/* Parameters 15 to 20 of clone, clone3, fork and vfork. */
static void assert_clone_tail(const struct kcap_evt *ev, uint64_t kflags, pid_t vtid, pid_t vpid,
			      uid_t uid, gid_t gid, bool child)
{
	cr_assert_eq(dt_u32(ev, 15), expected_clone_flags(kflags), "flags %#x, %#x expected",
		     dt_u32(ev, 15), expected_clone_flags(kflags));
	cr_assert_eq(dt_u32(ev, 16), uid);
	cr_assert_eq(dt_u32(ev, 17), gid);
	cr_assert_eq(dt_s64(ev, 18), vtid);
	cr_assert_eq(dt_s64(ev, 19), vpid);
	if (child)
		assert_pidns_start(ev, 20);
	else
		cr_assert_eq(dt_u64(ev, 20), 0, "only the child has pidns_init_start_ts");
}

static char thread_stack[256 * 1024] __attribute__((aligned(16)));
static pid_t thread_ctid;
static struct rusage thread_ru;

static int thread_main(void *arg)
{
	(void)arg;
	syscall(SYS_getrusage, RUSAGE_THREAD, &thread_ru);
	return 0;
}

/* CLONE_CHILD_CLEARTID: the kernel clears the tid and wakes us when the thread is gone. */
static void wait_thread(void)
{
	pid_t tid;

	while ((tid = __atomic_load_n(&thread_ctid, __ATOMIC_ACQUIRE)) != 0)
		syscall(SYS_futex, &thread_ctid, FUTEX_WAIT, tid, NULL, NULL, 0);
}

Test(fillers_proc, clone)
{
	const uint64_t kflags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
				CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
	struct proc_expect e;
	struct snap b, a;
	const struct kcap_evt *ev;
	pid_t child;

	dt_start(&t, "clone");
	take_snap(&b);
	child = clone(thread_main, thread_stack + sizeof(thread_stack), (int)kflags, NULL,
		      &thread_ctid, NULL, &thread_ctid);
	cr_assert_gt(child, 0, "clone: %s", strerror(errno));
	wait_thread();
	/* CLONE_THREAD needs CLONE_SIGHAND */
	cr_assert_eq(syscall(SYS_clone, CLONE_THREAD, NULL, NULL, NULL, 0), -1);
	cr_assert_eq(errno, EINVAL);
	take_snap(&a);
	dt_stop(&t);
	expect_self(&e, &b, &a);

	dt_find(&t, PPME_CLONE_E, 1);
	ev = dt_find(&t, PPME_CLONE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), child);
	assert_self_exe_args(ev);
	assert_proc(ev, &e);
	assert_clone_tail(ev, kflags, gettid(), getpid(), geteuid(), getegid(), false);

	/* The thread returns from clone too, as the thread of this process it is. */
	ev = dt_find_tid(&t, PPME_CLONE_X, child, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	assert_self_exe_args(ev);
	e.tid = child;
	e.maj_lo = e.min_lo = 0;
	e.maj_hi = (uint64_t)thread_ru.ru_majflt;
	e.min_hi = (uint64_t)thread_ru.ru_minflt;
	assert_proc(ev, &e);
	assert_clone_tail(ev, kflags, child, getpid(), geteuid(), getegid(), true);

	ev = dt_find(&t, PPME_CLONE_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	dt_empty(ev, 1);
	dt_empty(ev, 2);
	expect_self(&e, &b, &a);
	assert_proc(ev, &e);
	assert_clone_tail(ev, CLONE_THREAD, gettid(), getpid(), geteuid(), getegid(), false);
}

/* The running kernel is older than major.minor. */
static bool kernel_before(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	cr_assert_eq(uname(&u), 0);
	sscanf(u.release, "%d.%d", &ma, &mi);
	return ma < major || (ma == major && mi < minor);
}

/* clone_args of clone3, its first version (CLONE_ARGS_SIZE_VER0). */
struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

/* A child process, followed: what it sees of its fork, as a thread of its own. */
static void expect_child(struct proc_expect *e, pid_t child, const struct rusage *ru)
{
	e->tid = e->pid = child;
	e->ppid = getpid();
	e->maj_lo = e->min_lo = 0;
	e->maj_hi = (uint64_t)ru->ru_majflt;
	e->min_hi = (uint64_t)ru->ru_minflt;
	/* its own copy of our memory: no more than ours; only what was copied resident */
	e->rss_lo = 0;
	/*
	 * Before 6.2 a thread keeps RSS counts to itself for a while: our VmRSS
	 * may miss pages we mapped lately (the module's rings) that the child,
	 * counting the page tables it copied, has. Our address space bounds it.
	 */
	if (kernel_before(6, 2))
		e->rss_hi = e->size_hi;
}

Test(fillers_proc, clone3)
{
	pid_t parent_tid = 0, child;
	struct clone_args_v0 args = { .flags = CLONE_FS | CLONE_PARENT_SETTID,
				      .parent_tid = (uintptr_t)&parent_tid,
				      .exit_signal = SIGCHLD };
	/* CLONE_SIGHAND needs CLONE_VM, and contradicts CLONE_CLEAR_SIGHAND */
	struct clone_args_v0 bad = { .flags = CLONE_SIGHAND | CLONE_CLEAR_SIGHAND_ };
	struct proc_expect e;
	struct snap b, a;
	struct rusage ru;
	const struct kcap_evt *ev;
	int status;

	dt_start_follow(&t, "clone3");
	take_snap(&b);
	child = syscall(SYS_clone3, &args, sizeof(args));
	if (child == 0)
		_exit(0);
	cr_assert_gt(child, 0, "clone3: %s", strerror(errno));
	cr_assert_eq(wait4(child, &status, 0, &ru), child);
	cr_assert_eq(syscall(SYS_clone3, &bad, sizeof(bad)), -1);
	cr_assert_eq(errno, EINVAL);
	take_snap(&a);
	dt_stop(&t);
	cr_assert_eq(parent_tid, child);
	expect_self(&e, &b, &a);

	dt_find(&t, PPME_CLONE3_E, 1);
	ev = dt_find(&t, PPME_CLONE3_X, 0);
	cr_assert_eq(dt_s64(ev, 0), child);
	assert_self_exe_args(ev);
	assert_proc(ev, &e);
	assert_clone_tail(ev, args.flags, gettid(), getpid(), geteuid(), getegid(), false);

	ev = dt_find_tid(&t, PPME_CLONE3_X, child, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	assert_self_exe_args(ev);
	expect_child(&e, child, &ru);
	assert_proc(ev, &e);
	assert_clone_tail(ev, args.flags, child, child, geteuid(), getegid(), true);

	ev = dt_find(&t, PPME_CLONE3_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	dt_empty(ev, 1);
	dt_empty(ev, 2);
	expect_self(&e, &b, &a);
	assert_proc(ev, &e);
	/* the schema's flags have 32 bits: CLONE_CLEAR_SIGHAND is dropped */
	assert_clone_tail(ev, CLONE_SIGHAND, gettid(), getpid(), geteuid(), getegid(), false);
}

/*
 * fork and vfork fail as a non-root user over its RLIMIT_NPROC: in a child,
 * followed, that becomes nobody. Returns its pid; its status tells whether
 * the call failed with EAGAIN.
 */
static pid_t fork_over_nproc(long nr)
{
	pid_t helper = fork();

	if (helper == 0) {
		struct rlimit none = { 0, 0 };
		long ret;

		if (setrlimit(RLIMIT_NPROC, &none) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		ret = nr == SYS_vfork ? vfork() : syscall(nr);
		if (ret == 0)
			_exit(0);
		_exit(ret == -1 && errno == EAGAIN ? 0 : 1);
	}
	return helper;
}

/* The failed fork or vfork of the helper. */
static void assert_fork_failure(uint16_t type, pid_t helper, const struct rusage *ru,
				const struct snap *b, const struct snap *a)
{
	struct proc_expect e;
	const struct kcap_evt *ev = dt_find_tid(&t, type, helper, 0);

	expect_self(&e, b, a);
	expect_child(&e, helper, ru);
	cr_assert_eq(dt_s64(ev, 0), -EAGAIN);
	dt_empty(ev, 1);
	dt_empty(ev, 2);
	assert_proc(ev, &e);
	assert_clone_tail(ev, 0, helper, helper, NOBODY, NOBODY, false);
}

/* fork and vfork: the parent's event, the child's, and a failure. */
static void fork_test(long nr, uint16_t enter, uint16_t exit)
{
	struct proc_expect e;
	struct snap b, a;
	struct rusage ru, helper_ru;
	const struct kcap_evt *ev;
	pid_t child, helper;
	int status;

	dt_start_follow(&t, nr == SYS_vfork ? "vfork" : "fork");
	take_snap(&b);
	/* glibc's vfork() keeps the return address off the shared stack; syscall() would not */
	child = nr == SYS_vfork ? vfork() : syscall(SYS_fork);
	if (child == 0)
		_exit(0);
	cr_assert_gt(child, 0, "%s", strerror(errno));
	cr_assert_eq(wait4(child, &status, 0, &ru), child);
	take_snap(&a);
	helper = fork_over_nproc(nr);
	cr_assert_eq(wait4(helper, &status, 0, &helper_ru), helper);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "the helper's call did not fail with EAGAIN (status %#x)", status);
	dt_stop(&t);
	expect_self(&e, &b, &a);

	dt_find(&t, enter, 0);
	ev = dt_find(&t, exit, 0);
	cr_assert_eq(dt_s64(ev, 0), child);
	assert_self_exe_args(ev);
	assert_proc(ev, &e);
	assert_clone_tail(ev, 0, gettid(), getpid(), geteuid(), getegid(), false);

	ev = dt_find_tid(&t, exit, child, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	assert_self_exe_args(ev);
	expect_child(&e, child, &ru);
	if (nr == SYS_vfork)	/* our memory */
		e.rss_lo = (b.vm_rss < a.vm_rss ? b.vm_rss : a.vm_rss) * 9 / 10;
	assert_proc(ev, &e);
	assert_clone_tail(ev, 0, child, child, geteuid(), getegid(), true);

	assert_fork_failure(exit, helper, &helper_ru, &b, &a);
}

Test(fillers_proc, fork)
{
	fork_test(SYS_fork, PPME_FORK_E, PPME_FORK_X);
}

Test(fillers_proc, vfork)
{
	fork_test(SYS_vfork, PPME_VFORK_E, PPME_VFORK_X);
}

static const char exec_args[] = "/proc/self/status";
static const char exec_env[] = "KCAP_A=1\0KCAP_B=two words";
static char *const exec_argv[] = { "cat", "/proc/self/status", NULL };
static char *const exec_envp[] = { "KCAP_A=1", "KCAP_B=two words", NULL };
static char *const empty_argv[] = { "cat", "", "x", NULL };
static char *const empty_envp[] = { "", "KCAP_A=1", NULL };

/* What the execve and execveat parameters after cgroups must be. */
struct exec_expect {
	const char *env;
	size_t env_len;
	uint32_t tty, loginuid, flags, uid, gid;
	int64_t pgid;
	uint64_t cap_inheritable, cap_permitted, cap_effective;
	struct stat exe;
	char exepath[PATH_MAX];
};

/* tty_nr, the 7th field of /proc/self/stat. */
static uint32_t self_tty(void)
{
	char stat[4096];
	const char *p;
	int field;

	slurp("/proc/self/stat", stat, sizeof(stat));
	p = strrchr(stat, ')');
	for (field = 2; field < 7 && p; field++)
		p = strchr(p + 1, ' ');
	cr_assert_not_null(p);
	return (uint32_t)strtoul(p + 1, NULL, 10);
}

static uint32_t self_loginuid(void)
{
	char buf[32];

	if (access("/proc/self/loginuid", R_OK))
		return (uint32_t)-1;
	slurp("/proc/self/loginuid", buf, sizeof(buf));
	return (uint32_t)strtoul(buf, NULL, 10);
}

/* The flags of an executable on disk for uid: writable as inode_permission() says. */
static uint32_t exe_flags(const char *path, const struct stat *st, uid_t uid)
{
	struct statfs fs;
	uint32_t flags = 0;

	cr_assert_eq(statfs(path, &fs), 0);
	cr_assert_neq(fs.f_type, OVERLAYFS_MAGIC, "%s is on overlayfs: its layer is not tested",
		      path);
	if (st->st_uid == uid || (uid == 0 && !access(path, W_OK)) ||
	    (uid != 0 && (st->st_mode & S_IWOTH)))
		flags |= dt_flag(&execve_flags, "EXE_WRITABLE");
	return flags;
}

/* The effective id: the second of the Uid: or Gid: line. */
static uint32_t status_euid(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	cr_assert_not_null(p, "no %s in the status", key);
	strtoul(p + strlen(key), (char **)&p, 10);
	return (uint32_t)strtoul(p, NULL, 10);
}

/* A process's own view of itself: a /proc/<pid>/status text; its executable. */
static void expect_exec(struct exec_expect *x, const char *status, const char *exe)
{
	const uint64_t known = (2ull << 40) - 1;	/* up to CAP_CHECKPOINT_RESTORE */

	memset(x, 0, sizeof(*x));
	x->env = exec_env;
	x->env_len = sizeof(exec_env);
	x->tty = self_tty();
	x->loginuid = self_loginuid();
	x->uid = status_euid(status, "Uid:");
	x->gid = status_euid(status, "Gid:");
	x->pgid = getpgid(0);
	x->cap_inheritable = status_num(status, "CapInh:", 16) & known;
	x->cap_permitted = status_num(status, "CapPrm:", 16) & known;
	x->cap_effective = status_num(status, "CapEff:", 16) & known;
	cr_assert_eq(stat(exe, &x->exe), 0, "%s: %s", exe, strerror(errno));
	cr_assert_not_null(realpath(exe, x->exepath));
	x->flags = exe_flags(exe, &x->exe, x->uid);
}

static uint64_t ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

/* Parameters 15 (env) to 29 (gid) of execve and execveat. */
static void assert_exec_tail(const struct kcap_evt *ev, const struct exec_expect *x)
{
	assert_bytes(ev, 15, x->env, x->env_len);
	cr_assert_eq(dt_u32(ev, 16), x->tty);
	cr_assert_eq(dt_s64(ev, 17), x->pgid, "vpgid");
	cr_assert_eq(dt_u32(ev, 18), x->loginuid);
	cr_assert_eq(dt_u32(ev, 19), x->flags, "flags %#x, %#x expected", dt_u32(ev, 19), x->flags);
	cr_assert_eq(dt_u64(ev, 20), x->cap_inheritable);
	cr_assert_eq(dt_u64(ev, 21), x->cap_permitted, "cap_permitted %#llx, %#llx expected",
		     (unsigned long long)dt_u64(ev, 21), (unsigned long long)x->cap_permitted);
	cr_assert_eq(dt_u64(ev, 22), x->cap_effective);
	cr_assert_eq(dt_u64(ev, 23), x->exe.st_ino);
	cr_assert_eq(dt_u64(ev, 24), ts_ns(&x->exe.st_ctim));
	cr_assert_eq(dt_u64(ev, 25), ts_ns(&x->exe.st_mtim));
	cr_assert_eq(dt_u32(ev, 26), x->uid);
	cr_assert_str_eq(dt_str(ev, 27), x->exepath);
	cr_assert_eq(dt_s64(ev, 28), x->pgid, "pgid");
	cr_assert_eq(dt_u32(ev, 29), x->gid);
}

/* A failed exec: everything from the syscall's arguments and the unchanged process. */
static void assert_exec_failure(const struct kcap_evt *ev, long err, const struct snap *b,
				const struct snap *a)
{
	struct proc_expect e;
	struct exec_expect x;
	char status[4096];

	expect_self(&e, b, a);
	slurp("/proc/self/status", status, sizeof(status));
	expect_exec(&x, status, "/proc/self/exe");
	cr_assert_eq(dt_s64(ev, 0), err);
	cr_assert_str_eq(dt_str(ev, 1), "cat");
	assert_bytes(ev, 2, exec_args, sizeof(exec_args));
	assert_proc(ev, &e);
	assert_exec_tail(ev, &x);
}

Test(fillers_proc, execve_failure)
{
	struct snap b, a;
	const struct kcap_evt *ev;

	dt_start(&t, "execve");
	take_snap(&b);
	cr_assert_eq(syscall(SYS_execve, "/no/such/kcap", exec_argv, exec_envp), -1);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(syscall(SYS_execve, "/no/such/kcap", NULL, NULL), -1);
	cr_assert_eq(syscall(SYS_execve, "/no/such/kcap", empty_argv, empty_envp), -1);
	take_snap(&a);
	dt_stop(&t);

	cr_assert_str_eq(dt_str(dt_find(&t, PPME_EXECVE_E, 0), 0), "/no/such/kcap");
	ev = dt_find(&t, PPME_EXECVE_X, 0);
	assert_exec_failure(ev, -ENOENT, &b, &a);
	cr_assert_str_eq(dt_str(ev, 30), "/no/such/kcap");
	/* no argv, no envp: empty exe, args and env */
	ev = dt_find(&t, PPME_EXECVE_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	dt_empty(ev, 1);
	dt_empty(ev, 2);
	dt_empty(ev, 15);
	cr_assert_str_eq(dt_str(ev, 30), "/no/such/kcap");
	/* an empty string is its NUL, not the end of the array */
	ev = dt_find(&t, PPME_EXECVE_X, 2);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_str_eq(dt_str(ev, 1), "cat");
	assert_bytes(ev, 2, "\0x", 3);
	assert_bytes(ev, 15, "\0KCAP_A=1", 10);
}

/* A child that execs cat /proc/self/status, its output in a file: its own view. */
struct exec_run {
	const char *cwd;	/* where it goes first; NULL: the scratch directory */
	pid_t child;
	long majflt, minflt;	/* its page faults before the exec */
	struct rusage ru;	/* all of them */
	char status[8192];	/* what cat printed */
};

/*
 * Forks a child (followed) that goes to the scratch directory, becomes uid,
 * reports its page faults and calls exec(); waits for it.
 */
static void exec_run(struct exec_run *run, uid_t uid, int (*exec)(void))
{
	char dir[PATH_MAX], out[2 * PATH_MAX];
	long faults[2];
	int p[2], wstatus;

	snprintf(dir, sizeof(dir), "%s", dt_scratch_dir());	/* named after our pid */
	snprintf(out, sizeof(out), "%s/cat_status", dir);
	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	run->child = fork();
	if (run->child == 0) {
		struct rusage ru;
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0 || dup2(fd, 1) != 1 || chdir(run->cwd ? run->cwd : dir))
			_exit(126);
		if (uid && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))
			_exit(126);
		getrusage(RUSAGE_SELF, &ru);
		faults[0] = ru.ru_majflt;
		faults[1] = ru.ru_minflt;
		if (write(p[1], faults, sizeof(faults)) != sizeof(faults))
			_exit(126);
		exec();
		_exit(127);
	}
	cr_assert_gt(run->child, 0);
	close(p[1]);
	cr_assert_eq(read(p[0], faults, sizeof(faults)), sizeof(faults), "the child failed");
	close(p[0]);
	run->majflt = faults[0];
	run->minflt = faults[1];
	cr_assert_eq(wait4(run->child, &wstatus, 0, &run->ru), run->child);
	cr_assert(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0, "cat: status %#x", wstatus);
	slurp(out, run->status, sizeof(run->status));
}

#define MEMFD_NAME "kcap_cat"
#define MEMFD_INFO "memfd_info"	/* in the scratch directory: a struct memfd_info */

struct memfd_info {
	int fd;
	struct stat st;
};

static struct memfd_info memfd;	/* as the child wrote it */

/* The exit event of the child's exec, in the new image; exe NULL: the memfd. */
static const struct kcap_evt *assert_exec_child(uint16_t type, const struct exec_run *run,
						const char *exe)
{
	const char *status = run->status, *name = strstr(status, "Name:\t") + 6;
	struct proc_expect e;
	struct exec_expect x;
	const struct kcap_evt *ev;

	expect_self(&e, &(struct snap){ 0 }, &(struct snap){ 0 });
	e.tid = e.pid = run->child;
	e.ppid = getpid();
	cr_assert_not_null(realpath(run->cwd ? run->cwd : dt_scratch_dir(), e.cwd));
	e.maj_lo = (uint64_t)run->majflt;
	e.min_lo = (uint64_t)run->minflt;
	e.maj_hi = (uint64_t)run->ru.ru_majflt;
	e.min_hi = (uint64_t)run->ru.ru_minflt;
	/* the new image, just loaded: some, and less than cat shows later on */
	e.size_lo = 64;
	e.size_hi = status_num(status, "VmSize:", 10);
	e.rss_lo = 0;
	e.rss_hi = status_num(status, "VmRSS:", 10) + 64;
	e.swap_hi = status_num(status, "VmSwap:", 10) + 64;
	snprintf(e.comm, sizeof(e.comm), "%.*s", (int)strcspn(name, "\n"), name);
	expect_exec(&x, status, exe ? exe : "/proc/self/exe");
	if (!exe) {
		char path[2 * PATH_MAX], raw[sizeof(memfd) + 1];

		snprintf(path, sizeof(path), "%s/" MEMFD_INFO, e.cwd);
		cr_assert_eq(slurp(path, raw, sizeof(raw)), sizeof(memfd));
		memcpy(&memfd, raw, sizeof(memfd));
		x.exe = memfd.st;
		/* d_path() shows "/memfd:kcap_cat (deleted)": the suffix is dropped */
		snprintf(x.exepath, sizeof(x.exepath), "/memfd:" MEMFD_NAME);
		x.flags = dt_flag(&execve_flags, "EXE_FROM_MEMFD") |
			  (x.exe.st_uid == x.uid ? dt_flag(&execve_flags, "EXE_WRITABLE") : 0);
	}
	cr_assert_eq(x.pgid, status_last(status, "NSpgid:"));

	ev = dt_find_tid(&t, type, run->child, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), "cat");
	assert_bytes(ev, 2, exec_args, sizeof(exec_args));
	assert_proc(ev, &e);
	assert_exec_tail(ev, &x);
	return ev;
}

/*
 * The path on the stack: the enter event reads it before execve could fault
 * it in, and a forked child has not touched the page our literal is in.
 */
static int exec_cat(void)
{
	char path[] = "/bin/cat";

	return (int)syscall(SYS_execve, path, exec_argv, exec_envp);
}

/*
 * As root and as nobody: the executable is writable for one only, capabilities
 * differ. Nobody works in /dev/shm: its cwd crosses mounts (stacked ones here).
 */
Test(fillers_proc, execve)
{
	static const uid_t uids[] = { 0, NOBODY };
	static const char *const cwds[] = { NULL, "/dev/shm" };
	static struct exec_run run;
	const struct kcap_evt *ev;
	size_t i;

	for (i = 0; i < sizeof(uids) / sizeof(uids[0]); i++) {
		dt_start_follow(&t, "execve");
		run.cwd = cwds[i] && !access(cwds[i], X_OK) ? cwds[i] : NULL;
		exec_run(&run, uids[i], exec_cat);
		dt_stop(&t);
		ev = dt_find_tid(&t, PPME_EXECVE_E, run.child, 0);
		cr_assert_str_eq(dt_str(ev, 0), "/bin/cat");
		ev = assert_exec_child(PPME_EXECVE_X, &run, "/bin/cat");
		/* exec left the name of the file it ran after the environment strings */
		cr_assert_str_eq(dt_str(ev, 30), "/bin/cat");
		dt_close(&t);
	}
}

/* cat copied into a memfd and run from its fd: a file that exists nowhere on disk. */
static int exec_cat_memfd(void)
{
	char buf[65536], empty[] = "";
	int in = open("/bin/cat", O_RDONLY), out;
	struct memfd_info info = { .fd = (int)memfd_create(MEMFD_NAME, 0) };
	ssize_t n;

	if (in < 0 || info.fd < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(info.fd, buf, (size_t)n) != n)
			return -1;
	close(in);
	out = open(MEMFD_INFO, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0 || fstat(info.fd, &info.st) || write(out, &info, sizeof(info)) != sizeof(info))
		return -1;
	close(out);
	return (int)syscall(SYS_execveat, info.fd, empty, exec_argv, exec_envp, AT_EMPTY_PATH);
}

Test(fillers_proc, execveat)
{
	static struct exec_run run;
	const struct kcap_evt *ev;
	struct snap b, a;
	char name[64];

	dt_start_follow(&t, "execveat,execve");
	exec_run(&run, 0, exec_cat_memfd);
	take_snap(&b);
	cr_assert_eq(syscall(SYS_execveat, AT_FDCWD, "no/such/kcap", exec_argv, exec_envp,
			     AT_SYMLINK_NOFOLLOW), -1);
	cr_assert_eq(errno, ENOENT);
	take_snap(&a);
	dt_stop(&t);

	/*
	 * x86_64 reports a successful execveat's return as execve's (libs tests
	 * the same): exec left the file name, the fd's, after the environment.
	 */
	cr_assert_eq(dt_count_tid(&t, PPME_EXECVEAT_X, run.child), 0);
	ev = assert_exec_child(PPME_EXECVE_X, &run, NULL);
	snprintf(name, sizeof(name), "/dev/fd/%d", memfd.fd);
	cr_assert_str_eq(dt_str(ev, 30), name);
	ev = dt_find_tid(&t, PPME_EXECVEAT_E, run.child, 0);
	cr_assert_eq(dt_s64(ev, 0), memfd.fd);
	cr_assert_str_eq(dt_str(ev, 1), "");
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&execveat_flags, "AT_EMPTY_PATH"));

	ev = dt_find(&t, PPME_EXECVEAT_E, 0);
	cr_assert_eq(dt_s64(ev, 0), AT_FDCWD);
	cr_assert_str_eq(dt_str(ev, 1), "no/such/kcap");
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&execveat_flags, "AT_SYMLINK_NOFOLLOW"));
	assert_exec_failure(dt_find(&t, PPME_EXECVEAT_X, 0), -ENOENT, &b, &a);
}

/* Writes a user namespace map of child's: "inner outer count" lines. */
static void write_map(pid_t child, const char *name, const char *map)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", child, name);
	fd = open(path, O_WRONLY);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, map, strlen(map)), (ssize_t)strlen(map), "%s: %s", path,
		     strerror(errno));
	close(fd);
}

/* A copy of cat that nobody owns and only its owner may write. */
static void nobody_cat(char *exe, size_t cap)
{
	char real[PATH_MAX], buf[65536];
	ssize_t n;
	int in, out;

	snprintf(exe, cap, "%s/nobody_cat", dt_scratch_dir());
	cr_assert_not_null(realpath("/bin/cat", real));
	in = open(real, O_RDONLY);
	unlink(exe);
	out = open(exe, O_WRONLY | O_CREAT | O_EXCL, 0755);
	cr_assert(in >= 0 && out >= 0, "%s: %s", exe, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		cr_assert_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	cr_assert_eq(chown(exe, NOBODY, NOBODY), 0);
	cr_assert_eq(chmod(exe, 0755), 0);
}

/*
 * Root of a user namespace whose uid and gid maps have more than five
 * extents (the kernel then keeps them in arrays) runs a file whose owner
 * only the sixth maps: it may write it (CAP_DAC_OVERRIDE, both ids mapped).
 */
Test(fillers_proc, execve_userns_many_extents)
{
	static const char map[] = "0 0 1\n1 1 1\n2 2 1\n3 3 1\n4 4 1\n5 65534 1\n";
	char exe[PATH_MAX], ok = 0;
	const struct kcap_evt *ev;
	int ready[2], go[2], status;
	pid_t child;

	nobody_cat(exe, sizeof(exe));
	cr_assert_eq(pipe(ready), 0);
	cr_assert_eq(pipe(go), 0);
	dt_start_follow(&t, "execve");
	child = fork();
	if (child == 0) {
		char *const argv[] = { "cat", "/dev/null", NULL };
		char c = 0;

		if (unshare(CLONE_NEWUSER) || write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(126);
		c = access(exe, W_OK) == 0;	/* the kernel's answer */
		if (write(ready[1], &c, 1) != 1)
			_exit(126);
		execve(exe, argv, exec_envp);
		_exit(127);
	}
	cr_assert_gt(child, 0);
	cr_assert_eq(read(ready[0], &ok, 1), 1, "the child failed");
	write_map(child, "uid_map", map);
	write_map(child, "gid_map", map);
	cr_assert_eq(write(go[1], &ok, 1), 1);
	cr_assert_eq(read(ready[0], &ok, 1), 1, "the child failed");
	cr_assert_eq(wait4(child, &status, 0, NULL), child);
	dt_stop(&t);
	unlink(exe);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "cat: status %#x", status);
	cr_assert(ok, "root of the namespace may not write %s: the test proves nothing", exe);

	ev = dt_find_tid(&t, PPME_EXECVE_X, child, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u32(ev, 19), dt_flag(&execve_flags, "EXE_WRITABLE"), "flags %#x",
		     dt_u32(ev, 19));
}

/* unshare and setns, with their namespaces as clone flags. */
Test(fillers_proc, unshare_setns)
{
	const uint32_t uts = dt_flag(&clone_flags, "CLONE_NEWUTS");
	const struct kcap_evt *ev;
	int fd = open("/proc/self/ns/uts", O_RDONLY);
	long u, s;

	cr_assert_geq(fd, 0);
	dt_start(&t, "unshare,setns");
	u = dt_res(syscall(SYS_unshare, CLONE_NEWUTS));	/* this test's process alone */
	s = dt_res(syscall(SYS_setns, fd, CLONE_NEWUTS));
	cr_assert_eq(dt_res(syscall(SYS_setns, 9999, 0)), -EBADF);
	dt_stop(&t);
	cr_assert_eq(u, 0);
	cr_assert_eq(dt_u32(dt_find(&t, PPME_UNSHARE_E, 0), 0), uts);
	ev = dt_find(&t, PPME_UNSHARE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), u);
	cr_assert_eq(dt_u32(ev, 1), uts);
	ev = dt_find(&t, PPME_SETNS_E, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u32(ev, 1), uts);
	ev = dt_find(&t, PPME_SETNS_X, 0);
	cr_assert_eq(dt_s64(ev, 0), s);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_eq(dt_u32(ev, 2), uts);
	ev = dt_find(&t, PPME_SETNS_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_eq(dt_u32(ev, 2), 0);
	close(fd);
}

/* nanosleep's interval in ns; futex's address, operation and value; seccomp's op and flags. */
Test(fillers_proc, nanosleep_futex_seccomp)
{
	const uint32_t wake = dt_flag(&futex_operations, "FUTEX_WAKE") |
			      dt_flag(&futex_operations, "FUTEX_PRIVATE_FLAG");
	struct timespec ts = { 0, 1000 };
	const struct kcap_evt *ev;
	uint32_t word = 0, action = 0;	/* SECCOMP_RET_KILL_THREAD: always there */
	long sc;

	dt_start(&t, "nanosleep,futex,seccomp");
	cr_assert_eq(syscall(SYS_nanosleep, &ts, NULL), 0);
	cr_assert_eq(syscall(SYS_futex, &word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0), 0);
	sc = dt_res(syscall(SYS_seccomp, 2 /* SECCOMP_GET_ACTION_AVAIL */, 0, &action));
	dt_stop(&t);
	cr_assert_eq(dt_u64(dt_find(&t, PPME_NANOSLEEP_E, 0), 0), 1000);
	ev = dt_find(&t, PPME_NANOSLEEP_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u64(ev, 1), 1000);
	ev = dt_find(&t, PPME_FUTEX_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u64(ev, 1), (uintptr_t)&word);
	cr_assert_eq(dt_u16(ev, 2), wake);
	cr_assert_eq(dt_u64(ev, 3), 1);
	ev = dt_find(&t, PPME_SECCOMP_X, 0);
	cr_assert_eq(dt_s64(ev, 0), sc);
	cr_assert_eq(dt_u64(ev, 1), 2);
	cr_assert_eq(dt_u64(ev, 2), 0);
}

/* getrlimit, setrlimit and prlimit64: the limits read or set, -1 where there are none. */
Test(fillers_proc, rlimits)
{
	const uint8_t nofile = dt_flag(&rlimit_resources, "RLIMIT_NOFILE");
	struct rlimit rl, old;
	const struct kcap_evt *ev;

	dt_start(&t, "getrlimit,setrlimit,prlimit64");
	cr_assert_eq(syscall(SYS_getrlimit, RLIMIT_NOFILE, &rl), 0);
	cr_assert_eq(syscall(SYS_setrlimit, RLIMIT_NOFILE, &rl), 0);
	cr_assert_eq(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &old), 0);
	cr_assert_eq(dt_res(syscall(SYS_getrlimit, 99, &rl)), -EINVAL);
	dt_stop(&t);
	cr_assert_eq(dt_u8(dt_find(&t, PPME_GETRLIMIT_E, 0), 0), nofile);
	ev = dt_find(&t, PPME_GETRLIMIT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), (int64_t)rl.rlim_cur);
	cr_assert_eq(dt_s64(ev, 2), (int64_t)rl.rlim_max);
	cr_assert_eq(dt_u8(ev, 3), nofile);
	ev = dt_find(&t, PPME_SETRLIMIT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), (int64_t)rl.rlim_cur);
	cr_assert_eq(dt_s64(ev, 2), (int64_t)rl.rlim_max);
	ev = dt_find(&t, PPME_PRLIMIT_E, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u8(ev, 1), nofile);
	ev = dt_find(&t, PPME_PRLIMIT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), -1, "no new limits given");
	cr_assert_eq(dt_s64(ev, 2), -1);
	cr_assert_eq(dt_s64(ev, 3), (int64_t)old.rlim_cur);
	cr_assert_eq(dt_s64(ev, 4), (int64_t)old.rlim_max);
	cr_assert_eq(dt_s64(ev, 5), 0);
	cr_assert_eq(dt_u8(ev, 6), nofile);
	ev = dt_find(&t, PPME_GETRLIMIT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_s64(ev, 1), -1);
	cr_assert_eq(dt_s64(ev, 2), -1);
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&rlimit_resources, "RLIMIT_UNKNOWN"));
}

/* semget's key, nsems and flags; delete_module's name and flags (a module that is not there). */
Test(fillers_proc, semget_delete_module)
{
	const uint32_t creat = dt_flag(&semget_flags, "IPC_CREAT");
	const struct kcap_evt *ev;
	long id, del;

	dt_start(&t, "semget,delete_module");
	id = syscall(SYS_semget, IPC_PRIVATE, 2, IPC_CREAT | 0600);
	cr_assert_eq(dt_res(syscall(SYS_semget, 1234567, 1, 0)), -ENOENT);
	del = dt_res(syscall(SYS_delete_module, "kcap_no_such_module", O_NONBLOCK));
	dt_stop(&t);
	cr_assert(del == -ENOENT || del == -ENOSYS, "delete_module: %ld (ENOSYS: no modules)", del);
	cr_assert_geq(id, 0);
	semctl((int)id, 0, IPC_RMID);
	ev = dt_find(&t, PPME_SEMGET_E, 0);
	cr_assert_eq(dt_u32(ev, 0), IPC_PRIVATE);
	cr_assert_eq(dt_u32(ev, 1), 2);
	cr_assert_eq(dt_u32(ev, 2), creat, "the permission bits are not in the table");
	ev = dt_find(&t, PPME_SEMGET_X, 0);
	cr_assert_eq(dt_s64(ev, 0), id);
	cr_assert_eq(dt_u32(ev, 1), IPC_PRIVATE);
	cr_assert_eq(dt_u32(ev, 2), 2);
	cr_assert_eq(dt_u32(ev, 3), creat);
	ev = dt_find(&t, PPME_SEMGET_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_eq(dt_u32(ev, 1), 1234567);
	cr_assert_eq(dt_u32(ev, 3), 0);
	ev = dt_find(&t, PPME_DELETE_MODULE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), del);
	cr_assert_str_eq(dt_str(ev, 1), "kcap_no_such_module");
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&delete_module_flags, "O_NONBLOCK"));
}

#define CAPS_IN_SCHEMA ((2ull << 40) - 1)	/* up to CAP_CHECKPOINT_RESTORE */

static uint64_t caps64(__u32 lo, __u32 hi)
{
	return ((uint64_t)hi << 32 | lo) & CAPS_IN_SCHEMA;
}

/* capset's exit shows the capabilities the thread has after it: CAP_NET_RAW dropped. */
Test(fillers_proc, capset)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	const struct kcap_evt *ev;
	uint64_t eff;
	int i;

	cr_assert_eq(syscall(SYS_capget, &hdr, data), 0);
	data[0].effective &= ~(1u << CAP_NET_RAW);
	eff = caps64(data[0].effective, data[1].effective);
	dt_start(&t, "capset");
	cr_assert_eq(syscall(SYS_capset, &hdr, data), 0);
	hdr.version = 0x12345678;
	cr_assert_eq(dt_res(syscall(SYS_capset, &hdr, data)), -EINVAL);
	dt_stop(&t);
	dt_find(&t, PPME_CAPSET_E, 0);
	for (i = 0; i < 2; i++) {
		ev = dt_find(&t, PPME_CAPSET_X, i);
		cr_assert_eq(dt_s64(ev, 0), i ? -EINVAL : 0);
		cr_assert_eq(dt_u64(ev, 1), caps64(data[0].inheritable, data[1].inheritable));
		cr_assert_eq(dt_u64(ev, 2), caps64(data[0].permitted, data[1].permitted));
		cr_assert_eq(dt_u64(ev, 3), eff, "%#llx, want %#llx",
			     (unsigned long long)dt_u64(ev, 3), (unsigned long long)eff);
	}
	cr_assert(!(eff & 1u << CAP_NET_RAW) && eff);
}

/* The first two operations of a semop, zeros past nsops; semctl's command and SETVAL's value. */
Test(fillers_proc, semop_semctl)
{
	struct sembuf ops[3] = { { 0, 2, SEM_UNDO }, { 1, 1, IPC_NOWAIT }, { 0, -1, 0 } };
	const uint16_t undo = (uint16_t)dt_flag(&semop_flags, "SEM_UNDO");
	const uint16_t nowait = (uint16_t)dt_flag(&semop_flags, "IPC_NOWAIT");
	const struct kcap_evt *ev;
	int id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);

	cr_assert_geq(id, 0);
	dt_start(&t, "semop,semctl");
	cr_assert_eq(syscall(SYS_semctl, id, 0, SETVAL, 5), 0);
	cr_assert_eq(syscall(SYS_semctl, id, 1, GETVAL, 77), 0);
	cr_assert_eq(syscall(SYS_semop, id, ops, 3), 0);
	cr_assert_eq(dt_res(syscall(SYS_semop, id, ops, 0)), -EINVAL);
	cr_assert_eq(dt_res(syscall(SYS_semctl, -1, 0, IPC_RMID, 0)), -EINVAL);
	dt_stop(&t);
	semctl(id, 0, IPC_RMID);
	ev = dt_find(&t, PPME_SEMCTL_E, 0);
	cr_assert_eq((int32_t)dt_u32(ev, 0), id);
	cr_assert_eq((int32_t)dt_u32(ev, 1), 0);
	cr_assert_eq(dt_u16(ev, 2), dt_flag(&semctl_commands, "SETVAL"));
	cr_assert_eq((int32_t)dt_u32(ev, 3), 5);
	ev = dt_find(&t, PPME_SEMCTL_X, 1);
	cr_assert_eq(dt_s64(ev, 0), 0, "GETVAL: semaphore 1 is 0");
	cr_assert_eq((int32_t)dt_u32(ev, 1), id);
	cr_assert_eq((int32_t)dt_u32(ev, 2), 1);
	cr_assert_eq(dt_u16(ev, 3), dt_flag(&semctl_commands, "GETVAL"));
	cr_assert_eq((int32_t)dt_u32(ev, 4), 0, "only SETVAL has a value");
	ev = dt_find(&t, PPME_SEMCTL_X, 2);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq((int32_t)dt_u32(ev, 1), -1);
	cr_assert_eq(dt_u16(ev, 3), dt_flag(&semctl_commands, "IPC_RMID"));
	cr_assert_eq((int32_t)dt_u32(dt_find(&t, PPME_SEMOP_E, 0), 0), id);
	ev = dt_find(&t, PPME_SEMOP_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u32(ev, 1), 3);
	cr_assert_eq(dt_u16(ev, 2), 0);
	cr_assert_eq((int16_t)dt_u16(ev, 3), 2);
	cr_assert_eq(dt_u16(ev, 4), undo);
	cr_assert_eq(dt_u16(ev, 5), 1);
	cr_assert_eq((int16_t)dt_u16(ev, 6), 1);
	cr_assert_eq(dt_u16(ev, 7), nowait);
	cr_assert_eq((int32_t)dt_u32(ev, 8), id);
	ev = dt_find(&t, PPME_SEMOP_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_u32(ev, 1), 0);
	cr_assert(!dt_u16(ev, 2) && !dt_u16(ev, 3) && !dt_u16(ev, 4) && !dt_u16(ev, 5) &&
		  !dt_u16(ev, 6) && !dt_u16(ev, 7), "no operation read past nsops");
}

/*
 * init_module's image (a few bytes that are no module), length and
 * parameters; finit_module's fd, parameters and flags. Refused (no modules
 * here: ENOSYS; not an ELF module: ENOEXEC, or whatever the kernel says).
 */
Test(fillers_proc, init_module_finit_module)
{
	static const char img[8] = "\177ELFkcap";
	const struct kcap_evt *ev;
	int fd = open("/dev/null", O_RDONLY);
	long a, b;

	cr_assert_geq(fd, 0);
	dt_start(&t, "init_module,finit_module");
	a = dt_res(syscall(SYS_init_module, img, sizeof(img), "p=1"));
	b = dt_res(syscall(SYS_finit_module, fd, "q=2", 2));
	dt_stop(&t);
	cr_assert(a < 0 && b < 0, "init_module %ld, finit_module %ld", a, b);
	dt_find(&t, PPME_INIT_MODULE_E, 0);
	ev = dt_find(&t, PPME_INIT_MODULE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), a);
	cr_assert_eq(ev->len[1], sizeof(img));
	cr_assert(!memcmp(ev->val[1], img, sizeof(img)));
	cr_assert_eq(dt_u64(ev, 2), sizeof(img));
	cr_assert_str_eq(dt_str(ev, 3), "p=1");
	dt_find(&t, PPME_FINIT_MODULE_E, 0);
	ev = dt_find(&t, PPME_FINIT_MODULE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), b);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_str_eq(dt_str(ev, 2), "q=2");
	cr_assert_eq(dt_u32(ev, 3), dt_flag(&finit_module_flags, "MODULE_INIT_IGNORE_VERMAGIC"));
	close(fd);
}

/* The local data moved, both ways, with this process as the other one; a pid that is no process. */
Test(fillers_proc, process_vm_readv_writev)
{
	char src[16] = "remote bytes", dst[16] = { 0 };
	struct iovec local = { dst, 12 }, remote = { src, 12 };
	struct iovec wlocal = { "written!", 8 }, wremote = { dst, 8 };
	const struct kcap_evt *ev;
	long bad;

	dt_start(&t, "process_vm_readv,process_vm_writev");
	cr_assert_eq(syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0), 12);
	cr_assert_eq(syscall(SYS_process_vm_writev, getpid(), &wlocal, 1, &wremote, 1, 0), 8);
	bad = dt_res(syscall(SYS_process_vm_readv, 0x3ffffff, &local, 1, &remote, 1, 0));
	dt_stop(&t);
	cr_assert_eq(bad, -ESRCH);
	dt_find(&t, PPME_PROCESS_VM_READV_E, 0);
	ev = dt_find(&t, PPME_PROCESS_VM_READV_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 12);
	cr_assert_eq(dt_s64(ev, 1), getpid());
	cr_assert_eq(ev->len[2], 12);
	cr_assert(!memcmp(ev->val[2], "remote bytes", 12));
	ev = dt_find(&t, PPME_PROCESS_VM_READV_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ESRCH);
	cr_assert_eq(dt_s64(ev, 1), 0x3ffffff);
	dt_empty(ev, 2);
	dt_find(&t, PPME_PROCESS_VM_WRITEV_E, 0);
	ev = dt_find(&t, PPME_PROCESS_VM_WRITEV_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 8);
	cr_assert_eq(dt_s64(ev, 1), getpid());
	cr_assert_eq(ev->len[2], 8);
	cr_assert(!memcmp(ev->val[2], "written!", 8));
}

#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_REVOKE 3
#define KEYCTL_SEARCH 10
#define KEY_SPEC_SESSION_KEYRING -3L

/* A keyctl argument: the dynamic table's index (0 INT64, 1 CHARBUF), then the value. */
static void assert_keyctl_int(const struct kcap_evt *ev, uint32_t i, int64_t v)
{
	cr_assert_eq(ev->len[i], 9, "param %u: %u bytes", i, ev->len[i]);
	cr_assert_eq(ev->val[i][0], 0);
	cr_assert(!memcmp(ev->val[i] + 1, &v, 8), "param %u: other value", i);
}

static void assert_keyctl_str(const struct kcap_evt *ev, uint32_t i, const char *s)
{
	cr_assert_eq(ev->len[i], 2 + strlen(s), "param %u: %u bytes", i, ev->len[i]);
	cr_assert_eq(ev->val[i][0], 1);
	cr_assert_str_eq((const char *)ev->val[i] + 1, s);
}

/* Strings where the operation takes them (a keyring's name, a key's type and description). */
Test(fillers_proc, keyctl)
{
	const struct kcap_evt *ev;
	long ring, found, revoked;

	dt_start(&t, "keyctl");
	ring = dt_res(syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "kcap-ring", 0, 0, 0));
	found = dt_res(syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, "user",
			       "kcap-no-such-key", 0));
	revoked = dt_res(syscall(SYS_keyctl, KEYCTL_REVOKE, 12345, 0, 0, 0));
	dt_stop(&t);
	if (ring == -ENOSYS)
		cr_skip_test("no keys in this kernel");
	cr_assert_gt(ring, 0);
	cr_assert_eq(found, -ENOKEY);
	cr_assert_lt(revoked, 0);
	ev = dt_find(&t, PPME_KEYCTL_X, 0);
	cr_assert_eq(dt_s64(ev, 0), ring);
	cr_assert_eq(dt_u32(ev, 1), dt_flag(&keyctl_operations, "KEYCTL_JOIN_SESSION_KEYRING"));
	assert_keyctl_str(ev, 2, "kcap-ring");
	assert_keyctl_int(ev, 3, 0);
	assert_keyctl_int(ev, 4, 0);
	assert_keyctl_int(ev, 5, 0);
	ev = dt_find(&t, PPME_KEYCTL_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOKEY);
	cr_assert_eq(dt_u32(ev, 1), dt_flag(&keyctl_operations, "KEYCTL_SEARCH"));
	assert_keyctl_int(ev, 2, KEY_SPEC_SESSION_KEYRING);
	assert_keyctl_str(ev, 3, "user");
	assert_keyctl_str(ev, 4, "kcap-no-such-key");
	assert_keyctl_int(ev, 5, 0);
	ev = dt_find(&t, PPME_KEYCTL_X, 2);
	cr_assert_eq(dt_s64(ev, 0), revoked);
	cr_assert_eq(dt_u32(ev, 1), dt_flag(&keyctl_operations, "KEYCTL_REVOKE"));
	assert_keyctl_int(ev, 2, 12345);
}

#define IA32_IPC 117
#define IPC_CALL_SEMOP 1
#define IPC_CALL_SEMGET 2
#define IPC_CALL_SEMCTL 3

static uint32_t low32(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

/*
 * ia32's ipc: each call is captured as its x86_64 syscall, with the
 * arguments compat_ksys_ipc() hands on (SEMCTL's value from where ptr
 * points); a call ipc does not have makes no event.
 */
Test(fillers_proc, ipc_ia32)
{
	uint32_t *m = dt_ia32_page(), *val = m + 8;
	uint16_t *op = (uint16_t *)(m + 16);
	const struct kcap_evt *ev;
	long id;

	dt_start(&t, "semget,semctl,semop");
	id = dt_int80_6(IA32_IPC, IPC_CALL_SEMGET, IPC_PRIVATE, 2, IPC_CREAT | 0600, 0, 0);
	cr_assert_geq(id, 0);
	*val = 5;
	cr_assert_eq(dt_int80_6(IA32_IPC, IPC_CALL_SEMCTL, id, 1, SETVAL, low32(val), 0), 0);
	op[0] = 1;
	op[1] = 2;
	op[2] = SEM_UNDO;
	cr_assert_eq(dt_int80_6(IA32_IPC, IPC_CALL_SEMOP, id, 1, 0, low32(op), 0), 0);
	cr_assert_eq(dt_int80_6(IA32_IPC, 99, 0, 0, 0, 0, 0), -ENOSYS);
	dt_stop(&t);
	semctl((int)id, 0, IPC_RMID);
	ev = dt_find(&t, PPME_SEMGET_X, 0);
	cr_assert_eq(dt_s64(ev, 0), id);
	cr_assert_eq(dt_u32(ev, 1), IPC_PRIVATE);
	cr_assert_eq(dt_u32(ev, 2), 2);
	cr_assert_eq(dt_u32(ev, 3), dt_flag(&semget_flags, "IPC_CREAT"));
	ev = dt_find(&t, PPME_SEMCTL_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq((int32_t)dt_u32(ev, 1), id);
	cr_assert_eq((int32_t)dt_u32(ev, 2), 1);
	cr_assert_eq(dt_u16(ev, 3), dt_flag(&semctl_commands, "SETVAL"));
	cr_assert_eq((int32_t)dt_u32(ev, 4), 5);
	ev = dt_find(&t, PPME_SEMOP_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u32(ev, 1), 1);
	cr_assert_eq(dt_u16(ev, 2), 1);
	cr_assert_eq((int16_t)dt_u16(ev, 3), 2);
	cr_assert_eq(dt_u16(ev, 4), dt_flag(&semop_flags, "SEM_UNDO"));
	cr_assert_eq(dt_u16(ev, 5), 0);
	cr_assert_eq((int32_t)dt_u32(ev, 8), id);
	cr_assert_eq(dt_count(&t, PPME_SEMGET_X) + dt_count(&t, PPME_SEMCTL_X) +
		     dt_count(&t, PPME_SEMOP_X), 3, "one event for each call ipc has");
	munmap(m, 4096);
}

#define IA32_NANOSLEEP 162

/* An ia32 nanosleep's interval is an old_timespec32: two 32-bit halves. */
Test(fillers_proc, nanosleep_ia32)
{
	int32_t *ts = dt_ia32_page();

	ts[0] = 0;
	ts[1] = 2000;
	ts[2] = 0x7777;	/* what a 64-bit read would take for the nanoseconds */
	dt_start(&t, "nanosleep");
	cr_assert_eq(dt_int80(IA32_NANOSLEEP, (long)(uintptr_t)ts, 0, 0), 0);
	dt_stop(&t);
	cr_assert_eq(dt_u64(dt_find(&t, PPME_NANOSLEEP_E, 0), 0), 2000);
	cr_assert_eq(dt_u64(dt_find(&t, PPME_NANOSLEEP_X, 0), 1), 2000);
	munmap(ts, 4096);
}
