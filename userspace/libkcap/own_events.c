// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "own_events.h"

bool kcap_own_event(uint16_t type)
{
	return type >= PPM_EVENT_MAX && type < KCAP_EVENT_MAX &&
	       !(g_event_info[type].flags & EF_UNUSED);
}

size_t kcap_own_async_name(uint16_t type, char *buf, size_t size)
{
	int n = snprintf(buf, size, KCAP_OWN_PREFIX "%s", g_event_info[type].name);

	return n < 0 || (size_t)n >= size ? 0 : (size_t)n + 1;
}

/* The own type an asyncevent's name (len bytes with its NUL) stands for, or 0. */
static uint16_t own_type_named(const uint8_t *name, uint32_t len)
{
	size_t plen = strlen(KCAP_OWN_PREFIX);
	uint16_t t;

	if (len < plen + 2 || name[len - 1] != '\0' || memcmp(name, KCAP_OWN_PREFIX, plen))
		return 0;
	for (t = PPM_EVENT_MAX; t < KCAP_EVENT_MAX; t++)
		if (kcap_own_event(t) && strlen(g_event_info[t].name) == len - plen - 1 &&
		    !memcmp(g_event_info[t].name, name + plen, len - plen - 1))
			return t;
	return 0;
}

int kcap_own_unwrap(const struct kcap_evt *async, uint8_t **buf, size_t *cap,
		    struct kcap_evt *ev)
{
	const uint8_t *name, *data;
	uint32_t name_len, data_len, plugin;
	struct kcap_evt own;
	struct ppm_evt_hdr hdr;
	const char *why;
	size_t need;
	uint16_t type;

	if (kcap_evt_type(async) != PPME_ASYNCEVENT_E || async->nparams != 3 ||
	    !kcap_evt_get_u32(async, 0, &plugin) || plugin != 0)
		return 0;
	name = kcap_evt_param(async, 1, &name_len);
	data = kcap_evt_param(async, 2, &data_len);
	type = name ? own_type_named(name, name_len) : 0;
	if (!type || data_len < sizeof(hdr.nparams))
		return 0;
	need = KCAP_OWN_BODY_OFFSET + (size_t)data_len;
	if (need > *cap) {
		uint8_t *nb = realloc(*buf, need);

		if (!nb)
			return -1;
		*buf = nb;
		*cap = need;
	}
	memcpy(&hdr, async->hdr, KCAP_OWN_BODY_OFFSET);
	hdr.len = (uint32_t)need;
	hdr.type = type;
	memcpy(*buf, &hdr, KCAP_OWN_BODY_OFFSET);
	memcpy(*buf + KCAP_OWN_BODY_OFFSET, data, data_len);
	/* Exactly the values the lengths say: one encoding, so a rewrite gives the same bytes. */
	if (kcap_evt_parse(*buf, need, &own, &why) < 0 ||
	    (own.nparams ? own.val[own.nparams - 1] + own.len[own.nparams - 1] - *buf :
			   PPM_EVT_HDR_SIZE) != (ptrdiff_t)need)
		return 0;
	own.cpu = async->cpu;
	own.flags = async->flags;
	*ev = own;	/* async may be ev */
	return 1;
}
