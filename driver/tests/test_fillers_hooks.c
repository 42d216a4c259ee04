// SPDX-License-Identifier: MIT
/*
 * Driver tests of the hooks that are not syscalls (fillers_hooks.h): a
 * switch to a thread the test starts, page faults at addresses it maps, a
 * signal it sends itself; and page faults inside the fillers' own reads of
 * user memory, where a hook fires while another event is being built.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "driver_test.h"
#include "hook_table.h"

static struct dt t;

static void fini(void)
{
	dt_close(&t);
}

TestSuite(fillers_hooks, .fini = fini);

/* The nth event of type from any thread, header checked; NULL when none. */
static const struct kcap_evt *find_any(uint16_t type, int nth,
				       bool (*match)(const struct kcap_evt *ev, void *arg), void *arg)
{
	static struct kcap_evt ev;
	uint32_t i;

	for (i = 0; i < t.nevents; i++) {
		const struct ppm_evt_hdr *h = (const void *)(t.bytes + t.offsets[i]);
		const char *why = NULL;

		if (h->type != type)
			continue;
		cr_assert_eq(kcap_evt_parse(h, h->len, &ev, &why), 0, "%s", why);
		cr_assert_eq(ev.nparams, g_event_info[type].nparams);
		if (match && !match(&ev, arg))
			continue;
		if (nth-- == 0)
			return &ev;
	}
	return NULL;
}

/* ---- switch -------------------------------------------------------------- */

struct pingpong {
	int ping[2], pong[2];
	pid_t tid;
};

static void *ponger(void *arg)
{
	struct pingpong *p = arg;
	char c;

	p->tid = gettid();
	if (read(p->ping[0], &c, 1) != 1 || write(p->pong[1], "o", 1) != 1)
		return NULL;
	return NULL;
}

static uint64_t status_kb(const char *key)
{
	char line[256];
	uint64_t v = 0;
	FILE *f = fopen("/proc/self/status", "r");
	size_t n = strlen(key);

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtoull(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

struct switch_to {
	pid_t from, to;
};

static bool is_switch_to(const struct kcap_evt *ev, void *arg)
{
	struct switch_to *w = arg;

	return (pid_t)kcap_evt_tid(ev) == w->from && dt_s64(ev, 0) == w->to;
}

/*
 * Both threads on one CPU: the main thread wakes the other, then blocks
 * until it answers, so the CPU switches from one to the other.
 */
Test(fillers_hooks, switch_to_a_thread_it_starts)
{
	struct pingpong p = { 0 };
	struct rusage before, after;
	struct switch_to w = { gettid(), 0 };
	const struct kcap_evt *ev;
	uint64_t size, swap;
	cpu_set_t one;
	pthread_t th;
	char c;
	int n;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	cr_assert_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	cr_assert_eq(pipe(p.ping), 0);
	cr_assert_eq(pipe(p.pong), 0);
	dt_start(&t, "switch");
	cr_assert_eq(pthread_create(&th, NULL, ponger, &p), 0);
	while (!__atomic_load_n(&p.tid, __ATOMIC_ACQUIRE))
		sched_yield();
	size = status_kb("VmSize");
	swap = status_kb("VmSwap");
	getrusage(RUSAGE_THREAD, &before);
	cr_assert_eq(write(p.ping[1], "i", 1), 1);
	cr_assert_eq(read(p.pong[0], &c, 1), 1);
	getrusage(RUSAGE_THREAD, &after);
	pthread_join(th, NULL);
	dt_stop(&t);
	w.to = p.tid;
	/* The last one: the main thread may have switched to the other while it started. */
	for (n = 0; find_any(PPME_SWITCH_E, n, is_switch_to, &w); n++)
		;
	cr_assert_gt(n, 0, "no switch from %d to %d among %u events", w.from, w.to, t.nevents);
	ev = find_any(PPME_SWITCH_E, n - 1, is_switch_to, &w);
	cr_assert(dt_u64(ev, 1) >= (uint64_t)before.ru_majflt &&
		  dt_u64(ev, 1) <= (uint64_t)after.ru_majflt, "pgft_maj %llu",
		  (unsigned long long)dt_u64(ev, 1));
	cr_assert(dt_u64(ev, 2) >= (uint64_t)before.ru_minflt &&
		  dt_u64(ev, 2) <= (uint64_t)after.ru_minflt, "pgft_min %llu not in %ld..%ld",
		  (unsigned long long)dt_u64(ev, 2), before.ru_minflt, after.ru_minflt);
	cr_assert_eq(dt_u32(ev, 3), size, "vm_size %u kB, /proc says %llu", dt_u32(ev, 3),
		     (unsigned long long)size);
	cr_assert(dt_u32(ev, 4) > 0 && dt_u32(ev, 4) <= size, "vm_rss %u kB", dt_u32(ev, 4));
	cr_assert_eq(dt_u32(ev, 5), swap);
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	CPU_SET(1, &one);
	sched_setaffinity(0, sizeof(one), &one);
}

/* ---- page_fault ------------------------------------------------------------ */

struct fault_at {
	uint64_t addr;
};

static bool is_fault_at(const struct kcap_evt *ev, void *arg)
{
	return dt_u64(ev, 0) == ((struct fault_at *)arg)->addr;
}

/* The code of this test binary: where a user fault's ip must be. */
static bool in_own_text(uint64_t ip)
{
	char line[512], path[256];
	unsigned long lo, hi;
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "r");

	cr_assert_not_null(f);
	while (!found && fgets(line, sizeof(line), f)) {
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &lo, &hi, perms, path) == 4 &&
		    perms[2] == 'x' && strstr(path, "kcap_tests"))
			found = ip >= lo && ip < hi;
	}
	fclose(f);
	return found;
}

static uint32_t pf(const char *name)
{
	return dt_flag(&pf_flags, name);
}

/* A write and a read to fresh pages from user code, and a write by the kernel. */
Test(fillers_hooks, page_faults_at_addresses_it_maps)
{
	volatile char *page = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct fault_at w, r, k;
	const struct kcap_evt *ev;
	char sink;
	int zero = open("/dev/zero", O_RDONLY);

	cr_assert_neq(page, MAP_FAILED);
	cr_assert_geq(zero, 0);
	w.addr = (uint64_t)(uintptr_t)(page + 123);
	r.addr = (uint64_t)(uintptr_t)(page + 4096 + 7);
	k.addr = (uint64_t)(uintptr_t)(page + 2 * 4096);
	dt_start(&t, "page_fault");
	page[123] = 1;
	sink = page[4096 + 7];
	cr_assert_eq(read(zero, (char *)(uintptr_t)k.addr, 64), 64);
	dt_stop(&t);
	(void)sink;

	ev = find_any(PPME_PAGE_FAULT_E, 0, is_fault_at, &w);
	cr_assert_not_null(ev, "no fault at the written address");
	cr_assert_eq((pid_t)kcap_evt_tid(ev), gettid());
	cr_assert(in_own_text(dt_u64(ev, 1)), "ip %llx is not this program's",
		  (unsigned long long)dt_u64(ev, 1));
	cr_assert_eq(dt_u32(ev, 2), pf("PAGE_NOT_PRESENT") | pf("WRITE_ACCESS") | pf("USER_FAULT"),
		     "error %x", dt_u32(ev, 2));

	ev = find_any(PPME_PAGE_FAULT_E, 0, is_fault_at, &r);
	cr_assert_not_null(ev, "no fault at the read address");
	cr_assert(in_own_text(dt_u64(ev, 1)));
	cr_assert_eq(dt_u32(ev, 2), pf("PAGE_NOT_PRESENT") | pf("READ_ACCESS") | pf("USER_FAULT"),
		     "error %x", dt_u32(ev, 2));

	ev = find_any(PPME_PAGE_FAULT_E, 0, is_fault_at, &k);
	cr_assert_not_null(ev, "no fault where the kernel wrote");
	cr_assert_eq((pid_t)kcap_evt_tid(ev), gettid());
	cr_assert_geq(dt_u64(ev, 1), 0xffff800000000000ull, "ip %llx is not the kernel's",
		      (unsigned long long)dt_u64(ev, 1));
	cr_assert_eq(dt_u32(ev, 2),
		     pf("PAGE_NOT_PRESENT") | pf("WRITE_ACCESS") | pf("SUPERVISOR_FAULT"),
		     "error %x", dt_u32(ev, 2));
	close(zero);
	munmap((void *)page, 3 * 4096);
}

/* ---- signaldeliver ------------------------------------------------------- */

static volatile sig_atomic_t caught;

static void on_sig(int sig)
{
	caught = sig;
}

struct sig_of {
	uint8_t sig;
};

static bool is_sig(const struct kcap_evt *ev, void *arg)
{
	return dt_u8(ev, 2) == ((struct sig_of *)arg)->sig;
}

/*
 * SIGTERM sent by kill names its sender; SIGUSR1 is not among the signals
 * whose sender libs reports, so it reads 0.
 */
Test(fillers_hooks, signal_it_sends_itself)
{
	struct sigaction sa = { .sa_handler = on_sig }, old_term, old_usr1;
	struct sig_of term = { SIGTERM }, usr1 = { SIGUSR1 };
	const struct kcap_evt *ev;

	cr_assert_eq(sigaction(SIGTERM, &sa, &old_term), 0);
	cr_assert_eq(sigaction(SIGUSR1, &sa, &old_usr1), 0);
	dt_start(&t, "signaldeliver");
	cr_assert_eq(syscall(SYS_tgkill, getpid(), gettid(), SIGTERM), 0);
	cr_assert_eq(caught, SIGTERM);
	cr_assert_eq(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1), 0);
	cr_assert_eq(caught, SIGUSR1);
	dt_stop(&t);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGUSR1, &old_usr1, NULL);

	ev = find_any(PPME_SIGNALDELIVER_E, 0, is_sig, &term);
	cr_assert_not_null(ev, "no SIGTERM delivered");
	cr_assert_eq((pid_t)kcap_evt_tid(ev), gettid());
	cr_assert_eq(dt_s64(ev, 0), getpid(), "spid %lld", (long long)dt_s64(ev, 0));
	cr_assert_eq(dt_s64(ev, 1), gettid());
	ev = find_any(PPME_SIGNALDELIVER_E, 0, is_sig, &usr1);
	cr_assert_not_null(ev, "no SIGUSR1 delivered");
	cr_assert_eq(dt_s64(ev, 0), 0);
	cr_assert_eq(dt_s64(ev, 1), gettid());
}

/* ---- a hook inside another event's building ------------------------------ */

#define STRESS_PAGES 2000

/*
 * write(-1, buf) fails before the kernel reads buf, so write's exit filler
 * is the first to touch each fresh page: its read of user memory faults,
 * and the page fault hook fires while the write event is being built. BPF
 * builds the nested event at the next level; the module refuses it, counted.
 * Every event read must be whole and as the table says, and the counters
 * must account for every one.
 */
Test(fillers_hooks, page_faults_inside_fillers_reads)
{
	char *area = mmap(NULL, STRESS_PAGES * 4096ul, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t lo = (uint64_t)(uintptr_t)area, hi = lo + STRESS_PAGES * 4096ul;
	struct kcap_engine_counters c;
	uint32_t writes = 0, inside = 0, i;
	int n;

	cr_assert_neq(area, MAP_FAILED);
	dt_start(&t, "write,page_fault");
	for (n = 0; n < STRESS_PAGES; n++)
		cr_assert_eq(write(-1, area + n * 4096ul, 64), -1);
	dt_stop(&t);
	for (i = 0; i < t.nevents; i++) {
		const struct ppm_evt_hdr *h = (const void *)(t.bytes + t.offsets[i]);
		struct kcap_evt e;
		const char *why = NULL;
		uint32_t k;

		cr_assert_eq(kcap_evt_parse(h, h->len, &e, &why), 0, "event %u: %s", i, why);
		cr_assert_eq(e.nparams, g_event_info[h->type].nparams, "event %u: %s", i,
			     g_event_info[h->type].name);
		for (k = 0; k < e.nparams; k++) {
			uint32_t size = kcap_param_fixed_size(g_event_info[h->type].params[k].type);

			cr_assert(!size || e.len[k] == size, "event %u (%s): param %u is %u bytes", i,
				  g_event_info[h->type].name, k, e.len[k]);
		}
		if (h->type == PPME_WRITE_X && (pid_t)h->tid == gettid())
			writes++;
		/* A fault in the area at a kernel ip: the filler's read. */
		if (h->type == PPME_PAGE_FAULT_E && dt_u64(&e, 0) >= lo && dt_u64(&e, 0) < hi &&
		    dt_u64(&e, 1) >= 0xffff800000000000ull)
			inside++;
	}
	cr_assert_eq(writes, STRESS_PAGES, "%u write events of %d", writes, STRESS_PAGES);
	kcap_engine_counters(t.engine, &c);
	cr_log_info("%s: %u faults inside fillers captured, %llu refused",
		    dt_driver() == KCAP_DRIVER_KMOD ? "kmod" : "bpf", inside,
		    (unsigned long long)c.drops_nested);
	if (dt_driver() == KCAP_DRIVER_KMOD)
		cr_assert_gt(c.drops_nested, 0, "the module built no nested event, refused none");
	else
		cr_assert_gt(inside, 0, "no fault inside a filler's read was captured");
	cr_assert_eq(c.events, t.nevents, "%llu events counted, %u read",
		     (unsigned long long)c.events, t.nevents);
	munmap(area, STRESS_PAGES * 4096ul);
}
