// SPDX-License-Identifier: MIT
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"

static const struct {
	const char *name;
	enum kcap_field_id id;
} g_fields[] = {
	{ "evt.num", KCAP_F_EVT_NUM },
	{ "evt.time", KCAP_F_EVT_TIME },
	{ "evt.rawtime", KCAP_F_EVT_RAWTIME },
	{ "evt.cpu", KCAP_F_EVT_CPU },
	{ "evt.dir", KCAP_F_EVT_DIR },
	{ "evt.type", KCAP_F_EVT_TYPE },
	{ "evt.args", KCAP_F_EVT_ARGS },
	{ "evt.res", KCAP_F_EVT_RES },
	{ "evt.rawres", KCAP_F_EVT_RAWRES },
	{ "evt.failed", KCAP_F_EVT_FAILED },
	{ "proc.name", KCAP_F_PROC_NAME },
	{ "proc.pid", KCAP_F_PROC_PID },
	{ "proc.ppid", KCAP_F_PROC_PPID },
	{ "proc.exe", KCAP_F_PROC_EXE },
	{ "proc.cwd", KCAP_F_PROC_CWD },
	{ "thread.tid", KCAP_F_THREAD_TID },
	{ "user.uid", KCAP_F_USER_UID },
	{ "user.name", KCAP_F_USER_NAME },
};

#define ARG_PREFIX "evt.arg."

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.';
}

size_t kcap_field_parse(const char *s, struct kcap_field *f)
{
	size_t n = 0, plen = strlen(ARG_PREFIX), i;

	while (name_char(s[n]))
		n++;
	while (n && s[n - 1] == '.')	/* "%evt.type." ends a sentence */
		n--;
	memset(f, 0, sizeof(*f));
	if (n > plen && !strncmp(s, ARG_PREFIX, plen) && n - plen < sizeof(f->arg) &&
	    !memchr(s + plen, '.', n - plen)) {
		f->id = KCAP_F_EVT_ARG;
		memcpy(f->arg, s + plen, n - plen);
		return n;
	}
	for (i = 0; i < sizeof(g_fields) / sizeof(g_fields[0]); i++) {
		if (strlen(g_fields[i].name) == n && !strncmp(s, g_fields[i].name, n)) {
			f->id = g_fields[i].id;
			return n;
		}
	}
	return 0;
}

/* Parameter named name of ev, formatted; false when the event has none. */
static bool put_arg(struct kcap_sbuf *b, const struct kcap_evt *ev, const char *name,
		    const struct kcap_threads *th, const struct kcap_fmt_opts *o)
{
	int i = kcap_evt_param_index(kcap_evt_type(ev), name);
	uint32_t len;

	if (i < 0 || !kcap_evt_param(ev, i, &len))
		return false;
	kcap_fmt_param(b, ev, (uint32_t)i, th, o);
	return true;
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

static bool put_thread_field(struct kcap_sbuf *b, const struct kcap_field *f,
			     const struct kcap_evt *ev, const struct kcap_threads *th)
{
	const struct kcap_thread *t = th ? kcap_threads_find(th, kcap_evt_tid(ev)) : NULL;
	const struct kcap_thread *parent;
	const char *s;

	if (!t)
		return false;
	switch (f->id) {
	case KCAP_F_PROC_NAME:
		kcap_fmt_str(b, t->comm);
		return true;
	case KCAP_F_PROC_PID:
		kcap_sbuf_printf(b, "%" PRId64, t->pid);
		return true;
	case KCAP_F_PROC_PPID:
		if (!t->ptid)
			return false;
		parent = kcap_threads_find(th, t->ptid);
		kcap_sbuf_printf(b, "%" PRId64, parent ? parent->pid : t->ptid);
		return true;
	case KCAP_F_PROC_EXE:
	case KCAP_F_PROC_CWD:
		s = f->id == KCAP_F_PROC_EXE ? t->exe : t->cwd;
		if (!s)
			return false;
		kcap_fmt_str(b, s);
		return true;
	case KCAP_F_USER_UID:
		if (t->uid < 0)
			return false;
		kcap_sbuf_printf(b, "%" PRId64, t->uid);
		return true;
	case KCAP_F_USER_NAME:
		s = t->uid >= 0 ? kcap_threads_user(th, (uint32_t)t->uid) : NULL;
		if (!s)
			return false;
		kcap_fmt_str(b, s);
		return true;
	default:
		return false;
	}
}

void kcap_field_text(struct kcap_sbuf *b, const struct kcap_field *f, uint64_t num,
		     const struct kcap_evt *ev, const struct kcap_threads *th,
		     const struct kcap_fmt_opts *o)
{
	bool known = true;
	int64_t res;

	switch (f->id) {
	case KCAP_F_EVT_NUM:
		kcap_sbuf_printf(b, "%" PRIu64, num);
		break;
	case KCAP_F_EVT_TIME:
		kcap_fmt_time(b, kcap_evt_ts(ev));
		break;
	case KCAP_F_EVT_RAWTIME:
		kcap_sbuf_printf(b, "%" PRIu64, kcap_evt_ts(ev));
		break;
	case KCAP_F_EVT_CPU:
		kcap_sbuf_printf(b, "%u", ev->cpu);
		break;
	case KCAP_F_EVT_DIR:
		kcap_sbuf_putc(b, PPME_IS_ENTER(kcap_evt_type(ev)) ? '>' : '<');
		break;
	case KCAP_F_EVT_TYPE:
		kcap_sbuf_puts(b, kcap_fmt_event_name(ev));
		break;
	case KCAP_F_EVT_ARGS:
		kcap_fmt_params(b, ev, th, o);
		break;
	case KCAP_F_EVT_ARG:
		known = put_arg(b, ev, f->arg, th, o);
		break;
	case KCAP_F_EVT_RES:	/* as sysdig: SUCCESS, or the error's name */
		known = rawres(ev, &res);
		if (known && res < 0 && kcap_errno_name(res))
			kcap_sbuf_puts(b, kcap_errno_name(res));
		else if (known)
			kcap_sbuf_puts(b, res < 0 ? "<unknown error>" : "SUCCESS");
		break;
	case KCAP_F_EVT_RAWRES:
		known = rawres(ev, &res);
		if (known)
			kcap_sbuf_printf(b, "%" PRId64, res);
		break;
	case KCAP_F_EVT_FAILED:
		known = rawres(ev, &res);
		if (known)
			kcap_sbuf_puts(b, res < 0 ? "true" : "false");
		break;
	case KCAP_F_THREAD_TID:
		kcap_sbuf_printf(b, "%" PRId64, kcap_evt_tid(ev));
		break;
	default:
		known = put_thread_field(b, f, ev, th);
	}
	if (!known)
		kcap_sbuf_puts(b, "<NA>");
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
