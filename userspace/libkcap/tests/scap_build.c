// SPDX-License-Identifier: MIT
#include <string.h>

#include "scap_build.h"
#include "threads.h"

void put_le(struct bytes *b, uint64_t v, int size)
{
	int i;

	for (i = 0; i < size; i++)
		b->data[b->len++] = (uint8_t)(v >> (8 * i));
}

void put_raw(struct bytes *b, const void *p, size_t n)
{
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void set_le32(struct bytes *b, size_t off, uint32_t v)
{
	size_t save = b->len;

	b->len = off;
	put_le(b, v, 4);
	b->len = save;
}

void put_shb(struct bytes *b, uint32_t magic, uint16_t major, uint16_t minor)
{
	put_le(b, 0x0A0D0D0A, 4);
	put_le(b, 28, 4);
	put_le(b, magic, 4);
	put_le(b, major, 2);
	put_le(b, minor, 2);
	put_le(b, UINT64_MAX, 8);
	put_le(b, 28, 4);
}

void put_close_block(struct bytes *b)
{
	put_le(b, 0x216, 4);
	put_le(b, 60, 4);
	put_le(b, 0, 2);		/* cpu */
	put_le(b, CLOSE_TS, 8);
	put_le(b, 1, 8);		/* tid */
	put_le(b, 46, 4);		/* len */
	put_le(b, 5, 2);		/* close exit */
	put_le(b, 2, 4);		/* nparams */
	put_le(b, 8, 2);
	put_le(b, 8, 2);
	put_le(b, 0, 8);		/* res */
	put_le(b, 3, 8);		/* fd */
	put_le(b, 60, 4);
}

void minimal_capture(struct bytes *b)
{
	b->len = 0;
	put_shb(b, 0x1A2B3C4D, 1, 2);
	put_close_block(b);
}

#include <criterion/criterion.h>
#include <stdarg.h>

void build_event(struct bytes *b, struct kcap_evt *ev, uint16_t type, int64_t tid, ...)
{
	const struct ppm_event_info *info = &g_event_info[type];
	const void *val[PPM_MAX_EVENT_PARAMS] = { 0 };
	uint32_t len[PPM_MAX_EVENT_PARAMS] = { 0 }, total = 0, i;
	unsigned width = kcap_evt_len_width(type);
	const char *why = NULL;
	const char *name;
	va_list ap;

	va_start(ap, tid);
	while ((name = va_arg(ap, const char *))) {
		int k = kcap_evt_param_index(type, name);
		const void *p = va_arg(ap, const void *);
		uint32_t n = va_arg(ap, uint32_t);

		cr_assert_geq(k, 0, "event %s has no parameter %s", info->name, name);
		val[k] = p;
		len[k] = n;
	}
	va_end(ap);
	for (i = 0; i < info->nparams; i++)
		total += len[i];
	b->len = 0;
	put_le(b, CLOSE_TS, 8);
	put_le(b, (uint64_t)tid, 8);
	put_le(b, 26 + info->nparams * width + total, 4);
	put_le(b, type, 2);
	put_le(b, info->nparams, 4);
	for (i = 0; i < info->nparams; i++)
		put_le(b, len[i], (int)width);
	for (i = 0; i < info->nparams; i++)
		if (len[i])
			put_raw(b, val[i], len[i]);
	cr_assert_eq(kcap_evt_parse(b->data, b->len, ev, &why), 0, "%s", why);
	ev->cpu = 0;
	ev->flags = 0;
}

uint64_t blocks_read(const struct kcap_reader_stats *st, uint32_t type)
{
	uint32_t i;

	for (i = 0; i < st->nkinds; i++)
		if (st->kinds[i].type == type)
			return st->kinds[i].count;
	return 0;
}

struct kcap_proc *build_proc(struct kcap_meta *m, int64_t tid)
{
	struct kcap_proc *p = kcap_meta_add_proc(m);

	cr_assert_not_null(p);
	p->tid = tid;
	p->pid = 77;
	p->ptid = 1;
	p->uid = 1000;
	cr_assert_eq(kcap_blob_set(&p->comm, "cat", 3), 0);
	cr_assert_eq(kcap_blob_set(&p->exe, "/bin/cat", 8), 0);
	cr_assert_eq(kcap_blob_set(&p->cwd, "/tmp", 4), 0);
	return p;
}

void build_user(struct kcap_meta *m)
{
	struct kcap_user *u = kcap_meta_add_user(m);

	cr_assert_not_null(u);
	u->uid = 1000;
	cr_assert_eq(kcap_blob_set(&u->name, "alice", 5), 0);
}

struct kcap_threads *build_threads(int64_t tid)
{
	struct kcap_threads *th = kcap_threads_new();
	struct kcap_meta m;

	cr_assert_not_null(th);
	kcap_meta_init(&m);
	build_proc(&m, 77);
	if (tid != 77)
		build_proc(&m, tid);
	build_user(&m);
	cr_assert_eq(kcap_threads_load(th, &m), 0);
	kcap_meta_free(&m);
	return th;
}
