/* SPDX-License-Identifier: MIT */
/* Shared helpers of the Criterion tests. */
#ifndef KCAP_TEST_HELPERS_H
#define KCAP_TEST_HELPERS_H

#include <stddef.h>

/*
 * Path of a file under ../shared (next to the checkout), e.g.
 * shared_path("spec/scap-schema-4.5.1.json"); NULL when ../shared is
 * absent. KCAP_SHARED overrides the location. The result is static.
 */
const char *shared_path(const char *rel);

/* Skips the current test with a clear message when path is NULL. */
#define REQUIRE_SHARED(path, rel)						\
	do {									\
		if (!(path))							\
			cr_skip_test("../shared/%s is absent: skipped", rel);	\
	} while (0)

/* A fresh temporary file path under the build directory (static). */
const char *tmp_path(const char *name);

/* Reads a whole file; returns malloc'd bytes or NULL. */
void *read_file(const char *path, size_t *size);
/* Writes bytes to path; 0 on success. */
int write_file(const char *path, const void *data, size_t size);

/* A file's text, NUL-terminated ("" when unreadable); the file is removed. */
char *slurp_and_unlink(const char *path);
/* Runs a shell command, captures stdout and stderr; returns exit status. */
int run_cmd(const char *cmd, char **out, char **err);

/*
 * tshark (Debian's), a second reader of kcap's files: the given fields of
 * every frame of path, one line per frame (malloc'd), after checking that it
 * reads the file whole, with no malformed frame and no expert warning.
 * Fails the test otherwise, or when tshark is missing.
 */
char *tshark_frames(const char *path, const char *fields);

#endif /* KCAP_TEST_HELPERS_H */
