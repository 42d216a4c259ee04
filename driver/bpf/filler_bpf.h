/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The BPF implementation of filler_api.h. An event is built in a per-CPU
 * scratch area: header, then the length array, then the values. Offsets are
 * masked with KCAP_SCRATCH_MASK and the area is twice the largest event, so
 * the verifier can see that no write leaves it.
 */
#ifndef KCAP_FILLER_BPF_H
#define KCAP_FILLER_BPF_H

#define KCAP_API static __always_inline
#include "filler_api.h"
#include "kcap_bpf_maps.h"

#define KCAP_SCRATCH_MASK (KCAP_EVENT_MAX_SIZE - 1)

struct kcap_scratch {
	__u32 off;		/* where the next value goes */
	__u32 arg;		/* index of the next parameter */
	__u32 nparams;
	__u16 nr;
	__u16 ppm_sc;
	__u16 compat;		/* an ia32 syscall: other argument registers */
	__u16 ia32_nr;		/* its ia32 number (nr is the x86_64 one) */
	__u16 item;		/* the item the filler runs for (kcap_item) */
	unsigned long args[8];	/* the syscall's arguments, read once (6 used) */
	__u8 buf[2 * KCAP_EVENT_MAX_SIZE];
};

struct kcap_fctx {
	struct kcap_scratch *s;
	long ret;
	void *ctx;		/* a tracepoint hook's context: its arguments */
	struct pt_regs *regs;	/* a kprobe's or uprobe's context: the registers */
	bool on_regs;		/* regs, not ctx: a constant per program, so that the
				 * compiler drops the other path (the verifier would
				 * walk it, with its NULL pointer) */
};

/*
 * One scratch area per CPU and nesting level (a hook that fires while another
 * builds an event on the CPU gets the next level's); too large for a per-CPU
 * map, so indexed by CPU * KCAP_NEST_MAX + level.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, KCAP_MAX_CPUS * KCAP_NEST_MAX);
	__type(key, __u32);
	__type(value, struct kcap_scratch);
} scratch SEC(".maps");

/* Per CPU: how many events are being built on it now. */
__u32 nest_level[KCAP_MAX_CPUS];

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kcap_counters);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, KCAP_MAX_CPUS);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_RINGBUF);
		__uint(max_entries, 1 << 20);
	});
} rings SEC(".maps");

struct kcap_settings settings;

static __always_inline struct kcap_counters *cpu_counters(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&counters, &zero);
}

/* The primitives of scope.h and dispatch.h. */
#define KCAP_SETTING(field) (settings.field)
#define KCAP_COUNT(field)						\
	do {								\
		struct kcap_counters *c_ = cpu_counters();		\
									\
		if (c_)							\
			c_->field++;					\
	} while (0)

/*
 * Set by userspace from a feature probe (5.11 on): the current task as a BTF
 * pointer, whose fields are plain loads, where the helpers and probe reads
 * each cost a call. A constant to the verifier, which drops the other path
 * (and its helper, unknown before 5.11).
 */
const volatile __u32 kcap_task_btf;
/* 5.15 on: bpf_task_pt_regs(), the syscall's registers as a BTF pointer. */
const volatile __u32 kcap_task_regs;
/*
 * Where the syscall path stops, for measuring what each step costs
 * (bench/bench_stages.sh); 0, the default, runs it whole. A constant: the
 * verifier drops the stops not taken.
 */
const volatile __u32 kcap_bench_stage;

/*
 * The current task, read once per event (scope.h): its BTF pointer from 5.11
 * on, whose fields are plain loads; before, nothing, and helpers read it.
 */
struct kcap_cur {
	struct task_struct *task;
};

static __always_inline void kcap_current(struct kcap_cur *cur)
{
	cur->task = kcap_task_btf ? bpf_get_current_task_btf() : NULL;
}

static __always_inline __u64 kcap_cur_id(const struct kcap_cur *cur)
{
	if (!kcap_task_btf)
		return bpf_get_current_pid_tgid();
	return (__u64)cur->task->tgid << 32 | (__u32)cur->task->pid;
}

static __always_inline __u64 kcap_current_id(void)
{
	struct kcap_cur cur;

	kcap_current(&cur);
	return kcap_cur_id(&cur);
}

static __always_inline __u64 kcap_cur_uid_gid(const struct kcap_cur *cur)
{
	const struct cred *c;

	if (!kcap_task_btf)
		return bpf_get_current_uid_gid();
	c = cur->task->cred;
	return (__u64)c->gid.val << 32 | c->uid.val;
}

static __always_inline void kcap_cur_comm(const struct kcap_cur *cur, __u64 comm[2])
{
	if (!kcap_task_btf) {
		comm[0] = comm[1] = 0;
		bpf_get_current_comm(comm, KCAP_TASK_COMM_LEN);
		return;
	}
	comm[0] = *(__u64 *)&cur->task->comm[0];
	comm[1] = *(__u64 *)&cur->task->comm[8];
}

/* Before 6.0, a cgroup kept its ancestors' ids, not pointers to them. */
struct cgroup___ids {
	int level;
	__u64 ancestor_ids[];
} __attribute__((preserve_access_index));

/*
 * bpf_get_current_ancestor_cgroup_id() without it: tracing programs have it
 * only from 5.14 on.
 */
static __always_inline __u64 kcap_cur_cgroup_at(const struct kcap_cur *cur, __u32 level)
{
	/* Probe reads from the task on: as BTF loads, 8 values take the verifier seconds. */
	struct task_struct *task = kcap_task_btf ? cur->task :
				   (struct task_struct *)bpf_get_current_task();
	struct cgroup *cg = BPF_CORE_READ(task, cgroups, dfl_cgrp);
	struct cgroup *anc = NULL;
	__u64 id = 0;

	if (!cg || level > (__u32)BPF_CORE_READ(cg, level))
		return 0;
	if (bpf_core_field_exists(struct cgroup___ids, ancestor_ids)) {
		bpf_probe_read_kernel(&id, sizeof(id), (void *)cg +
				      bpf_core_field_offset(struct cgroup___ids, ancestor_ids) +
				      level * sizeof(__u64));
		return id;
	}
	bpf_probe_read_kernel(&anc, sizeof(anc), (void *)cg +
			      bpf_core_field_offset(struct cgroup, ancestors) +
			      level * sizeof(anc));
	return anc ? BPF_CORE_READ(anc, kn, id) : 0;
}

/*
 * The serial number of the task's cgroup v2 (cgroup_subsys_state's: a
 * counter, never reused in a boot; the root's is 0, hence the + 1), by BTF
 * loads from 5.11 on; before, none.
 */
static __always_inline __u64 kcap_cur_cgroup_key(const struct kcap_cur *cur)
{
	struct css_set *cset;
	struct cgroup *cg;

	if (!kcap_task_btf)
		return 0;
	cset = cur->task->cgroups;
	if (!cset)
		return 0;
	cg = cset->dfl_cgrp;
	return cg ? cg->self.serial_nr + 1 : 0;
}

/*
 * Per CPU, the last cgroup's key and the field's answer for it, one word
 * (key << 1 | answer): a hook that interrupts the check between its read and
 * its write sees a whole entry, never another cgroup's answer. The probe is
 * loaded afresh for each capture: no answer outlives its settings.
 */
static __u64 cgroup_cache[KCAP_MAX_CPUS];

static __always_inline int kcap_cgroup_cache_get(__u64 key)
{
	__u64 e;

	if (!key)
		return -1;
	e = cgroup_cache[bpf_get_smp_processor_id() & (KCAP_MAX_CPUS - 1)];
	return e >> 1 == key ? (int)(e & 1) : -1;
}

static __always_inline void kcap_cgroup_cache_put(__u64 key, bool hit)
{
	if (key)
		cgroup_cache[bpf_get_smp_processor_id() & (KCAP_MAX_CPUS - 1)] = key << 1 | hit;
}

static __always_inline __u32 kcap_cur_mntns(const struct kcap_cur *cur)
{
	struct task_struct *task;

	if (kcap_task_btf) {
		struct nsproxy *nsp = cur->task->nsproxy;

		return nsp ? nsp->mnt_ns->ns.inum : 0;
	}
	task = (struct task_struct *)bpf_get_current_task();
	return BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
}


/* The scratch area of level on this CPU. */
static __always_inline struct kcap_scratch *scratch_at(__u32 cpu, __u32 level)
{
	__u32 key = cpu * KCAP_NEST_MAX + level;

	return level < KCAP_NEST_MAX ? bpf_map_lookup_elem(&scratch, &key) : NULL;
}

/* The scratch area of the event being built at the innermost level. */
static __always_inline struct kcap_scratch *level_scratch(void)
{
	__u32 cpu = bpf_get_smp_processor_id() & (KCAP_MAX_CPUS - 1);

	return scratch_at(cpu, nest_level[cpu] - 1);
}

/* Takes this CPU's next level and its scratch area (f->s). */
static __always_inline int kcap_nest_enter(struct kcap_fctx *f)
{
	__u32 cpu = bpf_get_smp_processor_id() & (KCAP_MAX_CPUS - 1);
	__u32 level = nest_level[cpu];

	f->s = scratch_at(cpu, level);
	if (!f->s) {
		KCAP_COUNT(drops_nested);
		return -1;
	}
	nest_level[cpu] = level + 1;
	return 0;
}

static __always_inline void kcap_nest_leave(struct kcap_fctx *f)
{
	__u32 cpu = bpf_get_smp_processor_id() & (KCAP_MAX_CPUS - 1);

	if (nest_level[cpu])
		nest_level[cpu]--;
}

/* Starts an event in the scratch area of the level just entered. */
static __always_inline int kcap_begin_event(struct kcap_fctx *f, __u16 type, __u32 nparams,
					    __u64 tid)
{
	struct kcap_scratch *s = f->s;
	struct ppm_evt_hdr hdr;

	hdr.ts = bpf_ktime_get_boot_ns() + settings.boot_epoch_ns;
	hdr.tid = tid;
	hdr.len = 0;
	hdr.type = type;
	hdr.nparams = nparams;
	__builtin_memcpy(s->buf, &hdr, sizeof(hdr));
	s->nparams = nparams & (PPM_MAX_EVENT_PARAMS - 1);
	s->arg = 0;
	s->off = PPM_EVT_HDR_SIZE + 2 * s->nparams;
	return 0;
}

static __always_inline __u32 kcap_item(struct kcap_fctx *f)
{
	return f->s->item;
}

/* The first item's header is still in the scratch area: a new time, no values. */
static __always_inline int kcap_begin_item(struct kcap_fctx *f)
{
	struct kcap_scratch *s = f->s;
	__u64 ts = bpf_ktime_get_boot_ns() + settings.boot_epoch_ns;

	__builtin_memcpy(s->buf, &ts, sizeof(ts));
	s->arg = 0;
	s->off = PPM_EVT_HDR_SIZE + 2 * s->nparams;
	return 0;
}

/*
 * Argument n of the hook: a tracepoint's as the kernel passed it, a probed
 * function's from its registers. n is a constant: the verifier sees one field.
 */
static __always_inline unsigned long kcap_hook_arg(struct kcap_fctx *f, int n)
{
	/*
	 * The registers through a helper: a direct load, which the verifier wants
	 * from the context as it came, could be merged by the compiler with the
	 * tracepoint's into one load at a computed offset, which it refuses.
	 */
	struct pt_regs *regs = f->regs;	/* CO-RE relocates regs' fields only */

	if (f->on_regs) {
		switch (n) {
		case 0: return PT_REGS_PARM1_CORE(regs);
		case 1: return PT_REGS_PARM2_CORE(regs);
		case 2: return PT_REGS_PARM3_CORE(regs);
		case 3: return PT_REGS_PARM4_CORE(regs);
		default: return PT_REGS_PARM5_CORE(regs);
		}
	}
	return ((struct bpf_raw_tracepoint_args *)f->ctx)->args[n];
}

/* The return value a kretprobe or uretprobe sees. */
static __always_inline unsigned long kcap_hook_ret(struct kcap_fctx *f)
{
	struct pt_regs *regs = f->regs;

	return PT_REGS_RC_CORE(regs);
}

static __always_inline unsigned long kcap_sc_arg(struct kcap_fctx *f, int n)
{
	return f->s->args[n & 7];
}

static __always_inline long kcap_sc_ret(struct kcap_fctx *f)
{
	return f->ret;
}

static __always_inline __u16 kcap_sc_nr(struct kcap_fctx *f)
{
	return f->s->nr;
}

static __always_inline __u16 kcap_ppm_sc(struct kcap_fctx *f)
{
	return f->s->ppm_sc;
}

/* Records the length of the parameter just stored and moves on. */
static __always_inline void end_param(struct kcap_scratch *s, __u32 len)
{
	__u32 at = PPM_EVT_HDR_SIZE + 2 * (s->arg & (PPM_MAX_EVENT_PARAMS - 1));
	__u16 l = len;

	__builtin_memcpy(&s->buf[at], &l, 2);
	s->off += len;
	s->arg++;
}

#define KCAP_PUT_FIXED(name, type)						\
static __always_inline void kcap_put_##name(struct kcap_fctx *f, type v)	\
{										\
	struct kcap_scratch *s = f->s;						\
										\
	__builtin_memcpy(&s->buf[s->off & KCAP_SCRATCH_MASK], &v, sizeof(v));	\
	end_param(s, sizeof(v));						\
}

KCAP_PUT_FIXED(u8, __u8)
KCAP_PUT_FIXED(u16, __u16)
KCAP_PUT_FIXED(u32, __u32)
KCAP_PUT_FIXED(u64, __u64)
KCAP_PUT_FIXED(s64, __s64)

static __always_inline void kcap_put_empty(struct kcap_fctx *f)
{
	end_param(f->s, 0);
}

static __always_inline void count_read_failure(void)
{
	struct kcap_counters *c = cpu_counters();

	if (c)
		c->read_failures++;
}

static __always_inline void kcap_put_user_str(struct kcap_fctx *f, const char *ustr)
{
	struct kcap_scratch *s = f->s;
	long n;

	n = bpf_probe_read_user_str(&s->buf[s->off & KCAP_SCRATCH_MASK], KCAP_PATH_MAX, ustr);
	/* Before 6.6 (or so) an empty string read as 0 bytes, its NUL not counted. */
	if (n == 0 && ustr) {
		s->buf[s->off & KCAP_SCRATCH_MASK] = '\0';
		n = 1;
	}
	if (n <= 0) {
		if (ustr)
			count_read_failure();
		n = 0;
	}
	end_param(s, (__u32)n);
}

static __always_inline void kcap_put_user_buf(struct kcap_fctx *f, const void *ubuf,
					      unsigned long len)
{
	struct kcap_scratch *s = f->s;
	__u32 n = len < settings.snaplen ? len : settings.snaplen;

	if (n > KCAP_USER_BUF_MAX)
		n = KCAP_USER_BUF_MAX;
	n &= KCAP_USER_BUF_MAX;
	if (kcap_bench_stage == KCAP_STAGE_NO_USER_DATA)
		n = 0;
	if (n && bpf_probe_read_user(&s->buf[s->off & KCAP_SCRATCH_MASK], n, ubuf)) {
		count_read_failure();
		n = 0;
	}
	end_param(s, n);
}

static __always_inline int kcap_fd_file(struct kcap_fctx *f, int fd, struct kcap_file_info *info)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	struct file *file = NULL;
	struct inode *inode;

	if (fd < 0 || fd >= BPF_CORE_READ(task, files, fdt, max_fds))
		return -1;
	bpf_core_read(&file, sizeof(file), &fds[fd]);
	if (!file)
		return -1;
	inode = BPF_CORE_READ(file, f_inode);
	info->ino = BPF_CORE_READ(inode, i_ino);
	info->dev = kcap_encode_dev(BPF_CORE_READ(inode, i_sb, s_dev));
	info->fmode = BPF_CORE_READ(file, f_mode);
	return 0;
}

static __always_inline __s64 kcap_exit_code(struct kcap_fctx *f, struct task_struct *task)
{
	return BPF_CORE_READ(task, exit_code);
}

/* Children of an exiting thread go to another thread of its group, if any. */
static __always_inline struct pid_namespace *pid_ns_of(struct pid *pid)
{
	unsigned int level = BPF_CORE_READ(pid, level);

	return BPF_CORE_READ(pid, numbers[level].ns);
}

static __always_inline bool group_alive(struct task_struct *t)
{
	return BPF_CORE_READ(t, signal, live.counter) > 0;
}

/* The nearest child subreaper above t in pid namespace level level; NULL when none. */
static __always_inline struct task_struct *subreaper_of(struct task_struct *t, unsigned int level)
{
	struct task_struct *r = BPF_CORE_READ(t, real_parent);
	struct signal_struct *sig;
	int i;

	for (i = 0; i < KCAP_REAPER_WALK; i++) {
		if (!r || !BPF_CORE_READ(r, pid) || BPF_CORE_READ(r, thread_pid, level) != level)
			return NULL;	/* init_task, or the namespace's edge */
		sig = BPF_CORE_READ(r, signal);
		if (BPF_CORE_READ_BITFIELD_PROBED(sig, is_child_subreaper) && group_alive(r))
			return r;
		r = BPF_CORE_READ(r, real_parent);
	}
	return NULL;
}

static __always_inline __s64 kcap_reaper_tid(struct kcap_fctx *f, struct task_struct *t)
{
	struct list_head *children = &t->children;
	struct pid *pid = BPF_CORE_READ(t, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	struct signal_struct *sig = BPF_CORE_READ(t, signal);
	struct task_struct *r = NULL;
	struct pid_namespace *ns;

	if (BPF_CORE_READ(t, children.next) == children)
		return 0;
	if (group_alive(t))
		return BPF_CORE_READ(t, tgid);
	if (BPF_CORE_READ_BITFIELD_PROBED(sig, has_child_subreaper))
		r = subreaper_of(t, level);
	if (r)
		return BPF_CORE_READ(r, tgid);
	ns = pid_ns_of(pid);
	r = BPF_CORE_READ(ns, child_reaper);
	return r ? BPF_CORE_READ(r, pid) : 0;
}

static __always_inline __u32 kcap_task_tgid(struct kcap_fctx *f, struct task_struct *task)
{
	return BPF_CORE_READ(task, tgid);
}

static __always_inline __s64 kcap_task_tid(struct kcap_fctx *f, struct task_struct *task)
{
	return BPF_CORE_READ(task, pid);
}

static __always_inline void kcap_current_faults(struct kcap_fctx *f, __u64 *maj, __u64 *min)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	*maj = BPF_CORE_READ(task, maj_flt);
	*min = BPF_CORE_READ(task, min_flt);
}

static __always_inline __u64 kcap_regs_ip(struct kcap_fctx *f, struct pt_regs *regs)
{
	return BPF_CORE_READ(regs, ip);
}

static __always_inline int kcap_siginfo(struct kcap_fctx *f, struct kernel_siginfo *info,
					int *code, __s32 *pid)
{
	if (!info)
		return -1;
	*code = BPF_CORE_READ(info, si_code);
	*pid = BPF_CORE_READ(info, _sifields._kill._pid);
	return 0;
}

static __always_inline __u64 kcap_vmf_address(struct kcap_fctx *f, void *vmf)
{
	return BPF_CORE_READ((struct vm_fault *)vmf, address);
}

static __always_inline void kcap_event_no_thread(struct kcap_fctx *f)
{
	__u64 tid = (__u64)-1;

	__builtin_memcpy(f->s->buf + __builtin_offsetof(struct ppm_evt_hdr, tid), &tid, sizeof(tid));
}

/* What a kprobe leaves for its kretprobe, per thread and hook. */
struct kcap_entry {
	__u64 ns;
	__u64 v;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct kcap_entry);
} entries SEC(".maps");

static __always_inline void kcap_entry_save(struct kcap_fctx *f, __u32 key, __u64 v)
{
	__u64 k = bpf_get_current_pid_tgid() << 32 >> 24 | key;
	struct kcap_entry e = { .ns = bpf_ktime_get_ns(), .v = v };

	bpf_map_update_elem(&entries, &k, &e, BPF_ANY);
}

static __always_inline int kcap_entry_take(struct kcap_fctx *f, __u32 key, __u64 *v, __u64 *ns)
{
	__u64 k = bpf_get_current_pid_tgid() << 32 >> 24 | key;
	struct kcap_entry *e = bpf_map_lookup_elem(&entries, &k);

	if (!e)
		return -1;
	*v = e->v;
	*ns = bpf_ktime_get_ns() - e->ns;
	bpf_map_delete_elem(&entries, &k);
	return 0;
}

/* Text an entry probe keeps for its return, per thread and hook. */
struct kcap_entry_text {
	__u32 len;
	__u8 buf[KCAP_ENTRY_TEXT_MAX + 1];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, KCAP_ENTRY_TEXTS);
	__type(key, __u64);
	__type(value, struct kcap_entry_text);
} entry_texts SEC(".maps");

/* What a thread's slot starts from (a map value: too large for the stack). */
static struct kcap_entry_text kcap_no_text;

static __always_inline void kcap_entry_save_text(struct kcap_fctx *f, __u32 key,
						 const void *utext, __u32 len)
{
	__u64 k = bpf_get_current_pid_tgid() << 32 >> 24 | key;
	struct kcap_entry_text *t;
	__u32 n = len < settings.snaplen ? len : settings.snaplen;

	if (bpf_map_update_elem(&entry_texts, &k, &kcap_no_text, BPF_ANY))
		return;
	t = bpf_map_lookup_elem(&entry_texts, &k);
	if (!t)
		return;
	if (n > KCAP_ENTRY_TEXT_MAX)
		n = KCAP_ENTRY_TEXT_MAX;
	barrier_var(n);			/* so that clang keeps the mask, */
	n &= KCAP_ENTRY_TEXT_MAX;	/* a bound the verifier sees in any register */
	if (n && bpf_probe_read_user(t->buf, n, utext)) {
		count_read_failure();
		n = 0;
	}
	t->len = n;
}

static __always_inline void kcap_put_entry_text(struct kcap_fctx *f, __u32 key)
{
	__u64 k = bpf_get_current_pid_tgid() << 32 >> 24 | key;
	struct kcap_entry_text *t = bpf_map_lookup_elem(&entry_texts, &k);
	struct kcap_scratch *s = f->s;
	__u32 n;

	if (!t) {
		end_param(s, 0);
		return;
	}
	n = t->len;
	if (n > KCAP_ENTRY_TEXT_MAX)
		n = KCAP_ENTRY_TEXT_MAX;
	barrier_var(n);
	n &= KCAP_ENTRY_TEXT_MAX;
	if (n && bpf_probe_read_kernel(&s->buf[s->off & KCAP_SCRATCH_MASK], n, t->buf))
		n = 0;
	end_param(s, n);
	bpf_map_delete_elem(&entry_texts, &k);
}

/* Before 6.2 the rss counters were atomics; since, per-CPU counters. */
struct mm_rss_stat___pre62 {
	atomic_long_t count[4];
} __attribute__((preserve_access_index));

struct mm_struct___pre62 {
	struct mm_rss_stat___pre62 rss_stat;
} __attribute__((preserve_access_index));

#define KCAP_KB_PER_PAGE 4

static __always_inline long mm_counter(struct mm_struct *mm, int member)
{
	if (bpf_core_type_exists(struct mm_rss_stat___pre62)) {
		struct mm_struct___pre62 *old = (void *)mm;

		return BPF_CORE_READ(old, rss_stat.count[member].counter);
	}
	return BPF_CORE_READ(mm, rss_stat[member].count);
}

static __always_inline void kcap_current_mm(struct kcap_fctx *f, struct kcap_task_mm *out)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	long rss;

	out->vm_size = out->vm_rss = out->vm_swap = 0;
	if (!mm)
		return;
	rss = mm_counter(mm, MM_FILEPAGES) + mm_counter(mm, MM_ANONPAGES) +
	      mm_counter(mm, MM_SHMEMPAGES);
	out->vm_size = BPF_CORE_READ(mm, total_vm) * KCAP_KB_PER_PAGE;
	out->vm_rss = (rss > 0 ? rss : 0) * KCAP_KB_PER_PAGE;
	out->vm_swap = (mm_counter(mm, MM_SWAPENTS) > 0 ? mm_counter(mm, MM_SWAPENTS) : 0) *
		       KCAP_KB_PER_PAGE;
}

/*
 * Dropping mode: an event of a sheddable type is shed when the ring has less
 * free room than settings.shed_free, which is kept for the state events.
 * Only asked in dropping mode: querying the ring touches the reader's line.
 */
static __always_inline bool kcap_shed(const __u8 *event, void *ring)
{
	__u16 type;
	__u64 used;

	__builtin_memcpy(&type, &event[20], sizeof(type));
	if (!(settings.shed_types[(type / 64) & (KCAP_SHED_WORDS - 1)] & (1ull << (type % 64))))
		return false;
	used = bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA);
	return used + settings.shed_free > settings.ring_bytes;
}

/* Writes the finished event to this CPU's ring; a full ring counts a drop. */
static __always_inline int kcap_submit(struct kcap_fctx *f)
{
	struct kcap_counters *c = cpu_counters();
	struct kcap_scratch *s = f->s;
	__u32 cpu = bpf_get_smp_processor_id();
	__u32 len = s->off;
	void *ring;

	if (!c)
		return 0;
	if (len > KCAP_EVENT_MAX_SIZE || s->arg != s->nparams) {
		c->drops_too_large++;
		return 0;
	}
	__builtin_memcpy(&s->buf[16], &len, 4);
	ring = bpf_map_lookup_elem(&rings, &cpu);
	if (!ring)
		return 0;
	if (kcap_bench_stage == KCAP_STAGE_FILL)
		return 0;
	if (settings.shed_free && kcap_shed(s->buf, ring)) {
		c->drops_shed++;
		return 0;
	}
	/*
	 * Never wake the reader: a wakeup costs more than the event, and even
	 * asking how full the ring is bounces the consumer's cache line. The
	 * reader polls every few milliseconds instead.
	 */
	if (bpf_ringbuf_output(ring, s->buf, len & (KCAP_EVENT_MAX_SIZE * 2 - 1), BPF_RB_NO_WAKEUP))
		c->drops_ring_full++;
	else
		c->events++;
	return 0;
}

/*
 * Calls added for one family of fillers; each family keeps to its block.
 */
/* io */
/*
 * Fixed-count loops of fillers are unrolled: the verifier keeps one list of
 * states per instruction, and the states of 32 iterations sharing a list
 * evict each other before they can prune anything.
 */
#define KCAP_UNROLL _Pragma("unroll")
#define KCAP_KEEP_BOUND(v) barrier_var(v)

/* The length of the last parameter, kept in its slot, is where to append. */
static __always_inline __u32 kcap_append_user_buf(struct kcap_fctx *f, const void *ubuf,
						  unsigned long len, unsigned long max)
{
	struct kcap_scratch *s = f->s;
	__u32 at = PPM_EVT_HDR_SIZE + 2 * ((s->arg - 1) & (PPM_MAX_EVENT_PARAMS - 1));
	__u32 limit = settings.snaplen < KCAP_USER_BUF_MAX ? settings.snaplen : KCAP_USER_BUF_MAX;
	__u16 cur;
	__u32 n;

	if (max < limit)
		limit = max;
	__builtin_memcpy(&cur, &s->buf[at], 2);
	if (cur >= limit)
		return 0;
	n = limit - cur;
	if (len < n)
		n = len;
	n &= KCAP_USER_BUF_MAX;
	if (!n)
		return 0;
	if (bpf_probe_read_user(&s->buf[s->off & KCAP_SCRATCH_MASK], n, ubuf)) {
		count_read_failure();
		return 0;
	}
	cur += n;
	__builtin_memcpy(&s->buf[at], &cur, 2);
	s->off += n;
	return n;
}
/* end of io */

/* path */
/* end of path */

/* net */
static __always_inline int kcap_sc_compat(struct kcap_fctx *f)
{
	return f->s->compat != 0;
}

static __always_inline int kcap_sc_ia32_nr(struct kcap_fctx *f)
{
	return f->s->compat ? f->s->ia32_nr : -1;
}

static __always_inline int kcap_read_user(struct kcap_fctx *f, void *dst, const void *usrc,
					  __u32 len)
{
	if (len > KCAP_READ_USER_MAX)
		return -1;
	/* The helper zeroes dst when the read fails. */
	if (bpf_probe_read_user(dst, len, usrc)) {
		if (usrc)
			count_read_failure();
		return -1;
	}
	return 0;
}

static __always_inline __u32 kcap_read_user_str(struct kcap_fctx *f, char *dst, const void *usrc,
						__u32 size)
{
	long n;

	if (size > KCAP_READ_USER_MAX)
		size = KCAP_READ_USER_MAX;
	if (!size)
		return 0;
	n = bpf_probe_read_user_str(dst, size, usrc);
	if (n == 0 && usrc) {		/* an empty string, on kernels that counted 0 */
		dst[0] = '\0';
		n = 1;
	}
	if (n <= 0) {
		if (usrc)
			count_read_failure();
		return 0;
	}
	return (__u32)n;
}

static __always_inline void kcap_put_bytes(struct kcap_fctx *f, const void *buf, __u32 len)
{
	struct kcap_scratch *s = f->s;

	if (len > KCAP_PUT_BYTES_MAX)
		len = KCAP_PUT_BYTES_MAX;
	if (len && bpf_probe_read_kernel(&s->buf[s->off & KCAP_SCRATCH_MASK], len, buf))
		len = 0;
	end_param(s, len);
}

#define KCAP_S_IFMT 0170000
#define KCAP_S_IFSOCK 0140000

static __always_inline struct file *net_fd_file(int fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	struct file *file = NULL;

	if (fd < 0 || fd >= BPF_CORE_READ(task, files, fdt, max_fds))
		return NULL;
	bpf_core_read(&file, sizeof(file), &fds[fd]);
	return file;
}

static __always_inline void kcap_sk_sock(struct kcap_fctx *f, struct sock *sk,
					 struct kcap_sock *out)
{
	struct inet_sock *inet = (struct inet_sock *)sk;
	__be32 a;

	__builtin_memset(out, 0, sizeof(*out));
	out->sk = (unsigned long)sk;
	out->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	out->protocol = BPF_CORE_READ(sk, sk_protocol);
	out->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	out->owned = BPF_CORE_READ(sk, sk_lock.owned) != 0;
	out->ack_backlog = BPF_CORE_READ(sk, sk_ack_backlog);
	out->max_ack_backlog = BPF_CORE_READ(sk, sk_max_ack_backlog);
	switch (out->family) {
	case KCAP_AF_INET:
		a = BPF_CORE_READ(inet, inet_saddr);
		__builtin_memcpy(out->laddr, &a, 4);
		a = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__builtin_memcpy(out->raddr, &a, 4);
		break;
	case KCAP_AF_INET6:
		BPF_CORE_READ_INTO(&out->laddr, inet, pinet6, saddr);
		BPF_CORE_READ_INTO(&out->raddr, sk, __sk_common.skc_v6_daddr);
		break;
	case KCAP_AF_UNIX:
		out->peer = (unsigned long)BPF_CORE_READ((struct unix_sock *)sk, peer);
		return;
	default:
		return;
	}
	out->lport = __builtin_bswap16(BPF_CORE_READ(inet, inet_sport));
	out->rport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
}

static __always_inline int kcap_fd_sock(struct kcap_fctx *f, int fd, struct kcap_sock *out)
{
	struct file *file = net_fd_file(fd);
	struct socket *sock;
	struct sock *sk;

	__builtin_memset(out, 0, sizeof(*out));
	if (!file || (BPF_CORE_READ(file, f_inode, i_mode) & KCAP_S_IFMT) != KCAP_S_IFSOCK)
		return -1;
	sock = BPF_CORE_READ(file, private_data);
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return -1;
	kcap_sk_sock(f, sk, out);
	return 0;
}

/* The name is addr->len bytes, sa_family first; a pathname's NUL is counted. */
static __always_inline __u32 kcap_unix_path(struct kcap_fctx *f, __u64 skp, char *buf)
{
	struct unix_address *addr = BPF_CORE_READ((struct unix_sock *)skp, addr);
	const char *path;
	char first = 0;
	__u64 skip, size;
	long n, len;

	buf[0] = 0;
	if (!addr)
		return 1;
	len = BPF_CORE_READ(addr, len) - 2;
	if (len <= 0)
		return 1;
	path = (const char *)addr + bpf_core_field_offset(struct unix_address, name) + 2;
	bpf_probe_read_kernel(&first, 1, path);
	skip = first == 0;
	size = len - skip + 1;
	if (size > KCAP_UNIX_PATH_MAX - skip)
		size = KCAP_UNIX_PATH_MAX - skip;
	n = bpf_probe_read_kernel_str(buf, size, path + skip);
	if (n <= 0) {
		buf[0] = 0;
		return 1;
	}
	return (__u32)n;
}
/* end of net */

/* proc */
/*
 * Spare scratch space: paths are built backwards there, as d_path() does. No
 * parameter write reaches it (the value part stays below 64 KiB plus 32 KiB).
 */
#define KCAP_TMP_OFF (KCAP_EVENT_MAX_SIZE + KCAP_EVENT_MAX_SIZE / 2)
#define KCAP_TMP_MASK (KCAP_PATH_MAX - 1)
#define KCAP_NAME_OFF (KCAP_TMP_OFF + 2 * KCAP_PATH_MAX)

#define KCAP_RLIMIT_NOFILE 7
#define KCAP_PIDTYPE_TGID 1
#define KCAP_PIDTYPE_PGID 2
#define KCAP_SB_RDONLY 1
#define KCAP_S_IMMUTABLE 8
#define KCAP_S_IFREG 0100000
#define KCAP_S_IFDIR 0040000
#define KCAP_S_IFLNK 0120000
#define KCAP_MAY_WRITE 2
#define KCAP_CAP_DAC_OVERRIDE 1
#define KCAP_CAP_FOWNER 3
#define KCAP_OVERLAYFS_MAGIC 0x794c7630
#define KCAP_UID_GID_MAP_EXTENTS 5	/* kept in the map itself; more in arrays */
#define KCAP_UID_GID_SEARCH 9		/* binary search steps: at most 340 extents */

static __always_inline struct task_struct *current_task(void)
{
	return (struct task_struct *)bpf_get_current_task();
}

/* Where the next value goes, extra bytes into it; writes there must be bounded. */
static __always_inline void *param_at(struct kcap_scratch *s, __u32 extra)
{
	return &s->buf[(s->off + extra) & KCAP_SCRATCH_MASK];
}

static __always_inline __u32 kcap_cur_pidns(const struct kcap_cur *cur)
{
	struct task_struct *task = kcap_task_btf ? cur->task :
				   (struct task_struct *)bpf_get_current_task();
	struct pid_namespace *ns = pid_ns_of(BPF_CORE_READ(task, thread_pid));

	return BPF_CORE_READ(ns, ns.inum);
}

/* pid_nr_ns(): the number of pid in ns, 0 when ns cannot see it. */
static __always_inline __s64 pid_nr_in(struct pid *pid, struct pid_namespace *ns)
{
	unsigned int level = BPF_CORE_READ(ns, level);

	if (!pid || BPF_CORE_READ(pid, level) < level ||
	    BPF_CORE_READ(pid, numbers[level].ns) != ns)
		return 0;
	return BPF_CORE_READ(pid, numbers[level].nr);
}

static __always_inline void kcap_current_ids(struct kcap_fctx *f, struct kcap_task_ids *ids)
{
	struct task_struct *task = current_task();
	struct pid *tpid = BPF_CORE_READ(task, thread_pid);
	struct pid *pgrp = BPF_CORE_READ(task, signal, pids[KCAP_PIDTYPE_PGID]);
	struct pid_namespace *ns = pid_ns_of(tpid);

	ids->tid = BPF_CORE_READ(task, pid);
	ids->pid = BPF_CORE_READ(task, tgid);
	ids->ppid = BPF_CORE_READ(task, real_parent, tgid);
	ids->pgid = BPF_CORE_READ(pgrp, numbers[0].nr);
	ids->vtid = pid_nr_in(tpid, ns);
	ids->vpid = pid_nr_in(BPF_CORE_READ(task, signal, pids[KCAP_PIDTYPE_TGID]), ns);
	ids->vpgid = pid_nr_in(pgrp, ns);
}

/* The tty_nr of /proc/pid/stat: the controlling tty's device number. */
static __always_inline __u32 task_tty(struct task_struct *task)
{
	struct tty_struct *tty = BPF_CORE_READ(task, signal, tty);
	struct tty_driver *driver;
	__u32 kdev;

	if (!tty)
		return 0;
	driver = BPF_CORE_READ(tty, driver);
	if (!driver)
		return 0;
	kdev = ((__u32)BPF_CORE_READ(driver, major) << 20) + BPF_CORE_READ(driver, minor_start) +
	       BPF_CORE_READ(tty, index);
	return kcap_encode_dev(kdev);
}

/* kernel_cap_t is u32[2] before 6.3 and a u64 since: the same 8 bytes on x86. */
static __always_inline __u64 cap_bits(const kernel_cap_t *cap)
{
	__u64 v = 0;

	bpf_core_read(&v, sizeof(v), cap);
	return v;
}

static __always_inline void kcap_current_info(struct kcap_fctx *f, struct kcap_task_info *info)
{
	struct task_struct *task = current_task();
	const struct cred *cred = BPF_CORE_READ(task, cred);
	struct pid_namespace *ns = pid_ns_of(BPF_CORE_READ(task, thread_pid));

	info->fdlimit = BPF_CORE_READ(task, signal, rlim[KCAP_RLIMIT_NOFILE].rlim_cur);
	info->pgft_maj = BPF_CORE_READ(task, maj_flt);
	info->pgft_min = BPF_CORE_READ(task, min_flt);
	info->pidns_init_start = BPF_CORE_READ(ns, child_reaper, start_time);
	info->cap_inheritable = cap_bits(__builtin_preserve_access_index(&cred->cap_inheritable));
	info->cap_permitted = cap_bits(__builtin_preserve_access_index(&cred->cap_permitted));
	info->cap_effective = cap_bits(__builtin_preserve_access_index(&cred->cap_effective));
	info->tty = task_tty(task);
	info->loginuid = (__u32)-1;
	if (bpf_core_field_exists(task->loginuid))
		info->loginuid = BPF_CORE_READ(task, loginuid.val);
	info->euid = BPF_CORE_READ(cred, euid.val);
	info->egid = BPF_CORE_READ(cred, egid.val);
	info->in_child_pidns = BPF_CORE_READ(ns, level) != 0;
	info->pidns_for_children = BPF_CORE_READ(task, nsproxy, pid_ns_for_children) != ns;
}

static __always_inline void kcap_current_args(struct kcap_fctx *f, struct kcap_task_args *args)
{
	struct mm_struct *mm = BPF_CORE_READ(current_task(), mm);

	args->arg_start = BPF_CORE_READ(mm, arg_start);
	args->arg_end = BPF_CORE_READ(mm, arg_end);
	args->env_start = BPF_CORE_READ(mm, env_start);
	args->env_end = BPF_CORE_READ(mm, env_end);
}

/* Inode times moved: timespec64 i_ctime/i_mtime, __i_ctime (6.6), __i_mtime (6.7), *_sec (6.11). */
struct inode___ts {
	struct timespec64 i_ctime, i_mtime, __i_ctime, __i_mtime;
} __attribute__((preserve_access_index));

static __always_inline __u64 epoch_ns(__s64 sec, __u32 nsec)
{
	return sec < 0 ? 0 : (__u64)sec * 1000000000ull + (nsec & ~KCAP_I_CTIME_QUERIED);
}

static __always_inline void inode_times(struct inode *inode, struct kcap_exe_info *exe)
{
	struct inode___ts *old = (void *)inode;
	struct timespec64 ts;

	if (bpf_core_field_exists(inode->i_ctime_sec)) {
		exe->ctime = epoch_ns(BPF_CORE_READ(inode, i_ctime_sec),
				      BPF_CORE_READ(inode, i_ctime_nsec));
		exe->mtime = epoch_ns(BPF_CORE_READ(inode, i_mtime_sec),
				      BPF_CORE_READ(inode, i_mtime_nsec));
		return;
	}
	if (bpf_core_field_exists(old->__i_ctime))
		ts = BPF_CORE_READ(old, __i_ctime);
	else
		ts = BPF_CORE_READ(old, i_ctime);
	exe->ctime = epoch_ns(ts.tv_sec, ts.tv_nsec);
	if (bpf_core_field_exists(old->__i_mtime))
		ts = BPF_CORE_READ(old, __i_mtime);
	else
		ts = BPF_CORE_READ(old, i_mtime);
	exe->mtime = epoch_ns(ts.tv_sec, ts.tv_nsec);
}

/* overlayfs keeps the upper dentry right after the VFS inode in its ovl_inode. */
static __always_inline __u8 overlay_layer(struct dentry *dentry)
{
	struct inode *inode = BPF_CORE_READ(dentry, d_inode);
	struct dentry *upper = NULL;

	if (BPF_CORE_READ(dentry, d_sb, s_magic) != KCAP_OVERLAYFS_MAGIC)
		return KCAP_OVERLAY_NONE;
	bpf_probe_read_kernel(&upper, sizeof(upper),
			      (char *)inode + bpf_core_type_size(struct inode));
	if (upper && BPF_CORE_READ(upper, d_inode, i_ino))
		return KCAP_OVERLAY_UPPER;
	return KCAP_OVERLAY_LOWER;
}

/* memfd files are unlinked pseudo dentries named "memfd:<name>". */
static __always_inline __u8 is_memfd(struct dentry *dentry)
{
	char name[8] = { 0 };

	if (BPF_CORE_READ(dentry, d_parent) != dentry)
		return 0;
	if (bpf_probe_read_kernel_str(name, 7, BPF_CORE_READ(dentry, d_name.name)) != 7)
		return 0;
	return name[0] == 'm' && name[1] == 'e' && name[2] == 'm' && name[3] == 'f' &&
	       name[4] == 'd' && name[5] == ':';
}

/* map_id_up(): whether a kernel id has a mapping in a user namespace's map. */
static __always_inline bool id_mapped(struct uid_gid_map *map, __u32 id)
{
	__u32 n = BPF_CORE_READ(map, nr_extents), left = 0, mid;
	struct uid_gid_extent *rev;
	int i;

	if (n <= KCAP_UID_GID_MAP_EXTENTS) {
		for (i = 0; i < KCAP_UID_GID_MAP_EXTENTS && i < n; i++) {
			__u32 first = BPF_CORE_READ(map, extent[i].lower_first);

			if (id >= first && id - first < BPF_CORE_READ(map, extent[i].count))
				return true;
		}
		return false;
	}
	/* More extents: the map holds arrays instead, reverse sorted by lower_first. */
	rev = BPF_CORE_READ(map, reverse);
	for (i = 0; i < KCAP_UID_GID_SEARCH && left < n; i++) {
		__u32 first, count;

		mid = (left + n) / 2;
		first = BPF_CORE_READ(rev + mid, lower_first);
		count = BPF_CORE_READ(rev + mid, count);
		if (id < first)
			n = mid;
		else if (id - first >= count)
			left = mid + 1;
		else
			return true;
	}
	return false;
}

/* groups_search(): supplementary groups are sorted. */
static __always_inline bool in_groups(const struct cred *cred, __u32 gid)
{
	struct group_info *gi = BPF_CORE_READ(cred, group_info);
	unsigned int left = 0, right = BPF_CORE_READ(gi, ngroups), mid;
	int i;

	for (i = 0; i < KCAP_NGROUPS_SEARCH && left < right; i++) {
		__u32 g;

		mid = (left + right) / 2;
		g = BPF_CORE_READ(gi, gid[mid].val);
		if (gid > g)
			left = mid + 1;
		else if (gid < g)
			right = mid;
		else
			return true;
	}
	return false;
}

/* An approximation of inode_permission(MAY_WRITE) || inode_owner_or_capable(). */
static __always_inline __u8 exe_writable(struct task_struct *task, struct inode *inode)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);
	struct user_namespace *ns = BPF_CORE_READ(cred, user_ns);
	__u32 mode = BPF_CORE_READ(inode, i_mode), fmt = mode & KCAP_S_IFMT;
	__u32 uid = BPF_CORE_READ(inode, i_uid.val), gid = BPF_CORE_READ(inode, i_gid.val);
	__u64 caps = cap_bits(__builtin_preserve_access_index(&cred->cap_effective));
	bool uid_ok, gid_ok;

	if ((BPF_CORE_READ(inode, i_sb, s_flags) & KCAP_SB_RDONLY) &&
	    (fmt == KCAP_S_IFREG || fmt == KCAP_S_IFDIR || fmt == KCAP_S_IFLNK))
		return 0;
	if (BPF_CORE_READ(inode, i_flags) & KCAP_S_IMMUTABLE)
		return 0;
	if (uid == (__u32)-1 || gid == (__u32)-1)
		return 0;
	if (uid == BPF_CORE_READ(cred, fsuid.val))
		return 1;
	if (gid == BPF_CORE_READ(cred, fsgid.val) || in_groups(cred, gid))
		mode >>= 3;
	if (mode & KCAP_MAY_WRITE)
		return 1;
	uid_ok = id_mapped(__builtin_preserve_access_index(&ns->uid_map), uid);
	gid_ok = id_mapped(__builtin_preserve_access_index(&ns->gid_map), gid);
	if ((caps & (1ull << KCAP_CAP_DAC_OVERRIDE)) && uid_ok && gid_ok)
		return 1;
	return (caps & (1ull << KCAP_CAP_FOWNER)) && uid_ok;
}

static __always_inline int kcap_current_exe(struct kcap_fctx *f, struct kcap_exe_info *exe)
{
	struct task_struct *task = current_task();
	struct file *file = BPF_CORE_READ(task, mm, exe_file);
	struct dentry *dentry = BPF_CORE_READ(file, f_path.dentry);
	struct inode *inode = BPF_CORE_READ(file, f_inode);

	__builtin_memset(exe, 0, sizeof(*exe));
	if (!file || !inode)
		return -1;
	exe->ino = BPF_CORE_READ(inode, i_ino);
	inode_times(inode, exe);
	exe->writable = exe_writable(task, inode);
	exe->overlay = overlay_layer(dentry);
	exe->memfd = is_memfd(dentry);
	return 0;
}

static __always_inline const struct path *kcap_current_cwd(struct kcap_fctx *f)
{
	struct fs_struct *fs = BPF_CORE_READ(current_task(), fs);

	return fs ? __builtin_preserve_access_index(&fs->pwd) : NULL;
}

static __always_inline const struct path *kcap_fd_path(struct kcap_fctx *f, int fd)
{
	struct file *file = net_fd_file(fd);

	return file ? __builtin_preserve_access_index(&file->f_path) : NULL;
}

static __always_inline const struct path *kcap_current_exe_path(struct kcap_fctx *f)
{
	struct file *file = BPF_CORE_READ(current_task(), mm, exe_file);

	return file ? __builtin_preserve_access_index(&file->f_path) : NULL;
}

/*
 * Positions of the path and cgroup builders live in the scratch map, not in
 * registers: the verifier knows nothing of a value loaded from a map, so the
 * states of loop iterations that moved them differently still look alike and
 * are pruned. In registers, each distinct position is a state of its own.
 */
#define KCAP_VAR_POS 0		/* start of the path being built in the spare space */
#define KCAP_VAR_LEN 1		/* bytes of a parameter built in pieces, so far */
#define KCAP_VARS_OFF (KCAP_NAME_OFF + KCAP_NAME_MAX)

static __always_inline __u32 var_get(struct kcap_scratch *s, int var)
{
	return *(volatile __u32 *)&s->buf[KCAP_VARS_OFF + 4 * var];
}

static __always_inline void var_set(struct kcap_scratch *s, int var, __u32 v)
{
	*(volatile __u32 *)&s->buf[KCAP_VARS_OFF + 4 * var] = v;
}

/* Starts a path at the end of the spare space, empty. */
static __always_inline void path_start(struct kcap_scratch *s)
{
	s->buf[KCAP_TMP_OFF + KCAP_PATH_MAX - 1] = '\0';
	var_set(s, KCAP_VAR_POS, KCAP_PATH_MAX - 1);
}

/* Puts "/" and len bytes of name before the path; false when they do not fit. */
static __always_inline bool prepend_name(struct kcap_scratch *s, const void *name, __u32 len)
{
	__u32 p = var_get(s, KCAP_VAR_POS);

	if (len >= p)
		return false;
	p -= len;
	bpf_probe_read_kernel(&s->buf[KCAP_TMP_OFF + (p & KCAP_TMP_MASK)], len & KCAP_TMP_MASK,
			      name);
	p--;
	s->buf[KCAP_TMP_OFF + (p & KCAP_TMP_MASK)] = '/';
	var_set(s, KCAP_VAR_POS, p);
	return true;
}

/* Ends the path: "/" when nothing was put; copies it extra bytes into the next value. */
static __always_inline __u32 path_copy(struct kcap_scratch *s, __u32 extra)
{
	__u32 p = var_get(s, KCAP_VAR_POS) & KCAP_TMP_MASK, n;

	if (p == KCAP_PATH_MAX - 1) {
		p--;
		s->buf[KCAP_TMP_OFF + p] = '/';
	}
	n = KCAP_PATH_MAX - p;
	bpf_probe_read_kernel(param_at(s, extra), n & (2 * KCAP_PATH_MAX - 1),
			      &s->buf[KCAP_TMP_OFF + p]);
	return n;
}

/* The walks' primitives (walks.h). Mounts are struct mount, as in the kernel's walk. */
static __always_inline struct mount *real_mount(struct vfsmount *vfsmnt)
{
	return (void *)((char *)vfsmnt - bpf_core_field_offset(struct mount, mnt));
}

static __always_inline int kcap_walk_start(struct kcap_fctx *f, const struct path *path,
					   struct kcap_walk *w)
{
	struct fs_struct *fs = BPF_CORE_READ(current_task(), fs);

	w->dentry = BPF_CORE_READ(path, dentry);
	w->mnt = real_mount(BPF_CORE_READ(path, mnt));
	w->root_dentry = BPF_CORE_READ(fs, root.dentry);
	w->root_mnt = real_mount(BPF_CORE_READ(fs, root.mnt));
	w->seq = 0;
	return 0;
}

/* A probe cannot take rename_lock: a walk that raced a rename is kept as it is. */
static __always_inline bool kcap_walk_retry(struct kcap_fctx *f, struct kcap_walk *w)
{
	return false;
}

static __always_inline void kcap_walk_end(struct kcap_fctx *f, struct kcap_walk *w)
{
}

static __always_inline void *kcap_mount_root(void *mnt)
{
	return BPF_CORE_READ((struct mount *)mnt, mnt.mnt_root);
}

static __always_inline void *kcap_mount_parent(void *mnt)
{
	return BPF_CORE_READ((struct mount *)mnt, mnt_parent);
}

static __always_inline void *kcap_mount_point(void *mnt)
{
	return BPF_CORE_READ((struct mount *)mnt, mnt_mountpoint);
}

static __always_inline void *kcap_dentry_parent(void *dentry)
{
	return BPF_CORE_READ((struct dentry *)dentry, d_parent);
}

static __always_inline void kcap_dentry_name(void *dentry, const char **name, __u32 *len)
{
	*name = (const char *)BPF_CORE_READ((struct dentry *)dentry, d_name.name);
	*len = BPF_CORE_READ((struct dentry *)dentry, d_name.len);
}

static __always_inline void kcap_pbuf_begin(struct kcap_fctx *f)
{
	path_start(f->s);
}

static __always_inline bool kcap_pbuf_prepend(struct kcap_fctx *f, const char *name, __u32 len)
{
	return prepend_name(f->s, name, len);
}

/* Names have no stored length: measured first, into the name area. */
static __always_inline bool kcap_pbuf_prepend_kstr(struct kcap_fctx *f, const char *kstr)
{
	struct kcap_scratch *s = f->s;
	long n = bpf_probe_read_kernel_str(&s->buf[KCAP_NAME_OFF], KCAP_NAME_MAX, kstr);

	return n > 1 && prepend_name(s, kstr, n - 1);
}

static __always_inline void kcap_pbuf_append(struct kcap_fctx *f)
{
	struct kcap_scratch *s = f->s;
	__u32 len = var_get(s, KCAP_VAR_LEN);

	var_set(s, KCAP_VAR_LEN, len + path_copy(s, len));
}

static __always_inline void kcap_piece_begin(struct kcap_fctx *f)
{
	var_set(f->s, KCAP_VAR_LEN, 0);
}

static __always_inline void kcap_piece_end(struct kcap_fctx *f)
{
	end_param(f->s, var_get(f->s, KCAP_VAR_LEN));
}

static __always_inline long kcap_piece_kstr(struct kcap_fctx *f, const char *kstr, __u32 max)
{
	struct kcap_scratch *s = f->s;
	__u32 len = var_get(s, KCAP_VAR_LEN);
	long n = bpf_probe_read_kernel_str(param_at(s, len), max, kstr);

	if (n > 1)
		var_set(s, KCAP_VAR_LEN, len + n);
	return n;
}

static __always_inline void kcap_piece_set_last(struct kcap_fctx *f, char c)
{
	struct kcap_scratch *s = f->s;

	*(char *)param_at(s, var_get(s, KCAP_VAR_LEN) - 1) = c;
}

static __always_inline void kcap_put_comm(struct kcap_fctx *f)
{
	struct kcap_scratch *s = f->s;
	long n = bpf_probe_read_kernel_str(param_at(s, 0), sizeof(current_task()->comm),
					   __builtin_preserve_access_index(&current_task()->comm));

	end_param(s, n > 0 ? n : 0);
}

/* kernfs_node.parent became __parent in 6.15. */
struct kernfs_node___pre615 {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(struct kernfs_node___pre615, parent))
		return BPF_CORE_READ((struct kernfs_node___pre615 *)kn, parent);
	return BPF_CORE_READ(kn, __parent);
}

static __always_inline void *kcap_kn_parent(void *kn)
{
	return kn_parent(kn);
}

static __always_inline const char *kcap_kn_name(void *kn)
{
	return BPF_CORE_READ((struct kernfs_node *)kn, name);
}

static __always_inline int kcap_cgroups_begin(struct kcap_fctx *f)
{
	return 0;
}

static __always_inline void kcap_cgroups_end(struct kcap_fctx *f)
{
}

#define KCAP_CGROUP_ID(name)							\
	(bpf_core_enum_value_exists(enum cgroup_subsys_id, name##_cgrp_id) ?	\
	 (int)bpf_core_enum_value(enum cgroup_subsys_id, name##_cgrp_id) : -1)

/* which is a constant where this is inlined: the switch folds to one relocated id. */
static __always_inline int cgroup_subsys_id(int which)
{
	switch (which) {
	case KCAP_CG_CPUSET:
		return KCAP_CGROUP_ID(cpuset);
	case KCAP_CG_CPU:
		return KCAP_CGROUP_ID(cpu);
	case KCAP_CG_CPUACCT:
		return KCAP_CGROUP_ID(cpuacct);
	case KCAP_CG_IO:
		return KCAP_CGROUP_ID(io);
	case KCAP_CG_MEMORY:
		return KCAP_CGROUP_ID(memory);
	}
	return -1;
}

static __always_inline void *kcap_cgroup_css(struct kcap_fctx *f, int which)
{
	int id = cgroup_subsys_id(which);

	if (id < 0)
		return NULL;
	return BPF_CORE_READ(current_task(), cgroups, subsys[id]);
}

static __always_inline const char *kcap_css_name(void *css)
{
	return BPF_CORE_READ((struct cgroup_subsys_state *)css, ss, name);
}

static __always_inline void *kcap_css_kn(void *css)
{
	return BPF_CORE_READ((struct cgroup_subsys_state *)css, cgroup, kn);
}

static __always_inline void kcap_put_user_strs(struct kcap_fctx *f, unsigned long uptr,
					       unsigned long len)
{
	struct kcap_scratch *s = f->s;
	__u32 n = len < KCAP_ARGS_MAX ? len : KCAP_ARGS_MAX;

	if (n && bpf_probe_read_user(param_at(s, 0), n & (2 * KCAP_ARGS_MAX - 1), (void *)uptr)) {
		count_read_failure();
		n = 0;
	}
	if (n)
		*(char *)param_at(s, n - 1) = '\0';
	end_param(s, n);
}

/* Element i of a user array of pointers: 32-bit ones in an ia32 syscall; 0 when unreadable. */
static __always_inline unsigned long user_ptr(int compat, unsigned long uarr, __u32 i)
{
	unsigned long p = 0;
	__u32 p32 = 0;

	if (compat) {
		bpf_probe_read_user(&p32, sizeof(p32), (void *)(uarr + i * sizeof(p32)));
		return p32;
	}
	bpf_probe_read_user(&p, sizeof(p), (void *)(uarr + i * sizeof(p)));
	return p;
}

static __always_inline void kcap_put_user_strv(struct kcap_fctx *f, unsigned long uarr,
					       int first, int max)
{
	struct kcap_scratch *s = f->s;
	/*
	 * Read once: loaded in the loop, it ended the loop and fell through into
	 * the loop's head, a back-edge the verifiers of 5.10 and 6.1 refuse.
	 */
	int compat = s->compat;
	int i;

	var_set(s, KCAP_VAR_LEN, 0);
	for (i = 0; i < KCAP_STRV_MAX && i < max && uarr; i++) {
		unsigned long str = user_ptr(compat, uarr, first + i);
		__u32 len = var_get(s, KCAP_VAR_LEN);
		__u32 room = KCAP_ARGS_MAX - len;
		long n;

		if (!str || len >= KCAP_ARGS_MAX)
			break;
		barrier_var(room);	/* keep the mask: clang would drop it */
		n = bpf_probe_read_user_str(param_at(s, len), room & (2 * KCAP_ARGS_MAX - 1),
					    (void *)str);
		/* Before 6.6 (or so) an empty string read as 0 bytes, its NUL not counted. */
		if (n == 0) {
			*(char *)param_at(s, len) = '\0';
			n = 1;
		}
		if (n < 0) {
			count_read_failure();
			break;
		}
		var_set(s, KCAP_VAR_LEN, len + n);
	}
	end_param(s, var_get(s, KCAP_VAR_LEN));
}

static __always_inline __u32 kcap_last_len(struct kcap_fctx *f)
{
	struct kcap_scratch *s = f->s;
	__u32 at = PPM_EVT_HDR_SIZE + 2 * ((s->arg - 1) & (PPM_MAX_EVENT_PARAMS - 1));
	__u16 l;

	__builtin_memcpy(&l, &s->buf[at], 2);
	return l;
}
/* end of proc */

/* mem */

static __always_inline void kcap_put_dyn(struct kcap_fctx *f, __u8 idx, __u64 v, __u32 size)
{
	struct kcap_scratch *s = f->s;

	if (size > sizeof(v))
		size = sizeof(v);
	s->buf[s->off & KCAP_SCRATCH_MASK] = idx;
	/* All 8 bytes are written, little endian: the length keeps the low ones. */
	__builtin_memcpy(&s->buf[(s->off + 1) & KCAP_SCRATCH_MASK], &v, sizeof(v));
	end_param(s, 1 + size);
}

/* end of mem */

#endif /* KCAP_FILLER_BPF_H */
