// SPDX-License-Identifier: MIT
/*
 * `kcap replay` on hostile files, generated here: each must replay in
 * bounded memory (under an address-space limit) and bounded time, and say
 * in one line what it cut. Each file is a few megabytes of gzip that used
 * to take gigabytes or minutes.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "helpers.h"
#include "ppm_events_public.h"

#define KCAP KCAP_BINARY_DIR "/kcap"

/* What replay may take at most: address space, resident memory, time. */
#define LIMIT_AS (1024ull << 20)
#define LIMIT_RSS_KB (450u << 10)
#define LIMIT_SECONDS 60.0

/* ---- a streaming .scap.gz writer -------------------------------------- */

static void gz_put(gzFile gz, const void *p, size_t n)
{
	cr_assert_eq(gzwrite(gz, p, (unsigned)n), (int)n);
}

static void gz_block(gzFile gz, uint32_t type, const void *body, size_t n)
{
	static const uint8_t zeros[4];
	uint32_t pad = (4 - (n & 3)) & 3, total = (uint32_t)(12 + n + pad);

	gz_put(gz, &type, 4);
	gz_put(gz, &total, 4);
	gz_put(gz, body, n);
	gz_put(gz, zeros, pad);
	gz_put(gz, &total, 4);
}

/* A .scap file, gzip-compressed (mode "wb1") or raw ("wT"), with its SHB. */
static gzFile gz_start_mode(const char *path, const char *mode)
{
	static const uint8_t shb[16] = { 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 2, 0,
					 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	gzFile gz = gzopen(path, mode);

	cr_assert_not_null(gz);
	gz_block(gz, 0x0A0D0D0A, shb, sizeof(shb));
	return gz;
}

static gzFile gz_start(const char *path)
{
	return gz_start_mode(path, "wb1");
}

/* A growable byte buffer for block bodies. */
struct body {
	uint8_t *p;
	size_t len, cap;
};

static void body_put(struct body *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->p = realloc(b->p, b->cap);
		cr_assert_not_null(b->p);
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

/*
 * An EV_V2 (or EV_V2_LARGE) block of type for tid, with nparams parameters
 * given as (pointer, length) pairs.
 */
static void gz_event(gzFile gz, uint16_t type, int64_t tid, uint32_t nparams, ...)
{
	static struct body b;
	bool large = g_event_info[type].flags & EF_LARGE_PAYLOAD;
	uint32_t width = large ? 4 : 2, lens[PPM_MAX_EVENT_PARAMS], len, i;
	const void *vals[PPM_MAX_EVENT_PARAMS];
	uint64_t ts = 1700000000000000000ull;
	uint16_t cpu = 0;
	va_list ap;

	va_start(ap, nparams);
	len = 26 + nparams * width;
	for (i = 0; i < nparams; i++) {
		vals[i] = va_arg(ap, const void *);
		lens[i] = va_arg(ap, uint32_t);
		len += lens[i];
	}
	va_end(ap);
	b.len = 0;
	body_put(&b, &cpu, 2);
	body_put(&b, &ts, 8);
	body_put(&b, &tid, 8);
	body_put(&b, &len, 4);
	body_put(&b, &type, 2);
	body_put(&b, &nparams, 4);
	for (i = 0; i < nparams; i++)
		body_put(&b, &lens[i], width);
	for (i = 0; i < nparams; i++)
		body_put(&b, vals[i], lens[i]);
	gz_block(gz, large ? 0x221 : 0x216, b.p, b.len);
}

/* A PL_V9 entry of tid with the given cwd and args; other fields empty. */
static void pl_entry(struct body *b, int64_t tid, const char *cwd, const char *args, size_t alen)
{
	uint8_t fixed[200 - 4 - 40] = { 0 };	/* the fixed fields after the ids */
	uint16_t n;
	uint32_t elen = 200;
	int64_t ids[5] = { tid, tid, 1, -1, -1 };

	elen += (uint32_t)(strlen(cwd) + alen + 3);	/* comm "x", exe "/x", args, cwd */
	body_put(b, &elen, 4);
	body_put(b, ids, sizeof(ids));
	/* comm, exe, exepath, args, cwd: 2-byte lengths, 5 of 8 strings here. */
	n = 1;
	body_put(b, &n, 2);
	body_put(b, "x", 1);
	n = 2;
	body_put(b, &n, 2);
	body_put(b, "/x", 2);
	n = 0;
	body_put(b, &n, 2);
	n = (uint16_t)alen;
	body_put(b, &n, 2);
	body_put(b, args, alen);
	n = (uint16_t)strlen(cwd);
	body_put(b, &n, 2);
	body_put(b, cwd, n);
	/* fdlimit .. the end: numbers, with env, cgroups and root empty. */
	body_put(b, fixed, 8 + 4 * 3 + 4 * 3 + 8 * 2);		/* fdlimit..pfminor */
	n = 0;
	body_put(b, &n, 2);					/* env */
	body_put(b, fixed, 16);					/* vtid, vpid */
	body_put(b, &n, 2);					/* cgroups */
	body_put(b, &n, 2);					/* root */
	body_put(b, fixed, 8 + 4 + 4 + 1 + 8 * 3 + 1 + 8 * 3 + 1 + 1 + 8);
}

/* ---- running replay under limits -------------------------------------- */

struct run {
	int status;		/* exit status, or 128 + signal */
	long maxrss_kb;
	double secs;
	long long out_bytes;
	char *err;
};

static void replay_limited(const char *path, const char *opts, struct run *r)
{
	char errpath[4096], outpath[4096];
	struct timespec t0, t1;
	struct stat sb;
	struct rusage ru;
	pid_t pid;
	int st;

	snprintf(errpath, sizeof(errpath), "%s.err", path);
	snprintf(outpath, sizeof(outpath), "%s.out", path);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct rlimit rl = { LIMIT_AS, LIMIT_AS };

		setrlimit(RLIMIT_AS, &rl);
		if (!freopen(outpath, "w", stdout) || !freopen(errpath, "w", stderr))
			_exit(126);
		execl(KCAP, "kcap", "replay", opts, path, (char *)NULL);
		_exit(127);
	}
	cr_assert_eq(wait4(pid, &st, 0, &ru), pid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->maxrss_kb = ru.ru_maxrss;
	r->secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	r->err = slurp_and_unlink(errpath);
	r->out_bytes = stat(outpath, &sb) ? -1 : (long long)sb.st_size;
	unlink(outpath);
}

/* Replays path: exit 0, within the limits, and stderr says what was cut. */
static void replays_bounded(const char *path, const char *opts, const char *cut)
{
	struct run r;

	replay_limited(path, opts, &r);
	cr_log_info("%s: %.1f s, %ld MiB resident", path, r.secs, r.maxrss_kb >> 10);
	cr_assert_eq(r.status, 0, "%s: exit %d: %s", path, r.status, r.err);
	cr_assert_lt(r.maxrss_kb, (long)LIMIT_RSS_KB, "%s: %ld KiB resident", path, r.maxrss_kb);
	cr_assert_lt(r.secs, LIMIT_SECONDS, "%s: %.1f s", path, r.secs);
	cr_assert_geq(r.out_bytes, 0, "%s: no output file", path);
	cr_assert_lt(r.out_bytes, 1 << 20, "%s: %lld bytes of output", path, r.out_bytes);
	if (cut) {
		cr_assert(strstr(r.err, cut), "%s: stderr does not say '%s': %s", path, cut, r.err);
		cr_assert(strstr(r.err, "cut to stay bounded"), "%s", r.err);
		cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "not one line: %s", r.err);
	}
	free(r.err);
	unlink(path);
}

TestSuite(replay_limits, .timeout = 600);

/* 320,000 fd-list entries of 1000-byte names: 320 MB of metadata. */
Test(replay_limits, fd_list_flood)
{
	const char *path = tmp_path("fdl-flood.scap.gz");
	gzFile gz = gz_start(path);
	struct body b = { 0 };
	char name[1000];
	int64_t tid = 1;
	int blk, k;

	memset(name, 'n', sizeof(name));
	for (blk = 0; blk < 320; blk++) {
		b.len = 0;
		body_put(&b, &tid, 8);
		for (k = 0; k < 1000; k++) {
			uint32_t elen = 4 + 8 + 8 + 1 + 2 + sizeof(name);
			int64_t fd = blk * 1000 + k;
			uint64_t ino = 0;
			uint8_t type = 1;	/* FILE */
			uint16_t n = sizeof(name);

			snprintf(name, sizeof(name), "/%d", (int)fd);
			name[strlen(name)] = 'n';
			body_put(&b, &elen, 4);
			body_put(&b, &fd, 8);
			body_put(&b, &ino, 8);
			body_put(&b, &type, 1);
			body_put(&b, &n, 2);
			body_put(&b, name, sizeof(name));
		}
		gz_block(gz, 0x218, b.p, b.len);
	}
	gz_event(gz, PPME_CLOSE_X, 1, 2, &(int64_t){ 0 }, 8, &(int64_t){ 3 }, 8);
	gzclose(gz);
	free(b.p);
	replays_bounded(path, "-q", "metadata entries past 128 MiB");
}

/* 140,000 process-list entries with distinct 4000-byte args: 580 MB of metadata. */
Test(replay_limits, process_list_flood)
{
	const char *path = tmp_path("pl-flood.scap.gz");
	gzFile gz = gz_start(path);
	struct body b = { 0 };
	char args[4000];
	int blk, k;

	memset(args, 'a', sizeof(args));
	for (blk = 0; blk < 140; blk++) {
		b.len = 0;
		for (k = 0; k < 1000; k++) {
			int64_t tid = 1000 + blk * 1000 + k;

			snprintf(args, 32, "%lld", (long long)tid);
			args[strlen(args)] = 'a';
			args[sizeof(args) - 1] = '\0';
			pl_entry(&b, tid, "/", args, sizeof(args));
		}
		gz_block(gz, 0x215, b.p, b.len);
	}
	gz_event(gz, PPME_CLOSE_X, 1000, 2, &(int64_t){ 0 }, 8, &(int64_t){ 3 }, 8);
	gzclose(gz);
	free(b.p);
	replays_bounded(path, "-q", "metadata entries past 128 MiB");
}

/*
 * 400,000 relative chdirs, each opening a file relative to the new cwd:
 * paths past PATH_MAX are not kept, and the opens stop at the table limit.
 */
Test(replay_limits, relative_chdir_storm)
{
	const char *path = tmp_path("chdir.scap.gz");
	gzFile gz = gz_start(path);
	struct body b = { 0 };
	char dir[255];
	int64_t zero = 0, fd, at_fdcwd = -100;
	uint32_t flags = 0, mode = 0, dev = 0;
	uint64_t ino = 0;
	int k;

	pl_entry(&b, 7, "/", "", 0);
	gz_block(gz, 0x215, b.p, b.len);
	free(b.p);
	memset(dir, 'd', sizeof(dir) - 1);
	dir[sizeof(dir) - 1] = '\0';
	for (k = 0; k < 400000; k++) {
		/* Back to the root every 20: 16 levels fit in PATH_MAX, the rest not. */
		if (k % 20 == 19) {
			gz_event(gz, PPME_CHDIR_X, 7, 2, &zero, 8, "/", 2u);
			continue;
		}
		gz_event(gz, PPME_CHDIR_X, 7, 2, &zero, 8, dir, (uint32_t)sizeof(dir));
		fd = 3 + k;
		gz_event(gz, PPME_OPENAT_X, 7, 7, &fd, 8, &at_fdcwd, 8, "f", 2u, &flags, 4,
			 &mode, 4, &dev, 4, &ino, 8);
	}
	gzclose(gz);
	replays_bounded(path, "-q", "paths longer than 4096 bytes");
}

/*
 * 512 Ki sockets whose (pid, fd) pairs all fell in one slot of the old
 * unkeyed hash: every insert scanned all the others (4 minutes).
 */
Test(replay_limits, colliding_fd_numbers)
{
	const char *path = tmp_path("collide.scap.gz");
	gzFile gz = gz_start(path);
	int64_t x, y;

	for (y = 0; y < 512; y++)
		for (x = 0; x < 1024; x++)
			gz_event(gz, PPME_SOCKET_X, y << 49, 1, &(int64_t){ x << 49 }, 8);
	gzclose(gz);
	replays_bounded(path, "-q", NULL);
}

/* One 60 MiB string: a bounded line, in text and JSON, and a cut said. */
Test(replay_limits, huge_string_parameter)
{
	const char *path = tmp_path("huge.scap");
	size_t n = 60u << 20;
	char *json = malloc(n);
	gzFile gz;

	cr_assert_not_null(json);
	memset(json, '{', n - 1);
	json[n - 1] = '\0';
	gz = gz_start(path);
	gz_event(gz, PPME_CONTAINER_E, 1, 1, json, (uint32_t)n);
	gzclose(gz);
	free(json);
	replays_bounded(path, "--json", "1 values shown up to 65536 bytes");
}

/*
 * Memory pressure while formatting a large event: an error in one line and
 * exit 1, never an unterminated, unescaped line that looks like output.
 */
Test(replay_limits, out_of_memory_is_an_error_not_half_a_line)
{
	char path[4096], cmd[8400], *out, *err, *line;
	static char data[60000];
	gzFile gz;

	snprintf(path, sizeof(path), "%s", tmp_path("pressure.scap"));	/* run_cmd reuses it */
	memset(data, '\x01', sizeof(data));	/* 4 bytes of text each: "\x01" */
	gz = gz_start_mode(path, "wT");		/* raw: no inflate buffers */
	gz_event(gz, PPME_CLOSE_X, 1, 2, &(int64_t){ 0 }, 8, &(int64_t){ 3 }, 8);
	gz_event(gz, PPME_WRITE_X, 1, 2, &(int64_t){ 60000 }, 8, data, (uint32_t)sizeof(data));
	gzclose(gz);
	snprintf(cmd, sizeof(cmd), "LD_PRELOAD=" KCAP_BINARY_DIR "/libkcap_failalloc.so "
		 "KCAP_FAILALLOC_ABOVE=200000 " KCAP " replay --json -s 100000 '%s'", path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 1, "%s", err);
	cr_assert(strstr(err, "event 2: out of memory formatting it"), "%s", err);
	cr_assert_eq(strchr(err, '\n'), err + strlen(err) - 1, "not one line: %s", err);
	/* What was written is whole lines of JSON: the close event only. */
	for (line = out; *line; line = strchr(line, '\n') + 1) {
		cr_assert_not_null(strchr(line, '\n'), "an unterminated line: %.80s", line);
		cr_assert(!strncmp(line, "{\"num\":1,", 9), "%.80s", line);
	}
	free(out);
	free(err);
	/* Without the pressure, the same file replays. */
	snprintf(cmd, sizeof(cmd), KCAP " replay --json -s 100000 '%s' >/dev/null", path);
	cr_assert_eq(run_cmd(cmd, NULL, &err), 0, "%s", err);
	free(err);
	unlink(path);
}
