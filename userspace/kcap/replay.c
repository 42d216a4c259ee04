// SPDX-License-Identifier: MIT
/* kcap replay: print the events of a .scap file, like `sysdig -r`. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "filter.h"
#include "format.h"
#include "kcap.h"
#include "scap_reader.h"
#include "threads.h"

static const char usage[] =
	"usage: kcap replay FILE [OPTIONS] [FILTER]\n"
	"\n"
	"Prints one line per event of FILE (.scap, raw or gzip-compressed; '-':\n"
	"standard input, each event as it comes):\n"
	"  NUM TIME CPU PROCESS (TID) DIR EVENT PARAMS\n"
	"where DIR is '>' for an enter event and '<' for an exit event.\n"
	"FILTER, as sysdig's, keeps the events it matches, e.g.\n"
	"  'evt.type in (open, openat) and proc.name=cat and not fd.name startswith /proc'\n"
	"with = != < <= > >= contains icontains startswith endswith glob in exists,\n"
	"and, or, not and parentheses, over the fields of -p (docs/filters.md).\n"
	"\n"
	"options:\n"
	"  -n, --count N          stop after printing N events\n"
	"  -j, --json             one JSON object per line instead of text\n"
	"  -t, --type NAME[,...]  only events of these types (e.g. open,openat,close)\n"
	"      --tid TID          only events of this thread id\n"
	"  -p, --print FORMAT     one line per event made of FORMAT: text with %FIELD\n"
	"                         for a field of the event (as sysdig's -p), %% for %;\n"
	"                         fields: evt.num evt.time evt.rawtime evt.cpu evt.dir\n"
	"                         evt.type evt.args evt.arg.NAME evt.rawarg.NAME\n"
	"                         evt.res evt.rawres evt.failed\n"
	"                         proc.name proc.pid proc.ppid proc.exe proc.cwd\n"
	"                         proc.cmdline thread.tid user.uid user.name group.gid\n"
	"                         fd.num fd.name fd.type fd.sip fd.dip fd.sport\n"
	"                         fd.dport fd.l4proto container.id\n"
	"  -s, --bytes N          show at most N bytes of each buffer (default 80;\n"
	"                         strings show up to 65536 bytes)\n"
	"  -A, --ascii            buffers as printable ASCII, other bytes as '.'\n"
	"  -X, --hex              buffers as hex bytes\n"
	"  -q, --quiet            print no events (with --stats: only the summary)\n"
	"      --stats            print totals per event type, the time span and the\n"
	"                         blocks read to stderr at the end\n"
	"  -h, --help             show this help\n";

struct replay_opts {
	const char *path;
	uint64_t max_events;		/* 0: no limit */
	bool json, stats, quiet;
	bool live;			/* FILE is "-": standard input */
	bool has_tid;
	int64_t tid;
	bool *types;			/* per event type, NULL: all */
	struct kcap_filter *filter;	/* FILTER, NULL: none */
	struct kcap_format format;	/* -p */
	bool has_format;
	struct kcap_fmt_opts fmt;
	uint64_t value_cuts;		/* values shown cut, counted by fmt */
};

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	if (!*s || *s == '-')
		return -1;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

/* Marks every event type called one of the comma-separated names. */
static int parse_types(const char *list, bool **types)
{
	char bad[64];

	*types = calloc(KCAP_EVENT_MAX, sizeof(bool));
	if (!*types) {
		kcap_errorf("out of memory");
		return -1;
	}
	if (kcap_events_from_list(list, *types, bad, sizeof(bad)) < 0) {
		kcap_errorf("--type: unknown event type '%s'", bad);
		return -1;
	}
	return 0;
}

/* The words after FILE, joined by spaces as sysdig joins them: the filter. */
static int parse_filter(int n, char **words, struct replay_opts *o)
{
	char *text = kcap_join_words(n, words), err[512];

	if (!text) {
		kcap_errorf("out of memory");
		return -1;
	}
	o->filter = kcap_filter_compile(text, err, sizeof(err));
	if (!o->filter)
		kcap_errorf("filter: %s: %s", text, err);
	free(text);
	return o->filter ? 0 : -1;
}

static int parse_opts(int argc, char **argv, struct replay_opts *o)
{
	enum { OPT_STATS = 256, OPT_TID };
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "type", required_argument, NULL, 't' },
		{ "tid", required_argument, NULL, OPT_TID },
		{ "print", required_argument, NULL, 'p' },
		{ "bytes", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "ascii", no_argument, NULL, 'A' },
		{ "hex", no_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[256];
	uint64_t v;
	int c;

	o->fmt.bytebuf_max = KCAP_FMT_BYTEBUF_DEFAULT;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "n:jt:p:s:qAXh", longopts, NULL)) != -1) {
		switch (c) {
		case 'A':
			o->fmt.bytes = KCAP_FMT_BYTES_ASCII;
			break;
		case 'X':
			o->fmt.bytes = KCAP_FMT_BYTES_HEX;
			break;
		case 'n':
			if (parse_u64(optarg, &o->max_events) < 0) {
				kcap_errorf("-n: '%s' is not a count of events", optarg);
				return -1;
			}
			break;
		case 'j':
			o->json = true;
			break;
		case 't':
			if (parse_types(optarg, &o->types) < 0)
				return -1;
			break;
		case 'p':
			if (o->has_format)
				kcap_format_free(&o->format);
			if (kcap_format_compile(optarg, &o->format, err, sizeof(err)) < 0) {
				kcap_errorf("-p: %s", err);
				return -1;
			}
			o->has_format = true;
			break;
		case OPT_TID:
			if (parse_u64(optarg, &v) < 0 || v > INT64_MAX) {
				kcap_errorf("--tid: '%s' is not a thread id", optarg);
				return -1;
			}
			o->has_tid = true;
			o->tid = (int64_t)v;
			break;
		case 's':
			if (parse_u64(optarg, &v) < 0 || v > UINT32_MAX) {
				kcap_errorf("-s: '%s' is not a byte count", optarg);
				return -1;
			}
			o->fmt.bytebuf_max = (uint32_t)v;
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_STATS:
			o->stats = true;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			if (optopt && optopt < 256)
				kcap_errorf("replay: bad option '-%c' (try 'kcap replay --help')", optopt);
			else
				kcap_errorf("replay: bad option '%s' (try 'kcap replay --help')",
					    argv[optind - 1]);
			return -1;
		}
	}
	if (optind == argc) {
		kcap_errorf("replay: no FILE given (try 'kcap replay --help')");
		return -1;
	}
	o->path = argv[optind];
	o->live = !strcmp(o->path, "-");
	return optind + 1 < argc ? parse_filter(argc - optind - 1, argv + optind + 1, o) : 0;
}

struct replay_stats {
	uint64_t per_type[KCAP_EVENT_MAX];
	uint64_t printed;
	uint64_t first_ts, last_ts;
};

static void print_stats(const struct replay_stats *s, const struct kcap_reader_stats *rs)
{
	uint32_t i;
	int t;

	fprintf(stderr, "events: %" PRIu64 " read, %" PRIu64 " shown, %" PRIu64
		" skipped (type above the schema)\n", rs->events, s->printed,
		rs->skipped_unknown_type);
	if (rs->events)
		fprintf(stderr, "time span: %.9f s (%" PRIu64 " .. %" PRIu64 ")\n",
			(double)(s->last_ts - s->first_ts) / 1e9, s->first_ts, s->last_ts);
	fprintf(stderr, "blocks: %" PRIu64 " in %u section(s), %" PRIu64 " bytes\n",
		rs->blocks, rs->sections, rs->bytes);
	for (i = 0; i < rs->nkinds; i++)
		fprintf(stderr, "  block 0x%x: %" PRIu64 "\n", rs->kinds[i].type, rs->kinds[i].count);
	fprintf(stderr, "events per type:\n");
	for (t = 0; t < KCAP_EVENT_MAX; t++)
		if (s->per_type[t])
			fprintf(stderr, "  %c %-24s %" PRIu64 "\n", PPME_IS_ENTER(t) ? '>' : '<',
				g_event_info[t].name, s->per_type[t]);
}

static bool wanted(const struct replay_opts *o, uint64_t num, const struct kcap_evt *ev,
		   const struct kcap_threads *th)
{
	if (o->types && !o->types[kcap_evt_type(ev)])
		return false;
	if (o->has_tid && kcap_evt_tid(ev) != o->tid)
		return false;
	return !o->filter || kcap_filter_match(o->filter, num, ev, th);
}

static int flush(struct kcap_sbuf *out)
{
	if (out->len && fwrite(out->p, 1, out->len, stdout) != out->len)
		return -1;
	kcap_sbuf_reset(out);
	return 0;
}

/* Formats ev after what out holds; false (out unchanged) when out of memory. */
static bool format_event(const struct replay_opts *o, struct kcap_sbuf *out, uint64_t num,
			 const struct kcap_evt *ev, const struct kcap_threads *th)
{
	size_t start = out->len;

	if (o->has_format)
		kcap_format_line(out, &o->format, num, ev, th, &o->fmt);
	else if (o->json)
		kcap_fmt_json_line(out, num, ev, th, &o->fmt);
	else
		kcap_fmt_text_line(out, num, ev, th, &o->fmt);
	if (!out->oom)
		return true;
	/* Never a half line: drop it, keep the lines before it. */
	out->oom = 0;
	out->len = start;
	if (out->p)
		out->p[start] = '\0';
	return false;
}

static int replay(const struct replay_opts *o, struct kcap_reader *r, struct kcap_threads *th,
		  struct replay_stats *s)
{
	struct kcap_sbuf out = { 0 };
	uint32_t section = 0;
	uint64_t num = 0;
	struct kcap_evt ev;
	int rc = 0;
	bool out_failed = false;

	while ((!o->max_events || s->printed < o->max_events) && (rc = kcap_reader_next(r, &ev)) > 0) {
		if (kcap_reader_section(r) != section) {
			section = kcap_reader_section(r);
			if (kcap_threads_load(th, kcap_reader_meta(r)) < 0) {
				kcap_errorf("out of memory loading the thread table");
				rc = -1;
				break;
			}
		}
		num++;
		if (num == 1)
			s->first_ts = kcap_evt_ts(&ev);
		s->last_ts = kcap_evt_ts(&ev);
		s->per_type[kcap_evt_type(&ev)]++;
		if (kcap_threads_update(th, &ev) < 0) {
			kcap_errorf("%s: event %" PRIu64 ": out of memory updating the thread table",
				    o->path, num);
			rc = -1;
			break;
		}
		if ((ev.flags & KCAP_EVF_STATE_ONLY) || !wanted(o, num, &ev, th))
			continue;
		s->printed++;
		if (o->quiet)
			continue;
		if (!format_event(o, &out, num, &ev, th)) {
			flush(&out);
			kcap_errorf("%s: event %" PRIu64 ": out of memory formatting it", o->path, num);
			rc = -1;
			break;
		}
		/* From a live capture (stdin), each event as it comes. */
		if ((out.len >= 1 << 16 || o->live) && (flush(&out) < 0 ||
							(o->live && fflush(stdout) != 0))) {
			out_failed = true;
			break;
		}
	}
	if (o->max_events && s->printed >= o->max_events && rc > 0)
		rc = 0;
	if (out_failed || flush(&out) < 0 || fflush(stdout) != 0) {
		kcap_errorf("cannot write the output: %s", strerror(errno));
		rc = -1;
	} else if (rc < 0 && kcap_reader_error(r)[0]) {
		kcap_errorf("%s", kcap_reader_error(r));
	}
	kcap_sbuf_free(&out);
	return rc;
}

/* One line on what was cut to keep memory and output bounded, if anything. */
static void report_cuts(const struct replay_opts *o, const struct kcap_reader *r,
			const struct kcap_threads *th)
{
	const struct kcap_threads_cuts *tc = kcap_threads_cuts(th);
	uint64_t meta = kcap_reader_stats(r)->meta_cut;
	char line[512];
	int n = 0;

	if (meta)
		n += snprintf(line + n, sizeof(line) - n, ", %" PRIu64 " metadata entries past %u MiB",
			      meta, KCAP_META_MAX_BYTES >> 20);
	if (tc->paths)
		n += snprintf(line + n, sizeof(line) - n, ", %" PRIu64 " paths longer than %u bytes",
			      tc->paths, KCAP_PATH_MAX);
	if (tc->entries)
		n += snprintf(line + n, sizeof(line) - n,
			      ", %" PRIu64 " threads, fds or names past the %u MiB table",
			      tc->entries, KCAP_STATE_MAX_BYTES >> 20);
	if (o->value_cuts)
		n += snprintf(line + n, sizeof(line) - n, ", %" PRIu64 " values shown up to %u bytes",
			      o->value_cuts, KCAP_FMT_STR_MAX);
	if (n)
		kcap_errorf("%s: cut to stay bounded: %s", o->path, line + 2);
}

int cmd_replay(int argc, char **argv)
{
	struct replay_opts o = { 0 };
	struct replay_stats *s = NULL;
	struct kcap_threads *th = NULL;
	struct kcap_reader *r = NULL;
	char err[512];
	int status = 1;

	if (parse_opts(argc, argv, &o) < 0) {
		status = 2;
		goto out;
	}
	r = kcap_reader_open(o.path, err, sizeof(err));
	if (!r) {
		kcap_errorf("%s", err);
		goto out;
	}
	th = kcap_threads_new();
	s = calloc(1, sizeof(*s));
	if (!th || !s) {
		kcap_errorf("out of memory");
		goto out;
	}
	o.fmt.cuts = &o.value_cuts;
	if (replay(&o, r, th, s) == 0)
		status = 0;
	report_cuts(&o, r, th);
	if (o.stats)
		print_stats(s, kcap_reader_stats(r));
out:
	kcap_threads_free(th);
	kcap_reader_close(r);
	free(s);
	free(o.types);
	kcap_filter_free(o.filter);
	if (o.has_format)
		kcap_format_free(&o.format);
	return status;
}
