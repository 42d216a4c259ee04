// SPDX-License-Identifier: MIT
/*
 * Where a uprobe goes (uprobe.c): a function's file and offset from the ELF
 * symbol tables, checked against where the loader mapped it in this very
 * process (/proc/self/maps), and the one-line errors for what is missing.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/types.h>

#include "event.h"
#include "interest.h"
#include "kcap_abi.h"
#include "uprobe.h"

/* Functions of this binary to find: a C one, and one named as C++ mangles it. */
__attribute__((noinline, used)) int kcap_uprobe_test_target(int x)
{
	return x * 3 + 1;
}

__attribute__((noinline, used)) int kcap_mangled_target(int x) __asm__("_Z19kcap_mangled_targeti");
__attribute__((noinline, used)) int kcap_mangled_target(int x)
{
	return x * 5 + 2;
}

/* The file (its real path) and file offset that address addr is mapped from. */
static void mapped_at(uintptr_t addr, char *path, uint64_t *off)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[PATH_MAX + 128], file[PATH_MAX];
	uintptr_t start, end;
	uint64_t moff;

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %*s %" SCNx64 " %*s %*s %4095s", &start,
			   &end, &moff, file) != 4)
			continue;
		if (addr >= start && addr < end) {
			fclose(f);
			cr_assert_not_null(realpath(file, path));
			*off = addr - start + moff;
			return;
		}
	}
	fclose(f);
	cr_assert_fail("address %#" PRIxPTR " is in no mapping of a file", addr);
}

/* The site keeps the file it read open: the same file as its path names. */
static void expect_open(struct kcap_uprobe_site *s, const char *path)
{
	struct stat open_st, path_st;

	cr_assert_eq(fstat(s->fd, &open_st), 0);
	cr_assert_eq(stat(path, &path_st), 0);
	cr_assert(open_st.st_ino == path_st.st_ino && open_st.st_dev == path_st.st_dev);
	cr_assert_eq(fcntl(s->fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	kcap_uprobe_site_release(s);
	cr_assert_eq(s->fd, -1);
}

static void expect_site(const char *binary, const char *name, uintptr_t addr,
			const char *symbol)
{
	struct kcap_uprobe_site s;
	char err[512], want_path[PATH_MAX], got_path[PATH_MAX];
	uint64_t want_off;

	mapped_at(addr, want_path, &want_off);
	cr_assert_eq(kcap_uprobe_find(binary, name, &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_not_null(realpath(s.path, got_path));
	cr_assert_str_eq(got_path, want_path);
	cr_assert_eq(s.offset, want_off, "%s at %#" PRIx64 ", mapped from %#" PRIx64, name,
		     s.offset, want_off);
	cr_assert_str_eq(s.symbol, symbol);
	expect_open(&s, got_path);
}

Test(uprobe, a_function_of_the_binary_is_at_its_mapped_offset)
{
	expect_site("/proc/self/exe", "kcap_uprobe_test_target",
		    (uintptr_t)&kcap_uprobe_test_target, "kcap_uprobe_test_target");
	cr_assert_eq(kcap_uprobe_test_target(1), 4);
}

/* A program without PIE: its function at the offset its own mapping says. */
Test(uprobe, a_function_of_a_binary_without_pie)
{
	const char *bin = KCAP_BINARY_DIR "/kcap_nopie";
	FILE *p = popen(bin, "re");
	unsigned long long addr = 0, want = 0;
	struct kcap_uprobe_site s;
	char err[512];

	cr_assert_not_null(p);
	cr_assert_eq(fscanf(p, "%llx %llu", &addr, &want), 2);
	cr_assert_eq(pclose(p), 0);
	cr_assert_lt(addr, 0x40000000ull, "%s was built with PIE (at %#llx)", bin, addr);
	cr_assert_eq(kcap_uprobe_find(bin, "kcap_nopie_target", &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(s.offset, want, "at %#" PRIx64 ", mapped from %#llx", s.offset, want);
	expect_open(&s, bin);
}

Test(uprobe, a_cpp_function_matches_by_its_plain_name)
{
	expect_site("/proc/self/exe", "kcap_mangled_target", (uintptr_t)&kcap_mangled_target,
		    "_Z19kcap_mangled_targeti");
	cr_assert_eq(kcap_mangled_target(1), 7);
}

Test(uprobe, a_function_of_a_library_the_binary_needs)
{
	expect_site("/proc/self/exe", "criterion_initialize", (uintptr_t)&criterion_initialize,
		    "criterion_initialize");
}

Test(uprobe, bash_has_readline)
{
	struct kcap_uprobe_site s;
	char err[512];

	if (access("/bin/bash", R_OK))
		cr_skip_test("/bin/bash is not here");
	cr_assert_eq(kcap_uprobe_find("/bin/bash", "readline", &s, err, sizeof(err)), 0, "%s",
		     err);
	cr_assert_neq(s.offset, 0);
	cr_assert_str_eq(s.symbol, "readline");
	expect_open(&s, "/bin/bash");
}

static void expect_error(const char *binary, const char *name, const char *a, const char *b)
{
	struct kcap_uprobe_site s;
	char err[512];

	cr_assert_eq(kcap_uprobe_find(binary, name, &s, err, sizeof(err)), -1);
	cr_assert_null(strchr(err, '\n'), "not one line: %s", err);
	cr_assert(strstr(err, a) && strstr(err, b), "'%s' does not say '%s' and '%s'", err, a, b);
}

Test(uprobe, what_is_missing_is_said)
{
	expect_error("/no/such/binary", "readline", "/no/such/binary", "No such file");
	expect_error("/etc/passwd", "readline", "/etc/passwd", "not an ELF");
	expect_error("/proc/self", "readline", "/proc/self", "not a regular file");
	expect_error("/proc/self/exe", "kcap_no_such_function", "has no function",
		     "kcap_no_such_function");
	/* Debian's /bin/true has no .symtab: only what it exports. */
	expect_error("/bin/true", "readline", "is stripped", "readline");
}

Test(uprobe, a_hooks_binary_is_named_or_defaults)
{
	const char *binaries[KCAP_HOOK_MAX] = { NULL };
	struct kcap_uprobe_site *sites[KCAP_HOOK_MAX];
	uint64_t want = 1ull << KCAP_HOOK_bash_readline;
	char err[512];
	int h;

	binaries[KCAP_HOOK_bash_readline] = "/bin/true";
	cr_assert_eq(kcap_uprobe_sites(want, binaries, sites, err, sizeof(err)), -1);
	cr_assert(strstr(err, "bash_readline: /bin/true is stripped"), "%s", err);
	for (h = 0; h < KCAP_HOOK_MAX; h++)
		cr_assert_null(sites[h]);

	if (access("/bin/bash", R_OK))
		cr_skip_test("/bin/bash is not here");
	cr_assert_eq(kcap_uprobe_sites(want, NULL, sites, err, sizeof(err)), 0, "%s", err);
	cr_assert_not_null(sites[KCAP_HOOK_bash_readline]);
	cr_assert_str_eq(sites[KCAP_HOOK_bash_readline]->path, "/bin/bash");
	for (h = 0; h < KCAP_HOOK_MAX; h++)
		cr_assert(h == KCAP_HOOK_bash_readline || !sites[h], "hook %d has a site", h);
	kcap_uprobe_sites_free(sites);
}

/*
 * The hook table says where each uprobe looks by default (absolute paths),
 * and the @uprobes set is exactly the events of its uprobe rows.
 */
Test(uprobe, every_uprobe_hook_has_default_binaries_and_its_event_is_in_the_set)
{
	size_t set = g_event_sets_count, s;
	int h, t, events = 0;

	for (s = 0; s < g_event_sets_count; s++)
		if (!strcmp(g_event_sets[s].name, "uprobes"))
			set = s;
	cr_assert_lt(set, g_event_sets_count);
	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		const char *const *d = kcap_uprobe_default_binaries(h);

		if (!kcap_hook_is_uprobe(h)) {
			cr_assert_null(d, "hook %s is no uprobe but has binaries", g_hooks[h].name);
			continue;
		}
		cr_assert(d && d[0], "uprobe hook %s has no default binary", g_hooks[h].name);
		for (; *d; d++)
			cr_assert_eq((*d)[0], '/', "%s: %s is not absolute", g_hooks[h].name, *d);
		cr_assert(kcap_event_in_set(set, kcap_hook_event(h)), "%s", g_hooks[h].name);
	}
	for (t = 0; t < KCAP_EVENT_MAX; t++) {
		if (!kcap_event_in_set(set, (uint16_t)t))
			continue;
		events++;
		for (h = 0; h < KCAP_HOOK_MAX; h++)
			if (kcap_hook_is_uprobe(h) && g_hooks[h].event == t)
				break;
		cr_assert_lt(h, KCAP_HOOK_MAX, "@uprobes has %s, no uprobe's event",
			     g_event_info[t].name);
	}
	cr_assert_geq(events, 2);
}

/* dispatch_command's signature from its mangled name: MariaDB's, MySQL's, neither. */
Test(uprobe, the_signature_of_dispatch_command)
{
	static const char *const mariadb_10_11 = "_Z16dispatch_command19enum_server_commandP3THDPcjb";
	static const char *const mariadb_10_3 = "_Z16dispatch_command19enum_server_commandP3THDPcjbb";
	static const char *const mysql_8 = "_Z16dispatch_commandP3THDPK8COM_DATA19enum_server_command";

	cr_assert_eq(kcap_uprobe_signature(KCAP_HOOK_mysql_dispatch, mariadb_10_11),
		     KCAP_MYSQL_MARIADB);
	cr_assert_eq(kcap_uprobe_signature(KCAP_HOOK_mysql_query, mariadb_10_3), KCAP_MYSQL_MARIADB);
	cr_assert_eq(kcap_uprobe_signature(KCAP_HOOK_mysql_dispatch, mysql_8), KCAP_MYSQL_MYSQL8);
	cr_assert_eq(kcap_uprobe_signature(KCAP_HOOK_mysql_query, "_Z16dispatch_commandv"), -1);
	cr_assert_eq(kcap_uprobe_signature(KCAP_HOOK_mysql_error, "my_message_sql"), 0);
	cr_assert_eq(kcap_uprobe_signature(KCAP_HOOK_bash_readline, "readline"), 0);
}

/* This binary's dispatch_command has a signature no server has: said, with its name. */
__attribute__((noinline, used)) int kcap_fake_dispatch(void) __asm__("_Z16dispatch_commandv");
__attribute__((noinline, used)) int kcap_fake_dispatch(void)
{
	return 42;
}

Test(uprobe, a_dispatch_command_of_another_signature_is_refused)
{
	const char *binaries[KCAP_HOOK_MAX] = { NULL };
	struct kcap_uprobe_site *sites[KCAP_HOOK_MAX];
	uint64_t want = 1ull << KCAP_HOOK_mysql_query;
	char err[4200];

	binaries[KCAP_HOOK_mysql_query] = "/proc/self/exe";
	cr_assert_eq(kcap_uprobe_sites(want, binaries, sites, err, sizeof(err)), -1);
	cr_assert(strstr(err, "mysql_query: dispatch_command in /proc/self/exe has a signature kcap "
			      "cannot read (_Z16dispatch_commandv)"), "%s", err);
	cr_assert_eq(kcap_fake_dispatch(), 42);
}

/* Debian's MariaDB: its functions, and its dispatch_command read as MariaDB's. */
Test(uprobe, mariadbd_by_default)
{
	uint64_t want = 1ull << KCAP_HOOK_mysql_dispatch | 1ull << KCAP_HOOK_mysql_error |
			1ull << KCAP_HOOK_mysql_query;
	struct kcap_uprobe_site *sites[KCAP_HOOK_MAX];
	char err[4200];

	if (access("/usr/sbin/mariadbd", R_OK))
		cr_skip_test("/usr/sbin/mariadbd is not here (Debian's mariadb-server-core)");
	cr_assert_eq(kcap_uprobe_sites(want, NULL, sites, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(sites[KCAP_HOOK_mysql_dispatch]->path, "/usr/sbin/mariadbd");
	cr_assert_eq(sites[KCAP_HOOK_mysql_dispatch]->abi, KCAP_MYSQL_MARIADB);
	cr_assert_eq(sites[KCAP_HOOK_mysql_query]->offset, sites[KCAP_HOOK_mysql_dispatch]->offset);
	cr_assert_str_eq(sites[KCAP_HOOK_mysql_error]->symbol, "my_message_sql");
	kcap_uprobe_sites_free(sites);
}
