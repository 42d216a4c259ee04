/* SPDX-License-Identifier: MIT */
/*
 * A decoded view of one event: the header and a pointer and length per
 * parameter. The view points into the caller's bytes, it copies nothing.
 */
#ifndef KCAP_EVENT_H
#define KCAP_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppm_events_public.h"

struct kcap_evt {
	const struct ppm_evt_hdr *hdr;	/* canonical V2 bytes, hdr->len long */
	uint16_t cpu;
	uint32_t flags;			/* KCAP_EVF_* from EVF blocks, else 0 */
	uint32_t nparams;
	const uint8_t *val[PPM_MAX_EVENT_PARAMS];
	uint32_t len[PPM_MAX_EVENT_PARAMS];
};

#define KCAP_EVF_STATE_ONLY 1u

static inline uint64_t kcap_evt_ts(const struct kcap_evt *ev) { return ev->hdr->ts; }
static inline int64_t kcap_evt_tid(const struct kcap_evt *ev) { return (int64_t)ev->hdr->tid; }
static inline uint16_t kcap_evt_type(const struct kcap_evt *ev) { return ev->hdr->type; }
static inline uint32_t kcap_evt_len(const struct kcap_evt *ev) { return ev->hdr->len; }

/* Width of each parameter length: 4 for EF_LARGE_PAYLOAD types, else 2. */
static inline unsigned kcap_evt_len_width(uint16_t type)
{
	return type < KCAP_EVENT_MAX && (g_event_info[type].flags & EF_LARGE_PAYLOAD) ? 4 : 2;
}

/*
 * Checks a V2 event of at most avail bytes and fills ev. Returns 0, or -1
 * with *why set to a static description of what is wrong.
 */
int kcap_evt_parse(const void *event, size_t avail, struct kcap_evt *ev, const char **why);

/*
 * Parameter i of the event, or NULL (with *len 0) when the event has fewer
 * parameters: an event may carry fewer than its table row (old schemas, or a
 * hostile file), and val/len past nparams hold another event's leftovers.
 * Every access by a table position goes through here or the getters below.
 */
static inline const uint8_t *kcap_evt_param(const struct kcap_evt *ev, int i, uint32_t *len)
{
	if (i < 0 || (uint32_t)i >= ev->nparams) {
		*len = 0;
		return NULL;
	}
	*len = ev->len[i];
	return ev->val[i];
}

/* Reads a fixed-size parameter; 0 when it is empty or of another size. */
int kcap_evt_get_u64(const struct kcap_evt *ev, uint32_t i, uint64_t *out);
int kcap_evt_get_u32(const struct kcap_evt *ev, uint32_t i, uint32_t *out);
/* A NUL-terminated string parameter, or NULL when empty or not terminated. */
const char *kcap_evt_get_str(const struct kcap_evt *ev, uint32_t i);

/* One parameter's bytes, for kcap_evt_build. */
struct kcap_param_in {
	const void *p;
	uint32_t len;
};

/*
 * Builds a V2 event of type with its table's parameter count into buf
 * (size bytes): what kcap itself writes (the events derived at capture
 * start). Its length, or 0 when it does not fit or the count is not the
 * table's.
 */
size_t kcap_evt_build(uint8_t *buf, size_t size, uint16_t type, uint64_t ts, int64_t tid,
		      const struct kcap_param_in *params, uint32_t n);

/* Bytes of a value of a fixed-size type (PT_FD: 8), 0 for variable-size types. */
uint32_t kcap_param_fixed_size(enum ppm_param_type t);

/* Index of the parameter called name in the table row, or -1. */
int kcap_evt_param_index(uint16_t type, const char *name);

/* Marks the event types that name (e.g. "open") refers to; false if none. */
bool kcap_events_by_name(const char *name, bool *events);
/*
 * Marks the types of a comma-separated list of names in events (an array of
 * KCAP_EVENT_MAX); -1 with the first unknown name copied to bad.
 */
int kcap_events_from_list(const char *list, bool *events, char *bad, size_t badlen);

#endif /* KCAP_EVENT_H */
