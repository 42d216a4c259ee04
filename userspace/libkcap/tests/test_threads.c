// SPDX-License-Identifier: MIT
/* The thread table: loaded from metadata, kept current from events. */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "scap_build.h"
#include "shstr.h"
#include "threads.h"

static struct kcap_threads *th;
static struct kcap_meta m;
static struct bytes b;
static struct kcap_evt ev;

static void setup(void)
{
	struct kcap_proc *p;
	struct kcap_fd *f;

	kcap_meta_init(&m);
	p = kcap_meta_add_proc(&m);
	kcap_proc_defaults(p);
	p->tid = p->pid = 100;
	kcap_blob_set(&p->comm, "bash", 4);
	kcap_blob_set(&p->exe, "/bin/bash", 9);
	kcap_blob_set(&p->cwd, "/home/u", 7);
	f = kcap_meta_add_fd(&m);
	f->owner_tid = 100;
	f->fd = 3;
	f->type = KCAP_FD_FILE;
	kcap_blob_set(&f->name, "/etc/passwd", 11);
	f = kcap_meta_add_fd(&m);
	f->owner_tid = 100;
	f->fd = 4;
	f->type = KCAP_FD_IPV4_SOCK;
	f->l4proto = 2;
	memcpy(f->sip, "\x7f\0\0\1", 4);
	memcpy(f->dip, "\x7f\0\0\1", 4);
	f->sport = 41000;
	f->dport = 80;
	th = kcap_threads_new();
	cr_assert_eq(kcap_threads_load(th, &m), 0);
}

static void teardown(void)
{
	kcap_threads_free(th);
	kcap_meta_free(&m);
}

TestSuite(threads, .init = setup, .fini = teardown);

Test(threads, loads_process_and_fd_lists)
{
	const struct kcap_thread *t = kcap_threads_find(th, 100);

	cr_assert_not_null(t);
	cr_assert_str_eq(t->comm, "bash");
	cr_assert_str_eq(t->cwd, "/home/u");
	cr_assert_str_eq(kcap_threads_fd_name(th, 100, 3), "<f>/etc/passwd");
	cr_assert_str_eq(kcap_threads_fd_name(th, 100, 4), "<4t>127.0.0.1:41000->127.0.0.1:80");
	cr_assert_null(kcap_threads_fd_name(th, 100, 5));
	cr_assert_null(kcap_threads_find(th, 101));
}

Test(threads, clone_exec_exit)
{
	static const char cgroups[] = "cpu=/docker/0123456789abcdef0123456789abcdef"
				      "0123456789abcdef0123456789abcdef";
	int64_t zero = 0, child = 101, pid = 101, ptid = 100;
	const struct kcap_thread *t;

	build_event(&b, &ev, PPME_CLONE_X, 100, "res", &child, 8, NULL);
	kcap_threads_update(th, &ev);
	t = kcap_threads_find(th, 101);
	cr_assert_not_null(t, "the parent's clone exit makes the child known");
	cr_assert_str_eq(t->comm, "bash");
	build_event(&b, &ev, PPME_CLONE_X, 101, "res", &zero, 8, "pid", &pid, 8, "ptid", &ptid, 8,
		    "comm", "bash", 5, "exe", "/bin/bash", 10, "cwd", "/tmp", 5, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_eq(kcap_threads_find(th, 101)->ptid, 100);
	build_event(&b, &ev, PPME_EXECVE_X, 101, "res", &zero, 8, "exe", "/bin/cat", 9,
		    "comm", "cat", 4, "args", "-n\0x y\0", 7, "gid", &(uint32_t){ 50 }, 4,
		    "cgroups", cgroups, (uint32_t)sizeof(cgroups), NULL);
	kcap_threads_update(th, &ev);
	cr_assert_str_eq(kcap_threads_find(th, 101)->comm, "cat");
	cr_assert_eq(kcap_shstr_len(kcap_threads_find(th, 101)->args), 7);
	cr_assert(!memcmp(kcap_threads_find(th, 101)->args, "-n\0x y\0", 7));
	cr_assert_eq(kcap_threads_find(th, 101)->gid, 50);
	cr_assert_str_eq(kcap_threads_find(th, 101)->container, "0123456789ab");
	cr_assert_str_eq(kcap_threads_find(th, 101)->cwd, "/tmp");
	cr_assert_str_eq(kcap_threads_find(th, 100)->comm, "bash", "the parent keeps its name");
	build_event(&b, &ev, PPME_PROCEXIT_E, 101, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_not_null(kcap_threads_find(th, 101), "procexit can still show its process");
	kcap_threads_update(th, &ev);
	cr_assert_null(kcap_threads_find(th, 101));
	cr_assert_eq(kcap_threads_count(th), 1);
}

Test(threads, failed_exec_changes_nothing)
{
	int64_t enoent = -2;

	build_event(&b, &ev, PPME_EXECVE_X, 100, "res", &enoent, 8, "comm", "ls", 3, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_str_eq(kcap_threads_find(th, 100)->comm, "bash");
}

Test(threads, open_close_dup_follow_fds)
{
	int64_t fd = 7, zero = 0, newfd = 9, at_fdcwd = -100;

	build_event(&b, &ev, PPME_OPENAT_X, 100, "fd", &fd, 8, "dirfd", &at_fdcwd, 8,
		    "name", "notes.txt", 10, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_str_eq(kcap_threads_fd_name(th, 100, 7), "<f>/home/u/notes.txt");
	build_event(&b, &ev, PPME_DUP2_X, 100, "res", &newfd, 8, "oldfd", &fd, 8, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_str_eq(kcap_threads_fd_name(th, 100, 9), "<f>/home/u/notes.txt");
	build_event(&b, &ev, PPME_CLOSE_X, 100, "res", &zero, 8, "fd", &fd, 8, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_not_null(kcap_threads_fd_name(th, 100, 7), "close can still show its fd");
	kcap_threads_update(th, &ev);
	cr_assert_null(kcap_threads_fd_name(th, 100, 7));
	cr_assert_not_null(kcap_threads_fd_name(th, 100, 9));
}

Test(threads, connect_names_the_socket)
{
	static const uint8_t tuple[13] = { 2, 10, 0, 0, 1, 0x28, 0xa0, 10, 0, 0, 2, 80, 0 };
	int64_t fd = 5, zero = 0;

	build_event(&b, &ev, PPME_CONNECT_X, 100, "res", &zero, 8, "fd", &fd, 8, "tuple", tuple,
		    13, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_str_eq(kcap_threads_fd_name(th, 100, 5), "<4>10.0.0.1:41000->10.0.0.2:80");
}

/* A socket is named by family and type, from its exit event or, in old files, its enter event. */
Test(threads, sockets_are_named_by_family_and_type)
{
	static const uint8_t tuple[13] = { 2, 10, 0, 0, 1, 0x28, 0xa0, 10, 0, 0, 2, 80, 0 };
	uint32_t inet = 2, inet6 = 10, stream = 1 | 04000, dgram = 2, proto = 0;
	int64_t fd = 5, fd6 = 6, zero = 0;

	build_event(&b, &ev, PPME_SOCKET_X, 100, "fd", &fd, 8, "domain", &inet, 4, "type",
		    &stream, 4, "proto", &proto, 4, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_str_eq(kcap_threads_fd_name(th, 100, 5), "<4t>");
	build_event(&b, &ev, PPME_CONNECT_X, 100, "res", &zero, 8, "fd", &fd, 8, "tuple", tuple,
		    13, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_str_eq(kcap_threads_fd_name(th, 100, 5), "<4t>10.0.0.1:41000->10.0.0.2:80");
	build_event(&b, &ev, PPME_SOCKET_E, 100, "domain", &inet6, 4, "type", &dgram, 4,
		    "proto", &proto, 4, NULL);
	kcap_threads_update(th, &ev);
	build_event(&b, &ev, PPME_SOCKET_X, 100, "fd", &fd6, 8, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_str_eq(kcap_threads_fd_name(th, 100, 6), "<6u>");
}

/* The special fds are named as sysdig names them: a type letter, a memfd's name. */
Test(threads, special_fds_are_named_by_their_type)
{
	static const struct {
		uint16_t type;
		const char *want;
	} made[] = {
		{ PPME_EVENTFD_X, "<e>" }, { PPME_EVENTFD2_X, "<e>" },
		{ PPME_EPOLL_CREATE_X, "<l>" }, { PPME_EPOLL_CREATE1_X, "<l>" },
		{ PPME_SIGNALFD_X, "<s>" }, { PPME_SIGNALFD4_X, "<s>" },
		{ PPME_TIMERFD_CREATE_X, "<t>" }, { PPME_INOTIFY_INIT_X, "<i>" },
		{ PPME_INOTIFY_INIT1_X, "<i>" }, { PPME_USERFAULTFD_X, "<u>" },
		{ PPME_PIDFD_OPEN_X, "<P>" }, { PPME_IO_URING_SETUP_X, "<r>" },
	};
	int64_t fd = 20, minus1 = -1, failed = -22;
	size_t i;

	for (i = 0; i < sizeof(made) / sizeof(made[0]); i++, fd++) {
		/* signalfd's fd parameter (-1: a new one) is not the fd it made. */
		if (made[i].type == PPME_SIGNALFD_X || made[i].type == PPME_SIGNALFD4_X)
			build_event(&b, &ev, made[i].type, 100, "res", &fd, 8, "fd", &minus1, 8,
				    NULL);
		else
			build_event(&b, &ev, made[i].type, 100,
				    g_event_info[made[i].type].params[0].name, &fd, 8, NULL);
		kcap_threads_update(th, &ev);
		cr_assert_str_eq(kcap_threads_fd_name(th, 100, fd), made[i].want, "%s",
				 g_event_info[made[i].type].name);
	}
	cr_assert_null(kcap_threads_fd_name(th, 100, -1));
	build_event(&b, &ev, PPME_MEMFD_CREATE_X, 100, "fd", &fd, 8, "name", "jit-code", 9, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_str_eq(kcap_threads_fd_name(th, 100, fd), "<m>jit-code");
	/* bpf names the fds of the commands that make one; the others return 0. */
	build_event(&b, &ev, PPME_BPF_X, 100, "fd", &fd, 8, "cmd", &(uint32_t){ 5 }, 4, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_str_eq(kcap_threads_fd_name(th, 100, fd), "<b>", "BPF_PROG_LOAD");
	build_event(&b, &ev, PPME_BPF_X, 100, "fd", &(int64_t){ 0 }, 8, "cmd", &(uint32_t){ 2 },
		    4, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_null(kcap_threads_fd_name(th, 100, 0), "BPF_MAP_UPDATE_ELEM makes no fd");
	build_event(&b, &ev, PPME_EVENTFD2_X, 100, "res", &failed, 8, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_null(kcap_threads_fd_name(th, 100, -22));
}

/* What a filtered capture keeps as state: the fd makers, not bpf's many map calls nor sendto. */
Test(threads, the_state_events_are_the_fd_makers)
{
	cr_assert(kcap_event_changes_state(PPME_EVENTFD2_X));
	cr_assert(kcap_event_changes_state(PPME_PIDFD_GETFD_X));
	cr_assert(kcap_event_changes_state(PPME_IO_URING_SETUP_X));
	cr_assert(kcap_event_changes_state(PPME_OPENAT_X));
	cr_assert(!kcap_event_changes_state(PPME_BPF_X));
	cr_assert(!kcap_event_changes_state(PPME_SENDTO_X));
	cr_assert(!kcap_event_changes_state(PPME_EVENTFD2_E), "enter events change nothing");
}

/* pidfd_getfd copies the fd of the process the pidfd refers to. */
Test(threads, pidfd_getfd_copies_the_other_processs_fd)
{
	int64_t pidfd = 6, pid = 100, got = 8, got2 = 9, target = 3, bad = 7;

	build_event(&b, &ev, PPME_PIDFD_OPEN_X, 100, "fd", &pidfd, 8, "pid", &pid, 8, NULL);
	kcap_threads_update(th, &ev);
	build_event(&b, &ev, PPME_PIDFD_GETFD_X, 100, "fd", &got, 8, "pid_fd", &pidfd, 8,
		    "target_fd", &target, 8, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_str_eq(kcap_threads_fd_name(th, 100, 8), "<f>/etc/passwd");
	/* Through an fd that is no pidfd (the file), the copy is unknown, not stale. */
	build_event(&b, &ev, PPME_OPENAT_X, 100, "fd", &got2, 8, "name", "/old", 5, NULL);
	kcap_threads_update(th, &ev);
	build_event(&b, &ev, PPME_PIDFD_GETFD_X, 100, "fd", &got2, 8, "pid_fd", &target, 8,
		    "target_fd", &target, 8, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_null(kcap_threads_fd_name(th, 100, 9));
	build_event(&b, &ev, PPME_PIDFD_GETFD_X, 100, "fd", &got2, 8, "pid_fd", &pidfd, 8,
		    "target_fd", &bad, 8, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_null(kcap_threads_fd_name(th, 100, 9), "the other process has no fd 7");
}

/* A rotated file's fd list keeps the types that share a letter with another one. */
Test(threads, special_fds_keep_their_types_through_an_export)
{
	int64_t uffd = 10, pidfd = 11, pid = 100;
	struct kcap_meta out;
	size_t i;
	int seen = 0;

	build_event(&b, &ev, PPME_USERFAULTFD_X, 100, "res", &uffd, 8, NULL);
	kcap_threads_update(th, &ev);
	build_event(&b, &ev, PPME_PIDFD_OPEN_X, 100, "fd", &pidfd, 8, "pid", &pid, 8, NULL);
	kcap_threads_update(th, &ev);
	kcap_meta_init(&out);
	cr_assert_eq(kcap_threads_export(th, &out), 0);
	for (i = 0; i < out.nfds; i++) {
		if (out.fds[i].fd == 10) {
			cr_assert_eq(out.fds[i].type, KCAP_FD_USERFAULTFD);
			seen |= 1;
		}
		if (out.fds[i].fd == 11) {
			cr_assert_eq(out.fds[i].type, KCAP_FD_PIDFD);
			cr_assert_eq(out.fds[i].name.len, 0, "the note stays in the table");
			seen |= 2;
		}
	}
	cr_assert_eq(seen, 3);
	cr_assert_eq(kcap_threads_load(th, &out), 0);
	cr_assert_str_eq(kcap_threads_fd_name(th, 100, 10), "<u>");
	cr_assert_str_eq(kcap_threads_fd_name(th, 100, 11), "<P>");
	kcap_meta_free(&out);
}

Test(threads, many_threads_grow_and_shrink_the_table)
{
	int64_t tid, zero = 0;

	for (tid = 1000; tid < 6000; tid++) {
		build_event(&b, &ev, PPME_CLONE_X, tid, "res", &zero, 8, "comm", "w", 2, NULL);
		kcap_threads_update(th, &ev);
	}
	cr_assert_eq(kcap_threads_count(th), 5001);
	for (tid = 1000; tid < 6000; tid += 2) {
		build_event(&b, &ev, PPME_PROCEXIT_E, tid, NULL);
		kcap_threads_update(th, &ev);
	}
	build_event(&b, &ev, PPME_CLOSE_X, 1, NULL);
	kcap_threads_update(th, &ev);
	cr_assert_eq(kcap_threads_count(th), 2501);
	for (tid = 1001; tid < 6000; tid += 2)
		cr_assert_not_null(kcap_threads_find(th, tid), "tid %lld lost", (long long)tid);
	cr_assert_null(kcap_threads_find(th, 1000));
}

/*
 * An exit event with fewer parameters than its table row (a hostile file):
 * the slots past nparams hold the previous event's pointers, which the reader
 * may have freed since. Nothing past nparams may be read.
 */
Test(threads, short_events_read_nothing_past_their_parameters)
{
	static const char *const types[] = { "connect", "accept", "accept4", "open", "openat",
					     "socket", "dup2", "pipe", "chdir", "fchdir",
					     "clone", "execve", "close", "eventfd2", "signalfd",
					     "memfd_create", "pidfd_open", "pidfd_getfd",
					     "userfaultfd", "bpf", "io_uring_setup" };
	struct kcap_fmt_opts opts = { .bytebuf_max = KCAP_FMT_BYTEBUF_DEFAULT };
	struct kcap_sbuf out = { 0 };
	int64_t five = 5;
	size_t k;
	int t;

	for (k = 0; k < sizeof(types) / sizeof(types[0]); k++) {
		for (t = 0; t < PPM_EVENT_MAX; t++) {
			uint32_t i;

			if (strcmp(g_event_info[t].name, types[k]) || PPME_IS_ENTER(t))
				continue;
			/* The first parameter (res or fd) says fd 5, so that fd events go on. */
			build_event(&b, &ev, (uint16_t)t, 100, g_event_info[t].params[0].name,
				    &five, 8, NULL);
			ev.nparams = 1;
			for (i = 1; i < PPM_MAX_EVENT_PARAMS; i++) {
				ev.val[i] = NULL;	/* a dangling pointer would do worse */
				ev.len[i] = 100;
			}
			kcap_threads_update(th, &ev);
			kcap_threads_update(th, &ev);
			kcap_sbuf_reset(&out);
			kcap_fmt_text_line(&out, 1, &ev, th, &opts);
			kcap_fmt_json_line(&out, 1, &ev, th, &opts);
			cr_assert(!out.oom);
		}
	}
	kcap_sbuf_free(&out);
}

/* A process list that names one tid twice (found by the fuzzer). */
Test(threads, a_tid_listed_twice_keeps_the_last_entry)
{
	static const char *const exes[] = { "/a", "/b", "/b" };
	static const int64_t tids[] = { 5, 5, 6 };
	struct kcap_meta twice;
	size_t i;

	kcap_meta_init(&twice);
	for (i = 0; i < 3; i++) {
		struct kcap_proc *p = kcap_meta_add_proc(&twice);

		kcap_proc_defaults(p);
		p->tid = p->pid = tids[i];
		kcap_blob_set(&p->exe, exes[i], 2);
		kcap_blob_set(&p->cwd, exes[i], 2);
	}
	cr_assert_eq(kcap_threads_load(th, &twice), 0);
	cr_assert_eq(kcap_threads_count(th), 2);
	cr_assert_str_eq(kcap_threads_find(th, 5)->exe, "/b");
	cr_assert_str_eq(kcap_threads_find(th, 6)->exe, "/b");
	cr_assert_eq(kcap_threads_find(th, 5)->exe, kcap_threads_find(th, 6)->exe,
		     "the threads do not share their exe");
	kcap_meta_free(&twice);
}

/* An fd reopened on a path too long to keep is unknown, not the file it was before. */
Test(threads, an_fd_whose_new_name_cannot_be_kept_is_unknown)
{
	static char name[KCAP_PATH_MAX + 64];
	int64_t fd = 3, at_fdcwd = -100;

	memset(name, 'a', sizeof(name) - 1);
	name[0] = '/';
	build_event(&b, &ev, PPME_OPENAT_X, 100, "fd", &fd, 8, "dirfd", &at_fdcwd, 8,
		    "name", name, (uint32_t)sizeof(name), NULL);
	cr_assert_eq(kcap_threads_update(th, &ev), 0);
	cr_assert_null(kcap_threads_fd_name(th, 100, 3), "fd 3 still says %s",
		       kcap_threads_fd_name(th, 100, 3));
	cr_assert_eq(kcap_threads_cuts(th)->paths, 1);
}
