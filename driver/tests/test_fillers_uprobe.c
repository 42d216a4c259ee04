// SPDX-License-Identifier: MIT
/*
 * Driver tests of the user-space probes: bash_readline, from Debian's
 * /bin/bash run interactively on a pseudo-terminal that types known lines;
 * mysql_query, from Debian's MariaDB server started on a private socket and
 * data directory, sent known commands by Debian's client.
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
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/types.h>

#include "driver_test.h"
#include "kcap_abi.h"
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

/* ---- MariaDB ------------------------------------------------------------- */

#define MARIADBD "/usr/sbin/mariadbd"
#define MARIADB "/usr/bin/mariadb"

struct server {
	pid_t pid;
	char dir[PATH_MAX];
	char sock[PATH_MAX + 8];
};

static void need_mariadb(void)
{
	if (access(MARIADBD, X_OK) || access(MARIADB, X_OK))
		cr_skip_test(MARIADBD " or " MARIADB " is not here (Debian's mariadb-server)");
}

static void run_quiet(const char *cmd)
{
	cr_assert_eq(system(cmd), 0, "%s failed", cmd);
}

/*
 * A MariaDB server of its own: an empty data directory under the test's
 * scratch directory, a socket there, no network, no grant tables (root
 * without a password), small InnoDB buffers. Waits up to 120 s for the
 * socket (the guests emulate their CPU).
 */
static void server_start(struct server *sv)
{
	char cmd[2 * PATH_MAX + 64], datadir[PATH_MAX + 16], sockopt[PATH_MAX + 24];
	char log[PATH_MAX + 16];
	time_t end = time(NULL) + 120;
	int status;

	snprintf(sv->dir, sizeof(sv->dir), "%s/mariadb", dt_scratch_dir());
	snprintf(sv->sock, sizeof(sv->sock), "%s/sock", sv->dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s/data'", sv->dir, sv->dir);
	run_quiet(cmd);
	snprintf(datadir, sizeof(datadir), "--datadir=%s/data", sv->dir);
	snprintf(sockopt, sizeof(sockopt), "--socket=%s", sv->sock);
	snprintf(log, sizeof(log), "%s/log", sv->dir);
	sv->pid = fork();
	cr_assert_geq(sv->pid, 0);
	if (!sv->pid) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execl(MARIADBD, "mariadbd", "--no-defaults", datadir, sockopt, "--skip-networking",
		      "--user=root", "--skip-grant-tables", "--skip-log-bin",
		      "--innodb-buffer-pool-size=8M", "--innodb-log-file-size=4M", (char *)NULL);
		_exit(127);
	}
	while (access(sv->sock, F_OK)) {
		if (waitpid(sv->pid, &status, WNOHANG) == sv->pid) {
			snprintf(cmd, sizeof(cmd), "tail -n 5 '%s' >&2", log);
			(void)!system(cmd);
			cr_assert_fail("mariadbd ended (status %#x) before its socket came", status);
		}
		cr_assert_lt(time(NULL), end, "no socket from mariadbd within 120 s");
		usleep(100 * 1000);
	}
}

static void server_stop(struct server *sv)
{
	char cmd[PATH_MAX + 32];
	int status;

	kill(sv->pid, SIGTERM);
	cr_assert_eq(waitpid(sv->pid, &status, 0), sv->pid);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sv->dir);
	run_quiet(cmd);
}

/* The client sends sql on a connection of its own; --force: on past an error. */
static void client(const struct server *sv, const char *sql)
{
	char cmd[PATH_MAX + 8192];

	snprintf(cmd, sizeof(cmd), MARIADB " --no-defaults --force -S '%s' -u root -e \"%s\" "
		 ">/dev/null 2>&1", sv->sock, sql);
	(void)!system(cmd);	/* it fails with the failing statement */
}

static void capture_server(const struct server *sv)
{
	static struct kcap_scope scope;

	memset(&scope, 0, sizeof(scope));
	scope.fields = 1u << KCAP_SCOPE_PID;
	scope.n[KCAP_SCOPE_PID] = 1;
	scope.pid[0] = (uint32_t)sv->pid;
	dt_start_scope(&t, "mysql_query", &scope);
}

static void expect_query(int nth, const char *command, const char *query, int32_t status,
			 uint32_t error)
{
	const struct kcap_evt *ev = dt_find_any(&t, PPME_MYSQL_QUERY_E, nth);
	uint32_t len = (uint32_t)strlen(query);

	cr_assert_eq(dt_u8(ev, 0), dt_flag(&kcap_mysql_commands, command), "command %d", nth);
	cr_assert_eq(ev->len[1], len, "query %d: %u bytes, %u sent", nth,
		     ev->len[1], len);
	cr_assert_eq(memcmp(ev->val[1], query, len), 0, "query %d: '%.*s'", nth,
		     (int)ev->len[1], (const char *)ev->val[1]);
	cr_assert_eq((int32_t)dt_u32(ev, 2), status, "status of %d", nth);
	cr_assert_eq(dt_u32(ev, 3), error, "error of %d", nth);
	cr_assert_gt(dt_u64(ev, 4), 0, "latency of %d", nth);
	cr_assert_lt(dt_u64(ev, 4), 60ull * 1000000000, "latency of %d", nth);
}

/*
 * Each command of a connection: a change of database (the client's use asks
 * which database is current, then sends COM_INIT_DB), two queries (the
 * second fails: no such table, ER_NO_SUCH_TABLE 1146) and the client's quit
 * (dispatch_command says to close the connection: 1).
 */
Test(fillers_uprobe, mysql_query_of_each_command)
{
	struct server sv;
	int64_t tid;
	int i;

	need_mariadb();
	server_start(&sv);
	capture_server(&sv);
	client(&sv, "use information_schema; SELECT 1+1; SELECT * FROM nosuch.t");
	dt_stop(&t);
	server_stop(&sv);

	cr_assert_eq(dt_count_any(&t, PPME_MYSQL_QUERY_E), 5, "%d mysql_query events",
		     dt_count_any(&t, PPME_MYSQL_QUERY_E));
	expect_query(0, "COM_QUERY", "SELECT DATABASE()", 0, 0);
	expect_query(1, "COM_INIT_DB", "information_schema", 0, 0);
	expect_query(2, "COM_QUERY", "SELECT 1+1", 0, 0);
	expect_query(3, "COM_QUERY", "SELECT * FROM nosuch.t", 0, 1146);
	expect_query(4, "COM_QUIT", "", 1, 0);
	tid = kcap_evt_tid(dt_find_any(&t, PPME_MYSQL_QUERY_E, 0));
	for (i = 1; i < 5; i++)
		cr_assert_eq(kcap_evt_tid(dt_find_any(&t, PPME_MYSQL_QUERY_E, i)), tid,
			     "command %d on another thread than the connection's", i);
}

/* A query longer than the snaplen (the tests': 4096) is cut at 4095 bytes. */
Test(fillers_uprobe, mysql_query_cut_to_the_text_kept)
{
	static char sql[6000];
	struct server sv;
	const struct kcap_evt *ev;

	need_mariadb();
	memcpy(sql, "SELECT '", 8);
	memset(sql + 8, 'k', 5000);
	memcpy(sql + 5008, "'", 2);
	server_start(&sv);
	capture_server(&sv);
	client(&sv, sql);
	dt_stop(&t);
	server_stop(&sv);

	ev = dt_find_any(&t, PPME_MYSQL_QUERY_E, 0);
	cr_assert_eq(ev->len[1], KCAP_ENTRY_TEXT_MAX);
	cr_assert_eq(memcmp(ev->val[1], sql, KCAP_ENTRY_TEXT_MAX), 0);
	cr_assert_eq(dt_u32(ev, 3), 0);
}
