// SPDX-License-Identifier: GPL-2.0-only
/*
 * The module's tracepoint probes: the same hooks as the BPF probe (sys_enter,
 * sys_exit, sched_process_exit, sched_process_fork), the same syscall rows,
 * and the same shared fillers, called here through a table instead of tail
 * calls.
 */
#include <linux/compat.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <asm/syscall.h>

#include "kcap_kmod.h"
#include "filler_kmod.h"
#include "../filler_table.h"
#include "../fillers.h"

typedef int (*kcap_filler_fn)(struct kcap_fctx *f);

static const kcap_filler_fn fillers[KCAP_FILLER_MAX] = {
#define KCAP_FILLER_FN(name) [KCAP_FILLER_##name] = fill_##name,
	KCAP_FILLERS(KCAP_FILLER_FN)
#undef KCAP_FILLER_FN
};

/*
 * Thread groups of the followed process tree: an open-addressed set that
 * only grows until the next settings, like the BPF probe's map.
 */
#define KCAP_TRACED_MAX 4096
static u32 traced_tgids[KCAP_TRACED_MAX];

void kcap_traced_reset(void)
{
	memset(traced_tgids, 0, sizeof(traced_tgids));
}

static bool traced_has(u32 tgid)
{
	u32 i, h = hash_32(tgid, 12);

	for (i = 0; i < KCAP_TRACED_MAX; i++) {
		u32 v = READ_ONCE(traced_tgids[(h + i) % KCAP_TRACED_MAX]);

		if (v == tgid)
			return true;
		if (!v)
			return false;
	}
	return false;
}

static void traced_add(u32 tgid)
{
	u32 i, h = hash_32(tgid, 12);

	for (i = 0; i < KCAP_TRACED_MAX; i++) {
		u32 *slot = &traced_tgids[(h + i) % KCAP_TRACED_MAX];
		u32 old = cmpxchg(slot, 0, tgid);

		if (!old || old == tgid)
			return;
	}
}

static bool tgid_traced(u32 tgid)
{
	const struct kcap_settings *s = &kcap_settings;

	if (tgid == READ_ONCE(s->skip_tgid))
		return false;
	if (!READ_ONCE(s->filter_tgid) || tgid == READ_ONCE(s->filter_tgid))
		return true;
	return READ_ONCE(s->follow_children) && traced_has(tgid);
}

/* Starts an event in this CPU's ring; false when not even its header fits. */
static bool begin_event(struct kcap_fctx *f, u16 type, u32 nparams, u64 tid)
{
	struct ppm_evt_hdr hdr = {
		.ts = ktime_get_boottime_ns() + READ_ONCE(kcap_settings.boot_epoch_ns),
		.tid = tid,
		.type = type,
		.nparams = nparams,
	};

	f->ring = &kcap_rings[smp_processor_id()];
	f->buf = kcap_ring_reserve(f->ring, KCAP_EVENT_MAX_SIZE, &f->room);
	f->nparams = min_t(u32, nparams, PPM_MAX_EVENT_PARAMS);
	f->off = PPM_EVT_HDR_SIZE + 2 * f->nparams;
	f->snaplen = READ_ONCE(kcap_settings.snaplen);
	if (f->off > f->room) {
		f->ring->page->counters.drops_ring_full++;
		return false;
	}
	memcpy(f->buf, &hdr, sizeof(hdr));
	return true;
}

/* The x86_64 number of the syscall, translated from ia32 where needed. */
static bool syscall_nr(struct pt_regs *regs, bool compat, u32 *nr)
{
	long id = syscall_get_nr(current, regs);

	if (id < 0)
		return false;
	*nr = id;
	if (!compat)
		return *nr < SYSCALL_TABLE_SIZE;
	if (*nr >= IA32_SYSCALL_TABLE_SIZE || g_ia32_to_x86_64[*nr] < 0)
		return false;
	*nr = g_ia32_to_x86_64[*nr];
	return true;
}

static void syscall_args(struct pt_regs *regs, bool compat, unsigned long *args)
{
	int i;

	syscall_get_arguments(current, regs, args);
	for (i = 0; compat && i < 6; i++)
		args[i] = (u32)args[i];	/* as the BPF probe: 32-bit registers */
}

static void on_syscall(struct pt_regs *regs, long ret, bool exit)
{
	struct kcap_fctx f = { .ret = ret };
	const struct kcap_sc_row *row;
	struct kcap_rows *rows;
	u8 filler;
	u32 nr;

	if (!READ_ONCE(kcap_settings.capture))
		return;
	f.compat = in_compat_syscall();
	if (!syscall_nr(regs, f.compat, &nr))
		return;
	rows = rcu_dereference_sched(kcap_rows);
	if (!rows)
		return;
	row = &rows->row[nr];
	filler = exit ? row->exit_filler : row->enter_filler;
	if (!filler || filler >= KCAP_FILLER_MAX || !tgid_traced(current->tgid))
		return;
	if (!begin_event(&f, exit ? row->exit_event : row->enter_event,
			 exit ? row->exit_nparams : row->enter_nparams, current->pid))
		return;
	f.nr = nr;
	f.ppm_sc = row->ppm_sc;
	syscall_args(regs, f.compat, f.args);
	fillers[filler](&f);
}

/* Newer kernels run syscall tracepoints preemptible: pin the CPU and its ring. */
static void probe_sys_enter(void *data, struct pt_regs *regs, long id)
{
	preempt_disable_notrace();
	on_syscall(regs, 0, false);
	preempt_enable_notrace();
}

static void probe_sys_exit(void *data, struct pt_regs *regs, long ret)
{
	preempt_disable_notrace();
	on_syscall(regs, ret, true);
	preempt_enable_notrace();
}

static void probe_sched_process_exit(void *data, struct task_struct *p)
{
	struct kcap_fctx f = { .task = p };

	if (!READ_ONCE(kcap_settings.capture) || !READ_ONCE(kcap_settings.procexit) ||
	    !tgid_traced(p->tgid))
		return;
	if (begin_event(&f, PPME_PROCEXIT_E, KCAP_PROCEXIT_NPARAMS, p->pid))
		fill_procexit_e(&f);
}

/* Forks of a traced process are traced too, when following children. */
static void probe_sched_process_fork(void *data, struct task_struct *parent,
				     struct task_struct *child)
{
	if (!READ_ONCE(kcap_settings.filter_tgid) || !READ_ONCE(kcap_settings.follow_children) ||
	    !tgid_traced(parent->tgid))
		return;
	traced_add(child->tgid);
}

struct kcap_hook {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool registered;
};

static struct kcap_hook hooks[] = {
	{ "sys_enter", probe_sys_enter },
	{ "sys_exit", probe_sys_exit },
	{ "sched_process_exit", probe_sched_process_exit },
	{ "sched_process_fork", probe_sched_process_fork },
};

static void find_hook(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(hooks); i++)
		if (!strcmp(hooks[i].name, tp->name))
			hooks[i].tp = tp;
}

void kcap_probes_unregister(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(hooks); i++) {
		if (hooks[i].registered)
			tracepoint_probe_unregister(hooks[i].tp, hooks[i].probe, NULL);
		hooks[i].registered = false;
	}
	/* No probe runs past this point: the rings and rows can go. */
	tracepoint_synchronize_unregister();
}

int kcap_probes_register(void)
{
	int i, err;

	for_each_kernel_tracepoint(find_hook, NULL);
	for (i = 0; i < ARRAY_SIZE(hooks); i++) {
		if (!hooks[i].tp) {
			pr_err("kcap: no tracepoint %s in this kernel\n", hooks[i].name);
			err = -ENOENT;
			goto fail;
		}
		err = tracepoint_probe_register(hooks[i].tp, hooks[i].probe, NULL);
		if (err) {
			pr_err("kcap: cannot attach to %s: %d\n", hooks[i].name, err);
			goto fail;
		}
		hooks[i].registered = true;
	}
	return 0;
fail:
	kcap_probes_unregister();
	return err;
}
