// SPDX-License-Identifier: MIT
/*
 * What every driver promises beyond single events: exact drop accounting per
 * CPU, and the same events as the other driver for the same workload.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "driver_test.h"

static struct dt t;

static void fini(void)
{
	dt_close(&t);
}

TestSuite(drivers, .fini = fini);

#define ACCOUNTING_CALLS 150000	/* 300k events: more than an 8 MiB ring holds */

/*
 * With nobody reading, a burst of syscalls on one CPU overflows its ring:
 * what the ring kept plus what it counted as dropped is every event.
 */
Test(drivers, accounting_is_exact_per_cpu)
{
	struct kcap_engine_counters c;
	struct kcap_evt ev;
	cpu_set_t one;
	uint64_t *read;
	int cpu, i, ncpus;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	cr_assert_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	dt_start(&t, "close");
	for (i = 0; i < ACCOUNTING_CALLS; i++)
		syscall(SYS_close, -1);
	kcap_engine_set_capture(t.engine, false);
	ncpus = kcap_engine_ncpus(t.engine);
	read = calloc((size_t)ncpus, sizeof(*read));
	while (kcap_engine_next(t.engine, &ev, 0) == 1)
		read[ev.cpu]++;
	for (cpu = 0; cpu < ncpus; cpu++) {
		uint64_t produced = cpu == 0 ? 2 * ACCOUNTING_CALLS : 0;

		cr_assert_eq(kcap_engine_cpu_counters(t.engine, cpu, &c), 0);
		cr_assert_eq(c.events, read[cpu], "cpu %d: %llu events counted, %llu read", cpu,
			     (unsigned long long)c.events, (unsigned long long)read[cpu]);
		cr_assert_eq(read[cpu] + c.drops_ring_full + c.drops_too_large, produced,
			     "cpu %d: %llu read + %llu + %llu dropped != %llu produced", cpu,
			     (unsigned long long)read[cpu], (unsigned long long)c.drops_ring_full,
			     (unsigned long long)c.drops_too_large, (unsigned long long)produced);
	}
	kcap_engine_cpu_counters(t.engine, 0, &c);
	cr_assert_gt(c.drops_ring_full, 0, "the ring never filled: the test proves nothing");
	cr_assert_gt(read[0], 0);
	free(read);
}

#define SHED_READS 450000	/* 900k events: more than an 8 MiB ring holds */
#define SHED_OPENS 150

/*
 * Dropping mode: with nobody reading, reads fill the ring to half and are
 * shed from there on; the opens and closes among them (state events) all
 * fit in the half kept for them. Nothing is lost to a full ring, and what
 * was shed is counted. The rings are read here, not kept: they hold more
 * events than a test keeps.
 */
Test(drivers, dropping_mode_keeps_every_state_event)
{
	struct kcap_engine_counters c;
	uint64_t reads = 0, opens = 0, closes = 0, all = 0;
	struct kcap_evt ev;
	cpu_set_t one;
	int i, fd;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	cr_assert_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	dt_start_dropping(&t, "read,openat,close");
	for (i = 0; i < SHED_READS; i++) {
		syscall(SYS_read, -1, NULL, 0);
		if (i % (SHED_READS / SHED_OPENS) == 0) {
			fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
			syscall(SYS_close, fd);
		}
	}
	kcap_engine_set_capture(t.engine, false);
	while (kcap_engine_next(t.engine, &ev, 0) == 1) {
		all++;
		if (kcap_evt_tid(&ev) != getpid())
			continue;
		reads += kcap_evt_type(&ev) == PPME_READ_E || kcap_evt_type(&ev) == PPME_READ_X;
		opens += kcap_evt_type(&ev) == PPME_OPENAT_X;
		closes += kcap_evt_type(&ev) == PPME_CLOSE_X;
	}
	kcap_engine_counters(t.engine, &c);
	cr_assert_gt(c.drops_shed, 0, "nothing was shed: the test proves nothing");
	cr_assert_eq(c.drops_ring_full, 0, "%llu events lost to a full ring",
		     (unsigned long long)c.drops_ring_full);
	cr_assert_eq(c.events, all, "%llu events counted, %llu read", (unsigned long long)c.events,
		     (unsigned long long)all);
	/* Criterion's own thread in this process reads a little too: it may be shed. */
	cr_assert(reads + c.drops_shed >= 2 * SHED_READS &&
		  reads + c.drops_shed <= 2 * SHED_READS + 2000, "%llu reads kept + %llu shed",
		  (unsigned long long)reads, (unsigned long long)c.drops_shed);
	cr_assert_eq(opens, SHED_OPENS);
	cr_assert_eq(closes, SHED_OPENS);
}

/* ---- the same workload through both drivers ---------------------------- */

/* A unix socket pair: data both ways, one message with its control bytes. */
static void socket_workload(void)
{
	struct iovec iov = { .iov_base = "kcap", .iov_len = 4 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	char buf[16];
	int sv[2];

	if (syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv))
		return;
	syscall(SYS_sendto, sv[0], "ping", 4, 0, NULL, 0);
	syscall(SYS_recvfrom, sv[1], buf, sizeof(buf), 0, NULL, NULL);
	syscall(SYS_sendmsg, sv[1], &msg, 0);
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	syscall(SYS_recvmsg, sv[0], &msg, 0);
	syscall(SYS_shutdown, sv[0], SHUT_RDWR);
	close(sv[0]);
	close(sv[1]);
}

/* Deep directories: a cwd past the drivers' 48 steps, then past 4096 bytes. */
static void enter_dirs(const char *name, int n)
{
	while (n--) {
		syscall(SYS_mkdir, name, 0700);
		syscall(SYS_chdir, name);
	}
}

static void leave_dirs(const char *name, int n)
{
	while (n--) {
		syscall(SYS_chdir, "..");
		syscall(SYS_rmdir, name);
	}
}

/*
 * Failed execs and clones carry the process parameters too (cwd, args, env,
 * ids, limits), and failing keeps the test process as it is: an empty string
 * in argv, more strings than the drivers read, strings cut, deep cwds.
 */
static void process_workload(const char *dir)
{
	static char *argv[] = { "kcap", "", "arg", NULL }, *envp[] = { "A=1", "", "B=2", NULL };
	static char str[79][120], name[251], *big[80];
	int i;

	syscall(SYS_chdir, "/dev/shm");
	syscall(SYS_execve, "/no/such/kcap", argv, envp);
	syscall(SYS_execveat, AT_FDCWD, "no/such", argv, envp, 0);
	syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWPID | CLONE_THREAD, NULL, NULL, NULL, 0);
	syscall(SYS_chdir, dir);
	syscall(SYS_execve, "/no/such/kcap", NULL, envp);
	for (i = 0; i < 79; i++) {
		memset(str[i], 'a' + i % 26, sizeof(str[i]) - 1);
		big[i] = str[i];
	}
	memset(name, 'n', sizeof(name) - 1);
	enter_dirs("d", 55);
	syscall(SYS_execve, "/no/such/kcap", big, big);
	enter_dirs(name, 20);
	syscall(SYS_execve, "/no/such/kcap", big, big);
	leave_dirs(name, 20);
	leave_dirs("d", 55);
	syscall(SYS_chdir, dir);
}

/* A fixed run of syscalls across the families, with fixed arguments. */
static void workload(const char *dir)
{
	char a[4200], b[4200], buf[64];
	struct stat st;
	int fd, p[2];

	snprintf(a, sizeof(a), "%s/xa", dir);
	snprintf(b, sizeof(b), "%s/xb", dir);
	fd = (int)syscall(SYS_open, a, O_CREAT | O_RDWR | O_TRUNC, 0640);
	syscall(SYS_write, fd, "kcap cross-check", 16);
	syscall(SYS_lseek, fd, 0, SEEK_SET);
	syscall(SYS_read, fd, buf, sizeof(buf));
	syscall(SYS_close, syscall(SYS_dup, fd));
	syscall(SYS_close, fd);
	syscall(SYS_rename, a, b);
	syscall(SYS_stat, b, &st);
	syscall(SYS_chmod, b, 0600);
	syscall(SYS_unlink, b);
	syscall(SYS_unlink, b);
	syscall(SYS_mkdir, a, 0700);
	syscall(SYS_chdir, a);
	syscall(SYS_chdir, dir);
	syscall(SYS_rmdir, a);
	syscall(SYS_openat, AT_FDCWD, "/nonexistent", O_RDONLY, 0);
	if (pipe(p) == 0) {
		syscall(SYS_write, p[1], "x", 1);
		syscall(SYS_read, p[0], buf, 1);
		close(p[0]);
		close(p[1]);
	}
	syscall(SYS_kill, getpid(), 0);
	syscall(SYS_setuid, getuid());
	syscall(SYS_getppid);
	socket_workload();
	process_workload(dir);
}

/* Parameters that differ between two runs of the same workload. */
static bool run_dependent(const struct kcap_evt *ev, uint32_t i)
{
	const char *name = g_event_info[kcap_evt_type(ev)].params[i].name;
	static const char *const differ[] = {
		"ino", "exe_ino", "exe_ino_ctime", "exe_ino_mtime", "pidns_init_start_ts",
		"source", "peer", "tuple",	/* kernel socket addresses */
		"pgft_maj", "pgft_min", "vm_size", "vm_rss", "vm_swap",
	};
	size_t k;

	for (k = 0; k < sizeof(differ) / sizeof(differ[0]); k++)
		if (strcmp(name, differ[k]) == 0)
			return true;
	return false;
}

/* The module is switched on and off by ioctl, the BPF probe by a store. */
static bool engine_control(const struct kcap_evt *ev)
{
	uint16_t sc;

	if (kcap_evt_type(ev) == PPME_IOCTL_E || kcap_evt_type(ev) == PPME_IOCTL_X)
		return true;
	if (kcap_evt_type(ev) != PPME_GENERIC_E && kcap_evt_type(ev) != PPME_GENERIC_X)
		return false;
	memcpy(&sc, ev->val[0], 2);
	return sc == PPM_SC_IOCTL;
}

/*
 * Fd numbers depend on what else the process has open (the BPF engine holds
 * more): each fd is shown as the order in which it first appeared.
 */
struct fd_names {
	int64_t fd[64];
	int n;
};

static int64_t fd_name(struct fd_names *names, int64_t fd)
{
	int i;

	if (fd < 0)
		return fd;
	for (i = 0; i < names->n; i++)
		if (names->fd[i] == fd)
			return 1000 + i;
	if (names->n < 64)
		names->fd[names->n++] = fd;
	return 1000 + i;
}

static bool is_fd(const struct kcap_evt *ev, uint32_t i)
{
	const struct ppm_param_info *p = &g_event_info[kcap_evt_type(ev)].params[i];

	return p->type == PT_FD && ev->len[i] == 8;
}

/* The events of this thread, one line per event: type, then the parameters. */
static char *describe(struct dt *d)
{
	size_t cap = 1 << 20, len = 0;
	char *out = malloc(cap);
	struct fd_names names = { .n = 0 };
	uint32_t n, i, j;

	out[0] = '\0';
	for (n = 0; n < d->nevents; n++) {
		const struct ppm_evt_hdr *h = (const void *)(d->bytes + d->offsets[n]);
		struct kcap_evt ev;
		const char *why;

		if ((pid_t)h->tid != gettid() || kcap_evt_parse(h, h->len, &ev, &why) ||
		    engine_control(&ev))
			continue;
		len += (size_t)snprintf(out + len, cap - len, "%s%c", g_event_info[h->type].name,
					PPME_IS_ENTER(h->type) ? '>' : '<');
		for (i = 0; i < ev.nparams && len < cap - 64; i++) {
			len += (size_t)snprintf(out + len, cap - len, " %u:", ev.len[i]);
			if (is_fd(&ev, i)) {
				int64_t fd;

				memcpy(&fd, ev.val[i], 8);
				len += (size_t)snprintf(out + len, cap - len, "fd%lld",
							(long long)fd_name(&names, fd));
				continue;
			}
			for (j = 0; j < ev.len[i] && !run_dependent(&ev, i) && len < cap - 64; j++)
				len += (size_t)snprintf(out + len, cap - len, "%02x", ev.val[i][j]);
		}
		len += (size_t)snprintf(out + len, cap - len, "\n");
	}
	return out;
}

/* The first line where a and b differ, for a readable failure. */
static void first_difference(const char *a, const char *b, char *out, size_t len)
{
	size_t i = 0, start = 0;
	int line = 1;

	for (; a[i] && a[i] == b[i]; i++) {
		if (a[i] == '\n') {
			line++;
			start = i + 1;
		}
	}
	snprintf(out, len, "event %d:\n  bpf:  %.*s\n  kmod: %.*s", line,
		 (int)strcspn(a + start, "\n"), a + start, (int)strcspn(b + start, "\n"), b + start);
}

/* The workload's files, whatever an earlier run left of them. */
static void clean(const char *dir)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/xa", dir);
	unlink(path);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/xb", dir);
	unlink(path);
}

static char *capture_workload(enum kcap_driver d, const char *dir)
{
	char *s;

	clean(dir);
	dt_start_with(&t, d, NULL);
	workload(dir);
	dt_stop(&t);
	s = describe(&t);
	dt_close(&t);
	return s;
}

Test(drivers, bpf_and_kmod_capture_the_same_events)
{
	char why[128], dir[4096], *bpf, *kmod;

	dt_driver();	/* skips without root */
	if (!kcap_bpf_supported(why, sizeof(why)) || access("/sys/module/kcap", F_OK))
		cr_skip_test("needs both drivers: the BPF probe and the loaded kcap module");
	snprintf(dir, sizeof(dir), "%s", dt_scratch_dir());
	bpf = capture_workload(KCAP_DRIVER_BPF, dir);
	kmod = capture_workload(KCAP_DRIVER_KMOD, dir);
	cr_assert_gt(strlen(bpf), 1000, "the workload produced almost nothing:\n%s", bpf);
	if (strcmp(bpf, kmod)) {
		char diff[8192];

		first_difference(bpf, kmod, diff, sizeof(diff));
		cr_assert_fail("the drivers disagree at %s", diff);
	}
	free(bpf);
	free(kmod);
}
