/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Fillers of memory mappings (fillers.h includes every family). */
#ifndef KCAP_FILLERS_MEM_H
#define KCAP_FILLERS_MEM_H

#include "fillers_common.h"

/* x86_64 values, asm-generic/mman-common.h and asm/mman.h. */
#define KCAP_PROT_READ 0x1
#define KCAP_PROT_WRITE 0x2
#define KCAP_PROT_EXEC 0x4
#define KCAP_PROT_SEM 0x8
#define KCAP_PROT_GROWSDOWN 0x01000000
#define KCAP_PROT_GROWSUP 0x02000000

#define KCAP_MAP_SHARED 0x01
#define KCAP_MAP_PRIVATE 0x02
#define KCAP_MAP_FIXED 0x10
#define KCAP_MAP_ANONYMOUS 0x20
#define KCAP_MAP_32BIT 0x40
#define KCAP_MAP_GROWSDOWN 0x0100
#define KCAP_MAP_DENYWRITE 0x0800
#define KCAP_MAP_EXECUTABLE 0x1000
#define KCAP_MAP_LOCKED 0x2000
#define KCAP_MAP_NORESERVE 0x4000
#define KCAP_MAP_POPULATE 0x8000
#define KCAP_MAP_NONBLOCK 0x10000

/* Bits without a schema value (PROT_BTI, PROT_MTE...) are dropped, as in libs. */
static __always_inline __u32 kcap_prot_flags(unsigned long prot)
{
	__u32 res = 0;

	if (prot & KCAP_PROT_READ)
		res |= PPM_PROT_READ;
	if (prot & KCAP_PROT_WRITE)
		res |= PPM_PROT_WRITE;
	if (prot & KCAP_PROT_EXEC)
		res |= PPM_PROT_EXEC;
	if (prot & KCAP_PROT_SEM)
		res |= PPM_PROT_SEM;
	if (prot & KCAP_PROT_GROWSDOWN)
		res |= PPM_PROT_GROWSDOWN;
	if (prot & KCAP_PROT_GROWSUP)
		res |= PPM_PROT_GROWSUP;
	return res;
}

/*
 * Bit by bit as in libs: MAP_SHARED_VALIDATE (3) shows as SHARED|PRIVATE;
 * MAP_STACK, MAP_HUGETLB, MAP_SYNC, MAP_FIXED_NOREPLACE... are dropped.
 */
static __always_inline __u32 kcap_mmap_flags(unsigned long flags)
{
	__u32 res = 0;

	if (flags & KCAP_MAP_SHARED)
		res |= PPM_MAP_SHARED;
	if (flags & KCAP_MAP_PRIVATE)
		res |= PPM_MAP_PRIVATE;
	if (flags & KCAP_MAP_FIXED)
		res |= PPM_MAP_FIXED;
	if (flags & KCAP_MAP_ANONYMOUS)
		res |= PPM_MAP_ANONYMOUS;
	if (flags & KCAP_MAP_32BIT)
		res |= PPM_MAP_32BIT;
	if (flags & KCAP_MAP_NORESERVE)
		res |= PPM_MAP_NORESERVE;
	if (flags & KCAP_MAP_POPULATE)
		res |= PPM_MAP_POPULATE;
	if (flags & KCAP_MAP_NONBLOCK)
		res |= PPM_MAP_NONBLOCK;
	if (flags & KCAP_MAP_GROWSDOWN)
		res |= PPM_MAP_GROWSDOWN;
	if (flags & KCAP_MAP_DENYWRITE)
		res |= PPM_MAP_DENYWRITE;
	if (flags & KCAP_MAP_EXECUTABLE)
		res |= PPM_MAP_EXECUTABLE;
	if (flags & KCAP_MAP_LOCKED)
		res |= PPM_MAP_LOCKED;
	return res;
}

/* addr, length: the range of munmap and mprotect. */
static __always_inline void put_range(struct kcap_fctx *f)
{
	kcap_put_u64(f, kcap_sc_arg(f, 0));
	kcap_put_u64(f, kcap_sc_arg(f, 1));
}

#define KCAP_IA32_OLD_MMAP 90	/* one argument: struct mmap_arg_struct */
#define KCAP_IA32_MMAP2 192	/* the offset in 4096-byte pages */

/* The arguments of ia32's old_mmap, from the struct it points to. */
struct kcap_old_mmap_args {
	__u32 addr, len, prot, flags, fd, offset;
};

/*
 * addr, length, prot, flags, fd, offset: the arguments of mmap, as the
 * x86_64 syscall has them whichever ia32 syscall mapped to it.
 */
static __always_inline void put_mmap_args(struct kcap_fctx *f)
{
	struct kcap_old_mmap_args a = {
		.addr = (__u32)kcap_sc_arg(f, 0), .len = (__u32)kcap_sc_arg(f, 1),
		.prot = (__u32)kcap_sc_arg(f, 2), .flags = (__u32)kcap_sc_arg(f, 3),
		.fd = (__u32)kcap_sc_arg(f, 4), .offset = (__u32)kcap_sc_arg(f, 5),
	};
	__u64 offset = a.offset;
	int ia32 = kcap_sc_ia32_nr(f);

	if (ia32 < 0) {
		put_range(f);
		kcap_put_u32(f, kcap_prot_flags(kcap_sc_arg(f, 2)));
		kcap_put_u32(f, kcap_mmap_flags(kcap_sc_arg(f, 3)));
		kcap_put_s64(f, kcap_sc_int(f, 4));
		kcap_put_u64(f, kcap_sc_arg(f, 5));
		return;
	}
	if (ia32 == KCAP_IA32_OLD_MMAP) {
		kcap_read_user(f, &a, (const void *)kcap_sc_arg(f, 0), sizeof(a));
		offset = a.offset;
	} else if (ia32 == KCAP_IA32_MMAP2) {
		offset = (__u64)a.offset << 12;
	}
	kcap_put_u64(f, a.addr);
	kcap_put_u64(f, a.len);
	kcap_put_u32(f, kcap_prot_flags(a.prot));
	kcap_put_u32(f, kcap_mmap_flags(a.flags));
	kcap_put_s64(f, (int)a.fd);
	kcap_put_u64(f, offset);
}

static __always_inline int fill_mmap_e(struct kcap_fctx *f)
{
	put_mmap_args(f);
	return kcap_submit(f);
}

static __always_inline int fill_mmap_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_task_mm(f);
	put_mmap_args(f);
	return kcap_submit(f);
}

static __always_inline int fill_munmap_e(struct kcap_fctx *f)
{
	put_range(f);
	return kcap_submit(f);
}

static __always_inline int fill_munmap_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_task_mm(f);
	put_range(f);
	return kcap_submit(f);
}

static __always_inline int fill_mprotect_e(struct kcap_fctx *f)
{
	put_range(f);
	kcap_put_u32(f, kcap_prot_flags(kcap_sc_arg(f, 2)));
	return kcap_submit(f);
}

static __always_inline int fill_mprotect_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_range(f);
	kcap_put_u32(f, kcap_prot_flags(kcap_sc_arg(f, 2)));
	return kcap_submit(f);
}

static __always_inline int fill_brk_e(struct kcap_fctx *f)
{
	kcap_put_u64(f, kcap_sc_arg(f, 0));
	return kcap_submit(f);
}

/* brk returns the break, old or new: never an errno. */
static __always_inline int fill_brk_x(struct kcap_fctx *f)
{
	kcap_put_u64(f, (__u64)kcap_sc_ret(f));
	put_task_mm(f);
	kcap_put_u64(f, kcap_sc_arg(f, 0));
	return kcap_submit(f);
}

/* res, addr, len: mlock and munlock; mlock2 adds its flags. */
static __always_inline int fill_mlock_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_range(f);
	return kcap_submit(f);
}

static __always_inline int fill_mlock2_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	put_range(f);
	kcap_put_u32(f, kcap_mlock2_flags((__u32)kcap_sc_arg(f, 2)));
	return kcap_submit(f);
}

static __always_inline int fill_mlockall_x(struct kcap_fctx *f)
{
	kcap_put_s64(f, kcap_sc_ret(f));
	kcap_put_u32(f, kcap_mlockall_flags((__u32)kcap_sc_arg(f, 0)));
	return kcap_submit(f);
}

#endif /* KCAP_FILLERS_MEM_H */
