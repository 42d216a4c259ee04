// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "shstr.h"

struct shstr {
	uint32_t refs;
	uint32_t len;
	char s[];
};

static struct shstr *hdr(const char *s)
{
	return (struct shstr *)(void *)(s - offsetof(struct shstr, s));
}

size_t kcap_shstr_cost(size_t len)
{
	return sizeof(struct shstr) + len + 1;
}

char *kcap_shstr_new(const void *data, size_t len)
{
	struct shstr *h;

	if (len > UINT32_MAX - 1)
		return NULL;
	h = malloc(kcap_shstr_cost(len));
	if (!h)
		return NULL;
	h->refs = 1;
	h->len = (uint32_t)len;
	if (len)
		memcpy(h->s, data, len);
	h->s[len] = '\0';
	return h->s;
}

char *kcap_shstr_ref(char *s)
{
	if (s)
		hdr(s)->refs++;
	return s;
}

size_t kcap_shstr_unref(char *s)
{
	struct shstr *h;
	size_t cost;

	if (!s)
		return 0;
	h = hdr(s);
	if (--h->refs)
		return 0;
	cost = kcap_shstr_cost(h->len);
	free(h);
	return cost;
}

size_t kcap_shstr_len(const char *s)
{
	return s ? hdr(s)->len : 0;
}
