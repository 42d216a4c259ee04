/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * What every driver shares with its userspace engine: settings, syscall rows,
 * counters. The BPF probe keeps them in maps; the module takes them by ioctl
 * (kmod/kcap_kmod_abi.h).
 */
#ifndef KCAP_ABI_H
#define KCAP_ABI_H

#define KCAP_EVENT_MAX_SIZE (64 * 1024)		/* a whole event, as libs */
#define KCAP_PATH_MAX 4096
#define KCAP_SNAPLEN_DEFAULT 80
#define KCAP_MAX_CPUS 512
/* Bytes of one user buffer kept, whatever the snaplen (a mask in BPF). */
#define KCAP_USER_BUF_MAX (32 * 1024 - 1)
/* Bytes of text an entry probe keeps for its return probe (a mask in BPF). */
#define KCAP_ENTRY_TEXT_MAX 4095
/* Texts kept at once, for as many calls in flight (a server's commands). */
#define KCAP_ENTRY_TEXTS 128
/* Thread groups a scope that follows children can hold, in both drivers. */
#define KCAP_TRACED_MAX 65536
/*
 * BPF: events built at once on one CPU, each in its own scratch area (a
 * syscall's, a page fault's inside its filler's read of user memory...).
 */
#define KCAP_NEST_MAX 4
/*
 * Events of one syscall that moves several items (sendmmsg's messages), one
 * per item: the BPF probe runs the filler again by a tail call per item (33
 * at most in a chain, the dispatch's included).
 */
#define KCAP_ITEMS_MAX 16
/*
 * Where the BPF probe's syscall path stops: a benchmark setting
 * (KCAP_BENCH_STAGE, bench/bench_stages.sh). Each stage does what the one
 * before it does, and more.
 */
enum kcap_bench_stage {
	KCAP_STAGE_ALL,			/* the whole path: the event written */
	KCAP_STAGE_DISPATCH,		/* the syscall's row found, the task in scope */
	KCAP_STAGE_BEGIN,		/* + a nesting level, the header, the arguments */
	KCAP_STAGE_TAIL_CALL,		/* + the tail call into the filler */
	KCAP_STAGE_FILL,		/* + the parameters, not written to the ring */
	KCAP_STAGE_NO_USER_DATA,	/* the whole path, user buffers left empty */
};

/* Words of the bitmap of event types a dropping mode may shed (512 types). */
#define KCAP_SHED_WORDS 8

/* Values a scope field can hold: a process matches the field when it has any. */
#define KCAP_SCOPE_VALUES 8
#define KCAP_TASK_COMM_LEN 16

/* The fields of a scope (scope.h). */
enum kcap_scope_field {
	KCAP_SCOPE_PID,		/* thread group id; with follow, its descendants too */
	KCAP_SCOPE_UID,		/* real uid, in the initial user namespace */
	KCAP_SCOPE_GID,		/* real gid */
	KCAP_SCOPE_COMM,	/* the task's comm (15 bytes at most) */
	KCAP_SCOPE_CGROUP,	/* a cgroup v2 and every cgroup under it */
	KCAP_SCOPE_MNTNS,	/* mount namespace inode number */
	KCAP_SCOPE_PIDNS,	/* pid namespace inode number */
	KCAP_SCOPE_FIELDS,
};

/*
 * Which processes are captured. A process is in scope when every field that
 * is set matches it; a field matches when the process has one of its values,
 * or, negated, none of them.
 */
struct kcap_scope {
	__u32 fields;		/* a bit per field that is set; 0: every process */
	__u32 negate;		/* a bit per negated field */
	__u32 follow;		/* pid: also the descendants forked while capturing */
	__u32 n[KCAP_SCOPE_FIELDS];	/* values of each field */
	__u32 pid[KCAP_SCOPE_VALUES];
	__u32 uid[KCAP_SCOPE_VALUES];
	__u32 gid[KCAP_SCOPE_VALUES];
	__u32 mntns[KCAP_SCOPE_VALUES];
	__u32 pidns[KCAP_SCOPE_VALUES];
	__u32 cgroup_level[KCAP_SCOPE_VALUES];	/* depth below the root (0) */
	__u64 cgroup[KCAP_SCOPE_VALUES];	/* cgroup v2 ids */
	__u64 comm[KCAP_SCOPE_VALUES][2];	/* NUL-padded */
};

/* Hooks of hook_table.h at most (a 64-bit mask chooses them). */
#define KCAP_HOOKS_MAX 64

/* How mysqld's dispatch_command takes its arguments (its mangled name says). */
enum kcap_mysql_abi {
	KCAP_MYSQL_MARIADB = 0,	/* (command, thd, packet, packet_length, ...): MariaDB 10, 11 */
	KCAP_MYSQL_MYSQL8 = 1,	/* (thd, const COM_DATA *, command): MySQL 5.7, 8 */
};

/* Settings, written by userspace (the probe's .bss, the module's ioctl). */
struct kcap_settings {
	__u32 capture;		/* 0: every program returns at once */
	__u32 snaplen;		/* bytes of I/O buffers kept */
	__u32 skip_tgid;	/* the reader itself: capturing it would feed back */
	__u32 shed_free;	/* dropping mode: below this many free ring bytes, */
	__u64 shed_types[KCAP_SHED_WORDS];	/* events of these types are shed */
	__u32 ring_bytes;	/* size of each per-CPU ring */
	/* Per hook (enum kcap_hook_id): which signature a uprobe's function has,
	 * where programs differ (enum kcap_mysql_abi for mysql_query's). */
	__u8 uprobe_abi[KCAP_HOOKS_MAX];
	__u64 boot_epoch_ns;	/* boot time since the epoch: events carry epoch ns */
	struct kcap_scope scope;
};

/* A row per syscall number: what to emit on enter and on exit. */
struct kcap_sc_row {
	__u16 enter_event;
	__u16 exit_event;
	__u8 enter_filler;	/* 0: nothing on enter */
	__u8 exit_filler;	/* 0: nothing on exit */
	__u8 enter_nparams;
	__u8 exit_nparams;
	__u16 ppm_sc;
};

/* Per-CPU counters; nothing is dropped without being counted here. */
struct kcap_counters {
	__u64 events;
	__u64 drops_ring_full;
	__u64 drops_too_large;		/* or built with the wrong parameter count */
	__u64 read_failures;
	__u64 tail_call_failures;	/* BPF only */
	__u64 drops_nested;		/* a hook fired while too many events were built */
	__u64 scope_full;		/* forks not followed: the traced set was full */
	__u64 drops_shed;		/* dropping mode: shed to keep room for state events */
};

#endif /* KCAP_ABI_H */
