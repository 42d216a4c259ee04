// SPDX-License-Identifier: MIT
/* `kcap` and `kcap replay` as a user runs them. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

#define KCAP KCAP_BINARY_DIR "/kcap"
#define SAMPLE "scap-samples/cat_write.scap"

static const char *sample;

static void need_sample(void)
{
	sample = shared_path(SAMPLE);
	REQUIRE_SHARED(sample, SAMPLE);
}

static int kcap(const char *args, char **out, char **err)
{
	char cmd[16384];

	snprintf(cmd, sizeof(cmd), KCAP " %s", args);
	return run_cmd(cmd, out, err);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

Test(cli, help_explains_every_option)
{
	static const char *const opts[] = { "--count", "--json", "--type", "--tid", "--stats",
					    "--bytes", "--quiet", "--help" };
	char *out, *err;
	size_t i;

	cr_assert_eq(kcap("--help", &out, &err), 0);
	cr_assert(strstr(out, "replay"));
	free(out);
	free(err);
	cr_assert_eq(kcap("replay --help", &out, &err), 0);
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		cr_assert(strstr(out, opts[i]), "replay --help does not explain %s", opts[i]);
	free(out);
	free(err);
}

Test(cli, bad_usage_is_one_line_and_exit_2)
{
	static const char *const cases[] = { "", "frobnicate", "replay", "replay -n x f",
					     "replay --bogus f", "replay --type nosuchevent f",
					     "replay a b" };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out, *err;
		int status = kcap(cases[i], &out, &err);

		cr_assert_eq(status, 2, "'kcap %s': exit %d", cases[i], status);
		if (i > 0)
			cr_assert_eq(count_lines(err), 1, "'kcap %s': %s", cases[i], err);
		free(out);
		free(err);
	}
}

Test(cli, missing_file_is_a_clear_error)
{
	char *out, *err;

	cr_assert_eq(kcap("replay /nonexistent/x.scap", &out, &err), 1);
	cr_assert(strstr(err, "/nonexistent/x.scap: cannot open: No such file"), "%s", err);
	free(out);
	free(err);
}

Test(cli, text_lines_like_sysdig, .init = need_sample)
{
	char args[4200], *out, *err, *line;
	unsigned long long num;
	unsigned cpu;
	char time[32], comm[64], dir, type[64];
	long long tid;

	snprintf(args, sizeof(args), "replay -n 20 '%s'", sample);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert_eq(count_lines(out), 20);
	for (line = out; *line; line = strchr(line, '\n') + 1) {
		cr_assert_eq(sscanf(line, "%llu %31s %u %63s (%lld) %c %63s", &num, time, &cpu, comm,
				    &tid, &dir, type), 7, "bad line: %.200s", line);
		cr_assert(dir == '>' || dir == '<');
		cr_assert_eq(strlen(time), 18, "time %s is not HH:MM:SS.nnnnnnnnn", time);
	}
	cr_assert(strstr(out, "1 "), "%s", out);
	free(out);
	free(err);
}

Test(cli, json_lines_parse, .init = need_sample)
{
	char args[4200], *out, *err, *line, *next;
	int n = 0;

	snprintf(args, sizeof(args), "replay --json '%s'", sample);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	for (line = out; *line; line = next + 1) {
		json_object *o, *v;

		next = strchr(line, '\n');
		*next = '\0';
		o = json_tokener_parse(line);
		cr_assert_not_null(o, "not JSON: %.300s", line);
		cr_assert(json_object_object_get_ex(o, "type", &v));
		cr_assert(json_object_object_get_ex(o, "params", &v) &&
			  json_object_is_type(v, json_type_object));
		cr_assert(json_object_object_get_ex(o, "tid", &v) &&
			  json_object_is_type(v, json_type_int));
		json_object_put(o);
		n++;
	}
	cr_assert_eq(n, 345, "cat_write.scap has 345 events, %d JSON lines", n);
	free(out);
	free(err);
}

Test(cli, type_and_tid_filters, .init = need_sample)
{
	char args[4200], *out, *err, *line;
	long long tid = -1, t;
	int n = 0;

	snprintf(args, sizeof(args), "replay --type open,openat,close '%s'", sample);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	for (line = out; *line; line = strchr(line, '\n') + 1, n++) {
		char type[64];

		cr_assert_eq(sscanf(line, "%*u %*s %*u %*s (%lld) %*c %63s", &t, type), 2);
		cr_assert(!strcmp(type, "open") || !strcmp(type, "openat") || !strcmp(type, "close"),
			  "unexpected %s", type);
		tid = t;
	}
	cr_assert_gt(n, 0);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay --tid %lld '%s'", tid, sample);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	for (line = out; *line; line = strchr(line, '\n') + 1) {
		cr_assert_eq(sscanf(line, "%*u %*s %*u %*s (%lld)", &t), 1);
		cr_assert_eq(t, tid);
	}
	free(out);
	free(err);
}

Test(cli, stats_on_stderr, .init = need_sample)
{
	char args[4200], *out, *err;

	snprintf(args, sizeof(args), "replay --quiet --stats '%s'", sample);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert_str_eq(out, "");
	cr_assert(strstr(err, "events: 345 read"), "%s", err);
	cr_assert(strstr(err, "time span: "), "%s", err);
	cr_assert(strstr(err, "block 0x204: 345"), "%s", err);
	cr_assert(strstr(err, "events per type:"), "%s", err);
	free(out);
	free(err);
}

/*
 * True when bpftool still lists a kcap program 5 s after kcap exited: the
 * kernel frees released programs asynchronously, but promptly.
 */
static bool probe_left_loaded(void)
{
	char *out, *err;
	bool left = true;
	int tries;

	for (tries = 0; left && tries < 50; tries++) {
		if (tries)
			usleep(100000);
		cr_assert_eq(run_cmd("bpftool prog show", &out, &err), 0, "bpftool: %s", err);
		left = strstr(out, "kcap_sys_exit") || strstr(out, "fill_close_x");
		free(out);
		free(err);
	}
	return left;
}

static void need_root(void)
{
	if (geteuid() != 0)
		cr_skip_test("capture needs root: skipped");
}

Test(cli, capture_a_command_then_replay, .init = need_root)
{
	char args[4400], path[4096], *out, *err;

	snprintf(path, sizeof(path), "%s", tmp_path("cmd.scap"));	/* tmp_path reuses its buffer */

	snprintf(args, sizeof(args), "capture -w '%s' -- sh -c 'exec 3</dev/null; exit 3'", path);
	cr_assert_eq(kcap(args, &out, &err), 3, "not the command's status: %s", err);
	cr_assert(strstr(err, "events written to"), "%s", err);
	cr_assert(strstr(err, "drops: 0 ring full, 0 too large"), "%s", err);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay --type openat,procexit '%s'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "name=/dev/null flags=1(O_RDONLY)"), "%s", out);
	cr_assert(strstr(out, "procexit status=768 ret=3"), "%s", out);
	free(out);
	free(err);
	cr_assert(!probe_left_loaded(), "a kcap program is still loaded after capture");
	unlink(path);
}

Test(cli, sigint_stops_capture_cleanly, .init = need_root)
{
	char cmd[4400], path[4096], *out, *err;

	snprintf(path, sizeof(path), "%s", tmp_path("sigint.scap"));

	snprintf(cmd, sizeof(cmd), KCAP " capture -w '%s' --duration 60 & pid=$!; sleep 1; "
		 "kill -INT $pid; wait $pid", path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "events written to"), "%s", err);
	cr_assert(!probe_left_loaded(), "a kcap program is still loaded after SIGINT");
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), "replay --quiet --stats '%s'", path);
	cr_assert_eq(kcap(cmd, &out, &err), 0, "the interrupted capture does not replay: %s", err);
	free(out);
	free(err);
	unlink(path);
}

/* On a kernel without the module loaded, a missing kcap.ko is a clear error. */
/*
 * One line, also with a command: it never ran, so nothing is said of
 * stopping it (tried a few times: the child's end races kcap's).
 */
Test(cli, capture_kmod_without_module_file)
{
	static const char *const tails[] = { "", " -- true", " -- true", " -- true", " -- true" };
	char args[256], *out, *err;
	size_t i;
	int status;

	if (geteuid() != 0 || access("/sys/module/kcap", F_OK) == 0)
		cr_skip_test("needs root and no kcap module loaded");
	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		snprintf(args, sizeof(args), "capture -w '%s' --driver kmod "
			 "--kmod /nonexistent/kcap.ko%s", tmp_path("kmod-x.scap"), tails[i]);
		status = kcap(args, &out, &err);
		cr_assert_eq(status, 1, "exit %d: %s", status, err);
		cr_assert_eq(count_lines(err), 1, "%s", err);
		cr_assert(strstr(err, "/nonexistent/kcap.ko"), "%s", err);
		free(out);
		free(err);
	}
}

Test(cli, capture_usage_errors)
{
	static const char *const cases[] = { "capture", "capture -w", "capture -w x --driver nosuch",
					     "capture -w x --events nosuch", "capture -w x -n abc",
					     "capture -w x --ring-size 4095", "capture -w x --pid 0",
					     "capture -w x --pid 2147483647", "capture -w x -t nan",
					     "capture -w x -t inf", "capture -w x -t ''",
					     "capture -w x --events ''", "capture -w x --events ,",
					     "capture -w x --", "capture -w x -s 0",
					     "capture -w x -s 32768", "capture -w x -s 65000",
					     "capture -w x -e pluginevent", "capture -w x --scope uid",
					     "capture -w x --scope user=1", "capture -w x --scope follow",
					     "capture -w x --scope pid=1 -- true",
					     "capture --discard -w x", "capture --discard -C 1",
					     "capture --discard -z", "capture --discard evt.type=open",
					     "capture -w x --uprobe bash_readline",
					     "capture -w x --uprobe =/bin/bash",
					     "capture -w x --uprobe open=/bin/bash",
					     "capture -w x --uprobe bash_readline=/bin/bash -- true" };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out, *err;
		int status = kcap(cases[i], &out, &err);

		cr_assert_eq(status, 2, "'kcap %s': exit %d: %s", cases[i], status, err);
		cr_assert_eq(count_lines(err), 1, "'kcap %s': %s", cases[i], err);
		free(out);
		free(err);
	}
}

/* gzip on a pipe: sniffed without seeking. */
Test(cli, replay_reads_gzip_from_a_pipe, .init = need_sample)
{
	char args[4200], *out, *err;

	snprintf(args, sizeof(args), "cat '%s' | " KCAP " replay --quiet --stats /dev/stdin", sample);
	cr_assert_eq(run_cmd(args, &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "events: 345 read"), "%s", err);
	free(out);
	free(err);
}

/* A failed write of the output is an error, said in one line. */
Test(cli, output_errors_are_errors, .init = need_sample)
{
	static const char *const modes[] = { "", "--json" };
	char args[4200], *out, *err;
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(args, sizeof(args), KCAP " replay %s '%s' >/dev/full", modes[i], sample);
		cr_assert_eq(run_cmd(args, &out, &err), 1, "%s", err);
		cr_assert(strstr(err, "cannot write the output: No space left on device"), "%s", err);
		cr_assert_eq(count_lines(err), 1, "%s", err);
		free(out);
		free(err);
	}
}

/* -s 0 shows no byte of a buffer, only that there were some. */
Test(cli, bytes_0_shows_no_buffer_bytes, .init = need_sample)
{
	char args[4200], *out, *err;

	snprintf(args, sizeof(args), "replay -s 0 --type read '%s'", sample);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "< read res=832 data=...\n"), "%s", out);
	free(out);
	free(err);
}

/* ---- every way a capture stops leaves a complete file ----------------- */

static char small_dir[4096];

/* A 2 MiB tmpfs: a full disk on demand. */
static void mount_small(void)
{
	char cmd[4200];

	need_root();
	snprintf(small_dir, sizeof(small_dir), "%s", tmp_path("small"));
	mkdir(small_dir, 0700);
	snprintf(cmd, sizeof(cmd), "mount -t tmpfs -o size=2m tmpfs '%s' 2>/dev/null", small_dir);
	if (system(cmd) != 0)
		cr_skip_test("cannot mount a tmpfs: skipped");
}

static void unmount_small(void)
{
	char cmd[8400];

	snprintf(cmd, sizeof(cmd), "umount '%s'; rmdir '%s'", small_dir, small_dir);
	cr_assert_eq(system(cmd), 0);
}

static unsigned long long number_before(const char *s, const char *what)
{
	const char *p = strstr(s, what);

	cr_assert_not_null(p, "no '%s' in: %s", what, s);
	while (p > s && p[-1] == ' ')
		p--;
	while (p > s && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return strtoull(p, NULL, 10);
}

/* What replay finds in path: its event count, or exits the test. */
static unsigned long long events_in(const char *path)
{
	char args[4200], *out, *err;
	unsigned long long n;

	snprintf(args, sizeof(args), "replay --quiet --stats '%s'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s does not replay to its end: %s", path, err);
	n = number_before(err, " read,");
	free(out);
	free(err);
	return n;
}

/* A full disk: exit 1, one line, and the report counts what the file holds. */
Test(cli, full_disk_leaves_a_complete_file, .init = mount_small, .fini = unmount_small)
{
	static const char *const files[] = { "full.scap", "full.scap.gz" };
	char path[4200], args[4600], *out, *err;
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", small_dir, files[i]);
		snprintf(args, sizeof(args), "capture %s -w '%s' -- dd if=/dev/zero of=/dev/null bs=1 "
			 "count=3000000", i ? "-z" : "", path);
		cr_assert_eq(kcap(args, &out, &err), 1, "%s", err);
		cr_assert(strstr(err, "write failed: No space left on device; the file holds the first"),
			  "%s", err);
		cr_assert_eq(number_before(err, " events written to"), events_in(path), "%s", err);
		cr_assert(strstr(err, "stopping dd"), "the command is not said stopped: %s", err);
		free(out);
		free(err);
		unlink(path);
	}
}

/*
 * SIGHUP (the terminal gone) and SIGPIPE (stderr into `head -1`) stop the
 * capture like SIGINT: a complete file, gzip ended, no probe left.
 */
Test(cli, hangup_and_broken_pipe_leave_a_complete_file, .init = need_root)
{
	char path[4096], cmd[8800], *out, *err;

	snprintf(path, sizeof(path), "%s", tmp_path("hup.scap.gz"));
	/* HUP once capturing: the metadata is in the file before capture starts. */
	snprintf(cmd, sizeof(cmd), KCAP " capture -z -w '%s' --duration 60 & pid=$!; i=0; "
		 "while [ ! -s '%s' ] && [ $i -lt 300 ] && kill -0 $pid; do sleep 0.1; i=$((i+1)); "
		 "done; sleep 0.5; kill -HUP $pid; wait $pid", path, path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "events written to"), "%s", err);
	free(out);
	free(err);
	cr_assert_gt(events_in(path), 0);

	/* The command ignores SIGPIPE too: kcap's status is its 3, not 141 (a SIGPIPE). */
	snprintf(cmd, sizeof(cmd), "{ " KCAP " capture -z -w '%s' -- sh -c "
		 "'trap \"\" PIPE; for i in 1 2 3 4 5 6 7 8; do echo line $i >&2; done; exit 3'; "
		 "echo status $? >'%s.status'; } 2>&1 | head -1", path, path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	cr_assert_eq(count_lines(out), 1, "%s", out);
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), "%s.status", path);
	out = read_file(cmd, &(size_t){ 0 });
	cr_assert(out && !strncmp(out, "status 3\n", 9), "kcap did not exit 3: %.20s", out);
	free(out);
	unlink(cmd);
	cr_assert_gt(events_in(path), 0);
	snprintf(cmd, sizeof(cmd), "gzip -t '%s'", path);
	cr_assert_eq(system(cmd), 0, "the gzip stream is not ended");
	cr_assert(!probe_left_loaded(), "a kcap program is still loaded");
	unlink(path);
}

/* A command still running when the capture stops is stopped, and it is said. */
Test(cli, a_command_cut_short_is_said, .init = need_root)
{
	char path[4096], args[4400], *out, *err;

	snprintf(path, sizeof(path), "%s", tmp_path("short.scap"));
	snprintf(args, sizeof(args), "capture -w '%s' -t 1 -- sh -c 'trap \"\" TERM; exec sleep 30'",
		 path);
	cr_assert_eq(kcap(args, &out, &err), 0, "kcap stopped it: its status says nothing: %s", err);
	cr_assert(strstr(err, "stopping sh (pid "), "%s", err);
	cr_assert(strstr(err, "ignored SIGTERM for 5 s: SIGKILL"), "%s", err);
	free(out);
	free(err);
	unlink(path);
}

static char deep_dir[4096];

/* The deep tree goes whatever the test's end: 20,000 levels owned by nobody. */
static void remove_deep_dir(void)
{
	char cmd[4200];

	if (!deep_dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", deep_dir);
	cr_assert_eq(system(cmd), 0, "cannot remove %s", deep_dir);
	deep_dir[0] = '\0';
}

/*
 * A real capture of an unprivileged process going 20,000 directories deep
 * by relative chdirs: its cwd passes PATH_MAX at once. Replay stays fast and
 * its output small, and says what it could not keep.
 */
Test(cli, deep_relative_chdirs_replay_in_bounded_time_and_output, .init = need_root,
     .fini = remove_deep_dir, .timeout = 300)
{
	char path[4096], cmd[12000], *out, *err;
	struct timespec t0, t1;
	size_t outlen;

	/* Where nobody can go: the build's test directory is root's only. */
	snprintf(deep_dir, sizeof(deep_dir), "/tmp/kcap-deep-XXXXXX");
	cr_assert_not_null(mkdtemp(deep_dir));
	cr_assert_eq(chmod(deep_dir, 0777), 0);
	snprintf(path, sizeof(path), "%s", tmp_path("deep.scap"));
	/* perl, not sh: a shell's cd keeps a logical path, which stops at PATH_MAX. */
	snprintf(cmd, sizeof(cmd), KCAP " capture -w '%s' -- setpriv --reuid=65534 --regid=65534 "
		 "--clear-groups perl -e 'chdir(\"%s\") or die; for (1..20000) { mkdir(\"a\") and "
		 "chdir(\"a\") or die \"$_: $!\" } print \"20000\\n\"' 2>&1", path, deep_dir);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "20000\n"), "the workload did not go 20000 deep: %s %s", out, err);
	free(out);
	free(err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(cmd, sizeof(cmd), KCAP " replay '%s' | wc -c", path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	outlen = strtoull(out, NULL, 10);
	cr_assert(strstr(err, "paths longer than 4096 bytes"), "%s", err);
	cr_assert_lt(outlen, 20u << 20, "%zu bytes of text", outlen);
	cr_assert_lt(t1.tv_sec - t0.tv_sec, 10, "replay took %ld s", (long)(t1.tv_sec - t0.tv_sec));
	free(out);
	free(err);
	unlink(path);
}

/* The scheduler, fault and signal hooks, asked for by name, end up in the file. */
Test(cli, capture_switch_page_fault_and_signal_events, .init = need_root)
{
	char path[4096], args[4400], *out, *err;

	snprintf(path, sizeof(path), "%s", tmp_path("hooks.scap"));
	snprintf(args, sizeof(args), "capture -e switch,page_fault,signaldeliver,procexit -w '%s' "
		 "-- sh -c 'trap true USR1; kill -USR1 $$; sleep 0.01'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay '%s'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "> switch next="), "no switch event: %.2000s", out);
	cr_assert(strstr(out, "> page_fault addr=0x"), "no page_fault event");
	cr_assert(strstr(out, "> signaldeliver spid=0 dpid="), "no signaldeliver event");
	cr_assert(strstr(out, "sig=10(SIGUSR1)"), "no SIGUSR1 delivered");
	cr_assert(strstr(out, "> procexit status=0"), "no procexit event");
	cr_assert(!strstr(out, " openat "), "an event nobody asked for");
	free(out);
	free(err);
	unlink(path);
}

/*
 * A kernel without the page_fault_user tracepoint (its BTF hidden from
 * libbpf by a preloaded shim, as on a kernel built without it): kcap says so
 * in one line and captures the rest, kernel-mode faults included.
 */
Test(cli, a_tracepoint_the_kernel_lacks_is_said_and_the_rest_captured, .init = need_root)
{
	char path[4096], cmd[5000], *out, *err;

	snprintf(path, sizeof(path), "%s", tmp_path("lacks.scap"));
	snprintf(cmd, sizeof(cmd), "LD_PRELOAD=" KCAP_BINARY_DIR "/libkcap_hidebtf.so "
		 "KCAP_HIDE_BTF=btf_trace_page_fault_user " KCAP " capture -d bpf -e page_fault,signaldeliver "
		 "-w '%s' -- sh -c 'trap true USR1; kill -USR1 $$; "
		 "dd if=/dev/zero of=/dev/null bs=1M count=8 2>/dev/null'", path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "kcap: this kernel has no page_fault_user for the bpf driver: "
			      "no page_fault events from it\n"), "%s", err);
	cr_assert(!strstr(err, "page_fault_kernel"), "%s", err);
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), KCAP " replay '%s'", path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "SUPERVISOR_FAULT)"), "no kernel-mode page_fault: %.2000s", out);
	cr_assert(!strstr(out, "USER_FAULT"), "a user-mode page_fault from a missing hook");
	cr_assert(strstr(out, "sig=10(SIGUSR1)"), "no signaldeliver event");
	free(out);
	free(err);
	unlink(path);
}

/* kcap capture -e events of true into path, on a kernel without page fault tracepoints. */
static int capture_without_page_faults(const char *events, const char *path, char **out,
				       char **err)
{
	char cmd[5000];

	snprintf(cmd, sizeof(cmd), "LD_PRELOAD=" KCAP_BINARY_DIR "/libkcap_hidebtf.so "
		 "KCAP_HIDE_BTF=btf_trace_page_fault_user,btf_trace_page_fault_kernel " KCAP
		 " capture -d bpf -e %s -w '%s' -- true", events, path);
	return run_cmd(cmd, out, err);
}

/*
 * An event asked for by name whose hooks are all missing is said and the
 * rest captured; when none of the events asked for can be produced: an error,
 * not an empty file.
 */
Test(cli, an_event_the_kernel_cannot_produce_is_said_and_nothing_is_an_error,
     .init = need_root)
{
	char path[4096], cmd[5000], *out, *err;

	snprintf(path, sizeof(path), "%s", tmp_path("cannot.scap"));
	cr_assert_eq(capture_without_page_faults("switch,page_fault", path, &out, &err), 0, "%s",
		     err);
	cr_assert(strstr(err, "kcap: this kernel has no page_fault_kernel for the bpf driver: "
			      "no page_fault events from it\n"), "%s", err);
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), KCAP " replay '%s'", path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "> switch next="), "no switch event: %.2000s", out);
	free(out);
	free(err);
	unlink(path);

	cr_assert_neq(capture_without_page_faults("page_fault", path, &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "kcap: --events: kcap cannot produce any of the events asked for "
			      "on this kernel\n"), "%s", err);
	cr_assert_eq(access(path, F_OK), -1, "a file was left: %s", path);
	free(out);
	free(err);
}

/* tshark reads the file whole: as many frames as replay showed events. */
static void expect_tshark_reads(const char *path, int events)
{
	char *out = tshark_frames(path, "-e frame.number");

	cr_assert_eq(count_lines(out), events, "tshark reads %d frames, kcap %d events",
		     count_lines(out), events);
	free(out);
}

/* A capture that fails before it starts: exit status, its one line, no file. */
static void expect_capture_refused(const char *cmd, const char *path, int status,
				   const char *line)
{
	char *out, *err;

	cr_assert_eq(run_cmd(cmd, &out, &err), status, "%s", err);
	cr_assert_str_eq(err, line);
	cr_assert_eq(access(path, F_OK), -1, "a file was left: %s", path);
	free(out);
	free(err);
}

/* A kernel without kprobes (this machine's): a kprobe event asked for is an error. */
Test(cli, a_kprobe_event_without_kprobes_is_an_error, .init = need_root)
{
	char path[4096], cmd[5000];

	if (access("/sys/bus/event_source/devices/kprobe/type", F_OK) == 0)
		cr_skip_test("this kernel has kprobes (the guests test them)");
	snprintf(path, sizeof(path), "%s", tmp_path("nokprobes.scap"));
	snprintf(cmd, sizeof(cmd), KCAP " capture -d bpf -e open,swapin -w '%s' -- true", path);
	expect_capture_refused(cmd, path, 1, "kcap: this kernel has no kprobes (CONFIG_KPROBES): "
			       "kcap cannot capture swapin events\n");
}

/*
 * A real capture with kcap's own events among upstream's (a refused
 * loopback connection: connect, and the socket's TCP states): replay decodes
 * them by name, and tshark reads the file whole, as many frames as events,
 * nothing malformed.
 */
Test(cli, own_events_replay_and_open_in_tshark, .init = need_root)
{
	char path[4096], cmd[5000], *out, *err;
	int events;

	snprintf(path, sizeof(path), "%s", tmp_path("own-tcp.scap"));
	snprintf(cmd, sizeof(cmd), KCAP " capture -e tcp_state,connect,socket -w '%s' -- bash -c "
		 "'exec 3<>/dev/tcp/127.0.0.1/1 2>/dev/null; true'", path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), "replay '%s'", path);
	cr_assert_eq(kcap(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "> tcp_state family=2(AF_INET) protocol=6(IPPROTO_TCP) "
			      "saddr=127.0.0.1 sport="), "%.3000s", out);
	cr_assert(strstr(out, " daddr=127.0.0.1 dport=1 oldstate=7(TCP_CLOSE) "
			      "newstate=2(TCP_SYN_SENT)\n"), "%.3000s", out);
	cr_assert(strstr(out, "oldstate=2(TCP_SYN_SENT) newstate=7(TCP_CLOSE)\n"), "%.3000s", out);
	cr_assert(strstr(out, "< connect res=-111(ECONNREFUSED)"), "%.3000s", out);
	events = count_lines(out);
	free(out);
	free(err);
	expect_tshark_reads(path, events);
	unlink(path);
}

/*
 * bash_readline through the CLI: an interactive bash reading its lines from
 * a pipe still reads them with readline. Replay shows each line in text and
 * JSON; tshark reads the file whole. A binary without readline is a one-line
 * error that names it, and leaves no file.
 */
Test(cli, bash_readline_replays_and_opens_in_tshark, .init = need_root)
{
	char path[4096], cmd[5000], *out, *err;
	int events;

	if (access("/bin/bash", X_OK))
		cr_skip_test("/bin/bash is not here");
	snprintf(path, sizeof(path), "%s", tmp_path("readline.scap"));
	snprintf(cmd, sizeof(cmd), "printf 'echo kcap-cli-line\\n' | " KCAP " capture -e "
		 "bash_readline -w '%s' -- /bin/bash --norc --noprofile -i", path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "kcap-cli-line"), "%s", out);
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), "replay '%s'", path);
	cr_assert_eq(kcap(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, " bash (") && strstr(out, "> bash_readline line=echo kcap-cli-line\n"),
		  "%.3000s", out);
	events = count_lines(out);
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), "replay --json '%s'", path);
	cr_assert_eq(kcap(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "\"type\":\"bash_readline\",\"params\":{\"line\":"
			      "\"echo kcap-cli-line\"}"), "%.3000s", out);
	free(out);
	free(err);
	expect_tshark_reads(path, events);
	unlink(path);

	snprintf(cmd, sizeof(cmd), KCAP " capture -e bash_readline --uprobe bash_readline=/bin/true "
		 "-w '%s' -- true", path);
	expect_capture_refused(cmd, path, 1, "kcap: bash_readline: /bin/true is stripped and exports "
			       "no function readline, nor does a library it needs\n");
}

/*
 * mysql_query through the CLI: the command starts a MariaDB server of its own
 * (in the command's tree, so in scope), sends it a query that works and one
 * that fails, and stops it. Replay shows both in text and JSON; tshark reads
 * the file whole.
 */
Test(cli, mysql_query_replays_and_opens_in_tshark, .init = need_root)
{
	char path[1024], dir[1024], cmd[16384], args[2048], *out, *err;
	int events;

	if (access("/usr/sbin/mariadbd", X_OK) || access("/usr/bin/mariadb", X_OK))
		cr_skip_test("no /usr/sbin/mariadbd or /usr/bin/mariadb (Debian's mariadb-server-core)");
	snprintf(path, sizeof(path), "%s", tmp_path("mysql.scap"));
	snprintf(dir, sizeof(dir), "%s", tmp_path("mariadb"));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s/data' && " KCAP " capture -e "
		 "mysql_query -w '%s' -- sh -c '"
		 "/usr/sbin/mariadbd --no-defaults --datadir=%s/data --socket=%s/sock "
		 "--skip-networking --user=root --skip-grant-tables --skip-log-bin "
		 "--innodb-buffer-pool-size=8M --innodb-log-file-size=4M >%s/log 2>&1 & "
		 "i=0; while [ ! -S %s/sock ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; "
		 "/usr/bin/mariadb --no-defaults --force -S %s/sock -u root "
		 "-e \"SELECT 40+2; SELECT * FROM nosuch.t\"; kill $!; wait'",
		 dir, dir, path, dir, dir, dir, dir, dir);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "42"), "%s", out);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay '%s'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, " mariadbd (") && strstr(out, "> mysql_query command=3(COM_QUERY) "
							     "query=SELECT 40+2 status=0 error=0 "
							     "latency="), "%.3000s", out);
	cr_assert(strstr(out, "> mysql_query command=3(COM_QUERY) query=SELECT * FROM nosuch.t "
			      "status=0 error=1146 latency="), "%.3000s", out);
	events = count_lines(out);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay --json '%s'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "\"type\":\"mysql_query\",\"params\":{\"command\":"
			      "\"3(COM_QUERY)\",\"query\":\"SELECT * FROM nosuch.t\",\"status\":\"0\","
			      "\"error\":\"1146\",\"latency\":"), "%.3000s", out);
	free(out);
	free(err);
	expect_tshark_reads(path, events);
	unlink(path);
	snprintf(args, sizeof(args), "rm -rf '%s'", dir);
	cr_assert_eq(run_cmd(args, &out, &err), 0, "%s", err);
	free(out);
	free(err);
}

/* Options may follow FILE, as the usage line shows them. */
Test(cli, replay_takes_options_after_the_file)
{
	char args[4200], *out, *err;

	need_sample();
	snprintf(args, sizeof(args), "replay '%s' -n 3 --json", sample);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert_eq(count_lines(out), 3, "%s", out);
	free(out);
	free(err);
}

Test(cli, version)
{
	char *out, *err;

	cr_assert_eq(kcap("--version", &out, &err), 0, "%s", err);
	cr_assert(!strncmp(out, "kcap 0.", 7) && strstr(out, " (commit ") &&
		  strstr(out, "), scap schema 4.5.1, 7 events of its own\n"), "%s", out);
	free(out);
	free(err);
}

/* With COMMAND, kcap's status is the command's: its exit code, or 128 + its signal. */
Test(cli, capture_exits_with_the_command_status, .init = need_root)
{
	static const struct {
		const char *script;
		int status;
	} cases[] = { { "exit 7", 7 }, { "kill -USR1 $$", 128 + SIGUSR1 }, { "true", 0 } };
	char path[4096], cmd[5000], *out, *err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "%s", tmp_path("status.scap"));
		snprintf(cmd, sizeof(cmd), KCAP " capture -d bpf -e open -w '%s' -- sh -c '%s'", path,
			 cases[i].script);
		cr_assert_eq(run_cmd(cmd, &out, &err), cases[i].status, "%s: %s", cases[i].script,
			     err);
		free(out);
		free(err);
		unlink(path);
	}
}

/*
 * --discard reads and counts every event and writes nothing: the report says
 * how many, and -n still stops it.
 */
Test(cli, discard_counts_the_events_and_writes_nothing, .init = need_root)
{
	unsigned long long n = 0;
	char *out, *err, *line;

	cr_assert_eq(kcap("capture -d bpf --discard -e open -- sh -c 'for i in 1 2 3 4 5 6 7 8; do "
			  ": < /dev/null; done'", &out, &err), 0, "%s", err);
	line = strstr(err, "kcap: ");
	while (line && sscanf(line, "kcap: %llu events read and discarded in", &n) != 1)
		line = strstr(line + 1, "kcap: ");
	cr_assert(line, "no count: %s", err);
	/* The eight opens of /dev/null, and the shell's own. */
	cr_assert_geq(n, 8, "%s", err);
	cr_assert_null(strstr(err, "written"), "%s", err);
	free(out);
	free(err);
	cr_assert_eq(kcap("capture -d bpf --discard -n 3 -- sh -c 'for i in 1 2 3 4 5 6 7 8; do "
			  ": < /dev/null; done'", &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "kcap: 3 events read and discarded in"), "%s", err);
	free(out);
	free(err);
}

/*
 * KCAP_BENCH_STAGE stops the BPF probe's syscall path short of the ring, and
 * kcap says so; a stage that does not exist is an error before anything runs.
 */
Test(cli, a_bench_stage_stops_syscall_events_and_is_said, .init = need_root)
{
	char path[4096], cmd[16384], *out, *err;
	static const char *const runs[] = { "", "KCAP_BENCH_STAGE=fill " };
	int i;

	snprintf(path, sizeof(path), "%s", tmp_path("stage.scap"));
	for (i = 0; i < 2; i++) {
		snprintf(cmd, sizeof(cmd), "%s" KCAP " capture -d bpf -e openat -w '%s' -- "
			 "cat /dev/null && " KCAP " replay '%s'", runs[i], path, path);
		cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
		cr_assert_eq(strstr(out, "< openat fd=3(<f>/dev/null)") != NULL, i == 0,
			     "%s: %s", runs[i], out);
		cr_assert_eq(strstr(err, "KCAP_BENCH_STAGE=fill: a benchmark setting") != NULL, i == 1,
			     "%s", err);
		free(out);
		free(err);
	}
	unlink(path);
	cr_assert_eq(run_cmd("KCAP_BENCH_STAGE=nosuch " KCAP " capture -d bpf --discard -- true",
			     &out, &err), 1);
	cr_assert_str_eq(err, "kcap: KCAP_BENCH_STAGE=nosuch: not a stage (dispatch, begin, "
			      "tail_call, fill, no_user_data)\n");
	free(out);
	free(err);
}

/* A file that cannot be written is said before a probe is loaded: one line, nothing else. */
Test(cli, an_unwritable_file_is_said_before_the_probe_loads, .init = need_root)
{
	char *out, *err;

	cr_assert_eq(kcap("capture -w /nonexistent-dir/x.scap -- true", &out, &err), 1, "%s", err);
	cr_assert_str_eq(err, "kcap: /nonexistent-dir/x.scap: cannot create: No such file or "
			      "directory\n");
	free(out);
	free(err);
}

/*
 * kcap's own work before the command runs (its wait for the start, its PATH
 * search) is not in the capture: the command's first event is its one
 * execve. A command not in PATH is said before anything starts.
 */
Test(cli, the_command_starts_with_its_execve, .init = need_root)
{
	char path[4096], args[4400], *out, *err;

	snprintf(path, sizeof(path), "%s", tmp_path("start.scap"));
	snprintf(args, sizeof(args), "capture -d bpf -w '%s' -- true", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	free(out);
	free(err);
	/* The events kcap derives at the start (the machine's) come before. */
	snprintf(args, sizeof(args), "replay '%s' evt.type != init_namespaces and "
		 "evt.type != existing_container", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, " true (") && strstr(strchr(out, ')'), ") < execve res=0 exe=true") ==
		  strchr(out, ')'), "the first event is not the command's execve: %.500s", out);
	cr_assert(!strstr(out, " kcap ("), "an event of kcap's child: %.2000s", out);
	free(out);
	free(err);
	unlink(path);

	/*
	 * Not asked for, the command's execve is written all the same, state-only
	 * (it names its events); with --no-state-events, as an event.
	 */
	snprintf(args, sizeof(args), "capture -d bpf -e openat -w '%s' -- cat /dev/null", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay '%s'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, " cat (") && !strstr(out, "execve") &&
		  strstr(out, "< openat fd=3(<f>/dev/null)"), "%.2000s", out);
	cr_assert(!strstr(out, " kcap ("), "an event of kcap's child: %.2000s", out);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay --stats -q '%s'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "< execve "), "%s", err);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "capture -d bpf -e openat --no-state-events -w '%s' -- "
		 "cat /dev/null", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay '%s'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, " cat (") && strstr(out, "< execve res=0 exe=cat") &&
		  strstr(out, "< openat fd=3(<f>/dev/null)"), "%.2000s", out);
	free(out);
	free(err);
	unlink(path);

	snprintf(args, sizeof(args), "capture -d bpf -w '%s' -- no-such-command-here", path);
	cr_assert_eq(kcap(args, &out, &err), 1, "%s", err);
	cr_assert_str_eq(err, "kcap: cannot run no-such-command-here: not found in PATH\n");
	cr_assert_eq(access(path, F_OK), -1, "a file was left");
	free(out);
	free(err);
}

/*
 * kcap capture -w - | kcap replay -: the events show while the capture
 * still runs (the writer flushes each second, replay prints each event as it
 * comes), and the whole stream replays once it ends.
 */
Test(cli, a_capture_streams_into_replay, .init = need_root)
{
	char out_path[4096], cmd[16384], *out, *err;

	snprintf(out_path, sizeof(out_path), "%s", tmp_path("stream.txt"));
	snprintf(cmd, sizeof(cmd), "{ " KCAP " capture -z -w - -e openat -- sh -c "
		 "'cat /dev/null; sleep 4' 2>/dev/null | " KCAP " replay - >'%s'; } & "
		 "sleep 2.5; grep -c 'openat fd=3(<f>/dev/null)' '%s'; wait; "
		 "grep -c 'openat fd=3(<f>/dev/null)' '%s'", out_path, out_path, out_path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	cr_assert_str_eq(out, "1\n1\n", "not shown while the capture ran: %s", out);
	free(out);
	free(err);
	unlink(out_path);
}

/* -v: each CPU's events and drops per cause; --progress: a status line each second. */
Test(cli, verbose_report_and_progress_without_a_terminal, .init = need_root)
{
	char path[4096], args[4400], line[64], *out, *err, *written;
	long cpu, ncpus = sysconf(_SC_NPROCESSORS_CONF);

	snprintf(path, sizeof(path), "%s", tmp_path("verbose.scap"));
	snprintf(args, sizeof(args), "capture -v --progress -d bpf -e openat -w '%s' -- sleep 1.5",
		 path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	written = strstr(err, " events written to ");
	cr_assert_not_null(written, "%s", err);
	cr_assert(strstr(err, " events, 0 drops, ") && strstr(err, " events, 0 drops, ") < written,
		  "no status line before the report: %s", err);
	for (cpu = 0; cpu < ncpus; cpu++) {
		snprintf(line, sizeof(line), "kcap: cpu%ld: ", cpu);
		cr_assert(strstr(err, line), "no line for cpu%ld: %s", cpu, err);
	}
	cr_assert(strstr(err, " failed tail calls; "), "%s", err);
	free(out);
	free(err);
	unlink(path);
}

/* -p FORMAT: one line per event made of its fields; a bad field is a usage error. */
Test(cli, replay_prints_a_format)
{
	char args[4400], *out, *err;

	need_sample();
	snprintf(args, sizeof(args), "replay -n 2 -p '%%evt.num:%%evt.type %%proc.name' '%s'", sample);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert_eq(count_lines(out), 2, "%s", out);
	cr_assert(!strncmp(out, "1:", 2) && strstr(out, "\n2:"), "%s", out);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay -p '%%evt.nosuch' '%s'", sample);
	cr_assert_eq(kcap(args, &out, &err), 2, "%s", err);
	cr_assert_eq(count_lines(err), 1, "%s", err);
	cr_assert(strstr(err, "kcap: -p: column 1: no field '%evt.nosuch'"), "%s", err);
	free(out);
	free(err);
}

/* FILTER after FILE, as sysdig's: words joined, options anywhere. */
Test(cli, replay_filters_like_sysdig)
{
	char args[4400], *out, *err, *line;
	int n = 0;

	need_sample();
	snprintf(args, sizeof(args), "replay '%s' -p '%%evt.num %%evt.type %%proc.name %%fd.type' "
		 "evt.type in '(openat, close)' and proc.name=cat and not fd.name startswith /proc",
		 sample);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	for (line = out; *line; line = strchr(line, '\n') + 1, n++) {
		char type[64], comm[64], fdtype[64];

		cr_assert_eq(sscanf(line, "%*u %63s %63s %63s", type, comm, fdtype), 3, "%s", line);
		cr_assert(!strcmp(type, "openat") || !strcmp(type, "close"), "%s", line);
		cr_assert_str_eq(comm, "cat");
	}
	cr_assert_gt(n, 0, "no event matched");
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay '%s' evt.num=5 or evt.num=7", sample);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert_eq(count_lines(out), 2, "%s", out);
	cr_assert(!strncmp(out, "5 ", 2) && strstr(out, "\n7 "), "%s", out);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay '%s' 'proc.name=cat and (evt.type=read'", sample);
	cr_assert_eq(kcap(args, &out, &err), 2, "%s", err);
	cr_assert_eq(count_lines(err), 1, "%s", err);
	cr_assert(strstr(err, "column 19: the parenthesis opened here is not closed"), "%s", err);
	free(out);
	free(err);
}

/*
 * A capture FILTER: only matches are shown, the state events around them
 * are written state-only (EVF, which tshark does not list), and the kernel
 * produces only the types the filter can match: nothing is left for
 * userspace to filter out.
 */
Test(cli, capture_filters_and_pushes_the_types_down, .init = need_root)
{
	char path[4096], args[5000], *out, *err;
	unsigned long long matched, state, filtered;
	const char *line;

	snprintf(path, sizeof(path), "%s", tmp_path("filtered.scap"));
	snprintf(args, sizeof(args), "capture -w '%s' 'evt.type=openat and fd.name=/etc/hostname' "
		 "-- sh -c 'cat /etc/hostname /etc/passwd >/dev/null'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	line = strstr(err, "kcap: filter: ");
	cr_assert_not_null(line, "%s", err);
	cr_assert_eq(sscanf(line, "kcap: filter: %llu events matched, %llu more written for the "
			    "state they change, %llu filtered out", &matched, &state, &filtered), 3,
		     "%s", err);
	cr_expect_eq(matched, 1, "%s", err);
	cr_expect_gt(state, 5, "%s", err);
	cr_expect_eq(filtered, 0, "the kernel produced types the filter cannot match: %s", err);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay '%s'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert_eq(count_lines(out), 1, "%s", out);
	cr_assert(strstr(out, " cat (") && strstr(out, "< openat fd=3(<f>/etc/hostname)"), "%s", out);
	free(out);
	free(err);
	/* The state written around it: the process and its fds are named. */
	snprintf(args, sizeof(args), "replay '%s' -p '%%proc.name %%proc.cmdline %%proc.ppid'",
		 path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert(!strncmp(out, "cat cat /etc/hostname /etc/passwd ", 34), "%s", out);
	free(out);
	free(err);
	out = tshark_frames(path, "-e frame.number");
	cr_assert_eq(count_lines(out), 1, "tshark lists the matched event only: %s", out);
	free(out);
	unlink(path);
	snprintf(args, sizeof(args), "capture -w '%s' 'evt.type=open and' -- true", path);
	cr_assert_eq(kcap(args, &out, &err), 2, "%s", err);
	cr_assert(strstr(err, "column 18: the filter ends where a field is expected"), "%s", err);
	cr_assert_eq(count_lines(err), 1, "%s", err);
	free(out);
	free(err);
	cr_assert(!probe_left_loaded(), "a kcap program is still loaded after capture");
}

/* Events of the file at path, as replay counts them; asserts tshark reads as many. */
static int events_whole(const char *path)
{
	char *frames;
	int n = (int)events_in(path);

	frames = tshark_frames(path, "-e frame.number");
	cr_assert_eq(count_lines(frames), n, "%s: tshark reads %d frames, kcap %d events", path,
		     count_lines(frames), n);
	free(frames);
	return n;
}

/*
 * -C with -W: a ring of files, each under the size (and one event), each
 * standing on its own: its first events name their process, command line
 * and fds from the state kept since the start, not from a stale scan.
 */
Test(cli, rotation_by_size_in_a_ring, .init = need_root)
{
	char base[4096], path[4200], args[5000], *out, *err;
	struct stat st;
	unsigned files;
	int i;

	snprintf(base, sizeof(base), "%s", tmp_path("ring"));
	snprintf(args, sizeof(args), "capture -w '%s' -C 1 -W 3 -- dd if=/dev/zero of=/dev/null "
		 "bs=1 count=40000", base);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert_eq(sscanf(strstr(err, "events written to ") ?: "", "events written to %u files",
			    &files), 1, "%s", err);
	cr_assert_gt(files, 3, "%s", err);
	free(out);
	free(err);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s%d", base, i);
		if (i == 3) {
			cr_assert(stat(path, &st) < 0, "-W 3 wrote a fourth file");
			break;
		}
		cr_assert_eq(stat(path, &st), 0, "%s", path);
		cr_assert_eq(st.st_mode & 0777, 0600);
		cr_assert_leq(st.st_size, 1000000 + 65536, "%s: %lld bytes", path,
			      (long long)st.st_size);
		cr_assert_gt(events_whole(path), 100, "%s", path);
		snprintf(args, sizeof(args), "replay '%s' -n 1 -p '%%proc.name|%%proc.cmdline|%%fd.name'"
			 " evt.type=read", path);
		cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
		cr_assert_str_eq(out, "dd|dd if=/dev/zero of=/dev/null bs=1 count=40000|/dev/zero\n",
				 "%s", path);
		free(out);
		free(err);
		unlink(path);
	}
}

/* -G with -W alone: a file per interval, and the capture stops after the last. */
Test(cli, rotation_by_time_stops_after_the_last_file, .init = need_root)
{
	char base[4096], path[4200], args[5000], *out, *err;
	struct stat st;
	time_t start = time(NULL);
	int i;

	snprintf(base, sizeof(base), "%s", tmp_path("timed"));
	snprintf(args, sizeof(args), "capture -w '%s' -G 1 -W 2 -- sleep 30", base);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "events written to 2 files"), "%s", err);
	cr_assert_lt(time(NULL) - start, 20, "the capture did not stop after 2 files");
	free(out);
	free(err);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s%d", base, i);
		if (i == 2) {
			cr_assert(stat(path, &st) < 0, "-W 2 wrote a third file");
			break;
		}
		events_whole(path);
		unlink(path);
	}
}

/* --size-limit stops the capture with a complete file at about the limit. */
Test(cli, a_size_limit_stops_the_capture, .init = need_root)
{
	char path[4096], args[5000], *out, *err;
	struct stat st;

	snprintf(path, sizeof(path), "%s", tmp_path("limited.scap"));
	snprintf(args, sizeof(args), "capture -w '%s' --size-limit 1 -- dd if=/dev/zero "
		 "of=/dev/null bs=1 count=2000000", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "the file reached --size-limit"), "%s", err);
	free(out);
	free(err);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(st.st_size >= 1000000 && st.st_size <= 1000000 + 65536, "%lld bytes",
		  (long long)st.st_size);
	cr_assert_gt(events_whole(path), 1000);
	unlink(path);
}

Test(cli, rotation_usage_errors)
{
	static const char *const cases[][2] = {
		{ "capture -w x -W 3 -- true", "-W counts the files of -C or -G" },
		{ "capture -w - -C 1 -- true", "need a file, not standard output" },
		{ "capture -w x -C 0 -- true", "-C: give at least 1" },
		{ "capture -w x -C 1 --size-limit 2 -- true", "give one" },
		{ "capture -w x -G abc -- true", "-G: 'abc' is not a valid number" },
	};
	char *out, *err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_eq(kcap(cases[i][0], &out, &err), 2, "%s: %s", cases[i][0], err);
		cr_assert(strstr(err, cases[i][1]), "%s: %s", cases[i][0], err);
		cr_assert_eq(count_lines(err), 1, "%s", err);
		free(out);
		free(err);
	}
}

/* The count of events of path that filter matches. */
static int matching(const char *path, const char *filter)
{
	char args[4400], *out, *err;
	int n;

	snprintf(args, sizeof(args), "replay '%s' -p %%evt.num '%s'", path, filter);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	n = count_lines(out);
	free(out);
	free(err);
	return n;
}

/*
 * A load that overflows a small ring loses state events (opens, execs,
 * exits) without dropping mode; with it, what is shed is the rest, and
 * every state event is in the file.
 */
Test(cli, dropping_mode_keeps_the_state_a_full_ring_loses, .init = need_root)
{
	static const char *const modes[] = { "", "--dropping-mode" };
	char path[4096], marker[4096], args[9000], *out, *err;
	int m;

	snprintf(marker, sizeof(marker), "%s", tmp_path("marker"));
	close(open(marker, O_CREAT | O_WRONLY, 0600));
	snprintf(path, sizeof(path), "%s", tmp_path("shed.scap"));
	for (m = 0; m < 2; m++) {
		snprintf(args, sizeof(args), "capture --ring-size 262144 %s -w '%s' -- sh -c 'for i in "
			 "$(seq 100); do cat %s; dd if=/dev/zero of=/dev/null bs=1 count=3000 "
			 "2>/dev/null; done'", modes[m], path, marker);
		cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
		if (m == 0) {
			cr_assert(!strstr(err, "drops: 0 ring full"), "the load did not overflow "
				  "the ring: the test proves nothing: %s", err);
			cr_assert_lt(matching(path, "evt.type=procexit and proc.name in (cat, dd)"), 200,
				     "%s", err);
		} else {
			cr_assert(strstr(err, "drops: 0 ring full"), "%s", err);
			cr_assert(strstr(err, "kcap: dropping mode: ") &&
				  !strstr(err, "dropping mode: 0 events shed"), "%s", err);
			snprintf(args, sizeof(args), "evt.type=openat and fd.name=%s", marker);
			cr_assert_eq(matching(path, args), 100, "%s", err);
			cr_assert_eq(matching(path, "evt.type=procexit and proc.name in (cat, dd)"), 200,
				     "%s", err);
			cr_assert_eq(matching(path, "evt.type=execve and evt.res=SUCCESS and "
					      "proc.name in (cat, dd)"), 200, "%s", err);
		}
		free(out);
		free(err);
	}
	unlink(path);
	unlink(marker);
}

/*
 * Replay's fd state as sysdig's, captured live (with enter events): an fd
 * made by fcntl(F_DUPFD), one a forked child inherited, an O_DIRECTORY open
 * of ".", a bound and an unconnected UDP socket, a socketpair, a close
 * whose exit still names what it closed, and the special fds (eventfd, memfd,
 * a memfd copied through a pidfd, epoll, inotify, userfaultfd, the pidfd).
 */
static const char state_script[] =
	"import os, socket, fcntl\n"
	"fd = os.open('/etc/hostname', os.O_RDONLY)\n"
	"os.chdir('/usr')\n"
	"d = os.open('.', os.O_RDONLY | os.O_DIRECTORY)\n"
	"n = fcntl.fcntl(fd, fcntl.F_DUPFD, 50)\n"
	"os.read(n, 1)\n"
	"pid = os.fork()\n"
	"if pid == 0:\n"
	"    os.read(fd, 3)\n"
	"    os._exit(0)\n"
	"os.waitpid(pid, 0)\n"
	"s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
	"s.bind(('127.0.0.1', 0))\n"
	"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
	"u.sendto(b'x', s.getsockname())\n"
	"a, b = socket.socketpair()\n"
	"a.send(b'x')\n"
	"os.close(n)\n"
	"import ctypes, select\n"
	"libc = ctypes.CDLL(None, use_errno=True)\n"
	"e = os.eventfd(0)\n"
	"os.eventfd_write(e, 1)\n"
	"m = os.memfd_create('kcap-mem')\n"
	"os.write(m, b'mm')\n"
	"p = os.pidfd_open(os.getpid())\n"
	"g = libc.syscall(438, p, m, 0)\n"
	"os.write(g, b'ggg')\n"
	"select.epoll().close()\n"
	"os.close(libc.inotify_init1(0))\n"
	"os.close(libc.syscall(323, 0))\n"
	"os.close(p)\n";

Test(cli, replay_names_fds_as_sysdig, .init = need_root)
{
	static const struct {
		const char *filter, *want;
	} cases[] = {
		{ "evt.type=read and fd.num=50", "read > file <NA> /etc/hostname\n"
						 "read < file <NA> /etc/hostname\n" },
		{ "evt.type=read and evt.rawarg.size=3", "read > file <NA> /etc/hostname\n"
							 "read < file <NA> /etc/hostname\n" },
		{ "evt.type=openat and evt.dir=< and evt.rawarg.name=.", "openat < directory <NA> /usr\n" },
		{ "evt.type=bind and evt.dir=<", "bind < ipv4 udp 127.0.0.1:0\n" },
		{ "evt.type=sendto and evt.dir=< and fd.type=ipv4", "sendto < ipv4 udp 0.0.0.0:" },
		{ "evt.type=sendto and evt.dir=< and fd.type=unix", "sendto < unix <NA> \n" },
		{ "evt.type=close and fd.num=50", "close > file <NA> /etc/hostname\n"
						  "close < file <NA> /etc/hostname\n" },
		{ "evt.type=write and fd.type=event", "write > event <NA> \nwrite < event <NA> \n" },
		{ "evt.type=write and evt.rawarg.size=2", "write > memfd <NA> kcap-mem\n" },
		{ "evt.type=write and evt.rawarg.size=3", "write > memfd <NA> kcap-mem\n" },
		{ "evt.type=close and evt.dir=> and fd.type=eventpoll", "close > eventpoll <NA> \n" },
		{ "evt.type=close and evt.dir=> and fd.type=inotify", "close > inotify <NA> \n" },
		{ "evt.type=close and evt.dir=> and fd.type=userfaultfd",
		  "close > userfaultfd <NA> \n" },
		{ "evt.type=close and evt.dir=> and fd.type=pidfd", "close > pidfd <NA> \n" },
	};
	char script[4096], path[4096], args[9000], *out, *err;
	FILE *f;
	size_t i;

	snprintf(script, sizeof(script), "%s", tmp_path("state.py"));
	f = fopen(script, "w");
	cr_assert_not_null(f);
	fputs(state_script, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s", tmp_path("state.scap"));
	snprintf(args, sizeof(args), "capture -E -w '%s' -- python3 '%s'", path, script);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	free(out);
	free(err);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(args, sizeof(args), "replay '%s' -p '%%evt.type %%evt.dir %%fd.type "
			 "%%fd.l4proto %%fd.name' '%s'", path, cases[i].filter);
		cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
		cr_expect(!strncmp(out, cases[i].want, strlen(cases[i].want)), "%s: got\n%s",
			  cases[i].filter, out);
		free(out);
		free(err);
	}
	unlink(path);
	unlink(script);
}

/*
 * -e takes @sets mixed with names; the state events come along, written
 * state-only (replay names the processes and fds of what was asked for, and
 * shows nothing else); a misspelled name or set names close matches.
 */
Test(cli, events_by_sets_with_their_state, .init = need_root)
{
	char path[4096], args[4600], *out, *err, *line;
	int n = 0;

	snprintf(path, sizeof(path), "%s", tmp_path("sets.scap"));
	snprintf(args, sizeof(args), "capture -e @ipc,read -w '%s' -- sh -c 'cat /etc/hostname | "
		 "cat >/dev/null'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "kcap: --events: ") && strstr(err, " more written for the state"),
		  "%s", err);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay '%s' -p '%%evt.type %%proc.name %%fd.type'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	for (line = out; *line; line = strchr(line, '\n') + 1, n++)
		cr_assert(!strncmp(line, "read ", 5) || !strncmp(line, "pipe", 4) ||
			  !strncmp(line, "futex ", 6), "%s", line);	/* futexes are @ipc */
	cr_assert(strstr(out, "read cat file\n") && strstr(out, "read cat pipe\n"), "%s", out);
	cr_assert(strstr(out, "pipe"), "no event of @ipc: %s", out);
	free(out);
	free(err);
	unlink(path);
	cr_assert_eq(kcap("capture -e opne,@net -w /dev/null -- true", &out, &err), 2);
	cr_assert_str_eq(err, "kcap: --events: unknown event 'opne'; did you mean open?\n");
	free(out);
	free(err);
	cr_assert_eq(kcap("capture -e @nett -w /dev/null -- true", &out, &err), 2);
	cr_assert(strstr(err, "unknown event set '@nett'; did you mean @net?"), "%s", err);
	free(out);
	free(err);
}

/* kcap list: the sets and every event; one event in full; docs/events.md is its output. */
Test(cli, list_events_and_sets)
{
	char args[4400], *out, *err, *doc;
	FILE *f;
	long len;

	cr_assert_eq(kcap("list", &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "@net ") && strstr(out, "\nopenat ") && strstr(out, "\ntcp_state ") &&
		  strstr(out, "tracepoint sched_switch; @sched"), "%s", out);
	free(out);
	free(err);
	cr_assert_eq(kcap("list openat", &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "openat: class file; produced by syscall openat") &&
		  strstr(out, "    flags            PT_FLAGS32, flags: file_flags\n"), "%s", out);
	free(out);
	free(err);
	cr_assert_eq(kcap("list swapn", &out, &err), 2);
	cr_assert_str_eq(err, "kcap: list: unknown event 'swapn'; did you mean swapin?\n");
	free(out);
	free(err);
	cr_assert_eq(kcap("list --markdown", &out, &err), 0, "%s", err);
	snprintf(args, sizeof(args), "%s/docs/events.md", KCAP_SOURCE_DIR);
	f = fopen(args, "r");
	cr_assert_not_null(f, "docs/events.md is missing");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	doc = calloc(1, (size_t)len + 1);
	cr_assert_eq(fread(doc, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	cr_assert_str_eq(doc, out, "docs/events.md is stale: kcap list --markdown >docs/events.md");
	free(doc);
	free(out);
	free(err);
}

/*
 * Capabilities, not the uid: as nobody with CAP_BPF and CAP_PERFMON a
 * capture works; with one of them missing, one line names it, for -d bpf and
 * for --driver auto (which then says why BPF could not be used).
 */
Test(cli, capabilities_not_root, .init = need_root)
{
	static const char setpriv[] = "setpriv --reuid=nobody --regid=nogroup --clear-groups";
	char dir[2048], cmd[9000], *out, *err;

	if (system("command -v setpriv >/dev/null") != 0)
		cr_skip_test("setpriv (util-linux) is missing");
	/* The test's own directory is root's alone: nobody gets one of its own. */
	snprintf(dir, sizeof(dir), "/tmp/kcap-nobody-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chmod(dir, 0755), 0);
	snprintf(cmd, sizeof(cmd), "chown nobody '%s'", dir);
	cr_assert_eq(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "cd '%s' && %s --inh-caps=+bpf,+perfmon "
		 "--ambient-caps=+bpf,+perfmon " KCAP " capture -w '%s/a.scap' -- true", dir,
		 setpriv, dir);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "kcap: driver: bpf (BTF, raw tracepoints, ring buffers and the "
			 "capabilities are there)"), "%s", err);
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), "replay '%s/a.scap'", dir);
	cr_assert_eq(kcap(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "< execve res=0 exe=true"), "%.2000s", out);
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), "cd '%s' && %s --inh-caps=+bpf --ambient-caps=+bpf " KCAP
		 " capture -d bpf -w '%s/b.scap' -- true", dir, setpriv, dir);
	cr_assert_eq(run_cmd(cmd, &out, &err), 1, "%s", err);
	cr_assert_str_eq(err, "kcap: capture with the BPF driver needs CAP_PERFMON and CAP_BPF; "
			 "missing: CAP_PERFMON\n");
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), "cd '%s' && %s --inh-caps=+perfmon --ambient-caps=+perfmon "
		 KCAP " capture -w '%s/b.scap' -- true", dir, setpriv, dir);
	cr_assert_eq(run_cmd(cmd, &out, &err), 1, "%s", err);
	cr_assert_str_eq(err, "kcap: loading the kernel module needs CAP_SYS_MODULE; missing: "
			 "CAP_SYS_MODULE (the module, as BPF cannot: the BPF probe needs "
			 "CAP_PERFMON and CAP_BPF; missing: CAP_BPF)\n");
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/*
 * Containers as their runtimes lay out cgroups (a fake container each: a
 * cgroup with the runtime's path scheme and a process moved into it): the
 * capture starts with an existing_container event per container and the
 * machine's init_namespaces; a command moved into the docker one has its
 * container id in replay's fields and JSON.
 */
static const struct {
	const char *dir, *runtime, *id;
} fake_containers[] = {
	{ "kcaptest/docker/", "docker",
	  "3f2a9c1be5d04a7c8f6e1b2d3c4a5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a" },
	{ "kcaptest/kubepods/besteffort/pod1234/", "containerd",
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" },
	{ "kcaptest/kubepods.slice/crio-", "cri-o",
	  "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210" },
	{ "kcaptest/machine.slice/libpod-", "podman",
	  "aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999" },
};

/* A docker container the command joins while kcap captures. */
#define NEW_CONTAINER "5eed00000000000000000000000000000000000000000000000000000000c0de"
#define NEW_CONTAINER_ID "5eed00000000"

/* The last occurrence of needle in s. */
static const char *strrstr(const char *s, const char *needle)
{
	const char *last = NULL, *p;

	for (p = strstr(s, needle); p; p = strstr(p + 1, needle))
		last = p;
	return last;
}

/* The cgroup directory of fake container i under root. */
static void fake_cgroup(char *out, size_t size, const char *root, size_t i)
{
	bool scope = !strcmp(fake_containers[i].runtime, "cri-o") ||
		     !strcmp(fake_containers[i].runtime, "podman");

	snprintf(out, size, "%s/%s%s%s", root, fake_containers[i].dir, fake_containers[i].id,
		 scope ? ".scope" : "");
}

Test(cli, containers_from_their_cgroups, .init = need_root)
{
	static const char *const roots[] = { "/sys/fs/cgroup/cpu", "/sys/fs/cgroup" };
	char root[64] = "", cg[512], path[4096], args[9000], *out, *err;
	pid_t pids[4];
	size_t i, r;

	for (r = 0; r < 2 && !root[0]; r++) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", roots[r]);
		if (access(path, W_OK) == 0)
			snprintf(root, sizeof(root), "%s", roots[r]);
	}
	if (!root[0])
		cr_skip_test("no writable cgroup hierarchy with the cpu controller");
	for (i = 0; i < 4; i++) {
		fake_cgroup(cg, sizeof(cg), root, i);
		snprintf(args, sizeof(args), "mkdir -p '%s'", cg);
		cr_assert_eq(system(args), 0);
		pids[i] = fork();
		if (pids[i] == 0) {
			execlp("sleep", "sleep", "60", (char *)NULL);
			_exit(127);
		}
		snprintf(args, sizeof(args), "echo %d >'%s/cgroup.procs'", (int)pids[i], cg);
		cr_assert_eq(system(args), 0);
	}
	snprintf(path, sizeof(path), "%s", tmp_path("containers.scap"));
	/* The command joins a container that has no process at the start. */
	snprintf(cg, sizeof(cg), "%s/kcaptest/docker/" NEW_CONTAINER, root);
	snprintf(args, sizeof(args), "mkdir -p '%s'", cg);
	cr_assert_eq(system(args), 0);
	snprintf(args, sizeof(args), "capture -w '%s' -- sh -c 'echo $$ >%s/cgroup.procs; "
		 "cat /etc/hostname >/dev/null'", path, cg);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay '%s' -p '%%evt.arg.runtime %%evt.arg.id %%evt.arg.pid "
		 "%%container.id' evt.type=existing_container", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	for (i = 0; i < 4; i++) {
		char want[256];

		snprintf(want, sizeof(want), "%s %s %d %.12s\n", fake_containers[i].runtime,
			 fake_containers[i].id, (int)pids[i], fake_containers[i].id);
		cr_expect(strstr(out, want), "no %s: %s", want, out);
	}
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay '%s' -p '%%container.id' 'proc.name=cat and "
		 "evt.type=execve'", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_expect_str_eq(out, NEW_CONTAINER_ID "\n");
	free(out);
	free(err);
	/* Each container described once for sysdig and Falco, as libs does: a container event. */
	snprintf(args, sizeof(args), "replay '%s' -p '%%evt.arg.json' evt.type=container", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	for (i = 0; i < 5; i++) {
		static const int types[] = { 0, 7, 8, 11, 0 };
		const char *id = i < 4 ? fake_containers[i].id : NEW_CONTAINER;
		char want[256];

		snprintf(want, sizeof(want), "{\"container\":{\"id\":\"%.12s\",\"full_id\":\"%s\","
			 "\"type\":%d,", id, id, types[i]);
		cr_expect(strstr(out, want), "no %s: %s", want, out);
		cr_expect_eq(strstr(out, want), strrstr(out, want), "%s twice", want);
	}
	free(out);
	free(err);
	snprintf(args, sizeof(args), "replay '%s' -n 1 evt.type=init_namespaces", path);
	cr_assert_eq(kcap(args, &out, &err), 0, "%s", err);
	cr_expect(strstr(out, "> init_namespaces cgroup="), "%s", out);
	free(out);
	free(err);
	out = tshark_frames(path, "-e frame.number");
	free(out);
	for (i = 0; i < 4; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	usleep(200000);
	snprintf(args, sizeof(args), "find '%s/kcaptest' -depth -type d -exec rmdir {} +", root);
	cr_expect_eq(system(args), 0);
	unlink(path);
}
