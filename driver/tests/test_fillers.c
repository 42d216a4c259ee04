// SPDX-License-Identifier: MIT
/*
 * One test per filler: capture the event of one real syscall, success and
 * failure, and assert its header and every parameter.
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
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <pthread.h>
#include <unistd.h>

#include "driver_test.h"
#include "flag_conv.h"
#include "helpers.h"

static struct dt t;

static void fini(void)
{
	dt_close(&t);
}

TestSuite(fillers, .fini = fini);

/* A fresh directory for the test's files. */
static const char *scratch_dir(void)
{
	static char dir[4096];

	snprintf(dir, sizeof(dir), "%s", tmp_path("fillers"));
	mkdir(dir, 0700);
	return dir;
}

static uint32_t encode_dev(dev_t d)
{
	return (minor(d) & 0xff) | (major(d) << 8) | ((minor(d) & ~0xffu) << 12);
}

Test(fillers, close_x)
{
	int fd = open("/dev/null", O_RDONLY);
	const struct kcap_evt *ev;

	dt_start(&t, "close");
	cr_assert_eq(syscall(SYS_close, fd), 0);
	cr_assert_eq(syscall(SYS_close, 9999), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_CLOSE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), fd);
	ev = dt_find(&t, PPME_CLOSE_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
}

Test(fillers, read_x)
{
	int p[2];
	char buf[16];
	const struct kcap_evt *ev;

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], "hello kcap", 10), 10);
	dt_start(&t, "read");
	cr_assert_eq(syscall(SYS_read, p[0], buf, sizeof(buf)), 10);
	cr_assert_eq(syscall(SYS_read, 9999, buf, 4), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_READ_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 10);
	cr_assert_eq(ev->len[1], 10);
	cr_assert(memcmp(ev->val[1], "hello kcap", 10) == 0);
	cr_assert_eq(dt_s64(ev, 2), p[0]);
	cr_assert_eq(dt_u32(ev, 3), sizeof(buf));
	ev = dt_find(&t, PPME_READ_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	dt_empty(ev, 1);
	cr_assert_eq(dt_s64(ev, 2), 9999);
	cr_assert_eq(dt_u32(ev, 3), 4);
	close(p[0]);
	close(p[1]);
}

Test(fillers, write_x_and_snaplen)
{
	static char big[8192];
	int fd = open("/dev/null", O_WRONLY);
	const struct kcap_evt *ev;

	memset(big, 'x', sizeof(big));
	dt_start(&t, "write");
	cr_assert_eq(syscall(SYS_write, fd, "abc", 3), 3);
	cr_assert_eq(syscall(SYS_write, fd, big, sizeof(big)), (long)sizeof(big));
	cr_assert_eq(syscall(SYS_write, 9999, "zz", 2), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_WRITE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 3);
	cr_assert_eq(ev->len[1], 3);
	cr_assert(memcmp(ev->val[1], "abc", 3) == 0);
	cr_assert_eq(dt_s64(ev, 2), fd);
	cr_assert_eq(dt_u32(ev, 3), 3);
	ev = dt_find(&t, PPME_WRITE_X, 1);
	cr_assert_eq(ev->len[1], 4096, "data cut at the snaplen");
	cr_assert_eq(dt_u32(ev, 3), sizeof(big));
	ev = dt_find(&t, PPME_WRITE_X, 2);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(ev->len[1], 2, "a failed write still shows what it tried");
	close(fd);
}

Test(fillers, open_x)
{
	char path[4200];
	struct stat st;
	const struct kcap_evt *ev;
	long fd;

	snprintf(path, sizeof(path), "%s/open_x", scratch_dir());
	unlink(path);
	dt_start(&t, "open");
	fd = syscall(SYS_open, path, O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
	cr_assert_geq(fd, 0);
	cr_assert_eq(syscall(SYS_open, "/nonexistent/x", O_RDONLY, 0), -1);
	dt_stop(&t);
	cr_assert_eq(fstat((int)fd, &st), 0);
	ev = dt_find(&t, PPME_OPEN_X, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_str_eq(dt_str(ev, 1), path);
	cr_assert_eq(dt_u32(ev, 2), PPM_O_WRONLY | PPM_O_CREAT | PPM_O_CLOEXEC | PPM_O_F_CREATED);
	cr_assert_eq(dt_u32(ev, 3), 0640);
	cr_assert_eq(dt_u32(ev, 4), encode_dev(st.st_dev));
	cr_assert_eq(dt_u64(ev, 5), st.st_ino);
	ev = dt_find(&t, PPME_OPEN_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_str_eq(dt_str(ev, 1), "/nonexistent/x");
	cr_assert_eq(dt_u32(ev, 2), PPM_O_RDONLY);
	cr_assert_eq(dt_u32(ev, 3), 0, "mode only counts with O_CREAT");
	cr_assert_eq(dt_u32(ev, 4), 0);
	cr_assert_eq(dt_u64(ev, 5), 0);
	close((int)fd);
}

Test(fillers, openat_x)
{
	struct stat st;
	const struct kcap_evt *ev;
	long fd;
	int dirfd = open(scratch_dir(), O_RDONLY | O_DIRECTORY);

	close(openat(dirfd, "existing", O_CREAT | O_WRONLY, 0600));
	dt_start(&t, "openat");
	fd = syscall(SYS_openat, dirfd, "existing", O_RDONLY | O_NONBLOCK, 0);
	cr_assert_geq(fd, 0);
	cr_assert_eq(syscall(SYS_openat, AT_FDCWD, "no/such/file", O_RDWR | O_TRUNC, 0), -1);
	dt_stop(&t);
	cr_assert_eq(fstat((int)fd, &st), 0);
	ev = dt_find(&t, PPME_OPENAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	cr_assert_str_eq(dt_str(ev, 2), "existing");
	cr_assert_eq(dt_u32(ev, 3), PPM_O_RDONLY | PPM_O_NONBLOCK);
	cr_assert_eq(dt_u32(ev, 4), 0);
	cr_assert_eq(dt_u32(ev, 5), encode_dev(st.st_dev));
	cr_assert_eq(dt_u64(ev, 6), st.st_ino);
	ev = dt_find(&t, PPME_OPENAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_eq(dt_s64(ev, 1), AT_FDCWD);
	cr_assert_str_eq(dt_str(ev, 2), "no/such/file");
	cr_assert_eq(dt_u32(ev, 3), PPM_O_RDWR | PPM_O_TRUNC);
	close((int)fd);
	close(dirfd);
}

Test(fillers, creat_x)
{
	char path[4200];
	struct stat st;
	const struct kcap_evt *ev;
	long fd;

	snprintf(path, sizeof(path), "%s/creat_x", scratch_dir());
	dt_start(&t, "creat");
	fd = syscall(SYS_creat, path, 0604);
	cr_assert_eq(syscall(SYS_creat, "/nonexistent/dir/x", 0600), -1);
	dt_stop(&t);
	cr_assert_eq(fstat((int)fd, &st), 0);
	ev = dt_find(&t, PPME_CREAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_str_eq(dt_str(ev, 1), path);
	cr_assert_eq(dt_u32(ev, 2), 0604);
	cr_assert_eq(dt_u32(ev, 3), encode_dev(st.st_dev));
	cr_assert_eq(dt_u64(ev, 4), st.st_ino);
	cr_assert_eq(dt_u16(ev, 5), 0);
	ev = dt_find(&t, PPME_CREAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_eq(dt_u64(ev, 4), 0);
	close((int)fd);
}

Test(fillers, unlink_and_unlinkat_x)
{
	char path[4200];
	const struct kcap_evt *ev;
	int dirfd = open(scratch_dir(), O_RDONLY | O_DIRECTORY);

	snprintf(path, sizeof(path), "%s/gone", scratch_dir());
	close(open(path, O_CREAT | O_WRONLY, 0600));
	mkdirat(dirfd, "subdir", 0700);
	dt_start(&t, "unlink");
	cr_assert_eq(syscall(SYS_unlink, path), 0);
	cr_assert_eq(syscall(SYS_unlink, path), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_UNLINK_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), path);
	ev = dt_find(&t, PPME_UNLINK_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	dt_close(&t);
	dt_start(&t, "unlinkat");
	cr_assert_eq(syscall(SYS_unlinkat, dirfd, "subdir", AT_REMOVEDIR), 0);
	cr_assert_eq(syscall(SYS_unlinkat, dirfd, "subdir", 0), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_UNLINKAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	cr_assert_str_eq(dt_str(ev, 2), "subdir");
	cr_assert_eq(dt_u32(ev, 3), PPM_AT_REMOVEDIR);
	ev = dt_find(&t, PPME_UNLINKAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_eq(dt_u32(ev, 3), 0);
	close(dirfd);
}

Test(fillers, mkdir_rmdir_x)
{
	char path[4200];
	const struct kcap_evt *ev;

	snprintf(path, sizeof(path), "%s/made", scratch_dir());
	rmdir(path);
	dt_start(&t, "mkdir");
	cr_assert_eq(syscall(SYS_mkdir, path, 0751), 0);
	cr_assert_eq(syscall(SYS_mkdir, path, 0700), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_MKDIR_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), path);
	cr_assert_eq(dt_u32(ev, 2), 0751);
	ev = dt_find(&t, PPME_MKDIR_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EEXIST);
	dt_close(&t);
	dt_start(&t, "rmdir");
	cr_assert_eq(syscall(SYS_rmdir, path), 0);
	cr_assert_eq(syscall(SYS_rmdir, path), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_RMDIR_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), path);
	ev = dt_find(&t, PPME_RMDIR_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
}

Test(fillers, chdir_fchdir_x)
{
	const struct kcap_evt *ev;
	int dirfd = open("/", O_RDONLY | O_DIRECTORY);

	dt_start(&t, "chdir");
	cr_assert_eq(syscall(SYS_chdir, "/tmp"), 0);
	cr_assert_eq(syscall(SYS_chdir, "/nonexistent"), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_CHDIR_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), "/tmp");
	ev = dt_find(&t, PPME_CHDIR_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_str_eq(dt_str(ev, 1), "/nonexistent");
	dt_close(&t);
	dt_start(&t, "fchdir");
	cr_assert_eq(syscall(SYS_fchdir, dirfd), 0);
	cr_assert_eq(syscall(SYS_fchdir, 9999), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_FCHDIR_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	ev = dt_find(&t, PPME_FCHDIR_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	close(dirfd);
}

Test(fillers, dup_x)
{
	const struct kcap_evt *ev;
	long fd;

	dt_start(&t, "dup");
	fd = syscall(SYS_dup, 1);
	cr_assert_eq(syscall(SYS_dup, 9999), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_DUP_X, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_s64(ev, 1), 1);
	ev = dt_find(&t, PPME_DUP_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	close((int)fd);
}

Test(fillers, kill_x)
{
	const struct kcap_evt *ev;

	dt_start(&t, "kill");
	cr_assert_eq(syscall(SYS_kill, getpid(), 0), 0);
	cr_assert_eq(syscall(SYS_kill, 999999999, SIGTERM), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_KILL_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), getpid());
	cr_assert_eq(dt_u8(ev, 2), 0);
	ev = dt_find(&t, PPME_KILL_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ESRCH);
	cr_assert_eq(dt_s64(ev, 1), 999999999);
	cr_assert_eq(dt_u8(ev, 2), SIGTERM);
}

Test(fillers, setuid_setgid_x)
{
	const struct kcap_evt *ev;

	dt_start(&t, "setuid");
	cr_assert_eq(syscall(SYS_setuid, getuid()), 0);
	dt_stop(&t);
	ev = dt_find(&t, PPME_SETUID_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u32(ev, 1), getuid());
	dt_close(&t);
	dt_start(&t, "setgid");
	cr_assert_eq(syscall(SYS_setgid, getgid()), 0);
	dt_stop(&t);
	ev = dt_find(&t, PPME_SETGID_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u32(ev, 1), getgid());
}

Test(fillers, generic_x_for_syscalls_without_a_filler)
{
	const struct kcap_evt *ev;

	dt_start(&t, "syscall");
	syscall(SYS_getppid);
	dt_stop(&t);
	ev = dt_find(&t, PPME_GENERIC_X, 0);
	cr_assert_str_eq(g_ppm_sc_names[dt_u16(ev, 0)], "getppid");
	cr_assert_eq(dt_u16(ev, 1), SYS_getppid);
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
	cr_assert_eq(t.nevents, 1, "%u events: the child's close leaked in", t.nevents);
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
	cr_assert_eq(t.nevents, 1, "%u events: only the close was asked for", t.nevents);
}
