/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Which processes are captured: the scope filter, written once for both
 * drivers over the backend's primitives. Today's scope is a process (the
 * reader itself never: it would capture its own reads), with or without
 * its descendants; the descendants are a set of up to KCAP_TRACED_MAX thread
 * groups, and a fork past that is counted (scope_full), never silent.
 *
 * Backend primitives:
 *   KCAP_SETTING(field)             a field of struct kcap_settings
 *   kcap_traced_has(tgid)           the tgid is in the followed set
 *   kcap_traced_add(tgid)           adds it; 0, or -1 when the set is full
 *   KCAP_COUNT(field)               counts one on this CPU (struct kcap_counters)
 */
#ifndef KCAP_SCOPE_H
#define KCAP_SCOPE_H

static __always_inline bool kcap_scope_traced(__u32 tgid)
{
	__u32 filter = KCAP_SETTING(filter_tgid), skip = KCAP_SETTING(skip_tgid);

	if (tgid == skip && skip)	/* 0: none; the idle tasks' tgid is 0 too */
		return false;
	if (!filter || tgid == filter)
		return true;
	return KCAP_SETTING(follow_children) && kcap_traced_has(tgid);
}

/*
 * An event that belongs to no process (a softirq's) is in scope only when
 * every process is: the task it interrupted is not its owner.
 */
static __always_inline bool kcap_scope_all(void)
{
	return !KCAP_SETTING(filter_tgid);
}

/* A fork: the child of a followed process is followed too. */
static __always_inline void kcap_scope_fork(__u32 parent_tgid, __u32 child_tgid)
{
	if (!KCAP_SETTING(filter_tgid) || !KCAP_SETTING(follow_children) ||
	    !kcap_scope_traced(parent_tgid))
		return;
	if (kcap_traced_add(child_tgid) < 0)
		KCAP_COUNT(scope_full);
}

#endif /* KCAP_SCOPE_H */
