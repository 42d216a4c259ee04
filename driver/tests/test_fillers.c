// SPDX-License-Identifier: MIT
/*
 * Driver tests of what every event shares: the generic event, procexit,
 * ia32 syscalls, the pid and event filters; and the filler table's pairing.
 * The family suites (test_fillers_<family>.c) test one filler each.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <pthread.h>
#include <unistd.h>

#include "driver_test.h"
#include "flag_conv.h"
#include "filler_table.h"
#include "hook_table.h"
#include "kcap_abi.h"

static struct dt t;

static void fini(void)
{
	dt_close(&t);
}

TestSuite(fillers, .fini = fini);

/*
 * A decoded syscall has fillers for both halves, or neither: replay pairs
 * them; but a syscall whose enter event is the schema's "NA" placeholder
 * (close_range) has an exit alone, as in libs.
 */
Test(filler_table, enter_and_exit_fillers_come_in_pairs)
{
	uint32_t nr;

	for (nr = 0; nr < SYSCALL_TABLE_SIZE; nr++) {
		const struct ppm_syscall_desc *d = &g_syscall_table[nr];
		bool enter = d->enter_event && g_event_filler[d->enter_event];
		bool exit = d->exit_event && g_event_filler[d->exit_event];
		bool placeholder = d->enter_event && !strcmp(g_event_info[d->enter_event].name, "NA");

		if (!d->ppm_sc)
			continue;
		cr_expect(enter == exit || (exit && placeholder),
			  "syscall %u (%s): enter filler %s, exit filler %s", nr,
			  g_ppm_sc_names[d->ppm_sc], enter ? "yes" : "no", exit ? "yes" : "no");
		cr_expect(!(enter && placeholder), "syscall %u: a filler for an NA event", nr);
	}
}

/*
 * Whether hook h, without an event, is the entry of a return probe further
 * down with its code: a kprobe on the kretprobe's function, a uprobe on any
 * function of the program (mysql_query's error comes from another one).
 */
static bool is_entry_probe(int h)
{
	const struct kcap_hook_info *k = &g_hooks[h];
	int r;

	for (r = h + 1; r < KCAP_HOOK_MAX; r++) {
		const struct kcap_hook_info *ret = &g_hooks[r];

		if (ret->ppm_sc != k->ppm_sc || !ret->event)
			continue;
		if (k->kind == KCAP_HOOK_KPROBE && ret->kind == KCAP_HOOK_KRETPROBE &&
		    !strcmp(ret->target, k->target))
			return true;
		if (k->kind == KCAP_HOOK_UPROBE && ret->kind == KCAP_HOOK_URETPROBE)
			return true;
	}
	return false;
}

/*
 * The hook table: a hook with an event emits a tracepoint event that no
 * syscall emits, has a ppm_sc code named after its target (a uprobe's after
 * its event: its target is a function of a program), and no two hooks share
 * a code (but entry probes their return probe's); the hooks without an event
 * are the syscall hooks, the entry probes and the bookkeeping ones, selected
 * by something else than a code.
 */
Test(hook_table, every_hook_emits_a_tracepoint_event_under_its_own_code)
{
	bool code_used[KCAP_SC_MAX] = { false };
	int h;

	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		const struct kcap_hook_info *k = &g_hooks[h];
		bool uprobe = k->kind == KCAP_HOOK_UPROBE || k->kind == KCAP_HOOK_URETPROBE;
		uint32_t nr;

		cr_assert_not_null(k->name, "hook %d has no row", h);
		if (!k->event) {
			if (k->ppm_sc)
				cr_assert(is_entry_probe(h), "%s: a code without an event", k->name);
			continue;
		}
		cr_assert(g_event_info[k->event].category & EC_TRACEPOINT, "%s emits %s", k->name,
			  g_event_info[k->event].name);
		for (nr = 0; nr < SYSCALL_TABLE_SIZE; nr++)
			cr_assert(g_syscall_table[nr].enter_event != k->event &&
				  g_syscall_table[nr].exit_event != k->event,
				  "%s's event is also syscall %u's", k->name, nr);
		cr_assert(k->ppm_sc > 0 && k->ppm_sc < KCAP_SC_MAX, "%s: code %u", k->name, k->ppm_sc);
		cr_assert(!code_used[k->ppm_sc], "%s: code %u used twice", k->name, k->ppm_sc);
		code_used[k->ppm_sc] = true;
		if (uprobe)
			cr_assert_str_eq(g_ppm_sc_names[k->ppm_sc], g_event_info[k->event].name);
		else
			cr_assert(strstr(k->target, g_ppm_sc_names[k->ppm_sc]) ||
				  strstr(g_ppm_sc_names[k->ppm_sc], k->target),
				  "%s: code %s for target %s", k->name, g_ppm_sc_names[k->ppm_sc],
				  k->target);
	}
}

/* The syscalls kcap promises dedicated events for (issue 3's list, then issue 11's). */
Test(filler_table, the_promised_syscalls_have_fillers)
{
	static const char *const promised[] = {
		"open", "openat", "openat2", "creat", "close", "read", "write", "pread64",
		"pwrite64", "readv", "writev", "lseek", "dup", "dup2", "dup3", "fcntl", "pipe",
		"pipe2", "unlink", "unlinkat", "rename", "renameat", "renameat2", "mkdir", "mkdirat",
		"rmdir", "link", "linkat", "symlink", "symlinkat", "chmod", "fchmod", "fchmodat",
		"chown", "fchown", "fchownat", "stat", "lstat", "fstat", "newfstatat", "execve",
		"execveat", "clone", "clone3", "fork", "vfork", "kill", "tkill", "tgkill", "setuid",
		"setgid", "socket", "socketpair", "connect", "accept", "accept4", "bind", "listen",
		"sendto", "recvfrom", "sendmsg", "recvmsg", "shutdown", "mmap", "munmap", "mprotect",
		"brk", "prctl", "ptrace", "mount", "umount2", "chdir", "fchdir", "chroot",
		"getuid", "geteuid", "getgid", "getegid", "setreuid", "setregid", "setresuid",
		"setresgid", "getresuid", "getresgid", "setsid", "setpgid", "mlock", "munlock",
		"mlock2", "mlockall", "munlockall", "flock", "access", "unshare", "setns",
		"ioctl", "getdents", "getdents64", "sendfile", "splice", "copy_file_range",
		"epoll_wait", "getcwd", "lchown", "mknod", "mknodat", "nanosleep", "futex",
		"seccomp", "getrlimit", "setrlimit", "prlimit64", "preadv", "pwritev", "select",
		"getsockname", "getpeername", "semget", "delete_module", "epoll_create",
		"epoll_create1", "eventfd", "eventfd2", "signalfd", "signalfd4", "timerfd_create",
		"inotify_init", "inotify_init1", "userfaultfd", "memfd_create", "pidfd_open",
		"pidfd_getfd", "bpf", "io_uring_setup", "io_uring_enter", "io_uring_register",
		"capset", "semop", "semctl", "init_module", "finit_module", "sendmmsg", "recvmmsg",
		"setsockopt", "getsockopt", "poll", "ppoll", "process_vm_readv",
		"process_vm_writev", "fsconfig", "keyctl", "close_range", "quotactl",
		"open_by_handle_at",
	};
	size_t i;
	uint32_t nr;

	cr_assert_eq(sizeof(promised) / sizeof(promised[0]), 154);
	for (i = 0; i < sizeof(promised) / sizeof(promised[0]); i++) {
		const struct ppm_syscall_desc *d = NULL;

		for (nr = 0; nr < SYSCALL_TABLE_SIZE && !d; nr++)
			if (g_syscall_table[nr].ppm_sc &&
			    !strcmp(g_ppm_sc_names[g_syscall_table[nr].ppm_sc], promised[i]))
				d = &g_syscall_table[nr];
		cr_assert_not_null(d, "no syscall %s in the table", promised[i]);
		cr_expect(d->exit_event && g_event_filler[d->exit_event],
			  "%s: no dedicated exit filler", promised[i]);
		cr_expect((d->enter_event && g_event_filler[d->enter_event]) ||
			  !strcmp(g_event_info[d->enter_event].name, "NA"),
			  "%s: no dedicated enter filler", promised[i]);
	}
}

/*
 * Every syscall the schema gives an event of its own is decoded: 154 in 4.5.1
 * (some share an event: pread64 and pwrite64's halves, send and sendto...).
 */
Test(filler_table, every_syscall_with_an_event_of_its_own_has_fillers)
{
	bool seen[PPM_SC_MAX] = { false };
	uint32_t nr, n = 0;

	for (nr = 0; nr < SYSCALL_TABLE_SIZE; nr++) {
		const struct ppm_syscall_desc *d = &g_syscall_table[nr];

		if (!d->ppm_sc || !d->exit_event || seen[d->ppm_sc])
			continue;
		seen[d->ppm_sc] = true;
		n++;
		cr_expect(g_event_filler[d->exit_event], "%s (syscall %u): no exit filler",
			  g_ppm_sc_names[d->ppm_sc], nr);
	}
	cr_expect_eq(n, 154, "%u syscalls with events of their own", n);
}

Test(fillers, generic_for_syscalls_without_a_filler)
{
	const struct kcap_evt *ev;

	int n;

	dt_start(&t, "syscall");
	syscall(SYS_getppid);
	dt_stop(&t);
	/* The module's engine switches capture by ioctl: skip those. */
	n = dt_u16(dt_find(&t, PPME_GENERIC_X, 0), 0) == PPM_SC_IOCTL;
	ev = dt_find(&t, PPME_GENERIC_E, 0);
	cr_assert_str_eq(g_ppm_sc_names[dt_u16(ev, 0)], "getppid");
	cr_assert_eq(dt_u16(ev, 1), SYS_getppid);
	ev = dt_find(&t, PPME_GENERIC_X, n);
	cr_assert_str_eq(g_ppm_sc_names[dt_u16(ev, 0)], "getppid");
	cr_assert_eq(dt_u16(ev, 1), SYS_getppid);
}

/* close(fd) through the ia32 entry: number 6 there, lstat's number on x86_64. */
static long ia32_close(int fd)
{
	long ret = 6;

	__asm__ volatile("int $0x80" : "+a"(ret) : "b"(fd) : "memory");
	return ret;
}

Test(fillers, ia32_syscalls_are_translated)
{
	const struct kcap_evt *ev;
	int fd = open("/dev/null", O_RDONLY);

	if (!dt_has_ia32())
		cr_skip_test("no ia32 syscalls here (int 0x80 does not reach them)");
	dt_start(&t, "close,lstat");
	cr_assert_eq(ia32_close(fd), 0);
	dt_stop(&t);
	cr_assert_eq(dt_count(&t, PPME_LSTAT_X), 0, "the ia32 number was read as x86_64's");
	ev = dt_find(&t, PPME_CLOSE_E, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	ev = dt_find(&t, PPME_CLOSE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), fd);
	dt_close(&t);
	/* Also when the x86_64 syscall of the same number is of no interest. */
	fd = open("/dev/null", O_RDONLY);
	dt_start(&t, "close");
	cr_assert_eq(ia32_close(fd), 0);
	dt_stop(&t);
	cr_assert_eq(dt_s64(dt_find(&t, PPME_CLOSE_X, 0), 1), fd);
}

static void *exit_thread(void *tid)
{
	*(pid_t *)tid = gettid();
	syscall(SYS_exit, 5);
	return NULL;
}

Test(fillers, procexit_e)
{
	const struct kcap_evt *ev = NULL;
	pthread_t th;
	pid_t tid = 0;
	uint32_t i;

	dt_start(&t, "procexit");
	cr_assert_eq(pthread_create(&th, NULL, exit_thread, &tid), 0);
	pthread_join(th, NULL);
	usleep(20000);	/* the exit tracepoint fires before join returns, but be sure */
	dt_stop(&t);
	for (i = 0; i < t.nevents && !ev; i++) {
		const struct ppm_evt_hdr *h = (const void *)(t.bytes + t.offsets[i]);
		const char *why;

		if (h->type == PPME_PROCEXIT_E && (pid_t)h->tid == tid) {
			cr_assert_eq(kcap_evt_parse(h, h->len, &t.ev, &why), 0, "%s", why);
			ev = &t.ev;
		}
	}
	cr_assert_not_null(ev, "no procexit of thread %d", tid);
	cr_assert_eq(ev->nparams, 5);
	cr_assert_eq(dt_s64(ev, 0), 5 << 8, "status is the raw exit code");
	cr_assert_eq(dt_s64(ev, 1), 5);
	cr_assert_eq(dt_u8(ev, 2), 0);
	cr_assert_eq(dt_u8(ev, 3), 0);
	cr_assert_eq(dt_s64(ev, 4), 0, "no children: no reaper");
}

/* This process's pid in the initial pid namespace, as /proc names it. */
static pid_t host_pid(void)
{
	char buf[32] = "";

	return readlink("/proc/self", buf, sizeof(buf) - 1) > 0 ? atoi(buf) : -1;
}

static void say_pid(int fd)
{
	pid_t me = host_pid();

	if (write(fd, &me, sizeof(me)) != sizeof(me))
		_exit(5);
}

/* Reaps every child until none is left, then exits: a reaper's life. */
static void reap_all(void)
{
	while (wait(NULL) > 0 || errno == EINTR)
		;
	_exit(0);
}

/*
 * The chain below a reaper: M, which forks A, which forks B and exits while
 * B runs. A says its pid; B and M wait for hold to close.
 */
static void chain(int ready, int hold)
{
	pid_t a = fork();
	char c;

	if (a == 0) {
		if (fork() == 0) {
			if (read(hold, &c, 1) < 0)
				_exit(4);
			_exit(0);
		}
		say_pid(ready);
		_exit(0);
	}
	waitpid(a, NULL, 0);
	if (read(hold, &c, 1) < 0)
		_exit(4);
	_exit(0);
}

/*
 * The reaper procexit names when A exits with a child: the reaper forks M
 * (not a subreaper), M forks A. In=subreaper: the reaper is a child subreaper
 * in our namespace; else it is the init of a new pid namespace.
 */
static void check_reaper(bool subreaper)
{
	const struct kcap_evt *ev;
	int ready[2], hold[2];
	pid_t top, reaper, a;

	cr_assert_eq(pipe(ready), 0);
	cr_assert_eq(pipe(hold), 0);
	dt_start_all(&t, "procexit");
	top = fork();
	if (top == 0) {
		close(hold[1]);
		if (subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
			_exit(2);
		if (!subreaper && unshare(CLONE_NEWPID))
			_exit(2);
		if (!subreaper && fork() != 0)	/* the namespace's init is our child */
			reap_all();
		say_pid(ready[1]);
		if (fork() == 0)
			chain(ready[1], hold[0]);
		reap_all();
	}
	close(hold[0]);
	cr_assert_eq(read(ready[0], &reaper, sizeof(reaper)), (ssize_t)sizeof(reaper));
	cr_assert_eq(read(ready[0], &a, sizeof(a)), (ssize_t)sizeof(a));
	while (kill(a, 0) == 0 || errno != ESRCH)
		usleep(1000);	/* A exited: B is the reaper's now */
	close(hold[1]);
	cr_assert_eq(waitpid(top, NULL, 0), top);
	dt_stop(&t);
	close(ready[0]);
	close(ready[1]);
	ev = dt_find_tid(&t, PPME_PROCEXIT_E, a, 0);
	cr_assert_eq(dt_s64(ev, 4), reaper, "A's reaper: %lld, want %d (not its parent M)",
		     (long long)dt_s64(ev, 4), reaper);
}

Test(fillers, procexit_reaper_is_a_child_subreaper)
{
	check_reaper(true);
}

Test(fillers, procexit_reaper_is_the_pid_namespaces_init)
{
	check_reaper(false);
}

/* -e getppid: a syscall the schema has no event for, alone, as the generic events. */
Test(fillers, a_single_generic_syscall)
{
	const struct kcap_evt *ev;
	pid_t parent = getppid();

	dt_start(&t, "getppid");
	cr_assert_eq(syscall(SYS_getppid), parent);
	syscall(SYS_getpgrp);
	dt_stop(&t);
	cr_assert_eq(dt_count(&t, PPME_GENERIC_X), 1, "getppid's alone, not getpgrp's");
	ev = dt_find(&t, PPME_GENERIC_E, 0);
	cr_assert_eq(dt_u16(ev, 0), PPM_SC_GETPPID);
	cr_assert_eq(dt_u16(ev, 1), SYS_getppid);
	ev = dt_find(&t, PPME_GENERIC_X, 0);
	cr_assert_eq(dt_u16(ev, 0), PPM_SC_GETPPID);
	cr_assert_eq(dt_u16(ev, 1), SYS_getppid);
}

Test(fillers, pid_filter_keeps_other_processes_out)
{
	pid_t child;
	int status;

	dt_start(&t, "close");
	child = fork();
	if (child == 0) {
		syscall(SYS_close, 9998);
		_exit(0);
	}
	waitpid(child, &status, 0);
	syscall(SYS_close, 9997);
	dt_stop(&t);
	cr_assert_eq(dt_count(&t, PPME_CLOSE_X), 1);
	cr_assert_eq(t.nevents, 2, "%u events: the child's close leaked in", t.nevents);
}

Test(fillers, events_filter_keeps_procexit_out)
{
	pthread_t th;
	pid_t tid = 0;

	dt_start(&t, "close");
	cr_assert_eq(pthread_create(&th, NULL, exit_thread, &tid), 0);
	pthread_join(th, NULL);
	syscall(SYS_close, 9997);
	dt_stop(&t);
	cr_assert_eq(t.nevents, 2, "%u events: only the close was asked for", t.nevents);
}
