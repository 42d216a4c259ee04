// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcap.h"
#include "ppm_events_public.h"

static const char usage[] =
	"usage: kcap COMMAND [OPTIONS]\n"
	"\n"
	"kcap records what processes do in the kernel and saves it as .scap files\n"
	"that sysdig, Falco, Stratoshark and tshark can open too.\n"
	"\n"
	"commands:\n"
	"  capture       capture live events into a .scap file (root)\n"
	"  replay FILE   print the events of a .scap file (raw or gzip)\n"
	"  list [NAME]   the events and event sets kcap knows, or one in full (-L)\n"
	"\n"
	"Run 'kcap COMMAND --help' for the options of a command, 'kcap --version'\n"
	"for the version.\n";

void kcap_errorf(const char *fmt, ...)
{
	va_list ap;

	fputs("kcap: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

char *kcap_join_words(int n, char **words)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, words[i]);
	}
	return s;
}

static int own_event_count(void)
{
	int t, n = 0;

	for (t = PPM_EVENT_MAX; t < KCAP_EVENT_MAX; t++)
		n += !(g_event_info[t].flags & EF_UNUSED);
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("kcap %s (commit %s), scap schema %s, %d events of its own\n", KCAP_VERSION,
		       KCAP_COMMIT, PPM_SCHEMA_VERSION, own_event_count());
		return 0;
	}
	if (strcmp(argv[1], "replay") == 0)
		return cmd_replay(argc - 1, argv + 1);
	if (strcmp(argv[1], "capture") == 0)
		return cmd_capture(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0 || strcmp(argv[1], "-L") == 0)
		return cmd_list(argc - 1, argv + 1);
	kcap_errorf("unknown command '%s' (try 'kcap --help')", argv[1]);
	return 2;
}
