// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "filler_table.h"
#include "interest.h"

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

/* The interest in one event name; -1 with err when there is none. */
static int add_name(const char *name, bool *interest, char *err, size_t errlen)
{
	bool types[KCAP_EVENT_MAX] = { false };
	int t, sources = 0;

	if (!kcap_events_by_name(name, types)) {
		snprintf(err, errlen, "unknown event '%s'", name);
		return -1;
	}
	for (t = 0; t < KCAP_EVENT_MAX; t++)
		if (types[t])
			sources += kcap_interest_add_event((uint16_t)t, interest);
	if (sources)
		return 0;
	for (t = 0; t < SYSCALL_TABLE_SIZE; t++) {
		const struct ppm_syscall_desc *d = &g_syscall_table[t];

		if ((types[d->enter_event] || types[d->exit_event]) && d->ppm_sc) {
			snprintf(err, errlen, "kcap does not decode '%s' yet: its syscall is captured "
				 "as the generic 'syscall' event (-e syscall)", name);
			return -1;
		}
	}
	snprintf(err, errlen, "kcap does not produce '%s' events: no syscall or hook of it", name);
	return -1;
}

int kcap_interest_from_names(const char *list, bool *interest, char *err, size_t errlen)
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
			if (add_name(name, interest, err, errlen) < 0)
				return -1;
			names++;
		}
		p += n + (p[n] == ',');
	}
	if (!names) {
		snprintf(err, errlen, "'%s' names no event (e.g. open,openat,close)", list);
		return -1;
	}
	return 0;
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
