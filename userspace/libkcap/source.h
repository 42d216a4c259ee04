/* SPDX-License-Identifier: MIT */
/*
 * The byte stream under the reader: a file, a pipe or a memory buffer, raw
 * or gzip-compressed (sniffed from the first two bytes without seeking,
 * concatenated members read as one stream, trailing garbage after a member
 * ignored as zlib does).
 */
#ifndef KCAP_SOURCE_H
#define KCAP_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <zlib.h>

struct kcap_source {
	int fd;				/* -1 for memory input */
	uint8_t peek[2];		/* the sniffed bytes, read again first */
	uint8_t npeek, peek_pos;
	const uint8_t *mem;
	size_t mem_size, mem_pos;
	uint64_t raw_size;		/* size of the raw input, when known */
	bool gzip;
	bool gz_done;
	z_stream zs;
	uint8_t *zin;			/* compressed input buffer (fd input) */
	uint64_t zin_offset;		/* compressed bytes consumed so far */
	char err[160];
};

/* 0 on success, -1 with s->err set. */
int kcap_source_open_file(struct kcap_source *s, const char *path);
int kcap_source_open_mem(struct kcap_source *s, const void *data, size_t size);
void kcap_source_close(struct kcap_source *s);

/* Reads up to n bytes: returns the count, 0 at the end, -1 with s->err set. */
ssize_t kcap_source_read(struct kcap_source *s, void *buf, size_t n);

#endif /* KCAP_SOURCE_H */
