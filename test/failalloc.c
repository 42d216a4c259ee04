// SPDX-License-Identifier: MIT
/*
 * Memory pressure on demand, for tests: preloaded (LD_PRELOAD), it fails
 * every allocation larger than KCAP_FAILALLOC_ABOVE bytes, as a process
 * near its memory limit sees them fail.
 */
#include <errno.h>
#include <stdlib.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t k, size_t n);
void *__libc_realloc(void *p, size_t n);

static size_t limit(void)
{
	static size_t above;
	const char *s;

	if (!above) {
		s = getenv("KCAP_FAILALLOC_ABOVE");
		above = s ? strtoull(s, NULL, 10) : (size_t)-1;
	}
	return above;
}

void *malloc(size_t n)
{
	if (n > limit()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(n);
}

void *calloc(size_t k, size_t n)
{
	if (n && k > limit() / n) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
	if (n > limit()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, n);
}
