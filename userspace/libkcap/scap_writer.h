/* SPDX-License-Identifier: MIT */
/*
 * Writes .scap files as current libs does: SHB 1.2, MI, IL_V2, UL_V2, PL_V9,
 * FDL_V2 per thread, then EV_V2/EVF_V2 (or their LARGE variants for
 * EF_LARGE_PAYLOAD types). Output is buffered; gzip is optional.
 *
 * The file is complete however the writing ends: when a write fails (a full
 * disk, a file size limit), the file is cut back to its last whole block,
 * and a gzip stream is ended there, so it stays a valid, shorter capture,
 * and the writer says how many events it holds.
 */
#ifndef KCAP_SCAP_WRITER_H
#define KCAP_SCAP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "meta.h"

struct kcap_writer;

/* What a closed file holds. */
struct kcap_writer_stats {
	uint64_t events;
	uint64_t file_bytes;
};

/*
 * Creates path 0600, never through a symbolic link nor into another user's
 * file (see open_capture); NULL with a one-line err.
 */
/* path "-": standard output (refused when it is a terminal). */
struct kcap_writer *kcap_writer_open(const char *path, bool gzip, char *err, size_t errlen);
/*
 * Whether kcap_writer_open(path) would fail for what can be seen before
 * creating anything (a missing or read-only directory, a file it refuses):
 * lets a capture say so before it loads a probe. 0, or -1 with err set.
 */
int kcap_writer_check(const char *path, char *err, size_t errlen);
/*
 * Writes what the writer holds (between events: whole blocks; a gzip stream
 * flushed to a byte boundary), so that a reader at the other end of a pipe
 * gets every event written so far. 0, or -1 (see kcap_writer_error).
 */
int kcap_writer_flush(struct kcap_writer *w);
/* Writes the section header and the metadata blocks; call once, first. */
int kcap_writer_meta(struct kcap_writer *w, const struct kcap_meta *m);
/* Writes one event given as canonical V2 bytes (hdr->len long). */
int kcap_writer_event(struct kcap_writer *w, uint16_t cpu, uint32_t flags,
		      const struct ppm_evt_hdr *event);
const char *kcap_writer_error(const struct kcap_writer *w);
/*
 * Flushes, closes and frees w; returns -1 with err set if anything failed.
 * st (may be NULL) gets what the file holds, also after a failure.
 */
int kcap_writer_close(struct kcap_writer *w, struct kcap_writer_stats *st, char *err,
		      size_t errlen);
uint64_t kcap_writer_bytes(const struct kcap_writer *w);

#endif /* KCAP_SCAP_WRITER_H */
