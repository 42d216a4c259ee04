// SPDX-License-Identifier: MIT
/* Fields by sysdig's names and -p formats made of them (fields.h). */
#include <criterion/criterion.h>
#include <string.h>

#include "fields.h"
#include "scap_build.h"

static struct kcap_sbuf out;

static void fini(void)
{
	kcap_sbuf_free(&out);
}

TestSuite(fields, .fini = fini);

static const char *line(const char *format, uint64_t num, const struct kcap_evt *ev,
			const struct kcap_threads *th)
{
	struct kcap_format fmt;
	char err[256];

	cr_assert_eq(kcap_format_compile(format, &fmt, err, sizeof(err)), 0, "%s", err);
	kcap_sbuf_reset(&out);
	kcap_format_line(&out, &fmt, num, ev, th, NULL);
	kcap_format_free(&fmt);
	return out.p;
}

Test(fields, every_field_of_an_event)
{
	static struct bytes b;
	struct kcap_threads *th = build_threads(77);
	struct kcap_evt ev;
	int64_t fd = -2;
	uint32_t flags = 1, mode = 0, dev = 0;
	uint64_t ino = 0;

	build_event(&b, &ev, PPME_OPENAT_X, 77, "fd", &fd, 8, "dirfd", &(int64_t){ -100 },
		    8, "name", "/etc/x", 7, "flags", &flags, 4, "mode", &mode, 4, "dev", &dev, 4,
		    "ino", &ino, 8, NULL);
	cr_expect_str_eq(line("%evt.num %evt.rawtime %evt.cpu %evt.dir %evt.type", 5, &ev, th),
			 "5 1700000100000000000 0 < openat\n");
	cr_expect_str_eq(line("%evt.res %evt.rawres %evt.failed %evt.arg.name %evt.arg.nosuch",
			      5, &ev, th), "ENOENT -2 true /etc/x <NA>\n");
	cr_expect_str_eq(line("%proc.name %proc.pid %proc.ppid %thread.tid %user.uid %user.name "
			      "%proc.exe %proc.cwd", 5, &ev, th),
			 "cat 77 1 77 1000 alice /bin/cat /tmp\n");
	/* No thread table: what only the state knows is <NA>. */
	cr_expect_str_eq(line("%proc.name %user.name %thread.tid", 5, &ev, NULL),
			 "<NA> <NA> 77\n");
	kcap_threads_free(th);
}

Test(fields, literals_percent_signs_and_a_final_dot)
{
	static struct bytes b;
	struct kcap_evt ev;

	build_event(&b, &ev, PPME_CLOSE_X, 9, "res", &(int64_t){ 0 }, 8, "fd", &(int64_t){ 3 }, 8,
		    NULL);
	cr_expect_str_eq(line("100%% [%evt.type].", 1, &ev, NULL), "100% [close].\n");
	cr_expect_str_eq(line("%evt.type.", 1, &ev, NULL), "close.\n");
	cr_expect_str_eq(line("%evt.arg.fd:%evt.res", 1, &ev, NULL), "3:SUCCESS\n");
	cr_expect_str_eq(line("", 1, &ev, NULL), "\n");
}

/* A bad field names its column, in one line. */
Test(fields, a_bad_field_names_its_column)
{
	static const struct {
		const char *format, *err;
	} cases[] = {
		{ "%evt.type %evt.tpye", "column 11: no field '%evt.tpye'" },
		{ "x %", "column 3: no field '%'" },
		{ "%evt.arg.", "column 1: no field '%evt.arg.'" },
		{ "%proc", "column 1: no field '%proc'" },
	};
	struct kcap_format fmt;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_eq(kcap_format_compile(cases[i].format, &fmt, err, sizeof(err)), -1,
			     "%s compiled", cases[i].format);
		cr_assert(!strncmp(err, cases[i].err, strlen(cases[i].err)), "%s: %s",
			  cases[i].format, err);
	}
}
