/* SPDX-License-Identifier: MIT */
/* Builds small .scap byte sequences by hand for reader and writer tests. */
#ifndef KCAP_SCAP_BUILD_H
#define KCAP_SCAP_BUILD_H

#include <stddef.h>
#include <stdint.h>

struct bytes {
	uint8_t data[1 << 16];
	size_t len;
};

void put_le(struct bytes *b, uint64_t v, int size);
void put_raw(struct bytes *b, const void *p, size_t n);
/* An SHB with the given magic and version (28 bytes). */
void put_shb(struct bytes *b, uint32_t magic, uint16_t major, uint16_t minor);
/*
 * The close exit event of SCAP-FORMAT Appendix C (tid 1, res 0, fd 3) as
 * an EV_V2 block of 60 bytes; the event starts 10 bytes into the block.
 */
void put_close_block(struct bytes *b);
/* A raw .scap with one close exit event (Appendix C, 88 bytes). */
void minimal_capture(struct bytes *b);
void set_le32(struct bytes *b, size_t off, uint32_t v);

#define CLOSE_TS 1700000100000000000ull



#include "event.h"
#include "scap_reader.h"

/* How many blocks of type the reader has read so far. */
uint64_t blocks_read(const struct kcap_reader_stats *st, uint32_t type);

/*
 * Builds an event of type with every table parameter, given as (name,
 * pointer, length) triples ended by NULL; parameters not named are empty.
 * Parses it into ev.
 */
void build_event(struct bytes *b, struct kcap_evt *ev, uint16_t type, int64_t tid, ...);

/* User 1000, "alice", added to m. */
void build_user(struct kcap_meta *m);

/* Thread tid of process 77 (parent 1, uid 1000, "cat", /bin/cat, in /tmp), added to m. */
struct kcap_proc *build_proc(struct kcap_meta *m, int64_t tid);

/*
 * A thread table loaded from a process list and a user list: process 77
 * (parent 1; uid 1000, user "alice"; "cat", /bin/cat, in /tmp) and its
 * thread tid. Free with kcap_threads_free.
 */
struct kcap_threads *build_threads(int64_t tid);
#endif /* KCAP_SCAP_BUILD_H */
