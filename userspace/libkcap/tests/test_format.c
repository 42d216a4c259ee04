// SPDX-License-Identifier: MIT
/*
 * Formatting of events as text and JSON, on events built by hand. No thread
 * table here (th = NULL): fd names and path resolution belong to the
 * thread table's own tests.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "format.h"
#include "scap_build.h"

#define TS_DEFAULT 1700000000123456789ull	/* 22:13:20.123456789 UTC */
#define TID_DEFAULT 1234

struct tparam {
	const void *v;
	uint32_t len;
};

/* Little-endian values, as on the x86_64 hosts this runs on. */
#define I64(x) { &(int64_t){ (x) }, 8 }
#define U64(x) { &(uint64_t){ (x) }, 8 }
#define I32(x) { &(int32_t){ (x) }, 4 }
#define U32(x) { &(uint32_t){ (x) }, 4 }
#define I16(x) { &(int16_t){ (x) }, 2 }
#define U16(x) { &(uint16_t){ (x) }, 2 }
#define U8(x) { &(uint8_t){ (x) }, 1 }
#define STR(s) { (s), sizeof(s) }		/* with its NUL */
#define BYTES(s) { (s), sizeof(s) - 1 }		/* without */
#define RAW(p, n) { (p), (n) }
#define EMPTY { "", 0 }

static uint8_t evbuf[1 << 21];
static struct kcap_evt evt;
static struct kcap_sbuf out;

static void suite_fini(void)
{
	kcap_sbuf_free(&out);
}

TestSuite(format, .fini = suite_fini);

/* Assembles a V2 event (header, lengths, values) and parses it. */
static struct kcap_evt *build(uint16_t type, uint64_t ts, int64_t tid,
			      uint32_t n, const struct tparam *p)
{
	unsigned width = kcap_evt_len_width(type);
	size_t off = PPM_EVT_HDR_SIZE + n * width;
	struct ppm_evt_hdr hdr;
	const char *why = "";
	uint32_t i;

	for (i = 0; i < n; i++) {
		cr_assert_leq(off + p[i].len, sizeof(evbuf));
		memcpy(evbuf + PPM_EVT_HDR_SIZE + i * width, &p[i].len, width);
		memcpy(evbuf + off, p[i].v, p[i].len);
		off += p[i].len;
	}
	hdr.ts = ts;
	hdr.tid = (uint64_t)tid;
	hdr.len = (uint32_t)off;
	hdr.type = type;
	hdr.nparams = n;
	memcpy(evbuf, &hdr, sizeof(hdr));
	memset(&evt, 0, sizeof(evt));
	cr_assert_eq(kcap_evt_parse(evbuf, off, &evt, &why), 0, "parse: %s", why);
	evt.cpu = 3;
	return &evt;
}

#define NPARAMS(...) \
	(uint32_t)(sizeof((struct tparam[]){ __VA_ARGS__ }) / sizeof(struct tparam))
#define EV(type, ...) \
	build((type), TS_DEFAULT, TID_DEFAULT, NPARAMS(__VA_ARGS__), \
	      (struct tparam[]){ __VA_ARGS__ })
#define EV0(type) build((type), TS_DEFAULT, TID_DEFAULT, 0, NULL)

static const char *param_o(const struct kcap_evt *ev, uint32_t i,
			   const struct kcap_fmt_opts *o)
{
	kcap_sbuf_reset(&out);
	kcap_fmt_param(&out, ev, i, NULL, o);
	cr_assert_not_null(out.p);
	cr_assert_eq(strlen(out.p), out.len, "the buffer stays a C string");
	return out.p;
}

static const char *param(const struct kcap_evt *ev, uint32_t i)
{
	return param_o(ev, i, NULL);
}

static const char *params(const struct kcap_evt *ev)
{
	kcap_sbuf_reset(&out);
	kcap_fmt_params(&out, ev, NULL, NULL);
	return out.p;
}

static const char *text_line(uint64_t num, const struct kcap_evt *ev)
{
	kcap_sbuf_reset(&out);
	kcap_fmt_text_line(&out, num, ev, NULL, NULL);
	return out.p;
}

static const char *json_line(uint64_t num, const struct kcap_evt *ev)
{
	kcap_sbuf_reset(&out);
	kcap_fmt_json_line(&out, num, ev, NULL, NULL);
	return out.p;
}

#define expect_param(ev, i, want) cr_expect_str_eq(param((ev), (i)), (want))

/* Parses a JSON line strictly (UTF-8 included); the caller puts it. */
static json_object *parse_json(const char *line)
{
	json_tokener *tok = json_tokener_new();
	size_t n = strlen(line);
	json_object *obj;

	cr_assert_gt(n, 0);
	cr_assert_eq(line[n - 1], '\n', "a JSON line ends with a newline");
	cr_assert_null(memchr(line, '\n', n - 1), "one line only: %s", line);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, line, (int)n - 1);
	cr_assert_not_null(obj, "invalid JSON (%s): %s",
			   json_tokener_error_desc(json_tokener_get_error(tok)), line);
	json_tokener_free(tok);
	return obj;
}

static const char *json_param(json_object *obj, const char *name)
{
	json_object *ps, *v;

	cr_assert(json_object_object_get_ex(obj, "params", &ps));
	cr_assert(json_object_object_get_ex(ps, name, &v), "no param %s", name);
	return json_object_get_string(v);
}

/* ---------------------------------------------------------------------- */

Test(format, sbuf_appends_grows_and_resets)
{
	struct kcap_sbuf b = { 0 };
	size_t cap, i;

	kcap_sbuf_putc(&b, 'a');
	kcap_sbuf_put(&b, "bcd", 2);
	kcap_sbuf_puts(&b, "-x-");
	kcap_sbuf_printf(&b, "%d/%s", 42, "y");
	cr_assert_str_eq(b.p, "abc-x-42/y");
	cr_assert_eq(b.len, 10);
	for (i = 0; i < 10000; i++)
		kcap_sbuf_putc(&b, 'z');
	cr_assert_eq(b.len, 10010);
	cr_assert_geq(b.cap, b.len + 1);
	cr_assert_eq(b.oom, 0);
	cap = b.cap;
	kcap_sbuf_reset(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(b.cap, cap, "reset keeps the capacity");
	cr_assert_str_eq(b.p, "");
	kcap_sbuf_free(&b);
	cr_assert_null(b.p);
	cr_assert_eq(b.cap, 0);
}

Test(format, sbuf_printf_longer_than_room)
{
	struct kcap_sbuf b = { 0 };
	char big[5000];

	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	kcap_sbuf_puts(&b, "<");
	kcap_sbuf_printf(&b, "%s>%u", big, 7u);
	cr_assert_eq(b.len, 1 + 4999 + 2);
	cr_assert_eq(b.p[0], '<');
	cr_assert_eq(b.p[5000], '>');
	cr_assert_str_eq(b.p + 5000, ">7");
	kcap_sbuf_free(&b);
}

Test(format, empty_param_is_na)
{
	struct kcap_evt *ev = EV(PPME_OPEN_X, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY);
	uint32_t i;

	for (i = 0; i < 6; i++)
		expect_param(ev, i, "<NA>");
	cr_expect_str_eq(params(ev),
			 "fd=<NA> name=<NA> flags=<NA> mode=<NA> dev=<NA> ino=<NA>");
}

Test(format, fixed_size_mismatch_prints_hex)
{
	/* An ERRNO of 4 bytes and an FD of 9: never read past len. */
	uint8_t nine[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct kcap_evt *ev = EV(PPME_CLOSE_X, U32(0x04030201), RAW(nine, 9));

	expect_param(ev, 0, "01020304");
	expect_param(ev, 1, "010203040506070809");
}

Test(format, errno_values)
{
	struct kcap_evt *ev = EV(PPME_CLOSE_X, I64(0), I64(3));

	expect_param(ev, 0, "0");
	ev = EV(PPME_CLOSE_X, I64(5), I64(3));
	expect_param(ev, 0, "5");
	ev = EV(PPME_CLOSE_X, I64(-2), I64(3));
	expect_param(ev, 0, "-2(ENOENT)");
	ev = EV(PPME_CLOSE_X, I64(-11), I64(3));
	expect_param(ev, 0, "-11(EAGAIN)");
	ev = EV(PPME_CLOSE_X, I64(-9999), I64(3));
	expect_param(ev, 0, "-9999");
	ev = EV(PPME_CLOSE_X, I64(INT64_MIN), I64(3));
	expect_param(ev, 0, "-9223372036854775808");
}

Test(format, fd_values)
{
	struct kcap_evt *ev = EV(PPME_CLOSE_X, I64(0), I64(3));

	expect_param(ev, 1, "3");
	ev = EV(PPME_CLOSE_X, I64(0), I64(-9));
	expect_param(ev, 1, "-9(EBADF)");
	/* Not a dirfd: -100 is just an errno here. */
	ev = EV(PPME_CLOSE_X, I64(0), I64(-100));
	expect_param(ev, 1, "-100(ENETDOWN)");
	ev = EV(PPME_TASK_FILE_PIPE_E, I32(7), STR("pipe:[1]"), U64(99));
	expect_param(ev, 0, "7");
	ev = EV(PPME_TASK_FILE_PIPE_E, I32(-24), STR(""), U64(99));
	expect_param(ev, 0, "-24(EMFILE)");
}

Test(format, dirfd_at_fdcwd)
{
	struct kcap_evt *ev = EV(PPME_OPENAT_X, I64(-2), I64(-100), STR("a.txt"),
				 U32(1), U32(0), U32(0), U64(0));

	expect_param(ev, 0, "-2(ENOENT)");
	expect_param(ev, 1, "-100(AT_FDCWD)");
	/* Without a thread table a relative path stays as it is. */
	expect_param(ev, 2, "a.txt");
	/* linkat's "olddir" is a dirfd because a path refers to it. */
	ev = EV(PPME_LINKAT_X, I64(0), I64(-100), STR("a"), I64(-100), STR("/b"), U32(0));
	expect_param(ev, 1, "-100(AT_FDCWD)");
	expect_param(ev, 3, "-100(AT_FDCWD)");
	expect_param(ev, 4, "/b");
}

Test(format, signed_and_unsigned_ints)
{
	struct kcap_evt *ev = EV(PPME_SEMOP_X, I64(0), U32(UINT32_MAX),
				 U16(65535), I16(-3), U16(0), U16(1), I16(32767),
				 U16(3), I32(INT32_MIN));

	expect_param(ev, 1, "4294967295");
	expect_param(ev, 2, "65535");
	expect_param(ev, 3, "-3");
	expect_param(ev, 6, "32767");
	expect_param(ev, 8, "-2147483648");
	ev = EV(PPME_OPEN_X, I64(3), STR("/x"), U32(1), U32(0), U32(0),
		U64(UINT64_MAX));
	expect_param(ev, 5, "18446744073709551615");
}

Test(format, hex_and_octal_formats)
{
	struct kcap_evt *ev = EV(PPME_SIGNALFD_E, I64(3), U32(0xdeadbeef), U8(1));

	expect_param(ev, 1, "0xdeadbeef");
	expect_param(ev, 2, "0x1");
	/* A negative signed int in hex is its two's complement in its width. */
	ev = EV(PPME_SEMGET_X, I64(0), I32(-1), I32(4), U32(0));
	expect_param(ev, 1, "0xffffffff");
	ev = EV(PPME_OPEN_E, STR("/x"), U32(1), U32(0644));
	expect_param(ev, 2, "0644");
	ev = EV(PPME_OPEN_E, STR("/x"), U32(1), U32(0));
	expect_param(ev, 2, "0");
	ev = EV(PPME_MLOCK2_X, I64(0), U64(0x7f0000001000ull), U64(4096), U32(0));
	expect_param(ev, 1, "0x7f0000001000");
	expect_param(ev, 2, "4096");
}

Test(format, pids_uids_gids)
{
	struct kcap_evt *ev = EV(PPME_SETUID_X, I64(0), U32(0xffffffff));

	expect_param(ev, 1, "4294967295");
	ev = EV(PPME_SETRESGID_X, I64(0), U32(0), U32(1000), U32(65534));
	expect_param(ev, 2, "1000");
	expect_param(ev, 3, "65534");
	ev = EV(PPME_KILL_X, I64(0), I64(4321), U8(15));
	expect_param(ev, 1, "4321");
	ev = EV(PPME_TASK_FILE_PIPE_E, I32(7), STR("pipe"), U64(99));
	cr_expect_str_eq(params(ev), "fd=7 path=pipe ino_num=99");
}

Test(format, flags_by_name)
{
	struct kcap_evt *ev = EV(PPME_OPEN_E, STR("/x"), U32(1), U32(0));

	expect_param(ev, 1, "1(O_RDONLY)");
	ev = EV(PPME_OPEN_E, STR("/x"), U32(3), U32(0));
	expect_param(ev, 1, "3(O_RDWR)");
	/* Table order; O_RDWR's bits are not listed again as RDONLY|WRONLY. */
	ev = EV(PPME_OPEN_E, STR("/x"), U32(0x1000 | 0x4 | 0x3), U32(0));
	expect_param(ev, 1, "4103(O_CREAT|O_RDWR|O_CLOEXEC)");
	ev = EV(PPME_OPEN_E, STR("/x"), U32(0x1001), U32(0));
	expect_param(ev, 1, "4097(O_RDONLY|O_CLOEXEC)");
	/* A zero entry names the value 0 only. */
	ev = EV(PPME_OPEN_E, STR("/x"), U32(0), U32(0));
	expect_param(ev, 1, "0(O_NONE)");
	/* Bits without a name are left out of the list. */
	ev = EV(PPME_OPEN_E, STR("/x"), U32(0x100001), U32(0));
	expect_param(ev, 1, "1048577(O_RDONLY)");
	ev = EV(PPME_OPEN_E, STR("/x"), U32(0x100000), U32(0));
	expect_param(ev, 1, "1048576");
	/* access: F_OK is 0, R_OK 4, W_OK 2. */
	ev = EV(PPME_ACCESS_E, U32(6));
	expect_param(ev, 0, "6(R_OK|W_OK)");
	ev = EV(PPME_ACCESS_E, U32(0));
	expect_param(ev, 0, "0(F_OK)");
	/* FLAGS16 */
	ev = EV(PPME_SEMOP_X, I64(0), U32(1), U16(0), I16(1), U16(3), U16(0),
		I16(0), U16(0), I32(1));
	expect_param(ev, 4, "3(IPC_NOWAIT|SEM_UNDO)");
	expect_param(ev, 7, "0");
}

Test(format, enumflags_by_name)
{
	struct kcap_evt *ev = EV(PPME_SOCKET_E, U32(2), U32(1), U32(0));

	expect_param(ev, 0, "2(AF_INET)");
	ev = EV(PPME_SOCKET_E, U32(999), U32(1), U32(0));
	expect_param(ev, 0, "999");
	ev = EV(PPME_BPF_X, I64(5), U32(5));
	expect_param(ev, 1, "5(BPF_PROG_LOAD)");
}

Test(format, mode_octal_with_names)
{
	struct kcap_evt *ev = EV(PPME_CHMOD_X, I64(0), STR("/f"), U32(0755));

	expect_param(ev, 2, "0755(S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR)");
	ev = EV(PPME_CHMOD_X, I64(0), STR("/f"), U32(04600));
	expect_param(ev, 2, "04600(S_IWUSR|S_IRUSR|S_ISUID)");
	ev = EV(PPME_CHMOD_X, I64(0), STR("/f"), U32(0));
	expect_param(ev, 2, "0");
}

Test(format, strings)
{
	struct kcap_evt *ev = EV(PPME_CHMOD_X, I64(0), STR("/etc/passwd"), U32(0));

	expect_param(ev, 1, "/etc/passwd");
	ev = EV(PPME_CHMOD_X, I64(0), STR("(NULL)"), U32(0));
	expect_param(ev, 1, "<NA>");
	ev = EV(PPME_CHMOD_X, I64(0), STR(""), U32(0));
	expect_param(ev, 1, "");
	/* No NUL (truncated): stop at len. An inner NUL ends the string. */
	ev = EV(PPME_CHMOD_X, I64(0), BYTES("abc"), U32(0));
	expect_param(ev, 1, "abc");
	ev = EV(PPME_CHMOD_X, I64(0), STR("ab\0cd"), U32(0));
	expect_param(ev, 1, "ab");
	/* Control bytes cannot break the line; UTF-8 is kept. */
	ev = EV(PPME_CHMOD_X, I64(0), STR("a\nb\x01 \xc3\xa9"), U32(0));
	expect_param(ev, 1, "a\\nb\\x01 \xc3\xa9");
	ev = EV(PPME_UMOUNT_V1_X, I64(0), STR("/mnt"));
	expect_param(ev, 1, "/mnt");
}

Test(format, relpath_without_threads)
{
	struct kcap_evt *ev = EV(PPME_OPENAT_X, I64(3), I64(5), STR("rel/x"),
				 U32(1), U32(0), U32(0), U64(0));

	expect_param(ev, 1, "5");
	expect_param(ev, 2, "rel/x");
	ev = EV(PPME_OPENAT_X, I64(3), I64(-100), STR("(NULL)"),
		U32(1), U32(0), U32(0), U64(0));
	expect_param(ev, 2, "<NA>");
}

Test(format, bytebuf_escaping)
{
	static const char data[] = "hi \"x\" \\ \n\r\t\x01\x7f\xff~";
	struct kcap_evt *ev = EV(PPME_WRITE_X, I64(14), BYTES(data));

	expect_param(ev, 1, "hi \\\"x\\\" \\\\ \\n\\r\\t\\x01\\x7f\\xff~");
	ev = EV(PPME_WRITE_X, I64(3), RAW("a\0b", 3));
	expect_param(ev, 1, "a\\x00b");
}

Test(format, bytebuf_cut)
{
	char data[200];
	struct kcap_fmt_opts o = { .bytebuf_max = 4 };
	struct kcap_evt *ev;
	char want[100];

	memset(data, 'a', sizeof(data));
	ev = EV(PPME_WRITE_X, I64(100), RAW(data, 100));
	memset(want, 'a', 80);
	strcpy(want + 80, "...");
	expect_param(ev, 1, want);
	cr_expect_str_eq(param_o(ev, 1, &o), "aaaa...");
	ev = EV(PPME_WRITE_X, I64(80), RAW(data, 80));
	want[80] = '\0';
	expect_param(ev, 1, want);
	/* The cut counts bytes of data, not of text. */
	ev = EV(PPME_WRITE_X, I64(6), RAW("\n\n\n\n\n\n", 6));
	cr_expect_str_eq(param_o(ev, 1, &o), "\\n\\n\\n\\n...");
}

Test(format, bytebuf_large_grows_buffer)
{
	static uint8_t data[60000];
	struct kcap_fmt_opts o = { .bytebuf_max = 100000 };
	struct kcap_evt *ev;
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	ev = EV(PPME_WRITE_X, I64(60000), RAW(data, sizeof(data)));
	param_o(ev, 1, &o);
	cr_assert_eq(out.oom, 0);
	cr_assert_gt(out.len, sizeof(data));
	cr_assert_eq(strncmp(out.p, "\\x00\\x01", 8), 0);
}

Test(format, execve_args_env)
{
	struct kcap_evt *ev = EV(PPME_EXECVE_X, I64(0), STR("/bin/sh"),
				 BYTES("-c\0ls -l\0"));

	expect_param(ev, 2, "-c ls -l");
	/* A last string cut without its NUL is still shown. */
	ev = EV(PPME_EXECVE_X, I64(0), STR("/bin/sh"), BYTES("-c\0ec"));
	expect_param(ev, 2, "-c ec");
	ev = EV(PPME_EXECVE_X, I64(0), STR("/bin/sh"), BYTES("x\ty\0"));
	expect_param(ev, 2, "x\\ty");
}

Test(format, charbufarray)
{
	struct kcap_evt *ev = EV(PPME_TASK_E, I32(1), I32(1), I32(1), I32(1),
				 STR("bash"), BYTES("bash\0-l\0"));

	expect_param(ev, 4, "bash");
	expect_param(ev, 5, "bash -l");
}

Test(format, sockaddr)
{
	uint8_t in4[7] = { 2, 1, 2, 3, 4, 80, 0 };
	uint8_t in6[19] = { 10, [16] = 1, [17] = 0xbb, [18] = 0x01 };
	uint8_t un[] = { 1, '/', 't', 'm', 'p', '/', 's', 0 };
	uint8_t nl[5] = { 16, 1, 2, 3, 4 };
	struct kcap_evt *ev;

	ev = EV(PPME_CONNECT_E, I64(3), RAW(in4, 7));
	expect_param(ev, 1, "1.2.3.4:80");
	ev = EV(PPME_CONNECT_E, I64(3), RAW(in6, 19));
	expect_param(ev, 1, "::1:443");
	ev = EV(PPME_CONNECT_E, I64(3), RAW(un, sizeof(un)));
	expect_param(ev, 1, "/tmp/s");
	ev = EV(PPME_CONNECT_E, I64(3), RAW(nl, 5));
	expect_param(ev, 1, "1001020304");
	ev = EV(PPME_CONNECT_E, I64(3), RAW(in4, 6));
	expect_param(ev, 1, "020102030450");
	/* Raw hex is cut like a buffer. */
	cr_expect_str_eq(param_o(ev, 1, &(struct kcap_fmt_opts){ .bytebuf_max = 2 }),
			 "0201...");
}

Test(format, socktuple)
{
	uint8_t t4[13] = { 2, 127, 0, 0, 1, 0x28, 0xa0, 127, 0, 0, 1, 80, 0 };
	uint8_t t6[37] = { 10, [16] = 1, [17] = 0x39, [18] = 0x30,
			   [19] = 0xfe, [20] = 0x80, [34] = 0x22, [35] = 0x50 };
	uint8_t tu[1 + 16 + 8] = { 1, 0x10, 0x32, 0, 0, 0, 0x80, 0xff, 0xff,
				   0xab, [17] = '/', 'r', 'u', 'n', '/', 's', 0 };
	uint8_t tu0[18] = { 1, 1, [9] = 2, [17] = 0 };
	struct kcap_evt *ev;

	ev = EV(PPME_CONNECT_X, I64(0), RAW(t4, 13), I64(3), EMPTY);
	expect_param(ev, 1, "127.0.0.1:41000->127.0.0.1:80");
	ev = EV(PPME_CONNECT_X, I64(0), RAW(t6, 37), I64(3), EMPTY);
	expect_param(ev, 1, "::1:12345->fe80::22:80");
	ev = EV(PPME_CONNECT_X, I64(0), RAW(tu, 24), I64(3), EMPTY);
	expect_param(ev, 1, "0xffff800000003210->0xab /run/s");
	ev = EV(PPME_CONNECT_X, I64(0), RAW(tu0, 18), I64(3), EMPTY);
	expect_param(ev, 1, "0x1->0x2");
	/* A UNIX tuple exactly 17 bytes long has an empty path too. */
	ev = EV(PPME_CONNECT_X, I64(0), RAW(tu0, 17), I64(3), EMPTY);
	expect_param(ev, 1, "0x1->0x2");
	ev = EV(PPME_CONNECT_X, I64(0), RAW(t4, 12), I64(3), EMPTY);
	expect_param(ev, 1, "027f00000128a07f00000150");
	expect_param(ev, 3, "<NA>");
}

Test(format, fdlist)
{
	uint8_t two[22] = { 2, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0,
			    4, 0, 0, 0, 0, 0, 0, 0, 5, 0 };
	uint8_t none[2] = { 0, 0 };
	struct kcap_evt *ev;

	ev = EV(PPME_POLL_X, I64(1), RAW(two, 22), I64(-1));
	expect_param(ev, 1, "3:1 4:5");
	expect_param(ev, 2, "-1");
	ev = EV(PPME_POLL_X, I64(0), RAW(none, 2), I64(0));
	expect_param(ev, 1, "");
	/* Claims 2 entries but holds 1: raw bytes. */
	ev = EV(PPME_POLL_X, I64(1), RAW(two, 12), I64(0));
	expect_param(ev, 1, "020003000000000000000100");
	ev = EV(PPME_POLL_X, I64(1), RAW(two, 1), I64(0));
	expect_param(ev, 1, "02");
}

Test(format, syscallid)
{
	struct kcap_evt *ev = EV(PPME_GENERIC_E, U16(PPM_SC_OPENAT), U16(257));

	expect_param(ev, 0, "openat");
	expect_param(ev, 1, "257");
	ev = EV(PPME_GENERIC_X, U16(60000), U16(1));
	expect_param(ev, 0, "60000");
}

Test(format, sigtype)
{
	struct kcap_evt *ev = EV(PPME_KILL_E, I64(1), U8(9));

	expect_param(ev, 1, "9(SIGKILL)");
	ev = EV(PPME_KILL_E, I64(1), U8(34));
	expect_param(ev, 1, "34(SIGRTMIN+2)");
	ev = EV(PPME_KILL_E, I64(1), U8(200));
	expect_param(ev, 1, "200");
	ev = EV(PPME_KILL_E, I64(1), U8(0));
	expect_param(ev, 1, "0");
}

Test(format, times_and_sigset)
{
	struct kcap_evt *ev = EV(PPME_PPOLL_X, I64(0), RAW("\0", 2),
				 U64(1500000000ull), U32(0x4002));

	expect_param(ev, 2, "1500000000");
	expect_param(ev, 3, "0x4002");
}

Test(format, ip_addresses_and_ports)
{
	uint8_t lip[4] = { 10, 0, 0, 1 }, rip[4] = { 192, 168, 1, 200 };
	uint8_t l6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, r6[16] = { 0 };
	struct kcap_evt *ev;

	ev = EV(PPME_TASK_FILE_SOCKET_INET_E, I32(4), U16(1), U16(6),
		RAW(lip, 4), U16(22), RAW(rip, 4), U16(51000), U64(1));
	cr_expect_str_eq(params(ev), "fd=4 sk_type=1 sk_proto=6 local_ip=10.0.0.1 "
			 "local_port=22 remote_ip=192.168.1.200 remote_port=51000 ino_num=1");
	ev = EV(PPME_TASK_FILE_SOCKET_INET6_E, I32(4), U16(1), U16(6),
		RAW(l6, 16), U16(443), RAW(r6, 16), U16(0), U64(1));
	expect_param(ev, 3, "2001:db8::1");
	expect_param(ev, 5, "::");
	expect_param(ev, 4, "443");
}

Test(format, dyn_params)
{
	uint8_t u32v[5] = { 2, 42, 0, 0, 0 };
	uint8_t errv[9] = { 1, 0xf5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t bufv[4] = { 0, 'a', '"', 'b' };
	uint8_t badv[3] = { 9, 1, 2 };
	uint8_t shortv[3] = { 2, 1, 2 };
	uint8_t onlyidx[1] = { 3 };
	uint8_t pa[9] = { 0, 0xff, 0x7f, 0, 0, 0, 0, 0, 0 }, ps[2] = { 1, 9 };
	uint8_t kstr[] = { 1, 'k', 'e', 'y', 0 }, kint[9] = { 0, 0xfe, 0xff, 0xff,
							      0xff, 0xff, 0xff, 0xff, 0xff };
	struct kcap_evt *ev;

#define SOCKOPT(v) EV(PPME_SETSOCKOPT_X, I64(0), I64(3), U8(1), U8(2), \
		      RAW((v), sizeof(v)), U32(4))
	ev = SOCKOPT(u32v);
	expect_param(ev, 4, "42");
	ev = SOCKOPT(errv);
	expect_param(ev, 4, "-11(EAGAIN)");
	ev = SOCKOPT(bufv);
	expect_param(ev, 4, "a\\\"b");
	ev = SOCKOPT(badv);
	expect_param(ev, 4, "090102");
	ev = SOCKOPT(shortv);
	expect_param(ev, 4, "0102");
	ev = SOCKOPT(onlyidx);
	expect_param(ev, 4, "<NA>");
#undef SOCKOPT
	ev = EV(PPME_PTRACE_X, I64(0), RAW(pa, 9), RAW(ps, 2), U16(0), I64(77));
	expect_param(ev, 1, "0x7fff");
	expect_param(ev, 2, "9(SIGKILL)");
	ev = EV(PPME_KEYCTL_X, I64(0), U32(0), RAW(kstr, sizeof(kstr)),
		RAW(kint, 9), EMPTY, EMPTY);
	expect_param(ev, 2, "key");
	expect_param(ev, 3, "-2");
	expect_param(ev, 4, "<NA>");
}

Test(format, unknown_type_and_extra_params)
{
	struct kcap_evt *ev = build(KCAP_EVENT_MAX + 7, TS_DEFAULT, 1, 2,
				    (struct tparam[]){ STR("x\"y"), U8(1) });

	cr_expect_str_eq(params(ev), "p0=x\\\"y\\x00 p1=\\x01");
	cr_expect_str_eq(text_line(1, ev),
			 "1 22:13:20.123456789 3 <NA> (1) < unknown p0=x\\\"y\\x00 p1=\\x01\n");
	/* More params than the table row has. */
	ev = EV(PPME_CLOSE_E, I64(3), STR("zz"));
	cr_expect_str_eq(params(ev), "fd=3 p1=zz\\x00");
	/* Asking for a param the event does not have. */
	expect_param(ev, 5, "<NA>");
}

/*
 * Old writers stored ID 0 ("unknown") for syscalls their codes lacked: the
 * nativeID names it, and an old exit event without one takes its thread's
 * last generic enter's.
 */
Test(format, generic_syscall_named_from_its_native_number)
{
	struct kcap_threads *th = kcap_threads_new();
	struct kcap_meta m;
	struct kcap_proc *p;
	struct kcap_evt *ev;

	cr_assert_not_null(th);
	kcap_meta_init(&m);
	p = kcap_meta_add_proc(&m);
	cr_assert_not_null(p);
	p->tid = p->pid = TID_DEFAULT;
	cr_assert_eq(kcap_threads_load(th, &m), 0);
	kcap_meta_free(&m);
	ev = EV(PPME_GENERIC_E, U16(0), U16(221));
	cr_expect_str_eq(params(ev), "ID=fadvise64 nativeID=221");
	cr_assert_eq(kcap_threads_update(th, ev), 0);
	ev = EV(PPME_GENERIC_X, U16(0));
	cr_expect_str_eq(params(ev), "ID=unknown", "no thread state: nothing to name it from");
	kcap_sbuf_reset(&out);
	kcap_fmt_params(&out, ev, th, NULL);
	cr_expect_str_eq(out.p, "ID=fadvise64");
	ev = EV(PPME_GENERIC_X, U16(0), U16(9999));
	cr_expect_str_eq(params(ev), "ID=unknown nativeID=9999");
	kcap_threads_free(th);
}

/* kcap's own events decode like upstream's: names, flags, addresses. */
Test(format, own_events)
{
	static const uint8_t lo6[16] = { [15] = 1 }, v4[4] = { 10, 0, 0, 2 };
	struct json_object *obj;
	struct kcap_evt *ev;

	ev = build(PPME_TCP_STATE_E, TS_DEFAULT, -1, 8, (struct tparam[]){
		U8(10), U16(6), RAW(lo6, 16), U16(40000), RAW(lo6, 16), U16(5555), U8(2), U8(1) });
	cr_expect_str_eq(text_line(1, ev),
			 "1 22:13:20.123456789 3 <NA> (-1) > tcp_state family=10(AF_INET6) "
			 "protocol=6(IPPROTO_TCP) saddr=::1 sport=40000 daddr=::1 dport=5555 "
			 "oldstate=2(TCP_SYN_SENT) newstate=1(TCP_ESTABLISHED)\n");
	ev = build(PPME_SWAPIN_E, TS_DEFAULT, TID_DEFAULT, 3, (struct tparam[]){
		U64(0x7f0000001000ull), U32(0x404), U64(2500000) });
	cr_expect_str_eq(params(ev), "addr=0x7f0000001000 res=1028(VM_FAULT_RETRY|VM_FAULT_MAJOR) "
			 "latency=2500000");
	ev = build(PPME_TCP_RETRANSMIT_E, TS_DEFAULT, -1, 7, (struct tparam[]){
		U8(2), RAW(v4, 4), U16(22), RAW(v4, 4), U16(51000), U8(1), I32(1) });
	obj = parse_json(json_line(2, ev));
	cr_expect_str_eq(json_param(obj, "saddr"), "10.0.0.2");
	cr_expect_str_eq(json_param(obj, "dport"), "51000");
	cr_expect_str_eq(json_param(obj, "state"), "1(TCP_ESTABLISHED)");
	cr_expect_str_eq(json_param(obj, "segs"), "1");
	json_object_put(obj);
}

Test(format, params_joined)
{
	struct kcap_evt *ev = EV(PPME_OPEN_X, I64(3), STR("/etc/passwd"), U32(1),
				 U32(0), U32(0x803), U64(42));

	cr_expect_str_eq(params(ev),
			 "fd=3 name=/etc/passwd flags=1(O_RDONLY) mode=0 dev=0x803 ino=42");
	ev = EV0(PPME_ACCEPT_V1_E);
	cr_expect_str_eq(params(ev), "");
}

Test(format, text_line)
{
	struct kcap_evt *ev = EV(PPME_OPEN_X, I64(3), STR("/etc/passwd"), U32(1),
				 U32(0), U32(0x803), U64(42));

	cr_expect_str_eq(text_line(7, ev),
			 "7 22:13:20.123456789 3 <NA> (1234) < open fd=3 "
			 "name=/etc/passwd flags=1(O_RDONLY) mode=0 dev=0x803 ino=42\n");
	ev = build(PPME_ACCEPT_V1_E, 5, -1, 0, NULL);
	cr_expect_str_eq(text_line(0, ev), "0 00:00:00.000000005 3 <NA> (-1) > accept\n");
	ev = build(PPME_CLOSE_E, 86399999999999ull, 42, 1,
		   (struct tparam[]){ I64(-1) });
	cr_expect_str_eq(text_line(UINT64_MAX, ev),
			 "18446744073709551615 23:59:59.999999999 3 <NA> (42) > close "
			 "fd=-1(EPERM)\n");
}

Test(format, text_lines_append)
{
	static const char last[] = "999 22:13:20.123456789 3 <NA> (1234) > close fd=3\n";
	struct kcap_evt *ev = EV(PPME_CLOSE_E, I64(3));
	size_t cap;
	int i;

	kcap_sbuf_reset(&out);
	for (i = 0; i < 1000; i++)
		kcap_fmt_text_line(&out, (uint64_t)i, ev, NULL, NULL);
	cr_assert_eq(out.oom, 0);
	cr_assert_geq(out.len, strlen(last));
	cr_assert_str_eq(out.p + out.len - strlen(last), last);
	cap = out.cap;
	kcap_sbuf_reset(&out);
	kcap_fmt_text_line(&out, 1, ev, NULL, NULL);
	cr_assert_eq(out.cap, cap, "the buffer is reused");
}

Test(format, json_line)
{
	struct kcap_evt *ev = EV(PPME_OPEN_X, I64(3), STR("/etc/passwd"), U32(1),
				 U32(0), U32(0x803), U64(42));
	json_object *obj, *v;

	cr_expect_str_eq(json_line(9, ev),
			 "{\"num\":9,\"ts\":1700000000123456789,\"time\":\"22:13:20.123456789\","
			 "\"cpu\":3,\"proc\":null,\"tid\":1234,\"pid\":null,\"ppid\":null,"
			 "\"uid\":null,\"user\":null,\"gid\":null,\"container\":null,"
			 "\"fd\":{\"num\":3,\"name\":null},\"dir\":\"<\",\"type\":\"open\","
			 "\"params\":{\"fd\":\"3\",\"name\":\"/etc/passwd\",\"flags\":\"1(O_RDONLY)\","
			 "\"mode\":\"0\",\"dev\":\"0x803\",\"ino\":\"42\"}}\n");
	obj = parse_json(out.p);
	cr_assert(json_object_object_get_ex(obj, "ts", &v));
	cr_expect_eq(json_object_get_int64(v), 1700000000123456789ll);
	cr_expect_str_eq(json_param(obj, "flags"), "1(O_RDONLY)");
	json_object_put(obj);
	ev = build(PPME_ACCEPT_V1_E, 1, -1, 0, NULL);
	cr_expect_str_eq(json_line(0, ev),
			 "{\"num\":0,\"ts\":1,\"time\":\"00:00:00.000000001\",\"cpu\":3,"
			 "\"proc\":null,\"tid\":-1,\"pid\":null,\"ppid\":null,\"uid\":null,"
			 "\"user\":null,\"gid\":null,\"container\":null,\"fd\":null,\"dir\":\">\","
			 "\"type\":\"accept\",\"params\":{}}\n");
	json_object_put(parse_json(out.p));
}

/* -A and -X show I/O buffers as printable ASCII or as hex bytes, cut at the same length. */
Test(format, buffers_as_ascii_or_hex)
{
	static const uint8_t data[] = { 'h', 'i', '\n', 0x00, 0xff, '"' };
	struct kcap_fmt_opts o = { .bytebuf_max = 80, .bytes = KCAP_FMT_BYTES_ASCII };
	struct kcap_evt *ev = EV(PPME_WRITE_X, I64(6), RAW(data, sizeof(data)));

	kcap_sbuf_reset(&out);
	kcap_fmt_param(&out, ev, 1, NULL, &o);
	cr_expect_str_eq(out.p, "hi...\"");
	o.bytes = KCAP_FMT_BYTES_HEX;
	kcap_sbuf_reset(&out);
	kcap_fmt_param(&out, ev, 1, NULL, &o);
	cr_expect_str_eq(out.p, "68 69 0a 00 ff 22");
	o.bytebuf_max = 2;
	kcap_sbuf_reset(&out);
	kcap_fmt_param(&out, ev, 1, NULL, &o);
	cr_expect_str_eq(out.p, "68 69...");
	o.bytes = KCAP_FMT_BYTES_ESCAPED;
	o.bytebuf_max = 80;
	kcap_sbuf_reset(&out);
	kcap_fmt_param(&out, ev, 1, NULL, &o);
	cr_expect_str_eq(out.p, "hi\\n\\x00\\xff\\\"");
}

/*
 * --json carries the process as the thread table knows it: pid, ppid, uid,
 * user name, gid, container; and the event's fd with its name.
 */
Test(format, json_line_names_the_process)
{
	struct kcap_threads *th = build_threads(TID_DEFAULT);
	struct kcap_evt *ev;
	json_object *obj, *v;

	ev = EV(PPME_CLOSE_X, I64(0), I64(3));
	kcap_sbuf_reset(&out);
	kcap_fmt_json_line(&out, 1, ev, th, NULL);
	obj = parse_json(out.p);
	cr_assert(json_object_object_get_ex(obj, "pid", &v) && json_object_get_int64(v) == 77, "%s",
		  out.p);
	cr_assert(json_object_object_get_ex(obj, "ppid", &v) && json_object_get_int64(v) == 1, "%s",
		  out.p);
	cr_assert(json_object_object_get_ex(obj, "uid", &v) && json_object_get_int64(v) == 1000,
		  "%s", out.p);
	cr_assert(json_object_object_get_ex(obj, "user", &v) &&
		  !strcmp(json_object_get_string(v), "alice"), "%s", out.p);
	cr_assert(json_object_object_get_ex(obj, "container", &v) &&
		  !strcmp(json_object_get_string(v), "host"), "%s", out.p);
	cr_assert(strstr(out.p, ",\"gid\":0,\"container\":\"host\",\"fd\":{\"num\":3,"
			 "\"name\":null},"), "%s", out.p);
	json_object_put(obj);
	kcap_threads_free(th);
}

Test(format, json_escapes_every_value)
{
	static const char data[] = "q\"b\\s\x01\xff\n";
	struct kcap_evt *ev;
	json_object *obj;

	ev = EV(PPME_WRITE_X, I64(8), BYTES(data));
	obj = parse_json(json_line(1, ev));
	/* The JSON value is the text value, byte for byte. */
	cr_expect_str_eq(json_param(obj, "data"), "q\\\"b\\\\s\\x01\\xff\\n");
	json_object_put(obj);

	/* Strings keep quotes, backslashes and UTF-8; bad UTF-8 comes out escaped. */
	ev = EV(PPME_CHMOD_X, I64(0), STR("a\"b\\c \xc3\xa9 \xff\xc3 \xed\xa0\x80"), U32(0));
	obj = parse_json(json_line(2, ev));
	cr_expect_str_eq(json_param(obj, "filename"), "a\"b\\c \xc3\xa9 \\xff\\xc3 \\xed\\xa0\\x80");
	json_object_put(obj);

	/* Unknown events: "p<i>" names and raw values. */
	ev = build(KCAP_EVENT_MAX, 0, 0, 1, (struct tparam[]){ BYTES("\"}") });
	obj = parse_json(json_line(3, ev));
	cr_expect_str_eq(json_param(obj, "p0"), "\\\"}");
	json_object_put(obj);
}

Test(format, errno_names)
{
	cr_expect_str_eq(kcap_errno_name(-EPERM), "EPERM");
	cr_expect_str_eq(kcap_errno_name(-ENOENT), "ENOENT");
	cr_expect_str_eq(kcap_errno_name(-EAGAIN), "EAGAIN");
	cr_expect_str_eq(kcap_errno_name(-EINPROGRESS), "EINPROGRESS");
	cr_expect_str_eq(kcap_errno_name(-ECONNREFUSED), "ECONNREFUSED");
	cr_expect_str_eq(kcap_errno_name(-ENOTRECOVERABLE), "ENOTRECOVERABLE");
	cr_expect_str_eq(kcap_errno_name(-133), "EHWPOISON");
	cr_expect_str_eq(kcap_errno_name(-512), "ERESTARTSYS");
	cr_expect_null(kcap_errno_name(0));
	cr_expect_null(kcap_errno_name(2));
	cr_expect_null(kcap_errno_name(-41));
	cr_expect_null(kcap_errno_name(-134));
	cr_expect_null(kcap_errno_name(-4095));
	cr_expect_null(kcap_errno_name(INT64_MIN));
}

Test(format, signal_names)
{
	cr_expect_str_eq(kcap_signal_name(1), "SIGHUP");
	cr_expect_str_eq(kcap_signal_name(9), "SIGKILL");
	cr_expect_str_eq(kcap_signal_name(17), "SIGCHLD");
	cr_expect_str_eq(kcap_signal_name(31), "SIGSYS");
	cr_expect_str_eq(kcap_signal_name(32), "SIGRTMIN");
	cr_expect_str_eq(kcap_signal_name(64), "SIGRTMAX");
	cr_expect_null(kcap_signal_name(0));
	cr_expect_null(kcap_signal_name(65));
	cr_expect_null(kcap_signal_name(UINT32_MAX));
}

/*
 * What a terminal would act on never reaches it raw: a lone 0x9b (CSI in
 * 8-bit terminals), C1 controls and bidi overrides written in UTF-8, line
 * separators. Printable UTF-8 is kept.
 */
Test(format, terminal_controls_are_escaped)
{
	struct kcap_evt *ev;
	json_object *obj;

	ev = EV(PPME_CHMOD_X, I64(0), STR("a\x9b" "2J \xc2\x9b" "2J \xe2\x80\xae" "gpj.exe \xe2\x81\xa6"
				     "x \xe2\x80\xa8 \xd8\x9c \xe2\x82\xac"), U32(0));
	expect_param(ev, 1, "a\\x9b2J \\u009b2J \\u202egpj.exe \\u2066x \\u2028 \\u061c \xe2\x82\xac");
	obj = parse_json(json_line(1, ev));
	cr_expect_str_eq(json_param(obj, "filename"),
			 "a\\x9b2J \\u009b2J \\u202egpj.exe \\u2066x \\u2028 \\u061c \xe2\x82\xac");
	json_object_put(obj);
}

/* A string of 1 MiB shows its first KCAP_FMT_STR_MAX bytes, then "...", counted. */
Test(format, long_strings_are_cut_and_counted)
{
	static char path[1 << 20];
	uint64_t cuts = 0;
	struct kcap_fmt_opts o = { .bytebuf_max = 80, .cuts = &cuts };
	struct kcap_evt *ev;
	const char *v;

	memset(path, 'a', sizeof(path) - 1);
	ev = EV(PPME_CONTAINER_E, RAW(path, sizeof(path)));
	v = param_o(ev, 0, &o);
	cr_assert_eq(strlen(v), KCAP_FMT_STR_MAX + 3);
	cr_assert_str_eq(v + KCAP_FMT_STR_MAX, "...");
	cr_assert_eq(cuts, 1);
}
