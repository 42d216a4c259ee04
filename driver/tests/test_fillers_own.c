// SPDX-License-Identifier: MIT
/*
 * Driver tests of kcap's own events (driver/schema/kcap-events.json):
 * tcp_state on loopback connections, IPv4 and IPv6, closed by either side
 * and refused; swapin and tcp_retransmit on kernels with kprobes (the qemu
 * guests: this machine's kernel has none).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "driver_test.h"
#include "helpers.h"

static struct dt t;

static void fini(void)
{
	dt_close(&t);
}

TestSuite(fillers_own, .fini = fini);

/* ---- loopback sockets ---------------------------------------------------- */

struct lo {
	int family;
	struct sockaddr_storage ss;
	socklen_t len;
	uint8_t addr[16];		/* 127.0.0.1 or ::1, as the event stores it */
	uint32_t alen;
};

static void lo_init(struct lo *l, int family)
{
	memset(l, 0, sizeof(*l));
	l->family = family;
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&l->ss;

		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		l->len = sizeof(*in);
		memcpy(l->addr, &in->sin_addr, 4);
		l->alen = 4;
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&l->ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
		l->len = sizeof(*in6);
		memcpy(l->addr, &in6->sin6_addr, 16);
		l->alen = 16;
	}
}

/* A TCP socket bound to the loopback address and a free port; the port. */
static int bound(const struct lo *l, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd = socket(l->family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0, "socket: %s", strerror(errno));
	cr_assert_eq(bind(fd, (const struct sockaddr *)&l->ss, l->len), 0, "bind: %s",
		     strerror(errno));
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	*port = ntohs(l->family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
					     ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

static int connect_to(int fd, const struct lo *l, uint16_t port)
{
	struct sockaddr_storage ss = l->ss;

	if (l->family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
	return connect(fd, (struct sockaddr *)&ss, l->len);
}

/* ---- expected state changes --------------------------------------------- */

enum who { SELF, NONE, EITHER };	/* this thread; no thread (a softirq's); either */

struct change {
	const char *from, *to;
	enum who who;
};

static uint8_t tcp_state(const char *name)
{
	return (uint8_t)dt_flag(&kcap_tcp_states, name);
}

static bool is_zero(const uint8_t *p, uint32_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

struct seen {
	uint8_t from, to;
	int64_t tid;
};

/*
 * The tcp_state events of one socket, seen from its end (sport, dport), in
 * order, with their fields checked: the family, TCP, the loopback address
 * at both ends (none at the far end of a listener). At most max.
 */
static int changes_of(const struct lo *l, uint16_t sport, uint16_t dport, struct seen *out,
		      int max)
{
	uint32_t i;
	int n = 0;

	for (i = 0; i < t.nevents; i++) {
		const struct ppm_evt_hdr *h = (const void *)(t.bytes + t.offsets[i]);
		const char *why = NULL;
		struct kcap_evt ev;
		uint32_t len;

		if (h->type != PPME_TCP_STATE_E)
			continue;
		cr_assert_eq(kcap_evt_parse(h, h->len, &ev, &why), 0, "%s", why);
		cr_assert_eq(ev.nparams, g_event_info[PPME_TCP_STATE_E].nparams);
		if (dt_u8(&ev, 0) != l->family || dt_u16(&ev, 3) != sport || dt_u16(&ev, 5) != dport)
			continue;
		cr_assert_lt(n, max, "port %u to %u: more than %d changes", sport, dport, max);
		cr_assert_eq(dt_u16(&ev, 1), IPPROTO_TCP);
		cr_assert_eq(ev.len[2], l->alen);
		cr_assert_eq(memcmp(kcap_evt_param(&ev, 2, &len), l->addr, l->alen), 0);
		cr_assert_eq(ev.len[4], l->alen);
		cr_assert(dport ? !memcmp(kcap_evt_param(&ev, 4, &len), l->addr, l->alen) :
				  is_zero(kcap_evt_param(&ev, 4, &len), l->alen),
			  "port %u to %u: far address", sport, dport);
		out[n++] = (struct seen){ dt_u8(&ev, 6), dt_u8(&ev, 7), kcap_evt_tid(&ev) };
	}
	return n;
}

/* The changes seen are exactly those wanted, in order, by the thread wanted. */
static void expect_changes(const struct seen *got, int n, const struct change *want, int nwant,
			   const char *what)
{
	int i;

	for (i = 0; i < n && i < nwant; i++) {
		cr_assert(got[i].from == tcp_state(want[i].from) && got[i].to == tcp_state(want[i].to),
			  "%s change %d: %u -> %u, expected %s -> %s", what, i, got[i].from,
			  got[i].to, want[i].from, want[i].to);
		cr_assert(want[i].who == SELF ? got[i].tid == gettid() :
			  want[i].who == NONE ? got[i].tid == -1 :
			  got[i].tid == gettid() || got[i].tid == -1,
			  "%s: %s -> %s: tid %lld", what, want[i].from, want[i].to,
			  (long long)got[i].tid);
	}
	cr_assert_eq(n, nwant, "%s: %d changes, expected %d", what, n, nwant);
}

/*
 * A connection opened, used, and closed first by the side that connected
 * (client_first) or by the side that accepted. Some kernels (6.1, not 6.18)
 * make the accepted socket's first change (LISTEN -> SYN_RECV) before they
 * set its ends: it is then seen from the listener's, its far end not set.
 */
static void connection(int family, bool client_first)
{
	const struct change listener[] = {
		{ "TCP_CLOSE", "TCP_LISTEN", SELF }, { "TCP_LISTEN", "TCP_CLOSE", SELF },
	};
	const struct change opened[] = {
		{ "TCP_CLOSE", "TCP_SYN_SENT", SELF }, { "TCP_SYN_SENT", "TCP_ESTABLISHED", EITHER },
	};
	const struct change accepted[] = {
		{ "TCP_LISTEN", "TCP_SYN_RECV", NONE }, { "TCP_SYN_RECV", "TCP_ESTABLISHED", NONE },
	};
	const struct change closed_first[] = {
		{ "TCP_ESTABLISHED", "TCP_FIN_WAIT1", SELF },
		{ "TCP_FIN_WAIT1", "TCP_FIN_WAIT2", EITHER },
		{ "TCP_FIN_WAIT2", "TCP_CLOSE", EITHER },
	};
	const struct change closed_second[] = {
		{ "TCP_ESTABLISHED", "TCP_CLOSE_WAIT", EITHER },
		{ "TCP_CLOSE_WAIT", "TCP_LAST_ACK", SELF },
		{ "TCP_LAST_ACK", "TCP_CLOSE", EITHER },
	};
	struct change cli[5], acc[5];
	struct seen ls[4], cs[6], as[6];
	int nl, nc, na;
	uint16_t ps, pc;
	struct lo l;
	int srv, c, a;
	char buf[8];

	lo_init(&l, family);
	srv = bound(&l, &ps);
	c = bound(&l, &pc);
	dt_start_all(&t, "tcp_state");
	cr_assert_eq(listen(srv, 1), 0);
	cr_assert_eq(connect_to(c, &l, ps), 0, "connect: %s", strerror(errno));
	a = accept(srv, NULL, NULL);
	cr_assert_geq(a, 0);
	cr_assert_eq(write(c, "ping", 4), 4);
	cr_assert_eq(read(a, buf, sizeof(buf)), 4);
	close(client_first ? c : a);
	cr_assert_eq(read(client_first ? a : c, buf, sizeof(buf)), 0);
	close(client_first ? a : c);
	close(srv);
	usleep(50 * 1000);	/* the last ACK, in a softirq */
	dt_stop(&t);

	memcpy(cli, opened, sizeof(opened));
	memcpy(cli + 2, client_first ? closed_first : closed_second, sizeof(closed_first));
	memcpy(acc, accepted, sizeof(accepted));
	memcpy(acc + 2, client_first ? closed_second : closed_first, sizeof(closed_first));
	nl = changes_of(&l, ps, 0, ls, 4);
	nc = changes_of(&l, pc, ps, cs, 6);
	na = changes_of(&l, ps, pc, as + 1, 5);
	if (nl == 3 && ls[1].to == tcp_state("TCP_SYN_RECV")) {
		as[0] = ls[1];		/* the accepted socket's, from the listener's ends */
		ls[1] = ls[2];
		nl = 2;
		na++;
	} else {
		memmove(as, as + 1, sizeof(as) - sizeof(as[0]));
	}
	expect_changes(ls, nl, listener, 2, "listener");
	expect_changes(cs, nc, cli, 5, "connecting end");
	expect_changes(as, na, acc, 5, "accepted end");
}

Test(fillers_own, tcp_state_ipv4_client_closes)
{
	connection(AF_INET, true);
}

Test(fillers_own, tcp_state_ipv4_server_closes)
{
	connection(AF_INET, false);
}

Test(fillers_own, tcp_state_ipv6_client_closes)
{
	connection(AF_INET6, true);
}

Test(fillers_own, tcp_state_ipv6_server_closes)
{
	connection(AF_INET6, false);
}

/* A connection to a port nobody listens on: refused, the socket back to closed. */
static void refused(int family)
{
	const struct change want[] = {
		{ "TCP_CLOSE", "TCP_SYN_SENT", SELF }, { "TCP_SYN_SENT", "TCP_CLOSE", EITHER },
	};
	struct seen got[4];
	uint16_t pc, pfree;
	struct lo l;
	int c, gone;

	lo_init(&l, family);
	gone = bound(&l, &pfree);	/* a port that was free: bound, never listened on */
	c = bound(&l, &pc);
	dt_start_all(&t, "tcp_state");
	cr_assert_eq(connect_to(c, &l, pfree), -1);
	cr_assert_eq(errno, ECONNREFUSED, "connect: %s", strerror(errno));
	dt_stop(&t);
	close(c);
	close(gone);
	expect_changes(got, changes_of(&l, pc, pfree, got, 4), want, 2, "refused end");
}

Test(fillers_own, tcp_state_ipv4_refused)
{
	refused(AF_INET);
}

Test(fillers_own, tcp_state_ipv6_refused)
{
	refused(AF_INET6);
}

/* ---- kprobe events ------------------------------------------------------- */

/*
 * The kprobe tests need a kernel with kprobes (the guests; this machine's
 * has none) and, for swapin, swap. In the guests (KCAP_TEST_GUEST=1, set
 * by scripts/qemu/driver-tests.sh) a missing one fails the test: there they
 * must run; elsewhere they are skipped, saying why.
 */
static void need(bool have, const char *what)
{
	if (have)
		return;
	cr_assert(!getenv("KCAP_TEST_GUEST"), "the guest lacks %s", what);
	cr_skip_test("this kernel lacks %s", what);
}

static void need_kprobes(void)
{
	need(access("/sys/bus/event_source/devices/kprobe/type", F_OK) == 0 ||
	     dt_driver() == KCAP_DRIVER_KMOD, "kprobes");
}

static bool swap_on(void)
{
	FILE *f = fopen("/proc/swaps", "re");
	char line[256];
	int lines = 0;

	while (f && fgets(line, sizeof(line), f))
		lines++;
	if (f)
		fclose(f);
	return lines > 1;	/* a header, then one line per swap area */
}

#define SWAP_PAGES 256
#define PAGE 4096ul
#define KCAP_MADV_PAGEOUT 21	/* 5.4 */
#define PM_SWAP (1ull << 62)

/* Which pages of the region /proc/self/pagemap says are in swap. */
static int swapped_pages(const uint8_t *region, bool *swapped)
{
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC), i, n = 0;
	uint64_t e[SWAP_PAGES];

	cr_assert_geq(fd, 0);
	cr_assert_eq(pread(fd, e, sizeof(e), (off_t)((uintptr_t)region / PAGE * 8)),
		     (ssize_t)sizeof(e));
	close(fd);
	for (i = 0; i < SWAP_PAGES; i++) {
		swapped[i] = e[i] & PM_SWAP;
		n += swapped[i];
	}
	return n;
}

static uint32_t vmf(const char *name)
{
	return dt_flag(&kcap_vm_fault_flags, name);
}

/*
 * Pages of a mapping pushed out to swap (MADV_PAGEOUT), then read back: a
 * swapin per page that was in swap, at its address, in this thread, with
 * no error in its result and the time the swap-in took.
 */
Test(fillers_own, swapin_of_pages_paged_out)
{
	uint32_t errors = vmf("VM_FAULT_OOM") | vmf("VM_FAULT_SIGBUS") | vmf("VM_FAULT_SIGSEGV") |
			  vmf("VM_FAULT_HWPOISON") | vmf("VM_FAULT_HWPOISON_LARGE");
	uint8_t *region;
	bool swapped[SWAP_PAGES], seen[SWAP_PAGES] = { false };
	int i, out, major = 0;
	uint32_t k;

	need_kprobes();
	need(swap_on(), "swap");
	region = mmap(NULL, SWAP_PAGES * PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(region, MAP_FAILED);
	for (i = 0; i < SWAP_PAGES; i++)
		memset(region + i * PAGE, i + 1, PAGE);
	cr_assert_eq(madvise(region, SWAP_PAGES * PAGE, KCAP_MADV_PAGEOUT), 0, "MADV_PAGEOUT: %s",
		     strerror(errno));
	out = swapped_pages(region, swapped);
	cr_assert_gt(out, 0, "MADV_PAGEOUT put no page in swap");

	dt_start(&t, "swapin");
	for (i = 0; i < SWAP_PAGES; i++)
		cr_assert_eq(((volatile uint8_t *)region)[i * PAGE + 7], (uint8_t)(i + 1));
	dt_stop(&t);

	for (k = 0; k < (uint32_t)dt_count(&t, PPME_SWAPIN_E); k++) {
		const struct kcap_evt *ev = dt_find(&t, PPME_SWAPIN_E, (int)k);
		uint64_t addr = dt_u64(ev, 0), latency = dt_u64(ev, 2);
		uint32_t res = dt_u32(ev, 1);
		size_t page = (addr - (uintptr_t)region) / PAGE;

		cr_assert(addr >= (uintptr_t)region && page < SWAP_PAGES && addr % PAGE == 0,
			  "swapin at %#llx, outside the pages paged out", (unsigned long long)addr);
		cr_assert(swapped[page], "swapin of page %zu, which was not in swap", page);
		cr_assert_eq(res & errors, 0, "page %zu: res %#x", page, res);
		cr_assert(latency > 0 && latency < 10ull * 1000 * 1000 * 1000, "latency %llu ns",
			  (unsigned long long)latency);
		major += !!(res & vmf("VM_FAULT_MAJOR"));
		if (!(res & vmf("VM_FAULT_RETRY")))
			seen[page] = true;
	}
	for (i = 0; i < SWAP_PAGES; i++)
		cr_assert(!swapped[i] || seen[i], "page %d came back from swap without a swapin", i);
	cr_assert_gt(major, 0, "no swapin read from the swap device (VM_FAULT_MAJOR)");
	munmap(region, SWAP_PAGES * PAGE);
}

/* TcpRetransSegs of /proc/net/snmp. */
static unsigned long long retrans_segs(void)
{
	FILE *f = fopen("/proc/net/snmp", "re");
	char head[1024], vals[1024], *h, *v, *hs, *vs;
	unsigned long long n = 0;

	cr_assert_not_null(f);
	while (fgets(head, sizeof(head), f) && fgets(vals, sizeof(vals), f)) {
		if (strncmp(head, "Tcp:", 4))
			continue;
		for (h = strtok_r(head, " \n", &hs), v = strtok_r(vals, " \n", &vs); h && v;
		     h = strtok_r(NULL, " \n", &hs), v = strtok_r(NULL, " \n", &vs))
			if (!strcmp(h, "RetransSegs"))
				n = strtoull(v, NULL, 10);
	}
	fclose(f);
	return n;
}

/*
 * Segments dropped on loopback (a socket filter on the receiving socket that
 * drops everything) are retransmitted until the filter goes: tcp_retransmit
 * events of the sending end, with its addresses, ports and state.
 */
static void retransmit(int family)
{
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &drop };
	unsigned long long before;
	uint16_t ps, pc;
	int srv, c, a, n = 0, zero = 0;
	char buf[100] = { 0 };
	struct lo l;
	uint32_t i;

	lo_init(&l, family);
	srv = bound(&l, &ps);
	c = bound(&l, &pc);
	cr_assert_eq(listen(srv, 1), 0);
	cr_assert_eq(connect_to(c, &l, ps), 0);
	a = accept(srv, NULL, NULL);
	cr_assert_geq(a, 0);
	cr_assert_eq(setsockopt(a, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)), 0);
	before = retrans_segs();
	dt_start_all(&t, "tcp_retransmit");
	cr_assert_eq(write(c, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	usleep(1500 * 1000);	/* RTO 200 ms, doubling: a few retransmissions */
	cr_assert_eq(setsockopt(a, SOL_SOCKET, SO_DETACH_FILTER, &zero, sizeof(zero)), 0);
	cr_assert_eq(read(a, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	dt_stop(&t);
	cr_assert_gt(retrans_segs(), before, "no segment was retransmitted");
	close(a);
	close(c);
	close(srv);

	for (i = 0; i < t.nevents; i++) {
		const struct ppm_evt_hdr *h = (const void *)(t.bytes + t.offsets[i]);
		const char *why = NULL;
		struct kcap_evt ev;
		uint32_t len;
		int64_t tid;

		if (h->type != PPME_TCP_RETRANSMIT_E)
			continue;
		cr_assert_eq(kcap_evt_parse(h, h->len, &ev, &why), 0, "%s", why);
		cr_assert_eq(ev.nparams, g_event_info[PPME_TCP_RETRANSMIT_E].nparams);
		if (dt_u8(&ev, 0) != family || dt_u16(&ev, 2) != pc || dt_u16(&ev, 4) != ps)
			continue;
		tid = kcap_evt_tid(&ev);
		cr_assert(tid == -1 || tid == gettid(), "tid %lld", (long long)tid);
		cr_assert_eq(ev.len[1], l.alen);
		cr_assert_eq(memcmp(kcap_evt_param(&ev, 1, &len), l.addr, l.alen), 0);
		cr_assert_eq(ev.len[3], l.alen);
		cr_assert_eq(memcmp(kcap_evt_param(&ev, 3, &len), l.addr, l.alen), 0);
		cr_assert_eq(dt_u8(&ev, 5), tcp_state("TCP_ESTABLISHED"));
		cr_assert_geq((int32_t)dt_u32(&ev, 6), 1, "segs %d", (int32_t)dt_u32(&ev, 6));
		n++;
	}
	cr_assert_gt(n, 0, "no tcp_retransmit event from port %u to %u", pc, ps);
}

Test(fillers_own, tcp_retransmit_ipv4_of_dropped_segments)
{
	need_kprobes();
	retransmit(AF_INET);
}

Test(fillers_own, tcp_retransmit_ipv6_of_dropped_segments)
{
	need_kprobes();
	retransmit(AF_INET6);
}

/*
 * A function the kernel lacks (hidden from /proc/kallsyms by the preloaded
 * shim, as on a kernel that inlined it everywhere): said in one line, the
 * other kprobe event captured. BPF only: the module resolves functions in
 * the kernel, where the shim cannot hide them.
 */
Test(fillers_own, a_function_the_kernel_lacks_is_said_and_the_rest_captured)
{
	char path[4096], cmd[8192], *out, *err;

	need_kprobes();
	if (dt_driver() != KCAP_DRIVER_BPF)
		cr_skip_test("the module looks functions up in the kernel, past the shim");
	snprintf(path, sizeof(path), "%s/lacks-kprobe.scap", dt_scratch_dir());
	unlink(path);
	snprintf(cmd, sizeof(cmd), "LD_PRELOAD=" KCAP_BINARY_DIR "/libkcap_hidebtf.so "
		 "KCAP_HIDE_KSYMS=tcp_retransmit_skb " KCAP_BINARY_DIR "/kcap capture -d bpf "
		 "-e tcp_retransmit,tcp_state -w '%s' -- true", path);
	cr_assert_eq(run_cmd(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "kcap: this kernel has no tcp_retransmit_skb for the bpf driver: "
			      "no tcp_retransmit events from it\n"), "%s", err);
	cr_assert_eq(access(path, F_OK), 0, "no file written");
	free(out);
	free(err);
	unlink(path);
}
