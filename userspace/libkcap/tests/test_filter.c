// SPDX-License-Identifier: MIT
/* sysdig filter expressions (filter.h) and the fields they read (fields.h). */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "container.h"
#include "filter.h"
#include "scap_build.h"
#include "shstr.h"

#define DOCKER_ID "3f2a9c1be5d04a7c8f6e1b2d3c4a5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a"

static struct kcap_threads *th;
static struct bytes b;
static struct kcap_evt ev;

static void add_fd(struct kcap_meta *m, int64_t fd, uint8_t type, uint8_t l4, const char *sip,
		   uint16_t sport, const char *dip, uint16_t dport, const char *name)
{
	struct kcap_fd *f = kcap_meta_add_fd(m);
	int family = type == KCAP_FD_IPV4_SOCK || type == KCAP_FD_IPV4_SERVSOCK ? AF_INET : AF_INET6;

	cr_assert_not_null(f);
	f->owner_tid = 77;
	f->fd = fd;
	f->type = type;
	f->l4proto = l4;
	f->sport = sport;
	f->dport = dport;
	if (sip)
		cr_assert_eq(inet_pton(family, sip, f->sip), 1);
	if (dip)
		cr_assert_eq(inet_pton(family, dip, f->dip), 1);
	if (name)
		cr_assert_eq(kcap_blob_set(&f->name, name, strlen(name)), 0);
}

/*
 * Process 77 "cat -n /etc/passwd" of alice (uid 1000, gid 50, in /tmp) in a docker
 * container, with a file (3), a TCP connection (4) and a TCP6 server (5).
 */
static void setup(void)
{
	static const char cgroups[] = "cpu=/\0memory=/system.slice/docker-" DOCKER_ID ".scope";
	struct kcap_proc *p;
	struct kcap_meta m;

	th = kcap_threads_new();
	cr_assert_not_null(th);
	kcap_meta_init(&m);
	p = build_proc(&m, 77);
	p->gid = 50;
	cr_assert_eq(kcap_blob_set(&p->args, "-n\0/etc/passwd", 15), 0);
	cr_assert_eq(kcap_blob_set(&p->cgroups, cgroups, sizeof(cgroups)), 0);
	add_fd(&m, 3, KCAP_FD_FILE, 0, NULL, 0, NULL, 0, "/etc/passwd");
	add_fd(&m, 4, KCAP_FD_IPV4_SOCK, 2, "10.0.0.1", 5000, "10.0.0.2", 80, NULL);
	add_fd(&m, 5, KCAP_FD_IPV6_SERVSOCK, 2, "::1", 8080, NULL, 0, NULL);
	build_user(&m);
	cr_assert_eq(kcap_threads_load(th, &m), 0);
	kcap_meta_free(&m);
}

static void teardown(void)
{
	kcap_threads_free(th);
}

TestSuite(filter, .init = setup, .fini = teardown);

/* A read exit of 12 bytes from fd of process 77, event number 9. */
static void read_event(int64_t fd, int64_t res)
{
	uint32_t size = 4096;

	build_event(&b, &ev, PPME_READ_X, 77, "res", &res, 8, "data", "hello world\n", 12,
		    "fd", &fd, 8, "size", &size, 4, NULL);
}

static bool matches(const char *filter)
{
	struct kcap_filter *f;
	char err[256] = "";
	bool m;

	f = kcap_filter_compile(filter, err, sizeof(err));
	cr_assert_not_null(f, "%s: %s", filter, err);
	m = kcap_filter_match(f, 9, &ev, th);
	kcap_filter_free(f);
	return m;
}

static void expect_all(const char *const *cases, size_t n, bool want)
{
	size_t i;

	for (i = 0; i < n; i++)
		cr_expect_eq(matches(cases[i]), want, "%s: %s", cases[i], want ? "no match" : "matched");
}

#define EXPECT_ALL(cases, want) expect_all(cases, sizeof(cases) / sizeof(cases[0]), want)

Test(filter, every_field_and_operator_on_a_socket_read)
{
	static const char *const yes[] = {
		"evt.type=read", "evt.type == read", "evt.type in (open, read)", "evt.type!=write",
		"evt.type startswith re", "evt.dir=<", "evt.num=9", "evt.num>=9", "evt.num<10",
		"evt.time exists", "evt.res=SUCCESS", "evt.failed=false", "evt.rawres=12",
		"evt.arg.data contains world", "evt.arg.fd contains 10.0.0.2:80",
		"evt.rawarg.fd=4", "evt.rawarg.size>4095", "evt.rawarg.size=4096",
		"proc.name=cat", "proc.name icontains CA", "proc.name glob 'c?t'",
		"proc.pid=77", "proc.ppid=1", "proc.exe endswith /cat",
		"proc.cmdline='cat -n /etc/passwd'", "thread.tid=77", "user.uid=1000",
		"user.name=alice", "group.gid=50", "fd.num=4", "fd.num in (3, 4)",
		"fd.name='10.0.0.1:5000->10.0.0.2:80'", "fd.type=ipv4", "fd.sip=10.0.0.1",
		"fd.dip=10.0.0.2", "fd.sport=5000", "fd.dport=80", "fd.l4proto=tcp",
		"container.id=3f2a9c1be5d0", "fd.dport exists", "evt.arg.size exists",
	};
	static const char *const no[] = {
		"evt.type=write", "evt.type in (open, write)", "evt.dir=>", "evt.num>9",
		"evt.failed=true", "evt.arg.data contains World", "proc.name=ca",
		"proc.name glob 'c?'", "proc.pid!=77", "user.name!=alice", "fd.num=3",
		"fd.sip=10.0.0.2", "fd.l4proto=udp", "container.id=host",
		/* What the event lacks makes any check false, != too. */
		"evt.arg.name exists", "evt.arg.name!=x", "evt.arg.dirfd=1",
	};

	read_event(4, 12);
	EXPECT_ALL(yes, true);
	EXPECT_ALL(no, false);
}

Test(filter, fds_of_other_kinds)
{
	static const char *const file[] = {
		"fd.name=/etc/passwd", "fd.type=file", "fd.name startswith /etc/",
		"evt.arg.fd='3(<f>/etc/passwd)'",
	};
	static const char *const server[] = {
		"fd.type=ipv6", "fd.sip=::1", "fd.sport=8080", "fd.l4proto=tcp",
	};
	static const char *const neither[] = {
		"fd.sip exists", "fd.dport exists", "fd.l4proto exists", "fd.name=x",
	};
	static const char *const failed[] = { "evt.failed=true", "evt.res=EBADF", "evt.rawres<0" };

	read_event(3, 12);
	EXPECT_ALL(file, true);
	cr_expect(!matches("fd.sip exists"));
	read_event(5, 12);
	EXPECT_ALL(server, true);
	cr_expect(!matches("fd.dip exists"));
	read_event(42, -9);	/* an fd the table does not know */
	EXPECT_ALL(neither, false);
	cr_expect(matches("fd.num=42"));
	EXPECT_ALL(failed, true);
}

/* not binds tighter than and, and tighter than or; parentheses group. */
Test(filter, precedence_as_sysdig)
{
	static const char *const yes[] = {
		"evt.type=read or evt.type=write and proc.name=nosuch",
		"proc.name=nosuch and evt.type=write or evt.type=read",
		"not evt.type=write and proc.name=cat",
		"not not proc.name=cat",
		"not (evt.type=write or proc.name=nosuch)",
		"((proc.name=cat))",
		"evt.type=read and (fd.num=3 or fd.num=4) and not fd.type=file",
	};
	static const char *const no[] = {
		"(evt.type=read or evt.type=write) and proc.name=nosuch",
		"not evt.type=read or proc.name=nosuch",
		"not (evt.type=read and proc.name=cat)",
		"evt.type=read and not proc.name=cat",
	};

	read_event(4, 12);
	EXPECT_ALL(yes, true);
	EXPECT_ALL(no, false);
}

Test(filter, values_quoted_and_listed)
{
	static const char *const yes[] = {
		"evt.arg.data = \"hello world\\\\n\"",	/* the text as shown: \n escaped */
		"evt.arg.data contains 'o w'", "proc.name in ('cat' \"dog\")",
		"proc.name in (dog,cat)", "proc.cmdline contains \"-n /etc\"",
		"proc.name = 'c\\'at' or proc.name=cat",
	};

	read_event(4, 12);
	EXPECT_ALL(yes, true);
}

/* A faulty filter is one line that names the column of the fault. */
Test(filter, faults_name_their_column)
{
	static const struct {
		const char *filter, *err;
	} cases[] = {
		{ "", "column 1: the filter ends where a field is expected" },
		{ "proc.nam=cat", "column 1: no field 'proc.nam'" },
		{ "proc.name cat", "column 11: an operator is expected after proc.name" },
		{ "proc.name=", "column 11: a value is missing" },
		{ "proc.pid=abc", "column 10: 'abc' is not a number, and the field is one" },
		{ "proc.pid contains 1", "column 10: proc.pid is a number: this operator compares" },
		{ "proc.name<a", "column 10: proc.name is text: '<' and '>' compare numbers" },
		{ "evt.type=opne", "column 10: no event type 'opne'" },
		{ "evt.type in open", "column 13: 'in' takes a list in parentheses" },
		{ "evt.type in ()", "column 14: the list is empty" },
		{ "evt.type in (open", "column 18: the list is not closed" },
		{ "(proc.name=cat", "column 1: the parenthesis opened here is not closed" },
		{ "(evt.type in (open", "column 19: the list is not closed" },	/* fuzz_filter */
		{ "proc.name='cat", "column 11: the quote opened here is not closed" },
		{ "proc.name=cat evt.type=read", "column 15: 'and', 'or' or the end is expected" },
		{ "proc.name=cat and", "column 18: the filter ends where a field is expected" },
		{ "proc.name=cat )", "column 15: 'and', 'or' or the end is expected" },
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		cr_expect_null(kcap_filter_compile(cases[i].filter, err, sizeof(err)), "%s",
			       cases[i].filter);
		cr_expect(!strncmp(err, cases[i].err, strlen(cases[i].err)), "%s: got '%s'",
			  cases[i].filter, err);
	}
}

/* Hostile sizes fail cleanly: deep nesting, huge chains and lists. */
Test(filter, bounded_on_hostile_input)
{
	size_t n = 200000, i;
	char *s = malloc(n * 20 + 16), err[256], *p;

	cr_assert_not_null(s);
	memset(s, '(', n);
	strcpy(s + n, "proc.name=cat");
	cr_expect_null(kcap_filter_compile(s, err, sizeof(err)));
	cr_expect(strstr(err, "nested more than") != NULL, "%s", err);
	strcpy(s, "fd.num=1");
	for (i = 1, p = s + strlen(s); i < n; i++)
		p += sprintf(p, " or fd.num=1");
	cr_expect_null(kcap_filter_compile(s, err, sizeof(err)));
	cr_expect(strstr(err, "checks and operators") != NULL, "%s", err);
	free(s);
}

static void expect_types(const char *filter, const char *const *names, bool all_but)
{
	bool types[KCAP_EVENT_MAX], want[KCAP_EVENT_MAX] = { false };
	struct kcap_filter *f;
	char err[256];
	int t;

	f = kcap_filter_compile(filter, err, sizeof(err));
	cr_assert_not_null(f, "%s", err);
	for (; names && *names; names++)
		cr_assert(kcap_events_by_name(*names, want));
	kcap_filter_types(f, types);
	for (t = 0; t < KCAP_EVENT_MAX; t++)
		cr_expect_eq(types[t], want[t] != all_but, "%s: type %d (%s)", filter, t,
			     g_event_info[t].name);
	kcap_filter_free(f);
}

/* What a capture asks the kernel for: only types the filter can match. */
Test(filter, event_types_it_can_match)
{
	static const char *const open[] = { "open", NULL };
	static const char *const open_read[] = { "open", "read", NULL };

	expect_types("evt.type=open and proc.name=cat", open, false);
	expect_types("proc.name=cat and (evt.type=open or evt.type=read)", open_read, false);
	expect_types("evt.type in (open, read) and not evt.type=close", open_read, false);
	expect_types("not evt.type=open", open, true);
	expect_types("evt.type!=open", open, true);
	expect_types("evt.type=open or proc.name=cat", NULL, true);
	expect_types("not (evt.type=open and proc.name=cat)", NULL, true);
	expect_types("evt.type contains open", NULL, true);
}

Test(filter, a_top_level_pid)
{
	struct kcap_filter *f;
	char err[256];
	int64_t pid = 0;

	f = kcap_filter_compile("evt.type=read and (proc.pid=77 and fd.num>2)", err, sizeof(err));
	cr_assert_not_null(f, "%s", err);
	cr_expect(kcap_filter_pid(f, &pid));
	cr_expect_eq(pid, 77);
	kcap_filter_free(f);
	f = kcap_filter_compile("evt.type=read or proc.pid=77", err, sizeof(err));
	cr_assert_not_null(f, "%s", err);
	cr_expect(!kcap_filter_pid(f, &pid));
	kcap_filter_free(f);
	f = kcap_filter_compile("not proc.pid=77", err, sizeof(err));
	cr_assert_not_null(f, "%s", err);
	cr_expect(!kcap_filter_pid(f, &pid));
	kcap_filter_free(f);
}

Test(filter, container_ids_as_libs_finds_them)
{
	static const struct {
		const char *path, *id;
	} cases[] = {
		{ "/docker/" DOCKER_ID, "3f2a9c1be5d0" },
		{ "/system.slice/docker-" DOCKER_ID ".scope", "3f2a9c1be5d0" },
		{ "/kubepods/besteffort/pod1234/" DOCKER_ID, "3f2a9c1be5d0" },
		{ "/kubepods.slice/kubepods-pod1.slice/cri-containerd-" DOCKER_ID ".scope",
		  "3f2a9c1be5d0" },
		{ "/kubepods.slice/crio-" DOCKER_ID ".scope", "3f2a9c1be5d0" },
		{ "/machine.slice/libpod-" DOCKER_ID ".scope/container", "3f2a9c1be5d0" },
		{ "/user.slice/user-1000.slice/session-2.scope", "" },
		{ "/docker/" "3f2a9c1be5d04a7c8f6e1b2d3c4a5f60718293a4b5c6d7e8f90a1b2c3d4e5f6", "" },
		{ "/docker-" DOCKER_ID, "" },
		{ "/", "" },
	};
	char blob[256], id[KCAP_CONTAINER_ID_LEN + 1];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = snprintf(blob, sizeof(blob), "cpu=/%cmemory=%s", '\0', cases[i].path);

		cr_expect_eq(kcap_container_id(blob, (size_t)n + 1, id), cases[i].id[0] != '\0',
			     "%s", cases[i].path);
		cr_expect_str_eq(id, cases[i].id, "%s", cases[i].path);
	}
}

/* A rotated file starts from the table: exported, it loads back the same. */
Test(filter, the_state_exports_and_loads_back)
{
	struct kcap_threads *back = kcap_threads_new();
	const struct kcap_thread *a, *b;
	struct kcap_meta m;
	int64_t fd;

	cr_assert_not_null(back);
	kcap_meta_init(&m);
	cr_assert_eq(kcap_threads_export(th, &m), 0);
	cr_assert_eq(m.nprocs, 1);
	cr_assert_eq(m.nfds, 3);
	cr_assert_eq(kcap_threads_load(back, &m), 0);
	a = kcap_threads_find(th, 77);
	b = kcap_threads_find(back, 77);
	cr_assert_not_null(b);
	cr_expect_eq(b->pid, a->pid);
	cr_expect_eq(b->ptid, a->ptid);
	cr_expect_eq(b->uid, a->uid);
	cr_expect_eq(b->gid, a->gid);
	cr_expect_str_eq(b->comm, a->comm);
	cr_expect_str_eq(b->exe, a->exe);
	cr_expect_str_eq(b->cwd, "/tmp");
	cr_expect_str_eq(b->container, "3f2a9c1be5d0");
	cr_expect_eq(kcap_shstr_len(b->args), kcap_shstr_len(a->args));
	cr_expect(!memcmp(b->args, a->args, kcap_shstr_len(a->args)));
	for (fd = 3; fd <= 5; fd++)
		cr_expect_str_eq(kcap_threads_fd_name(back, 77, fd), kcap_threads_fd_name(th, 77, fd),
				 "fd %lld", (long long)fd);
	kcap_meta_free(&m);
	kcap_threads_free(back);
}
