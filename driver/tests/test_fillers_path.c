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
#include <sys/mount.h>
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

/* A path in the scratch dir, made fresh: name is removed first. */
static const char *scratch(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dt_scratch_dir(), name);
	unlink(buf);
	return buf;
}

static void touch(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);

	cr_assert_geq(fd, 0, "create %s", path);
	close(fd);
}

/* Every enter event of these syscalls carries no parameter in 4.5.1. */
static void assert_empty_enter(uint16_t type, int n)
{
	int i;

	cr_assert_eq(dt_count(&t, type), n);
	for (i = 0; i < n; i++)
		cr_assert_eq(dt_find(&t, type, i)->nparams, 0);
}

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

Test(fillers_path, rename_renameat_renameat2)
{
	char a[4200], b[4200], c[4200], d[4200];
	const struct kcap_evt *ev;
	int dirfd = open(dt_scratch_dir(), O_RDONLY | O_DIRECTORY);

	scratch(a, sizeof(a), "ren_a");
	scratch(b, sizeof(b), "ren_b");
	scratch(c, sizeof(c), "ren_c");
	scratch(d, sizeof(d), "ren_d");
	touch(a);
	touch(d);
	dt_start(&t, "rename,renameat,renameat2");
	cr_assert_eq(syscall(SYS_rename, a, b), 0);
	cr_assert_eq(syscall(SYS_rename, a, b), -1);
	cr_assert_eq(syscall(SYS_renameat, dirfd, "ren_b", AT_FDCWD, c), 0);
	cr_assert_eq(syscall(SYS_renameat, 9999, "ren_b", dirfd, "x"), -1);
	cr_assert_eq(syscall(SYS_renameat2, AT_FDCWD, c, dirfd, "ren_d", RENAME_EXCHANGE), 0);
	cr_assert_eq(syscall(SYS_renameat2, dirfd, "ren_c", dirfd, "ren_d", RENAME_NOREPLACE), -1);
	dt_stop(&t);
	assert_empty_enter(PPME_RENAME_E, 2);
	assert_empty_enter(PPME_RENAMEAT_E, 2);
	assert_empty_enter(PPME_RENAMEAT2_E, 2);

	ev = dt_find(&t, PPME_RENAME_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), a);
	cr_assert_str_eq(dt_str(ev, 2), b);
	ev = dt_find(&t, PPME_RENAME_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_str_eq(dt_str(ev, 1), a);
	cr_assert_str_eq(dt_str(ev, 2), b);

	ev = dt_find(&t, PPME_RENAMEAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	cr_assert_str_eq(dt_str(ev, 2), "ren_b");
	cr_assert_eq(dt_s64(ev, 3), AT_FDCWD);
	cr_assert_str_eq(dt_str(ev, 4), c);
	ev = dt_find(&t, PPME_RENAMEAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_str_eq(dt_str(ev, 2), "ren_b");
	cr_assert_eq(dt_s64(ev, 3), dirfd);
	cr_assert_str_eq(dt_str(ev, 4), "x");

	ev = dt_find(&t, PPME_RENAMEAT2_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), AT_FDCWD);
	cr_assert_str_eq(dt_str(ev, 2), c);
	cr_assert_eq(dt_s64(ev, 3), dirfd);
	cr_assert_str_eq(dt_str(ev, 4), "ren_d");
	cr_assert_eq(dt_u32(ev, 5), dt_flag(&renameat2_flags, "RENAME_EXCHANGE"));
	ev = dt_find(&t, PPME_RENAMEAT2_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EEXIST);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	cr_assert_str_eq(dt_str(ev, 2), "ren_c");
	cr_assert_eq(dt_s64(ev, 3), dirfd);
	cr_assert_str_eq(dt_str(ev, 4), "ren_d");
	cr_assert_eq(dt_u32(ev, 5), dt_flag(&renameat2_flags, "RENAME_NOREPLACE"));
	unlink(c);
	unlink(d);
	close(dirfd);
}

Test(fillers_path, mkdirat)
{
	char path[4200];
	const struct kcap_evt *ev;
	int dirfd = open(dt_scratch_dir(), O_RDONLY | O_DIRECTORY);

	snprintf(path, sizeof(path), "%s/made_at", dt_scratch_dir());
	rmdir(path);
	dt_start(&t, "mkdirat");
	cr_assert_eq(syscall(SYS_mkdirat, dirfd, "made_at", 01755), 0);
	cr_assert_eq(syscall(SYS_mkdirat, AT_FDCWD, path, 0700), -1);
	dt_stop(&t);
	assert_empty_enter(PPME_MKDIRAT_E, 2);
	ev = dt_find(&t, PPME_MKDIRAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	cr_assert_str_eq(dt_str(ev, 2), "made_at");
	cr_assert_eq(dt_u32(ev, 3), 01755);
	ev = dt_find(&t, PPME_MKDIRAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EEXIST);
	cr_assert_eq(dt_s64(ev, 1), AT_FDCWD);
	cr_assert_str_eq(dt_str(ev, 2), path);
	cr_assert_eq(dt_u32(ev, 3), 0700);
	rmdir(path);
	close(dirfd);
}

Test(fillers_path, link_linkat)
{
	char a[4200], b[4200], c[4200];
	const struct kcap_evt *ev;
	int dirfd = open(dt_scratch_dir(), O_RDONLY | O_DIRECTORY);

	scratch(a, sizeof(a), "link_a");
	scratch(b, sizeof(b), "link_b");
	scratch(c, sizeof(c), "link_c");
	touch(a);
	dt_start(&t, "link,linkat");
	cr_assert_eq(syscall(SYS_link, a, b), 0);
	cr_assert_eq(syscall(SYS_link, a, b), -1);
	cr_assert_eq(syscall(SYS_linkat, dirfd, "link_a", AT_FDCWD, c, AT_SYMLINK_FOLLOW), 0);
	cr_assert_eq(syscall(SYS_linkat, dirfd, "nope", dirfd, "link_d",
			     AT_EMPTY_PATH | AT_SYMLINK_FOLLOW), -1);
	dt_stop(&t);
	assert_empty_enter(PPME_LINK_E, 2);
	assert_empty_enter(PPME_LINKAT_E, 2);
	ev = dt_find(&t, PPME_LINK_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), a);
	cr_assert_str_eq(dt_str(ev, 2), b);
	ev = dt_find(&t, PPME_LINK_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EEXIST);
	cr_assert_str_eq(dt_str(ev, 1), a);
	cr_assert_str_eq(dt_str(ev, 2), b);
	ev = dt_find(&t, PPME_LINKAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	cr_assert_str_eq(dt_str(ev, 2), "link_a");
	cr_assert_eq(dt_s64(ev, 3), AT_FDCWD);
	cr_assert_str_eq(dt_str(ev, 4), c);
	cr_assert_eq(dt_u32(ev, 5), dt_flag(&linkat_flags, "AT_SYMLINK_FOLLOW"));
	ev = dt_find(&t, PPME_LINKAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	cr_assert_str_eq(dt_str(ev, 2), "nope");
	cr_assert_eq(dt_s64(ev, 3), dirfd);
	cr_assert_str_eq(dt_str(ev, 4), "link_d");
	cr_assert_eq(dt_u32(ev, 5), dt_flag(&linkat_flags, "AT_EMPTY_PATH") |
				    dt_flag(&linkat_flags, "AT_SYMLINK_FOLLOW"));
	unlink(a);
	unlink(b);
	unlink(c);
	close(dirfd);
}

Test(fillers_path, symlink_symlinkat)
{
	char a[4200], b[4200];
	const struct kcap_evt *ev;
	int dirfd = open(dt_scratch_dir(), O_RDONLY | O_DIRECTORY);

	scratch(a, sizeof(a), "sym_a");
	scratch(b, sizeof(b), "sym_b");
	dt_start(&t, "symlink,symlinkat");
	cr_assert_eq(syscall(SYS_symlink, "no/such/target", a), 0);
	cr_assert_eq(syscall(SYS_symlink, "other", a), -1);
	cr_assert_eq(syscall(SYS_symlinkat, "../t", dirfd, "sym_b"), 0);
	cr_assert_eq(syscall(SYS_symlinkat, "t2", 9999, "sym_c"), -1);
	dt_stop(&t);
	assert_empty_enter(PPME_SYMLINK_E, 2);
	assert_empty_enter(PPME_SYMLINKAT_E, 2);
	ev = dt_find(&t, PPME_SYMLINK_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), "no/such/target");
	cr_assert_str_eq(dt_str(ev, 2), a);
	ev = dt_find(&t, PPME_SYMLINK_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EEXIST);
	cr_assert_str_eq(dt_str(ev, 1), "other");
	cr_assert_str_eq(dt_str(ev, 2), a);
	ev = dt_find(&t, PPME_SYMLINKAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), "../t");
	cr_assert_eq(dt_s64(ev, 2), dirfd);
	cr_assert_str_eq(dt_str(ev, 3), "sym_b");
	ev = dt_find(&t, PPME_SYMLINKAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_str_eq(dt_str(ev, 1), "t2");
	cr_assert_eq(dt_s64(ev, 2), 9999);
	cr_assert_str_eq(dt_str(ev, 3), "sym_c");
	unlink(a);
	unlink(b);
	close(dirfd);
}

/* PPM chmod_mode bits of the permission letters, from the flag table by name. */
static uint32_t ppm_mode(const char *const *names)
{
	uint32_t m = 0;

	for (; *names; names++)
		m |= dt_flag(&chmod_mode, *names);
	return m;
}

Test(fillers_path, chmod_fchmod_fchmodat)
{
	static const char *const m4751[] = { "S_ISUID", "S_IRUSR", "S_IWUSR", "S_IXUSR",
					     "S_IRGRP", "S_IXGRP", "S_IXOTH", NULL };
	static const char *const m2640[] = { "S_ISGID", "S_IRUSR", "S_IWUSR", "S_IRGRP", NULL };
	static const char *const m1007[] = { "S_ISVTX", "S_IROTH", "S_IWOTH", "S_IXOTH", NULL };
	static const char *const m0600[] = { "S_IRUSR", "S_IWUSR", NULL };
	char path[4200];
	struct stat st;
	const struct kcap_evt *ev;
	int dirfd = open(dt_scratch_dir(), O_RDONLY | O_DIRECTORY);
	int fd;

	scratch(path, sizeof(path), "chmod_f");
	touch(path);
	fd = open(path, O_RDONLY);
	dt_start(&t, "chmod,fchmod,fchmodat");
	cr_assert_eq(syscall(SYS_chmod, path, 04751), 0);
	cr_assert_eq(syscall(SYS_chmod, "/nonexistent/f", 0600), -1);
	cr_assert_eq(syscall(SYS_fchmod, fd, S_IFREG | 02640), 0);
	cr_assert_eq(syscall(SYS_fchmod, 9999, 01007), -1);
	cr_assert_eq(syscall(SYS_fchmodat, dirfd, "chmod_f", 0600), 0);
	cr_assert_eq(syscall(SYS_fchmodat, AT_FDCWD, "no_such_f", 01007), -1);
	dt_stop(&t);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600);
	assert_empty_enter(PPME_CHMOD_E, 2);
	assert_empty_enter(PPME_FCHMOD_E, 2);
	assert_empty_enter(PPME_FCHMODAT_E, 2);

	ev = dt_find(&t, PPME_CHMOD_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), path);
	cr_assert_eq(dt_u32(ev, 2), ppm_mode(m4751));
	ev = dt_find(&t, PPME_CHMOD_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_str_eq(dt_str(ev, 1), "/nonexistent/f");
	cr_assert_eq(dt_u32(ev, 2), ppm_mode(m0600));

	ev = dt_find(&t, PPME_FCHMOD_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_eq(dt_u32(ev, 2), ppm_mode(m2640), "the file type bits are dropped");
	ev = dt_find(&t, PPME_FCHMOD_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_eq(dt_u32(ev, 2), ppm_mode(m1007));

	ev = dt_find(&t, PPME_FCHMODAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	cr_assert_str_eq(dt_str(ev, 2), "chmod_f");
	cr_assert_eq(dt_u32(ev, 3), ppm_mode(m0600));
	ev = dt_find(&t, PPME_FCHMODAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_eq(dt_s64(ev, 1), AT_FDCWD);
	cr_assert_str_eq(dt_str(ev, 2), "no_such_f");
	cr_assert_eq(dt_u32(ev, 3), ppm_mode(m1007));
	close(fd);
	unlink(path);
	close(dirfd);
}

Test(fillers_path, chown_fchown_fchownat)
{
	char path[4200];
	struct stat st;
	const struct kcap_evt *ev;
	int dirfd = open(dt_scratch_dir(), O_RDONLY | O_DIRECTORY);
	int fd;

	scratch(path, sizeof(path), "chown_f");
	touch(path);
	fd = open(path, O_RDONLY);
	dt_start(&t, "chown,fchown,fchownat");
	cr_assert_eq(syscall(SYS_chown, path, 1234, 5678), 0);
	cr_assert_eq(syscall(SYS_chown, "/nonexistent/f", 1, 2), -1);
	cr_assert_eq(syscall(SYS_fchown, fd, -1, 42), 0);
	cr_assert_eq(syscall(SYS_fchown, 9999, 7, -1), -1);
	cr_assert_eq(syscall(SYS_fchownat, dirfd, "chown_f", 11, 12, AT_SYMLINK_NOFOLLOW), 0);
	cr_assert_eq(syscall(SYS_fchownat, fd, "", 21, 22, AT_EMPTY_PATH), 0);
	cr_assert_eq(syscall(SYS_fchownat, AT_FDCWD, path, 31, 32, AT_SYMLINK_FOLLOW), -1);
	dt_stop(&t);
	cr_assert_eq(fstat(fd, &st), 0);
	cr_assert_eq(st.st_uid, 21);
	cr_assert_eq(st.st_gid, 22);
	assert_empty_enter(PPME_CHOWN_E, 2);
	assert_empty_enter(PPME_FCHOWN_E, 2);
	assert_empty_enter(PPME_FCHOWNAT_E, 3);

	ev = dt_find(&t, PPME_CHOWN_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), path);
	cr_assert_eq(dt_u32(ev, 2), 1234);
	cr_assert_eq(dt_u32(ev, 3), 5678);
	ev = dt_find(&t, PPME_CHOWN_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_str_eq(dt_str(ev, 1), "/nonexistent/f");
	cr_assert_eq(dt_u32(ev, 2), 1);
	cr_assert_eq(dt_u32(ev, 3), 2);

	ev = dt_find(&t, PPME_FCHOWN_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_eq(dt_u32(ev, 2), UINT32_MAX, "-1: left unchanged");
	cr_assert_eq(dt_u32(ev, 3), 42);
	ev = dt_find(&t, PPME_FCHOWN_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_eq(dt_u32(ev, 2), 7);
	cr_assert_eq(dt_u32(ev, 3), UINT32_MAX);

	ev = dt_find(&t, PPME_FCHOWNAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	cr_assert_str_eq(dt_str(ev, 2), "chown_f");
	cr_assert_eq(dt_u32(ev, 3), 11);
	cr_assert_eq(dt_u32(ev, 4), 12);
	cr_assert_eq(dt_u32(ev, 5), 0, "libs drops AT_SYMLINK_NOFOLLOW");
	ev = dt_find(&t, PPME_FCHOWNAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_str_eq(dt_str(ev, 2), "");
	cr_assert_eq(dt_u32(ev, 3), 21);
	cr_assert_eq(dt_u32(ev, 4), 22);
	cr_assert_eq(dt_u32(ev, 5), dt_flag(&fchownat_flags, "AT_EMPTY_PATH"));
	ev = dt_find(&t, PPME_FCHOWNAT_X, 2);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_s64(ev, 1), AT_FDCWD);
	cr_assert_str_eq(dt_str(ev, 2), path);
	cr_assert_eq(dt_u32(ev, 3), 31);
	cr_assert_eq(dt_u32(ev, 4), 32);
	/* libs maps AT_SYMLINK_FOLLOW to the table's 0x400, which it names AT_SYMLINK_NOFOLLOW. */
	cr_assert_eq(dt_u32(ev, 5), dt_flag(&fchownat_flags, "AT_SYMLINK_NOFOLLOW"));
	cr_assert_eq(dt_u32(ev, 5), dt_flag(&linkat_flags, "AT_SYMLINK_FOLLOW"));
	close(fd);
	unlink(path);
	close(dirfd);
}

Test(fillers_path, stat_lstat_fstat_newfstatat)
{
	char path[4200], lnk[4200];
	struct stat st;
	const struct kcap_evt *ev;
	int dirfd = open(dt_scratch_dir(), O_RDONLY | O_DIRECTORY);
	int fd;

	scratch(path, sizeof(path), "stat_f");
	scratch(lnk, sizeof(lnk), "stat_l");
	touch(path);
	cr_assert_eq(symlink("stat_f", lnk), 0);
	fd = open(path, O_RDONLY);
	dt_start(&t, "stat,lstat,fstat,newfstatat");
	cr_assert_eq(syscall(SYS_stat, path, &st), 0);
	cr_assert_eq(syscall(SYS_stat, "/nonexistent/s", &st), -1);
	cr_assert_eq(syscall(SYS_lstat, lnk, &st), 0);
	cr_assert_eq(syscall(SYS_lstat, path, NULL), -1);
	cr_assert_eq(syscall(SYS_fstat, fd, &st), 0);
	cr_assert_eq(syscall(SYS_fstat, 9999, &st), -1);
	cr_assert_eq(syscall(SYS_newfstatat, dirfd, "stat_l", &st,
			     AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT), 0);
	cr_assert_eq(syscall(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH), 0);
	cr_assert_eq(syscall(SYS_newfstatat, AT_FDCWD, "no_such_s", &st, 0), -1);
	dt_stop(&t);
	assert_empty_enter(PPME_STAT_E, 2);
	assert_empty_enter(PPME_LSTAT_E, 2);
	assert_empty_enter(PPME_NEWFSTATAT_E, 3);

	ev = dt_find(&t, PPME_STAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), path);
	ev = dt_find(&t, PPME_STAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_str_eq(dt_str(ev, 1), "/nonexistent/s");

	ev = dt_find(&t, PPME_LSTAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), lnk);
	ev = dt_find(&t, PPME_LSTAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EFAULT);
	cr_assert_str_eq(dt_str(ev, 1), path);

	ev = dt_find(&t, PPME_FSTAT_E, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	ev = dt_find(&t, PPME_FSTAT_E, 1);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	ev = dt_find(&t, PPME_FSTAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), fd);
	ev = dt_find(&t, PPME_FSTAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);

	ev = dt_find(&t, PPME_NEWFSTATAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	cr_assert_str_eq(dt_str(ev, 2), "stat_l");
	cr_assert_eq(dt_u32(ev, 3), dt_flag(&newfstatat_flags, "AT_SYMLINK_NOFOLLOW") |
				    dt_flag(&newfstatat_flags, "AT_NO_AUTOMOUNT"));
	ev = dt_find(&t, PPME_NEWFSTATAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_str_eq(dt_str(ev, 2), "");
	cr_assert_eq(dt_u32(ev, 3), dt_flag(&newfstatat_flags, "AT_EMPTY_PATH"));
	ev = dt_find(&t, PPME_NEWFSTATAT_X, 2);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_eq(dt_s64(ev, 1), AT_FDCWD);
	cr_assert_str_eq(dt_str(ev, 2), "no_such_s");
	cr_assert_eq(dt_u32(ev, 3), 0);
	close(fd);
	unlink(lnk);
	unlink(path);
	close(dirfd);
}

/*
 * chroot in the test thread itself (the capture follows this process only),
 * then back to the real root through a descriptor kept open on it.
 */
Test(fillers_path, chroot)
{
	char path[4200];
	const struct kcap_evt *ev;
	int root = open("/", O_RDONLY | O_DIRECTORY);
	int cwd = open(".", O_RDONLY | O_DIRECTORY);
	long ok, bad, back;

	scratch(path, sizeof(path), "chroot_f");
	touch(path);
	dt_start(&t, "chroot");
	ok = syscall(SYS_chroot, dt_scratch_dir());
	bad = syscall(SYS_chroot, "/chroot_f");	/* inside the new root: not a dir */
	back = fchdir(root) || syscall(SYS_chroot, ".") || fchdir(cwd);
	dt_stop(&t);
	cr_assert_eq(back, 0, "back to the real root");
	cr_assert_eq(ok, 0);
	cr_assert_eq(bad, -1);
	assert_empty_enter(PPME_CHROOT_E, 3);
	ev = dt_find(&t, PPME_CHROOT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), dt_scratch_dir());
	ev = dt_find(&t, PPME_CHROOT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOTDIR);
	cr_assert_str_eq(dt_str(ev, 1), "/chroot_f");
	ev = dt_find(&t, PPME_CHROOT_X, 2);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), ".");
	unlink(path);
	close(cwd);
	close(root);
}

/* A tmpfs mounted on a directory of the scratch dir, then unmounted. */
Test(fillers_path, mount_umount2)
{
	char dir[4200];
	const struct kcap_evt *ev;
	uint32_t nosuid_nodev = dt_flag(&mount_flags, "NOSUID") | dt_flag(&mount_flags, "NODEV");
	long mounted;

	snprintf(dir, sizeof(dir), "%s/mnt", dt_scratch_dir());
	mkdir(dir, 0700);
	dt_start(&t, "mount,umount2");
	mounted = syscall(SYS_mount, "kcap-test", dir, "tmpfs", MS_MGC_VAL | MS_NOSUID | MS_NODEV,
			  "size=64k");
	cr_assert_eq(syscall(SYS_mount, "none", "/nonexistent/mnt", "tmpfs", MS_RDONLY, NULL), -1);
	cr_assert_eq(syscall(SYS_umount2, dir, MNT_DETACH), mounted ? -1 : 0);
	cr_assert_eq(syscall(SYS_umount2, dir, UMOUNT_NOFOLLOW | MNT_FORCE), -1);
	dt_stop(&t);
	cr_assert_eq(mounted, 0, "mount a tmpfs on %s", dir);

	ev = dt_find(&t, PPME_MOUNT_E, 0);
	cr_assert_eq(dt_u32(ev, 0), nosuid_nodev, "without the magic number");
	ev = dt_find(&t, PPME_MOUNT_E, 1);
	cr_assert_eq(dt_u32(ev, 0), dt_flag(&mount_flags, "RDONLY"));
	ev = dt_find(&t, PPME_MOUNT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), "kcap-test");
	cr_assert_str_eq(dt_str(ev, 2), dir);
	cr_assert_str_eq(dt_str(ev, 3), "tmpfs");
	cr_assert_eq(dt_u32(ev, 4), nosuid_nodev);
	ev = dt_find(&t, PPME_MOUNT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_str_eq(dt_str(ev, 1), "none");
	cr_assert_str_eq(dt_str(ev, 2), "/nonexistent/mnt");
	cr_assert_str_eq(dt_str(ev, 3), "tmpfs");
	cr_assert_eq(dt_u32(ev, 4), dt_flag(&mount_flags, "RDONLY"));

	ev = dt_find(&t, PPME_UMOUNT2_E, 0);
	cr_assert_eq(dt_u32(ev, 0), dt_flag(&umount_flags, "DETACH"));
	ev = dt_find(&t, PPME_UMOUNT2_E, 1);
	cr_assert_eq(dt_u32(ev, 0), dt_flag(&umount_flags, "NOFOLLOW") | dt_flag(&umount_flags, "FORCE"));
	ev = dt_find(&t, PPME_UMOUNT2_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), dir);
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&umount_flags, "DETACH"));
	ev = dt_find(&t, PPME_UMOUNT2_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL, "no longer a mount point");
	cr_assert_str_eq(dt_str(ev, 1), dir);
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&umount_flags, "NOFOLLOW") | dt_flag(&umount_flags, "FORCE"));
	rmdir(dir);
}

/* access: the mode on both halves, the path on exit. */
Test(fillers_path, access)
{
	const uint32_t rw = dt_flag(&access_flags, "R_OK") | dt_flag(&access_flags, "W_OK");
	const struct kcap_evt *ev;

	dt_start(&t, "access");
	cr_assert_eq(syscall(SYS_access, "/dev/null", R_OK | W_OK), 0);
	cr_assert_eq(dt_res(syscall(SYS_access, "/no/such/kcap", F_OK)), -ENOENT);
	dt_stop(&t);
	cr_assert_eq(dt_u32(dt_find(&t, PPME_ACCESS_E, 0), 0), rw);
	ev = dt_find(&t, PPME_ACCESS_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), "/dev/null");
	cr_assert_eq(dt_u32(ev, 2), rw);
	ev = dt_find(&t, PPME_ACCESS_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_str_eq(dt_str(ev, 1), "/no/such/kcap");
	cr_assert_eq(dt_u32(ev, 2), 0);
}

/* getcwd's directory, and none when it fails. */
Test(fillers_path, getcwd)
{
	char cwd[4096], small[2];
	const struct kcap_evt *ev;
	long r;

	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	dt_start(&t, "getcwd");
	r = syscall(SYS_getcwd, cwd, sizeof(cwd));
	cr_assert_eq(dt_res(syscall(SYS_getcwd, small, 1)), -ERANGE);
	dt_stop(&t);
	cr_assert_eq(dt_find(&t, PPME_GETCWD_E, 0)->nparams, 0);
	ev = dt_find(&t, PPME_GETCWD_X, 0);
	cr_assert_eq(dt_s64(ev, 0), r);
	cr_assert_eq(r, (long)strlen(cwd) + 1);
	cr_assert_str_eq(dt_str(ev, 1), cwd);
	ev = dt_find(&t, PPME_GETCWD_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ERANGE);
	dt_empty(ev, 1);
}

/* lchown: chown's parameters; mknod and mknodat: the type and permission bits, the device. */
Test(fillers_path, lchown_mknod_mknodat)
{
	const uint32_t fifo = dt_flag(&mknod_mode, "S_IFIFO") | dt_flag(&mknod_mode, "S_IRUSR") |
			      dt_flag(&mknod_mode, "S_IWUSR");
	const uint32_t reg = dt_flag(&mknod_mode, "S_IFREG") | dt_flag(&mknod_mode, "S_IRUSR");
	char a[4200], b[4200];
	const struct kcap_evt *ev;

	scratch(a, sizeof(a), "mknod_fifo");
	scratch(b, sizeof(b), "mknodat_reg");
	dt_start(&t, "lchown,mknod,mknodat");
	cr_assert_eq(syscall(SYS_mknod, a, S_IFIFO | 0600, 0), 0);
	cr_assert_eq(syscall(SYS_mknodat, AT_FDCWD, b, S_IFREG | 0400, 0), 0);
	cr_assert_eq(syscall(SYS_lchown, a, -1, getgid()), 0);
	cr_assert_eq(dt_res(syscall(SYS_mknod, a, S_IFIFO | 0600, 0)), -EEXIST);
	dt_stop(&t);
	ev = dt_find(&t, PPME_MKNOD_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), a);
	cr_assert_eq(dt_u32(ev, 2), fifo);
	cr_assert_eq(dt_u32(ev, 3), 0);
	cr_assert_eq(dt_s64(dt_find(&t, PPME_MKNOD_X, 1), 0), -EEXIST);
	ev = dt_find(&t, PPME_MKNODAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), AT_FDCWD);
	cr_assert_str_eq(dt_str(ev, 2), b);
	cr_assert_eq(dt_u32(ev, 3), reg);
	cr_assert_eq(dt_u32(ev, 4), 0);
	ev = dt_find(&t, PPME_LCHOWN_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_str_eq(dt_str(ev, 1), a);
	cr_assert_eq(dt_u32(ev, 2), UINT32_MAX);
	cr_assert_eq(dt_u32(ev, 3), getgid());
	unlink(a);
	unlink(b);
}

#define FSCONFIG_SET_FLAG 0
#define FSCONFIG_SET_STRING 1
#define FSCONFIG_SET_BINARY 2
#define FSCONFIG_CMD_CREATE 6

/* A tmpfs configured through fsconfig: a string, a flag, bytes, the create command; a bad fd. */
Test(fillers_path, fsconfig)
{
	const struct kcap_evt *ev;
	long fd = syscall(SYS_fsopen, "tmpfs", 0), bin;

	if (fd < 0)
		cr_skip_test("fsopen: %s", strerror(errno));
	dt_start(&t, "fsconfig");
	cr_assert_eq(syscall(SYS_fsconfig, fd, FSCONFIG_SET_STRING, "size", "1m", 0), 0);
	cr_assert_eq(syscall(SYS_fsconfig, fd, FSCONFIG_SET_FLAG, "ro", NULL, 0), 0);
	bin = dt_res(syscall(SYS_fsconfig, fd, FSCONFIG_SET_BINARY, "blob", "abc", 3));
	cr_assert_eq(syscall(SYS_fsconfig, fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0), 0);
	cr_assert_eq(dt_res(syscall(SYS_fsconfig, 9999, FSCONFIG_SET_FLAG, "ro", NULL, 0)), -EBADF);
	dt_stop(&t);
	cr_assert_lt(bin, 0, "tmpfs takes no binary value");
	dt_find(&t, PPME_FSCONFIG_E, 0);
	ev = dt_find(&t, PPME_FSCONFIG_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&fsconfig_cmds, "FSCONFIG_SET_STRING"));
	cr_assert_str_eq(dt_str(ev, 3), "size");
	dt_empty(ev, 4);
	cr_assert_str_eq(dt_str(ev, 5), "1m");
	cr_assert_eq(dt_u32(ev, 6), 0);
	ev = dt_find(&t, PPME_FSCONFIG_X, 1);
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&fsconfig_cmds, "FSCONFIG_SET_FLAG"));
	cr_assert_str_eq(dt_str(ev, 3), "ro");
	dt_empty(ev, 4);
	dt_empty(ev, 5);
	ev = dt_find(&t, PPME_FSCONFIG_X, 2);
	cr_assert_eq(dt_s64(ev, 0), bin);
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&fsconfig_cmds, "FSCONFIG_SET_BINARY"));
	cr_assert_str_eq(dt_str(ev, 3), "blob");
	cr_assert_eq(ev->len[4], 3);
	cr_assert(!memcmp(ev->val[4], "abc", 3));
	dt_empty(ev, 5);
	cr_assert_eq(dt_u32(ev, 6), 3);
	ev = dt_find(&t, PPME_FSCONFIG_X, 3);
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&fsconfig_cmds, "FSCONFIG_CMD_CREATE"));
	dt_empty(ev, 3);
	dt_empty(ev, 4);
	dt_empty(ev, 5);
	ev = dt_find(&t, PPME_FSCONFIG_X, 4);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_str_eq(dt_str(ev, 3), "ro");
	close((int)fd);
}

/*
 * A file opened again from its handle: the path the kernel resolved, its
 * dev and ino; a mount fd that is not open. A file system without handles
 * (the guests' ramfs) leaves the refusal only.
 */
Test(fillers_path, open_by_handle_at)
{
	char path[4200], real[4200];
	struct {
		struct file_handle h;
		unsigned char bytes[128];
	} fh;
	const struct kcap_evt *ev;
	struct stat st;
	int fd, mfd, mount_id;
	long got;

	snprintf(path, sizeof(path), "%s/handle-me", dt_scratch_dir());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_not_null(realpath(path, real));
	fh.h.handle_bytes = sizeof(fh.bytes);
	mfd = open(dt_scratch_dir(), O_RDONLY | O_DIRECTORY);
	cr_assert_geq(mfd, 0);
	dt_start(&t, "open_by_handle_at");
	cr_assert_eq(dt_res(syscall(SYS_open_by_handle_at, 9999, &fh.h, O_RDONLY)), -EBADF);
	if (syscall(SYS_name_to_handle_at, AT_FDCWD, path, &fh.h, &mount_id, 0)) {
		dt_stop(&t);
		got = -1;
	} else {
		got = syscall(SYS_open_by_handle_at, mfd, &fh.h, O_RDONLY | O_CLOEXEC);
		dt_stop(&t);
		cr_assert_geq(got, 0, "open_by_handle_at: %s", strerror(errno));
	}
	dt_find(&t, PPME_OPEN_BY_HANDLE_AT_E, 0);
	ev = dt_find(&t, PPME_OPEN_BY_HANDLE_AT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&file_flags, "O_RDONLY"));
	dt_empty(ev, 3);
	cr_assert_eq(dt_u32(ev, 4), 0);
	cr_assert_eq(dt_u64(ev, 5), 0);
	if (got < 0) {
		close(mfd);
		cr_skip_test("no file handles on this file system: only the refusal checked");
	}
	cr_assert_eq(fstat((int)got, &st), 0);
	ev = dt_find(&t, PPME_OPEN_BY_HANDLE_AT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), got);
	cr_assert_eq(dt_s64(ev, 1), mfd);
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&file_flags, "O_RDONLY") |
				     dt_flag(&file_flags, "O_CLOEXEC"));
	cr_assert_str_eq(dt_str(ev, 3), real);
	cr_assert_eq(dt_u32(ev, 4), dt_encode_dev(st.st_dev));
	cr_assert_eq(dt_u64(ev, 5), st.st_ino);
	close((int)got);
	close(mfd);
}

#define Q_QUOTAON 0x800002
#define Q_GETINFO 0x800005
#define Q_SETINFO 0x800006
#define Q_SETQUOTA 0x800008
#define QCMD(cmd, type) (((cmd) << 8) | ((type) & 0xff))
#define QFMT_VFS_V0 2

/* quotactl's input shown whatever the result; an output only when it worked. */
Test(fillers_path, quotactl)
{
	static const char dev[] = "/kcap-no-such-device";
	uint64_t dq[9] = { 100, 50, 0, 10, 5, 0, 111, 222, 0 };
	struct {
		uint64_t bgrace, igrace;
		uint32_t flags, valid;
	} di = { 7, 8, 1, 0 }, out = { 0 };
	const struct kcap_evt *ev;
	long r[4];
	int i;

	dt_start(&t, "quotactl");
	r[0] = dt_res(syscall(SYS_quotactl, QCMD(Q_SETQUOTA, 0), dev, 1000, dq));
	r[1] = dt_res(syscall(SYS_quotactl, QCMD(Q_QUOTAON, 1), dev, QFMT_VFS_V0,
			      "/kcap-aquota.group"));
	r[2] = dt_res(syscall(SYS_quotactl, QCMD(Q_GETINFO, 0), dev, 0, &out));
	r[3] = dt_res(syscall(SYS_quotactl, QCMD(Q_SETINFO, 0), dev, 0, &di));
	dt_stop(&t);
	for (i = 0; i < 4; i++)
		cr_assert_lt(r[i], 0, "call %d: %ld", i, r[i]);
	ev = dt_find(&t, PPME_QUOTACTL_E, 0);
	cr_assert_eq(dt_u16(ev, 0), dt_flag(&quotactl_cmds, "Q_SETQUOTA"));
	cr_assert_eq(dt_u8(ev, 1), dt_flag(&quotactl_types, "USRQUOTA"));
	cr_assert_eq(dt_u32(ev, 2), 1000);
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&quotactl_quota_fmts, "QFMT_NOT_USED"));
	ev = dt_find(&t, PPME_QUOTACTL_X, 0);
	cr_assert_eq(dt_s64(ev, 0), r[0]);
	cr_assert_str_eq(dt_str(ev, 1), dev);
	dt_empty(ev, 2);
	cr_assert_eq(dt_u64(ev, 3), 100);
	cr_assert_eq(dt_u64(ev, 4), 50);
	cr_assert_eq(dt_u64(ev, 5), 0);
	cr_assert_eq(dt_u64(ev, 6), 10);
	cr_assert_eq(dt_u64(ev, 7), 5);
	cr_assert_eq(dt_u64(ev, 8), 111);
	cr_assert_eq(dt_u64(ev, 9), 222);
	cr_assert_eq(dt_u64(ev, 10), 0);
	cr_assert_eq(dt_u64(ev, 11), 0);
	cr_assert_eq(dt_u8(ev, 12), 0);
	cr_assert_eq(dt_u8(ev, 13), 0);
	cr_assert_eq(dt_u16(ev, 14), dt_flag(&quotactl_cmds, "Q_SETQUOTA"));
	cr_assert_eq(dt_u8(ev, 15), dt_flag(&quotactl_types, "USRQUOTA"));
	cr_assert_eq(dt_u32(ev, 16), 1000);
	cr_assert_eq(dt_u8(ev, 17), dt_flag(&quotactl_quota_fmts, "QFMT_NOT_USED"));
	ev = dt_find(&t, PPME_QUOTACTL_X, 1);
	cr_assert_eq(dt_s64(ev, 0), r[1]);
	cr_assert_str_eq(dt_str(ev, 2), "/kcap-aquota.group");
	cr_assert_eq(dt_u64(ev, 3), 0);
	cr_assert_eq(dt_u16(ev, 14), dt_flag(&quotactl_cmds, "Q_QUOTAON"));
	cr_assert_eq(dt_u8(ev, 15), dt_flag(&quotactl_types, "GRPQUOTA"));
	cr_assert_eq(dt_u32(ev, 16), 0, "Q_QUOTAON's id is the format");
	cr_assert_eq(dt_u8(ev, 17), dt_flag(&quotactl_quota_fmts, "QFMT_VFS_V0"));
	ev = dt_find(&t, PPME_QUOTACTL_X, 2);
	cr_assert_eq(dt_u16(ev, 14), dt_flag(&quotactl_cmds, "Q_GETINFO"));
	cr_assert(!dt_u64(ev, 10) && !dt_u64(ev, 11) && !dt_u8(ev, 12), "nothing got");
	ev = dt_find(&t, PPME_QUOTACTL_X, 3);
	cr_assert_eq(dt_u16(ev, 14), dt_flag(&quotactl_cmds, "Q_SETINFO"));
	cr_assert_eq(dt_u64(ev, 10), 7);
	cr_assert_eq(dt_u64(ev, 11), 8);
	cr_assert_eq(dt_u8(ev, 12), dt_flag(&quotactl_dqi_flags, "V1_DQF_RSQUASH"));
}
