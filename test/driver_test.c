// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver_test.h"
#include "helpers.h"

/* KCAP_TEST_DRIVER: bpf (the default) or kmod. */
static enum kcap_driver test_driver(void)
{
	const char *name = getenv("KCAP_TEST_DRIVER");
	enum kcap_driver d = KCAP_DRIVER_BPF;

	if (name && (kcap_driver_parse(name, &d) || d == KCAP_DRIVER_AUTO))
		cr_assert_fail("KCAP_TEST_DRIVER=%s: bpf or kmod", name);
	if (geteuid() != 0)
		cr_skip_test("driver tests need root: skipped");
	return d;
}

enum kcap_driver dt_driver(void)
{
	return test_driver();
}

/* How a test captures: beside the driver and the events. */
struct dt_how {
	bool follow;		/* the processes this one forks too */
	bool all;		/* every process */
	bool dropping;
	const struct kcap_scope *scope;
	const char *const *uprobe_binaries;
};

static void start_how(struct dt *t, enum kcap_driver d, const char *event_names,
		      const struct dt_how *how)
{
	struct kcap_engine_opts o = { .snaplen = 4096, .ring_bytes = 1 << 20,
				      .filter_tgid = how->all ? 0 : (uint32_t)getpid(),
				      .follow_children = how->follow, .scope = how->scope,
				      .capture_self = true, .enter_events = true,
				      .interest = t->interest, .dropping_mode = how->dropping,
				      .uprobe_binaries = how->uprobe_binaries };
	char err[2560];

	memset(t, 0, sizeof(*t));
	if (event_names)
		cr_assert_eq(kcap_interest_from_names(event_names, t->interest, NULL, err, sizeof(err)),
			     0, "%s", err);
	else
		kcap_interest_default(t->interest);
	t->engine = kcap_engine_open(d, &o, err, sizeof(err));
	cr_assert_not_null(t->engine, "%s", err);
	kcap_engine_set_capture(t->engine, true);
}

static void start(struct dt *t, enum kcap_driver d, const char *event_names, bool follow,
		  bool all, bool dropping)
{
	struct dt_how how = { .follow = follow, .all = all, .dropping = dropping };

	start_how(t, d, event_names, &how);
}

void dt_start_scope(struct dt *t, const char *event_names, const struct kcap_scope *scope)
{
	struct dt_how how = { .all = true, .scope = scope };

	start_how(t, test_driver(), event_names, &how);
}

void dt_start_uprobes(struct dt *t, const char *event_names, const char *const *binaries)
{
	struct dt_how how = { .follow = true, .uprobe_binaries = binaries };

	start_how(t, test_driver(), event_names, &how);
}

void dt_start_with(struct dt *t, enum kcap_driver d, const char *event_names)
{
	start(t, d, event_names, false, false, false);
}

void dt_start_all(struct dt *t, const char *event_names)
{
	start(t, test_driver(), event_names, false, true, false);
}

void dt_start(struct dt *t, const char *event_names)
{
	dt_start_with(t, test_driver(), event_names);
}

static void keep(struct dt *t, const struct kcap_evt *ev)
{
	uint32_t len = kcap_evt_len(ev);

	if (t->nevents == DT_MAX_EVENTS)
		return;
	if (t->len + len > t->cap) {
		t->cap = (t->cap + len) * 2;
		t->bytes = realloc(t->bytes, t->cap);
		cr_assert_not_null(t->bytes);
	}
	memcpy(t->bytes + t->len, ev->hdr, len);
	t->offsets[t->nevents++] = (uint32_t)t->len;
	t->len += len;
}

void dt_stop(struct dt *t)
{
	struct kcap_engine_counters c;
	struct kcap_evt ev;

	kcap_engine_set_capture(t->engine, false);
	while (kcap_engine_next(t->engine, &ev, 0) == 1)
		keep(t, &ev);
	kcap_engine_counters(t->engine, &c);
	cr_assert_eq(c.drops_ring_full + c.drops_too_large + c.tail_call_failures, 0,
		     "the driver dropped events: %llu ring full, %llu too large, %llu tail calls",
		     (unsigned long long)c.drops_ring_full, (unsigned long long)c.drops_too_large,
		     (unsigned long long)c.tail_call_failures);
}

void dt_close(struct dt *t)
{
	kcap_engine_close(t->engine);
	free(t->bytes);
	t->engine = NULL;
	t->bytes = NULL;
}

static bool mine(const struct ppm_evt_hdr *h, uint16_t type)
{
	return h->type == type && (int64_t)h->tid == (int64_t)gettid();
}

int dt_count(struct dt *t, uint16_t type)
{
	uint32_t i;
	int n = 0;

	for (i = 0; i < t->nevents; i++)
		n += mine((const void *)(t->bytes + t->offsets[i]), type);
	return n;
}

static void check_header(const struct kcap_evt *ev)
{
	const struct ppm_event_info *info = &g_event_info[kcap_evt_type(ev)];
	uint32_t i, sum = PPM_EVT_HDR_SIZE + ev->nparams * kcap_evt_len_width(kcap_evt_type(ev));

	cr_assert_eq(ev->nparams, info->nparams, "%s: %u params, the table has %u", info->name,
		     ev->nparams, info->nparams);
	for (i = 0; i < ev->nparams; i++) {
		uint32_t size = kcap_param_fixed_size(info->params[i].type);

		/* Other readers size a fixed-size value by its type (0: "not available"). */
		cr_assert(!size || !ev->len[i] || ev->len[i] == size,
			  "%s param %s: %u bytes, its type has %u", info->name,
			  info->params[i].name, ev->len[i], size);
		sum += ev->len[i];
	}
	cr_assert_eq(kcap_evt_len(ev), sum, "%s: len %u, parts add up to %u", info->name,
		     kcap_evt_len(ev), sum);
}

const struct kcap_evt *dt_find(struct dt *t, uint16_t type, int nth)
{
	const char *why = NULL;
	uint32_t i;

	for (i = 0; i < t->nevents; i++) {
		const struct ppm_evt_hdr *h = (const void *)(t->bytes + t->offsets[i]);

		if (!mine(h, type) || nth-- > 0)
			continue;
		cr_assert_eq(kcap_evt_parse(h, h->len, &t->ev, &why), 0, "%s", why);
		check_header(&t->ev);
		return &t->ev;
	}
	cr_assert_fail("no %s event from this thread among %u captured", g_event_info[type].name,
		       t->nevents);
	return NULL;
}

static void need_size(const struct kcap_evt *ev, uint32_t i, uint32_t size)
{
	const struct ppm_event_info *info = &g_event_info[kcap_evt_type(ev)];

	cr_assert_lt(i, ev->nparams);
	cr_assert_eq(ev->len[i], size, "%s param %s: %u bytes, %u expected", info->name,
		     info->params[i].name, ev->len[i], size);
}

int64_t dt_s64(const struct kcap_evt *ev, uint32_t i)
{
	int64_t v;

	need_size(ev, i, 8);
	memcpy(&v, ev->val[i], 8);
	return v;
}

uint64_t dt_u64(const struct kcap_evt *ev, uint32_t i)
{
	return (uint64_t)dt_s64(ev, i);
}

uint32_t dt_u32(const struct kcap_evt *ev, uint32_t i)
{
	uint32_t v;

	need_size(ev, i, 4);
	memcpy(&v, ev->val[i], 4);
	return v;
}

uint16_t dt_u16(const struct kcap_evt *ev, uint32_t i)
{
	uint16_t v;

	need_size(ev, i, 2);
	memcpy(&v, ev->val[i], 2);
	return v;
}

uint8_t dt_u8(const struct kcap_evt *ev, uint32_t i)
{
	need_size(ev, i, 1);
	return ev->val[i][0];
}

const char *dt_str(const struct kcap_evt *ev, uint32_t i)
{
	const char *s = kcap_evt_get_str(ev, i);

	cr_assert_not_null(s, "param %u is not a NUL-terminated string", i);
	cr_assert_eq(strlen(s) + 1, ev->len[i], "param %u has bytes after its NUL", i);
	return s;
}

void dt_empty(const struct kcap_evt *ev, uint32_t i)
{
	need_size(ev, i, 0);
}

long dt_res(long r)
{
	return r < 0 ? -errno : r;
}

const char *dt_scratch_dir(void)
{
	static char dir[4096];

	snprintf(dir, sizeof(dir), "%s", tmp_path("fillers"));
	mkdir(dir, 0700);
	return dir;
}

uint32_t dt_flag(const struct ppm_flag_table *table, const char *name)
{
	uint32_t i;

	for (i = 0; i < table->count; i++)
		if (!strcmp(table->entries[i].name, name))
			return table->entries[i].value;
	cr_assert_fail("%s has no %s", table->name, name);
	return 0;
}

uint32_t dt_encode_dev(dev_t d)
{
	return (minor(d) & 0xff) | (major(d) << 8) | ((minor(d) & ~0xffu) << 12);
}

void dt_start_dropping(struct dt *t, const char *event_names)
{
	start(t, test_driver(), event_names, false, false, true);
}

void dt_start_follow(struct dt *t, const char *event_names)
{
	start(t, test_driver(), event_names, true, false, false);
}

/* The nth event of type from thread tid, or from any thread when any. */
static const struct kcap_evt *find(struct dt *t, uint16_t type, pid_t tid, bool any, int nth)
{
	const char *why = NULL;
	int left = nth;
	uint32_t i;

	for (i = 0; i < t->nevents; i++) {
		const struct ppm_evt_hdr *h = (const void *)(t->bytes + t->offsets[i]);

		if (h->type != type || (!any && (int64_t)h->tid != tid) || left-- > 0)
			continue;
		cr_assert_eq(kcap_evt_parse(h, h->len, &t->ev, &why), 0, "%s", why);
		check_header(&t->ev);
		return &t->ev;
	}
	if (any)
		cr_assert_fail("no %s event number %d among %u captured", g_event_info[type].name,
			       nth, t->nevents);
	cr_assert_fail("no %s event number %d from thread %d among %u captured",
		       g_event_info[type].name, nth, tid, t->nevents);
	return NULL;
}

const struct kcap_evt *dt_find_tid(struct dt *t, uint16_t type, pid_t tid, int nth)
{
	return find(t, type, tid, false, nth);
}

const struct kcap_evt *dt_find_any(struct dt *t, uint16_t type, int nth)
{
	return find(t, type, 0, true, nth);
}

int dt_count_any(struct dt *t, uint16_t type)
{
	uint32_t i;
	int n = 0;

	for (i = 0; i < t->nevents; i++)
		n += ((const struct ppm_evt_hdr *)(t->bytes + t->offsets[i]))->type == type;
	return n;
}

int dt_count_tid(struct dt *t, uint16_t type, pid_t tid)
{
	uint32_t i;
	int n = 0;

	for (i = 0; i < t->nevents; i++) {
		const struct ppm_evt_hdr *h = (const void *)(t->bytes + t->offsets[i]);

		n += h->type == type && (int64_t)h->tid == tid;
	}
	return n;
}

/* A kernel without ia32 syscalls, or a hypervisor that keeps vector 0x80 (some paravirtualized guests), faults. */
bool dt_has_ia32(void)
{
	pid_t child = fork();
	int status;

	cr_assert_geq(child, 0);
	if (!child)
		_exit(dt_int80(20 /* getpid */, 0, 0, 0) == getpid() ? 0 : 1);
	cr_assert_eq(waitpid(child, &status, 0), child);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void *dt_ia32_page(void)
{
	void *m;

	if (!dt_has_ia32())
		cr_skip_test("no ia32 syscalls here (int 0x80 does not reach them)");
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1,
		 0);
	cr_assert_neq(m, MAP_FAILED);
	return m;
}

long dt_int80(long nr, long a, long b, long c)
{
	return dt_int80_6(nr, a, b, c, 0, 0, 0);
}

/* The sixth argument goes in ebp: saved around the call, below the red zone. */
long dt_int80_6(long nr, long a, long b, long c, long d, long e, long g)
{
	long ret;

	__asm__ volatile("sub $128, %%rsp\n\t"
			 "push %%rbp\n\t"
			 "mov %[g], %%rbp\n\t"
			 "int $0x80\n\t"
			 "pop %%rbp\n\t"
			 "add $128, %%rsp"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e), [g] "r"(g)
			 : "r8", "r9", "r10", "r11", "memory");
	return ret;
}
