// SPDX-License-Identifier: MIT
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "shstr.h"

static const struct {
	const char *name;
	enum kcap_field_id id;
	bool numeric;
} g_fields[] = {
	{ "evt.num", KCAP_F_EVT_NUM, true },
	{ "evt.time", KCAP_F_EVT_TIME, false },
	{ "evt.rawtime", KCAP_F_EVT_RAWTIME, true },
	{ "evt.cpu", KCAP_F_EVT_CPU, true },
	{ "evt.dir", KCAP_F_EVT_DIR, false },
	{ "evt.type", KCAP_F_EVT_TYPE, false },
	{ "evt.args", KCAP_F_EVT_ARGS, false },
	{ "evt.res", KCAP_F_EVT_RES, false },
	{ "evt.rawres", KCAP_F_EVT_RAWRES, true },
	{ "evt.failed", KCAP_F_EVT_FAILED, false },
	{ "proc.name", KCAP_F_PROC_NAME, false },
	{ "proc.pid", KCAP_F_PROC_PID, true },
	{ "proc.ppid", KCAP_F_PROC_PPID, true },
	{ "proc.exe", KCAP_F_PROC_EXE, false },
	{ "proc.cwd", KCAP_F_PROC_CWD, false },
	{ "proc.cmdline", KCAP_F_PROC_CMDLINE, false },
	{ "thread.tid", KCAP_F_THREAD_TID, true },
	{ "user.uid", KCAP_F_USER_UID, true },
	{ "user.name", KCAP_F_USER_NAME, false },
	{ "group.gid", KCAP_F_GROUP_GID, true },
	{ "fd.num", KCAP_F_FD_NUM, true },
	{ "fd.name", KCAP_F_FD_NAME, false },
	{ "fd.type", KCAP_F_FD_TYPE, false },
	{ "fd.sip", KCAP_F_FD_SIP, false },
	{ "fd.dip", KCAP_F_FD_DIP, false },
	{ "fd.sport", KCAP_F_FD_SPORT, true },
	{ "fd.dport", KCAP_F_FD_DPORT, true },
	{ "fd.l4proto", KCAP_F_FD_L4PROTO, false },
	{ "container.id", KCAP_F_CONTAINER_ID, false },
};

#define NFIELDS (sizeof(g_fields) / sizeof(g_fields[0]))

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.';
}

/* evt.arg.NAME or evt.rawarg.NAME in the n bytes at s. */
static bool parse_arg(const char *s, size_t n, const char *prefix, enum kcap_field_id id,
		      struct kcap_field *f)
{
	size_t plen = strlen(prefix);

	if (n <= plen || strncmp(s, prefix, plen) || n - plen >= sizeof(f->arg) ||
	    memchr(s + plen, '.', n - plen))
		return false;
	f->id = id;
	memcpy(f->arg, s + plen, n - plen);
	return true;
}

size_t kcap_field_parse(const char *s, struct kcap_field *f)
{
	size_t n = 0, i;

	while (name_char(s[n]))
		n++;
	while (n && s[n - 1] == '.')	/* "%evt.type." ends a sentence */
		n--;
	memset(f, 0, sizeof(*f));
	if (parse_arg(s, n, "evt.arg.", KCAP_F_EVT_ARG, f) ||
	    parse_arg(s, n, "evt.rawarg.", KCAP_F_EVT_RAWARG, f))
		return n;
	for (i = 0; i < NFIELDS; i++) {
		if (strlen(g_fields[i].name) == n && !strncmp(s, g_fields[i].name, n)) {
			f->id = g_fields[i].id;
			return n;
		}
	}
	return 0;
}

bool kcap_field_is_numeric(const struct kcap_field *f)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (g_fields[i].id == f->id)
			return g_fields[i].numeric;
	return false;
}

static void set_int(struct kcap_fval *v, int64_t i)
{
	v->kind = KCAP_FVAL_INT;
	v->i = i;
}

static void set_str(struct kcap_fval *v, const char *s)
{
	v->kind = KCAP_FVAL_STR;
	v->s = s;
	v->len = strlen(s);
}

/* What was appended to scratch since start, as text. */
static void set_text(struct kcap_fval *v, struct kcap_sbuf *scratch, size_t start)
{
	if (scratch->oom) {
		v->kind = KCAP_FVAL_NA;
		return;
	}
	v->kind = KCAP_FVAL_TEXT;
	v->s = scratch->p ? scratch->p + start : "";
	v->len = scratch->len - start;
}

/* A little-endian integer of 1, 2, 4 or 8 bytes. */
static int64_t int_of(const uint8_t *p, uint32_t size, bool is_signed)
{
	uint64_t u = 0;
	uint32_t shift = 64 - 8 * size;

	memcpy(&u, p, size);
	if (!is_signed || size == 8)
		return (int64_t)u;
	return (int64_t)(u << shift) >> shift;
}

/* Parameter i of ev as a number when its type is one, else its raw string. */
static void raw_param(struct kcap_fval *v, const struct kcap_evt *ev, int i,
		      const struct kcap_threads *th, const struct kcap_fmt_opts *o,
		      struct kcap_sbuf *scratch)
{
	const struct ppm_param_info *pi = &g_event_info[kcap_evt_type(ev)].params[i];
	uint32_t len, size = kcap_param_fixed_size(pi->type);
	const uint8_t *p = kcap_evt_param(ev, i, &len);
	bool is_signed = pi->type == PT_INT8 || pi->type == PT_INT16 || pi->type == PT_INT32 ||
			 pi->type == PT_INT64 || pi->type == PT_ERRNO || pi->type == PT_FD ||
			 pi->type == PT_PID;
	size_t start = scratch->len;

	if (size && size <= 8 && len == size && (size & (size - 1)) == 0) {
		set_int(v, int_of(p, size, is_signed));
		return;
	}
	if ((pi->type == PT_CHARBUF || pi->type == PT_FSPATH || pi->type == PT_FSRELPATH) &&
	    len && !p[len - 1]) {
		v->kind = KCAP_FVAL_STR;
		v->s = (const char *)p;
		v->len = len - 1;
		return;
	}
	kcap_fmt_param(scratch, ev, (uint32_t)i, th, o);
	set_text(v, scratch, start);
}

static void arg_value(struct kcap_fval *v, const struct kcap_field *f, const struct kcap_evt *ev,
		      const struct kcap_threads *th, const struct kcap_fmt_opts *o,
		      struct kcap_sbuf *scratch)
{
	int i = kcap_evt_param_index(kcap_evt_type(ev), f->arg);
	size_t start = scratch->len;
	uint32_t len;

	if (i < 0 || !kcap_evt_param(ev, i, &len))
		return;
	if (f->id == KCAP_F_EVT_RAWARG) {
		raw_param(v, ev, i, th, o, scratch);
		return;
	}
	kcap_fmt_param(scratch, ev, (uint32_t)i, th, o);
	set_text(v, scratch, start);
}

/*
 * The return value of an exit event: its first parameter, as libs takes it,
 * when that is an 8-byte result (an errno, an fd, a pid); false otherwise.
 */
static bool rawres(const struct kcap_evt *ev, int64_t *res)
{
	uint16_t type = kcap_evt_type(ev);
	const struct ppm_event_info *row = type < KCAP_EVENT_MAX ? &g_event_info[type] : NULL;
	uint64_t v;

	if (!row || PPME_IS_ENTER(type) || !row->nparams ||
	    (row->params[0].type != PT_ERRNO && row->params[0].type != PT_FD &&
	     row->params[0].type != PT_PID) || !kcap_evt_get_u64(ev, 0, &v))
		return false;
	*res = (int64_t)v;
	return true;
}

static void res_value(struct kcap_fval *v, enum kcap_field_id id, const struct kcap_evt *ev)
{
	int64_t res;

	if (!rawres(ev, &res))
		return;
	if (id == KCAP_F_EVT_RAWRES)
		set_int(v, res);
	else if (id == KCAP_F_EVT_FAILED)
		set_str(v, res < 0 ? "true" : "false");
	else if (res >= 0)	/* as sysdig: SUCCESS, or the error's name */
		set_str(v, "SUCCESS");
	else
		set_str(v, kcap_errno_name(res) ? kcap_errno_name(res) : "<unknown error>");
}

/* fd.type from the letters of a name's "<...>" prefix, as sysdig names types. */
static const char *fd_type(const char *prefix, size_t n)
{
	static const struct {
		const char *letters, *type;
	} types[] = {
		{ "f", "file" }, { "d", "directory" }, { "u", "unix" }, { "p", "pipe" },
		{ "e", "event" }, { "s", "signalfd" }, { "l", "eventpoll" }, { "i", "inotify" },
		{ "t", "timerfd" }, { "n", "netlink" }, { "b", "bpf" }, { "r", "io_uring" },
		{ "m", "memfd" }, { "P", "pidfd" },
	};
	size_t i;

	if (n && prefix[0] == '4')
		return "ipv4";
	if (n && prefix[0] == '6')
		return "ipv6";
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i].letters) == n && !strncmp(prefix, types[i].letters, n))
			return types[i].type;
	return NULL;
}

/*
 * An address and port of an IP socket's name ("10.0.0.1:80->10.0.0.2:5000",
 * a server's "0.0.0.0:80"): side 0 the source, 1 the destination.
 */
static void ip_value(struct kcap_fval *v, bool port, int side, const char *name,
		     struct kcap_sbuf *scratch)
{
	const char *arrow = strstr(name, "->"), *s, *end, *colon;
	size_t start = scratch->len;

	if (side && !arrow)
		return;
	s = side ? arrow + 2 : name;
	end = side || !arrow ? s + strlen(s) : arrow;
	for (colon = end; colon > s && colon[-1] != ':'; colon--)
		;
	if (colon == s)
		return;
	if (port) {
		set_int(v, strtoll(colon, NULL, 10));
		return;
	}
	kcap_sbuf_put(scratch, s, (size_t)(colon - 1 - s));
	set_text(v, scratch, start);
}

static void fd_value(struct kcap_fval *v, enum kcap_field_id id, const struct kcap_evt *ev,
		     const struct kcap_threads *th, const struct kcap_thread *t,
		     struct kcap_sbuf *scratch)
{
	const char *name, *close, *type;
	size_t plen;
	int64_t fd;

	if (!kcap_event_fd(ev, t, &fd))
		return;
	if (id == KCAP_F_FD_NUM) {
		set_int(v, fd);
		return;
	}
	name = th ? kcap_threads_fd_name(th, kcap_evt_tid(ev), fd) : NULL;
	if (!name || name[0] != '<' || !(close = strchr(name, '>')))
		return;
	plen = (size_t)(close - name - 1);
	type = fd_type(name + 1, plen);
	if (type && !strcmp(type, "unix") && kcap_threads_fd_is_userfaultfd(name))
		type = "userfaultfd";	/* sysdig's letter for both */
	name = close + 1;
	switch (id) {
	case KCAP_F_FD_NAME:
		set_str(v, name);
		return;
	case KCAP_F_FD_TYPE:
		if (type)
			set_str(v, type);
		return;
	case KCAP_F_FD_L4PROTO:
		if (plen == 2 && (close[-1] == 't' || close[-1] == 'u'))
			set_str(v, close[-1] == 't' ? "tcp" : "udp");
		return;
	default:
		if (type && (type[3] == '4' || type[3] == '6'))	/* ipv4, ipv6 */
			ip_value(v, id == KCAP_F_FD_SPORT || id == KCAP_F_FD_DPORT,
				 id == KCAP_F_FD_DIP || id == KCAP_F_FD_DPORT, name, scratch);
	}
}

static void thread_value(struct kcap_fval *v, const struct kcap_field *f,
			 const struct kcap_evt *ev, const struct kcap_threads *th,
			 const struct kcap_thread *t, struct kcap_sbuf *scratch)
{
	const struct kcap_thread *parent;
	size_t start = scratch->len;
	const char *s, *end;

	if (!t)
		return;
	switch (f->id) {
	case KCAP_F_PROC_NAME:
		set_str(v, t->comm);
		return;
	case KCAP_F_PROC_PID:
		set_int(v, t->pid);
		return;
	case KCAP_F_PROC_PPID:
		if (!t->ptid)
			return;
		parent = kcap_threads_find(th, t->ptid);
		set_int(v, parent ? parent->pid : t->ptid);
		return;
	case KCAP_F_PROC_EXE:
	case KCAP_F_PROC_CWD:
		s = f->id == KCAP_F_PROC_EXE ? t->exe : t->cwd;
		if (s)
			set_str(v, s);
		return;
	case KCAP_F_PROC_CMDLINE:	/* as sysdig: the name, then the arguments */
		kcap_fmt_str(scratch, t->comm);
		for (s = t->args, end = s ? s + kcap_shstr_len(s) : NULL; s && s < end;
		     s += strlen(s) + 1) {
			kcap_sbuf_putc(scratch, ' ');
			kcap_fmt_str(scratch, s);
		}
		set_text(v, scratch, start);
		return;
	case KCAP_F_USER_UID:
	case KCAP_F_GROUP_GID:
		if ((f->id == KCAP_F_USER_UID ? t->uid : t->gid) >= 0)
			set_int(v, f->id == KCAP_F_USER_UID ? t->uid : t->gid);
		return;
	case KCAP_F_USER_NAME:
		s = t->uid >= 0 ? kcap_threads_user(th, (uint32_t)t->uid) : NULL;
		if (s)
			set_str(v, s);
		return;
	case KCAP_F_CONTAINER_ID:
		set_str(v, t->container[0] ? t->container : "host");
		return;
	default:
		fd_value(v, f->id, ev, th, t, scratch);
	}
}

void kcap_field_value(struct kcap_fval *v, const struct kcap_field *f, uint64_t num,
		      const struct kcap_evt *ev, const struct kcap_threads *th,
		      const struct kcap_fmt_opts *o, struct kcap_sbuf *scratch)
{
	size_t start = scratch->len;

	v->kind = KCAP_FVAL_NA;
	switch (f->id) {
	case KCAP_F_EVT_NUM:
		set_int(v, (int64_t)num);
		break;
	case KCAP_F_EVT_TIME:
		kcap_fmt_time(scratch, kcap_evt_ts(ev));
		set_text(v, scratch, start);
		break;
	case KCAP_F_EVT_RAWTIME:
		set_int(v, (int64_t)kcap_evt_ts(ev));
		break;
	case KCAP_F_EVT_CPU:
		set_int(v, ev->cpu);
		break;
	case KCAP_F_EVT_DIR:
		set_str(v, PPME_IS_ENTER(kcap_evt_type(ev)) ? ">" : "<");
		break;
	case KCAP_F_EVT_TYPE:
		set_str(v, kcap_fmt_event_name(ev));
		break;
	case KCAP_F_EVT_ARGS:
		kcap_fmt_params(scratch, ev, th, o);
		set_text(v, scratch, start);
		break;
	case KCAP_F_EVT_ARG:
	case KCAP_F_EVT_RAWARG:
		arg_value(v, f, ev, th, o, scratch);
		break;
	case KCAP_F_EVT_RES:
	case KCAP_F_EVT_RAWRES:
	case KCAP_F_EVT_FAILED:
		res_value(v, f->id, ev);
		break;
	case KCAP_F_THREAD_TID:
		set_int(v, kcap_evt_tid(ev));
		break;
	default:
		if (th && kcap_evt_type(ev) < KCAP_EVENT_MAX)
			thread_value(v, f, ev, th, kcap_threads_find(th, kcap_evt_tid(ev)), scratch);
	}
}

void kcap_field_text(struct kcap_sbuf *b, const struct kcap_field *f, uint64_t num,
		     const struct kcap_evt *ev, const struct kcap_threads *th,
		     const struct kcap_fmt_opts *o)
{
	struct kcap_fval v;

	/* Text values are appended to b itself: nothing left to do for them. */
	kcap_field_value(&v, f, num, ev, th, o, b);
	switch (v.kind) {
	case KCAP_FVAL_INT:
		kcap_sbuf_printf(b, "%" PRId64, v.i);
		break;
	case KCAP_FVAL_STR:
		kcap_fmt_str(b, v.s);
		break;
	case KCAP_FVAL_TEXT:
		break;
	default:
		kcap_sbuf_puts(b, "<NA>");
	}
}

static int add_piece(struct kcap_format *fmt, const struct kcap_format_piece *p)
{
	struct kcap_format_piece *np = realloc(fmt->pieces, (fmt->npieces + 1) * sizeof(*np));

	if (!np)
		return -1;
	fmt->pieces = np;
	fmt->pieces[fmt->npieces++] = *p;
	return 0;
}

int kcap_format_compile(const char *s, struct kcap_format *fmt, char *err, size_t errlen)
{
	size_t i = 0, start = 0;

	memset(fmt, 0, sizeof(*fmt));
	fmt->copy = strdup(s);
	if (!fmt->copy)
		goto oom;
	while (s[i]) {
		struct kcap_format_piece p = { .text = NULL };
		size_t n;

		if (s[i] != '%') {
			i++;
			continue;
		}
		if (i > start && add_piece(fmt, &(struct kcap_format_piece){
				.text = fmt->copy + start, .len = i - start }) < 0)
			goto oom;
		if (s[i + 1] == '%') {	/* "%%": the '%' starts the next literal */
			start = i + 1;
			i += 2;
			continue;
		}
		n = kcap_field_parse(s + i + 1, &p.field);
		if (!n) {
			snprintf(err, errlen, "column %zu: no field '%%%.*s' (e.g. %%evt.type, "
				 "%%proc.name, %%evt.arg.fd)", i + 1,
				 (int)strspn(s + i + 1, "abcdefghijklmnopqrstuvwxyz"
					     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_."), s + i + 1);
			kcap_format_free(fmt);
			return -1;
		}
		if (add_piece(fmt, &p) < 0)
			goto oom;
		i += 1 + n;
		start = i;
	}
	if (i > start && add_piece(fmt, &(struct kcap_format_piece){
			.text = fmt->copy + start, .len = i - start }) < 0)
		goto oom;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	kcap_format_free(fmt);
	return -1;
}

void kcap_format_line(struct kcap_sbuf *b, const struct kcap_format *fmt, uint64_t num,
		      const struct kcap_evt *ev, const struct kcap_threads *th,
		      const struct kcap_fmt_opts *o)
{
	size_t i;

	for (i = 0; i < fmt->npieces; i++) {
		const struct kcap_format_piece *p = &fmt->pieces[i];

		if (p->text)
			kcap_sbuf_put(b, p->text, p->len);
		else
			kcap_field_text(b, &p->field, num, ev, th, o);
	}
	kcap_sbuf_putc(b, '\n');
}

void kcap_format_free(struct kcap_format *fmt)
{
	free(fmt->pieces);
	free(fmt->copy);
	memset(fmt, 0, sizeof(*fmt));
}
