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

/*
 * procexit is filled by its own tracepoint program; the rest are tail-called.
 * One block per family of fillers (fillers_<family>.h), so that families can
 * grow independently; enter fillers are named _e, exit fillers _x.
 */
#define KCAP_FILLERS(X)		\
	X(procexit_e)		\
	KCAP_SYSCALL_FILLERS(X)

#define KCAP_SYSCALL_FILLERS(X)	\
	X(generic_e)		\
	X(generic_x)		\
	X(empty_e)		\
	KCAP_IO_FILLERS(X)	\
	KCAP_PATH_FILLERS(X)	\
	KCAP_NET_FILLERS(X)	\
	KCAP_PROC_FILLERS(X)	\
	KCAP_MEM_FILLERS(X)

/* fillers_io.h: open, read, write and the other fd syscalls. */
#define KCAP_IO_FILLERS(X)	\
	X(close_e)		\
	X(close_x)		\
	X(read_e)		\
	X(read_x)		\
	X(write_e)		\
	X(write_x)		\
	X(open_e)		\
	X(open_x)		\
	X(openat_e)		\
	X(openat_x)		\
	X(creat_e)		\
	X(creat_x)		\
	X(dup_e)		\
	X(dup_x)

/* fillers_path.h: syscalls on paths and the filesystem tree. */
#define KCAP_PATH_FILLERS(X)	\
	X(unlink_x)		\
	X(unlinkat_x)		\
	X(mkdir_e)		\
	X(mkdir_x)		\
	X(rmdir_x)		\
	X(chdir_x)		\
	X(fchdir_e)		\
	X(fchdir_x)

/* fillers_net.h: sockets. */
#define KCAP_NET_FILLERS(X)

/* fillers_proc.h: processes, threads, signals, credentials. */
#define KCAP_PROC_FILLERS(X)	\
	X(kill_e)		\
	X(kill_x)		\
	X(setuid_e)		\
	X(setuid_x)		\
	X(setgid_e)		\
	X(setgid_x)		\
	X(clone_x)		\
	X(clone3_x)		\
	X(fork_x)		\
	X(vfork_x)		\
	X(execve_e)		\
	X(execve_x)		\
	X(execveat_e)		\
	X(execveat_x)

/* fillers_mem.h: memory mappings. */
#define KCAP_MEM_FILLERS(X)

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
