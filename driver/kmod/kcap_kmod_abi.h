/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The kernel module's interface to userspace: one character device per CPU,
 * /dev/kcap0 ... /dev/kcapN-1, each a ring of that CPU's events.
 *
 * Mapping a device (offset 0, KCAP_RING_MAP_SIZE(size) bytes) gives the
 * layout below; mapping its first page alone gives struct kcap_ring_page,
 * which tells the size:
 *   [0, page)                 struct kcap_ring_page
 *   [page, page + size)       the data area
 *   [page + size, page + 2 size)  the same data area again, so that an event
 *                             that wraps past the end reads contiguously
 *
 * Producer (the module, on this CPU): writes whole events at head % size,
 * then publishes head with a release store. It never writes over unread
 * data: an event that does not fit in size - (head - tail) is dropped and
 * counted, never truncated.
 * Consumer (the reader): reads head with an acquire load, reads the events
 * in [tail, head), then publishes tail with a release store. head and tail
 * only grow; head - tail <= size.
 *
 * The ioctls can be made on any of the devices; settings and rows apply to
 * every CPU. A device has one reader at a time: a second open gets EBUSY.
 */
#ifndef KCAP_KMOD_ABI_H
#define KCAP_KMOD_ABI_H

#include <linux/ioctl.h>
#include "kcap_abi.h"

#define KCAP_KMOD_API_VERSION 6
#define KCAP_KMOD_DEVICE "kcap"
#define KCAP_KMOD_RING_DEFAULT (8u << 20)
#define KCAP_KMOD_PAGE 4096	/* x86_64 */
#define KCAP_RING_MAP_SIZE(size) (KCAP_KMOD_PAGE + 2 * (__u64)(size))

struct kcap_ring_page {
	__u64 head;		/* bytes ever written: the producer's */
	__u64 tail;		/* bytes ever read: the consumer's */
	__u32 size;		/* bytes in the data area, a power of two */
	__u32 cpu;
	struct kcap_counters counters;	/* this CPU's */
};

/* The syscall rows: count must be SYSCALL_TABLE_SIZE. */
struct kcap_rows_arg {
	__u64 rows;		/* user pointer to struct kcap_sc_row[count] */
	__u32 count;
	__u32 pad;
};

/* The hooks to attach (hook_table.h); the kernel says which it lacks. */
struct kcap_hooks_arg {
	__u64 want;		/* enum kcap_hook_id bits */
	__u64 missing;		/* out: wanted, absent from this kernel */
};

/* Where a uprobe hook attaches: a file (an fd of the caller) and an offset in it. */
struct kcap_uprobe_arg {
	__u32 hook;		/* enum kcap_hook_id of a uprobe or uretprobe hook */
	__s32 fd;
	__u64 offset;
};

#define KCAP_IOC_MAGIC 'k'
/* The module's KCAP_KMOD_API_VERSION. */
#define KCAP_IOC_API_VERSION	_IOR(KCAP_IOC_MAGIC, 1, __u32)
/* Everything in struct kcap_settings but capture, which has its own ioctl. */
#define KCAP_IOC_SET_SETTINGS	_IOW(KCAP_IOC_MAGIC, 2, struct kcap_settings)
#define KCAP_IOC_SET_ROWS	_IOW(KCAP_IOC_MAGIC, 3, struct kcap_rows_arg)
/* Capture on (1) or off (0). */
#define KCAP_IOC_SET_CAPTURE	_IOW(KCAP_IOC_MAGIC, 4, __u32)
/* The counters of this device's CPU. */
#define KCAP_IOC_GET_COUNTERS	_IOR(KCAP_IOC_MAGIC, 5, struct kcap_counters)
/* Attaches the hooks wanted, detaches the others (detached: quiescent on return). */
#define KCAP_IOC_SET_HOOKS	_IOWR(KCAP_IOC_MAGIC, 6, struct kcap_hooks_arg)
/* Before SET_HOOKS: where a uprobe hook goes. */
#define KCAP_IOC_SET_UPROBE	_IOW(KCAP_IOC_MAGIC, 7, struct kcap_uprobe_arg)

#endif /* KCAP_KMOD_ABI_H */
