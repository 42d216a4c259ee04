// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

const char *shared_path(const char *rel)
{
	static char path[4096];
	const char *base = getenv("KCAP_SHARED");
	struct stat st;

	if (base)
		snprintf(path, sizeof(path), "%s/%s", base, rel);
	else
		snprintf(path, sizeof(path), "%s/../shared/%s", KCAP_SOURCE_DIR, rel);
	return stat(path, &st) == 0 ? path : NULL;
}

const char *tmp_path(const char *name)
{
	static char path[4096];

	mkdir(KCAP_BINARY_DIR "/test-tmp", 0700);
	snprintf(path, sizeof(path), "%s/test-tmp/%d-%s", KCAP_BINARY_DIR, (int)getpid(), name);
	return path;
}

void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*size = n;
	return buf;
}

int write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	int rc;

	if (!f)
		return -1;
	rc = fwrite(data, 1, size, f) == size ? 0 : -1;
	if (fclose(f))
		rc = -1;
	return rc;
}

char *slurp_and_unlink(const char *path)
{
	size_t n;
	char *s = read_file(path, &n);
	char *z;

	unlink(path);
	if (!s)
		return strdup("");
	z = realloc(s, n + 1);
	if (!z) {
		free(s);
		return strdup("");
	}
	z[n] = '\0';
	return z;
}

int run_cmd(const char *cmd, char **out, char **err)
{
	char o[4096], e[4096], full[16384];
	int status;

	snprintf(o, sizeof(o), "%s", tmp_path("cmd.out"));
	snprintf(e, sizeof(e), "%s", tmp_path("cmd.err"));
	snprintf(full, sizeof(full), "(%s) >'%s' 2>'%s'", cmd, o, e);
	status = system(full);
	if (out)
		*out = slurp_and_unlink(o);
	else
		unlink(o);
	if (err)
		*err = slurp_and_unlink(e);
	else
		unlink(e);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

char *tshark_frames(const char *path, const char *fields)
{
	char cmd[8192], *out, *err;

	cr_assert_eq(system("command -v tshark >/dev/null"), 0,
		     "tshark is missing (scripts/install-deps.sh installs it)");
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -Y '_ws.malformed || _ws.expert'", path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "tshark: %s", err);
	cr_assert_str_eq(out, "", "malformed or expert frames: %s", out);
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -T fields %s", path, fields);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "tshark: %s", err);
	free(err);
	return out;
}
