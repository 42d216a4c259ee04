// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcap's BPF probe. sys_enter and sys_exit look the syscall up in one array
 * map, start the event in the per-CPU scratch area and tail-call the filler
 * of the event; the fillers are the shared ones of driver/fillers.h.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "../ppm_events_public.h"
#include "../filler_table.h"
#include "filler_bpf.h"
#include "../fillers.h"

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

/* Threads of the filtered process tree, when following children. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} traced_tgids SEC(".maps");

static __always_inline bool tgid_traced(__u32 tgid)
{
	if (tgid == settings.skip_tgid)
		return false;
	if (!settings.filter_tgid || tgid == settings.filter_tgid)
		return true;
	return settings.follow_children && bpf_map_lookup_elem(&traced_tgids, &tgid);
}

static __always_inline bool traced(struct task_struct *task)
{
	return tgid_traced(BPF_CORE_READ(task, tgid));
}

/* Starts an event in this CPU's scratch area; NULL when there is none. */
static __always_inline struct kcap_scratch *begin_event(__u16 type, __u32 nparams, __u64 tid)
{
	struct kcap_scratch *s = cpu_scratch();
	struct ppm_evt_hdr hdr;

	if (!s)
		return NULL;
	hdr.ts = bpf_ktime_get_boot_ns() + settings.boot_epoch_ns;
	hdr.tid = tid;
	hdr.len = 0;
	hdr.type = type;
	hdr.nparams = nparams;
	__builtin_memcpy(s->buf, &hdr, sizeof(hdr));
	s->nparams = nparams & (PPM_MAX_EVENT_PARAMS - 1);
	s->arg = 0;
	s->off = PPM_EVT_HDR_SIZE + 2 * s->nparams;
	return s;
}

static __always_inline void tail_call_filler(void *ctx, __u8 filler)
{
	struct kcap_counters *c;

	bpf_tail_call(ctx, &fillers, filler);
	c = cpu_counters();
	if (c)
		c->tail_call_failures++;
}

#define KCAP_TS_COMPAT 0x0002	/* arch/x86/include/asm/thread_info.h */

/* A 32-bit syscall (int 0x80, sysenter, or a 32-bit process). */
static __always_inline bool in_ia32_syscall(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return BPF_CORE_READ(task, thread_info.status) & KCAP_TS_COMPAT;
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
 * when it emits nothing. Only a number that means something of interest in
 * either ABI pays for the compat check, a read of kernel memory.
 */
static __always_inline struct kcap_sc_row *syscall_row(struct pt_regs *regs, bool exit, __u32 *nr,
							bool *compat)
{
	__u32 raw = (__u32)BPF_CORE_READ(regs, orig_ax);
	struct kcap_sc_row *row = bpf_map_lookup_elem(&syscalls, &raw);
	bool ia32 = raw < IA32_SYSCALL_TABLE_SIZE && (ia32_wanted[raw] & (exit ? 2 : 1));
	__u32 *x64;

	*nr = raw;
	*compat = false;
	if (!wanted(row, exit) && !ia32)
		return NULL;
	*compat = in_ia32_syscall();
	if (!*compat)
		return wanted(row, exit) ? row : NULL;
	x64 = bpf_map_lookup_elem(&ia32_syscalls, &raw);
	if (!x64)
		return NULL;
	*nr = *x64;
	row = bpf_map_lookup_elem(&syscalls, nr);
	return wanted(row, exit) ? row : NULL;
}

static __always_inline int on_syscall(struct bpf_raw_tracepoint_args *ctx, bool exit)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct kcap_sc_row *row;
	struct kcap_scratch *s;
	bool compat;
	__u32 nr;

	if (!settings.capture)
		return 0;
	row = syscall_row(regs, exit, &nr, &compat);
	if (!row || !tgid_traced(pid_tgid >> 32))
		return 0;
	s = begin_event(exit ? row->exit_event : row->enter_event,
			exit ? row->exit_nparams : row->enter_nparams, (__u32)pid_tgid);
	if (!s)
		return 0;
	s->nr = (__u16)nr;
	s->ppm_sc = row->ppm_sc;
	s->compat = compat;
	/* One read of the registers instead of one per argument. */
	bpf_probe_read_kernel(&s->regs, sizeof(s->regs), regs);
	tail_call_filler(ctx, exit ? row->exit_filler : row->enter_filler);
	return 0;
}

SEC("raw_tp/sys_enter")
int kcap_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	return on_syscall(ctx, false);
}

SEC("raw_tp/sys_exit")
int kcap_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	return on_syscall(ctx, true);
}

SEC("raw_tp/sched_process_exit")
int kcap_sched_process_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	struct kcap_fctx f = { .task = task };

	if (!settings.capture || !settings.procexit || !traced(task))
		return 0;
	f.s = begin_event(PPME_PROCEXIT_E, KCAP_PROCEXIT_NPARAMS, BPF_CORE_READ(task, pid));
	if (!f.s)
		return 0;
	return fill_procexit_e(&f);
}

/* Forks of a traced process are traced too, when following children. */
SEC("raw_tp/sched_process_fork")
int kcap_sched_process_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx->args[0];
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u32 tgid;
	__u8 one = 1;

	if (!settings.filter_tgid || !settings.follow_children || !traced(parent))
		return 0;
	tgid = BPF_CORE_READ(child, tgid);
	bpf_map_update_elem(&traced_tgids, &tgid, &one, BPF_ANY);
	return 0;
}

/* One program per filler, tail-called with the sys_exit/sys_enter context. */
#define KCAP_BPF_FILLER(name)							\
SEC("raw_tp")									\
int fill_##name##_prog(struct bpf_raw_tracepoint_args *ctx)			\
{										\
	struct kcap_fctx f = { .ret = (long)ctx->args[1] };			\
										\
	f.s = cpu_scratch();							\
	if (!f.s)								\
		return 0;							\
	return fill_##name(&f);							\
}

KCAP_SYSCALL_FILLERS(KCAP_BPF_FILLER)
