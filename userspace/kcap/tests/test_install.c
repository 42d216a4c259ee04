// SPDX-License-Identifier: MIT
/*
 * make install as a package would do it: into a DESTDIR, a program built
 * against libkcap through pkg-config reads a capture; the man page has
 * every option; the module's source builds with DKMS against the headers
 * of a matrix kernel.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

static char dest[4096];

/* Installs the build into a fresh DESTDIR once per test. */
static void install(void)
{
	char cmd[9000], *out, *err;

	snprintf(dest, sizeof(dest), "%s", tmp_path("destdir"));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && DESTDIR='%s' cmake --install '%s'", dest, dest,
		 KCAP_BINARY_DIR);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s%s", out, err);
	free(out);
	free(err);
}

static void uninstall(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dest);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(install, .init = install, .fini = uninstall, .timeout = 600);

static const char program[] =
	"#include <stdio.h>\n"
	"#include <scap_reader.h>\n"
	"#include <filter.h>\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"	char err[512];\n"
	"	struct kcap_reader *r = kcap_reader_open(argv[1], err, sizeof(err));\n"
	"	struct kcap_filter *f = kcap_filter_compile(argv[2], err, sizeof(err));\n"
	"	struct kcap_evt ev;\n"
	"	unsigned long n = 0, m = 0;\n"
	"	if (!r || !f) {\n"
	"		fprintf(stderr, \"%s\\n\", err);\n"
	"		return 1;\n"
	"	}\n"
	"	while (kcap_reader_next(r, &ev) > 0) {\n"
	"		n++;\n"
	"		m += kcap_filter_match(f, n, &ev, NULL);\n"
	"	}\n"
	"	printf(\"%lu events, %lu matched\\n\", n, m);\n"
	"	kcap_filter_free(f);\n"
	"	kcap_reader_close(r);\n"
	"	return 0;\n"
	"}\n";

Test(install, a_program_builds_against_libkcap_with_pkg_config)
{
	const char *sample = shared_path("scap-samples/cat_write.scap");
	char cmd[65536], src[4200], bin[4200], *out, *err, want[128];
	unsigned long n = 0;
	FILE *f;

	REQUIRE_SHARED(sample, "scap-samples/cat_write.scap");
	snprintf(src, sizeof(src), "%s/reader.c", dest);
	snprintf(bin, sizeof(bin), "%s/reader", dest);
	f = fopen(src, "w");
	cr_assert_not_null(f);
	fputs(program, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "pc=$(dirname \"$(find '%s' -name kcap.pc)\") && "
		 "export PKG_CONFIG_SYSROOT_DIR='%s' PKG_CONFIG_PATH=\"$pc\" && "
		 "cc -Wall -Werror -o '%s' '%s' $(pkg-config --cflags --libs kcap) && "
		 "LD_LIBRARY_PATH=$(dirname \"$(find '%s' -name 'libkcap.so.*' | head -1)\") "
		 "'%s' '%s' 'evt.type=mmap'", dest, dest, bin, src, dest, bin, sample);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s%s", out, err);
	free(err);
	/* The same counts as kcap replay's. */
	snprintf(cmd, sizeof(cmd), "%s/kcap replay --quiet --stats '%s' 2>&1 | "
		 "sed -n 's/^events: \\([0-9]*\\) read.*/\\1/p'", KCAP_BINARY_DIR, sample);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	cr_assert_eq(fscanf(f, "%lu", &n), 1);
	pclose(f);
	snprintf(want, sizeof(want), "%lu events, ", n);
	cr_assert(!strncmp(out, want, strlen(want)), "%s (kcap: %lu events)", out, n);
	cr_assert(strstr(out, ", 20 matched\n"), "10 mmap enter and exit events: %s", out);
	free(out);
}

/* Every long option of both --help texts is in kcap(1). */
Test(install, the_man_page_has_every_option)
{
	static const char *const commands[] = { "capture", "replay" };
	char cmd[9000], *out, *err, *opt, *save = NULL, *man;
	size_t i;

	snprintf(cmd, sizeof(cmd), "cat \"$(find '%s' -name kcap.1)\"", dest);
	cr_assert_eq(run_cmd(cmd, &man, &err), 0, "%s", err);
	free(err);
	for (i = 0; i < 2; i++) {
		snprintf(cmd, sizeof(cmd), "%s/kcap %s --help | grep -o -- '--[a-z][a-z-]*' | sort -u",
			 KCAP_BINARY_DIR, commands[i]);
		cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
		for (opt = strtok_r(out, "\n", &save); opt; opt = strtok_r(NULL, "\n", &save)) {
			char roff[128] = "\\-\\-";
			size_t k, j = strlen(roff);

			/* "--size-limit" is "\-\-size\-limit" in roff. */
			for (k = 2; opt[k] && j < sizeof(roff) - 3; k++) {
				if (opt[k] == '-')
					roff[j++] = '\\';
				roff[j++] = opt[k];
			}
			roff[j] = '\0';
			cr_expect(strstr(man, roff), "kcap(1) lacks %s of kcap %s", opt, commands[i]);
		}
		free(out);
		free(err);
	}
	free(man);
}

/* The module's source, as installed, builds with DKMS against a matrix kernel's headers. */
Test(install, the_module_builds_with_dkms)
{
	char cmd[65536], kernel[4096] = "", tree[4200], *out, *err;
	FILE *f;

	if (system("command -v dkms >/dev/null") != 0)
		cr_skip_test("dkms is missing (scripts/install-deps.sh installs it)");
	snprintf(cmd, sizeof(cmd), "%s/scripts/qemu/fetch-kernel.sh 6.1 2>/dev/null", KCAP_SOURCE_DIR);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	if (!fgets(kernel, sizeof(kernel), f))
		kernel[0] = '\0';
	pclose(f);
	kernel[strcspn(kernel, "\n")] = '\0';
	if (!kernel[0])
		cr_skip_test("no matrix kernel 6.1 (make matrix fetches it)");
	snprintf(tree, sizeof(tree), "%s/dkms", dest);
	snprintf(cmd, sizeof(cmd), "src=$(dirname \"$(find '%s' -name dkms.conf)\") && "
		 "mkdir -p '%s' && kver=$(cat '%s/release') && "
		 "dkms add -m kcap -v %s --dkmstree '%s' --sourcetree \"$(dirname \"$src\")\" && "
		 "dkms build -m kcap -v %s -k \"$kver\" --kernelsourcedir '%s/build' "
		 "--dkmstree '%s' --sourcetree \"$(dirname \"$src\")\" && "
		 "ls '%s'/kcap/%s/\"$kver\"/*/module/kcap.ko*", dest, tree, kernel, KCAP_VERSION,
		 tree, KCAP_VERSION, kernel, tree, tree, KCAP_VERSION);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s%s", out, err);
	free(out);
	free(err);
}
