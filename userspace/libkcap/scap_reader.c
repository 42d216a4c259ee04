// SPDX-License-Identifier: MIT
/*
 * The .scap reader. Blocks are read into one buffer that grows only while it
 * is full of real data, so a lying length can never make it allocate more
 * than twice what the file holds. Every length is checked before it is used.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scap_blocks.h"
#include "own_events.h"
#include "scap_reader.h"
#include "shstr.h"
#include "source.h"

#define BUF_INITIAL (1u << 20)
#define BUF_SMALL (64u << 10)

struct kcap_reader {
	char name[256];
	struct kcap_source src;
	uint8_t *buf;
	size_t cap, head, tail;		/* unconsumed data is buf[head, tail) */
	uint64_t buf_offset;		/* stream offset of buf[0] */
	bool eof;
	bool in_section;		/* an SHB has been read */
	uint16_t major, minor;
	uint32_t section;
	struct kcap_meta meta;
	size_t meta_bytes;		/* what this section's metadata holds */
	uint8_t *scratch;		/* V1 events converted to V2 */
	size_t scratch_cap;
	uint8_t *own;			/* kcap's own events, out of their asyncevents */
	size_t own_cap;
	struct kcap_reader_stats stats;
	char err[768];
};

/* Bounds-checked little-endian cursor over a block body. */
struct cursor {
	const uint8_t *p;
	size_t left;
	const uint8_t *base;		/* start of the block, for offsets */
};

static int fail(struct kcap_reader *r, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct kcap_reader *r, uint64_t off, const char *fmt, ...)
{
	char what[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(r->err, sizeof(r->err), "%s: offset %llu: %s", r->name,
		 (unsigned long long)off, what);
	return -1;
}

static uint64_t cur_offset(const struct kcap_reader *r, const struct cursor *c)
{
	return r->buf_offset + (uint64_t)(c->base - r->buf) + (uint64_t)(c->p - c->base);
}

static bool take(struct cursor *c, void *out, size_t n)
{
	if (c->left < n)
		return false;
	memcpy(out, c->p, n);
	c->p += n;
	c->left -= n;
	return true;
}

static bool skip(struct cursor *c, size_t n)
{
	if (c->left < n)
		return false;
	c->p += n;
	c->left -= n;
	return true;
}

static uint16_t le16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static uint32_t le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* ---- buffer ---------------------------------------------------------- */

/* Small inputs get a small first buffer: fuzzing opens thousands a second. */
static size_t first_buf_size(const struct kcap_reader *r)
{
	if (r->src.gzip || !r->src.raw_size || r->src.raw_size >= BUF_INITIAL)
		return BUF_INITIAL;
	return r->src.raw_size < BUF_SMALL ? BUF_SMALL : (size_t)r->src.raw_size;
}

static int grow_buf(struct kcap_reader *r)
{
	size_t ncap = r->cap ? r->cap * 2 : first_buf_size(r);
	uint8_t *nb;

	if (r->head > 0) {
		memmove(r->buf, r->buf + r->head, r->tail - r->head);
		r->buf_offset += r->head;
		r->tail -= r->head;
		r->head = 0;
		if (r->tail < r->cap)
			return 0;
	}
	nb = realloc(r->buf, ncap);
	if (!nb)
		return fail(r, r->buf_offset, "out of memory for a %zu-byte buffer", ncap);
	r->buf = nb;
	r->cap = ncap;
	return 0;
}

/* Makes need bytes available at head: 1 when they are, 0 at EOF, -1. */
static int fill(struct kcap_reader *r, size_t need)
{
	while (r->tail - r->head < need) {
		ssize_t got;

		if (r->eof)
			return 0;
		if (r->tail == r->cap && grow_buf(r) < 0)
			return -1;
		got = kcap_source_read(&r->src, r->buf + r->tail, r->cap - r->tail);
		if (got < 0)
			return fail(r, r->buf_offset + r->tail, "%s", r->src.err);
		if (got == 0)
			r->eof = true;
		r->tail += (size_t)got;
		r->stats.bytes += (uint64_t)got;
	}
	return 1;
}

/* ---- open / close ---------------------------------------------------- */

static struct kcap_reader *reader_new(const char *name)
{
	struct kcap_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	snprintf(r->name, sizeof(r->name), "%s", name);
	kcap_meta_init(&r->meta);
	return r;
}

struct kcap_reader *kcap_reader_open(const char *path, char *err, size_t errlen)
{
	struct kcap_reader *r = reader_new(path);

	if (!r) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (kcap_source_open_file(&r->src, path) < 0) {
		snprintf(err, errlen, "%s: %s", path, r->src.err);
		free(r);
		return NULL;
	}
	return r;
}

struct kcap_reader *kcap_reader_open_mem(const void *data, size_t size, const char *name,
					 char *err, size_t errlen)
{
	struct kcap_reader *r = reader_new(name);

	if (!r) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	if (kcap_source_open_mem(&r->src, data, size) < 0) {
		snprintf(err, errlen, "%s: %s", name, r->src.err);
		free(r);
		return NULL;
	}
	return r;
}

void kcap_reader_close(struct kcap_reader *r)
{
	if (!r)
		return;
	kcap_source_close(&r->src);
	kcap_meta_free(&r->meta);
	free(r->buf);
	free(r->scratch);
	free(r->own);
	free(r);
}

const char *kcap_reader_error(const struct kcap_reader *r)
{
	return r->err;
}

const struct kcap_meta *kcap_reader_meta(const struct kcap_reader *r)
{
	return &r->meta;
}

uint32_t kcap_reader_section(const struct kcap_reader *r)
{
	return r->section;
}

const struct kcap_reader_stats *kcap_reader_stats(const struct kcap_reader *r)
{
	return &r->stats;
}

void kcap_reader_version(const struct kcap_reader *r, uint16_t *major, uint16_t *minor)
{
	*major = r->major;
	*minor = r->minor;
}

static void count_block(struct kcap_reader *r, uint32_t type)
{
	struct kcap_reader_stats *s = &r->stats;
	uint32_t i;

	s->blocks++;
	for (i = 0; i < s->nkinds; i++) {
		if (s->kinds[i].type == type) {
			s->kinds[i].count++;
			return;
		}
	}
	if (s->nkinds < KCAP_MAX_BLOCK_KINDS) {
		s->kinds[s->nkinds].type = type;
		s->kinds[s->nkinds++].count = 1;
	}
}

/* ---- section header -------------------------------------------------- */

static int read_shb(struct kcap_reader *r, struct cursor *c, uint32_t len)
{
	uint32_t magic = 0;
	uint16_t major = 0, minor = 0;

	if (len < 28)
		return fail(r, cur_offset(r, c) - 8,
			    "section header block length %u, at least 28 expected", len);
	take(c, &magic, 4);
	take(c, &major, 2);
	take(c, &minor, 2);
	if (magic == 0x4D3C2B1Au)
		return fail(r, cur_offset(r, c) - 8,
			    "byte-swapped section header (big-endian file), not supported");
	if (magic != SCAP_SHB_MAGIC)
		return fail(r, cur_offset(r, c) - 8,
			    "wrong magic 0x%08x in section header, 0x1a2b3c4d expected", magic);
	if (major > SCAP_SHB_MAJOR)
		return fail(r, cur_offset(r, c) - 4,
			    "unsupported .scap version %u.%u (major above %u)", major, minor,
			    SCAP_SHB_MAJOR);
	/* A new section replaces the metadata of the previous one. */
	kcap_meta_free(&r->meta);
	r->meta_bytes = 0;
	r->major = major;
	r->minor = minor;
	r->in_section = true;
	r->section++;
	r->stats.sections++;
	return 0;
}

/* ---- machine info ---------------------------------------------------- */

static int read_mi(struct kcap_reader *r, struct cursor *c, uint32_t len)
{
	struct kcap_machine *m = &r->meta.machine;

	if (len != 12 + SCAP_MI_BODY_SIZE)
		return fail(r, cur_offset(r, c) - 8, "machine info block length %u, 192 expected",
			    len);
	take(c, &m->num_cpus, 4);
	take(c, &m->memory_size_bytes, 8);
	take(c, &m->max_pid, 8);
	take(c, m->hostname, 128);
	m->hostname[127] = '\0';
	take(c, &m->boot_ts_epoch, 8);
	take(c, &m->flags, 8);
	take(c, &m->reserved3, 8);
	take(c, &m->reserved4, 8);
	m->present = true;
	return 0;
}

/* ---- strings --------------------------------------------------------- */

/* Room for one more metadata entry in this section (KCAP_META_MAX_BYTES). */
static bool meta_room(const struct kcap_reader *r)
{
	return r->meta_bytes < KCAP_META_MAX_BYTES;
}

/* Sets b to n bytes at s, shared with like when like says the same. */
static int set_blob(struct kcap_reader *r, struct kcap_blob *b, const uint8_t *s, size_t n,
		    const struct kcap_blob *like)
{
	if (like && like->data && kcap_blob_equal(like, s, n)) {
		kcap_blob_share(b, like);
		return 0;
	}
	if (kcap_blob_set(b, s, n) < 0)
		return -1;
	r->meta_bytes += kcap_shstr_cost(n);
	return 0;
}

/*
 * lstr16 of at most max bytes; lbuf adds a final NUL when it is missing.
 * Threads of one process repeat their strings: like is the same field of
 * the entry before, shared when equal.
 */
static int take_str(struct kcap_reader *r, struct cursor *c, struct kcap_blob *b, uint32_t max,
		    bool lbuf, const struct kcap_blob *like, const char *what)
{
	uint64_t off = cur_offset(r, c);
	uint16_t n;
	const uint8_t *s;

	if (!take(c, &n, 2))
		return fail(r, off, "%s length runs past its entry", what);
	if (n > max)
		return fail(r, off, "%s of %u bytes, at most %u allowed", what, n, max);
	s = c->p;
	if (!skip(c, n))
		return fail(r, off, "%s of %u bytes runs past its entry", what, n);
	if (lbuf && n > 0 && s[n - 1] != '\0') {
		if (like && like->len == n + 1u && !memcmp(like->data, s, n)) {
			kcap_blob_share(b, like);
			return 0;
		}
		if (kcap_blob_set(b, s, n + 1u) < 0)
			return fail(r, off, "out of memory");
		b->data[n] = '\0';
		r->meta_bytes += kcap_shstr_cost(n + 1u);
		return 0;
	}
	if (set_blob(r, b, s, n, like) < 0)
		return fail(r, off, "out of memory");
	return 0;
}

/* ---- process list ---------------------------------------------------- */

static int pl_version(uint32_t type)
{
	switch (type) {
	case SCAP_PL_V1: case SCAP_PL_V1_LEGACY: return 1;
	case SCAP_PL_V2: case SCAP_PL_V2_LEGACY: return 2;
	case SCAP_PL_V3: case SCAP_PL_V3_LEGACY: return 3;
	case SCAP_PL_V4: return 4;
	case SCAP_PL_V5: return 5;
	case SCAP_PL_V6: return 6;
	case SCAP_PL_V7: return 7;
	case SCAP_PL_V8: return 8;
	case SCAP_PL_V9: return 9;
	default: return 0;
	}
}

#define TAKE(c, field) do { if (!take((c), &(field), sizeof(field))) goto short_entry; } while (0)
#define STR(c, field, max, lbuf) STR_LIKE(c, field, max, lbuf, NULL)
#define STR_LIKE(c, field, max, lbuf, like) \
	do { if (take_str(r, (c), &(field), (max), (lbuf), (like), #field) < 0) return -1; } while (0)
#define PREV(field) (prev ? &prev->field : NULL)

/* Fields 1-25 of PL_V9, present from the version given in SCAP-FORMAT 7.3. */
static int pl_fields(struct kcap_reader *r, struct cursor *c, int v, struct kcap_proc *p,
		     const struct kcap_proc *prev)
{
	uint64_t off = cur_offset(r, c);

	TAKE(c, p->tid);
	TAKE(c, p->pid);
	TAKE(c, p->ptid);
	if (v >= 6)
		TAKE(c, p->sid);
	if (v >= 8)
		TAKE(c, p->vpgid);
	STR_LIKE(c, p->comm, SCAP_MAX_PATH_SIZE, false, PREV(comm));
	STR_LIKE(c, p->exe, SCAP_MAX_PATH_SIZE, false, PREV(exe));
	if (v >= 7)
		STR_LIKE(c, p->exepath, SCAP_MAX_PATH_SIZE, false, PREV(exepath));
	STR_LIKE(c, p->args, SCAP_MAX_ARGS_SIZE, true, PREV(args));
	STR_LIKE(c, p->cwd, SCAP_MAX_PATH_SIZE, false, PREV(cwd));
	TAKE(c, p->fdlimit);
	TAKE(c, p->flags);
	TAKE(c, p->uid);
	TAKE(c, p->gid);
	if (v >= 2) {
		TAKE(c, p->vmsize_kb);
		TAKE(c, p->vmrss_kb);
		TAKE(c, p->vmswap_kb);
		TAKE(c, p->pfmajor);
		TAKE(c, p->pfminor);
	}
	if (v >= 3)
		STR_LIKE(c, p->env, SCAP_MAX_ARGS_SIZE, true, PREV(env));
	if (v >= 4) {
		TAKE(c, p->vtid);
		TAKE(c, p->vpid);
		STR_LIKE(c, p->cgroups, SCAP_MAX_ARGS_SIZE, true, PREV(cgroups));
	}
	if (v >= 5)
		STR_LIKE(c, p->root, SCAP_MAX_PATH_SIZE, false, PREV(root));
	return 0;
short_entry:
	return fail(r, off, "process list entry runs past its end");
}

/* Each optional field is read only when it fits (SCAP-FORMAT 7.2). */
#define OPT(c, field) do { if (!take((c), &(field), sizeof(field))) return; } while (0)

static void pl_v9_tail(struct cursor *c, struct kcap_proc *p)
{
	if (c->left > 29) {
		OPT(c, p->pidns_init_start_ts);
		OPT(c, p->tty);
	}
	OPT(c, p->loginuid);
	OPT(c, p->exe_writable);
	OPT(c, p->cap_inheritable);
	OPT(c, p->cap_permitted);
	OPT(c, p->cap_effective);
	OPT(c, p->exe_upper_layer);
	OPT(c, p->exe_ino);
	OPT(c, p->exe_ino_ctime);
	OPT(c, p->exe_ino_mtime);
	OPT(c, p->exe_from_memfd);
	OPT(c, p->exe_lower_layer);
	OPT(c, p->pgid);
}

/* One process list entry into p; 0, or -1 with the error set. */
static int pl_entry(struct kcap_reader *r, struct cursor *c, int v, struct kcap_proc *p,
		    const struct kcap_proc *prev)
{
	uint64_t off = cur_offset(r, c);
	struct cursor entry;
	uint32_t elen = 0;

	kcap_proc_defaults(p);
	if (v < 9)
		return pl_fields(r, c, v, p, prev);
	take(c, &elen, 4);
	if (elen < 4 || elen - 4 > c->left)
		return fail(r, off, "process list entry length %u runs past the block", elen);
	entry = (struct cursor){ c->p, elen - 4, c->base };
	skip(c, elen - 4);
	if (pl_fields(r, &entry, 9, p, prev) < 0)
		return -1;
	pl_v9_tail(&entry, p);
	return 0;
}

/*
 * Entries past the section's metadata limit are read (the framing is still
 * checked) into a scratch entry and dropped, and counted.
 */
static int read_pl(struct kcap_reader *r, struct cursor *c, int v)
{
	while (c->left >= 4) {
		struct kcap_proc spare = { 0 }, *p = &spare, *prev = NULL;
		int rc;

		if (meta_room(r)) {
			p = kcap_meta_add_proc(&r->meta);
			if (!p)
				return fail(r, cur_offset(r, c), "out of memory");
			if (r->meta.nprocs > 1)
				prev = &r->meta.procs[r->meta.nprocs - 2];
			r->meta_bytes += sizeof(*p);
		}
		rc = pl_entry(r, c, v, p, prev);
		if (p == &spare) {
			kcap_meta_free_proc(&spare);
			r->stats.meta_cut++;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- fd list --------------------------------------------------------- */

static bool fd_type_has_name_only(uint8_t type)
{
	switch (type) {
	case KCAP_FD_FILE: case KCAP_FD_DIRECTORY: case KCAP_FD_FIFO: case KCAP_FD_EVENT:
	case KCAP_FD_UNSUPPORTED: case KCAP_FD_SIGNALFD: case KCAP_FD_EVENTPOLL:
	case KCAP_FD_INOTIFY: case KCAP_FD_TIMERFD: case KCAP_FD_NETLINK: case KCAP_FD_BPF:
	case KCAP_FD_USERFAULTFD: case KCAP_FD_IOURING: case KCAP_FD_MEMFD: case KCAP_FD_PIDFD:
		return true;
	default:
		return false;
	}
}

/* The type-specific payload; 1 when parsed, 0 for an unknown type, -1. */
static int fd_payload(struct kcap_reader *r, struct cursor *c, struct kcap_fd *f, bool v2)
{
	uint64_t off = cur_offset(r, c);

	if (fd_type_has_name_only(f->type)) {
		STR(c, f->name, SCAP_MAX_PATH_SIZE - 1, false);
		return 1;
	}
	switch (f->type) {
	case KCAP_FD_UNKNOWN:
		return 1;
	case KCAP_FD_IPV4_SOCK:
		if (!take(c, f->sip, 4) || !take(c, f->dip, 4))
			goto short_entry;
		TAKE(c, f->sport);
		TAKE(c, f->dport);
		TAKE(c, f->l4proto);
		return 1;
	case KCAP_FD_IPV6_SOCK:
		if (!take(c, f->sip, 16) || !take(c, f->dip, 16))
			goto short_entry;
		TAKE(c, f->sport);
		TAKE(c, f->dport);
		TAKE(c, f->l4proto);
		return 1;
	case KCAP_FD_IPV4_SERVSOCK:
		if (!take(c, f->sip, 4))
			goto short_entry;
		TAKE(c, f->sport);
		TAKE(c, f->l4proto);
		return 1;
	case KCAP_FD_IPV6_SERVSOCK:
		if (!take(c, f->sip, 16))
			goto short_entry;
		TAKE(c, f->sport);
		TAKE(c, f->l4proto);
		return 1;
	case KCAP_FD_UNIX_SOCK:
		TAKE(c, f->unix_src);
		TAKE(c, f->unix_dst);
		STR(c, f->name, SCAP_MAX_PATH_SIZE - 1, false);
		return 1;
	case KCAP_FD_FILE_V2:
		TAKE(c, f->open_flags);
		STR(c, f->name, SCAP_MAX_PATH_SIZE - 1, false);
		f->has_dev = v2 && take(c, &f->dev, 4);
		return 1;
	default:
		return 0;
	}
short_entry:
	return fail(r, off, "fd list entry runs past its end");
}

static int fdl_entry(struct kcap_reader *r, struct cursor *c, bool v2, struct kcap_fd *f)
{
	uint64_t off = cur_offset(r, c);
	struct cursor entry = *c;
	int known;

	if (v2) {
		uint32_t elen = 0;

		take(c, &elen, 4);
		if (elen < 4 || elen - 4 > c->left)
			return fail(r, off, "fd list entry length %u runs past the block", elen);
		entry = (struct cursor){ c->p, elen - 4, c->base };
		skip(c, elen - 4);
	}
	if (!take(&entry, &f->fd, 8) || !take(&entry, &f->ino, 8) || !take(&entry, &f->type, 1))
		return fail(r, off, "fd list entry runs past its end");
	known = fd_payload(r, &entry, f, v2);
	if (known < 0)
		return -1;
	if (!known) {
		char name[32];

		if (!v2)
			return fail(r, off, "unknown fd type %u in a version 1 fd list", f->type);
		/* As libs: kept as an unsupported fd that says what it was. */
		snprintf(name, sizeof(name), "unknown-type:[%u]", f->type);
		f->type = KCAP_FD_UNSUPPORTED;
		if (set_blob(r, &f->name, (const uint8_t *)name, strlen(name), NULL) < 0)
			return fail(r, off, "out of memory");
	}
	if (!v2)
		*c = entry;
	return 0;
}

static int read_fdl(struct kcap_reader *r, struct cursor *c, bool v2)
{
	int64_t tid;

	if (!take(c, &tid, 8))
		return fail(r, cur_offset(r, c), "fd list block without its thread id");
	while (c->left >= 4) {
		struct kcap_fd spare = { 0 }, *f = &spare;
		int rc;

		if (meta_room(r)) {
			f = kcap_meta_add_fd(&r->meta);
			if (!f)
				return fail(r, cur_offset(r, c), "out of memory");
			r->meta_bytes += sizeof(*f);
		}
		f->owner_tid = tid;
		rc = fdl_entry(r, c, v2, f);
		if (f == &spare) {
			kcap_blob_free(&spare.name);
			r->stats.meta_cut++;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- interface list -------------------------------------------------- */

static int iface_entry(struct kcap_reader *r, struct cursor *c, struct kcap_iface *i)
{
	uint64_t off = cur_offset(r, c);
	size_t alen;
	uint16_t nlen;

	TAKE(c, i->type);
	TAKE(c, nlen);
	if (i->type < KCAP_IF_IPV4 || i->type > KCAP_IF_IPV6_NOLINKSPEED)
		return fail(r, off, "unknown interface type %u", i->type);
	if (nlen >= SCAP_MAX_PATH_SIZE)
		return fail(r, off, "interface name of %u bytes", nlen);
	alen = (i->type == KCAP_IF_IPV4 || i->type == KCAP_IF_IPV4_NOLINKSPEED) ? 4 : 16;
	if (!take(c, i->addr, alen) || !take(c, i->netmask, alen) || !take(c, i->bcast, alen))
		goto short_entry;
	if (i->type <= KCAP_IF_IPV6)
		TAKE(c, i->linkspeed);
	if (c->left < nlen)
		goto short_entry;
	if (set_blob(r, &i->name, c->p, nlen, NULL) < 0)
		return fail(r, off, "out of memory");
	skip(c, nlen);
	/* The old layouts only lack the link speed: keep one type per family. */
	if (i->type == KCAP_IF_IPV4_NOLINKSPEED)
		i->type = KCAP_IF_IPV4;
	else if (i->type == KCAP_IF_IPV6_NOLINKSPEED)
		i->type = KCAP_IF_IPV6;
	return 0;
short_entry:
	return fail(r, off, "interface entry runs past its end");
}

static int read_il(struct kcap_reader *r, struct cursor *c, bool v2)
{
	while (c->left >= 4) {
		struct kcap_iface spare = { 0 }, *i = &spare;
		uint64_t off = cur_offset(r, c);
		struct cursor entry = *c;
		int rc;

		if (v2) {
			uint32_t elen = 0;	/* does not count itself */

			take(c, &elen, 4);
			if (elen > c->left)
				return fail(r, off, "interface entry length %u runs past the block",
					    elen);
			entry = (struct cursor){ c->p, elen, c->base };
			skip(c, elen);
		}
		if (meta_room(r)) {
			i = kcap_meta_add_iface(&r->meta);
			if (!i)
				return fail(r, off, "out of memory");
			r->meta_bytes += sizeof(*i);
		}
		rc = iface_entry(r, &entry, i);
		if (i == &spare) {
			kcap_blob_free(&spare.name);
			r->stats.meta_cut++;
		}
		if (rc < 0)
			return -1;
		if (!v2)
			*c = entry;
	}
	return 0;
}

/* ---- user list ------------------------------------------------------- */

static int user_entry(struct kcap_reader *r, struct cursor *c, struct kcap_user *u)
{
	uint64_t off = cur_offset(r, c);
	uint8_t type;

	TAKE(c, type);
	u->is_group = type != 0;
	if (!u->is_group)
		TAKE(c, u->uid);
	TAKE(c, u->gid);
	STR(c, u->name, SCAP_MAX_USER_STR, false);
	if (!u->is_group) {
		STR(c, u->homedir, SCAP_MAX_USER_STR, false);
		STR(c, u->shell, SCAP_MAX_USER_STR, false);
	}
	return 0;
short_entry:
	return fail(r, off, "user list entry runs past its end");
}

static int read_ul(struct kcap_reader *r, struct cursor *c, bool v2)
{
	while (c->left >= 4) {
		struct kcap_user spare = { 0 }, *u = &spare;
		uint64_t off = cur_offset(r, c);
		struct cursor entry = *c;
		int rc;

		if (v2) {
			uint32_t elen = 0;	/* counts itself */

			take(c, &elen, 4);
			if (elen < 4 || elen - 4 > c->left)
				return fail(r, off, "user entry length %u runs past the block", elen);
			entry = (struct cursor){ c->p, elen - 4, c->base };
			skip(c, elen - 4);
		}
		if (meta_room(r)) {
			u = kcap_meta_add_user(&r->meta);
			if (!u)
				return fail(r, off, "out of memory");
			r->meta_bytes += sizeof(*u);
		}
		rc = user_entry(r, &entry, u);
		if (u == &spare) {
			kcap_meta_free_user(&spare);
			r->stats.meta_cut++;
		}
		if (rc < 0)
			return -1;
		if (!v2)
			*c = entry;
	}
	return 0;
}

/* ---- events ---------------------------------------------------------- */

static bool is_event_block(uint32_t type)
{
	switch (type) {
	case SCAP_EV: case SCAP_EV_LEGACY: case SCAP_EVF: case SCAP_EV_V2: case SCAP_EVF_V2:
	case SCAP_EV_V2_LARGE: case SCAP_EVF_V2_LARGE:
		return true;
	default:
		return false;
	}
}

static bool ev_block_v1(uint32_t type)
{
	return type == SCAP_EV || type == SCAP_EV_LEGACY || type == SCAP_EVF;
}

static bool ev_block_has_flags(uint32_t type)
{
	return type == SCAP_EVF || type == SCAP_EVF_V2 || type == SCAP_EVF_V2_LARGE;
}

static bool ev_block_large(uint32_t type)
{
	return type == SCAP_EV_V2_LARGE || type == SCAP_EVF_V2_LARGE;
}

/* V1 events do not store nparams: infer it as libs does (SCAP-FORMAT 9.4). */
static int v1_nparams(const uint8_t *ev, uint32_t len, uint16_t type, uint32_t *nparams)
{
	uint32_t n = g_event_info[type].nparams + 1;

	while (n-- > 0) {
		uint64_t sum = PPM_EVT_HDR_V1_SIZE + 2ull * n;
		uint32_t i;

		if (sum > len)
			continue;
		for (i = 0; i < n; i++)
			sum += le16(ev + PPM_EVT_HDR_V1_SIZE + 2 * i);
		if (sum < len)
			return -1;
		if (sum == len) {
			*nparams = n;
			return 0;
		}
	}
	return -1;
}

/* Rewrites a V1 event in the canonical V2 layout, in r->scratch. */
static int v1_to_v2(struct kcap_reader *r, const uint8_t *ev, uint32_t len, uint32_t nparams,
		    const uint8_t **out)
{
	unsigned width = kcap_evt_len_width(le16(ev + 20));
	uint32_t vals = len - PPM_EVT_HDR_V1_SIZE - 2 * nparams;
	size_t need = PPM_EVT_HDR_SIZE + (size_t)nparams * width + vals;
	struct ppm_evt_hdr hdr;
	uint32_t i;

	if (need > r->scratch_cap) {
		uint8_t *ns = realloc(r->scratch, need);

		if (!ns)
			return -1;
		r->scratch = ns;
		r->scratch_cap = need;
	}
	memcpy(&hdr, ev, PPM_EVT_HDR_V1_SIZE);
	hdr.len = (uint32_t)need;
	hdr.nparams = nparams;
	memcpy(r->scratch, &hdr, sizeof(hdr));
	for (i = 0; i < nparams; i++) {
		uint32_t l = le16(ev + PPM_EVT_HDR_V1_SIZE + 2 * i);

		memcpy(r->scratch + PPM_EVT_HDR_SIZE + i * width, &l, width);
	}
	memcpy(r->scratch + PPM_EVT_HDR_SIZE + nparams * width,
	       ev + PPM_EVT_HDR_V1_SIZE + 2 * nparams, vals);
	*out = r->scratch;
	return 0;
}

/* 1 with ev filled, 0 when the event is skipped, -1 on corruption. */
static int read_event(struct kcap_reader *r, struct cursor *c, uint32_t btype, uint32_t blen,
		      struct kcap_evt *ev)
{
	bool v1 = ev_block_v1(btype);
	size_t hdr_size = v1 ? PPM_EVT_HDR_V1_SIZE : PPM_EVT_HDR_SIZE;
	uint64_t off = cur_offset(r, c);
	const uint8_t *e;
	const char *why;
	uint16_t type;
	uint32_t flags = 0;
	uint16_t cpu = 0;

	if (!ev_block_large(btype) && blen > SCAP_MAX_NONLARGE_BLOCK)
		return fail(r, off - 8, "event block of %u bytes, at most %u without LARGE", blen,
			    SCAP_MAX_NONLARGE_BLOCK);
	take(c, &cpu, 2);
	if (ev_block_has_flags(btype) && !take(c, &flags, 4))
		return fail(r, off, "event block shorter than its flags");
	e = c->p;
	off = cur_offset(r, c);
	if (c->left < hdr_size)
		return fail(r, off, "event of %zu bytes is shorter than its %zu-byte header",
			    c->left, hdr_size);
	type = le16(e + 20);
	if (type >= PPM_EVENT_MAX) {
		r->stats.skipped_unknown_type++;
		return 0;
	}
	if (v1) {
		uint32_t len = le32(e + 16), nparams;

		if ((type == PPME_NOTIFICATION_E || type == PPME_INFRA_E) && len >= 3 &&
		    v1_nparams(e, len, type, &nparams) < 0)
			len -= 3;	/* old writers stored these 3 bytes too long */
		if (len < hdr_size)
			return fail(r, off, "event length %u shorter than its header", len);
		if (len > c->left)
			return fail(r, off, "event length %u runs past the block", len);
		if (v1_nparams(e, len, type, &nparams) < 0)
			return fail(r, off, "parameter lengths of %s event disagree with its length %u",
				    g_event_info[type].name, len);
		if (v1_to_v2(r, e, len, nparams, &e) < 0)
			return fail(r, off, "out of memory");
		if (kcap_evt_parse(e, r->scratch_cap, ev, &why) < 0)
			return fail(r, off, "%s", why);
	} else if (kcap_evt_parse(e, c->left, ev, &why) < 0) {
		if (le32(e + 22) > PPM_MAX_EVENT_PARAMS)
			return fail(r, off, "%s (%u)", why, le32(e + 22));
		return fail(r, off, "%s", why);
	}
	ev->cpu = cpu;
	ev->flags = flags;
	if (type == PPME_ASYNCEVENT_E && kcap_own_unwrap(ev, &r->own, &r->own_cap, ev) < 0)
		return fail(r, off, "out of memory");
	return 1;
}

/* ---- block loop ------------------------------------------------------ */

static int read_block_body(struct kcap_reader *r, uint32_t type, uint32_t len, struct cursor *c,
			   struct kcap_evt *ev)
{
	int v;

	if (type == SCAP_SHB)
		return read_shb(r, c, len);
	if (is_event_block(type)) {
		r->stats.event_blocks++;
		return read_event(r, c, type, len, ev);
	}
	v = pl_version(type);
	if (v)
		return read_pl(r, c, v);
	switch (type) {
	case SCAP_MI: case SCAP_MI_LEGACY:
		return read_mi(r, c, len);
	case SCAP_FDL: case SCAP_FDL_LEGACY:
		return read_fdl(r, c, false);
	case SCAP_FDL_V2:
		return read_fdl(r, c, true);
	case SCAP_IL: case SCAP_IL_LEGACY:
		return read_il(r, c, false);
	case SCAP_IL_V2:
		return read_il(r, c, true);
	case SCAP_UL: case SCAP_UL_LEGACY:
		return read_ul(r, c, false);
	case SCAP_UL_V2:
		return read_ul(r, c, true);
	default:
		r->stats.skipped_blocks++;
		return 0;
	}
}

static int check_block_len(struct kcap_reader *r, uint64_t off, uint32_t len)
{
	if (len < 12)
		return fail(r, off, "block length %u, at least 12 expected", len);
	if (len % 4)
		return fail(r, off, "block length %u is not a multiple of 4", len);
	if (len > KCAP_MAX_BLOCK)
		return fail(r, off, "block length %u is above the limit of %u bytes", len,
			    KCAP_MAX_BLOCK);
	if (!r->src.gzip && r->src.raw_size && off + len > r->src.raw_size)
		return fail(r, off, "block length %u runs past the end of the file (%llu bytes left)",
			    len, (unsigned long long)(r->src.raw_size - off));
	return 0;
}

int kcap_reader_next(struct kcap_reader *r, struct kcap_evt *ev)
{
	for (;;) {
		uint64_t off = r->buf_offset + r->head;
		uint32_t type, len, trailer;
		struct cursor c;
		int rc = fill(r, 8);

		if (rc < 0)
			return -1;
		if (rc == 0) {
			size_t have = r->tail - r->head;

			if (have)
				return fail(r, off, "truncated block header (%zu of 8 bytes)", have);
			if (!r->in_section)
				return fail(r, off, "empty file, not a .scap capture");
			return 0;
		}
		type = le32(r->buf + r->head);
		len = le32(r->buf + r->head + 4);
		if (!r->in_section && type != SCAP_SHB)
			return fail(r, off, "not a .scap file: first block type 0x%08x, 0x0a0d0d0a expected",
				    type);
		if (check_block_len(r, off, len) < 0)
			return -1;
		rc = fill(r, len);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return fail(r, off, "truncated block: %u bytes long, %zu present", len,
				    r->tail - r->head);
		trailer = le32(r->buf + r->head + len - 4);
		if (trailer != len)
			return fail(r, off + len - 4, "trailing length %u disagrees with leading %u",
				    trailer, len);
		count_block(r, type);
		c = (struct cursor){ r->buf + r->head + 8, len - 12, r->buf + r->head };
		r->head += len;
		rc = read_block_body(r, type, len, &c, ev);
		if (rc < 0)
			return -1;
		if (rc == 1) {
			r->stats.events++;
			return 1;
		}
	}
}
