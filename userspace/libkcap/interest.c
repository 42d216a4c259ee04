// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "filler_table.h"
#include "interest.h"
#include "threads.h"

uint16_t kcap_emitted_event(uint16_t event, uint16_t generic)
{
	return event && g_event_filler[event] != KCAP_FILLER_NONE ? event : generic;
}

void kcap_interest_default(bool *interest)
{
	uint32_t nr;

	memset(interest, 0, KCAP_SC_MAX * sizeof(*interest));
	for (nr = 0; nr < SYSCALL_TABLE_SIZE; nr++)
		interest[g_syscall_table[nr].ppm_sc] = true;
	interest[0] = false;
	interest[PPM_SC_SCHED_PROCESS_EXIT] = true;
}

int kcap_interest_add_event(uint16_t t, bool *interest)
{
	int n = 0, h;
	uint32_t nr;

	for (nr = 0; nr < SYSCALL_TABLE_SIZE; nr++) {
		const struct ppm_syscall_desc *d = &g_syscall_table[nr];

		if (!d->ppm_sc)
			continue;
		if (kcap_emitted_event(d->enter_event, PPME_GENERIC_E) == t ||
		    kcap_emitted_event(d->exit_event, PPME_GENERIC_X) == t) {
			interest[d->ppm_sc] = true;
			n++;
		}
	}
	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		if (g_hooks[h].event && g_hooks[h].event == t && g_hooks[h].ppm_sc) {
			interest[g_hooks[h].ppm_sc] = true;
			n++;
		}
	}
	return n;
}

/* ---- event sets --------------------------------------------------------- */

/* A category's class: its base value (EC_FILE...), else its scheduler or wait bit. */
static uint32_t category_class(uint32_t c)
{
	if (c & 0x3f)
		return c & 0x3f;
	return c & (EC_SCHEDULER | EC_WAIT);
}

static const char *const g_tcp_events[] = { "tcp_state", "tcp_retransmit", NULL };

const struct kcap_event_set g_event_sets[] = {
	{ "file", "files and directories: open, stat, rename, chmod, mount..." },
	{ "io", "reads and writes of any fd: read, write, sendfile, splice..." },
	{ "net", "sockets: socket, connect, accept, send, recv, TCP state changes..." },
	{ "ipc", "pipes, message queues, semaphores, shared memory, futexes" },
	{ "memory", "mappings and faults: mmap, brk, mprotect, page_fault, swapin..." },
	{ "process", "process lifecycle and identity: clone, execve, procexit, setuid..." },
	{ "signal", "signals: kill, sigaction, signaldeliver..." },
	{ "sched", "scheduling and sleeping: switch, nanosleep, poll, epoll_wait..." },
	{ "time", "clocks and timers" },
	{ "system", "the system as a whole: modules, reboot, sysinfo..." },
	{ "user", "users and groups: setuid, setgid, capset..." },
	{ "tcp", "kcap's TCP events: tcp_state, tcp_retransmit" },
	{ "uprobes", "kcap's user-space probes: functions of programs (--uprobe)" },
	{ "own", "every event of kcap's own (docs/own-events.md)" },
	{ "state", "what replay needs to keep process and fd state: clone, execve, "
		   "procexit, open, close, socket, connect, dup..." },
};
const size_t g_event_sets_count = sizeof(g_event_sets) / sizeof(g_event_sets[0]);

static bool in_list(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(name, *list))
			return true;
	return false;
}

/* Whether a user-space probe emits t (the hook table's UPROBE and URETPROBE rows). */
static bool is_uprobe_event(uint16_t t)
{
	int h;

	for (h = 0; h < KCAP_HOOK_MAX; h++)
		if (g_hooks[h].event && g_hooks[h].event == t && kcap_hook_is_uprobe(h))
			return true;
	return false;
}

bool kcap_event_in_set(size_t s, uint16_t t)
{
	static const uint32_t classes[] = {
		EC_FILE, EC_IO_READ, EC_NET, EC_IPC, EC_MEMORY, EC_PROCESS, EC_SIGNAL,
		EC_SCHEDULER, EC_TIME, EC_SYSTEM, EC_USER,
	};
	const struct ppm_event_info *row;
	uint32_t cls;

	if (t >= KCAP_EVENT_MAX || (g_event_info[t].flags & (EF_UNUSED | EF_OLD_VERSION)))
		return false;
	row = &g_event_info[t];
	cls = category_class(row->category);
	switch (s) {
	case 1:	/* io: reads, writes and other I/O */
		return cls >= EC_IO_READ && cls <= EC_IO_OTHER;
	case 7:	/* sched: the scheduler, sleeping and waiting */
		return cls == EC_SCHEDULER || cls == EC_SLEEP || cls == EC_WAIT;
	case 4:	/* memory: also the faults */
		return cls == EC_MEMORY || !strcmp(row->name, "page_fault");
	case 11:
		return in_list(row->name, g_tcp_events);
	case 12:
		return is_uprobe_event(t);
	case 13:
		return t >= PPM_EVENT_MAX;
	case 14:
		return kcap_event_changes_state(t);
	default:
		return s < sizeof(classes) / sizeof(classes[0]) && cls == classes[s];
	}
}

/* ---- names and sets into an interest set -------------------------------- */

/*
 * The edit distance of a and b, a swap of neighbours counting as one edit
 * (optimal string alignment); up to 3 (more is 3).
 */
static int distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b), i, j;
	int rows[3][64], *prev2 = rows[0], *prev = rows[1], *cur = rows[2], *tmp;

	if (la >= 63 || lb >= 63 || abs(la - lb) >= 3)
		return 3;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			int del = prev[j] + 1, ins = cur[j - 1] + 1;
			int d = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);

			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
		}
		tmp = prev2;
		prev2 = prev;
		prev = cur;
		cur = tmp;
	}
	return prev[lb] < 3 ? prev[lb] : 3;
}

/* ", did you mean a, b?" for the names closest to name (two edits at most), or "". */
static void close_matches(const char *name, char *out, size_t size)
{
	const char *seen[4], *bare = name[0] == '@' ? name + 1 : name;
	size_t n = 0, i, k;
	int t, len = 0, best = 3;

	out[0] = '\0';
	for (t = 0; t < KCAP_EVENT_MAX + (int)g_event_sets_count; t++) {
		const char *cand = t < KCAP_EVENT_MAX ? g_event_info[t].name :
				   g_event_sets[t - KCAP_EVENT_MAX].name;
		bool dup = false;
		int d;

		if (t < KCAP_EVENT_MAX && (g_event_info[t].flags & EF_UNUSED))
			continue;
		if (name[0] == '@' ? t < KCAP_EVENT_MAX : t >= KCAP_EVENT_MAX)
			continue;
		d = distance(bare, cand);
		if (d > 2 || d > best)
			continue;
		if (d < best) {		/* a closer match: forget the others */
			best = d;
			n = 0;
		}
		for (k = 0; k < n; k++)
			dup |= !strcmp(seen[k], cand);
		if (!dup && n < 4)
			seen[n++] = cand;
	}
	for (i = 0; i < n && len >= 0 && (size_t)len < size; i++)
		len += snprintf(out + len, size - (size_t)len, "%s%s%s", i ? ", " : "; did you mean ",
				name[0] == '@' ? "@" : "", seen[i]);
	if (n && len >= 0 && (size_t)len < size)
		snprintf(out + len, size - (size_t)len, "?");
}

bool kcap_event_derived(uint16_t t)
{
	return t == PPME_INIT_NAMESPACES_E || t == PPME_EXISTING_CONTAINER_E;
}

bool kcap_event_produced(uint16_t t)
{
	bool scratch[KCAP_SC_MAX] = { false };

	return kcap_interest_add_event(t, scratch) > 0;
}

/* The interest in one @set; -1 with err when kcap produces none of it. */
static int add_set(const char *name, bool *interest, bool *types, char *err, size_t errlen)
{
	char hint[160];
	size_t s;
	int t, sources = 0;

	for (s = 0; s < g_event_sets_count; s++)
		if (!strcmp(g_event_sets[s].name, name + 1))
			break;
	if (s == g_event_sets_count) {
		close_matches(name, hint, sizeof(hint));
		snprintf(err, errlen, "unknown event set '%s'%s (kcap list shows the sets)", name,
			 hint);
		return -1;
	}
	for (t = 0; t < KCAP_EVENT_MAX; t++) {
		int n;

		if (!kcap_event_in_set(s, (uint16_t)t))
			continue;
		n = kcap_interest_add_event((uint16_t)t, interest) + kcap_event_derived((uint16_t)t);
		sources += n;
		if (n && types)
			types[t] = true;
	}
	if (!sources) {
		snprintf(err, errlen, "kcap produces no event of the set '%s'", name);
		return -1;
	}
	return 0;
}

/* The interest in one event name; -1 with err when there is none. */
/* A syscall by its name (pread64, getcwd): its ppm_sc code, 0 when no syscall has it. */
static uint16_t syscall_by_name(const char *name)
{
	uint32_t nr;

	for (nr = 0; nr < SYSCALL_TABLE_SIZE; nr++) {
		uint16_t sc = g_syscall_table[nr].ppm_sc;

		if (sc && g_ppm_sc_names[sc] && !strcmp(g_ppm_sc_names[sc], name))
			return sc;
	}
	return 0;
}

/* A syscall selected by name: its dedicated events, or the generic ones where kcap has none. */
static void add_syscall(uint16_t sc, bool *interest, bool *types)
{
	uint32_t nr;

	interest[sc] = true;
	for (nr = 0; types && nr < SYSCALL_TABLE_SIZE; nr++) {
		const struct ppm_syscall_desc *d = &g_syscall_table[nr];

		if (d->ppm_sc != sc)
			continue;
		types[kcap_emitted_event(d->enter_event, PPME_GENERIC_E)] = true;
		types[kcap_emitted_event(d->exit_event, PPME_GENERIC_X)] = true;
	}
}

/*
 * An event name, or else a syscall name: an event kcap does not decode
 * (poll) or a syscall by its own name (pread64 for the pread events) selects
 * the syscall, as the generic events where kcap has no dedicated ones.
 */
static int add_name(const char *name, bool *interest, bool *types, char *err, size_t errlen)
{
	bool named[KCAP_EVENT_MAX] = { false };
	char hint[160];
	int t, sources = 0;

	if (name[0] == '@')
		return add_set(name, interest, types, err, errlen);
	if (!kcap_events_by_name(name, named)) {
		if (syscall_by_name(name)) {
			add_syscall(syscall_by_name(name), interest, types);
			return 0;
		}
		close_matches(name, hint, sizeof(hint));
		snprintf(err, errlen, "unknown event '%s'%s", name, hint);
		return -1;
	}
	for (t = 0; t < KCAP_EVENT_MAX; t++) {
		if (named[t])
			sources += kcap_interest_add_event((uint16_t)t, interest) +
				   kcap_event_derived((uint16_t)t);
		if (named[t] && types)
			types[t] = true;
	}
	if (sources)
		return 0;
	for (t = 0; t < SYSCALL_TABLE_SIZE; t++) {
		const struct ppm_syscall_desc *d = &g_syscall_table[t];

		if ((named[d->enter_event] || named[d->exit_event]) && d->ppm_sc) {
			add_syscall(d->ppm_sc, interest, types);
			sources++;
		}
	}
	if (sources)
		return 0;
	snprintf(err, errlen, "kcap does not produce '%s' events: no syscall or hook of it", name);
	return -1;
}

int kcap_interest_from_names(const char *list, bool *interest, bool *types, char *err,
			     size_t errlen)
{
	const char *p = list;
	int names = 0;

	while (*p) {
		size_t n = strcspn(p, ",");
		char name[64];

		if (n >= sizeof(name)) {
			snprintf(err, errlen, "unknown event '%.*s'", (int)n, p);
			return -1;
		}
		if (n) {
			memcpy(name, p, n);
			name[n] = '\0';
			if (add_name(name, interest, types, err, errlen) < 0)
				return -1;
			names++;
		}
		p += n + (p[n] == ',');
	}
	if (!names) {
		snprintf(err, errlen, "'%s' names no event (e.g. open,openat,close or @net)", list);
		return -1;
	}
	return 0;
}

bool kcap_hook_is_uprobe(int hook)
{
	return g_hooks[hook].kind == KCAP_HOOK_UPROBE || g_hooks[hook].kind == KCAP_HOOK_URETPROBE;
}

uint16_t kcap_hook_event(int hook)
{
	int h;

	if (g_hooks[hook].event || !g_hooks[hook].ppm_sc)
		return g_hooks[hook].event;
	for (h = 0; h < KCAP_HOOK_MAX; h++)
		if (g_hooks[h].ppm_sc == g_hooks[hook].ppm_sc && g_hooks[h].event)
			return g_hooks[h].event;
	return 0;
}

uint64_t kcap_interest_hooks(const bool *interest)
{
	uint64_t mask = 0;
	int h;

	for (h = 0; h < KCAP_HOOK_MAX; h++)
		if (g_hooks[h].ppm_sc && interest[g_hooks[h].ppm_sc])
			mask |= 1ull << h;
	return mask;
}
