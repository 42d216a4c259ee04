// SPDX-License-Identifier: MIT
/*
 * A kernel that lacks some tracepoints, for tests: preloaded (LD_PRELOAD)
 * into kcap, it hides from libbpf's BTF lookups the types named in
 * KCAP_HIDE_BTF (comma-separated, e.g. btf_trace_page_fault_user), as they
 * are absent from the BTF of a kernel built without those tracepoints.
 */
#define _GNU_SOURCE
#include <bpf/btf.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int hidden(const char *name)
{
	const char *list = getenv("KCAP_HIDE_BTF"), *p;
	size_t n = strlen(name);

	for (p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

__s32 btf__find_by_name_kind(const struct btf *btf, const char *name, __u32 kind)
{
	static __s32 (*real)(const struct btf *, const char *, __u32);

	if (name && hidden(name))
		return -ENOENT;
	if (!real)
		real = (__s32 (*)(const struct btf *, const char *, __u32))
			dlsym(RTLD_NEXT, "btf__find_by_name_kind");
	return real(btf, name, kind);
}
