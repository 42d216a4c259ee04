// SPDX-License-Identifier: MIT
/*
 * A kernel that lacks some tracepoints or functions, for tests: preloaded
 * (LD_PRELOAD) into kcap, it hides from libbpf's BTF lookups the types named
 * in KCAP_HIDE_BTF (comma-separated, e.g. btf_trace_page_fault_user), as they
 * are absent from the BTF of a kernel built without those tracepoints, and
 * from /proc/kallsyms the functions named in KCAP_HIDE_KSYMS, as a kernel
 * that lacks them or inlined them everywhere.
 */
#define _GNU_SOURCE
#include <bpf/btf.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int listed(const char *list, const char *name)
{
	const char *p;
	size_t n = strlen(name);

	for (p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

static int hidden(const char *name)
{
	return listed(getenv("KCAP_HIDE_BTF"), name);
}

/* /proc/kallsyms without the lines of the hidden functions, as a temporary file. */
static FILE *filtered_kallsyms(FILE *in)
{
	FILE *out = tmpfile();
	char line[512], name[256];

	if (!in || !out) {
		if (in)
			fclose(in);
		return out;
	}
	while (fgets(line, sizeof(line), in))
		if (sscanf(line, "%*s %*c %255s", name) != 1 ||
		    !listed(getenv("KCAP_HIDE_KSYMS"), name))
			fputs(line, out);
	fclose(in);
	rewind(out);
	return out;
}

FILE *fopen(const char *path, const char *mode)
{
	static FILE *(*real)(const char *, const char *);

	if (!real)
		real = (FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen");
	if (path && !strcmp(path, "/proc/kallsyms") && getenv("KCAP_HIDE_KSYMS"))
		return filtered_kallsyms(real(path, mode));
	return real(path, mode);
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
