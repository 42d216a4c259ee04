/* SPDX-License-Identifier: MIT */
/*
 * The thread table: who each tid is (process name, pid, cwd) and what its
 * process's file descriptors are. Loaded from a section's process and fd
 * lists, then kept current from clone/fork/execve/exit, open/close, socket
 * and connect events.
 */
#ifndef KCAP_THREADS_H
#define KCAP_THREADS_H

#include <stdint.h>

#include "container.h"
#include "event.h"
#include "meta.h"

#define KCAP_COMM_LEN 64
/* The kernel's PATH_MAX: a longer path is not kept (cut, and counted). */
#define KCAP_PATH_MAX 4096
/* What the whole table may hold: threads, fds, names, paths. */
#define KCAP_STATE_MAX_BYTES (128u << 20)
#define KCAP_AT_FDCWD (-100)

struct kcap_sbuf;

struct kcap_thread {
	int64_t tid;
	int64_t pid;
	int64_t ptid;
	char comm[KCAP_COMM_LEN];
	char *exe;		/* shared strings (shstr.h); NULL: unknown */
	char *cwd;
	int64_t enter_fd;	/* fd of its last enter event, for old exit events */
	int32_t enter_native;	/* nativeID of its last generic enter event, or -1 */
	uint32_t enter_domain, enter_socktype;	/* of its last socket enter event */
	int64_t uid;		/* its user, or -1 when unknown */
	int64_t gid;		/* its group, or -1 when unknown */
	char *args;		/* shared: argv[1..], each NUL-terminated; NULL: unknown */
	char *cgroups;		/* shared: "subsys=path" strings, each NUL-terminated */
	char container[KCAP_CONTAINER_ID_LEN + 1];	/* "": none (the host) */
};

struct kcap_threads;

/* What the table could not keep. */
struct kcap_threads_cuts {
	uint64_t paths;		/* longer than KCAP_PATH_MAX */
	uint64_t entries;	/* threads, fds or names past KCAP_STATE_MAX_BYTES */
};

struct kcap_threads *kcap_threads_new(void);
void kcap_threads_free(struct kcap_threads *t);
/*
 * Forgets everything, then imports the process list and fd lists of m; -1
 * when out of memory (what could be kept is kept).
 */
int kcap_threads_load(struct kcap_threads *t, const struct kcap_meta *m);
/*
 * Applies what ev changes (new threads, exec, exit, new or closed fds). Call
 * it before showing ev, so that an open exit shows its fd's name; removals
 * (a thread's exit, a close) take effect at the next call, so that the event
 * doing the removing still shows what it removes. -1 when out of memory.
 */
int kcap_threads_update(struct kcap_threads *t, const struct kcap_evt *ev);
/*
 * The directory tid's relative paths start from: dirfd's when it names a
 * directory, the cwd for KCAP_AT_FDCWD. Absolute, or NULL when unknown.
 */
const char *kcap_threads_dir(const struct kcap_threads *t, int64_t tid, int64_t dirfd);
const struct kcap_thread *kcap_threads_find(const struct kcap_threads *t, int64_t tid);
/* The name of user uid in the file's user list, or NULL. */
const char *kcap_threads_user(const struct kcap_threads *t, uint32_t uid);
/*
 * The name of fd in tid's process with its type letter, as sysdig shows it:
 * "<f>/etc/passwd", "<4t>127.0.0.1:80->...". NULL when unknown.
 */
const char *kcap_threads_fd_name(const struct kcap_threads *t, int64_t tid, int64_t fd);
/* Whether a name kcap_threads_fd_name gave is a userfaultfd's ("<u>", as a unix socket's). */
bool kcap_threads_fd_is_userfaultfd(const char *name);
uint64_t kcap_threads_count(const struct kcap_threads *t);
/*
 * The fd ev works on (t: its thread, or NULL): the one an exit event made
 * (open, socket, accept), else its fd parameter, else for an old exit
 * event without one, the fd of its enter event. False when there is none.
 */
bool kcap_event_fd(const struct kcap_evt *ev, const struct kcap_thread *t, int64_t *fd);
/*
 * Adds to m the processes and fds the table holds now, for a file that
 * starts mid-capture (a rotated one): what the table knows of each thread
 * (ids, name, exe, args, cwd, uid, gid, cgroups) and each fd (type, name,
 * addresses and ports). -1 when out of memory (m holds what was added).
 */
int kcap_threads_export(const struct kcap_threads *t, struct kcap_meta *m);
/*
 * Whether events of type change what the table holds (clone, execve, exit,
 * open, close, socket, connect...): what a filtered capture still writes,
 * as state only, so that its file names every process and fd.
 */
bool kcap_event_changes_state(uint16_t type);
const struct kcap_threads_cuts *kcap_threads_cuts(const struct kcap_threads *t);

/*
 * path resolved against the absolute directory dir (ignored when path is
 * absolute), with "." and ".." taken as text, as sysdig does, into b.
 * 0, 1 when the result is longer than KCAP_PATH_MAX, -1 out of memory.
 */
int kcap_path_join(struct kcap_sbuf *b, const char *dir, const char *path);

#endif /* KCAP_THREADS_H */
