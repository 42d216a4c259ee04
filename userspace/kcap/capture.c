// SPDX-License-Identifier: MIT
/* kcap capture: live capture to a .scap file. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/types.h>

#include "capture.h"
#include "engine.h"
#include "container.h"
#include "filter.h"
#include "interest.h"
#include "kcap_abi.h"
#include "kcap.h"
#include "proc_scan.h"
#include "scap_writer.h"
#include "scope_spec.h"
#include "threads.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Signals that would end kcap: each stops the capture with a complete file. */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2,
				    SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU };
/*
 * Ignored, so that a failed write says why: SIGPIPE (stderr into `head -1`)
 * and SIGXFSZ (a file size limit; the file is then cut to its last block).
 */
static const int ignored_signals[] = { SIGPIPE, SIGXFSZ };

#define NSIG_OF(a) (sizeof(a) / sizeof((a)[0]))

static void set_signals(bool capture)
{
	struct sigaction stop = { .sa_handler = on_signal }, dfl = { .sa_handler = SIG_DFL };
	struct sigaction ign = { .sa_handler = SIG_IGN };
	size_t i;

	for (i = 0; i < NSIG_OF(stop_signals); i++)
		sigaction(stop_signals[i], capture ? &stop : &dfl, NULL);
	for (i = 0; i < NSIG_OF(ignored_signals); i++)
		sigaction(ignored_signals[i], capture ? &ign : &dfl, NULL);
}

/*
 * The command's executable, looked up in PATH as execvp would, so that the
 * child execs once: kcap's PATH search is not the command's. 0, or -1 when
 * there is none (errno set).
 */
static int find_command(const char *name, char *path, size_t size)
{
	const char *dirs = getenv("PATH"), *p;
	struct stat st;

	if (strchr(name, '/')) {
		snprintf(path, size, "%s", name);
		return 0;
	}
	if (!dirs || !*dirs)
		dirs = "/usr/local/bin:/usr/bin:/bin";
	for (p = dirs; p; p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL) {
		int n = (int)strcspn(p, ":");

		if (snprintf(path, size, "%.*s%s%s", n, p, n ? "/" : "", name) >= (int)size)
			continue;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0)
			return 0;
	}
	errno = ENOENT;
	return -1;
}

/* The command waits on a pipe until capture is on, so its first syscall counts. */
static pid_t start_command(char **command, const char *path, int *go_fd)
{
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		pid_t parent = getppid();
		char c;

		set_signals(false);
		/* If kcap dies without a word (SIGKILL), the command does not run on untraced. */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
			_exit(127);
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(127);
		close(p[0]);
		execv(path, command);
		fprintf(stderr, "kcap: cannot run %s: %s\n", command[0], strerror(errno));
		_exit(127);
	}
	close(p[0]);
	*go_fd = p[1];
	return pid;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct capture_run {
	struct kcap_engine *engine;
	struct kcap_writer *writer;
	struct kcap_threads *threads;	/* with a filter: who each tid is, for its fields */
	uint64_t seen;			/* events read from the rings (evt.num) */
	uint64_t written;		/* events written to be shown (matched, with a filter) */
	uint64_t state_only;		/* not matched, written for the state they change */
	uint64_t filtered;		/* not matched and not written */
	char path[4096];		/* the file being written */
	struct kcap_meta base;		/* with rotation: the machine, users, interfaces */
	uint32_t file_index;		/* of the file being written, from 0 */
	uint32_t files;			/* files closed */
	double file_start;
	struct kcap_writer_stats closed;	/* what the closed files hold */
	bool file_limit;		/* -G with -W: the last file is done */
	uint64_t cut_by_size;		/* events not written past --size-limit */
	pid_t child;
	pid_t before_exec;		/* the command's pid until its execve: kcap's child */
	bool hide_execve;		/* execve captured for that alone, not asked for */
	int child_status;
	bool stopped_command;		/* kcap ended it: its status says nothing */
	double start;
	struct kcap_container *containers;	/* each described once per file */
	size_t ncontainers, containers_cap;
};

/* The live status line: redrawn in place on a terminal, a line each time elsewhere. */
static void show_status(struct capture_run *run, bool final, bool tty)
{
	struct kcap_engine_counters c;
	double secs = now_s() - run->start;

	kcap_engine_counters(run->engine, &c);
	fprintf(stderr, "%s%" PRIu64 " events, %" PRIu64 " drops, %.0f events/s%s",
		tty ? "\r" : "kcap: ", run->written, c.drops_ring_full + c.drops_too_large,
		secs > 0 ? (double)run->written / secs : 0.0, final || !tty ? "\n" : "   ");
}

static bool should_stop(const struct capture_opts *o, struct capture_run *run)
{
	if (stop_requested)
		return true;
	if (o->max_events && run->written >= o->max_events)
		return true;
	if (run->file_limit)
		return true;
	if (o->size_limit && run->writer && kcap_writer_bytes(run->writer) >= o->size_limit)
		return true;
	if (o->duration > 0 && now_s() - run->start >= o->duration)
		return true;
	if (run->child > 0 && waitpid(run->child, &run->child_status, WNOHANG) == run->child) {
		run->child = 0;
		return true;
	}
	return false;
}

/*
 * An event of kcap's child before it became the command (its wait for the
 * start, the close of the pipe): kcap's own work, not written. The command
 * starts with its execve.
 */
static bool child_before_exec(struct capture_run *run, const struct kcap_evt *ev)
{
	uint16_t type = kcap_evt_type(ev);
	bool execve = type == PPME_EXECVE_E || type == PPME_EXECVE_X;

	if (run->before_exec && kcap_evt_tid(ev) == run->before_exec) {
		/* Its execve is written: a reader names the command's events from it. */
		if (type == PPME_EXECVE_X)
			run->before_exec = 0;
		return !execve;
	}
	return execve && run->hide_execve;
}

/* Containers described in a file at most: past that, their threads still name them. */
#define CONTAINERS_MAX 4096

/* The "container" event sysdig and Falco readers learn a container from. */
static int write_container(struct capture_run *run, const struct kcap_container *c)
{
	struct kcap_param_in p;
	struct timespec ts;
	char json[512];
	uint8_t buf[1024];
	size_t len = kcap_container_json(c, json, sizeof(json));

	clock_gettime(CLOCK_REALTIME, &ts);
	p = (struct kcap_param_in){ json, (uint32_t)len + 1 };
	len = len ? kcap_evt_build(buf, sizeof(buf), PPME_CONTAINER_E,
				   (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec, -1,
				   &p, 1) : 0;
	if (len && kcap_writer_event(run->writer, 0, 0, (const void *)buf) < 0) {
		kcap_errorf("%s: %s", run->path, kcap_writer_error(run->writer));
		return -1;
	}
	return 0;
}

/* c, described in the file the first time it is seen; 0, or -1 when it cannot be written. */
static int note_container(struct capture_run *run, const struct kcap_container *c)
{
	size_t i;

	for (i = 0; i < run->ncontainers; i++)
		if (!strcmp(run->containers[i].full_id, c->full_id))
			return 0;
	if (run->ncontainers == CONTAINERS_MAX)
		return 0;
	if (run->ncontainers == run->containers_cap) {
		size_t cap = run->containers_cap ? run->containers_cap * 2 : 16;
		struct kcap_container *more = realloc(run->containers, cap * sizeof(*more));

		if (!more)
			return 0;	/* its threads still carry its id */
		run->containers = more;
		run->containers_cap = cap;
	}
	run->containers[run->ncontainers] = *c;
	run->containers[run->ncontainers].cgroup = NULL;	/* the event's bytes, not kept */
	run->containers[run->ncontainers].cgroup_len = 0;
	run->ncontainers++;
	return write_container(run, c);
}

/* A new process's container (clone and execve exits carry cgroups), described once. */
static int note_event_container(struct capture_run *run, const struct kcap_evt *ev)
{
	struct kcap_container c;
	const uint8_t *cg;
	uint32_t len;
	int i;

	if (!kcap_event_changes_state(kcap_evt_type(ev)) || !(kcap_evt_type(ev) & 1))
		return 0;
	i = kcap_evt_param_index(kcap_evt_type(ev), "cgroups");
	if (i < 0 || !(cg = kcap_evt_param(ev, i, &len)) || !len ||
	    !kcap_container_find((const char *)cg, len, &c))
		return 0;
	return note_container(run, &c);
}

/*
 * Writes ev if the filter (if any) matches it; else, as state only, if it
 * changes the process or fd state; else counts it as filtered out.
 */
static int write_event(const struct capture_opts *o, struct capture_run *run,
		       const struct kcap_evt *ev)
{
	uint32_t flags = 0;

	run->seen++;
	if (o->size_limit && kcap_writer_bytes(run->writer) >= o->size_limit) {
		run->cut_by_size++;
		return 0;
	}
	/* Out of memory leaves the table short of a thread or fd, counted in its cuts. */
	if (run->threads)
		kcap_threads_update(run->threads, ev);
	if (note_event_container(run, ev) < 0)
		return -1;
	if (o->asked && !o->no_state && !o->asked[kcap_evt_type(ev)]) {
		/* Captured for the state it keeps, not asked for. */
		if (!kcap_event_changes_state(kcap_evt_type(ev))) {
			run->filtered++;
			return 0;
		}
		flags = KCAP_EVF_STATE_ONLY;
	} else if (o->filter) {
		if (!kcap_filter_match(o->filter, run->seen, ev, run->threads)) {
			if (!kcap_event_changes_state(kcap_evt_type(ev))) {
				run->filtered++;
				return 0;
			}
			flags = KCAP_EVF_STATE_ONLY;
		}
	}
	if (kcap_writer_event(run->writer, ev->cpu, flags, ev->hdr) < 0)
		return -1;
	if (flags)
		run->state_only++;
	else
		run->written++;
	return 0;
}

/*
 * The name of file number index: FILE through strftime(3) when -G is given
 * and FILE holds a '%'; a number appended (as sysdig and tcpdump number
 * them) otherwise, or with -C too; with -C and -W, numbers reused in a ring.
 */
static int file_name(const struct capture_opts *o, uint32_t index, char *out, size_t size)
{
	bool timed = o->rotate_secs && strchr(o->path, '%');
	time_t now = time(NULL);
	struct tm tm;
	char base[4096];

	if (!rotating(o))
		return snprintf(out, size, "%s", o->path) < (int)size ? 0 : -1;
	if (timed && (!localtime_r(&now, &tm) || !strftime(base, sizeof(base), o->path, &tm)))
		return -1;
	if (!timed)
		snprintf(base, sizeof(base), "%s", o->path);
	if (timed && !o->rotate_bytes)
		return snprintf(out, size, "%s", base) < (int)size ? 0 : -1;
	if (o->rotate_bytes && o->max_files)
		index %= o->max_files;
	return snprintf(out, size, "%s%u", base, index) < (int)size ? 0 : -1;
}

static bool time_to_rotate(const struct capture_opts *o, struct capture_run *run)
{
	if (o->rotate_bytes && kcap_writer_bytes(run->writer) >= o->rotate_bytes)
		return true;
	return o->rotate_secs && now_s() - run->file_start >= o->rotate_secs;
}

/*
 * Opens run->path and writes its metadata: the machine, users and
 * interfaces of the start, and the processes and fds of now, from the
 * thread table when the capture is past its first file.
 */
/* A file after the first: every container seen so far, described again. */
static int write_containers(struct capture_run *run)
{
	size_t i;

	for (i = 0; i < run->ncontainers; i++)
		if (write_container(run, &run->containers[i]) < 0)
			return -1;
	return 0;
}

static int open_file(const struct capture_opts *o, struct capture_run *run)
{
	struct kcap_meta m;
	char err[4600];
	int rc = -1;

	run->writer = kcap_writer_open(run->path, o->gzip, err, sizeof(err));
	if (!run->writer) {
		kcap_errorf("%s", err);
		return -1;
	}
	run->file_start = now_s();
	kcap_meta_init(&m);
	m.machine = run->base.machine;
	/* Borrowed from the start's scan, given back before m is freed. */
	m.users = run->base.users;
	m.nusers = run->base.nusers;
	m.ifaces = run->base.ifaces;
	m.nifaces = run->base.nifaces;
	if (kcap_threads_export(run->threads, &m) < 0)
		kcap_errorf("%s: out of memory listing the processes and fds", run->path);
	else if (kcap_writer_meta(run->writer, &m) < 0)
		kcap_errorf("%s: %s", run->path, kcap_writer_error(run->writer));
	else
		rc = write_containers(run);
	m.users = NULL;
	m.nusers = 0;
	m.ifaces = NULL;
	m.nifaces = 0;
	kcap_meta_free(&m);
	return rc;
}

static int close_file(const struct capture_opts *o, struct capture_run *run,
		      struct kcap_writer_stats *st);

/* Closes the file and starts the next; with -G and -W, stops after the last. */
static int rotate(const struct capture_opts *o, struct capture_run *run)
{
	struct kcap_writer_stats st = { 0 };
	int rc = close_file(o, run, &st);

	run->writer = NULL;
	run->closed.events += st.events;
	run->closed.file_bytes += st.file_bytes;
	run->files++;
	if (rc < 0)
		return -1;
	if (o->rotate_secs && o->max_files && !o->rotate_bytes &&
	    run->file_index + 1 >= o->max_files) {
		run->file_limit = true;
		return 0;
	}
	run->file_index++;
	if (file_name(o, run->file_index, run->path, sizeof(run->path)) < 0) {
		kcap_errorf("%s: the name of file %u is too long", o->path, run->file_index);
		return -1;
	}
	return open_file(o, run);
}

/* Moves events from the rings to the file; with drain, until the rings are empty. */
static int pump(const struct capture_opts *o, struct capture_run *run, bool drain)
{
	double last_status = run->start, last_flush = now_s();
	bool tty = isatty(STDERR_FILENO), live = o->path && !strcmp(o->path, "-");
	bool status = tty || o->progress;
	struct kcap_evt ev;
	uint32_t iter = 0;
	int rc = 0;

	for (;;) {
		/* Stop conditions cost syscalls: look at them when idle or now and then. */
		if (!drain && (rc == 0 || (++iter & 1023) == 0) && should_stop(o, run))
			return 0;
		rc = kcap_engine_next(run->engine, &ev, drain ? 0 : 10);
		if (rc < 0) {
			kcap_errorf("corrupt event from the driver");
			return -1;
		}
		if (rc == 0 && drain)
			return 0;
		if (rc == 1 && child_before_exec(run, &ev))
			continue;
		if (rc == 1 && o->discard && (!o->max_events || run->written < o->max_events))
			run->written++;	/* counted, not kept */
		/* Past the last file of -G -W, events are not written, as past -n. */
		if (rc == 1 && run->writer && (!o->max_events || run->written < o->max_events) &&
		    write_event(o, run, &ev) < 0)
			return -1;	/* said once the file is closed */
		if (rotating(o) && run->writer && (rc == 0 || (iter & 255) == 0 ||
							o->rotate_bytes) &&
		    time_to_rotate(o, run) && rotate(o, run) < 0)
			return -1;
		/* A reader at the other end of the pipe sees each second's events. */
		if (live && (rc == 0 || (iter & 1023) == 0) && now_s() - last_flush >= 1.0) {
			if (kcap_writer_flush(run->writer) < 0)
				return -1;	/* said once the file is closed */
			last_flush = now_s();
		}
		if (status && (rc == 0 || (iter & 1023) == 0) && now_s() - last_status >= 1.0) {
			show_status(run, false, tty);
			last_status = now_s();
		}
	}
}

/*
 * What was refused per CPU, when anything was: events of hooks that fired
 * inside another event's building, forks a full scope could not follow.
 */
static void report_per_cpu(struct capture_run *run, const struct kcap_engine_counters *all)
{
	struct kcap_engine_counters c;
	int cpu;

	if (all->drops_nested) {
		fprintf(stderr, "kcap: nested events refused per CPU:");
		for (cpu = 0; cpu < kcap_engine_ncpus(run->engine); cpu++)
			if (kcap_engine_cpu_counters(run->engine, cpu, &c) == 0)
				fprintf(stderr, " cpu%d %" PRIu64, cpu, c.drops_nested);
		fputc('\n', stderr);
	}
	if (all->scope_full)
		fprintf(stderr, "kcap: %" PRIu64 " forks not followed: the followed process tree "
			"reached %u processes\n", all->scope_full, KCAP_TRACED_MAX);
}

/* -v: each CPU's events and what it dropped or refused, per cause. */
static void report_causes(struct capture_run *run)
{
	struct kcap_engine_counters c;
	int cpu;

	for (cpu = 0; cpu < kcap_engine_ncpus(run->engine); cpu++) {
		if (kcap_engine_cpu_counters(run->engine, cpu, &c) < 0)
			continue;
		fprintf(stderr, "kcap: cpu%d: %" PRIu64 " events; drops: %" PRIu64 " ring full, %"
			PRIu64 " too large, %" PRIu64 " nested, %" PRIu64 " failed tail calls; %"
			PRIu64 " failed user-memory reads, %" PRIu64 " forks not followed, %" PRIu64
			" shed\n", cpu, c.events, c.drops_ring_full, c.drops_too_large,
			c.drops_nested, c.tail_call_failures, c.read_failures, c.scope_full,
			c.drops_shed);
	}
}

/* The summary, from what the file holds once closed. */
static void report(const struct capture_opts *o, struct capture_run *run,
		   const struct kcap_writer_stats *st, double secs)
{
	struct kcap_engine_counters c;
	uint64_t events = st->events + run->closed.events;

	if (o->discard)
		fprintf(stderr, "kcap: %" PRIu64 " events read and discarded in %.2f s, "
			"%.0f events/s\n", run->written, secs,
			secs > 0 ? (double)run->written / secs : 0.0);
	else if (run->files)
		fprintf(stderr, "kcap: %" PRIu64 " events written to %u files, the last %s "
			"(%.1f MB in all) in %.2f s, %.0f events/s\n", events,
			run->files + !run->file_limit, run->path,
			(double)(st->file_bytes + run->closed.file_bytes) / 1e6, secs,
			secs > 0 ? (double)events / secs : 0.0);
	else
		fprintf(stderr, "kcap: %" PRIu64 " events written to %s (%.1f MB) in %.2f s, "
			"%.0f events/s\n", events, o->path, (double)st->file_bytes / 1e6, secs,
			secs > 0 ? (double)events / secs : 0.0);
	kcap_engine_counters(run->engine, &c);
	if (o->scope.fields) {
		char scope[1024];

		kcap_scope_describe(&o->scope, scope, sizeof(scope));
		fprintf(stderr, "kcap: scope: %s (in the kernel: events out of it were not "
			"built)\n", scope);
	}
	if (run->cut_by_size)
		fprintf(stderr, "kcap: the file reached --size-limit: %" PRIu64 " events read after "
			"it were not written\n", run->cut_by_size);
	if (o->filter)
		fprintf(stderr, "kcap: filter: %" PRIu64 " events matched, %" PRIu64 " more written "
			"for the state they change, %" PRIu64 " filtered out\n", run->written,
			run->state_only, run->filtered);
	else if (o->asked && !o->no_state && !o->discard)
		fprintf(stderr, "kcap: --events: %" PRIu64 " events asked for, %" PRIu64 " more "
			"written for the state they change (--no-state-events leaves them out)\n",
			run->written, run->state_only);
	fprintf(stderr, "kcap: drops: %" PRIu64 " ring full, %" PRIu64 " too large, %" PRIu64
		" nested; %" PRIu64 " failed user-memory reads\n", c.drops_ring_full,
		c.drops_too_large, c.drops_nested, c.read_failures);
	if (c.tail_call_failures)
		fprintf(stderr, "kcap: %" PRIu64 " events lost to failed tail calls\n",
			c.tail_call_failures);
	if (o->dropping_mode)
		fprintf(stderr, "kcap: dropping mode: %" PRIu64 " events shed to keep room for the "
			"state events\n", c.drops_shed);
	report_per_cpu(run, &c);
	if (o->verbose)
		report_causes(run);
}

/*
 * Stops the command if it still runs: SIGTERM, then SIGKILL after 5 s. It
 * is said, so that a command cut short is never a surprise.
 */
static void stop_command(struct capture_run *run, const char *name)
{
	int i;

	if (run->child <= 0 || waitpid(run->child, &run->child_status, WNOHANG) == run->child)
		return;
	run->stopped_command = true;
	kcap_errorf("stopping %s (pid %d), still running: SIGTERM", name, (int)run->child);
	kill(run->child, SIGTERM);
	for (i = 0; i < 50; i++) {
		if (waitpid(run->child, &run->child_status, WNOHANG) == run->child)
			return;
		usleep(100000);
	}
	kcap_errorf("%s (pid %d) ignored SIGTERM for 5 s: SIGKILL", name, (int)run->child);
	kill(run->child, SIGKILL);
	waitpid(run->child, &run->child_status, 0);
}

/* The command's exit status as a shell gives it: 128 + the signal it died of. */
static int command_status(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 0;
}

/* Closes the file; a failed write is said with what the file still holds. */
static int close_file(const struct capture_opts *o, struct capture_run *run,
		      struct kcap_writer_stats *st)
{
	char err[512];

	if (kcap_writer_close(run->writer, st, err, sizeof(err)) == 0)
		return 0;
	(void)o;
	kcap_errorf("%s: %s; the file holds the first %" PRIu64 " events, complete", run->path,
		    err, st->events);
	return -1;
}

/*
 * A hook this kernel lacks (a tracepoint, a kprobed function it lacks or
 * inlined) is said in one line and the capture goes on; when none of the
 * events asked for by name can be produced, kcap has nothing to capture: an
 * error, not an empty file.
 */
static int say_missing_hooks(const struct capture_opts *o, struct kcap_engine *e)
{
	uint64_t missing = kcap_engine_missing_hooks(e), wanted;
	const char *driver = kcap_driver_name(kcap_engine_driver(e));
	bool produced = false;
	int h, nr;

	if (!missing)
		return 0;
	for (h = 0; h < KCAP_HOOK_MAX; h++)
		if (missing & (1ull << h))
			kcap_errorf("this kernel has no %s for the %s driver: no %s events from it",
				    g_hooks[h].target, driver, g_event_info[kcap_hook_event(h)].name);
	if (!o->interest)
		return 0;
	wanted = kcap_interest_hooks(o->interest);
	for (nr = 0; nr < SYSCALL_TABLE_SIZE; nr++)
		produced |= g_syscall_table[nr].ppm_sc && o->interest[g_syscall_table[nr].ppm_sc];
	for (h = 0; h < KCAP_HOOK_MAX; h++)
		produced |= g_hooks[h].event && (wanted & ~missing & (1ull << h));
	if (!produced) {
		kcap_errorf("--events: kcap cannot produce any of the events asked for on this kernel");
		return -1;
	}
	return 0;
}

/* The inode of /proc/1/ns/NAME ("net:[4026531840]"), 0 when unreadable. */
static uint64_t init_ns(const char *name)
{
	char path[64], link[64];
	const char *open_bracket;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/1/ns/%s", name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	open_bracket = strchr(link, '[');
	return open_bracket ? strtoull(open_bracket + 1, NULL, 10) : 0;
}

/* Writes one event kcap derives itself; the filter, if any, decides. */
static int write_derived(const struct capture_opts *o, struct capture_run *run, uint16_t type,
			 int64_t tid, const struct kcap_param_in *params, uint32_t n)
{
	uint8_t buf[8192];
	struct kcap_evt ev;
	const char *why;
	struct timespec ts;
	size_t len;

	if (o->asked && !o->asked[type])
		return 0;	/* -e without it */
	clock_gettime(CLOCK_REALTIME, &ts);
	len = kcap_evt_build(buf, sizeof(buf), type, (uint64_t)ts.tv_sec * 1000000000ull +
			     (uint64_t)ts.tv_nsec, tid, params, n);
	if (!len || kcap_evt_parse(buf, len, &ev, &why) < 0)
		return 0;	/* a cgroup path too long for the event: not derived */
	if (o->filter && !kcap_filter_match(o->filter, 0, &ev, run->threads))
		return 0;
	if (kcap_writer_event(run->writer, 0, 0, ev.hdr) < 0) {
		kcap_errorf("%s: %s", run->path, kcap_writer_error(run->writer));
		return -1;
	}
	return 0;
}

/*
 * Events derived at capture start, as Tracee derives them: the machine's
 * initial namespaces, and each container already running (docker,
 * containerd, CRI-O, podman), found in the cgroups of the scan.
 */
static int write_derived_events(const struct capture_opts *o, struct capture_run *run,
				const struct kcap_meta *m)
{
	static const char *const ns[] = { "cgroup", "ipc", "mnt", "net", "pid", "time", "user",
					  "uts" };
	struct kcap_param_in p[8];
	uint64_t inode[8];
	char (*seen)[KCAP_CONTAINER_FULL_ID_LEN + 1] = NULL;
	size_t i, k, nseen = 0;
	int rc = 0;

	for (i = 0; i < 8; i++) {
		inode[i] = init_ns(ns[i]);
		p[i] = (struct kcap_param_in){ &inode[i], sizeof(inode[i]) };
	}
	if (write_derived(o, run, PPME_INIT_NAMESPACES_E, -1, p, 8) < 0)
		return -1;
	seen = calloc(m->nprocs ? m->nprocs : 1, sizeof(*seen));
	if (!seen)
		return 0;
	for (i = 0; i < m->nprocs && rc == 0; i++) {
		const struct kcap_proc *proc = &m->procs[i];
		struct kcap_container c;
		int64_t pid = proc->pid;
		char path[4096];
		size_t n;

		if (!kcap_container_find(proc->cgroups.data, proc->cgroups.len, &c))
			continue;
		for (k = 0; k < nseen && strcmp(seen[k], c.full_id); k++)
			;
		if (k < nseen)
			continue;
		memcpy(seen[nseen++], c.full_id, sizeof(c.full_id));
		p[0] = (struct kcap_param_in){ c.runtime, (uint32_t)strlen(c.runtime) + 1 };
		p[1] = (struct kcap_param_in){ c.full_id, (uint32_t)sizeof(c.full_id) };
		/* The path, NUL-terminated: copied, the scan's bytes go on past it. */
		n = c.cgroup_len < sizeof(path) - 1 ? c.cgroup_len : sizeof(path) - 1;
		memcpy(path, c.cgroup, n);
		path[n] = '\0';
		p[2] = (struct kcap_param_in){ path, (uint32_t)n + 1 };
		p[3] = (struct kcap_param_in){ &pid, sizeof(pid) };
		rc = write_derived(o, run, PPME_EXISTING_CONTAINER_E, proc->tid, p, 4);
		if (!rc)
			rc = note_container(run, &c);
	}
	free(seen);
	return rc;
}

/*
 * The machine and /proc into the first file, and into the thread table when
 * there is one; the scan is kept in run->base for the files that follow.
 */
static int write_metadata(const struct capture_opts *o, struct capture_run *run)
{
	struct kcap_meta *m = &run->base;
	char err[512];
	int rc;

	rc = kcap_scan_system(m, "/proc", err, sizeof(err));
	if (rc < 0)
		kcap_errorf("scanning /proc: %s", err);
	else if ((rc = kcap_writer_meta(run->writer, m)) < 0)
		kcap_errorf("%s: %s", run->path, kcap_writer_error(run->writer));
	else if (run->threads && (rc = kcap_threads_load(run->threads, m)) < 0)
		kcap_errorf("out of memory loading the thread table");
	else
		rc = write_derived_events(o, run, m);
	if (!rotating(o)) {
		kcap_meta_free(m);
		kcap_meta_init(m);
	}
	return rc;
}

/* The sources of the events that keep the process and fd state: the @state set. */
static void add_state_sources(bool *want)
{
	char err[256];

	if (kcap_interest_from_names("@state", want, NULL, err, sizeof(err)) < 0)
		kcap_errorf("%s", err);	/* not reached: kcap produces every @state event */
}

/*
 * What the kernel need not produce for the filter: the types it cannot
 * match, but for the events that keep the state; a top-level proc.pid.
 */
static void push_down_filter(const struct capture_opts *o, struct kcap_engine_opts *eo,
			     bool *want)
{
	bool types[KCAP_EVENT_MAX];
	int64_t pid;
	int t;

	if (!o->pid && !o->command && !(o->scope.fields & (1u << KCAP_SCOPE_PID)) &&
	    kcap_filter_pid(o->filter, &pid) && pid > 0 && pid <= INT32_MAX)
		eo->filter_tgid = (uint32_t)pid;
	if (o->interest)
		return;
	kcap_filter_types(o->filter, types);
	for (t = 0; t < KCAP_EVENT_MAX && types[t]; t++)
		;
	if (t == KCAP_EVENT_MAX)
		return;		/* any type: the default set */
	memset(want, 0, KCAP_SC_MAX * sizeof(*want));
	for (t = 0; t < KCAP_EVENT_MAX; t++)
		if (types[t])
			kcap_interest_add_event((uint16_t)t, want);
	add_state_sources(want);
	eo->interest = want;
}

/* -e: the events that keep the process and fd state are captured too. */
static void add_state_events(const struct capture_opts *o, struct kcap_engine_opts *eo,
			     bool *want)
{
	memcpy(want, o->interest, KCAP_SC_MAX * sizeof(*want));
	add_state_sources(want);
	eo->interest = want;
}

static int run_capture(const struct capture_opts *o)
{
	struct kcap_engine_opts eo = { .snaplen = o->snaplen, .ring_bytes = o->ring_bytes,
				       .filter_tgid = o->pid, .follow_children = o->scope.follow,
				       .scope = &o->scope, .enter_events = o->enter_events,
				       .interest = o->interest, .kmod_path = o->kmod_path,
				       .dropping_mode = o->dropping_mode,
				       .uprobe_binaries = o->uprobe_binaries };
	struct kcap_writer_stats st = { 0 };
	struct capture_run run = { 0 };
	bool want[KCAP_SC_MAX];
	char err[2560];
	int go_fd = -1, rc = -1;

	kcap_meta_init(&run.base);
	if (o->interest && !o->no_state)
		add_state_events(o, &eo, want);
	if (!o->discard && file_name(o, 0, run.path, sizeof(run.path)) < 0) {
		kcap_errorf("%s: the name of its first file is too long", o->path);
		return 1;
	}
	if (o->filter || rotating(o)) {
		run.threads = kcap_threads_new();
		if (!run.threads) {
			kcap_errorf("out of memory");
			goto out;
		}
		if (o->filter)
			push_down_filter(o, &eo, want);
	}
	/* A file that cannot be written is said before any probe is loaded. */
	if (!o->discard && kcap_writer_check(run.path, err, sizeof(err)) < 0) {
		kcap_errorf("%s", err);
		goto out;
	}
	if (o->command) {
		char path[4096];

		if (find_command(o->command[0], path, sizeof(path)) < 0) {
			kcap_errorf("cannot run %s: not found in PATH", o->command[0]);
			goto out;
		}
		run.child = start_command(o->command, path, &go_fd);
		if (run.child < 0) {
			kcap_errorf("cannot start %s: %s", o->command[0], strerror(errno));
			run.child = 0;
			goto out;
		}
		run.before_exec = run.child;
		/*
		 * Its execve marks where the command starts and names it: captured
		 * and written; other execve events only if asked for.
		 */
		if (eo.interest && !eo.interest[PPM_SC_EXECVE]) {
			if (eo.interest != want)
				memcpy(want, eo.interest, sizeof(want));
			want[PPM_SC_EXECVE] = true;
			eo.interest = want;
			run.hide_execve = true;
		}
		if (!o->pid) {
			eo.filter_tgid = (uint32_t)run.child;
			eo.follow_children = true;
		}
	}
	run.engine = kcap_engine_open(o->driver, &eo, err, sizeof(err));
	if (!run.engine) {
		kcap_errorf("%s", err);
		goto out;
	}
	if (o->driver == KCAP_DRIVER_AUTO)
		fprintf(stderr, "kcap: driver: %s (%s)\n",
			kcap_driver_name(kcap_engine_driver(run.engine)),
			kcap_engine_reason(run.engine));
	if (say_missing_hooks(o, run.engine) < 0)
		goto out;
	if (getenv("KCAP_BENCH_STAGE") && *getenv("KCAP_BENCH_STAGE") &&
	    kcap_engine_driver(run.engine) == KCAP_DRIVER_BPF)
		fprintf(stderr, "kcap: KCAP_BENCH_STAGE=%s: a benchmark setting: syscall events stop "
			"short of the file\n", getenv("KCAP_BENCH_STAGE"));
	if (!o->discard) {
		run.writer = kcap_writer_open(run.path, o->gzip, err, sizeof(err));
		if (!run.writer) {
			kcap_errorf("%s", err);
			goto out;
		}
		run.file_start = now_s();
		if (write_metadata(o, &run) < 0)
			goto out;
	}
	kcap_engine_set_capture(run.engine, true);
	run.start = now_s();
	if (go_fd >= 0 && (write(go_fd, "g", 1) != 1 || close(go_fd) < 0))
		kcap_errorf("cannot start the command");
	go_fd = -1;
	rc = pump(o, &run, false);
	kcap_engine_set_capture(run.engine, false);
	if (rc == 0)
		rc = pump(o, &run, true);
	if (isatty(STDERR_FILENO) && now_s() - run.start >= 1.0)
		show_status(&run, true, true);
	if (run.writer && close_file(o, &run, &st) < 0)
		rc = -1;
	run.writer = NULL;
	report(o, &run, &st, now_s() - run.start);
out:
	if (go_fd >= 0) {
		/* The command never ran: its waiting child ends without a word. */
		close(go_fd);
		kill(run.child, SIGKILL);
		waitpid(run.child, &run.child_status, 0);
		run.child = 0;
	}
	if (run.writer && close_file(o, &run, &st) < 0)
		rc = -1;
	kcap_engine_close(run.engine);
	kcap_threads_free(run.threads);
	free(run.containers);
	kcap_meta_free(&run.base);
	if (o->command)
		stop_command(&run, o->command[0]);
	if (rc < 0)
		return 1;
	return o->command && !run.stopped_command ? command_status(run.child_status) : 0;
}

int cmd_capture(int argc, char **argv)
{
	struct capture_opts o = { 0 };
	int status;

	if (capture_parse_opts(argc, argv, &o) < 0) {
		status = 2;
		goto out;
	}
	set_signals(true);
	status = run_capture(&o);
out:
	capture_opts_free(&o);
	return status;
}
