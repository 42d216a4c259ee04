/* SPDX-License-Identifier: MIT */
/*
 * kcap's own events (driver/schema/kcap-events.json) in .scap files. Their
 * ids exist only inside kcap; a file carries each one inside upstream's
 * asyncevent (402), which every reader of the format knows or skips:
 *
 *   plugin_id  u32   0
 *   name       str   "kcap." and the event's name ("kcap.tcp_state")
 *   data       bytes the event's V2 body after its type: u32 nparams, u16
 *                    lengths, the values (docs/own-events.md)
 *
 * The header's ts and tid are the event's; the block is EV(F)_V2_LARGE like
 * any asyncevent's. Wrapping and unwrapping are exact inverses.
 */
#ifndef KCAP_OWN_EVENTS_H
#define KCAP_OWN_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define KCAP_OWN_PREFIX "kcap."
/* Where an event's body starts in the asyncevent's data: after ts, tid, len, type. */
#define KCAP_OWN_BODY_OFFSET 22

/* True for the types of kcap's own events that travel in files (not NA). */
bool kcap_own_event(uint16_t type);

/* The asyncevent's name for own type (into buf, with its NUL); its length with the NUL. */
size_t kcap_own_async_name(uint16_t type, char *buf, size_t size);

/*
 * When async is an asyncevent that carries one of kcap's own events, rebuilds
 * that event (its header from async's, its body from the data) in *buf (grown
 * as needed; *cap its size) and fills ev from it: 1. 0 when async is any other
 * event or malformed (left as it is), -1 when out of memory.
 */
int kcap_own_unwrap(const struct kcap_evt *async, uint8_t **buf, size_t *cap,
		    struct kcap_evt *ev);

#endif /* KCAP_OWN_EVENTS_H */
