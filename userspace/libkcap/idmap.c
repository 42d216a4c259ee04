// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "idmap.h"

static inline uint64_t rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND							\
	do {								\
		v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32); \
		v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;		\
		v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;		\
		v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32); \
	} while (0)

/* SipHash-1-3 of the 16 bytes (a, b). */
static uint64_t siphash(const struct kcap_idmap *m, int64_t a, int64_t b)
{
	uint64_t v0 = m->k0 ^ 0x736f6d6570736575ull, v1 = m->k1 ^ 0x646f72616e646f6dull;
	uint64_t v2 = m->k0 ^ 0x6c7967656e657261ull, v3 = m->k1 ^ 0x7465646279746573ull;
	const uint64_t words[3] = { (uint64_t)a, (uint64_t)b, 16ull << 56 };
	int i;

	for (i = 0; i < 3; i++) {
		v3 ^= words[i];
		SIPROUND;
		v0 ^= words[i];
	}
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

void kcap_idmap_init(struct kcap_idmap *m)
{
	uint64_t key[2];

	memset(m, 0, sizeof(*m));
	if (getrandom(key, sizeof(key), GRND_NONBLOCK) != (ssize_t)sizeof(key)) {
		struct timespec ts;

		/* No entropy yet (early boot): a key a file cannot know in advance. */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		key[0] = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)m;
		key[1] = (uint64_t)ts.tv_sec ^ (uint64_t)getpid() << 32;
	}
	m->k0 = key[0];
	m->k1 = key[1];
}

static size_t home(const struct kcap_idmap *m, int64_t a, int64_t b)
{
	return (size_t)siphash(m, a, b) & (m->cap - 1);
}

static struct kcap_idslot *find(const struct kcap_idmap *m, int64_t a, int64_t b)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = home(m, a, b); m->slots[i].val; i = (i + 1) & (m->cap - 1))
		if (m->slots[i].a == a && m->slots[i].b == b)
			return &m->slots[i];
	return NULL;
}

void *kcap_idmap_get(const struct kcap_idmap *m, int64_t a, int64_t b)
{
	const struct kcap_idslot *s = find(m, a, b);

	return s ? s->val : NULL;
}

static int grow(struct kcap_idmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 256, i, j;
	struct kcap_idslot *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -1;
	for (i = 0; i < m->cap; i++) {
		const struct kcap_idslot *s = &m->slots[i];

		if (!s->val)
			continue;
		for (j = (size_t)siphash(m, s->a, s->b) & (ncap - 1); n[j].val; j = (j + 1) & (ncap - 1))
			;
		n[j] = *s;
	}
	free(m->slots);
	m->slots = n;
	m->cap = ncap;
	return 0;
}

int kcap_idmap_put(struct kcap_idmap *m, int64_t a, int64_t b, void *val, void **old)
{
	struct kcap_idslot *s = find(m, a, b);
	size_t i;

	*old = NULL;
	if (s) {
		*old = s->val;
		s->val = val;
		return 0;
	}
	if ((m->used + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	for (i = home(m, a, b); m->slots[i].val; i = (i + 1) & (m->cap - 1))
		;
	m->slots[i] = (struct kcap_idslot){ a, b, val };
	m->used++;
	return 0;
}

void *kcap_idmap_del(struct kcap_idmap *m, int64_t a, int64_t b)
{
	struct kcap_idslot *s = find(m, a, b);
	size_t hole, i;
	void *val;

	if (!s)
		return NULL;
	val = s->val;
	hole = (size_t)(s - m->slots);
	m->slots[hole].val = NULL;
	m->used--;
	/* Backward shift: pull later entries of the run into the hole. */
	for (i = (hole + 1) & (m->cap - 1); m->slots[i].val; i = (i + 1) & (m->cap - 1)) {
		size_t h = home(m, m->slots[i].a, m->slots[i].b);

		if (((i - h) & (m->cap - 1)) >= ((i - hole) & (m->cap - 1))) {
			m->slots[hole] = m->slots[i];
			m->slots[i].val = NULL;
			hole = i;
		}
	}
	return val;
}

void kcap_idmap_clear(struct kcap_idmap *m, void (*drop)(void *val, void *arg), void *arg)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].val)
			drop(m->slots[i].val, arg);
	free(m->slots);
	m->slots = NULL;
	m->cap = m->used = 0;
}

size_t kcap_idmap_bytes(const struct kcap_idmap *m)
{
	return m->cap * sizeof(struct kcap_idslot);
}
