// SPDX-License-Identifier: MIT
#include <stdlib.h>

#include "ring.h"

int kcap_merge_init(struct kcap_merge *m, const struct kcap_ring_ops *ops, void **rings, int n)
{
	m->ops = ops;
	m->rings = rings;
	m->nrings = n;
	m->last = -1;
	m->heads = calloc((size_t)n, sizeof(*m->heads));
	return m->heads ? 0 : -1;
}

void kcap_merge_free(struct kcap_merge *m)
{
	free(m->heads);
	m->heads = NULL;
}

const struct ppm_evt_hdr *kcap_merge_next(struct kcap_merge *m, uint16_t *cpu)
{
	const struct ppm_evt_hdr *best = NULL;
	int i, which = -1;

	if (m->last >= 0) {
		m->ops->release(m->rings[m->last]);
		m->heads[m->last] = NULL;
		m->last = -1;
	}
	for (i = 0; i < m->nrings; i++) {
		if (!m->heads[i])
			m->heads[i] = m->ops->peek(m->rings[i]);
		if (m->heads[i] && (!best || m->heads[i]->ts < best->ts)) {
			best = m->heads[i];
			which = i;
		}
	}
	if (best) {
		m->last = which;
		*cpu = (uint16_t)which;
	}
	return best;
}
