// SPDX-License-Identifier: MIT
/*
 * Bad input: each case runs `kcap replay` on a broken file and expects one
 * line on stderr naming the file, the byte offset and the problem, and exit
 * status 1.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "helpers.h"
#include "scap_build.h"

static struct bytes b;

static void replay_fails(const char *name, const void *data, size_t len, uint64_t offset,
			 const char *problem)
{
	char cmd[8192], where[64], path[4096];
	char *out, *err;
	int status;

	snprintf(path, sizeof(path), "%s", tmp_path(name));
	cr_assert_eq(write_file(path, data, len), 0);
	snprintf(cmd, sizeof(cmd), "%s/kcap replay '%s'", KCAP_BINARY_DIR, path);
	status = run_cmd(cmd, &out, &err);
	snprintf(where, sizeof(where), "offset %llu: ", (unsigned long long)offset);
	cr_assert_eq(status, 1, "%s: exit status %d, stderr: %s", name, status, err);
	cr_assert(strstr(err, path), "%s: error does not name the file: %s", name, err);
	cr_assert(strstr(err, where), "%s: error does not say '%s': %s", name, where, err);
	cr_assert(strstr(err, problem), "%s: error does not say '%s': %s", name, problem, err);
	cr_assert(strchr(err, '\n') == err + strlen(err) - 1, "%s: not one line: %s", name, err);
	free(out);
	free(err);
	unlink(path);
}

static void gzip_bytes(const struct bytes *in, struct bytes *out)
{
	z_stream zs = { 0 };

	cr_assert_eq(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)in->data;
	zs.avail_in = (uInt)in->len;
	zs.next_out = out->data;
	zs.avail_out = sizeof(out->data);
	cr_assert_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	out->len = zs.total_out;
	deflateEnd(&zs);
}

Test(bad_input, empty_file)
{
	replay_fails("empty.scap", "", 0, 0, "empty file");
}

Test(bad_input, not_a_scap_file)
{
	replay_fails("text.scap", "hello, world, this is text\n", 28, 0, "not a .scap file");
}

Test(bad_input, truncated_block)
{
	static struct bytes gz;

	minimal_capture(&b);
	b.len -= 30;
	gzip_bytes(&b, &gz);	/* compressed: the size is only known at the end */
	replay_fails("truncated.scap.gz", gz.data, gz.len, 28, "truncated block");
}

Test(bad_input, truncated_block_header)
{
	minimal_capture(&b);
	b.len = 28 + 6;
	replay_fails("short-header.scap", b.data, b.len, 28, "truncated block header");
}

Test(bad_input, wrong_magic)
{
	b.len = 0;
	put_shb(&b, 0xDEADBEEF, 1, 2);
	put_close_block(&b);
	replay_fails("magic.scap", b.data, b.len, 8, "wrong magic 0xdeadbeef");
}

Test(bad_input, byte_swapped_section_header)
{
	b.len = 0;
	put_shb(&b, 0x4D3C2B1A, 1, 2);
	put_close_block(&b);
	replay_fails("swapped.scap", b.data, b.len, 8, "byte-swapped section header");
}

Test(bad_input, major_version_2)
{
	b.len = 0;
	put_shb(&b, 0x1A2B3C4D, 2, 0);
	put_close_block(&b);
	replay_fails("major2.scap", b.data, b.len, 12, "unsupported .scap version 2.0");
}

Test(bad_input, block_length_0)
{
	minimal_capture(&b);
	set_le32(&b, 32, 0);
	replay_fails("len0.scap", b.data, b.len, 28, "block length 0, at least 12 expected");
}

Test(bad_input, block_length_not_multiple_of_4)
{
	minimal_capture(&b);
	set_le32(&b, 32, 58);
	replay_fails("len58.scap", b.data, b.len, 28, "not a multiple of 4");
}

Test(bad_input, block_length_past_eof)
{
	minimal_capture(&b);
	set_le32(&b, 32, 600);
	replay_fails("pasteof.scap", b.data, b.len, 28, "runs past the end of the file (60 bytes left)");
}

Test(bad_input, block_length_absurd)
{
	minimal_capture(&b);
	set_le32(&b, 32, 0xFFFFFFF0u);
	replay_fails("absurd.scap", b.data, b.len, 28, "above the limit of 67108864 bytes");
}

Test(bad_input, trailer_disagrees)
{
	minimal_capture(&b);
	set_le32(&b, 84, 64);
	replay_fails("trailer.scap", b.data, b.len, 84, "trailing length 64 disagrees with leading 60");
}

Test(bad_input, event_shorter_than_header)
{
	b.len = 0;
	put_shb(&b, 0x1A2B3C4D, 1, 2);
	put_le(&b, 0x216, 4);
	put_le(&b, 24, 4);
	put_le(&b, 0, 2);	/* cpu, then 10 bytes of an event */
	put_le(&b, 0, 8);
	put_le(&b, 0, 2);
	put_le(&b, 24, 4);
	replay_fails("shortev.scap", b.data, b.len, 38, "shorter than its 26-byte header");
}

Test(bad_input, nparams_above_32)
{
	minimal_capture(&b);
	set_le32(&b, 28 + 10 + 22, 33);
	replay_fails("nparams.scap", b.data, b.len, 38, "nparams above 32");
}

Test(bad_input, param_lengths_past_event)
{
	minimal_capture(&b);
	b.data[28 + 10 + 26 + 2] = 9;	/* second length 8 -> 9 */
	replay_fails("paramlen.scap", b.data, b.len, 38, "run past the event");
}

Test(bad_input, corrupt_gzip)
{
	static struct bytes gz;

	minimal_capture(&b);
	gzip_bytes(&b, &gz);
	memset(gz.data + 12, 0xFF, 8);
	replay_fails("corrupt.scap.gz", gz.data, gz.len, 0, "corrupt gzip stream");
}

Test(bad_input, type_above_schema_is_skipped_and_counted)
{
	char cmd[8192], path[4096];
	char *out, *err;

	minimal_capture(&b);
	put_close_block(&b);
	b.data[28 + 10 + 20] = 0xF0;	/* first event: type 0x1F0 = 496 */
	b.data[28 + 10 + 21] = 0x01;
	snprintf(path, sizeof(path), "%s", tmp_path("newtype.scap"));
	cr_assert_eq(write_file(path, b.data, b.len), 0);
	snprintf(cmd, sizeof(cmd), "%s/kcap replay --stats '%s'", KCAP_BINARY_DIR, path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "1 read, 1 shown, 1 skipped"), "stats: %s", err);
	cr_assert(strstr(out, "close"), "output: %s", out);
	free(out);
	free(err);
	unlink(path);
}
