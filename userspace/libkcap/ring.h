/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU rings behind one interface, and their merge in timestamp order.
 *
 * Contract with a ring: peek() returns the oldest unread event of that ring
 * (or NULL when it is empty) and keeps returning it until release() is
 * called; the bytes stay valid and unchanged until then, because the
 * producer never writes over unread data. The merge hands out the event with
 * the smallest timestamp among the rings' heads, and releases it on the next
 * call. A BPF ring buffer and the kernel module's mapped ring both implement
 * this.
 */
#ifndef KCAP_RING_H
#define KCAP_RING_H

#include <stdint.h>

#include "ppm_events_public.h"

struct kcap_ring_ops {
	const struct ppm_evt_hdr *(*peek)(void *ring);
	void (*release)(void *ring);
};

struct kcap_merge {
	const struct kcap_ring_ops *ops;
	void **rings;
	int nrings;
	int last;			/* ring of the event handed out, or -1 */
	const struct ppm_evt_hdr **heads;
};

int kcap_merge_init(struct kcap_merge *m, const struct kcap_ring_ops *ops, void **rings, int n);
void kcap_merge_free(struct kcap_merge *m);
/* The oldest event among the rings' heads, or NULL; *cpu says whose. */
const struct ppm_evt_hdr *kcap_merge_next(struct kcap_merge *m, uint16_t *cpu);

#endif /* KCAP_RING_H */
