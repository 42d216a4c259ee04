// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "container.h"
#include "scope_spec.h"

static const char *const field_names[KCAP_SCOPE_FIELDS] = {
	[KCAP_SCOPE_PID] = "pid",     [KCAP_SCOPE_UID] = "uid",
	[KCAP_SCOPE_GID] = "gid",     [KCAP_SCOPE_COMM] = "comm",
	[KCAP_SCOPE_CGROUP] = "cgroup", [KCAP_SCOPE_MNTNS] = "mntns",
	[KCAP_SCOPE_PIDNS] = "pidns",
};

#define CGROUP_FILE_MAX 65536

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A decimal number of 1 to max; -1 when v is not one. */
static long long number(const char *v, unsigned long long max)
{
	unsigned long long n;
	char *end;

	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || *end || n > max)
		return -1;
	return (long long)n;
}

static int id_value(int field, const char *v, uint32_t *out, char *err, size_t errlen)
{
	long long n = number(v, UINT32_MAX - 1);
	struct passwd *pw;
	struct group *gr;

	if (n >= 0) {
		*out = (uint32_t)n;
		return 0;
	}
	if (field == KCAP_SCOPE_UID && (pw = getpwnam(v))) {
		*out = pw->pw_uid;
		return 0;
	}
	if (field == KCAP_SCOPE_GID && (gr = getgrnam(v))) {
		*out = gr->gr_gid;
		return 0;
	}
	return fail(err, errlen, "--scope %s: '%s' is no %s", field_names[field], v,
		    field == KCAP_SCOPE_UID ? "uid or user name" : "gid or group name");
}

/* The cgroup v2 mount point, from mountinfo; -1 when there is none. */
static int cgroup2_mount(const char *procfs, char *out, size_t len)
{
	char path[PATH_MAX], line[4096];
	FILE *f;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/self/mountinfo", procfs);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (rc && fgets(line, sizeof(line), f)) {
		char *dash = strstr(line, " - cgroup2 "), *mnt;
		int field = 0;

		if (!dash)
			continue;
		/* "id parent major:minor root mountpoint ..." */
		for (mnt = line; *mnt && field < 4; mnt++)
			if (*mnt == ' ')
				field++;
		if (field == 4 && strcspn(mnt, " ") < len) {
			snprintf(out, len, "%.*s", (int)strcspn(mnt, " "), mnt);
			rc = 0;
		}
	}
	fclose(f);
	return rc;
}

#define CGROUP2_MAGIC 0x63677270

/* The cgroup id the kernel gives the directory dir: a cgroup2 file handle, else its inode. */
static int cgroup_id(const char *dir, __u64 *id)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh.handle_bytes = sizeof(uint64_t) };
	struct statfs fs;
	struct stat st;
	int mount_id;

	if (!statfs(dir, &fs) && fs.f_type == CGROUP2_MAGIC &&
	    !name_to_handle_at(AT_FDCWD, dir, &h.fh, &mount_id, 0) && h.fh.handle_bytes == 8) {
		memcpy(id, h.fh.f_handle, sizeof(*id));
		return 0;
	}
	if (stat(dir, &st))
		return -1;
	*id = st.st_ino;
	return 0;
}

/* A cgroup v2 path (from its root, or under the mount point) to its id and depth. */
static int cgroup_value(struct kcap_scope *s, int i, const char *path, const char *cgroupfs,
			char *err, size_t errlen)
{
	char dir[PATH_MAX];
	const char *rel = path, *p;
	struct stat st;
	uint32_t level = 0;
	size_t mlen = strlen(cgroupfs);

	if (path[0] != '/')
		return fail(err, errlen, "--scope cgroup: '%s' is no cgroup path (/a/b)", path);
	if (!strncmp(path, cgroupfs, mlen) && (path[mlen] == '/' || !path[mlen]))
		rel = path + mlen;
	for (p = rel; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			level++;
	if (strstr(rel, "/..") || strstr(rel, "/./"))
		return fail(err, errlen, "--scope cgroup: '%s': no . or .. components", path);
	if (snprintf(dir, sizeof(dir), "%s%s", cgroupfs, rel) >= (int)sizeof(dir) ||
	    stat(dir, &st) || !S_ISDIR(st.st_mode) || cgroup_id(dir, &s->cgroup[i]))
		return fail(err, errlen, "--scope cgroup: no cgroup %s under the cgroup v2 mount %s",
			    rel, cgroupfs);
	s->cgroup_level[i] = level;
	return 0;
}

/* Reads procfs/pid/cgroup into buf, NUL-terminated; -1 when it cannot. */
static int read_cgroups(const char *procfs, const char *pid, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/cgroup", procfs, pid);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/*
 * The cgroup v2 path of the container whose id starts with prefix, from the
 * processes running in it: their "0::" line cut after the component that
 * names the container. 1 found, 0 none, -1 (err) ambiguous or no cgroup v2.
 */
static int container_cgroup(const char *procfs, const char *prefix, char *out, size_t outlen,
			    char *err, size_t errlen)
{
	char *buf = malloc(CGROUP_FILE_MAX), found_id[KCAP_CONTAINER_FULL_ID_LEN + 1] = "";
	DIR *d = opendir(procfs);
	struct dirent *de;
	int rc = 0;

	if (!buf || !d) {
		free(buf);
		if (d)
			closedir(d);
		return fail(err, errlen, "--scope container: cannot read %s", procfs);
	}
	while (rc >= 0 && (de = readdir(d))) {
		struct kcap_container c;
		char *line, *save = NULL, *v2 = NULL;
		bool in = false;

		if (!isdigit((unsigned char)de->d_name[0]) ||
		    read_cgroups(procfs, de->d_name, buf, CGROUP_FILE_MAX))
			continue;
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (kcap_container_find(line, strlen(line) + 1, &c) &&
			    !strncmp(c.full_id, prefix, strlen(prefix))) {
				if (found_id[0] && strcmp(found_id, c.full_id)) {
					rc = fail(err, errlen, "--scope container: '%s' is ambiguous: "
						  "%.12s and %.12s", prefix, found_id, c.full_id);
					break;
				}
				snprintf(found_id, sizeof(found_id), "%s", c.full_id);
				in = true;
			}
			if (!strncmp(line, "0::", 3))
				v2 = line + 3;
		}
		if (rc < 0 || !in)
			continue;
		if (!v2 || !strstr(v2, found_id))
			continue;	/* the container is in cgroup v1 only, here */
		snprintf(out, outlen, "%.*s", (int)(strstr(v2, found_id) - v2) +
			 (int)strcspn(strstr(v2, found_id), "/"), v2);
		rc = 1;
	}
	closedir(d);
	free(buf);
	if (rc == 0 && found_id[0])
		return fail(err, errlen, "--scope container: container %.12s has no cgroup v2 of its "
			    "own (a cgroup v1 runtime): kcap cannot scope it in the kernel", found_id);
	return rc;
}

static int add_value(struct kcap_scope *s, int field, const char *v, const char *procfs,
		     const char *cgroupfs, bool container, char *err, size_t errlen)
{
	uint32_t i = s->n[field];
	char path[PATH_MAX];
	long long n;
	int rc;

	if (i == KCAP_SCOPE_VALUES)
		return fail(err, errlen, "--scope %s: more than %d values", container ? "container" :
			    field_names[field], KCAP_SCOPE_VALUES);
	switch (field) {
	case KCAP_SCOPE_PID:
		n = number(v, INT32_MAX);
		if (n <= 0)
			return fail(err, errlen, "--scope pid: '%s' is no pid", v);
		s->pid[i] = (uint32_t)n;
		break;
	case KCAP_SCOPE_UID:
		if (id_value(field, v, &s->uid[i], err, errlen))
			return -1;
		break;
	case KCAP_SCOPE_GID:
		if (id_value(field, v, &s->gid[i], err, errlen))
			return -1;
		break;
	case KCAP_SCOPE_COMM:
		if (!*v || strlen(v) >= KCAP_TASK_COMM_LEN)
			return fail(err, errlen, "--scope comm: '%s': a comm has 1 to %d bytes",
				    v, KCAP_TASK_COMM_LEN - 1);
		memset(s->comm[i], 0, sizeof(s->comm[i]));
		memcpy(s->comm[i], v, strlen(v));
		break;
	case KCAP_SCOPE_CGROUP:
		if (!cgroupfs)
			return fail(err, errlen, "--scope %s: this machine has no cgroup v2 mount",
				    container ? "container" : "cgroup");
		if (container) {
			if (strlen(v) < 3 || strspn(v, "0123456789abcdef") != strlen(v) ||
			    strlen(v) > KCAP_CONTAINER_FULL_ID_LEN)
				return fail(err, errlen, "--scope container: '%s' is no container id "
					    "(3 to 64 hex digits)", v);
			rc = container_cgroup(procfs, v, path, sizeof(path), err, errlen);
			if (rc < 0)
				return -1;
			if (!rc)
				return fail(err, errlen, "--scope container: no running container's "
					    "id starts with %s", v);
			v = path;
		}
		if (cgroup_value(s, (int)i, v, cgroupfs, err, errlen))
			return -1;
		break;
	default:
		n = number(v, UINT32_MAX);
		if (n <= 0)
			return fail(err, errlen, "--scope %s: '%s' is no namespace inode number",
				    field_names[field], v);
		if (field == KCAP_SCOPE_MNTNS)
			s->mntns[i] = (uint32_t)n;
		else
			s->pidns[i] = (uint32_t)n;
	}
	s->n[field] = i + 1;
	return 0;
}

static int field_of(const char *name, size_t len, bool *container)
{
	int f;

	*container = len == 9 && !strncmp(name, "container", 9);
	if (*container)
		return KCAP_SCOPE_CGROUP;
	for (f = 0; f < KCAP_SCOPE_FIELDS; f++)
		if (strlen(field_names[f]) == len && !strncmp(name, field_names[f], len))
			return f;
	return -1;
}

int kcap_scope_parse(struct kcap_scope *s, const char *expr, const char *procfs,
		     const char *cgroupfs, char *err, size_t errlen)
{
	const char *op = strchr(expr, '=');
	char mount[PATH_MAX], *vals, *v, *save = NULL;
	bool negate, container;
	size_t nlen;
	int field, rc = 0;

	procfs = procfs ? procfs : "/proc";
	if (!strcmp(expr, "follow")) {
		s->follow = 1;
		return 0;
	}
	if (!op || op == expr)
		return fail(err, errlen, "--scope '%s': FIELD=VALUE[,VALUE...], FIELD!=..., or "
			    "follow", expr);
	negate = op[-1] == '!';
	nlen = (size_t)(op - expr) - negate;
	field = field_of(expr, nlen, &container);
	if (field < 0)
		return fail(err, errlen, "--scope: unknown field '%.*s' (pid, uid, gid, comm, cgroup, "
			    "container, mntns, pidns)", (int)nlen, expr);
	if (s->n[field] && !!(s->negate & (1u << field)) != negate)
		return fail(err, errlen, "--scope %.*s: = and != on one field cannot be combined",
			    (int)nlen, expr);
	if (field == KCAP_SCOPE_CGROUP && !cgroupfs)
		cgroupfs = cgroup2_mount(procfs, mount, sizeof(mount)) ? NULL : mount;
	if (!op[1])
		return fail(err, errlen, "--scope %.*s: no value", (int)nlen, expr);
	vals = strdup(op + 1);
	if (!vals)
		return fail(err, errlen, "out of memory");
	for (v = strtok_r(vals, ",", &save); v && !rc; v = strtok_r(NULL, ",", &save))
		rc = add_value(s, field, v, procfs, cgroupfs, container, err, errlen);
	free(vals);
	if (rc)
		return -1;
	s->fields |= 1u << field;
	if (negate)
		s->negate |= 1u << field;
	return 0;
}

static void put(char **p, size_t *left, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*p, *left, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= *left)
		n = *left ? (int)*left - 1 : 0;
	*p += n;
	*left -= (size_t)n;
}

void kcap_scope_describe(const struct kcap_scope *s, char *buf, size_t len)
{
	char *p = buf;
	size_t left = len;
	uint32_t f, i;

	if (len)
		buf[0] = '\0';
	for (f = 0; f < KCAP_SCOPE_FIELDS; f++) {
		if (!(s->fields & (1u << f)))
			continue;
		put(&p, &left, "%s%s%s=", p == buf ? "" : " ", field_names[f],
		    s->negate & (1u << f) ? "!" : "");
		for (i = 0; i < s->n[f] && i < KCAP_SCOPE_VALUES; i++) {
			const char *sep = i ? "," : "";

			switch (f) {
			case KCAP_SCOPE_PID: put(&p, &left, "%s%u", sep, s->pid[i]); break;
			case KCAP_SCOPE_UID: put(&p, &left, "%s%u", sep, s->uid[i]); break;
			case KCAP_SCOPE_GID: put(&p, &left, "%s%u", sep, s->gid[i]); break;
			case KCAP_SCOPE_COMM: put(&p, &left, "%s%.16s", sep, (const char *)s->comm[i]); break;
			case KCAP_SCOPE_CGROUP:
				put(&p, &left, "%s#%llu", sep, (unsigned long long)s->cgroup[i]);
				break;
			case KCAP_SCOPE_MNTNS: put(&p, &left, "%s%u", sep, s->mntns[i]); break;
			default: put(&p, &left, "%s%u", sep, s->pidns[i]);
			}
		}
	}
	if (s->follow && (s->fields & (1u << KCAP_SCOPE_PID)))
		put(&p, &left, " follow");
}
