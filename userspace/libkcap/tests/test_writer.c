// SPDX-License-Identifier: MIT
/* The writer: exact bytes of the format's worked examples, and round trips. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "sample_list.h"
#include "scap_build.h"
#include "scap_reader.h"
#include "scap_writer.h"

/* Reads path back; returns its events' bytes and fills meta (caller frees). */
struct events {
	uint8_t *bytes;
	size_t len, cap;
	uint64_t count;
	uint16_t *cpus;
	uint32_t *flags;
};

static void events_add(struct events *e, const struct kcap_evt *ev)
{
	uint32_t len = kcap_evt_len(ev);

	if (e->len + len > e->cap) {
		e->cap = (e->cap + len) * 2;
		e->bytes = realloc(e->bytes, e->cap);
		cr_assert_not_null(e->bytes);
	}
	memcpy(e->bytes + e->len, ev->hdr, len);
	e->len += len;
	e->cpus = realloc(e->cpus, (e->count + 1) * sizeof(*e->cpus));
	e->flags = realloc(e->flags, (e->count + 1) * sizeof(*e->flags));
	e->cpus[e->count] = ev->cpu;
	e->flags[e->count++] = ev->flags;
}

static void events_free(struct events *e)
{
	free(e->bytes);
	free(e->cpus);
	free(e->flags);
	memset(e, 0, sizeof(*e));
}

/* Reads all events of path; the reader stays open for its metadata. */
static struct kcap_reader *read_all(const char *path, struct events *e)
{
	struct kcap_reader *r;
	struct kcap_evt ev;
	char err[512];
	int rc;

	r = kcap_reader_open(path, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	while ((rc = kcap_reader_next(r, &ev)) > 0)
		events_add(e, &ev);
	cr_assert_eq(rc, 0, "%s", kcap_reader_error(r));
	return r;
}

static void write_all(const char *path, bool gzip, const struct kcap_meta *m,
		      const struct events *e)
{
	struct kcap_writer *w;
	char err[512];
	size_t off = 0;
	uint64_t i;

	w = kcap_writer_open(path, gzip, err, sizeof(err));
	cr_assert_not_null(w, "%s", err);
	cr_assert_eq(kcap_writer_meta(w, m), 0, "%s", kcap_writer_error(w));
	for (i = 0; i < e->count; i++) {
		const struct ppm_evt_hdr *h = (const void *)(e->bytes + off);

		cr_assert_eq(kcap_writer_event(w, e->cpus[i], e->flags[i], h), 0, "%s",
			     kcap_writer_error(w));
		off += h->len;
	}
	cr_assert_eq(kcap_writer_close(w, NULL, err, sizeof(err)), 0, "%s", err);
}

static void blob_eq(const struct kcap_blob *a, const struct kcap_blob *b, const char *what)
{
	cr_assert_eq(a->len, b->len, "%s: length %u vs %u", what, a->len, b->len);
	cr_assert(a->len == 0 || memcmp(a->data, b->data, a->len) == 0, "%s differs", what);
}

static void proc_eq(const struct kcap_proc *a, const struct kcap_proc *b)
{
	cr_assert(a->tid == b->tid && a->pid == b->pid && a->ptid == b->ptid && a->sid == b->sid &&
		  a->vpgid == b->vpgid && a->pgid == b->pgid, "ids of tid %lld", (long long)a->tid);
	blob_eq(&a->comm, &b->comm, "comm");
	blob_eq(&a->exe, &b->exe, "exe");
	blob_eq(&a->exepath, &b->exepath, "exepath");
	blob_eq(&a->args, &b->args, "args");
	blob_eq(&a->cwd, &b->cwd, "cwd");
	blob_eq(&a->env, &b->env, "env");
	blob_eq(&a->cgroups, &b->cgroups, "cgroups");
	blob_eq(&a->root, &b->root, "root");
	cr_assert(a->fdlimit == b->fdlimit && a->flags == b->flags && a->uid == b->uid &&
		  a->gid == b->gid && a->vmsize_kb == b->vmsize_kb && a->vmrss_kb == b->vmrss_kb &&
		  a->vmswap_kb == b->vmswap_kb && a->pfmajor == b->pfmajor &&
		  a->pfminor == b->pfminor && a->vtid == b->vtid && a->vpid == b->vpid,
		  "counters of tid %lld", (long long)a->tid);
	cr_assert(a->pidns_init_start_ts == b->pidns_init_start_ts && a->tty == b->tty &&
		  a->loginuid == b->loginuid && a->exe_writable == b->exe_writable &&
		  a->cap_inheritable == b->cap_inheritable && a->cap_permitted == b->cap_permitted &&
		  a->cap_effective == b->cap_effective && a->exe_upper_layer == b->exe_upper_layer &&
		  a->exe_ino == b->exe_ino && a->exe_ino_ctime == b->exe_ino_ctime &&
		  a->exe_ino_mtime == b->exe_ino_mtime && a->exe_from_memfd == b->exe_from_memfd &&
		  a->exe_lower_layer == b->exe_lower_layer, "V9 tail of tid %lld", (long long)a->tid);
}

static void fd_eq(const struct kcap_fd *a, const struct kcap_fd *b)
{
	cr_assert(a->owner_tid == b->owner_tid && a->fd == b->fd && a->ino == b->ino &&
		  a->type == b->type && a->l4proto == b->l4proto && a->sport == b->sport &&
		  a->dport == b->dport && !memcmp(a->sip, b->sip, 16) && !memcmp(a->dip, b->dip, 16) &&
		  a->unix_src == b->unix_src && a->unix_dst == b->unix_dst &&
		  a->open_flags == b->open_flags && a->has_dev == b->has_dev && a->dev == b->dev,
		  "fd %lld of tid %lld", (long long)a->fd, (long long)a->owner_tid);
	blob_eq(&a->name, &b->name, "fd name");
}

static void meta_eq(const struct kcap_meta *a, const struct kcap_meta *b)
{
	size_t i;

	cr_assert(a->machine.present == b->machine.present &&
		  a->machine.num_cpus == b->machine.num_cpus &&
		  a->machine.memory_size_bytes == b->machine.memory_size_bytes &&
		  a->machine.max_pid == b->machine.max_pid &&
		  !strcmp(a->machine.hostname, b->machine.hostname) &&
		  a->machine.boot_ts_epoch == b->machine.boot_ts_epoch &&
		  a->machine.flags == b->machine.flags && a->machine.reserved3 == b->machine.reserved3 &&
		  a->machine.reserved4 == b->machine.reserved4, "machine info differs");
	cr_assert_eq(a->nprocs, b->nprocs);
	for (i = 0; i < a->nprocs; i++)
		proc_eq(&a->procs[i], &b->procs[i]);
	cr_assert_eq(a->nfds, b->nfds);
	for (i = 0; i < a->nfds; i++)
		fd_eq(&a->fds[i], &b->fds[i]);
	cr_assert_eq(a->nifaces, b->nifaces);
	for (i = 0; i < a->nifaces; i++) {
		cr_assert(a->ifaces[i].type == b->ifaces[i].type &&
			  !memcmp(a->ifaces[i].addr, b->ifaces[i].addr, 16) &&
			  !memcmp(a->ifaces[i].netmask, b->ifaces[i].netmask, 16) &&
			  !memcmp(a->ifaces[i].bcast, b->ifaces[i].bcast, 16) &&
			  a->ifaces[i].linkspeed == b->ifaces[i].linkspeed, "interface %zu", i);
		blob_eq(&a->ifaces[i].name, &b->ifaces[i].name, "interface name");
	}
	cr_assert_eq(a->nusers, b->nusers);
	for (i = 0; i < a->nusers; i++) {
		cr_assert(a->users[i].is_group == b->users[i].is_group &&
			  a->users[i].uid == b->users[i].uid && a->users[i].gid == b->users[i].gid,
			  "user %zu", i);
		blob_eq(&a->users[i].name, &b->users[i].name, "user name");
		blob_eq(&a->users[i].homedir, &b->users[i].homedir, "homedir");
		blob_eq(&a->users[i].shell, &b->users[i].shell, "shell");
	}
}

static void round_trip(const char *src, bool gzip)
{
	struct events a = { 0 }, b = { 0 };
	struct kcap_reader *ra, *rb;
	char out[4096];

	snprintf(out, sizeof(out), "%s", tmp_path(gzip ? "rt.scap.gz" : "rt.scap"));
	ra = read_all(src, &a);
	write_all(out, gzip, kcap_reader_meta(ra), &a);
	rb = read_all(out, &b);
	cr_assert_eq(a.count, b.count, "%s: %llu events, %llu after the round trip", src,
		     (unsigned long long)a.count, (unsigned long long)b.count);
	cr_assert_eq(a.len, b.len, "%s: event bytes differ in size", src);
	cr_assert(memcmp(a.bytes, b.bytes, a.len) == 0, "%s: event bytes differ", src);
	cr_assert(memcmp(a.cpus, b.cpus, a.count * sizeof(*a.cpus)) == 0, "%s: cpus differ", src);
	meta_eq(kcap_reader_meta(ra), kcap_reader_meta(rb));
	kcap_reader_close(ra);
	kcap_reader_close(rb);
	events_free(&a);
	events_free(&b);
	unlink(out);
}

Test(writer, round_trip_every_sample)
{
	static struct sample samples[MAX_SAMPLES];
	int n = load_samples(samples, MAX_SAMPLES), i;

	if (n < 0)
		cr_skip_test("../shared/scap-samples is absent: skipped");
	for (i = 0; i < n; i++) {
		round_trip(samples[i].path, false);
		round_trip(samples[i].path, true);
	}
}

static const uint8_t appendix_c[] = {
	0x0A, 0x0D, 0x0D, 0x0A, 0x1C, 0x00, 0x00, 0x00, 0x4D, 0x3C, 0x2B, 0x1A, 0x01, 0x00,
	0x02, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1C, 0x00, 0x00, 0x00,
	0x16, 0x02, 0x00, 0x00, 0x3C, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE8, 0xA0, 0x7E,
	0x15, 0x9D, 0x97, 0x17, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2E, 0x00,
	0x00, 0x00, 0x05, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08, 0x00, 0x08, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x3C, 0x00, 0x00, 0x00,
};

Test(writer, appendix_c_minimal_file_byte_for_byte)
{
	struct kcap_meta empty;
	struct kcap_writer *w;
	struct bytes ev = { .len = 0 };
	struct kcap_evt kev;
	int64_t zero = 0, three = 3;
	const char *path = tmp_path("appendix-c.scap");
	char err[256];
	size_t size;
	uint8_t *got;

	build_event(&ev, &kev, PPME_CLOSE_X, 1, "res", &zero, 8, "fd", &three, 8, NULL);
	kcap_meta_init(&empty);
	w = kcap_writer_open(path, false, err, sizeof(err));
	cr_assert_not_null(w, "%s", err);
	cr_assert_eq(kcap_writer_meta(w, &empty), 0);
	cr_assert_eq(kcap_writer_event(w, 0, 0, (const void *)ev.data), 0);
	cr_assert_eq(kcap_writer_close(w, NULL, err, sizeof(err)), 0, "%s", err);
	got = read_file(path, &size);
	cr_assert_eq(size, sizeof(appendix_c));
	cr_assert(memcmp(got, appendix_c, size) == 0, "bytes differ from Appendix C");
	free(got);
	unlink(path);
}

Test(writer, large_payload_event_uses_large_block_and_u32_lengths)
{
	static const uint8_t expect[] = {
		0x21, 0x02, 0x00, 0x00, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0xE8, 0xA0,
		0x7E, 0x15, 0x9D, 0x97, 0x17, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x33, 0x00, 0x00, 0x00, 0x92, 0x01, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00,
		0x00, 0x06, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x73, 0x79, 0x6E, 0x74, 0x68, 0x00, 0x01, 0x02, 0x03,
		0x00, 0x00, 0x00,	/* padding: 2 + 51 = 53 -> 56 */
		0x44, 0x00, 0x00, 0x00,
	};
	struct kcap_meta empty;
	struct kcap_writer *w;
	struct bytes ev = { .len = 0 };
	const char *path = tmp_path("appendix-c-large.scap");
	struct kcap_reader *r;
	struct kcap_evt got;
	char err[256];
	size_t size;
	uint8_t *file;

	put_le(&ev, 0x17979D157EA0E805ull, 8);
	put_le(&ev, 100, 8);
	put_le(&ev, 51, 4);
	put_le(&ev, PPME_ASYNCEVENT_E, 2);
	put_le(&ev, 3, 4);
	put_le(&ev, 4, 4);
	put_le(&ev, 6, 4);
	put_le(&ev, 3, 4);
	put_le(&ev, 0, 4);
	put_raw(&ev, "synth", 6);
	put_raw(&ev, "\x01\x02\x03", 3);
	kcap_meta_init(&empty);
	w = kcap_writer_open(path, false, err, sizeof(err));
	cr_assert_not_null(w, "%s", err);
	kcap_writer_meta(w, &empty);
	cr_assert_eq(kcap_writer_event(w, 0, 0, (const void *)ev.data), 0);
	cr_assert_eq(kcap_writer_close(w, NULL, err, sizeof(err)), 0, "%s", err);
	file = read_file(path, &size);
	cr_assert_eq(size, 28 + sizeof(expect));
	cr_assert(memcmp(file + 28, expect, sizeof(expect)) == 0, "bytes differ from Appendix C");
	free(file);
	r = kcap_reader_open(path, err, sizeof(err));
	cr_assert_eq(kcap_reader_next(r, &got), 1, "%s", kcap_reader_error(r));
	cr_assert_eq(got.nparams, 3);
	cr_assert_str_eq(kcap_evt_get_str(&got, 1), "synth");
	cr_assert_eq(got.len[2], 3);
	kcap_reader_close(r);
	unlink(path);
}

Test(writer, every_metadata_kind_and_flags_round_trip)
{
	struct events e = { 0 };
	struct kcap_meta m;
	struct kcap_proc *p;
	struct kcap_fd *f;
	struct kcap_iface *i;
	struct kcap_user *u;
	struct kcap_reader *r;
	struct bytes ev = { .len = 0 };
	struct kcap_evt kev;
	int64_t zero = 0, three = 3;
	const char *path = tmp_path("meta.scap");
	int t;

	kcap_meta_init(&m);
	m.machine = (struct kcap_machine){ .present = true, .num_cpus = 2,
					   .memory_size_bytes = 1ull << 34, .boot_ts_epoch = 42 };
	strcpy(m.machine.hostname, "kcap-test");
	p = kcap_meta_add_proc(&m);
	kcap_proc_defaults(p);
	p->tid = p->pid = 77;
	kcap_blob_set(&p->comm, "bash", 4);
	kcap_blob_set(&p->args, "-c\0true\0", 8);
	p->cap_effective = 0x1ff;
	p->pgid = 77;
	for (t = KCAP_FD_UNKNOWN; t < KCAP_FD_TYPE_MAX; t++) {
		f = kcap_meta_add_fd(&m);
		f->owner_tid = 77;
		f->fd = t;
		f->type = (uint8_t)t;
		f->l4proto = 2;
		f->sport = 80;
		f->has_dev = t == KCAP_FD_FILE_V2;
		f->dev = f->has_dev ? 0x801 : 0;
		if (t != KCAP_FD_UNKNOWN && t != KCAP_FD_IPV4_SOCK && t != KCAP_FD_IPV6_SOCK &&
		    t != KCAP_FD_IPV4_SERVSOCK && t != KCAP_FD_IPV6_SERVSOCK)
			kcap_blob_set(&f->name, "/tmp/x", 6);
		if (t < KCAP_FD_IPV4_SOCK || t > KCAP_FD_IPV6_SERVSOCK)
			f->l4proto = 0, f->sport = 0;
	}
	i = kcap_meta_add_iface(&m);
	i->type = KCAP_IF_IPV4;
	memcpy(i->addr, "\x7f\0\0\1", 4);
	kcap_blob_set(&i->name, "lo", 2);
	i = kcap_meta_add_iface(&m);
	i->type = KCAP_IF_IPV6;
	i->addr[15] = 1;
	kcap_blob_set(&i->name, "lo", 2);
	u = kcap_meta_add_user(&m);
	kcap_blob_set(&u->name, "root", 4);
	kcap_blob_set(&u->homedir, "/root", 5);
	kcap_blob_set(&u->shell, "/bin/sh", 7);
	u = kcap_meta_add_user(&m);
	u->is_group = true;
	u->gid = 5;
	kcap_blob_set(&u->name, "tty", 3);

	build_event(&ev, &kev, PPME_CLOSE_X, 77, "res", &zero, 8, "fd", &three, 8, NULL);
	kev.cpu = 1;
	events_add(&e, &kev);
	kev.flags = KCAP_EVF_STATE_ONLY;
	events_add(&e, &kev);
	write_all(path, false, &m, &e);
	{
		struct events back = { 0 };

		r = read_all(path, &back);
		meta_eq(&m, kcap_reader_meta(r));
		cr_assert_eq(back.count, 2);
		cr_assert_eq(back.flags[1], KCAP_EVF_STATE_ONLY);
		cr_assert(memcmp(back.bytes, e.bytes, e.len) == 0);
		events_free(&back);
	}
	kcap_reader_close(r);
	kcap_meta_free(&m);
	events_free(&e);
	unlink(path);
}

/*
 * 75 MB of processes and 70 MB of one thread's fds: each list is split into
 * blocks under KCAP_MAX_BLOCK, the limit the reader holds them to, and comes
 * back whole.
 */
Test(writer, metadata_past_the_block_limit_is_split)
{
	static char args[4096], big[4096], name[1000];
	struct events none = { 0 }, back = { 0 };
	struct kcap_blob env = { 0 }, fdname = { 0 };
	struct kcap_reader *r;
	struct kcap_meta m;
	char path[4096];
	size_t i;

	snprintf(path, sizeof(path), "%s", tmp_path("split.scap"));
	memset(big, 'e', sizeof(big) - 1);
	memset(name, 'n', sizeof(name));
	kcap_blob_set(&env, big, sizeof(big));
	kcap_blob_set(&fdname, name, sizeof(name));
	kcap_meta_init(&m);
	for (i = 0; i < 6000; i++) {
		struct kcap_proc *p = kcap_meta_add_proc(&m);

		kcap_proc_defaults(p);
		p->tid = p->pid = (int64_t)i + 1;
		memset(args, 'a', sizeof(args) - 1);
		snprintf(args, 16, "%zu", i);
		args[strlen(args)] = 'a';
		kcap_blob_set(&p->args, args, sizeof(args));
		kcap_blob_share(&p->env, &env);
		kcap_blob_share(&p->cgroups, &env);
		kcap_blob_set(&p->comm, "w", 1);
	}
	for (i = 0; i < 70000; i++) {
		struct kcap_fd *f = kcap_meta_add_fd(&m);

		f->owner_tid = 1;
		f->fd = (int64_t)i;
		f->type = KCAP_FD_FILE;
		kcap_blob_share(&f->name, &fdname);
	}
	write_all(path, false, &m, &none);
	r = read_all(path, &back);
	cr_assert_geq(blocks_read(kcap_reader_stats(r), 0x215), 2, "the process list is not split");
	cr_assert_geq(blocks_read(kcap_reader_stats(r), 0x218), 2, "the fd list is not split");
	cr_assert_eq(kcap_reader_stats(r)->meta_cut, 0);
	meta_eq(&m, kcap_reader_meta(r));
	kcap_reader_close(r);
	kcap_meta_free(&m);
	kcap_blob_free(&env);
	kcap_blob_free(&fdname);
	unlink(path);
}

/* ---- the capture file is private and never someone else's ------------- */

static char sticky_dir[4096];

/* A world-writable sticky directory, as /tmp, for files planted by "nobody". */
static void make_sticky_dir(void)
{
	snprintf(sticky_dir, sizeof(sticky_dir), "%s", tmp_path("sticky"));
	cr_assert_eq(mkdir(sticky_dir, 0777), 0);
	cr_assert_eq(chmod(sticky_dir, 01777), 0);
}

static void remove_sticky_dir(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sticky_dir);
	cr_assert_eq(system(cmd), 0);
}

static void writer_refuses(const char *path, const char *why)
{
	struct kcap_writer *w;
	char err[512];

	w = kcap_writer_open(path, false, err, sizeof(err));
	cr_assert_null(w, "%s was opened for writing", path);
	cr_assert(strstr(err, why), "%s: '%s' does not say '%s'", path, err, why);
	cr_assert(strstr(err, path), "%s", err);
}

Test(writer, capture_files_are_0600_whatever_the_umask)
{
	static const mode_t masks[] = { 0, 022, 0277 };
	struct kcap_writer *w;
	char path[4096], err[512];
	struct stat st;
	size_t i;

	snprintf(path, sizeof(path), "%s", tmp_path("mode.scap"));
	for (i = 0; i < 3; i++) {
		mode_t old = umask(masks[i]);

		w = kcap_writer_open(path, i == 1, err, sizeof(err));
		umask(old);
		cr_assert_not_null(w, "%s", err);
		cr_assert_eq(kcap_writer_close(w, NULL, err, sizeof(err)), 0, "%s", err);
		cr_assert_eq(stat(path, &st), 0);
		cr_assert_eq(st.st_mode & 07777, 0600, "umask %o: mode %o", masks[i],
			     st.st_mode & 07777);
	}
	/* An existing file of ours, readable by all, is emptied and made private. */
	cr_assert_eq(write_file(path, "old", 3), 0);
	cr_assert_eq(chmod(path, 0644), 0);
	w = kcap_writer_open(path, false, err, sizeof(err));
	cr_assert_not_null(w, "%s", err);
	cr_assert_eq(kcap_writer_close(w, NULL, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600);
	cr_assert_eq(st.st_size, 0);
	unlink(path);
}

/*
 * Another user plants, where root will write its capture, a symbolic link
 * to a file of root's, or a file of their own: neither is written through
 * or into, and the target keeps its bytes.
 */
Test(writer, planted_links_and_files_are_refused, .init = make_sticky_dir,
     .fini = remove_sticky_dir)
{
	char secret[4096], symlink_path[4200], theirs[4200], hard[4200], *back;
	size_t n;

	if (geteuid() != 0)
		cr_skip_test("needs root, to plant files of another user");
	snprintf(secret, sizeof(secret), "%s", tmp_path("secret"));
	cr_assert_eq(write_file(secret, "root only", 9), 0);
	cr_assert_eq(chmod(secret, 0600), 0);

	snprintf(symlink_path, sizeof(symlink_path), "%s/capture.scap", sticky_dir);
	cr_assert_eq(symlink(secret, symlink_path), 0);
	cr_assert_eq(lchown(symlink_path, 65534, 65534), 0);
	writer_refuses(symlink_path, "is a symbolic link: not followed");

	snprintf(theirs, sizeof(theirs), "%s/theirs.scap", sticky_dir);
	cr_assert_eq(write_file(theirs, "x", 1), 0);
	cr_assert_eq(chown(theirs, 65534, 65534), 0);
	cr_assert_eq(chmod(theirs, 0666), 0);
	writer_refuses(theirs, "belongs to uid 65534: not written into");

	snprintf(hard, sizeof(hard), "%s/hard.scap", sticky_dir);
	cr_assert_eq(link(secret, hard), 0);
	writer_refuses(hard, "has 2 names (hard links): not written into");

	back = read_file(secret, &n);
	cr_assert(back && n == 9 && !memcmp(back, "root only", 9), "the target was written");
	free(back);
	unlink(secret);
}
