// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the reader: any bytes, raw or gzip, must end in
 * events, EOF or a clean error; never a crash, an overread or a leak.
 */
#include "fuzz_replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_replay(data, size, 16);
	return 0;
}
