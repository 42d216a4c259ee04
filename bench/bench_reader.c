// SPDX-License-Identifier: MIT
/*
 * Reader benchmark: builds a capture of at least 2 million events by
 * repeating the shared samples' events with rising timestamps, then times,
 * on one core, decoding only, decoding plus the thread table, plus a
 * three-clause filter (two: one that rules most events out on its first
 * check, one whose every check runs), and plus text or JSON formatting.
 * Filter rows print their cost over the thread-table row of the same run.
 *
 * usage: bench_reader [SHARED_DIR] [MIN_EVENTS]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "filter.h"
#include "format.h"
#include "scap_reader.h"
#include "scap_writer.h"
#include "threads.h"

#define RUNS 3

struct corpus {
	uint8_t *bytes;		/* canonical events back to back */
	size_t len, cap;
	uint64_t count;
	uint16_t *cpus;
	struct kcap_meta meta;	/* of the first sample */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "bench_reader: out of memory\n");
		exit(1);
	}
	return p;
}

static void add_event(struct corpus *c, const struct kcap_evt *ev)
{
	uint32_t len = kcap_evt_len(ev);

	if (c->len + len > c->cap) {
		c->cap = (c->cap + len) * 2;
		c->bytes = xrealloc(c->bytes, c->cap);
	}
	memcpy(c->bytes + c->len, ev->hdr, len);
	c->len += len;
	c->cpus = xrealloc(c->cpus, (c->count + 1) * sizeof(*c->cpus));
	c->cpus[c->count++] = ev->cpu;
}

/* Copies the metadata of the first sample so replays can name processes. */
static void copy_meta(struct kcap_meta *dst, const struct kcap_meta *src)
{
	size_t i;

	dst->machine = src->machine;
	for (i = 0; i < src->nprocs; i++) {
		struct kcap_proc *p = kcap_meta_add_proc(dst);
		const struct kcap_proc *s = &src->procs[i];

		*p = *s;
		p->comm = p->exe = p->exepath = p->args = p->cwd = p->env = p->cgroups =
			p->root = (struct kcap_blob){ 0 };
		kcap_blob_set(&p->comm, s->comm.data, s->comm.len);
		kcap_blob_set(&p->exe, s->exe.data, s->exe.len);
		kcap_blob_set(&p->cwd, s->cwd.data, s->cwd.len);
	}
}

static void load_samples(struct corpus *c, const char *dir)
{
	struct dirent **names;
	int n, i;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "bench_reader: cannot list %s (the shared samples are needed)\n", dir);
		exit(1);
	}
	for (i = 0; i < n; i++) {
		char path[4400], err[512];
		struct kcap_reader *r;
		struct kcap_evt ev;

		if (strstr(names[i]->d_name, ".scap")) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			r = kcap_reader_open(path, err, sizeof(err));
			while (r && kcap_reader_next(r, &ev) > 0) {
				if (!c->meta.nprocs && kcap_reader_meta(r)->nprocs)
					copy_meta(&c->meta, kcap_reader_meta(r));
				add_event(c, &ev);
			}
			kcap_reader_close(r);
		}
		free(names[i]);
	}
	free(names);
}

/* Writes the corpus again and again, shifting timestamps so they keep rising. */
static uint64_t write_big(const struct corpus *c, const char *path, uint64_t min_events)
{
	struct kcap_writer *w;
	uint64_t written = 0, ts = 1700000000000000000ull;
	uint8_t *ev = xrealloc(NULL, 1 << 17);
	char err[512];

	w = kcap_writer_open(path, false, err, sizeof(err));
	if (!w || kcap_writer_meta(w, &c->meta) < 0) {
		fprintf(stderr, "bench_reader: %s\n", w ? kcap_writer_error(w) : err);
		exit(1);
	}
	while (written < min_events) {
		size_t off = 0;
		uint64_t i;

		for (i = 0; i < c->count; i++) {
			struct ppm_evt_hdr hdr;

			memcpy(&hdr, c->bytes + off, sizeof(hdr));
			memcpy(ev, c->bytes + off, hdr.len);
			hdr.ts = ts += 1000;
			memcpy(ev, &hdr, sizeof(hdr));
			kcap_writer_event(w, c->cpus[i], 0, (struct ppm_evt_hdr *)ev);
			off += hdr.len;
			written++;
		}
	}
	if (kcap_writer_close(w, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_reader: %s\n", err);
		exit(1);
	}
	free(ev);
	return written;
}

enum mode { DECODE, STATE, FILTER_TYPES, FILTER_ALL, TEXT, JSON, NMODES };

static const char *const g_filters[NMODES] = {
	[FILTER_TYPES] = "evt.type in (open, openat, connect) and proc.name != nosuch and fd.num >= 0",
	[FILTER_ALL] = "proc.name != nosuch and fd.num >= -1 and fd.name != /nosuch",
};

static double run(const char *path, enum mode mode, uint64_t *events, uint64_t *matched)
{
	struct kcap_filter *filter = NULL;
	struct kcap_fmt_opts opts = { .bytebuf_max = KCAP_FMT_BYTEBUF_DEFAULT };
	struct kcap_threads *th = kcap_threads_new();
	struct kcap_sbuf out = { 0 };
	struct kcap_reader *r;
	struct kcap_evt ev;
	uint64_t n = 0, sink = 0;
	uint32_t section = 0;
	char err[512];
	double t0;

	if (g_filters[mode] && !(filter = kcap_filter_compile(g_filters[mode], err, sizeof(err)))) {
		fprintf(stderr, "bench_reader: %s\n", err);
		exit(1);
	}
	*matched = 0;
	t0 = now();
	r = kcap_reader_open(path, err, sizeof(err));
	while (r && kcap_reader_next(r, &ev) > 0) {
		n++;
		if (mode == DECODE) {
			sink += ev.len[0];
			continue;
		}
		if (kcap_reader_section(r) != section) {
			section = kcap_reader_section(r);
			kcap_threads_load(th, kcap_reader_meta(r));
		}
		kcap_threads_update(th, &ev);
		if (filter)
			*matched += kcap_filter_match(filter, n, &ev, th);
		if (mode == STATE || filter)
			continue;
		if (mode == TEXT)
			kcap_fmt_text_line(&out, n, &ev, th, &opts);
		else
			kcap_fmt_json_line(&out, n, &ev, th, &opts);
		if (out.len > (1 << 16)) {
			sink += (uint8_t)out.p[out.len / 2];
			kcap_sbuf_reset(&out);
		}
	}
	if (!r || kcap_reader_error(r)[0]) {
		fprintf(stderr, "bench_reader: %s\n", r ? kcap_reader_error(r) : err);
		exit(1);
	}
	kcap_reader_close(r);
	t0 = now() - t0;
	kcap_threads_free(th);
	kcap_sbuf_free(&out);
	kcap_filter_free(filter);
	*events = n + (sink & 0);
	return t0;
}

int main(int argc, char **argv)
{
	const char *shared = argc > 1 ? argv[1] : KCAP_SOURCE_DIR "/../shared";
	uint64_t min_events = argc > 2 ? strtoull(argv[2], NULL, 10) : 2500000;
	static const char *const names[NMODES] = {
		"decode only", "+ threads", "+ filter (types)", "+ filter (all)", "+ text", "+ json",
	};
	char dir[4096], path[4096];
	struct corpus c = { 0 };
	struct stat st;
	cpu_set_t one;
	uint64_t total;
	double state_best = 0;
	int m;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	kcap_meta_init(&c.meta);
	snprintf(dir, sizeof(dir), "%s/scap-samples", shared);
	load_samples(&c, dir);
	if (!c.count) {
		fprintf(stderr, "bench_reader: no events in %s\n", dir);
		return 1;
	}
	snprintf(path, sizeof(path), "bench-reader-%d.scap", (int)getpid());
	total = write_big(&c, path, min_events);
	stat(path, &st);
	printf("capture: %llu events, %.1f MB (%llu distinct sample events repeated), one core\n",
	       (unsigned long long)total, (double)st.st_size / 1e6, (unsigned long long)c.count);
	printf("%-18s %12s %10s %12s %10s %s\n", "mode", "events", "best s", "Mevents/s", "MB/s",
	       "filter cost");
	for (m = DECODE; m < NMODES; m++) {
		double best = 1e9;
		uint64_t n = 0, matched = 0;
		int i;

		for (i = 0; i < RUNS; i++) {
			double t = run(path, (enum mode)m, &n, &matched);

			best = t < best ? t : best;
		}
		if (m == STATE)
			state_best = best;
		printf("%-18s %12llu %10.3f %12.2f %10.1f", names[m], (unsigned long long)n, best,
		       (double)n / best / 1e6, (double)st.st_size / best / 1e6);
		if (g_filters[m])
			printf(" %.0f ns/event, %.1f%% matched: %s", (best - state_best) / (double)n * 1e9,
			       100.0 * (double)matched / (double)n, g_filters[m]);
		putchar('\n');
	}
	unlink(path);
	kcap_meta_free(&c.meta);
	free(c.bytes);
	free(c.cpus);
	return 0;
}
