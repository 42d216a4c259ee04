// SPDX-License-Identifier: MIT
/*
 * What every engine does the same way: choose the driver, compute the
 * syscall rows and settings both drivers take, merge the rings' events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "engine_impl.h"
#include "event_nparams.h"
#include "filler_table.h"
#include "interest.h"
#include "caps.h"
#include "threads.h"

static const char *const driver_names[] = {
	[KCAP_DRIVER_AUTO] = "auto",
	[KCAP_DRIVER_BPF] = "bpf",
	[KCAP_DRIVER_KMOD] = "kmod",
};

int kcap_driver_parse(const char *name, enum kcap_driver *d)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (strcmp(name, driver_names[i]) == 0) {
			*d = (enum kcap_driver)i;
			return 0;
		}
	}
	return -1;
}

const char *kcap_driver_name(enum kcap_driver d)
{
	return driver_names[d];
}

/*
 * BTF, raw tracepoints, ring buffers and the capabilities to load them: what
 * the probe needs. A feature probe that fails for lack of privilege says so.
 */
bool kcap_bpf_supported(char *why, size_t whylen)
{
	char caps[256];
	int rc;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(why, whylen, "this kernel has no BTF (/sys/kernel/btf/vmlinux)");
		return false;
	}
	if (kcap_caps_check(kcap_caps_bpf(), kcap_caps_effective(), "the BPF probe", caps,
			    sizeof(caps)) < 0) {
		snprintf(why, whylen, "%s", caps);
		return false;
	}
	rc = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL);
	if (rc != 1) {
		snprintf(why, whylen, rc < 0 ? "the BPF feature probe failed: %s" :
			 "this kernel has no raw tracepoint programs%s", rc < 0 ? strerror(-rc) : "");
		return false;
	}
	rc = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL);
	if (rc != 1) {
		snprintf(why, whylen, rc < 0 ? "the BPF feature probe failed: %s" :
			 "this kernel has no BPF ring buffers (Linux 5.8+)%s",
			 rc < 0 ? strerror(-rc) : "");
		return false;
	}
	snprintf(why, whylen, "BTF, raw tracepoints, ring buffers and the capabilities are there");
	return true;
}

/* The interest set of o, or the default one in buf. */
static const bool *interest_of(const struct kcap_engine_opts *o, bool *buf)
{
	if (o->interest)
		return o->interest;
	kcap_interest_default(buf);
	return buf;
}

struct kcap_engine *kcap_engine_open(enum kcap_driver d, const struct kcap_engine_opts *o,
				     char *err, size_t errlen)
{
	struct kcap_uprobe_site *sites[KCAP_HOOK_MAX];
	bool buf[KCAP_SC_MAX];
	struct kcap_engine *e;
	char why[256];

	if (o->snaplen > KCAP_USER_BUF_MAX) {
		snprintf(err, errlen, "snaplen %u is above the drivers' limit of %u bytes", o->snaplen,
			 KCAP_USER_BUF_MAX);
		return NULL;
	}
	/* Before any driver loads: a binary or function not found is the user's to fix. */
	if (kcap_uprobe_sites(kcap_interest_hooks(interest_of(o, buf)), o->uprobe_binaries, sites,
			      err, errlen))
		return NULL;
	why[0] = '\0';
	if (d == KCAP_DRIVER_AUTO)
		d = kcap_bpf_supported(why, sizeof(why)) ? KCAP_DRIVER_BPF : KCAP_DRIVER_KMOD;
	e = d == KCAP_DRIVER_BPF ? kcap_engine_open_bpf(o, sites, err, errlen)
				 : kcap_engine_open_kmod(o, sites, err, errlen);
	kcap_uprobe_sites_free(sites);
	if (e)
		snprintf(e->reason, sizeof(e->reason), "%s", why);
	else if (why[0] && d == KCAP_DRIVER_KMOD)	/* say why the module was tried */
		snprintf(err + strlen(err), errlen - strlen(err), " (the module, as BPF cannot: %s)",
			 why);
	return e;
}

enum kcap_driver kcap_engine_driver(const struct kcap_engine *e)
{
	return e->driver;
}

const char *kcap_engine_reason(const struct kcap_engine *e)
{
	return e->reason;
}

void kcap_syscall_rows(const struct kcap_engine_opts *o, struct kcap_sc_row *rows)
{
	bool buf[KCAP_SC_MAX];
	const bool *interest = interest_of(o, buf);
	uint32_t nr;

	memset(rows, 0, SYSCALL_TABLE_SIZE * sizeof(*rows));
	for (nr = 0; nr < SYSCALL_TABLE_SIZE; nr++) {
		const struct ppm_syscall_desc *d = &g_syscall_table[nr];
		uint16_t enter_ev = kcap_emitted_event(d->enter_event, PPME_GENERIC_E);
		uint16_t exit_ev = kcap_emitted_event(d->exit_event, PPME_GENERIC_X);
		struct kcap_sc_row *row = &rows[nr];

		if (!d->ppm_sc || !interest[d->ppm_sc])
			continue;
		row->ppm_sc = d->ppm_sc;
		/* A dedicated exit whose enter is the schema's NA placeholder: no enter, as libs. */
		if (o->enter_events && !(enter_ev == PPME_GENERIC_E && exit_ev != PPME_GENERIC_X)) {
			row->enter_event = enter_ev;
			row->enter_filler = g_event_filler[enter_ev];
			row->enter_nparams = g_event_nparams[enter_ev];
		}
		row->exit_event = exit_ev;
		row->exit_filler = g_event_filler[exit_ev];
		row->exit_nparams = g_event_nparams[exit_ev];
	}
}

uint64_t kcap_hooks_wanted(const struct kcap_engine_opts *o, const struct kcap_sc_row *rows)
{
	bool buf[KCAP_SC_MAX];
	uint64_t mask = kcap_interest_hooks(interest_of(o, buf));
	uint32_t nr;

	for (nr = 0; nr < SYSCALL_TABLE_SIZE; nr++) {
		if (rows[nr].enter_filler)
			mask |= 1ull << KCAP_HOOK_sys_enter;
		if (rows[nr].exit_filler)
			mask |= 1ull << KCAP_HOOK_sys_exit;
	}
	if ((o->filter_tgid && o->follow_children) ||
	    (o->scope && (o->scope->fields & (1u << KCAP_SCOPE_PID)) && o->scope->follow))
		mask |= 1ull << KCAP_HOOK_sched_process_fork;
	return mask;
}

uint64_t kcap_engine_missing_hooks(const struct kcap_engine *e)
{
	return e->missing_hooks;
}

static uint64_t boot_epoch_ns(void)
{
	struct timespec rt, bt;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	return (uint64_t)(rt.tv_sec - bt.tv_sec) * 1000000000ull + (uint64_t)rt.tv_nsec -
	       (uint64_t)bt.tv_nsec;
}

/*
 * Dropping mode: past half the ring, the drivers shed every event that does
 * not change the process or fd state (threads.h), so that the half left
 * holds the state events.
 */
static void shed_settings(uint32_t ring_bytes, struct kcap_settings *s)
{
	int t;

	_Static_assert(KCAP_EVENT_MAX <= KCAP_SHED_WORDS * 64, "the shed bitmap holds every type");
	s->shed_free = ring_bytes / 2;
	for (t = 0; t < KCAP_EVENT_MAX; t++)
		if (!kcap_event_changes_state((uint16_t)t))
			s->shed_types[t / 64] |= 1ull << (t % 64);
}

_Static_assert(KCAP_HOOK_MAX <= KCAP_HOOKS_MAX, "settings.uprobe_abi has a byte per hook");

void kcap_settings_from(const struct kcap_engine_opts *o, struct kcap_uprobe_site *const *sites,
			uint32_t ring_bytes, struct kcap_settings *s)
{
	int h;

	memset(s, 0, sizeof(*s));
	for (h = 0; h < KCAP_HOOK_MAX; h++)
		s->uprobe_abi[h] = sites[h] ? sites[h]->abi : 0;
	s->snaplen = o->snaplen ? o->snaplen : KCAP_SNAPLEN_DEFAULT;
	s->ring_bytes = ring_bytes;
	if (o->scope)
		s->scope = *o->scope;
	if (o->filter_tgid) {
		s->scope.fields |= 1u << KCAP_SCOPE_PID;
		s->scope.negate &= ~(1u << KCAP_SCOPE_PID);
		s->scope.n[KCAP_SCOPE_PID] = 1;
		s->scope.pid[0] = o->filter_tgid;
		s->scope.follow = o->follow_children;
	}
	s->skip_tgid = o->capture_self ? 0 : (uint32_t)getpid();
	s->boot_epoch_ns = boot_epoch_ns();
	if (o->dropping_mode)
		shed_settings(ring_bytes, s);
}

uint32_t kcap_ring_bytes(const struct kcap_engine_opts *o)
{
	uint32_t want = o->ring_bytes ? o->ring_bytes : (8u << 20), size = 4096;

	while (size < want && size < (1u << 30))
		size <<= 1;
	return size;
}

void kcap_engine_set_capture(struct kcap_engine *e, bool on)
{
	e->ops->set_capture(e, on);
}

int kcap_engine_next(struct kcap_engine *e, struct kcap_evt *ev, int timeout_ms)
{
	const struct ppm_evt_hdr *h;
	const char *why;
	uint16_t cpu;

	h = kcap_merge_next(&e->merge, &cpu);
	if (!h && timeout_ms) {
		e->ops->wait(e, timeout_ms);
		h = kcap_merge_next(&e->merge, &cpu);
	}
	if (!h)
		return 0;
	if (kcap_evt_parse(h, h->len, ev, &why) < 0)
		return -1;
	ev->cpu = cpu;
	ev->flags = 0;
	return 1;
}

static void add_counters(struct kcap_engine_counters *c, const struct kcap_counters *k)
{
	c->events += k->events;
	c->drops_ring_full += k->drops_ring_full;
	c->drops_too_large += k->drops_too_large;
	c->read_failures += k->read_failures;
	c->tail_call_failures += k->tail_call_failures;
	c->drops_nested += k->drops_nested;
	c->scope_full += k->scope_full;
	c->drops_shed += k->drops_shed;
}

/* cpu -1: all of them. */
static int sum_counters(struct kcap_engine *e, int cpu, struct kcap_engine_counters *c)
{
	struct kcap_counters *per = calloc((size_t)e->ncpus, sizeof(*per));
	int i, rc = -1;

	memset(c, 0, sizeof(*c));
	if (per && e->ops->cpu_counters(e, per) == 0) {
		for (i = 0; i < e->ncpus; i++)
			if (cpu < 0 || cpu == i)
				add_counters(c, &per[i]);
		rc = 0;
	}
	free(per);
	return rc;
}

void kcap_engine_counters(struct kcap_engine *e, struct kcap_engine_counters *c)
{
	sum_counters(e, -1, c);
}

int kcap_engine_cpu_counters(struct kcap_engine *e, int cpu, struct kcap_engine_counters *c)
{
	if (cpu < 0 || cpu >= e->ncpus)
		return -1;
	return sum_counters(e, cpu, c);
}

int kcap_engine_ncpus(const struct kcap_engine *e)
{
	return e->ncpus;
}

void kcap_engine_close(struct kcap_engine *e)
{
	if (e)
		e->ops->close(e);
}
