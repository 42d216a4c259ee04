/* SPDX-License-Identifier: MIT */
/*
 * What to capture: one interest set of ppm_sc codes, syscalls and other
 * hooks alike (PPM_SC_OPEN, PPM_SC_SCHED_SWITCH...). The engines derive the
 * syscall rows and which hooks to load and attach from it; a hook nobody
 * asked for is not attached and costs nothing.
 */
#ifndef KCAP_INTEREST_H
#define KCAP_INTEREST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hook_table.h"
#include "ppm_events_public.h"

/* Every syscall and process exits: what a capture takes by default. */
void kcap_interest_default(bool *interest);

/*
 * The ppm_sc codes that produce the events named in a comma-separated list
 * of event names and @sets ("@net,open,@process"), added to interest
 * (KCAP_SC_MAX entries); the event types named are marked in types
 * (KCAP_EVENT_MAX entries) when it is not NULL. -1 with a one-line err for
 * a name that is no event or set (naming close matches), an event kcap does
 * not produce (with why), a set of which it produces none, or an empty list.
 */
int kcap_interest_from_names(const char *list, bool *interest, bool *types, char *err,
			     size_t errlen);

/* An event set (-e @net): libs' categories and kcap's own groups. */
struct kcap_event_set {
	const char *name;		/* without the '@' */
	const char *about;
};

extern const struct kcap_event_set g_event_sets[];
extern const size_t g_event_sets_count;

/* Whether event type t is in set s (an index of g_event_sets). */
bool kcap_event_in_set(size_t s, uint16_t t);

/* Whether kcap derives events of type t itself at capture start (no hook). */
bool kcap_event_derived(uint16_t t);

/* Whether kcap has a syscall or hook that produces events of type t. */
bool kcap_event_produced(uint16_t t);

/* Adds the ppm_sc codes that produce events of type t; how many there are. */
int kcap_interest_add_event(uint16_t t, bool *interest);

/* The event a syscall emits: its own where kcap has a filler, else the generic one. */
uint16_t kcap_emitted_event(uint16_t event, uint16_t generic);

/*
 * The event a hook of the table stands for: its own, or for an entry kprobe
 * (no event) the event of the kretprobe that shares its code; 0 for none.
 */
uint16_t kcap_hook_event(int hook);

/* Whether a hook of the table attaches to a user function (UPROBE, URETPROBE). */
bool kcap_hook_is_uprobe(int hook);

/* The hooks of the hook table whose ppm_sc is in interest (not the syscall hooks). */
uint64_t kcap_interest_hooks(const bool *interest);

#endif /* KCAP_INTEREST_H */
