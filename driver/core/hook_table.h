/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The hook table: every event source of the drivers, declared once. Both
 * backends are stamped from it (the BPF probe's programs, the module's
 * registrations), and userspace reads it to know which event comes from
 * which hook and which ppm_sc code selects it.
 *
 *   X(name, kind, target, event, ppm_sc, scope)
 *
 * name    the hook, and its filler fill_<name> (fillers_hooks.h); the syscall
 *         hooks have none (their rows name a filler per syscall)
 * kind    KCAP_HOOK_<kind>: how it attaches (below)
 * target  the tracepoint, the kernel function of a kprobe, or the user
 *         function (its symbol) of a uprobe; userspace finds the binary that
 *         has it (uprobe.c) and attaches there
 * event   the event it emits; 0 for the syscall hooks (their rows say) and
 *         for bookkeeping hooks that emit nothing
 * ppm_sc  the code of the interest set that selects it; 0: attached when
 *         something else needs it (the syscall hooks by their rows, the fork
 *         hook by a scope that follows children). A kprobe without an event
 *         that shares its kretprobe's code is that kretprobe's entry: it
 *         stashes what the return needs (kcap_entry_save)
 * scope   who the event belongs to, for the scope filter: CURRENT, the task
 *         the hook runs in (the prologue checks it); FILLER, whoever the
 *         filler finds (a socket's owner, or no process): the filler checks
 *         (kcap_scope_traced, kcap_scope_all)
 *
 * A hook with an event runs the shared prologue (dispatch.h: capture on,
 * scope, nesting guard, the event begun with the schema's parameter count),
 * then its filler; a hook without one runs its filler alone. A tracepoint
 * hook's filler reads the tracepoint's arguments as the kernel passes them,
 * one register each (kcap_hook_arg); a kprobe's the probed function's, a
 * kretprobe's its return value.
 */
#ifndef KCAP_HOOK_TABLE_H
#define KCAP_HOOK_TABLE_H

#include "ppm_events_public.h"

/* Who checks the scope of a hook's event (the table's scope column). */
#define KCAP_SCOPE_CURRENT true		/* the prologue, on the current task */
#define KCAP_SCOPE_FILLER false		/* the filler, on the event's owner */

enum kcap_hook_kind {
	KCAP_HOOK_SYSCALL_ENTER,	/* raw_syscalls:sys_enter, through the syscall rows */
	KCAP_HOOK_SYSCALL_EXIT,		/* raw_syscalls:sys_exit, through the syscall rows */
	KCAP_HOOK_TRACEPOINT,
	KCAP_HOOK_KPROBE,
	KCAP_HOOK_KRETPROBE,
	KCAP_HOOK_UPROBE,
	KCAP_HOOK_URETPROBE,
};

#define KCAP_HOOKS(X)									\
	X(sys_enter, SYSCALL_ENTER, "sys_enter", 0, 0, CURRENT)				\
	X(sys_exit, SYSCALL_EXIT, "sys_exit", 0, 0, CURRENT)				\
	X(sched_process_fork, TRACEPOINT, "sched_process_fork", 0, 0, CURRENT)		\
	X(procexit, TRACEPOINT, "sched_process_exit", PPME_PROCEXIT_E,			\
	  PPM_SC_SCHED_PROCESS_EXIT, CURRENT)						\
	X(sched_switch, TRACEPOINT, "sched_switch", PPME_SWITCH_E, PPM_SC_SCHED_SWITCH,	\
	  CURRENT)									\
	X(page_fault_user, TRACEPOINT, "page_fault_user", PPME_PAGE_FAULT_E,		\
	  PPM_SC_PAGE_FAULT_USER, CURRENT)						\
	X(page_fault_kernel, TRACEPOINT, "page_fault_kernel", PPME_PAGE_FAULT_E,	\
	  PPM_SC_PAGE_FAULT_KERNEL, CURRENT)						\
	X(signal_deliver, TRACEPOINT, "signal_deliver", PPME_SIGNALDELIVER_E,		\
	  PPM_SC_SIGNAL_DELIVER, CURRENT)						\
	X(inet_sock_set_state, TRACEPOINT, "inet_sock_set_state", PPME_TCP_STATE_E,	\
	  KCAP_SC_INET_SOCK_SET_STATE, FILLER)						\
	X(do_swap_page, KPROBE, "do_swap_page", 0, KCAP_SC_DO_SWAP_PAGE, CURRENT)	\
	X(do_swap_page_ret, KRETPROBE, "do_swap_page", PPME_SWAPIN_E,			\
	  KCAP_SC_DO_SWAP_PAGE, CURRENT)						\
	X(tcp_retransmit_skb, KPROBE, "tcp_retransmit_skb", PPME_TCP_RETRANSMIT_E,	\
	  KCAP_SC_TCP_RETRANSMIT_SKB, FILLER)						\
	X(bash_readline, URETPROBE, "readline", PPME_BASH_READLINE_E,			\
	  KCAP_SC_BASH_READLINE, CURRENT)						\
	X(mysql_dispatch, UPROBE, "dispatch_command", 0, KCAP_SC_MYSQL_QUERY, CURRENT)	\
	X(mysql_error, UPROBE, "my_message_sql", 0, KCAP_SC_MYSQL_QUERY, CURRENT)	\
	X(mysql_query, URETPROBE, "dispatch_command", PPME_MYSQL_QUERY_E,		\
	  KCAP_SC_MYSQL_QUERY, CURRENT)

/*
 * Where userspace looks for a uprobe's function when `--uprobe` names no
 * binary: per code of the interest set (all the hooks of one event look in
 * the same program), the paths tried in turn, the first that exists taken.
 * Every code of a UPROBE or URETPROBE hook has a line (test_uprobe.c).
 *
 *   X(ppm_sc, path, ...)
 */
#define KCAP_UPROBE_BINARIES(X)								\
	X(KCAP_SC_BASH_READLINE, "/bin/bash", "/usr/bin/bash")				\
	X(KCAP_SC_MYSQL_QUERY, "/usr/sbin/mariadbd", "/usr/sbin/mysqld")

enum kcap_hook_id {
#define KCAP_HOOK_ENUM(name, kind, target, event, ppm_sc, scope) KCAP_HOOK_##name,
	KCAP_HOOKS(KCAP_HOOK_ENUM)
#undef KCAP_HOOK_ENUM
	KCAP_HOOK_MAX
};

/* Hooks are chosen by a 64-bit mask (the module's ioctl). */
_Static_assert(KCAP_HOOK_MAX <= 64, "hook ids no longer fit in a 64-bit mask");

struct kcap_hook_info {
	const char *name;
	enum kcap_hook_kind kind;
	const char *target;
	__u16 event;
	__u16 ppm_sc;
};

/* Indexed by enum kcap_hook_id (hook_table.c). */
extern const struct kcap_hook_info g_hooks[KCAP_HOOK_MAX];

#endif /* KCAP_HOOK_TABLE_H */
