// SPDX-License-Identifier: MIT
/*
 * Driver tests of memory-mapping syscalls: capture one real syscall, success and failure,
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "driver_test.h"
#include "flag_conv.h"

#ifndef PROT_SEM
#define PROT_SEM 0x8	/* asm-generic/mman-common.h; glibc leaves it out */
#endif

static struct dt t;

static void fini(void)
{
	dt_close(&t);
}

TestSuite(fillers_mem, .fini = fini);

struct vm {
	uint32_t size, rss, swap;	/* KiB, as in /proc/self/status */
};

static uint32_t status_field(const char *status, const char *name)
{
	const char *p = strstr(status, name);

	cr_assert_not_null(p, "no %s in /proc/self/status", name);
	return (uint32_t)strtoul(p + strlen(name), NULL, 10);
}

/*
 * The memory counters of this process now. Raw syscalls and a static
 * buffer, touched beforehand: no allocation, no new stack or heap page.
 */
static struct vm proc_vm(void)
{
	static char buf[8192];
	struct vm vm;
	long fd, n;

	fd = syscall(SYS_open, "/proc/self/status", O_RDONLY);
	cr_assert_geq(fd, 0);
	n = syscall(SYS_read, fd, buf, sizeof(buf) - 1);
	syscall(SYS_close, fd);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	vm.size = status_field(buf, "VmSize:");
	vm.rss = status_field(buf, "VmRSS:");
	vm.swap = status_field(buf, "VmSwap:");
	return vm;
}

/*
 * Slack of the rss counters. They are per-CPU: the driver, like libs, reads
 * their global part only, where /proc sums the per-CPU parts too, so the two
 * may differ by what each CPU has not folded in yet (less than a batch).
 */
static int64_t rss_slack_kib(void)
{
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);
	long batch = ncpus * 2 > 32 ? ncpus * 2 : 32;

	return 3 * ncpus * batch * (sysconf(_SC_PAGESIZE) / 1024);
}

/* The driver reads the counters at the syscall's exit, /proc right after. */
static void check_vm(const struct kcap_evt *ev, uint32_t i, struct vm proc)
{
	cr_log_info("vm_size %u/%u vm_rss %u/%u vm_swap %u/%u KiB (driver/proc)",
		    dt_u32(ev, i), proc.size, dt_u32(ev, i + 1), proc.rss,
		    dt_u32(ev, i + 2), proc.swap);
	cr_assert_eq(dt_u32(ev, i), proc.size);
	cr_assert_leq(llabs((int64_t)dt_u32(ev, i + 1) - proc.rss), rss_slack_kib());
	cr_assert_leq(llabs((int64_t)dt_u32(ev, i + 2) - proc.swap), rss_slack_kib());
}

#define PROT_RW (dt_flag(&prot_flags, "PROT_READ") | dt_flag(&prot_flags, "PROT_WRITE"))

Test(fillers_mem, mmap)
{
	const unsigned long len = 8 << 20;	/* well above the rss slack */
	const uint32_t anon = dt_flag(&mmap_flags, "MAP_PRIVATE") | dt_flag(&mmap_flags, "MAP_ANONYMOUS") |
			      dt_flag(&mmap_flags, "MAP_POPULATE");
	struct vm before, after;
	const struct kcap_evt *ev;
	long p;

	proc_vm();	/* faults its buffer in */
	dt_start(&t, "mmap");
	before = proc_vm();
	p = syscall(SYS_mmap, 0, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	after = proc_vm();
	cr_assert_neq(p, -1);
	cr_assert_eq(syscall(SYS_mmap, 0, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, 9999, 8192), -1);
	dt_stop(&t);

	ev = dt_find(&t, PPME_MMAP_E, 0);
	cr_assert_eq(dt_u64(ev, 0), 0);
	cr_assert_eq(dt_u64(ev, 1), len);
	cr_assert_eq(dt_u32(ev, 2), PROT_RW);
	cr_assert_eq(dt_u32(ev, 3), anon);
	cr_assert_eq(dt_s64(ev, 4), -1);
	cr_assert_eq(dt_u64(ev, 5), 0);
	ev = dt_find(&t, PPME_MMAP_X, 0);
	cr_assert_eq(dt_s64(ev, 0), p);
	check_vm(ev, 1, after);
	cr_assert_eq(dt_u32(ev, 1) - before.size, len / 1024, "the new mapping counts");
	cr_assert_geq(dt_u32(ev, 2), before.rss + len / 1024 - rss_slack_kib(),
		      "its populated pages count");
	cr_assert_eq(dt_u64(ev, 4), 0);
	cr_assert_eq(dt_u64(ev, 5), len);
	cr_assert_eq(dt_u32(ev, 6), PROT_RW);
	cr_assert_eq(dt_u32(ev, 7), anon);
	cr_assert_eq(dt_s64(ev, 8), -1);
	cr_assert_eq(dt_u64(ev, 9), 0);

	ev = dt_find(&t, PPME_MMAP_E, 1);
	cr_assert_eq(dt_u64(ev, 0), 0);
	cr_assert_eq(dt_u64(ev, 1), 4096);
	cr_assert_eq(dt_u32(ev, 2), dt_flag(&prot_flags, "PROT_READ") | dt_flag(&prot_flags, "PROT_EXEC"));
	cr_assert_eq(dt_u32(ev, 3), dt_flag(&mmap_flags, "MAP_SHARED"));
	cr_assert_eq(dt_s64(ev, 4), 9999);
	cr_assert_eq(dt_u64(ev, 5), 8192);
	ev = dt_find(&t, PPME_MMAP_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EBADF);
	cr_assert_eq(dt_u32(ev, 1), after.size, "nothing mapped");
	cr_assert_eq(dt_u64(ev, 4), 0);
	cr_assert_eq(dt_u64(ev, 5), 4096);
	cr_assert_eq(dt_u32(ev, 6), dt_flag(&prot_flags, "PROT_READ") | dt_flag(&prot_flags, "PROT_EXEC"));
	cr_assert_eq(dt_u32(ev, 7), dt_flag(&mmap_flags, "MAP_SHARED"));
	cr_assert_eq(dt_s64(ev, 8), 9999);
	cr_assert_eq(dt_u64(ev, 9), 8192);
	munmap((void *)p, len);
}

#define IA32_OLD_MMAP 90
#define IA32_MMAP2 192

/* The mmap parameters of event ev from index i on (the exit's start at 4). */
static void assert_mmap_args(const struct kcap_evt *ev, uint32_t i, uint32_t len, uint32_t flags,
			     int fd, uint64_t offset)
{
	cr_assert_eq(dt_u64(ev, i), 0);
	cr_assert_eq(dt_u64(ev, i + 1), len);
	cr_assert_eq(dt_u32(ev, i + 2), dt_flag(&prot_flags, "PROT_READ"));
	cr_assert_eq(dt_u32(ev, i + 3), flags);
	cr_assert_eq(dt_s64(ev, i + 4), fd);
	cr_assert_eq(dt_u64(ev, i + 5), offset, "offset %llu, want %llu",
		     (unsigned long long)dt_u64(ev, i + 5), (unsigned long long)offset);
}

/*
 * ia32's mmap2 gives the offset in 4096-byte pages, and old_mmap its six
 * arguments in a struct it points to: both map to mmap, whose events carry
 * the offset in bytes and the arguments themselves.
 */
Test(fillers_mem, mmap_ia32)
{
	uint32_t *args = dt_ia32_page();
	const uint32_t shared = dt_flag(&mmap_flags, "MAP_SHARED");
	const struct kcap_evt *ev;
	char path[4096];
	long p, q;
	int fd;

	snprintf(path, sizeof(path), "%s/mmap_ia32", dt_scratch_dir());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, 4 * 4096), 0);
	memcpy(args, (uint32_t[]){ 0, 4096, PROT_READ, MAP_SHARED, (uint32_t)fd, 3 * 4096 }, 24);
	dt_start(&t, "mmap");
	p = dt_int80_6(IA32_MMAP2, 0, 4096, PROT_READ, MAP_SHARED, fd, 2);
	q = dt_int80(IA32_OLD_MMAP, (long)(uintptr_t)args, 0, 0);
	dt_stop(&t);
	cr_assert(p > 0 && p < 0x100000000l, "mmap2 returned %ld", p);
	cr_assert(q > 0 && q < 0x100000000l, "old_mmap returned %ld", q);
	ev = dt_find(&t, PPME_MMAP_E, 0);
	assert_mmap_args(ev, 0, 4096, shared, fd, 2 * 4096);
	ev = dt_find(&t, PPME_MMAP_X, 0);
	cr_assert_eq(dt_s64(ev, 0), p);
	assert_mmap_args(ev, 4, 4096, shared, fd, 2 * 4096);
	ev = dt_find(&t, PPME_MMAP_E, 1);
	assert_mmap_args(ev, 0, 4096, shared, fd, 3 * 4096);
	ev = dt_find(&t, PPME_MMAP_X, 1);
	cr_assert_eq(dt_s64(ev, 0), q);
	assert_mmap_args(ev, 4, 4096, shared, fd, 3 * 4096);
	munmap((void *)p, 4096);
	munmap((void *)q, 4096);
	close(fd);
	unlink(path);
	munmap(args, 4096);
}

Test(fillers_mem, munmap)
{
	const unsigned long len = 8 << 20;
	struct vm before, after;
	const struct kcap_evt *ev;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		       -1, 0);

	cr_assert_neq(p, MAP_FAILED);
	proc_vm();
	dt_start(&t, "munmap");
	before = proc_vm();
	cr_assert_eq(syscall(SYS_munmap, p, len), 0);
	after = proc_vm();
	cr_assert_eq(syscall(SYS_munmap, (char *)p + 1, 4096), -1);
	dt_stop(&t);

	ev = dt_find(&t, PPME_MUNMAP_E, 0);
	cr_assert_eq(dt_u64(ev, 0), (uintptr_t)p);
	cr_assert_eq(dt_u64(ev, 1), len);
	ev = dt_find(&t, PPME_MUNMAP_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	check_vm(ev, 1, after);
	cr_assert_eq(before.size - dt_u32(ev, 1), len / 1024, "the mapping is gone");
	cr_assert_eq(dt_u64(ev, 4), (uintptr_t)p);
	cr_assert_eq(dt_u64(ev, 5), len);

	ev = dt_find(&t, PPME_MUNMAP_E, 1);
	cr_assert_eq(dt_u64(ev, 0), (uintptr_t)p + 1);
	cr_assert_eq(dt_u64(ev, 1), 4096);
	ev = dt_find(&t, PPME_MUNMAP_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_u32(ev, 1), after.size);
	cr_assert_eq(dt_u64(ev, 4), (uintptr_t)p + 1);
	cr_assert_eq(dt_u64(ev, 5), 4096);
}

Test(fillers_mem, mprotect)
{
	const uint32_t read_sem = dt_flag(&prot_flags, "PROT_READ") | dt_flag(&prot_flags, "PROT_SEM");
	const uint32_t grows = dt_flag(&prot_flags, "PROT_EXEC") | dt_flag(&prot_flags, "PROT_GROWSDOWN");
	const struct kcap_evt *ev;
	char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	cr_assert_neq(p, MAP_FAILED);
	dt_start(&t, "mprotect");
	cr_assert_eq(syscall(SYS_mprotect, p, 4096, PROT_READ | PROT_SEM), 0);
	/* Only a stack that grows down takes PROT_GROWSDOWN. */
	cr_assert_eq(syscall(SYS_mprotect, p + 4096, 4096, PROT_EXEC | PROT_GROWSDOWN), -1);
	dt_stop(&t);

	ev = dt_find(&t, PPME_MPROTECT_E, 0);
	cr_assert_eq(dt_u64(ev, 0), (uintptr_t)p);
	cr_assert_eq(dt_u64(ev, 1), 4096);
	cr_assert_eq(dt_u32(ev, 2), read_sem);
	ev = dt_find(&t, PPME_MPROTECT_X, 0);
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_u64(ev, 1), (uintptr_t)p);
	cr_assert_eq(dt_u64(ev, 2), 4096);
	cr_assert_eq(dt_u32(ev, 3), read_sem);

	ev = dt_find(&t, PPME_MPROTECT_E, 1);
	cr_assert_eq(dt_u64(ev, 0), (uintptr_t)p + 4096);
	cr_assert_eq(dt_u64(ev, 1), 4096);
	cr_assert_eq(dt_u32(ev, 2), grows);
	ev = dt_find(&t, PPME_MPROTECT_X, 1);
	cr_assert_eq(dt_s64(ev, 0), -EINVAL);
	cr_assert_eq(dt_u64(ev, 1), (uintptr_t)p + 4096);
	cr_assert_eq(dt_u64(ev, 2), 4096);
	cr_assert_eq(dt_u32(ev, 3), grows);
	munmap(p, 2 * 4096);
}

/*
 * brk moves the heap's end behind malloc's back: the break is read after
 * dt_start's allocations and goes back before dt_stop's.
 */
Test(fillers_mem, brk)
{
	const unsigned long grow = 256 << 10;
	unsigned long cur, moved, unchanged;
	struct vm before, after;
	const struct kcap_evt *ev;

	proc_vm();
	dt_start(&t, "brk");
	cur = (unsigned long)syscall(SYS_brk, 0);
	before = proc_vm();
	moved = (unsigned long)syscall(SYS_brk, cur + grow);
	after = proc_vm();
	unchanged = (unsigned long)syscall(SYS_brk, 1);	/* below the heap: refused */
	syscall(SYS_brk, cur);
	dt_stop(&t);
	cr_assert_eq(moved, cur + grow);
	cr_assert_eq(unchanged, cur + grow, "a refused brk returns the break it keeps");

	ev = dt_find(&t, PPME_BRK_E, 0);
	cr_assert_eq(dt_u64(ev, 0), 0);
	ev = dt_find(&t, PPME_BRK_X, 0);
	cr_assert_eq(dt_u64(ev, 0), cur);
	cr_assert_eq(dt_u32(ev, 1), before.size);
	cr_assert_eq(dt_u64(ev, 4), 0);

	ev = dt_find(&t, PPME_BRK_E, 1);
	cr_assert_eq(dt_u64(ev, 0), cur + grow);
	ev = dt_find(&t, PPME_BRK_X, 1);
	cr_assert_eq(dt_u64(ev, 0), cur + grow);
	check_vm(ev, 1, after);
	cr_assert_eq(dt_u32(ev, 1) - before.size, grow / 1024, "the heap grew");
	cr_assert_eq(dt_u64(ev, 4), cur + grow);

	ev = dt_find(&t, PPME_BRK_E, 2);
	cr_assert_eq(dt_u64(ev, 0), 1);
	ev = dt_find(&t, PPME_BRK_X, 2);
	cr_assert_eq(dt_u64(ev, 0), cur + grow);
	cr_assert_eq(dt_u32(ev, 1), after.size, "nothing moved");
	cr_assert_eq(dt_u64(ev, 4), 1);

	ev = dt_find(&t, PPME_BRK_X, 3);
	cr_assert_eq(dt_u64(ev, 0), cur);
	cr_assert_eq(dt_u32(ev, 1), before.size, "the heap is back");
}

/* mlock, munlock, mlock2, mlockall, munlockall: ranges and flags, whatever the memlock limit says. */
Test(fillers_mem, mlock_family)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	const struct kcap_evt *ev;
	long l, u, l2, all, unall;

	cr_assert_neq(p, MAP_FAILED);
	dt_start(&t, "mlock,munlock,mlock2,mlockall,munlockall");
	l = dt_res(syscall(SYS_mlock, p, 4096));
	u = dt_res(syscall(SYS_munlock, p, 4096));
	l2 = dt_res(syscall(SYS_mlock2, p, 4096, MLOCK_ONFAULT));
	all = dt_res(syscall(SYS_mlockall, MCL_FUTURE | MCL_ONFAULT));
	unall = dt_res(syscall(SYS_munlockall));
	dt_stop(&t);
	ev = dt_find(&t, PPME_MLOCK_X, 0);
	cr_assert_eq(dt_s64(ev, 0), l);
	cr_assert_eq(dt_u64(ev, 1), (uintptr_t)p);
	cr_assert_eq(dt_u64(ev, 2), 4096);
	ev = dt_find(&t, PPME_MUNLOCK_X, 0);
	cr_assert_eq(dt_s64(ev, 0), u);
	cr_assert_eq(dt_u64(ev, 1), (uintptr_t)p);
	cr_assert_eq(dt_u64(ev, 2), 4096);
	ev = dt_find(&t, PPME_MLOCK2_X, 0);
	cr_assert_eq(dt_s64(ev, 0), l2);
	cr_assert_eq(dt_u64(ev, 1), (uintptr_t)p);
	cr_assert_eq(dt_u64(ev, 2), 4096);
	cr_assert_eq(dt_u32(ev, 3), dt_flag(&mlock2_flags, "MLOCK_ONFAULT"));
	ev = dt_find(&t, PPME_MLOCKALL_X, 0);
	cr_assert_eq(dt_s64(ev, 0), all);
	cr_assert_eq(dt_u32(ev, 1), dt_flag(&mlockall_flags, "MCL_FUTURE") |
				    dt_flag(&mlockall_flags, "MCL_ONFAULT"));
	ev = dt_find(&t, PPME_MUNLOCKALL_X, 0);
	cr_assert_eq(ev->nparams, 1);
	cr_assert_eq(dt_s64(ev, 0), unall);
	cr_assert_eq(dt_find(&t, PPME_MLOCK_E, 0)->nparams, 0);
	munmap(p, 4096);
}
