// SPDX-License-Identifier: MIT
/*
 * The system scanner. procfs files are read relative to directory fds
 * (openat and friends), so each process directory is resolved once. A file
 * a process no longer has (it exited) or does not let us read leaves its
 * field at the default; only an unreadable procfs, getifaddrs or running
 * out of memory fails the scan.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "flag_conv.h"
#include "proc_scan.h"
#include "scap_blocks.h"
#include "unix_diag.h"

#define L4_TCP	2
#define L4_UDP	3
#define L4_RAW	5

#define SCAN_BUF	8192	/* > exe + args limits, and any status file */
#define FD_NAME_MAX	(SCAP_MAX_PATH_SIZE - 1)

/* One socket of a network namespace, from /proc/<pid>/net. */
struct sock {
	uint64_t ino;
	uint8_t type, l4proto;
	uint8_t sip[16], dip[16];
	uint16_t sport, dport;
	char *path;		/* unix sockets: bound path, or NULL */
};

struct netns {
	uint64_t ino;		/* of /proc/<pid>/ns/net */
	struct sock *socks;	/* sorted by ino */
	size_t n, cap;
};

struct scan {
	struct kcap_meta *m;
	DIR *dir;		/* procfs */
	int procfd;
	bool live;		/* the real /proc, not a test's tree */
	struct netns *ns;
	size_t nns;
	char *err;
	size_t errlen;
	char buf[SCAN_BUF];
};

/* Per-process state of the fd scan. */
struct fdscan {
	int pdir, fddir, infodir;
	int64_t pid;
	struct netns *ns;	/* looked up at the first socket */
};

/* ---- small helpers ---------------------------------------------------- */

/* A failure of process pid; the more precise reason said first is kept. */
static int oom(struct scan *s, int64_t pid)
{
	if (!s->err[0])
		snprintf(s->err, s->errlen, "out of memory scanning process %" PRId64, pid);
	return -1;
}

/* Reads name under dir into buf, NUL-terminated (empty on error); length or -1. */
static ssize_t read_at(int dir, const char *name, char *buf, size_t size)
{
	ssize_t n = 0, len = 0;
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	while ((size_t)len < size - 1) {
		n = read(fd, buf + len, size - 1 - (size_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return n < 0 && !len ? -1 : len;
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* A string field cut to max bytes. */
static int str_blob(struct kcap_blob *b, const char *s, size_t max)
{
	return kcap_blob_set(b, s, strnlen(s, max));
}

/* Target of the symlink name under dir, cut to max; empty if unreadable. */
static int link_blob(struct kcap_blob *b, int dir, const char *name, size_t max)
{
	char path[4096];
	ssize_t n = readlinkat(dir, name, path, sizeof(path));

	return kcap_blob_set(b, path, n < 0 ? 0 : min_size((size_t)n, max));
}

/*
 * A list of NUL-terminated strings of len bytes, cut to max keeping a final
 * NUL. s[len] must be writable and NUL (as read_at leaves it).
 */
static int list_blob(struct kcap_blob *b, char *s, size_t len, size_t max)
{
	if (len && s[len - 1])
		len++;
	if (len > max) {
		len = max;
		s[len - 1] = '\0';
	}
	return kcap_blob_set(b, s, len);
}

/* Appends "a=b" and a NUL to buf, cut to keep a final NUL once full. */
static void list_add(char *buf, size_t *len, size_t cap, const char *a, const char *b)
{
	int n;

	if (*len >= cap)
		return;
	n = snprintf(buf + *len, cap - *len, "%s=%s", a, b);
	if (n < 0)
		return;
	*len = (size_t)n < cap - *len ? *len + (size_t)n + 1 : cap;
}

static const char *after(const char *line, const char *key)
{
	size_t n = strlen(key);

	return strncmp(line, key, n) ? NULL : line + n;
}

/* The last number of a value such as "\t812\t1" (NSpid:), or -1. */
static int64_t last_num(const char *v)
{
	const char *end = v + strlen(v), *p = end;

	while (p > v && isdigit((unsigned char)p[-1]))
		p--;
	return p < end ? strtoll(p, NULL, 10) : -1;
}

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000ull + (uint64_t)t->tv_nsec;
}

/* ---- conversions ------------------------------------------------------ */

/* x86_64 only, as the driver: the conversion is the driver's own. */
uint32_t kcap_open_flags_to_ppm(uint32_t flags)
{
	return kcap_open_flags(flags);
}

uint32_t kcap_dev_encode(uint64_t dev)
{
	uint32_t maj = major(dev), min = minor(dev);

	return (min & 0xff) | (maj << 8) | ((min & ~0xffu) << 12);
}

/* ---- machine ---------------------------------------------------------- */

static uint64_t boot_time(const char *procfs)
{
	struct timespec now, up;
	char path[4096], line[256];
	unsigned long long btime = 0;
	FILE *f;

	if (!clock_gettime(CLOCK_REALTIME, &now) && !clock_gettime(CLOCK_BOOTTIME, &up))
		return ts_ns(&now) - ts_ns(&up);
	snprintf(path, sizeof(path), "%s/stat", procfs);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %llu", &btime) == 1)
			break;
	fclose(f);
	return btime * 1000000000ull;
}

/* /proc/sys/kernel/pid_max (libs writes 0 here; the value helps a reader size tables). */
static uint64_t pid_max(const char *procfs)
{
	char path[4096];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/kernel/pid_max", procfs);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

void kcap_scan_machine(struct kcap_machine *mi, const char *procfs)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);

	memset(mi, 0, sizeof(*mi));
	mi->present = true;
	mi->num_cpus = cpus > 0 ? (uint32_t)cpus : 0;
	mi->memory_size_bytes = pages > 0 && psize > 0 ? (uint64_t)pages * (uint64_t)psize : 0;
	if (gethostname(mi->hostname, sizeof(mi->hostname) - 1))
		mi->hostname[0] = '\0';
	mi->boot_ts_epoch = boot_time(procfs);
	mi->max_pid = pid_max(procfs);
}

/* ---- processes -------------------------------------------------------- */

/* From /proc/<pid>/stat. */
struct pstat {
	long long pgrp, session;
	int tty;
	unsigned long long minflt, majflt;
};

/* From /proc/<pid>/status. */
struct pstatus {
	int64_t ppid, vpid, vpgid;
	uint32_t uid, gid, vmsize, vmrss, vmswap;
	uint64_t capinh, capprm, capeff;
};

static int parse_stat(const char *buf, struct pstat *ps)
{
	const char *p = strrchr(buf, ')');	/* comm may hold spaces and ')' */

	if (!p)
		return -1;
	/* state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt */
	return sscanf(p + 1, " %*c %*d %lld %lld %d %*d %*u %llu %*u %llu", &ps->pgrp,
		      &ps->session, &ps->tty, &ps->minflt, &ps->majflt) == 5 ? 0 : -1;
}

static void status_line(const char *l, struct pstatus *st)
{
	const char *v;

	if ((v = after(l, "PPid:")))
		st->ppid = strtoll(v, NULL, 10);
	else if ((v = after(l, "Uid:")))
		sscanf(v, "%*u %" SCNu32, &st->uid);	/* real, effective, ... */
	else if ((v = after(l, "Gid:")))
		sscanf(v, "%*u %" SCNu32, &st->gid);
	else if ((v = after(l, "NSpid:")))
		st->vpid = last_num(v);
	else if ((v = after(l, "NSpgid:")))
		st->vpgid = last_num(v);
	else if ((v = after(l, "VmSize:")))
		st->vmsize = (uint32_t)strtoul(v, NULL, 10);
	else if ((v = after(l, "VmRSS:")))
		st->vmrss = (uint32_t)strtoul(v, NULL, 10);
	else if ((v = after(l, "VmSwap:")))
		st->vmswap = (uint32_t)strtoul(v, NULL, 10);
	else if ((v = after(l, "CapInh:")))
		st->capinh = strtoull(v, NULL, 16);
	else if ((v = after(l, "CapPrm:")))
		st->capprm = strtoull(v, NULL, 16);
	else if ((v = after(l, "CapEff:")))
		st->capeff = strtoull(v, NULL, 16);
}

static void parse_status(char *buf, struct pstatus *st)
{
	char *line, *next;

	memset(st, 0, sizeof(*st));
	st->vpid = st->vpgid = -1;
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		status_line(line, st);
	}
}

static uint64_t parse_fdlimit(const char *buf)
{
	const char *l = strstr(buf, "Max open files");

	if (!l)
		return 0;
	l += strlen("Max open files");
	while (*l == ' ')
		l++;
	return strncmp(l, "unlimited", 9) ? strtoull(l, NULL, 10) : UINT64_MAX;
}

/* Numbers of the process; 0, or -1 when it is gone. */
static int fill_ids(struct scan *s, int pdir, struct kcap_proc *p)
{
	struct pstat ps;
	struct pstatus st;

	if (read_at(pdir, "stat", s->buf, SCAN_BUF) < 0 || parse_stat(s->buf, &ps))
		return -1;
	if (read_at(pdir, "status", s->buf, SCAN_BUF) < 0)
		return -1;
	parse_status(s->buf, &st);
	p->ptid = st.ppid;
	p->sid = ps.session;
	p->pgid = ps.pgrp;
	p->vpgid = st.vpgid >= 0 ? st.vpgid : ps.pgrp;
	p->vtid = p->vpid = st.vpid;
	p->uid = st.uid;
	p->gid = st.gid;
	p->vmsize_kb = st.vmsize;
	p->vmrss_kb = st.vmrss;
	p->vmswap_kb = st.vmswap;
	p->pfmajor = ps.majflt;
	p->pfminor = ps.minflt;
	p->tty = (uint32_t)ps.tty;
	p->cap_inheritable = st.capinh;
	p->cap_permitted = st.capprm;
	p->cap_effective = st.capeff;
	return 0;
}

/* "N:a,b:path" lines to "a=path\0b=path\0"; cgroup v2's "0::path" to "unified=path". */
static int fill_cgroups(struct kcap_blob *b, char *buf)
{
	char out[SCAP_MAX_ARGS_SIZE], *line, *next, *subs, *path, *tok, *save;
	size_t len = 0;

	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		subs = strchr(line, ':');
		path = subs ? strchr(subs + 1, ':') : NULL;
		if (!path)
			continue;
		*path++ = '\0';
		subs++;
		if (!*subs)
			list_add(out, &len, sizeof(out), "unified", path);
		for (tok = strtok_r(subs, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			list_add(out, &len, sizeof(out), tok, path);
	}
	return kcap_blob_set(b, out, len);
}

/* comm, exe and args; kernel threads (empty cmdline) take comm as exe. */
static int fill_cmdline(struct scan *s, int pdir, struct kcap_proc *p)
{
	ssize_t n;
	size_t a0;

	read_at(pdir, "comm", s->buf, SCAN_BUF);
	s->buf[strcspn(s->buf, "\n")] = '\0';
	if (str_blob(&p->comm, s->buf, SCAP_MAX_PATH_SIZE))
		return -1;
	n = read_at(pdir, "cmdline", s->buf, SCAN_BUF);
	if (n <= 0) {
		if (kcap_blob_set(&p->exe, p->comm.data, p->comm.len))
			return -1;
		return kcap_blob_set(&p->args, "", 0);
	}
	a0 = strlen(s->buf);
	if (str_blob(&p->exe, s->buf, SCAP_MAX_PATH_SIZE))
		return -1;
	if ((size_t)n <= a0 + 1)
		return kcap_blob_set(&p->args, "", 0);
	return list_blob(&p->args, s->buf + a0 + 1, (size_t)n - a0 - 1, SCAP_MAX_ARGS_SIZE);
}

static int fill_strings(struct scan *s, int pdir, struct kcap_proc *p)
{
	ssize_t n;

	if (fill_cmdline(s, pdir, p) ||
	    link_blob(&p->exepath, pdir, "exe", SCAP_MAX_PATH_SIZE) ||
	    link_blob(&p->cwd, pdir, "cwd", SCAP_MAX_PATH_SIZE) ||
	    link_blob(&p->root, pdir, "root", SCAP_MAX_PATH_SIZE))
		return -1;
	n = read_at(pdir, "environ", s->buf, SCAN_BUF);
	if (list_blob(&p->env, s->buf, n < 0 ? 0 : (size_t)n, SCAP_MAX_ARGS_SIZE))
		return -1;
	if (read_at(pdir, "cgroup", s->buf, SCAN_BUF) < 0)
		s->buf[0] = '\0';
	return fill_cgroups(&p->cgroups, s->buf);
}

/*
 * libscap tests writability with the task's own credentials; its mode bits
 * approximate that, and faccessat catches read-only and immutable files.
 */
static bool exe_writable(int pdir, const struct stat *st, uint32_t uid, uint32_t gid)
{
	bool ok;

	if (uid == 0)
		ok = true;
	else if (st->st_uid == uid)
		ok = st->st_mode & S_IWUSR;
	else if (st->st_gid == gid)
		ok = st->st_mode & S_IWGRP;
	else
		ok = st->st_mode & S_IWOTH;
	return ok && faccessat(pdir, "exe", W_OK, 0) == 0;
}

static void fill_misc(struct scan *s, int pdir, struct kcap_proc *p)
{
	struct stat st;

	if (read_at(pdir, "limits", s->buf, SCAN_BUF) >= 0)
		p->fdlimit = parse_fdlimit(s->buf);
	if (read_at(pdir, "loginuid", s->buf, SCAN_BUF) > 0)
		p->loginuid = (uint32_t)strtoul(s->buf, NULL, 10);
	p->exe_from_memfd = p->exepath.len >= 7 && !memcmp(p->exepath.data, "/memfd:", 7);
	if (fstatat(pdir, "exe", &st, 0))
		return;
	p->exe_ino = st.st_ino;
	p->exe_ino_ctime = ts_ns(&st.st_ctim);
	p->exe_ino_mtime = ts_ns(&st.st_mtim);
	p->exe_writable = exe_writable(pdir, &st, p->uid, p->gid);
}

static const size_t proc_blobs[] = {
	offsetof(struct kcap_proc, comm), offsetof(struct kcap_proc, exe),
	offsetof(struct kcap_proc, exepath), offsetof(struct kcap_proc, args),
	offsetof(struct kcap_proc, cwd), offsetof(struct kcap_proc, env),
	offsetof(struct kcap_proc, cgroups), offsetof(struct kcap_proc, root),
};

#define NBLOBS (sizeof(proc_blobs) / sizeof(proc_blobs[0]))

static struct kcap_blob *proc_blob(struct kcap_proc *p, size_t i)
{
	return (struct kcap_blob *)((char *)p + proc_blobs[i]);
}

static void proc_release(struct kcap_proc *p)
{
	size_t i;

	for (i = 0; i < NBLOBS; i++)
		kcap_blob_free(proc_blob(p, i));
}

/* dst = src, sharing its strings. */
static void proc_dup(struct kcap_proc *dst, struct kcap_proc *src)
{
	size_t i;

	*dst = *src;
	for (i = 0; i < NBLOBS; i++) {
		*proc_blob(dst, i) = (struct kcap_blob){ 0 };
		kcap_blob_share(proc_blob(dst, i), proc_blob(src, i));
	}
}

/* The main thread's entry; 1, 0 when the process is gone, -1 out of memory. */
static int fill_process(struct scan *s, int pdir, int64_t pid, struct kcap_proc *p)
{
	memset(p, 0, sizeof(*p));
	kcap_proc_defaults(p);
	p->tid = p->pid = pid;
	if (fill_ids(s, pdir, p))
		return 0;
	if (fill_strings(s, pdir, p)) {
		proc_release(p);
		return -1;
	}
	fill_misc(s, pdir, p);
	return 1;
}

/* Adds thread tid (task/<tid> under tdir) as a copy of entry k; 1, 0 if gone, -1. */
static int add_thread(struct scan *s, int tdir, int64_t tid, size_t k)
{
	char path[64];
	struct kcap_proc *t;
	struct pstatus st;

	snprintf(path, sizeof(path), "%" PRId64 "/comm", tid);
	if (read_at(tdir, path, s->buf, SCAN_BUF) < 0)
		return 0;
	s->buf[strcspn(s->buf, "\n")] = '\0';
	t = kcap_meta_add_proc(s->m);
	if (!t)
		return -1;
	proc_dup(t, &s->m->procs[k]);
	t->tid = tid;
	t->flags = PPM_CL_CLONE_THREAD | PPM_CL_CLONE_FILES;	/* as libscap */
	if (str_blob(&t->comm, s->buf, SCAP_MAX_PATH_SIZE))
		return -1;
	snprintf(path, sizeof(path), "%" PRId64 "/status", tid);
	t->vtid = -1;
	if (read_at(tdir, path, s->buf, SCAN_BUF) >= 0) {
		parse_status(s->buf, &st);
		t->vtid = st.vpid;
	}
	return 1;
}

/* Entries for the other threads of process pid, after its main thread k. */
static int add_threads(struct scan *s, int pdir, int64_t pid, size_t k)
{
	int tdir = openat(pdir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;
	int count = 0, rc;
	DIR *d;

	if (tdir < 0)
		return 0;
	d = fdopendir(tdir);
	if (!d) {
		close(tdir);
		return 0;
	}
	while ((e = readdir(d))) {
		int64_t tid = strtoll(e->d_name, NULL, 10);

		if (!is_number(e->d_name) || tid == pid)
			continue;
		rc = add_thread(s, tdir, tid, k);
		if (rc < 0) {
			count = oom(s, pid);
			break;
		}
		count += rc;
	}
	closedir(d);
	return count;
}

/* All threads of a process, main thread first; how many, or -1. */
static int scan_process(struct scan *s, int pdir, int64_t pid)
{
	struct kcap_proc p, *slot;
	size_t k = s->m->nprocs;
	int rc = fill_process(s, pdir, pid, &p);

	if (rc <= 0)
		return rc < 0 ? oom(s, pid) : 0;
	slot = kcap_meta_add_proc(s->m);
	if (!slot) {
		proc_release(&p);
		return oom(s, pid);
	}
	*slot = p;
	rc = add_threads(s, pdir, pid, k);
	return rc < 0 ? -1 : rc + 1;
}

/* ---- sockets ---------------------------------------------------------- */

static struct sock *ns_add(struct netns *ns)
{
	struct sock *p;

	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 64;

		p = realloc(ns->socks, cap * sizeof(*p));
		if (!p)
			return NULL;
		ns->socks = p;
		ns->cap = cap;
	}
	p = &ns->socks[ns->n++];
	memset(p, 0, sizeof(*p));
	return p;
}

static void ns_free(struct netns *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->socks[i].path);
	free(ns->socks);
}

/*
 * Addresses are printed as 32-bit words in host order, each word being the
 * network-order bytes read as a u32: storing the word back gives the bytes.
 */
static int hex_addr(const char *hex, uint8_t *out, size_t alen)
{
	char word[9];
	uint32_t v;
	size_t i;

	if (strlen(hex) != alen * 2)
		return -1;
	for (i = 0; i < alen / 4; i++) {
		memcpy(word, hex + 8 * i, 8);
		word[8] = '\0';
		v = (uint32_t)strtoul(word, NULL, 16);
		memcpy(out + 4 * i, &v, 4);
	}
	return 0;
}

static bool all_zero(const uint8_t *a, size_t n)
{
	while (n--)
		if (*a++)
			return false;
	return true;
}

struct net_file;
typedef int (*line_fn)(struct netns *ns, char *line, const struct net_file *nf);

struct net_file {
	const char *name;
	line_fn fn;
	uint8_t alen, l4proto;
};

/* One line of net/tcp, udp, raw (and their v6); 1 parsed, 0 skipped, -1 oom. */
static int inet_line(struct netns *ns, char *line, const struct net_file *nf)
{
	size_t alen = nf->alen;
	uint8_t l4proto = nf->l4proto;
	char la[33], ra[33];
	unsigned int lp, rp, state;
	uint64_t ino;
	struct sock k = { 0 }, *sk;
	bool server;

	if (sscanf(line, "%*s %32[0-9A-Fa-f]:%x %32[0-9A-Fa-f]:%x %x %*s %*s %*s %*u %*u %" SCNu64,
		   la, &lp, ra, &rp, &state, &ino) != 6 || !ino)
		return 0;
	if (hex_addr(la, k.sip, alen) || hex_addr(ra, k.dip, alen))
		return 0;
	server = (l4proto == L4_TCP && state == 0x0A) || all_zero(k.dip, alen);
	k.ino = ino;
	k.l4proto = l4proto;
	k.sport = (uint16_t)lp;
	if (server)
		memset(k.dip, 0, sizeof(k.dip));
	else
		k.dport = (uint16_t)rp;
	if (alen == 4)
		k.type = server ? KCAP_FD_IPV4_SERVSOCK : KCAP_FD_IPV4_SOCK;
	else
		k.type = server ? KCAP_FD_IPV6_SERVSOCK : KCAP_FD_IPV6_SOCK;
	sk = ns_add(ns);
	if (!sk)
		return -1;
	*sk = k;
	return 1;
}

static int unix_line(struct netns *ns, char *line, const struct net_file *nf)
{
	uint64_t ino;
	struct sock *sk;
	int off = 0;

	(void)nf;
	line[strcspn(line, "\n")] = '\0';
	if (sscanf(line, "%*s %*s %*s %*s %*s %*s %" SCNu64 " %n", &ino, &off) != 1 || !off)
		return 0;
	sk = ns_add(ns);
	if (!sk)
		return -1;
	sk->ino = ino;
	sk->type = KCAP_FD_UNIX_SOCK;
	sk->path = strdup(line + off);
	return sk->path ? 1 : -1;
}

static int netlink_line(struct netns *ns, char *line, const struct net_file *nf)
{
	uint64_t ino;
	struct sock *sk;

	(void)nf;
	if (sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %*s %*s %" SCNu64, &ino) != 1 || !ino)
		return 0;
	sk = ns_add(ns);
	if (!sk)
		return -1;
	sk->ino = ino;
	sk->type = KCAP_FD_NETLINK;
	return 1;
}

static const struct net_file net_files[] = {
	{ "net/tcp", inet_line, 4, L4_TCP }, { "net/tcp6", inet_line, 16, L4_TCP },
	{ "net/udp", inet_line, 4, L4_UDP }, { "net/udp6", inet_line, 16, L4_UDP },
	{ "net/raw", inet_line, 4, L4_RAW }, { "net/raw6", inet_line, 16, L4_RAW },
	{ "net/unix", unix_line, 0, 0 }, { "net/netlink", netlink_line, 0, 0 },
};

/* Parses every line but the header of nf under pdir; 1 read, 0 absent, -1 oom. */
static int load_file(struct netns *ns, int pdir, const struct net_file *nf)
{
	int fd = openat(pdir, nf->name, O_RDONLY | O_CLOEXEC), rc = 1;
	char *line = NULL;
	size_t cap = 0;
	bool header = true;
	FILE *f;

	if (fd < 0)
		return 0;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return 0;
	}
	while (rc >= 0 && getline(&line, &cap, f) > 0) {
		if (!header && nf->fn(ns, line, nf) < 0)
			rc = -1;
		header = false;
	}
	free(line);
	fclose(f);
	return rc;
}

static int sock_cmp(const void *a, const void *b)
{
	const struct sock *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static bool use_sock_diag = true;

void kcap_scan_use_sock_diag(bool on)
{
	use_sock_diag = on;
}

static int diag_add(void *arg, uint64_t ino, const char *name)
{
	struct netns *ns = arg;
	struct sock *sk = ns_add(ns);

	if (!sk)
		return -1;
	sk->ino = ino;
	sk->type = KCAP_FD_UNIX_SOCK;
	sk->path = strdup(name);
	return sk->path ? 0 : -1;
}

/* Unix sockets from sock_diag; 1 done, 0 unavailable (nothing added), -1 failed. */
static int load_unix_diag(struct scan *s, struct netns *ns, int pdir)
{
	size_t before = ns->n;
	int rc;

	if (!s->live || !use_sock_diag)
		return 0;
	rc = kcap_unix_diag(pdir, diag_add, ns);
	if (rc == 0)
		return 1;
	while (ns->n > before)
		free(ns->socks[--ns->n].path);
	if (rc == -1)
		return 0;
	snprintf(s->err, s->errlen, "%s", rc == -2 ? "out of memory listing unix sockets" :
		 "cannot return to our network namespace after listing its unix sockets");
	return -1;
}

/*
 * /proc/net/unix prints names as they are: a name with a newline can forge
 * a line that claims another socket's inode. When two lines claim one
 * inode, neither name is trusted.
 */
static void drop_ambiguous_unix_names(struct netns *ns)
{
	size_t i, j;

	for (i = 0; i < ns->n; i = j) {
		for (j = i + 1; j < ns->n && ns->socks[j].ino == ns->socks[i].ino; j++)
			;
		if (j - i < 2)
			continue;
		for (; i < j; i++) {
			free(ns->socks[i].path);
			ns->socks[i].path = NULL;
		}
	}
}

/*
 * Sockets of the network namespace of pdir: unix sockets from sock_diag
 * where the kernel has it, else from /proc/net/unix like the others. 1 if
 * anything was readable, 0 if nothing, -1 with s->err set.
 */
static int load_netns(struct scan *s, struct netns *ns, int pdir)
{
	int rc, any, diag = load_unix_diag(s, ns, pdir);
	size_t i;

	if (diag < 0)
		return -1;
	any = diag;
	for (i = 0; i < sizeof(net_files) / sizeof(net_files[0]); i++) {
		if (diag && net_files[i].fn == unix_line)
			continue;
		rc = load_file(ns, pdir, &net_files[i]);
		if (rc < 0) {
			snprintf(s->err, s->errlen, "out of memory reading %s", net_files[i].name);
			return -1;
		}
		any |= rc;
	}
	if (ns->n)
		qsort(ns->socks, ns->n, sizeof(*ns->socks), sock_cmp);
	if (!diag)
		drop_ambiguous_unix_names(ns);
	return any;
}

/*
 * The socket table of pdir's network namespace, loaded once per namespace.
 * A process whose net files are unreadable (exiting) gets an empty table
 * that is not cached. NULL when out of memory.
 */
static struct netns *netns_get(struct scan *s, int pdir)
{
	static struct netns empty;
	struct netns ns = { 0 }, *p;
	struct stat st;
	size_t i;
	int rc;

	ns.ino = fstatat(pdir, "ns/net", &st, 0) ? 0 : st.st_ino;
	for (i = 0; i < s->nns; i++)
		if (s->ns[i].ino == ns.ino)
			return &s->ns[i];
	rc = load_netns(s, &ns, pdir);
	if (rc <= 0) {
		ns_free(&ns);
		return rc < 0 ? NULL : &empty;
	}
	p = realloc(s->ns, (s->nns + 1) * sizeof(*p));
	if (!p) {
		ns_free(&ns);
		return NULL;
	}
	s->ns = p;
	p[s->nns] = ns;
	return &p[s->nns++];
}

/* ---- fds -------------------------------------------------------------- */

static int fd_name(struct kcap_fd *f, const char *name)
{
	return str_blob(&f->name, name, FD_NAME_MAX);
}

static int fill_socket(struct scan *s, struct fdscan *c, struct kcap_fd *f, const char *link)
{
	struct sock key = { .ino = strtoull(link + 8, NULL, 10) }, *sk;

	if (!c->ns)
		c->ns = netns_get(s, c->pdir);
	if (!c->ns)
		return -1;
	sk = c->ns->n ? bsearch(&key, c->ns->socks, c->ns->n, sizeof(key), sock_cmp) : NULL;
	if (!sk) {
		f->type = KCAP_FD_UNSUPPORTED;
		return fd_name(f, link);
	}
	f->type = sk->type;
	f->l4proto = sk->l4proto;
	memcpy(f->sip, sk->sip, sizeof(f->sip));
	memcpy(f->dip, sk->dip, sizeof(f->dip));
	f->sport = sk->sport;
	f->dport = sk->dport;
	if (sk->type == KCAP_FD_UNIX_SOCK) {
		f->unix_src = sk->ino;
		return fd_name(f, sk->path ? sk->path : "");
	}
	return sk->type == KCAP_FD_NETLINK ? fd_name(f, link) : 0;
}

static const struct {
	const char *prefix;
	uint8_t type;
} link_types[] = {
	{ "pipe:[", KCAP_FD_FIFO },
	{ "anon_inode:[eventfd]", KCAP_FD_EVENT },
	{ "anon_inode:[signalfd]", KCAP_FD_SIGNALFD },
	{ "anon_inode:[eventpoll]", KCAP_FD_EVENTPOLL },
	{ "anon_inode:inotify", KCAP_FD_INOTIFY },
	{ "anon_inode:[timerfd]", KCAP_FD_TIMERFD },
	{ "anon_inode:bpf", KCAP_FD_BPF },	/* bpf-map, bpf-prog, bpf_link */
	{ "anon_inode:[userfaultfd]", KCAP_FD_USERFAULTFD },
	{ "anon_inode:[io_uring]", KCAP_FD_IOURING },
	{ "anon_inode:[pidfd]", KCAP_FD_PIDFD },
	{ "/memfd:", KCAP_FD_MEMFD },
};

/* Character and block devices count as files, as in libscap. */
static uint8_t fd_type(const char *link, mode_t mode)
{
	size_t i;

	for (i = 0; i < sizeof(link_types) / sizeof(link_types[0]); i++)
		if (!strncmp(link, link_types[i].prefix, strlen(link_types[i].prefix)))
			return link_types[i].type;
	switch (mode & S_IFMT) {
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
		return KCAP_FD_FILE_V2;
	case S_IFDIR:
		return KCAP_FD_DIRECTORY;
	case S_IFIFO:
		return KCAP_FD_FIFO;
	default:
		return KCAP_FD_UNSUPPORTED;
	}
}

/*
 * Open flags from fdinfo. 64-bit kernels force O_LARGEFILE on opens by
 * 64-bit tasks, so it says nothing; libscap never reports it from /proc.
 */
static void fill_file(struct scan *s, struct fdscan *c, struct kcap_fd *f, const char *fd,
		      const struct stat *st)
{
	const char *v;

	f->dev = kcap_dev_encode(st->st_dev);
	f->has_dev = true;
	if (c->infodir < 0)
		c->infodir = openat(c->pdir, "fdinfo", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->infodir < 0 || read_at(c->infodir, fd, s->buf, SCAN_BUF) < 0)
		return;
	v = strstr(s->buf, "flags:");
	if (!v)
		return;
	f->open_flags = kcap_open_flags_to_ppm((uint32_t)strtoul(v + 6, NULL, 8) &
					       ~(uint32_t)KCAP_O_LARGEFILE);
}

/* One fd; 1 added, 0 closed meanwhile, -1 out of memory. */
static int scan_fd(struct scan *s, struct fdscan *c, const char *fd)
{
	char link[4096];
	struct kcap_fd *f;
	struct stat st;
	ssize_t n;

	if (fstatat(c->fddir, fd, &st, 0))
		return 0;
	n = readlinkat(c->fddir, fd, link, sizeof(link) - 1);
	if (n < 0)
		return 0;
	link[n] = '\0';
	f = kcap_meta_add_fd(s->m);
	if (!f)
		return -1;
	f->owner_tid = c->pid;
	f->fd = strtoll(fd, NULL, 10);
	f->ino = st.st_ino;
	if (!strncmp(link, "socket:[", 8))
		return fill_socket(s, c, f, link) ? -1 : 1;
	f->type = fd_type(link, st.st_mode);
	if (f->type == KCAP_FD_FILE_V2)
		fill_file(s, c, f, fd, &st);
	return fd_name(f, link) ? -1 : 1;
}

static int scan_fds(struct scan *s, int pdir, int64_t pid)
{
	struct fdscan c = { .pdir = pdir, .infodir = -1, .pid = pid };
	struct dirent *e;
	int count = 0, rc;
	DIR *d;

	c.fddir = openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c.fddir < 0)
		return 0;
	d = fdopendir(c.fddir);
	if (!d) {
		close(c.fddir);
		return 0;
	}
	while ((e = readdir(d))) {
		if (!is_number(e->d_name))
			continue;
		rc = scan_fd(s, &c, e->d_name);
		if (rc < 0) {
			count = oom(s, pid);
			break;
		}
		count += rc;
	}
	closedir(d);
	if (c.infodir >= 0)
		close(c.infodir);
	return count;
}

/* ---- the whole scan --------------------------------------------------- */

static struct scan *scan_open(struct kcap_meta *m, const char *procfs, char *err, size_t errlen)
{
	struct scan *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->m = m;
	s->err = err;
	s->errlen = errlen;
	s->err[0] = '\0';
	s->live = strcmp(procfs, "/proc") == 0;
	s->dir = opendir(procfs);
	if (!s->dir) {
		snprintf(err, errlen, "cannot open %s: %s", procfs, strerror(errno));
		free(s);
		return NULL;
	}
	s->procfd = dirfd(s->dir);
	return s;
}

static void scan_close(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nns; i++)
		ns_free(&s->ns[i]);
	free(s->ns);
	closedir(s->dir);
	free(s);
}

static int open_pid(struct scan *s, int64_t pid)
{
	char name[32];

	snprintf(name, sizeof(name), "%" PRId64, pid);
	return openat(s->procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Threads and then fds of one process; -1 only when out of memory. */
static int scan_pid(struct scan *s, int64_t pid, bool threads, bool fds)
{
	int pdir = open_pid(s, pid), rc = 0;

	if (pdir < 0)
		return 0;
	if (threads)
		rc = scan_process(s, pdir, pid);
	if (fds && rc >= 0)
		rc = scan_fds(s, pdir, pid);
	close(pdir);
	return rc;
}

static int scan_all(struct scan *s)
{
	struct dirent *e;

	while ((e = readdir(s->dir))) {
		if (is_number(e->d_name) &&
		    scan_pid(s, strtoll(e->d_name, NULL, 10), true, true) < 0)
			return -1;
	}
	return 0;
}

int kcap_scan_process(struct kcap_meta *m, const char *procfs, int pid, char *err,
		      size_t errlen)
{
	struct scan *s = scan_open(m, procfs, err, errlen);
	int rc;

	if (!s)
		return -1;
	rc = scan_pid(s, pid, true, false);
	scan_close(s);
	return rc;
}

int kcap_scan_fds(struct kcap_meta *m, const char *procfs, int pid, char *err, size_t errlen)
{
	struct scan *s = scan_open(m, procfs, err, errlen);
	int rc;

	if (!s)
		return -1;
	rc = scan_pid(s, pid, false, true);
	scan_close(s);
	return rc;
}

/* ---- interfaces and users --------------------------------------------- */

static void sa_bytes(const struct sockaddr *sa, int family, uint8_t *out)
{
	if (!sa || sa->sa_family != family)
		return;
	if (family == AF_INET)
		memcpy(out, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	else
		memcpy(out, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
}

static int add_iface(struct kcap_meta *m, const struct ifaddrs *ifa, int family)
{
	struct kcap_iface *i = kcap_meta_add_iface(m);

	if (!i)
		return -1;
	i->type = family == AF_INET ? KCAP_IF_IPV4 : KCAP_IF_IPV6;
	sa_bytes(ifa->ifa_addr, family, i->addr);
	sa_bytes(ifa->ifa_netmask, family, i->netmask);
	if (family == AF_INET && (ifa->ifa_flags & IFF_BROADCAST))
		sa_bytes(ifa->ifa_broadaddr, family, i->bcast);
	return str_blob(&i->name, ifa->ifa_name, FD_NAME_MAX);
}

/* IPv4 addresses first, then IPv6, as libscap writes them. */
int kcap_scan_ifaces(struct kcap_meta *m, char *err, size_t errlen)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct ifaddrs *ifs, *ifa;
	int rc = 0;
	size_t k;

	if (getifaddrs(&ifs)) {
		snprintf(err, errlen, "getifaddrs: %s", strerror(errno));
		return -1;
	}
	for (k = 0; k < 2 && !rc; k++)
		for (ifa = ifs; ifa && !rc; ifa = ifa->ifa_next)
			if (ifa->ifa_addr && ifa->ifa_addr->sa_family == families[k])
				rc = add_iface(m, ifa, families[k]);
	freeifaddrs(ifs);
	if (rc)
		snprintf(err, errlen, "out of memory listing interfaces");
	return rc;
}

static int add_user(struct kcap_meta *m, const struct passwd *pw)
{
	struct kcap_user *u = kcap_meta_add_user(m);

	if (!u)
		return -1;
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	return str_blob(&u->name, pw->pw_name ? pw->pw_name : "", SCAP_MAX_USER_STR) ||
	       str_blob(&u->homedir, pw->pw_dir ? pw->pw_dir : "", SCAP_MAX_USER_STR) ||
	       str_blob(&u->shell, pw->pw_shell ? pw->pw_shell : "", SCAP_MAX_USER_STR);
}

static int add_group(struct kcap_meta *m, const struct group *gr)
{
	struct kcap_user *u = kcap_meta_add_user(m);

	if (!u)
		return -1;
	u->is_group = true;
	u->gid = gr->gr_gid;
	return str_blob(&u->name, gr->gr_name ? gr->gr_name : "", SCAP_MAX_USER_STR);
}

int kcap_scan_users(struct kcap_meta *m, char *err, size_t errlen)
{
	struct passwd *pw;
	struct group *gr;
	int rc = 0;

	setpwent();
	while (!rc && (pw = getpwent()))
		rc = add_user(m, pw);
	endpwent();
	setgrent();
	while (!rc && (gr = getgrent()))
		rc = add_group(m, gr);
	endgrent();
	if (rc)
		snprintf(err, errlen, "out of memory listing users");
	return rc;
}

int kcap_scan_system(struct kcap_meta *m, const char *procfs, char *err, size_t errlen)
{
	struct scan *s = scan_open(m, procfs, err, errlen);
	int rc;

	if (!s)
		return -1;
	kcap_scan_machine(&m->machine, procfs);
	rc = scan_all(s);
	scan_close(s);
	if (!rc)
		rc = kcap_scan_ifaces(m, err, errlen);
	if (!rc)
		rc = kcap_scan_users(m, err, errlen);
	return rc;
}
