// SPDX-License-Identifier: MIT
/*
 * Thread and fd tables: two open-addressing hash maps (linear probing,
 * backward-shift deletion). What an event type changes is worked out once
 * per type from the event table, by name, so every schema version of an
 * event (old captures) is handled by the same code.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "threads.h"

/* ---- hash map keyed by two int64 ------------------------------------- */

struct slot {
	int64_t a, b;
	void *val;		/* NULL: empty slot */
};

struct map {
	struct slot *slots;
	size_t cap, used;	/* cap is a power of two */
};

static size_t slot_hash(int64_t a, int64_t b, size_t cap)
{
	uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ull ^ (uint64_t)b * 0xC2B2AE3D27D4EB4Full;

	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static struct slot *map_find(const struct map *m, int64_t a, int64_t b)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = slot_hash(a, b, m->cap); m->slots[i].val; i = (i + 1) & (m->cap - 1))
		if (m->slots[i].a == a && m->slots[i].b == b)
			return &m->slots[i];
	return NULL;
}

static int map_grow(struct map *m)
{
	struct map n = { calloc(m->cap ? m->cap * 2 : 256, sizeof(struct slot)),
			 m->cap ? m->cap * 2 : 256, m->used };
	size_t i, j;

	if (!n.slots)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (!m->slots[i].val)
			continue;
		for (j = slot_hash(m->slots[i].a, m->slots[i].b, n.cap); n.slots[j].val;)
			j = (j + 1) & (n.cap - 1);
		n.slots[j] = m->slots[i];
	}
	free(m->slots);
	*m = n;
	return 0;
}

/* Stores val under (a, b), freeing what was there; -1 when out of memory. */
static int map_put(struct map *m, int64_t a, int64_t b, void *val, void (*drop)(void *))
{
	struct slot *s = map_find(m, a, b);
	size_t i;

	if (s) {
		drop(s->val);
		s->val = val;
		return 0;
	}
	if ((m->used + 1) * 2 > m->cap && map_grow(m) < 0)
		return -1;
	for (i = slot_hash(a, b, m->cap); m->slots[i].val; i = (i + 1) & (m->cap - 1))
		;
	m->slots[i] = (struct slot){ a, b, val };
	m->used++;
	return 0;
}

static void map_del(struct map *m, int64_t a, int64_t b, void (*drop)(void *))
{
	struct slot *s = map_find(m, a, b);
	size_t hole, i;

	if (!s)
		return;
	drop(s->val);
	hole = (size_t)(s - m->slots);
	m->slots[hole].val = NULL;
	m->used--;
	/* Backward shift: pull later entries of the run into the hole. */
	for (i = (hole + 1) & (m->cap - 1); m->slots[i].val; i = (i + 1) & (m->cap - 1)) {
		size_t home = slot_hash(m->slots[i].a, m->slots[i].b, m->cap);

		if (((i - home) & (m->cap - 1)) >= ((i - hole) & (m->cap - 1))) {
			m->slots[hole] = m->slots[i];
			m->slots[i].val = NULL;
			hole = i;
		}
	}
}

static void map_clear(struct map *m, void (*drop)(void *))
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].val)
			drop(m->slots[i].val);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* ---- thread table ---------------------------------------------------- */

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
};

/* Parameter indices an action uses, -1 when the event version lacks one. */
struct action_info {
	uint8_t action;
	int8_t res, fd, path, dirfd, tid_pid, ptid, comm, exe, cwd, tuple, fd2, domain;
};

struct kcap_threads {
	struct map threads;	/* (tid, 0) -> struct kcap_thread */
	struct map fds;		/* (pid, fd) -> char *name */
	struct action_info actions[PPM_EVENT_MAX];
	struct kcap_sbuf scratch;
	bool exit_pending, close_pending;	/* removals for the next update */
	int64_t exit_tid, close_pid, close_fd;
};

static void drop_thread(void *p)
{
	struct kcap_thread *t = p;

	free(t->exe);
	free(t->cwd);
	free(t);
}

struct kcap_threads *kcap_threads_new(void)
{
	return calloc(1, sizeof(struct kcap_threads));
}

void kcap_threads_free(struct kcap_threads *t)
{
	if (!t)
		return;
	map_clear(&t->threads, drop_thread);
	map_clear(&t->fds, free);
	kcap_sbuf_free(&t->scratch);
	free(t);
}

uint64_t kcap_threads_count(const struct kcap_threads *t)
{
	return t->threads.used;
}

const struct kcap_thread *kcap_threads_find(const struct kcap_threads *t, int64_t tid)
{
	const struct slot *s = map_find(&t->threads, tid, 0);

	return s ? s->val : NULL;
}

static int64_t pid_of(const struct kcap_threads *t, int64_t tid)
{
	const struct kcap_thread *th = kcap_threads_find(t, tid);

	return th ? th->pid : tid;
}

const char *kcap_threads_fd_name(const struct kcap_threads *t, int64_t tid, int64_t fd)
{
	const struct slot *s = map_find(&t->fds, pid_of(t, tid), fd);

	return s ? s->val : NULL;
}

static void set_str(char **dst, const char *src)
{
	char *s = strdup(src);

	if (s) {
		free(*dst);
		*dst = s;
	}
}

static struct kcap_thread *add_thread(struct kcap_threads *t, int64_t tid)
{
	struct kcap_thread *th = calloc(1, sizeof(*th));

	if (!th)
		return NULL;
	th->tid = tid;
	th->pid = tid;
	th->enter_fd = -1;
	if (map_put(&t->threads, tid, 0, th, drop_thread) < 0) {
		free(th);
		return NULL;
	}
	return th;
}

static void set_fd(struct kcap_threads *t, int64_t tid, int64_t fd, const char *prefix,
		   const char *name)
{
	size_t n = strlen(prefix) + strlen(name) + 1;
	char *s = malloc(n);

	if (!s)
		return;
	snprintf(s, n, "%s%s", prefix, name);
	if (map_put(&t->fds, pid_of(t, tid), fd, s, free) < 0)
		free(s);
}

/* ---- loading a section's metadata ------------------------------------ */

static const char *fd_prefix(const struct kcap_fd *f)
{
	static const char *const prefixes[KCAP_FD_TYPE_MAX] = {
		[KCAP_FD_FILE] = "<f>", [KCAP_FD_DIRECTORY] = "<d>",
		[KCAP_FD_FIFO] = "<p>", [KCAP_FD_UNIX_SOCK] = "<u>", [KCAP_FD_EVENT] = "<e>",
		[KCAP_FD_SIGNALFD] = "<s>", [KCAP_FD_EVENTPOLL] = "<l>", [KCAP_FD_INOTIFY] = "<i>",
		[KCAP_FD_TIMERFD] = "<t>", [KCAP_FD_NETLINK] = "<n>", [KCAP_FD_FILE_V2] = "<f>",
		[KCAP_FD_BPF] = "<b>", [KCAP_FD_USERFAULTFD] = "<uf>", [KCAP_FD_IOURING] = "<r>",
		[KCAP_FD_MEMFD] = "<m>", [KCAP_FD_PIDFD] = "<pd>",
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
	size_t i;

	map_clear(&t->threads, drop_thread);
	map_clear(&t->fds, free);
	t->close_pending = t->exit_pending = false;
	for (i = 0; i < m->nprocs; i++) {
		const struct kcap_proc *p = &m->procs[i];
		struct kcap_thread *th = add_thread(t, p->tid);

		if (!th)
			return -1;
		th->pid = p->pid;
		th->ptid = p->ptid;
		snprintf(th->comm, sizeof(th->comm), "%s", p->comm.data ? p->comm.data : "");
		set_str(&th->exe, p->exe.data ? p->exe.data : "");
		set_str(&th->cwd, p->cwd.data ? p->cwd.data : "");
	}
	for (i = 0; i < m->nfds; i++) {
		char text[1100];

		fd_text(&m->fds[i], text, sizeof(text));
		set_fd(t, m->fds[i].owner_tid, m->fds[i].fd, fd_prefix(&m->fds[i]), text);
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

	if (PPME_IS_ENTER(type))
		return strcmp(name, "procexit") == 0 ? ACT_EXIT :
		       strcmp(name, "close") == 0 ? ACT_CLOSE : ACT_NONE;
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
	if (strcmp(name, "chdir") == 0)
		return ACT_CHDIR;
	if (strcmp(name, "fchdir") == 0)
		return ACT_FCHDIR;
	return ACT_NONE;
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
	if (a->action == ACT_DUP && a->fd < 0)
		a->fd = idx(type, "oldfd");
	if (a->action == ACT_PIPE)
		a->fd = idx(type, "fd1");
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

static void on_clone(struct kcap_threads *t, const struct kcap_evt *ev, const struct action_info *a)
{
	int64_t res, tid = kcap_evt_tid(ev), v;
	const struct kcap_thread *parent;
	struct kcap_thread *child;
	const char *s;

	if (!get_i64(ev, a->res, &res) || res < 0)
		return;
	if (res > 0) {
		/* Parent side: know the child now, in case its own exit event is lost. */
		parent = kcap_threads_find(t, tid);
		if (kcap_threads_find(t, res) || !parent)
			return;
		child = add_thread(t, res);
		if (!child)
			return;
		memcpy(child->comm, parent->comm, sizeof(child->comm));
		child->ptid = tid;
		set_str(&child->exe, parent->exe ? parent->exe : "");
		set_str(&child->cwd, parent->cwd ? parent->cwd : "");
		return;
	}
	child = (struct kcap_thread *)kcap_threads_find(t, tid);
	if (!child)
		child = add_thread(t, tid);
	if (!child)
		return;
	if (get_i64(ev, a->tid_pid, &v))
		child->pid = v;
	if (get_i64(ev, a->ptid, &v))
		child->ptid = v;
	if ((s = get_str(ev, a->exe)))
		set_str(&child->exe, s);
	if ((s = get_str(ev, a->comm)) || (s = child->exe ? base_name(child->exe) : NULL))
		snprintf(child->comm, sizeof(child->comm), "%s", s);
	if ((s = get_str(ev, a->cwd)))
		set_str(&child->cwd, s);
}

static void on_exec(struct kcap_threads *t, const struct kcap_evt *ev, const struct action_info *a)
{
	struct kcap_thread *th = (struct kcap_thread *)kcap_threads_find(t, kcap_evt_tid(ev));
	const char *s;
	int64_t res;

	if (!get_i64(ev, a->res, &res) || res != 0)
		return;
	if (!th && !(th = add_thread(t, kcap_evt_tid(ev))))
		return;
	if ((s = get_str(ev, a->exe)))
		set_str(&th->exe, s);
	if ((s = get_str(ev, a->comm)) || (s = th->exe ? base_name(th->exe) : NULL))
		snprintf(th->comm, sizeof(th->comm), "%s", s);
	if ((s = get_str(ev, a->cwd)))
		set_str(&th->cwd, s);
}

static const char *family_prefix(uint8_t family)
{
	switch (family) {
	case 1: return "<u>";
	case 2: return "<4>";
	case 10: return "<6>";
	default: return "<o>";
	}
}

/* An absolute version of path for thread tid: relative paths join the cwd. */
static const char *abs_path(struct kcap_threads *t, int64_t tid, const char *path)
{
	const struct kcap_thread *th = kcap_threads_find(t, tid);

	if (path[0] == '/' || !th || !th->cwd || !th->cwd[0])
		return path;
	kcap_sbuf_reset(&t->scratch);
	kcap_sbuf_puts(&t->scratch, th->cwd);
	if (th->cwd[strlen(th->cwd) - 1] != '/')
		kcap_sbuf_putc(&t->scratch, '/');
	kcap_sbuf_puts(&t->scratch, path);
	kcap_sbuf_putc(&t->scratch, '\0');
	return t->scratch.oom ? path : t->scratch.p;
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
	struct kcap_thread *th = (struct kcap_thread *)kcap_threads_find(t, kcap_evt_tid(ev));
	int64_t fd;

	if (th && get_i64(ev, a->fd, &fd))
		th->enter_fd = fd;
}

static void on_fd_event(struct kcap_threads *t, const struct kcap_evt *ev,
			const struct action_info *a)
{
	int64_t tid = kcap_evt_tid(ev), fd = -1, v;
	const uint8_t *tuple;
	uint32_t tuple_len;
	const char *s, *old;

	if (a->action == ACT_CLOSE) {
		if (get_i64(ev, a->fd, &fd) && (!get_i64(ev, a->res, &v) || v == 0)) {
			t->close_pending = true;
			t->close_pid = pid_of(t, tid);
			t->close_fd = fd;
		}
		return;
	}
	if (!get_i64(ev, a->fd, &fd) && !enter_fd(t, tid, a, &fd) && !get_i64(ev, a->res, &fd))
		return;
	if (a->action == ACT_DUP && get_i64(ev, a->res, &v) && v >= 0 && fd >= 0) {
		old = kcap_threads_fd_name(t, tid, fd);
		if (old && (s = strdup(old))) {
			set_fd(t, tid, v, "", s);
			free((char *)s);
		}
		return;
	}
	if (fd < 0)
		return;
	switch (a->action) {
	case ACT_OPEN:
		if ((s = get_str(ev, a->path)))
			set_fd(t, tid, fd, "<f>", abs_path(t, tid, s));
		break;
	case ACT_SOCKET: {
		uint32_t domain = 0;

		if (a->domain >= 0)
			kcap_evt_get_u32(ev, (uint32_t)a->domain, &domain);
		set_fd(t, tid, fd, family_prefix((uint8_t)domain), "");
		break;
	}
	case ACT_CONNECT:
	case ACT_ACCEPT:
		tuple = kcap_evt_param(ev, a->tuple, &tuple_len);
		if (!tuple_len)
			break;
		if (a->action == ACT_CONNECT && get_i64(ev, a->res, &v) && v < 0 && v != -115)
			break;	/* failed, but EINPROGRESS still connects */
		kcap_sbuf_reset(&t->scratch);
		kcap_fmt_param(&t->scratch, ev, (uint32_t)a->tuple, NULL, NULL);
		kcap_sbuf_putc(&t->scratch, '\0');
		if (!t->scratch.oom) {
			set_fd(t, tid, fd, family_prefix(tuple[0]), t->scratch.p);
		}
		break;
	case ACT_PIPE:
		set_fd(t, tid, fd, "<p>", "");
		if (get_i64(ev, a->fd2, &v) && v >= 0)
			set_fd(t, tid, v, "<p>", "");
		break;
	default:
		break;
	}
}

static void on_chdir(struct kcap_threads *t, const struct kcap_evt *ev, const struct action_info *a)
{
	struct kcap_thread *th = (struct kcap_thread *)kcap_threads_find(t, kcap_evt_tid(ev));
	const char *s;
	int64_t res, fd;

	if (!th || !get_i64(ev, a->res, &res) || res != 0)
		return;
	if (a->action == ACT_CHDIR) {
		if ((s = get_str(ev, a->path)))
			set_str(&th->cwd, abs_path(t, th->tid, s));
		return;
	}
	if (get_i64(ev, a->fd, &fd) && (s = kcap_threads_fd_name(t, th->tid, fd)) &&
	    strncmp(s, "<d>", 3) == 0)
		set_str(&th->cwd, s + 3);
}

static void apply_pending(struct kcap_threads *t)
{
	if (t->close_pending)
		map_del(&t->fds, t->close_pid, t->close_fd, free);
	if (t->exit_pending)
		map_del(&t->threads, t->exit_tid, 0, drop_thread);
	t->close_pending = t->exit_pending = false;
}

void kcap_threads_update(struct kcap_threads *t, const struct kcap_evt *ev)
{
	uint16_t type = kcap_evt_type(ev);
	const struct action_info *a;

	apply_pending(t);
	if (type >= PPM_EVENT_MAX)
		return;
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
	case ACT_NONE:
		if (PPME_IS_ENTER(type) && a->fd >= 0)
			remember_enter_fd(t, ev, a);
		break;
	default:
		on_fd_event(t, ev, a);
	}
}
