// SPDX-License-Identifier: MIT
/*
 * Structure-aware fuzzer: the input drives a generator that writes a .scap
 * with valid block framing around random content (process, fd, interface
 * and user lists of every version; events of every block kind with random
 * types, parameter counts and lengths, values shaped by the table's types),
 * so that mutations reach the thread table and the formatter instead of
 * dying in the framing checks. The library under it is instrumented too.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the input, consumed as choices ------------------------------------ */

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t below(struct input *in, uint32_t max)
{
	uint32_t v = u8(in);

	if (max > 256)
		v = v << 8 | u8(in);
	return max ? v % max : 0;
}

static bool one_in(struct input *in, uint32_t n)
{
	return below(in, n) == 0;
}

/* ---- the output ---------------------------------------------------------- */

struct out {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->oom || !n)
		return;
	if (o->len + n > o->cap) {
		size_t cap = (o->len + n) * 2;
		uint8_t *np = realloc(o->p, cap);

		if (!np) {
			o->oom = true;
			return;
		}
		o->p = np;
		o->cap = cap;
	}
	memcpy(o->p + o->len, p, n);
	o->len += n;
}

static void put_le(struct out *o, uint64_t v, size_t n)
{
	put(o, &v, n);	/* little-endian host */
}

static void set_le(struct out *o, size_t off, uint32_t v, size_t n)
{
	if (!o->oom && off + n <= o->len)
		memcpy(o->p + off, &v, n);
}

static void set_le32(struct out *o, size_t off, uint32_t v)
{
	set_le(o, off, v, 4);
}

/* Opens a block; returns where its length goes. */
static size_t block_open(struct out *o, uint32_t type)
{
	size_t at = o->len;

	put_le(o, type, 4);
	put_le(o, 0, 4);
	return at;
}

static void block_close(struct out *o, size_t at)
{
	static const uint8_t zeros[4];
	size_t content = o->len - at - 8;
	uint32_t total = (uint32_t)(8 + content + ((4 - (content & 3)) & 3) + 4);

	put(o, zeros, (4 - (content & 3)) & 3);
	put_le(o, total, 4);
	set_le32(o, at + 4, total);
}

/* ---- values ------------------------------------------------------------- */

static const char *const pieces[] = { "a", "b", "/", ".", "..", "dir", "\n", "\x9b",
				      "\xe2\x80\xae", "\xc3\xa9", "\\", "\"", "", "tmp" };

/* A path-like string of pieces, NUL-terminated unless the input says not. */
static void put_string(struct out *o, struct input *in, uint32_t max_pieces, bool nul)
{
	uint32_t k = below(in, max_pieces + 1), i;

	for (i = 0; i < k; i++) {
		const char *s = pieces[below(in, sizeof(pieces) / sizeof(pieces[0]))];

		put(o, s, strlen(s));
	}
	if (nul)
		put(o, "", 1);
}

/* A small signed number: fds, results, pids, with AT_FDCWD and errors. */
static int64_t small_num(struct input *in)
{
	switch (below(in, 8)) {
	case 0: return -100;
	case 1: return -(int64_t)below(in, 140);
	case 2: return (int64_t)u8(in) << 40;
	default: return (int64_t)below(in, 16);
	}
}

static void put_sockaddr(struct out *o, struct input *in, bool tuple)
{
	static const uint8_t families[] = { 1, 2, 10, 0, 17 };
	uint8_t fam = families[below(in, sizeof(families))];
	uint32_t i, n;

	put(o, &fam, 1);
	if (fam == 2)
		n = tuple ? 12 : 6;
	else if (fam == 10)
		n = tuple ? 36 : 18;
	else if (fam == 1 && tuple)
		n = 16;
	else
		n = below(in, 24);
	for (i = 0; i < n; i++)
		put_le(o, u8(in), 1);
	if (fam == 1)
		put_string(o, in, 4, !one_in(in, 4));
}

/* A value of type t; the input may make it the wrong size. */
static void put_value(struct out *o, struct input *in, const struct ppm_param_info *pi,
		      int depth)
{
	uint32_t size = pi ? kcap_param_fixed_size(pi->type) : 0, i, n;

	if (one_in(in, 16)) {		/* anything, any length */
		n = below(in, 40);
		for (i = 0; i < n; i++)
			put_le(o, u8(in), 1);
		return;
	}
	if (size == 8 && (pi->type == PT_FD || pi->type == PT_ERRNO || pi->type == PT_PID)) {
		put_le(o, (uint64_t)small_num(in), 8);
		return;
	}
	if (size) {
		for (i = 0; i < size; i++)
			put_le(o, u8(in), 1);
		return;
	}
	switch (pi ? pi->type : PT_BYTEBUF) {
	case PT_CHARBUF: case PT_FSPATH: case PT_FSRELPATH: case PT_CHARBUFARRAY:
		put_string(o, in, 12, !one_in(in, 8));
		if (one_in(in, 3))	/* lists: args, env */
			put_string(o, in, 4, true);
		return;
	case PT_SOCKADDR:
		put_sockaddr(o, in, false);
		return;
	case PT_SOCKTUPLE:
		put_sockaddr(o, in, true);
		return;
	case PT_FDLIST:
		n = below(in, 4);
		put_le(o, n, 2);
		for (i = 0; i < n; i++) {
			put_le(o, (uint64_t)small_num(in), 8);
			put_le(o, u8(in), 2);
		}
		return;
	case PT_DYN:
		n = pi->dyn ? pi->dyn->count + 1 : 1;
		put_le(o, below(in, n), 1);
		if (pi->dyn && depth == 0 && !one_in(in, 4)) {
			const struct ppm_param_info *sub = &pi->dyn->entries[below(in, pi->dyn->count)];

			put_value(o, in, sub, 1);
		}
		return;
	default:
		n = below(in, 64);
		for (i = 0; i < n; i++)
			put_le(o, u8(in), 1);
	}
}

/* ---- events -------------------------------------------------------------- */

/* Types that change the thread table, chosen more often than the rest. */
static const char *const stateful[] = { "clone", "fork", "vfork", "clone3", "execve",
					"execveat", "open", "openat", "openat2", "creat",
					"socket", "connect", "accept", "accept4", "close", "dup",
					"dup2", "dup3", "pipe", "pipe2", "chdir", "fchdir",
					"procexit" };

static uint16_t event_type(struct input *in)
{
	uint32_t t, k;

	if (one_in(in, 8))
		return (uint16_t)below(in, PPM_EVENT_MAX + 8);
	k = below(in, sizeof(stateful) / sizeof(stateful[0]));
	for (t = below(in, PPM_EVENT_MAX); ; t = (t + 1) % PPM_EVENT_MAX)
		if (!strcmp(g_event_info[t].name, stateful[k]))
			return (uint16_t)t;
}

/* An event in the V2 layout (or V1, without nparams, for the old blocks). */
static void put_event(struct out *o, struct input *in, bool v1, bool large)
{
	uint16_t type = event_type(in);
	const struct ppm_event_info *row = type < PPM_EVENT_MAX ? &g_event_info[type] : NULL;
	uint32_t nparams = row && !one_in(in, 6) ? row->nparams : below(in, 34);
	uint32_t width = large ? 4 : 2, i;
	struct out vals = { 0 };
	size_t start = o->len, lens_at;
	uint64_t tid = below(in, 6) + 1;

	put_le(o, 1700000000000000000ull + below(in, 1000), 8);
	put_le(o, one_in(in, 16) ? (uint64_t)small_num(in) : tid, 8);
	put_le(o, 0, 4);				/* len, set below */
	put_le(o, type, 2);
	if (!v1)
		put_le(o, nparams, 4);
	lens_at = o->len;
	for (i = 0; i < nparams; i++) {
		size_t before = vals.len;
		const struct ppm_param_info *pi = row && i < row->nparams ? &row->params[i] : NULL;

		put_value(&vals, in, pi, 0);
		put_le(o, vals.len - before, width);
	}
	if (one_in(in, 32) && nparams)		/* a length that lies */
		set_le(o, lens_at, u8(in), width);
	put(o, vals.p, vals.len);
	free(vals.p);
	set_le32(o, start + 16, (uint32_t)(o->len - start));
	if (one_in(in, 32))
		set_le32(o, start + 16, (uint32_t)(o->len - start) + below(in, 9) - 4);
}

/*
 * One of kcap's own events in its asyncevent (own_events.h): plugin 0, its
 * name, its body as data; sometimes another plugin, a body that lies.
 */
static void put_own_event(struct out *o, struct input *in)
{
	uint16_t type = (uint16_t)(PPM_EVENT_MAX + 2 * below(in, (KCAP_EVENT_MAX - PPM_EVENT_MAX) / 2));
	const struct ppm_event_info *row = &g_event_info[type];
	uint32_t nparams = one_in(in, 6) ? below(in, 34) : row->nparams, i;
	struct out body = { 0 }, vals = { 0 };
	char name[64];
	size_t start = o->len;
	int n = snprintf(name, sizeof(name), "kcap.%s", one_in(in, 16) ? "future" : row->name);

	put_le(&body, nparams, 4);
	for (i = 0; i < nparams; i++) {
		size_t before = vals.len;

		put_value(&vals, in, i < row->nparams ? &row->params[i] : NULL, 0);
		put_le(&body, vals.len - before, 2);
	}
	if (one_in(in, 16) && nparams)		/* a length that lies */
		set_le(&body, 4, u8(in), 2);
	put(&body, vals.p, vals.len);
	put_le(o, 1700000000000000000ull + below(in, 1000), 8);
	put_le(o, one_in(in, 4) ? (uint64_t)-1 : below(in, 6) + 1, 8);
	put_le(o, 0, 4);				/* len, set below */
	put_le(o, PPME_ASYNCEVENT_E, 2);
	put_le(o, 3, 4);
	put_le(o, 4, 4);
	put_le(o, (uint32_t)n + 1, 4);
	put_le(o, body.len, 4);
	put_le(o, one_in(in, 16), 4);			/* plugin_id */
	put(o, name, (size_t)n + 1);
	put(o, body.p, body.len);
	set_le32(o, start + 16, (uint32_t)(o->len - start));
	free(body.p);
	free(vals.p);
}

static void event_block(struct out *o, struct input *in)
{
	static const uint32_t kinds[] = { 0x216, 0x217, 0x221, 0x222, 0x204, 0x208 };
	uint32_t kind = kinds[below(in, sizeof(kinds) / sizeof(kinds[0]))];
	bool own = one_in(in, 8);
	size_t at;

	if (own)
		kind = one_in(in, 2) ? 0x221 : 0x222;
	at = block_open(o, kind);
	put_le(o, below(in, 4), 2);			/* cpu */
	if (kind == 0x217 || kind == 0x222 || kind == 0x208)
		put_le(o, below(in, 4), 4);		/* flags */
	if (own)
		put_own_event(o, in);
	else
		put_event(o, in, kind == 0x204 || kind == 0x208, kind == 0x221 || kind == 0x222);
	block_close(o, at);
}

/* ---- metadata ------------------------------------------------------------ */

/* An lstr16 string, sometimes longer than the field allows. */
static void put_lstr(struct out *o, struct input *in, uint32_t max_pieces)
{
	struct out s = { 0 };

	put_string(&s, in, max_pieces, one_in(in, 3));
	if (one_in(in, 64)) {
		put_le(o, 5000, 2);
	} else {
		put_le(o, s.len, 2);
		put(o, s.p, s.len);
	}
	free(s.p);
}

static void proc_entry(struct out *o, struct input *in, int v)
{
	size_t at = o->len;
	int i;

	if (v == 9)
		put_le(o, 0, 4);
	put_le(o, below(in, 8) + 1, 8);			/* tid */
	put_le(o, below(in, 8) + 1, 8);			/* pid */
	put_le(o, below(in, 8), 8);			/* ptid */
	if (v >= 6)
		put_le(o, 0, 8);
	if (v >= 8)
		put_le(o, 0, 8);
	for (i = 0; i < 5 - (v < 7); i++)		/* comm exe [exepath] args cwd */
		put_lstr(o, in, 6);
	put_le(o, 1024, 8);
	put_le(o, u8(in), 4);
	put_le(o, below(in, 3), 4);
	put_le(o, below(in, 3), 4);
	if (v >= 2)
		put(o, (uint8_t[28]){ 0 }, 28);
	if (v >= 3)
		put_lstr(o, in, 4);
	if (v >= 4) {
		put_le(o, (uint64_t)-1, 8);
		put_le(o, (uint64_t)-1, 8);
		put_lstr(o, in, 3);
	}
	if (v >= 5)
		put_lstr(o, in, 2);
	if (v == 9) {
		uint32_t tail = below(in, 80);	/* any part of the optional tail */

		for (i = 0; i < (int)tail; i++)
			put_le(o, u8(in), 1);
		set_le32(o, at, (uint32_t)(o->len - at));
	}
}

static void pl_block(struct out *o, struct input *in)
{
	static const uint32_t types[] = { 0x202, 0x207, 0x209, 0x210, 0x211, 0x212, 0x213, 0x214,
					  0x215 };
	uint32_t k = below(in, 9), n = below(in, 6), i;
	size_t at = block_open(o, types[k]);

	for (i = 0; i < n; i++)
		proc_entry(o, in, (int)k + 1);
	block_close(o, at);
}

static void fd_entry(struct out *o, struct input *in, bool v2)
{
	size_t at = o->len;
	uint8_t type = (uint8_t)below(in, 24);

	if (v2)
		put_le(o, 0, 4);
	put_le(o, (uint64_t)small_num(in), 8);
	put_le(o, u8(in), 8);
	put(o, &type, 1);
	switch (type) {
	case 3: case 4:
		put(o, (uint8_t[37]){ 127, 0, 0, 1, 127, 0, 0, 1, 0x50, 0 }, type == 3 ? 13 : 37);
		break;
	case 5: case 6:
		put(o, (uint8_t[19]){ 127, 0, 0, 1, 0x50, 0, 2 }, type == 5 ? 7 : 19);
		break;
	case 8:
		put_le(o, u8(in), 8);
		put_le(o, u8(in), 8);
		put_lstr(o, in, 4);
		break;
	case 16:
		put_le(o, u8(in), 4);
		put_lstr(o, in, 6);
		if (v2 && one_in(in, 2))
			put_le(o, u8(in), 4);
		break;
	case 0:
		break;
	default:
		put_lstr(o, in, 6);
	}
	if (v2)
		set_le32(o, at, (uint32_t)(o->len - at));
}

static void fdl_block(struct out *o, struct input *in)
{
	bool v2 = !one_in(in, 4);
	uint32_t n = below(in, 8), i;
	size_t at = block_open(o, v2 ? 0x218 : 0x203);

	put_le(o, below(in, 8) + 1, 8);
	for (i = 0; i < n; i++)
		fd_entry(o, in, v2);
	block_close(o, at);
}

static void il_block(struct out *o, struct input *in)
{
	bool v2 = one_in(in, 2);
	uint32_t n = below(in, 4), i;
	size_t at = block_open(o, v2 ? 0x219 : 0x205);

	for (i = 0; i < n; i++) {
		uint16_t type = (uint16_t)(below(in, 5));
		size_t alen = type == 1 || type == 3 ? 4 : 16, start;

		if (v2)
			put_le(o, 0, 4);
		start = o->len;
		put_le(o, type, 2);
		put_le(o, 2, 2);
		put(o, (uint8_t[48]){ 10, 0, 0, 1, 255, 255, 255, 0 }, 3 * alen);
		if (type <= 2)
			put_le(o, 1000, 8);
		put(o, "lo", 2);
		if (v2)
			set_le32(o, start - 4, (uint32_t)(o->len - start));
	}
	block_close(o, at);
}

static void ul_block(struct out *o, struct input *in)
{
	bool v2 = one_in(in, 2);
	uint32_t n = below(in, 4), i;
	size_t at = block_open(o, v2 ? 0x220 : 0x206);

	for (i = 0; i < n; i++) {
		size_t start = o->len;
		uint8_t group = (uint8_t)below(in, 2);

		if (v2)
			put_le(o, 0, 4);
		put(o, &group, 1);
		if (!group)
			put_le(o, below(in, 3), 4);
		put_le(o, below(in, 3), 4);
		put_lstr(o, in, 3);
		if (!group) {
			put_lstr(o, in, 3);
			put_lstr(o, in, 3);
		}
		if (v2)
			set_le32(o, start, (uint32_t)(o->len - start));
	}
	block_close(o, at);
}

static void mi_block(struct out *o, struct input *in)
{
	size_t at = block_open(o, 0x201);
	uint8_t body[180] = { 0 };

	body[0] = u8(in);
	put(o, body, sizeof(body));
	block_close(o, at);
}

static void shb_block(struct out *o, struct input *in)
{
	size_t at = block_open(o, 0x0A0D0D0A);

	put_le(o, 0x1A2B3C4D, 4);
	put_le(o, 1, 2);
	put_le(o, one_in(in, 4) ? u8(in) : 2, 2);
	put_le(o, (uint64_t)-1, 8);
	block_close(o, at);
}

static void generate(struct out *o, struct input *in)
{
	uint32_t n = below(in, 300), i;

	shb_block(o, in);
	for (i = 0; i < n && in->n; i++) {
		switch (below(in, 16)) {
		case 0: pl_block(o, in); break;
		case 1: fdl_block(o, in); break;
		case 2: il_block(o, in); break;
		case 3: ul_block(o, in); break;
		case 4: mi_block(o, in); break;
		case 5: if (one_in(in, 8)) shb_block(o, in); break;
		default: event_block(o, in);
		}
	}
}

/* ---- what is fuzzed: the reader, the thread table, both formatters ----- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct out file = { 0 };
	uint32_t bytebuf_max = u8(&in);

	generate(&file, &in);
	if (!file.oom)
		fuzz_replay(file.p, file.len, bytebuf_max);
	free(file.p);
	return 0;
}
