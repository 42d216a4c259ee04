// SPDX-License-Identifier: MIT
/*
 * Driver tests of syscalls on paths: capture one real syscall, success and failure,
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

TestSuite(fillers_path, .fini = fini);

Test(fillers_path, unlink_and_unlinkat)
{
	char path[4200];
	const struct kcap_evt *ev;
	int dirfd = open(dt_scratch_dir(), O_RDONLY | O_DIRECTORY);

	snprintf(path, sizeof(path), "%s/gone", dt_scratch_dir());
	close(open(path, O_CREAT | O_WRONLY, 0600));
	mkdirat(dirfd, "subdir", 0700);
	dt_start(&t, "unlink");
	cr_assert_eq(syscall(SYS_unlink, path), 0);
	cr_assert_eq(syscall(SYS_unlink, path), -1);
	dt_stop(&t);
	cr_assert_eq(dt_find(&t, PPME_UNLINK_E, 1)->nparams, 0);
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
	cr_assert_eq(dt_find(&t, PPME_UNLINKAT_E, 1)->nparams, 0);
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

Test(fillers_path, mkdir_rmdir)
{
	char path[4200];
	const struct kcap_evt *ev;

	snprintf(path, sizeof(path), "%s/made", dt_scratch_dir());
	rmdir(path);
	dt_start(&t, "mkdir");
	cr_assert_eq(syscall(SYS_mkdir, path, 0751), 0);
	cr_assert_eq(syscall(SYS_mkdir, path, 0700), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_MKDIR_E, 0);
	cr_assert_eq(dt_u32(ev, 0), 0751);
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
	cr_assert_eq(dt_find(&t, PPME_RMDIR_E, 1)->nparams, 0);
	ev = dt_find(&t, PPME_RMDIR_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), path);
	ev = dt_find(&t, PPME_RMDIR_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
}

Test(fillers_path, chdir_fchdir)
{
	const struct kcap_evt *ev;
	int dirfd = open("/", O_RDONLY | O_DIRECTORY);

	dt_start(&t, "chdir");
	cr_assert_eq(syscall(SYS_chdir, "/tmp"), 0);
	cr_assert_eq(syscall(SYS_chdir, "/nonexistent"), -1);
	dt_stop(&t);
	cr_assert_eq(dt_find(&t, PPME_CHDIR_E, 1)->nparams, 0);
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
	ev = dt_find(&t, PPME_FCHDIR_E, 0);
	cr_assert_eq(dt_s64(ev, 0), dirfd);
	ev = dt_find(&t, PPME_FCHDIR_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	ev = dt_find(&t, PPME_FCHDIR_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	close(dirfd);
}
