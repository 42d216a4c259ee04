// SPDX-License-Identifier: MIT
/*
 * kcap list: every event kcap can produce, its sets, and one event in full,
 * from the tables; --markdown is docs/events.md.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "filler_table.h"
#include "hook_table.h"
#include "interest.h"
#include "kcap.h"
#include "ppm_events_public.h"
#include "uprobe.h"

static const char usage[] =
	"usage: kcap list [--markdown] [NAME | @SET]\n"
	"\n"
	"Without NAME: the event sets (-e @SET), then every event with its class,\n"
	"directions, what produces it and its sets; with NAME, one event in full:\n"
	"its parameters with their types and flag tables, its hooks and sets; with\n"
	"@SET, the events of a set. --markdown prints docs/events.md.\n";

static const char *class_name(uint32_t c)
{
	static const char *const base[] = {
		"unknown", "other", "file", "net", "ipc", "memory", "process", "sleep", "system",
		"signal", "user", "time", "processing",
	};
	uint32_t cls = c & 0x3f;

	if (cls >= EC_IO_READ && cls <= EC_IO_OTHER)
		return cls == EC_IO_READ ? "io-read" : cls == EC_IO_WRITE ? "io-write" : "io-other";
	if (cls && cls < sizeof(base) / sizeof(base[0]))
		return base[cls];
	if (c & EC_SCHEDULER)
		return "scheduler";
	if (c & EC_WAIT)
		return "wait";
	return cls < sizeof(base) / sizeof(base[0]) ? base[cls] : "unknown";
}

/* The newest rows of name (its enter and exit events); false when it has none. */
static bool rows_of(const char *name, int *enter, int *exit);

/*
 * Whether t is the row that stands for its event in lists: the newest exit
 * row of its name, else its newest enter row (switch, procexit).
 */
static bool stands_for_name(int t)
{
	int enter, exit;

	return rows_of(g_event_info[t].name, &enter, &exit) && t == (exit >= 0 ? exit : enter);
}

/* The newest rows of name (its enter and exit events); false when it has none. */
static bool rows_of(const char *name, int *enter, int *exit)
{
	int t;

	*enter = *exit = -1;
	for (t = 0; t < KCAP_EVENT_MAX; t++) {
		const struct ppm_event_info *r = &g_event_info[t];

		if ((r->flags & EF_UNUSED) || strcmp(r->name, name))
			continue;
		*(PPME_IS_ENTER(t) ? enter : exit) = t;	/* the last row is the newest */
	}
	return *enter >= 0 || *exit >= 0;
}

static bool derived(int t)
{
	return t >= 0 && kcap_event_derived((uint16_t)t);
}

static bool produced(int enter, int exit)
{
	return derived(enter) || (enter >= 0 && kcap_event_produced((uint16_t)enter)) ||
	       (exit >= 0 && kcap_event_produced((uint16_t)exit));
}

static const char *hook_kind(enum kcap_hook_kind k)
{
	switch (k) {
	case KCAP_HOOK_TRACEPOINT: return "tracepoint";
	case KCAP_HOOK_KPROBE: return "kprobe";
	case KCAP_HOOK_KRETPROBE: return "kretprobe";
	case KCAP_HOOK_UPROBE: return "uprobe";
	case KCAP_HOOK_URETPROBE: return "uretprobe";
	default: return "syscall";
	}
}

/* " (in /bin/bash or /usr/bin/bash)": where a uprobe hook looks by default. */
static void put_default_binaries(FILE *out, int hook)
{
	const char *const *d = kcap_uprobe_default_binaries(hook);
	size_t i;

	for (i = 0; d && d[i]; i++)
		fprintf(out, "%s%s", i ? " or " : " (in ", d[i]);
	if (i)
		fputc(')', out);
}

/* What produces events of types enter and exit: "syscall open", "tracepoint sched_switch"... */
static void put_sources(FILE *out, int enter, int exit)
{
	const char *sep = "";
	int nr, h, n = 0, uprobe = -1;

	for (nr = 0; nr < SYSCALL_TABLE_SIZE; nr++) {
		const struct ppm_syscall_desc *d = &g_syscall_table[nr];

		if (!d->ppm_sc || (d->enter_event != enter && d->exit_event != exit) ||
		    kcap_emitted_event(d->exit_event, PPME_GENERIC_X) != d->exit_event)
			continue;
		fprintf(out, "%s%s%s", n ? "," : "syscall ", n ? "" : sep, g_ppm_sc_names[d->ppm_sc]);
		n++;
	}
	sep = n ? "; " : "";
	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		if (!g_hooks[h].ppm_sc || (kcap_hook_event(h) != enter && kcap_hook_event(h) != exit))
			continue;
		fprintf(out, "%s%s %s", sep, hook_kind(g_hooks[h].kind), g_hooks[h].target);
		sep = "; ";
		n++;
		if (kcap_hook_is_uprobe(h))
			uprobe = h;
	}
	if (uprobe >= 0)
		put_default_binaries(out, uprobe);
	if (!n)
		fputs(derived(enter) ? "kcap, at capture start" : produced(enter, exit) ?
		      "generic syscall" : "not produced by kcap", out);
}

static void put_sets(FILE *out, int t, const char *prefix)
{
	size_t s;

	for (s = 0; s < g_event_sets_count; s++)
		if (kcap_event_in_set(s, (uint16_t)t))
			fprintf(out, "%s@%s", prefix, g_event_sets[s].name);
}

/* On this kernel, for the BPF driver: whether the hooks of the event exist. */
static const char *kernel_support(int enter, int exit)
{
	static struct btf *btf;
	static bool loaded;
	bool any = false, missing = false;
	int h;

	if (!loaded) {
		btf = btf__load_vmlinux_btf();
		loaded = true;
	}
	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		char name[128];

		if (!g_hooks[h].ppm_sc || (kcap_hook_event(h) != enter && kcap_hook_event(h) != exit))
			continue;
		any = true;
		if (g_hooks[h].kind == KCAP_HOOK_TRACEPOINT) {
			snprintf(name, sizeof(name), "btf_trace_%s", g_hooks[h].target);
			missing |= !btf || btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) < 0;
		} else if (g_hooks[h].kind == KCAP_HOOK_KPROBE ||
			   g_hooks[h].kind == KCAP_HOOK_KRETPROBE) {
			missing |= access("/sys/bus/event_source/devices/kprobe", F_OK) != 0;
		} else if (kcap_hook_is_uprobe(h)) {
			missing |= access("/sys/bus/event_source/devices/uprobe", F_OK) != 0;
		}
	}
	if (!any)
		return produced(enter, exit) ? "yes" : "no";
	return missing ? "no" : "yes";
}

static int list_all(bool markdown)
{
	size_t s;
	int t, enter, exit;

	if (markdown)
		fputs("# Events\n\nGenerated by `kcap list --markdown` from the tables; "
		      "`kcap list NAME` shows one in full.\n\n## Sets\n\n| set | events |\n|---|---|\n",
		      stdout);
	for (s = 0; s < g_event_sets_count; s++) {
		int n = 0;

		for (t = 0; t < KCAP_EVENT_MAX; t++)
			n += kcap_event_in_set(s, (uint16_t)t) && produced(t, -1) &&
			     stands_for_name(t);
		printf(markdown ? "| `@%s` | %s (%d) |\n" : "@%-10s %s (%d events)\n",
		       g_event_sets[s].name, g_event_sets[s].about, n);
	}
	if (markdown)
		fputs("\n## Events\n\n| event | class | dir | produced by | sets |\n"
		      "|---|---|---|---|---|\n", stdout);
	else
		printf("\n%-22s %-10s %-4s %-5s %s\n", "EVENT", "CLASS", "DIR", "HERE", "PRODUCED BY; SETS");
	for (t = 0; t < KCAP_EVENT_MAX; t++) {
		const struct ppm_event_info *r = &g_event_info[t];

		if ((r->flags & EF_UNUSED) || !stands_for_name(t) || !rows_of(r->name, &enter, &exit))
			continue;
		if (markdown)
			printf("| `%s` | %s | %s | ", r->name, class_name(r->category),
			       enter >= 0 && exit >= 0 ? "> <" : enter >= 0 ? ">" : "<");
		else
			printf("%-22s %-10s %-4s %-5s ", r->name, class_name(r->category),
			       enter >= 0 && exit >= 0 ? "> <" : enter >= 0 ? ">" : "<",
			       kernel_support(enter, exit));
		put_sources(stdout, enter, exit);
		fputs(markdown ? " |" : ";", stdout);
		put_sets(stdout, exit >= 0 ? exit : enter, " ");
		fputs(markdown ? " |\n" : "\n", stdout);
	}
	if (markdown)
		fputs("\n## Events derived at capture start\n\n"
		      "Written by `kcap capture` after the metadata, before the first event, as "
		      "Tracee derives them (a capture filter applies to them too):\n\n"
		      "- `init_namespaces`: the inode numbers of the namespaces of process 1 "
		      "(`/proc/1/ns/*`): cgroup, ipc, mnt, net, pid, time, user, uts; 0 where "
		      "unreadable (inside a sandbox).\n"
		      "- `existing_container`: one per container already running, found in the "
		      "cgroups of the `/proc` scan: its runtime (docker, containerd, cri-o, podman, "
		      "from the path scheme its runtime uses), its id (64 hex digits), its cgroup "
		      "path and a process in it (the event's thread too).\n", stdout);
	return 0;
}

static const char *type_name(enum ppm_param_type t)
{
	static const char *const names[] = {
		"NONE", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64",
		"CHARBUF", "BYTEBUF", "ERRNO", "SOCKADDR", "SOCKTUPLE", "FD", "PID", "FDLIST",
		"FSPATH", "SYSCALLID", "SIGTYPE", "RELTIME", "ABSTIME", "PORT", "L4PROTO",
		"SOCKFAMILY", "BOOL", "IPV4ADDR", "DYN", "FLAGS8", "FLAGS16", "FLAGS32", "UID", "GID",
		"DOUBLE", "SIGSET", "CHARBUFARRAY", "CHARBUF_PAIR_ARRAY", "IPV4NET", "IPV6ADDR",
		"IPV6NET", "IPADDR", "IPNET", "MODE", "FSRELPATH", "ENUMFLAGS8", "ENUMFLAGS16",
		"ENUMFLAGS32",
	};

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

static void put_params(int t)
{
	const struct ppm_event_info *r = &g_event_info[t];
	uint32_t i;

	printf("  %s (%u parameters)\n", PPME_IS_ENTER(t) ? "> enter" : "< exit", r->nparams);
	for (i = 0; i < r->nparams; i++) {
		const struct ppm_param_info *p = &r->params[i];

		printf("    %-16s PT_%s", p->name, type_name(p->type));
		if (p->flags)
			printf(", flags: %s", p->flags->name);
		putchar('\n');
	}
}

static int list_one(const char *name)
{
	bool interest[KCAP_SC_MAX] = { false };
	char err[256];
	size_t s;
	int t, enter, exit;

	if (name[0] == '@') {
		for (s = 0; s < g_event_sets_count && strcmp(g_event_sets[s].name, name + 1); s++)
			;
		if (s == g_event_sets_count)
			goto unknown;
		printf("@%s: %s\n", g_event_sets[s].name, g_event_sets[s].about);
		for (t = 0; t < KCAP_EVENT_MAX; t++)
			if (kcap_event_in_set(s, (uint16_t)t) && produced(t, -1) && stands_for_name(t))
				printf("  %s\n", g_event_info[t].name);
		return 0;
	}
	if (!rows_of(name, &enter, &exit))
		goto unknown;
	t = exit >= 0 ? exit : enter;
	printf("%s: class %s; produced by ", name, class_name(g_event_info[t].category));
	put_sources(stdout, enter, exit);
	printf("; on this kernel (bpf): %s\n  sets:", kernel_support(enter, exit));
	put_sets(stdout, t, " ");
	putchar('\n');
	if (enter >= 0)
		put_params(enter);
	if (exit >= 0)
		put_params(exit);
	return 0;
unknown:
	/* The same one line, with close matches, as -e gives. */
	kcap_interest_from_names(name, interest, NULL, err, sizeof(err));
	kcap_errorf("list: %s", err);
	return 2;
}

int cmd_list(int argc, char **argv)
{
	bool markdown = false;
	const char *name = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--markdown")) {
			markdown = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if (argv[i][0] == '-' || name) {
			kcap_errorf("list: bad argument '%s' (try 'kcap list --help')", argv[i]);
			return 2;
		} else {
			name = argv[i];
		}
	}
	if (name && markdown) {
		kcap_errorf("list: --markdown lists every event: give no NAME");
		return 2;
	}
	return name ? list_one(name) : list_all(markdown);
}
