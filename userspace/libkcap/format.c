// SPDX-License-Identifier: MIT
/*
 * Events as text (sysdig -r style) and as JSON lines. Everything appends to
 * a kcap_sbuf that the caller reuses, so a line costs no allocation once the
 * buffer has grown; integers and times are written by hand since snprintf
 * would dominate the cost of a typical event.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

#define SBUF_MIN_CAP 256
#define NS_PER_SEC 1000000000ull

/* ---------------------------------------------------------------------- */
/* Growable buffer: always NUL-terminated once it holds anything. */

static int sbuf_grow(struct kcap_sbuf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (n > SIZE_MAX - b->len - 1)
		goto oom;
	need = b->len + n + 1;
	cap = b->cap ? b->cap : SBUF_MIN_CAP;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->p, cap);
	if (!p)
		goto oom;
	b->p = p;
	b->cap = cap;
	return 0;
oom:
	b->oom = 1;
	return -1;
}

/* Room for n bytes and a NUL; NULL once an append has failed. */
static inline char *sbuf_room(struct kcap_sbuf *b, size_t n)
{
	if (b->oom)
		return NULL;
	if (b->cap - b->len <= n && sbuf_grow(b, n))
		return NULL;
	return b->p + b->len;
}

static inline void sbuf_commit(struct kcap_sbuf *b, size_t n)
{
	b->len += n;
	b->p[b->len] = '\0';
}

void kcap_sbuf_free(struct kcap_sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->oom = 0;
}

void kcap_sbuf_reset(struct kcap_sbuf *b)
{
	b->len = 0;
	b->oom = 0;
	if (b->p)
		b->p[0] = '\0';
}

void kcap_sbuf_putc(struct kcap_sbuf *b, char c)
{
	char *p = sbuf_room(b, 1);

	if (!p)
		return;
	*p = c;
	sbuf_commit(b, 1);
}

void kcap_sbuf_put(struct kcap_sbuf *b, const char *s, size_t n)
{
	char *p = sbuf_room(b, n);

	if (!p)
		return;
	memcpy(p, s, n);
	sbuf_commit(b, n);
}

void kcap_sbuf_puts(struct kcap_sbuf *b, const char *s)
{
	kcap_sbuf_put(b, s, strlen(s));
}

void kcap_sbuf_printf(struct kcap_sbuf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	char *p;
	int n;

	if (!sbuf_room(b, 0))
		return;
	room = b->cap - b->len;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->p[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		p = sbuf_room(b, n);
		if (!p) {
			b->p[b->len] = '\0';
			return;
		}
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += n;
}

#define PUT_LIT(b, s) kcap_sbuf_put((b), (s), sizeof(s) - 1)

/* ---------------------------------------------------------------------- */
/* Numbers without snprintf. */

static const char hex_digits[] = "0123456789abcdef";

/* Writes v in decimal ending at end; returns where the digits start. */
static inline char *dec_backwards(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

static void put_u64(struct kcap_sbuf *b, uint64_t v)
{
	char t[24], *s = dec_backwards(t + sizeof(t), v);

	kcap_sbuf_put(b, s, t + sizeof(t) - s);
}

static void put_i64(struct kcap_sbuf *b, int64_t v)
{
	char t[24], *s;

	if (v >= 0) {
		put_u64(b, (uint64_t)v);
		return;
	}
	s = dec_backwards(t + sizeof(t), -(uint64_t)v);
	*--s = '-';
	kcap_sbuf_put(b, s, t + sizeof(t) - s);
}

/* "%010lld": at least 10 characters, the sign counting as one. */
static void put_padded(struct kcap_sbuf *b, int64_t v)
{
	char t[32], *end = t + sizeof(t), *s;
	bool neg = v < 0;

	s = dec_backwards(end, neg ? -(uint64_t)v : (uint64_t)v);
	while (end - s < 10 - (int)neg)
		*--s = '0';
	if (neg)
		*--s = '-';
	kcap_sbuf_put(b, s, end - s);
}

/* "0x%llx" */
static void put_hex(struct kcap_sbuf *b, uint64_t v)
{
	char t[24], *end = t + sizeof(t), *s = end;

	do {
		*--s = hex_digits[v & 0xf];
		v >>= 4;
	} while (v);
	*--s = 'x';
	*--s = '0';
	kcap_sbuf_put(b, s, end - s);
}

/* "0%llo", except that zero is plain "0". */
static void put_oct(struct kcap_sbuf *b, uint64_t v)
{
	char t[32], *end = t + sizeof(t), *s = end;

	do {
		*--s = (char)('0' + (v & 7));
		v >>= 3;
	} while (v);
	if (*s != '0')
		*--s = '0';
	kcap_sbuf_put(b, s, end - s);
}

static void put_two(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/*
 * HH:MM:SS.nnnnnnnnn in UTC. Unix time has no leap seconds, so the time of
 * day is plain arithmetic: no gmtime call and nothing to cache.
 */
static void put_time(struct kcap_sbuf *b, uint64_t ts)
{
	char t[18];
	uint64_t sec = ts / NS_PER_SEC;
	uint32_t ns = (uint32_t)(ts % NS_PER_SEC);
	uint32_t day = (uint32_t)(sec % 86400);
	int i;

	put_two(t, day / 3600);
	t[2] = ':';
	put_two(t + 3, day / 60 % 60);
	t[5] = ':';
	put_two(t + 6, day % 60);
	t[8] = '.';
	for (i = 17; i > 8; i--) {
		t[i] = (char)('0' + ns % 10);
		ns /= 10;
	}
	kcap_sbuf_put(b, t, sizeof(t));
}

/* ---------------------------------------------------------------------- */
/* Bytes and strings. */

/* Little-endian value of n <= 8 bytes; right on either host byte order. */
static inline uint64_t rd_le(const uint8_t *v, uint32_t n)
{
	uint64_t x = 0;

	memcpy(&x, v, n);
	return le64toh(x);
}

static inline int64_t sign_extend(uint64_t u, uint32_t n)
{
	switch (n) {
	case 1:
		return (int8_t)u;
	case 2:
		return (int16_t)u;
	case 4:
		return (int32_t)u;
	default:
		return (int64_t)u;
	}
}

/* Length of the string at v: up to its first NUL, never past len. */
static inline uint32_t str_len(const uint8_t *v, uint32_t len)
{
	const uint8_t *nul = memchr(v, 0, len);

	return nul ? (uint32_t)(nul - v) : len;
}

static inline bool is_legacy_null(const uint8_t *v, uint32_t n)
{
	return n == 6 && memcmp(v, "(NULL)", 6) == 0;
}

/* Length of the valid UTF-8 sequence at p, or 0 when it is not one. */
static uint32_t utf8_len(const uint8_t *p, size_t n)
{
	uint8_t c = p[0], lo = 0x80, hi = 0xbf;
	uint32_t len, k;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	/* Overlongs, surrogates and code points above U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (k = 2; k < len; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* The code point of a valid UTF-8 sequence of len bytes. */
static uint32_t utf8_cp(const uint8_t *p, uint32_t len)
{
	uint32_t cp = p[0] & (0x7f >> len), k;

	for (k = 1; k < len; k++)
		cp = cp << 6 | (p[k] & 0x3f);
	return cp;
}

/*
 * Code points a terminal acts on instead of showing: C1 controls (U+009B
 * is CSI), bidi marks and overrides (U+202E shows text reversed), line and
 * paragraph separators.
 */
static bool cp_is_control(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Length of a UTF-8 sequence at p that is safe to print as is, or 0. */
static uint32_t utf8_printable(const uint8_t *p, size_t n)
{
	uint32_t len = utf8_len(p, n);

	return len && !cp_is_control(utf8_cp(p, len)) ? len : 0;
}

/* "\u202e": a code point as a 4-digit escape (all of cp_is_control's are). */
static void put_u_escape(char *d, uint32_t cp)
{
	d[0] = '\\';
	d[1] = 'u';
	d[2] = hex_digits[cp >> 12 & 0xf];
	d[3] = hex_digits[cp >> 8 & 0xf];
	d[4] = hex_digits[cp >> 4 & 0xf];
	d[5] = hex_digits[cp & 0xf];
}

enum esc_mode {
	ESC_BYTES,	/* buffers: also \\ and \", and every byte >= 0x7f */
	ESC_STR,	/* strings: controls and non-UTF-8, printable UTF-8 is kept */
};

/* Printable ASCII; strings also keep \\ and \" as they are. */
static inline bool esc_plain(uint8_t c, enum esc_mode m)
{
	if (c < 0x20 || c >= 0x7f)
		return false;
	return m == ESC_STR || (c != '\\' && c != '"');
}

/* The letter of c's short escape ("\n" for a newline), or 0. */
static char short_escape(uint8_t c, bool json)
{
	switch (c) {
	case '\n':
		return 'n';
	case '\r':
		return 'r';
	case '\t':
		return 't';
	case '\\':
		return '\\';
	case '"':
		return '"';
	case '\b':
		return json ? 'b' : 0;
	case '\f':
		return json ? 'f' : 0;
	default:
		return 0;
	}
}

static void put_esc_byte(struct kcap_sbuf *b, uint8_t c)
{
	char t[4] = { '\\', short_escape(c, false), hex_digits[c >> 4],
		      hex_digits[c & 0xf] };

	if (t[1]) {
		kcap_sbuf_put(b, t, 2);
		return;
	}
	t[1] = 'x';
	kcap_sbuf_put(b, t, 4);
}

/* A string's bytes from v[i] >= 0x80: the UTF-8 sequence, or escaped. */
static uint32_t put_str_nonascii(struct kcap_sbuf *b, const uint8_t *v, uint32_t n)
{
	uint32_t len = utf8_len(v, n);
	char t[6];

	if (!len) {
		put_esc_byte(b, v[0]);
		return 1;
	}
	if (cp_is_control(utf8_cp(v, len))) {
		put_u_escape(t, utf8_cp(v, len));
		kcap_sbuf_put(b, t, sizeof(t));
	} else {
		kcap_sbuf_put(b, (const char *)v, len);
	}
	return len;
}

static void put_escaped(struct kcap_sbuf *b, const uint8_t *v, uint32_t n,
			enum esc_mode m)
{
	uint32_t i = 0, run;

	while (i < n) {
		for (run = i; run < n && esc_plain(v[run], m); run++)
			;
		if (run > i)
			kcap_sbuf_put(b, (const char *)v + i, run - i);
		if (run == n)
			break;
		if (m == ESC_STR && v[run] >= 0x80)
			run += put_str_nonascii(b, v + run, n - run);
		else
			put_esc_byte(b, v[run++]);
		i = run;
	}
}

static void put_str(struct kcap_sbuf *b, const char *s)
{
	put_escaped(b, (const uint8_t *)s, (uint32_t)strlen(s), ESC_STR);
}

/* Raw bytes in hex, cut after max bytes. */
static void put_hexbytes(struct kcap_sbuf *b, const uint8_t *v, uint32_t n,
			 uint32_t max)
{
	uint32_t i, shown = n > max ? max : n;
	char *p = sbuf_room(b, 2 * (size_t)shown);

	if (!p)
		return;
	for (i = 0; i < shown; i++) {
		p[2 * i] = hex_digits[v[i] >> 4];
		p[2 * i + 1] = hex_digits[v[i] & 0xf];
	}
	sbuf_commit(b, 2 * (size_t)shown);
	if (n > max)
		PUT_LIT(b, "...");
}

static void put_bytebuf(struct kcap_sbuf *b, const uint8_t *v, uint32_t n,
			uint32_t max)
{
	put_escaped(b, v, n > max ? max : n, ESC_BYTES);
	if (n > max)
		PUT_LIT(b, "...");
}

/* An I/O buffer as -A or -X shows it; escaped otherwise. */
static void put_buffer(struct kcap_sbuf *b, const uint8_t *v, uint32_t n, uint32_t max,
		       enum kcap_fmt_bytes how)
{
	uint32_t i, shown = n > max ? max : n;

	if (how == KCAP_FMT_BYTES_ESCAPED) {
		put_bytebuf(b, v, n, max);
		return;
	}
	for (i = 0; i < shown; i++) {
		if (how == KCAP_FMT_BYTES_ASCII) {
			kcap_sbuf_putc(b, v[i] >= 0x20 && v[i] < 0x7f ? (char)v[i] : '.');
			continue;
		}
		if (i)
			kcap_sbuf_putc(b, ' ');
		kcap_sbuf_putc(b, hex_digits[v[i] >> 4]);
		kcap_sbuf_putc(b, hex_digits[v[i] & 15]);
	}
	if (n > max)
		PUT_LIT(b, "...");
}

/* What a value is formatted against. */
struct fmt_ctx {
	struct kcap_sbuf *b;
	const struct kcap_evt *ev;
	const struct kcap_threads *th;
	uint32_t max;				/* bytebuf_max */
	enum kcap_fmt_bytes bytes;
	uint64_t *cuts;				/* values cut at KCAP_FMT_STR_MAX */
	const struct ppm_event_info *row;	/* NULL for unknown types */
	int idx;				/* index in row, -1 in a DYN */
};

/* n, or KCAP_FMT_STR_MAX (counted) for a longer string. */
static uint32_t str_shown(const struct fmt_ctx *c, uint32_t n)
{
	if (n <= KCAP_FMT_STR_MAX)
		return n;
	if (c->cuts)
		(*c->cuts)++;
	return KCAP_FMT_STR_MAX;
}

/* A string of n bytes, cut with "..." past KCAP_FMT_STR_MAX. */
static void put_str_cut(const struct fmt_ctx *c, const uint8_t *v, uint32_t n)
{
	uint32_t shown = str_shown(c, n);

	put_escaped(c->b, v, shown, ESC_STR);
	if (shown < n)
		PUT_LIT(c->b, "...");
}

/* NUL-separated strings ("a\0b\0") joined by single spaces ("a b"). */
static void put_strlist(const struct fmt_ctx *c, const uint8_t *v, uint32_t n)
{
	uint32_t off = 0, l, shown = str_shown(c, n);

	while (off < shown) {
		l = str_len(v + off, shown - off);
		if (off)
			kcap_sbuf_putc(c->b, ' ');
		put_escaped(c->b, v + off, l, ESC_STR);
		off += l + 1;
	}
	if (shown < n)
		PUT_LIT(c->b, "...");
}

static void put_ipv4(struct kcap_sbuf *b, const uint8_t *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			kcap_sbuf_putc(b, '.');
		put_u64(b, a[i]);
	}
}

static void put_ipv6(struct kcap_sbuf *b, const uint8_t *a)
{
	char t[INET6_ADDRSTRLEN];

	if (inet_ntop(AF_INET6, a, t, sizeof(t)))
		kcap_sbuf_puts(b, t);
}

static void put_ip_port(struct kcap_sbuf *b, const uint8_t *a, bool v6)
{
	if (v6)
		put_ipv6(b, a);
	else
		put_ipv4(b, a);
	kcap_sbuf_putc(b, ':');
	put_u64(b, rd_le(a + (v6 ? 16 : 4), 2));
}

/* ---------------------------------------------------------------------- */
/* Parameters. */

#define FAMILY_UNIX 1
#define FAMILY_INET 2
#define FAMILY_INET6 10


static bool is_signed_int(enum ppm_param_type t)
{
	return t == PT_INT8 || t == PT_INT16 || t == PT_INT32 || t == PT_INT64;
}

static void fmt_int(struct kcap_sbuf *b, const struct ppm_param_info *pi,
		    const uint8_t *v, uint32_t len)
{
	uint64_t u = rd_le(v, len);
	int64_t s = is_signed_int(pi->type) ? sign_extend(u, len) : (int64_t)u;

	switch (pi->fmt) {
	case PF_HEX:
		put_hex(b, u);
		break;
	case PF_OCT:
		put_oct(b, u);
		break;
	case PF_10_PADDED_DEC:
		put_padded(b, s);
		break;
	default:
		if (is_signed_int(pi->type))
			put_i64(b, s);
		else
			put_u64(b, u);
	}
}

static void put_errno_name(struct kcap_sbuf *b, int64_t v)
{
	const char *name = kcap_errno_name(v);

	if (!name)
		return;
	kcap_sbuf_putc(b, '(');
	kcap_sbuf_puts(b, name);
	kcap_sbuf_putc(b, ')');
}

/*
 * "(A|B)" for the entries of a flag table set in v, in table order. An
 * entry equal to v wins alone; the bits of a listed entry are taken out so
 * that O_RDWR does not also list O_RDONLY and O_WRONLY.
 */
static void put_flag_names(struct kcap_sbuf *b, const struct ppm_flag_table *t,
			   uint32_t v)
{
	const struct ppm_name_value *e;
	uint32_t i, rest = v;
	bool first = true;

	for (i = 0, e = t->entries; i < t->count && e->name; i++, e++) {
		if (e->value == v) {
			kcap_sbuf_putc(b, '(');
			kcap_sbuf_puts(b, e->name);
			kcap_sbuf_putc(b, ')');
			return;
		}
	}
	for (i = 0, e = t->entries; i < t->count && e->name; i++, e++) {
		if (!e->value || (rest & e->value) != e->value)
			continue;
		kcap_sbuf_putc(b, first ? '(' : '|');
		kcap_sbuf_puts(b, e->name);
		rest &= ~e->value;
		first = false;
	}
	if (!first)
		kcap_sbuf_putc(b, ')');
}

static void put_enum_name(struct kcap_sbuf *b, const struct ppm_flag_table *t,
			  uint32_t v)
{
	const struct ppm_name_value *e;
	uint32_t i;

	for (i = 0, e = t->entries; i < t->count && e->name; i++, e++) {
		if (e->value == v) {
			kcap_sbuf_putc(b, '(');
			kcap_sbuf_puts(b, e->name);
			kcap_sbuf_putc(b, ')');
			return;
		}
	}
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Whether the current parameter holds a directory fd (AT_FDCWD applies). */
static bool is_dirfd_param(const struct fmt_ctx *c)
{
	uint32_t k;

	if (!c->row || c->idx < 0)
		return false;
	if (ends_with(c->row->params[c->idx].name, "dirfd"))
		return true;
	for (k = 0; k < c->row->nparams; k++)
		if (c->row->params[k].type == PT_FSRELPATH &&
		    c->row->params[k].dirfd == c->idx)
			return true;
	return false;
}

static void fmt_fd(const struct fmt_ctx *c, int64_t fd)
{
	const char *name;

	put_i64(c->b, fd);
	if (fd == KCAP_AT_FDCWD && is_dirfd_param(c)) {
		PUT_LIT(c->b, "(AT_FDCWD)");
		return;
	}
	if (fd < 0) {
		put_errno_name(c->b, fd);
		return;
	}
	if (!c->th)
		return;
	name = kcap_threads_fd_name(c->th, kcap_evt_tid(c->ev), fd);
	if (!name)
		return;
	kcap_sbuf_putc(c->b, '(');
	put_str(c->b, name);
	kcap_sbuf_putc(c->b, ')');
}

/* The directory a relative path param is relative to, or NULL. */
static const char *reldir(const struct fmt_ctx *c, int dirfd_idx)
{
	const struct ppm_param_info *dpi;
	uint32_t d = (uint32_t)dirfd_idx, len;
	const uint8_t *v;
	int64_t fd;

	if (!c->th || !c->row || dirfd_idx < 0 || d >= c->row->nparams)
		return NULL;
	dpi = &c->row->params[d];
	v = kcap_evt_param(c->ev, dirfd_idx, &len);
	if (dpi->type == PT_FD && len == 8)
		fd = (int64_t)rd_le(v, 8);
	else if (dpi->type == PT_FD32 && len == 4)
		fd = (int32_t)rd_le(v, 4);
	else
		return NULL;
	return kcap_threads_dir(c->th, kcap_evt_tid(c->ev), fd);
}

static void fmt_relpath(const struct fmt_ctx *c, const struct ppm_param_info *pi,
			const uint8_t *v, uint32_t len)
{
	uint32_t n = str_len(v, len);
	struct kcap_sbuf joined = { 0 };
	char rel[KCAP_PATH_MAX + 1];
	const char *dir;

	if (is_legacy_null(v, n)) {
		PUT_LIT(c->b, "<NA>");
		return;
	}
	put_str_cut(c, v, n);
	if (n == 0 || v[0] == '/' || n > KCAP_PATH_MAX)
		return;
	dir = reldir(c, pi->dirfd);
	if (!dir)
		return;
	memcpy(rel, v, n);
	rel[n] = '\0';
	switch (kcap_path_join(&joined, dir, rel)) {
	case 0:
		kcap_sbuf_putc(c->b, '(');
		put_escaped(c->b, (const uint8_t *)joined.p, (uint32_t)joined.len, ESC_STR);
		kcap_sbuf_putc(c->b, ')');
		break;
	case -1:
		c->b->oom = 1;	/* never a line without what it should show */
		break;
	}
	kcap_sbuf_free(&joined);
}

static void fmt_sockaddr(const struct fmt_ctx *c, const uint8_t *v, uint32_t len)
{
	if (v[0] == FAMILY_INET && len == 7)
		put_ip_port(c->b, v + 1, false);
	else if (v[0] == FAMILY_INET6 && len == 19)
		put_ip_port(c->b, v + 1, true);
	else if (v[0] == FAMILY_UNIX)
		put_str_cut(c, v + 1, str_len(v + 1, len - 1));
	else
		put_hexbytes(c->b, v, len, c->max);
}

static void fmt_socktuple(const struct fmt_ctx *c, const uint8_t *v, uint32_t len)
{
	struct kcap_sbuf *b = c->b;
	uint32_t n;

	if (v[0] == FAMILY_INET && len == 13) {
		put_ip_port(b, v + 1, false);
		PUT_LIT(b, "->");
		put_ip_port(b, v + 7, false);
	} else if (v[0] == FAMILY_INET6 && len == 37) {
		put_ip_port(b, v + 1, true);
		PUT_LIT(b, "->");
		put_ip_port(b, v + 19, true);
	} else if (v[0] == FAMILY_UNIX && len >= 17) {
		put_hex(b, rd_le(v + 1, 8));
		PUT_LIT(b, "->");
		put_hex(b, rd_le(v + 9, 8));
		n = str_len(v + 17, len - 17);
		if (n) {
			kcap_sbuf_putc(b, ' ');
			put_str_cut(c, v + 17, n);
		}
	} else {
		put_hexbytes(b, v, len, c->max);
	}
}

/* "fd:flags fd:flags" from u16 k, then k x (i64 fd, u16 flags). */
static void fmt_fdlist(const struct fmt_ctx *c, const uint8_t *v, uint32_t len)
{
	uint32_t k, count;

	count = len >= 2 ? (uint32_t)rd_le(v, 2) : 0;
	if (len < 2 || len != 2 + 10 * count) {
		put_hexbytes(c->b, v, len, c->max);
		return;
	}
	for (k = 0; k < count; k++) {
		const uint8_t *e = v + 2 + 10 * k;

		if (k)
			kcap_sbuf_putc(c->b, ' ');
		put_i64(c->b, (int64_t)rd_le(e, 8));
		kcap_sbuf_putc(c->b, ':');
		put_u64(c->b, rd_le(e + 8, 2));
	}
}

static void fmt_charbuf(const struct fmt_ctx *c, const uint8_t *v, uint32_t len)
{
	uint32_t n = str_len(v, len);

	if (is_legacy_null(v, n))
		PUT_LIT(c->b, "<NA>");
	else
		put_str_cut(c, v, n);
}

static bool is_strlist_name(const char *name)
{
	return !strcmp(name, "args") || !strcmp(name, "env") ||
	       !strcmp(name, "cgroups");
}

static void fmt_value(const struct fmt_ctx *c, const struct ppm_param_info *pi,
		      const uint8_t *v, uint32_t len, int depth);

static void fmt_dyn(const struct fmt_ctx *c, const struct ppm_param_info *pi,
		    const uint8_t *v, uint32_t len, int depth)
{
	struct fmt_ctx sub = *c;

	/* Dynamic tables never nest; a second level is a corrupt table. */
	if (!pi->dyn || v[0] >= pi->dyn->count || depth > 0) {
		put_hexbytes(c->b, v, len, c->max);
		return;
	}
	sub.idx = -1;
	fmt_value(&sub, &pi->dyn->entries[v[0]], v + 1, len - 1, depth + 1);
}

/* Fixed-size types, once their length is known to be right. */
/*
 * The x86_64 number of a generic syscall event: its nativeID, or for an old
 * exit event without one, its thread's last generic enter's; -1 when unknown.
 */
static int32_t generic_native(const struct fmt_ctx *c)
{
	uint16_t type = kcap_evt_type(c->ev), native;
	const struct kcap_thread *th;
	const uint8_t *v;
	uint32_t len;

	if (type != PPME_GENERIC_E && type != PPME_GENERIC_X)
		return -1;
	v = kcap_evt_param(c->ev, 1, &len);
	if (v && len == sizeof(native)) {
		memcpy(&native, v, sizeof(native));
		return native;
	}
	th = type == PPME_GENERIC_X && c->th ? kcap_threads_find(c->th, kcap_evt_tid(c->ev)) : NULL;
	return th ? th->enter_native : -1;
}

/*
 * The name of a syscall id (ppm_sc). Old writers stored 0, "unknown", where
 * their codes lacked the syscall: the generic event's x86_64 number names it.
 */
static const char *syscall_id_name(const struct fmt_ctx *c, uint64_t u)
{
	int32_t native;

	if (u == 0 && (native = generic_native(c)) >= 0 && native < SYSCALL_TABLE_SIZE &&
	    g_syscall_table[native].ppm_sc)
		return g_ppm_sc_names[g_syscall_table[native].ppm_sc];
	return u < PPM_SC_MAX ? g_ppm_sc_names[u] : NULL;
}

static void fmt_fixed(const struct fmt_ctx *c, const struct ppm_param_info *pi,
		      const uint8_t *v, uint32_t len)
{
	struct kcap_sbuf *b = c->b;
	uint64_t u = rd_le(v, len > 8 ? 8 : len);
	const char *name;
	double d;

	switch (pi->type) {
	case PT_ERRNO:
		put_i64(b, (int64_t)u);
		if ((int64_t)u < 0)
			put_errno_name(b, (int64_t)u);
		break;
	case PT_FD:
	case PT_FD32:
		fmt_fd(c, sign_extend(u, len));
		break;
	case PT_PID:
	case PT_PID32:
		put_i64(b, sign_extend(u, len));
		break;
	case PT_FLAGS8:
	case PT_FLAGS16:
	case PT_FLAGS32:
		put_u64(b, u);
		if (pi->flags)
			put_flag_names(b, pi->flags, (uint32_t)u);
		break;
	case PT_ENUMFLAGS8:
	case PT_ENUMFLAGS16:
	case PT_ENUMFLAGS32:
		put_u64(b, u);
		if (pi->flags)
			put_enum_name(b, pi->flags, (uint32_t)u);
		break;
	case PT_MODE:
		put_oct(b, u);
		if (pi->flags && u)
			put_flag_names(b, pi->flags, (uint32_t)u);
		break;
	case PT_SYSCALLID:
		name = syscall_id_name(c, u);
		if (name)
			kcap_sbuf_puts(b, name);
		else
			put_u64(b, u);
		break;
	case PT_SIGTYPE:
		put_u64(b, u);
		name = kcap_signal_name((uint32_t)u);
		if (name) {
			kcap_sbuf_putc(b, '(');
			kcap_sbuf_puts(b, name);
			kcap_sbuf_putc(b, ')');
		}
		break;
	case PT_BOOL:
		if (u)
			PUT_LIT(b, "true");
		else
			PUT_LIT(b, "false");
		break;
	case PT_IPV4ADDR:
		put_ipv4(b, v);
		break;
	case PT_IPV4NET:
		put_ipv4(b, v);
		kcap_sbuf_putc(b, '/');
		put_ipv4(b, v + 4);
		break;
	case PT_IPV6ADDR:
		put_ipv6(b, v);
		break;
	case PT_DOUBLE:
		memcpy(&d, &u, sizeof(d));
		kcap_sbuf_printf(b, "%g", d);
		break;
	case PT_SIGSET:
		put_hex(b, u);
		break;
	case PT_UID: case PT_GID: case PT_RELTIME: case PT_ABSTIME:
	case PT_PORT: case PT_L4PROTO: case PT_SOCKFAMILY:
		put_u64(b, u);
		break;
	default:
		fmt_int(b, pi, v, len);
	}
}

static void fmt_value(const struct fmt_ctx *c, const struct ppm_param_info *pi,
		      const uint8_t *v, uint32_t len, int depth)
{
	uint32_t size;

	if (len == 0) {
		PUT_LIT(c->b, "<NA>");
		return;
	}
	if (!pi) {
		put_bytebuf(c->b, v, len, c->max);
		return;
	}
	size = kcap_param_fixed_size(pi->type);
	if (size) {
		if (len == size)
			fmt_fixed(c, pi, v, len);
		else
			put_hexbytes(c->b, v, len, c->max);
		return;
	}
	switch (pi->type) {
	case PT_CHARBUF:
	case PT_FSPATH:
		fmt_charbuf(c, v, len);
		break;
	case PT_FSRELPATH:
		fmt_relpath(c, pi, v, len);
		break;
	case PT_BYTEBUF:
		if (is_strlist_name(pi->name))
			put_strlist(c, v, len);
		else
			put_buffer(c->b, v, len, c->max, c->bytes);
		break;
	case PT_CHARBUFARRAY:
		put_strlist(c, v, len);
		break;
	case PT_SOCKADDR:
		fmt_sockaddr(c, v, len);
		break;
	case PT_SOCKTUPLE:
		fmt_socktuple(c, v, len);
		break;
	case PT_FDLIST:
		fmt_fdlist(c, v, len);
		break;
	case PT_DYN:
		fmt_dyn(c, pi, v, len, depth);
		break;
	case PT_IPADDR:
		if (len == 4)
			put_ipv4(c->b, v);
		else if (len == 16)
			put_ipv6(c->b, v);
		else
			put_hexbytes(c->b, v, len, c->max);
		break;
	default:
		put_bytebuf(c->b, v, len, c->max);
	}
}

static const struct ppm_event_info *event_row(const struct kcap_evt *ev)
{
	uint16_t type = kcap_evt_type(ev);

	return type < KCAP_EVENT_MAX ? &g_event_info[type] : NULL;
}

static void fmt_param(struct fmt_ctx *c, uint32_t i)
{
	const struct ppm_param_info *pi = NULL;

	const uint8_t *v;
	uint32_t len;

	v = kcap_evt_param(c->ev, (int)i, &len);
	if (!v) {
		PUT_LIT(c->b, "<NA>");
		return;
	}
	if (c->row && i < c->row->nparams)
		pi = &c->row->params[i];
	c->idx = (int)i;
	fmt_value(c, pi, v, len, 0);
}

static void ctx_init(struct fmt_ctx *c, struct kcap_sbuf *b,
		     const struct kcap_evt *ev, const struct kcap_threads *th,
		     const struct kcap_fmt_opts *o)
{
	c->b = b;
	c->ev = ev;
	c->th = th;
	c->max = o ? o->bytebuf_max : KCAP_FMT_BYTEBUF_DEFAULT;
	c->bytes = o ? o->bytes : KCAP_FMT_BYTES_ESCAPED;
	c->cuts = o ? o->cuts : NULL;
	c->row = event_row(ev);
	c->idx = -1;
	sbuf_room(b, 0);	/* so that b->p is a string even if nothing follows */
}

void kcap_fmt_param(struct kcap_sbuf *b, const struct kcap_evt *ev, uint32_t i,
		    const struct kcap_threads *th, const struct kcap_fmt_opts *o)
{
	struct fmt_ctx c;

	ctx_init(&c, b, ev, th, o);
	fmt_param(&c, i);
}

/* The table's name of parameter i, or NULL when "p<i>" applies. */
static const char *param_name(const struct fmt_ctx *c, uint32_t i)
{
	if (c->row && i < c->row->nparams)
		return c->row->params[i].name;
	return NULL;
}

static void put_param_name(struct kcap_sbuf *b, const char *name, uint32_t i)
{
	if (name) {
		kcap_sbuf_puts(b, name);
		return;
	}
	kcap_sbuf_putc(b, 'p');
	put_u64(b, i);
}

void kcap_fmt_params(struct kcap_sbuf *b, const struct kcap_evt *ev,
		     const struct kcap_threads *th, const struct kcap_fmt_opts *o)
{
	struct fmt_ctx c;
	uint32_t i;

	ctx_init(&c, b, ev, th, o);
	for (i = 0; i < ev->nparams; i++) {
		if (i)
			kcap_sbuf_putc(b, ' ');
		put_param_name(b, param_name(&c, i), i);
		kcap_sbuf_putc(b, '=');
		fmt_param(&c, i);
	}
}

/* ---------------------------------------------------------------------- */
/* Lines. */

static const char *event_name(const struct kcap_evt *ev)
{
	const struct ppm_event_info *row = event_row(ev);

	return row && row->name ? row->name : "unknown";
}

static const char *thread_comm(const struct kcap_evt *ev,
			       const struct kcap_threads *th)
{
	const struct kcap_thread *t;

	if (!th)
		return NULL;
	t = kcap_threads_find(th, kcap_evt_tid(ev));
	return t ? t->comm : NULL;
}

void kcap_fmt_time(struct kcap_sbuf *b, uint64_t ts)
{
	put_time(b, ts);
}

void kcap_fmt_str(struct kcap_sbuf *b, const char *s)
{
	put_str(b, s);
}

const char *kcap_fmt_event_name(const struct kcap_evt *ev)
{
	return event_name(ev);
}

void kcap_fmt_text_line(struct kcap_sbuf *b, uint64_t num, const struct kcap_evt *ev,
			const struct kcap_threads *th, const struct kcap_fmt_opts *o)
{
	const char *comm = thread_comm(ev, th);

	put_u64(b, num);
	kcap_sbuf_putc(b, ' ');
	put_time(b, kcap_evt_ts(ev));
	kcap_sbuf_putc(b, ' ');
	put_u64(b, ev->cpu);
	kcap_sbuf_putc(b, ' ');
	if (comm)
		put_str(b, comm);
	else
		PUT_LIT(b, "<NA>");
	PUT_LIT(b, " (");
	put_i64(b, kcap_evt_tid(ev));
	PUT_LIT(b, ") ");
	kcap_sbuf_putc(b, PPME_IS_ENTER(kcap_evt_type(ev)) ? '>' : '<');
	kcap_sbuf_putc(b, ' ');
	kcap_sbuf_puts(b, event_name(ev));
	if (ev->nparams) {
		kcap_sbuf_putc(b, ' ');
		kcap_fmt_params(b, ev, th, o);
	}
	kcap_sbuf_putc(b, '\n');
}

/* Writes the JSON form of src[0..n) at dst; returns its length (<= 6n). */
static size_t json_escape(char *dst, const uint8_t *src, size_t n)
{
	char *d = dst, esc;
	size_t i = 0;
	uint32_t l;

	while (i < n) {
		uint8_t c = src[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*d++ = (char)c;
			i++;
			continue;
		}
		if (c >= 0x80 && (l = utf8_printable(src + i, n - i))) {
			memcpy(d, src + i, l);
			d += l;
			i += l;
			continue;
		}
		if (c >= 0x80 && (l = utf8_len(src + i, n - i))) {
			put_u_escape(d, utf8_cp(src + i, l));
			d += 6;
			i += l;
			continue;
		}
		*d++ = '\\';
		esc = short_escape(c, true);
		if (esc) {
			*d++ = esc;
		} else {
			memcpy(d, "u00", 3);
			d[3] = hex_digits[c >> 4];
			d[4] = hex_digits[c & 0xf];
			d += 5;
		}
		i++;
	}
	return (size_t)(d - dst);
}

/*
 * Makes b->p[start..len) a valid JSON string body. Text usually needs no
 * change; otherwise it is escaped into the free space after it, then moved.
 */
static void json_fix_tail(struct kcap_sbuf *b, size_t start)
{
	const uint8_t *s;
	size_t i, n, m;
	char *room;

	if (b->oom)
		return;
	s = (const uint8_t *)b->p + start;
	n = b->len - start;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f || s[i] == '"' || s[i] == '\\')
			break;
	if (i == n)
		return;
	if (n > (SIZE_MAX - b->len) / 6 || !(room = sbuf_room(b, 6 * n)))
		return;
	m = json_escape(room, (const uint8_t *)b->p + start, n);
	memmove(b->p + start, room, m);
	b->len = start;
	sbuf_commit(b, m);
}

static void put_json_str(struct kcap_sbuf *b, const char *s)
{
	size_t start;

	kcap_sbuf_putc(b, '"');
	start = b->len;
	kcap_sbuf_puts(b, s);
	json_fix_tail(b, start);
	kcap_sbuf_putc(b, '"');
}

static void json_params(struct kcap_sbuf *b, const struct kcap_evt *ev,
			const struct kcap_threads *th, const struct kcap_fmt_opts *o)
{
	struct fmt_ctx c;
	size_t start;
	uint32_t i;

	ctx_init(&c, b, ev, th, o);
	for (i = 0; i < ev->nparams; i++) {
		if (i)
			kcap_sbuf_putc(b, ',');
		kcap_sbuf_putc(b, '"');
		start = b->len;
		put_param_name(b, param_name(&c, i), i);
		json_fix_tail(b, start);
		PUT_LIT(b, "\":\"");
		start = b->len;
		fmt_param(&c, i);
		json_fix_tail(b, start);
		kcap_sbuf_putc(b, '"');
	}
}

static void json_str_or_null(struct kcap_sbuf *b, const char *s)
{
	if (s)
		put_json_str(b, s);
	else
		PUT_LIT(b, "null");
}

static void json_i64_or_null(struct kcap_sbuf *b, bool known, int64_t v)
{
	if (known)
		put_i64(b, v);
	else
		PUT_LIT(b, "null");
}

/*
 * The event's process as the thread table knows it: pid, ppid (its parent's
 * pid, or the parent thread's id when the parent is unknown), uid, user
 * name, gid, container ("host" outside one); and the fd the event works on
 * with its name. null where unknown.
 */
static void json_fd(struct kcap_sbuf *b, const struct kcap_evt *ev,
		    const struct kcap_threads *th, const struct kcap_thread *t)
{
	const char *name;
	int64_t fd;

	PUT_LIT(b, ",\"fd\":");
	if (kcap_evt_type(ev) >= KCAP_EVENT_MAX || !kcap_event_fd(ev, t, &fd)) {
		PUT_LIT(b, "null");
		return;
	}
	PUT_LIT(b, "{\"num\":");
	put_i64(b, fd);
	PUT_LIT(b, ",\"name\":");
	name = th ? kcap_threads_fd_name(th, kcap_evt_tid(ev), fd) : NULL;
	json_str_or_null(b, name);
	PUT_LIT(b, "}");
}

static void json_process(struct kcap_sbuf *b, const struct kcap_evt *ev,
			 const struct kcap_threads *th)
{
	const struct kcap_thread *t = th ? kcap_threads_find(th, kcap_evt_tid(ev)) : NULL;
	const struct kcap_thread *parent = t ? kcap_threads_find(th, t->ptid) : NULL;
	const char *user = t && t->uid >= 0 ? kcap_threads_user(th, (uint32_t)t->uid) : NULL;

	PUT_LIT(b, ",\"pid\":");
	json_i64_or_null(b, t, t ? t->pid : 0);
	PUT_LIT(b, ",\"ppid\":");
	json_i64_or_null(b, t && t->ptid, parent ? parent->pid : t ? t->ptid : 0);
	PUT_LIT(b, ",\"uid\":");
	json_i64_or_null(b, t && t->uid >= 0, t ? t->uid : 0);
	PUT_LIT(b, ",\"user\":");
	json_str_or_null(b, user);
	PUT_LIT(b, ",\"gid\":");
	json_i64_or_null(b, t && t->gid >= 0, t ? t->gid : 0);
	PUT_LIT(b, ",\"container\":");
	json_str_or_null(b, !t ? NULL : t->container[0] ? t->container : "host");
	json_fd(b, ev, th, t);
}

void kcap_fmt_json_line(struct kcap_sbuf *b, uint64_t num, const struct kcap_evt *ev,
			const struct kcap_threads *th, const struct kcap_fmt_opts *o)
{
	const char *comm = thread_comm(ev, th);

	PUT_LIT(b, "{\"num\":");
	put_u64(b, num);
	PUT_LIT(b, ",\"ts\":");
	put_u64(b, kcap_evt_ts(ev));
	PUT_LIT(b, ",\"time\":\"");
	put_time(b, kcap_evt_ts(ev));
	PUT_LIT(b, "\",\"cpu\":");
	put_u64(b, ev->cpu);
	PUT_LIT(b, ",\"proc\":");
	json_str_or_null(b, comm);
	PUT_LIT(b, ",\"tid\":");
	put_i64(b, kcap_evt_tid(ev));
	json_process(b, ev, th);
	if (PPME_IS_ENTER(kcap_evt_type(ev)))
		PUT_LIT(b, ",\"dir\":\">\",\"type\":");
	else
		PUT_LIT(b, ",\"dir\":\"<\",\"type\":");
	put_json_str(b, event_name(ev));
	PUT_LIT(b, ",\"params\":{");
	json_params(b, ev, th, o);
	PUT_LIT(b, "}}\n");
}
