/* SPDX-License-Identifier: MIT */
/*
 * Shared strings: immutable, reference-counted byte strings. The threads of
 * one process share their exe, args, environment and cwd; a dup'ed fd shares
 * its name. Without sharing, a capture of 20,000 idle threads would hold
 * 20,000 copies of the same environment.
 *
 * A shared string is a plain char pointer to len bytes and a NUL; its count
 * and length sit just before it. Never write through it, never free() it.
 */
#ifndef KCAP_SHSTR_H
#define KCAP_SHSTR_H

#include <stddef.h>
#include <stdint.h>

/* A new string of len bytes (a NUL follows); NULL when out of memory. */
char *kcap_shstr_new(const void *data, size_t len);
/* Another reference to s (NULL stays NULL). */
char *kcap_shstr_ref(char *s);
/* Drops a reference; returns the bytes freed (0 while others hold s). */
size_t kcap_shstr_unref(char *s);
size_t kcap_shstr_len(const char *s);
/* Bytes a string of len bytes takes, header included: what limits count. */
size_t kcap_shstr_cost(size_t len);

#endif /* KCAP_SHSTR_H */
