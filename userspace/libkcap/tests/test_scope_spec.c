// SPDX-License-Identifier: MIT
/*
 * --scope expressions to struct kcap_scope: values, names, negation, the
 * limits, and containers found from a /proc and a cgroup v2 tree the test
 * builds (docker's path scheme, and a cgroup v1 runtime's).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"
#include "scope_spec.h"

static char err[PATH_MAX + 256];

static int parse(struct kcap_scope *s, const char *expr)
{
	return kcap_scope_parse(s, expr, NULL, "/nonexistent-cgroupfs", err, sizeof(err));
}

static void describes(const struct kcap_scope *s, const char *want)
{
	char buf[512];

	kcap_scope_describe(s, buf, sizeof(buf));
	cr_assert_str_eq(buf, want);
}

Test(scope_spec, fields_values_and_negation)
{
	struct kcap_scope s = { 0 };

	cr_assert_eq(parse(&s, "pid=1,22"), 0, "%s", err);
	cr_assert_eq(parse(&s, "uid!=root,1000"), 0, "%s", err);
	cr_assert_eq(parse(&s, "gid=root"), 0, "%s", err);
	cr_assert_eq(parse(&s, "comm=bash,sh"), 0, "%s", err);
	cr_assert_eq(parse(&s, "mntns=4026531841"), 0, "%s", err);
	cr_assert_eq(parse(&s, "pidns!=4026531836"), 0, "%s", err);
	cr_assert_eq(parse(&s, "follow"), 0, "%s", err);
	cr_assert_eq(s.fields, 0x6f);
	cr_assert_eq(s.negate, (1u << KCAP_SCOPE_UID) | (1u << KCAP_SCOPE_PIDNS));
	cr_assert_eq(s.n[KCAP_SCOPE_PID], 2);
	cr_assert_eq(s.uid[0], 0);
	cr_assert_eq(s.uid[1], 1000);
	cr_assert_eq(s.gid[0], 0);
	cr_assert_str_eq((const char *)s.comm[1], "sh");
	cr_assert_eq(s.comm[1][1], 0, "padded with NULs");
	cr_assert_eq(s.follow, 1);
	describes(&s, "pid=1,22 uid!=0,1000 gid=0 comm=bash,sh mntns=4026531841 "
		  "pidns!=4026531836 follow");
	/* A field given twice adds values. */
	cr_assert_eq(parse(&s, "pid=333"), 0, "%s", err);
	cr_assert_eq(s.n[KCAP_SCOPE_PID], 3);
}

static void refused(const char *expr, const char *why)
{
	struct kcap_scope s = { 0 };

	cr_assert_eq(parse(&s, "uid=1"), 0);
	cr_assert_eq(parse(&s, expr), -1, "%s was taken", expr);
	cr_assert(strstr(err, why), "%s: '%s' lacks '%s'", expr, err, why);
	cr_assert_eq(strchr(err, '\n'), NULL, "one line");
}

Test(scope_spec, bad_expressions_are_one_line_errors)
{
	refused("uid", "FIELD=VALUE");
	refused("=1", "FIELD=VALUE");
	refused("user=1", "unknown field 'user' (pid, uid");
	refused("uid!=2", "= and != on one field");
	refused("pid=", "no value");
	refused("pid=0", "'0' is no pid");
	refused("pid=12x", "'12x' is no pid");
	refused("pid=99999999999", "is no pid");
	refused("gid=no-such-group-kcap", "no gid or group name");
	refused("uid=no-such-user-kcap", "no uid or user name");
	refused("comm=0123456789abcdef", "1 to 15 bytes");
	refused("pid=1,2,3,4,5,6,7,8,9", "more than 8 values");
	refused("mntns=-1", "no namespace inode number");
	refused("cgroup=relative", "no cgroup path");
	refused("cgroup=/no/such/cgroup", "no cgroup /no/such/cgroup under");
	refused("cgroup=/a/../b", "no . or ..");
	refused("container=xyz", "no container id");
	refused("container=ab", "no container id");
}

/* A process directory with a cgroup file, under a fake /proc. */
static void fake_process(const char *procfs, int pid, const char *cgroups)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%d", procfs, pid);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/%d/cgroup", procfs, pid);
	cr_assert_eq(write_file(path, cgroups, strlen(cgroups)), 0);
}

#define ID_A "4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2"
#define ID_B "4fa6e0f0c6780000000000000000000000000000000000000000000000000000"
#define ID_V1 "9999e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2"

Test(scope_spec, containers_from_their_processes)
{
	char root[PATH_MAX], procfs[PATH_MAX + 8], cgfs[PATH_MAX + 8], dir[PATH_MAX * 2];
	struct kcap_scope s = { 0 };
	struct stat st;

	snprintf(root, sizeof(root), "%s", tmp_path("scope-spec"));
	snprintf(procfs, sizeof(procfs), "%s/proc", root);
	snprintf(cgfs, sizeof(cgfs), "%s/cgroup", root);
	cr_assert_eq(mkdir(root, 0700), 0);
	cr_assert_eq(mkdir(procfs, 0700), 0);
	cr_assert_eq(mkdir(cgfs, 0700), 0);
	snprintf(dir, sizeof(dir), "%s/system.slice", cgfs);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof(dir), "%s/system.slice/docker-" ID_A ".scope", cgfs);
	cr_assert_eq(mkdir(dir, 0700), 0);
	cr_assert_eq(stat(dir, &st), 0);
	fake_process(procfs, 10, "0::/system.slice/docker-" ID_A ".scope/init.scope\n");
	fake_process(procfs, 11, "0::/user.slice\n");
	fake_process(procfs, 12, "4:memory:/docker/" ID_V1 "\n0::/\n");

	/* By a prefix: the cgroup named by the id, cut below it, two levels down. */
	cr_assert_eq(kcap_scope_parse(&s, "container=4fa6e0f0c6786", procfs, cgfs, err,
				      sizeof(err)), 0, "%s", err);
	cr_assert_eq(s.fields, 1u << KCAP_SCOPE_CGROUP);
	cr_assert_eq(s.n[KCAP_SCOPE_CGROUP], 1);
	cr_assert_eq(s.cgroup_level[0], 2);
	cr_assert_eq(s.cgroup[0], (uint64_t)st.st_ino, "the id of the container's cgroup");

	/* A cgroup v1 runtime's container: no cgroup v2 to scope in the kernel. */
	cr_assert_eq(kcap_scope_parse(&s, "container=9999e0f0", procfs, cgfs, err, sizeof(err)), -1);
	cr_assert(strstr(err, "container 9999e0f0c678 has no cgroup v2 of its own"), "%s", err);
	cr_assert_eq(kcap_scope_parse(&s, "container=abcdef", procfs, cgfs, err, sizeof(err)), -1);
	cr_assert(strstr(err, "no running container's id starts with abcdef"), "%s", err);

	/* Two containers a prefix fits. */
	fake_process(procfs, 13, "0::/system.slice/docker-" ID_B ".scope\n");
	cr_assert_eq(kcap_scope_parse(&s, "container=4fa6e0f0c678", procfs, cgfs, err, sizeof(err)),
		     -1);
	cr_assert(strstr(err, "'4fa6e0f0c678' is ambiguous"), "%s", err);

	/* A cgroup by its path, under the mount or from the root. */
	memset(&s, 0, sizeof(s));
	cr_assert_eq(kcap_scope_parse(&s, "cgroup=/system.slice", procfs, cgfs, err, sizeof(err)),
		     0, "%s", err);
	snprintf(dir, sizeof(dir), "cgroup=%s/system.slice", cgfs);
	cr_assert_eq(kcap_scope_parse(&s, dir, procfs, cgfs, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(s.cgroup[0], s.cgroup[1]);
	cr_assert_eq(s.cgroup_level[0], 1);
	cr_assert_eq(s.cgroup_level[1], 1);
}
