/* SPDX-License-Identifier: MIT */
/*
 * sysdig filter expressions over the fields of fields.h:
 *
 *   evt.type in (open, openat) and not proc.name startswith "ba" or fd.num > 2
 *
 * A check is FIELD OP VALUE, FIELD in (V1, V2 ...) or FIELD exists; OP is
 * one of = == != < <= > >= contains icontains startswith endswith glob.
 * `not` binds tighter than `and`, `and` tighter than `or`; parentheses
 * group. A value is a bare word or quoted ('...' or "...", \ escapes the
 * quote). A check of a field the event lacks is false, whatever its
 * operator. A filter is compiled once into a tree; evt.type checks become a
 * lookup in a table of event types.
 */
#ifndef KCAP_FILTER_H
#define KCAP_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "threads.h"

struct kcap_filter;

/* The compiled filter, or NULL with err naming the column of the fault. */
struct kcap_filter *kcap_filter_compile(const char *s, char *err, size_t errlen);
void kcap_filter_free(struct kcap_filter *f);

/* Whether event num matches; th may be NULL (no thread fields then). */
bool kcap_filter_match(struct kcap_filter *f, uint64_t num, const struct kcap_evt *ev,
		       const struct kcap_threads *th);

/*
 * The event types the filter can match (KCAP_EVENT_MAX entries): every type
 * but those its evt.type checks rule out whatever the other fields say.
 * What a capture asks the kernel for.
 */
void kcap_filter_types(const struct kcap_filter *f, bool *types);

/* The process every match must belong to (a top-level proc.pid = N), if any. */
bool kcap_filter_pid(const struct kcap_filter *f, int64_t *pid);

#endif /* KCAP_FILTER_H */
