/* SPDX-License-Identifier: MIT */
/*
 * Events as text, in the style of `sysdig -r`, and as one JSON object per
 * line. Formatting appends to a growable buffer so that a caller can write
 * many lines with one write.
 */
#ifndef KCAP_FORMAT_H
#define KCAP_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "threads.h"

struct kcap_sbuf {
	char *p;
	size_t len, cap;
	int oom;		/* set when an append could not grow the buffer */
};

void kcap_sbuf_free(struct kcap_sbuf *b);
void kcap_sbuf_reset(struct kcap_sbuf *b);
void kcap_sbuf_putc(struct kcap_sbuf *b, char c);
void kcap_sbuf_put(struct kcap_sbuf *b, const char *s, size_t n);
void kcap_sbuf_puts(struct kcap_sbuf *b, const char *s);
void kcap_sbuf_printf(struct kcap_sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* How I/O buffers (PT_BYTEBUF) show. */
enum kcap_fmt_bytes {
	KCAP_FMT_BYTES_ESCAPED,	/* text as it is, other bytes \xNN (the default) */
	KCAP_FMT_BYTES_ASCII,	/* printable ASCII, every other byte '.' (sysdig -A) */
	KCAP_FMT_BYTES_HEX,	/* every byte in hex, space-separated (sysdig -X, on one line) */
};

struct kcap_fmt_opts {
	uint32_t bytebuf_max;	/* bytes of a buffer shown before "..." (80) */
	enum kcap_fmt_bytes bytes;
	uint64_t *cuts;		/* if set, counts values cut at KCAP_FMT_STR_MAX */
};

#define KCAP_FMT_BYTEBUF_DEFAULT 80
/*
 * Bytes of a string parameter shown before "...": a hostile file may hold
 * a string of 64 MiB, and a line of text should stay a line.
 */
#define KCAP_FMT_STR_MAX 65536

/*
 * One parameter's value as text: flags by name ("1(O_RDONLY)"), errnos by
 * name ("-2(ENOENT)"), fds with their name ("3(<f>/etc/passwd)"), addresses
 * and tuples ("127.0.0.1:41000->127.0.0.1:80"), paths resolved against their
 * dirfd or the cwd, buffers escaped and cut, dynamic params by their real
 * type, signals by name. th and o may be NULL. Text is safe on a terminal:
 * control bytes, C1 controls, bidi overrides and bytes that are not UTF-8
 * come out escaped ("\n", "\x9b", "\u202e").
 */
void kcap_fmt_param(struct kcap_sbuf *b, const struct kcap_evt *ev, uint32_t i,
		    const struct kcap_threads *th, const struct kcap_fmt_opts *o);

/* "name=value name=value ..." for all parameters of ev. */
void kcap_fmt_params(struct kcap_sbuf *b, const struct kcap_evt *ev,
		     const struct kcap_threads *th, const struct kcap_fmt_opts *o);

/*
 * A whole line, newline included:
 *   text: "NUM HH:MM:SS.NNNNNNNNN CPU COMM (TID) DIR TYPE PARAMS"
 *   json: {"num":..,"ts":..,"time":"..","cpu":..,"proc":"..","tid":..,
 *          "pid":..,"ppid":..,"uid":..,"user":"..","gid":..,"container":"..",
 *          "fd":{"num":..,"name":".."},"dir":">","type":"..",
 *          "params":{"name":"value",...}}   (null where unknown)
 */
void kcap_fmt_text_line(struct kcap_sbuf *b, uint64_t num, const struct kcap_evt *ev,
			const struct kcap_threads *th, const struct kcap_fmt_opts *o);
void kcap_fmt_json_line(struct kcap_sbuf *b, uint64_t num, const struct kcap_evt *ev,
			const struct kcap_threads *th, const struct kcap_fmt_opts *o);

/* Pieces of a line, for formats made of fields (fields.h). */
void kcap_fmt_time(struct kcap_sbuf *b, uint64_t ts);	/* HH:MM:SS.NNNNNNNNN, UTC */
void kcap_fmt_str(struct kcap_sbuf *b, const char *s);	/* escaped as a text value */
const char *kcap_fmt_event_name(const struct kcap_evt *ev);	/* "unknown" when unknown */

/* Names of errno values and signals; NULL when unknown. */
const char *kcap_errno_name(int64_t err);
const char *kcap_signal_name(uint32_t sig);

#endif /* KCAP_FORMAT_H */
