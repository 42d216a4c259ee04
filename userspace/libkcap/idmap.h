/* SPDX-License-Identifier: MIT */
/*
 * A hash map from a pair of int64 (a tid; a pid and an fd number) to a
 * pointer: open addressing, linear probing, backward-shift deletion. The
 * keys come from files, so the hash is SipHash-1-3 under a key drawn at
 * random per map: a file cannot choose keys that collide.
 */
#ifndef KCAP_IDMAP_H
#define KCAP_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct kcap_idslot {
	int64_t a, b;
	void *val;		/* NULL: empty slot */
};

struct kcap_idmap {
	struct kcap_idslot *slots;
	size_t cap, used;	/* cap is a power of two, or 0 */
	uint64_t k0, k1;	/* SipHash key */
};

/* An empty map with a fresh random key. */
void kcap_idmap_init(struct kcap_idmap *m);
void *kcap_idmap_get(const struct kcap_idmap *m, int64_t a, int64_t b);
/*
 * Stores val under (a, b); the value it replaces is returned in *old (NULL
 * when there was none). -1 when out of memory, with nothing changed.
 */
int kcap_idmap_put(struct kcap_idmap *m, int64_t a, int64_t b, void *val, void **old);
/* Removes (a, b) and returns its value, or NULL. */
void *kcap_idmap_del(struct kcap_idmap *m, int64_t a, int64_t b);
/* Calls drop on every value, then empties the map (same key). */
void kcap_idmap_clear(struct kcap_idmap *m, void (*drop)(void *val, void *arg), void *arg);
/* Bytes the slot array takes. */
size_t kcap_idmap_bytes(const struct kcap_idmap *m);

#endif /* KCAP_IDMAP_H */
