// SPDX-License-Identifier: MIT
/*
 * The kernel module engine: loads kcap.ko if it is not loaded, opens and maps
 * /dev/kcapN for every CPU, passes settings and syscall rows by ioctl, and
 * reads the mapped rings (the contract is in driver/kmod/kcap_kmod_abi.h)
 * through the ring interface of ring.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "caps.h"
#include "engine_impl.h"
#include "interest.h"
#include "kmod/kcap_kmod_abi.h"

struct kmod_ring {
	int fd;
	struct kcap_ring_page *page;
	const uint8_t *data;
	uint64_t tail;			/* our read position */
	uint32_t pending;		/* bytes of the event handed out */
	uint32_t size;
};

struct kmod_engine {
	struct kcap_engine base;
	struct kmod_ring *rings;
	void **ring_ptrs;
	bool loaded_module;		/* unload it on close */
};

static const struct ppm_evt_hdr *kmod_ring_peek(void *p)
{
	struct kmod_ring *r = p;
	uint64_t head = __atomic_load_n(&r->page->head, __ATOMIC_ACQUIRE);
	const struct ppm_evt_hdr *h;

	if (r->tail == head)
		return NULL;
	h = (const struct ppm_evt_hdr *)(r->data + (r->tail & (r->size - 1)));
	r->pending = h->len;
	return h;
}

/* Consumed bytes go back to the producer at once: it never reads them late. */
static void kmod_ring_release(void *p)
{
	struct kmod_ring *r = p;

	r->tail += r->pending;
	r->pending = 0;
	__atomic_store_n(&r->page->tail, r->tail, __ATOMIC_RELEASE);
}

static const struct kcap_ring_ops kmod_ring_ops = {
	.peek = kmod_ring_peek,
	.release = kmod_ring_release,
};

/* ---- the module ------------------------------------------------------- */

static bool module_loaded(void)
{
	return access("/sys/module/kcap", F_OK) == 0;
}

/* kcap.ko next to the running program, or the path given. */
static int module_path(const struct kcap_engine_opts *o, char *path, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n;

	if (o->kmod_path) {
		snprintf(path, len, "%s", o->kmod_path);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -1;
	exe[n] = '\0';
	snprintf(path, len, "%s/kcap.ko", dirname(exe));
	return 0;
}

static int load_module(const struct kcap_engine_opts *o, uint32_t ring_bytes, char *err,
		       size_t errlen)
{
	char path[PATH_MAX], params[64];
	int fd;

	if (module_path(o, path, sizeof(path)) || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "the kcap module is not loaded and %s cannot be read: %s",
			 o->kmod_path ? o->kmod_path : "kcap.ko next to kcap", strerror(errno));
		return -1;
	}
	snprintf(params, sizeof(params), "ring_bytes=%u", ring_bytes);
	if (syscall(SYS_finit_module, fd, params, 0)) {
		snprintf(err, errlen, "cannot load %s: %s%s", path, strerror(errno),
			 errno == EPERM ? " (root is needed, and a kernel that takes modules)" : "");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void unload_module(void)
{
	if (syscall(SYS_delete_module, "kcap", O_NONBLOCK))
		fprintf(stderr, "kcap: cannot unload the kcap module: %s\n", strerror(errno));
}

/* ---- rings ------------------------------------------------------------ */

static int open_ring(struct kmod_ring *r, int cpu, char *err, size_t errlen)
{
	char dev[64];
	struct kcap_ring_page page;
	void *map;

	snprintf(dev, sizeof(dev), "/dev/" KCAP_KMOD_DEVICE "%d", cpu);
	r->fd = open(dev, O_RDWR | O_CLOEXEC);
	if (r->fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", dev,
			 errno == EBUSY ? "another reader has it" : strerror(errno));
		return -1;
	}
	/* The ring's size is in its first page. */
	map = mmap(NULL, KCAP_KMOD_PAGE, PROT_READ, MAP_SHARED, r->fd, 0);
	if (map == MAP_FAILED)
		goto fail;
	memcpy(&page, map, sizeof(page));
	munmap(map, KCAP_KMOD_PAGE);
	map = mmap(NULL, KCAP_RING_MAP_SIZE(page.size), PROT_READ | PROT_WRITE, MAP_SHARED, r->fd,
		   0);
	if (map == MAP_FAILED)
		goto fail;
	r->page = map;
	r->data = (const uint8_t *)map + KCAP_KMOD_PAGE;
	r->size = page.size;
	r->tail = __atomic_load_n(&r->page->tail, __ATOMIC_ACQUIRE);
	return 0;
fail:
	snprintf(err, errlen, "cannot map %s: %s", dev, strerror(errno));
	return -1;
}

static void close_ring(struct kmod_ring *r)
{
	if (r->page)
		munmap(r->page, KCAP_RING_MAP_SIZE(r->size));
	if (r->fd > 0)
		close(r->fd);
}

/* ---- engine ops ------------------------------------------------------- */

static void kmod_set_capture(struct kcap_engine *base, bool on)
{
	struct kmod_engine *e = (struct kmod_engine *)base;
	uint32_t v = on;

	ioctl(e->rings[0].fd, KCAP_IOC_SET_CAPTURE, &v);
}

static int kmod_cpu_counters(struct kcap_engine *base, struct kcap_counters *per_cpu)
{
	struct kmod_engine *e = (struct kmod_engine *)base;
	int cpu;

	for (cpu = 0; cpu < base->ncpus; cpu++)
		if (ioctl(e->rings[cpu].fd, KCAP_IOC_GET_COUNTERS, &per_cpu[cpu]))
			return -1;
	return 0;
}

/* The module wakes nobody: the reader polls, as with the BPF rings. */
static void kmod_wait(struct kcap_engine *base, int timeout_ms)
{
	struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000 };

	(void)base;
	nanosleep(&ts, NULL);
}

static void kmod_close(struct kcap_engine *base)
{
	struct kmod_engine *e = (struct kmod_engine *)base;
	int cpu;

	for (cpu = 0; e->rings && cpu < base->ncpus; cpu++)
		close_ring(&e->rings[cpu]);
	kcap_merge_free(&base->merge);
	if (e->loaded_module)
		unload_module();
	free(e->rings);
	free(e->ring_ptrs);
	free(e);
}

static const struct kcap_engine_ops kmod_ops = {
	.set_capture = kmod_set_capture,
	.cpu_counters = kmod_cpu_counters,
	.wait = kmod_wait,
	.close = kmod_close,
};

/* /dev/kcapN exists for every possible CPU. */
static int count_devices(void)
{
	char dev[64];
	int n = 0;

	for (;; n++) {
		snprintf(dev, sizeof(dev), "/dev/" KCAP_KMOD_DEVICE "%d", n);
		if (access(dev, F_OK))
			return n;
	}
}

/* Tells the module where each uprobe hook goes: the file (its fd), and the offset. */
static int place_uprobes(int dev, struct kcap_uprobe_site *const *sites, char *err,
			 size_t errlen)
{
	int h;

	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		struct kcap_uprobe_arg a = { .hook = (__u32)h, .offset = 0 };

		if (!sites[h])
			continue;
		a.offset = sites[h]->offset;
		a.fd = sites[h]->fd;
		if (ioctl(dev, KCAP_IOC_SET_UPROBE, &a)) {
			snprintf(err, errlen, "%s: the kcap module cannot probe %s in %s: %s",
				 g_event_info[kcap_hook_event(h)].name, sites[h]->symbol,
				 sites[h]->path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* A uprobe the module could not register is an error: the user asked for its event. */
static int check_uprobes(uint64_t missing, struct kcap_uprobe_site *const *sites, char *err,
			 size_t errlen)
{
	int h;

	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		if (sites[h] && (missing & (1ull << h))) {
			snprintf(err, errlen, "%s: the kcap module could not register its uprobe on "
				 "%s in %s (the kernel's log says why)",
				 g_event_info[kcap_hook_event(h)].name, sites[h]->symbol,
				 sites[h]->path);
			return -1;
		}
	}
	return 0;
}

static int configure(struct kmod_engine *e, const struct kcap_engine_opts *o,
		     struct kcap_uprobe_site *const *sites, char *err, size_t errlen)
{
	struct kcap_sc_row rows[SYSCALL_TABLE_SIZE];
	struct kcap_rows_arg a = { .rows = (uintptr_t)rows, .count = SYSCALL_TABLE_SIZE };
	struct kcap_hooks_arg hooks = { 0 };
	struct kcap_settings s;
	uint32_t version = 0;
	int fd = e->rings[0].fd;

	if (ioctl(fd, KCAP_IOC_API_VERSION, &version) || version != KCAP_KMOD_API_VERSION) {
		snprintf(err, errlen, "the loaded kcap module speaks API %u, this kcap %u: "
			 "unload it (rmmod kcap)", version, KCAP_KMOD_API_VERSION);
		return -1;
	}
	kcap_settings_from(o, sites, e->rings[0].size, &s);
	kcap_syscall_rows(o, rows);
	hooks.want = kcap_hooks_wanted(o, rows);
	if (ioctl(fd, KCAP_IOC_SET_SETTINGS, &s) || ioctl(fd, KCAP_IOC_SET_ROWS, &a)) {
		snprintf(err, errlen, "the kcap module refused the settings: %s", strerror(errno));
		return -1;
	}
	if (place_uprobes(fd, sites, err, errlen))
		return -1;
	/* The module attaches what it has of the hooks and says which it lacks. */
	if (ioctl(fd, KCAP_IOC_SET_HOOKS, &hooks)) {
		snprintf(err, errlen, "the kcap module cannot attach its hooks: %s", strerror(errno));
		return -1;
	}
	e->base.missing_hooks = hooks.missing;
	return check_uprobes(hooks.missing, sites, err, errlen);
}

struct kcap_engine *kcap_engine_open_kmod(const struct kcap_engine_opts *o,
					  struct kcap_uprobe_site *const *sites, char *err,
					  size_t errlen)
{
	struct kmod_engine *e = calloc(1, sizeof(*e));
	int cpu;

	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->base.ops = &kmod_ops;
	e->base.driver = KCAP_DRIVER_KMOD;
	if (!module_loaded()) {
		if (kcap_caps_check(KCAP_CAP_BIT(KCAP_CAP_SYS_MODULE), kcap_caps_effective(),
				    "loading the kernel module", err, errlen))
			goto fail;
		if (load_module(o, kcap_ring_bytes(o), err, errlen))
			goto fail;
		e->loaded_module = true;
	}
	e->base.ncpus = count_devices();
	e->rings = calloc((size_t)e->base.ncpus + 1, sizeof(*e->rings));
	e->ring_ptrs = calloc((size_t)e->base.ncpus + 1, sizeof(*e->ring_ptrs));
	if (!e->base.ncpus || !e->rings || !e->ring_ptrs) {
		snprintf(err, errlen, "the kcap module is loaded but /dev/%s0 is missing",
			 KCAP_KMOD_DEVICE);
		goto fail;
	}
	for (cpu = 0; cpu < e->base.ncpus; cpu++) {
		if (open_ring(&e->rings[cpu], cpu, err, errlen))
			goto fail;
		e->ring_ptrs[cpu] = &e->rings[cpu];
	}
	if (configure(e, o, sites, err, errlen) ||
	    kcap_merge_init(&e->base.merge, &kmod_ring_ops, e->ring_ptrs, e->base.ncpus))
		goto fail;
	return &e->base;
fail:
	kmod_close(&e->base);
	return NULL;
}
