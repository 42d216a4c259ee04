/* SPDX-License-Identifier: MIT */
/* kcap capture: its options, parsed and checked (capture_opts.c). */
#ifndef KCAP_CAPTURE_H
#define KCAP_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "filter.h"
#include "hook_table.h"
#include "scope_spec.h"

struct capture_opts {
	const char *path;
	uint64_t max_events;
	double duration;
	uint32_t snaplen, ring_bytes, pid;
	bool gzip, enter_events;
	bool verbose, progress;
	bool dropping_mode;
	bool discard;			/* --discard: events counted, no file */
	enum kcap_driver driver;
	const char *kmod_path;
	bool *interest;			/* per ppm_sc code; NULL: the default */
	bool *asked;			/* -e: per event type, the events named */
	bool no_state;			/* -e without the state events */
	char **command;
	struct kcap_filter *filter;	/* FILTER, NULL: none */
	uint64_t rotate_bytes;		/* -C, in bytes; 0: none */
	uint32_t rotate_secs;		/* -G; 0: none */
	uint32_t max_files;		/* -W; 0: no limit */
	uint64_t size_limit;		/* --size-limit, in bytes; 0: none */
	struct kcap_scope scope;	/* --scope */
	const char *uprobe_binaries[KCAP_HOOK_MAX];	/* --uprobe, per hook */
};

static inline bool rotating(const struct capture_opts *o)
{
	return o->rotate_bytes || o->rotate_secs;
}

/*
 * Parses kcap capture's options and operands into *o and checks that they go
 * together: 0, or -1 after a one-line error (kcap_errorf). --help prints the
 * usage and exits.
 */
int capture_parse_opts(int argc, char **argv, struct capture_opts *o);
/* What capture_parse_opts allocated. */
void capture_opts_free(struct capture_opts *o);

#endif /* KCAP_CAPTURE_H */
