// SPDX-License-Identifier: MIT
/* The system scanner: this test's own process, its fds, a fake procfs. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stddef.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "ppm_events_public.h"
#include "proc_scan.h"
#include "scap_reader.h"
#include "scap_writer.h"

static struct kcap_meta m;
static char err[512];
static char tmpdir[64];

static void setup(void)
{
	kcap_meta_init(&m);
}

static void teardown(void)
{
	char cmd[128];

	kcap_meta_free(&m);
	if (tmpdir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		run_cmd(cmd, NULL, NULL);
	}
}

TestSuite(proc_scan, .init = setup, .fini = teardown);

static void scan(void)
{
	cr_assert_eq(kcap_scan_system(&m, "/proc", err, sizeof(err)), 0, "%s", err);
}

static const char *make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/kcap-scan-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	return tmpdir;
}

static const struct kcap_proc *find_proc(int64_t tid)
{
	size_t i;

	for (i = 0; i < m.nprocs; i++)
		if (m.procs[i].tid == tid)
			return &m.procs[i];
	cr_assert_fail("thread %lld not found", (long long)tid);
	return NULL;
}

static const struct kcap_fd *find_fd(int64_t pid, int fd)
{
	size_t i;

	for (i = 0; i < m.nfds; i++)
		if (m.fds[i].owner_tid == pid && m.fds[i].fd == fd)
			return &m.fds[i];
	cr_assert_fail("fd %d of %lld not found", fd, (long long)pid);
	return NULL;
}

/* Value of name in one of the schema's flag tables. */
static uint32_t flag_value(const struct ppm_flag_table *t, const char *name)
{
	uint32_t i;

	for (i = 0; i < t->count; i++)
		if (!strcmp(t->entries[i].name, name))
			return t->entries[i].value;
	cr_assert_fail("%s is not in %s", name, t->name);
	return 0;
}

#define O_PPM(name) flag_value(&file_flags, name)

static void assert_blob(const struct kcap_blob *b, const char *s)
{
	cr_assert_not_null(b->data);
	cr_assert_eq(b->len, strlen(s), "\"%s\" (%u) != \"%s\"", b->data, b->len, s);
	cr_assert_str_eq(b->data, s);
}

/*
 * Reads name under /proc/self. Relative to a directory fd, as valgrind
 * rewrites what opening or reading the link of "/proc/self/..." gives.
 */
static void read_self(const char *name, char *buf, size_t size, size_t *len)
{
	int dir = open("/proc/self", O_RDONLY | O_DIRECTORY), fd;
	ssize_t n;

	cr_assert_geq(dir, 0);
	fd = openat(dir, name, O_RDONLY);
	close(dir);

	cr_assert_geq(fd, 0);
	n = read(fd, buf, size - 1);
	cr_assert_geq(n, 0);
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = (size_t)n;
}

/* ---- this process ----------------------------------------------------- */

Test(proc_scan, finds_own_process)
{
	char comm[64], exe[4096], cwd[4096], cmdline[8192], limits[4096];
	unsigned long long soft;
	const struct kcap_proc *p;
	struct rlimit rl;
	struct stat st;
	size_t n, a0;
	ssize_t len;
	int dir;

	scan();
	p = find_proc(getpid());
	cr_assert_eq(p->pid, getpid());
	cr_assert_eq(p->ptid, getppid());
	cr_assert_eq(p->sid, getsid(0));
	cr_assert_eq(p->pgid, getpgrp());
	cr_assert_eq(p->flags, 0);
	read_self("comm", comm, sizeof(comm), NULL);
	comm[strcspn(comm, "\n")] = '\0';
	assert_blob(&p->comm, comm);
	dir = open("/proc/self", O_RDONLY | O_DIRECTORY);
	len = readlinkat(dir, "exe", exe, sizeof(exe) - 1);
	close(dir);
	cr_assert_gt(len, 0);
	exe[len] = '\0';
	assert_blob(&p->exepath, exe);
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	assert_blob(&p->cwd, cwd);
	assert_blob(&p->root, "/");
	read_self("cmdline", cmdline, sizeof(cmdline), &n);
	a0 = strlen(cmdline);
	assert_blob(&p->exe, cmdline);
	cr_assert_eq(p->args.len, n - a0 - 1);
	cr_assert_eq(memcmp(p->args.data, cmdline + a0 + 1, p->args.len), 0);
	cr_assert_eq(p->uid, geteuid());
	cr_assert_eq(p->gid, getegid());
	if (geteuid() == 0) {
		cr_assert_neq(p->cap_effective, 0);
		cr_assert_neq(p->cap_permitted, 0);
	}
	/* Not getrlimit: valgrind lowers what it reports. */
	read_self("limits", limits, sizeof(limits), NULL);
	cr_assert_not_null(strstr(limits, "Max open files"));
	cr_assert_eq(sscanf(strstr(limits, "Max open files"), "Max open files %llu", &soft), 1);
	cr_assert_eq(p->fdlimit, soft);
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	cr_assert_geq(p->fdlimit, rl.rlim_cur);
	cr_assert_eq(stat("/proc/self/exe", &st), 0);
	cr_assert_eq(p->exe_ino, st.st_ino);
	cr_assert_eq(p->exe_ino_mtime, (uint64_t)st.st_mtim.tv_sec * 1000000000ull +
					(uint64_t)st.st_mtim.tv_nsec);
	cr_assert_gt(p->vmsize_kb, 0);
	cr_assert_gt(p->vmrss_kb, 0);
	cr_assert(!p->exe_from_memfd);
	cr_assert_gt(p->cgroups.len, 0);
	cr_assert_eq(p->cgroups.data[p->cgroups.len - 1], '\0');
	if (p->env.len)
		cr_assert_eq(p->env.data[p->env.len - 1], '\0');
}

static pthread_barrier_t barrier;
static volatile pid_t thread_tid;

static void *thread_main(void *arg)
{
	(void)arg;
	thread_tid = gettid();
	pthread_barrier_wait(&barrier);	/* started */
	pthread_barrier_wait(&barrier);	/* scanned */
	return NULL;
}

Test(proc_scan, threads_share_the_pid)
{
	uint32_t clone_thread = flag_value(&clone_flags, "CLONE_THREAD");
	const struct kcap_proc *t, *p;
	pthread_t th;

	cr_assert_eq(pthread_barrier_init(&barrier, NULL, 2), 0);
	cr_assert_eq(pthread_create(&th, NULL, thread_main, NULL), 0);
	pthread_barrier_wait(&barrier);
	scan();
	pthread_barrier_wait(&barrier);
	pthread_join(th, NULL);
	pthread_barrier_destroy(&barrier);

	p = find_proc(getpid());
	t = find_proc(thread_tid);
	cr_assert_neq(t, p);
	cr_assert_lt(p, t, "the main thread comes first");
	cr_assert_eq(t->pid, getpid());
	cr_assert_eq(t->ptid, p->ptid);
	cr_assert(t->flags & clone_thread);
	cr_assert(!(p->flags & clone_thread));
	assert_blob(&t->exepath, p->exepath.data);
}

Test(proc_scan, machine_info)
{
	unsigned long long max_pid;
	char host[128] = "";
	struct timespec now;
	FILE *f;

	kcap_scan_machine(&m.machine, "/proc");
	cr_assert(m.machine.present);
	cr_assert_eq(m.machine.num_cpus, sysconf(_SC_NPROCESSORS_ONLN));
	cr_assert_gt(m.machine.memory_size_bytes, 0);
	f = fopen("/proc/sys/kernel/pid_max", "re");
	cr_assert_not_null(f);
	cr_assert_eq(fscanf(f, "%llu", &max_pid), 1);
	fclose(f);
	cr_assert_eq(m.machine.max_pid, max_pid);
	cr_assert_eq(m.machine.flags, 0);
	cr_assert_eq(gethostname(host, sizeof(host) - 1), 0);
	cr_assert_str_eq(m.machine.hostname, host);
	cr_assert_neq(host[0], '\0');
	clock_gettime(CLOCK_REALTIME, &now);
	cr_assert_lt(m.machine.boot_ts_epoch, (uint64_t)now.tv_sec * 1000000000ull);
	cr_assert_gt(m.machine.boot_ts_epoch, 1000000000ull * 1000000000ull);	/* 2001 */
}

/* ---- fds -------------------------------------------------------------- */

Test(proc_scan, regular_file)
{
	uint32_t expect = O_PPM("O_RDONLY") | O_PPM("O_CLOEXEC");
	char path[PATH_MAX], real[PATH_MAX];
	const struct kcap_fd *f;
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/data.txt", make_tmpdir());
	cr_assert_eq(write_file(path, "hello", 5), 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(fstat(fd, &st), 0);
	cr_assert_not_null(realpath(path, real));
	scan();
	f = find_fd(getpid(), fd);
	cr_assert_eq(f->type, KCAP_FD_FILE_V2);
	assert_blob(&f->name, real);
	cr_assert_eq(f->open_flags, expect, "0x%x != 0x%x", f->open_flags, expect);
	cr_assert(f->has_dev);
	cr_assert_eq(f->dev, (minor(st.st_dev) & 0xff) | (major(st.st_dev) << 8) |
				     ((minor(st.st_dev) & ~0xffu) << 12));
	cr_assert_eq(f->ino, st.st_ino);
	close(fd);
}

Test(proc_scan, directory_and_pipe)
{
	const struct kcap_fd *f;
	struct stat st;
	char name[64];
	int p[2], d;

	cr_assert_eq(pipe(p), 0);
	d = open(make_tmpdir(), O_RDONLY | O_DIRECTORY);
	cr_assert_geq(d, 0);
	scan();
	cr_assert_eq(fstat(p[0], &st), 0);
	snprintf(name, sizeof(name), "pipe:[%llu]", (unsigned long long)st.st_ino);
	f = find_fd(getpid(), p[0]);
	cr_assert_eq(f->type, KCAP_FD_FIFO);
	assert_blob(&f->name, name);
	cr_assert_eq(f->ino, st.st_ino);
	cr_assert_eq(find_fd(getpid(), p[1])->type, KCAP_FD_FIFO);
	f = find_fd(getpid(), d);
	cr_assert_eq(f->type, KCAP_FD_DIRECTORY);
	assert_blob(&f->name, tmpdir);
	close(p[0]);
	close(p[1]);
	close(d);
}

static const uint8_t localhost[4] = { 127, 0, 0, 1 };

/* A TCP socket listening on 127.0.0.1, on an ephemeral port. */
static int tcp_listener(uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert_geq(s, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(listen(s, 4), 0);
	cr_assert_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return s;
}

Test(proc_scan, tcp_listening_socket)
{
	const struct kcap_fd *f;
	uint16_t port;
	int s = tcp_listener(&port);

	scan();
	f = find_fd(getpid(), s);
	cr_assert_eq(f->type, KCAP_FD_IPV4_SERVSOCK);
	cr_assert_eq(memcmp(f->sip, localhost, 4), 0);
	cr_assert_eq(f->sport, port);
	cr_assert_eq(f->l4proto, 2);
	close(s);
}

static void assert_tcp(const struct kcap_fd *f, uint16_t sport, uint16_t dport)
{
	cr_assert_eq(f->type, KCAP_FD_IPV4_SOCK);
	cr_assert_eq(memcmp(f->sip, localhost, 4), 0);
	cr_assert_eq(memcmp(f->dip, localhost, 4), 0);
	cr_assert_eq(f->sport, sport);
	cr_assert_eq(f->dport, dport);
	cr_assert_eq(f->l4proto, 2);
}

Test(proc_scan, tcp_connected_pair)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	uint16_t port, cport;
	int l = tcp_listener(&port), c, a;

	c = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	cr_assert_eq(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
	a = accept(l, NULL, NULL);
	cr_assert_geq(a, 0);
	cr_assert_eq(getsockname(c, (struct sockaddr *)&sa, &len), 0);
	cport = ntohs(sa.sin_port);
	scan();
	assert_tcp(find_fd(getpid(), c), cport, port);
	assert_tcp(find_fd(getpid(), a), port, cport);
	close(a);
	close(c);
	close(l);
}

Test(proc_scan, udp_and_ipv6_sockets)
{
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	const struct kcap_fd *f;
	int u = socket(AF_INET, SOCK_DGRAM, 0), t = socket(AF_INET6, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(u, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(getsockname(u, (struct sockaddr *)&sa, &len), 0);
	if (bind(t, (struct sockaddr *)&sa6, sizeof(sa6)) || listen(t, 1))
		cr_skip_test("no IPv6 loopback");
	len = sizeof(sa6);
	cr_assert_eq(getsockname(t, (struct sockaddr *)&sa6, &len), 0);
	scan();
	f = find_fd(getpid(), u);
	cr_assert_eq(f->type, KCAP_FD_IPV4_SERVSOCK);
	cr_assert_eq(memcmp(f->sip, localhost, 4), 0);
	cr_assert_eq(f->sport, ntohs(sa.sin_port));
	cr_assert_eq(f->l4proto, 3);
	f = find_fd(getpid(), t);
	cr_assert_eq(f->type, KCAP_FD_IPV6_SERVSOCK);
	cr_assert_eq(memcmp(f->sip, &in6addr_loopback, 16), 0);
	cr_assert_eq(f->sport, ntohs(sa6.sin6_port));
	cr_assert_eq(f->l4proto, 2);
	close(u);
	close(t);
}

Test(proc_scan, unix_socket_path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const struct kcap_fd *f;
	struct stat st;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	cr_assert_geq(s, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/s.sock", make_tmpdir());
	cr_assert_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(listen(s, 1), 0);
	cr_assert_eq(fstat(s, &st), 0);
	scan();
	f = find_fd(getpid(), s);
	cr_assert_eq(f->type, KCAP_FD_UNIX_SOCK);
	assert_blob(&f->name, sa.sun_path);
	cr_assert_eq(f->unix_src, st.st_ino);
	cr_assert_eq(f->unix_dst, 0);
	cr_assert_eq(f->ino, st.st_ino);
	close(s);
}

/*
 * A user binds an abstract socket whose name holds a newline and a whole
 * forged line of /proc/net/unix that claims the inode of a root socket,
 * under the attacker's path. The root socket keeps its own name (sock_diag)
 * or, without sock_diag, no name: never the forged one.
 */
static void forged_unix_line_is_not_believed(bool diag)
{
	struct sockaddr_un real = { .sun_family = AF_UNIX }, evil = { .sun_family = AF_UNIX };
	const struct kcap_fd *f;
	struct stat st;
	int victim = socket(AF_UNIX, SOCK_STREAM, 0), attacker = socket(AF_UNIX, SOCK_STREAM, 0);
	socklen_t len;
	int n;

	cr_assert_geq(victim, 0);
	cr_assert_geq(attacker, 0);
	snprintf(real.sun_path, sizeof(real.sun_path), "%s/root.sock", make_tmpdir());
	cr_assert_eq(bind(victim, (struct sockaddr *)&real, sizeof(real)), 0);
	cr_assert_eq(fstat(victim, &st), 0);
	/* "\0x\n<a whole line for the victim's inode> /attacker" */
	n = snprintf(evil.sun_path + 1, sizeof(evil.sun_path) - 1,
		     "x\n0000000000000000: 00000002 00000000 00010000 0001 01 %llu /attacker",
		     (unsigned long long)st.st_ino);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
	cr_assert_eq(bind(attacker, (struct sockaddr *)&evil, len), 0);

	kcap_scan_use_sock_diag(diag);
	cr_assert_gt(kcap_scan_fds(&m, "/proc", getpid(), err, sizeof(err)), 0, "%s", err);
	kcap_scan_use_sock_diag(true);
	f = find_fd(getpid(), victim);
	cr_assert_eq(f->type, KCAP_FD_UNIX_SOCK);
	cr_assert(!strstr(f->name.data, "attacker"), "the forged name was believed: %s",
		  f->name.data);
	if (diag)
		assert_blob(&f->name, real.sun_path);
	else
		assert_blob(&f->name, "");
	f = find_fd(getpid(), attacker);
	cr_assert_eq(f->type, KCAP_FD_UNIX_SOCK);
	if (diag)
		cr_assert_eq(strncmp(f->name.data, "@x\n0000000000000000: ", 21), 0, "%s",
			     f->name.data);
	close(victim);
	close(attacker);
}

Test(proc_scan, forged_unix_line_is_not_believed_with_sock_diag)
{
	forged_unix_line_is_not_believed(true);
}

Test(proc_scan, forged_unix_line_is_not_believed_from_proc_net_unix)
{
	forged_unix_line_is_not_believed(false);
}

Test(proc_scan, fds_of_one_process)
{
	int count = kcap_scan_fds(&m, "/proc", getpid(), err, sizeof(err));
	size_t i;

	cr_assert_gt(count, 0, "%s", err);
	cr_assert_eq(m.nfds, (size_t)count);
	cr_assert_eq(m.nprocs, 0);
	for (i = 0; i < m.nfds; i++) {
		cr_assert_eq(m.fds[i].owner_tid, getpid());
		cr_assert_neq(m.fds[i].type, KCAP_FD_UNKNOWN);
	}
}

/* ---- interfaces, users, errors ---------------------------------------- */

Test(proc_scan, loopback_interface)
{
	static const uint8_t mask[4] = { 255, 0, 0, 0 };
	bool found = false, seen_v6 = false;
	size_t i;

	cr_assert_eq(kcap_scan_ifaces(&m, err, sizeof(err)), 0, "%s", err);
	for (i = 0; i < m.nifaces; i++) {
		const struct kcap_iface *f = &m.ifaces[i];

		cr_assert(f->type == KCAP_IF_IPV4 || f->type == KCAP_IF_IPV6);
		cr_assert(f->type == KCAP_IF_IPV6 || !seen_v6, "IPv4 entries come first");
		seen_v6 |= f->type == KCAP_IF_IPV6;
		if (f->type == KCAP_IF_IPV4 && !memcmp(f->addr, localhost, 4)) {
			assert_blob(&f->name, "lo");
			cr_assert_eq(memcmp(f->netmask, mask, 4), 0);
			found = true;
		}
	}
	cr_assert(found, "no 127.0.0.1 on lo");
}

Test(proc_scan, users_and_groups)
{
	bool root = false, root_group = false, seen_group = false;
	size_t i;

	cr_assert_eq(kcap_scan_users(&m, err, sizeof(err)), 0, "%s", err);
	for (i = 0; i < m.nusers; i++) {
		const struct kcap_user *u = &m.users[i];

		cr_assert(u->is_group || !seen_group, "users come first");
		seen_group |= u->is_group;
		cr_assert_leq(u->name.len, 255);
		if (!u->is_group && u->uid == 0) {
			assert_blob(&u->name, "root");
			cr_assert_eq(u->gid, 0);
			root = true;
		}
		root_group |= u->is_group && u->gid == 0;
	}
	cr_assert(root && root_group);
}

Test(proc_scan, missing_procfs_is_a_one_line_error)
{
	cr_assert_eq(kcap_scan_system(&m, "/nonexistent/proc", err, sizeof(err)), -1);
	cr_assert_neq(err[0], '\0');
	cr_assert_null(strchr(err, '\n'));
	cr_assert_not_null(strstr(err, "/nonexistent/proc"), "%s", err);
	cr_assert_eq(m.nprocs, 0);
}

Test(proc_scan, vanished_process_is_skipped)
{
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (!pid)
		_exit(0);
	cr_assert_eq(waitpid(pid, NULL, 0), pid);
	cr_assert_eq(kcap_scan_process(&m, "/proc", pid, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(kcap_scan_fds(&m, "/proc", pid, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(m.nprocs, 0);
}

/* ---- conversions ------------------------------------------------------ */

Test(proc_scan, open_flags_use_schema_values)
{
	cr_assert_eq(kcap_open_flags_to_ppm(O_RDONLY), O_PPM("O_RDONLY"));
	cr_assert_eq(kcap_open_flags_to_ppm(O_WRONLY | O_CREAT | O_TRUNC | O_APPEND),
		     O_PPM("O_WRONLY") | O_PPM("O_CREAT") | O_PPM("O_TRUNC") | O_PPM("O_APPEND"));
	cr_assert_eq(kcap_open_flags_to_ppm(O_RDWR | O_EXCL | O_NONBLOCK | O_CLOEXEC),
		     O_PPM("O_RDWR") | O_PPM("O_EXCL") | O_PPM("O_NONBLOCK") | O_PPM("O_CLOEXEC"));
	cr_assert_eq(kcap_open_flags_to_ppm(O_RDONLY | O_DIRECTORY | O_DIRECT | O_NOFOLLOW),
		     O_PPM("O_RDONLY") | O_PPM("O_DIRECTORY") | O_PPM("O_DIRECT"));
	cr_assert_eq(kcap_open_flags_to_ppm(O_WRONLY | O_DSYNC),
		     O_PPM("O_WRONLY") | O_PPM("O_DSYNC"));
	cr_assert_eq(kcap_open_flags_to_ppm(O_WRONLY | O_SYNC),
		     O_PPM("O_WRONLY") | O_PPM("O_SYNC") | O_PPM("O_DSYNC"));
	cr_assert_eq(kcap_open_flags_to_ppm(O_RDWR | O_TMPFILE),
		     O_PPM("O_RDWR") | O_PPM("O_TMPFILE") | O_PPM("O_DIRECTORY"));
}

Test(proc_scan, dev_new_encoding)
{
	cr_assert_eq(kcap_dev_encode(makedev(8, 1)), 0x801);
	cr_assert_eq(kcap_dev_encode(makedev(259, 300)), 0x2c | (259 << 8) | (0x100 << 12));
}

/* ---- a fake procfs ---------------------------------------------------- */

static void put(const char *root, const char *rel, const void *data, size_t len)
{
	char path[PATH_MAX], cmd[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	cr_assert_eq(run_cmd(cmd, NULL, NULL), 0);
	cr_assert_eq(write_file(path, data, len), 0, "%s", path);
}

#define PUT(root, rel, lit) put(root, rel, lit, sizeof(lit) - 1)

static void fake_procfs(const char *root)
{
	static char cmdline[6000];
	size_t n;

	PUT(root, "4242/stat", "4242 (my (proc)) S 1 4240 4239 34816 4242 4194304 111 0 22 0\n");
	PUT(root, "4242/status", "Name:\tmy (proc)\nPPid:\t1\nUid:\t1000\t1001\t1001\t1001\n"
		  "Gid:\t100\t101\t101\t101\nNSpid:\t4242\t7\nNSpgid:\t4240\t5\n"
		  "VmSize:\t    1000 kB\nVmRSS:\t     200 kB\nVmSwap:\t       3 kB\n"
		  "CapInh:\t0000000000000000\nCapPrm:\t00000000a80425fb\n"
		  "CapEff:\t00000000a80425fb\n");
	PUT(root, "4242/comm", "my (proc)\n");
	n = (size_t)snprintf(cmdline, sizeof(cmdline), "/bin/prog%c-a%c", 0, 0);
	memset(cmdline + n, 'x', 5000);
	put(root, "4242/cmdline", cmdline, n + 5000 + 1);
	PUT(root, "4242/environ", "A=1\0B=2\0");
	PUT(root, "4242/cgroup", "2:cpu,cpuacct:/a\n1:name=systemd:/s\n0::/b\n");
	PUT(root, "4242/limits", "Limit                     Soft Limit           Hard Limit"
		  "           Units     \nMax open files            1024                 4096"
		  "                 files     \n");
	PUT(root, "4242/loginuid", "1000");
	PUT(root, "4242/task/4242/comm", "my (proc)\n");
	PUT(root, "4242/task/4243/comm", "worker\n");
	PUT(root, "4242/task/4243/status", "Name:\tworker\nNSpid:\t4243\t8\n");
	PUT(root, "2/stat", "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0\n");
	PUT(root, "2/status", "Name:\tkthreadd\nPPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
	PUT(root, "2/comm", "kthreadd\n");
	PUT(root, "2/cmdline", "");
	PUT(root, "77/comm", "vanished\n");	/* no stat: exited mid-scan */
	PUT(root, "self/stat", "garbage");
}

Test(proc_scan, fake_procfs_fields)
{
	static const char cgroups[] = "cpu=/a\0cpuacct=/a\0name=systemd=/s\0unified=/b";
	const struct kcap_proc *p, *t, *k;
	uint32_t thread = flag_value(&clone_flags, "CLONE_THREAD");
	size_t i;

	fake_procfs(make_tmpdir());
	cr_assert_eq(kcap_scan_system(&m, tmpdir, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(m.nprocs, 3);
	cr_assert_eq(m.nfds, 0);
	p = find_proc(4242);
	cr_assert_eq(p->pid, 4242);
	cr_assert_eq(p->ptid, 1);
	cr_assert_eq(p->pgid, 4240);
	cr_assert_eq(p->sid, 4239);
	cr_assert_eq(p->vpgid, 5);
	cr_assert_eq(p->vpid, 7);
	cr_assert_eq(p->vtid, 7);
	cr_assert_eq(p->tty, 34816);
	cr_assert_eq(p->pfminor, 111);
	cr_assert_eq(p->pfmajor, 22);
	cr_assert_eq(p->uid, 1001);
	cr_assert_eq(p->gid, 101);
	cr_assert_eq(p->vmsize_kb, 1000);
	cr_assert_eq(p->vmrss_kb, 200);
	cr_assert_eq(p->vmswap_kb, 3);
	cr_assert_eq(p->cap_permitted, 0xa80425fbull);
	cr_assert_eq(p->cap_effective, 0xa80425fbull);
	cr_assert_eq(p->cap_inheritable, 0);
	cr_assert_eq(p->fdlimit, 1024);
	cr_assert_eq(p->loginuid, 1000);
	assert_blob(&p->comm, "my (proc)");
	assert_blob(&p->exe, "/bin/prog");
	assert_blob(&p->exepath, "");
	cr_assert_eq(p->args.len, 4096);
	cr_assert_eq(memcmp(p->args.data, "-a\0xxx", 6), 0);
	cr_assert_eq(p->args.data[4094], 'x');
	cr_assert_eq(p->args.data[4095], '\0');
	cr_assert_eq(p->env.len, 8);
	cr_assert_eq(memcmp(p->env.data, "A=1\0B=2\0", 8), 0);
	cr_assert_eq(p->cgroups.len, sizeof(cgroups));
	cr_assert_eq(memcmp(p->cgroups.data, cgroups, sizeof(cgroups)), 0);

	t = find_proc(4243);
	cr_assert_eq(t->pid, 4242);
	cr_assert_eq(t->vtid, 8);
	cr_assert_eq(t->vpid, 7);
	cr_assert_eq(t->flags & thread, thread);
	assert_blob(&t->comm, "worker");
	cr_assert_eq(t->args.len, 4096);

	k = find_proc(2);
	assert_blob(&k->exe, "kthreadd");
	cr_assert_eq(k->args.len, 0);
	cr_assert_eq(k->vpid, -1);
	cr_assert_eq(k->vpgid, 0);
	cr_assert_eq(k->loginuid, 0xFFFFFFFFu);
	for (i = 0; i < m.nprocs; i++)
		cr_assert_neq(m.procs[i].pid, 77);
}

/* ---- round trip ------------------------------------------------------- */

Test(proc_scan, write_and_read_back)
{
	char path[4096];
	const struct kcap_meta *r;
	struct kcap_writer *w;
	struct kcap_reader *rd;
	struct kcap_evt ev;
	uint16_t port;
	int s = tcp_listener(&port), rc;

	scan();
	snprintf(path, sizeof(path), "%s", tmp_path("scan.scap"));
	w = kcap_writer_open(path, false, err, sizeof(err));
	cr_assert_not_null(w, "%s", err);
	cr_assert_eq(kcap_writer_meta(w, &m), 0, "%s", kcap_writer_error(w));
	cr_assert_eq(kcap_writer_close(w, NULL, err, sizeof(err)), 0, "%s", err);

	rd = kcap_reader_open(path, err, sizeof(err));
	cr_assert_not_null(rd, "%s", err);
	while ((rc = kcap_reader_next(rd, &ev)) > 0)
		;
	cr_assert_eq(rc, 0, "%s", kcap_reader_error(rd));
	r = kcap_reader_meta(rd);
	cr_assert_eq(r->nprocs, m.nprocs);
	cr_assert_eq(r->nfds, m.nfds);
	cr_assert_eq(r->nifaces, m.nifaces);
	cr_assert_eq(r->nusers, m.nusers);
	cr_assert_str_eq(r->machine.hostname, m.machine.hostname);
	kcap_reader_close(rd);
	unlink(path);
	close(s);
}
