/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The filler table: which filler builds the parameters of each event. One
 * list names every filler; the enum, the names the backends look programs up
 * by and the per-event table all come from it, so they cannot disagree.
 * An event without a filler is emitted as the generic syscall event.
 */
#ifndef KCAP_FILLER_TABLE_H
#define KCAP_FILLER_TABLE_H

#include "ppm_events_public.h"

/* procexit is filled by its own tracepoint program; the rest are tail-called. */
#define KCAP_FILLERS(X)		\
	X(procexit_e)		\
	KCAP_SYSCALL_FILLERS(X)

#define KCAP_SYSCALL_FILLERS(X)	\
	X(generic_x)		\
	X(close_x)		\
	X(read_x)		\
	X(write_x)		\
	X(open_x)		\
	X(openat_x)		\
	X(creat_x)		\
	X(unlink_x)		\
	X(unlinkat_x)		\
	X(mkdir_x)		\
	X(rmdir_x)		\
	X(chdir_x)		\
	X(fchdir_x)		\
	X(dup_x)		\
	X(kill_x)		\
	X(setuid_x)		\
	X(setgid_x)

enum kcap_filler_id {
	KCAP_FILLER_NONE = 0,
#define KCAP_FILLER_ENUM(name) KCAP_FILLER_##name,
	KCAP_FILLERS(KCAP_FILLER_ENUM)
#undef KCAP_FILLER_ENUM
	KCAP_FILLER_MAX
};

/* Filler of each event type; KCAP_FILLER_NONE where kcap has none yet. */
extern const __u8 g_event_filler[PPM_EVENT_MAX];
/* "close_x" for KCAP_FILLER_close_x: backends find their code by this name. */
extern const char *const g_filler_names[KCAP_FILLER_MAX];

#endif /* KCAP_FILLER_TABLE_H */
