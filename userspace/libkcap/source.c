// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"

#define ZIN_SIZE (256 * 1024)

static ssize_t read_fd(struct kcap_source *s, void *buf, size_t n)
{
	ssize_t got;

	do {
		got = read(s->fd, buf, n);
	} while (got < 0 && errno == EINTR);
	if (got < 0)
		snprintf(s->err, sizeof(s->err), "read failed: %s", strerror(errno));
	return got;
}

static ssize_t read_raw(struct kcap_source *s, void *buf, size_t n)
{
	if (s->peek_pos < s->npeek && n) {
		size_t k = s->npeek - s->peek_pos;

		if (k > n)
			k = n;
		memcpy(buf, s->peek + s->peek_pos, k);
		s->peek_pos += (uint8_t)k;
		return (ssize_t)k;
	}
	if (s->fd < 0) {
		size_t left = s->mem_size - s->mem_pos;

		if (n > left)
			n = left;
		memcpy(buf, s->mem + s->mem_pos, n);
		s->mem_pos += n;
		return (ssize_t)n;
	}
	return read_fd(s, buf, n);
}

/*
 * Whether the input starts with gzip's magic. A file's first bytes are read
 * and kept to be read again, so that pipes work: no seek, no pread.
 */
static int sniff_gzip(struct kcap_source *s)
{
	if (s->fd < 0)
		return s->mem_size >= 2 && s->mem[0] == 0x1f && s->mem[1] == 0x8b;
	while (s->npeek < 2) {
		ssize_t got = read_fd(s, s->peek + s->npeek, 2u - s->npeek);

		if (got < 0)
			return -1;
		if (got == 0)
			break;
		s->npeek += (uint8_t)got;
	}
	return s->npeek == 2 && s->peek[0] == 0x1f && s->peek[1] == 0x8b;
}

static int start_gzip(struct kcap_source *s)
{
	memset(&s->zs, 0, sizeof(s->zs));
	if (inflateInit2(&s->zs, 16 + MAX_WBITS) != Z_OK) {
		snprintf(s->err, sizeof(s->err), "cannot start gzip decompression");
		return -1;
	}
	if (s->fd >= 0) {
		s->zin = malloc(ZIN_SIZE);
		if (!s->zin) {
			inflateEnd(&s->zs);
			snprintf(s->err, sizeof(s->err), "out of memory");
			return -1;
		}
	} else {
		/* zlib takes a non-const pointer but never writes input. */
		s->zs.next_in = (Bytef *)(uintptr_t)s->mem;
		s->zs.avail_in = (uInt)s->mem_size;
		s->mem_pos = s->mem_size;
	}
	s->gzip = true;
	return 0;
}

static int open_common(struct kcap_source *s)
{
	int gz = sniff_gzip(s);

	if (gz < 0)
		return -1;
	return gz ? start_gzip(s) : 0;
}

int kcap_source_open_file(struct kcap_source *s, const char *path)
{
	struct stat st;

	memset(s, 0, sizeof(*s));
	/* "-": standard input, a pipe from a live capture (kcap capture -w -). */
	s->fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) :
				    fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
	if (s->fd < 0) {
		snprintf(s->err, sizeof(s->err), "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode))
		s->raw_size = (uint64_t)st.st_size;
	if (open_common(s) < 0) {
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	return 0;
}

int kcap_source_open_mem(struct kcap_source *s, const void *data, size_t size)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->mem = data;
	s->mem_size = size;
	s->raw_size = size;
	return open_common(s);
}

void kcap_source_close(struct kcap_source *s)
{
	if (s->gzip)
		inflateEnd(&s->zs);
	free(s->zin);
	s->zin = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* Refills zlib's input from the file; returns bytes added, 0 at EOF, -1. */
static ssize_t refill_zin(struct kcap_source *s)
{
	ssize_t got;

	if (s->fd < 0)
		return 0;
	got = read_raw(s, s->zin, ZIN_SIZE);
	if (got > 0) {
		s->zs.next_in = s->zin;
		s->zs.avail_in = (uInt)got;
	}
	return got;
}

/* After a member ends: another member follows, or the stream is over. */
static int next_member(struct kcap_source *s)
{
	if (s->zs.avail_in == 0 && refill_zin(s) < 0)
		return -1;
	if (s->zs.avail_in == 0 || s->zs.next_in[0] != 0x1f) {
		s->gz_done = true;	/* EOF, or trailing garbage zlib ignores */
		return 0;
	}
	inflateReset(&s->zs);
	return 0;
}

static ssize_t read_gzip(struct kcap_source *s, void *buf, size_t n)
{
	s->zs.next_out = buf;
	s->zs.avail_out = (uInt)n;
	while (s->zs.avail_out == n && !s->gz_done) {
		uInt before = s->zs.avail_in;
		int rc;

		if (s->zs.avail_in == 0) {
			ssize_t got = refill_zin(s);

			if (got < 0)
				return -1;
			if (got == 0) {
				snprintf(s->err, sizeof(s->err),
					 "truncated gzip stream (after %llu compressed bytes)",
					 (unsigned long long)s->zin_offset);
				return -1;
			}
			before = s->zs.avail_in;
		}
		rc = inflate(&s->zs, Z_NO_FLUSH);
		s->zin_offset += before - s->zs.avail_in;
		if (rc == Z_STREAM_END) {
			if (next_member(s) < 0)
				return -1;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			snprintf(s->err, sizeof(s->err),
				 "corrupt gzip stream at compressed byte %llu: %s",
				 (unsigned long long)s->zin_offset,
				 s->zs.msg ? s->zs.msg : "inflate failed");
			return -1;
		} else if (rc == Z_BUF_ERROR && s->zs.avail_in != 0) {
			snprintf(s->err, sizeof(s->err), "corrupt gzip stream at compressed byte %llu",
				 (unsigned long long)s->zin_offset);
			return -1;
		}
	}
	return (ssize_t)(n - s->zs.avail_out);
}

ssize_t kcap_source_read(struct kcap_source *s, void *buf, size_t n)
{
	if (n > (1u << 30))
		n = 1u << 30;
	return s->gzip ? read_gzip(s, buf, n) : read_raw(s, buf, n);
}
