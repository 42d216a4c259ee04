/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Fillers of the hooks of hook_table.h that are not syscalls (included by
 * fillers.h): fill_<hook>, run by the shared prologue (dispatch.h) with the
 * event begun. Each reads its hook's arguments (kcap_hook_arg) as the
 * tracepoint declares them.
 */
#ifndef KCAP_FILLERS_HOOKS_H
#define KCAP_FILLERS_HOOKS_H

#include "fillers_common.h"
#include "hook_table.h"

/* sched_process_fork(parent, child): the child of a followed process is followed. */
static __always_inline int fill_sched_process_fork(struct kcap_fctx *f)
{
	struct task_struct *child = (struct task_struct *)kcap_hook_arg(f, 1);

	kcap_scope_fork(kcap_current_tgid(), kcap_task_tgid(f, child));
	return 0;
}

/* sched_process_exit(task): the exiting task is current. */
static __always_inline int fill_procexit(struct kcap_fctx *f)
{
	struct task_struct *task = (struct task_struct *)kcap_hook_arg(f, 0);
	__s64 code = kcap_exit_code(f, task);

	kcap_put_s64(f, code);
	kcap_put_s64(f, (code >> 8) & 0xff);
	kcap_put_u8(f, (code & 0x7f) != 0x7f ? code & 0x7f : 0);
	kcap_put_u8(f, code & 0x80 ? 1 : 0);
	kcap_put_s64(f, kcap_reaper_tid(f, task));
	return kcap_submit(f);
}

/*
 * sched_switch(preempt, prev, next[, prev_state]): prev is current. The
 * event is prev's, with the thread it switches to and prev's page faults
 * and memory, as libs writes it.
 */
static __always_inline int fill_sched_switch(struct kcap_fctx *f)
{
	struct task_struct *next = (struct task_struct *)kcap_hook_arg(f, 2);
	__u64 maj, min;

	kcap_current_faults(f, &maj, &min);
	kcap_put_s64(f, kcap_task_tid(f, next));
	kcap_put_u64(f, maj);
	kcap_put_u64(f, min);
	put_task_mm(f);
	return kcap_submit(f);
}

/* x86 page fault error code bits (arch/x86/include/asm/trap_pf.h). */
#define KCAP_X86_PF_PROT 0x1
#define KCAP_X86_PF_WRITE 0x2
#define KCAP_X86_PF_USER 0x4
#define KCAP_X86_PF_RSVD 0x8
#define KCAP_X86_PF_INSTR 0x10

static __always_inline __u32 kcap_pf_flags(unsigned long error)
{
	__u32 flags = error & KCAP_X86_PF_PROT ? PPM_PF_PROTECTION_VIOLATION : PPM_PF_PAGE_NOT_PRESENT;

	flags |= error & KCAP_X86_PF_WRITE ? PPM_PF_WRITE_ACCESS : PPM_PF_READ_ACCESS;
	flags |= error & KCAP_X86_PF_USER ? PPM_PF_USER_FAULT : PPM_PF_SUPERVISOR_FAULT;
	if (error & KCAP_X86_PF_RSVD)
		flags |= PPM_PF_RESERVED_PAGE;
	if (error & KCAP_X86_PF_INSTR)
		flags |= PPM_PF_INSTRUCTION_FETCH;
	return flags;
}

/* page_fault_user/page_fault_kernel(address, regs, error_code). */
static __always_inline int fill_page_fault(struct kcap_fctx *f)
{
	struct pt_regs *regs = (struct pt_regs *)kcap_hook_arg(f, 1);

	kcap_put_u64(f, kcap_hook_arg(f, 0));
	kcap_put_u64(f, kcap_regs_ip(f, regs));
	kcap_put_u32(f, kcap_pf_flags(kcap_hook_arg(f, 2)));
	return kcap_submit(f);
}

static __always_inline int fill_page_fault_user(struct kcap_fctx *f)
{
	return fill_page_fault(f);
}

static __always_inline int fill_page_fault_kernel(struct kcap_fctx *f)
{
	return fill_page_fault(f);
}

#define KCAP_SIGKILL 9
#define KCAP_SIGTERM 15
#define KCAP_SIGHUP 1
#define KCAP_SIGINT 2
#define KCAP_SIGQUIT 3
#define KCAP_SIGTSTP 20
#define KCAP_SIGCHLD 17
#define KCAP_SIGRTMIN 32
#define KCAP_SIGRTMAX 64
#define KCAP_SI_USER 0
#define KCAP_SI_QUEUE (-1)

/*
 * The sender of a signal, as libs tells it: from the siginfo, for the
 * signals whose siginfo names one (kill, a terminal's signals sent by a
 * process, a child's end, real-time signals); 0 otherwise.
 */
static __always_inline __s64 kcap_signal_sender(struct kcap_fctx *f, int sig,
						struct kernel_siginfo *info)
{
	int code;
	__s32 pid;

	if (kcap_siginfo(f, info, &code, &pid) < 0)
		return 0;
	switch (sig) {
	case KCAP_SIGKILL:
	case KCAP_SIGCHLD:
		return pid;
	case KCAP_SIGTERM:
	case KCAP_SIGHUP:
	case KCAP_SIGINT:
	case KCAP_SIGTSTP:
	case KCAP_SIGQUIT:
		return code == KCAP_SI_USER || code == KCAP_SI_QUEUE || code <= 0 ? pid : 0;
	default:
		return sig >= KCAP_SIGRTMIN && sig <= KCAP_SIGRTMAX ? pid : 0;
	}
}

/* signal_deliver(sig, info, ka): delivered to current. */
static __always_inline int fill_signal_deliver(struct kcap_fctx *f)
{
	int sig = (int)kcap_hook_arg(f, 0);
	struct kernel_siginfo *info = (struct kernel_siginfo *)kcap_hook_arg(f, 1);

	kcap_put_s64(f, kcap_signal_sender(f, sig, info));
	kcap_put_s64(f, kcap_current_tid());
	kcap_put_u8(f, (__u8)sig);
	return kcap_submit(f);
}

/*
 * kcap's own events (kcap-events.json). A TCP state change or retransmission
 * happens under the socket's lock: a process's (lock_sock: a syscall, or the
 * packets queued while it held the socket), or a softirq's (a packet arrived,
 * a timer fired). The latter belongs to no process: the task the softirq
 * interrupted is not the socket's owner, so the event has no thread, and is
 * in no process's scope.
 */

#define KCAP_IPADDR_LEN(family) ((family) == KCAP_AF_INET6 ? 16 : 4)

static __always_inline void put_inet_ends(struct kcap_fctx *f, const struct kcap_sock *in)
{
	__u32 alen = KCAP_IPADDR_LEN(in->family);
	bool inet = in->family == KCAP_AF_INET || in->family == KCAP_AF_INET6;

	if (inet)
		kcap_put_bytes(f, in->laddr, alen);
	else
		kcap_put_empty(f);
	kcap_put_u16(f, in->lport);
	if (inet)
		kcap_put_bytes(f, in->raddr, alen);
	else
		kcap_put_empty(f);
	kcap_put_u16(f, in->rport);
}

/*
 * The socket of a hook's first argument, and the scope of its event (the
 * hook's scope column is FILLER): a process's that holds the socket is the
 * current task's, a softirq's is in scope only when every process is and
 * has no thread. Then the family, first: 0, or -1 when out of scope.
 */
static __always_inline int begin_inet_event(struct kcap_fctx *f, struct kcap_sock *in)
{
	kcap_sk_sock(f, (struct sock *)kcap_hook_arg(f, 0), in);
	if (in->owned ? !kcap_scope_current() : !kcap_scope_all())
		return -1;
	if (!in->owned)
		kcap_event_no_thread(f);
	kcap_put_u8(f, (__u8)in->family);
	return 0;
}

/* inet_sock_set_state(sk, oldstate, newstate). */
static __always_inline int fill_inet_sock_set_state(struct kcap_fctx *f)
{
	struct kcap_sock in;

	if (begin_inet_event(f, &in) < 0)
		return 0;
	kcap_put_u16(f, in.protocol);
	put_inet_ends(f, &in);
	kcap_put_u8(f, (__u8)kcap_hook_arg(f, 1));
	kcap_put_u8(f, (__u8)kcap_hook_arg(f, 2));
	return kcap_submit(f);
}

/* do_swap_page(vmf) entry: the faulting address and when, for the return. */
static __always_inline int fill_do_swap_page(struct kcap_fctx *f)
{
	kcap_entry_save(f, KCAP_HOOK_do_swap_page, kcap_vmf_address(f, (void *)kcap_hook_arg(f, 0)));
	return 0;
}

/* do_swap_page returns: its vm_fault_t, the address and time since the entry. */
static __always_inline int fill_do_swap_page_ret(struct kcap_fctx *f)
{
	__u64 addr, ns;

	if (kcap_entry_take(f, KCAP_HOOK_do_swap_page, &addr, &ns) < 0)
		addr = ns = 0;
	kcap_put_u64(f, addr);
	kcap_put_u32(f, (__u32)kcap_hook_ret(f));
	kcap_put_u64(f, ns);
	return kcap_submit(f);
}

/* tcp_retransmit_skb(sk, skb, segs): a retransmission is attempted. */
static __always_inline int fill_tcp_retransmit_skb(struct kcap_fctx *f)
{
	struct kcap_sock in;

	if (begin_inet_event(f, &in) < 0)
		return 0;
	put_inet_ends(f, &in);
	kcap_put_u8(f, in.state);
	kcap_put_u32(f, (__u32)kcap_hook_arg(f, 2));
	return kcap_submit(f);
}

/*
 * bash's readline returns the line typed (a string it allocated), or NULL at
 * the end of input: no line, no event.
 */
static __always_inline int fill_bash_readline(struct kcap_fctx *f)
{
	const char *line = (const char *)kcap_hook_ret(f);

	if (!line)
		return 0;
	kcap_put_user_str(f, line);
	return kcap_submit(f);
}

/*
 * mysqld (MariaDB or MySQL) runs each command of a client in
 * dispatch_command: its entry stashes the command and its text, its
 * return makes the event, with the SQL error that my_message_sql raised in
 * between, if any. The arguments' order depends on the server (uprobe_abi).
 */
/* MariaDB's my_message_sql flags of a note or a warning (include/my_sys.h). */
#define KCAP_ME_NOTE 1024
#define KCAP_ME_WARNING 2048

/* MySQL's COM_DATA for COM_QUERY (include/mysql/com_data.h). */
struct kcap_com_query {
	__u64 query;
	__u32 length;
};

static __always_inline __u32 mysql_abi(void)
{
	return KCAP_SETTING(uprobe_abi[KCAP_HOOK_mysql_dispatch]);
}

static __always_inline int fill_mysql_dispatch(struct kcap_fctx *f)
{
	__u64 text = 0, len = 0, cmd, stale, ns;
	struct kcap_com_query q;

	if (mysql_abi() == KCAP_MYSQL_MYSQL8) {
		cmd = kcap_hook_arg(f, 2) & 0xff;
		if (cmd == KCAP_COM_QUERY &&
		    !kcap_read_user(f, &q, (const void *)kcap_hook_arg(f, 1), sizeof(q))) {
			text = q.query;
			len = q.length;
		}
	} else {
		cmd = kcap_hook_arg(f, 0) & 0xff;
		text = kcap_hook_arg(f, 2);
		len = (__u32)kcap_hook_arg(f, 3);
	}
	/* An error raised outside a command is not this command's. */
	kcap_entry_take(f, KCAP_HOOK_mysql_error, &stale, &ns);
	/* The text now: the reply overwrites the buffer it is in before the return. */
	kcap_entry_save_text(f, KCAP_HOOK_mysql_dispatch, (const void *)text, (__u32)len);
	kcap_entry_save(f, KCAP_HOOK_mysql_dispatch, cmd);
	return 0;
}

/* my_message_sql(error, text, flags): an error is sent to the client. */
static __always_inline int fill_mysql_error(struct kcap_fctx *f)
{
	if (mysql_abi() == KCAP_MYSQL_MARIADB &&
	    (kcap_hook_arg(f, 2) & (KCAP_ME_NOTE | KCAP_ME_WARNING)))
		return 0;
	kcap_entry_save(f, KCAP_HOOK_mysql_error, (__u32)kcap_hook_arg(f, 0));
	return 0;
}

/* dispatch_command returns: MariaDB's dispatch_command_return, MySQL's bool. */
static __always_inline int fill_mysql_query(struct kcap_fctx *f)
{
	__u64 cmd, ns, error, ens;
	__s32 status = (__s32)kcap_hook_ret(f);

	if (kcap_entry_take(f, KCAP_HOOK_mysql_dispatch, &cmd, &ns) < 0)
		return 0;	/* the command began before the probe */
	if (kcap_entry_take(f, KCAP_HOOK_mysql_error, &error, &ens) < 0)
		error = 0;
	if (mysql_abi() == KCAP_MYSQL_MYSQL8)
		status &= 0xff;
	kcap_put_u8(f, (__u8)cmd);
	kcap_put_entry_text(f, KCAP_HOOK_mysql_dispatch);
	kcap_put_u32(f, (__u32)status);
	kcap_put_u32(f, (__u32)error);
	kcap_put_u64(f, ns);
	return kcap_submit(f);
}

#endif /* KCAP_FILLERS_HOOKS_H */
