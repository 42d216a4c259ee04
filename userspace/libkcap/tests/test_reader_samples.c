// SPDX-License-Identifier: MIT
/* Every shared sample capture replays to EOF with the README's block counts. */
#include <criterion/criterion.h>
#include <string.h>

#include "format.h"
#include "helpers.h"
#include "sample_list.h"
#include "scap_build.h"
#include "scap_reader.h"
#include "threads.h"

static struct sample samples[MAX_SAMPLES];
static int nsamples;

static void setup(void)
{
	nsamples = load_samples(samples, MAX_SAMPLES);
	if (nsamples < 0)
		cr_skip_test("../shared/scap-samples is absent: skipped");
	cr_assert_gt(nsamples, 0, "no sample listed in scap-samples/README.md");
}

static int fixed_size(enum ppm_param_type t)
{
	switch (t) {
	case PT_INT8: case PT_UINT8: case PT_SIGTYPE: case PT_FLAGS8: case PT_ENUMFLAGS8:
	case PT_L4PROTO: case PT_SOCKFAMILY:
		return 1;
	case PT_INT16: case PT_UINT16: case PT_FLAGS16: case PT_ENUMFLAGS16: case PT_PORT:
	case PT_SYSCALLID:
		return 2;
	case PT_INT32: case PT_UINT32: case PT_FLAGS32: case PT_ENUMFLAGS32: case PT_UID:
	case PT_GID: case PT_MODE: case PT_FD32: case PT_PID32: case PT_SIGSET: case PT_BOOL:
	case PT_IPV4ADDR:
		return 4;
	case PT_INT64: case PT_UINT64: case PT_ERRNO: case PT_FD: case PT_PID: case PT_RELTIME:
	case PT_ABSTIME: case PT_DOUBLE:
		return 8;
	default:
		return 0;
	}
}

/* Each parameter is one the table knows, and fixed-size ones have their size. */
static void check_params(const struct sample *s, uint64_t num, const struct kcap_evt *ev)
{
	const struct ppm_event_info *info = &g_event_info[kcap_evt_type(ev)];
	uint32_t i;

	cr_assert_leq(ev->nparams, info->nparams, "%s event %llu (%s): %u params, table has %u",
		      s->name, (unsigned long long)num, info->name, ev->nparams, info->nparams);
	for (i = 0; i < ev->nparams; i++) {
		int size = fixed_size(info->params[i].type);

		cr_assert(ev->len[i] == 0 || size == 0 || (int)ev->len[i] == size,
			  "%s event %llu (%s) param %s: %u bytes, type needs %d", s->name,
			  (unsigned long long)num, info->name, info->params[i].name, ev->len[i],
			  size);
	}
}

static void replay_sample(const struct sample *s)
{
	struct kcap_fmt_opts opts = { .bytebuf_max = KCAP_FMT_BYTEBUF_DEFAULT };
	struct kcap_threads *th = kcap_threads_new();
	struct kcap_sbuf out = { 0 };
	const struct kcap_reader_stats *st;
	struct kcap_reader *r;
	struct kcap_evt ev;
	uint32_t section = 0;
	uint64_t num = 0;
	char err[512];
	int rc, k;

	r = kcap_reader_open(s->path, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	while ((rc = kcap_reader_next(r, &ev)) > 0) {
		if (kcap_reader_section(r) != section) {
			section = kcap_reader_section(r);
			kcap_threads_load(th, kcap_reader_meta(r));
		}
		check_params(s, ++num, &ev);
		kcap_threads_update(th, &ev);
		kcap_sbuf_reset(&out);
		kcap_fmt_text_line(&out, num, &ev, th, &opts);
		cr_assert(out.len > 0 && out.p[out.len - 1] == '\n');
	}
	cr_assert_eq(rc, 0, "%s: %s", s->name, kcap_reader_error(r));
	st = kcap_reader_stats(r);
	cr_assert_eq(st->event_blocks, s->event_blocks, "%s: %llu event blocks, README says %llu",
		     s->name, (unsigned long long)st->event_blocks,
		     (unsigned long long)s->event_blocks);
	cr_assert_eq(st->events + st->skipped_unknown_type, s->event_blocks);
	for (k = 0; k < (int)s->nkinds; k++)
		cr_assert_eq(blocks_read(st, s->kind_type[k]), s->kind_count[k],
			     "%s: %llu blocks of type 0x%x, README says %llu", s->name,
			     (unsigned long long)blocks_read(st, s->kind_type[k]), s->kind_type[k],
			     (unsigned long long)s->kind_count[k]);
	cr_assert_gt(kcap_threads_count(th), 0, "%s: no thread known after replay", s->name);
	kcap_sbuf_free(&out);
	kcap_threads_free(th);
	kcap_reader_close(r);
}

Test(samples, every_sample_replays_to_eof_with_readme_counts, .init = setup)
{
	int i;

	for (i = 0; i < nsamples; i++)
		replay_sample(&samples[i]);
}

Test(samples, metadata_is_decoded, .init = setup)
{
	int i;

	for (i = 0; i < nsamples; i++) {
		struct kcap_reader *r;
		struct kcap_evt ev;
		char err[512];

		r = kcap_reader_open(samples[i].path, err, sizeof(err));
		cr_assert_not_null(r, "%s", err);
		cr_assert_eq(kcap_reader_next(r, &ev), 1, "%s: %s", samples[i].name,
			     kcap_reader_error(r));
		cr_assert(kcap_reader_meta(r)->machine.present, "%s: no machine info",
			  samples[i].name);
		cr_assert_gt(kcap_reader_meta(r)->nprocs, 0, "%s: no process list", samples[i].name);
		cr_assert_gt(kcap_reader_meta(r)->nfds, 0, "%s: no fd list", samples[i].name);
		kcap_reader_close(r);
	}
}
