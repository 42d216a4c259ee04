// SPDX-License-Identifier: MIT
/*
 * Thread and fd tables: two keyed hash maps (idmap.h). What an event type
 * changes is worked out once per type from the event table, by name, so
 * every schema version of an event (old captures) is handled by the same
 * code. Everything the file can grow is bounded: paths by the kernel's
 * PATH_MAX, the whole table by KCAP_STATE_MAX_BYTES; strings that say the
 * same (the cwd of a thread and its parent) are shared, not copied, and a
 * path is resolved in time linear in its length. What is cut is counted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "idmap.h"
#include "ppm_flags.h"
#include "shstr.h"
#include "threads.h"

/* ---- the table and what it holds ------------------------------------ */

enum action {
	ACT_UNKNOWN = 0,	/* not worked out yet */
	ACT_NONE,
	ACT_CLONE,
	ACT_EXEC,
	ACT_EXIT,
	ACT_OPEN,
	ACT_SOCKET,
	ACT_CONNECT,
	ACT_ACCEPT,
	ACT_CLOSE,
	ACT_DUP,
	ACT_PIPE,
	ACT_CHDIR,
	ACT_FCHDIR,
	ACT_FCNTL,		/* F_DUPFD makes a dup */
	ACT_BIND,		/* names the socket by its local address */
	ACT_SOCKETPAIR,
	ACT_MSG,		/* sendto, recvfrom...: names an unconnected socket */
	ACT_ANON,		/* eventfd, epoll_create...: a special fd, named by its type */
	ACT_PIDFD_GETFD,	/* a copy of another process's fd */
};

/* The special fds the ACT_ANON syscalls make, as sysdig names them. */
enum anon_kind { ANON_EVENT, ANON_EPOLL, ANON_SIGNAL, ANON_TIMER, ANON_INOTIFY,
		 ANON_USERFAULT, ANON_MEMFD, ANON_PIDFD, ANON_IOURING, ANON_BPF };

/*
 * The bpf commands that return a new fd (the others return 0): MAP_CREATE,
 * PROG_LOAD, OBJ_GET, PROG/MAP_GET_FD_BY_ID, RAW_TRACEPOINT_OPEN, BTF_LOAD,
 * BTF_GET_FD_BY_ID, LINK_CREATE, LINK_GET_FD_BY_ID, ENABLE_STATS, ITER_CREATE.
 */
#define BPF_FD_COMMANDS (1ull << 0 | 1ull << 5 | 1ull << 7 | 1ull << 13 | 1ull << 14 | \
			 1ull << 17 | 1ull << 18 | 1ull << 19 | 1ull << 28 | 1ull << 30 | \
			 1ull << 32 | 1ull << 33)

/* Parameter indices an action uses, -1 when the event version lacks one. */
struct action_info {
	uint8_t action;
	int8_t res, fd, path, dirfd, tid_pid, ptid, comm, exe, cwd, tuple, fd2, domain, uid, gid;
	int8_t args, cgroups, socktype, flags, cmd, addr, pidfd, targetfd;
	uint8_t anon;		/* enum anon_kind of an ACT_ANON */
};

/* A user of the file's user list, for names by uid. */
struct user_name {
	uint32_t uid;
	char *name;
};

struct kcap_threads {
	struct kcap_idmap threads;	/* (tid, 0) -> struct kcap_thread */
	struct kcap_idmap fds;		/* (pid, fd) -> shared name, type prefix first (set_fd_noted) */
	struct action_info actions[KCAP_EVENT_MAX];
	struct kcap_sbuf scratch;
	bool exit_pending, close_pending;	/* removals for the next update */
	int64_t exit_tid, close_pid, close_fd;
	size_t bytes;			/* what the table holds, against its limit */
	struct kcap_threads_cuts cuts;
	bool oom;			/* an allocation failed since the last load or update */
	struct user_name *users;	/* sorted by uid */
	size_t nusers;
};

/*
 * Takes n bytes of the table's budget, which the maps' slot arrays share
 * with what the entries hold; false (and counted) when it is spent.
 */
static bool charge(struct kcap_threads *t, size_t n)
{
	size_t used = t->bytes + kcap_idmap_bytes(&t->threads) + kcap_idmap_bytes(&t->fds);

	if (used > KCAP_STATE_MAX_BYTES || n > KCAP_STATE_MAX_BYTES - used) {
		t->cuts.entries++;
		return false;
	}
	t->bytes += n;
	return true;
}

static void drop_str(struct kcap_threads *t, char *s)
{
	t->bytes -= kcap_shstr_unref(s);
}

/* A new shared copy of len bytes at s, charged; NULL when over the limit. */
static char *new_str(struct kcap_threads *t, const char *s, size_t len)
{
	char *p;

	if (!charge(t, kcap_shstr_cost(len)))
		return NULL;
	p = kcap_shstr_new(s, len);
	if (!p) {
		t->bytes -= kcap_shstr_cost(len);
		t->oom = true;
	}
	return p;
}

/*
 * Sets *field to the len bytes at s: a reference to like when it says the
 * same (the parent's cwd, the previous thread's exe), else a new copy.
 * *field is NULL (unknown) when it cannot be kept.
 */
static void set_shared_bytes(struct kcap_threads *t, char **field, const char *s, size_t len,
			     char *like)
{
	char *n;

	if (*field && kcap_shstr_len(*field) == len && !memcmp(*field, s, len))
		return;
	if (like && kcap_shstr_len(like) == len && !memcmp(like, s, len))
		n = kcap_shstr_ref(like);
	else
		n = new_str(t, s, len);
	drop_str(t, *field);
	*field = n;
}

static void set_shared(struct kcap_threads *t, char **field, const char *s, char *like)
{
	set_shared_bytes(t, field, s, strlen(s), like);
}

static void drop_thread(void *p, void *arg)
{
	struct kcap_threads *t = arg;
	struct kcap_thread *th = p;

	drop_str(t, th->exe);
	drop_str(t, th->cwd);
	drop_str(t, th->args);
	drop_str(t, th->cgroups);
	t->bytes -= sizeof(*th);
	free(th);
}

static void drop_fd(void *p, void *arg)
{
	struct kcap_threads *t = arg;

	drop_str(t, p);
}

struct kcap_threads *kcap_threads_new(void)
{
	struct kcap_threads *t = calloc(1, sizeof(struct kcap_threads));

	if (!t)
		return NULL;
	kcap_idmap_init(&t->threads);
	kcap_idmap_init(&t->fds);
	return t;
}

static void clear_users(struct kcap_threads *t)
{
	size_t i;

	for (i = 0; i < t->nusers; i++)
		free(t->users[i].name);
	free(t->users);
	t->users = NULL;
	t->nusers = 0;
}

static void clear_all(struct kcap_threads *t)
{
	kcap_idmap_clear(&t->threads, drop_thread, t);
	kcap_idmap_clear(&t->fds, drop_fd, t);
	clear_users(t);
}

static int by_uid(const void *a, const void *b)
{
	uint32_t x = ((const struct user_name *)a)->uid, y = ((const struct user_name *)b)->uid;

	return x < y ? -1 : x > y;
}

/* The users of m (not its groups), charged to the table's budget like its entries. */
static void load_users(struct kcap_threads *t, const struct kcap_meta *m)
{
	size_t i;

	t->users = m->nusers ? calloc(m->nusers, sizeof(*t->users)) : NULL;
	if (m->nusers && !t->users) {
		t->oom = true;
		return;
	}
	for (i = 0; i < m->nusers; i++) {
		const struct kcap_user *u = &m->users[i];
		struct user_name *n = &t->users[t->nusers];

		if (u->is_group || !u->name.data || !charge(t, sizeof(*n) + u->name.len + 1))
			continue;
		n->uid = u->uid;
		n->name = strdup(u->name.data);
		if (!n->name) {
			t->oom = true;
			break;
		}
		t->nusers++;
	}
	if (t->nusers)
		qsort(t->users, t->nusers, sizeof(*t->users), by_uid);
}

const char *kcap_threads_user(const struct kcap_threads *t, uint32_t uid)
{
	struct user_name key = { .uid = uid };
	const struct user_name *n = t->nusers ?
		bsearch(&key, t->users, t->nusers, sizeof(*t->users), by_uid) : NULL;

	return n ? n->name : NULL;
}

void kcap_threads_free(struct kcap_threads *t)
{
	if (!t)
		return;
	clear_all(t);
	kcap_sbuf_free(&t->scratch);
	free(t);
}

uint64_t kcap_threads_count(const struct kcap_threads *t)
{
	return t->threads.used;
}

const struct kcap_threads_cuts *kcap_threads_cuts(const struct kcap_threads *t)
{
	return &t->cuts;
}

const struct kcap_thread *kcap_threads_find(const struct kcap_threads *t, int64_t tid)
{
	return kcap_idmap_get(&t->threads, tid, 0);
}

static struct kcap_thread *find_mut(struct kcap_threads *t, int64_t tid)
{
	return kcap_idmap_get(&t->threads, tid, 0);
}

static int64_t pid_of(const struct kcap_threads *t, int64_t tid)
{
	const struct kcap_thread *th = kcap_threads_find(t, tid);

	return th ? th->pid : tid;
}

const char *kcap_threads_fd_name(const struct kcap_threads *t, int64_t tid, int64_t fd)
{
	return kcap_idmap_get(&t->fds, pid_of(t, tid), fd);
}

/*
 * An fd's stored name is what replay shows ("<f>/etc/passwd", "<e>"), then,
 * for the fds sysdig shows with another type's letter or that carry more than
 * a name, a NUL and a note that only the table reads: FD_NOTE_UFFD for a
 * userfaultfd (shown "<u>", as a unix socket), the pid of a pidfd's process.
 */
#define FD_NOTE_UFFD "uffd"

/* The note a stored fd name carries after its NUL, or NULL. */
static const char *fd_note(const char *stored)
{
	size_t n = strlen(stored);

	return n < kcap_shstr_len(stored) ? stored + n + 1 : NULL;
}

bool kcap_threads_fd_is_userfaultfd(const char *name)
{
	const char *note = fd_note(name);

	return note && !strcmp(note, FD_NOTE_UFFD);
}

/* A new thread, or NULL when out of memory or over the limit. */
static struct kcap_thread *add_thread(struct kcap_threads *t, int64_t tid)
{
	struct kcap_thread *th;
	void *old;

	if (!charge(t, sizeof(*th)))
		return NULL;
	th = calloc(1, sizeof(*th));
	if (!th)
		goto undo;
	th->tid = tid;
	th->pid = tid;
	th->enter_fd = -1;
	th->enter_native = -1;
	th->uid = -1;
	th->gid = -1;
	if (kcap_idmap_put(&t->threads, tid, 0, th, &old) < 0) {
		free(th);
		goto undo;
	}
	if (old)
		drop_thread(old, t);
	return th;
undo:
	t->bytes -= sizeof(*th);
	t->oom = true;
	return NULL;
}

/*
 * Stores a name (shared, prefix included) for fd; consumes the reference.
 * A name that cannot be kept (NULL) leaves the fd unknown, not its old name.
 */
static void put_fd(struct kcap_threads *t, int64_t tid, int64_t fd, char *name)
{
	int64_t pid = pid_of(t, tid);
	void *old = NULL;

	if (name && !charge(t, 0)) {	/* the new slot: the budget holds the map */
		drop_str(t, name);
		name = NULL;
	}
	if (name && kcap_idmap_put(&t->fds, pid, fd, name, &old) < 0) {
		drop_str(t, name);
		t->oom = true;
		name = NULL;
	}
	if (!name)
		old = kcap_idmap_del(&t->fds, pid, fd);
	if (old)
		drop_fd(old, t);
}

static void set_fd_noted(struct kcap_threads *t, int64_t tid, int64_t fd, const char *prefix,
			 const char *name, const char *note)
{
	size_t plen = strlen(prefix), nlen = strlen(name), tlen = note ? strlen(note) + 1 : 0;
	char buf[KCAP_PATH_MAX + 64];

	if (nlen > KCAP_PATH_MAX) {
		t->cuts.paths++;
		nlen = KCAP_PATH_MAX;
	}
	if (tlen > 32)
		tlen = 0;
	memcpy(buf, prefix, plen);
	memcpy(buf + plen, name, nlen);
	if (tlen) {
		buf[plen + nlen] = '\0';
		memcpy(buf + plen + nlen + 1, note, tlen - 1);
	}
	put_fd(t, tid, fd, new_str(t, buf, plen + nlen + tlen));
}

static void set_fd(struct kcap_threads *t, int64_t tid, int64_t fd, const char *prefix,
		   const char *name)
{
	set_fd_noted(t, tid, fd, prefix, name, NULL);
}

/* ---- paths ------------------------------------------------------------ */

/* Appends the components of path to b, resolving "." and ".." as text. */
static void join_components(struct kcap_sbuf *b, const char *path)
{
	while (*path) {
		size_t n;

		while (*path == '/')
			path++;
		n = strcspn(path, "/");
		if (n == 0 || (n == 1 && path[0] == '.')) {
			path += n;
			continue;
		}
		if (n == 2 && path[0] == '.' && path[1] == '.') {
			while (b->len && b->p[b->len - 1] != '/')
				b->len--;
			if (b->len)
				b->len--;	/* the slash before the component */
			if (b->p)
				b->p[b->len] = '\0';
		} else {
			kcap_sbuf_putc(b, '/');
			kcap_sbuf_put(b, path, n);
		}
		path += n;
	}
}

int kcap_path_join(struct kcap_sbuf *b, const char *dir, const char *path)
{
	kcap_sbuf_reset(b);
	if (path[0] != '/')
		join_components(b, dir);
	join_components(b, path);
	if (!b->len)
		kcap_sbuf_putc(b, '/');
	if (b->oom)
		return -1;
	return b->len > KCAP_PATH_MAX ? 1 : 0;
}

/* ---- loading a section's metadata ------------------------------------ */

/*
 * argv[1..] or cgroups (strings each NUL-terminated, len bytes) into
 * *field, as they are; a last string without its NUL gets one.
 */
static void set_strings(struct kcap_threads *t, char **field, const char *data, size_t len,
			char *like)
{
	if (!len) {		/* none: an empty blob has no data at all */
		drop_str(t, *field);
		*field = NULL;
		return;
	}
	if (data[len - 1] == '\0') {
		set_shared_bytes(t, field, data, len, like);
		return;
	}
	kcap_sbuf_reset(&t->scratch);
	kcap_sbuf_put(&t->scratch, data, len);
	kcap_sbuf_putc(&t->scratch, '\0');
	if (t->scratch.oom)
		t->oom = true;
	else
		set_shared_bytes(t, field, t->scratch.p, len + 1, like);
}

static const char *fd_prefix(const struct kcap_fd *f)
{
	static const char *const prefixes[KCAP_FD_TYPE_MAX] = {
		[KCAP_FD_FILE] = "<f>", [KCAP_FD_DIRECTORY] = "<d>",
		[KCAP_FD_FIFO] = "<p>", [KCAP_FD_UNIX_SOCK] = "<u>", [KCAP_FD_EVENT] = "<e>",
		[KCAP_FD_SIGNALFD] = "<s>", [KCAP_FD_EVENTPOLL] = "<l>", [KCAP_FD_INOTIFY] = "<i>",
		[KCAP_FD_TIMERFD] = "<t>", [KCAP_FD_NETLINK] = "<n>", [KCAP_FD_FILE_V2] = "<f>",
		[KCAP_FD_BPF] = "<b>", [KCAP_FD_USERFAULTFD] = "<u>", [KCAP_FD_IOURING] = "<r>",
		[KCAP_FD_MEMFD] = "<m>", [KCAP_FD_PIDFD] = "<P>",
	};
	bool v6 = f->type == KCAP_FD_IPV6_SOCK || f->type == KCAP_FD_IPV6_SERVSOCK;

	switch (f->type) {
	case KCAP_FD_IPV4_SOCK: case KCAP_FD_IPV6_SOCK:
	case KCAP_FD_IPV4_SERVSOCK: case KCAP_FD_IPV6_SERVSOCK:
		if (f->l4proto == 2)
			return v6 ? "<6t>" : "<4t>";
		if (f->l4proto == 3)
			return v6 ? "<6u>" : "<4u>";
		return v6 ? "<6>" : "<4>";
	default:
		return f->type < KCAP_FD_TYPE_MAX && prefixes[f->type] ? prefixes[f->type] : "<o>";
	}
}

static void addr_port(char *out, size_t size, const uint8_t *addr, bool v6, uint16_t port)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(v6 ? AF_INET6 : AF_INET, addr, a, sizeof(a));
	snprintf(out, size, "%s:%u", a, port);
}

static void fd_text(const struct kcap_fd *f, char *out, size_t size)
{
	bool v6 = f->type == KCAP_FD_IPV6_SOCK || f->type == KCAP_FD_IPV6_SERVSOCK;
	char src[64], dst[64];

	switch (f->type) {
	case KCAP_FD_IPV4_SOCK: case KCAP_FD_IPV6_SOCK:
		addr_port(src, sizeof(src), f->sip, v6, f->sport);
		addr_port(dst, sizeof(dst), f->dip, v6, f->dport);
		snprintf(out, size, "%s->%s", src, dst);
		return;
	case KCAP_FD_IPV4_SERVSOCK: case KCAP_FD_IPV6_SERVSOCK:
		addr_port(out, size, f->sip, v6, f->sport);
		return;
	default:
		snprintf(out, size, "%s", f->name.data ? f->name.data : "");
	}
}

int kcap_threads_load(struct kcap_threads *t, const struct kcap_meta *m)
{
	int64_t prev_tid = 0;
	bool have_prev = false;
	size_t i;

	clear_all(t);
	t->close_pending = t->exit_pending = t->oom = false;
	for (i = 0; i < m->nprocs; i++) {
		const struct kcap_proc *p = &m->procs[i];
		struct kcap_thread *th = add_thread(t, p->tid), *prev;

		if (!th)
			continue;
		/* Looked up again: a tid listed twice replaces (frees) its entry. */
		prev = have_prev && prev_tid != p->tid ? find_mut(t, prev_tid) : NULL;
		prev_tid = p->tid;
		have_prev = true;
		th->pid = p->pid;
		th->ptid = p->ptid;
		th->uid = p->uid;
		th->gid = p->gid;
		snprintf(th->comm, sizeof(th->comm), "%s", p->comm.data ? p->comm.data : "");
		set_strings(t, &th->args, p->args.data, p->args.len, prev ? prev->args : NULL);
		set_strings(t, &th->cgroups, p->cgroups.data, p->cgroups.len,
			    prev ? prev->cgroups : NULL);
		kcap_container_id(p->cgroups.data, p->cgroups.len, th->container);
		/* The threads of a process come together and share these. */
		set_shared(t, &th->exe, p->exe.data ? p->exe.data : "", prev ? prev->exe : NULL);
		if (p->cwd.len)
			set_shared(t, &th->cwd, p->cwd.data, prev ? prev->cwd : NULL);
	}
	for (i = 0; i < m->nfds; i++) {
		char text[1100];

		fd_text(&m->fds[i], text, sizeof(text));
		set_fd_noted(t, m->fds[i].owner_tid, m->fds[i].fd, fd_prefix(&m->fds[i]), text,
			     m->fds[i].type == KCAP_FD_USERFAULTFD ? FD_NOTE_UFFD : NULL);
	}
	load_users(t, m);
	return t->oom ? -1 : 0;
}

/* ---- exporting the table as a section's metadata ---------------------- */

static int export_thread(const struct kcap_thread *th, struct kcap_meta *m)
{
	struct kcap_proc *p = kcap_meta_add_proc(m);

	if (!p)
		return -1;
	kcap_proc_defaults(p);
	p->tid = th->tid;
	p->pid = th->pid;
	p->ptid = th->ptid;
	p->uid = th->uid >= 0 ? (uint32_t)th->uid : 0;
	p->gid = th->gid >= 0 ? (uint32_t)th->gid : 0;
	if (kcap_blob_set(&p->comm, th->comm, strlen(th->comm)) < 0 ||
	    (th->exe && (kcap_blob_set(&p->exe, th->exe, kcap_shstr_len(th->exe)) < 0 ||
			 kcap_blob_set(&p->exepath, th->exe, kcap_shstr_len(th->exe)) < 0)) ||
	    (th->cwd && kcap_blob_set(&p->cwd, th->cwd, kcap_shstr_len(th->cwd)) < 0) ||
	    (th->args && kcap_blob_set(&p->args, th->args, kcap_shstr_len(th->args)) < 0) ||
	    (th->cgroups && kcap_blob_set(&p->cgroups, th->cgroups,
					  kcap_shstr_len(th->cgroups)) < 0))
		return -1;
	return 0;
}

/* "10.0.0.1:80" (or "::1:80") into a network-order address and a port. */
static bool parse_addr_port(const char *s, size_t n, bool v6, uint8_t *addr, uint16_t *port)
{
	char buf[64];
	const char *colon;

	if (!n || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	colon = strrchr(buf, ':');
	if (!colon)
		return false;
	*port = (uint16_t)strtoul(colon + 1, NULL, 10);
	buf[colon - buf] = '\0';
	return inet_pton(v6 ? AF_INET6 : AF_INET, buf, addr) == 1;
}

/* An IP socket's "<4t>" prefix and "a:p->b:p" (or a server's "a:p") name. */
static void export_inet(struct kcap_fd *f, const char *prefix, const char *name)
{
	bool v6 = prefix[1] == '6';
	const char *arrow = strstr(name, "->");

	f->l4proto = prefix[2] == 't' ? 2 : prefix[2] == 'u' ? 3 : 0;
	if (arrow && parse_addr_port(name, (size_t)(arrow - name), v6, f->sip, &f->sport) &&
	    parse_addr_port(arrow + 2, strlen(arrow + 2), v6, f->dip, &f->dport)) {
		f->type = v6 ? KCAP_FD_IPV6_SOCK : KCAP_FD_IPV4_SOCK;
		return;
	}
	if (!arrow && parse_addr_port(name, strlen(name), v6, f->sip, &f->sport)) {
		f->type = v6 ? KCAP_FD_IPV6_SERVSOCK : KCAP_FD_IPV4_SERVSOCK;
		return;
	}
	f->type = v6 ? KCAP_FD_IPV6_SOCK : KCAP_FD_IPV4_SOCK;	/* not connected yet */
	memset(f->sip, 0, sizeof(f->sip));
	memset(f->dip, 0, sizeof(f->dip));
	f->sport = f->dport = 0;
}

static int export_fd(int64_t pid, int64_t fd, const char *stored, struct kcap_meta *m)
{
	static const struct {
		const char *prefix;
		uint8_t type;
	} types[] = {
		{ "<f>", KCAP_FD_FILE }, { "<d>", KCAP_FD_DIRECTORY }, { "<p>", KCAP_FD_FIFO },
		{ "<u>", KCAP_FD_UNIX_SOCK }, { "<e>", KCAP_FD_EVENT }, { "<s>", KCAP_FD_SIGNALFD },
		{ "<l>", KCAP_FD_EVENTPOLL }, { "<i>", KCAP_FD_INOTIFY }, { "<t>", KCAP_FD_TIMERFD },
		{ "<n>", KCAP_FD_NETLINK }, { "<b>", KCAP_FD_BPF }, { "<r>", KCAP_FD_IOURING },
		{ "<m>", KCAP_FD_MEMFD }, { "<P>", KCAP_FD_PIDFD },
	};
	const char *name = strchr(stored, '>'), *note;
	struct kcap_fd *f;
	size_t i, plen;

	if (!name)
		return 0;
	name++;
	plen = (size_t)(name - stored);
	f = kcap_meta_add_fd(m);
	if (!f)
		return -1;
	f->owner_tid = pid;
	f->fd = fd;
	f->type = KCAP_FD_UNSUPPORTED;
	if (stored[1] == '4' || stored[1] == '6') {
		export_inet(f, stored, name);
		return 0;
	}
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i].prefix) == plen && !strncmp(stored, types[i].prefix, plen))
			f->type = types[i].type;
	note = fd_note(stored);
	if (f->type == KCAP_FD_UNIX_SOCK && note && !strcmp(note, FD_NOTE_UFFD))
		f->type = KCAP_FD_USERFAULTFD;
	return kcap_blob_set(&f->name, name, strlen(name));
}

int kcap_threads_export(const struct kcap_threads *t, struct kcap_meta *m)
{
	size_t i;

	for (i = 0; i < t->threads.cap; i++)
		if (t->threads.slots[i].val && export_thread(t->threads.slots[i].val, m) < 0)
			return -1;
	for (i = 0; i < t->fds.cap; i++) {
		const struct kcap_idslot *s = &t->fds.slots[i];

		if (s->val && export_fd(s->a, s->b, s->val, m) < 0)
			return -1;
	}
	return 0;
}

/* ---- updates from events --------------------------------------------- */

static int8_t idx(uint16_t type, const char *name)
{
	return (int8_t)kcap_evt_param_index(type, name);
}

static int8_t idx2(uint16_t type, const char *a, const char *b)
{
	int8_t i = idx(type, a);

	return i >= 0 ? i : idx(type, b);
}

static bool name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

/* The special fd a syscall makes, or -1. */
static int anon_kind_of(const char *name)
{
	static const struct {
		const char *name;
		enum anon_kind kind;
	} makers[] = {
		{ "eventfd", ANON_EVENT }, { "eventfd2", ANON_EVENT },
		{ "epoll_create", ANON_EPOLL }, { "epoll_create1", ANON_EPOLL },
		{ "signalfd", ANON_SIGNAL }, { "signalfd4", ANON_SIGNAL },
		{ "timerfd_create", ANON_TIMER },
		{ "inotify_init", ANON_INOTIFY }, { "inotify_init1", ANON_INOTIFY },
		{ "userfaultfd", ANON_USERFAULT }, { "memfd_create", ANON_MEMFD },
		{ "pidfd_open", ANON_PIDFD }, { "io_uring_setup", ANON_IOURING },
		{ "bpf", ANON_BPF },
	};
	size_t i;

	for (i = 0; i < sizeof(makers) / sizeof(makers[0]); i++)
		if (strcmp(name, makers[i].name) == 0)
			return (int)makers[i].kind;
	return -1;
}

static enum action classify(uint16_t type)
{
	static const char *const clones[] = { "clone", "fork", "vfork", "clone3", NULL };
	static const char *const execs[] = { "execve", "execveat", NULL };
	static const char *const opens[] = { "open", "openat", "openat2", "creat",
					     "open_by_handle_at", NULL };
	static const char *const accepts[] = { "accept", "accept4", NULL };
	static const char *const dups[] = { "dup", "dup2", "dup3", NULL };
	static const char *const pipes[] = { "pipe", "pipe2", NULL };
	const char *name = g_event_info[type].name;

	static const char *const msgs[] = { "sendto", "recvfrom", "sendmsg", "recvmsg", NULL };

	/* A close enter only says which fd: its exit closes it, if it succeeded. */
	if (PPME_IS_ENTER(type))
		return strcmp(name, "procexit") == 0 ? ACT_EXIT : ACT_NONE;
	if (name_in(name, clones))
		return ACT_CLONE;
	if (name_in(name, execs))
		return ACT_EXEC;
	if (name_in(name, opens))
		return ACT_OPEN;
	if (name_in(name, accepts))
		return ACT_ACCEPT;
	if (name_in(name, dups))
		return ACT_DUP;
	if (name_in(name, pipes))
		return ACT_PIPE;
	if (strcmp(name, "socket") == 0)
		return ACT_SOCKET;
	if (strcmp(name, "connect") == 0)
		return ACT_CONNECT;
	if (strcmp(name, "close") == 0)
		return ACT_CLOSE;
	if (strcmp(name, "fcntl") == 0)
		return ACT_FCNTL;
	if (strcmp(name, "bind") == 0)
		return ACT_BIND;
	if (strcmp(name, "socketpair") == 0)
		return ACT_SOCKETPAIR;
	if (name_in(name, msgs))
		return ACT_MSG;
	if (strcmp(name, "chdir") == 0)
		return ACT_CHDIR;
	if (strcmp(name, "fchdir") == 0)
		return ACT_FCHDIR;
	if (strcmp(name, "pidfd_getfd") == 0)
		return ACT_PIDFD_GETFD;
	return anon_kind_of(name) >= 0 ? ACT_ANON : ACT_NONE;
}

bool kcap_event_fd(const struct kcap_evt *ev, const struct kcap_thread *t, int64_t *fd)
{
	uint16_t type = kcap_evt_type(ev);
	const struct ppm_event_info *row = &g_event_info[type];
	uint64_t u;
	uint32_t i;

	if (!PPME_IS_ENTER(type) && (row->flags & EF_CREATES_FD) && row->nparams &&
	    row->params[0].type == PT_FD && kcap_evt_get_u64(ev, 0, &u)) {
		*fd = (int64_t)u;
		return *fd >= 0;
	}
	for (i = 0; i < row->nparams; i++) {
		if (row->params[i].type == PT_FD && !strcmp(row->params[i].name, "fd")) {
			if (!kcap_evt_get_u64(ev, i, &u))
				return false;
			*fd = (int64_t)u;
			return *fd >= 0;
		}
	}
	if (!PPME_IS_ENTER(type) && (row->flags & EF_USES_FD) && t && t->enter_fd >= 0) {
		*fd = t->enter_fd;
		return true;
	}
	return false;
}

bool kcap_event_changes_state(uint16_t type)
{
	/* Asked per event by a capture with a filter or -e: classify by name once per type. */
	static uint8_t known[KCAP_EVENT_MAX];	/* 0: not yet, 1: no, 2: yes */
	enum action a;

	if (type >= KCAP_EVENT_MAX)
		return false;
	if (!known[type]) {
		a = classify(type);
		/*
		 * sendto and the like only name a socket the first time, and bpf
		 * makes an fd in a few of its commands only (the map lookups of a
		 * BPF-heavy agent are many): not worth their volume.
		 */
		known[type] = a != ACT_NONE && a != ACT_MSG &&
			      !(a == ACT_ANON && anon_kind_of(g_event_info[type].name) == ANON_BPF) ?
			      2 : 1;
	}
	return known[type] == 2;
}

static const struct action_info *action_of(struct kcap_threads *t, uint16_t type)
{
	struct action_info *a = &t->actions[type];

	if (a->action != ACT_UNKNOWN)
		return a;
	a->action = (uint8_t)classify(type);
	a->res = idx(type, "res");
	a->fd = idx(type, "fd");
	a->path = idx2(type, "name", "path");
	a->dirfd = idx(type, "dirfd");
	a->tid_pid = idx(type, "pid");
	a->ptid = idx(type, "ptid");
	a->comm = idx(type, "comm");
	a->exe = idx(type, "exe");
	a->cwd = idx(type, "cwd");
	a->tuple = idx(type, "tuple");
	a->fd2 = idx(type, "fd2");
	a->domain = idx(type, "domain");
	a->uid = idx(type, "uid");
	a->gid = idx(type, "gid");
	a->args = idx(type, "args");
	a->cgroups = idx(type, "cgroups");
	a->socktype = a->domain >= 0 ? idx(type, "type") : -1;
	if (a->action == ACT_DUP && a->fd < 0)
		a->fd = idx(type, "oldfd");
	if (a->action == ACT_PIPE || a->action == ACT_SOCKETPAIR)
		a->fd = idx(type, "fd1");
	a->flags = idx(type, "flags");
	a->cmd = idx(type, "cmd");
	if (a->action == ACT_ANON || a->action == ACT_PIDFD_GETFD) {
		a->fd = 0;	/* the fd made, whatever the schema calls it */
		a->anon = (uint8_t)anon_kind_of(g_event_info[type].name);
		a->pidfd = idx(type, "pid_fd");
		a->targetfd = idx(type, "target_fd");
	}
	a->addr = idx(type, "addr");
	return a;
}

static bool get_i64(const struct kcap_evt *ev, int8_t i, int64_t *out)
{
	uint64_t v;

	if (i < 0 || !kcap_evt_get_u64(ev, (uint32_t)i, &v))
		return false;
	*out = (int64_t)v;
	return true;
}

static const char *get_str(const struct kcap_evt *ev, int8_t i)
{
	return i < 0 ? NULL : kcap_evt_get_str(ev, (uint32_t)i);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static void set_cwd(struct kcap_threads *t, struct kcap_thread *th, const char *path,
		    char *like);

/*
 * What a clone or execve exit event says of the process, where it says it:
 * uid and gid (4 bytes each), args, the container from its cgroups.
 */
static void set_identity(struct kcap_threads *t, struct kcap_thread *th,
			 const struct kcap_evt *ev, const struct action_info *a, char *like_args,
			 char *like_cgroups)
{
	const uint8_t *v;
	uint32_t id, len;

	if (a->uid >= 0 && kcap_evt_get_u32(ev, (uint32_t)a->uid, &id))
		th->uid = id;
	if (a->gid >= 0 && kcap_evt_get_u32(ev, (uint32_t)a->gid, &id))
		th->gid = id;
	if ((v = kcap_evt_param(ev, a->args, &len)))
		set_strings(t, &th->args, (const char *)v, len, like_args);
	if ((v = kcap_evt_param(ev, a->cgroups, &len)) && len) {
		set_strings(t, &th->cgroups, (const char *)v, len, like_cgroups);
		kcap_container_id((const char *)v, len, th->container);
	}
}

/*
 * Copies the fds of process from to the process of thread to, as fork
 * does: collected first, since storing into the map may grow it.
 */
static void copy_fds(struct kcap_threads *t, int64_t from, int64_t to)
{
	struct kcap_idslot *copy = NULL, *grown;
	size_t i, n = 0, cap = 0;

	for (i = 0; i < t->fds.cap; i++) {
		const struct kcap_idslot *s = &t->fds.slots[i];

		if (!s->val || s->a != from)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(copy, cap * sizeof(*copy));
			if (!grown) {
				t->oom = true;
				break;
			}
			copy = grown;
		}
		copy[n++] = *s;
	}
	for (i = 0; i < n; i++)
		put_fd(t, to, copy[i].b, kcap_shstr_ref(copy[i].val));
	free(copy);
}

static void on_clone(struct kcap_threads *t, const struct kcap_evt *ev, const struct action_info *a)
{
	int64_t res, tid = kcap_evt_tid(ev), v;
	struct kcap_thread *parent, *child;
	const char *s;

	if (!get_i64(ev, a->res, &res) || res < 0)
		return;
	if (res > 0) {
		/* Parent side: know the child now, in case its own exit event is lost. */
		parent = find_mut(t, tid);
		if (kcap_threads_find(t, res) || !parent)
			return;
		child = add_thread(t, res);
		if (!child)
			return;
		memcpy(child->comm, parent->comm, sizeof(child->comm));
		child->ptid = tid;
		child->uid = parent->uid;
		child->gid = parent->gid;
		memcpy(child->container, parent->container, sizeof(child->container));
		child->args = kcap_shstr_ref(parent->args);
		child->cgroups = kcap_shstr_ref(parent->cgroups);
		child->exe = kcap_shstr_ref(parent->exe);
		child->cwd = kcap_shstr_ref(parent->cwd);
		return;
	}
	child = find_mut(t, tid);
	parent = NULL;
	if (!child && !(child = add_thread(t, tid)))
		return;
	if (get_i64(ev, a->tid_pid, &v))
		child->pid = v;
	if (get_i64(ev, a->ptid, &v)) {
		child->ptid = v;
		parent = find_mut(t, v);
	}
	if ((s = get_str(ev, a->exe)))
		set_shared(t, &child->exe, s, parent ? parent->exe : NULL);
	if ((s = get_str(ev, a->comm)) || (s = child->exe ? base_name(child->exe) : NULL))
		snprintf(child->comm, sizeof(child->comm), "%s", s);
	if ((s = get_str(ev, a->cwd)))
		set_cwd(t, child, s, parent ? parent->cwd : NULL);
	set_identity(t, child, ev, a, parent ? parent->args : NULL,
		     parent ? parent->cgroups : NULL);
	/* A new process starts with a copy of its parent's fd table. */
	if (parent && child->pid == child->tid && parent->pid != child->pid)
		copy_fds(t, parent->pid, child->tid);
}

static void on_exec(struct kcap_threads *t, const struct kcap_evt *ev, const struct action_info *a)
{
	struct kcap_thread *th = find_mut(t, kcap_evt_tid(ev));
	const char *s;
	int64_t res;

	if (!get_i64(ev, a->res, &res) || res != 0)
		return;
	if (!th && !(th = add_thread(t, kcap_evt_tid(ev))))
		return;
	if ((s = get_str(ev, a->exe)))
		set_shared(t, &th->exe, s, NULL);
	if ((s = get_str(ev, a->comm)) || (s = th->exe ? base_name(th->exe) : NULL))
		snprintf(th->comm, sizeof(th->comm), "%s", s);
	if ((s = get_str(ev, a->cwd)))
		set_cwd(t, th, s, NULL);
	set_identity(t, th, ev, a, NULL, NULL);
}

/* As sysdig names a socket: <4t> for TCP over IPv4, <6u> for UDP over IPv6... */
static const char *family_prefix(uint8_t family, uint32_t socktype)
{
	static const char *const inet[2][3] = { { "<4>", "<4t>", "<4u>" },
						 { "<6>", "<6t>", "<6u>" } };
	uint32_t l4 = (socktype & 0xf) <= 2 ? socktype & 0xf : 0;	/* SOCK_STREAM, SOCK_DGRAM */

	switch (family) {
	case 1: return "<u>";
	case 2: return inet[0][l4];
	case 10: return inet[1][l4];
	default: return "<o>";
	}
}

/* The socket type the fd's name says: 1 (stream) for "<4t>", 2 for "<6u>"... */
static uint32_t socktype_of(const char *name)
{
	if (!name || name[0] != '<' || (name[1] != '4' && name[1] != '6') || name[3] != '>')
		return 0;
	return name[2] == 't' ? 1 : name[2] == 'u' ? 2 : 0;
}

const char *kcap_threads_dir(const struct kcap_threads *t, int64_t tid, int64_t dirfd)
{
	const struct kcap_thread *th;
	const char *name;

	if (dirfd != KCAP_AT_FDCWD) {
		name = dirfd >= 0 ? kcap_threads_fd_name(t, tid, dirfd) : NULL;
		return name && !strncmp(name, "<d>", 3) && name[3] == '/' ? name + 3 : NULL;
	}
	th = kcap_threads_find(t, tid);
	return th && th->cwd && th->cwd[0] == '/' ? th->cwd : NULL;
}

/* The directory a relative path of ev is relative to: its dirfd's, else the cwd. */
static const char *base_dir(const struct kcap_threads *t, const struct kcap_evt *ev,
			    const struct action_info *a)
{
	int64_t dirfd;

	if (!get_i64(ev, a->dirfd, &dirfd))
		dirfd = KCAP_AT_FDCWD;
	return kcap_threads_dir(t, kcap_evt_tid(ev), dirfd);
}

/*
 * The absolute, normalized form of path in t->scratch; path itself when the
 * directory it is relative to is unknown; NULL when longer than the kernel's
 * PATH_MAX (counted).
 */
static const char *abs_path(struct kcap_threads *t, const char *dir, const char *path)
{
	int rc;

	if (path[0] != '/' && !dir)
		return path;
	rc = kcap_path_join(&t->scratch, dir ? dir : "/", path);
	if (rc < 0) {
		t->oom = true;
		return NULL;
	}
	if (rc > 0) {
		t->cuts.paths++;
		return NULL;
	}
	return t->scratch.p;
}

/* A new cwd for th (NULL: unknown, as after a path too long to keep). */
static void set_cwd(struct kcap_threads *t, struct kcap_thread *th, const char *path, char *like)
{
	const char *s = abs_path(t, th->cwd && th->cwd[0] == '/' ? th->cwd : NULL, path);

	if (s && s[0] == '/') {
		set_shared(t, &th->cwd, s, like);
		return;
	}
	drop_str(t, th->cwd);
	th->cwd = NULL;
}

/* Old schemas put the fd of connect, close... in the enter event only. */
static bool enter_fd(const struct kcap_threads *t, int64_t tid, const struct action_info *a,
		     int64_t *fd)
{
	const struct kcap_thread *th = kcap_threads_find(t, tid);

	if (a->action != ACT_CONNECT || !th || th->enter_fd < 0)
		return false;
	*fd = th->enter_fd;
	return true;
}

static void remember_enter_fd(struct kcap_threads *t, const struct kcap_evt *ev,
			      const struct action_info *a)
{
	struct kcap_thread *th = find_mut(t, kcap_evt_tid(ev));
	int64_t fd;

	if (th && get_i64(ev, a->fd, &fd))
		th->enter_fd = fd;
}

/* Old exit events of the generic syscall name neither it nor its number: the enter event does. */
static void remember_enter_native(struct kcap_threads *t, const struct kcap_evt *ev)
{
	struct kcap_thread *th = find_mut(t, kcap_evt_tid(ev));
	uint32_t len;
	const uint8_t *v = kcap_evt_param(ev, 1, &len);
	uint16_t native;

	if (!th)
		return;
	th->enter_native = -1;
	if (v && len == sizeof(native)) {
		memcpy(&native, v, sizeof(native));
		th->enter_native = native;
	}
}

/* Old schemas put a socket's domain and type in its enter event only. */
static void remember_socket(struct kcap_threads *t, const struct kcap_evt *ev,
			    const struct action_info *a)
{
	struct kcap_thread *th = find_mut(t, kcap_evt_tid(ev));

	if (!th || strcmp(g_event_info[kcap_evt_type(ev)].name, "socket"))
		return;
	th->enter_domain = th->enter_socktype = 0;
	kcap_evt_get_u32(ev, (uint32_t)a->domain, &th->enter_domain);
	kcap_evt_get_u32(ev, (uint32_t)a->socktype, &th->enter_socktype);
}

static void on_close(struct kcap_threads *t, const struct kcap_evt *ev, const struct action_info *a)
{
	const struct kcap_thread *th = kcap_threads_find(t, kcap_evt_tid(ev));
	int64_t fd, res;
	bool known = get_i64(ev, a->fd, &fd);

	/* Old close exits carry only res: the fd is the enter event's. */
	if (!known && th && th->enter_fd >= 0) {
		fd = th->enter_fd;
		known = true;
	}
	if (known && (!get_i64(ev, a->res, &res) || res == 0)) {
		t->close_pending = true;
		t->close_pid = pid_of(t, kcap_evt_tid(ev));
		t->close_fd = fd;
	}
}

static void on_dup(struct kcap_threads *t, int64_t tid, int64_t oldfd, const struct kcap_evt *ev,
		   const struct action_info *a)
{
	const char *name = kcap_threads_fd_name(t, tid, oldfd);
	int64_t newfd;

	if (name && get_i64(ev, a->res, &newfd) && newfd >= 0 && newfd != oldfd)
		put_fd(t, tid, newfd, kcap_shstr_ref((char *)name));
}

static void on_connect(struct kcap_threads *t, int64_t tid, int64_t fd, const struct kcap_evt *ev,
		       const struct action_info *a)
{
	uint32_t len;
	const uint8_t *tuple = kcap_evt_param(ev, a->tuple, &len);
	int64_t res;

	if (!len)
		return;
	if (a->action == ACT_CONNECT && get_i64(ev, a->res, &res) && res < 0 && res != -115)
		return;	/* failed, but EINPROGRESS still connects */
	kcap_sbuf_reset(&t->scratch);
	kcap_fmt_param(&t->scratch, ev, (uint32_t)a->tuple, NULL, NULL);
	kcap_sbuf_putc(&t->scratch, '\0');
	if (t->scratch.oom)
		t->oom = true;
	else
		set_fd(t, tid, fd, family_prefix(tuple[0],
			socktype_of(kcap_threads_fd_name(t, tid, fd))), t->scratch.p);
}

/* fcntl(F_DUPFD) and fcntl(F_DUPFD_CLOEXEC) are dups. */
static bool fcntl_dups(const struct kcap_evt *ev, const struct action_info *a)
{
	uint32_t len;
	const uint8_t *cmd = kcap_evt_param(ev, a->cmd, &len);

	return cmd && len == 1 && (*cmd == PPM_FCNTL_F_DUPFD || *cmd == PPM_FCNTL_F_DUPFD_CLOEXEC);
}

/* An open with O_DIRECTORY made a directory's fd, "<d>" as sysdig names it. */
static bool opens_directory(const struct kcap_evt *ev, const struct action_info *a)
{
	uint32_t flags;

	return a->flags >= 0 && kcap_evt_get_u32(ev, (uint32_t)a->flags, &flags) &&
	       (flags & PPM_O_DIRECTORY);
}

/* The name an fd has, without its "<...>" prefix; NULL when unknown. */
static const char *fd_bare_name(const struct kcap_threads *t, int64_t tid, int64_t fd,
				char *prefix, size_t size)
{
	const char *name = kcap_threads_fd_name(t, tid, fd), *end;

	if (!name || name[0] != '<' || !(end = strchr(name, '>')) || (size_t)(end - name) >= size)
		return NULL;
	memcpy(prefix, name, (size_t)(end - name) + 1);
	prefix[end - name + 1] = '\0';
	return end + 1;
}

/* A bound socket is named by its local address, as a listening one: "0.0.0.0:80". */
static void on_bind(struct kcap_threads *t, int64_t tid, int64_t fd, const struct kcap_evt *ev,
		    const struct action_info *a)
{
	uint32_t len;
	const uint8_t *addr = kcap_evt_param(ev, a->addr, &len);
	char prefix[8];
	int64_t res;

	if (!addr || !len || !get_i64(ev, a->res, &res) || res != 0)
		return;
	if (!fd_bare_name(t, tid, fd, prefix, sizeof(prefix)))
		snprintf(prefix, sizeof(prefix), "%s", family_prefix(addr[0], 0));
	kcap_sbuf_reset(&t->scratch);
	kcap_fmt_param(&t->scratch, ev, (uint32_t)a->addr, NULL, NULL);
	kcap_sbuf_putc(&t->scratch, '\0');
	if (t->scratch.oom)
		t->oom = true;
	else
		set_fd(t, tid, fd, prefix, t->scratch.p);
}

/* sendto, recvfrom...: an IP socket with no address yet is named by the tuple (UDP). */
static void on_msg(struct kcap_threads *t, int64_t tid, int64_t fd, const struct kcap_evt *ev,
		   const struct action_info *a)
{
	uint32_t len;
	const uint8_t *tuple = kcap_evt_param(ev, a->tuple, &len);
	const char *name;
	char prefix[8];

	name = fd_bare_name(t, tid, fd, prefix, sizeof(prefix));
	if (!tuple || len < 13 || !name || name[0] || (prefix[1] != '4' && prefix[1] != '6'))
		return;
	on_connect(t, tid, fd, ev, a);
}

/* A special fd, named as sysdig names it: "<e>", "<m>name"; a pidfd notes its pid. */
static void on_anon(struct kcap_threads *t, int64_t tid, int64_t fd, const struct kcap_evt *ev,
		    const struct action_info *a)
{
	static const char *const prefixes[] = {
		[ANON_EVENT] = "<e>", [ANON_EPOLL] = "<l>", [ANON_SIGNAL] = "<s>",
		[ANON_TIMER] = "<t>", [ANON_INOTIFY] = "<i>", [ANON_USERFAULT] = "<u>",
		[ANON_MEMFD] = "<m>", [ANON_PIDFD] = "<P>", [ANON_IOURING] = "<r>",
		[ANON_BPF] = "<b>",
	};
	char pid[24];
	const char *s;
	uint32_t cmd;
	int64_t v;

	switch (a->anon) {
	case ANON_BPF:	/* an old bpf exit (no cmd) says only res_or_fd */
		if (a->cmd >= 0 && kcap_evt_get_u32(ev, (uint32_t)a->cmd, &cmd) && cmd < 64 &&
		    (BPF_FD_COMMANDS >> cmd & 1))
			set_fd(t, tid, fd, prefixes[a->anon], "");
		break;
	case ANON_MEMFD:
		set_fd(t, tid, fd, prefixes[a->anon], (s = get_str(ev, a->path)) ? s : "");
		break;
	case ANON_USERFAULT:
		set_fd_noted(t, tid, fd, prefixes[a->anon], "", FD_NOTE_UFFD);
		break;
	case ANON_PIDFD:
		if (!get_i64(ev, a->tid_pid, &v))
			v = -1;
		snprintf(pid, sizeof(pid), "%" PRId64, v);
		set_fd_noted(t, tid, fd, prefixes[a->anon], "", pid);
		break;
	default:
		set_fd(t, tid, fd, prefixes[a->anon], "");
	}
}

/* The new fd is the fd target_fd of the process the pidfd refers to. */
static void on_pidfd_getfd(struct kcap_threads *t, int64_t tid, int64_t fd,
			   const struct kcap_evt *ev, const struct action_info *a)
{
	const char *pidfd, *note, *name;
	int64_t pfd, target;
	char *end;
	long long pid;

	if (!get_i64(ev, a->pidfd, &pfd) || !get_i64(ev, a->targetfd, &target) ||
	    !(pidfd = kcap_threads_fd_name(t, tid, pfd)) || strncmp(pidfd, "<P>", 3) ||
	    !(note = fd_note(pidfd)))
		goto unknown;
	errno = 0;
	pid = strtoll(note, &end, 10);
	if (errno || *end || pid <= 0 || !(name = kcap_threads_fd_name(t, pid, target)))
		goto unknown;
	put_fd(t, tid, fd, kcap_shstr_ref((char *)name));
	return;
unknown:
	put_fd(t, tid, fd, NULL);	/* not an older fd's name */
}

static void on_fd_event(struct kcap_threads *t, const struct kcap_evt *ev,
			const struct action_info *a)
{
	int64_t tid = kcap_evt_tid(ev), fd = -1, v;
	const char *s;
	const struct kcap_thread *th;
	uint32_t domain = 0, socktype = 0;

	if (!get_i64(ev, a->fd, &fd) && !enter_fd(t, tid, a, &fd) && !get_i64(ev, a->res, &fd))
		return;
	if (a->action == ACT_DUP || (a->action == ACT_FCNTL && fcntl_dups(ev, a))) {
		on_dup(t, tid, fd, ev, a);
		return;
	}
	if (fd < 0)
		return;
	switch (a->action) {
	case ACT_OPEN:
		if ((s = get_str(ev, a->path)) && (s = abs_path(t, base_dir(t, ev, a), s)))
			set_fd(t, tid, fd, opens_directory(ev, a) ? "<d>" : "<f>", s);
		else
			put_fd(t, tid, fd, NULL);	/* unknown, not an older file's name */
		break;
	case ACT_BIND:
		on_bind(t, tid, fd, ev, a);
		break;
	case ACT_MSG:
		on_msg(t, tid, fd, ev, a);
		break;
	case ACT_SOCKETPAIR:
		if (get_i64(ev, a->res, &v) && v == 0) {
			set_fd(t, tid, fd, "<u>", "");
			if (get_i64(ev, a->fd2, &v) && v >= 0)
				set_fd(t, tid, v, "<u>", "");
		}
		break;
	case ACT_SOCKET:
		if (a->domain >= 0 && kcap_evt_get_u32(ev, (uint32_t)a->domain, &domain)) {
			if (a->socktype >= 0)
				kcap_evt_get_u32(ev, (uint32_t)a->socktype, &socktype);
		} else if ((th = kcap_threads_find(t, tid))) {	/* old: in the enter event */
			domain = th->enter_domain;
			socktype = th->enter_socktype;
		}
		set_fd(t, tid, fd, family_prefix((uint8_t)domain, socktype), "");
		break;
	case ACT_CONNECT:
	case ACT_ACCEPT:
		on_connect(t, tid, fd, ev, a);
		break;
	case ACT_PIPE:
		set_fd(t, tid, fd, "<p>", "");
		if (get_i64(ev, a->fd2, &v) && v >= 0)
			set_fd(t, tid, v, "<p>", "");
		break;
	case ACT_ANON:
		on_anon(t, tid, fd, ev, a);
		break;
	case ACT_PIDFD_GETFD:
		on_pidfd_getfd(t, tid, fd, ev, a);
		break;
	default:
		break;
	}
}

static void on_chdir(struct kcap_threads *t, const struct kcap_evt *ev, const struct action_info *a)
{
	struct kcap_thread *th = find_mut(t, kcap_evt_tid(ev));
	const char *s;
	int64_t res, fd;

	if (!th || !get_i64(ev, a->res, &res) || res != 0)
		return;
	if (a->action == ACT_CHDIR) {
		if ((s = get_str(ev, a->path)))
			set_cwd(t, th, s, NULL);
		return;
	}
	if (get_i64(ev, a->fd, &fd) && (s = kcap_threads_fd_name(t, th->tid, fd)) &&
	    strncmp(s, "<d>", 3) == 0)
		set_cwd(t, th, s + 3, NULL);
}

static void apply_pending(struct kcap_threads *t)
{
	void *v;

	if (t->close_pending && (v = kcap_idmap_del(&t->fds, t->close_pid, t->close_fd)))
		drop_fd(v, t);
	if (t->exit_pending && (v = kcap_idmap_del(&t->threads, t->exit_tid, 0)))
		drop_thread(v, t);
	t->close_pending = t->exit_pending = false;
}

int kcap_threads_update(struct kcap_threads *t, const struct kcap_evt *ev)
{
	uint16_t type = kcap_evt_type(ev);
	const struct action_info *a;

	apply_pending(t);
	t->oom = false;
	if (type >= KCAP_EVENT_MAX)
		return 0;
	if (type == PPME_GENERIC_E)
		remember_enter_native(t, ev);
	a = action_of(t, type);
	switch (a->action) {
	case ACT_CLONE:
		on_clone(t, ev, a);
		break;
	case ACT_EXEC:
		on_exec(t, ev, a);
		break;
	case ACT_EXIT:
		t->exit_pending = true;
		t->exit_tid = kcap_evt_tid(ev);
		break;
	case ACT_CHDIR:
	case ACT_FCHDIR:
		on_chdir(t, ev, a);
		break;
	case ACT_CLOSE:
		on_close(t, ev, a);
		break;
	case ACT_NONE:
		if (PPME_IS_ENTER(type) && a->fd >= 0)
			remember_enter_fd(t, ev, a);
		if (PPME_IS_ENTER(type) && a->domain >= 0 && a->socktype >= 0)
			remember_socket(t, ev, a);
		break;
	default:
		on_fd_event(t, ev, a);
	}
	return t->oom ? -1 : 0;
}
