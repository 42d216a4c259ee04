// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for filter expressions: any text compiles or fails with
 * a message; what compiles is matched against events with and without a
 * thread table, and asked for its types and pid. Never a crash, an
 * overread, a leak, or unbounded recursion.
 */
#include <stdlib.h>
#include <string.h>

#include "filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A read exit of fd 3 by tid 77 (res, data, fd, size), built by hand. */
static const struct kcap_evt *read_event(void)
{
	static uint8_t bytes[26 + 4 * 2 + 8 + 5 + 8 + 4];
	static struct kcap_evt ev;
	struct ppm_evt_hdr hdr = { .ts = 1, .tid = 77, .len = sizeof(bytes), .type = PPME_READ_X,
				   .nparams = 4 };
	uint16_t lens[4] = { 8, 5, 8, 4 };
	int64_t res = 5, fd = 3;
	uint32_t size_arg = 4096;
	const char *why;
	uint8_t *p = bytes + sizeof(hdr);

	memcpy(bytes, &hdr, sizeof(hdr));
	memcpy(p, lens, sizeof(lens));
	p += sizeof(lens);
	memcpy(p, &res, 8);
	memcpy(p + 8, "hello", 5);
	memcpy(p + 13, &fd, 8);
	memcpy(p + 21, &size_arg, 4);
	if (kcap_evt_parse(bytes, sizeof(bytes), &ev, &why) < 0)
		__builtin_trap();
	return &ev;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kcap_threads *th;
	bool types[KCAP_EVENT_MAX];
	struct kcap_filter *f;
	char *text, err[256];
	int64_t pid;

	if (!th)
		th = kcap_threads_new();
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	f = kcap_filter_compile(text, err, sizeof(err));
	if (f) {
		kcap_filter_match(f, 1, read_event(), NULL);
		kcap_filter_match(f, 1, read_event(), th);
		kcap_filter_types(f, types);
		kcap_filter_pid(f, &pid);
		kcap_filter_free(f);
	} else if (!err[0] || !memchr(err, '\0', sizeof(err))) {
		__builtin_trap();	/* a failure always says why */
	}
	free(text);
	return 0;
}
