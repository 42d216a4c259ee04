// SPDX-License-Identifier: MIT
/*
 * Driver tests of the user-space probes: bash_readline, from Debian's
 * /bin/bash run interactively on a pseudo-terminal that types known lines.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "driver_test.h"
#include "helpers.h"

static struct dt t;

static void fini(void)
{
	dt_close(&t);
}

TestSuite(fillers_uprobe, .fini = fini);

#define BASH "/bin/bash"
#define PROMPT "kcap-prompt$ "

struct term {
	pid_t pid;
	int fd;			/* the pseudo-terminal's master side */
};

static void need_bash(void)
{
	if (access(BASH, X_OK))
		cr_skip_test(BASH " is not here");
}

/* Reads the terminal until it shows what, within 10 s. */
static void wait_for(struct term *tm, const char *what)
{
	char buf[8192];
	size_t len = 0;
	time_t end = time(NULL) + 10;

	while (time(NULL) < end) {
		struct pollfd p = { .fd = tm->fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		n = read(tm->fd, buf + len, sizeof(buf) - 1 - len);
		cr_assert_gt(n, 0, "the terminal closed before showing '%s'", what);
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, what))
			return;
		if (len > sizeof(buf) / 2) {	/* keep the tail, where what may start */
			memmove(buf, buf + len - 256, 256);
			len = 256;
		}
	}
	cr_assert_fail("the terminal did not show '%s' within 10 s", what);
}

/* An interactive bash (the binary at path) on a new pseudo-terminal, at its prompt. */
static void bash_start_at(struct term *tm, const char *path)
{
	tm->pid = forkpty(&tm->fd, NULL, NULL, NULL);
	cr_assert_geq(tm->pid, 0, "forkpty: %s", strerror(errno));
	if (!tm->pid) {
		char *argv[] = { "bash", "--norc", "--noprofile", "-i", NULL };
		char *envp[] = { "PS1=" PROMPT, "TERM=dumb", "PATH=/usr/bin:/bin", NULL };

		execve(path, argv, envp);
		_exit(127);
	}
	wait_for(tm, PROMPT);
}

static void bash_start(struct term *tm)
{
	bash_start_at(tm, BASH);
}

/* Types line and Enter, and waits for the next prompt. */
static void bash_type(struct term *tm, const char *line)
{
	cr_assert_eq(write(tm->fd, line, strlen(line)), (ssize_t)strlen(line));
	cr_assert_eq(write(tm->fd, "\r", 1), 1);
	wait_for(tm, PROMPT);
}

/* Types exit; bash ends with status 0. */
static void bash_exit(struct term *tm)
{
	int status;

	cr_assert_eq(write(tm->fd, "exit\r", 5), 5);
	cr_assert_eq(waitpid(tm->pid, &status, 0), tm->pid);
	close(tm->fd);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "bash ended with status %#x",
		  status);
}

static const char *const g_lines[] = {
	"echo kcap-first-line",
	"true  two   spaces and a 'quoted \"string\"'",
	"# a comment, \xc3\xa9t\xc3\xa9 in UTF-8",
};
#define NLINES (int)(sizeof(g_lines) / sizeof(g_lines[0]))

/* Each line typed, then exit's: one event each, in order, on bash's thread. */
Test(fillers_uprobe, bash_readline_of_each_line_typed)
{
	struct term tm;
	int i;

	need_bash();
	dt_start_follow(&t, "bash_readline");
	bash_start(&tm);
	for (i = 0; i < NLINES; i++)
		bash_type(&tm, g_lines[i]);
	bash_exit(&tm);
	dt_stop(&t);

	cr_assert_eq(dt_count_tid(&t, PPME_BASH_READLINE_E, tm.pid), NLINES + 1,
		     "%d bash_readline events of bash %d, %d lines typed",
		     dt_count_tid(&t, PPME_BASH_READLINE_E, tm.pid), tm.pid, NLINES + 1);
	for (i = 0; i <= NLINES; i++) {
		const struct kcap_evt *ev = dt_find_tid(&t, PPME_BASH_READLINE_E, tm.pid, i);

		cr_assert_str_eq(dt_str(ev, 0), i < NLINES ? g_lines[i] : "exit");
	}
}

/* bash, forked but not followed, is out of this process's scope: nothing from it. */
Test(fillers_uprobe, bash_readline_out_of_scope_is_not_captured)
{
	struct term tm;

	need_bash();
	dt_start(&t, "bash_readline");
	bash_start(&tm);
	bash_type(&tm, "echo kcap-out-of-scope");
	bash_exit(&tm);
	dt_stop(&t);

	cr_assert_eq(dt_count_tid(&t, PPME_BASH_READLINE_E, tm.pid), 0);
}

/* A copy of bash at path: another file, another inode. */
static void copy_bash(const char *path)
{
	int in = open(BASH, O_RDONLY | O_CLOEXEC);
	int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0700);
	char buf[65536];
	ssize_t n;

	cr_assert(in >= 0 && out >= 0, "copy of " BASH " to %s: %s", path, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		cr_assert_eq(write(out, buf, (size_t)n), n);
	cr_assert_eq(n, 0);
	close(in);
	cr_assert_eq(close(out), 0);
}

/*
 * A probe is on the file that was there at attach time: a bash replaced
 * while probed (a package upgrade renames the new file over the old one)
 * keeps its probe in the processes that run the old file, and the new file
 * has none. A bash killed while inside readline (its return pending) leaves
 * nothing behind. The drivers detach at the end; the guests' kernel logs
 * must stay clean.
 */
Test(fillers_uprobe, a_binary_replaced_or_a_bash_killed_while_probed)
{
	const char *binaries[KCAP_HOOK_MAX] = { NULL };
	char path[PATH_MAX], fresh[PATH_MAX + 8];
	struct term old, killed, renewed;
	int status;

	need_bash();
	snprintf(path, sizeof(path), "%s/bash-probed", dt_scratch_dir());
	snprintf(fresh, sizeof(fresh), "%s.new", path);
	unlink(path);
	copy_bash(path);
	binaries[KCAP_HOOK_bash_readline] = path;
	dt_start_uprobes(&t, "bash_readline", binaries);

	bash_start_at(&old, path);
	bash_type(&old, "echo before-replace");
	bash_start_at(&killed, path);
	cr_assert_eq(kill(killed.pid, SIGKILL), 0);
	cr_assert_eq(waitpid(killed.pid, &status, 0), killed.pid);
	close(killed.fd);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	copy_bash(fresh);
	cr_assert_eq(rename(fresh, path), 0, "rename: %s", strerror(errno));
	bash_type(&old, "echo after-replace");
	bash_start_at(&renewed, path);
	bash_type(&renewed, "echo new-file");
	bash_exit(&renewed);
	bash_exit(&old);
	dt_stop(&t);
	unlink(path);

	cr_assert_eq(dt_count_tid(&t, PPME_BASH_READLINE_E, old.pid), 3);
	cr_assert_str_eq(dt_str(dt_find_tid(&t, PPME_BASH_READLINE_E, old.pid, 0), 0),
			 "echo before-replace");
	cr_assert_str_eq(dt_str(dt_find_tid(&t, PPME_BASH_READLINE_E, old.pid, 1), 0),
			 "echo after-replace");
	cr_assert_str_eq(dt_str(dt_find_tid(&t, PPME_BASH_READLINE_E, old.pid, 2), 0), "exit");
	cr_assert_eq(dt_count_tid(&t, PPME_BASH_READLINE_E, killed.pid), 0);
	cr_assert_eq(dt_count_tid(&t, PPME_BASH_READLINE_E, renewed.pid), 0);
}
