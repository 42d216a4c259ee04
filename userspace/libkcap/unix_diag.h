/* SPDX-License-Identifier: MIT */
/*
 * The unix sockets of a network namespace, from the kernel's sock_diag
 * netlink interface (as ss does). /proc/net/unix prints a socket's name as
 * it is, newlines included, so a name can forge a line that claims another
 * socket's inode; sock_diag's binary records cannot be forged.
 */
#ifndef KCAP_UNIX_DIAG_H
#define KCAP_UNIX_DIAG_H

#include <stdint.h>

/* Called per socket with its inode and its name as /proc/net/unix shows it; -1 fails. */
typedef int (*kcap_unix_sock_fn)(void *arg, uint64_t ino, const char *name);

/*
 * Lists the unix sockets of the network namespace of the process whose
 * /proc directory is pdir. 0 when done; -1 when sock_diag cannot be used
 * (no unix_diag in the kernel, no privilege to enter the namespace; add may
 * have been called for some): the caller falls back to /proc/net/unix; -2
 * when add failed; -3 when the calling thread could not return to its own
 * network namespace.
 */
int kcap_unix_diag(int pdir, kcap_unix_sock_fn add, void *arg);

#endif /* KCAP_UNIX_DIAG_H */
