// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the reader: any bytes, raw or gzip, must end in
 * events, EOF or a clean error; never a crash, an overread or a leak.
 */
#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "scap_reader.h"
#include "threads.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kcap_fmt_opts opts = { .bytebuf_max = 16 };
	struct kcap_sbuf out = { 0 };
	struct kcap_threads *th = kcap_threads_new();
	struct kcap_reader *r;
	struct kcap_evt ev;
	uint32_t section = 0;
	char err[256];
	int n = 0;

	r = kcap_reader_open_mem(data, size, "fuzz", err, sizeof(err));
	while (r && th && n++ < 100000 && kcap_reader_next(r, &ev) > 0) {
		if (kcap_reader_section(r) != section) {
			section = kcap_reader_section(r);
			kcap_threads_load(th, kcap_reader_meta(r));
		}
		kcap_threads_update(th, &ev);
		kcap_sbuf_reset(&out);
		kcap_fmt_text_line(&out, (uint64_t)n, &ev, th, &opts);
		kcap_fmt_json_line(&out, (uint64_t)n, &ev, th, &opts);
	}
	kcap_reader_close(r);
	kcap_threads_free(th);
	kcap_sbuf_free(&out);
	return 0;
}
