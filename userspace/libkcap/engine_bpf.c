// SPDX-License-Identifier: MIT
/*
 * The BPF engine: loads driver/bpf/kcap.bpf.c through its skeleton, fills
 * its maps from the shared tables, creates one BPF ring buffer per CPU and
 * reads them through the ring interface of ring.h.
 */
#define _GNU_SOURCE	/* vasprintf */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "caps.h"
#include "engine_impl.h"
#include "filler_table.h"
#include "hook_table.h"
#include "interest.h"
#include "kcap_abi.h"	/* before the skeleton, which uses its types */
#include "kcap.skel.h"
#include "socketcall.h"

#define RB_BUSY (1u << 31)
#define RB_DISCARD (1u << 30)
#define RB_HDR 8

/* One mapped BPF ring buffer: the consumer page, then producer page + data. */
struct bpf_ring {
	int fd;
	uint64_t *consumer;
	const uint64_t *producer;
	const uint8_t *data;
	uint64_t mask;
	size_t page;
	uint64_t cons;			/* our read position */
	uint64_t published;		/* what the producer has been told */
	uint64_t pending;		/* bytes of the record handed out */
};

struct bpf_engine {
	struct kcap_engine base;
	struct kcap_bpf *skel;
	struct bpf_ring *rings;
	void **ring_ptrs;
	int ncpus;
	int epfd;
	struct kcap_sc_row rows[SYSCALL_TABLE_SIZE];	/* what each syscall emits */
	struct bpf_link *probe_links[KCAP_HOOK_MAX];	/* k- and uprobes, one by one */
};

/* ---- ring buffer consumer (the kernel's layout, as libbpf reads it) ---- */

/*
 * The producer reads the consumer position on every event: publishing ours
 * after each event would bounce that cache line between the CPUs, so it is
 * published once an eighth of the ring has been read, or when the ring is
 * empty.
 */
static void publish(struct bpf_ring *r)
{
	if (r->cons != r->published) {
		__atomic_store_n(r->consumer, r->cons, __ATOMIC_RELEASE);
		r->published = r->cons;
	}
}

static const struct ppm_evt_hdr *bpf_ring_peek(void *p)
{
	struct bpf_ring *r = p;

	while (r->cons < __atomic_load_n(r->producer, __ATOMIC_ACQUIRE)) {
		const uint32_t *hdr = (const uint32_t *)(r->data + (r->cons & r->mask));
		uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
		uint64_t step = ((len & ~(RB_BUSY | RB_DISCARD)) + RB_HDR + 7) & ~7ull;

		if (len & RB_BUSY)
			return NULL;	/* being written: later */
		if (!(len & RB_DISCARD)) {
			r->pending = step;
			return (const struct ppm_evt_hdr *)(hdr + 2);
		}
		r->cons += step;
	}
	publish(r);
	return NULL;
}

static void bpf_ring_release(void *p)
{
	struct bpf_ring *r = p;

	r->cons += r->pending;
	r->pending = 0;
	if (r->cons - r->published >= (r->mask + 1) / 8)
		publish(r);
}

static const struct kcap_ring_ops bpf_ring_ops = {
	.peek = bpf_ring_peek,
	.release = bpf_ring_release,
};

static int map_ring(struct bpf_ring *r, int fd, uint32_t bytes)
{
	void *cons, *prod;

	r->fd = fd;
	r->page = (size_t)sysconf(_SC_PAGESIZE);
	cons = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cons == MAP_FAILED)
		return -1;
	/* The data is mapped twice in a row: a record never wraps for us. */
	prod = mmap(NULL, r->page + 2 * (size_t)bytes, PROT_READ, MAP_SHARED, fd, (off_t)r->page);
	if (prod == MAP_FAILED) {
		munmap(cons, r->page);
		return -1;
	}
	r->consumer = cons;
	r->cons = r->published = *r->consumer;
	r->producer = prod;
	r->data = (const uint8_t *)prod + r->page;
	r->mask = bytes - 1;
	return 0;
}

static void unmap_ring(struct bpf_ring *r, uint32_t bytes)
{
	if (r->consumer)
		munmap(r->consumer, r->page);
	if (r->producer)
		munmap((void *)r->producer, r->page + 2 * (size_t)bytes);
	if (r->fd > 0)
		close(r->fd);
}

/* ---- loading ---------------------------------------------------------- */

static char verifier_tail[2048];

/* Keeps the end of what libbpf printed: the verifier's verdict is there. */
static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	size_t have = strlen(verifier_tail), add, keep;
	const char *src;
	char *text;

	if (level == LIBBPF_DEBUG)
		return 0;
	/* Whole: a verifier log runs to megabytes and its verdict is last. */
	if (vasprintf(&text, fmt, ap) < 0)
		return 0;
	add = strlen(text);
	src = text;
	if (add >= sizeof(verifier_tail)) {
		src += add - (sizeof(verifier_tail) - 1);
		add = sizeof(verifier_tail) - 1;
	}
	keep = have + add < sizeof(verifier_tail) ? have : sizeof(verifier_tail) - 1 - add;
	memmove(verifier_tail, verifier_tail + have - keep, keep);
	memcpy(verifier_tail + keep, src, add + 1);
	free(text);
	return 0;
}

/* Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK, later ones to the cgroup. */
static int raise_memlock(char *err, size_t errlen)
{
	struct rlimit inf = { RLIM_INFINITY, RLIM_INFINITY };
	int v = kcap_kernel_version();

	if (!v || v >= 5011)
		return 0;
	if (setrlimit(RLIMIT_MEMLOCK, &inf) == 0)
		return 0;
	snprintf(err, errlen, "cannot raise RLIMIT_MEMLOCK (needed before Linux 5.11): %s",
		 strerror(errno));
	return -1;
}

static int fill_syscalls(struct bpf_engine *e)
{
	int fd = bpf_map__fd(e->skel->maps.syscalls);
	uint32_t nr;

	for (nr = 0; nr < SYSCALL_TABLE_SIZE; nr++)
		if (e->rows[nr].ppm_sc && bpf_map_update_elem(fd, &nr, &e->rows[nr], BPF_ANY))
			return -1;
	return 0;
}

/* Bit 0: the row has an enter filler; bit 1: an exit filler (ia32_wanted's bits). */
static uint8_t row_wanted(const struct kcap_sc_row *row)
{
	return (row->enter_filler ? 1 : 0) | (row->exit_filler ? 2 : 0);
}

/*
 * ia32 numbers to x86_64 ones (unmapped ones point past the syscall table),
 * and which ia32 numbers lead to a syscall with a filler.
 */
static int fill_ia32_syscalls(struct bpf_engine *e)
{
	int fd = bpf_map__fd(e->skel->maps.ia32_syscalls);
	uint32_t nr;

	for (nr = 0; nr < IA32_SYSCALL_TABLE_SIZE; nr++) {
		int16_t x64 = g_ia32_to_x86_64[nr];
		uint32_t to = x64 < 0 ? UINT32_MAX : (uint32_t)x64;

		if (x64 >= 0)
			e->skel->bss->ia32_wanted[nr] = row_wanted(&e->rows[x64]);
		if (bpf_map_update_elem(fd, &nr, &to, BPF_ANY))
			return -1;
	}
	/* socketcall and ipc lead to the syscall of each call (socketcall.h). */
	for (nr = 0; nr < KCAP_SOCKETCALL_MAX; nr++)
		if (kcap_socketcalls[nr].nr)
			e->skel->bss->ia32_wanted[KCAP_IA32_SOCKETCALL] |=
				row_wanted(&e->rows[kcap_socketcalls[nr].nr]);
	for (nr = 0; nr < KCAP_IPC_MAX; nr++)
		if (kcap_ipccalls[nr].nr)
			e->skel->bss->ia32_wanted[KCAP_IA32_IPC] |=
				row_wanted(&e->rows[kcap_ipccalls[nr].nr]);
	return 0;
}

static struct bpf_program *filler_program(struct bpf_engine *e, uint32_t id)
{
	char name[64];

	snprintf(name, sizeof(name), "fill_%s_prog", g_filler_names[id]);
	return bpf_object__find_program_by_name(e->skel->obj, name);
}

static struct bpf_program *hook_program(struct bpf_engine *e, int hook)
{
	char name[64];

	snprintf(name, sizeof(name), "kcap_hook_%s", g_hooks[hook].name);
	return bpf_object__find_program_by_name(e->skel->obj, name);
}

/* Whether this kernel has the tracepoint: raw tracepoints have a BTF type. */
static bool kernel_has_tracepoint(const struct btf *vmlinux, const char *target)
{
	char name[128];

	snprintf(name, sizeof(name), "btf_trace_%s", target);
	return btf__find_by_name_kind(vmlinux, name, BTF_KIND_TYPEDEF) >= 0;
}

static bool is_kprobe(int hook)
{
	return g_hooks[hook].kind == KCAP_HOOK_KPROBE || g_hooks[hook].kind == KCAP_HOOK_KRETPROBE;
}

/* libbpf attaches kprobes through the kprobe PMU, which kernels with kprobes have. */
static bool kernel_has_kprobes(void)
{
	return access("/sys/bus/event_source/devices/kprobe/type", F_OK) == 0;
}

/*
 * Marks the kprobe hooks of wanted whose function is not in /proc/kallsyms
 * (this kernel lacks it, or inlined it everywhere) in *missing.
 */
static void find_kprobe_functions(uint64_t wanted, uint64_t *missing)
{
	uint64_t found = 0, targets = 0;
	char line[512], name[256];
	FILE *f = fopen("/proc/kallsyms", "re");
	int h;

	for (h = 0; h < KCAP_HOOK_MAX; h++)
		if ((wanted & (1ull << h)) && is_kprobe(h))
			targets |= 1ull << h;
	if (!targets)
		goto out;
	while (f && fgets(line, sizeof(line), f)) {
		char type;

		if (sscanf(line, "%*s %c %255s", &type, name) != 2 || (type != 't' && type != 'T'))
			continue;
		for (h = 0; h < KCAP_HOOK_MAX; h++)
			if ((targets & (1ull << h)) && !strcmp(name, g_hooks[h].target))
				found |= 1ull << h;
	}
out:
	if (f)
		fclose(f);
	*missing |= targets & ~found;
}

/*
 * Only the hooks the interest set wants are loaded and attached, and only
 * the fillers some syscall row uses: verifying them all takes long (seconds
 * under emulation) and a hook nobody asked for must cost nothing. A wanted
 * tracepoint or kprobed function this kernel lacks is left out and said
 * (missing_hooks); kprobes wanted on a kernel without kprobes are an error.
 */
static int choose_programs(struct bpf_engine *e, const struct kcap_engine_opts *o, char *err,
			   size_t errlen)
{
	bool used[KCAP_FILLER_MAX] = { false };
	uint64_t wanted = kcap_hooks_wanted(o, e->rows);
	struct btf *vmlinux = btf__load_vmlinux_btf();
	uint32_t nr, id;
	int h;

	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		if ((wanted & (1ull << h)) && is_kprobe(h) && !kernel_has_kprobes()) {
			snprintf(err, errlen, "this kernel has no kprobes (CONFIG_KPROBES): kcap "
				 "cannot capture %s events", g_event_info[kcap_hook_event(h)].name);
			goto fail;
		}
	}
	find_kprobe_functions(wanted, &e->base.missing_hooks);
	for (nr = 0; nr < SYSCALL_TABLE_SIZE; nr++) {
		used[e->rows[nr].enter_filler] = true;
		used[e->rows[nr].exit_filler] = true;
	}
	for (id = 1; id < KCAP_FILLER_MAX; id++) {
		struct bpf_program *p = filler_program(e, id);

		if (!p)
			goto lacks;
		bpf_program__set_autoload(p, used[id]);
	}
	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		struct bpf_program *p = hook_program(e, h);
		bool on = (wanted & (1ull << h)) && !(e->base.missing_hooks & (1ull << h));

		if (!p)
			goto lacks;
		if (on && g_hooks[h].kind == KCAP_HOOK_TRACEPOINT && vmlinux &&
		    !kernel_has_tracepoint(vmlinux, g_hooks[h].target)) {
			e->base.missing_hooks |= 1ull << h;
			on = false;
		}
		bpf_program__set_autoload(p, on);
		/*
		 * A kprobe may still fail to attach (a function kprobes refuse): one
		 * by one. A uprobe goes where userspace found its function.
		 */
		bpf_program__set_autoattach(p, on && !is_kprobe(h) && !kcap_hook_is_uprobe(h));
	}
	btf__free(vmlinux);
	return 0;
lacks:
	snprintf(err, errlen, "the BPF probe lacks a program of the filler or hook table");
fail:
	btf__free(vmlinux);
	return -1;
}

/* The loaded kprobes, each on its own: one that fails is missing, the rest capture. */
static void attach_kprobes(struct bpf_engine *e)
{
	int h;

	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		struct bpf_program *p = hook_program(e, h);

		if (!is_kprobe(h) || !p || !bpf_program__autoload(p))
			continue;
		e->probe_links[h] = bpf_program__attach(p);
		if (!e->probe_links[h])
			e->base.missing_hooks |= 1ull << h;
	}
}

/*
 * The uprobes, each to the file and offset of its function: the file open
 * since its symbols were read, named by its fd (the kernel follows the
 * link); one that fails is an error.
 */
static int attach_uprobes(struct bpf_engine *e, struct kcap_uprobe_site *const *sites,
			  char *err, size_t errlen)
{
	char fd_path[64];
	int h;

	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		struct bpf_program *p = hook_program(e, h);

		if (!sites[h] || !p || !bpf_program__autoload(p))
			continue;
		snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", sites[h]->fd);
		e->probe_links[h] = bpf_program__attach_uprobe(
			p, g_hooks[h].kind == KCAP_HOOK_URETPROBE, -1, fd_path,
			(size_t)sites[h]->offset);
		if (!e->probe_links[h]) {
			snprintf(err, errlen, "%s: cannot attach to %s in %s: %s",
				 g_event_info[kcap_hook_event(h)].name, sites[h]->symbol,
				 sites[h]->path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int fill_tables(struct bpf_engine *e)
{
	int pfd = bpf_map__fd(e->skel->maps.fillers);
	uint32_t id;

	for (id = 1; id < KCAP_FILLER_MAX; id++) {
		struct bpf_program *p = filler_program(e, id);
		int prog_fd = p ? bpf_program__fd(p) : -1;

		if (prog_fd >= 0 && bpf_map_update_elem(pfd, &id, &prog_fd, BPF_ANY))
			return -1;
	}
	return fill_syscalls(e) || fill_ia32_syscalls(e) ? -1 : 0;
}

/* Creates and maps one ring per CPU; done before loading, as the first ring is
 * the prototype of the probe's map of rings. */
static int create_rings(struct bpf_engine *e, uint32_t bytes)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int cpu;

	e->rings = calloc((size_t)e->ncpus, sizeof(*e->rings));
	e->ring_ptrs = calloc((size_t)e->ncpus, sizeof(*e->ring_ptrs));
	e->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!e->rings || !e->ring_ptrs || e->epfd < 0)
		return -1;
	for (cpu = 0; cpu < e->ncpus; cpu++) {
		int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "kcap_ring", 0, 0, bytes, NULL);

		if (fd < 0)
			return -1;
		if (map_ring(&e->rings[cpu], fd, bytes)) {
			close(fd);
			return -1;
		}
		ev.data.u32 = (uint32_t)cpu;
		epoll_ctl(e->epfd, EPOLL_CTL_ADD, fd, &ev);
		e->ring_ptrs[cpu] = &e->rings[cpu];
	}
	return kcap_merge_init(&e->base.merge, &bpf_ring_ops, e->ring_ptrs, e->ncpus);
}

static int install_rings(struct bpf_engine *e)
{
	int outer = bpf_map__fd(e->skel->maps.rings);
	uint32_t cpu;

	for (cpu = 0; cpu < (uint32_t)e->ncpus; cpu++)
		if (bpf_map_update_elem(outer, &cpu, &e->rings[cpu].fd, BPF_ANY))
			return -1;
	return 0;
}

/* KCAP_BENCH_STAGE: where the syscall path stops (kcap_abi.h); unset, nowhere. */
static int bench_stage(volatile __u32 *stage, char *err, size_t errlen)
{
	static const char *const names[] = {
		[KCAP_STAGE_DISPATCH] = "dispatch", [KCAP_STAGE_BEGIN] = "begin",
		[KCAP_STAGE_TAIL_CALL] = "tail_call", [KCAP_STAGE_FILL] = "fill",
		[KCAP_STAGE_NO_USER_DATA] = "no_user_data",
	};
	const char *v = getenv("KCAP_BENCH_STAGE");
	__u32 i;

	if (!v || !*v)
		return 0;
	for (i = 1; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(v, names[i])) {
			*stage = i;
			return 0;
		}
	}
	snprintf(err, errlen, "KCAP_BENCH_STAGE=%s: not a stage (dispatch, begin, tail_call, "
		 "fill, no_user_data)", v);
	return -1;
}

static int open_probe(struct bpf_engine *e, const struct kcap_engine_opts *o, uint32_t bytes,
		      char *err, size_t errlen)
{
	/*
	 * Without CAP_SYS_ADMIN, libbpf cannot list the modules' BTF, and a CO-RE
	 * type missing from vmlinux (an older kernel's flavor) would fail the
	 * load: with vmlinux given as the target BTF, libbpf does not look there.
	 */
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path =
		    kcap_caps_effective() & KCAP_CAP_BIT(KCAP_CAP_SYS_ADMIN) ? NULL :
		    "/sys/kernel/btf/vmlinux");

	e->skel = kcap_bpf__open_opts(&opts);
	if (!e->skel) {
		snprintf(err, errlen, "cannot open the BPF probe: %s", strerror(errno));
		return -1;
	}
	if (e->ncpus > KCAP_MAX_CPUS || bpf_map__set_max_entries(e->skel->maps.rings, e->ncpus) ||
	    bpf_map__set_max_entries(e->skel->maps.scratch, e->ncpus * KCAP_NEST_MAX)) {
		snprintf(err, errlen, "cannot size the map of rings for %d CPUs", e->ncpus);
		return -1;
	}
	if (create_rings(e, bytes) ||
	    bpf_map__set_inner_map_fd(e->skel->maps.rings, e->rings[0].fd)) {
		snprintf(err, errlen, "cannot create %d rings of %u bytes: %s", e->ncpus, bytes,
			 strerror(errno));
		return -1;
	}
	kcap_syscall_rows(o, e->rows);
	if (choose_programs(e, o, err, errlen))
		return -1;
	/* 5.11 on: the current task's fields as plain loads (filler_bpf.h). */
	e->skel->rodata->kcap_task_btf =
		libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT,
					BPF_FUNC_get_current_task_btf, NULL) == 1;
	/* 5.15 on: the syscall's registers as a BTF pointer too. */
	e->skel->rodata->kcap_task_regs = e->skel->rodata->kcap_task_btf &&
		libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT,
					BPF_FUNC_task_pt_regs, NULL) == 1;
	if (bench_stage(&e->skel->rodata->kcap_bench_stage, err, errlen))
		return -1;
	verifier_tail[0] = '\0';
	if (kcap_bpf__load(e->skel)) {
		snprintf(err, errlen, "the kernel refused the BPF probe (%s); last lines: %s",
			 strerror(errno), verifier_tail);
		return -1;
	}
	return 0;
}

static int check_privileges(char *err, size_t errlen)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(err, errlen, "this kernel has no BTF (/sys/kernel/btf/vmlinux): "
			 "the BPF probe needs it; try --driver kmod");
		return -1;
	}
	return kcap_caps_check(kcap_caps_bpf(), kcap_caps_effective(),
			       "capture with the BPF driver", err, errlen);
}

static void bpf_set_capture(struct kcap_engine *base, bool on)
{
	struct bpf_engine *e = (struct bpf_engine *)base;

	__atomic_store_n(&e->skel->bss->settings.capture, on ? 1u : 0u, __ATOMIC_RELEASE);
}

/* Producers wake us only when a ring fills; the timeout bounds the wait. */
static void bpf_wait(struct kcap_engine *base, int timeout_ms)
{
	struct bpf_engine *e = (struct bpf_engine *)base;
	struct epoll_event events[8];

	epoll_wait(e->epfd, events, 8, timeout_ms);
}

static int bpf_cpu_counters(struct kcap_engine *base, struct kcap_counters *per_cpu)
{
	struct bpf_engine *e = (struct bpf_engine *)base;
	uint32_t zero = 0;

	return bpf_map_lookup_elem(bpf_map__fd(e->skel->maps.counters), &zero, per_cpu);
}

static void bpf_close(struct kcap_engine *base)
{
	struct bpf_engine *e = (struct bpf_engine *)base;
	int i;

	for (i = 0; i < KCAP_HOOK_MAX; i++)
		bpf_link__destroy(e->probe_links[i]);
	if (e->skel)
		kcap_bpf__detach(e->skel);
	for (i = 0; e->rings && i < e->ncpus; i++)
		unmap_ring(&e->rings[i], e->skel ? e->skel->bss->settings.ring_bytes : 0);
	kcap_merge_free(&e->base.merge);
	kcap_bpf__destroy(e->skel);
	if (e->epfd >= 0)
		close(e->epfd);
	free(e->rings);
	free(e->ring_ptrs);
	free(e);
}

static const struct kcap_engine_ops bpf_ops = {
	.set_capture = bpf_set_capture,
	.cpu_counters = bpf_cpu_counters,
	.wait = bpf_wait,
	.close = bpf_close,
};

struct kcap_engine *kcap_engine_open_bpf(const struct kcap_engine_opts *o,
					 struct kcap_uprobe_site *const *sites, char *err,
					 size_t errlen)
{
	struct bpf_engine *e = calloc(1, sizeof(*e));
	uint32_t bytes = kcap_ring_bytes(o);

	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->base.ops = &bpf_ops;
	e->base.driver = KCAP_DRIVER_BPF;
	e->epfd = -1;
	e->ncpus = e->base.ncpus = libbpf_num_possible_cpus();
	libbpf_set_print(libbpf_log);
	if (check_privileges(err, errlen) || raise_memlock(err, errlen) ||
	    open_probe(e, o, bytes, err, errlen))
		goto fail;
	kcap_settings_from(o, sites, bytes, &e->skel->bss->settings);
	if (fill_tables(e) || install_rings(e)) {
		snprintf(err, errlen, "cannot set up the probe's maps: %s", strerror(errno));
		goto fail;
	}
	if (kcap_bpf__attach(e->skel)) {
		snprintf(err, errlen, "cannot attach the BPF probe: %s", strerror(errno));
		goto fail;
	}
	attach_kprobes(e);
	if (attach_uprobes(e, sites, err, errlen))
		goto fail;
	return &e->base;
fail:
	bpf_close(&e->base);
	return NULL;
}
