// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcap's BPF probe, stamped from the hook table (hook_table.h): a program
 * per hook. sys_enter and sys_exit look the syscall up in one array map,
 * run the shared prologue (dispatch.h) and tail-call the filler of the
 * event; the other hooks run the prologue and call their filler. The
 * fillers are the shared ones of driver/fillers.h.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ppm_events_public.h"
#include "filler_table.h"
#include "hook_table.h"
#include "filler_bpf.h"
#include "socketcall.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SYSCALL_TABLE_SIZE);
	__type(key, __u32);
	__type(value, struct kcap_sc_row);
} syscalls SEC(".maps");

/* ia32 syscall number -> x86_64 number; out of range where there is none. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, IA32_SYSCALL_TABLE_SIZE);
	__type(key, __u32);
	__type(value, __u32);
} ia32_syscalls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, KCAP_FILLER_MAX);
	__type(key, __u32);
	__type(value, __u32);
} fillers SEC(".maps");

/* Thread groups of the followed process tree (scope.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, KCAP_TRACED_MAX);
	__type(key, __u32);
	__type(value, __u8);
} traced_tgids SEC(".maps");

static __always_inline bool kcap_traced_has(__u32 tgid)
{
	return bpf_map_lookup_elem(&traced_tgids, &tgid) != NULL;
}

static __always_inline int kcap_traced_add(__u32 tgid)
{
	__u8 one = 1;

	return bpf_map_update_elem(&traced_tgids, &tgid, &one, BPF_ANY) ? -1 : 0;
}

#include "fillers.h"

static __always_inline void tail_call_filler(void *ctx, __u8 filler)
{
	struct kcap_counters *c;

	bpf_tail_call(ctx, &fillers, filler);
	c = cpu_counters();
	if (c)
		c->tail_call_failures++;
}

#define KCAP_TS_COMPAT 0x0002	/* arch/x86/include/asm/thread_info.h */

/*
 * The syscall's registers and current task as the dispatch reads them: from
 * 5.15 on, the task and its registers as BTF pointers, whose fields are plain
 * loads; before, through probe reads (one for the number, one for all the
 * registers once the syscall is of interest).
 */
struct sc_call {
	struct pt_regs *regs;		/* the tracepoint's */
	struct kcap_cur cur;		/* the current task (filler_bpf.h) */
	struct pt_regs *task_regs;	/* kcap_task_regs: its registers */
	__u32 raw_nr;			/* the number the caller passed */
	__u32 nr;			/* the x86_64 syscall it means */
	bool compat;
	__u64 id;			/* kcap_cur_id(): tgid << 32 | tid */
};

static __always_inline void sc_call_begin(struct sc_call *c, struct pt_regs *regs)
{
	c->regs = regs;
	if (kcap_task_regs) {
		kcap_current(&c->cur);
		c->task_regs = (struct pt_regs *)bpf_task_pt_regs(c->cur.task);
		c->raw_nr = (__u32)c->task_regs->orig_ax;
	} else {
		c->raw_nr = (__u32)BPF_CORE_READ(regs, orig_ax);
	}
	c->nr = c->raw_nr;
	c->compat = false;
}

/* A 32-bit syscall (int 0x80, sysenter, or a 32-bit process). */
static __always_inline bool sc_call_ia32(struct sc_call *c)
{
	struct task_struct *task;

	if (kcap_task_btf)
		return c->cur.task->thread_info.status & KCAP_TS_COMPAT;
	task = (struct task_struct *)bpf_get_current_task();
	return BPF_CORE_READ(task, thread_info.status) & KCAP_TS_COMPAT;
}

/* Arguments in the x86_64 order, from the ABI's registers. */
#define SC_ARGS(s, r, compat)							\
	do {									\
		if (compat) {							\
			(s)->args[0] = (__u32)(r)->bx;				\
			(s)->args[1] = (__u32)(r)->cx;				\
			(s)->args[2] = (__u32)(r)->dx;				\
			(s)->args[3] = (__u32)(r)->si;				\
			(s)->args[4] = (__u32)(r)->di;				\
			(s)->args[5] = (__u32)(r)->bp;				\
		} else {							\
			(s)->args[0] = (r)->di;					\
			(s)->args[1] = (r)->si;					\
			(s)->args[2] = (r)->dx;					\
			(s)->args[3] = (r)->r10;				\
			(s)->args[4] = (r)->r8;					\
			(s)->args[5] = (r)->r9;					\
		}								\
	} while (0)

/* The syscall's arguments into the scratch area, read once for the filler. */
static __always_inline void sc_call_args(struct sc_call *c, struct kcap_scratch *s)
{
	struct pt_regs regs;

	if (kcap_task_regs) {
		SC_ARGS(s, c->task_regs, c->compat);
		return;
	}
	bpf_probe_read_kernel(&regs, sizeof(regs), c->regs);
	SC_ARGS(s, &regs, c->compat);
}

/*
 * Per ia32 syscall number: bit 0 when its x86_64 syscall has an enter filler,
 * bit 1 an exit filler. Filled by userspace.
 */
__u8 ia32_wanted[IA32_SYSCALL_TABLE_SIZE];

static __always_inline bool wanted(const struct kcap_sc_row *row, bool exit)
{
	return row && (exit ? row->exit_filler : row->enter_filler);
}

/*
 * The row of the syscall, its number translated from ia32 where needed; NULL
 * when it emits nothing, or the current task is out of scope. Only a number
 * that means something of interest in either ABI, from a task in scope, pays
 * for the compat check.
 */
static __always_inline struct kcap_sc_row *syscall_row(struct sc_call *c, bool exit)
{
	struct pt_regs *regs = c->regs;	/* CO-RE relocates regs' fields only */
	__u32 raw = c->raw_nr;
	struct kcap_sc_row *row = bpf_map_lookup_elem(&syscalls, &raw);
	bool ia32 = raw < IA32_SYSCALL_TABLE_SIZE && (ia32_wanted[raw] & (exit ? 2 : 1));
	__u32 *x64;

	if (!wanted(row, exit) && !ia32)
		return NULL;
	/* Out of scope costs no more than this: before the compat check. */
	if (!kcap_task_regs)
		kcap_current(&c->cur);
	c->id = kcap_cur_id(&c->cur);
	if (!kcap_scope_traced(&c->cur, c->id >> 32))
		return NULL;
	c->compat = sc_call_ia32(c);
	if (!c->compat)
		return wanted(row, exit) ? row : NULL;
	if (raw == KCAP_IA32_SOCKETCALL) {
		const struct kcap_socketcall *sc = kcap_socketcall((__u32)BPF_CORE_READ(regs, bx));

		if (!sc)
			return NULL;
		c->nr = sc->nr;
	} else if (raw == KCAP_IA32_IPC) {
		const struct kcap_ipccall *ic = kcap_ipccall((__u32)BPF_CORE_READ(regs, bx));

		if (!ic)
			return NULL;
		c->nr = ic->nr;
	} else {
		x64 = bpf_map_lookup_elem(&ia32_syscalls, &raw);
		if (!x64)
			return NULL;
		c->nr = *x64;
	}
	row = bpf_map_lookup_elem(&syscalls, &c->nr);
	return wanted(row, exit) ? row : NULL;
}

/* socketcall's arguments, from the array it points to. */
static __always_inline void socketcall_args(struct kcap_scratch *s)
{
	const struct kcap_socketcall *sc = kcap_socketcall((__u32)s->args[0]);
	__u32 a[6] = { 0 };
	int i;

	if (!sc)
		return;
	if (bpf_probe_read_user(a, (sc->nargs & 7) * sizeof(a[0]) > sizeof(a) ? sizeof(a) :
				(sc->nargs & 7) * sizeof(a[0]),
				(const void *)(unsigned long)(__u32)s->args[1]))
		KCAP_COUNT(read_failures);
	for (i = 0; i < 6; i++)
		s->args[i] = a[i];
}

/* ipc's arguments, picked from its registers (socketcall.h). */
static __always_inline void ipc_args(struct kcap_scratch *s)
{
	const struct kcap_ipccall *c = kcap_ipccall((__u32)s->args[0]);
	__u32 reg[6] = { (__u32)s->args[0], (__u32)s->args[1], (__u32)s->args[2],
			 (__u32)s->args[3], (__u32)s->args[4], (__u32)s->args[5] };
	__u32 at_ptr = 0;

	if (!c)
		return;
	if (c->arg[3] == KCAP_IPC_AT_PTR &&
	    bpf_probe_read_user(&at_ptr, sizeof(at_ptr), (const void *)(unsigned long)reg[4]))
		KCAP_COUNT(read_failures);
	kcap_ipc_args(c, reg, at_ptr, s->args);	/* from the copy in reg: in place */
}

static __always_inline int on_syscall(struct bpf_raw_tracepoint_args *ctx, bool exit)
{
	struct kcap_fctx f = { 0 };
	struct kcap_sc_row *row;
	struct sc_call c;

	if (!settings.capture)
		return 0;
	sc_call_begin(&c, (struct pt_regs *)ctx->args[0]);
	row = syscall_row(&c, exit);
	if (!row)
		return 0;
	if (kcap_bench_stage == KCAP_STAGE_DISPATCH)
		return 0;
	if (kcap_prologue_id(&f, exit ? row->exit_event : row->enter_event,
			     exit ? row->exit_nparams : row->enter_nparams, false, &c.cur, c.id) < 0)
		return 0;
	f.s->nr = (__u16)c.nr;
	f.s->ppm_sc = row->ppm_sc;
	f.s->compat = c.compat;
	f.s->ia32_nr = (__u16)c.raw_nr;
	f.s->item = 0;
	sc_call_args(&c, f.s);
	if (c.compat && c.raw_nr == KCAP_IA32_SOCKETCALL)
		socketcall_args(f.s);
	else if (c.compat && c.raw_nr == KCAP_IA32_IPC)
		ipc_args(f.s);
	if (kcap_bench_stage == KCAP_STAGE_BEGIN) {
		kcap_nest_leave(&f);
		return 0;
	}
	tail_call_filler(ctx, exit ? row->exit_filler : row->enter_filler);
	kcap_nest_leave(&f);	/* the tail call failed: the level is still ours */
	return 0;
}

/*
 * One program per hook of the table. The syscall hooks dispatch through the
 * rows; a tracepoint hook runs the shared prologue and its filler. Which
 * programs load and attach is chosen by userspace from the interest set.
 */
#define KCAP_BPF_HOOK(name, kind, target, event, ppm_sc, scope)				\
	KCAP_BPF_HOOK_##kind(name, target, event, KCAP_SCOPE_##scope)

#define KCAP_BPF_HOOK_SYSCALL_ENTER(name, target, event, scope)				\
SEC("raw_tp/" target)									\
int kcap_hook_##name(struct bpf_raw_tracepoint_args *ctx)				\
{											\
	return on_syscall(ctx, false);							\
}

#define KCAP_BPF_HOOK_SYSCALL_EXIT(name, target, event, scope)					\
SEC("raw_tp/" target)									\
int kcap_hook_##name(struct bpf_raw_tracepoint_args *ctx)				\
{											\
	return on_syscall(ctx, true);							\
}

#define KCAP_BPF_HOOK_TRACEPOINT(name, target, event, scope)					\
SEC("raw_tp/" target)									\
int kcap_hook_##name(struct bpf_raw_tracepoint_args *ctx)				\
{											\
	struct kcap_fctx f = { .ctx = ctx };						\
											\
	return kcap_run_hook(&f, event, scope, fill_##name);				\
}

/* A kprobe's or uprobe's arguments are in the probed function's registers. */
#define KCAP_BPF_HOOK_REGS(name, sec, event, scope)						\
SEC(sec)										\
int kcap_hook_##name(struct pt_regs *ctx)						\
{											\
	struct kcap_fctx f = { .regs = ctx, .on_regs = true };				\
											\
	return kcap_run_hook(&f, event, scope, fill_##name);				\
}
#define KCAP_BPF_HOOK_KPROBE(name, target, event, scope)				\
	KCAP_BPF_HOOK_REGS(name, "kprobe/" target, event, scope)
#define KCAP_BPF_HOOK_KRETPROBE(name, target, event, scope)				\
	KCAP_BPF_HOOK_REGS(name, "kretprobe/" target, event, scope)
/* Attached by userspace to the binary and offset it resolved. */
#define KCAP_BPF_HOOK_UPROBE(name, target, event, scope)				\
	KCAP_BPF_HOOK_REGS(name, "uprobe", event, scope)
#define KCAP_BPF_HOOK_URETPROBE(name, target, event, scope)				\
	KCAP_BPF_HOOK_REGS(name, "uretprobe", event, scope)

KCAP_HOOKS(KCAP_BPF_HOOK)

/*
 * One program per syscall filler, tail-called with the sys_exit/sys_enter
 * context; it builds the event at the level the dispatch entered, then
 * leaves it. A filler with another item to go calls itself, so that each
 * item is one run the verifier checks once.
 */
_Static_assert(KCAP_ITEMS_MAX < 33, "an item is a tail call: 33 at most in a chain");

#define KCAP_BPF_FILLER(name)							\
SEC("raw_tp")									\
int fill_##name##_prog(struct bpf_raw_tracepoint_args *ctx)			\
{										\
	struct kcap_fctx f = { .ret = (long)ctx->args[1] };			\
										\
	f.s = level_scratch();							\
	if (kcap_bench_stage == KCAP_STAGE_TAIL_CALL) {				\
		kcap_nest_leave(&f);						\
		return 0;							\
	}									\
	if (f.s && fill_##name(&f) == KCAP_FILL_AGAIN &&			\
	    f.s->item + 1 < KCAP_ITEMS_MAX) {					\
		f.s->item++;							\
		tail_call_filler(ctx, KCAP_FILLER_##name);			\
	}									\
	kcap_nest_leave(&f);							\
	return 0;								\
}

KCAP_FILLERS(KCAP_BPF_FILLER)
