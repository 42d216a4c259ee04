/* SPDX-License-Identifier: MIT */
/*
 * Fields of an event by sysdig's names (evt.type, proc.name, evt.arg.fd...),
 * and output formats made of them (`kcap replay -p '%evt.num %proc.name
 * %evt.type %evt.args'`). A format is compiled once, then rendered per event
 * with no parsing. Filters (filter.h) take their values from here, typed:
 * numbers as numbers, names as they are, parameters as the text shown.
 */
#ifndef KCAP_FIELDS_H
#define KCAP_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"

enum kcap_field_id {
	KCAP_F_EVT_NUM,
	KCAP_F_EVT_TIME,
	KCAP_F_EVT_RAWTIME,
	KCAP_F_EVT_CPU,
	KCAP_F_EVT_DIR,
	KCAP_F_EVT_TYPE,
	KCAP_F_EVT_ARGS,
	KCAP_F_EVT_ARG,		/* evt.arg.NAME: as shown */
	KCAP_F_EVT_RAWARG,	/* evt.rawarg.NAME: a number or a string as it is */
	KCAP_F_EVT_RES,		/* SUCCESS, or the error's name */
	KCAP_F_EVT_RAWRES,
	KCAP_F_EVT_FAILED,
	KCAP_F_PROC_NAME,
	KCAP_F_PROC_PID,
	KCAP_F_PROC_PPID,
	KCAP_F_PROC_EXE,
	KCAP_F_PROC_CWD,
	KCAP_F_PROC_CMDLINE,
	KCAP_F_THREAD_TID,
	KCAP_F_USER_UID,
	KCAP_F_USER_NAME,
	KCAP_F_GROUP_GID,
	KCAP_F_FD_NUM,		/* the fd the event works on, or the one it made */
	KCAP_F_FD_NAME,
	KCAP_F_FD_TYPE,		/* file, directory, ipv4, ipv6, unix, pipe... */
	KCAP_F_FD_SIP,
	KCAP_F_FD_DIP,
	KCAP_F_FD_SPORT,
	KCAP_F_FD_DPORT,
	KCAP_F_FD_L4PROTO,	/* tcp, udp */
	KCAP_F_CONTAINER_ID,	/* 12 hex digits, or "host" */
};

struct kcap_field {
	enum kcap_field_id id;
	char arg[32];		/* evt.arg.NAME, evt.rawarg.NAME: NAME */
};

/* A field's value for one event. */
struct kcap_fval {
	enum kcap_fval_kind {
		KCAP_FVAL_NA,		/* the event or the state has none */
		KCAP_FVAL_INT,		/* i */
		KCAP_FVAL_STR,		/* s, len: raw bytes, escaped when shown */
		KCAP_FVAL_TEXT,		/* s, len: text as shown, already escaped */
	} kind;
	int64_t i;
	const char *s;
	size_t len;
};

/* True for fields whose values are always numbers (proc.pid, fd.num). */
bool kcap_field_is_numeric(const struct kcap_field *f);

/*
 * The field's value for event num. Text is appended to scratch and s
 * points into it (valid until scratch changes); other strings point into
 * the event or the thread table. th and o may be NULL.
 */
void kcap_field_value(struct kcap_fval *v, const struct kcap_field *f, uint64_t num,
		      const struct kcap_evt *ev, const struct kcap_threads *th,
		      const struct kcap_fmt_opts *o, struct kcap_sbuf *scratch);

/*
 * The field whose name starts s (a name runs over letters, digits, '_' and
 * '.', a final '.' left out); its length, or 0 when there is none.
 */
size_t kcap_field_parse(const char *s, struct kcap_field *f);

/* Appends the field's value for event num, "<NA>" where the event or the state has none. */
void kcap_field_text(struct kcap_sbuf *b, const struct kcap_field *f, uint64_t num,
		     const struct kcap_evt *ev, const struct kcap_threads *th,
		     const struct kcap_fmt_opts *o);

/* A compiled format: literal text and fields, in order. */
struct kcap_format {
	struct kcap_format_piece {
		struct kcap_field field;
		const char *text;	/* a literal, into the format's copy; NULL: the field */
		size_t len;
	} *pieces;
	size_t npieces;
	char *copy;
};

/*
 * Compiles a format: text with %FIELD where a field's value goes and %% for
 * a percent sign. 0, or -1 with err naming the column of the first bad field.
 */
int kcap_format_compile(const char *s, struct kcap_format *fmt, char *err, size_t errlen);
/* One line for the event, newline included. */
void kcap_format_line(struct kcap_sbuf *b, const struct kcap_format *fmt, uint64_t num,
		      const struct kcap_evt *ev, const struct kcap_threads *th,
		      const struct kcap_fmt_opts *o);
void kcap_format_free(struct kcap_format *fmt);

#endif /* KCAP_FIELDS_H */
