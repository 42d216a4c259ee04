/* SPDX-License-Identifier: MIT */
/* The shared sample captures and what their README says they hold. */
#ifndef KCAP_SAMPLE_LIST_H
#define KCAP_SAMPLE_LIST_H

#include <stdint.h>

#define MAX_SAMPLES 64
#define MAX_SAMPLE_KINDS 16

struct sample {
	char name[128];
	char path[4096];
	uint64_t event_blocks;
	uint32_t nkinds;
	uint32_t kind_type[MAX_SAMPLE_KINDS];
	uint64_t kind_count[MAX_SAMPLE_KINDS];
};

/*
 * Parses ../shared/scap-samples/README.md; returns the number of samples,
 * or -1 when ../shared is absent.
 */
int load_samples(struct sample *out, int max);

#endif /* KCAP_SAMPLE_LIST_H */
