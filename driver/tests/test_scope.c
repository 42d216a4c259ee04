// SPDX-License-Identifier: MIT
/*
 * Driver tests of the scope (scope.h): child processes that differ in one
 * field (uid, gid, comm, cgroup, a container's cgroup, mount or pid
 * namespace, pid) each make the same failing close() once capture is on;
 * the drivers must build the events of those the scope lets in, and no other.
 * The scopes are parsed as kcap capture --scope parses them.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver_test.h"
#include "scope_spec.h"

#define MARK_FD 9999		/* close(MARK_FD) fails with EBADF: the mark */
#define MARKS 3

enum setup { PLAIN, SETUID, SETGID, COMM, CGROUP, MNTNS, PIDNS, FORKS, CGROUP_OUT, CGROUP_IN };

/* A child: made in its setup, then waiting for go before it marks. */
struct kid {
	pid_t pid;		/* the process waited for */
	pid_t marker;		/* the thread that marks (a grandchild for PIDNS, FORKS) */
	unsigned long info;	/* what its setup made: a namespace's inode */
	int go;			/* write end: one byte starts it */
};

struct ready {
	pid_t marker;
	unsigned long info;
};

static struct dt t;
static char cgroup_dir[PATH_MAX];	/* the test's cgroup v2 directory, "" if none */

static void fini(void)
{
	dt_close(&t);
	if (cgroup_dir[0]) {
		char sub[PATH_MAX + 80];

		snprintf(sub, sizeof(sub), "%s/inner", cgroup_dir);
		rmdir(sub);
		rmdir(cgroup_dir);
	}
}

TestSuite(scope, .fini = fini);

static void marks(void)
{
	int i;

	for (i = 0; i < MARKS; i++)
		close(MARK_FD);
}

static unsigned long ns_inode(const char *ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns);
	return stat(path, &st) ? 0 : (unsigned long)st.st_ino;
}

/* This process's pid as /proc (the initial pid namespace's) names it. */
static pid_t host_pid(void)
{
	char buf[32] = "";

	return readlink("/proc/self", buf, sizeof(buf) - 1) > 0 ? atoi(buf) : -1;
}

static void join_cgroup(const char *dir)
{
	char path[PATH_MAX + 16];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f))
		_exit(3);
}

static const char *cgroup2_root(void);

/* This process's cgroup v2 directory, as the test's cgroup v2 mount shows it. */
static const char *home_cgroup(void)
{
	static char dir[2 * PATH_MAX];
	char line[PATH_MAX];
	FILE *f = fopen("/proc/self/cgroup", "re");

	dir[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(dir, sizeof(dir), "%s%s", cgroup2_root(), line + 3);
		}
	}
	if (f)
		fclose(f);
	return dir;
}

static void wait_go(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		_exit(4);
}

/* The child's side: its setup, ready with what it made, then marks on go. */
static void kid_main(enum setup setup, const char *arg, int ready, int go)
{
	struct ready r = { .marker = getpid() };
	char home[2 * PATH_MAX];
	pid_t g;

	snprintf(home, sizeof(home), "%s", setup == CGROUP_OUT ? home_cgroup() : "");
	switch (setup) {
	case SETUID:
		if (setresuid(65534, 65534, 65534))
			_exit(2);
		break;
	case SETGID:
		if (setresgid(65534, 65534, 65534))
			_exit(2);
		break;
	case COMM:
		prctl(PR_SET_NAME, arg);
		break;
	case CGROUP:
	case CGROUP_OUT:
		join_cgroup(arg);
		break;
	case MNTNS:
		if (unshare(CLONE_NEWNS))
			_exit(2);
		r.info = ns_inode("mnt");
		break;
	case PIDNS:
	case FORKS:
		if (setup == PIDNS && unshare(CLONE_NEWPID))
			_exit(2);
		/* The grandchild marks; it is forked while capturing for FORKS. */
		if (setup == FORKS) {
			if (write(ready, &r, sizeof(r)) != sizeof(r))
				_exit(5);
			wait_go(go);
		}
		g = fork();
		if (g == 0) {
			r.marker = host_pid();
			r.info = ns_inode("pid");
			if (setup == PIDNS) {
				if (write(ready, &r, sizeof(r)) != sizeof(r))
					_exit(5);
				wait_go(go);
			}
			marks();
			_exit(0);
		}
		_exit(g > 0 && waitpid(g, NULL, 0) == g ? 0 : 6);
	default:
		break;
	}
	if (write(ready, &r, sizeof(r)) != sizeof(r))
		_exit(5);
	wait_go(go);
	marks();
	/* Marks again, having moved out of the cgroup, or into it. */
	if (setup == CGROUP_OUT || setup == CGROUP_IN) {
		join_cgroup(setup == CGROUP_OUT ? home : arg);
		marks();
	}
	_exit(0);
}

/* A child set up and waiting; FORKS's marker is known only after the run. */
static void kid_start(struct kid *k, enum setup setup, const char *arg)
{
	int ready[2], go[2];
	struct ready r;

	cr_assert_eq(pipe(ready), 0);
	cr_assert_eq(pipe(go), 0);
	k->pid = fork();
	cr_assert_geq(k->pid, 0);
	if (k->pid == 0) {
		close(ready[0]);
		close(go[1]);
		kid_main(setup, arg, ready[1], go[0]);
	}
	close(ready[1]);
	close(go[0]);
	cr_assert_eq(read(ready[0], &r, sizeof(r)), (ssize_t)sizeof(r), "kid %d not ready", setup);
	close(ready[0]);
	k->marker = r.marker;
	k->info = r.info;
	k->go = go[1];
}

static void kid_run(struct kid *k)
{
	int status;

	cr_assert_eq(write(k->go, "g", 1), 1);
	close(k->go);
	cr_assert_eq(waitpid(k->pid, &status, 0), k->pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "kid exited with %d", status);
}

static void add_scope(struct kcap_scope *s, const char *expr)
{
	char err[PATH_MAX + 256];

	cr_assert_eq(kcap_scope_parse(s, expr, NULL, NULL, err, sizeof(err)), 0, "%s: %s", expr,
		     err);
}

/* The marks of thread tid: MARKS close exits with EBADF, or none. */
static int marked(pid_t tid)
{
	int n = 0, i;

	for (i = 0; i < dt_count_tid(&t, PPME_CLOSE_X, tid); i++) {
		const struct kcap_evt *ev = dt_find_tid(&t, PPME_CLOSE_X, tid, i);

		if (dt_s64(ev, 0) == -EBADF && dt_s64(ev, 1) == MARK_FD)
			n++;
	}
	return n;
}

/* Runs the kids under scope; in[i]: kid i's marks must be captured, else none. */
static void run_scoped(struct kid *kids, int n, const struct kcap_scope *scope, const bool *in)
{
	int i;

	dt_start_scope(&t, "close", scope);
	for (i = 0; i < n; i++)
		kid_run(&kids[i]);
	marks();	/* this process: in scope only where a test says so */
	dt_stop(&t);
	for (i = 0; i < n; i++)
		cr_expect_eq(marked(kids[i].marker), in[i] ? MARKS : 0,
			     "kid %d (thread %d): %d marks captured, want %d", i, kids[i].marker,
			     marked(kids[i].marker), in[i] ? MARKS : 0);
}

/* Marks from threads that are neither the kids' markers nor this one: a grandchild's. */
static int unknown_marks(const struct kid *kids, int n)
{
	int count = 0, i;
	uint32_t e;

	for (e = 0; e < t.nevents; e++) {
		const struct ppm_evt_hdr *h = (const void *)(t.bytes + t.offsets[e]);
		struct kcap_evt ev;
		const char *why;
		bool known = (pid_t)h->tid == getpid();

		for (i = 0; i < n; i++)
			known |= (pid_t)h->tid == kids[i].marker;
		if (known || h->type != PPME_CLOSE_X)
			continue;
		cr_assert_eq(kcap_evt_parse(h, h->len, &ev, &why), 0, "%s", why);
		if (dt_s64(&ev, 0) == -EBADF && dt_s64(&ev, 1) == MARK_FD)
			count++;
	}
	return count;
}

static void check_own_marks(int want)
{
	cr_expect_eq(marked(getpid()), want, "the test's own marks: %d, want %d",
		     marked(getpid()), want);
}

/* A kid made by setup and a plain one, under expr: the first in or out, the plain one the other way. */
static void two_kids(enum setup setup, const char *expr, bool first_in, int own_marks)
{
	struct kcap_scope s = { 0 };
	struct kid k[2];

	dt_driver();
	kid_start(&k[0], setup, NULL);
	kid_start(&k[1], PLAIN, NULL);
	add_scope(&s, expr);
	run_scoped(k, 2, &s, (bool[]){ first_in, !first_in });
	check_own_marks(own_marks);
	dt_close(&t);
}

Test(scope, uid_and_its_negation)
{
	two_kids(SETUID, "uid=65534", true, 0);
	two_kids(SETUID, "uid!=65534,12345", false, MARKS);
}

Test(scope, gid)
{
	two_kids(SETGID, "gid=12345,65534", true, 0);
}

Test(scope, comm_values_and_negation)
{
	struct kcap_scope s = { 0 };
	struct kid k[3];

	dt_driver();
	kid_start(&k[0], COMM, "kcap-scope-a");
	kid_start(&k[1], COMM, "kcap-scope-b");
	kid_start(&k[2], COMM, "kcap-scope-abc");	/* a comm that extends a value */
	add_scope(&s, "comm=kcap-scope-a,kcap-scope-b");
	run_scoped(k, 3, &s, (bool[]){ true, true, false });
	check_own_marks(0);
	dt_close(&t);

	memset(&s, 0, sizeof(s));
	kid_start(&k[0], COMM, "kcap-scope-a");
	kid_start(&k[1], COMM, "kcap-scope-b");
	add_scope(&s, "comm!=kcap-scope-a");
	run_scoped(k, 2, &s, (bool[]){ false, true });
	check_own_marks(MARKS);
}

/* The cgroup v2 mount: the system's, else one the test makes (a guest's initramfs). */
static const char *cgroup2_root(void)
{
	static char root[PATH_MAX];
	char line[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");

	while (f && fgets(line, sizeof(line), f)) {
		char mnt[PATH_MAX];

		if (strstr(line, " - cgroup2 ") && sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1) {
			snprintf(root, sizeof(root), "%s", mnt);
			fclose(f);
			return root;
		}
	}
	if (f)
		fclose(f);
	snprintf(root, sizeof(root), "%s/cgroup2", dt_scratch_dir());
	mkdir(root, 0700);
	if (mount("none", root, "cgroup2", 0, NULL))
		cr_skip_test("no cgroup v2 here: %s", strerror(errno));
	return root;
}

/* The test's cgroup and a cgroup name under it; returns the new directory's path. */
static const char *make_cgroup(const char *name)
{
	static char dir[PATH_MAX + 128];

	snprintf(cgroup_dir, sizeof(cgroup_dir), "%s/kcap-scope-%d", cgroup2_root(), getpid());
	cr_assert(mkdir(cgroup_dir, 0755) == 0 || errno == EEXIST, "%s: %s", cgroup_dir,
		  strerror(errno));
	snprintf(dir, sizeof(dir), "%s/%s", cgroup_dir, name);
	cr_assert(mkdir(dir, 0755) == 0 || errno == EEXIST, "%s: %s", dir, strerror(errno));
	return dir;
}

/*
 * Kids made by setups a and b with the test's cgroup "inner", under the scope
 * cgroup=<the test's cgroup> (parent: a subtree) or cgroup=<inner>.
 */
static void cgroup_kids(enum setup a, enum setup b, bool parent, const bool *in)
{
	struct kcap_scope s = { 0 };
	char expr[PATH_MAX + 16];
	const char *inner;
	struct kid k[2];

	dt_driver();
	inner = make_cgroup("inner");
	kid_start(&k[0], a, inner);
	kid_start(&k[1], b, inner);
	snprintf(expr, sizeof(expr), "cgroup=%s", parent ? cgroup_dir : inner);
	add_scope(&s, expr);
	cr_assert_eq(s.cgroup_level[0], parent ? 1 : 2, "the test's cgroup lies under the root");
	run_scoped(k, 2, &s, in);
	check_own_marks(0);
	rmdir(inner);
}

Test(scope, cgroup_and_the_cgroups_under_it)
{
	cgroup_kids(CGROUP, PLAIN, true, (bool[]){ true, false });
}

/*
 * A process is in the cgroup field's scope while it is in the cgroup: one
 * that leaves it after its marks has its later marks left out, one that
 * joins it after its marks has its later marks in (the drivers may keep the
 * answer per cgroup; a move changes the cgroup).
 */
Test(scope, a_process_that_moves_between_cgroups)
{
	cgroup_kids(CGROUP_OUT, CGROUP_IN, false, (bool[]){ true, true });
}

/* A docker-style container: its cgroup named by its id, found from its process. */
Test(scope, container_by_id_prefix)
{
	char id[65], name[128], expr[32];
	struct kcap_scope s = { 0 };
	struct kid k[2];
	const char *dir;

	dt_driver();
	snprintf(id, sizeof(id), "%08x%056d", (unsigned)getpid() * 2654435761u, 7);
	snprintf(name, sizeof(name), "docker-%s.scope", id);
	dir = make_cgroup(name);
	kid_start(&k[0], CGROUP, dir);
	kid_start(&k[1], PLAIN, NULL);
	snprintf(expr, sizeof(expr), "container=%.12s", id);
	add_scope(&s, expr);
	run_scoped(k, 2, &s, (bool[]){ true, false });
	check_own_marks(0);
	rmdir(dir);
}

/*
 * A kid in a namespace of its own (setup): scoped in by that namespace's
 * inode, or negated, by not being in ours; the plain kid stays out.
 */
static void namespace_scope(enum setup setup, const char *ns, bool negate)
{
	struct kcap_scope s = { 0 };
	char expr[64];
	struct kid k[2];

	dt_driver();
	kid_start(&k[0], setup, NULL);
	kid_start(&k[1], PLAIN, NULL);
	cr_assert_neq(k[0].info, ns_inode(ns));
	snprintf(expr, sizeof(expr), "%sns%s=%lu", ns, negate ? "!" : "",
		 negate ? ns_inode(ns) : k[0].info);
	add_scope(&s, expr);
	run_scoped(k, 2, &s, (bool[]){ true, false });
	check_own_marks(0);
}

Test(scope, mount_namespace)
{
	namespace_scope(MNTNS, "mnt", false);
}

Test(scope, pid_namespace_negated)
{
	namespace_scope(PIDNS, "pid", true);
}

Test(scope, pids_descendants_and_other_fields)
{
	struct kcap_scope s = { 0 };
	char expr[64];
	struct kid k[3];

	dt_driver();
	kid_start(&k[0], FORKS, NULL);
	kid_start(&k[1], PLAIN, NULL);
	kid_start(&k[2], PLAIN, NULL);
	snprintf(expr, sizeof(expr), "pid=%d,%d", k[0].pid, k[1].pid);
	add_scope(&s, expr);
	add_scope(&s, "follow");
	dt_start_scope(&t, "close", &s);
	kid_run(&k[0]);
	kid_run(&k[1]);
	kid_run(&k[2]);
	dt_stop(&t);
	/* k[0]'s grandchild, forked while capturing, is followed. */
	cr_expect_eq(dt_count_tid(&t, PPME_CLOSE_X, k[0].pid), 0, "k[0] itself marks none");
	cr_expect_eq(marked(k[1].marker), MARKS);
	cr_expect_eq(marked(k[2].marker), 0);
	cr_expect_eq(unknown_marks(k, 3), MARKS, "the grandchild's marks");
	check_own_marks(0);
	dt_close(&t);

	/* Two fields: both must match. */
	memset(&s, 0, sizeof(s));
	kid_start(&k[0], SETUID, NULL);
	kid_start(&k[1], SETUID, NULL);
	kid_start(&k[2], PLAIN, NULL);
	snprintf(expr, sizeof(expr), "pid!=%d", k[1].pid);
	add_scope(&s, expr);
	add_scope(&s, "uid=65534");
	run_scoped(k, 3, &s, (bool[]){ true, false, false });
	check_own_marks(0);
}
