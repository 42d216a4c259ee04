/* SPDX-License-Identifier: MIT */
/*
 * Reads .scap files, raw or gzip-compressed, of every block version in
 * SCAP-FORMAT.md. Events come out one at a time in the canonical V2 layout
 * (V1 events are converted); metadata accumulates in a struct kcap_meta.
 * Every error names the file, the byte offset (in the uncompressed stream)
 * and the problem.
 */
#ifndef KCAP_SCAP_READER_H
#define KCAP_SCAP_READER_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "meta.h"

struct kcap_reader;

struct kcap_block_count {
	uint32_t type;
	uint64_t count;
};

#define KCAP_MAX_BLOCK_KINDS 48

struct kcap_reader_stats {
	uint64_t blocks;
	uint64_t event_blocks;
	uint64_t events;		/* delivered */
	uint64_t skipped_unknown_type;	/* type >= PPM_EVENT_MAX */
	uint64_t skipped_blocks;	/* unknown block types */
	uint64_t meta_cut;		/* metadata entries past KCAP_META_MAX_BYTES */
	uint64_t bytes;			/* uncompressed bytes read */
	uint32_t sections;
	uint32_t nkinds;
	struct kcap_block_count kinds[KCAP_MAX_BLOCK_KINDS];
};

/* Both return NULL and fill err (one line) on failure. */
struct kcap_reader *kcap_reader_open(const char *path, char *err, size_t errlen);
/* Reads from memory; name is used in error messages; data must outlive r. */
struct kcap_reader *kcap_reader_open_mem(const void *data, size_t size, const char *name,
					 char *err, size_t errlen);
void kcap_reader_close(struct kcap_reader *r);

/*
 * Returns 1 and fills ev (valid until the next call), 0 at the end of the
 * file, or -1 on an error (see kcap_reader_error).
 */
int kcap_reader_next(struct kcap_reader *r, struct kcap_evt *ev);
const char *kcap_reader_error(const struct kcap_reader *r);

/* Metadata of the current section; a new section replaces it. */
const struct kcap_meta *kcap_reader_meta(const struct kcap_reader *r);
/* Bumped each time a section's metadata has been read. */
uint32_t kcap_reader_section(const struct kcap_reader *r);
const struct kcap_reader_stats *kcap_reader_stats(const struct kcap_reader *r);
/* SHB version of the current section. */
void kcap_reader_version(const struct kcap_reader *r, uint16_t *major, uint16_t *minor);

#endif /* KCAP_SCAP_READER_H */
