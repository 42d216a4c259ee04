/* SPDX-License-Identifier: MIT */
/*
 * Builds a capture's metadata from the live system, as libscap does at
 * capture start: machine info, every thread of every process and the open
 * fds of each process (from procfs), interfaces (getifaddrs) and the user
 * and group databases.
 */
#ifndef KCAP_PROC_SCAN_H
#define KCAP_PROC_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "meta.h"

/*
 * Fills m from procfs (normally "/proc"; tests may pass another directory),
 * getifaddrs and the user/group databases. Returns 0, or -1 with a one-line
 * reason in err. m must be initialized; on failure it holds what was scanned
 * so far, so kcap_meta_free it either way. Processes that vanish during the
 * scan are skipped silently.
 */
int kcap_scan_system(struct kcap_meta *m, const char *procfs, char *err, size_t errlen);

/* The parts, for tests and callers that want less. */
void kcap_scan_machine(struct kcap_machine *mi, const char *procfs);
/* Threads of process pid; returns how many were added (0: gone) or -1. */
int kcap_scan_process(struct kcap_meta *m, const char *procfs, int pid, char *err,
		      size_t errlen);
/* Open fds of process pid, owned by its main thread; count added or -1. */
int kcap_scan_fds(struct kcap_meta *m, const char *procfs, int pid, char *err, size_t errlen);
int kcap_scan_ifaces(struct kcap_meta *m, char *err, size_t errlen);
int kcap_scan_users(struct kcap_meta *m, char *err, size_t errlen);

/*
 * Unix socket names come from sock_diag where the kernel has it, else from
 * net/unix (where a name shared by two lines is not trusted). Tests turn
 * sock_diag off to check the fallback on this machine.
 */
void kcap_scan_use_sock_diag(bool on);

/* Linux open flags (as in /proc/<pid>/fdinfo "flags:") to PPM_O_* bits. */
uint32_t kcap_open_flags_to_ppm(uint32_t flags);
/* A dev_t in the kernel's "new" 32-bit encoding used by FILE_V2 fds. */
uint32_t kcap_dev_encode(uint64_t dev);

#endif /* KCAP_PROC_SCAN_H */
