// SPDX-License-Identifier: GPL-2.0-only
/*
 * The module's hooks, stamped from the hook table (hook_table.h) like the
 * BPF probe's programs: the syscall hooks dispatch through the syscall rows
 * to the shared fillers, called through a table instead of tail calls; the
 * other hooks run the shared prologue (dispatch.h) and their filler. Each
 * kind has its registration path: tracepoints, kprobes, kretprobes, and
 * uprobes on an inode and offset that userspace resolved. Only the hooks the
 * interest set wants are registered, while a reader captures.
 */
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/hash.h>
#include <linux/kprobes.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <linux/uprobes.h>
#include <linux/version.h>
#include <asm/syscall.h>

#include "kcap_kmod.h"
#include "filler_kmod.h"
#include "filler_table.h"
#include "hook_table.h"
#include "fillers.h"
#include "socketcall.h"

typedef int (*kcap_filler_fn)(struct kcap_fctx *f);

static const kcap_filler_fn fillers[KCAP_FILLER_MAX] = {
#define KCAP_FILLER_FN(name) [KCAP_FILLER_##name] = fill_##name,
	KCAP_FILLERS(KCAP_FILLER_FN)
#undef KCAP_FILLER_FN
};

/* ---- the followed process tree (scope.h's set) ------------------------ */

/*
 * Thread groups of the followed tree: an open-addressed set that only grows
 * until the next settings, like the BPF probe's map, with the same capacity.
 * Twice the slots keep probe runs short; a tgid past the capacity is refused.
 */
#define TRACED_SLOTS (2 * KCAP_TRACED_MAX)
static u32 traced_tgids[TRACED_SLOTS];
static atomic_t traced_count;

void kcap_traced_reset(void)
{
	memset(traced_tgids, 0, sizeof(traced_tgids));
	atomic_set(&traced_count, 0);
}

bool kcap_traced_has(u32 tgid)
{
	u32 i, h = hash_32(tgid, 17);

	for (i = 0; i < TRACED_SLOTS; i++) {
		u32 v = READ_ONCE(traced_tgids[(h + i) % TRACED_SLOTS]);

		if (v == tgid)
			return true;
		if (!v)
			return false;
	}
	return false;
}

int kcap_traced_add(u32 tgid)
{
	u32 i, h = hash_32(tgid, 17);

	if (kcap_traced_has(tgid))
		return 0;
	if (atomic_inc_return(&traced_count) > KCAP_TRACED_MAX) {
		atomic_dec(&traced_count);
		return -1;
	}
	for (i = 0; i < TRACED_SLOTS; i++) {
		u32 old = cmpxchg(&traced_tgids[(h + i) % TRACED_SLOTS], 0, tgid);

		if (!old || old == tgid)
			return 0;
	}
	return -1;
}

/* ---- what kprobes leave for their kretprobes --------------------------- */

/*
 * A small table hashed by thread and hook, as the BPF probe's LRU map: a
 * slot taken by another key is overwritten (its return probe then reports no
 * entry). A thread's keys (thread << 8 | hook) take neighbouring slots, so
 * that the entries of one thread never overwrite each other. One lock: only
 * the hooks with an entry probe use it.
 */
#define ENTRY_SLOTS 1024
static struct {
	u64 key, v, ns;
} entry_slots[ENTRY_SLOTS];
static DEFINE_RAW_SPINLOCK(entry_lock);

static u32 entry_slot(u64 key)
{
	return (hash_64(key >> 8, 10) + (key & 0xff)) & (ENTRY_SLOTS - 1);
}

void kcap_entries_save(u64 key, u64 v)
{
	u32 i = entry_slot(key);
	unsigned long flags;

	raw_spin_lock_irqsave(&entry_lock, flags);
	entry_slots[i].key = key;
	entry_slots[i].v = v;
	entry_slots[i].ns = ktime_get_ns();
	raw_spin_unlock_irqrestore(&entry_lock, flags);
}

/*
 * The texts, as many as the BPF probe's LRU map keeps: a key takes its own
 * slot or a free one, else the oldest, whose return then has no text. A
 * scan of them all, under the lock: only the uprobes with text use them.
 */
#define TEXT_SLOTS KCAP_ENTRY_TEXTS
static struct {
	u64 key, ns;
	u32 len;
	u8 buf[KCAP_ENTRY_TEXT_MAX];
} text_slots[TEXT_SLOTS];

/* The slot that holds key, -1 when none does. */
static int text_slot_of(u64 key)
{
	int i;

	for (i = 0; i < TEXT_SLOTS; i++)
		if (text_slots[i].key == key)
			return i;
	return -1;
}

/* Where key's text goes: its slot, a free one, else the oldest. */
static int text_slot_for(u64 key)
{
	int i = text_slot_of(key), oldest = 0;

	if (i >= 0)
		return i;
	for (i = 0; i < TEXT_SLOTS; i++) {
		if (!text_slots[i].key)
			return i;
		if (text_slots[i].ns < text_slots[oldest].ns)
			oldest = i;
	}
	return oldest;
}

int kcap_entries_save_text(u64 key, const void *utext, u32 len)
{
	unsigned long flags;
	int ret = 0, i;

	len = min_t(u32, len, KCAP_ENTRY_TEXT_MAX);
	raw_spin_lock_irqsave(&entry_lock, flags);
	i = text_slot_for(key);
	text_slots[i].key = key;
	text_slots[i].ns = ktime_get_ns();
	text_slots[i].len = len;
	if (len && copy_from_user_nofault(text_slots[i].buf, (const void __user *)utext, len)) {
		text_slots[i].len = 0;
		ret = -1;
	}
	raw_spin_unlock_irqrestore(&entry_lock, flags);
	return ret;
}

long kcap_entries_take_text(u64 key, u8 *dst, u32 room)
{
	unsigned long flags;
	long ret = -ENOENT;
	int i;

	raw_spin_lock_irqsave(&entry_lock, flags);
	i = text_slot_of(key);
	if (i >= 0) {
		ret = text_slots[i].len <= room ? text_slots[i].len : -ENOSPC;
		if (ret > 0)
			memcpy(dst, text_slots[i].buf, ret);
		text_slots[i].key = 0;
	}
	raw_spin_unlock_irqrestore(&entry_lock, flags);
	return ret;
}

int kcap_entries_take(u64 key, u64 *v, u64 *ns)
{
	u32 i = entry_slot(key);
	unsigned long flags;
	int ret = -1;

	raw_spin_lock_irqsave(&entry_lock, flags);
	if (entry_slots[i].key == key) {
		*v = entry_slots[i].v;
		*ns = ktime_get_ns() - entry_slots[i].ns;
		entry_slots[i].key = 0;
		ret = 0;
	}
	raw_spin_unlock_irqrestore(&entry_lock, flags);
	return ret;
}

/* ---- the syscall hooks ------------------------------------------------- */

/* The x86_64 number of the syscall, translated from ia32 where needed. */
static bool syscall_nr(struct pt_regs *regs, bool compat, u32 *nr)
{
	long id = syscall_get_nr(current, regs);

	if (id < 0)
		return false;
	*nr = id;
	if (!compat)
		return *nr < SYSCALL_TABLE_SIZE;
	if (*nr == KCAP_IA32_SOCKETCALL) {
		const struct kcap_socketcall *sc = kcap_socketcall((u32)regs->bx);

		*nr = sc ? sc->nr : 0;
		return sc;
	}
	if (*nr == KCAP_IA32_IPC) {
		const struct kcap_ipccall *c = kcap_ipccall((u32)regs->bx);

		*nr = c ? c->nr : 0;
		return c;
	}
	if (*nr >= IA32_SYSCALL_TABLE_SIZE || g_ia32_to_x86_64[*nr] < 0)
		return false;
	*nr = g_ia32_to_x86_64[*nr];
	return true;
}

/* socketcall's arguments, from the array it points to (socketcall.h). */
static void socketcall_args(struct kcap_fctx *f, unsigned long *args)
{
	const struct kcap_socketcall *sc = kcap_socketcall((u32)args[0]);
	u32 a[6] = { 0 };
	int i;

	if (!sc)
		return;
	if (copy_from_user_nofault(a, (const void __user *)args[1], sc->nargs * sizeof(a[0])))
		kcap_rings[smp_processor_id()].page->counters.read_failures++;
	for (i = 0; i < 6; i++)
		args[i] = i < sc->nargs ? a[i] : 0;
}

/* ipc's arguments, picked from its registers (socketcall.h). */
static void ipc_args(struct kcap_fctx *f, unsigned long *args)
{
	const struct kcap_ipccall *c = kcap_ipccall((u32)args[0]);
	u32 reg[6], at_ptr = 0;
	int i;

	if (!c)
		return;
	for (i = 0; i < 6; i++)
		reg[i] = (u32)args[i];
	if (c->arg[3] == KCAP_IPC_AT_PTR &&
	    copy_from_user_nofault(&at_ptr, (const void __user *)(unsigned long)reg[4],
				   sizeof(at_ptr)))
		kcap_rings[smp_processor_id()].page->counters.read_failures++;
	kcap_ipc_args(c, reg, at_ptr, args);
}

static void syscall_args(struct kcap_fctx *f, struct pt_regs *regs, unsigned long *args)
{
	int i;

	syscall_get_arguments(current, regs, args);
	for (i = 0; f->compat && i < 6; i++)
		args[i] = (u32)args[i];	/* as the BPF probe: 32-bit registers */
	if (f->compat && f->ia32_nr == KCAP_IA32_SOCKETCALL)
		socketcall_args(f, args);
	else if (f->compat && f->ia32_nr == KCAP_IA32_IPC)
		ipc_args(f, args);
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
	if (!filler || filler >= KCAP_FILLER_MAX ||
	    kcap_prologue(&f, exit ? row->exit_event : row->enter_event,
			  exit ? row->exit_nparams : row->enter_nparams, true) < 0)
		return;
	f.nr = nr;
	f.ia32_nr = f.compat ? syscall_get_nr(current, regs) : 0;
	f.ppm_sc = row->ppm_sc;
	syscall_args(&f, regs, f.args);
	while (fillers[filler](&f) == KCAP_FILL_AGAIN && f.item + 1 < KCAP_ITEMS_MAX)
		f.item++;
	kcap_nest_leave(&f);
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

/* ---- the hooks of the table, and how each kind attaches ---------------- */

struct kcap_kmod_hook {
	enum kcap_hook_kind kind;
	const char *target;
	void (*run)(struct kcap_fctx *f);	/* prologue and filler */
	void *probe;				/* a tracepoint's probe */
	struct tracepoint *tp;
	struct kprobe kp;
	struct kretprobe krp;
	struct uprobe_consumer uc;
	struct inode *inode;			/* a uprobe's, from userspace */
	loff_t offset;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	struct uprobe *uprobe;
#endif
	bool attached;
};

/* Every hook but the syscall ones: the shared prologue, then fill_<name>. */
#define KCAP_KMOD_RUN(name, kind, target, event, ppm_sc, scope)			\
	KCAP_KMOD_RUN_##kind(name, event, KCAP_SCOPE_##scope)
#define KCAP_KMOD_RUN_SYSCALL_ENTER(name, event, scope)
#define KCAP_KMOD_RUN_SYSCALL_EXIT(name, event, scope)
#define KCAP_KMOD_RUN_HOOK(name, event, scope)					\
static void run_##name(struct kcap_fctx *f)					\
{										\
	kcap_run_hook(f, event, scope, fill_##name);				\
}
#define KCAP_KMOD_RUN_TRACEPOINT KCAP_KMOD_RUN_HOOK
#define KCAP_KMOD_RUN_KPROBE KCAP_KMOD_RUN_HOOK
#define KCAP_KMOD_RUN_KRETPROBE KCAP_KMOD_RUN_HOOK
#define KCAP_KMOD_RUN_UPROBE KCAP_KMOD_RUN_HOOK
#define KCAP_KMOD_RUN_URETPROBE KCAP_KMOD_RUN_HOOK

KCAP_HOOKS(KCAP_KMOD_RUN)

/*
 * A tracepoint's arguments, one register each after data (the hook): every
 * hook's are pointers or integers, so four unsigned longs receive any of
 * them, as the BPF raw tracepoint does.
 */
static void tp_probe(void *data, unsigned long a0, unsigned long a1, unsigned long a2,
		     unsigned long a3)
{
	struct kcap_kmod_hook *h = data;
	struct kcap_fctx f = { .hook_args = { a0, a1, a2, a3 } };

	preempt_disable_notrace();
	h->run(&f);
	preempt_enable_notrace();
}

static int kprobe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct kcap_kmod_hook *h = container_of(kp, struct kcap_kmod_hook, kp);
	struct kcap_fctx f = { .hook_regs = regs };

	h->run(&f);	/* kprobe handlers run with preemption off */
	return 0;
}

static int kretprobe_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 11, 0)
	struct kretprobe *krp = get_kretprobe(ri);
#else
	struct kretprobe *krp = ri->rp;
#endif
	struct kcap_kmod_hook *h = container_of(krp, struct kcap_kmod_hook, krp);
	struct kcap_fctx f = { .hook_regs = regs };

	h->run(&f);
	return 0;
}

static void uprobe_run(struct uprobe_consumer *uc, struct pt_regs *regs)
{
	struct kcap_kmod_hook *h = container_of(uc, struct kcap_kmod_hook, uc);
	struct kcap_fctx f = { .hook_regs = regs };

	preempt_disable_notrace();
	h->run(&f);
	preempt_enable_notrace();
}

static int uprobe_handler(struct uprobe_consumer *uc, struct pt_regs *regs)
{
	uprobe_run(uc, regs);
	return 0;
}

static int uretprobe_handler(struct uprobe_consumer *uc, unsigned long func,
			     struct pt_regs *regs)
{
	uprobe_run(uc, regs);
	return 0;
}

#define KCAP_KMOD_HOOK(n, k, t, e, sc, scope)						\
	[KCAP_HOOK_##n] = { .kind = KCAP_HOOK_##k, .target = t, KCAP_KMOD_HOOK_##k(n) },
#define KCAP_KMOD_HOOK_SYSCALL_ENTER(name) .probe = probe_sys_enter
#define KCAP_KMOD_HOOK_SYSCALL_EXIT(name) .probe = probe_sys_exit
#define KCAP_KMOD_HOOK_TRACEPOINT(name) .probe = tp_probe, .run = run_##name
#define KCAP_KMOD_HOOK_KPROBE(name) .run = run_##name
#define KCAP_KMOD_HOOK_KRETPROBE(name) .run = run_##name
#define KCAP_KMOD_HOOK_UPROBE(name) .run = run_##name
#define KCAP_KMOD_HOOK_URETPROBE(name) .run = run_##name

static struct kcap_kmod_hook hooks[KCAP_HOOK_MAX] = {
	KCAP_HOOKS(KCAP_KMOD_HOOK)
};

static void find_tracepoint(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < KCAP_HOOK_MAX; i++)
		if (hooks[i].probe && !strcmp(hooks[i].target, tp->name))	/* a tracepoint's */
			hooks[i].tp = tp;
}

static int attach_uprobe(struct kcap_kmod_hook *h)
{
	if (!h->inode)
		return -ENOENT;	/* userspace did not say where */
	h->uc = (struct uprobe_consumer){ 0 };
	if (h->kind == KCAP_HOOK_UPROBE)
		h->uc.handler = uprobe_handler;
	else
		h->uc.ret_handler = uretprobe_handler;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	h->uprobe = uprobe_register(h->inode, h->offset, 0, &h->uc);
	return IS_ERR(h->uprobe) ? PTR_ERR(h->uprobe) : 0;
#else
	return uprobe_register(h->inode, h->offset, &h->uc);
#endif
}

static void detach_uprobe(struct kcap_kmod_hook *h)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	uprobe_unregister_nosync(h->uprobe, &h->uc);
	uprobe_unregister_sync();
#else
	uprobe_unregister(h->inode, h->offset, &h->uc);
#endif
}

static int attach(struct kcap_kmod_hook *h)
{
	switch (h->kind) {
	case KCAP_HOOK_KPROBE:
		/* A kprobe keeps state from its last registration: start afresh. */
		h->kp = (struct kprobe){ .symbol_name = h->target, .pre_handler = kprobe_pre };
		return register_kprobe(&h->kp);
	case KCAP_HOOK_KRETPROBE:
		/* Room for a function in flight on many tasks (a swap-in sleeps on I/O). */
		h->krp = (struct kretprobe){ .kp.symbol_name = h->target, .handler = kretprobe_ret,
					     .maxactive = 64 + 4 * num_possible_cpus() };
		return register_kretprobe(&h->krp);
	case KCAP_HOOK_UPROBE:
	case KCAP_HOOK_URETPROBE:
		return attach_uprobe(h);
	default:
		if (!h->tp)
			return -ENOENT;
		return tracepoint_probe_register(h->tp, h->probe, h);
	}
}

static void detach(struct kcap_kmod_hook *h)
{
	switch (h->kind) {
	case KCAP_HOOK_KPROBE:
		unregister_kprobe(&h->kp);
		break;
	case KCAP_HOOK_KRETPROBE:
		unregister_kretprobe(&h->krp);
		break;
	case KCAP_HOOK_UPROBE:
	case KCAP_HOOK_URETPROBE:
		detach_uprobe(h);
		break;
	default:
		tracepoint_probe_unregister(h->tp, h->probe, h);
	}
	h->attached = false;
}

/*
 * Attaches the hooks of want and detaches the others; a hook this kernel
 * lacks (or that fails to attach) is left out and reported in *missing.
 * Detached hooks are quiescent when this returns: their data can go.
 */
void kcap_hooks_set(u64 want, u64 *missing)
{
	bool detached = false;
	int i, err;

	*missing = 0;
	for_each_kernel_tracepoint(find_tracepoint, NULL);
	for (i = 0; i < KCAP_HOOK_MAX; i++) {
		struct kcap_kmod_hook *h = &hooks[i];
		bool on = want & (1ull << i);

		if (h->attached && !on) {
			detach(h);
			detached = true;
		} else if (!h->attached && on) {
			err = attach(h);
			if (err) {
				pr_info("kcap: hook %s on %s: not attached (%d)\n", g_hooks[i].name,
					h->target, err);
				*missing |= 1ull << i;
				continue;
			}
			h->attached = true;
		}
	}
	/* No probe of a detached hook runs past this point. */
	if (detached)
		tracepoint_synchronize_unregister();
}

/* Where a uprobe hook goes: the inode (referenced) and offset userspace resolved. */
int kcap_hook_set_uprobe(u32 hook, struct inode *inode, loff_t offset)
{
	struct kcap_kmod_hook *h;

	if (hook >= KCAP_HOOK_MAX)
		return -EINVAL;
	h = &hooks[hook];
	if ((h->kind != KCAP_HOOK_UPROBE && h->kind != KCAP_HOOK_URETPROBE) || h->attached)
		return -EINVAL;
	if (h->inode)
		iput(h->inode);
	h->inode = inode;
	h->offset = offset;
	return 0;
}

void kcap_hooks_release(void)
{
	u64 missing;
	int i;

	kcap_hooks_set(0, &missing);
	for (i = 0; i < KCAP_HOOK_MAX; i++) {
		if (hooks[i].inode)
			iput(hooks[i].inode);
		hooks[i].inode = NULL;
	}
}
