/* SPDX-License-Identifier: MIT */
/*
 * What both fuzzers run on their bytes: what `kcap replay` does, the reader,
 * the thread table, both formatters, a -p format of every field (the
 * buffers as -X shows them) and a filter that reads every field, on every
 * event; never a crash, an overread or a leak.
 */
#ifndef KCAP_FUZZ_REPLAY_H
#define KCAP_FUZZ_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "fields.h"
#include "filter.h"
#include "format.h"
#include "scap_reader.h"
#include "threads.h"

static inline void fuzz_replay(const uint8_t *data, size_t size, uint32_t bytebuf_max)
{
	uint64_t cuts = 0;
	struct kcap_fmt_opts opts = { .bytebuf_max = bytebuf_max, .cuts = &cuts };
	struct kcap_threads *th = kcap_threads_new();
	struct kcap_fmt_opts hex = { .bytebuf_max = bytebuf_max, .bytes = KCAP_FMT_BYTES_HEX };
	struct kcap_sbuf line = { 0 };
	struct kcap_format fmt;
	struct kcap_filter *filter;
	struct kcap_reader *r;
	struct kcap_evt ev;
	uint32_t section = 0;
	char err[256];
	int n = 0;

	if (kcap_format_compile("%evt.num %evt.time %evt.rawtime %evt.cpu %evt.dir %evt.type "
				"%evt.res %evt.rawres %evt.failed %evt.arg.fd %evt.arg.data %proc.name "
				"%proc.pid %proc.ppid %proc.exe %proc.cwd %thread.tid %user.uid "
				"%user.name %evt.args %evt.rawarg.fd %evt.rawarg.data %evt.rawarg.name "
				"%proc.cmdline %group.gid %fd.num %fd.name %fd.type %fd.sip %fd.dip "
				"%fd.sport %fd.dport %fd.l4proto %container.id", &fmt, err,
				sizeof(err)) < 0)
		__builtin_trap();
	filter = kcap_filter_compile("fd.sip exists or fd.dport > 1 or fd.name contains a or "
				     "fd.type in (file, ipv4) or proc.cmdline icontains x or "
				     "evt.rawarg.size >= 1 or evt.rawarg.name glob '*a*' or "
				     "container.id != host or group.gid < 5 or fd.l4proto = tcp or "
				     "evt.arg.flags endswith ')'", err, sizeof(err));
	if (!filter)
		__builtin_trap();
	r = kcap_reader_open_mem(data, size, "fuzz", err, sizeof(err));
	while (r && th && n++ < 100000 && kcap_reader_next(r, &ev) > 0) {
		if (kcap_reader_section(r) != section) {
			section = kcap_reader_section(r);
			kcap_threads_load(th, kcap_reader_meta(r));
		}
		kcap_threads_update(th, &ev);
		kcap_sbuf_reset(&line);
		kcap_fmt_text_line(&line, (uint64_t)n, &ev, th, &opts);
		kcap_fmt_json_line(&line, (uint64_t)n, &ev, th, &opts);
		kcap_format_line(&line, &fmt, (uint64_t)n, &ev, th, &hex);
		kcap_filter_match(filter, (uint64_t)n, &ev, th);
	}
	kcap_filter_free(filter);
	kcap_format_free(&fmt);
	kcap_reader_close(r);
	kcap_threads_free(th);
	kcap_sbuf_free(&line);
}

#endif /* KCAP_FUZZ_REPLAY_H */
