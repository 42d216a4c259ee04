/* SPDX-License-Identifier: MIT */
/*
 * The scope of a capture as users write it (--scope, after Tracee's): one
 * expression per field, FIELD=V[,V...] or FIELD!=V[,V...], or "follow".
 * Fields: pid, uid, gid (numbers or names), comm, cgroup (a cgroup v2 path),
 * container (an id or a prefix of one: its cgroup v2), mntns, pidns (inode
 * numbers). A process is captured when every field given matches it;
 * several values of a field match any of them, != none of them. The drivers
 * evaluate the result (struct kcap_scope) before they build an event.
 */
#ifndef KCAP_SCOPE_SPEC_H
#define KCAP_SCOPE_SPEC_H

#include <stddef.h>
#include <linux/types.h>

#include "kcap_abi.h"

/*
 * Adds one expression to s; -1 with a one-line err on a bad field or value,
 * a name no user or group has, a path that is no cgroup, no running container
 * of that id, or more than KCAP_SCOPE_VALUES values. procfs and cgroupfs:
 * where /proc and the cgroup v2 mount are (NULL: found from /proc).
 */
int kcap_scope_parse(struct kcap_scope *s, const char *expr, const char *procfs,
		     const char *cgroupfs, char *err, size_t errlen);

/* s as expressions ("uid!=0 comm=bash,sh"), for reports; "" when empty. */
void kcap_scope_describe(const struct kcap_scope *s, char *buf, size_t len);

#endif /* KCAP_SCOPE_SPEC_H */
