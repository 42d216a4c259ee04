/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Row builders for the generated event and dynamic-parameter tables. The
 * parameter count of an event is the size of its parameter list, so the two
 * cannot disagree.
 */
#ifndef KCAP_EVENT_TABLE_MACROS_H
#define KCAP_EVENT_TABLE_MACROS_H

#include "ppm_events_public.h"

#define PARAM(n, t, f) \
	{ .name = (n), .type = (t), .fmt = (f), .dirfd = PPM_NO_DIRFD }
#define PARAM_FLAGS(n, t, f, table) \
	{ .name = (n), .type = (t), .fmt = (f), .flags = &(table), .dirfd = PPM_NO_DIRFD }
#define PARAM_DYN(n, f, table) \
	{ .name = (n), .type = PT_DYN, .fmt = (f), .dyn = &(table), .dirfd = PPM_NO_DIRFD }
#define PARAM_REL(n, f, index) \
	{ .name = (n), .type = PT_FSRELPATH, .fmt = (f), .dirfd = (index) }

#define PARAM_LIST(...) ((const struct ppm_param_info[]){ __VA_ARGS__ })

#define EVENT(n, cat, fl, ...) {						\
	.name = (n), .category = (cat), .flags = (fl),				\
	.nparams = sizeof(PARAM_LIST(__VA_ARGS__)) / sizeof(struct ppm_param_info), \
	.params = PARAM_LIST(__VA_ARGS__) }
#define EVENT_NOPARAMS(n, cat, fl) \
	{ .name = (n), .category = (cat), .flags = (fl), .nparams = 0, .params = 0 }

#endif /* KCAP_EVENT_TABLE_MACROS_H */
