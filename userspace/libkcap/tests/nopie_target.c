// SPDX-License-Identifier: MIT
/*
 * A program built without PIE (its functions at the link-time addresses),
 * for the tests of uprobe.c: prints the file offset the loader mapped its
 * function kcap_nopie_target from, read from its own /proc/self/maps.
 */
#include <inttypes.h>
#include <stdio.h>

__attribute__((noinline, used)) int kcap_nopie_target(int x)
{
	return x + 1;
}

int main(void)
{
	uintptr_t addr = (uintptr_t)&kcap_nopie_target, start, end;
	FILE *f = fopen("/proc/self/maps", "re");
	char line[4352];
	uint64_t off;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %*s %" SCNx64, &start, &end, &off) == 3 &&
		    addr >= start && addr < end) {
			printf("%#" PRIxPTR " %" PRIu64 "\n", addr, addr - start + off);
			return kcap_nopie_target(-1);
		}
	}
	return 1;
}
