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
#include <linux/openat2.h>
#include <sys/epoll.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "driver_test.h"
#include "flag_conv.h"

static struct dt t;

static void fini(void)
{
	dt_close(&t);
}

TestSuite(fillers_io, .fini = fini);

static void assert_bytes(const struct kcap_evt *ev, uint32_t i, const void *want, uint32_t len)
{
	cr_assert_eq(ev->len[i], len, "param %u: %u bytes, want %u", i, ev->len[i], len);
	cr_assert(memcmp(ev->val[i], want, len) == 0, "param %u: other bytes", i);
}

/* A file of the scratch directory holding "0123456789abcdef", open read-write. */
static int scratch_file(const char *name)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dt_scratch_dir(), name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "0123456789abcdef", 16), 16);
	return fd;
}

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

Test(fillers_io, openat2)
{
	struct open_how rd = { .flags = O_RDONLY | O_CLOEXEC,
			       .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS };
	struct open_how mk = { .flags = O_WRONLY | O_CREAT | O_EXCL, .mode = 0640,
			       .resolve = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS };
	struct open_how bad = { .flags = O_RDWR | O_TRUNC, .resolve = RESOLVE_IN_ROOT };
	const struct kcap_evt *ev;
	struct stat st1, st2;
	int dirfd = open(dt_scratch_dir(), O_RDONLY | O_DIRECTORY);
	long fd1, fd2;

	close(openat(dirfd, "existing2", O_CREAT | O_WRONLY, 0600));
	unlinkat(dirfd, "made2", 0);
	dt_start(&t, "openat2");
	fd1 = syscall(SYS_openat2, dirfd, "existing2", &rd, sizeof(rd));
	fd2 = syscall(SYS_openat2, dirfd, "made2", &mk, sizeof(mk));
	cr_assert_eq(syscall(SYS_openat2, AT_FDCWD, "no/such/file", &bad, sizeof(bad)), -1);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(syscall(SYS_openat2, dirfd, "existing2", NULL, sizeof(rd)), -1);
	cr_assert_eq(errno, EFAULT);
	dt_stop(&t);
	cr_assert_geq(fd1, 0);
	cr_assert_geq(fd2, 0);
	cr_assert_eq(fstat((int)fd1, &st1), 0);
	cr_assert_eq(fstat((int)fd2, &st2), 0);

	ev = dt_find(&t, PPME_OPENAT2_E, 0);
	cr_assert_eq(dt_s64(ev, 0), dirfd);
	cr_assert_str_eq(dt_str(ev, 1), "existing2");
	cr_assert_eq(dt_u32(ev, 2), PPM_O_RDONLY | PPM_O_CLOEXEC);
	cr_assert_eq(dt_u32(ev, 3), 0);
	cr_assert_eq(dt_u32(ev, 4), dt_flag(&openat2_flags, "RESOLVE_BENEATH") |
					    dt_flag(&openat2_flags, "RESOLVE_NO_SYMLINKS"));
	ev = dt_find(&t, PPME_OPENAT2_X, 0);
	cr_assert_eq(dt_s64(ev, 0), fd1);
	cr_assert_eq(dt_s64(ev, 1), dirfd);
	cr_assert_str_eq(dt_str(ev, 2), "existing2");
	cr_assert_eq(dt_u32(ev, 3), PPM_O_RDONLY | PPM_O_CLOEXEC);
	cr_assert_eq(dt_u32(ev, 4), 0);
	cr_assert_eq(dt_u32(ev, 5), dt_flag(&openat2_flags, "RESOLVE_BENEATH") |
					    dt_flag(&openat2_flags, "RESOLVE_NO_SYMLINKS"));
	cr_assert_eq(dt_u32(ev, 6), dt_encode_dev(st1.st_dev));
	cr_assert_eq(dt_u64(ev, 7), st1.st_ino);

	ev = dt_find(&t, PPME_OPENAT2_E, 1);
	cr_assert_eq(dt_u32(ev, 2), PPM_O_WRONLY | PPM_O_CREAT | PPM_O_EXCL,
		     "whether it creates the file is known on exit only");
	cr_assert_eq(dt_u32(ev, 3), 0640);
	ev = dt_find(&t, PPME_OPENAT2_X, 1);
	cr_assert_eq(dt_s64(ev, 0), fd2);
	cr_assert_str_eq(dt_str(ev, 2), "made2");
	cr_assert_eq(dt_u32(ev, 3), PPM_O_WRONLY | PPM_O_CREAT | PPM_O_EXCL | PPM_O_F_CREATED);
	cr_assert_eq(dt_u32(ev, 4), 0640);
	cr_assert_eq(dt_u32(ev, 5), dt_flag(&openat2_flags, "RESOLVE_NO_XDEV") |
					    dt_flag(&openat2_flags, "RESOLVE_NO_MAGICLINKS"));
	cr_assert_eq(dt_u32(ev, 6), dt_encode_dev(st2.st_dev));
	cr_assert_eq(dt_u64(ev, 7), st2.st_ino);

	ev = dt_find(&t, PPME_OPENAT2_E, 2);
	cr_assert_eq(dt_s64(ev, 0), AT_FDCWD);
	cr_assert_str_eq(dt_str(ev, 1), "no/such/file");
	cr_assert_eq(dt_u32(ev, 2), PPM_O_RDWR | PPM_O_TRUNC);
	cr_assert_eq(dt_u32(ev, 4), dt_flag(&openat2_flags, "RESOLVE_IN_ROOT"));
	ev = dt_find(&t, PPME_OPENAT2_X, 2);
	cr_assert_eq(dt_s64(ev, 0), -ENOENT);
	cr_assert_eq(dt_s64(ev, 1), AT_FDCWD);
	cr_assert_str_eq(dt_str(ev, 2), "no/such/file");
	cr_assert_eq(dt_u32(ev, 3), PPM_O_RDWR | PPM_O_TRUNC);
	cr_assert_eq(dt_u32(ev, 4), 0);
	cr_assert_eq(dt_u32(ev, 5), dt_flag(&openat2_flags, "RESOLVE_IN_ROOT"));
	cr_assert_eq(dt_u32(ev, 6), 0);
	cr_assert_eq(dt_u64(ev, 7), 0);

	/* An unreadable struct open_how reads as zeros: O_RDONLY, no mode, no resolve. */
	ev = dt_find(&t, PPME_OPENAT2_E, 3);
	cr_assert_eq(dt_u32(ev, 2), PPM_O_RDONLY);
	cr_assert_eq(dt_u32(ev, 4), 0);
	ev = dt_find(&t, PPME_OPENAT2_X, 3);
	cr_assert_eq(dt_s64(ev, 0), -EFAULT);
	cr_assert_str_eq(dt_str(ev, 2), "existing2");
	cr_assert_eq(dt_u32(ev, 3), PPM_O_RDONLY);
	cr_assert_eq(dt_u32(ev, 4), 0);
	cr_assert_eq(dt_u32(ev, 5), 0);
	cr_assert_eq(dt_u64(ev, 7), 0);
	close((int)fd1);
	close((int)fd2);
	close(dirfd);
}

Test(fillers_io, pread)
{
	int fd = scratch_file("pread");
	const struct kcap_evt *ev;
	char buf[16];

	dt_start(&t, "pread");
	cr_assert_eq(syscall(SYS_pread64, fd, buf, 8, 4), 8);
	cr_assert_eq(syscall(SYS_pread64, fd, buf, 8, 1ULL << 40), 0);
	cr_assert_eq(syscall(SYS_pread64, 9999, buf, 6, 3), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_PREAD_E, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u32(ev, 1), 8);
	cr_assert_eq(dt_u64(ev, 2), 4);
	ev = dt_find(&t, PPME_PREAD_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 8);
	assert_bytes(ev, 1, "456789ab", 8);
	cr_assert_eq(dt_s64(ev, 2), fd);
	cr_assert_eq(dt_u32(ev, 3), 8);
	cr_assert_eq(dt_u64(ev, 4), 4);
	ev = dt_find(&t, PPME_PREAD_E, 1);
	cr_assert_eq(dt_u64(ev, 2), 1ULL << 40);
	ev = dt_find(&t, PPME_PREAD_X, 1);
	cr_assert_eq(dt_s64(ev, 0), 0);
	dt_empty(ev, 1);
	cr_assert_eq(dt_u64(ev, 4), 1ULL << 40);
	ev = dt_find(&t, PPME_PREAD_E, 2);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	cr_assert_eq(dt_u32(ev, 1), 6);
	cr_assert_eq(dt_u64(ev, 2), 3);
	ev = dt_find(&t, PPME_PREAD_X, 2);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	dt_empty(ev, 1);
	cr_assert_eq(dt_s64(ev, 2), 9999);
	cr_assert_eq(dt_u32(ev, 3), 6);
	cr_assert_eq(dt_u64(ev, 4), 3);
	close(fd);
}

Test(fillers_io, pwrite)
{
	int fd = scratch_file("pwrite");
	const struct kcap_evt *ev;
	char buf[16];

	dt_start(&t, "pwrite");
	cr_assert_eq(syscall(SYS_pwrite64, fd, "XYZ", 3, 2), 3);
	cr_assert_eq(syscall(SYS_pwrite64, 9999, "zz", 2, 7), -1);
	dt_stop(&t);
	cr_assert_eq(pread(fd, buf, 6, 0), 6);
	cr_assert(memcmp(buf, "01XYZ5", 6) == 0);
	ev = dt_find(&t, PPME_PWRITE_E, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u32(ev, 1), 3);
	cr_assert_eq(dt_u64(ev, 2), 2);
	ev = dt_find(&t, PPME_PWRITE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 3);
	assert_bytes(ev, 1, "XYZ", 3);
	cr_assert_eq(dt_s64(ev, 2), fd);
	cr_assert_eq(dt_u32(ev, 3), 3);
	cr_assert_eq(dt_u64(ev, 4), 2);
	ev = dt_find(&t, PPME_PWRITE_E, 1);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	cr_assert_eq(dt_u32(ev, 1), 2);
	cr_assert_eq(dt_u64(ev, 2), 7);
	ev = dt_find(&t, PPME_PWRITE_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	assert_bytes(ev, 1, "zz", 2);	/* a failed write still shows what it tried */
	cr_assert_eq(dt_s64(ev, 2), 9999);
	cr_assert_eq(dt_u32(ev, 3), 2);
	cr_assert_eq(dt_u64(ev, 4), 7);
	close(fd);
}

Test(fillers_io, readv)
{
	char a[5], b[3], c[32];
	struct iovec iov[3] = { { a, sizeof(a) }, { b, sizeof(b) }, { c, sizeof(c) } };
	const struct kcap_evt *ev;
	int p[2];

	memset(c, 'Z', sizeof(c));
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], "hello kcap world", 16), 16);
	dt_start(&t, "readv");
	cr_assert_eq(syscall(SYS_readv, p[0], iov, 3), 16);
	cr_assert_eq(syscall(SYS_readv, 9999, iov, 3), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_READV_E, 0);
	cr_assert_eq(dt_s64(ev, 0), p[0]);
	ev = dt_find(&t, PPME_READV_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 16);
	cr_assert_eq(dt_u32(ev, 1), 16, "size is what was read, not the buffers' 40 bytes");
	assert_bytes(ev, 2, "hello kcap world", 16);	/* no 'Z' of the unread rest */
	cr_assert_eq(dt_s64(ev, 3), p[0]);
	ev = dt_find(&t, PPME_READV_E, 1);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	ev = dt_find(&t, PPME_READV_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_u32(ev, 1), 0);
	dt_empty(ev, 2);
	cr_assert_eq(dt_s64(ev, 3), 9999);
	close(p[0]);
	close(p[1]);
}

Test(fillers_io, writev)
{
	struct iovec iov[3] = { { "ab", 2 }, { "cde", 3 }, { "fghi", 4 } };
	struct iovec holed[3] = { { "ab", 2 }, { (void *)8, 3 }, { "fghi", 4 } };
	const struct kcap_evt *ev;
	int fd = open("/dev/null", O_WRONLY);

	dt_start(&t, "writev");
	cr_assert_eq(syscall(SYS_writev, fd, iov, 3), 9);
	cr_assert_eq(syscall(SYS_writev, 9999, iov, 3), -1);
	/* /dev/null never reads the buffers: the call succeeds with a bad one. */
	cr_assert_eq(syscall(SYS_writev, fd, holed, 3), 9);
	dt_stop(&t);
	ev = dt_find(&t, PPME_WRITEV_E, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u32(ev, 1), 9);
	ev = dt_find(&t, PPME_WRITEV_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 9);
	assert_bytes(ev, 1, "abcdefghi", 9);
	cr_assert_eq(dt_s64(ev, 2), fd);
	cr_assert_eq(dt_u32(ev, 3), 9);
	ev = dt_find(&t, PPME_WRITEV_E, 1);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	cr_assert_eq(dt_u32(ev, 1), 9);
	ev = dt_find(&t, PPME_WRITEV_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	assert_bytes(ev, 1, "abcdefghi", 9);	/* what the caller passed */
	cr_assert_eq(dt_s64(ev, 2), 9999);
	cr_assert_eq(dt_u32(ev, 3), 9);
	ev = dt_find(&t, PPME_WRITEV_X, 2);
	assert_bytes(ev, 1, "ab", 2);	/* the data ends at the unreadable buffer */
	cr_assert_eq(dt_u32(ev, 3), 9);
	close(fd);
}

/* The data is cut at the snaplen (4096 in driver tests) and at 32 iovecs, as libs. */
Test(fillers_io, writev_bounds)
{
	static char big[2][3000], bytes[40];
	struct iovec two[2] = { { big[0], sizeof(big[0]) }, { big[1], sizeof(big[1]) } };
	struct iovec many[40];
	const struct kcap_evt *ev;
	int fd = open("/dev/null", O_WRONLY), i;

	memset(big[0], 'a', sizeof(big[0]));
	memset(big[1], 'b', sizeof(big[1]));
	for (i = 0; i < 40; i++) {
		bytes[i] = (char)('A' + i);
		many[i].iov_base = &bytes[i];
		many[i].iov_len = 1;
	}
	dt_start(&t, "writev");
	cr_assert_eq(syscall(SYS_writev, fd, two, 2), 6000);
	cr_assert_eq(syscall(SYS_writev, fd, many, 40), 40);
	dt_stop(&t);
	ev = dt_find(&t, PPME_WRITEV_X, 0);
	cr_assert_eq(ev->len[1], 4096);
	cr_assert(memcmp(ev->val[1], big[0], 3000) == 0);
	cr_assert(memcmp((const char *)ev->val[1] + 3000, big[1], 1096) == 0);
	cr_assert_eq(dt_u32(ev, 3), 6000);
	ev = dt_find(&t, PPME_WRITEV_E, 1);
	cr_assert_eq(dt_u32(ev, 1), 32, "only 32 iovecs are read");
	ev = dt_find(&t, PPME_WRITEV_X, 1);
	cr_assert_eq(dt_s64(ev, 0), 40);
	assert_bytes(ev, 1, bytes, 32);
	cr_assert_eq(dt_u32(ev, 3), 32);
	close(fd);
}

Test(fillers_io, lseek)
{
	int fd = scratch_file("lseek");
	const struct kcap_evt *ev;

	dt_start(&t, "lseek");
	cr_assert_eq(syscall(SYS_lseek, fd, 5, SEEK_SET), 5);
	cr_assert_eq(syscall(SYS_lseek, fd, -2L, SEEK_END), 14);
	cr_assert_eq(syscall(SYS_lseek, fd, 0, SEEK_DATA), 0);
	cr_assert_eq(syscall(SYS_lseek, 9999, 7, SEEK_CUR), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_LSEEK_E, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u64(ev, 1), 5);
	cr_assert_eq(dt_u8(ev, 2), dt_flag(&lseek_whence, "SEEK_SET"));
	ev = dt_find(&t, PPME_LSEEK_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 5);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_eq(dt_u64(ev, 2), 5);
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&lseek_whence, "SEEK_SET"));
	ev = dt_find(&t, PPME_LSEEK_E, 1);
	cr_assert_eq(dt_u64(ev, 1), (uint64_t)-2);
	cr_assert_eq(dt_u8(ev, 2), dt_flag(&lseek_whence, "SEEK_END"));
	ev = dt_find(&t, PPME_LSEEK_X, 1);
	cr_assert_eq(dt_s64(ev, 0), 14);
	cr_assert_eq(dt_u64(ev, 2), (uint64_t)-2);
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&lseek_whence, "SEEK_END"));
	ev = dt_find(&t, PPME_LSEEK_X, 2);
	cr_assert_eq(dt_u8(ev, 3), 0, "SEEK_DATA has no schema value");
	ev = dt_find(&t, PPME_LSEEK_E, 3);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	cr_assert_eq(dt_u64(ev, 1), 7);
	cr_assert_eq(dt_u8(ev, 2), dt_flag(&lseek_whence, "SEEK_CUR"));
	ev = dt_find(&t, PPME_LSEEK_X, 3);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_eq(dt_u64(ev, 2), 7);
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&lseek_whence, "SEEK_CUR"));
	close(fd);
}

Test(fillers_io, dup2)
{
	const struct kcap_evt *ev;

	close(200);
	dt_start(&t, "dup2");
	cr_assert_eq(syscall(SYS_dup2, 1, 200), 200);
	cr_assert_eq(syscall(SYS_dup2, 9999, 201), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_DUP2_E, 0);
	cr_assert_eq(dt_s64(ev, 0), 1);
	ev = dt_find(&t, PPME_DUP2_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 200);
	cr_assert_eq(dt_s64(ev, 1), 1);
	cr_assert_eq(dt_s64(ev, 2), 200);
	ev = dt_find(&t, PPME_DUP2_E, 1);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	ev = dt_find(&t, PPME_DUP2_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_eq(dt_s64(ev, 2), 201);
	close(200);
}

Test(fillers_io, dup3)
{
	const struct kcap_evt *ev;

	close(202);
	dt_start(&t, "dup3");
	cr_assert_eq(syscall(SYS_dup3, 1, 202, O_CLOEXEC), 202);
	cr_assert_eq(syscall(SYS_dup3, 1, 1, 0), -1);
	cr_assert_eq(syscall(SYS_dup3, 1, 203, O_CLOEXEC | O_NONBLOCK), -1);
	dt_stop(&t);
	ev = dt_find(&t, PPME_DUP3_E, 0);
	cr_assert_eq(dt_s64(ev, 0), 1);
	ev = dt_find(&t, PPME_DUP3_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 202);
	cr_assert_eq(dt_s64(ev, 1), 1);
	cr_assert_eq(dt_s64(ev, 2), 202);
	cr_assert_eq(dt_u32(ev, 3), PPM_O_CLOEXEC);
	ev = dt_find(&t, PPME_DUP3_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_s64(ev, 1), 1);
	cr_assert_eq(dt_s64(ev, 2), 1);
	cr_assert_eq(dt_u32(ev, 3), 0);
	ev = dt_find(&t, PPME_DUP3_X, 2);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_u32(ev, 3), PPM_O_CLOEXEC, "dup3 takes O_CLOEXEC only");
	close(202);
}

Test(fillers_io, fcntl)
{
	int fd = scratch_file("fcntl");
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	const struct kcap_evt *ev;
	long dupfd, seals;

	dt_start(&t, "fcntl");
	dupfd = syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 50);
	cr_assert_eq(syscall(SYS_fcntl, fd, F_SETFL, O_NONBLOCK), 0);
	cr_assert_eq(syscall(SYS_fcntl, fd, F_OFD_GETLK, &lk), 0);
	/* Seals exist on tmpfs files, not elsewhere: either way, the event says. */
	seals = syscall(SYS_fcntl, fd, F_GET_SEALS, 0);
	seals = seals < 0 ? -errno : seals;
	cr_assert_eq(syscall(SYS_fcntl, 9999, F_GETFD, 0), -1);
	dt_stop(&t);
	cr_assert_geq(dupfd, 50);
	ev = dt_find(&t, PPME_FCNTL_E, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u8(ev, 1), dt_flag(&fcntl_commands, "F_DUPFD_CLOEXEC"));
	ev = dt_find(&t, PPME_FCNTL_X, 0);
	cr_assert_eq(dt_s64(ev, 0), dupfd);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_eq(dt_u8(ev, 2), dt_flag(&fcntl_commands, "F_DUPFD_CLOEXEC"));
	cr_assert_eq(dt_u64(ev, 3), 50);
	ev = dt_find(&t, PPME_FCNTL_X, 1);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u8(ev, 2), dt_flag(&fcntl_commands, "F_SETFL"));
	cr_assert_eq(dt_u64(ev, 3), O_NONBLOCK, "arg is the raw argument");
	ev = dt_find(&t, PPME_FCNTL_E, 2);
	cr_assert_eq(dt_u8(ev, 1), dt_flag(&fcntl_commands, "F_OFD_GETLK"));
	ev = dt_find(&t, PPME_FCNTL_X, 2);
	cr_assert_eq(dt_u8(ev, 2), dt_flag(&fcntl_commands, "F_OFD_GETLK"));
	cr_assert_eq(dt_u64(ev, 3), (uint64_t)(uintptr_t)&lk);
	ev = dt_find(&t, PPME_FCNTL_X, 3);
	cr_assert_eq(dt_s64(ev, 0), seals);
	cr_assert_eq(dt_u8(ev, 2), dt_flag(&fcntl_commands, "UNKNOWN"),
		     "F_GET_SEALS has no schema value");
	ev = dt_find(&t, PPME_FCNTL_E, 4);
	cr_assert_eq(dt_s64(ev, 0), 9999);
	cr_assert_eq(dt_u8(ev, 1), dt_flag(&fcntl_commands, "F_GETFD"));
	ev = dt_find(&t, PPME_FCNTL_X, 4);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_eq(dt_u8(ev, 2), dt_flag(&fcntl_commands, "F_GETFD"));
	cr_assert_eq(dt_u64(ev, 3), 0);
	close((int)dupfd);
	close(fd);
}

Test(fillers_io, pipe)
{
	const struct kcap_evt *ev;
	struct stat st;
	int p[2];

	dt_start(&t, "pipe");
	cr_assert_eq(syscall(SYS_pipe, p), 0);
	cr_assert_eq(syscall(SYS_pipe, NULL), -1);
	dt_stop(&t);
	cr_assert_eq(fstat(p[1], &st), 0);
	ev = dt_find(&t, PPME_PIPE_E, 0);
	cr_assert_eq(ev->nparams, 0);
	ev = dt_find(&t, PPME_PIPE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), p[0]);
	cr_assert_eq(dt_s64(ev, 2), p[1]);
	cr_assert_eq(dt_u64(ev, 3), st.st_ino, "both ends are the pipe's inode");
	ev = dt_find(&t, PPME_PIPE_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EFAULT);
	cr_assert_eq(dt_s64(ev, 1), -1);
	cr_assert_eq(dt_s64(ev, 2), -1);
	cr_assert_eq(dt_u64(ev, 3), 0);
	close(p[0]);
	close(p[1]);
}

Test(fillers_io, pipe2)
{
	const struct kcap_evt *ev;
	struct stat st1, st2;
	int p[2], q[2], r[2] = { 7, 8 };

	dt_start(&t, "pipe2");
	cr_assert_eq(syscall(SYS_pipe2, p, O_CLOEXEC | O_NONBLOCK), 0);
	cr_assert_eq(syscall(SYS_pipe2, q, O_DIRECT), 0);
	cr_assert_eq(syscall(SYS_pipe2, r, O_RDWR), -1);
	dt_stop(&t);
	cr_assert_eq(fstat(p[0], &st1), 0);
	cr_assert_eq(fstat(q[0], &st2), 0);
	ev = dt_find(&t, PPME_PIPE2_E, 0);
	cr_assert_eq(ev->nparams, 0);
	ev = dt_find(&t, PPME_PIPE2_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), p[0]);
	cr_assert_eq(dt_s64(ev, 2), p[1]);
	cr_assert_eq(dt_u64(ev, 3), st1.st_ino);
	cr_assert_eq(dt_u32(ev, 4), PPM_O_CLOEXEC | PPM_O_NONBLOCK);
	ev = dt_find(&t, PPME_PIPE2_X, 1);
	cr_assert_eq(dt_s64(ev, 1), q[0]);
	cr_assert_eq(dt_s64(ev, 2), q[1]);
	cr_assert_eq(dt_u64(ev, 3), st2.st_ino);
	cr_assert_eq(dt_u32(ev, 4), PPM_O_DIRECT);
	ev = dt_find(&t, PPME_PIPE2_X, 2);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_s64(ev, 1), -1, "the array's old 7 is no fd of this call");
	cr_assert_eq(dt_s64(ev, 2), -1);
	cr_assert_eq(dt_u64(ev, 3), 0);
	cr_assert_eq(dt_u32(ev, 4), 0, "O_RDWR has no pipe2 value");
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

#define IA32_READ 3
#define IA32_WRITE 4
#define IA32_LSEEK 19
#define IA32_LLSEEK 140
#define IA32_PREAD64 180
#define IA32_PWRITE64 181
#define IA32_READV 145
#define IA32_WRITEV 146

/* ia32 read is syscall 3, x86_64 read is 0: a map entry the schema JSON lost. */
Test(fillers_io, read_write_ia32)
{
	char *m = dt_ia32_page();
	const struct kcap_evt *ev;
	int p[2];

	cr_assert_eq(pipe(p), 0);
	memcpy(m, "ia32 read", 9);
	dt_start(&t, "read,write");
	cr_assert_eq(dt_int80(IA32_WRITE, p[1], (long)(uintptr_t)m, 9), 9);
	cr_assert_eq(dt_int80(IA32_READ, p[0], (long)(uintptr_t)(m + 64), 32), 9);
	dt_stop(&t);
	ev = dt_find(&t, PPME_WRITE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 9);
	assert_bytes(ev, 1, "ia32 read", 9);
	ev = dt_find(&t, PPME_READ_E, 0);
	cr_assert_eq(dt_s64(ev, 0), p[0]);
	cr_assert_eq(dt_u32(ev, 1), 32);
	ev = dt_find(&t, PPME_READ_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 9);
	assert_bytes(ev, 1, "ia32 read", 9);
	cr_assert_eq(dt_s64(ev, 2), p[0]);
	cr_assert_eq(dt_u32(ev, 3), 32);
	close(p[0]);
	close(p[1]);
	munmap(m, 4096);
}

/*
 * An ia32 caller passes a 64-bit offset in two registers (pread64, pwrite64;
 * _llseek, high half first, which maps to lseek), and lseek's offset is a
 * signed 32-bit value: the events carry the offsets an x86_64 caller's would.
 */
Test(fillers_io, offsets_ia32)
{
	uint32_t *m = dt_ia32_page();
	const uint64_t at = 0x100000003ull;	/* past 4 GiB: the high half counts */
	const struct kcap_evt *ev;
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/offsets_ia32", dt_scratch_dir());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	memcpy(m, "hello", 5);
	dt_start(&t, "pread,pwrite,lseek");
	cr_assert_eq(dt_int80_6(IA32_PWRITE64, fd, (long)(uintptr_t)m, 5, (uint32_t)at, at >> 32, 0),
		     5);
	cr_assert_eq(dt_int80_6(IA32_PREAD64, fd, (long)(uintptr_t)(m + 16), 5, (uint32_t)at,
				at >> 32, 0), 5);
	cr_assert_eq(dt_int80_6(IA32_LLSEEK, fd, 1, 7, (long)(uintptr_t)(m + 32), SEEK_SET, 0), 0);
	cr_assert_eq(*(uint64_t *)(m + 32), 0x100000007ull);
	cr_assert_eq(dt_int80(IA32_LSEEK, fd, 0, SEEK_SET), 0);
	cr_assert_eq(dt_int80(IA32_LSEEK, fd, (uint32_t)-2, SEEK_CUR), -EINVAL);
	dt_stop(&t);
	ev = dt_find(&t, PPME_PWRITE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 5);
	assert_bytes(ev, 1, "hello", 5);
	cr_assert_eq(dt_u64(ev, 4), at);
	ev = dt_find(&t, PPME_PREAD_E, 0);
	cr_assert_eq(dt_u64(ev, 2), at);
	ev = dt_find(&t, PPME_PREAD_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 5);
	assert_bytes(ev, 1, "hello", 5);
	cr_assert_eq(dt_s64(ev, 2), fd);
	cr_assert_eq(dt_u32(ev, 3), 5);
	cr_assert_eq(dt_u64(ev, 4), at);
	ev = dt_find(&t, PPME_LSEEK_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_eq(dt_u64(ev, 2), 0x100000007ull);
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&lseek_whence, "SEEK_SET"));
	ev = dt_find(&t, PPME_LSEEK_X, 2);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_u64(ev, 2), (uint64_t)-2);
	cr_assert_eq(dt_u8(ev, 3), dt_flag(&lseek_whence, "SEEK_CUR"));
	close(fd);
	unlink(path);
	munmap(m, 4096);
}

/*
 * A 32-bit caller's iovecs are 8 bytes (struct compat_iovec): 12 bytes
 * written in two of them are size 12 and their data, not a 16-byte entry's
 * garbage.
 */
Test(fillers_io, readv_writev_ia32)
{
	uint8_t *m = dt_ia32_page();
	uint32_t *iov = (uint32_t *)m, *riov = (uint32_t *)(m + 64);
	char *data = (char *)m + 256, *rbuf = (char *)m + 512;
	const struct kcap_evt *ev;
	int p[2];

	cr_assert_eq(pipe(p), 0);
	memcpy(data, "ia32 writev!", 12);
	iov[0] = (uint32_t)(uintptr_t)data;
	iov[1] = 5;
	iov[2] = (uint32_t)(uintptr_t)(data + 5);
	iov[3] = 7;
	riov[0] = (uint32_t)(uintptr_t)rbuf;
	riov[1] = 4;
	riov[2] = (uint32_t)(uintptr_t)(rbuf + 4);
	riov[3] = 60;
	dt_start(&t, "readv,writev");
	cr_assert_eq(dt_int80(IA32_WRITEV, p[1], (long)(uintptr_t)iov, 2), 12);
	cr_assert_eq(dt_int80(IA32_READV, p[0], (long)(uintptr_t)riov, 2), 12);
	dt_stop(&t);
	ev = dt_find(&t, PPME_WRITEV_E, 0);
	cr_assert_eq(dt_s64(ev, 0), p[1]);
	cr_assert_eq(dt_u32(ev, 1), 12);
	ev = dt_find(&t, PPME_WRITEV_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 12);
	assert_bytes(ev, 1, "ia32 writev!", 12);
	cr_assert_eq(dt_s64(ev, 2), p[1]);
	cr_assert_eq(dt_u32(ev, 3), 12);
	ev = dt_find(&t, PPME_READV_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 12);
	cr_assert_eq(dt_u32(ev, 1), 12);
	assert_bytes(ev, 2, "ia32 writev!", 12);
	cr_assert_eq(dt_s64(ev, 3), p[0]);
	close(p[0]);
	close(p[1]);
	munmap(m, 4096);
}

/* flock's operation flags and close_range's range and flags. */
Test(fillers_io, flock_close_range)
{
	const uint32_t ex_nb = dt_flag(&flock_flags, "LOCK_EX") | dt_flag(&flock_flags, "LOCK_NB");
	const struct kcap_evt *ev;
	int fd = scratch_file("flock"), hi;
	long cloexec;

	hi = dup2(fd, 900);
	cr_assert_eq(hi, 900);
	cr_assert_eq(dup2(fd, 901), 901);
	dt_start(&t, "flock,close_range");
	cr_assert_eq(syscall(SYS_flock, fd, LOCK_EX | LOCK_NB), 0);
	cr_assert_eq(dt_res(syscall(SYS_flock, 9999, LOCK_UN)), -EBADF);
	cloexec = dt_res(syscall(SYS_close_range, 900, 901, CLOSE_RANGE_CLOEXEC));	/* 5.11 on */
	cr_assert_eq(syscall(SYS_close_range, 900, 901, 0), 0);
	dt_stop(&t);
	cr_assert(cloexec == 0 || cloexec == -EINVAL, "close_range CLOEXEC: %ld", cloexec);
	ev = dt_find(&t, PPME_FLOCK_E, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u32(ev, 1), ex_nb);
	ev = dt_find(&t, PPME_FLOCK_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), fd);
	cr_assert_eq(dt_u32(ev, 2), ex_nb);
	ev = dt_find(&t, PPME_FLOCK_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&flock_flags, "LOCK_UN"));
	ev = dt_find(&t, PPME_CLOSE_RANGE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), cloexec);
	cr_assert_eq(dt_u32(ev, 1), 900);
	cr_assert_eq(dt_u32(ev, 2), 901);
	cr_assert_eq(dt_u32(ev, 3), dt_flag(&close_range_flags, "CLOSE_RANGE_CLOEXEC"));
	ev = dt_find(&t, PPME_CLOSE_RANGE_X, 1);
	cr_assert_eq(dt_u32(ev, 3), 0);
	cr_assert_eq(fcntl(900, F_GETFD), -1, "closed by the second call");
	cr_assert_eq(dt_count(&t, PPME_NA_450_E) + dt_count(&t, PPME_GENERIC_E), 0,
		     "close_range has no enter event");
	close(fd);
}

/*
 * The ioctl exit on fd: the module's engine turns capture on by ioctl, and
 * that exit is this thread's too.
 */
static const struct kcap_evt *ioctl_exit(int fd)
{
	int i;

	for (i = 0; i < dt_count(&t, PPME_IOCTL_X); i++)
		if (dt_s64(dt_find(&t, PPME_IOCTL_X, i), 1) == fd)
			return dt_find(&t, PPME_IOCTL_X, i);
	cr_assert_fail("no ioctl exit on fd %d", fd);
	return NULL;
}

/* ioctl's three arguments as given; getdents and getdents64's fd. */
Test(fillers_io, ioctl_getdents)
{
	const struct kcap_evt *ev;
	char dents[4096];
	int p[2], n = -1, dir = open(dt_scratch_dir(), O_RDONLY | O_DIRECTORY);
	long d64, d;

	cr_assert_geq(dir, 0);
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], "abc", 3), 3);
	dt_start(&t, "ioctl,getdents,getdents64");
	cr_assert_eq(syscall(SYS_ioctl, p[0], FIONREAD, &n), 0);
	cr_assert_eq(dt_res(syscall(SYS_ioctl, 9999, FIONREAD, 0)), -EBADF);
	d64 = dt_res(syscall(SYS_getdents64, dir, dents, sizeof(dents)));
	d = dt_res(syscall(SYS_getdents, dir, dents, sizeof(dents)));
	dt_stop(&t);
	cr_assert_eq(n, 3);
	ev = dt_find(&t, PPME_IOCTL_E, 0);
	cr_assert_eq(dt_s64(ev, 0), p[0]);
	cr_assert_eq(dt_u64(ev, 1), FIONREAD);
	cr_assert_eq(dt_u64(ev, 2), (uintptr_t)&n);
	ev = ioctl_exit(p[0]);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), p[0]);
	cr_assert_eq(dt_u64(ev, 2), FIONREAD);
	cr_assert_eq(dt_u64(ev, 3), (uintptr_t)&n);
	ev = ioctl_exit(9999);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 9999);
	cr_assert_eq(dt_u64(ev, 3), 0);
	cr_assert_gt(d64, 0);
	cr_assert_eq(dt_s64(dt_find(&t, PPME_GETDENTS64_E, 0), 0), dir);
	ev = dt_find(&t, PPME_GETDENTS64_X, 0);
	cr_assert_eq(dt_s64(ev, 0), d64);
	cr_assert_eq(dt_s64(ev, 1), dir);
	ev = dt_find(&t, PPME_GETDENTS_X, 0);
	cr_assert_eq(dt_s64(ev, 0), d, "the second read of the directory: at its end");
	cr_assert_eq(dt_s64(ev, 1), dir);
	close(dir);
	close(p[0]);
	close(p[1]);
}

/* sendfile's offset where it starts and where it ends; splice and copy_file_range's arguments. */
Test(fillers_io, sendfile_splice_copy_file_range)
{
	const uint32_t move = dt_flag(&splice_flags, "SPLICE_F_MOVE");
	int in = scratch_file("sendfile_in"), out = scratch_file("sendfile_out"), p[2];
	loff_t off = 4, offin = 0, offout = 8;
	const struct kcap_evt *ev;

	cr_assert_eq(pipe(p), 0);
	dt_start(&t, "sendfile,splice,copy_file_range");
	cr_assert_eq(syscall(SYS_sendfile, p[1], in, &off, 6), 6);
	cr_assert_eq(syscall(SYS_splice, p[0], NULL, out, NULL, 6, SPLICE_F_MOVE), 6);
	cr_assert_eq(syscall(SYS_copy_file_range, in, &offin, out, &offout, 4, 0), 4);
	dt_stop(&t);
	ev = dt_find(&t, PPME_SENDFILE_E, 0);
	cr_assert_eq(dt_s64(ev, 0), p[1]);
	cr_assert_eq(dt_s64(ev, 1), in);
	cr_assert_eq(dt_u64(ev, 2), 4);
	cr_assert_eq(dt_u64(ev, 3), 6);
	ev = dt_find(&t, PPME_SENDFILE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 6);
	cr_assert_eq(dt_u64(ev, 1), 10, "the offset it moved to");
	cr_assert_eq(dt_s64(ev, 2), p[1]);
	cr_assert_eq(dt_s64(ev, 3), in);
	cr_assert_eq(dt_u64(ev, 4), 6);
	ev = dt_find(&t, PPME_SPLICE_E, 0);
	cr_assert_eq(dt_s64(ev, 0), p[0]);
	cr_assert_eq(dt_s64(ev, 1), out);
	cr_assert_eq(dt_u64(ev, 2), 6);
	cr_assert_eq(dt_u32(ev, 3), move);
	ev = dt_find(&t, PPME_SPLICE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 6);
	cr_assert_eq(dt_s64(ev, 1), p[0]);
	cr_assert_eq(dt_s64(ev, 2), out);
	cr_assert_eq(dt_u64(ev, 3), 6);
	cr_assert_eq(dt_u32(ev, 4), move);
	ev = dt_find(&t, PPME_COPY_FILE_RANGE_E, 0);
	cr_assert_eq(dt_s64(ev, 0), in);
	cr_assert_eq(dt_u64(ev, 1), (uintptr_t)&offin);
	cr_assert_eq(dt_u64(ev, 2), 4);
	ev = dt_find(&t, PPME_COPY_FILE_RANGE_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 4);
	cr_assert_eq(dt_s64(ev, 1), out);
	cr_assert_eq(dt_u64(ev, 2), (uintptr_t)&offout);
	cr_assert_eq(dt_s64(ev, 3), in);
	cr_assert_eq(dt_u64(ev, 4), (uintptr_t)&offin);
	cr_assert_eq(dt_u64(ev, 5), 4);
	close(in);
	close(out);
	close(p[0]);
	close(p[1]);
}

/* epoll_wait's maxevents. */
Test(fillers_io, epoll_wait)
{
	struct epoll_event evs[4];
	const struct kcap_evt *ev;
	int ep = epoll_create1(0);

	cr_assert_geq(ep, 0);
	dt_start(&t, "epoll_wait");
	cr_assert_eq(syscall(SYS_epoll_wait, ep, evs, 4, 0), 0);
	cr_assert_eq(dt_res(syscall(SYS_epoll_wait, 9999, evs, 2, 0)), -EBADF);
	dt_stop(&t);
	cr_assert_eq(dt_s64(dt_find(&t, PPME_EPOLL_WAIT_E, 0), 0), 4);
	ev = dt_find(&t, PPME_EPOLL_WAIT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), 4);
	ev = dt_find(&t, PPME_EPOLL_WAIT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_s64(ev, 1), 2);
	close(ep);
}

#define IA32_PREADV 333
#define IA32_PWRITEV 334

/*
 * preadv and pwritev: readv's and writev's parameters and the offset, from
 * an x86_64 caller and from an ia32 one, whose offset past 4 GiB comes in two
 * registers and whose iovecs are 8 bytes.
 */
Test(fillers_io, preadv_pwritev)
{
	uint32_t *m = dt_ia32_page(), *iov32 = m;
	char *data = (char *)(m + 64), *rbuf = (char *)(m + 128);
	const uint64_t far = 0x100000002ull;
	struct iovec wv[2] = { { "hello ", 6 }, { "kcap", 4 } }, rv[1] = { { rbuf, 64 } };
	const struct kcap_evt *ev;
	int fd = scratch_file("preadv");

	memcpy(data, "ia32 pwritev", 12);
	memcpy(iov32, (uint32_t[]){ (uint32_t)(uintptr_t)data, 5, (uint32_t)(uintptr_t)(data + 5),
				    7 }, 16);
	dt_start(&t, "preadv,pwritev");
	cr_assert_eq(syscall(SYS_pwritev, fd, wv, 2, 100, 0), 10);
	cr_assert_eq(syscall(SYS_preadv, fd, rv, 1, 100, 0), 10);
	cr_assert_eq(dt_int80_6(IA32_PWRITEV, fd, (long)(uintptr_t)iov32, 2, (uint32_t)far,
				far >> 32, 0), 12);
	cr_assert_eq(dt_res(syscall(SYS_preadv, 9999, rv, 1, 7, 0)), -EBADF);
	dt_stop(&t);
	ev = dt_find(&t, PPME_PWRITEV_E, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u32(ev, 1), 10);
	cr_assert_eq(dt_u64(ev, 2), 100);
	ev = dt_find(&t, PPME_PWRITEV_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 10);
	assert_bytes(ev, 1, "hello kcap", 10);
	cr_assert_eq(dt_s64(ev, 2), fd);
	cr_assert_eq(dt_u32(ev, 3), 10);
	cr_assert_eq(dt_u64(ev, 4), 100);
	ev = dt_find(&t, PPME_PREADV_E, 0);
	cr_assert_eq(dt_s64(ev, 0), fd);
	cr_assert_eq(dt_u64(ev, 1), 100);
	ev = dt_find(&t, PPME_PREADV_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 10);
	cr_assert_eq(dt_u32(ev, 1), 10);
	assert_bytes(ev, 2, "hello kcap", 10);
	cr_assert_eq(dt_s64(ev, 3), fd);
	cr_assert_eq(dt_u64(ev, 4), 100);
	ev = dt_find(&t, PPME_PWRITEV_X, 1);
	cr_assert_eq(dt_s64(ev, 0), 12);
	assert_bytes(ev, 1, "ia32 pwritev", 12);
	cr_assert_eq(dt_u32(ev, 3), 12);
	cr_assert_eq(dt_u64(ev, 4), far);
	ev = dt_find(&t, PPME_PREADV_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_u32(ev, 1), 0);
	dt_empty(ev, 2);
	cr_assert_eq(dt_s64(ev, 3), 9999);
	cr_assert_eq(dt_u64(ev, 4), 7);
	close(fd);
}

/* An FDLIST parameter: u16 count, then (s64 fd, u16 flags) each. */
static void assert_fdlist(const struct kcap_evt *ev, uint32_t i, int n, const int64_t *fds,
			  const uint16_t *flags)
{
	uint16_t count, fl;
	int64_t fd;
	int k;

	cr_assert_eq(ev->len[i], 2 + 10 * n, "param %u: %u bytes", i, ev->len[i]);
	memcpy(&count, ev->val[i], 2);
	cr_assert_eq(count, n);
	for (k = 0; k < n; k++) {
		memcpy(&fd, ev->val[i] + 2 + 10 * k, 8);
		memcpy(&fl, ev->val[i] + 10 + 10 * k, 2);
		cr_assert_eq(fd, fds[k], "entry %d: fd %lld", k, (long long)fd);
		cr_assert_eq(fl, flags[k], "entry %d: flags %#x, want %#x", k, fl, flags[k]);
	}
}

static uint16_t poll_flag(const char *a, const char *b)
{
	return (uint16_t)(dt_flag(&poll_flags, a) | (b ? dt_flag(&poll_flags, b) : 0));
}

/*
 * poll and ppoll: the events asked on enter, returned on exit (a readable
 * pipe, a writable one, an fd that is not open), the timeout, the mask.
 */
Test(fillers_io, poll_ppoll)
{
	struct timespec ts = { 1, 5 };
	const struct kcap_evt *ev;
	struct pollfd fds[3];
	int64_t want_fd[3];
	uint16_t asked[3], got[3];
	sigset_t mask;
	int p[2];

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], "x", 1), 1);
	fds[0] = (struct pollfd){ p[0], POLLIN | POLLRDNORM, 0 };
	fds[1] = (struct pollfd){ p[1], POLLOUT | POLLWRNORM | POLLRDHUP, 0 };
	fds[2] = (struct pollfd){ 9999, POLLIN | POLLPRI, 0 };
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	dt_start(&t, "poll,ppoll");
	cr_assert_eq(syscall(SYS_poll, fds, 3, 100), 3);
	cr_assert_eq(syscall(SYS_ppoll, fds, 1, &ts, &mask, 8), 1);
	cr_assert_eq(syscall(SYS_ppoll, fds, 1, NULL, NULL, 8), 1);
	cr_assert_eq(dt_res(syscall(SYS_poll, (void *)8, 1, 0)), -EFAULT);
	dt_stop(&t);
	cr_assert_eq(fds[0].revents, POLLIN | POLLRDNORM);
	cr_assert_eq(fds[1].revents, POLLOUT | POLLWRNORM);
	cr_assert_eq(fds[2].revents, POLLNVAL);
	want_fd[0] = p[0];
	want_fd[1] = p[1];
	want_fd[2] = 9999;
	asked[0] = poll_flag("POLLIN", "POLLRDNORM");
	asked[1] = poll_flag("POLLOUT", "POLLRDHUP") | poll_flag("POLLWRNORM", NULL);
	asked[2] = poll_flag("POLLIN", "POLLPRI");
	got[0] = poll_flag("POLLIN", "POLLRDNORM");
	got[1] = poll_flag("POLLOUT", "POLLWRNORM");
	got[2] = poll_flag("POLLNVAL", NULL);
	ev = dt_find(&t, PPME_POLL_E, 0);
	assert_fdlist(ev, 0, 3, want_fd, asked);
	cr_assert_eq(dt_s64(ev, 1), 100);
	ev = dt_find(&t, PPME_POLL_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 3);
	assert_fdlist(ev, 1, 3, want_fd, got);
	cr_assert_eq(dt_s64(ev, 2), 100);
	ev = dt_find(&t, PPME_POLL_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EFAULT);
	assert_fdlist(ev, 1, 0, NULL, NULL);
	ev = dt_find(&t, PPME_PPOLL_E, 0);
	assert_fdlist(ev, 0, 1, want_fd, asked);
	cr_assert_eq(dt_u64(ev, 1), 1000000005ull);
	cr_assert_eq(dt_u32(ev, 2), 1u << (SIGUSR1 - 1));
	ev = dt_find(&t, PPME_PPOLL_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 1);
	assert_fdlist(ev, 1, 1, want_fd, got);
	cr_assert(dt_u64(ev, 2) > 0 && dt_u64(ev, 2) <= 1000000005ull,
		  "the time left, which the kernel writes back: %llu",
		  (unsigned long long)dt_u64(ev, 2));
	cr_assert_eq(dt_u32(ev, 3), 1u << (SIGUSR1 - 1));
	ev = dt_find(&t, PPME_PPOLL_X, 1);
	cr_assert_eq(dt_u64(ev, 2), UINT64_MAX, "no timeout: it waits for ever");
	cr_assert_eq(dt_u32(ev, 3), 0);
	close(p[0]);
	close(p[1]);
}

/* More fds than the parameter holds: the first KCAP_FDLIST_MAX (12). */
Test(fillers_io, poll_many_fds)
{
	struct pollfd fds[20];
	const struct kcap_evt *ev;
	uint16_t count;
	int i;

	for (i = 0; i < 20; i++)
		fds[i] = (struct pollfd){ -1, POLLIN, 0 };
	dt_start(&t, "poll");
	cr_assert_eq(syscall(SYS_poll, fds, 20, 0), 0);
	dt_stop(&t);
	ev = dt_find(&t, PPME_POLL_X, 0);
	cr_assert_eq(ev->len[1], 2 + 10 * 12);
	memcpy(&count, ev->val[1], 2);
	cr_assert_eq(count, 12);
}
