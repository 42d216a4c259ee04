// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sample_list.h"

/* "0xa0d0d0a: 1, 0x201: 1, ..." */
static void parse_kinds(char *cell, struct sample *s)
{
	char *save = NULL, *item;

	for (item = strtok_r(cell, ",", &save); item && s->nkinds < MAX_SAMPLE_KINDS;
	     item = strtok_r(NULL, ",", &save)) {
		unsigned long type;
		unsigned long long count;

		if (sscanf(item, " 0x%lx: %llu", &type, &count) == 2) {
			s->kind_type[s->nkinds] = (uint32_t)type;
			s->kind_count[s->nkinds++] = count;
		}
	}
}

/* A table row: | file | from | version | blocks | event blocks | */
static int parse_row(char *line, struct sample *s, const char *dir)
{
	char *cells[8], *save = NULL, *c;
	int n = 0;

	for (c = strtok_r(line, "|", &save); c && n < 8; c = strtok_r(NULL, "|", &save))
		cells[n++] = c;
	if (n < 5 || sscanf(cells[0], " %127s", s->name) != 1 || !strstr(s->name, ".scap"))
		return 0;
	memset(s->kind_type, 0, sizeof(s->kind_type));
	s->nkinds = 0;
	parse_kinds(cells[3], s);
	s->event_blocks = strtoull(cells[4], NULL, 10);
	snprintf(s->path, sizeof(s->path), "%s/%s", dir, s->name);
	return 1;
}

int load_samples(struct sample *out, int max)
{
	const char *readme = shared_path("scap-samples/README.md");
	char dir[3800], line[4096];
	FILE *f;
	int n = 0;

	if (!readme)
		return -1;
	snprintf(dir, sizeof(dir), "%s", readme);
	*strrchr(dir, '/') = '\0';
	f = fopen(readme, "r");
	if (!f)
		return -1;
	while (n < max && fgets(line, sizeof(line), f))
		n += parse_row(line, &out[n], dir);
	fclose(f);
	return n;
}
