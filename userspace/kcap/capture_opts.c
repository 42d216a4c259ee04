// SPDX-License-Identifier: MIT
/* kcap capture's options: the usage, each option parsed, and their checks. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "capture.h"
#include "interest.h"
#include "kcap_abi.h"
#include "kcap.h"

static const char usage[] =
	"usage: kcap capture -w FILE [OPTIONS] [FILTER] [-- COMMAND [ARGS...]]\n"
	"\n"
	"Captures system calls and process exits into FILE (.scap, readable by\n"
	"kcap replay, sysdig, Falco, Stratoshark and tshark). The file starts with\n"
	"the machine, the processes and their open fds, scanned from /proc.\n"
	"With COMMAND, runs it and captures until it exits, only its process tree\n"
	"unless --pid says otherwise. Stops on -n, --duration, SIGINT or SIGTERM;\n"
	"a COMMAND still running then is stopped too (SIGTERM, SIGKILL after 5 s).\n"
	"Exit status: 1 when the capture fails; else the status of a COMMAND that\n"
	"ended by itself (128 + the signal that ended it); else 0.\n"
	"FILTER, a sysdig filter expression as kcap replay takes it (kcap replay\n"
	"--help), keeps the events it matches; events that change the process and\n"
	"fd state are still written, marked state-only (replay and sysdig use them\n"
	"but do not show them). The kernel is asked only for the event types the\n"
	"filter can match (with those state events; unless -e is given), and for a\n"
	"top-level proc.pid = N, only that process.\n"
	"\n"
	"options:\n"
	"  -w, --write FILE         the .scap file to write (required); '-': standard\n"
	"                           output, flushed every second (kcap capture -w - |\n"
	"                           kcap replay - shows events as they come)\n"
	"      --discard            instead of -w: read the events, count them and\n"
	"                           write nothing (for measuring the capture itself)\n"
	"  -d, --driver NAME        bpf, kmod (the kernel module) or auto (default:\n"
	"                           bpf where the kernel can run it, else kmod)\n"
	"      --kmod PATH          kcap.ko to load when the module is not loaded\n"
	"                           (default: next to kcap); unloaded at the end\n"
	"  -n, --count N            stop after N events\n"
	"  -t, --duration SECONDS   stop after this many seconds\n"
	"  -s, --snaplen BYTES      bytes of each I/O buffer kept (default 80, at\n"
	"                           most 32767: the drivers' limit)\n"
	"  -e, --events NAME[,...]  only these events and @sets (e.g. open,@net; kcap\n"
	"                           list shows them all), or syscalls by name\n"
	"                           (pread64; one kcap does not decode comes as the\n"
	"                           generic syscall event); other syscalls cost one\n"
	"                           lookup and no output. The events that keep the\n"
	"                           process and fd state (@state: clone, execve,\n"
	"                           procexit, open, close, socket...) are captured\n"
	"                           too and written state-only, so that replay names\n"
	"                           processes and fds, unless --no-state-events.\n"
	"                           Default: every syscall and procexit; switch,\n"
	"                           page_fault and signaldeliver, and kcap's own\n"
	"                           tcp_state, swapin and tcp_retransmit (kprobes)\n"
	"                           and the user-space probes (@uprobes), only when\n"
	"                           named (docs/own-events.md)\n"
	"      --no-state-events    with -e, only the events named\n"
	"      --uprobe EVENT=BINARY\n"
	"                           where a user-space probe's function is looked\n"
	"                           for (its symbol tables, then its libraries)\n"
	"                           instead of the defaults that kcap list EVENT\n"
	"                           shows\n"
	"  -p, --pid PID            only this process (and, with COMMAND, not the\n"
	"                           command's tree)\n"
	"      --scope EXPR         only the processes EXPR lets in, decided in the\n"
	"                           kernel before an event is built: FIELD=V[,V...]\n"
	"                           (any of the values) or FIELD!=V[,V...] (none of\n"
	"                           them); FIELD is pid, uid, gid (numbers or names),\n"
	"                           comm, cgroup (a cgroup v2 path, and the cgroups\n"
	"                           under it), container (a running container's id\n"
	"                           or its prefix: its cgroup v2), mntns or pidns\n"
	"                           (namespace inode numbers). 'follow': the pids'\n"
	"                           descendants too. Repeated: all must match\n"
	"                           (e.g. --scope uid=1000 --scope comm!=bash,sh)\n"
	"  -E, --enter-events       also write enter events (exit events already\n"
	"                           carry every parameter)\n"
	"  -C, --file-size MB       start a new file when this one holds MB million\n"
	"                           bytes (before -z compression): FILE0, FILE1...\n"
	"  -G, --rotate SECONDS     start a new file every SECONDS: FILE run through\n"
	"                           strftime(3) when it holds a %, else numbered\n"
	"  -W, --file-count N       with -C: at most N files, names reused in a ring;\n"
	"                           with -G alone: stop after N files\n"
	"                           Each file stands on its own: it starts with the\n"
	"                           machine and the processes and fds of that moment,\n"
	"                           kept from the events since the capture started\n"
	"      --size-limit MB      stop when the file holds MB million bytes\n"
	"      --ring-size BYTES    size of each per-CPU ring (default 8 MiB)\n"
	"      --dropping-mode      when a ring is half full, shed the events that do\n"
	"                           not change the process and fd state (counted), so\n"
	"                           that those that do still fit\n"
	"  -z, --gzip               compress the file\n"
	"  -v, --verbose            the end report adds each CPU's events and drops,\n"
	"                           per cause\n"
	"      --progress           a status line each second on standard error, also\n"
	"                           when it is not a terminal (where it is, always)\n"
	"  -h, --help               show this help\n";

_Static_assert(KCAP_USER_BUF_MAX == 32767, "the usage text gives the snaplen limit");

static int parse_number(const char *opt, const char *s, uint64_t max, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (!*s || *s == '-' || *end || errno || *out > max) {
		kcap_errorf("%s: '%s' is not a valid number", opt, s);
		return -1;
	}
	return 0;
}

/* A number from 1 to max. */
static int parse_positive(const char *opt, const char *s, uint64_t max, uint64_t *out)
{
	if (parse_number(opt, s, max, out))
		return -1;
	if (!*out) {
		kcap_errorf("%s: give at least 1", opt);
		return -1;
	}
	return 0;
}

/* -e: the interest set of the named events and sets, and their types (interest.h). */
static int parse_events(const char *list, struct capture_opts *o)
{
	char err[512];

	if (!o->interest)
		o->interest = calloc(KCAP_SC_MAX, sizeof(bool));
	if (!o->asked)
		o->asked = calloc(KCAP_EVENT_MAX, sizeof(bool));
	if (!o->interest || !o->asked) {
		kcap_errorf("out of memory");
		return -1;
	}
	if (kcap_interest_from_names(list, o->interest, o->asked, err, sizeof(err)) < 0) {
		kcap_errorf("--events: %s", err);
		return -1;
	}
	return 0;
}

/* A word that starts a filter rather than a command: a field, "not", "(". */
static bool looks_like_filter(const char *w)
{
	static const char *const starts[] = { "evt.", "proc.", "thread.", "user.", "group.",
					      "fd.", "container.", "not", "(" };
	size_t i;

	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if (!strncmp(w, starts[i], strlen(starts[i])))
			return true;
	return false;
}

/* FILTER words up to "--", then the COMMAND; without "--", a filter if it is one. */
static int parse_operands(int argc, char **argv, struct capture_opts *o)
{
	int end = optind, k;
	char *text, err[512];

	if (optind > 1 && !strcmp(argv[optind - 1], "--")) {
		end = optind;		/* getopt took the "--": only a command follows */
	} else {
		while (end < argc && strcmp(argv[end], "--"))
			end++;
	}
	if (end > optind) {
		text = kcap_join_words(end - optind, argv + optind);
		if (!text) {
			kcap_errorf("out of memory");
			return -1;
		}
		o->filter = kcap_filter_compile(text, err, sizeof(err));
		if (!o->filter && (end < argc || looks_like_filter(argv[optind]))) {
			kcap_errorf("filter: %s: %s", text, err);
			free(text);
			return -1;
		}
		free(text);
		if (!o->filter) {	/* no "--" and no filter: the words are the command */
			o->command = argv + optind;
			return 0;
		}
	}
	k = end < argc && !strcmp(argv[end], "--") ? end + 1 : end;
	if (k < argc)
		o->command = argv + k;
	else if ((k > end || (optind > 1 && !strcmp(argv[optind - 1], "--"))) && k == argc) {
		kcap_errorf("capture: '--' is not followed by a COMMAND (try 'kcap capture --help')");
		return -1;
	}
	return 0;
}

/* --scope pid and -p or a COMMAND would each set the pid field. */
static int check_scope(const struct capture_opts *o)
{
	bool pids = o->scope.fields & (1u << KCAP_SCOPE_PID);

	if (pids && (o->pid || o->command)) {
		kcap_errorf("capture: --scope pid cannot be combined with --pid or a COMMAND, "
			    "which choose the process");
		return -1;
	}
	if (o->scope.follow && !pids && !o->pid && !o->command) {
		kcap_errorf("capture: --scope follow follows the processes of --scope pid or "
			    "--pid: give one");
		return -1;
	}
	return 0;
}

/* The events of the user-space probes, as "a, b". */
static void uprobe_events(char *out, size_t size)
{
	size_t len = 0;
	int h;

	out[0] = '\0';
	for (h = 0; h < KCAP_HOOK_MAX && len < size; h++)
		if (kcap_hook_is_uprobe(h) && g_hooks[h].event)
			len += (size_t)snprintf(out + len, size - len, "%s%s", len ? ", " : "",
						g_event_info[g_hooks[h].event].name);
}

/* --uprobe EVENT=BINARY: the binary of each uprobe hook of EVENT. */
static int parse_uprobe(const char *arg, struct capture_opts *o)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : 0;
	int h, n = 0;

	if (!eq || !len || !eq[1]) {
		kcap_errorf("--uprobe: '%s' is not EVENT=BINARY", arg);
		return -1;
	}
	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		const char *name = g_event_info[kcap_hook_event(h)].name;

		if (kcap_hook_is_uprobe(h) && strlen(name) == len && !strncmp(name, arg, len)) {
			o->uprobe_binaries[h] = eq + 1;
			n++;
		}
	}
	if (!n) {
		char names[256];

		uprobe_events(names, sizeof(names));
		kcap_errorf("--uprobe: '%.*s' is no user-space probe's event (%s)", (int)len, arg,
			    names);
		return -1;
	}
	return 0;
}

/* A --uprobe for an event not captured would say nothing: an error. */
static int check_uprobes(const struct capture_opts *o)
{
	int h;

	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		const char *name = g_event_info[kcap_hook_event(h)].name;

		if (o->uprobe_binaries[h] && !(o->interest && o->interest[g_hooks[h].ppm_sc])) {
			kcap_errorf("--uprobe %s: the event is not captured (add -e %s)", name, name);
			return -1;
		}
	}
	return 0;
}

int capture_parse_opts(int argc, char **argv, struct capture_opts *o)
{
	enum { OPT_RING = 256, OPT_KMOD, OPT_PROGRESS, OPT_SIZE_LIMIT, OPT_DROPPING, OPT_NO_STATE,
	       OPT_SCOPE, OPT_DISCARD, OPT_UPROBE };
	static const struct option longopts[] = {
		{ "write", required_argument, NULL, 'w' },
		{ "driver", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 't' },
		{ "snaplen", required_argument, NULL, 's' },
		{ "events", required_argument, NULL, 'e' },
		{ "pid", required_argument, NULL, 'p' },
		{ "scope", required_argument, NULL, OPT_SCOPE },
		{ "discard", no_argument, NULL, OPT_DISCARD },
		{ "enter-events", no_argument, NULL, 'E' },
		{ "ring-size", required_argument, NULL, OPT_RING },
		{ "file-size", required_argument, NULL, 'C' },
		{ "rotate", required_argument, NULL, 'G' },
		{ "file-count", required_argument, NULL, 'W' },
		{ "size-limit", required_argument, NULL, OPT_SIZE_LIMIT },
		{ "dropping-mode", no_argument, NULL, OPT_DROPPING },
		{ "no-state-events", no_argument, NULL, OPT_NO_STATE },
		{ "uprobe", required_argument, NULL, OPT_UPROBE },
		{ "kmod", required_argument, NULL, OPT_KMOD },
		{ "gzip", no_argument, NULL, 'z' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end, err[PATH_MAX + 256];
	uint64_t v;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+w:d:n:t:s:e:p:EzvhC:G:W:", longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			o->verbose = true;
			break;
		case OPT_PROGRESS:
			o->progress = true;
			break;
		case OPT_DROPPING:
			o->dropping_mode = true;
			break;
		case OPT_NO_STATE:
			o->no_state = true;
			break;
		case 'w':
			o->path = optarg;
			break;
		case 'd':
			if (kcap_driver_parse(optarg, &o->driver)) {
				kcap_errorf("--driver: '%s' is not one of bpf, kmod, auto", optarg);
				return -1;
			}
			break;
		case OPT_KMOD:
			o->kmod_path = optarg;
			break;
		case OPT_UPROBE:
			if (parse_uprobe(optarg, o))
				return -1;
			break;
		case 'n':
			if (parse_number("-n", optarg, UINT64_MAX, &o->max_events))
				return -1;
			break;
		case 't':
			errno = 0;
			o->duration = strtod(optarg, &end);
			if (!*optarg || *end || errno || !isfinite(o->duration) || o->duration <= 0) {
				kcap_errorf("--duration: '%s' is not a number of seconds above 0", optarg);
				return -1;
			}
			break;
		case 's':
			if (parse_number("--snaplen", optarg, UINT64_MAX, &v))
				return -1;
			/* The drivers' limit (kcap_abi.h), not a silent cut. */
			if (v == 0 || v > KCAP_USER_BUF_MAX) {
				kcap_errorf("--snaplen: %s; give 1 to %u (default 80)", v ?
					    "above the drivers' limit" : "0 would keep no byte of any buffer",
					    KCAP_USER_BUF_MAX);
				return -1;
			}
			o->snaplen = (uint32_t)v;
			break;
		case 'e':
			if (parse_events(optarg, o))
				return -1;
			break;
		case 'p':
			if (parse_number("--pid", optarg, INT32_MAX, &v))
				return -1;
			if (v == 0 || (kill((pid_t)v, 0) < 0 && errno == ESRCH)) {
				kcap_errorf("--pid: there is no process %s", optarg);
				return -1;
			}
			o->pid = (uint32_t)v;
			break;
		case OPT_SCOPE:
			if (kcap_scope_parse(&o->scope, optarg, NULL, NULL, err, sizeof(err))) {
				kcap_errorf("%s", err);
				return -1;
			}
			break;
		case OPT_RING:
			if (parse_number("--ring-size", optarg, 1u << 30, &v))
				return -1;
			if (v < 4096) {
				kcap_errorf("--ring-size: %s bytes is below the smallest ring, 4096 bytes",
					    optarg);
				return -1;
			}
			o->ring_bytes = (uint32_t)v;
			break;
		case 'E':
			o->enter_events = true;
			break;
		case 'C':
		case OPT_SIZE_LIMIT:
			if (parse_positive(c == 'C' ? "-C" : "--size-limit", optarg, 1000000, &v))
				return -1;
			*(c == 'C' ? &o->rotate_bytes : &o->size_limit) = v * 1000000;
			break;
		case 'G':
		case 'W':
			if (parse_positive(c == 'G' ? "-G" : "-W", optarg, 1000000000, &v))
				return -1;
			*(c == 'G' ? &o->rotate_secs : &o->max_files) = (uint32_t)v;
			break;
		case 'z':
			o->gzip = true;
			break;
		case OPT_DISCARD:
			o->discard = true;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			kcap_errorf("capture: bad option '%s' (try 'kcap capture --help')",
				    argv[optind - 1]);
			return -1;
		}
	}
	if (check_uprobes(o))
		return -1;
	if (o->discard && (o->path || rotating(o) || o->max_files || o->size_limit || o->gzip)) {
		kcap_errorf("capture: --discard writes no file: drop -w, -C, -G, -W, --size-limit "
			    "and -z");
		return -1;
	}
	if (!o->path && !o->discard) {
		kcap_errorf("capture: -w FILE is required (try 'kcap capture --help')");
		return -1;
	}
	if ((rotating(o) || o->size_limit) && !strcmp(o->path, "-")) {
		kcap_errorf("capture: -C, -G and --size-limit need a file, not standard output");
		return -1;
	}
	if (o->max_files && !rotating(o)) {
		kcap_errorf("capture: -W counts the files of -C or -G: give one of them");
		return -1;
	}
	if (o->size_limit && o->rotate_bytes) {
		kcap_errorf("capture: -C starts a new file where --size-limit would stop: give one");
		return -1;
	}
	if (parse_operands(argc, argv, o))
		return -1;
	if (o->discard && o->filter) {
		kcap_errorf("capture: --discard keeps no event: a FILTER has nothing to choose from");
		return -1;
	}
	return check_scope(o);
}

void capture_opts_free(struct capture_opts *o)
{
	free(o->interest);
	free(o->asked);
	kcap_filter_free(o->filter);
}
