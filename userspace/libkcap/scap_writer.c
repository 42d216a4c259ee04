// SPDX-License-Identifier: MIT
/*
 * The .scap writer. Blocks are assembled in one output buffer and handed to
 * write(2) or gzwrite in large chunks; an event costs one header, one memcpy
 * and at most three bytes of padding.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "scap_blocks.h"
#include "own_events.h"
#include "scap_writer.h"

#define OUT_SIZE (1u << 20)
#define ZOUT_SIZE (256u << 10)

struct kcap_writer {
	int fd;
	bool gzip;
	z_stream zs;
	uint8_t *zout;			/* compressed bytes on their way out */
	uint8_t *out;			/* blocks not yet in the file */
	size_t used;
	uint64_t bytes;			/* uncompressed bytes put */
	uint64_t events;		/* events whose block is complete */
	uint64_t file_size;		/* bytes written to the file */
	/*
	 * The last point where the file ended on a whole block (for gzip, a
	 * sync flush): a failed write cuts the file back to it.
	 */
	struct {
		uint64_t file_size, events, isize;
		uint32_t crc;		/* gzip: zlib's CRC-32 and count of what it took in */
	} sync;
	int failed;
	char err[320];
};

static int wfail(struct kcap_writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int wfail(struct kcap_writer *w, const char *fmt, ...)
{
	va_list ap;

	if (!w->failed) {
		va_start(ap, fmt);
		vsnprintf(w->err, sizeof(w->err), fmt, ap);
		va_end(ap);
	}
	w->failed = 1;
	return -1;
}

static int write_fd(struct kcap_writer *w, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = write(w->fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return wfail(w, "write failed: %s", strerror(errno));
		p += k;
		n -= (size_t)k;
		w->file_size += (uint64_t)k;
	}
	return 0;
}

/* Deflates the buffer with flush (Z_NO_FLUSH, Z_SYNC_FLUSH, Z_FINISH) and writes it. */
static int deflate_out(struct kcap_writer *w, int flush)
{
	int rc;

	w->zs.next_in = w->out;
	w->zs.avail_in = (uInt)w->used;
	do {
		w->zs.next_out = w->zout;
		w->zs.avail_out = ZOUT_SIZE;
		rc = deflate(&w->zs, flush);
		if (rc == Z_STREAM_ERROR)
			return wfail(w, "gzip compression failed");
		if (write_fd(w, w->zout, ZOUT_SIZE - w->zs.avail_out) < 0)
			return -1;
	} while (w->zs.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
	return 0;
}

/*
 * Writes the buffer out. At a block boundary (the buffer holds whole blocks
 * only), the file then ends on a whole block: remember that point.
 */
static int flush_out(struct kcap_writer *w, bool boundary)
{
	int rc;

	if (w->failed)
		return -1;
	if (w->gzip)
		rc = deflate_out(w, boundary ? Z_SYNC_FLUSH : Z_NO_FLUSH);
	else
		rc = write_fd(w, w->out, w->used);
	w->used = 0;
	if (rc < 0)
		return -1;
	if (boundary) {
		w->sync.file_size = w->file_size;
		w->sync.events = w->events;
		w->sync.crc = (uint32_t)w->zs.adler;
		w->sync.isize = w->zs.total_in;
	}
	return 0;
}

/*
 * After a failed write: the file is cut back to its last whole block, and a
 * gzip stream gets its end (an empty final block, the CRC and the size of
 * what it holds), so that it is a complete .scap file, only shorter.
 */
static void cut_to_last_block(struct kcap_writer *w)
{
	uint8_t trailer[10] = { 0x03, 0x00 };
	uint32_t isize = (uint32_t)w->sync.isize;

	if (ftruncate(w->fd, (off_t)w->sync.file_size) < 0)
		return;		/* a pipe or a device: nothing to cut */
	w->file_size = w->sync.file_size;
	if (!w->gzip || !w->sync.file_size || lseek(w->fd, 0, SEEK_END) < 0)
		return;
	memcpy(trailer + 2, &w->sync.crc, 4);
	memcpy(trailer + 6, &isize, 4);
	if (write(w->fd, trailer, sizeof(trailer)) == (ssize_t)sizeof(trailer))
		w->file_size += sizeof(trailer);
}

static void put(struct kcap_writer *w, const void *p, size_t n)
{
	const uint8_t *s = p;

	while (n) {
		size_t room = OUT_SIZE - w->used, k = n < room ? n : room;

		memcpy(w->out + w->used, s, k);
		w->used += k;
		w->bytes += k;
		s += k;
		n -= k;
		/* Only a block larger than the buffer goes out in pieces. */
		if (w->used == OUT_SIZE && flush_out(w, false) < 0)
			return;
	}
}

static void put_u8(struct kcap_writer *w, uint8_t v) { put(w, &v, 1); }
static void put_u16(struct kcap_writer *w, uint16_t v) { put(w, &v, 2); }
static void put_u32(struct kcap_writer *w, uint32_t v) { put(w, &v, 4); }
static void put_u64(struct kcap_writer *w, uint64_t v) { put(w, &v, 8); }

static void put_pad(struct kcap_writer *w, size_t content)
{
	static const uint8_t zeros[4];

	put(w, zeros, scap_pad4(content));
}

/* Opens a block whose content (after type and length) is content bytes. */
static uint32_t block_begin(struct kcap_writer *w, uint32_t type, size_t content)
{
	uint32_t total = (uint32_t)(8 + content + scap_pad4(content) + 4);

	/* Whole blocks in the buffer: flush before one that does not fit. */
	if (w->used && w->used + total > OUT_SIZE)
		flush_out(w, true);
	put_u32(w, type);
	put_u32(w, total);
	return total;
}

static void block_end(struct kcap_writer *w, size_t content, uint32_t total)
{
	put_pad(w, content);
	put_u32(w, total);
}

/* The most content a block may have: header, padding and trailer included. */
#define MAX_CONTENT (KCAP_MAX_BLOCK - 16u)

/*
 * A list of n entries as as many blocks of one type as it needs, each under
 * KCAP_MAX_BLOCK, each starting with head bytes (written by put_head).
 */
struct list_writer {
	uint32_t type;
	size_t head;
	void (*put_head)(struct kcap_writer *w, const void *list, size_t first);
	size_t (*entry_len)(const void *list, size_t k);
	void (*put_entry)(struct kcap_writer *w, const void *list, size_t k);
};

static void write_list(struct kcap_writer *w, const struct list_writer *lw, const void *list,
		       size_t first, size_t end)
{
	while (first < end) {
		size_t content = lw->head, k = first, j;
		uint32_t total;

		/* At least one entry per block: no entry comes near the limit. */
		do
			content += lw->entry_len(list, k++);
		while (k < end && content + lw->entry_len(list, k) <= MAX_CONTENT);
		total = block_begin(w, lw->type, content);
		if (lw->put_head)
			lw->put_head(w, list, first);
		for (j = first; j < k; j++)
			lw->put_entry(w, list, j);
		block_end(w, content, total);
		first = k;
	}
}

/*
 * Whether an existing path (lstat'ed in st) may take a capture: not a
 * symbolic link, ours, a single name, a file, a device or a FIFO. 0, or -1
 * with err set.
 */
static int check_existing(const char *path, const struct stat *st, char *err, size_t errlen)
{
	if (S_ISLNK(st->st_mode)) {
		snprintf(err, errlen, "%s: is a symbolic link: not followed (remove it or choose "
			 "another name)", path);
		return -1;
	}
	if (st->st_uid != geteuid()) {
		snprintf(err, errlen, "%s: exists and belongs to uid %u: not written into (remove it "
			 "or choose another name)", path, (unsigned)st->st_uid);
		return -1;
	}
	if (S_ISREG(st->st_mode) && st->st_nlink > 1) {
		snprintf(err, errlen, "%s: has %lu names (hard links): not written into", path,
			 (unsigned long)st->st_nlink);
		return -1;
	}
	if (!S_ISREG(st->st_mode) && !S_ISCHR(st->st_mode) && !S_ISFIFO(st->st_mode)) {
		snprintf(err, errlen, "%s: is not a regular file", path);
		return -1;
	}
	return 0;
}

/* "-": standard output, for a reader at the other end of a pipe; never a terminal. */
static int open_stdout(char *err, size_t errlen)
{
	int fd;

	if (isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "-: standard output is a terminal: a capture is binary (pipe "
			 "it, e.g. into kcap replay -)");
		return -1;
	}
	fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		snprintf(err, errlen, "-: standard output: %s", strerror(errno));
	return fd;
}

int kcap_writer_check(const char *path, char *err, size_t errlen)
{
	char dir[4096];
	struct stat st;
	char *slash;

	if (!strcmp(path, "-")) {
		int fd = open_stdout(err, errlen);

		if (fd < 0)
			return -1;
		close(fd);
		return 0;
	}
	if (lstat(path, &st) == 0) {
		if (check_existing(path, &st, err, errlen) < 0)
			return -1;
		if (access(path, W_OK) < 0) {
			snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (errno == ENOENT) {
		snprintf(dir, sizeof(dir), "%s", path);
		slash = strrchr(dir, '/');
		if (!slash)
			snprintf(dir, sizeof(dir), ".");
		else
			slash[slash == dir] = '\0';	/* "/x": the root */
		if (access(dir, W_OK | X_OK) == 0)
			return 0;
	}
	snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
	return -1;
}

/*
 * Opens path for writing a capture, which holds every process's environment:
 * created 0600 whatever the umask; never through a symbolic link; never
 * into a file of another user (planted in /tmp) or a file with other names.
 * An existing file of ours is emptied; a device or a FIFO of ours (e.g.
 * /dev/null) is written as it is. -1 with err set.
 */
static int open_capture(const char *path, char *err, size_t errlen)
{
	struct stat before, after;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0) {
		if (fchmod(fd, 0600) == 0)
			return fd;
		snprintf(err, errlen, "%s: cannot set mode 0600: %s", path, strerror(errno));
		goto fail;
	}
	if (errno != EEXIST) {
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		return -1;
	}
	if (lstat(path, &before) < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		return -1;
	}
	if (check_existing(path, &before, err, errlen) < 0)
		return -1;
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &after) < 0 || after.st_dev != before.st_dev || after.st_ino != before.st_ino) {
		snprintf(err, errlen, "%s: was replaced while being opened", path);
		goto fail;
	}
	if (S_ISREG(after.st_mode) && (ftruncate(fd, 0) < 0 || fchmod(fd, 0600) < 0)) {
		snprintf(err, errlen, "%s: cannot empty it: %s", path, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

struct kcap_writer *kcap_writer_open(const char *path, bool gzip, char *err, size_t errlen)
{
	struct kcap_writer *w = calloc(1, sizeof(*w));

	if (!w || !(w->out = malloc(OUT_SIZE)) || (gzip && !(w->zout = malloc(ZOUT_SIZE)))) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	if (gzip) {
		/* 16 + window bits: a gzip header and trailer around the stream. */
		if (deflateInit2(&w->zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK) {
			snprintf(err, errlen, "%s: cannot start gzip compression", path);
			goto fail;
		}
		w->gzip = true;
	}
	w->fd = strcmp(path, "-") ? open_capture(path, err, errlen) : open_stdout(err, errlen);
	if (w->fd < 0)
		goto fail;
	return w;
fail:
	if (w && w->gzip)
		deflateEnd(&w->zs);
	if (w) {
		free(w->out);
		free(w->zout);
	}
	free(w);
	return NULL;
}

/* ---- metadata -------------------------------------------------------- */

static void write_shb(struct kcap_writer *w)
{
	uint32_t total = block_begin(w, SCAP_SHB, 16);

	put_u32(w, SCAP_SHB_MAGIC);
	put_u16(w, SCAP_SHB_MAJOR);
	put_u16(w, SCAP_SHB_MINOR);
	put_u64(w, UINT64_MAX);
	block_end(w, 16, total);
}

static void write_mi(struct kcap_writer *w, const struct kcap_machine *m)
{
	uint32_t total = block_begin(w, SCAP_MI, SCAP_MI_BODY_SIZE);
	char host[128] = { 0 };

	memcpy(host, m->hostname, sizeof(host) - 1);
	put_u32(w, m->num_cpus);
	put_u64(w, m->memory_size_bytes);
	put_u64(w, m->max_pid);
	put(w, host, sizeof(host));
	put_u64(w, m->boot_ts_epoch);
	put_u64(w, m->flags);
	put_u64(w, m->reserved3);
	put_u64(w, m->reserved4);
	block_end(w, SCAP_MI_BODY_SIZE, total);
}

/* lstr16 cut to max bytes; a cut lbuf keeps a final NUL. */
static uint32_t str_len(const struct kcap_blob *b, uint32_t max)
{
	return b->len < max ? b->len : max;
}

static void put_str(struct kcap_writer *w, const struct kcap_blob *b, uint32_t max, bool lbuf)
{
	uint32_t n = str_len(b, max);

	put_u16(w, (uint16_t)n);
	if (!n)
		return;
	if (lbuf && n < b->len) {
		put(w, b->data, n - 1);
		put_u8(w, 0);
		return;
	}
	put(w, b->data, n);
}

static size_t iface_payload(const struct kcap_iface *i)
{
	size_t alen = i->type == KCAP_IF_IPV4 ? 4 : 16;	/* reader normalizes types */

	return 4 + 3 * alen + 8 + str_len(&i->name, SCAP_MAX_PATH_SIZE - 1);
}

static size_t iface_len(const void *list, size_t k)
{
	return 4 + iface_payload(&((const struct kcap_iface *)list)[k]);
}

static void put_iface(struct kcap_writer *w, const void *list, size_t k)
{
	const struct kcap_iface *i = &((const struct kcap_iface *)list)[k];
	uint16_t type = i->type == KCAP_IF_IPV4 ? KCAP_IF_IPV4 : KCAP_IF_IPV6;
	size_t alen = type == KCAP_IF_IPV4 ? 4 : 16;
	uint32_t nlen = str_len(&i->name, SCAP_MAX_PATH_SIZE - 1);

	put_u32(w, (uint32_t)(4 + 3 * alen + 8 + nlen));
	put_u16(w, type);
	put_u16(w, (uint16_t)nlen);
	put(w, i->addr, alen);
	put(w, i->netmask, alen);
	put(w, i->bcast, alen);
	put_u64(w, i->linkspeed);
	put(w, i->name.data, nlen);
}

static size_t user_len(const void *list, size_t k)
{
	const struct kcap_user *u = &((const struct kcap_user *)list)[k];
	size_t n = 4 + 1 + 4 + 2 + str_len(&u->name, SCAP_MAX_USER_STR);

	if (!u->is_group)
		n += 4 + 2 + str_len(&u->homedir, SCAP_MAX_USER_STR) + 2 +
		     str_len(&u->shell, SCAP_MAX_USER_STR);
	return n;
}

static void put_user(struct kcap_writer *w, const void *list, size_t k)
{
	const struct kcap_user *u = &((const struct kcap_user *)list)[k];

	put_u32(w, (uint32_t)user_len(list, k));
	put_u8(w, u->is_group ? 1 : 0);
	if (!u->is_group)
		put_u32(w, u->uid);
	put_u32(w, u->gid);
	put_str(w, &u->name, SCAP_MAX_USER_STR, false);
	if (!u->is_group) {
		put_str(w, &u->homedir, SCAP_MAX_USER_STR, false);
		put_str(w, &u->shell, SCAP_MAX_USER_STR, false);
	}
}

static size_t proc_len(const void *list, size_t k)
{
	const struct kcap_proc *p = &((const struct kcap_proc *)list)[k];

	return 200 + str_len(&p->comm, SCAP_MAX_PATH_SIZE) + str_len(&p->exe, SCAP_MAX_PATH_SIZE) +
	       str_len(&p->exepath, SCAP_MAX_PATH_SIZE) + str_len(&p->args, SCAP_MAX_ARGS_SIZE) +
	       str_len(&p->cwd, SCAP_MAX_PATH_SIZE) + str_len(&p->env, SCAP_MAX_ARGS_SIZE) +
	       str_len(&p->cgroups, SCAP_MAX_ARGS_SIZE) + str_len(&p->root, SCAP_MAX_PATH_SIZE);
}

static void put_proc(struct kcap_writer *w, const void *list, size_t k)
{
	const struct kcap_proc *p = &((const struct kcap_proc *)list)[k];

	put_u32(w, (uint32_t)proc_len(list, k));
	put_u64(w, (uint64_t)p->tid);
	put_u64(w, (uint64_t)p->pid);
	put_u64(w, (uint64_t)p->ptid);
	put_u64(w, (uint64_t)p->sid);
	put_u64(w, (uint64_t)p->vpgid);
	put_str(w, &p->comm, SCAP_MAX_PATH_SIZE, false);
	put_str(w, &p->exe, SCAP_MAX_PATH_SIZE, false);
	put_str(w, &p->exepath, SCAP_MAX_PATH_SIZE, false);
	put_str(w, &p->args, SCAP_MAX_ARGS_SIZE, true);
	put_str(w, &p->cwd, SCAP_MAX_PATH_SIZE, false);
	put_u64(w, p->fdlimit);
	put_u32(w, p->flags);
	put_u32(w, p->uid);
	put_u32(w, p->gid);
	put_u32(w, p->vmsize_kb);
	put_u32(w, p->vmrss_kb);
	put_u32(w, p->vmswap_kb);
	put_u64(w, p->pfmajor);
	put_u64(w, p->pfminor);
	put_str(w, &p->env, SCAP_MAX_ARGS_SIZE, true);
	put_u64(w, (uint64_t)p->vtid);
	put_u64(w, (uint64_t)p->vpid);
	put_str(w, &p->cgroups, SCAP_MAX_ARGS_SIZE, true);
	put_str(w, &p->root, SCAP_MAX_PATH_SIZE, false);
	put_u64(w, p->pidns_init_start_ts);
	put_u32(w, p->tty);
	put_u32(w, p->loginuid);
	put_u8(w, p->exe_writable);
	put_u64(w, p->cap_inheritable);
	put_u64(w, p->cap_permitted);
	put_u64(w, p->cap_effective);
	put_u8(w, p->exe_upper_layer);
	put_u64(w, p->exe_ino);
	put_u64(w, p->exe_ino_ctime);
	put_u64(w, p->exe_ino_mtime);
	put_u8(w, p->exe_from_memfd);
	put_u8(w, p->exe_lower_layer);
	put_u64(w, (uint64_t)p->pgid);
}

static size_t fd_payload_len(const struct kcap_fd *f)
{
	uint32_t n = str_len(&f->name, SCAP_MAX_PATH_SIZE - 1);

	switch (f->type) {
	case KCAP_FD_UNKNOWN: return 0;
	case KCAP_FD_IPV4_SOCK: return 13;
	case KCAP_FD_IPV6_SOCK: return 37;
	case KCAP_FD_IPV4_SERVSOCK: return 7;
	case KCAP_FD_IPV6_SERVSOCK: return 19;
	case KCAP_FD_UNIX_SOCK: return 18 + n;
	case KCAP_FD_FILE_V2: return 4 + 2 + n + (f->has_dev ? 4 : 0);
	default: return 2 + n;
	}
}

static void write_fd_payload(struct kcap_writer *w, const struct kcap_fd *f)
{
	size_t alen = f->type == KCAP_FD_IPV4_SOCK || f->type == KCAP_FD_IPV4_SERVSOCK ? 4 : 16;

	switch (f->type) {
	case KCAP_FD_UNKNOWN:
		return;
	case KCAP_FD_IPV4_SOCK:
	case KCAP_FD_IPV6_SOCK:
		put(w, f->sip, alen);
		put(w, f->dip, alen);
		put_u16(w, f->sport);
		put_u16(w, f->dport);
		put_u8(w, f->l4proto);
		return;
	case KCAP_FD_IPV4_SERVSOCK:
	case KCAP_FD_IPV6_SERVSOCK:
		put(w, f->sip, alen);
		put_u16(w, f->sport);
		put_u8(w, f->l4proto);
		return;
	case KCAP_FD_UNIX_SOCK:
		put_u64(w, f->unix_src);
		put_u64(w, f->unix_dst);
		put_str(w, &f->name, SCAP_MAX_PATH_SIZE - 1, false);
		return;
	case KCAP_FD_FILE_V2:
		put_u32(w, f->open_flags);
		put_str(w, &f->name, SCAP_MAX_PATH_SIZE - 1, false);
		if (f->has_dev)
			put_u32(w, f->dev);
		return;
	default:
		put_str(w, &f->name, SCAP_MAX_PATH_SIZE - 1, false);
	}
}

static size_t fd_len(const void *list, size_t k)
{
	return 21 + fd_payload_len(&((const struct kcap_fd *)list)[k]);
}

static void put_fd_owner(struct kcap_writer *w, const void *list, size_t first)
{
	put_u64(w, (uint64_t)((const struct kcap_fd *)list)[first].owner_tid);
}

static void put_fd(struct kcap_writer *w, const void *list, size_t k)
{
	const struct kcap_fd *f = &((const struct kcap_fd *)list)[k];

	put_u32(w, (uint32_t)fd_len(list, k));
	put_u64(w, (uint64_t)f->fd);
	put_u64(w, f->ino);
	put_u8(w, f->type);
	write_fd_payload(w, f);
}

static const struct list_writer iface_list = { SCAP_IL_V2, 0, NULL, iface_len, put_iface };
static const struct list_writer user_list = { SCAP_UL_V2, 0, NULL, user_len, put_user };
static const struct list_writer proc_list = { SCAP_PL_V9, 0, NULL, proc_len, put_proc };
static const struct list_writer fd_list = { SCAP_FDL_V2, 8, put_fd_owner, fd_len, put_fd };

int kcap_writer_meta(struct kcap_writer *w, const struct kcap_meta *m)
{
	size_t k, first = 0;

	write_shb(w);
	if (m->machine.present)
		write_mi(w, &m->machine);
	write_list(w, &iface_list, m->ifaces, 0, m->nifaces);
	write_list(w, &user_list, m->users, 0, m->nusers);
	write_list(w, &proc_list, m->procs, 0, m->nprocs);
	/* One run of blocks per owner thread. */
	for (k = 1; k <= m->nfds; k++) {
		if (k == m->nfds || m->fds[k].owner_tid != m->fds[first].owner_tid) {
			write_list(w, &fd_list, m->fds, first, k);
			first = k;
		}
	}
	/* The metadata reaches the file before any event. */
	flush_out(w, true);
	return w->failed ? -1 : 0;
}

/* ---- events ---------------------------------------------------------- */

/*
 * One of kcap's own events, inside an asyncevent (own_events.h): the
 * asyncevent's header and parameters, then the event's body as its data.
 */
static int write_own_event(struct kcap_writer *w, uint16_t cpu, uint32_t flags,
			   const struct ppm_evt_hdr *event)
{
	char name[64];
	uint32_t name_len = (uint32_t)kcap_own_async_name(event->type, name, sizeof(name));
	uint32_t data_len = event->len - KCAP_OWN_BODY_OFFSET;
	uint32_t lens[3] = { 4, name_len, data_len }, plugin = 0;
	struct ppm_evt_hdr hdr = *event;
	size_t content;
	uint32_t total;

	if (event->len < PPM_EVT_HDR_SIZE || !name_len)
		return wfail(w, "own event %u of %u bytes cannot be written", event->type,
			     event->len);
	hdr.type = PPME_ASYNCEVENT_E;
	hdr.nparams = 3;
	hdr.len = PPM_EVT_HDR_SIZE + sizeof(lens) + 4 + name_len + data_len;
	content = 2 + (flags ? 4 : 0) + (size_t)hdr.len;
	if (content > MAX_CONTENT)
		return wfail(w, "event of %u bytes is above the block limit", hdr.len);
	total = block_begin(w, flags ? SCAP_EVF_V2_LARGE : SCAP_EV_V2_LARGE, content);
	put_u16(w, cpu);
	if (flags)
		put_u32(w, flags);
	put(w, &hdr, PPM_EVT_HDR_SIZE);
	put(w, lens, sizeof(lens));
	put(w, &plugin, 4);
	put(w, name, name_len);
	put(w, (const uint8_t *)event + KCAP_OWN_BODY_OFFSET, data_len);
	block_end(w, content, total);
	return w->failed ? -1 : 0;
}

int kcap_writer_event(struct kcap_writer *w, uint16_t cpu, uint32_t flags,
		      const struct ppm_evt_hdr *event)
{
	uint32_t len = event->len;
	bool large = event->type < PPM_EVENT_MAX &&
		     (g_event_info[event->type].flags & EF_LARGE_PAYLOAD);
	size_t content = 2 + (flags ? 4 : 0) + (size_t)len;
	uint32_t type, total;

	if (w->failed)
		return -1;
	if (event->type >= PPM_EVENT_MAX) {
		/* No id past upstream's reaches a file: another reader may give it another meaning. */
		if (!kcap_own_event(event->type))
			return wfail(w, "event type %u has no place in a .scap file", event->type);
		if (write_own_event(w, cpu, flags, event) < 0)
			return -1;
		w->events++;
		return 0;
	}
	if (!large && 8 + content + scap_pad4(content) + 4 > SCAP_MAX_NONLARGE_BLOCK)
		return wfail(w, "event of %u bytes is too large for a non-large block", len);
	if (content > MAX_CONTENT)
		return wfail(w, "event of %u bytes is above the block limit", len);
	if (large)
		type = flags ? SCAP_EVF_V2_LARGE : SCAP_EV_V2_LARGE;
	else
		type = flags ? SCAP_EVF_V2 : SCAP_EV_V2;
	total = block_begin(w, type, content);
	put_u16(w, cpu);
	if (flags)
		put_u32(w, flags);
	put(w, event, len);
	block_end(w, content, total);
	if (w->failed)
		return -1;
	w->events++;
	return 0;
}

int kcap_writer_flush(struct kcap_writer *w)
{
	return flush_out(w, true);
}

int kcap_writer_close(struct kcap_writer *w, struct kcap_writer_stats *st, char *err,
		      size_t errlen)
{
	int rc = flush_out(w, true);

	if (rc == 0 && w->gzip)
		rc = deflate_out(w, Z_FINISH);
	if (rc < 0)
		cut_to_last_block(w);
	else
		w->sync.events = w->events;
	if (close(w->fd) < 0 && rc == 0)
		rc = wfail(w, "close failed: %s", strerror(errno));
	if (st) {
		st->events = w->sync.events;
		st->file_bytes = w->file_size;
	}
	if (rc < 0 && err)
		snprintf(err, errlen, "%s", w->err);
	if (w->gzip)
		deflateEnd(&w->zs);
	free(w->out);
	free(w->zout);
	free(w);
	return rc;
}

const char *kcap_writer_error(const struct kcap_writer *w)
{
	return w->err;
}

uint64_t kcap_writer_bytes(const struct kcap_writer *w)
{
	return w->bytes;
}
