// SPDX-License-Identifier: MIT
#include <string.h>

#include "container.h"

#define FULL_ID_LEN 64

static bool all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* A path component naming a container: ID, or PREFIX-ID.scope of a known engine. */
static bool component_id(const char *c, size_t n, char *id)
{
	static const char *const prefixes[] = { "docker-", "cri-containerd-", "crio-", "libpod-" };
	const char *scope = ".scope";
	size_t i, plen, slen = strlen(scope);

	if (n == FULL_ID_LEN && all_hex(c, n))
		goto found;
	if (n <= slen || memcmp(c + n - slen, scope, slen))
		return false;
	n -= slen;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		plen = strlen(prefixes[i]);
		if (n == plen + FULL_ID_LEN && !memcmp(c, prefixes[i], plen) &&
		    all_hex(c + plen, FULL_ID_LEN)) {
			c += plen;
			goto found;
		}
	}
	return false;
found:
	memcpy(id, c, KCAP_CONTAINER_ID_LEN);
	id[KCAP_CONTAINER_ID_LEN] = '\0';
	return true;
}

/* The last component of path (n bytes) that names a container. */
static bool path_id(const char *path, size_t n, char *id)
{
	bool found = false;
	size_t i = 0;

	while (i < n) {
		size_t len = 0;

		while (i < n && path[i] == '/')
			i++;
		while (i + len < n && path[i + len] != '/')
			len++;
		found |= component_id(path + i, len, id);
		i += len;
	}
	return found;
}

bool kcap_container_id(const char *cgroups, size_t len, char *id)
{
	size_t i = 0;

	id[0] = '\0';
	while (i < len) {
		const char *s = cgroups + i;
		size_t n = strnlen(s, len - i);
		const char *path = memchr(s, '/', n);	/* after "cpu=" or "0::" */

		if (path && path_id(path, n - (size_t)(path - s), id))
			return true;
		i += n + 1;
	}
	return false;
}
