/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Which processes are captured: the scope filter (struct kcap_scope in
 * kcap_abi.h), written once for both drivers over the backend's primitives
 * and checked before an event is begun, so that an event out of scope costs
 * this check alone. Fields are checked cheapest first and only when set; an
 * empty scope costs one load. The reader itself is never in scope: it would
 * capture its own reads.
 *
 * The pid field's descendants are a set of up to KCAP_TRACED_MAX thread
 * groups; a fork past that is counted (scope_full), never silent.
 *
 * The current task is read once per event, into a handle (struct kcap_cur,
 * the backend's: BPF keeps the task's BTF pointer, so that each field is a
 * load rather than a helper call), and the fields are read through it.
 *
 * Backend primitives:
 *   KCAP_SETTING(field)             a field of struct kcap_settings
 *   KCAP_COUNT(field)               counts one on this CPU (struct kcap_counters)
 *   kcap_traced_has(tgid)           the tgid is in the followed set
 *   kcap_traced_add(tgid)           adds it; 0, or -1 when the set is full
 *   kcap_current(cur)               the current task into the handle
 *   kcap_cur_id(cur)                tgid << 32 | tid of the task
 *   kcap_cur_uid_gid(cur)           gid << 32 | uid, the real ones
 *   kcap_cur_comm(cur, comm)        its comm, NUL-padded into two words
 *   kcap_cur_cgroup_at(cur, level)  id of its cgroup v2's ancestor at level (the
 *                                   cgroup itself at its own level); 0 past it
 *   kcap_cur_cgroup_key(cur)        a number its cgroup v2 alone has in this boot
 *                                   (never reused), read cheaply; 0: none
 *   kcap_cgroup_cache_get(key)      this CPU's last answer of the cgroup field
 *                                   for the cgroup of that key: 0 or 1; -1 none
 *   kcap_cgroup_cache_put(key, hit) keeps it
 *   kcap_cur_mntns(cur)             inode number of its mount namespace
 *   kcap_cur_pidns(cur)             inode number of its pid namespace
 */
#ifndef KCAP_SCOPE_H
#define KCAP_SCOPE_H

#define KCAP_SCOPE_SET(field) (KCAP_SETTING(scope.fields) & (1u << (field)))

/* Whether a field that is set lets the process through: one of its values matched, or negated none. */
static __always_inline bool kcap_scope_pass(__u32 field, bool matched)
{
	return matched != !!(KCAP_SETTING(scope.negate) & (1u << field));
}

/* The u32 value v is one of the field's values (vals: the field's array). */
#define KCAP_SCOPE_HAS(vals, field, v)						\
	({									\
		__u32 n_ = KCAP_SETTING(scope.n[field]);			\
		bool hit_ = false;						\
		int i_;								\
										\
		for (i_ = 0; i_ < KCAP_SCOPE_VALUES; i_++) {			\
			if (i_ >= n_)						\
				break;						\
			if (KCAP_SETTING(scope.vals[i_]) == (v)) {		\
				hit_ = true;					\
				break;						\
			}							\
		}								\
		hit_;								\
	})

/* The pid field alone: the tgid is one of its values, or descends from one. */
static __always_inline bool kcap_scope_pid_matches(__u32 tgid)
{
	return KCAP_SCOPE_HAS(pid, KCAP_SCOPE_PID, tgid) ||
	       (KCAP_SETTING(scope.follow) && kcap_traced_has(tgid));
}

static __always_inline bool kcap_scope_comm_matches(const struct kcap_cur *cur)
{
	__u64 comm[2];
	__u32 n = KCAP_SETTING(scope.n[KCAP_SCOPE_COMM]);
	bool hit = false;
	int i;

	kcap_cur_comm(cur, comm);
	for (i = 0; i < KCAP_SCOPE_VALUES; i++) {
		if (i >= n)
			break;
		if (KCAP_SETTING(scope.comm[i][0]) == comm[0] &&
		    KCAP_SETTING(scope.comm[i][1]) == comm[1]) {
			hit = true;
			break;
		}
	}
	return hit;
}

/*
 * Whether the task's cgroup is one of the field's or under one: a walk to an
 * ancestor per value, a few reads each. The tasks that follow each other on
 * a CPU are mostly of one cgroup, so the answer is kept per CPU for the
 * cgroup it was for.
 */
static __always_inline bool kcap_scope_cgroup_matches(const struct kcap_cur *cur)
{
	__u32 n = KCAP_SETTING(scope.n[KCAP_SCOPE_CGROUP]);
	__u64 key = kcap_cur_cgroup_key(cur);
	int cached = kcap_cgroup_cache_get(key);
	bool hit = false;
	int i;

	if (cached >= 0)
		return cached;
	for (i = 0; i < KCAP_SCOPE_VALUES; i++) {
		if (i >= n)
			break;
		if (kcap_cur_cgroup_at(cur, KCAP_SETTING(scope.cgroup_level[i])) ==
		    KCAP_SETTING(scope.cgroup[i])) {
			hit = true;
			break;
		}
	}
	kcap_cgroup_cache_put(key, hit);
	return hit;
}

/* The fields past pid, each read from the current task only when set, cheapest first. */
static __always_inline bool kcap_scope_task(const struct kcap_cur *cur)
{
	__u64 ids;

	if (KCAP_SCOPE_SET(KCAP_SCOPE_UID) || KCAP_SCOPE_SET(KCAP_SCOPE_GID)) {
		ids = kcap_cur_uid_gid(cur);
		if (KCAP_SCOPE_SET(KCAP_SCOPE_UID) &&
		    !kcap_scope_pass(KCAP_SCOPE_UID, KCAP_SCOPE_HAS(uid, KCAP_SCOPE_UID, (__u32)ids)))
			return false;
		if (KCAP_SCOPE_SET(KCAP_SCOPE_GID) &&
		    !kcap_scope_pass(KCAP_SCOPE_GID, KCAP_SCOPE_HAS(gid, KCAP_SCOPE_GID, ids >> 32)))
			return false;
	}
	if (KCAP_SCOPE_SET(KCAP_SCOPE_COMM) &&
	    !kcap_scope_pass(KCAP_SCOPE_COMM, kcap_scope_comm_matches(cur)))
		return false;
	if (KCAP_SCOPE_SET(KCAP_SCOPE_MNTNS) &&
	    !kcap_scope_pass(KCAP_SCOPE_MNTNS,
			     KCAP_SCOPE_HAS(mntns, KCAP_SCOPE_MNTNS, kcap_cur_mntns(cur))))
		return false;
	if (KCAP_SCOPE_SET(KCAP_SCOPE_PIDNS) &&
	    !kcap_scope_pass(KCAP_SCOPE_PIDNS,
			     KCAP_SCOPE_HAS(pidns, KCAP_SCOPE_PIDNS, kcap_cur_pidns(cur))))
		return false;
	/* Last: a walk to an ancestor per value. */
	return !KCAP_SCOPE_SET(KCAP_SCOPE_CGROUP) ||
	       kcap_scope_pass(KCAP_SCOPE_CGROUP, kcap_scope_cgroup_matches(cur));
}

/* The current task (cur), of thread group tgid, is in scope. */
static __always_inline bool kcap_scope_traced(const struct kcap_cur *cur, __u32 tgid)
{
	__u32 skip = KCAP_SETTING(skip_tgid);

	if (tgid == skip && skip)	/* 0: none; the idle tasks' tgid is 0 too */
		return false;
	if (!KCAP_SETTING(scope.fields))
		return true;
	if (KCAP_SCOPE_SET(KCAP_SCOPE_PID) &&
	    !kcap_scope_pass(KCAP_SCOPE_PID, kcap_scope_pid_matches(tgid)))
		return false;
	return KCAP_SETTING(scope.fields) == (1u << KCAP_SCOPE_PID) || kcap_scope_task(cur);
}

/* The current task is in scope: for a hook that has not read it yet. */
static __always_inline bool kcap_scope_current(void)
{
	struct kcap_cur cur;

	kcap_current(&cur);
	return kcap_scope_traced(&cur, kcap_cur_id(&cur) >> 32);
}

/*
 * An event that belongs to no process (a softirq's) is in scope only when
 * every process is: the task it interrupted is not its owner.
 */
static __always_inline bool kcap_scope_all(void)
{
	return !KCAP_SETTING(scope.fields);
}

/* A fork: the child of a followed process is followed too, whatever the other fields say. */
static __always_inline void kcap_scope_fork(__u32 parent_tgid, __u32 child_tgid)
{
	if (!KCAP_SCOPE_SET(KCAP_SCOPE_PID) || !KCAP_SETTING(scope.follow) ||
	    !kcap_scope_pid_matches(parent_tgid))
		return;
	if (kcap_traced_add(child_tgid) < 0)
		KCAP_COUNT(scope_full);
}

#endif /* KCAP_SCOPE_H */
