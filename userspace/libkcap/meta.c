// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "shstr.h"

void kcap_meta_init(struct kcap_meta *m)
{
	memset(m, 0, sizeof(*m));
}

int kcap_blob_set(struct kcap_blob *b, const void *data, size_t len)
{
	char *p = kcap_shstr_new(data, len);

	if (!p)
		return -1;
	kcap_shstr_unref(b->data);
	b->data = p;
	b->len = (uint32_t)len;
	return 0;
}

void kcap_blob_share(struct kcap_blob *dst, const struct kcap_blob *src)
{
	char *p = kcap_shstr_ref(src->data);

	kcap_shstr_unref(dst->data);
	dst->data = p;
	dst->len = src->len;
}

bool kcap_blob_equal(const struct kcap_blob *b, const void *data, size_t len)
{
	return b->len == len && (!len || !memcmp(b->data, data, len));
}

void kcap_blob_free(struct kcap_blob *b)
{
	kcap_shstr_unref(b->data);
	b->data = NULL;
	b->len = 0;
}

void kcap_meta_free_proc(struct kcap_proc *p)
{
	struct kcap_blob *blobs[] = { &p->comm, &p->exe, &p->exepath, &p->args, &p->cwd,
				      &p->env, &p->cgroups, &p->root };
	size_t i;

	for (i = 0; i < sizeof(blobs) / sizeof(blobs[0]); i++)
		kcap_blob_free(blobs[i]);
}

void kcap_meta_free_user(struct kcap_user *u)
{
	kcap_blob_free(&u->name);
	kcap_blob_free(&u->homedir);
	kcap_blob_free(&u->shell);
}

void kcap_meta_free(struct kcap_meta *m)
{
	size_t i;

	for (i = 0; i < m->nprocs; i++)
		kcap_meta_free_proc(&m->procs[i]);
	for (i = 0; i < m->nfds; i++)
		kcap_blob_free(&m->fds[i].name);
	for (i = 0; i < m->nifaces; i++)
		kcap_blob_free(&m->ifaces[i].name);
	for (i = 0; i < m->nusers; i++)
		kcap_meta_free_user(&m->users[i]);
	free(m->procs);
	free(m->fds);
	free(m->ifaces);
	free(m->users);
	kcap_meta_init(m);
}

/* Grows *arr by one zeroed element of size elem; NULL when out of memory. */
static void *grow(void **arr, size_t *n, size_t *cap, size_t elem)
{
	char *p;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;

		p = realloc(*arr, ncap * elem);
		if (!p)
			return NULL;
		*arr = p;
		*cap = ncap;
	}
	p = (char *)*arr + (*n)++ * elem;
	memset(p, 0, elem);
	return p;
}

struct kcap_proc *kcap_meta_add_proc(struct kcap_meta *m)
{
	return grow((void **)&m->procs, &m->nprocs, &m->procs_cap, sizeof(*m->procs));
}

struct kcap_fd *kcap_meta_add_fd(struct kcap_meta *m)
{
	return grow((void **)&m->fds, &m->nfds, &m->fds_cap, sizeof(*m->fds));
}

struct kcap_iface *kcap_meta_add_iface(struct kcap_meta *m)
{
	return grow((void **)&m->ifaces, &m->nifaces, &m->ifaces_cap, sizeof(*m->ifaces));
}

struct kcap_user *kcap_meta_add_user(struct kcap_meta *m)
{
	return grow((void **)&m->users, &m->nusers, &m->users_cap, sizeof(*m->users));
}

void kcap_proc_defaults(struct kcap_proc *p)
{
	p->sid = -1;
	p->vpgid = -1;
	p->pgid = -1;
	p->vtid = -1;
	p->vpid = -1;
	p->loginuid = 0xFFFFFFFFu;
}
