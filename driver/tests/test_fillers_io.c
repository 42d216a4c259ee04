// SPDX-License-Identifier: MIT
/*
 * Driver tests of open, read, write and the other fd syscalls: capture one real syscall, success and failure,
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

TestSuite(fillers_io, .fini = fini);

Test(fillers_io, close)
{
	int fd = open("/dev/null", O_RDONLY);
	const struct kcap_evt *ev;

	dt_start(&t, "close");
	cr_assert_eq(syscall(SYS_close, fd), 0);
	cr_assert_eq(syscall(SYS_close, 9999), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_CLOSE_E, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	ev = dt_find(&t, PPME_CLOSE_E, 1);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	ev = dt_find(&t, PPME_CLOSE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), fd);
	ev = dt_find(&t, PPME_CLOSE_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
}

Test(fillers_io, read)
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
	ev = dt_find(&t, PPME_READ_E, 0);
	cr_assert_eq(dt_s64(ev, 0), p[0]);
	cr_assert_eq(dt_u32(ev, 1), sizeof(buf));
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

Test(fillers_io, write_and_snaplen)
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
	ev = dt_find(&t, PPME_WRITE_E, 1);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u32(ev, 1), sizeof(big));
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

Test(fillers_io, open)
{
	char path[4200];
	struct stat st;
	const struct kcap_evt *ev;
	long fd;

	snprintf(path, sizeof(path), "%s/open_x", dt_scratch_dir());
	unlink(path);
	dt_start(&t, "open");
	fd = syscall(SYS_open, path, O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
	cr_assert_geq(fd, 0);
	cr_assert_eq(syscall(SYS_open, "/nonexistent/x", O_RDONLY, 0), -1);
	dt_stop(&t);
	cr_assert_eq(fstat((int)fd, &st), 0);
	ev = dt_find(&t, PPME_OPEN_E, 0);
	cr_assert_str_eq(dt_str(ev, 0), path);
	cr_assert_eq(dt_u32(ev, 1), PPM_O_WRONLY | PPM_O_CREAT | PPM_O_CLOEXEC,
		     "whether it creates the file is known on exit only");
	cr_assert_eq(dt_u32(ev, 2), 0640);
	ev = dt_find(&t, PPME_OPEN_X, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_str_eq(dt_str(ev, 1), path);
	cr_assert_eq(dt_u32(ev, 2), PPM_O_WRONLY | PPM_O_CREAT | PPM_O_CLOEXEC | PPM_O_F_CREATED);
	cr_assert_eq(dt_u32(ev, 3), 0640);
	cr_assert_eq(dt_u32(ev, 4), dt_encode_dev(st.st_dev));
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

Test(fillers_io, openat)
{
	struct stat st;
	const struct kcap_evt *ev;
	long fd;
	int dirfd = open(dt_scratch_dir(), O_RDONLY | O_DIRECTORY);

	close(openat(dirfd, "existing", O_CREAT | O_WRONLY, 0600));
	dt_start(&t, "openat");
	fd = syscall(SYS_openat, dirfd, "existing", O_RDONLY | O_NONBLOCK, 0);
	cr_assert_geq(fd, 0);
	cr_assert_eq(syscall(SYS_openat, AT_FDCWD, "no/such/file", O_RDWR | O_TRUNC, 0), -1);
	dt_stop(&t);
	cr_assert_eq(fstat((int)fd, &st), 0);
	ev = dt_find(&t, PPME_OPENAT_E, 0);
	cr_assert_eq(dt_s64(ev, 0), dirfd);
	cr_assert_str_eq(dt_str(ev, 1), "existing");
	cr_assert_eq(dt_u32(ev, 2), PPM_O_RDONLY | PPM_O_NONBLOCK);
	cr_assert_eq(dt_u32(ev, 3), 0);
	ev = dt_find(&t, PPME_OPENAT_E, 1);
	cr_assert_eq(dt_s64(ev, 0), AT_FDCWD);
	ev = dt_find(&t, PPME_OPENAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	cr_assert_str_eq(dt_str(ev, 2), "existing");
	cr_assert_eq(dt_u32(ev, 3), PPM_O_RDONLY | PPM_O_NONBLOCK);
	cr_assert_eq(dt_u32(ev, 4), 0);
	cr_assert_eq(dt_u32(ev, 5), dt_encode_dev(st.st_dev));
	cr_assert_eq(dt_u64(ev, 6), st.st_ino);
	ev = dt_find(&t, PPME_OPENAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_eq(dt_s64(ev, 1), AT_FDCWD);
	cr_assert_str_eq(dt_str(ev, 2), "no/such/file");
	cr_assert_eq(dt_u32(ev, 3), PPM_O_RDWR | PPM_O_TRUNC);
	close((int)fd);
	close(dirfd);
}

Test(fillers_io, creat)
{
	char path[4200];
	struct stat st;
	const struct kcap_evt *ev;
	long fd;

	snprintf(path, sizeof(path), "%s/creat_x", dt_scratch_dir());
	dt_start(&t, "creat");
	fd = syscall(SYS_creat, path, 0604);
	cr_assert_eq(syscall(SYS_creat, "/nonexistent/dir/x", 0600), -1);
	dt_stop(&t);
	cr_assert_eq(fstat((int)fd, &st), 0);
	ev = dt_find(&t, PPME_CREAT_E, 0);
	cr_assert_str_eq(dt_str(ev, 0), path);
	cr_assert_eq(dt_u32(ev, 1), 0604);
	ev = dt_find(&t, PPME_CREAT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_str_eq(dt_str(ev, 1), path);
	cr_assert_eq(dt_u32(ev, 2), 0604);
	cr_assert_eq(dt_u32(ev, 3), dt_encode_dev(st.st_dev));
	cr_assert_eq(dt_u64(ev, 4), st.st_ino);
	cr_assert_eq(dt_u16(ev, 5), 0);
	ev = dt_find(&t, PPME_CREAT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_eq(dt_u64(ev, 4), 0);
	close((int)fd);
}

Test(fillers_io, dup)
{
	const struct kcap_evt *ev;
	long fd;

	dt_start(&t, "dup");
	fd = syscall(SYS_dup, 1);
	cr_assert_eq(syscall(SYS_dup, 9999), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_DUP_E, 0);
	cr_assert_eq(dt_s64(ev, 0), 1);
	ev = dt_find(&t, PPME_DUP_X, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_s64(ev, 1), 1);
	ev = dt_find(&t, PPME_DUP_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	close((int)fd);
}
