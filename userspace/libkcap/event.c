// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "event.h"

int kcap_evt_parse(const void *event, size_t avail, struct kcap_evt *ev, const char **why)
{
	const uint8_t *p = event;
	const struct ppm_evt_hdr *hdr = event;
	uint32_t len, nparams, off, i;
	unsigned width;

	if (avail < PPM_EVT_HDR_SIZE) {
		*why = "event shorter than its header";
		return -1;
	}
	len = hdr->len;
	nparams = hdr->nparams;
	if (len < PPM_EVT_HDR_SIZE) {
		*why = "event length shorter than its header";
		return -1;
	}
	if (len > avail) {
		*why = "event length runs past the block";
		return -1;
	}
	if (nparams > PPM_MAX_EVENT_PARAMS) {
		*why = "nparams above 32";
		return -1;
	}
	width = kcap_evt_len_width(hdr->type);
	off = PPM_EVT_HDR_SIZE + nparams * width;
	if (off > len) {
		*why = "parameter lengths run past the event";
		return -1;
	}
	ev->hdr = hdr;
	ev->nparams = nparams;
	for (i = 0; i < nparams; i++) {
		const uint8_t *lp = p + PPM_EVT_HDR_SIZE + i * width;
		uint32_t plen;

		if (width == 2) {
			uint16_t v;

			memcpy(&v, lp, 2);
			plen = v;
		} else {
			memcpy(&plen, lp, 4);
		}
		if (plen > len - off) {
			*why = "parameter values run past the event";
			return -1;
		}
		ev->val[i] = p + off;
		ev->len[i] = plen;
		off += plen;
	}
	return 0;
}

static int get_fixed(const struct kcap_evt *ev, uint32_t i, void *out, uint32_t size)
{
	uint32_t len;
	const uint8_t *v = i <= INT32_MAX ? kcap_evt_param(ev, (int)i, &len) : NULL;

	if (!v || len != size)
		return 0;
	memcpy(out, v, size);
	return 1;
}

int kcap_evt_get_u64(const struct kcap_evt *ev, uint32_t i, uint64_t *out)
{
	return get_fixed(ev, i, out, 8);
}

int kcap_evt_get_u32(const struct kcap_evt *ev, uint32_t i, uint32_t *out)
{
	return get_fixed(ev, i, out, 4);
}

const char *kcap_evt_get_str(const struct kcap_evt *ev, uint32_t i)
{
	uint32_t len;
	const uint8_t *v = i <= INT32_MAX ? kcap_evt_param(ev, (int)i, &len) : NULL;

	if (!v || len == 0 || v[len - 1] != '\0')
		return NULL;
	return (const char *)v;
}

uint32_t kcap_param_fixed_size(enum ppm_param_type t)
{
	switch (t) {
	case PT_INT8: case PT_UINT8: case PT_SIGTYPE: case PT_L4PROTO:
	case PT_SOCKFAMILY: case PT_FLAGS8: case PT_ENUMFLAGS8:
		return 1;
	case PT_INT16: case PT_UINT16: case PT_SYSCALLID: case PT_PORT:
	case PT_FLAGS16: case PT_ENUMFLAGS16:
		return 2;
	case PT_INT32: case PT_UINT32: case PT_BOOL: case PT_IPV4ADDR:
	case PT_FLAGS32: case PT_UID: case PT_GID: case PT_SIGSET:
	case PT_MODE: case PT_ENUMFLAGS32: case PT_FD32: case PT_PID32:
		return 4;
	case PT_INT64: case PT_UINT64: case PT_ERRNO: case PT_FD: case PT_PID:
	case PT_RELTIME: case PT_ABSTIME: case PT_DOUBLE: case PT_IPV4NET:
		return 8;
	case PT_IPV6ADDR:
		return 16;
	default:
		return 0;
	}
}

int kcap_evt_param_index(uint16_t type, const char *name)
{
	const struct ppm_event_info *info;
	uint32_t i;

	if (type >= KCAP_EVENT_MAX)
		return -1;
	info = &g_event_info[type];
	for (i = 0; i < info->nparams; i++)
		if (strcmp(info->params[i].name, name) == 0)
			return (int)i;
	return -1;
}

bool kcap_events_by_name(const char *name, bool *events)
{
	bool found = false;
	int t;

	for (t = 0; t < KCAP_EVENT_MAX; t++) {
		if (strcmp(g_event_info[t].name, name) == 0) {
			events[t] = true;
			found = true;
		}
	}
	return found;
}

int kcap_events_from_list(const char *list, bool *events, char *bad, size_t badlen)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		char name[64];

		if (n && n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = '\0';
		}
		if (n && (n >= sizeof(name) || !kcap_events_by_name(name, events))) {
			snprintf(bad, badlen, "%.*s", (int)n, p);
			return -1;
		}
		p += n + (p[n] == ',');
	}
	return 0;
}

size_t kcap_evt_build(uint8_t *buf, size_t size, uint16_t type, uint64_t ts, int64_t tid,
		      const struct kcap_param_in *params, uint32_t n)
{
	struct ppm_evt_hdr hdr = { .ts = ts, .tid = (uint64_t)tid, .type = type, .nparams = n };
	unsigned width = kcap_evt_len_width(type);
	size_t len = sizeof(hdr) + (size_t)n * width, off;
	uint32_t i;

	if (type >= KCAP_EVENT_MAX || n != g_event_info[type].nparams)
		return 0;
	for (i = 0; i < n; i++) {
		if (width == 2 && params[i].len > UINT16_MAX)
			return 0;
		len += params[i].len;
	}
	if (len > size || len > UINT32_MAX)
		return 0;
	hdr.len = (uint32_t)len;
	memcpy(buf, &hdr, sizeof(hdr));
	off = sizeof(hdr);
	for (i = 0; i < n; i++, off += width)
		memcpy(buf + off, &params[i].len, width);	/* little-endian */
	for (i = 0; i < n; i++) {
		if (params[i].len)
			memcpy(buf + off, params[i].p, params[i].len);
		off += params[i].len;
	}
	return len;
}
