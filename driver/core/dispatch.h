/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The prologue every hook runs before its filler, written once for both
 * drivers: capture on, the scope filter, the nesting guard, the event begun
 * with the parameter count the schema gives. The syscall hooks run it per
 * syscall row; the other hooks per the hook table (hook_table.h).
 *
 * Nesting: a hook may fire while another one builds an event on the same
 * CPU (a page fault inside a filler's read of user memory). The backend's
 * nest guard either gives the nested event its own room (BPF: a scratch area
 * per nesting level) or refuses it; a refusal is counted (drops_nested).
 *
 * Backend primitives, beside scope.h's:
 *   kcap_current_id()               tgid << 32 | tid of the current task, in one read
 *                                   (for fillers; the prologue reads kcap_current())
 *   kcap_nest_enter(f)              0, or -1 (counted) when it cannot nest
 *   kcap_nest_leave(f)
 *   kcap_begin_event(f, type, nparams, tid)
 *                                   0, or -1 (counted) when it cannot start
 */
#ifndef KCAP_DISPATCH_H
#define KCAP_DISPATCH_H

#include "event_nparams.h"
#include "scope.h"

static __always_inline __u32 kcap_current_tgid(void)
{
	return kcap_current_id() >> 32;
}

static __always_inline __u32 kcap_current_tid(void)
{
	return (__u32)kcap_current_id();
}

/*
 * The prologue, once capture is known to be on: the current task in scope
 * (unless the filler scopes the event: current_scope false), a nesting level
 * entered and event type begun for it; 0, or -1 when the event is not to be
 * built. On 0 the caller fills, then leaves the level. The _id form is for a
 * caller that has read the current task (cur) and its kcap_cur_id() already.
 */
static __always_inline int kcap_prologue_id(struct kcap_fctx *f, __u16 type, __u32 nparams,
					    bool current_scope, const struct kcap_cur *cur,
					    __u64 id)
{
	if ((current_scope && !kcap_scope_traced(cur, id >> 32)) || kcap_nest_enter(f) < 0)
		return -1;
	if (kcap_begin_event(f, type, nparams, (__u32)id) < 0) {
		kcap_nest_leave(f);
		return -1;
	}
	return 0;
}

static __always_inline int kcap_prologue(struct kcap_fctx *f, __u16 type, __u32 nparams,
					 bool current_scope)
{
	struct kcap_cur cur;

	kcap_current(&cur);
	return kcap_prologue_id(f, type, nparams, current_scope, &cur, kcap_cur_id(&cur));
}

/*
 * A hook of the hook table: with an event, the prologue (the cheap checks
 * first, before anything is reserved), the filler and the end of the
 * nesting level; without one (bookkeeping), the filler alone.
 */
static __always_inline int kcap_run_hook(struct kcap_fctx *f, __u16 event, bool current_scope,
					 int (*fill)(struct kcap_fctx *f))
{
	if (!event)
		return fill(f);
	if (!KCAP_SETTING(capture) ||
	    kcap_prologue(f, event, g_event_nparams[event], current_scope) < 0)
		return 0;
	fill(f);
	kcap_nest_leave(f);
	return 0;
}

#endif /* KCAP_DISPATCH_H */
