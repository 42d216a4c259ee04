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

#include "event.h"
#include "meta.h"

#define KCAP_COMM_LEN 64

struct kcap_thread {
	int64_t tid;
	int64_t pid;
	int64_t ptid;
	char comm[KCAP_COMM_LEN];
	char *exe;
	char *cwd;
	int64_t enter_fd;	/* fd of its last enter event, for old exit events */
};

struct kcap_threads;

struct kcap_threads *kcap_threads_new(void);
void kcap_threads_free(struct kcap_threads *t);
/* Forgets everything, then imports the process list and fd lists of m. */
int kcap_threads_load(struct kcap_threads *t, const struct kcap_meta *m);
/*
 * Applies what ev changes (new threads, exec, exit, new or closed fds). Call
 * it before showing ev, so that an open exit shows its fd's name; removals
 * (a thread's exit, a close) take effect at the next call, so that the event
 * doing the removing still shows what it removes.
 */
void kcap_threads_update(struct kcap_threads *t, const struct kcap_evt *ev);
const struct kcap_thread *kcap_threads_find(const struct kcap_threads *t, int64_t tid);
/*
 * The name of fd in tid's process with its type letter, as sysdig shows it:
 * "<f>/etc/passwd", "<4t>127.0.0.1:80->...". NULL when unknown.
 */
const char *kcap_threads_fd_name(const struct kcap_threads *t, int64_t tid, int64_t fd);
uint64_t kcap_threads_count(const struct kcap_threads *t);

#endif /* KCAP_THREADS_H */
