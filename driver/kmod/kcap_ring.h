/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A per-CPU ring of events, mapped into the reader (the contract is in
 * kcap_kmod_abi.h). The data pages are mapped twice in a row in the kernel
 * too, so the producer writes every event with plain stores.
 */
#ifndef KCAP_KMOD_RING_H
#define KCAP_KMOD_RING_H

#include <linux/mm_types.h>
#include <linux/types.h>
#include "kcap_kmod_abi.h"

struct kcap_ring {
	struct kcap_ring_page *page;
	struct page **pages;	/* the data pages, npages of them */
	unsigned int npages;
	u8 *data;		/* the data pages, mapped twice */
	u32 size;
	atomic_t readers;	/* 0 or 1 */
	u32 building;		/* an event is being built in place: a nested one is refused */
};

int kcap_ring_alloc(struct kcap_ring *r, int cpu, u32 size);
void kcap_ring_free(struct kcap_ring *r);
int kcap_ring_mmap(struct kcap_ring *r, struct vm_area_struct *vma);
/* Forgets unread data: only while nobody reads and capture is off. */
void kcap_ring_reset(struct kcap_ring *r);

/*
 * Where the next event goes, and how many bytes it may take without
 * overwriting unread data (at most max). Only the ring's own CPU calls this,
 * with preemption off.
 */
static inline u8 *kcap_ring_reserve(struct kcap_ring *r, u32 max, u32 *room)
{
	u64 head = r->page->head;
	u64 used = head - smp_load_acquire(&r->page->tail);

	/* A reader that wrote a tail beyond head owns a broken ring: write nothing. */
	*room = used > r->size ? 0 : min_t(u64, r->size - used, max);
	return r->data + (head & (r->size - 1));
}

/* Bytes the reader has left free in the ring. */
static inline u32 kcap_ring_room(struct kcap_ring *r)
{
	u64 used = r->page->head - smp_load_acquire(&r->page->tail);

	return used > r->size ? 0 : r->size - used;
}

/* Publishes the len bytes written at the reserved place. */
static inline void kcap_ring_commit(struct kcap_ring *r, u32 len)
{
	smp_store_release(&r->page->head, r->page->head + len);
}

#endif /* KCAP_KMOD_RING_H */
