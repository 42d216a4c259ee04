// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "container.h"

static bool all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/*
 * A path component naming a container: PREFIX-ID.scope of a known engine,
 * or a bare ID, whose engine the path before it tells (/docker/, kubepods).
 */
static bool component_id(const char *path, const char *c, size_t n, struct kcap_container *out)
{
	static const struct {
		const char *prefix, *runtime;
	} scopes[] = {
		{ "docker-", "docker" }, { "cri-containerd-", "containerd" },
		{ "crio-", "cri-o" }, { "libpod-", "podman" },
	};
	const char *scope = ".scope";
	size_t i, plen, slen = strlen(scope);

	if (n == KCAP_CONTAINER_FULL_ID_LEN && all_hex(c, n)) {
		out->runtime = memmem(path, (size_t)(c - path), "kubepods", 8) ? "containerd" :
			       memmem(path, (size_t)(c - path), "libpod", 6) ? "podman" : "docker";
		goto found;
	}
	if (n <= slen || memcmp(c + n - slen, scope, slen))
		return false;
	n -= slen;
	for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		plen = strlen(scopes[i].prefix);
		if (n == plen + KCAP_CONTAINER_FULL_ID_LEN && !memcmp(c, scopes[i].prefix, plen) &&
		    all_hex(c + plen, KCAP_CONTAINER_FULL_ID_LEN)) {
			c += plen;
			out->runtime = scopes[i].runtime;
			goto found;
		}
	}
	return false;
found:
	memcpy(out->full_id, c, KCAP_CONTAINER_FULL_ID_LEN);
	out->full_id[KCAP_CONTAINER_FULL_ID_LEN] = '\0';
	memcpy(out->id, c, KCAP_CONTAINER_ID_LEN);
	out->id[KCAP_CONTAINER_ID_LEN] = '\0';
	return true;
}

/* The last component of path (n bytes) that names a container. */
static bool path_id(const char *path, size_t n, struct kcap_container *out)
{
	bool found = false;
	size_t i = 0;

	while (i < n) {
		size_t len = 0;

		while (i < n && path[i] == '/')
			i++;
		while (i + len < n && path[i + len] != '/')
			len++;
		if (component_id(path, path + i, len, out)) {
			out->cgroup = path;
			out->cgroup_len = n;
			found = true;
		}
		i += len;
	}
	return found;
}

bool kcap_container_find(const char *cgroups, size_t len, struct kcap_container *c)
{
	size_t i = 0;

	memset(c, 0, sizeof(*c));
	while (i < len) {
		const char *s = cgroups + i;
		size_t n = strnlen(s, len - i);
		const char *path = memchr(s, '/', n);	/* after "cpu=" or "0::" */

		if (path && path_id(path, n - (size_t)(path - s), c))
			return true;
		i += n + 1;
	}
	return false;
}

bool kcap_container_id(const char *cgroups, size_t len, char *id)
{
	struct kcap_container c;
	bool found = kcap_container_find(cgroups, len, &c);

	memcpy(id, c.id, sizeof(c.id));
	return found;
}

/* Falco libs' container types (container_type in its container_info.h). */
static int libs_type(const char *runtime)
{
	if (!strcmp(runtime, "containerd"))
		return 7;	/* CT_CONTAINERD */
	if (!strcmp(runtime, "cri-o"))
		return 8;	/* CT_CRIO */
	if (!strcmp(runtime, "podman"))
		return 11;	/* CT_PODMAN */
	return 0;		/* CT_DOCKER */
}

size_t kcap_container_json(const struct kcap_container *c, char *out, size_t len)
{
	int n = snprintf(out, len, "{\"container\":{\"id\":\"%s\",\"full_id\":\"%s\",\"type\":%d,"
			 "\"name\":\"%s\",\"image\":\"\",\"runtime\":\"%s\"}}", c->id, c->full_id,
			 libs_type(c->runtime), c->id, c->runtime);

	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}
