// SPDX-License-Identifier: MIT
/*
 * kcap's own events in files (own_events.h): each travels in an asyncevent
 * whose bytes the tests spell out, comes back from the reader as the event
 * it was, byte for byte, and a second write gives the same file. tshark, a
 * reader that knows none of kcap's events, reads such files whole.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "own_events.h"
#include "scap_blocks.h"
#include "scap_build.h"
#include "scap_reader.h"
#include "scap_writer.h"

#define NEVENTS 3

/* A tcp_state over IPv6, a swapin and a close: kcap's own events among upstream's. */
static void build_events(struct bytes *b, size_t *offs)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	uint8_t fam = 10, old = 2, new = 1, res[4] = { 4, 4, 0, 0 };
	uint16_t proto = 6, sport = 40000, dport = 5555;
	uint64_t addr = 0x7f0000001000ull, latency = 123456, res64 = 3, fd = 3;
	struct bytes one;
	struct kcap_evt ev;

	b->len = 0;
	offs[0] = b->len;
	build_event(&one, &ev, PPME_TCP_STATE_E, -1, "family", &fam, 1, "protocol", &proto, 2,
		    "saddr", lo6, 16, "sport", &sport, 2, "daddr", lo6, 16, "dport", &dport, 2,
		    "oldstate", &old, 1, "newstate", &new, 1, NULL);
	put_raw(b, one.data, one.len);
	offs[1] = b->len;
	build_event(&one, &ev, PPME_SWAPIN_E, 77, "addr", &addr, 8, "res", res, 4,
		    "latency", &latency, 8, NULL);
	put_raw(b, one.data, one.len);
	offs[2] = b->len;
	build_event(&one, &ev, PPME_CLOSE_X, 77, "res", &res64, 8, "fd", &fd, 8, NULL);
	put_raw(b, one.data, one.len);
}

static void write_events(const char *path, const uint8_t *bytes, const size_t *offs, int n,
			 const uint16_t *cpus, const uint32_t *flags)
{
	struct kcap_meta empty;
	struct kcap_writer *w;
	char err[512];
	int i;

	kcap_meta_init(&empty);
	w = kcap_writer_open(path, false, err, sizeof(err));
	cr_assert_not_null(w, "%s", err);
	cr_assert_eq(kcap_writer_meta(w, &empty), 0);
	for (i = 0; i < n; i++)
		cr_assert_eq(kcap_writer_event(w, cpus[i], flags[i],
					       (const void *)(bytes + offs[i])), 0, "%s",
			     kcap_writer_error(w));
	cr_assert_eq(kcap_writer_close(w, NULL, err, sizeof(err)), 0, "%s", err);
}

/* The events of path, as the reader gives them, copied into b. */
static int read_events(const char *path, struct bytes *b, size_t *offs, uint16_t *cpus,
		       uint32_t *flags)
{
	struct kcap_reader *r;
	struct kcap_evt ev;
	char err[512];
	int n = 0, rc;

	b->len = 0;
	r = kcap_reader_open(path, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	while ((rc = kcap_reader_next(r, &ev)) > 0) {
		cr_assert_lt(n, NEVENTS + 1);
		offs[n] = b->len;
		cpus[n] = ev.cpu;
		flags[n++] = ev.flags;
		put_raw(b, ev.hdr, kcap_evt_len(&ev));
	}
	cr_assert_eq(rc, 0, "%s", kcap_reader_error(r));
	kcap_reader_close(r);
	return n;
}

/* The bytes of own event ev as its asyncevent block, as docs/own-events.md spells them. */
static void expect_block(const uint8_t *file, size_t at, const uint8_t *ev, uint16_t cpu,
			 uint32_t flags, const char *name)
{
	uint32_t ev_len = *(const uint32_t *)(ev + 16), data = ev_len - 22;
	uint32_t name_len = (uint32_t)strlen(name) + 1, len = 26 + 12 + 4 + name_len + data;
	struct bytes b = { .len = 0 };
	size_t content = 2 + (flags ? 4 : 0) + len, total = 12 + content + (-content & 3);

	put_le(&b, flags ? SCAP_EVF_V2_LARGE : SCAP_EV_V2_LARGE, 4);
	put_le(&b, total, 4);
	put_le(&b, cpu, 2);
	if (flags)
		put_le(&b, flags, 4);
	put_raw(&b, ev, 16);			/* ts, tid */
	put_le(&b, len, 4);
	put_le(&b, PPME_ASYNCEVENT_E, 2);
	put_le(&b, 3, 4);
	put_le(&b, 4, 4);
	put_le(&b, name_len, 4);
	put_le(&b, data, 4);
	put_le(&b, 0, 4);			/* plugin_id */
	put_raw(&b, name, name_len);
	put_raw(&b, ev + 22, data);		/* nparams, lengths, values */
	while (b.len % 4 != 0)
		put_le(&b, 0, 1);
	put_le(&b, total, 4);
	cr_assert_eq(b.len, total);
	cr_assert(memcmp(file + at, b.data, b.len) == 0, "%s: block bytes differ", name);
}

Test(own_events, travel_in_asyncevents_and_round_trip_byte_for_byte)
{
	static struct bytes src, back;
	char path[4096], again[4096];
	uint16_t cpus[NEVENTS] = { 1, 0, 1 }, rcpus[NEVENTS + 1];
	uint32_t flags[NEVENTS] = { 0, KCAP_EVF_STATE_ONLY, 0 }, rflags[NEVENTS + 1];
	size_t offs[NEVENTS], roffs[NEVENTS + 1], size, size2, at;
	uint8_t *file, *file2;
	int i;

	snprintf(path, sizeof(path), "%s", tmp_path("own.scap"));
	snprintf(again, sizeof(again), "%s", tmp_path("own-again.scap"));
	build_events(&src, offs);
	write_events(path, src.data, offs, NEVENTS, cpus, flags);
	file = read_file(path, &size);
	at = 28;	/* after the SHB */
	expect_block(file, at, src.data + offs[0], 1, 0, "kcap.tcp_state");
	at += *(const uint32_t *)(file + at + 4);
	expect_block(file, at, src.data + offs[1], 0, KCAP_EVF_STATE_ONLY, "kcap.swapin");

	cr_assert_eq(read_events(path, &back, roffs, rcpus, rflags), NEVENTS);
	cr_assert_eq(back.len, src.len);
	for (i = 0; i < NEVENTS; i++) {
		cr_assert_eq(roffs[i], offs[i]);
		cr_assert_eq(rcpus[i], cpus[i]);
		cr_assert_eq(rflags[i], flags[i]);
	}
	cr_assert(memcmp(back.data, src.data, src.len) == 0, "events differ after a round trip");

	write_events(again, back.data, roffs, NEVENTS, rcpus, rflags);
	file2 = read_file(again, &size2);
	cr_assert_eq(size2, size);
	cr_assert(memcmp(file, file2, size) == 0, "a second write differs");
	free(file);
	free(file2);
	unlink(path);
	unlink(again);
}

/*
 * An asyncevent is one of kcap's only when all of it says so: plugin 0, a
 * name of one of kcap's events, a body whose lengths add up. Any other stays
 * the asyncevent it is, and is written back as it came.
 */
Test(own_events, other_asyncevents_stay_asyncevents)
{
	static struct bytes src, back, one;
	char path[4096], again[4096];
	static const uint8_t good_body[] = { 1, 0, 0, 0, 1, 0, 7 };
	static const uint8_t short_body[] = { 1, 0, 0, 0, 9, 0, 7 };	/* 9 bytes said, 1 there */
	static const uint8_t long_body[] = { 1, 0, 0, 0, 1, 0, 7, 7 };	/* one byte too many */
	static const uint8_t many_body[] = { 33, 0, 0, 0 };
	struct {
		uint32_t plugin;
		const char *name;
		const uint8_t *body;
		uint32_t len;
	} cases[] = {
		{ 0, "kcap.future", good_body, sizeof(good_body) },
		{ 0, "kcap.NA", good_body, sizeof(good_body) },
		{ 0, "tcp_state", good_body, sizeof(good_body) },
		{ 1, "kcap.tcp_state", good_body, sizeof(good_body) },
		{ 0, "kcap.tcp_state", short_body, sizeof(short_body) },
		{ 0, "kcap.tcp_state", long_body, sizeof(long_body) },
		{ 0, "kcap.tcp_state", many_body, sizeof(many_body) },
		{ 0, "kcap.tcp_state", good_body, 3 },
	};
	uint16_t cpus[8] = { 0 }, rcpus[8];
	uint32_t flags[8] = { 0 }, rflags[8];
	size_t offs[8], roffs[8], i, n = sizeof(cases) / sizeof(cases[0]), size, size2;
	uint8_t *file, *file2;
	struct kcap_evt ev;

	snprintf(path, sizeof(path), "%s", tmp_path("async.scap"));
	snprintf(again, sizeof(again), "%s", tmp_path("async-again.scap"));
	src.len = 0;
	for (i = 0; i < n; i++) {
		offs[i] = src.len;
		build_event(&one, &ev, PPME_ASYNCEVENT_E, 5, "plugin_id", &cases[i].plugin, 4,
			    "name", cases[i].name, (uint32_t)strlen(cases[i].name) + 1,
			    "data", cases[i].body, cases[i].len, NULL);
		put_raw(&src, one.data, one.len);
	}
	write_events(path, src.data, offs, (int)n, cpus, flags);
	back.len = 0;
	{
		struct kcap_reader *r;
		char err[256];
		int rc, k = 0;

		r = kcap_reader_open(path, err, sizeof(err));
		cr_assert_not_null(r, "%s", err);
		while ((rc = kcap_reader_next(r, &ev)) > 0) {
			cr_assert_eq(kcap_evt_type(&ev), PPME_ASYNCEVENT_E, "case %d unwrapped", k);
			roffs[k] = back.len;
			rcpus[k] = ev.cpu;
			rflags[k++] = ev.flags;
			put_raw(&back, ev.hdr, kcap_evt_len(&ev));
		}
		cr_assert_eq(rc, 0, "%s", kcap_reader_error(r));
		cr_assert_eq(k, (int)n);
		kcap_reader_close(r);
	}
	write_events(again, back.data, roffs, (int)n, rcpus, rflags);
	file = read_file(path, &size);
	file2 = read_file(again, &size2);
	cr_assert(size == size2 && memcmp(file, file2, size) == 0, "written back differently");
	free(file);
	free(file2);
	unlink(path);
	unlink(again);
}

/* No id past upstream's reaches a file: NA rows and ids past kcap's are refused. */
Test(own_events, ids_without_a_place_in_files_are_refused)
{
	static const uint16_t types[] = { PPME_NA_455_X, KCAP_EVENT_MAX, 0xffff };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct ppm_evt_hdr h = { .ts = 1, .tid = 1, .len = 26, .type = types[i] };
		const char *path = tmp_path("refused-own.scap");
		struct kcap_meta empty;
		struct kcap_writer *w;
		char err[256];

		kcap_meta_init(&empty);
		w = kcap_writer_open(path, false, err, sizeof(err));
		cr_assert_not_null(w, "%s", err);
		kcap_writer_meta(w, &empty);
		cr_assert_eq(kcap_writer_event(w, 0, 0, &h), -1, "type %u written", types[i]);
		cr_assert(strstr(kcap_writer_error(w), "has no place in a .scap file"), "%s",
			  kcap_writer_error(w));
		kcap_writer_close(w, NULL, NULL, 0);
		unlink(path);
	}
}

/*
 * tshark (Debian's), which knows none of kcap's events, reads a file with
 * them whole: every event a frame, nothing malformed, no expert warning.
 */
Test(own_events, tshark_reads_files_with_them_whole)
{
	static struct bytes src;
	char path[4096];
	uint16_t cpus[NEVENTS] = { 0 };
	uint32_t flags[NEVENTS] = { 0 };
	size_t offs[NEVENTS];
	char *out;

	snprintf(path, sizeof(path), "%s", tmp_path("own-tshark.scap"));
	build_events(&src, offs);
	write_events(path, src.data, offs, NEVENTS, cpus, flags);
	out = tshark_frames(path, "-e frame.number -e frame.len");
	cr_assert_str_eq(out, "1\t118\n2\t84\n3\t46\n", "%s", out);
	free(out);
	unlink(path);
}
